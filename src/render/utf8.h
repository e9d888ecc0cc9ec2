#ifndef CITYWALL_RENDER_UTF8_H
#define CITYWALL_RENDER_UTF8_H

/*
 * Lenient UTF-8 for the text engine (private to render/): text from feeds and layouts may hold
 * bad bytes, and a bad byte must cost one U+FFFD, never the rest of the line.
 */

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu

/*
 * Decodes the code point at `s` (NUL-terminated) and stores its byte length in *len. An invalid
 * or truncated sequence yields UTF8_REPLACEMENT with *len = 1, so the caller resumes at the next
 * byte; a well-formed U+FFFD is told apart by its *len of 3.
 */
uint32_t utf8_decode(const unsigned char *s, size_t *len);

/* NULL when `s` is valid, else a copy (caller owns) with U+FFFD in place of each bad byte. */
char *utf8_sanitize(const char *s);

#endif
