#include "compose/board.h"
#include "compose/board_internal.h"

#include "compose/grid_overlay.h"
#include "compose/overlay.h"
#include "layout/bind.h"
#include "layout/react.h"
#include "model/path.h"
#include "compose/detail.h"
#include "render/draw.h"
#include "render/format.h"
#include "util/xmalloc.h"
#include "widgets/widget.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool tile_visible(const struct board *board, const struct board_tile *bt)
{
	return bt->tile->page < 0 || (size_t)bt->tile->page == board->page;
}

/* ---- ageing: "N분 전" once data is older than show_age_after, before it is stale ---- */

bool board_age_shown(const struct board_tile *bt, double now)
{
	return !bt->stale && !bt->holding && !isnan(bt->data_time) && isfinite(bt->age_after) &&
	       now - bt->data_time >= bt->age_after;
}

/*
 * What the age badge says at `now`, as a number that changes exactly when its text does:
 * -1 when no badge shows, whole seconds under a minute, 60 + whole minutes after.
 */
static long age_badge_key(const struct board_tile *bt, double now)
{
	if (!board_age_shown(bt, now)) {
		return -1;
	}
	double age = now - bt->data_time;
	return age < 60 ? (long)floor(age) : 60 + (long)floor(age / 60);
}

/* When the age badge next appears or changes its text: once a minute, not once a frame. */
static double age_badge_deadline(const struct board_tile *bt, double now)
{
	if (bt->stale || bt->holding || isnan(bt->data_time) || !isfinite(bt->age_after)) {
		return INFINITY;
	}
	double age = now - bt->data_time;
	if (age < bt->age_after) {
		return bt->data_time + bt->age_after;
	}
	double step = age < 60 ? 1 : 60;
	return bt->data_time + (floor(age / step) + 1) * step;
}

/* The least show_age_after of the sources a tile binds (0 disables a source's badge). */
static double tile_age_after(const struct board *board, const struct tile *tile)
{
	double after = INFINITY;
	for (size_t i = 0; i < tile->binding_count; i++) {
		double a = board->sources[tile->bindings[i].source].show_age_after;
		after = a > 0 ? fmin(after, a) : after;
	}
	return after;
}

static void update_age_badges(struct board *board, double now)
{
	for (size_t i = 0; i < board->tile_count; i++) {
		struct board_tile *bt = &board->tiles[i];
		long key = age_badge_key(bt, now);
		bt->dirty |= key != bt->age_key;
		bt->age_key = key;
	}
}

/*
 * The wall clock went back (an NTP step, an operator's date command): every timed tile's
 * deadline lies in the future by the size of the step. Derived again from `now`, so a clock
 * shows its new digits at its next tick instead of freezing until the old deadline comes.
 */
static void clock_stepped_back(struct board *board, double now)
{
	for (size_t i = 0; i < board->tile_count; i++) {
		struct board_tile *bt = &board->tiles[i];
		if (isfinite(bt->deadline)) {
			bt->deadline = bt->impl->next_deadline ? bt->impl->next_deadline(bt->state, now)
							       : INFINITY;
			bt->dirty = true;
		}
	}
}

static void held_release(struct held_binding *h)
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
static void rebind(struct board *board)
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

/* ---- the device transform: virtual units → canvas pixels → the frame's pixels ---- */

void board_to_device_apply(const struct board_to_device *t, cairo_t *cr)
{
	cairo_translate(cr, t->x, t->y);
	cairo_scale(cr, t->scale, t->scale);
}

struct irect board_frame(const struct board *board)
{
	return (struct irect){0, 0, board->width, board->height};
}

static int canvas_width(const struct board *board)
{
	return board->canvas_w ? board->canvas_w : board->width;
}

static int canvas_height(const struct board *board)
{
	return board->canvas_w ? board->canvas_h : board->height;
}

/* The whole pixels that user rectangle (x0, y0)-(x1, y1) under `t` touches, `grow` more. */
struct irect board_cover_all(const struct board_to_device *t, double x0, double y0, double x1,
			      double y1, int grow)
{
	double dx0 = floor(t->x + x0 * t->scale) - grow;
	double dy0 = floor(t->y + y0 * t->scale) - grow;
	double dx1 = ceil(t->x + x1 * t->scale) + grow;
	double dy1 = ceil(t->y + y1 * t->scale) + grow;
	return (struct irect){(int)dx0, (int)dy0, (int)(dx1 - dx0), (int)(dy1 - dy0)};
}

