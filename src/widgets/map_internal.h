#ifndef CITYWALL_WIDGETS_MAP_INTERNAL_H
#define CITYWALL_WIDGETS_MAP_INTERNAL_H

/*
 * What the map widget's files share: its state and the functions one part calls in another.
 * Private to src/widgets/map*.c; tests and tools use widgets/map.h.
 *   map.c          options, create/destroy, binding values, colours, drawing in order
 *   map_layers.c   placement and projection, district fills and outlines, cached layers
 *   map_legend.c   district names (placement without collisions) and the legend
 *   map_markers.c  binding markers, clustering, symbols and bubbles (sprites)
 *   map_zoom.c     the pinch and zoom maths, the zoom of an interactive map
 */

#include "widgets/map.h"
#include "widgets/widget.h"

#include "layout/geo.h"
#include "layout/options.h"

#include "model/xylist.h"

#include <cairo.h>

/* Bounded work: records and markers past these are ignored (and logged once). */
#define MAX_RECORDS 10000
#define MAX_MARKERS 10000
/* Name candidates, largest districts first; marker labels drawn per frame. */
#define MAX_LABELS 2000
#define MAX_MARKER_LABELS 300

enum symbol { SYMBOL_CIRCLE, SYMBOL_SQUARE, SYMBOL_TRIANGLE, SYMBOL_DIAMOND, SYMBOL_COUNT };

enum data_status {
	DATA_UNBOUND, // no `values` option: a plain map
	DATA_MISSING, // the path leads nowhere
	DATA_INVALID, // not an array or object
	DATA_OK,
};

struct marker {
	double x, y; // source coordinates
	enum symbol symbol;
	enum state state;
	char *label; // owned; NULL: none
	char *layer; // owned: its layer's name in the legend (the member holding it, or its category)
	double time; // its own time (marker_time_field), epoch s; NAN: none
};

/* Marker symbols and bubbles drawn once per device scale; see sprite(). */
#define MAX_SPRITES 256

struct sprite {
	int kind;                  // an enum symbol, or SYMBOL_COUNT + a bubble's radius in pixels
	int state;
	cairo_surface_t *surface;  // owned; square, its centre on the marker
};

struct layer {
	cairo_surface_t *surface; // owned; NULL: not drawn
	int x, y;                 // device pixel of its top-left corner
	struct budget *budget;    // borrowed: what `bytes` are charged to (the board's)
	size_t bytes;             // charged for `surface`
	bool transient;           // refused by the budget: used for one draw, then dropped
	/* Packed (the lines): `surface` holds only the squares with ink, one under another. */
	struct layer_square *squares; // owned; NULL: `surface` is the whole layer
	size_t square_count;
};

/* The side of a packed layer's squares, device pixels. */
#define LAYER_SQUARE 32

/* Where square i of a packed layer (its surface's rows from i x LAYER_SQUARE) goes, device px. */
struct layer_square {
	int x, y;
};

/* Road links: polylines in source coordinates (warped onto the cartogram's squares). */
struct map_link {
	size_t first, count; // into points
	enum state state;
};

struct map_links {
	struct xylist_point *points; // owned
	size_t point_count;
	struct map_link *links;      // owned
	size_t count;
	struct map_link_tally tally; // of the last binding
};

/* The river's centre line: segments (a, b) as pairs of points, source coordinates. */
struct map_river {
	bool derived;                // segments computed (possibly none)
	struct geo_point *segments;  // owned: 2 * count points
	size_t count;
};

/* Where things go at the current size (virtual units); cheap, recomputed every draw. */
struct view {
	struct rect title, map, legend;
	bool legend_side;
	double scale, ox, oy; // source → virtual: x' = ox + x * k * scale, y' = oy - y * scale
	double device;        // device pixels per virtual unit
	cairo_pattern_t *hatch; // borrowed from the map: the no-data hatching at this scale
};

/* Simplified geometries, one per scale the tile was drawn at (1080p and 8K each their own). */
#define MAP_SHAPES 4
/*
 * Names are placed on the unsimplified outlines up to this many points in the file (a name
 * that just fits must not shrink because a corner moved by half a pixel), on the simplified
 * ones beyond (placement tests every edge of a district for each try).
 */
#define MAP_EXACT_LABEL_POINTS 65536
/*
 * Outlines are drawn while their length stays under this many times the map's width plus
 * height (Seoul's 25 districts: about 10; every dong of Korea: a few hundred). Past it,
 * features piled on each other would cost seconds of stroking for a picture that is all
 * outline: the fills are drawn without them (logged once).
 */
#define MAP_OUTLINE_INK 512

