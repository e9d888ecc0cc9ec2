#include "compose/board.h"

#include "layout/bind.h"
#include "layout/react.h"
#include "model/path.h"
#include "render/draw.h"
#include "render/format.h"
#include "compose/grid_overlay.h"
#include "compose/overlay.h"
#include "compose/parallel.h"
#include "util/xmalloc.h"
#include "widgets/widget.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Stale tiles are grey of their luminosity, dimmed by a third. */
#define STALE_DIM 0.65

/*
 * A binding's last good value: what the tile keeps showing when a newer document breaks the
 * binding (the path is missing, or holds something the widget cannot show).
 */
struct held_binding {
	struct snapshot *snapshot; // owned reference: the document the value lives in; NULL: none
	const struct value *value; // borrowed from snapshot
	double data_time;          // when that document's data was produced; NAN: unknown
};

struct board_tile {
	const struct tile *tile;         // borrowed from the layout
	const struct widget_impl *impl;  // borrowed (static)
	void *state;                     // owned through impl->destroy
	bool dirty;
	double deadline;                 // next self-initiated change; INFINITY if none
	bool stale;                      // drawn with the stale treatment
	bool holding;                    // shows a kept last good value: drawn with its age
	double data_time;                // for the "as of" label
	double stale_at;                 // when a kept value turns stale; INFINITY: none kept
	double age_after;                // age that shows "N분 전" (its sources' least); INF: never
	long age_key;                    // the age badge shown: -1 none, else age_badge_key()
	struct held_binding held[BINDINGS_MAX]; // one per binding, same order
	bool decorated;                  // its last draw put a badge over the widget
	bool drawn_stale;                // its last draw had the stale look
	char drawn_badge[64];            // the badge its last draw put there; "": none
	bool shown;                      // the frame holds what its last draw left (not erased)
};

struct board_source {
	struct snapshot *current;  // owned reference
	struct snapshot *previous; // owned reference
	struct history *history;   // owned; NULL: the source keeps none
	double data_time;          // NAN: unknown
	double max_age;
	double show_age_after;     // 0: never
	bool stale;
};

struct board {
	const struct layout *layout;   // borrowed
	struct text_engine *text;      // borrowed
	struct board_tile *tiles;      // owned, one per layout tile
	size_t tile_count;
	struct board_source *sources;  // owned, one per layout source
	size_t source_count;
	int width, height;             // device pixels of the frame
	struct board_to_device to_device;     // virtual units → frame pixels
	struct board_to_device canvas_device; // canvas pixels → frame pixels
	int canvas_w, canvas_h;        // the whole canvas; 0: the frame is the whole canvas
	struct irect part;             // the canvas's part the frame shows (with canvas_w)
	double canvas_scale;           // virtual units → canvas pixels (the overlay's size)
	bool full_redraw;
	char **messages;               // owned
	size_t message_count;
	struct irect *damage;          // owned: 2 * tile_count + 3 entries (a page turn erases)
	size_t *to_draw;               // owned: tile_count entries, the tiles a frame draws whole
	struct render_pool *pool;      // borrowed; NULL: every tile drawn on the caller
	struct theme grey_theme;       // `theme`, greyed; its strings borrowed from it
	double now;                    // time of the frame being drawn
	double advanced_to;            // time of the last board_advance; NAN: none yet
	struct irect overlay_changed;  // device area the overlay covered or will cover; redrawn
	size_t page;                   // the page on screen
	bool turned;                   // the page turned since the last draw
	size_t turned_from;            // the page the frame shows when turned
	bool grid_overlay;             // --grid
	struct budget budget;          // the caches' bytes, fitted to the viewport
	const struct theme *theme;     // borrowed: the layout's, or the one a schedule shows now
	struct emergency_state emergency;    // the emergency page's alert (layout/react.h)
	struct emergency_control *control;   // borrowed: the operators' say; NULL: the alerts'
};

/*
 * Pages turn with the wall clock, not with a timer of our own: every screen showing the same
 * layout shows the same page at the same moment.
 */