/* board_cover_all() inside the frame. */
static struct irect cover(const struct board *board, const struct board_to_device *t, double x0,
			  double y0, double x1, double y1, int grow)
{
	return irect_intersect(board_cover_all(t, x0, y0, x1, y1, grow), board_frame(board));
}

/*
 * The strip's place, in canvas pixels: the layout fitted to the canvas (as update_transform()
 * fits it) and the layout's band at its bottom.
 */
static struct overlay_place strip_place(const struct board *board)
{
	const struct layout *l = board->layout;
	int cw = canvas_width(board), ch = canvas_height(board);
	double scale = board->canvas_scale;
	double x = floor((cw - l->width * scale) / 2), y = floor((ch - l->height * scale) / 2);
	return (struct overlay_place){
		.width = cw, .height = ch, .scale = scale,
		.canvas = {(int)x, (int)y, (int)lround(l->width * scale), (int)lround(l->height * scale)},
		.band = l->status_band,
	};
}

/* The operator strip's pixels in the frame for `lines` messages: the canvas's bottom edge. */
static struct irect strip_rect(const struct board *board, size_t lines)
{
	struct overlay_place place = strip_place(board);
	struct irect r = overlay_rect(&place, lines);
	if (irect_empty(r)) {
		return r;
	}
	return cover(board, &board->canvas_device, r.x, r.y, r.x + r.w, r.y + r.h, 0);
}

/*
 * The layout is fitted to the canvas (centred, whole-pixel offsets keep tile edges on the same
 * pixel grid at every size), and the frame shows the canvas's part, scaled to the frame. With
 * no canvas the frame is all of it: a part at whole-pixel offsets differs from the whole only
 * by a translation, so stitched parts are the whole picture pixel for pixel.
 */
static void update_transform(struct board *board)
{
	const struct layout *l = board->layout;
	int cw = canvas_width(board), ch = canvas_height(board);
	struct irect part = board->canvas_w ? board->part : board_frame(board);
	double zoom = part.w > 0 && part.h > 0 ? fmin((double)board->width / part.w,
						       (double)board->height / part.h)
					       : 1;
	double scale = fmin(cw / l->width, ch / l->height);
	double x = floor((cw - l->width * scale) / 2), y = floor((ch - l->height * scale) / 2);
	board->canvas_scale = scale;
	board->canvas_device = (struct board_to_device){zoom, -part.x * zoom, -part.y * zoom};
	board->to_device = (struct board_to_device){scale * zoom, (x - part.x) * zoom,
						    (y - part.y) * zoom};
	board->full_redraw = true;
}

struct board *board_create(const struct layout *layout, struct text_engine *text)
{
	struct board *board = xcalloc(1, sizeof(*board));
	board->layout = layout;
	board->text = text;
	budget_init(&board->budget, text);
	board->tile_count = layout->tile_count;
	board->tiles = xcalloc(layout->tile_count, sizeof(*board->tiles));
	board->damage = xcalloc(2 * layout->tile_count + 4, sizeof(*board->damage));
	board->to_draw = xcalloc(layout->tile_count + 1, sizeof(*board->to_draw));
	board->grey_theme = draw_grey_theme(&layout->theme, STALE_DIM);
	for (size_t i = 0; i < layout->tile_count; i++) {
		struct board_tile *bt = &board->tiles[i];
		bt->tile = &layout->tiles[i];
		/* The layout was validated against the same registry, so the widget exists. */
		bt->impl = widget_find(bt->tile->widget->name);
		bt->state = bt->impl->create(bt->tile);
		bt->deadline = INFINITY;
		bt->stale_at = INFINITY;
		bt->age_key = -1;
		for (size_t j = 0; j < BINDINGS_MAX; j++) {
			bt->held[j].data_time = NAN;
		}
	}
	board->advanced_to = NAN;
	board->focus = -1;
	board->chosen_page = -1;
	board->theme = &layout->theme;
	board->source_count = layout->source_count;
	board->sources = xcalloc(layout->source_count ? layout->source_count : 1,
				 sizeof(*board->sources));
	for (size_t i = 0; i < layout->source_count; i++) {
		board->sources[i].data_time = NAN;
		board->sources[i].max_age = layout->sources[i].max_age;
		board->sources[i].show_age_after = layout->sources[i].show_age_after;
		if (source_keeps_history(&layout->sources[i])) {
			board->sources[i].history = history_create(layout->sources[i].history);
		}
	}
	for (size_t i = 0; i < layout->tile_count; i++) {
		board->tiles[i].age_after = tile_age_after(board, board->tiles[i].tile);
	}
	board->full_redraw = true;
	rebind(board);
	return board;
}

