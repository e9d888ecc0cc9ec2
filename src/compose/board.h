#ifndef CITYWALL_COMPOSE_BOARD_H
#define CITYWALL_COMPOSE_BOARD_H

/*
 * The board: a layout's tiles as live widget instances, bound to the current snapshot, drawn
 * into a frame buffer. It owns damage tracking: new data, a widget's own deadline (a clock
 * tick), a size change or overlay change mark tiles dirty; board_draw() redraws only those and
 * returns the device rectangles that changed, for the display to push.
 *
 * A frame is a function of (layout, snapshots, time, viewport): nothing else reaches a pixel.
 */

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "layout/layout.h"
#include "layout/react.h"
#include "model/history.h"
#include "model/snapshot.h"
#include "render/budget.h"
#include "render/text.h"
#include "util/geom.h"
#include "widgets/widget.h"

struct board;

/* A board for `layout` (borrowed; must outlive the board), drawing text with `text` (borrowed). */
struct board *board_create(const struct layout *layout, struct text_engine *text);
void board_destroy(struct board *board);

/*
 * Makes `snapshot` the current one of layout source `source` (the board takes its own
 * reference; NULL clears) and the former current one previous, and records when its data was
 * produced (`data_time`, epoch s; NAN: unknown), from which staleness follows. Rebinds the
 * tiles; a tile whose picture changed becomes dirty. The same snapshot again only updates
 * the data time (a 304 that confirmed it).
 */
void board_set_snapshot(struct board *board, size_t source, struct snapshot *snapshot,
			double data_time);

/*
 * History (model/history.h): a source with "history" keeps the readings of every number the
 * layout binds from it; board_set_snapshot records a new document's before rebinding. The
 * board owns each source's history.
 */
/* The history of `source` (borrowed), or NULL when it keeps none. */
struct history *board_source_history(const struct board *board, size_t source);
/*
 * Replaces the history of `source` with `history` (taken: restored from the cache, or kept
 * across a layout reload); the source's limit applies to it. Destroyed when the source keeps
 * no history. Rebinds.
 */
void board_adopt_history(struct board *board, size_t source, struct history *history);
/* Takes the history of `source` (caller owns; NULL: none), leaving an empty one. */
struct history *board_release_history(struct board *board, size_t source);

/* The snapshot of `source` on the board (borrowed), or NULL. */
const struct snapshot *board_source_current(const struct board *board, size_t source);

/* Whether source `source` is shown as stale at the last board_advance(). */
bool board_source_stale(const struct board *board, size_t source);

/* The caches' memory budget and use (render/budget.h), fitted to the viewport. */
const struct budget *board_budget(const struct board *board);

struct render_pool;
/*
 * Draws tiles on `pool`'s threads (borrowed; must outlive the board, or be replaced) when a
 * frame draws several whole: the pixels are those of the serial path, byte for byte. NULL
 * (the default) draws every tile on the caller.
 */
void board_set_render_pool(struct board *board, struct render_pool *pool);

/*
 * The one transform from the layout's virtual units to the frame's device pixels:
 * device = virtual * scale + (x, y). Every tile, badge, page dot and overlay is placed through
 * it (the operator strip through the canvas's own), so a viewport changes this one place.
 */
struct board_to_device {
	double scale;
	double x, y;
};

/* Makes `t` the user space of `cr` (on top of what it has: callers start at identity). */
void board_to_device_apply(const struct board_to_device *t, cairo_t *cr);

/* The transform the board draws with at the current viewport and canvas. */
struct board_to_device board_device_transform(const struct board *board);

/* The device size to draw for (the frame); a change makes everything dirty. */
void board_set_viewport(struct board *board, int width, int height);

/*
 * One part of a larger picture (a wall of several screens or machines): the layout is fitted
 * to a canvas of width x height device pixels, and the frame shows its rectangle `part`
 * (canvas pixels), scaled to the frame's size (normally part's own). Width 0 or an empty part:
 * the frame is the whole canvas (the default). Overlays are placed on the canvas, and damage
 * is the frame's: what lies outside the part is neither drawn nor reported.
 */
void board_set_canvas(struct board *board, int width, int height, struct irect part);

/* Operator messages (copied); an empty list hides the overlay. */
void board_set_messages(struct board *board, const char *const *messages, size_t count);

/*
 * Moves the board's notion of time to `now`: tiles whose own deadline has come, and tiles
 * whose sources became stale (older than their max_age), become dirty.
 */
void board_advance(struct board *board, double now);
/* The earliest time anything changes by itself (a tick, data going stale); INFINITY: never. */
double board_next_deadline(const struct board *board);
bool board_is_dirty(const struct board *board);

/* Shows or hides the designer's grid overlay (--grid). */
void board_set_grid_overlay(struct board *board, bool on);

/* The page on screen (0 for a layout without pages). */
size_t board_page(const struct board *board);

/*
 * Emergency mode (layout/react.h): the operators' say, kept by the caller across boards
 * (borrowed; NULL: the alerts alone decide). The board may turn a cancel back to auto when the
 * alert it held for is gone or replaced.
 */
void board_set_emergency_control(struct board *board, struct emergency_control *control);
/* The emergency as the board shows it, brought up to date with its snapshots (borrowed). */
const struct emergency_state *board_emergency(struct board *board);
/* The theme drawn with: the layout's, or a schedule's at the last board_advance (borrowed). */
const struct theme *board_theme(const struct board *board);

