#include "feed/doc_text.h"

#include "util/json_scan.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

/* Offset of the first byte that does not start a valid UTF-8 sequence, or len. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		unsigned int lo = 0x80, hi = 0xBF; // allowed range of the second byte
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			n = 2;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 3;
			lo = c == 0xE0 ? 0xA0 : 0x80; // no overlong forms
			hi = c == 0xED ? 0x9F : 0xBF; // no UTF-16 surrogates
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 4;
			lo = c == 0xF0 ? 0x90 : 0x80;
			hi = c == 0xF4 ? 0x8F : 0xBF; // nothing past U+10FFFF
		} else {
			return i;
		}
		if (i + n > len || s[i + 1] < lo || s[i + 1] > hi) {
			return i;
		}
		for (size_t k = 2; k < n; k++) {
			if ((s[i + k] & 0xC0) != 0x80) {
				return i;
			}
		}
		i += n;
	}
	return len;
}

bool doc_text_valid_utf8(const char *data, size_t len)
{
	return utf8_invalid_at((const unsigned char *)data, len) == len;
}

static void error_at(const char *data, size_t len, size_t offset, const char *origin,
		     struct diag_list *diags, const char *message)
{
	struct text_pos pos = json_text_pos(data, len, offset);
	diag_add(diags, DIAG_ERROR, origin, pos.line, pos.column, NULL, "%s (byte 0x%02X)",
		 message, (unsigned char)data[offset]);
}

/* CP949 → UTF-8 in a new buffer; NULL after an error. */
static char *from_cp949(const char *data, size_t len, const char *origin, size_t *out_len,
			struct diag_list *diags)
{
	iconv_t cd = iconv_open("UTF-8", "CP949");
	if (cd == (iconv_t)-1) {
		diag_add(diags, DIAG_ERROR, origin, 0, 0, NULL,
			 "cannot convert from CP949: %s (are the glibc gconv modules installed?)",
			 strerror(errno));
		return NULL;
	}
	/* A two-byte Hangul syllable becomes three bytes of UTF-8; nothing grows more. */
	size_t size = len + len / 2 + 4;
	char *buf = xmalloc(size);
	char *in = (char *)data, *out = buf;
	size_t in_left = len, out_left = size - 1;
	bool ok = true;
	while (in_left > 0) {
		if (iconv(cd, &in, &in_left, &out, &out_left) != (size_t)-1) {
			continue;
		}
		if (errno == E2BIG) {
			size_t used = (size_t)(out - buf);
			size *= 2;
			buf = xrealloc(buf, size);
			out = buf + used;
			out_left = size - used - 1;
			continue;
		}
		error_at(data, len, (size_t)(in - data), origin, diags,
			 errno == EINVAL ? "CP949 text ends inside a character"
					 : "neither UTF-8 nor CP949: invalid byte sequence");
		ok = false;
		break;
	}
	iconv_close(cd);
	if (!ok) {
		free(buf);
		return NULL;
	}
	*out = '\0';
	*out_len = (size_t)(out - buf);
	return buf;
}

bool doc_text_decode(const char *data, size_t len, enum source_encoding encoding,
		     const char *origin, const char **out, size_t *out_len, char **owned,
		     struct diag_list *diags)
{
	*owned = NULL;
	const char *nul = memchr(data, '\0', len);
	if (nul) {
		error_at(data, len, (size_t)(nul - data), origin, diags, "NUL byte in the document");
		return false;
	}
	size_t bad = encoding == SOURCE_ENCODING_CP949
			     ? 0
			     : utf8_invalid_at((const unsigned char *)data, len);
	if (encoding == SOURCE_ENCODING_UTF8 && bad < len) {
		error_at(data, len, bad, origin, diags,
			 "invalid UTF-8; a CP949 or EUC-KR file needs \"encoding\": \"cp949\"");
		return false;
	}
	if (encoding == SOURCE_ENCODING_CP949 || bad < len) {
		*owned = from_cp949(data, len, origin, out_len, diags);
		*out = *owned;
		return *owned != NULL;
	}
	/* Excel and Seoul's portal write a byte order mark; it is not part of the first name. */
	size_t skip = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	*out = data + skip;
	*out_len = len - skip;
	return true;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool doc_text_plain_number(const char *text, size_t len, double *out)
{
	size_t i = text && len > 0 && text[0] == '-' ? 1 : 0;
	size_t int_start = i;
	while (i < len && is_digit(text[i])) {
		i++;
	}
	size_t int_digits = i - int_start;
	if (int_digits == 0 || (int_digits > 1 && text[int_start] == '0')) {
		return false;
	}
	size_t frac_digits = 0, significant = text[int_start] == '0' ? 0 : int_digits;
	if (i < len && text[i] == '.') {
		for (i++; i < len && is_digit(text[i]); i++) {
			frac_digits++;
			/* Zeros before the first significant digit of 0.0042 do not count. */
			significant += significant > 0 || text[i] != '0';
		}
		if (frac_digits == 0) {
			return false;
		}
	}
	if (i != len || (frac_digits == 0 ? int_digits > 16 : significant > 15)) {
		return false;
	}
	/* 2^53: past it not every integer has a double, so a long id would change its digits. */
	if (frac_digits == 0 && int_digits == 16 &&
	    memcmp(text + int_start, "9007199254740992", 16) > 0) {
		return false;
	}
	char buf[64];
	if (len >= sizeof(buf)) {
		return false;
	}
	if (!out) {
		return true;
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	*out = strtod(buf, NULL);
	return true;
}
