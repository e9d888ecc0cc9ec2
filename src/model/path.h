#ifndef CITYWALL_MODEL_PATH_H
#define CITYWALL_MODEL_PATH_H

/*
 * Value paths (selectors): how a binding names values in a snapshot. docs/widgets/selectors.md
 * is the designer's reference; in short:
 *
 *   air/districts/11680/pm10              keys separated by '/', a leading '/' is optional
 *   stations/0/name  stations[0]/name     a bare decimal is an index on arrays (a key on
 *                                         objects); "[N]" is an index only
 *   row[*]                                a segment of just '*' (also written "[*]") is
 *                                         every member of an object or element of an array
 *   RealtimeCityAir/row[MSRSTE_NM=강남구]/PM10
 *                                         records whose member equals the text; "[a=1,b=x]"
 *                                         needs all; numbers compare as numbers when both
 *                                         sides are numbers ("11680" equals 11680)
 *   "a/b"/c   a\/b/c                       double quotes or a backslash make '/', '[', ']',
 *                                         '*', ',', '=', '"' and '\' plain characters
 *
 * A filter on an array keeps its elements that are matching records; on an object it keeps
 * the object itself when it matches, so a '*' segment then "[name=강남구]" filters an
 * object of records. Matches come in document order. Evaluation is bounded: at most PATH_MAX_STEPS
 * steps, PATH_MAX_CONDITIONS conditions per filter, and PATH_VISIT_LIMIT values visited per
 * evaluation (past it the evaluation stops with what it has found).
 */

#include <stdbool.h>
#include <stddef.h>

#include "model/value.h"

#define PATH_MAX_STEPS 64
#define PATH_MAX_CONDITIONS 16
#define PATH_VISIT_LIMIT 1000000

/* A compiled path: parse once, evaluate against many snapshots. Immutable once compiled. */
struct path;

/*
 * Compiles `text`. "" and "/" compile to the empty path, which names the root. On error
 * returns NULL with a message in err naming the character (1-based, counted in characters,
 * not bytes) and the path: unclosed '[' at character 4 in "row[MSRSTE_NM=강남구".
 */
struct path *path_compile(const char *text, char *err, size_t err_size);

/* Frees a compiled path; NULL is a no-op. */
void path_free(struct path *path);

/* The text the path was compiled from (borrowed from the path). */
const char *path_text(const struct path *path);

/* The first value the path names below `root` in document order, or NULL (also for NULLs). */
const struct value *path_eval_first(const struct path *path, const struct value *root);

/*
 * Stores up to `max` values the path names below `root`, in document order, into out[] and
 * returns how many it stored. To learn whether there were more, ask for max + 1.
 */
size_t path_eval_all(const struct path *path, const struct value *root,
		     const struct value **out, size_t max);

/*
 * The first value at `path` below `root`, or NULL when nothing matches or the path is not
 * valid. Compiles on every call: keep a compiled path for repeated lookups.
 */
const struct value *path_lookup(const struct value *root, const char *path);

/* Every value at `path` below `root` as path_eval_all; 0 when the path is not valid. */
size_t path_select(const struct value *root, const char *path, const struct value **out,
		   size_t max);

/*
 * Checks a binding's path: as path_compile, and the path must name something below the root
 * ("" and "/" are "empty value path"). On error returns false with a message in err.
 */
bool path_check(const char *path, char *err, size_t err_size);

#endif
