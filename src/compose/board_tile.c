#include "compose/board_internal.h"

#include "compose/parallel.h"
#include "render/draw.h"
#include "render/format.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static struct text_style badge_style(const struct board *board, const struct board_tile *bt)
{
	const struct rect *r = &bt->tile->rect;
	double size = clampd(fmin(r->h * 0.1, r->w * 0.07), 10, 28);
	return draw_text_style(board->theme->font, true, size, board->theme->text,
			       TEXT_ALIGN_RIGHT);
}

/* How far from the tile's right edge the badge with `label` reaches; 0 for no label. */
static double badge_reach(struct board *board, cairo_t *cr, const struct board_tile *bt,
			  const char *label)
{
	struct text_style style = badge_style(board, bt);
	return label[0] ? text_measure(board->text, cr, &style, label).width + 4 * style.size * 0.4
			: 0;
}

/* A small label in a tile's bottom right corner: "14:02 기준", "3분 전". */
static void draw_corner_badge(struct board *board, cairo_t *cr, const struct board_tile *bt,
			      const char *label)
{
	const struct rect *r = &bt->tile->rect;
	const struct theme *theme = board->theme;
	struct text_style style = badge_style(board, bt);
	double size = style.size;
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
	} else if (board_age_shown(bt, now)) {
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
		desaturate_tile(board, cr, bt, board_frame(board));
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

/*
 * The context a tile's widget draws, animates and settles in: the board's, in its grey theme
 * when the tile is greyed by palette, so that all three see the theme the tile was drawn with.
 */
static struct widget_ctx tile_ctx(struct board *board, const struct board_tile *bt,
				  bool screen_moves)
{
	return (struct widget_ctx){
		.text = board->text,
		.theme = grey_by_palette(board, bt) ? &board->grey_theme : board->theme,
		.budget = &board->budget,
		.layout = board->layout,
		.page = board->page,
		.screen_moves = screen_moves,
	};
}

static void draw_tile(struct board *board, cairo_t *cr, size_t index, double now)
{
	struct board_tile *bt = &board->tiles[index];
	struct irect area = board_tile_rect(board, index);
	struct widget_ctx ctx = tile_ctx(board, bt, false);
	cairo_save(cr);
	cairo_rectangle(cr, area.x, area.y, area.w, area.h);
	cairo_clip(cr);
	board_paint_background(cr, board, area);
	board_to_device_apply(&board->to_device, cr);
	draw_ancestors(board, cr, bt->tile->parent, &ctx, now);
	char label[sizeof(bt->drawn_badge)];
	badge_label(board, bt, now, label, sizeof(label));
	ctx.corner_badge = badge_reach(board, cr, bt, label);
	/* What it paints now is what it shows: those lines stay cached, the last draw's may go. */
	struct text_hold drawn = {0};
	struct text_hold *outer = text_hold_begin(&drawn);
	bt->impl->draw(bt->state, cr, &bt->tile->rect, &ctx, now);
	if (bt->stale) {
		draw_stale(board, cr, bt, ctx.theme == &board->grey_theme);
	} else if (bt->holding) {
		/* Kept from an earlier document: its own age, without the stale look yet. */
		draw_as_of_badge(board, cr, bt);
	} else if (board_age_shown(bt, now)) {
		draw_age_badge(board, cr, bt);
	}
	text_hold_end(outer);
	text_hold_release(board->text, &bt->lines);
	bt->lines = drawn;
	cairo_restore(cr);
	bt->decorated = bt->stale || bt->holding || board_age_shown(bt, now);
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
 * Whether tile `bt` (device rectangle `area`) may move its pixels on the screen this frame:
 * the board allows moves this frame (board->moves_allowed) and nothing of the tile's look lies
 * over them (a badge, a greying pass, the operator's strip `strip`), or it would move along.
 */
static bool tile_may_move(const struct board *board, const struct board_tile *bt,
			  struct irect area, struct irect strip)
{
	return board->moves_allowed && !bt->drawn_badge[0] &&
	       !(bt->drawn_stale && !grey_by_palette(board, bt)) &&
	       irect_empty(irect_intersect(area, strip));
}

/*
 * A tile that only moved in time, brought up to `now` in place by its widget (a crawl copies
 * its strip, an alert refills its pulsing bar) instead of being drawn whole: at 7680x2160 a
 * ticker drawn from text every frame was most of the wall's work. False when it must be drawn
 * whole: the widget cannot, the frame no longer holds its last draw (a page turn erased it),
 * its look changed (turned stale, a badge's words), or a tile or area repainted in this frame
 * (`painted`) meets it. An unchanged look (the grey of stale data, "3분 전") is put again
 * over what moved, and the operator's strip after it (board_draw()), so a stale alert under
 * the strip still pulses cheaply. *changed becomes what changed, clipped to `area`, the tile's
 * device rectangle; a move in it leaves the tile owing the frame (board_settle_tile).
 */
bool board_animate_tile(struct board *board, cairo_t *cr, size_t index, double now,
			const struct painted_set *painted, struct irect area, struct irect strip,
			struct widget_damage *changed)
{
	struct board_tile *bt = &board->tiles[index];
	if (!bt->impl->animate || !bt->shown || !decoration_unchanged(board, bt, now) ||
	    board_painted_meets(board, painted, area)) {
		return false;
	}
	struct widget_ctx ctx = tile_ctx(board, bt, tile_may_move(board, bt, area, strip));
	*changed = (struct widget_damage){0};
	/* The transform draw_tile() gives the widget, so that it can tell nothing moved. */
	cairo_save(cr);
	cairo_rectangle(cr, area.x, area.y, area.w, area.h);
	cairo_clip(cr);
	board_to_device_apply(&board->to_device, cr);
	bool done = bt->impl->animate(bt->state, cr, &bt->tile->rect, &ctx, now, changed);
	cairo_restore(cr);
	if (!done) {
		return false;
	}
	for (size_t i = 0; i < 2; i++) {
		changed->put[i] = irect_intersect(changed->put[i], area);
		redecorate(board, cr, bt, changed->put[i]);
	}
	struct screen_move *move = &changed->move;
	struct irect to = {move->from.x + move->dx, move->from.y, move->from.w, move->from.h};
	if (!irect_empty(move->from) &&
	    !(irect_contains(area, move->from) && irect_contains(area, to))) {
		/* Not where the widget may move: what it wrote stands, what it moved is put. */
		bt->owes = true;
		board_settle_tile(board, cr, index);
		changed->put[0] = irect_union(changed->put[0], irect_union(move->from, to));
		*move = (struct screen_move){0};
	}
	bt->owes = !irect_empty(move->from);
	bt->dirty = false;
	bt->deadline = bt->impl->next_deadline ? bt->impl->next_deadline(bt->state, now) : INFINITY;
	return true;
}

void board_settle_tile(struct board *board, cairo_t *cr, size_t index)
{
	struct board_tile *bt = &board->tiles[index];
	if (!bt->owes || !bt->impl->settle) {
		return;
	}
	bt->owes = false;
	struct widget_ctx ctx = tile_ctx(board, bt, false);
	struct irect area = board_tile_rect(board, index);
	cairo_save(cr);
	cairo_rectangle(cr, area.x, area.y, area.w, area.h);
	cairo_clip(cr);
	board_to_device_apply(&board->to_device, cr);
	bt->impl->settle(bt->state, cr, &ctx);
	cairo_restore(cr);
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
	return board_cover_all(&board->to_device, r->x, r->y, r->x + r->w, r->y + r->h, 0);
}

static bool crosses_edge(const struct board *board, size_t index)
{
	struct irect all = tile_rect_unclipped(board, index);
	return !irect_empty(all) && !irect_contains(board_frame(board), all);
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
	struct irect shown = irect_intersect(all, board_frame(board));
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
void board_draw_tiles(struct board *board, cairo_t *cr, cairo_surface_t *target,
		       const size_t *tiles, size_t count, double now)
{
	if (count == 0) {
		return; // a crawl's frame: nothing drawn whole, nothing to allocate 60 times a second
	}
	struct irect *rects = xcalloc(count, sizeof(*rects));
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
