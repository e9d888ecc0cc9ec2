#ifndef CITYWALL_LAYOUT_TILES_PARSE_H
#define CITYWALL_LAYOUT_TILES_PARSE_H

/*
 * Reading a layout's tiles (private to layout/): templates with parameters, placement by cell
 * and span or by named grid area, nested groups with their own sub-grid, and pages. Every
 * tile ends up in one flat array (layout->tiles, parents before children) with its rectangle
 * in virtual units, its page and its parent group.
 */

#include <cJSON.h>
#include <stdbool.h>

#include "layout/layout.h"
#include "layout/options.h"

/*
 * Reads root "templates", "tiles" (shown on every page) and "pages" (each with its own tiles)
 * into layout->tiles and layout->pages; `templates` is the merged object of the file's and its
 * includes' templates (may be NULL). Reports problems to ctx; returns false if any.
 */
bool tiles_read(struct parse_ctx *ctx, const cJSON *root, const cJSON *templates,
		const struct widget_spec *const *widgets, struct layout *layout);

#endif
