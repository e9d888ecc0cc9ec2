#ifndef CITYWALL_DERIVE_DERIVE_H
#define CITYWALL_DERIVE_DERIVE_H

/*
 * Derived values: figures a layout computes from a source's records (the 119 golden time is
 * the share of dispatches that arrive within 5 minutes). docs/derive.md is the designer's
 * reference. A small expression language — fields, numbers, strings, durations, comparisons,
 * and/or/not, in [...], + - * /, null checks, time windows, aggregates — is parsed once into a
 * compact tree and evaluated over a model value tree of records.
 *
 * Safe by construction: no loops, no calls out, no allocation per record beyond the values an
 * aggregate keeps; an expression is capped in length, nodes and depth, a source in records and
 * a result in groups, so work is linear in the records and bounded.
 */

#include <stdbool.h>
#include <stddef.h>

#include "model/value.h"
#include "util/arena.h"

#define DERIVE_MAX_TEXT 4096       // bytes of one expression
#define DERIVE_MAX_NODES 256       // nodes of one expression
#define DERIVE_MAX_DEPTH 32        // nesting of one expression
#define DERIVE_MAX_LIST 64         // items of one "in [...]"
#define DERIVE_MAX_AGGREGATES 16   // aggregates in one value expression
#define DERIVE_MAX_RECORDS 1000000 // records read from a source; the rest are ignored
#define DERIVE_MAX_GROUPS 1000     // groups of one group_by; records of more are ignored
#define DERIVE_MAX_LIMIT 1000      // records of one list ("limit")
#define DERIVE_MAX_FIELDS 32       // members a listed record keeps ("fields")

/* What an expression is for: a "where" condition tests one record, a "value" aggregates. */
enum derive_role {
	DERIVE_CONDITION,
	DERIVE_VALUE,
};

/* Why text did not parse: a message and the byte offset in the text it is about. */
struct derive_error {
	size_t offset;
	char message[256];
};

/* A parsed expression: immutable, safe to evaluate from any thread. */
struct derive_expr;

/*
 * Parses `text` as an expression for `role`. Returns NULL with err filled on any error: syntax,
 * an unknown function (with a did-you-mean), an aggregate in a condition or a field outside one
 * in a value, or a cap passed.
 */
struct derive_expr *derive_parse(const char *text, enum derive_role role,
				 struct derive_error *err);

/* Frees an expression; NULL is a no-op. */
void derive_expr_free(struct derive_expr *expr);

/* The fields an expression reads, in text order: the i-th's name and byte offset. */
size_t derive_expr_field_count(const struct derive_expr *expr);
const char *derive_expr_field(const struct derive_expr *expr, size_t i, size_t *offset);

/* The function names the language knows, NULL-terminated (messages and docs). */
extern const char *const derive_function_names[];

/* A record's time made from its fields: "times": {"dispatched": ["출동일자", "출동시각"]}. */
struct derive_time {
	char *name;  // owned: how expressions call it
	char *date;  // owned: the field with the date (YYYYMMDD), or the whole time
	char *clock; // owned: the field with the time of day (HHMMSS, leading zeros optional); NULL
		     // when `date` holds the whole time
};

/*
 * One derived value's definition: a figure (value set), or a list of the records that pass
 * "where" (value NULL), sorted, cut to `limit` and trimmed to `fields` — what a table binds.
 */
struct derive_def {
	char *name;                  // owned
	struct derive_expr *where;   // owned; NULL: every record
	struct derive_expr *value;   // owned; NULL: a list of records
	char *group_by;              // owned: a field (dotted for nested); NULL: one figure
	bool group_by_day;           // group_by is "day(FIELD)": the value becomes a daily series
	char *sort;                  // owned: a list's sort field; NULL: the records' order
	bool sort_descending;        // "sort": "-FIELD"
	size_t limit;                // a list's records at most (1..DERIVE_MAX_LIMIT)
	char **fields;               // owned: the members a listed record keeps; NULL: all
	size_t field_count;
	struct derive_time *times;   // owned
	size_t time_count;
	char *zone;                  // owned: IANA zone of today() and zone-less times
};

void derive_def_finish(struct derive_def *def);

/* What a computation met, for the "records" and "rejected" figures and for tests. */
struct derive_stats {
	size_t records;  // records read (at most DERIVE_MAX_RECORDS)
	size_t matched;  // of them, passing "where" and valid: what the aggregates saw
	size_t rejected; // invalid: not an object, or a time difference of two fields < 0
	size_t groups;   // group_by: groups made
	bool truncated;  // more records than DERIVE_MAX_RECORDS, or groups than DERIVE_MAX_GROUPS
};

/*
 * Parses a "group_by": a field ("district", "a.b", "`field name`" for any name) or
 * "day(FIELD)", the local calendar day of a time. Sets *field (the caller frees it) and
 * *by_day; false with err filled (an unknown function with a did-you-mean, a missing ')').
 */
bool derive_parse_group(const char *text, char **field, bool *by_day, struct derive_error *err);

/*
 * Parses a list's "sort": "FIELD" (ascending) or "-FIELD" (descending). Sets *field (the
 * caller frees it) and *descending; false with err filled.
 */
bool derive_parse_sort(const char *text, char **field, bool *descending,
		       struct derive_error *err);

/*
 * Computes `def` over `records` (an array of records, or an object whose members are the
 * records; anything else is an empty set) at time `now` (epoch s). The result lives in `arena`:
 * a number, null (no data: an empty set or nothing to aggregate), a boolean, a string; with
 * group_by an object of group names to such values; with group_by day(FIELD) an array of
 * points {"day": "2026-11-24", "t": "2026-11-24T00:00:00+09:00", "v": value} in date order,
 * days without records between the first and the last given as "v": null (a trend's gap);
 * a list (value NULL): an array of records. Never NULL.
 */
const struct value *derive_compute(const struct derive_def *def, const struct value *records,
				   double now, struct arena *arena, struct derive_stats *stats);

/*
 * Parses a duration literal such as "5m", "1.5h", "30s", "2d" (or a plain number of seconds)
 * into seconds; false when it is not one. For "params" and messages.
 */
bool derive_parse_duration(const char *text, double *seconds);

#endif