static size_t page_at(const struct layout *layout, double now, double *next_turn)
{
	*next_turn = INFINITY;
	double cycle = 0;
	for (size_t i = 0; i < layout->page_count; i++) {
		cycle += layout->pages[i].rotates ? layout->pages[i].duration : 0;
	}
	if (layout->page_count < 2 || cycle <= 0) {
		return 0;
	}
	double pos = fmod(now, cycle), start = 0;
	if (pos < 0) {
		pos += cycle;
	}
	for (size_t i = 0; i < layout->page_count; i++) {
		if (!layout->pages[i].rotates) {
			continue;
		}
		double end = start + layout->pages[i].duration;
		if (pos < end) {
			*next_turn = now + (end - pos);
			return i;
		}
		start = end;
	}
	return 0;
}

/*
 * The page now: the emergency page while an alert (or an operator) asks for it, else the page
 * a schedule shows, else the rotation's. All three are functions of the snapshot and the wall
 * clock, so every screen of the layout agrees.
 */
static size_t page_now(const struct board *board, double now, double *next_turn,
		       struct react_schedule *schedule)
{
	*schedule = react_schedule_at(board->layout, now);
	size_t page = page_at(board->layout, now, next_turn);
	if (schedule->page >= 0) {
		page = (size_t)schedule->page;
		*next_turn = INFINITY;
	}
	if (board->emergency.active) {
		page = board->layout->emergency.page;
		*next_turn = INFINITY;
	}
	*next_turn = fmin(*next_turn, schedule->next_change);
	return page;
}

static bool tile_visible(const struct board *board, const struct board_tile *bt)
{
	return bt->tile->page < 0 || (size_t)bt->tile->page == board->page;
}

/* ---- ageing: "N분 전" once data is older than show_age_after, before it is stale ---- */

