#ifndef CITYWALL_COMPOSE_GRID_OVERLAY_H
#define CITYWALL_COMPOSE_GRID_OVERLAY_H

/*
 * The designer's overlay (--grid): the canvas grid's cells, its named areas, and every tile's
 * id, drawn over the board so a layout file can be matched to what the wall shows.
 */

#include <cairo.h>

#include "layout/layout.h"
#include "render/text.h"

/* Draws in virtual units (the caller has applied the board's scale and offset). */
void grid_overlay_draw(cairo_t *cr, const struct layout *layout, size_t page,
		       struct text_engine *text);

#endif
