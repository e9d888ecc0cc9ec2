#include "render/utf8.h"

#include "util/xmalloc.h"

#include <stdbool.h>
#include <string.h>

uint32_t utf8_decode(const unsigned char *s, size_t *len)
{
	static const uint32_t min_for_len[5] = {0, 0, 0x80, 0x800, 0x10000};
	size_t n;
	uint32_t cp;
	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	} else if ((s[0] & 0xE0) == 0xC0) {
		n = 2;
		cp = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3;
		cp = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		*len = 1;
		return UTF8_REPLACEMENT;
	}
	for (size_t i = 1; i < n; i++) {
		// The terminating NUL is not a continuation byte, so this never reads past it.
		if ((s[i] & 0xC0) != 0x80) {
			*len = 1;
			return UTF8_REPLACEMENT;
		}
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min_for_len[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
		*len = 1;
		return UTF8_REPLACEMENT;
	}
	*len = n;
	return cp;
}

static bool all_valid(const char *s)
{
	size_t len;
	for (const unsigned char *p = (const unsigned char *)s; *p; p += len) {
		if (utf8_decode(p, &len) == UTF8_REPLACEMENT && len == 1) {
			return false;
		}
	}
	return true;
}

char *utf8_sanitize(const char *s)
{
	if (all_valid(s)) {
		return NULL;
	}
	char *out = xmalloc(strlen(s) * 3 + 1);
	char *o = out;
	size_t len;
	for (const unsigned char *p = (const unsigned char *)s; *p; p += len) {
		uint32_t cp = utf8_decode(p, &len);
		if (cp == UTF8_REPLACEMENT && len == 1) {
			memcpy(o, "\xEF\xBF\xBD", 3);
			o += 3;
		} else {
			memcpy(o, p, len);
			o += len;
		}
	}
	*o = '\0';
	return out;
}