struct shape_entry {
	struct geo_shape *shape; // owned; NULL: free slot
	double tolerance;        // what it was asked for (quantised), projected units
	unsigned long used;      // for dropping the least recently used
};

struct keyed {
	const char *key; // borrowed from the geometry
	size_t feature;
};

struct cache_key {
	cairo_matrix_t matrix;
	const struct theme *theme;
	struct rect map;
};

enum map_labels { MAP_LABELS_NAME, MAP_LABELS_NAME_ENG, MAP_LABELS_NONE };

/* The tile's options, filled once at create (options_fill); texts borrowed from the tile. */
struct map_opts {
	const char *title;
	void *geojson; // struct geo *, borrowed; NULL: the bundled cartogram
	const char *key_property;
	const char *name_property;
	const char *name_eng_property;
	int labels; // enum map_labels
	bool values_set;
	const char *value_key;
	const char *value_field;
	const char *time_field;
	const char *stale_text;
	const struct thresholds *thresholds;
	double scale_min;
	bool scale_min_set;
	double scale_max;
	bool scale_max_set;
	struct color low_color;
	struct color high_color;
	const char *unit;
	int decimals;
	bool show_values;
	bool legend;
	const char *legend_title;
	const char *nodata_text;
	const char *marker_lat;
	const char *marker_lon;
	const char *marker_lon_lat;
	const char *marker_category;
	const char *marker_state;
	const char *marker_label;
	const char *marker_time_field;
	double marker_size;
	bool cluster;
	bool links_set;
	const char *link_path_field;
	const char *link_value_field;
	const struct thresholds *link_thresholds;
	bool river;
	bool cache;
};

struct map {
	const struct tile *tile;      // borrowed
	struct map_opts o;
	struct geo *geo;              // owned reference; NULL: no map (see geo_error)
	char geo_error[256];
	char log_key[96];
	struct keyed *index;          // owned: features with a key, sorted by key
	size_t keyed;
	enum data_status status;
	double *values;               // owned: per feature
	bool *has;                    // owned: per feature
	bool *changed;                // owned: per feature, fill differs from the fills layer
	double *times;                // owned: per feature, its record's own time; NAN: none
	bool *stale;                  // owned: per feature, drawn stale by the last draw
	double values_max_age;        // of the source of `values` / `markers`; INFINITY: unknown
	double markers_max_age;
	size_t matched;
	double data_min, data_max;    // of the matched values
	struct marker *markers;       // owned
	size_t marker_count;
	bool have_key;
	struct cache_key key;
	struct layer fills, lines;
	bool fills_valid;
	struct map_label *labels;     // owned: the placement of the current size
	size_t label_count;
	struct map_cluster *clusters; // owned: the last draw's
	size_t cluster_count;
	struct rect *marker_labels;   // owned: the last draw's marker label boxes
	size_t marker_label_count;
	struct view view;             // of the last draw (zoomed)
	struct map_zoom zoom;         // the interactive zoom; MAP_ZOOM_NONE: the whole map
	struct shape_entry shapes[MAP_SHAPES];
	unsigned long shape_clock;
	const struct geo_shape *shape; // borrowed from shapes: the current draw's
	struct geo_shape *exact;      // owned: unsimplified, for placing names (small files)
	const struct geo_shape *label_shape; // borrowed: exact, or shape for large files
	cairo_pattern_t *hatch;       // owned: repeating no-data hatching, in device pixels
	const struct theme *hatch_theme; // borrowed: the theme it was drawn for
	struct sprite sprites[MAX_SPRITES];
	size_t sprite_count;
	double sprite_device;         // the device scale and theme the sprites were drawn for
	const struct theme *sprite_theme; // borrowed
	struct map_links links;       // road links (map_links.c)
	struct map_river river;       // the Han on real boundaries (map_river.c), derived once
	/* What the last draw saw: a change of district values alone is drawn in place (map_update.c). */
	bool drawn;                   // map_draw ran, and nothing but values changed since: see `whole`
	bool whole;                   // something besides district values changed since the last draw
	cairo_matrix_t drawn_matrix;  // its user-to-device transform
	struct rect drawn_rect;
	const struct theme *drawn_theme; // borrowed
	unsigned drawn_legend;        // map_legend_key() at the last draw
	bool labels_placed;           // during an in-place draw: the labels are placed for it already
};

static inline const struct map_opts *opts(const struct map *m)
{
	return &m->o;
}

static inline struct color mix(struct color a, struct color b, double t)
{
	return (struct color){a.r * t + b.r * (1 - t), a.g * t + b.g * (1 - t),
			      a.b * t + b.b * (1 - t), 1};
}