static void free_messages(struct board *board)
{
	for (size_t i = 0; i < board->message_count; i++) {
		free(board->messages[i]);
	}
	free(board->messages);
	board->messages = NULL;
	board->message_count = 0;
}

void board_destroy(struct board *board)
{
	if (!board) {
		return;
	}
	for (size_t i = 0; i < board->tile_count; i++) {
		board->tiles[i].impl->destroy(board->tiles[i].state);
		for (size_t j = 0; j < BINDINGS_MAX; j++) {
			held_release(&board->tiles[i].held[j]);
		}
	}
	free(board->tiles);
	free(board->damage);
	free(board->to_draw);
	free_messages(board);
	for (size_t i = 0; i < board->source_count; i++) {
		snapshot_unref(board->sources[i].current);
		snapshot_unref(board->sources[i].previous);
		history_destroy(board->sources[i].history);
	}
	free(board->sources);
	free(board);
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
	rebind(board);
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
	rebind(board);
}

struct history *board_release_history(struct board *board, size_t source)
{
	struct board_source *src = source < board->source_count ? &board->sources[source] : NULL;
	if (!src || !src->history) {
		return NULL;
	}
	struct history *taken = src->history;
	src->history = history_create(board->layout->sources[source].history);
	rebind(board);
	return taken;
}

const struct snapshot *board_source_current(const struct board *board, size_t source)
{
	return source < board->source_count ? board->sources[source].current : NULL;
}

const struct budget *board_budget(const struct board *board)
{
	return &board->budget;
}

bool board_source_stale(const struct board *board, size_t source)
{
	return source < board->source_count && board->sources[source].stale;
}

void board_set_viewport(struct board *board, int width, int height)
{
	if (width == board->width && height == board->height) {
		return;
	}
	board->width = width;
	board->height = height;
	budget_fit(&board->budget, width, height);
	update_transform(board);
}

void board_set_canvas(struct board *board, int width, int height, struct irect part)
{
	board->canvas_w = width > 0 && !irect_empty(part) ? width : 0;
	board->canvas_h = height;
	board->part = part;
	update_transform(board);
}

struct board_to_device board_device_transform(const struct board *board)
{
	return board->to_device;
}

void board_set_messages(struct board *board, const char *const *messages, size_t count)
{
	bool same = count == board->message_count;
	for (size_t i = 0; same && i < count; i++) {
		same = strcmp(messages[i], board->messages[i]) == 0;
	}
	if (same) {
		return;
	}
	/*
	 * Only what the strip covered before or covers now is repainted: at 7680x2160 a full
	 * redraw costs more than a frame, and feed trouble must not make the wall stutter.
	 */
	struct irect before = strip_rect(board, board->message_count);
	struct irect after = strip_rect(board, count);
	board->overlay_changed = irect_union(board->overlay_changed, irect_union(before, after));
	free_messages(board);
	board->messages = xcalloc(count ? count : 1, sizeof(*board->messages));
	for (size_t i = 0; i < count; i++) {
		board->messages[i] = xstrdup(messages[i]);
	}
	board->message_count = count;
}

void board_set_grid_overlay(struct board *board, bool on)
{
	if (board->grid_overlay != on) {
		board->grid_overlay = on;
		board->full_redraw = true;
	}
}

/* Saves `cr` and clips it to the damaged rectangles: what this frame repaints. */
static void clip_to_damage(cairo_t *cr, const struct irect *damage, size_t count)
{
	cairo_save(cr);
	for (size_t i = 0; i < count; i++) {
		cairo_rectangle(cr, damage[i].x, damage[i].y, damage[i].w, damage[i].h);
	}
	cairo_clip(cr);
}

/* The overlay over what was just redrawn only: elsewhere it is already on screen. */
static void draw_grid_overlay(struct board *board, cairo_t *cr, const struct irect *damage,
			      size_t count)
{
	clip_to_damage(cr, damage, count);
	board_to_device_apply(&board->to_device, cr);
	grid_overlay_draw(cr, board->layout, board->page, board->text);
	cairo_restore(cr);
}

size_t board_page(const struct board *board)
{
	return board->page;
}

