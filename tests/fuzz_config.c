/*
 * libFuzzer target for src/config.c: each input is written to a file and
 * loaded both as a playbook and as a user config.ini. Anything goes except
 * a crash, a leak or a sanitizer report.
 *   clang -fsanitize=fuzzer,address,undefined -Iinclude \
 *       -I/usr/include/iniparser tests/fuzz_config.c src/config*.c \
 *       src/when.c src/xmalloc.c -liniparser -lm
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "smk/config.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_warn(const char *msg, void *arg)
{
	size_t *n = arg;

	/* Messages must be printable: config quotes what it read. */
	for (; *msg != '\0'; msg++) {
		if ((unsigned char)*msg < 0x20 || *msg == 0x7f)
			abort();
	}
	(*n)++;
}

static void
fuzz_load(const char *path, int user)
{
	struct config cfg;
	char *cause = NULL;
	size_t n = 0;

	config_defaults(&cfg);
	if (user)
		config_load_user(&cfg, path, fuzz_warn, &n, &cause);
	else
		config_load_playbook(&cfg, path, fuzz_warn, &n, &cause);
	if (cfg.nstages < 2 || cfg.nfunnel < 2 || cfg.day_start >= cfg.day_end)
		abort();
	free(cause);
	config_free(&cfg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	FILE *f;
	int fd;

	snprintf(path, sizeof path, "/tmp/fuzz_config.XXXXXX");
	if ((fd = mkstemp(path)) == -1)
		return 0;
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		unlink(path);
		return 0;
	}
	fwrite(data, 1, size, f);
	fclose(f);
	fuzz_load(path, 0);
	fuzz_load(path, 1);
	unlink(path);
	return 0;
}
