#ifndef CITYWALL_LAYOUT_BIND_H
#define CITYWALL_LAYOUT_BIND_H

/*
 * Binding: resolving a tile's value paths against snapshots. Done once per new snapshot (not
 * per frame); the widget compares what it gets with what it drew and asks for a redraw only
 * when something changed.
 */

#include <stddef.h>

#include "layout/layout.h"
#include "model/history.h"
#include "model/snapshot.h"

/* A tile's bindings at most: its options' and, choosing by distance, its candidates'. */
#define BINDINGS_MAX 40

struct binding_values {
	size_t count;
	const char *keys[BINDINGS_MAX];                // borrowed: option keys, e.g. "value"
	const struct value *current[BINDINGS_MAX];     // borrowed from the current snapshot; NULL: missing
	const struct value *previous[BINDINGS_MAX];    // borrowed from the previous snapshot; NULL: none
	const struct snapshot *snapshots[BINDINGS_MAX]; // borrowed: the current snapshot bound; NULL: none
	/* true: current[i] is a last good value kept because the newest document broke it */
	bool held[BINDINGS_MAX];
	/* borrowed, valid during bind (copy what you keep): the readings of this binding's path
	 * that its source keeps (model/history.h); NULL: no history (or a kept value) */
	const struct history_series *history[BINDINGS_MAX];
	double times[BINDINGS_MAX]; // when current[i]'s data was produced (epoch s); NAN: unknown
	/* the bound source's max_age (s): records with their own time (a table's rows, a map's
	 * districts) turn stale one by one past it; INFINITY: no source */
	double max_ages[BINDINGS_MAX];
	double data_time; // when the oldest bound data was produced (epoch s); NAN: unknown
	bool stale;       // some bound source is older than its max_age
	/* A tile choosing by distance (tile->nearest): the candidate chosen, an index into
	 * tile->nearest->candidates (its binding is nearest->first + chosen); -1: none (no
	 * leading alert, or it has no position). Only the chosen candidate counts for data_time
	 * and stale. */
	int chosen;
	double chosen_km; // its distance from the alert, km
};

/* What a tile binds against: per source of the layout, its snapshots and freshness. */
struct source_data {
	const struct snapshot *current;  // borrowed; NULL: none yet
	const struct snapshot *previous; // borrowed; NULL: none
	double data_time;                // epoch s the current data was produced; NAN: unknown
	double max_age;                  // seconds past which data is stale; 0 (unset): INFINITY
	bool stale;
	const struct history *history;   // borrowed: the readings the source keeps; NULL: none
};

/*
 * Resolves every binding of `tile` against `sources` (one per layout source, same order).
 * The values borrow from the snapshots, which the caller keeps referenced while it uses them.
 */
void layout_bind_tile(const struct tile *tile, const struct source_data *sources,
		      struct binding_values *out);

/* The current snapshot bound to option `key` (for data that is not a value tree), or NULL. */
const struct snapshot *binding_snapshot(const struct binding_values *b, const char *key);

/* Whether the value bound to option `key` is a kept last good one (not from the newest data). */
bool binding_held(const struct binding_values *b, const char *key);

/* The history of the value bound to option `key` (borrowed, valid during bind), or NULL. */
const struct history_series *binding_history(const struct binding_values *b, const char *key);
/* When the value bound to option `key` was produced (epoch s), or NAN. */
double binding_time(const struct binding_values *b, const char *key);
/* The max_age (s) of the source bound to option `key`, or INFINITY. */
double binding_max_age(const struct binding_values *b, const char *key);

/* The current / previous value bound to option `key`, or NULL. */
const struct value *binding_current(const struct binding_values *b, const char *key);
const struct value *binding_previous(const struct binding_values *b, const char *key);

#endif