/* The emergency source's snapshot decides; looked at again only when it or the say changed. */
static void update_emergency(struct board *board)
{
	const struct layout_emergency *e = &board->layout->emergency;
	const struct snapshot *snap = e->declared ? board->sources[e->source].current : NULL;
	emergency_update(&board->emergency, board->layout, snap, board->control);
}

void board_set_emergency_control(struct board *board, struct emergency_control *control)
{
	board->control = control;
	update_emergency(board);
}

const struct emergency_state *board_emergency(struct board *board)
{
	update_emergency(board);
	return &board->emergency;
}

const struct theme *board_theme(const struct board *board)
{
	return board->theme;
}

/*
 * A page turn is a cut: the next page is drawn whole into the frame before anything is shown,
 * so no half-drawn frame appears. Only what changes is drawn (see board_turn_page()): the tiles on
 * every page, a title or the clock, stay as they are.
 */
static void page_turned(struct board *board, size_t page)
{
	if (!board->turned) {
		board->turned = true;
		board->turned_from = board->page; // what the frame shows until the next draw
	}
	board->page = page;
	for (size_t i = 0; i < board->tile_count; i++) {
		board->tiles[i].dirty |= board->tiles[i].impl->page_bound; // the mode bar
	}
	if (board->grid_overlay) {
		board->full_redraw = true; // the grid overlay names the page's tiles everywhere
	}
}

void board_advance(struct board *board, double now)
{
	double next_turn;
	struct react_schedule schedule;
	update_emergency(board);
	size_t page = board_page_now(board, now, &next_turn, &schedule);
	if (board->emergency.active) {
		board_close_detail(board); // emergency mode closes a panel
	}
	if (page != board->page) {
		page_turned(board, page);
	}
	if (schedule.theme != board->theme) {
		board->theme = schedule.theme;
		board->grey_theme = draw_grey_theme(board->theme, STALE_DIM);
		board->full_redraw = true;
	}
	if (now < board->advanced_to) {
		clock_stepped_back(board, now);
	}
	bool flipped = false;
	for (size_t i = 0; i < board->source_count; i++) {
		struct board_source *src = &board->sources[i];
		bool stale = !isnan(src->data_time) && now - src->data_time >= src->max_age;
		flipped |= stale != src->stale;
		src->stale = stale;
	}
	for (size_t i = 0; i < board->tile_count; i++) {
		/* A kept last good value ages like a source does: rebind when it crosses its
		 * max_age (comparing with the tile's whole stale state would rebind on every
		 * advance while another bound source is stale). */
		const struct board_tile *bt = &board->tiles[i];
		flipped |= bt->holding && (now >= bt->stale_at) != (board->advanced_to >= bt->stale_at);
	}
	board->advanced_to = now;
	if (flipped) {
		rebind(board);
	}
	for (size_t i = 0; i < board->tile_count; i++) {
		if (board->tiles[i].deadline <= now) {
			board->tiles[i].dirty = true;
		}
	}
	update_age_badges(board, now);
}

double board_next_deadline(const struct board *board)
{
	double next = INFINITY;
	struct react_schedule schedule;
	board_page_now(board, board->now, &next, &schedule);
	for (size_t i = 0; i < board->source_count; i++) {
		const struct board_source *src = &board->sources[i];
		if (!src->stale && !isnan(src->data_time)) {
			next = fmin(next, src->data_time + src->max_age);
		}
	}
	for (size_t i = 0; i < board->tile_count; i++) {
		const struct board_tile *bt = &board->tiles[i];
		if (tile_visible(board, bt)) {
			next = fmin(next, bt->deadline);
		}
		if (bt->holding && !bt->stale) {
			next = fmin(next, bt->stale_at);
		}
		if (tile_visible(board, bt) && !isnan(board->advanced_to)) {
			next = fmin(next, age_badge_deadline(bt, board->advanced_to));
		}
	}
	return next;
}

bool board_is_dirty(const struct board *board)
{
	if (board->full_redraw || !irect_empty(board->overlay_changed)) {
		return true;
	}
	for (size_t i = 0; i < board->tile_count; i++) {
		if (board->tiles[i].dirty) {
			return true;
		}
	}
	return false;
}

void board_invalidate_all(struct board *board)
{
	board->full_redraw = true;
}

void board_invalidate_tile(struct board *board, size_t index)
{
	if (index < board->tile_count) {
		board->tiles[index].dirty = true;
	}
}

