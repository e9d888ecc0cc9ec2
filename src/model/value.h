#ifndef CITYWALL_MODEL_VALUE_H
#define CITYWALL_MODEL_VALUE_H

/*
 * The immutable value tree of a snapshot: what bindings read. Built once from a parsed document
 * (feed/ copies it out of cJSON), stored in the snapshot's arena, never changed afterwards, so
 * any thread may read it while the snapshot is referenced.
 */

#include <stdbool.h>
#include <stddef.h>

enum value_kind {
	VALUE_NULL,
	VALUE_BOOL,
	VALUE_NUMBER,
	VALUE_STRING,
	VALUE_ARRAY,
	VALUE_OBJECT,
};

struct value;

struct member {
	const char *key; // arena
	const struct value *value;
};

struct value {
	enum value_kind kind;
	union {
		bool boolean;
		double number;
		struct {
			const char *text; // arena, NUL-terminated
			size_t length;
		} string;
		struct {
			const struct value *const *items; // arena
			size_t count;
		} array;
		struct {
			const struct member *members; // arena, in document order
			size_t count;
		} object;
	};
};

const char *value_kind_name(enum value_kind kind);

/* The member named `key` (the first one if repeated), or NULL. */
const struct value *value_member(const struct value *object, const char *key);
const struct value *value_member_n(const struct value *object, const char *key, size_t key_len);

/*
 * The value as a finite number: a JSON number, or a string holding one ("63", " 4.5 ") since
 * open-data APIs send numbers as strings. Returns false for anything else, NaN and infinities.
 */
bool value_number(const struct value *v, double *out);

/* The value as text: strings as they are, booleans as "true"/"false"; NULL otherwise (numbers
 * need a buffer: their callers format them). */
const char *value_string(const struct value *v);

/* Deep equality (numbers compared exactly). NULL equals only NULL. */
bool value_equal(const struct value *a, const struct value *b);

#endif