/* Everything dirty (e.g. the frame buffer was lost). */
void board_invalidate_all(struct board *board);
/* One tile dirty by index (for benchmarks and tests). */
void board_invalidate_tile(struct board *board, size_t index);

/*
 * Redraws what is dirty into `target`, an image surface of the viewport's size. Returns the
 * changed device rectangles (owned by the board, valid until the next call) and their number.
 * Under board_set_screen_moves() the screen is to move pixels first (board_frame_moves).
 */
const struct irect *board_draw(struct board *board, cairo_surface_t *target, double now,
			       size_t *count);

/*
 * Whether the screen showing the frame moves pixels itself (struct screen_move): one to one,
 * on a backend that can (screens_can_move). Then a crawl's step is a move and the columns
 * that come in, and the frame does not hold the moved pixels until board_settle().
 */
void board_set_screen_moves(struct board *board, bool on);
/*
 * The moves of the last board_draw(), to be made on the screen before its rectangles are put
 * (owned by the board, valid until the next call).
 */
const struct screen_move *board_frame_moves(const struct board *board, size_t *count);
/*
 * Makes `target` (the frame the board draws into) hold what the screen shows, with what was
 * moved there: before the frame is read or put whole (a screenshot, an expose, a lost move).
 */
void board_settle(struct board *board, cairo_surface_t *target);

/* The device rectangle of tile `index` at the current viewport. */
struct irect board_tile_rect(const struct board *board, size_t index);
size_t board_tile_count(const struct board *board);
/*
 * Whether tile `index` shows a kept last good value (a newer document broke one of its
 * bindings), and when the oldest data it shows was produced (epoch s; NAN: unknown).
 */
bool board_tile_holding(const struct board *board, size_t index);
double board_tile_data_time(const struct board *board, size_t index);
/* Whether tile `index` is drawn stale (its data, or a kept value, older than max_age). */
bool board_tile_stale(const struct board *board, size_t index);
/* Whether tile `index` is on the page on screen (a tile of every page always is). */
bool board_tile_visible(const struct board *board, size_t index);
/*
 * What tile `index` says at `now`, in words (widget_impl.describe), into buf; false (buf "")
 * when its widget has no text to list.
 */
bool board_tile_describe(const struct board *board, size_t index, double now, char *buf,
			 size_t size);
/*
 * Interaction (docs/interaction.md). What a device point hits: the open detail panel (and its
 * close button), else the topmost visible tile there and the part of it (widget_impl.hit).
 */
struct board_hit {
	long tile;               // -1: no tile
	struct widget_part part; // kind WIDGET_PART_NONE: the tile as a whole
	bool panel;              // inside the open detail panel (tile is then -1)
	bool close;              // on the panel's close button
};
/* Fills *hit for device pixel (device_x, device_y); false when nothing is there. */
bool board_hit(const struct board *board, double device_x, double device_y,
	       struct board_hit *hit);
/*
 * Opens the detail panel of tile `index` (for `part` of it) over the tiles, replacing one
 * open; the next board_draw shows it. False (nothing opens) during emergency mode, which also
 * closes an open panel at board_advance.
 */
bool board_open_detail(struct board *board, size_t index, const struct widget_part *part);
void board_close_detail(struct board *board);
/* Whether a panel is open, and for which tile and part (each may be NULL). */
bool board_detail_open(const struct board *board, size_t *index, struct widget_part *part);
/* The lines widget_impl.part_lines gives for `part` of tile `index` (0 without the hook). */
size_t board_tile_part_lines(const struct board *board, size_t index,
			     const struct widget_part *part, char (*lines)[160], size_t max);
/* The widget instance of tile `index` (borrowed), for tests and tools of one widget. */
const void *board_tile_widget(const struct board *board, size_t index);
/* Moves the keyboard focus ring to tile `index` (-1: none). */
void board_set_focus(struct board *board, long index);
long board_focus(const struct board *board);

/*
 * The mode bar (widget "pages"): the page an operator chose, shown instead of the rotation's
 * (not over an emergency page) until board_choose_page(-1) gives it back (touch.c does after
 * the idle time). -1: none chosen.
 */
void board_choose_page(struct board *board, long page);
long board_chosen_page(const struct board *board);
/*
 * Zoom of the map of tile `index` (widgets/map.h): false when the tile is no map; else its zoom
 * and the box of its map at the last draw (virtual units; `map` may be NULL).
 */
struct map_zoom;
bool board_tile_zoom(const struct board *board, size_t index, struct map_zoom *zoom,
		     struct rect *map);
/* Zooms the map of tile `index` (NULL: the whole map), redrawn by the next board_draw. */
void board_zoom_tile(struct board *board, size_t index, const struct map_zoom *zoom);
/* Whether any map is zoomed; every map back to its whole view. */
bool board_zoomed(const struct board *board);
void board_unzoom(struct board *board);
/* The virtual point under device pixel (device_x, device_y) (board_hit's transform). */
void board_to_virtual(const struct board *board, double device_x, double device_y, double *x,
		      double *y);

/* The tile's index by id, or -1. */
long board_find_tile(const struct board *board, const char *id);

#endif