size_t board_tile_count(const struct board *board)
{
	return board->tile_count;
}

bool board_tile_holding(const struct board *board, size_t index)
{
	return index < board->tile_count && board->tiles[index].holding;
}

double board_tile_data_time(const struct board *board, size_t index)
{
	return index < board->tile_count ? board->tiles[index].data_time : NAN;
}

bool board_tile_stale(const struct board *board, size_t index)
{
	return index < board->tile_count && board->tiles[index].stale;
}

bool board_tile_visible(const struct board *board, size_t index)
{
	return index < board->tile_count && tile_visible(board, &board->tiles[index]);
}

bool board_tile_describe(const struct board *board, size_t index, double now, char *buf,
			 size_t size)
{
	buf[0] = '\0';
	const struct board_tile *bt = index < board->tile_count ? &board->tiles[index] : NULL;
	return bt && bt->impl->describe && bt->impl->describe(bt->state, now, buf, size);
}

long board_find_tile(const struct board *board, const char *id)
{
	for (size_t i = 0; i < board->tile_count; i++) {
		if (strcmp(board->tiles[i].tile->id, id) == 0) {
			return (long)i;
		}
	}
	return -1;
}

struct irect board_tile_rect(const struct board *board, size_t index)
{
	const struct rect *r = &board->tiles[index].tile->rect;
	return cover(board, &board->to_device, r->x, r->y, r->x + r->w, r->y + r->h, 0);
}

void board_paint_background(cairo_t *cr, const struct board *board, struct irect area)
{
	cairo_rectangle(cr, area.x, area.y, area.w, area.h);
	draw_set_color(cr, board->theme->background);
	cairo_fill(cr);
}

/*
 * A full redraw's background where no tile on screen lies: each tile paints its own under it
 * (draw_tile), and painting the whole screen first as well was a fifth of a full redraw at
 * 7680x2160. Only for an opaque background, which painting twice would not change.
 */
static void paint_uncovered_background(struct board *board, cairo_t *cr, struct irect screen)
{
	if (board->theme->background.a < 1) {
		board_paint_background(cr, board, screen);
		return;
	}
	cairo_region_t *rest = cairo_region_create_rectangle(
		&(cairo_rectangle_int_t){screen.x, screen.y, screen.w, screen.h});
	for (size_t i = 0; i < board->tile_count; i++) {
		if (tile_visible(board, &board->tiles[i])) {
			struct irect t = board_tile_rect(board, i);
			cairo_region_subtract_rectangle(rest,
							&(cairo_rectangle_int_t){t.x, t.y, t.w, t.h});
		}
	}
	for (int i = 0; i < cairo_region_num_rectangles(rest); i++) {
		cairo_rectangle_int_t r;
		cairo_region_get_rectangle(rest, i, &r);
		cairo_rectangle(cr, r.x, r.y, r.width, r.height);
	}
	draw_set_color(cr, board->theme->background);
	cairo_fill(cr);
	cairo_region_destroy(rest);
}

void board_set_render_pool(struct board *board, struct render_pool *pool)
{
	board->pool = pool;
}

/* Adds `area` to the frame's damage unless an area already in it holds it (a turn's). */
static size_t push_damage(struct board *board, size_t n, struct irect area)
{
	for (size_t i = 0; i < n; i++) {
		if (board_contains(board->damage[i], area)) {
			return n;
		}
	}
	board->damage[n] = area;
	return n + 1;
}

/*
 * The operator's strip over what was just repainted only: it is translucent, so drawn again
 * over pixels that already hold it, it would darken them frame after frame.
 */
static void draw_overlay(struct board *board, cairo_t *cr, const struct irect *damage,
			 size_t count)
{
	clip_to_damage(cr, damage, count);
	/* Placed on the canvas, not the frame: one strip along the wall's bottom edge. */
	board_to_device_apply(&board->canvas_device, cr);
	struct overlay_place place = strip_place(board);
	overlay_draw(cr, board->text, board->theme, &place, (const char *const *)board->messages,
		     board->message_count);
	cairo_restore(cr);
}

/* ---- interaction: hit testing, the detail panel, the focus ring ---- */

/* The picture's physical width from the layout's "screen" (touch targets of 9 mm); 0: unknown. */
static double screen_width_mm(const struct layout *layout)
{
	return layout->screen.declared ? layout->screen.width_mm : 0;
}

