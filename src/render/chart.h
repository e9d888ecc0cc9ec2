#ifndef CITYWALL_RENDER_CHART_H
#define CITYWALL_RENDER_CHART_H

/*
 * What the chart widgets (trend, bar, gauge) share: round axis steps, value labels with their
 * unit, hairlines and edges snapped to device pixels so thin lines stay crisp at any scale, the
 * tile's title line, the "no data / invalid" card, and reporting bad data once per tile.
 */

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "layout/theme.h"
#include "model/value.h"
#include "render/text.h"
#include "util/geom.h"

/*
 * The most items (points, records) a chart reads from one bound array or object: bind() work
 * stays bounded whatever a feed sends. Each widget documents which ones it keeps.
 */
#define CHART_MAX_ITEMS 10000

/*
 * Numbers beyond this magnitude are refused like text: no city figure is that large, and
 * scales, coordinates and labels stay finite and exact below it.
 */
#define CHART_MAX_MAGNITUDE 1e15

/* The value as a number a chart can draw: value_number() within CHART_MAX_MAGNITUDE. */
bool chart_number(const struct value *v, double *out);

/* A value axis: [lo, hi] in steps of `step`, a round number (1, 2, 2.5 or 5 × 10^n). */
struct chart_axis {
	double lo, hi, step;
};

/*
 * Extends [lo, hi] outwards to round steps, about `ticks` of them (at least 1). An empty range
 * (lo == hi) is widened around the value first. Both must be finite.
 */
struct chart_axis chart_axis_nice(double lo, double hi, int ticks);

/* Digits after the point that labels of an axis with `step` need (0 for whole steps, at most 6). */
int chart_axis_decimals(double step);

/* Maps v from [d0, d1] to [r0, r1] (r0 when the domain is empty). */
static inline double chart_map(double v, double d0, double d1, double r0, double r1)
{
	return d1 == d0 ? r0 : r0 + (v - d0) / (d1 - d0) * (r1 - r0);
}

/* "1,234.5 ㎍/㎥" (format_number, then a space and the unit when there is one). */
void chart_format_value(double value, int decimals, bool thousands, const char *unit, char *buf,
			size_t size);

/* One device pixel in user units of `cr` (the board scales by a uniform factor). */
double chart_pixel(cairo_t *cr);
/*
 * `v` (a user x when `horizontal`, else a y) moved onto the device pixel grid: to the middle of
 * a pixel when `centre` (for 1-pixel hairlines), else to a pixel edge (for filled edges).
 */
double chart_snap(cairo_t *cr, double v, bool horizontal, bool centre);
/* A rectangle whose four edges lie on device pixel edges, so a filled bar has no soft rim. */
struct rect chart_snap_rect(cairo_t *cr, const struct rect *r);

/* The colour that marks `state` on a chart: the state's accent, the theme's accent if normal. */
struct color chart_state_color(const struct theme *theme, enum state state);
/* `c` with its alpha multiplied by `alpha`. */
struct color chart_fade(struct color c, double alpha);

/*
 * A number and its unit on one baseline, the unit smaller and muted, shrunk together until both
 * fit `max_width`. `x` is the left edge, centre or right edge as `align` says. Returns the width
 * drawn.
 */
double chart_draw_number(cairo_t *cr, struct text_engine *text, const struct theme *theme,
			 const char *number, const char *unit, struct color color, double size,
			 double x, double baseline, double max_width, enum text_align align);

/*
 * A polyline of many points, decimated as it is built: per device pixel column only the
 * first, lowest, highest and last point (in their order) are kept, which draws the same
 * picture as every point — a single spike among 10,000 readings still shows — at a cost
 * bounded by the width. Points must come in ascending x. A gap ends the current run; the line
 * is never drawn across it.
 */
enum chart_path_mode {
	CHART_PATH_LINE, // each run an open sub-path, for stroking
	CHART_PATH_AREA, // each run closed down to `baseline`, for filling
	CHART_PATH_DOTS, // only runs of one point, as circles: a lone reading between gaps
};

struct chart_vertex {
	double x, y;
	size_t order;
	bool set;
};

struct chart_path {
	cairo_t *cr; // borrowed
	enum chart_path_mode mode;
	double baseline;   // CHART_PATH_AREA: the y runs close down to
	double dot;        // CHART_PATH_DOTS: the radius
	double scale, offset; // user x to device x (the board only scales and translates)
	long column;       // the device column being collected
	bool in_run;
	size_t run_points; // points put into the path for this run
	size_t order;      // points seen
	double run_x0, run_y0;
	struct chart_vertex first, low, high, last; // of the current column
};

/* Starts a new path on `cr` (cairo_new_path) for `mode`. */
void chart_path_begin(struct chart_path *path, cairo_t *cr, enum chart_path_mode mode,
		      double baseline, double dot);
void chart_path_point(struct chart_path *path, double x, double y);
void chart_path_gap(struct chart_path *path);
/* Finishes the last run; the path is then on `cr`, ready to fill or stroke. */
void chart_path_end(struct chart_path *path);

/* The frame every chart draws first: card, title line, and what is left for the content. */
struct chart_frame {
	struct rect content; // below the title line, inside the padding
	double pad;
	double title_size;
};

/*
 * Draws the card in `fill` and `title` on its first line, with `aside` (may be NULL or "")
 * right-aligned on the same line; the title is shortened first when both do not fit.
 */
struct chart_frame chart_frame_draw(cairo_t *cr, const struct rect *r, struct text_engine *text,
				    const struct theme *theme, struct color fill, const char *title,
				    const char *aside);

/*
 * The "no data / invalid" card: the no-data colours, a stripe along the top, the title, then
 * `message` (the tile's nodata_text) large and `detail` (why, may be NULL) small below it.
 */
void chart_draw_nodata(cairo_t *cr, const struct rect *r, struct text_engine *text,
		       const struct theme *theme, const char *title, const char *message,
		       const char *detail);

/*
 * Describes a value that is not what a chart wanted, for a log line and the no-data card:
 * "missing", "a string \"점검중\"", "an object", "true", ... (strings cut at 24 bytes).
 */
void chart_describe(const struct value *v, char *buf, size_t size);

/*
 * Logs `problem` once for tile `id` of `widget` (log_once key "widget:ID"): repeated binds
 * with the same problem stay quiet. NULL means the data is good again: the key is cleared so
 * that the next problem is logged.
 */
void chart_report(const char *widget, const char *id, const char *problem);

/* A copy (caller owns) of at most `max_bytes` of `s`, cut at a UTF-8 character boundary. */
char *chart_copy_text(const char *s, size_t max_bytes);

#endif
