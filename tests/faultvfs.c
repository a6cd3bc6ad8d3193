/*
 * A test-only SQLite VFS that wraps the default one and fails the Nth
 * xWrite, xSync, xLock or xRead with a chosen result code (SQLITE_IOERR_*,
 * SQLITE_FULL, SQLITE_BUSY), once or from then on ("sticky", like a disk
 * that stays full). Registered as the default VFS, it sits under every
 * connection the store opens with sqlite3_open_v2, so the store's own code
 * paths meet the fault. It only counts and fails; it never changes data.
 *
 * Included by the test that uses it (tests/test_faults.c), because the
 * Makefile builds each tests/test_NAME.c as one translation unit.
 */
#include <sqlite3.h>
#include <string.h>

enum faultvfs_op { FAULTVFS_WRITE, FAULTVFS_SYNC, FAULTVFS_LOCK,
	FAULTVFS_READ, FAULTVFS_NOPS };

static struct {
	sqlite3_vfs	 vfs;
	sqlite3_vfs	*real;
	int		 calls[FAULTVFS_NOPS];	/* since the last arm */
	enum faultvfs_op op;
	int		 nth;		/* 0: count only */
	int		 rc;
	int		 sticky;
	int		 fired;		/* faults returned since the last arm */
} faultvfs;

struct faultvfs_file {
	sqlite3_file	 base;
	sqlite3_file	*real;		/* follows this struct in memory */
};

#define FAULTVFS_REAL(f) (((struct faultvfs_file *)(f))->real)

/* Count a call of op; the code to fail it with, or SQLITE_OK. */
static int
faultvfs_hit(enum faultvfs_op op)
{
	int n = ++faultvfs.calls[op];

	if (faultvfs.nth == 0 || op != faultvfs.op)
		return SQLITE_OK;
	if (n == faultvfs.nth || (faultvfs.sticky && n > faultvfs.nth)) {
		faultvfs.fired++;
		return faultvfs.rc;
	}
	return SQLITE_OK;
}

static int
faultvfs_close(sqlite3_file *f)
{
	int rc = SQLITE_OK;

	if (FAULTVFS_REAL(f)->pMethods != NULL)
		rc = FAULTVFS_REAL(f)->pMethods->xClose(FAULTVFS_REAL(f));
	return rc;
}

static int
faultvfs_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	int rc;

	if ((rc = faultvfs_hit(FAULTVFS_READ)) != SQLITE_OK)
		return rc;
	return FAULTVFS_REAL(f)->pMethods->xRead(FAULTVFS_REAL(f), buf, n, off);
}

static int
faultvfs_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	int rc;

	if ((rc = faultvfs_hit(FAULTVFS_WRITE)) != SQLITE_OK)
		return rc;
	return FAULTVFS_REAL(f)->pMethods->xWrite(FAULTVFS_REAL(f), buf, n,
	    off);
}

static int
faultvfs_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return FAULTVFS_REAL(f)->pMethods->xTruncate(FAULTVFS_REAL(f), size);
}

static int
faultvfs_sync(sqlite3_file *f, int flags)
{
	int rc;

	if ((rc = faultvfs_hit(FAULTVFS_SYNC)) != SQLITE_OK)
		return rc;
	return FAULTVFS_REAL(f)->pMethods->xSync(FAULTVFS_REAL(f), flags);
}

static int
faultvfs_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return FAULTVFS_REAL(f)->pMethods->xFileSize(FAULTVFS_REAL(f), size);
}

static int
faultvfs_lock(sqlite3_file *f, int level)
{
	int rc;

	if ((rc = faultvfs_hit(FAULTVFS_LOCK)) != SQLITE_OK)
		return rc;
	return FAULTVFS_REAL(f)->pMethods->xLock(FAULTVFS_REAL(f), level);
}

static int
faultvfs_unlock(sqlite3_file *f, int level)
{
	return FAULTVFS_REAL(f)->pMethods->xUnlock(FAULTVFS_REAL(f), level);
}

static int
faultvfs_reserved(sqlite3_file *f, int *out)
{
	return FAULTVFS_REAL(f)->pMethods->xCheckReservedLock(FAULTVFS_REAL(f),
	    out);
}

static int
faultvfs_control(sqlite3_file *f, int op, void *arg)
{
	return FAULTVFS_REAL(f)->pMethods->xFileControl(FAULTVFS_REAL(f), op,
	    arg);
}

