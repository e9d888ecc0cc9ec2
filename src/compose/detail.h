#ifndef CITYWALL_RENDER_DETAIL_H
#define CITYWALL_RENDER_DETAIL_H

/*
 * Detail panels (docs/interaction.md): what a tapped tile, or a part of it, says at length —
 * a kpi's history as a trend with its target, a district's values on every map, a marker's or
 * a row's fields — with the definition, department and contact the layout gives. The board
 * draws the panel over its tiles; everything in it is already in memory, so a tap shows its
 * panel in the next frame.
 */

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "layout/layout.h"
#include "model/history.h"
#include "model/snapshot.h"
#include "render/text.h"
#include "util/geom.h"
#include "widgets/widget.h"

#define DETAIL_MAX_LINES 14
#define DETAIL_LINE 160
/* Cameras a marker's panel lists, nearest first. */
#define DETAIL_CAMERAS 3

/* Filled when a panel is drawn, from the board's tiles, sources and layout. */
struct detail_content {
	char title[128];
	char subtitle[128];                     // the part tapped ("강남구", a row); "" for a tile
	char lines[DETAIL_MAX_LINES][DETAIL_LINE];
	size_t line_count;
	const struct history_series *series;    // borrowed, during the draw; NULL: no trend
	double target;                          // NAN: none
	int decimals;
	const char *unit;                       // borrowed from the tile's options; "" if none
	const struct tile_detail *detail;       // borrowed from the layout
	char source[160];                       // "air · 14:02 기준"
	const struct image_data *still;         // borrowed, during the draw: the nearest camera's
	char still_title[128];                  // its name
};

struct board;
/* Fills `c` for tile `index` of `board` and `part` (WIDGET_PART_NONE: the tile) at `now`. */
void detail_fill(const struct board *board, const struct layout *layout, size_t index,
		 const struct widget_part *part, double now, struct detail_content *c);

/*
 * detail_cameras.c: the image sources with a position nearest (lat, lon), as lines of `c`, and
 * the nearest one's still; drawing the still (fitted whole into `box`) with its name.
 */
void detail_fill_cameras(const struct board *board, const struct layout *layout, double lat,
			 double lon, struct detail_content *c);
void detail_draw_still(cairo_t *cr, struct text_engine *text, const struct theme *theme,
		       const struct rect *box, const struct detail_content *c);

/*
 * The panel's rectangle and its close button's, in virtual units of `layout`'s canvas. The
 * button is a touch target of at least DETAIL_TARGET_MM on a screen of the layout's physical
 * width (`screen_width_mm`; 0: unknown, a size legible at wall distance instead).
 */
#define DETAIL_TARGET_MM 9.0
struct rect detail_panel_rect(const struct layout *layout);
struct rect detail_close_rect(const struct layout *layout, double screen_width_mm);

/* Draws the panel into `cr`, already scaled to the canvas's virtual units. */
void detail_draw(cairo_t *cr, struct text_engine *text, const struct theme *theme,
		 const struct layout *layout, double screen_width_mm,
		 const struct detail_content *c, double now);

#endif
