#include "compose/board_internal.h"

#include "render/draw.h"

#include <math.h>

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
size_t board_page_now(const struct board *board, double now, double *next_turn,
		       struct react_schedule *schedule)
{
	*schedule = react_schedule_at(board->layout, now);
	size_t page = page_at(board->layout, now, next_turn);
	if (schedule->page >= 0) {
		page = (size_t)schedule->page;
		*next_turn = INFINITY;
	}
	if (board->chosen_page >= 0) {
		/* The operator's choice on the mode bar, until the input stops. */
		page = (size_t)board->chosen_page;
		*next_turn = INFINITY;
	}
	if (board->emergency.active) {
		page = board->layout->emergency.page;
		*next_turn = INFINITY;
	}
	*next_turn = fmin(*next_turn, schedule->next_change);
	return page;
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
	struct irect r = board_cover_all(&board->to_device, d.x0 - d.r, d.y - d.r, last + d.r,
					 d.y + d.r, 1);
	return irect_intersect(r, board_frame(board));
}

/* Which page of how many, as dots in the bottom margin (station screens rotate pages). */
void board_draw_page_dots(struct board *board, cairo_t *cr)
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

/* Whether a tile of the page on screen will be drawn over all of `area`. */
static bool covered_by_page(const struct board *board, struct irect area)
{
	for (size_t i = 0; i < board->tile_count; i++) {
		const struct tile *t = board->tiles[i].tile;
		if (t->page >= 0 && (size_t)t->page == board->page &&
		    irect_contains(board_tile_rect(board, i), area)) {
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
	board_paint_background(cr, board, area);
	board->damage[n++] = area;
	for (size_t i = 0; i < board->tile_count; i++) {
		struct board_tile *bt = &board->tiles[i];
		if (board_tile_visible(board, i) &&
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
size_t board_turn_page(struct board *board, cairo_t *cr, size_t n)
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
