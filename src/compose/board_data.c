/*
 * The board's data: each source's current and previous documents and its history, each tile's
 * bound values, and the last good value a tile keeps when a newer document breaks a binding.
 */

#include "compose/board_internal.h"

#include "layout/bind.h"
#include "model/path.h"
#include "util/xmalloc.h"
#include "widgets/widget.h"

#include <math.h>
#include <stdlib.h>

void board_held_release(struct held_binding *h)
{
	snapshot_unref(h->snapshot);
	*h = (struct held_binding){.data_time = NAN};
}

/*
 * Per-value last good: when the newest document breaks a binding that held before (the path
 * is missing, or holds something the widget cannot show), the tile keeps showing what it last
 * showed, so one bad field never blanks a tile; it then shows that data's own age. The tile's
 * values are kept together, all from the same earlier moment (a gauge's numerator and
 * denominator must not come from different documents). A binding that was never satisfied
 * stays empty ("no data"). A kept value never feeds a comparison: its previous is dropped.
 */
static void hold_last_good(struct board *board, struct board_tile *bt,
			   struct binding_values *values, const struct source_data *data)
{
	bt->stale_at = INFINITY;
	bool whole = true;
	for (size_t i = 0; i < values->count; i++) {
		whole &= !bt->held[i].value ||
			 widget_binding_usable(bt->tile, values->keys[i], values->current[i]);
	}
	for (size_t i = 0; i < values->count; i++) {
		struct held_binding *h = &bt->held[i];
		size_t source = bt->tile->bindings[i].source;
		if (whole) {
			if (!widget_binding_usable(bt->tile, values->keys[i], values->current[i])) {
				continue; // never satisfied: shown as the widget sees it
			}
			if (h->snapshot != values->snapshots[i]) {
				snapshot_unref(h->snapshot);
				/* The board holds the source's reference; this one outlives it. */
				h->snapshot = snapshot_ref((struct snapshot *)values->snapshots[i]);
			}
			h->value = values->current[i];
			h->data_time = data[source].data_time;
			continue;
		}
		if (!h->value) {
			continue;
		}
		values->current[i] = h->value;
		values->previous[i] = NULL;
		values->history[i] = NULL;
		values->times[i] = h->data_time;
		values->snapshots[i] = h->snapshot;
		values->held[i] = true;
		if (!isnan(h->data_time) && !(values->data_time <= h->data_time)) {
			values->data_time = h->data_time;
		}
		double stale_at = h->data_time + board->sources[source].max_age;
		bt->stale_at = fmin(bt->stale_at, isnan(stale_at) ? INFINITY : stale_at);
	}
	values->stale |= board->advanced_to >= bt->stale_at;
}

static bool any_held(const struct binding_values *values)
{
	for (size_t i = 0; i < values->count; i++) {
		if (values->held[i]) {
			return true;
		}
	}
	return false;
}

/*
 * Binds every tile to the sources' current data. Cheap (path lookups), so it runs for all
 * tiles on any change; widgets report whether their picture actually changed.
 */
void board_rebind(struct board *board)
{
	struct source_data *data = xcalloc(board->source_count + 1, sizeof(*data));
	for (size_t i = 0; i < board->source_count; i++) {
		data[i] = (struct source_data){
			.current = board->sources[i].current,
			.previous = board->sources[i].previous,
			.data_time = board->sources[i].data_time,
			.max_age = board->sources[i].max_age,
			.stale = board->sources[i].stale,
			.history = board->sources[i].history,
		};
	}
	for (size_t i = 0; i < board->tile_count; i++) {
		struct board_tile *bt = &board->tiles[i];
		struct binding_values values;
		layout_bind_tile(bt->tile, data, &values);
		hold_last_good(board, bt, &values, data);
		bool holding = any_held(&values);
		bool changed = bt->impl->bind(bt->state, &values);
		bool badged = values.stale || holding, was_badged = bt->stale || bt->holding;
		bool stale_changed = values.stale != bt->stale || holding != bt->holding ||
				     (badged && was_badged && values.data_time != bt->data_time);
		bt->stale = values.stale;
		bt->holding = holding;
		bt->data_time = values.data_time;
		bt->dirty |= changed || stale_changed;
	}
	free(data);
}

/*
 * A new document's readings go into its source's history, stamped with the data's own time:
 * every number a tile binds from it, once per distinct data time.
 */
static void record_readings(struct board *board, size_t source, const struct snapshot *snapshot,
			    double data_time)
{
	struct history *history = board->sources[source].history;
	for (size_t i = 0; i < board->tile_count; i++) {
		const struct tile *tile = board->tiles[i].tile;
		for (size_t j = 0; j < tile->binding_count; j++) {
			const struct tile_binding *b = &tile->bindings[j];
			double number;
			if (b->source == source &&
			    value_number(path_eval_first(b->compiled, snapshot->root), &number)) {
				history_record(history, b->path, data_time, number);
			}
		}
	}
}

void board_set_snapshot(struct board *board, size_t source, struct snapshot *snapshot,
			double data_time)
{
	if (source >= board->source_count) {
		return;
	}
	struct board_source *src = &board->sources[source];
	src->data_time = data_time;
	if (snapshot && snapshot == src->current) {
		return;
	}
	snapshot_unref(src->previous);
	src->previous = src->current;
	src->current = snapshot_ref(snapshot);
	if (snapshot && src->history) {
		record_readings(board, source, snapshot, data_time);
	}
	board_rebind(board);
}

struct history *board_source_history(const struct board *board, size_t source)
{
	return source < board->source_count ? board->sources[source].history : NULL;
}

void board_adopt_history(struct board *board, size_t source, struct history *history)
{
	struct board_source *src = source < board->source_count ? &board->sources[source] : NULL;
	if (!src || !src->history) {
		history_destroy(history); // the source keeps none (any more)
		return;
	}
	if (!history) {
		return;
	}
	history_set_limit(history, board->layout->sources[source].history);
	history_destroy(src->history);
	src->history = history;
	board_rebind(board);
}

struct history *board_release_history(struct board *board, size_t source)
{
	struct board_source *src = source < board->source_count ? &board->sources[source] : NULL;
	if (!src || !src->history) {
		return NULL;
	}
	struct history *taken = src->history;
	src->history = history_create(board->layout->sources[source].history);
	board_rebind(board);
	return taken;
}

const struct snapshot *board_source_current(const struct board *board, size_t source)
{
	return source < board->source_count ? board->sources[source].current : NULL;
}

bool board_source_stale(const struct board *board, size_t source)
{
	return source < board->source_count && board->sources[source].stale;
}
