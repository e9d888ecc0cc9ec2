#ifndef CITYWALL_LAYOUT_LAYOUT_H
#define CITYWALL_LAYOUT_LAYOUT_H

/*
 * A layout file parsed into a validated, immutable tree: canvas size in virtual units, a grid,
 * a theme and tiles with their widget, place and checked options. Tile rectangles are computed
 * once here, in virtual units; scaling to pixels happens in one place in render/.
 * A reload builds a new layout beside the old one and swaps only when it is valid.
 */

#include <stddef.h>

#include "derive/derive.h"
#include "layout/options.h"
#include "model/path.h"
#include "model/source.h"
#include "layout/theme.h"
#include "util/diag.h"
#include "util/geom.h"

#define LAYOUT_MAX_BYTES (4u * 1024 * 1024)

/* What the layout needs to know of a widget: its name and option table. */
struct layout;
struct tile;

struct widget_spec {
	const char *name;
	const struct option_spec *options; // NULL-key terminated
	const char *help;
	/*
	 * Optional: what the option tables cannot say alone, checked once the tile's bindings are
	 * resolved against the layout's sources (a kpi's "change" needs its source's history).
	 * Reports each problem through parse_error at its pointer; false when there were errors.
	 */
	bool (*check)(struct parse_ctx *ctx, const struct layout *layout, const struct tile *tile);
};

/* A binding option resolved at load time: which source, which path inside it. */
struct tile_binding {
	const char *key; // borrowed: the option's key in the widget's table, e.g. "value"
	size_t source;   // index into layout->sources
	char *path;      // owned: the value path without the "source:" prefix
	struct path *compiled; // owned: `path` parsed once, evaluated on every new snapshot
};

/* One source a tile may choose by distance (struct tile_nearest). */
struct tile_candidate {
	double lat, lon;   // degrees: the source's position
	const char *title; // borrowed from the source's config: its "title", else its name
};

/*
 * A tile that shows the source nearest an alert instead of a fixed one ("nearest_to",
 * docs/widgets/image.md#the-nearest-camera): the alert list is one of its bindings, the
 * candidates follow it as bindings of their own (the whole source), in file order.
 */
struct tile_nearest {
	size_t alerts;                     // index into tile->bindings: the alert list
	size_t first;                      // index into tile->bindings of the first candidate
	size_t count;                      // candidates, at least `rank`
	struct tile_candidate *candidates; // owned: `count`, same order as their bindings
	int rank;                          // 1: the nearest, 2: the second nearest …
};

/* A tile's "detail": what its panel says that no feed does. Each NULL when not given. */
struct tile_detail {
	char *department; // owned
	char *contact;    // owned
	char *definition; // owned
};

struct tile {
	char *id;                          // owned: from the file, or "tile-N"
	char *pointer;                     // owned: "/tiles/N", for messages
	const struct widget_spec *widget;  // borrowed (static)
	int column, row;                   // top-left cell, 0-based
	int column_span, row_span;
	struct rect rect;                  // virtual units
	struct option_set options;         // owned: against widget->options
	struct tile_binding *bindings;     // owned: one per binding option that is set
	size_t binding_count;
	long parent;                       // index of the group holding the tile; -1: none
	int page;                          // index into layout->pages; -1: every page
	struct tile_nearest *nearest;      // owned; NULL: the tile's sources are fixed
	struct tile_detail detail;         // owned members: "detail" (docs/interaction.md)
};

/* A named area of the canvas grid, for the designer's --grid overlay. */
struct layout_area {
	char *name;       // owned
	struct rect rect; // virtual units
};

/* A page of a rotating layout (station screens): its tiles show for `duration` seconds. */
struct page {
	char *id;        // owned
	char *title;     // owned; may be NULL
	double duration; // seconds; 0 for the single page of a layout without "pages"
	/* Shown in turn; false for the emergency page and pages a schedule names, which show
	 * only when their alert or their time comes (layout/react.h). */
	bool rotates;
};

struct grid {
	int columns, rows;
	double gap;    // between cells, virtual units
	double margin; // around the grid
};