static int
faultvfs_sector(sqlite3_file *f)
{
	return FAULTVFS_REAL(f)->pMethods->xSectorSize(FAULTVFS_REAL(f));
}

static int
faultvfs_caps(sqlite3_file *f)
{
	return FAULTVFS_REAL(f)->pMethods->xDeviceCharacteristics(
	    FAULTVFS_REAL(f));
}

/* Version 1: no shared memory (never WAL) and no memory mapping. */
static const sqlite3_io_methods faultvfs_io = {
	.iVersion = 1,
	.xClose = faultvfs_close,
	.xRead = faultvfs_read,
	.xWrite = faultvfs_write,
	.xTruncate = faultvfs_truncate,
	.xSync = faultvfs_sync,
	.xFileSize = faultvfs_size,
	.xLock = faultvfs_lock,
	.xUnlock = faultvfs_unlock,
	.xCheckReservedLock = faultvfs_reserved,
	.xFileControl = faultvfs_control,
	.xSectorSize = faultvfs_sector,
	.xDeviceCharacteristics = faultvfs_caps,
};

static int
faultvfs_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
    int *out_flags)
{
	struct faultvfs_file *ff = (struct faultvfs_file *)f;
	int rc;

	(void)vfs;
	ff->real = (sqlite3_file *)(ff + 1);
	memset(ff->real, 0, (size_t)faultvfs.real->szOsFile);
	rc = faultvfs.real->xOpen(faultvfs.real, name, ff->real, flags,
	    out_flags);
	ff->base.pMethods = ff->real->pMethods != NULL ? &faultvfs_io : NULL;
	return rc;
}

static int
faultvfs_delete(sqlite3_vfs *vfs, const char *name, int dirsync)
{
	(void)vfs;
	return faultvfs.real->xDelete(faultvfs.real, name, dirsync);
}

static int
faultvfs_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return faultvfs.real->xAccess(faultvfs.real, name, flags, out);
}

static int
faultvfs_fullpath(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return faultvfs.real->xFullPathname(faultvfs.real, name, n, out);
}

static int
faultvfs_random(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return faultvfs.real->xRandomness(faultvfs.real, n, out);
}

static int
faultvfs_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return faultvfs.real->xSleep(faultvfs.real, us);
}

static int
faultvfs_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return faultvfs.real->xCurrentTime(faultvfs.real, out);
}

static int
faultvfs_lasterr(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return faultvfs.real->xGetLastError(faultvfs.real, n, out);
}

/* Register the shim as the default VFS; once per process. */
static void
faultvfs_install(void)
{
	if (faultvfs.real != NULL)
		return;
	sqlite3_initialize();
	faultvfs.real = sqlite3_vfs_find(NULL);
	faultvfs.vfs.iVersion = 1;
	faultvfs.vfs.szOsFile = (int)sizeof(struct faultvfs_file) +
	    faultvfs.real->szOsFile;
	faultvfs.vfs.mxPathname = faultvfs.real->mxPathname;
	faultvfs.vfs.zName = "faultvfs";
	faultvfs.vfs.xOpen = faultvfs_open;
	faultvfs.vfs.xDelete = faultvfs_delete;
	faultvfs.vfs.xAccess = faultvfs_access;
	faultvfs.vfs.xFullPathname = faultvfs_fullpath;
	faultvfs.vfs.xDlOpen = NULL;
	faultvfs.vfs.xRandomness = faultvfs_random;
	faultvfs.vfs.xSleep = faultvfs_sleep;
	faultvfs.vfs.xCurrentTime = faultvfs_time;
	faultvfs.vfs.xGetLastError = faultvfs_lasterr;
	sqlite3_vfs_register(&faultvfs.vfs, 1);
}

/*
 * From now on, fail call number nth (1-based) of op with rc, and every
 * later one too when sticky. nth 0 only counts.
 */
static void
faultvfs_arm(enum faultvfs_op op, int nth, int rc, int sticky)
{
	memset(faultvfs.calls, 0, sizeof faultvfs.calls);
	faultvfs.op = op;
	faultvfs.nth = nth;
	faultvfs.rc = rc;
	faultvfs.sticky = sticky;
	faultvfs.fired = 0;
}

static void
faultvfs_disarm(void)
{
	faultvfs.nth = 0;
}
