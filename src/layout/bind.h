#ifndef CITYWALL_LAYOUT_BIND_H
#define CITYWALL_LAYOUT_BIND_H

/*
 * Binding: resolving a tile's value paths against snapshots. Done once per new snapshot (not
 * per frame); the widget compares what it gets with what it drew and asks for a redraw only
 * when something changed.
 */

#include <stddef.h>

#include "layout/layout.h"
#include "model/snapshot.h"

#define BINDINGS_MAX 8

struct binding_values {
	size_t count;
	const char *keys[BINDINGS_MAX];                // borrowed: option keys, e.g. "value"
	const struct value *current[BINDINGS_MAX];     // borrowed from the current snapshot; NULL: missing
	const struct value *previous[BINDINGS_MAX];    // borrowed from the previous snapshot; NULL: none
	double data_time; // when the current data was produced (epoch s), NAN without a snapshot
};

/*
 * Resolves every set OPT_BINDING option of `tile`. Either snapshot may be NULL. The values
 * borrow from the snapshots, which the caller keeps referenced while it uses them.
 */
void layout_bind_tile(const struct tile *tile, const struct snapshot *current,
		      const struct snapshot *previous, struct binding_values *out);

/* The current / previous value bound to option `key`, or NULL. */
const struct value *binding_current(const struct binding_values *b, const char *key);
const struct value *binding_previous(const struct binding_values *b, const char *key);

#endif
