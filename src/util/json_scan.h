#ifndef CITYWALL_UTIL_JSON_SCAN_H
#define CITYWALL_UTIL_JSON_SCAN_H

/*
 * A strict RFC 8259 JSON scanner that knows positions. cJSON builds the values but keeps no
 * positions and says nothing about why a document is broken; this scanner fills that gap:
 * it names the first syntax error with a message a designer can act on, and it finds where a
 * value named by a JSON pointer sits in the text so that semantic errors can carry a line.
 * It allocates nothing and never recurses deeper than JSON_SCAN_MAX_DEPTH.
 */

#include <stdbool.h>
#include <stddef.h>

#define JSON_SCAN_MAX_DEPTH 200

/* A position in a text: 1-based line, 1-based column counted in UTF-8 characters. */
struct text_pos {
	int line;
	int column;
};

/* The line and column of byte `offset` in text[0..len); offsets past the end clamp to it. */
struct text_pos json_text_pos(const char *text, size_t len, size_t offset);

/*
 * Checks that text[0..len) is exactly one JSON value with only white space around it, and that
 * no object repeats a key. Returns true when it is. Otherwise returns false, sets *error_offset
 * to the byte where the problem is and *message to a static string describing it.
 */
bool json_check_syntax(const char *text, size_t len, size_t *error_offset, const char **message);

/*
 * Finds the value at `pointer` (RFC 6901: "" is the whole document, "/tiles/3/span" the member
 * "span" of element 3 of member "tiles"; "~1" and "~0" escape '/' and '~'). On success returns
 * true, sets *value_offset to the first byte of the value and *key_offset to the first byte of
 * the member's name (the opening quote) for object members, or to *value_offset for array
 * elements and the root. Either out pointer may be NULL. Returns false when the pointer names
 * nothing or the text is not valid JSON up to that value.
 */
bool json_locate(const char *text, size_t len, const char *pointer, size_t *value_offset,
		 size_t *key_offset);

#endif