/* Source coordinates → virtual units under view `v`. */
static inline void project(const struct map *m, const struct view *v, double x, double y,
			   double *px, double *py)
{
	*px = v->ox + x * m->geo->x_scale * v->scale;
	*py = v->oy - y * v->scale;
}

/* map_zoom.c: view `v` of the whole map zoomed by `z`. */
void map_zoom_view(const struct map_zoom *z, struct view *v);

/* map.c: the continuous scale's ends; the fill of feature i (false: no data, hatched). */
/* map_hit.c: widget_impl.hit and part_lines. */
bool map_hit(void *self, const struct rect *r, double x, double y, struct widget_part *part);
size_t map_part_lines(void *self, const struct widget_part *part, char (*lines)[160],
		      size_t max);

void map_scale_range(const struct map *m, double *lo, double *hi);
/*
 * Brings each placed label's ink (dark on a light fill) up to the current fills; true when
 * any changed, so that a layer holding the names is drawn again.
 */
bool map_labels_ink_changed(struct map *m, const struct theme *theme);
bool map_feature_fill(const struct map *m, size_t i, const struct theme *theme,
		      struct color *out);

/* map_markers.c: a marker symbol of size `size` centred at (x, y) in the theme's accent. */
void map_draw_symbol(cairo_t *cr, enum symbol symbol, double x, double y, double size,
		     const struct theme *theme);

/* map_layers.c */
void map_compute_view(const struct map *m, cairo_t *cr, const struct rect *r, struct view *v);
/*
 * Picks the simplified geometry for view `v` (m->shape), computing it once per scale, and the
 * hatching pattern (v->hatch) for the theme.
 */
void map_prepare(struct map *m, struct view *v, const struct theme *theme);
void map_drop_caches(struct map *m);
/* Fills the current path with the no-data hatching (one pattern fill, never a loop of lines). */
void map_hatch(cairo_t *cr, const struct view *v);
void map_drop_layer(struct layer *l);
/* Fills, outlines and names: from the cached layers when the tile allows, else directly. */
void map_draw_districts(struct map *m, cairo_t *cr, const struct view *v,
			const struct widget_ctx *ctx);

/* map_legend.c */
/* The device box of the districts whose fill changed (m->changed); false when none did. */
bool map_changed_box(cairo_t *cr, const struct map *m, const struct view *v, double box[4]);
/* What the legend's entries depend on besides the options: no data, stale, missing. */
unsigned map_legend_key(const struct map *m);
extern const struct widget_impl widget_map;
/* widget_impl.animate: district values drawn in place (map_update.c). */
bool map_update_in_place(void *self, cairo_t *cr, const struct rect *r,
			 const struct widget_ctx *ctx, double now, struct widget_damage *damage);
/* map_draw's last steps: remembers what map_update_in_place compares with. */
void map_note_drawn(struct map *m, cairo_t *cr, const struct rect *r, const struct theme *theme,
		    const cairo_matrix_t *matrix);
/* Districts turning stale at `now` are marked changed (map.c). */
void map_update_stale(struct map *m, double now);
void map_place_labels(struct map *m, cairo_t *cr, struct text_engine *te,
		      const struct view *v, const struct theme *theme);
void map_draw_labels(cairo_t *cr, struct text_engine *te, const struct map *m,
		     const struct view *v, const struct theme *theme);
void map_draw_legend(cairo_t *cr, const struct map *m, const struct view *v,
		     const struct widget_ctx *ctx);

/* map_markers.c */
/* Whether the marker `mk` is stale at `now`. */
bool map_marker_stale(const struct map *m, const struct marker *mk, double now);
bool map_bind_markers(struct map *m, const struct value *records);
void map_free_markers(struct marker *markers, size_t count);
void map_drop_sprites(struct map *m);
void map_draw_markers(struct map *m, cairo_t *cr, const struct view *v,
		      const struct widget_ctx *ctx, double now);

/* map_links.c */
bool map_bind_links(struct map *m, const struct value *records);
void map_free_links(struct map *m);
/* The links over the districts, then (when links are bound) the district names over them. */
void map_draw_links(struct map *m, cairo_t *cr, const struct view *v,
		    const struct widget_ctx *ctx);
/* Whether the names are drawn live over the links rather than in the cached layers. */
bool map_names_over_links(const struct map *m);

/* map_river.c: the river on real boundaries, along the shared north/south edges. */
void map_draw_shared_river(cairo_t *cr, struct map *m, const struct view *v);
void map_free_river(struct map *m);

/* map_markers.c: features' real centroids and squares on a cartogram (see there). */
struct map_anchor {
	double lon, lat;               // the district's real centroid
	double cx, cy, half_w, half_h; // its square on the cartogram
};
size_t map_cartogram_anchors(const struct geo *g, struct map_anchor **out);

#endif