static bool age_shown(const struct board_tile *bt, double now)
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
	if (!age_shown(bt, now)) {
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

static bool contains(struct irect outer, struct irect r)
{
	return r.x >= outer.x && r.y >= outer.y && r.x + r.w <= outer.x + outer.w &&
	       r.y + r.h <= outer.y + outer.h;
}

static struct irect frame(const struct board *board)
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
static struct irect cover_all(const struct board_to_device *t, double x0, double y0, double x1,
			      double y1, int grow)
{
	double dx0 = floor(t->x + x0 * t->scale) - grow;
	double dy0 = floor(t->y + y0 * t->scale) - grow;
	double dx1 = ceil(t->x + x1 * t->scale) + grow;
	double dy1 = ceil(t->y + y1 * t->scale) + grow;
	return (struct irect){(int)dx0, (int)dy0, (int)(dx1 - dx0), (int)(dy1 - dy0)};
}

/* cover_all() inside the frame. */
static struct irect cover(const struct board *board, const struct board_to_device *t, double x0,
			  double y0, double x1, double y1, int grow)
{
	return irect_intersect(cover_all(t, x0, y0, x1, y1, grow), frame(board));
}

/* The operator strip's pixels in the frame for `lines` messages: the canvas's bottom edge. */
static struct irect strip_rect(const struct board *board, size_t lines)
{
	struct irect r = overlay_rect(canvas_width(board), canvas_height(board),
				      board->canvas_scale, lines);
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
	struct irect part = board->canvas_w ? board->part : frame(board);
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
	board->damage = xcalloc(2 * layout->tile_count + 3, sizeof(*board->damage));
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

/* The overlay over what was just redrawn only: elsewhere it is already on screen. */
static void draw_grid_overlay(struct board *board, cairo_t *cr, const struct irect *damage,
			      size_t count)
{
	cairo_save(cr);
	for (size_t i = 0; i < count; i++) {
		cairo_rectangle(cr, damage[i].x, damage[i].y, damage[i].w, damage[i].h);
	}
	cairo_clip(cr);
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
 * so no half-drawn frame appears. Only what changes is drawn (see turn_page()): the tiles on
 * every page, a title or the clock, stay as they are.
 */
static void page_turned(struct board *board, size_t page)
{
	if (!board->turned) {
		board->turned = true;
		board->turned_from = board->page; // what the frame shows until the next draw
	}
	board->page = page;
	if (board->grid_overlay) {
		board->full_redraw = true; // the grid overlay names the page's tiles everywhere
	}
}

void board_advance(struct board *board, double now)
{
	double next_turn;
	struct react_schedule schedule;
	update_emergency(board);
	size_t page = page_now(board, now, &next_turn, &schedule);
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
	page_now(board, board->now, &next, &schedule);
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

static void paint_background(cairo_t *cr, const struct board *board, struct irect area)
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
		paint_background(cr, board, screen);
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

/* A small label in a tile's bottom right corner: "14:02 기준", "3분 전". */
static void draw_corner_badge(struct board *board, cairo_t *cr, const struct board_tile *bt,
			      const char *label)
{
	const struct rect *r = &bt->tile->rect;
	const struct theme *theme = board->theme;
	double size = clampd(fmin(r->h * 0.1, r->w * 0.07), 10, 28);
	struct text_style style = draw_text_style(theme->font, true, size, theme->text,
						  TEXT_ALIGN_RIGHT);
	double width = text_measure(board->text, cr, &style, label).width;
	double pad = size * 0.4;
	struct rect badge = {r->x + r->w - width - 3 * pad, r->y + r->h - size * 1.6 - pad,
			     width + 2 * pad, size * 1.6};
	draw_rounded_rect(cr, &badge, size * 0.3);
	draw_set_color(cr, theme->states[STATE_NODATA].fill);
	cairo_fill(cr);
	text_draw(board->text, cr, &style, badge.x + badge.w - pad,
		  badge.y + badge.h / 2 + size * 0.36, 0, label);
}

/* The words of the badge draw_tile() puts over a tile at `now`; "" when none. */
static void badge_label(const struct board *board, const struct board_tile *bt, double now,
			char *buf, size_t size)
{
	buf[0] = '\0';
	if (bt->stale || bt->holding) {
		format_as_of(bt->data_time, board->layout->timezone, now, buf, size);
	} else if (age_shown(bt, now)) {
		format_age(now - bt->data_time, buf, size);
	}
}

/* The badge that says when a tile's data is from ("14:02 기준"). */
static void draw_as_of_badge(struct board *board, cairo_t *cr, const struct board_tile *bt)
{
	char label[64];
	format_as_of(bt->data_time, board->layout->timezone, board->now, label, sizeof(label));
	draw_corner_badge(board, cr, bt, label);
}

/* Data getting on (older than show_age_after, not yet stale): how old, "3분 전". */
static void draw_age_badge(struct board *board, cairo_t *cr, const struct board_tile *bt)
{
	char label[64];
	format_age(board->now - bt->data_time, label, sizeof(label));
	draw_corner_badge(board, cr, bt, label);
}

/*
 * Whether stale tile `bt` is drawn with the grey theme rather than greyed after drawing: its
 * widget and every group under it draw only with theme colours (widget_impl.stale_palette).
 * Either way it looks the same, to a unit or two (and its border is grey all round); the
 * palette costs nothing more than a fresh tile, the pass a read and write of every pixel.
 */
static bool grey_by_palette(const struct board *board, const struct board_tile *bt)
{
	if (!bt->stale || !bt->impl->stale_palette) {
		return false;
	}
	for (long p = bt->tile->parent; p >= 0; p = board->tiles[p].tile->parent) {
		if (!board->tiles[p].impl->stale_palette) {
			return false;
		}
	}
	return true;
}

/*
 * Old data must not look fresh: a tile not drawn with the grey theme is desaturated and dimmed
 * after drawing, by one pass over its pixels. Only inside `limit` (device pixels).
 */
static void desaturate_tile(struct board *board, cairo_t *cr, const struct board_tile *bt,
			    struct irect limit)
{
	const struct rect *r = &bt->tile->rect;
	/* The card's own shape in device pixels, so the background around its rounded corners
	 * stays as it is; grey of the same luminosity, dimmed by a third. */
	const struct board_to_device *t = &board->to_device;
	struct rect card = {t->x + (r->x + 0.5) * t->scale, t->y + (r->y + 0.5) * t->scale,
			    (r->w - 1) * t->scale, (r->h - 1) * t->scale};
	draw_desaturate_rounded_in(cairo_get_target(cr), &card,
				   board->theme->corner_radius * t->scale, STALE_DIM, limit);
}

/*
 * Old data must not look fresh: greyed (already, when it was drawn with the grey theme:
 * `greyed`), and a badge says when the data is from. Done here once for every widget.
 */
static void draw_stale(struct board *board, cairo_t *cr, const struct board_tile *bt,
		       bool greyed)
{
	if (!greyed) {
		desaturate_tile(board, cr, bt, frame(board));
	}
	cairo_save(cr);
	draw_as_of_badge(board, cr, bt);
	cairo_restore(cr);
}

/* What lies under a tile inside a group: the group's panel (and its group's, outwards in). */
static void draw_ancestors(struct board *board, cairo_t *cr, long parent,
			   const struct widget_ctx *ctx, double now)
{
	if (parent < 0) {
		return;
	}
	const struct board_tile *group = &board->tiles[parent];
	draw_ancestors(board, cr, group->tile->parent, ctx, now);
	group->impl->draw(group->state, cr, &group->tile->rect, ctx, now);
}

static void draw_tile(struct board *board, cairo_t *cr, size_t index, double now)
{
	struct board_tile *bt = &board->tiles[index];
	struct irect area = board_tile_rect(board, index);
	bool grey = grey_by_palette(board, bt);
	struct widget_ctx ctx = {.text = board->text,
				 .theme = grey ? &board->grey_theme : board->theme,
				 .budget = &board->budget};
	cairo_save(cr);
	cairo_rectangle(cr, area.x, area.y, area.w, area.h);
	cairo_clip(cr);
	paint_background(cr, board, area);
	board_to_device_apply(&board->to_device, cr);
	draw_ancestors(board, cr, bt->tile->parent, &ctx, now);
	bt->impl->draw(bt->state, cr, &bt->tile->rect, &ctx, now);
	if (bt->stale) {
		draw_stale(board, cr, bt, grey);
	} else if (bt->holding) {
		/* Kept from an earlier document: its own age, without the stale look yet. */
		draw_as_of_badge(board, cr, bt);
	} else if (age_shown(bt, now)) {
		draw_age_badge(board, cr, bt);
	}
	cairo_restore(cr);
	bt->decorated = bt->stale || bt->holding || age_shown(bt, now);
	bt->drawn_stale = bt->stale;
	badge_label(board, bt, now, bt->drawn_badge, sizeof(bt->drawn_badge));
	bt->shown = true;
	bt->dirty = false;
	bt->deadline = bt->impl->next_deadline ? bt->impl->next_deadline(bt->state, now) : INFINITY;
}

/* Whether a tile's look (stale or not, its badge's words) is what its last draw gave it. */
static bool decoration_unchanged(const struct board *board, const struct board_tile *bt,
				 double now)
{
	char label[sizeof(bt->drawn_badge)];
	badge_label(board, bt, now, label, sizeof(label));
	return bt->stale == bt->drawn_stale && strcmp(label, bt->drawn_badge) == 0;
}

/*
 * The tile's look again over what a widget's animate() changed, only there: the widget's
 * pixels there are what its draw() gives, so greyed (a per-pixel pass) and with the badge
 * over them they are what draw_tile() gives.
 */
static void redecorate(struct board *board, cairo_t *cr, const struct board_tile *bt,
		       struct irect changed)
{
	if (irect_empty(changed)) {
		return;
	}
	if (bt->drawn_stale && !grey_by_palette(board, bt)) {
		desaturate_tile(board, cr, bt, changed);
	}
	if (!bt->drawn_badge[0]) {
		return;
	}
	cairo_save(cr);
	cairo_rectangle(cr, changed.x, changed.y, changed.w, changed.h);
	cairo_clip(cr);
	board_to_device_apply(&board->to_device, cr);
	draw_corner_badge(board, cr, bt, bt->drawn_badge);
	cairo_restore(cr);
}

/*
 * A tile that only moved in time, brought up to `now` in place by its widget (a crawl copies
 * its strip, an alert refills its pulsing bar) instead of being drawn whole: at 7680x2160 a
 * ticker drawn from text every frame was most of the wall's work. False when it must be drawn
 * whole: the widget cannot, the frame no longer holds its last draw (a page turn erased it),
 * its look changed (turned stale, a badge's words), or a tile or area repainted in this frame
 * (`painted`) lies over it. An unchanged look (the grey of stale data, "3분 전") is put again
 * over what moved, and the operator's strip after it (board_draw()), so a stale alert under
 * the strip still pulses cheaply. *area becomes the device rectangle that changed.
 */
static bool animate_tile(struct board *board, cairo_t *cr, size_t index, double now,
			 struct irect painted, struct irect *area)
{
	struct board_tile *bt = &board->tiles[index];
	if (!bt->impl->animate || !bt->shown || !decoration_unchanged(board, bt, now) ||
	    !irect_empty(irect_intersect(*area, painted))) {
		return false;
	}
	struct widget_ctx ctx = {.text = board->text, .theme = board->theme,
				 .budget = &board->budget};
	struct irect damage = {0, 0, 0, 0};
	/* The transform draw_tile() gives the widget, so that it can tell nothing moved. */
	cairo_save(cr);
	cairo_rectangle(cr, area->x, area->y, area->w, area->h);
	cairo_clip(cr);
	board_to_device_apply(&board->to_device, cr);
	bool done = bt->impl->animate(bt->state, cr, &bt->tile->rect, &ctx, now, &damage);
	cairo_restore(cr);
	if (!done) {
		return false;
	}
	*area = irect_intersect(damage, *area);
	redecorate(board, cr, bt, *area);
	bt->dirty = false;
	bt->deadline = bt->impl->next_deadline ? bt->impl->next_deadline(bt->state, now) : INFINITY;
	return true;
}

/* Where the page dots go (virtual units): radius, first centre, spacing. */
struct page_dots {
	double r, x0, y, spacing;
};

static struct page_dots page_dots_of(const struct layout *l)
{
	struct page_dots d;
	d.r = fmax(2, fmin(6, l->grid.margin * 0.18));
	d.y = l->height - l->grid.margin / 2;
	d.spacing = d.r * 4;
	d.x0 = l->width / 2 - d.spacing * (double)(l->page_count - 1) / 2;
	return d;
}

/* The device pixels the page dots cover (a pixel more around for their soft edges). */
static struct irect page_dots_rect(const struct board *board)
{
	const struct layout *l = board->layout;
	if (l->page_count < 2) {
		return (struct irect){0, 0, 0, 0};
	}
	struct page_dots d = page_dots_of(l);
	double last = d.x0 + d.spacing * (double)(l->page_count - 1);
	return cover(board, &board->to_device, d.x0 - d.r, d.y - d.r, last + d.r, d.y + d.r, 1);
}

/* ---- whole tiles on several threads (compose/parallel.h) ---- */

struct tile_batch {
	struct board *board;
	const size_t *tiles; // borrowed: indices in the serial order
	double now;
};

static void draw_batch_tile(void *ctx, cairo_t *cr, size_t index)
{
	const struct tile_batch *batch = ctx;
	draw_tile(batch->board, cr, batch->tiles[index], batch->now);
}

/* The tile's whole rectangle in the frame's pixels, also where it lies beyond the frame. */
static struct irect tile_rect_unclipped(const struct board *board, size_t index)
{
	const struct rect *r = &board->tiles[index].tile->rect;
	return cover_all(&board->to_device, r->x, r->y, r->x + r->w, r->y + r->h, 0);
}

static bool crosses_edge(const struct board *board, size_t index)
{
	struct irect all = tile_rect_unclipped(board, index);
	return !irect_empty(all) && !contains(frame(board), all);
}

/*
 * A tile across the frame's edge (a part of a larger canvas) is drawn whole on a surface of
 * its own and the frame's part copied: cairo clips a path at the surface's edge with new
 * vertices, and its rasteriser then covers a sloping edge's pixels a unit or two differently
 * all along it, so the neighbouring screens would not meet pixel for pixel. Drawn whole, the
 * tile is clipped only where the whole canvas clips it. The transform is moved by whole
 * pixels, which changes no rounding. On the caller's thread: it moves the board's transform.
 */
static void draw_tile_whole(struct board *board, cairo_t *cr, size_t index, double now)
{
	struct irect all = tile_rect_unclipped(board, index);
	cairo_format_t format = cairo_image_surface_get_format(cairo_get_target(cr));
	cairo_surface_t *scratch = cairo_image_surface_create(format, all.w, all.h);
	cairo_t *own = cairo_create(scratch);
	struct board_to_device kept = board->to_device;
	int width = board->width, height = board->height;
	board->to_device.x -= all.x;
	board->to_device.y -= all.y;
	board->width = all.w;
	board->height = all.h;
	draw_tile(board, own, index, now);
	board->to_device = kept;
	board->width = width;
	board->height = height;
	cairo_destroy(own);
	struct irect shown = irect_intersect(all, frame(board));
	cairo_save(cr);
	cairo_rectangle(cr, shown.x, shown.y, shown.w, shown.h);
	cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
	cairo_set_source_surface(cr, scratch, all.x, all.y);
	cairo_fill(cr);
	cairo_restore(cr);
	cairo_surface_destroy(scratch);
}

/*
 * Draws the tiles `tiles` (indices in the serial order) whole: on the pool's threads when
 * there are several (a full redraw, a page turn, a board turning stale), else here.
 */
static void draw_tiles(struct board *board, cairo_t *cr, cairo_surface_t *target,
		       const size_t *tiles, size_t count, double now)
{
	struct irect *rects = xcalloc(count ? count : 1, sizeof(*rects));
	bool crossing = false;
	for (size_t i = 0; i < count; i++) {
		rects[i] = board_tile_rect(board, tiles[i]);
		crossing |= crosses_edge(board, tiles[i]);
	}
	struct tile_batch batch = {board, tiles, now};
	if (crossing) {
		for (size_t i = 0; i < count; i++) {
			if (crosses_edge(board, tiles[i])) {
				draw_tile_whole(board, cr, tiles[i], now);
			} else {
				draw_tile(board, cr, tiles[i], now);
			}
		}
	} else {
		render_pool_draw(board->pool, target, cr, rects, count, draw_batch_tile, &batch);
	}
	free(rects);
}

void board_set_render_pool(struct board *board, struct render_pool *pool)
{
	board->pool = pool;
}

/* Which page of how many, as dots in the bottom margin (station screens rotate pages). */
static void draw_page_dots(struct board *board, cairo_t *cr)
{
	const struct layout *l = board->layout;
	if (l->page_count < 2) {
		return;
	}
	struct page_dots d = page_dots_of(l);
	double r = d.r, y = d.y, spacing = d.spacing, x0 = d.x0;
	cairo_save(cr);
	board_to_device_apply(&board->to_device, cr);
	for (size_t i = 0; i < l->page_count; i++) {
		cairo_arc(cr, x0 + spacing * (double)i, y, r, 0, 2 * M_PI);
		draw_set_color(cr, i == board->page ? board->theme->text : board->theme->muted);
		cairo_fill(cr);
	}
	cairo_restore(cr);
}

/* Adds `area` to the frame's damage unless an area already in it holds it (a turn's). */
static size_t push_damage(struct board *board, size_t n, struct irect area)
{
	for (size_t i = 0; i < n; i++) {
		if (contains(board->damage[i], area)) {
			return n;
		}
	}
	board->damage[n] = area;
	return n + 1;
}

/* Whether a tile of the page on screen will be drawn over all of `area`. */
static bool covered_by_page(const struct board *board, struct irect area)
{
	for (size_t i = 0; i < board->tile_count; i++) {
		const struct tile *t = board->tiles[i].tile;
		if (t->page >= 0 && (size_t)t->page == board->page &&
		    contains(board_tile_rect(board, i), area)) {
			return true;
		}
	}
	return false;
}

/* Paints `area` with the background for a page turn; what it overlaps is drawn again. */
static size_t erase_for_turn(struct board *board, cairo_t *cr, struct irect area, size_t n)
{
	if (irect_empty(area)) {
		return n;
	}
	paint_background(cr, board, area);
	board->damage[n++] = area;
	for (size_t i = 0; i < board->tile_count; i++) {
		struct board_tile *bt = &board->tiles[i];
		if (tile_visible(board, bt) &&
		    !irect_empty(irect_intersect(board_tile_rect(board, i), area))) {
			bt->dirty = true;
			bt->shown = false;
		}
	}
	return n;
}

/*
 * A page turn in the frame, without a full redraw: the leaving page's tiles painted over
 * (where the coming page's do not cover them anyway) and the dots; the coming page's tiles,
 * and any tile those areas overlap, marked to be drawn whole. At 7680x2160 that is the page's
 * share of the wall, not 66 MB of pixels, and the title and clock are left alone. Returns the
 * damage count with the erased areas added.
 */
static size_t turn_page(struct board *board, cairo_t *cr, size_t n)
{
	for (size_t i = 0; i < board->tile_count; i++) {
		struct board_tile *bt = &board->tiles[i];
		if (bt->tile->page < 0) {
			continue;
		}
		if ((size_t)bt->tile->page == board->page) {
			bt->dirty = true;
			bt->shown = false; // the frame shows something else there
		} else if ((size_t)bt->tile->page == board->turned_from) {
			bt->shown = false;
			struct irect area = board_tile_rect(board, i);
			if (!covered_by_page(board, area)) {
				n = erase_for_turn(board, cr, area, n);
			}
		}
	}
	return erase_for_turn(board, cr, page_dots_rect(board), n);
}

/*
 * The operator's strip over what was just repainted only: it is translucent, so drawn again
 * over pixels that already hold it, it would darken them frame after frame.
 */
static void draw_overlay(struct board *board, cairo_t *cr, const struct irect *damage,
			 size_t count)
{
	cairo_save(cr);
	for (size_t i = 0; i < count; i++) {
		cairo_rectangle(cr, damage[i].x, damage[i].y, damage[i].w, damage[i].h);
	}
	cairo_clip(cr);
	/* Placed on the canvas, not the frame: one strip along the wall's bottom edge. */
	board_to_device_apply(&board->canvas_device, cr);
	overlay_draw(cr, board->text, board->theme, canvas_width(board), canvas_height(board),
		     board->canvas_scale, (const char *const *)board->messages,
		     board->message_count);
	cairo_restore(cr);
}

const struct irect *board_draw(struct board *board, cairo_surface_t *target, double now,
			       size_t *count)
{
	board->now = now;
	cairo_t *cr = cairo_create(target);
	struct irect screen = frame(board);
	struct irect overlay = strip_rect(board, board->message_count);
	size_t n = 0;
	if (board->full_redraw) {
		paint_uncovered_background(board, cr, screen);
		board->damage[n++] = screen;
	} else if (!irect_empty(board->overlay_changed)) {
		struct irect area = irect_intersect(board->overlay_changed, screen);
		paint_background(cr, board, area);
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
		n = turn_page(board, cr, n);
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
		if (!board->full_redraw && animate_tile(board, cr, i, now, painted, &area)) {
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
	draw_tiles(board, cr, target, board->to_draw, drawn, now);
	if (board->full_redraw || board->turned) {
		draw_page_dots(board, cr);
	}
	if (board->grid_overlay && n > 0) {
		draw_grid_overlay(board, cr, board->damage, n);
	}
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
