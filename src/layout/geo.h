#ifndef CITYWALL_LAYOUT_GEO_H
#define CITYWALL_LAYOUT_GEO_H

/*
 * Map geometry: a GeoJSON FeatureCollection (Polygon, MultiPolygon and Point features) read
 * at layout load time into plain arrays that the map widget draws without ever seeing JSON.
 * Winding order is not trusted (Seoul's public boundary files run their outer rings
 * clockwise, RFC 7946 says counter-clockwise): a polygon's first ring is its outline, the
 * others its holes, and drawing uses the even-odd rule.
 *
 * Coordinates stay as written (lon/lat degrees for real maps). When the whole file lies within
 * lon [-180, 180] and lat [-90, 90] it is taken as lon/lat and projected with x = lon *
 * cos(mid latitude); otherwise as planar coordinates (x right, y up) drawn as they are.
 *
 * A loaded geometry is immutable and reference-counted: the layout's option owns one
 * reference, and the bundled default map is shared by every tile that names no file.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Limits: a file beyond them is refused with a message, never half loaded. They are what the
 * worst file within them costs to load and draw in well under a second on a 2-core machine
 * without GPU (measured in docs/widgets/map.md); real boundary files are far smaller (Seoul's
 * districts at full resolution: 25 features, 25,222 points).
 */
#define GEO_MAX_POINTS 250000
#define GEO_MAX_RING_POINTS 125000
#define GEO_MAX_FEATURES 10000
#define GEO_MAX_RINGS 20000
#define GEO_MAX_BYTES (32u * 1024 * 1024)
/* JSON values in the whole file: bounds cJSON's memory (about 64 bytes a value). */
#define GEO_MAX_VALUES 1000000
/* Properties kept per feature, and the longest value kept (longer ones are cut). */
#define GEO_MAX_PROPERTIES 64
#define GEO_MAX_PROPERTY_BYTES 512

/* The file name of the bundled Seoul cartogram in the assets folder. */
#define GEO_DEFAULT_FILE "seoul-cartogram.geojson"

struct geo_point {
	double x, y; // lon, lat (or planar x, y)
};

/* A closed ring: points[first .. first + count); the last point may repeat the first. */
struct geo_ring {
	size_t first, count;
};

/* rings[first .. first + count): the outline, then its holes. */
struct geo_polygon {
	size_t first, count;
};

/* A feature property as text: strings as they are, numbers printed ("11680", "0.5"). */
struct geo_property {
	char *key;   // owned
	char *value; // owned
};

enum geo_kind {
	GEO_AREA,  // Polygon or MultiPolygon
	GEO_POINT, // Point
};

struct geo_feature {
	enum geo_kind kind;
	size_t first_polygon, polygon_count;   // GEO_AREA: into geo->polygons
	size_t first_property, property_count; // into geo->properties
	/*
	 * GEO_AREA: a point well inside the largest polygon (an approximation of the pole of
	 * inaccessibility, in the projected plane), where a label goes. GEO_POINT: the point.
	 */
	struct geo_point label;
	double min_x, min_y, max_x, max_y; // bounding box, source coordinates
	double area; // GEO_AREA: outlines minus holes, projected units squared; 0 for points
};

struct geo {
	int refs;                        // guarded by the module's lock; see geo_ref/geo_unref
	char *path;                      // owned: the file, for messages
	struct geo_point *points;        // owned
	size_t point_count;
	struct geo_ring *rings;          // owned
	size_t ring_count;
	struct geo_polygon *polygons;    // owned
	size_t polygon_count;
	struct geo_feature *features;    // owned
	size_t feature_count;
	struct geo_property *properties; // owned
	size_t property_count;
	double min_x, min_y, max_x, max_y; // of every feature; all 0 when there are none
	bool lonlat;                     // coordinates are lon/lat degrees (see above)
	double x_scale;                  // projection: x' = x * x_scale, y' = y; cos(mid lat) or 1
};

/*
 * Parses GeoJSON text[0..len). `name` is used in messages. Returns a geometry with one
 * reference, or NULL with a message in err naming the place ("/features/3/geometry/
 * coordinates/0: a ring needs at least 4 positions, got 3"; syntax errors with line:column).
 */
struct geo *geo_parse(const char *text, size_t len, const char *name, char *err,
		      size_t err_size);
/* Reads and parses a file (at most GEO_MAX_BYTES). */
struct geo *geo_load_file(const char *path, char *err, size_t err_size);

struct geo *geo_ref(struct geo *geo);
/* Drops a reference; the last one frees. NULL is a no-op. */
void geo_unref(struct geo *geo);

/* The value of property `key` of feature `f`, or NULL. */
const char *geo_property(const struct geo *geo, const struct geo_feature *f, const char *key);

/*
 * A geometry simplified for drawing at one scale (see geo_simplify.c). Coordinates are
 * projected (x * x_scale, y; x right, y up) and stored as floats relative to (ox, oy), so
 * they stay exact to far below a pixel even at 8K. Every ring keeps at least three corners
 * (it is not closed: drawing closes it); outlines run counter-clockwise and holes clockwise,
 * so shapes can be filled with the non-zero rule, several features in one path.
 */
struct geo_shape_point {
	float x, y;
};

struct geo_shape_ring {
	uint32_t first, count; // into points
};

struct geo_shape {
	double tolerance;                // projected units: no point moved farther than this
	double ox, oy;                   // projected coordinates of the stored (0, 0)
	struct geo_shape_point *points;  // owned
	size_t point_count;
	struct geo_shape_ring *rings;    // owned
	size_t ring_count;
	uint32_t *feature_rings;         // owned: feature i's rings are [fr[i], fr[i + 1])
	size_t feature_count;
	double length;                   // of every ring's outline, projected units
};

/*
 * Simplifies `geo` so that no drawn point is farther than `tolerance` (projected units) from
 * the source outline, and rings whose extent is under twice the tolerance are dropped. When
 * the result would still hold more than GEO_SHAPE_MAX_POINTS points and more than four a ring
 * (noise within the limits), the tolerance is doubled until it does not: at most
 * max(GEO_SHAPE_MAX_POINTS, 4 * GEO_MAX_RINGS) points. Work is O(points) per pass with a
 * bounded number of passes; nothing recurses. Returns a new shape (geo_shape_destroy).
 */
#define GEO_SHAPE_MAX_POINTS 32768
struct geo_shape *geo_simplify(const struct geo *geo, double tolerance);
/* NULL is a no-op. */
void geo_shape_destroy(struct geo_shape *shape);

/* OPT_ASSET callbacks: the option's asset is a `struct geo *` holding one reference. */
bool geo_asset_load(const char *path, void **asset, char *err, size_t err_size);
void geo_asset_unload(void *asset);

/*
 * The folder holding the bundled assets, found at run time (the caller owns the result), or
 * NULL. In order: $CITYWALL_ASSET_DIR; the folder named by the CITYWALL_ASSET_DIR define if the
 * build sets one; relative to the executable: ../../assets (an uninstalled build folder inside
 * the source tree: build/src/citywall, build/tests/test_map) and ../share/citywall/assets (an
 * installed prefix/bin/citywall); $CITYWALL_SOURCE_ROOT/assets (the test suite's environment).
 * A folder counts when it holds GEO_DEFAULT_FILE.
 */
char *geo_asset_dir(void);

/*
 * The bundled Seoul cartogram, loaded on first use and shared while anyone holds it: a new
 * reference, or NULL with a message in err (the asset folder was not found, or the file is
 * broken). Thread-safe.
 */
struct geo *geo_default_acquire(char *err, size_t err_size);

#endif
