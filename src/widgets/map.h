#ifndef CITYWALL_WIDGETS_MAP_H
#define CITYWALL_WIDGETS_MAP_H

/*
 * The map widget's colours and what its last draw placed, for tests and tools. The widget
 * itself is `widget_map` in the registry like every other.
 */

#include <stdbool.h>
#include <stddef.h>

#include "layout/theme.h"
#include "util/geom.h"

struct geo;
struct geo_shape;

/* A district in state S is filled with S's accent mixed this much into the tile colour. */
#define MAP_FILL_MIX 0.6

/* The fill of a district whose value is in `state` (STATE_NODATA: the no-data grey). */
struct color map_state_fill(const struct theme *theme, enum state state);

/* A district name placed by the last draw (virtual units). */
struct map_label {
	struct rect box; // the label's box (name, and value when shown); boxes never overlap
	size_t feature;  // index into the geometry's features
	double size;     // em size of the name
	bool dark_ink;   // drawn dark on a light fill (map_labels_ink_changed keeps it current)
};

/*
 * The state of a cluster whose markers are all stale (older than their source's max_age by
 * their own marker_time_field): drawn hollow and grey. A cluster with any fresh marker takes
 * the worst state of its fresh ones.
 */
#define MAP_MARKER_STALE STATE_COUNT

/* A marker symbol (count 1) or a cluster bubble drawn by the last draw. */
struct map_cluster {
	double x, y;    // centre, virtual units
	size_t count;   // markers it stands for
	size_t first;   // index of its first marker
	int state;      // enum state: the worst state among its markers; or MAP_MARKER_STALE
};

/* The labels / clusters of the last draw of map instance `self` (borrowed until the next). */
const struct map_label *map_drawn_labels(const void *self, size_t *count);
const struct map_cluster *map_drawn_clusters(const void *self, size_t *count);
/* The boxes of the marker labels of the last draw (virtual units; borrowed until the next). */
const struct rect *map_drawn_marker_labels(const void *self, size_t *count);
/*
 * Where feature `index`'s label point lands at the last draw (virtual units); false when the
 * instance has no geometry or the index is out of range.
 */
bool map_feature_point(const void *self, size_t index, double *x, double *y);
/*
 * The area feature of `g` holding source point (x, y) (holes excluded), the first in file
 * order; false when none does.
 */
bool map_district_at(const struct geo *g, double x, double y, size_t *feature);
/* Whether the last draw drew feature `index` stale (its record older than max_age). */
bool map_feature_stale(const void *self, size_t index);
/* The geometry shown (borrowed; NULL when none could be loaded). */
const struct geo *map_geometry(const void *self);
/* The geometry as simplified for the last draw's scale (borrowed; NULL before a draw). */
const struct geo_shape *map_drawn_shape(const void *self);

/* The source coordinates of marker `index` (x: longitude, y: latitude for lon/lat maps). */
bool map_marker_point(const void *self, long index, double *x, double *y);

/*
 * Zoom (map_zoom.c, docs/interaction.md#pinch-zoom): zoomed = k * whole + (tx, ty), in the
 * tile's virtual units; k in [1, MAP_ZOOM_MAX], and the zoomed map always covers its box.
 */
#define MAP_ZOOM_MAX 8.0
struct map_zoom {
	double k, tx, ty;
};
#define MAP_ZOOM_NONE ((struct map_zoom){1, 0, 0})

/* `z` with k in [1, MAP_ZOOM_MAX] and shifted so that the map still covers `map`. */
struct map_zoom map_zoom_clamp(struct map_zoom z, const struct rect *map);
/*
 * A pinch: fingers at a = {x0, y0, x1, y1} when it began with zoom `start`, now at b. Zooms by
 * the ratio of their distances about the point between them, which follows their midpoint
 * (two fingers moved together pan). Clamped to `map` (the map's box).
 */
struct map_zoom map_zoom_pinch(struct map_zoom start, const struct rect *map, const double a[4],
			       const double b[4]);
/* `start` zoomed by `factor` about the point (x, y), which goes to the middle of `map`. */
struct map_zoom map_zoom_about(struct map_zoom start, const struct rect *map, double x, double y,
			       double factor);
/* The whole map's point under zoomed point (x, y). */
void map_zoom_unproject(const struct map_zoom *z, double x, double y, double *ux, double *uy);
/* Sets the zoom of map instance `self` (NULL: the whole map); true when it changed. */
bool map_set_zoom(void *self, const struct map_zoom *z);
/* The zoom of map instance `self`, and the map's box of its last draw (may be NULL). */
struct map_zoom map_zoom_of(const void *self, struct rect *map);

/* What the last binding of road links kept and skipped (map_links.c). */
struct map_link_tally {
	size_t records;   // link records read
	size_t links;     // drawn: at least two good points
	size_t short_links; // skipped: fewer than two good points left
	size_t no_path;   // skipped: no path text in link_path_field
	size_t points;    // points kept
	size_t bad;       // pairs that are not two numbers
	size_t outside;   // pairs outside the map's bounds
	size_t cut;       // pieces past the per-link limit (and overlong texts)
};
const struct map_link_tally *map_links_tally(const void *self);
/* The links bound to map instance `self`, and the state of link i (for tests). */
size_t map_link_count(const void *self);
enum state map_link_state(const void *self, size_t i);

/*
 * The Han river on real boundaries: the edges shared by a north-bank and a south-bank area
 * feature (the boundaries meet in the river). A feature's bank is its "bank" property
 * ("north"/"south") or else its name in `name_property`: the eleven south-bank districts
 * (강서 양천 구로 영등포 동작 관악 금천 서초 강남 송파 강동, with or without 구) are south,
 * every other named one north. Edges match when their two end points are equal, in either
 * direction. Returns the segment count and sets *segments to 2 * count points (free()), or
 * returns 0 and NULL.
 */
struct geo_point;
size_t map_river_segments(const struct geo *g, const char *name_property,
			  struct geo_point **segments);

#endif
