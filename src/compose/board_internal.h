#ifndef CITYWALL_COMPOSE_BOARD_INTERNAL_H
#define CITYWALL_COMPOSE_BOARD_INTERNAL_H

/*
 * The board's insides, shared by its files: board.c (time, damage, the device transform, a
 * frame's drawing), board_data.c (the sources' documents and histories, binding the tiles,
 * last good values), board_tile.c (drawing one tile: its widget, its look when old, its
 * badges; animating it in place; tiles across the frame's edge), board_page.c (which page,
 * its dots, a page turn), board_detail.c (hit testing, the detail panel, the focus ring) and
 * board_touch.c (the mode bar's page, a map's zoom). Not for other modules.
 */

#include "compose/board.h"
#include "layout/bind.h"
#include "layout/react.h"
#include "widgets/widget.h"

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
	bool owes;                       // the screen shows pixels its widget moved there that
					 // the frame does not hold yet (board_settle_tile)
	struct text_hold lines;          // owned: the text lines its last draw painted (on show)
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
	size_t zoomed_maps;            // map tiles zoomed in (board_zoom_tile keeps the count)
	struct irect part;             // the canvas's part the frame shows (with canvas_w)
	double canvas_scale;           // virtual units → canvas pixels (the overlay's size)
	bool full_redraw;
	char **messages;               // owned
	size_t message_count;
	struct text_hold overlay_lines; // owned: the lines the operator's strip last painted
	struct irect *damage;          // owned: 3 * tile_count + 4 entries (two an animated
				       // tile, a page turn's erases, the detail panel)
	struct screen_move *moves;     // owned: tile_count entries, the last frame's moves
	size_t move_count;
	bool screen_moves;             // board_set_screen_moves: the screen can move pixels
	bool moves_allowed;            // ...and this frame nothing lies over the tiles (no grid,
				       // detail panel or focus ring)
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
	/* Interaction (docs/interaction.md): a detail panel over the tiles, a focused tile. */
	bool detail_open;
	size_t detail_tile;
	struct widget_part detail_part;
	long focus;                          // the tile with the focus ring; -1: none
	long chosen_page;                    // the mode bar's choice (board_touch.c); -1: none
};

/* Whether the tile is on the page on screen (or on every page). */
static inline bool board_tile_on_page(const struct board *board, const struct board_tile *bt)
{
	return bt->tile->page < 0 || (size_t)bt->tile->page == board->page;
}

/* The frame's rectangle: (0, 0) and its size. */
struct irect board_frame(const struct board *board);
/* The whole pixels user rectangle (x0, y0)-(x1, y1) under `t` touches, `grow` more around. */
struct irect board_cover_all(const struct board_to_device *t, double x0, double y0, double x1,
			     double y1, int grow);
/* board_cover_all() inside the frame. */
struct irect board_cover(const struct board *board, const struct board_to_device *t, double x0,
			 double y0, double x1, double y1, int grow);
/* Whether the tile shows its data's age ("3분 전") at `now`. */
bool board_age_shown(const struct board_tile *bt, double now);
/* Paints `area` (device pixels) with the theme's background. */
void board_paint_background(cairo_t *cr, const struct board *board, struct irect area);
/* Looks at the emergency source's snapshot and the operators' say again. */
void board_update_emergency(struct board *board);
/* Adds `area` to the frame's damage (`n` areas so far) unless one holds it; the new count. */
size_t board_push_damage(struct board *board, size_t n, struct irect area);

/* board_data.c */

/* Binds every tile to the sources' current data, keeping last good values. */
void board_rebind(struct board *board);
/* Drops a kept last good value and its document's reference. */
void board_held_release(struct held_binding *h);

/* board_tile.c */

/*
 * Draws the tiles `tiles` (indices in the serial order) whole: on the pool's threads when
 * there are several, else here; a tile across the frame's edge on a surface of its own.
 */
void board_draw_tiles(struct board *board, cairo_t *cr, cairo_surface_t *target,
		      const size_t *tiles, size_t count, double now);
/*
 * What a frame repaints before the tile order reaches a tile: an area erased first (the
 * operator strip's, a page turn's) and the tiles drawn whole so far.
 */
struct painted_set {
	struct irect erased;
	const size_t *tiles; // borrowed: the frame's board->to_draw so far
	size_t count;
};

/*
 * Whether `area` meets what `painted` repaints, rectangle by rectangle: the bounding box of a
 * clock and a kpi on either side of a map would cover the map and draw it whole.
 */
bool board_painted_meets(const struct board *board, const struct painted_set *painted,
			 struct irect area);

/*
 * Brings tile `index` (device rectangle `area`) up to `now` in place by its widget's
 * animate(); false when it must be drawn whole. *changed: what changed, in `area`. `strip`:
 * the operator's strip, which no move may carry along.
 */
bool board_animate_tile(struct board *board, cairo_t *cr, size_t index, double now,
			const struct painted_set *painted, struct irect area, struct irect strip,
			struct widget_damage *changed);
/* Writes into the frame what tile `index`'s widget moved on the screen, if it owes any. */
void board_settle_tile(struct board *board, cairo_t *cr, size_t index);

/* board_page.c */

/*
 * The page on screen at `now` (the emergency page, a schedule's, or the rotation's), with the
 * schedule in force; *next_turn: when that may change.
 */
size_t board_page_now(const struct board *board, double now, double *next_turn,
		      struct react_schedule *schedule);
/* Which page of how many, as dots in the bottom margin. */
void board_draw_page_dots(struct board *board, cairo_t *cr);
/*
 * A page turn in the frame without a full redraw; returns the damage count `n` with the
 * erased areas added.
 */
size_t board_turn_page(struct board *board, cairo_t *cr, size_t n);

/* board_detail.c */

/* The focus ring over the focused tile, when this frame drew it (`drawn` of to_draw). */
void board_draw_focus(struct board *board, cairo_t *cr, size_t drawn);
/* The open detail panel where this frame's damage touches it; the damage count with it. */
size_t board_draw_detail(struct board *board, cairo_t *cr, size_t n, double now);

#endif