static struct irect virtual_to_device(const struct board *board, const struct rect *r)
{
	return cover(board, &board->to_device, r->x, r->y, r->x + r->w, r->y + r->h, 0);
}

static bool in_rect(const struct rect *r, double x, double y)
{
	return x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h;
}

bool board_hit(const struct board *board, double device_x, double device_y,
	       struct board_hit *hit)
{
	*hit = (struct board_hit){.tile = -1, .part = {.kind = WIDGET_PART_NONE, .index = -1}};
	const struct board_to_device *t = &board->to_device;
	if (t->scale <= 0) {
		return false;
	}
	/* The same transform the tiles are drawn with, inverted. */
	double x = (device_x - t->x) / t->scale;
	double y = (device_y - t->y) / t->scale;
	if (board->detail_open) {
		struct rect panel = detail_panel_rect(board->layout);
		struct rect close = detail_close_rect(board->layout, screen_width_mm(board->layout));
		hit->panel = in_rect(&panel, x, y);
		hit->close = in_rect(&close, x, y);
		if (hit->panel) {
			return true;
		}
	}
	/* Last first: a group comes before the tiles inside it. */
	for (size_t i = board->tile_count; i-- > 0;) {
		const struct board_tile *bt = &board->tiles[i];
		if (!tile_visible(board, bt) || !in_rect(&bt->tile->rect, x, y)) {
			continue;
		}
		hit->tile = (long)i;
		if (bt->impl->hit) {
			bt->impl->hit(bt->state, &bt->tile->rect, x, y, &hit->part);
		}
		return true;
	}
	return false;
}

size_t board_tile_part_lines(const struct board *board, size_t index,
			     const struct widget_part *part, char (*lines)[160], size_t max)
{
	const struct board_tile *bt = index < board->tile_count ? &board->tiles[index] : NULL;
	return bt && bt->impl->part_lines ? bt->impl->part_lines(bt->state, part, lines, max) : 0;
}

const void *board_tile_widget(const struct board *board, size_t index)
{
	return index < board->tile_count ? board->tiles[index].state : NULL;
}

static void detail_changed(struct board *board)
{
	struct rect panel = detail_panel_rect(board->layout);
	struct irect area = virtual_to_device(board, &panel);
	board->overlay_changed = irect_empty(board->overlay_changed)
					 ? area
					 : irect_union(board->overlay_changed, area);
}

bool board_open_detail(struct board *board, size_t index, const struct widget_part *part)
{
	/* Nothing covers the emergency page. */
	update_emergency(board);
	if (index >= board->tile_count || board->emergency.active) {
		return false;
	}
	board->detail_open = true;
	board->detail_tile = index;
	board->detail_part = *part;
	detail_changed(board);
	return true;
}

void board_close_detail(struct board *board)
{
	if (board->detail_open) {
		board->detail_open = false;
		detail_changed(board);
	}
}

bool board_detail_open(const struct board *board, size_t *index, struct widget_part *part)
{
	if (board->detail_open && index) {
		*index = board->detail_tile;
	}
	if (board->detail_open && part) {
		*part = board->detail_part;
	}
	return board->detail_open;
}

void board_set_focus(struct board *board, long index)
{
	if (index == board->focus || index >= (long)board->tile_count) {
		return;
	}
	if (board->focus >= 0) {
		board->tiles[board->focus].dirty = true;
	}
	board->focus = index;
	if (index >= 0) {
		board->tiles[index].dirty = true;
	}
}

long board_focus(const struct board *board)
{
	return board->focus;
}

/* The ring inside the focused tile, drawn when the tile was (it is drawn over the tile). */
static void draw_focus(struct board *board, cairo_t *cr, size_t drawn)
{
	if (board->focus < 0 || !tile_visible(board, &board->tiles[board->focus])) {
		return;
	}
	bool redrawn = board->full_redraw;
	for (size_t i = 0; i < drawn && !redrawn; i++) {
		redrawn = board->to_draw[i] == (size_t)board->focus;
	}
	if (!redrawn) {
		return;
	}
	struct irect r = board_tile_rect(board, (size_t)board->focus);
	double w = fmax(3, 5 * board->to_device.scale);
	cairo_save(cr);
	draw_set_color(cr, board->theme->accent);
	cairo_set_line_width(cr, w);
	cairo_rectangle(cr, r.x + w / 2, r.y + w / 2, r.w - w, r.h - w);
	cairo_stroke(cr);
	cairo_restore(cr);
}

