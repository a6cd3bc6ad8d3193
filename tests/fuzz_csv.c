/*
 * libFuzzer target over the CSV importer: any bytes as a CSV file, imported
 * into a real (temporary) database with the default playbook, in both error
 * modes and as a dry run. Seeds are in tests/fuzz/csv/.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_XOPEN_SOURCE=700 \
 *       -D_DEFAULT_SOURCE -Iinclude -I/usr/include/iniparser \
 *       -o fuzz_csv tests/fuzz_csv.c src/csvin.c src/score.c src/store.c \
 *       src/store_lead.c src/store_rep.c src/config*.c src/when.c \
 *       src/text.c src/xmalloc.c \
 *       -lsqlite3 -liniparser -lcsv -lm
 *   ./fuzz_csv -max_total_time=300 tests/fuzz/csv
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "smk/config.h"
#include "smk/csvin.h"
#include "smk/store.h"

#define FUZZ_T0 ((time_t)1795000000)
#define FUZZ_FRESH 200		/* inputs between fresh databases */

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char		 fuzz_dir[64];
static char		 fuzz_db[96];
static char		 fuzz_rejects[96];
static struct config	 fuzz_cfg;
static struct store	*fuzz_store;
static unsigned		 fuzz_runs;

static void
fuzz_open(void)
{
	struct store_open_opts	 oo = { .create = true };
	struct store_rep	 r1 = { "alee", "Ann Lee", "sales", "rep", true };
	struct store_rep	 r2 = { "bob", "Bob Stone", "marketing",
				    "manager", true };

	if (fuzz_store != NULL)
		store_close(fuzz_store);
	unlink(fuzz_db);
	if (store_open(fuzz_db, &oo, &fuzz_store, NULL) != STORE_OK)
		abort();
	if (store_rep_add(fuzz_store, &r1, FUZZ_T0, NULL) != STORE_OK ||
	    store_rep_add(fuzz_store, &r2, FUZZ_T0, NULL) != STORE_OK)
		abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(fuzz_dir, sizeof fuzz_dir, "/tmp/smkfuzz.XXXXXX");
	if (mkdtemp(fuzz_dir) == NULL)
		abort();
	snprintf(fuzz_db, sizeof fuzz_db, "%s/f.db", fuzz_dir);
	snprintf(fuzz_rejects, sizeof fuzz_rejects, "%s/r.csv", fuzz_dir);
	setenv("TZ", "UTC", 1);
	config_defaults(&fuzz_cfg);
	fuzz_open();
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csvin_opts	 o;
	struct csvin_stats	 st;
	FILE			*in;
	char			*cause = NULL;

	if (size == 0 || (in = fmemopen((void *)(uintptr_t)data, size,
	    "r")) == NULL)
		return (0);
	if (++fuzz_runs % FUZZ_FRESH == 0)
		fuzz_open();
	memset(&o, 0, sizeof o);
	o.name = "fuzz.csv";
	o.user = "bob";
	o.now = FUZZ_T0;
	/* The first byte picks the mode, so each mode gets every shape. */
	o.dry_run = (data[0] & 1) != 0;
	o.on_error = (data[0] & 2) != 0 ? CSVIN_SKIP : CSVIN_ABORT;
	o.rejects_path = fuzz_rejects;
	if ((data[0] & 4) != 0)
		o.date_format = "%d/%m/%Y %H:%M";
	(void)csvin_import(fuzz_store, &fuzz_cfg, in, &o, &st, &cause);
	free(cause);
	csvin_stats_clear(&st);
	fclose(in);
	return (0);
}
