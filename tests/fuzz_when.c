/*
 * libFuzzer target for when_parse: any bytes must be either refused with a
 * message or accepted as an instant that formats and parses back to itself.
 *
 *   clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
 *       -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -Iinclude \
 *       -o fuzz_when tests/fuzz_when.c src/when.c src/xmalloc.c
 *   ./fuzz_when -max_total_time=120 tests/fuzz/when
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "smk/when.h"
#include "smk/xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	 ready;
	char		*s, *cause = NULL, buf[WHEN_ISO_LEN];
	time_t		 t, back;

	if (!ready) {
		if (when_set_zone("America/New_York", &cause) != 0)
			abort();
		ready = 1;
	}
	s = xstrndup((const char *)data, size);
	if (when_parse(s, &t, &cause) == 0) {
		if (cause != NULL)
			abort();
		when_format(t, buf);
		if (t >= WHEN_MIN && t <= WHEN_MAX &&
		    (when_parse(buf, &back, &cause) != 0 || back != t))
			abort();
	} else {
		if (cause == NULL || strlen(cause) > 400)
			abort();
		free(cause);
	}
	free(s);
	return (0);
}