/*
 * The panel over whatever was repainted under it this frame. It is opaque and drawn whole on
 * a pixel-aligned rectangle, so drawing it again over itself gives the same pixels.
 */
static size_t draw_detail(struct board *board, cairo_t *cr, size_t n, double now)
{
	if (!board->detail_open) {
		return n;
	}
	struct rect panel = detail_panel_rect(board->layout);
	struct irect area = virtual_to_device(board, &panel);
	bool touched = false;
	for (size_t i = 0; i < n && !touched; i++) {
		touched = !irect_empty(irect_intersect(board->damage[i], area));
	}
	if (!touched) {
		return n;
	}
	struct detail_content content;
	detail_fill(board, board->layout, board->detail_tile, &board->detail_part, now, &content);
	cairo_save(cr);
	cairo_rectangle(cr, area.x, area.y, area.w, area.h);
	draw_set_color(cr, board->theme->tile);
	cairo_fill(cr);
	board_to_device_apply(&board->to_device, cr);
	detail_draw(cr, board->text, board->theme, board->layout,
		    screen_width_mm(board->layout), &content, now);
	cairo_restore(cr);
	return push_damage(board, n, area);
}

const struct irect *board_draw(struct board *board, cairo_surface_t *target, double now,
			       size_t *count)
{
	board->now = now;
	cairo_t *cr = cairo_create(target);
	struct irect screen = board_frame(board);
	struct irect overlay = strip_rect(board, board->message_count);
	size_t n = 0;
	if (board->full_redraw) {
		paint_uncovered_background(board, cr, screen);
		board->damage[n++] = screen;
	} else if (!irect_empty(board->overlay_changed)) {
		struct irect area = irect_intersect(board->overlay_changed, screen);
		board_paint_background(cr, board, area);
		board->damage[n++] = area;
		for (size_t i = 0; i < board->tile_count; i++) {
			if (!irect_empty(irect_intersect(board_tile_rect(board, i), area))) {
				board->tiles[i].dirty = true;
			}
		}
	}
	bool overlay_touched = board->full_redraw || !irect_empty(board->overlay_changed);
	size_t erased = n;
	if (board->turned && !board->full_redraw) {
		n = board_turn_page(board, cr, n);
	}
	for (size_t i = erased; i < n; i++) {
		overlay_touched |= !irect_empty(irect_intersect(board->damage[i], overlay));
	}
	struct irect painted = n ? board->damage[0] : (struct irect){0, 0, 0, 0};
	board->overlay_changed = (struct irect){0, 0, 0, 0};
	size_t drawn = 0;
	for (size_t i = 0; i < board->tile_count; i++) {
		if (!tile_visible(board, &board->tiles[i]) ||
		    (!board->full_redraw && !board->tiles[i].dirty)) {
			continue;
		}
		struct irect area = board_tile_rect(board, i);
		if (irect_empty(area)) {
			/* Outside this part of the canvas: nothing to draw, nothing to wake for. */
			board->tiles[i].dirty = false;
			board->tiles[i].deadline = INFINITY;
			continue;
		}
		/* An animation is only tried where no tile drawn before it in this order paints, so
		 * animating first and drawing the rest afterwards paints what one pass would. */
		if (!board->full_redraw && board_animate_tile(board, cr, i, now, painted, &area)) {
			if (!irect_empty(area)) {
				board->damage[n++] = area;
			}
			overlay_touched |= !irect_empty(irect_intersect(area, overlay));
			continue;
		}
		board->to_draw[drawn++] = i;
		painted = irect_union(painted, area);
		if (!board->full_redraw) {
			n = push_damage(board, n, area);
		}
		overlay_touched |= !irect_empty(irect_intersect(area, overlay));
	}
	board_draw_tiles(board, cr, target, board->to_draw, drawn, now);
	if (board->full_redraw || board->turned) {
		board_draw_page_dots(board, cr);
	}
	if (board->grid_overlay && n > 0) {
		draw_grid_overlay(board, cr, board->damage, n);
	}
	draw_focus(board, cr, drawn);
	n = draw_detail(board, cr, n, now);
	if (overlay_touched && board->message_count) {
		draw_overlay(board, cr, board->damage, n);
	}
	board->full_redraw = false;
	board->turned = false;
	cairo_destroy(cr);
	cairo_surface_flush(target);
	*count = n;
	return board->damage;
}
