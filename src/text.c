/*
 * Text that is safe to show, and its width on a terminal. Owns the rules for
 * what outside text may reach the screen: no control characters, no escape
 * sequences, no BiDi overrides, only valid UTF-8. Must not call curses or
 * depend on anything but libc; widths come from wcwidth(3), so callers that
 * care run under a UTF-8 locale.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "smk/text.h"
#include "smk/xmalloc.h"

#define TEXT_BAD	0xFFFDu		/* U+FFFD REPLACEMENT CHARACTER */
#define TEXT_ESC	0x1b
#define TEXT_BEL	0x07

/*
 * Decode one UTF-8 character at s (len bytes available). Returns the number
 * of bytes it takes and sets *cp, or returns 0 when the bytes are not valid
 * UTF-8 (overlong, surrogate, out of range, truncated).
 */
static size_t
text_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c, min;
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2; c = s[0] & 0x1f; min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3; c = s[0] & 0x0f; min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4; c = s[0] & 0x07; min = 0x10000;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Append code point c to buf at *used as UTF-8; buf has room for 4 more. */
static void
text_encode(char *buf, size_t *used, uint32_t c)
{
	unsigned char *p = (unsigned char *)buf + *used;

	if (c < 0x80) {
		p[0] = c;
		*used += 1;
	} else if (c < 0x800) {
		p[0] = 0xc0 | (c >> 6);
		p[1] = 0x80 | (c & 0x3f);
		*used += 2;
	} else if (c < 0x10000) {
		p[0] = 0xe0 | (c >> 12);
		p[1] = 0x80 | ((c >> 6) & 0x3f);
		p[2] = 0x80 | (c & 0x3f);
		*used += 3;
	} else {
		p[0] = 0xf0 | (c >> 18);
		p[1] = 0x80 | ((c >> 12) & 0x3f);
		p[2] = 0x80 | ((c >> 6) & 0x3f);
		p[3] = 0x80 | (c & 0x3f);
		*used += 4;
	}
}

/* Characters that reorder text and could disguise what a line says. */
static bool
text_is_bidi(uint32_t c)
{
	return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	    c == 0x200e || c == 0x200f || c == 0x061c;
}

/*
 * Skip a string-type sequence body (OSC, DCS, SOS, PM, APC) up to and
 * including its terminator: BEL, ESC \, or the C1 ST (U+009C). An
 * unterminated one swallows the rest, as a terminal would.
 */
static size_t
text_skip_string(const unsigned char *s, size_t i, size_t len)
{
	while (i < len) {
		if (s[i] == TEXT_BEL)
			return i + 1;
		if (s[i] == TEXT_ESC)
			return i + 1 < len && s[i + 1] == '\\' ? i + 2 : i + 1;
		if (s[i] == 0xc2 && i + 1 < len && s[i + 1] == 0x9c)
			return i + 2;
		i++;
	}
	return len;
}

/* Skip CSI parameters and intermediates up to its final byte. */
static size_t
text_skip_csi(const unsigned char *s, size_t i, size_t len)
{
	while (i < len && s[i] >= 0x20 && s[i] <= 0x3f)
		i++;
	if (i < len && s[i] >= 0x40 && s[i] <= 0x7e)
		i++;
	return i;
}

/* s[i] is ESC: return the index just past the whole escape sequence. */
static size_t
text_skip_escape(const unsigned char *s, size_t i, size_t len)
{
	i++;
	if (i >= len)
		return i;
	switch (s[i]) {
	case '[':
		return text_skip_csi(s, i + 1, len);
	case ']': case 'P': case 'X': case '^': case '_':
		return text_skip_string(s, i + 1, len);
	}
	/* nF sequences: intermediates then one final byte. */
	while (i < len && s[i] >= 0x20 && s[i] <= 0x2f)
		i++;
	if (i < len && s[i] >= 0x30 && s[i] <= 0x7e)
		i++;
	return i;
}

/* A C1 control (U+0080..U+009F) that starts a sequence: skip it whole. */
static size_t
text_skip_c1(uint32_t c, const unsigned char *s, size_t i, size_t len)
{
	switch (c) {
	case 0x9b:			/* CSI */
		return text_skip_csi(s, i, len);
	case 0x90: case 0x98: case 0x9d: case 0x9e: case 0x9f:
		return text_skip_string(s, i, len);
	}
	return i;
}

