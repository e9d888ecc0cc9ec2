#ifndef CITYWALL_RENDER_UTF8_H
#define CITYWALL_RENDER_UTF8_H

/*
 * Lenient, bounded UTF-8 for the text engine (private to render/): text from feeds and layouts
 * may hold bad bytes, and a bad byte must cost one U+FFFD, never the rest of the line. Feed text
 * is untrusted, so what reaches the shaper is bounded too (see utf8_sanitize).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu

/*
 * Combining marks kept after one base character. Unicode's stream-safe text format (UAX #15
 * §13) allows 30 non-starters in a row; real Korean and English text needs at most 2 or 3 (a
 * Hangul syllable spelt in conjoining jamo has 2 after its leading consonant, accented Latin 1
 * or 2), so 8 leaves room for any real script while "a" + 50,000 accents — one cluster that
 * HarfBuzz takes 20 s and 800 MB to shape — becomes 9 code points.
 */
#define UTF8_MAX_MARKS 8
/* Code points drawn per line: more is wider than the widest wall at any readable size. */
#define UTF8_MAX_CODE_POINTS 1000
/* Bytes of input looked at per line, so that a flood of dropped marks costs no more either. */
#define UTF8_MAX_SCAN ((size_t)64 * 1024)

/*
 * Decodes the code point at `s` (NUL-terminated) and stores its byte length in *len. An invalid
 * or truncated sequence yields UTF8_REPLACEMENT with *len = 1, so the caller resumes at the next
 * byte; a well-formed U+FFFD is told apart by its *len of 3.
 */
uint32_t utf8_decode(const unsigned char *s, size_t *len);

/* True for a combining mark (General Category Mn, Me, Mc) or a Hangul medial/final jamo. */
bool utf8_is_mark(uint32_t cp);

/*
 * NULL when `s` is valid and within the bounds above, else a copy (caller owns) with U+FFFD in
 * place of each bad byte, combining marks past UTF8_MAX_MARKS in a row dropped, and, past
 * UTF8_MAX_CODE_POINTS code points or UTF8_MAX_SCAN bytes, the rest replaced by "…". *cut (may
 * be NULL) tells whether the text was cut. Looks at no more than UTF8_MAX_SCAN bytes (plus one
 * character) of `s`, however long it is.
 */
char *utf8_sanitize(const char *s, bool *cut);

#endif
