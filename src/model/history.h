#ifndef CITYWALL_MODEL_HISTORY_H
#define CITYWALL_MODEL_HISTORY_H

/*
 * History: what a source's bound numbers were, over time. Per source, one series per value
 * path a tile binds, each a list of (data time, value) points in ascending time. Points are
 * timestamped by the data's own time (the snapshot's), so a re-poll of an unchanged document
 * adds nothing, and a change line can say honestly what it compares with.
 *
 * Bounded: a source keeps either the last `count` readings, or a `window` of seconds; with a
 * window, at most HISTORY_MAX_POINTS points per series: one per window/HISTORY_MAX_POINTS
 * bucket (its first reading), plus the newest reading, plus one at or before the window's
 * start (so that "vs" the window's length still finds a reading). Plain data; the main
 * thread owns it (no locks).
 */

#include <stdbool.h>
#include <stddef.h>

/* Points per series, at most (a 24 h window keeps one a minute). */
#define HISTORY_MAX_POINTS 1440
/* Series per source, at most (one per bound value path; a layout binds far fewer). */
#define HISTORY_MAX_SERIES 512
/* The longest window: 400 days. */
#define HISTORY_MAX_WINDOW (400.0 * 86400)

struct history_limit {
	size_t count;  // keep the last `count` readings (2 to HISTORY_MAX_POINTS); 0: by window
	double window; // seconds of readings to keep; 0: by count. Both 0: no history.
};

struct history_point {
	double t; // data time, epoch s
	double v;
};

struct history_series {
	char *path;                   // owned: the value path (without "source:")
	struct history_point *points; // owned, ascending t, no two with the same t
	size_t count;
};

struct history;

/* An empty history bounded by `limit` (which must keep something). */
struct history *history_create(struct history_limit limit);
/* NULL is a no-op. */
void history_destroy(struct history *history);

/* Applies a new limit (a reloaded layout), dropping what it no longer keeps. */
void history_set_limit(struct history *history, struct history_limit limit);
struct history_limit history_get_limit(const struct history *history);

/*
 * Records reading `v` of `path` at data time `t`. A reading at or before the series' newest
 * time adds nothing (the same document polled again, or an older one); returns whether a
 * point was added. NaN or infinite t or v add nothing; past HISTORY_MAX_SERIES paths neither.
 */
bool history_record(struct history *history, const char *path, double t, double v);

/* The series of `path` (borrowed; valid until the next change of the history), or NULL. */
const struct history_series *history_find(const struct history *history, const char *path);
size_t history_series_count(const struct history *history);
/* Points in all series, for tests and the operator's numbers. */
size_t history_point_count(const struct history *history);

/* Grows with every point added (a cheap "changed since" for saving). */
unsigned long history_revision(const struct history *history);

/* The newest point at or before time `t`, or NULL. */
const struct history_point *history_at_or_before(const struct history_series *series, double t);
/* The newest point strictly before `t` (the previous distinct reading), or NULL. */
const struct history_point *history_before(const struct history_series *series, double t);

/*
 * The history as text (caller frees; *len its length), for the cache record:
 *   "CWHISTORY 1\n", then per series "S <path bytes> <path>\n" and per point "<t> <v>\n".
 */
char *history_serialize(const struct history *history, size_t *len);
/*
 * Reads what history_serialize wrote into a new history bounded by `limit` (points it no
 * longer keeps are dropped). Anything malformed — a bad header, a short path, an unparsable
 * or non-finite number, times out of order, too many series or points — refuses the whole
 * text: NULL with the reason (and its line) in err.
 */
struct history *history_parse(const char *text, size_t len, struct history_limit limit,
			      char *err, size_t err_size);

/*
 * A duration as layouts write it: a positive number with a unit s, m, h or d ("90s", "30m",
 * "24h", "7d", "1.5h"). Returns false for anything else.
 */
bool history_parse_duration(const char *text, double *seconds);

#endif
