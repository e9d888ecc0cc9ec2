#ifndef CITYWALL_WIDGETS_TICKER_STRIP_H
#define CITYWALL_WIDGETS_TICKER_STRIP_H

/*
 * The crawl's pixels, rendered once and copied every frame. A strip is a periodic band of
 * device pixels (`period` columns, then it repeats) in the frame's own pixel format, kept as
 * segments of at most TICKER_STRIP_SEGMENT_PX columns (cairo's surfaces end at 32767 px, and a
 * cycle of 200 long messages is far wider). Each segment is painted by the ticker when it is
 * first needed, over the band's background rows, and kept while it may be needed again: all
 * of them when the period is at most four windows, else a ring just wide enough for the window
 * (a segment scrolled out is repainted for the next one). So memory stays within about four
 * windows of the band, whatever the items.
 */

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/geom.h"

#define TICKER_STRIP_SEGMENT_PX 2048

/*
 * Paints strip columns [x0, x1) into `cr`, a context on a segment whose rows are the band's
 * and whose column 0 is strip column x0; the background is already there.
 */
typedef void (*ticker_strip_paint_fn)(void *data, cairo_t *cr, long x0, long x1);

struct ticker_strip;

/* A period for a cycle of `cycle` px: whole cycles, at least a segment wide (few pieces). */
long ticker_strip_period(long cycle);

/*
 * The background under a band: the pixel value of each row of `area` of `target` (an image
 * surface of 4 bytes a pixel) into `out`, one per row; false when a row is not one flat value
 * (then a strip cannot stand for it).
 */
bool ticker_strip_read_background(cairo_surface_t *target, struct irect area, uint32_t *out);

/*
 * A strip of `period` columns and `height` rows (both > 0) in `format` (CAIRO_FORMAT_RGB24 or
 * ARGB32), shown through a window of `window` columns; row y's background is `row_bg[y]` (a
 * pixel value, copied). NULL for another format.
 */
struct ticker_strip *ticker_strip_create(cairo_format_t format, int height, long period,
					 int window, const uint32_t *row_bg);
/* Whether `strip` is what ticker_strip_create() would make of these arguments. */
bool ticker_strip_fits(const struct ticker_strip *strip, cairo_format_t format, int height,
		       long period, int window, const uint32_t *row_bg);
/* NULL is a no-op. */
void ticker_strip_destroy(struct ticker_strip *strip);

/*
 * Copies strip columns [offset, offset + w), wrapping at the period, into `target` (an image
 * surface of the strip's format) at (x, y), painting the segments it lacks with `paint`. The
 * rectangle must lie inside the target.
 */
void ticker_strip_copy(struct ticker_strip *strip, cairo_surface_t *target, int x, int y, int w,
		       long offset, ticker_strip_paint_fn paint, void *data);

/* The most pixel memory the strip may hold (every slot painted); 0 for NULL. */
size_t ticker_strip_capacity(const struct ticker_strip *strip);

/* Pixel memory held now, and segments painted so far (for tests and the benchmark). */
size_t ticker_strip_bytes(const struct ticker_strip *strip);
unsigned long ticker_strip_paints(const struct ticker_strip *strip);

#endif
