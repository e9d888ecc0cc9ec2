#include "compose/board.h"
#include "compose/board_internal.h"

#include "compose/grid_overlay.h"
#include "compose/overlay.h"
#include "layout/bind.h"
#include "layout/react.h"
#include "render/draw.h"
#include "render/format.h"
#include "util/xmalloc.h"
#include "widgets/widget.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
struct irect board_cover(const struct board *board, const struct board_to_device *t, double x0,
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
	return board_cover(board, &board->canvas_device, r.x, r.y, r.x + r.w, r.y + r.h, 0);
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
	board->damage = xcalloc(3 * layout->tile_count + 4, sizeof(*board->damage));
	board->moves = xcalloc(layout->tile_count + 1, sizeof(*board->moves));
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
	board_rebind(board);
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
		text_hold_release(board->text, &board->tiles[i].lines);
		for (size_t j = 0; j < BINDINGS_MAX; j++) {
			board_held_release(&board->tiles[i].held[j]);
		}
	}
	text_hold_release(board->text, &board->overlay_lines);
	free(board->tiles);
	free(board->damage);
	free(board->moves);
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

const struct budget *board_budget(const struct board *board)
{
	return &board->budget;
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
void board_update_emergency(struct board *board)
{
	const struct layout_emergency *e = &board->layout->emergency;
	const struct snapshot *snap = e->declared ? board->sources[e->source].current : NULL;
	emergency_update(&board->emergency, board->layout, snap, board->control);
}

void board_set_emergency_control(struct board *board, struct emergency_control *control)
{
	board->control = control;
	board_update_emergency(board);
}

const struct emergency_state *board_emergency(struct board *board)
{
	board_update_emergency(board);
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
	board_update_emergency(board);
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
		board_rebind(board);
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
		if (board_tile_on_page(board, bt)) {
			next = fmin(next, bt->deadline);
		}
		if (bt->holding && !bt->stale) {
			next = fmin(next, bt->stale_at);
		}
		if (board_tile_on_page(board, bt) && !isnan(board->advanced_to)) {
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
	return index < board->tile_count && board_tile_on_page(board, &board->tiles[index]);
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
	return board_cover(board, &board->to_device, r->x, r->y, r->x + r->w, r->y + r->h, 0);
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
		if (board_tile_on_page(board, &board->tiles[i])) {
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

bool board_painted_meets(const struct board *board, const struct painted_set *painted,
			 struct irect area)
{
	if (!irect_empty(irect_intersect(area, painted->erased))) {
		return true;
	}
	for (size_t i = 0; i < painted->count; i++) {
		if (!irect_empty(irect_intersect(area, board_tile_rect(board, painted->tiles[i])))) {
			return true;
		}
	}
	return false;
}

/* Adds `area` to the frame's damage unless an area already in it holds it (a turn's). */
size_t board_push_damage(struct board *board, size_t n, struct irect area)
{
	for (size_t i = 0; i < n; i++) {
		if (irect_contains(board->damage[i], area)) {
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
	/* Drawn again wherever a tile under it is: its lines stay cached while it shows them. */
	struct text_hold drawn = {0};
	struct text_hold *outer = text_hold_begin(&drawn);
	overlay_draw(cr, board->text, board->theme, &place, (const char *const *)board->messages,
		     board->message_count);
	text_hold_end(outer);
	text_hold_release(board->text, &board->overlay_lines);
	board->overlay_lines = drawn;
	cairo_restore(cr);
}

void board_set_screen_moves(struct board *board, bool on)
{
	board->screen_moves = on;
}

const struct screen_move *board_frame_moves(const struct board *board, size_t *count)
{
	*count = board->move_count;
	return board->moves;
}

static void settle_all(struct board *board, cairo_t *cr)
{
	for (size_t i = 0; i < board->tile_count; i++) {
		board_settle_tile(board, cr, i);
	}
}

void board_settle(struct board *board, cairo_surface_t *target)
{
	cairo_t *cr = cairo_create(target);
	settle_all(board, cr);
	cairo_destroy(cr);
	cairo_surface_flush(target);
}

/* Settles the tiles whose moved pixels `area` (about to be drawn) meets. */
static void settle_under(struct board *board, cairo_t *cr, struct irect area)
{
	for (size_t i = 0; i < board->tile_count; i++) {
		if (board->tiles[i].owes &&
		    !irect_empty(irect_intersect(area, board_tile_rect(board, i)))) {
			board_settle_tile(board, cr, i);
		}
	}
}

/*
 * Whether tiles may move pixels on the screen this frame. Not under anything the board draws
 * over tiles (the grid, a detail panel, the focus ring): those would move along. When not, or
 * when the frame repaints areas of its own (a full redraw, the strip's change, a page turn),
 * what was moved is settled into the frame first.
 */
static void begin_moves(struct board *board, cairo_t *cr)
{
	board->move_count = 0;
	board->moves_allowed = board->screen_moves && !board->grid_overlay &&
			       !board->detail_open && board->focus < 0;
	if (!board->moves_allowed || board->full_redraw || board->turned ||
	    !irect_empty(board->overlay_changed)) {
		settle_all(board, cr);
	}
}

/* An animated tile's changes into the frame's damage and moves; the damage count. */
static size_t add_animated(struct board *board, size_t n, const struct widget_damage *changed)
{
	for (size_t i = 0; i < 2; i++) {
		if (!irect_empty(changed->put[i])) {
			board->damage[n++] = changed->put[i];
		}
	}
	if (!irect_empty(changed->move.from)) {
		board->moves[board->move_count++] = changed->move;
	}
	return n;
}

const struct irect *board_draw(struct board *board, cairo_surface_t *target, double now,
			       size_t *count)
{
	board->now = now;
	cairo_t *cr = cairo_create(target);
	struct irect screen = board_frame(board);
	struct irect overlay = strip_rect(board, board->message_count);
	begin_moves(board, cr);
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
	struct painted_set painted = {.erased = n ? board->damage[0] : (struct irect){0, 0, 0, 0},
				      .tiles = board->to_draw};
	board->overlay_changed = (struct irect){0, 0, 0, 0};
	size_t drawn = 0;
	for (size_t i = 0; i < board->tile_count; i++) {
		if (!board_tile_on_page(board, &board->tiles[i]) ||
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
		struct widget_damage changed;
		if (!board->full_redraw &&
		    board_animate_tile(board, cr, i, now, &painted, area, overlay, &changed)) {
			n = add_animated(board, n, &changed);
			overlay_touched |= !irect_empty(irect_intersect(changed.put[0], overlay)) ||
					   !irect_empty(irect_intersect(changed.put[1], overlay));
			continue;
		}
		settle_under(board, cr, area);
		board->to_draw[drawn++] = i;
		painted.count = drawn;
		if (!board->full_redraw) {
			n = board_push_damage(board, n, area);
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
	board_draw_focus(board, cr, drawn);
	n = board_draw_detail(board, cr, n, now);
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
