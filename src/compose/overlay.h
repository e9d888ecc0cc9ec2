#ifndef CITYWALL_COMPOSE_OVERLAY_H
#define CITYWALL_COMPOSE_OVERLAY_H

/*
 * The operator overlay: a strip along the bottom of the screen listing what is wrong (a feed
 * that cannot be read, a layout that did not reload). The board below stays as it was, so the
 * last good picture is never lost; the overlay only says why it may be old.
 */

#include <cairo.h>
#include <stddef.h>

#include "layout/theme.h"
#include "render/text.h"
#include "util/geom.h"

#define OVERLAY_MAX_LINES 4

/* The device rectangle the overlay covers for `lines` messages on a width x height screen. */
struct irect overlay_rect(int width, int height, double scale, size_t lines);

/*
 * Draws the messages (at most OVERLAY_MAX_LINES; a last line says how many more) in `cr`'s
 * user space, taken as the screen's pixels (the board maps its canvas to the frame).
 */
void overlay_draw(cairo_t *cr, struct text_engine *text, const struct theme *theme, int width,
		  int height, double scale, const char *const *messages, size_t count);

#endif