char *
text_sanitize(const char *in)
{
	const unsigned char *s = (const unsigned char *)(in != NULL ? in : "");
	size_t len = strlen((const char *)s), i = 0, used = 0, n;
	char *out;
	uint32_t c;

	/* U+FFFD (3 bytes) per invalid byte is the worst growth. */
	out = xmalloc(len * 3 + 1);
	while (i < len) {
		if (s[i] == TEXT_ESC) {
			i = text_skip_escape(s, i, len);
			continue;
		}
		if ((n = text_decode(s + i, len - i, &c)) == 0) {
			text_encode(out, &used, TEXT_BAD);
			i++;
			continue;
		}
		i += n;
		if (c == '\t' || c == '\n' || c == '\r' || c == 0x2028 ||
		    c == 0x2029)
			out[used++] = ' ';
		else if (c >= 0x80 && c <= 0x9f)
			i = text_skip_c1(c, s, i, len);
		else if (c < 0x20 || c == 0x7f || text_is_bidi(c))
			continue;
		else if (c == 0xfffe || c == 0xffff)
			text_encode(out, &used, TEXT_BAD);
		else
			text_encode(out, &used, c);
	}
	out[used] = '\0';
	return out;
}

/* Columns one code point takes; what wcwidth cannot place counts as one. */
static int
text_cp_width(uint32_t c)
{
	int w;

	if (c < 0x80)
		return 1;
	w = wcwidth((wchar_t)c);
	return w < 0 ? 1 : w;
}

int
text_width(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len, i = 0, n;
	uint32_t c;
	int w = 0;

	if (s == NULL)
		return 0;
	len = strlen(str);
	while (i < len) {
		if ((n = text_decode(s + i, len - i, &c)) == 0) {
			w++;
			i++;
			continue;
		}
		w += text_cp_width(c);
		i += n;
	}
	return w;
}

/*
 * Copy the prefix of s that fits in cols columns and (with reserve bytes
 * still free) in bufsz; zero-width characters stay with the character they
 * follow. Returns the width copied; *end gets the bytes consumed.
 */
static int
text_copy_prefix(char *buf, size_t bufsz, const char *str, int cols,
    size_t reserve, size_t *end)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len = strlen(str), i = 0, n;
	uint32_t c;
	int w = 0, cw;

	while (i < len) {
		if ((n = text_decode(s + i, len - i, &c)) == 0) {
			n = 1;
			cw = 1;
		} else
			cw = text_cp_width(c);
		if (w + cw > cols || i + n + reserve + 1 > bufsz)
			break;
		memcpy(buf + i, s + i, n);
		i += n;
		w += cw;
	}
	buf[i] = '\0';
	*end = i;
	return w;
}

int
text_fit(char *buf, size_t bufsz, const char *s, int cols)
{
	size_t end;
	int w;

	if (bufsz == 0)
		return 0;
	buf[0] = '\0';
	if (s == NULL || cols <= 0)
		return 0;
	w = text_copy_prefix(buf, bufsz, s, cols, 0, &end);
	if (s[end] == '\0')
		return w;
	/* Truncated: redo leaving a column and a byte for the marker. */
	w = text_copy_prefix(buf, bufsz, s, cols - 1, 1, &end);
	if (end + 2 > bufsz)
		return w;
	buf[end] = '~';
	buf[end + 1] = '\0';
	return w + 1;
}

char *
text_trim(char *s)
{
	char *start = s, *end;

	if (s == NULL)
		return NULL;
	while (*start == ' ' || *start == '\t' || *start == '\n' ||
	    *start == '\r' || *start == '\f' || *start == '\v')
		start++;
	end = start + strlen(start);
	while (end > start && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\n' || end[-1] == '\r' || end[-1] == '\f' ||
	    end[-1] == '\v'))
		end--;
	*end = '\0';
	if (start != s)
		memmove(s, start, (size_t)(end - start) + 1);
	return s;
}

int
text_casecmp(const char *a, const char *b)
{
	unsigned char ca, cb;

	for (;; a++, b++) {
		ca = (unsigned char)*a;
		cb = (unsigned char)*b;
		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		if (cb >= 'A' && cb <= 'Z')
			cb += 'a' - 'A';
		if (ca != cb || ca == '\0')
			return ca - cb;
	}
}