enum status_strip {
	STATUS_STRIP_AUTO,   // show sources only while something is wrong
	STATUS_STRIP_ALWAYS, // a line per source at all times
	STATUS_STRIP_NEVER,
};

/* "screen": the physical picture and the distance it is read from (--check's legibility). */
struct layout_screen {
	bool declared;
	double width_mm, height_mm;
	double distance_m;
};

/* The least margin that holds the status strip's line, layout units. */
#define LAYOUT_STATUS_BAND_MIN 24.0

/* The source every layout has: the "feed" key, and bindings without a "name:" prefix. */
#define LAYOUT_DEFAULT_SOURCE 0

/* Where a derived value's expressions read a field, for --check against a source's fields. */
struct derive_field_ref {
	char *name;    // owned: as written (dotted for nested)
	char *pointer; // owned: the JSON pointer of the expression, e.g. "/derive/golden/value"
	int line, column;
};

/* One member of "derive" (docs/derive.md): records from a source, a figure made of them. */
struct layout_derive {
	struct derive_def def;         // owned
	size_t source;                 // index into layout->sources: where the records are
	char *path;                    // owned: the records' value path in that source
	struct path *compiled;         // owned
	struct derive_field_ref *fields; // owned
	size_t field_count;
};

/* "emergency" (docs/emergency.md): an alert list that, at or above a level, shows a page. */
struct layout_emergency {
	bool declared;         // the layout has "emergency"
	size_t source;         // index into layout->sources: where the alert list is
	char *path;            // owned: the list's value path in that source
	struct path *compiled; // owned
	int min_level;         // enum alert_level (model/alert_level.h)
	size_t page;           // index into layout->pages
	char *level_field;     // owned: the records' member with the level
	char *title_field;     // owned: the records' member with the title
};

/* One entry of "schedule" (or a page's own): a page or a theme on some days, some hours. */
struct layout_schedule {
	long page;            // index into layout->pages; -1: the entry switches no page
	struct theme *theme;  // owned: the layout's theme with the entry's applied; NULL: none
	char *theme_name;     // owned: as written, for the status document; NULL with theme
	unsigned days;        // bit 0 Monday … bit 6 Sunday: the days the entry starts on
	int from, to;         // minutes after local midnight; from > to runs over midnight
};

/* The reserved name of the pseudo-source of derived values ("derived:/golden"). */
#define LAYOUT_DERIVED_SOURCE "derived"

struct layout {
	char *file;      // owned: path as given, for messages
	char *title;     // owned; may be NULL
	char *timezone;  // owned: for "as of" times; default Asia/Seoul
	enum status_strip status_strip;
	/* owned: sources[0] is "default" (its url is the "feed" key, NULL when absent). */
	struct source_config *sources;
	size_t source_count;
	double width, height;
	struct layout_screen screen;
	struct grid grid;
	/* Layout units at the canvas's bottom where the status strip goes: the bottom margin when
	 * it is at least LAYOUT_STATUS_BAND_MIN; 0 with "never" or a narrower margin (the strip
	 * then covers the bottom of the screen, a line per message). */
	double status_band;
	struct theme theme;
	struct tile *tiles; // owned; a group comes before the tiles inside it
	size_t tile_count;
	struct page *pages; // owned; at least one
	size_t page_count;
	char **files;       // owned: the layout file and the files it includes (for reloading)
	size_t file_count;
	struct layout_area *areas; // owned: the canvas grid's named areas
	size_t area_count;
	struct layout_derive *derives; // owned: the "derive" section, in file order
	size_t derive_count;
	long derived_source; // index of the "derived" pseudo-source (no URL); -1: no "derive"
	struct layout_emergency emergency;   // owned members
	struct layout_schedule *schedule;    // owned: root entries, then pages' own, in file order
	size_t schedule_count;
	bool interactive;     // "interactive": taps and keys open detail panels
	double detail_idle_s; // an open panel closes after this long without input
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

/* The height of a group's title band (the group widget draws its title there). */
double group_title_band(const struct rect *group);

/* The index of the source called `name`, or -1. */
long layout_find_source(const struct layout *layout, const char *name);

/* The tile with `id`, or NULL. */
const struct tile *layout_find_tile(const struct layout *layout, const char *id);

#endif
