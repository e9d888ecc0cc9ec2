#include "layout/bind.h"

#include "layout/nearest.h"
#include "model/path.h"

#include <math.h>
#include <string.h>

/* Whether binding `i` of `tile` counts for the tile's age: all but unchosen candidates. */
static bool counts(const struct tile *tile, size_t i, int chosen)
{
	const struct tile_nearest *n = tile->nearest;
	return !n || i < n->first || i >= n->first + n->count ||
	       (chosen >= 0 && i == n->first + (size_t)chosen);
}

void layout_bind_tile(const struct tile *tile, const struct source_data *sources,
		      struct binding_values *out)
{
	memset(out, 0, sizeof(*out));
	out->data_time = NAN;
	out->chosen = -1;
	out->chosen_km = NAN;
	for (size_t i = 0; i < tile->binding_count && out->count < BINDINGS_MAX; i++) {
		const struct tile_binding *b = &tile->bindings[i];
		const struct source_data *src = &sources[b->source];
		out->keys[out->count] = b->key;
		out->snapshots[out->count] = src->current;
		out->current[out->count] =
			src->current ? path_eval_first(b->compiled, src->current->root) : NULL;
		out->previous[out->count] =
			src->previous ? path_eval_first(b->compiled, src->previous->root) : NULL;
		out->history[out->count] = history_find(src->history, b->path);
		out->times[out->count] = src->data_time;
		out->max_ages[out->count] = src->max_age > 0 ? src->max_age : INFINITY;
		out->count++;
	}
	if (tile->nearest) {
		nearest_choose(tile, out);
	}
	for (size_t i = 0; i < out->count; i++) {
		const struct source_data *src = &sources[tile->bindings[i].source];
		/* The tile is as old as its oldest data; of cameras to choose from, only the one
		 * shown counts. */
		if (!counts(tile, i, out->chosen)) {
			continue;
		}
		if (!isnan(src->data_time) && !(out->data_time <= src->data_time)) {
			out->data_time = src->data_time;
		}
		out->stale |= src->stale;
	}
}

static int slot(const struct binding_values *b, const char *key)
{
	for (size_t i = 0; i < b->count; i++) {
		if (strcmp(b->keys[i], key) == 0) {
			return (int)i;
		}
	}
	return -1;
}

const struct value *binding_current(const struct binding_values *b, const char *key)
{
	int i = slot(b, key);
	return i < 0 ? NULL : b->current[i];
}

const struct value *binding_previous(const struct binding_values *b, const char *key)
{
	int i = slot(b, key);
	return i < 0 ? NULL : b->previous[i];
}

const struct history_series *binding_history(const struct binding_values *b, const char *key)
{
	int i = slot(b, key);
	return i < 0 ? NULL : b->history[i];
}

double binding_time(const struct binding_values *b, const char *key)
{
	int i = slot(b, key);
	return i < 0 ? NAN : b->times[i];
}

double binding_max_age(const struct binding_values *b, const char *key)
{
	int i = slot(b, key);
	return i < 0 ? INFINITY : b->max_ages[i];
}

const struct snapshot *binding_snapshot(const struct binding_values *b, const char *key)
{
	int i = slot(b, key);
	return i < 0 ? NULL : b->snapshots[i];
}

bool binding_held(const struct binding_values *b, const char *key)
{
	int i = slot(b, key);
	return i >= 0 && b->held[i];
}
