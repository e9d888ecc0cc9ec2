#ifndef CITYWALL_LAYOUT_LAYOUT_H
#define CITYWALL_LAYOUT_LAYOUT_H

/*
 * A layout file parsed into a validated, immutable tree: canvas size in virtual units, a grid,
 * a theme and tiles with their widget, place and checked options. Tile rectangles are computed
 * once here, in virtual units; scaling to pixels happens in one place in render/.
 * A reload builds a new layout beside the old one and swaps only when it is valid.
 */

#include <stddef.h>

#include "layout/options.h"
#include "layout/theme.h"
#include "util/diag.h"
#include "util/geom.h"

#define LAYOUT_MAX_BYTES (4u * 1024 * 1024)

/* What the layout needs to know of a widget: its name and option table. */
struct widget_spec {
	const char *name;
	const struct option_spec *options; // NULL-key terminated
	const char *help;
};

struct tile {
	char *id;                          // owned: from the file, or "tile-N"
	char *pointer;                     // owned: "/tiles/N", for messages
	const struct widget_spec *widget;  // borrowed (static)
	int column, row;                   // top-left cell, 0-based
	int column_span, row_span;
	struct rect rect;                  // virtual units
	struct option_set options;         // owned: against widget->options
};

struct grid {
	int columns, rows;
	double gap;    // between cells, virtual units
	double margin; // around the grid
};

struct layout {
	char *file;      // owned: path as given, for messages
	char *title;     // owned; may be NULL
	char *feed;      // owned: default feed, resolved against the layout's folder; may be NULL
	double width, height;
	struct grid grid;
	struct theme theme;
	struct tile *tiles; // owned
	size_t tile_count;
};

/*
 * Parses a layout from text. `file` names it in messages and anchors relative paths.
 * `widgets` is a NULL-terminated list of the known widgets. Returns NULL after adding every
 * error found to diags (warnings may be added on success too).
 */
struct layout *layout_parse(const char *text, size_t len, const char *file,
			    const struct widget_spec *const *widgets, struct diag_list *diags);

/* Reads and parses a layout file. */
struct layout *layout_load(const char *file, const struct widget_spec *const *widgets,
			   struct diag_list *diags);

void layout_destroy(struct layout *layout);

/* The tile with `id`, or NULL. */
const struct tile *layout_find_tile(const struct layout *layout, const char *id);

#endif
