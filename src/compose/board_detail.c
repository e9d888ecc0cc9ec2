/*
 * Interaction on the board (docs/interaction.md): hit testing, the detail panel over the
 * tiles, the focus ring.
 */

#include "compose/board_internal.h"

#include "compose/detail.h"
#include "render/draw.h"

#include <math.h>

/* The picture's physical width from the layout's "screen" (touch targets of 9 mm); 0: unknown. */
static double screen_width_mm(const struct layout *layout)
{
	return layout->screen.declared ? layout->screen.width_mm : 0;
}

static struct irect virtual_to_device(const struct board *board, const struct rect *r)
{
	return board_cover(board, &board->to_device, r->x, r->y, r->x + r->w, r->y + r->h, 0);
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
		if (!board_tile_on_page(board, bt) || !in_rect(&bt->tile->rect, x, y)) {
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
	board_update_emergency(board);
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
void board_draw_focus(struct board *board, cairo_t *cr, size_t drawn)
{
	if (board->focus < 0 || !board_tile_on_page(board, &board->tiles[board->focus])) {
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
size_t board_draw_detail(struct board *board, cairo_t *cr, size_t n, double now)
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
	return board_push_damage(board, n, area);
}
