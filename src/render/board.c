#include "render/board.h"

#include "layout/bind.h"
#include "render/draw.h"
#include "render/overlay.h"
#include "util/xmalloc.h"
#include "widgets/widget.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct board_tile {
	const struct tile *tile;         // borrowed from the layout
	const struct widget_impl *impl;  // borrowed (static)
	void *state;                     // owned through impl->destroy
	bool dirty;
	double deadline;                 // next self-initiated change; INFINITY if none
};

struct board {
	const struct layout *layout;   // borrowed
	struct text_engine *text;      // borrowed
	struct board_tile *tiles;      // owned, one per layout tile
	size_t tile_count;
	struct snapshot *current;      // owned reference
	struct snapshot *previous;     // owned reference
	int width, height;             // device pixels
	double scale, offset_x, offset_y;
	bool full_redraw;
	char **messages;               // owned
	size_t message_count;
	struct irect *damage;          // owned: tile_count + 2 entries
};

struct board *board_create(const struct layout *layout, struct text_engine *text)
{
	struct board *board = xcalloc(1, sizeof(*board));
	board->layout = layout;
	board->text = text;
	board->tile_count = layout->tile_count;
	board->tiles = xcalloc(layout->tile_count, sizeof(*board->tiles));
	board->damage = xcalloc(layout->tile_count + 2, sizeof(*board->damage));
	for (size_t i = 0; i < layout->tile_count; i++) {
		struct board_tile *bt = &board->tiles[i];
		bt->tile = &layout->tiles[i];
		/* The layout was validated against the same registry, so the widget exists. */
		bt->impl = widget_find(bt->tile->widget->name);
		bt->state = bt->impl->create(bt->tile);
		bt->deadline = INFINITY;
	}
	board->full_redraw = true;
	board_set_snapshot(board, NULL);
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
	}
	free(board->tiles);
	free(board->damage);
	free_messages(board);
	snapshot_unref(board->current);
	snapshot_unref(board->previous);
	free(board);
}

void board_set_snapshot(struct board *board, struct snapshot *snapshot)
{
	if (snapshot && snapshot == board->current) {
		return;
	}
	snapshot_unref(board->previous);
	board->previous = board->current;
	board->current = snapshot_ref(snapshot);
	for (size_t i = 0; i < board->tile_count; i++) {
		struct board_tile *bt = &board->tiles[i];
		struct binding_values values;
		layout_bind_tile(bt->tile, board->current, board->previous, &values);
		if (bt->impl->bind(bt->state, &values)) {
			bt->dirty = true;
		}
	}
}

void board_set_viewport(struct board *board, int width, int height)
{
	if (width == board->width && height == board->height) {
		return;
	}
	board->width = width;
	board->height = height;
	const struct layout *l = board->layout;
	board->scale = fmin(width / l->width, height / l->height);
	/* Whole-pixel offsets keep tile edges on the same pixel grid at every size. */
	board->offset_x = floor((width - l->width * board->scale) / 2);
	board->offset_y = floor((height - l->height * board->scale) / 2);
	board->full_redraw = true;
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
	free_messages(board);
	board->messages = xcalloc(count ? count : 1, sizeof(*board->messages));
	for (size_t i = 0; i < count; i++) {
		board->messages[i] = xstrdup(messages[i]);
	}
	board->message_count = count;
	/* The strip covers tiles and may shrink: redraw all rather than track what it covered. */
	board->full_redraw = true;
}

void board_advance(struct board *board, double now)
{
	for (size_t i = 0; i < board->tile_count; i++) {
		if (board->tiles[i].deadline <= now) {
			board->tiles[i].dirty = true;
		}
	}
}

double board_next_deadline(const struct board *board)
{
	double next = INFINITY;
	for (size_t i = 0; i < board->tile_count; i++) {
		next = fmin(next, board->tiles[i].deadline);
	}
	return next;
}

bool board_is_dirty(const struct board *board)
{
	if (board->full_redraw) {
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
	double x0 = floor(board->offset_x + r->x * board->scale);
	double y0 = floor(board->offset_y + r->y * board->scale);
	double x1 = ceil(board->offset_x + (r->x + r->w) * board->scale);
	double y1 = ceil(board->offset_y + (r->y + r->h) * board->scale);
	struct irect device = {(int)x0, (int)y0, (int)(x1 - x0), (int)(y1 - y0)};
	return irect_intersect(device, (struct irect){0, 0, board->width, board->height});
}

static void paint_background(cairo_t *cr, const struct board *board, struct irect area)
{
	cairo_rectangle(cr, area.x, area.y, area.w, area.h);
	draw_set_color(cr, board->layout->theme.background);
	cairo_fill(cr);
}

static void draw_tile(struct board *board, cairo_t *cr, size_t index, double now)
{
	struct board_tile *bt = &board->tiles[index];
	struct irect area = board_tile_rect(board, index);
	struct widget_ctx ctx = {.text = board->text, .theme = &board->layout->theme};
	cairo_save(cr);
	cairo_rectangle(cr, area.x, area.y, area.w, area.h);
	cairo_clip(cr);
	paint_background(cr, board, area);
	cairo_translate(cr, board->offset_x, board->offset_y);
	cairo_scale(cr, board->scale, board->scale);
	bt->impl->draw(bt->state, cr, &bt->tile->rect, &ctx, now);
	cairo_restore(cr);
	bt->dirty = false;
	bt->deadline = bt->impl->next_deadline ? bt->impl->next_deadline(bt->state, now) : INFINITY;
}

static void draw_overlay(struct board *board, cairo_t *cr)
{
	overlay_draw(cr, board->text, &board->layout->theme, board->width, board->height,
		     board->scale, (const char *const *)board->messages, board->message_count);
}

const struct irect *board_draw(struct board *board, cairo_surface_t *target, double now,
			       size_t *count)
{
	cairo_t *cr = cairo_create(target);
	struct irect screen = {0, 0, board->width, board->height};
	struct irect overlay =
		overlay_rect(board->width, board->height, board->scale, board->message_count);
	size_t n = 0;
	if (board->full_redraw) {
		paint_background(cr, board, screen);
		board->damage[n++] = screen;
	}
	bool overlay_touched = board->full_redraw;
	for (size_t i = 0; i < board->tile_count; i++) {
		if (!board->full_redraw && !board->tiles[i].dirty) {
			continue;
		}
		draw_tile(board, cr, i, now);
		struct irect area = board_tile_rect(board, i);
		if (!board->full_redraw) {
			board->damage[n++] = area;
		}
		overlay_touched |= !irect_empty(irect_intersect(area, overlay));
	}
	if (overlay_touched && board->message_count) {
		draw_overlay(board, cr);
	}
	board->full_redraw = false;
	cairo_destroy(cr);
	cairo_surface_flush(target);
	*count = n;
	return board->damage;
}
