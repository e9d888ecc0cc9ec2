#ifndef CITYWALL_COMPOSE_OVERLAY_H
#define CITYWALL_COMPOSE_OVERLAY_H

/*
 * The operator overlay: a strip along the bottom of the board listing what is wrong (a feed
 * that cannot be read, a layout that did not reload). The board below stays as it was, so the
 * last good picture is never lost; the overlay only says why it may be old.
 *
 * The strip goes in the canvas's bottom margin (layout->status_band, a margin of at least 24
 * units), so it never covers a tile and nothing moves when a feed fails: there, all messages
 * share one line. Without a band (a narrower margin, or status_strip "never", which still
 * shows a layout that did not reload) the strip covers the bottom of the screen with a line
 * per message.
 */

#include <cairo.h>
#include <stddef.h>

#include "layout/theme.h"
#include "render/text.h"
#include "util/geom.h"

#define OVERLAY_MAX_LINES 4

/* Where the strip goes. */
struct overlay_place {
	int width, height;   // the screen, device pixels
	struct irect canvas; // the board's canvas on it, device pixels
	double scale;        // device pixels per layout unit
	double band;         // layout units reserved at the canvas's bottom; 0: none
};

/* The device rectangle the overlay covers for `lines` messages. */
struct irect overlay_rect(const struct overlay_place *place, size_t lines);

/*
 * Draws the messages (at most OVERLAY_MAX_LINES; a last line says how many more) in `cr`'s
 * user space, taken as the screen's pixels (the board maps its canvas to the frame).
 */
void overlay_draw(cairo_t *cr, struct text_engine *text, const struct theme *theme,
		  const struct overlay_place *place, const char *const *messages, size_t count);

#endif
