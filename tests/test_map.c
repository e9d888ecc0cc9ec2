/*
 * The map widget and its GeoJSON loader: broken files are layout errors with file:line (never
 * a crash), districts take the colour their value maps to, a changed value repaints through
 * the cache exactly as a fresh draw would, crowded markers become one bubble, names never
 * collide, and golden images of the bundled cartogram (tests/golden/cases.d/map.txt) and of
 * the public Seoul boundary files.
 *
 * Cases that read ../shared/data (the public boundary files and the air-quality sample, used
 * by path and never copied) are skipped with a TAP SKIP when that folder is absent; set
 * CITYWALL_SHARED_DATA to use another place. MAP_UPDATE_GOLDEN=1 rewrites their references
 * (tests/golden/map-seoul-*.png) instead of comparing: look at them before committing.
 */

#include "check.h"
#include "image_compare.h"
#include "map_rig.h"

#include "app/screenshot.h"
#include "app/wall.h"
#include "feed/snapshot_parse.h"
#include "layout/geo.h"
#include "util/xmalloc.h"
#include "widgets/map.h"
#include "widgets/widget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define T0 1795564800.0 /* 2026-11-25T09:00:00+09:00 */
#define PM10_STEPS                                                                         \
	"[{\"from\": 0, \"state\": \"good\"}, {\"from\": 31, \"state\": \"moderate\"}, "   \
	"{\"from\": 81, \"state\": \"bad\"}, {\"from\": 151, \"state\": \"very_bad\"}]"

/* --- a map tile driven directly: layout → create → bind → draw ------------------------- */

/* rig_bind() from a source whose data is stale after `max_age` seconds. */
static bool rig_bind_aged(struct rig *r, const char *json, double max_age)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct snapshot *snap = snapshot_parse(json, strlen(json), "test", "default",
					       "generated_at", T0, &diags);
	diag_list_finish(&diags);
	struct source_data data[4] = {{.current = snap, .data_time = T0, .max_age = max_age}};
	struct binding_values values;
	layout_bind_tile(&r->layout->tiles[0], data, &values);
	bool changed = r->impl->bind(r->map, &values);
	snapshot_unref(snap);
	return changed;
}

static bool rig_bind_file(struct rig *r, const char *path)
{
	char *json = read_file(path);
	bool changed = json && rig_bind(r, json);
	free(json);
	return changed;
}

/* Draws the tile at `scale` device pixels per unit into a new surface. */
/* The index of the feature whose `property` is `value`, or (size_t)-1. */
static size_t feature_by(const struct geo *g, const char *property, const char *value)
{
	for (size_t i = 0; g && i < g->feature_count; i++) {
		const char *v = geo_property(g, &g->features[i], property);
		if (v && strcmp(v, value) == 0) {
			return i;
		}
	}
	return (size_t)-1;
}

/* Checks that feature `key`'s label point shows the fill of `state`. */
static void check_fill(struct rig *r, cairo_surface_t *s, double scale, const char *property,
		       const char *key, enum state state)
{
	size_t i = feature_by(map_geometry(r->map), property, key);
	double x, y;
	CHECK(map_feature_point(r->map, i, &x, &y));
	struct color want = map_state_fill(&r->layout->theme, state);
	struct color got = pixel(s, x * scale, y * scale);
	if (!near_color(got, want)) {
		printf("# %s=%s at (%.0f, %.0f): got #%02x%02x%02x, want %s #%02x%02x%02x\n",
		       property, key, x, y, (int)(got.r * 255), (int)(got.g * 255),
		       (int)(got.b * 255), state_name(state), (int)(want.r * 255 + 0.5),
		       (int)(want.g * 255 + 0.5), (int)(want.b * 255 + 0.5));
	}
	CHECK(near_color(got, want));
}

static void check_grey(struct rig *r, cairo_surface_t *s, const char *property, const char *key);

/* --- the loader ----------------------------------------------------------------------- */

/* A clockwise square with a hole, a MultiPolygon of two squares, a Point. */
static const char *small_geojson =
	"{\"type\": \"FeatureCollection\", \"features\": [\n"
	" {\"type\": \"Feature\", \"id\": 7, \"properties\": {\"code\": 11680, \"name\": \"강남구\","
	"  \"flag\": true, \"none\": null},\n"
	"  \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [\n"
	"   [[0, 0], [0, 10], [10, 10], [10, 0], [0, 0]],\n"
	"   [[1, 1], [9, 1], [9, 9], [1, 9], [1, 1]]]}},\n"
	" {\"type\": \"Feature\", \"properties\": {\"code\": \"B\"},\n"
	"  \"geometry\": {\"type\": \"MultiPolygon\", \"coordinates\": [\n"
	"   [[[20, 0], [22, 0], [22, 2], [20, 2], [20, 0]]],\n"
	"   [[[30, 0], [36, 0], [36, 6], [30, 6], [30, 0]]]]}},\n"
	" {\"type\": \"Feature\", \"properties\": null, \"geometry\": null},\n"
	" {\"type\": \"Feature\", \"properties\": {\"code\": \"P\"},\n"
	"  \"geometry\": {\"type\": \"Point\", \"coordinates\": [5, 20]}}\n"
	"]}\n";

static void loader_reads_features(void)
{
	char err[512] = "";
	struct geo *g = geo_parse(small_geojson, strlen(small_geojson), "small", err, sizeof(err));
	CHECK_STR(err, "");
	CHECK(g != NULL);
	if (!g) {
		return;
	}
	CHECK_INT(g->feature_count, 3); // the feature without geometry is skipped
	CHECK_INT(g->polygon_count, 3);
	CHECK_INT(g->ring_count, 4);
	CHECK_INT(g->features[0].kind, GEO_AREA);
	CHECK_INT(g->features[1].polygon_count, 2);
	CHECK_INT(g->features[2].kind, GEO_POINT);
	CHECK_STR(geo_property(g, &g->features[0], "code"), "11680");
	CHECK_STR(geo_property(g, &g->features[0], "flag"), "true");
	CHECK_STR(geo_property(g, &g->features[0], "id"), "7");
	CHECK(geo_property(g, &g->features[0], "none") == NULL);
	CHECK(g->lonlat);
	CHECK_NEAR(g->min_x, 0, 0);
	CHECK_NEAR(g->max_x, 36, 0);
	CHECK_NEAR(g->max_y, 20, 0);
	CHECK_NEAR(g->x_scale, cos(10 * M_PI / 180), 1e-12);
	/* Areas ignore winding: 100 - 64 for the square with a hole. */
	CHECK_NEAR(g->features[0].area, (100 - 64) * g->x_scale, 1e-9);
	/* The label point lies in the ring between outline and hole, not in the hole. */
	struct geo_point l = g->features[0].label;
	bool in_ring = l.x > 0 && l.x < 10 && l.y > 0 && l.y < 10 &&
		       !(l.x > 1 && l.x < 9 && l.y > 1 && l.y < 9);
	CHECK(in_ring);
	/* A MultiPolygon is labelled in its largest part. */
	CHECK(g->features[1].label.x > 30 && g->features[1].label.x < 36);
	CHECK_NEAR(g->features[2].label.x, 5, 0);
	geo_unref(g);
}

static void planar_coordinates_are_not_projected(void)
{
	const char *text = "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\","
			   " \"properties\": {}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\":"
			   " [[[950000, 1950000], [960000, 1950000], [960000, 1960000],"
			   " [950000, 1950000]]]}}]}";
	char err[256] = "";
	struct geo *g = geo_parse(text, strlen(text), "planar", err, sizeof(err));
	CHECK(g && !g->lonlat && g->x_scale == 1);
	geo_unref(g);
}

struct broken_case {
	const char *geojson; // NULL: generated
	const char *message; // expected after "layout.json:5: /tiles/0/geojson: DIR/broken.geojson"
};

static const char *feature(const char *geometry)
{
	static char buf[1024];
	snprintf(buf, sizeof(buf),
		 "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", "
		 "\"properties\": {}, \"geometry\": %s}]}",
		 geometry);
	return buf;
}

static void check_broken(const char *geojson, const char *message)
{
	char *file = tmp_path("broken.geojson");
	write_file(file, geojson);
	struct rig r;
	CHECK(!rig_open(&r, "\"geojson\": \"broken.geojson\""));
	char *want = fmt("%s/layout.json:5: /tiles/0/geojson: %s%s", tmp_dir, file, message);
	if (!strstr(r.messages, want)) {
		printf("# want: %s\n#  got: %s\n", want, r.messages);
	}
	CHECK(strstr(r.messages, want) != NULL);
	free(want);
	rig_close(&r);
	free(file);
}

static void broken_geojson_is_a_layout_error(void)
{
	char *f = tmp_path("broken.geojson");
	struct broken_case cases[] = {
		{"{\"type\": \"FeatureCollection\", \"features\": {}}",
		 ": /features: must be an array of features, got an object"},
		{"{\"type\": \"Topology\"}", ": /type: must be \"FeatureCollection\", got \"Topology\""},
		{"[1, 2]", ": /: must be a GeoJSON object, got an array"},
		{"{\"type\": \"FeatureCollection\", \"features\": [}", ":1:44: expected a value"},
		{"{\"type\": \"FeatureCollection\", \"features\": []}",
		 ": /features: no feature with a geometry"},
		{"{\"type\": \"FeatureCollection\", \"features\": [3]}",
		 ": /features/0: a feature must be an object, got a number"},
		{"{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\","
		 " \"properties\": [], \"geometry\": null}]}",
		 ": /features/0/properties: must be an object or null, got an array"},
		{NULL, ": /features/0/geometry/coordinates: a polygon must be a non-empty array of "
		       "rings, got a string"},
		{NULL, ": /features/0/geometry/coordinates/0: empty ring"},
		{NULL, ": /features/0/geometry/coordinates/0: a ring needs at least 4 positions, got 3"},
		{NULL, ": /features/0/geometry/coordinates/0/1: coordinates must be finite numbers"},
		{NULL, ": /features/0/geometry/coordinates/0/2: must be a position [lon, lat], got an "
		       "array"},
		{NULL, ": /features/0/geometry/type: unsupported geometry \"LineString\""},
		{NULL, ": /features/0/geometry/coordinates/1/0/0: must be a position [lon, lat], got "
		       "a number"},
		{NULL, ": /features/0/geometry: a geometry must be an object, got a string"},
		{NULL, "cannot open"},
	};
	const char *geometries[] = {
		"{\"type\": \"Polygon\", \"coordinates\": \"x\"}",
		"{\"type\": \"Polygon\", \"coordinates\": [[]]}",
		"{\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [1, 1], [0, 0]]]}",
		"{\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [1e999, 1], [1, 0], [0, 0]]]}",
		"{\"type\": \"Polygon\", \"coordinates\": [[[0, 0], [1, 1], [\"a\", \"b\"], [0, 0]]]}",
		"{\"type\": \"LineString\", \"coordinates\": [[0, 0], [1, 1]]}",
		"{\"type\": \"MultiPolygon\", \"coordinates\": [[[[0, 0], [1, 0], [1, 1], [0, 0]]],"
		" [[1, 2, 3]]]}",
		"\"Polygon\"",
	};
	size_t g = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(cases[i].message, "cannot open") == 0) {
			remove(f);
			struct rig r;
			CHECK(!rig_open(&r, "\"geojson\": \"broken.geojson\""));
			CHECK(strstr(r.messages, "layout.json:5: /tiles/0/geojson: cannot open") != NULL);
			rig_close(&r);
			continue;
		}
		check_broken(cases[i].geojson ? cases[i].geojson : feature(geometries[g++]),
			     cases[i].message);
	}
	free(f);
}

/* Writes a FeatureCollection of `features` features with `points` points in all. */
static void write_big(const char *path, size_t features, size_t points_per_ring)
{
	FILE *f = fopen(path, "w");
	fputs("{\"type\": \"FeatureCollection\", \"features\": [\n", f);
	for (size_t i = 0; i < features; i++) {
		fprintf(f, "%s{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":", i ? "," : "");
		if (points_per_ring == 1) {
			fprintf(f, "\"Point\",\"coordinates\":[%zu,1]}}\n", i % 100);
			continue;
		}
		fputs("\"Polygon\",\"coordinates\":[[", f);
		for (size_t p = 0; p < points_per_ring; p++) {
			fprintf(f, "%s[%zu,%zu]", p ? "," : "", p % 1000, p / 1000);
		}
		fputs("]]}}\n", f);
	}
	fputs("]}\n", f);
	fclose(f);
}

/* Expects `file` in the rig's layout to be refused with exactly `message` after its name. */
static void check_refused(const char *file, const char *message)
{
	char *want = fmt("%s/layout.json:5: /tiles/0/geojson: %s%s", tmp_dir, file, message);
	struct rig r;
	CHECK(!rig_open(&r, "\"geojson\": \"broken.geojson\""));
	CHECK_STR(r.messages, want);
	rig_close(&r);
	free(want);
}

static void geojson_over_limits_refused_with_message(void)
{
	char *file = tmp_path("broken.geojson");
	/* Points in all: refused by the scan, before cJSON builds anything. */
	write_big(file, 3, GEO_MAX_POINTS / 3 + 1);
	check_refused(file, ": /: too many points: more than 250000 (the limit)");
	/* Points in one ring. */
	write_big(file, 1, GEO_MAX_RING_POINTS + 1);
	check_refused(file, ": /features/0/geometry/coordinates/0: too many points in one ring: "
			    "more than 125000 (the limit)");
	/* One feature too many. */
	write_big(file, GEO_MAX_FEATURES + 1, 1);
	check_refused(file, ": /features: too many features: more than 10000 (the limit)");
	/* Rings: a MultiPolygon of squares, one too many. */
	FILE *f = fopen(file, "w");
	fputs("{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", "
	      "\"properties\": {}, \"geometry\": {\"type\": \"MultiPolygon\", \"coordinates\": [",
	      f);
	for (int i = 0; i <= GEO_MAX_RINGS; i++) {
		fprintf(f, "%s[[[%d,0],[%d,1],[%d,1],[%d,0],[%d,0]]]", i ? "," : "", i, i, i + 1,
			i + 1, i);
	}
	fputs("]}}]}", f);
	fclose(f);
	check_refused(file, ": /features/0/geometry/coordinates/20000/0: too many rings: more than "
			    "20000 (the limit)");
	/* The file's size: a valid small map padded with spaces past the limit. */
	f = fopen(file, "w");
	fputs(feature("{\"type\": \"Point\", \"coordinates\": [1, 2]}"), f);
	static char spaces[1 << 16];
	memset(spaces, ' ', sizeof(spaces));
	for (size_t n = 0; n <= GEO_MAX_BYTES; n += sizeof(spaces)) {
		fwrite(spaces, 1, sizeof(spaces), f);
	}
	fclose(f);
	char *message = fmt(" is larger than %u bytes", GEO_MAX_BYTES);
	check_refused(file, message);
	free(message);
	remove(file);
	free(file);
}

/* A FeatureCollection of `features` circles of `points` points each (lon/lat around Seoul). */
static char *circles_json(size_t features, size_t points, double radius)
{
	size_t cap = features * (points * 40 + 160) + 128, len = 0;
	char *text = xmalloc(cap);
	len += (size_t)snprintf(text, cap, "{\"type\": \"FeatureCollection\", \"features\": [");
	for (size_t f = 0; f < features; f++) {
		len += (size_t)snprintf(text + len, cap - len,
					"%s{\"type\": \"Feature\", \"properties\": {\"code\": \"%zu\"}, "
					"\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[",
					f ? "," : "", f);
		for (size_t p = 0; p <= points; p++) {
			double a = 2 * M_PI * (double)(p % points) / (double)points;
			len += (size_t)snprintf(text + len, cap - len, "%s[%.9f,%.9f]", p ? "," : "",
						126.98 + radius * cos(a), 37.55 + radius * sin(a));
		}
		len += (size_t)snprintf(text + len, cap - len, "]]}}");
	}
	snprintf(text + len, cap - len, "]}");
	return text;
}

/* A ring at the limit loads (from memory, in bounded time). */
static void geojson_ring_at_limit_loads(void)
{
	char *text = circles_json(1, GEO_MAX_RING_POINTS - 1, 0.1);
	char err[512] = "";
	struct geo *g = geo_parse(text, strlen(text), "limit", err, sizeof(err));
	CHECK_STR(err, "");
	CHECK(g && g->point_count == GEO_MAX_RING_POINTS && g->feature_count == 1);
	geo_unref(g);
	free(text);
}

/* Every shape point of ring r lies within `tol` of the circle (projected plane). */
static bool on_circle(const struct geo *g, const struct geo_shape *sh, double radius,
		      double tol)
{
	double cx = 126.98 * g->x_scale - sh->ox, cy = 37.55 - sh->oy;
	for (size_t i = 0; i < sh->point_count; i++) {
		double dx = (sh->points[i].x - cx) / g->x_scale, dy = sh->points[i].y - cy;
		/* The circle is round in lon/lat; its projection is an ellipse. */
		double r = hypot(dx, dy);
		if (fabs(r - radius) > tol / g->x_scale + 1e-6) {
			return false;
		}
	}
	return true;
}

/*
 * A circle of 125,000 points (the limit of a ring) drawn 1000 units wide keeps a few dozen:
 * what can be seen. The shape is made once per scale: 4x finer at 8K, and both kept
 * (redrawing at either is a lookup).
 */
static void geojson_circle_ring_simplified_per_scale(void)
{
	char *text = circles_json(1, GEO_MAX_RING_POINTS - 1, 0.1);
	char *file = tmp_path("big.geojson");
	write_file(file, text);
	free(text);
	struct rig r;
	CHECK(rig_open(&r, "\"geojson\": \"big.geojson\", \"legend\": false"));
	const struct geo *g = map_geometry(r.map);
	cairo_surface_t *s = rig_draw_at(&r, 1);
	const struct geo_shape *small = map_drawn_shape(r.map);
	CHECK(small && small->ring_count == 1);
	printf("# 1x: %zu points, tolerance %g\n", small ? small->point_count : 0,
	       small ? small->tolerance : 0);
	CHECK(small && small->point_count >= 16 && small->point_count < 2000);
	CHECK(small && on_circle(g, small, 0.1, small->tolerance));
	rig_redraw(&r, s, 1);
	CHECK(map_drawn_shape(r.map) == small); // cached: not simplified again
	cairo_surface_destroy(s);
	s = rig_draw_at(&r, 4);
	const struct geo_shape *big = map_drawn_shape(r.map);
	printf("# 4x: %zu points\n", big ? big->point_count : 0);
	CHECK(big && big != small && big->point_count > small->point_count &&
	      big->point_count < 4000);
	CHECK(big && on_circle(g, big, 0.1, big->tolerance));
	cairo_surface_destroy(s);
	s = rig_draw_at(&r, 1);
	CHECK(map_drawn_shape(r.map) == small);
	/* The circle is drawn: its centre is filled, not the card. */
	double x, y;
	CHECK(map_feature_point(r.map, 0, &x, &y));
	struct color c = pixel(s, x, y), card = r.layout->theme.tile;
	CHECK(!near_color(c, card));
	cairo_surface_destroy(s);
	rig_close(&r);
	remove(file);
	free(file);
}

/*
 * A ring of the limit's worth of random points (noise: nothing to simplify at half a pixel)
 * is reduced to the shape's budget by coarser passes, and still drawn.
 */
static void geojson_noise_ring_simplified_within_budget(void)
{
	size_t n = GEO_MAX_RING_POINTS, cap = n * 40 + 256, len = 0;
	char *text = xmalloc(cap);
	len += (size_t)snprintf(text, cap, "{\"type\": \"FeatureCollection\", \"features\": "
				"[{\"type\": \"Feature\", \"properties\": {\"code\": \"n\"}, "
				"\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[");
	uint32_t seed = 12345;
	for (size_t p = 0; p < n; p++) {
		seed = seed * 1664525u + 1013904223u;
		double x = (seed >> 8) / 16777216.0;
		seed = seed * 1664525u + 1013904223u;
		double y = (seed >> 8) / 16777216.0;
		if (p + 1 == n) {
			x = y = 0.5; // closed
		}
		if (p == 0) {
			x = y = 0.5;
		}
		len += (size_t)snprintf(text + len, cap - len, "%s[%.6f,%.6f]", p ? "," : "",
					126.9 + 0.2 * x, 37.5 + 0.2 * y);
	}
	snprintf(text + len, cap - len, "]]}}]}");
	char *file = tmp_path("big.geojson");
	write_file(file, text);
	free(text);
	struct rig r;
	CHECK(rig_open(&r, "\"geojson\": \"big.geojson\", \"legend\": false"));
	cairo_surface_t *s = rig_draw_at(&r, 1);
	const struct geo_shape *sh = map_drawn_shape(r.map);
	printf("# noise: %zu points, %zu rings\n", sh ? sh->point_count : 0,
	       sh ? sh->ring_count : 0);
	CHECK(sh && sh->ring_count == 1 && sh->point_count >= 3 &&
	      sh->point_count <= GEO_SHAPE_MAX_POINTS);
	cairo_surface_destroy(s);
	rig_close(&r);
	remove(file);
	free(file);
}

/*
 * Found by fuzz_geojson: a polygon 1e17 times longer than wide made polylabel lay billions of
 * starting cells (a hang at load). Its label point is now found with bounded work.
 */
static void geojson_sliver_polygon_label_bounded(void)
{
	const char *text =
		"{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", "
		"\"properties\": {\"id\": \"tm\"}, \"geometry\": {\"type\": \"Polygon\", "
		"\"coordinates\": [[[950001, 1950000], [960000, 1950000], [9007199254740993960001, "
		"1960000], [955000, 1955000], [950000, 1960000], [950000, 1950000]]]}}]}";
	char err[256] = "";
	struct geo *g = geo_parse(text, strlen(text), "sliver", err, sizeof(err));
	CHECK_STR(err, "");
	CHECK(g && g->feature_count == 1 && isfinite(g->features[0].label.x));
	geo_unref(g);
}

/*
 * Found by fuzz_geojson: a hole's point at 6.7e126 (only outlines count in the extent) became
 * an infinite float in the shape, and garbage once in cairo's fixed point. It is clamped.
 */
static void geojson_far_hole_point_clamped(void)
{
	const char *text =
		"{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", "
		"\"properties\": {}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": ["
		"[[0, 0], [0, 10], [10, 10], [10, 0], [0, 0]],"
		"[[1, 1], [9, 1], [6.7e126, 9], [1, 9], [1, 1]]]}}]}";
	char err[256] = "";
	struct geo *g = geo_parse(text, strlen(text), "far", err, sizeof(err));
	CHECK_STR(err, "");
	struct geo_shape *sh = g ? geo_simplify(g, 0.01) : NULL;
	CHECK(sh && sh->ring_count == 2);
	for (size_t i = 0; sh && i < sh->point_count; i++) {
		CHECK(fabsf(sh->points[i].x) <= 640 && fabsf(sh->points[i].y) <= 640);
	}
	geo_shape_destroy(sh);
	geo_unref(g);
}

/* Rings under a pixel are dropped, others keep three corners, outlines and holes turn apart. */
static void geojson_subpixel_rings_dropped_rings_oriented(void)
{
	const char *text =
		"{\"type\": \"FeatureCollection\", \"features\": [\n"
		" {\"type\": \"Feature\", \"properties\": {}, \"geometry\": {\"type\": \"Polygon\","
		"  \"coordinates\": [[[0, 0], [0, 100], [100, 100], [100, 0], [0, 0]],"
		"   [[10, 10], [90, 10], [90, 90], [10, 90], [10, 10]]]}},\n"
		" {\"type\": \"Feature\", \"properties\": {}, \"geometry\": {\"type\": \"Polygon\","
		"  \"coordinates\": [[[200, 0], [200.1, 0], [200.1, 0.1], [200, 0], [200, 0]]]}},\n"
		" {\"type\": \"Feature\", \"properties\": {}, \"geometry\": {\"type\": \"Polygon\","
		"  \"coordinates\": [[[300, 0], [300, 50], [300.5, 100], [301, 0], [300, 0]]]}}\n"
		"]}";
	char err[256] = "";
	struct geo *g = geo_parse(text, strlen(text), "rings", err, sizeof(err));
	CHECK_STR(err, "");
	struct geo_shape *sh = g ? geo_simplify(g, 1) : NULL;
	CHECK(sh && sh->feature_count == 3);
	if (!sh) {
		geo_unref(g);
		return;
	}
	CHECK_INT(sh->feature_rings[1] - sh->feature_rings[0], 2); // outline and hole
	CHECK_INT(sh->feature_rings[2] - sh->feature_rings[1], 0); // 0.1 wide: dropped
	CHECK_INT(sh->feature_rings[3] - sh->feature_rings[2], 1); // thin, but 100 tall: kept
	for (size_t r = 0; r < sh->ring_count; r++) {
		CHECK(sh->rings[r].count >= 3);
		const struct geo_shape_point *p = sh->points + sh->rings[r].first;
		double a = 0;
		for (size_t i = 0, j = sh->rings[r].count - 1; i < sh->rings[r].count; j = i++) {
			a += (double)p[j].x * p[i].y - (double)p[i].x * p[j].y;
		}
		CHECK(r == 1 ? a < 0 : a > 0); // the hole clockwise, outlines counter-clockwise
	}
	geo_shape_destroy(sh);
	geo_unref(g);
}

/* Squares of 1 x 1 unit laid over each other, `n` times, as a FeatureCollection. */
static void write_overlapping(const char *path, size_t n)
{
	FILE *f = fopen(path, "w");
	fputs("{\"type\": \"FeatureCollection\", \"features\": [\n", f);
	for (size_t i = 0; i < n; i++) {
		double d = (double)(i % 100) * 0.001;
		fprintf(f, "%s{\"type\":\"Feature\",\"properties\":{\"code\":\"%zu\"},\"geometry\":"
			   "{\"type\":\"Polygon\",\"coordinates\":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],"
			   "[%g,%g]]]}}\n",
			i ? "," : "", i, d, d, 1 + d, d, 1 + d, 1 + d, d, 1 + d, d, d);
	}
	fputs("]}\n", f);
	fclose(f);
}

/*
 * The limit's worth of overlapping districts without data: one grey fill and one pattern fill
 * (it used to be a clip and a loop of lines per district: minutes). Still hatched.
 */
static void nodata_overlapping_features_hatched_once(void)
{
	char *file = tmp_path("overlap.geojson");
	write_overlapping(file, GEO_MAX_FEATURES);
	struct rig r;
	CHECK(rig_open(&r, "\"geojson\": \"overlap.geojson\", \"values\": \"air/districts\", "
			   "\"value_field\": \"pm10\", \"labels\": \"none\""));
	rig_bind(&r, "{\"air\": {\"districts\": {}}}");
	for (int cached = 0; cached < 2; cached++) {
		cairo_surface_t *s = rig_draw_at(&r, 1);
		check_grey(&r, s, "code", "0");
		cairo_surface_destroy(s);
	}
	rig_close(&r);
	remove(file);
	free(file);
}

/* --- the bundled cartogram ------------------------------------------------------------ */

static const struct geo_feature *district(const struct geo *g, const char *code)
{
	size_t i = feature_by(g, "code", code);
	return i == (size_t)-1 ? NULL : &g->features[i];
}

/* Row and column of a district's square (row 0 at the north). */
static void cell_of(const struct geo *g, const char *code, int *row, int *column)
{
	const struct geo_feature *f = district(g, code);
	double cell = f ? (f->max_y - f->min_y) / 0.9 : 1; // squares fill 90% of their cell
	*row = f ? (int)floor((g->max_y - f->max_y) / cell + 0.5) : -1;
	*column = f ? (int)floor((f->min_x - g->min_x) * g->x_scale / cell + 0.5) : -1;
}

static void cartogram_is_found_and_looks_like_seoul(void)
{
	char *dir = geo_asset_dir();
	CHECK(dir != NULL);
	free(dir);
	char err[512] = "";
	struct geo *g = geo_default_acquire(err, sizeof(err));
	struct geo *again = geo_default_acquire(err, sizeof(err));
	CHECK_STR(err, "");
	CHECK(g != NULL && g == again); // shared, loaded once
	geo_unref(again);
	if (!g) {
		return;
	}
	CHECK_INT(g->feature_count, 25);
	for (size_t i = 0; i < g->feature_count; i++) {
		const struct geo_feature *f = &g->features[i];
		const char *props[] = {"code", "kostat_code", "name", "name_eng"};
		for (size_t p = 0; p < 4; p++) {
			CHECK(geo_property(g, f, props[p]) != NULL);
		}
		/* Squares in the map's projection. */
		CHECK_NEAR((f->max_x - f->min_x) * g->x_scale, f->max_y - f->min_y, 1e-5);
	}
	CHECK_STR(geo_property(g, district(g, "11680"), "name"), "강남구");
	CHECK_STR(geo_property(g, district(g, "11680"), "kostat_code"), "11230");
	int r, c, r2, c2;
	cell_of(g, "11320", &r, &c); // Dobong and Nowon on the top row
	cell_of(g, "11350", &r2, &c2);
	CHECK(r == 0 && r2 == 0 && c < c2);
	cell_of(g, "11500", &r, &c); // Gangseo far west, Gangdong far east
	CHECK_INT(c, 0);
	cell_of(g, "11740", &r, &c);
	CHECK_INT(c, 6);
	/* Yongsan is on the north bank, under Jongno; Dongjak faces it across the river. */
	cell_of(g, "11110", &r, &c);
	cell_of(g, "11170", &r2, &c2);
	CHECK(c == c2 && r + 1 == r2);
	/* The Han river: a gap of at least a third of a cell between every north-bank square and
	 * every south-bank one (issue 15: 용산 was in the south-bank row, and there was no river). */
	const char *north[] = {"11170", "11440", "11140", "11200", "11215"};
	const char *south[] = {"11500", "11470", "11560", "11590", "11650", "11680", "11740"};
	const struct geo_feature *yongsan = district(g, "11170");
	double cell = yongsan ? (yongsan->max_y - yongsan->min_y) / 0.9 : 1;
	for (size_t i = 0; i < sizeof(north) / sizeof(north[0]); i++) {
		for (size_t j = 0; j < sizeof(south) / sizeof(south[0]); j++) {
			const struct geo_feature *n = district(g, north[i]), *s = district(g, south[j]);
			CHECK(n && s && n->min_y - s->max_y > cell * (0.1 + 1.0 / 3));
			CHECK_STR(n ? geo_property(g, n, "bank") : "", "north");
			CHECK_STR(s ? geo_property(g, s, "bank") : "", "south");
		}
	}
	geo_unref(g);
}

/* Every code and name of the cartogram is the one seoul-districts.csv gives. */
static void cartogram_matches_the_district_facts(void)
{
	char *path = fmt("%s/seoul-districts.csv", shared);
	FILE *f = fopen(path, "r");
	free(path);
	char err[256];
	struct geo *g = geo_default_acquire(err, sizeof(err));
	CHECK(f && g);
	char line[512];
	int rows = 0;
	while (f && g && fgets(line, sizeof(line), f)) {
		char code[16], kostat[16], ko[64], en[64];
		if (sscanf(line, "%15[^,],%15[^,],%63[^,],%63[^,],", code, kostat, ko, en) != 4 ||
		    strcmp(code, "sig_cd_admin") == 0) {
			continue;
		}
		const struct geo_feature *d = district(g, code);
		CHECK(d != NULL);
		if (d) {
			CHECK_STR(geo_property(g, d, "kostat_code"), kostat);
			CHECK_STR(geo_property(g, d, "name"), ko);
			CHECK_STR(geo_property(g, d, "name_eng"), en);
		}
		rows++;
	}
	CHECK_INT(rows, 25);
	if (f) {
		fclose(f);
	}
	geo_unref(g);
}

/* --- colours, caching, updates -------------------------------------------------------- */

static char *pm10_snapshot(int gangnam, int jongno)
{
	return fmt("{\"air\": {\"districts\": {"
		   "\"11680\": {\"pm10\": %d}, \"11110\": {\"pm10\": %d},"
		   "\"11500\": {\"pm10\": 95}, \"11740\": {\"pm10\": 200},"
		   "\"11320\": {\"pm10\": 40}, \"11350\": \"bad\"}}}",
		   gangnam, jongno);
}

#define CARTOGRAM_PM10                                                                    \
	"\"values\": \"air/districts\", \"value_field\": \"pm10\", \"labels\": \"none\", "  \
	"\"thresholds\": " PM10_STEPS

static void district_centres_take_their_colours(void)
{
	struct rig r;
	CHECK(rig_open(&r, CARTOGRAM_PM10));
	char *json = pm10_snapshot(20, 60);
	CHECK(rig_bind(&r, json));
	free(json);
	for (int cached = 0; cached < 2; cached++) {
		cairo_surface_t *s = rig_draw_at(&r, cached ? 1.5 : 1);
		double k = cached ? 1.5 : 1;
		check_fill(&r, s, k, "code", "11680", STATE_GOOD);     // 20
		check_fill(&r, s, k, "code", "11110", STATE_MODERATE); // 60
		check_fill(&r, s, k, "code", "11500", STATE_BAD);      // 95
		check_fill(&r, s, k, "code", "11740", STATE_VERY_BAD); // 200
		/* The order the colours promise: very bad is red, bad amber, good blue. */
		struct color bad = map_state_fill(&r.layout->theme, STATE_VERY_BAD);
		CHECK(bad.r > bad.g && bad.r > bad.b);
		struct color good = map_state_fill(&r.layout->theme, STATE_GOOD);
		CHECK(good.b > good.r);
		cairo_surface_destroy(s);
	}
	rig_close(&r);
}

/* No state colour near feature `key`'s label point: the no-data grey and its hatching. */
static void check_grey(struct rig *r, cairo_surface_t *s, const char *property, const char *key)
{
	size_t f = feature_by(map_geometry(r->map), property, key);
	double x, y;
	CHECK(map_feature_point(r->map, f, &x, &y));
	int grey = 0, coloured = 0;
	struct color want = map_state_fill(&r->layout->theme, STATE_NODATA);
	for (int dx = -6; dx <= 6; dx++) {
		struct color c = pixel(s, x + dx, y);
		grey += near_color(c, want);
		coloured += fabs(c.r - c.g) > 0.06 || fabs(c.g - c.b) > 0.08;
	}
	CHECK(grey >= 3 && grey < 13); // grey with lines across
	CHECK_INT(coloured, 0);
}

static void no_data_is_hatched_grey(void)
{
	struct rig r;
	CHECK(rig_open(&r, CARTOGRAM_PM10));
	char *json = pm10_snapshot(20, 60);
	rig_bind(&r, json);
	free(json);
	cairo_surface_t *s = rig_draw_at(&r, 1);
	/* Nowon sent a string, Mapo nothing: grey with hatching. */
	check_grey(&r, s, "code", "11350");
	check_grey(&r, s, "code", "11440");
	cairo_surface_destroy(s);
	rig_close(&r);
}

static void cached_and_uncached_draws_agree(void)
{
	struct rig a = {0}, b = {0};
	const char *options = "\"values\": \"air/districts\", \"value_field\": \"pm10\", "
			      "\"show_values\": false, \"title\": \"PM10\", \"thresholds\": " PM10_STEPS;
	char *with = fmt("%s, \"cache\": false", options);
	CHECK(rig_open(&a, options) && rig_open(&b, with));
	free(with);
	char *json = pm10_snapshot(20, 60);
	rig_bind(&a, json);
	rig_bind(&b, json);
	free(json);
	cairo_surface_t *x = rig_draw_at(&a, 1.25), *y = rig_draw_at(&b, 1.25);
	struct image_diff d = image_compare(x, y, 24, NULL);
	printf("# cached vs uncached: %ld pixels differ, max delta %d\n", d.differing, d.max_delta);
	CHECK(!d.size_differs && d.differing <= 1000 * 700 * 1.5 * 0.0005);
	cairo_surface_destroy(x);
	cairo_surface_destroy(y);
	rig_close(&a);
	rig_close(&b);
}

/* A changed value repaints its district in the cached layer; the result is a fresh draw. */
static void a_new_value_repaints_its_district(void)
{
	const char *variants[] = {CARTOGRAM_PM10,
				  "\"values\": \"air/districts\", \"value_field\": \"pm10\", "
				  "\"show_values\": true, \"thresholds\": " PM10_STEPS};
	for (size_t v = 0; v < 2; v++) {
		struct rig r = {0}, fresh = {0};
		CHECK(rig_open(&r, variants[v]) && rig_open(&fresh, variants[v]));
		char *before = pm10_snapshot(20, 60), *after = pm10_snapshot(120, 60);
		CHECK(rig_bind(&r, before));
		CHECK(!rig_bind(&r, before)); // nothing changed: no redraw asked
		cairo_surface_t *s = rig_draw_at(&r, 1);
		if (v == 0) {
			check_fill(&r, s, 1, "code", "11680", STATE_GOOD);
		}
		CHECK(rig_bind(&r, after));
		rig_redraw(&r, s, 1);
		if (v == 0) {
			check_fill(&r, s, 1, "code", "11680", STATE_BAD);
			check_fill(&r, s, 1, "code", "11110", STATE_MODERATE);
		}
		rig_bind(&fresh, after);
		cairo_surface_t *t = rig_draw_at(&fresh, 1);
		struct image_diff d = image_compare(s, t, 24, NULL);
		CHECK(d.differing <= 350); // 0.05% of the tile
		cairo_surface_destroy(s);
		cairo_surface_destroy(t);
		free(before);
		free(after);
		rig_close(&r);
		rig_close(&fresh);
	}
}

/* The map drawn at `scale` on `s` in place through its animate hook; false: it declined. */
static bool rig_update_in_place(struct rig *r, cairo_surface_t *s, double scale,
				struct irect *damage)
{
	cairo_t *cr = cairo_create(s);
	cairo_scale(cr, scale, scale);
	struct widget_ctx ctx = {.text = engine, .theme = &r->layout->theme};
	struct widget_damage changed = {0};
	bool done = r->impl->animate(r->map, cr, &r->layout->tiles[0].rect, &ctx, T0, &changed);
	*damage = changed.put[0];
	cairo_destroy(cr);
	cairo_surface_flush(s);
	return done;
}

/*
 * map_value_change_drawn_in_place: one district's new value is drawn in place, only its box
 * damaged, and the picture is a fresh draw's byte for byte (with values printed and without,
 * at two scales); what it cannot do in place (a zoom, markers) it declines.
 */
static void map_value_change_drawn_in_place(void)
{
	const char *variants[] = {CARTOGRAM_PM10,
				  "\"values\": \"air/districts\", \"value_field\": \"pm10\", "
				  "\"show_values\": true, \"thresholds\": " PM10_STEPS};
	for (size_t v = 0; v < 4; v++) {
		double scale = v < 2 ? 1 : 2.5;
		struct rig r = {0}, fresh = {0};
		CHECK(rig_open(&r, variants[v % 2]) && rig_open(&fresh, variants[v % 2]));
		char *before = pm10_snapshot(20, 60), *after = pm10_snapshot(120, 60);
		CHECK(rig_bind(&r, before));
		cairo_surface_t *s = rig_draw_at(&r, scale);
		CHECK(rig_bind(&r, after));
		struct irect damage;
		CHECK(rig_update_in_place(&r, s, scale, &damage));
		int tile_w = cairo_image_surface_get_width(s), tile_h = cairo_image_surface_get_height(s);
		printf("# scale %.1f: damage %dx%d of %dx%d\n", scale, damage.w, damage.h, tile_w,
		       tile_h);
		CHECK(damage.w > 0 && damage.h > 0);
		CHECK((double)damage.w * damage.h < 0.25 * tile_w * tile_h);
		rig_bind(&fresh, after);
		cairo_surface_t *t = rig_draw_at(&fresh, scale);
		struct image_diff d = image_compare(s, t, 0, NULL);
		CHECK_INT((int)d.differing, 0);
		/* Zoomed, the map is drawn whole. */
		struct map_zoom zoom = {.k = 2, .tx = 0, .ty = 0};
		map_set_zoom(r.map, &zoom);
		CHECK(!rig_update_in_place(&r, s, scale, &damage));
		cairo_surface_destroy(s);
		cairo_surface_destroy(t);
		free(before);
		free(after);
		rig_close(&r);
		rig_close(&fresh);
	}
}

/* The map_layers charge of one draw of a map with `options` at scale 2 (several bands). */
static size_t layer_bytes(const char *options)
{
	struct rig r;
	CHECK(rig_open(&r, options));
	char *json = pm10_snapshot(20, 60);
	rig_bind(&r, json);
	free(json);
	struct budget budget;
	budget_init(&budget, NULL);
	budget_fit(&budget, 8000, 4000); // room for both layers
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 2000, 1400);
	cairo_t *cr = cairo_create(s);
	cairo_scale(cr, 2, 2);
	struct widget_ctx ctx = {.text = engine, .theme = &r.layout->theme, .budget = &budget};
	r.impl->draw(r.map, cr, &r.layout->tiles[0].rect, &ctx, T0);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	size_t used = budget_usage(&budget, BUDGET_MAP_LAYERS).used;
	rig_close(&r);
	CHECK_INT(budget_usage(&budget, BUDGET_MAP_LAYERS).used, 0); // all given back
	return used;
}

/*
 * map_values_keep_no_fills_layer: a map printing its values repaints every fill on each
 * change, so it keeps only its lines layer (its fills are painted in bands): at most half of
 * what the same map without values keeps (a whole fills layer and lines at least as packed).
 */
static void map_values_keep_no_fills_layer(void)
{
	const char *base = "\"values\": \"air/districts\", \"value_field\": \"pm10\", "
			   "\"title\": \"PM10\", \"thresholds\": " PM10_STEPS;
	char *with = fmt("%s, \"show_values\": true", base);
	char *without = fmt("%s, \"show_values\": false", base);
	size_t values = layer_bytes(with), none = layer_bytes(without);
	printf("# map_layers: %zu bytes with values, %zu without\n", values, none);
	CHECK(values > 0);
	CHECK(none - values >= values);
	free(with);
	free(without);
}

static void records_match_by_any_field(void)
{
	/* An array of records matched by a name field, and plain numbers keyed by member. */
	struct rig r;
	CHECK(rig_open(&r, "\"values\": \"rows\", \"value_key\": \"gu\", \"value_field\": \"v\", "
			   "\"key_property\": \"name\", \"labels\": \"none\", "
			   "\"thresholds\": " PM10_STEPS));
	rig_bind(&r, "{\"rows\": [{\"gu\": \"강남구\", \"v\": \"95\"}, {\"gu\": \"종로구\", "
		     "\"v\": 10}, {\"gu\": 3, \"v\": 1}, \"junk\", {\"v\": 4}]}");
	cairo_surface_t *s = rig_draw_at(&r, 1);
	check_fill(&r, s, 1, "name", "강남구", STATE_BAD);
	check_fill(&r, s, 1, "name", "종로구", STATE_GOOD);
	check_grey(&r, s, "name", "중구");
	cairo_surface_destroy(s);
	rig_close(&r);
	CHECK(rig_open(&r, "\"values\": \"pm\", \"key_property\": \"kostat_code\", "
			   "\"labels\": \"none\", \"thresholds\": " PM10_STEPS));
	rig_bind(&r, "{\"pm\": {\"11230\": 160, \"11010\": \"45\"}}");
	s = rig_draw_at(&r, 1);
	check_fill(&r, s, 1, "code", "11680", STATE_VERY_BAD); // Gangnam is KOSTAT 11230
	check_fill(&r, s, 1, "code", "11110", STATE_MODERATE);
	cairo_surface_destroy(s);
	rig_close(&r);
}

static void bad_values_draw_no_data(void)
{
	const char *docs[] = {"{\"air\": {\"districts\": 42}}", "{\"air\": {\"districts\": \"x\"}}",
			      "{\"air\": {}}", "{\"air\": {\"districts\": []}}",
			      "{\"air\": {\"districts\": {\"11680\": {\"pm10\": 1e400}}}}"};
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct rig r;
		CHECK(rig_open(&r, CARTOGRAM_PM10 ", \"markers\": \"air/districts\""));
		rig_bind(&r, docs[i]);
		cairo_surface_t *s = rig_draw_at(&r, 1);
		size_t f = feature_by(map_geometry(r.map), "code", "11680");
		double x, y;
		map_feature_point(r.map, f, &x, &y);
		struct color c = pixel(s, x, y);
		CHECK(fabs(c.r - c.g) < 0.06 && fabs(c.g - c.b) < 0.08); // grey, not a state
		size_t n;
		map_drawn_clusters(r.map, &n);
		CHECK_INT(n, 0);
		cairo_surface_destroy(s);
		rig_close(&r);
	}
}

/* --- markers -------------------------------------------------------------------------- */

static char *markers_json(size_t n, bool spread)
{
	size_t cap = n * 120 + 64, len = 0;
	char *out = malloc(cap);
	len += (size_t)snprintf(out, cap, "{\"m\": [");
	unsigned seed = 12345;
	for (size_t i = 0; i < n; i++) {
		double lon = 126.978, lat = 37.5665;
		if (spread) {
			seed = seed * 1103515245u + 12345u;
			lon = 126.80 + (seed >> 8) % 10000 * 0.000035;
			seed = seed * 1103515245u + 12345u;
			lat = 37.44 + (seed >> 8) % 10000 * 0.000025;
		}
		len += (size_t)snprintf(out + len, cap - len,
					"%s{\"lon_lat\": \"%.6f,%.6f\", \"category\": \"incident\","
					" \"state\": \"%s\"}",
					i ? "," : "", lon, lat, i == 7 ? "very_bad" : "moderate");
	}
	snprintf(out + len, cap - len, "]}");
	return out;
}

static void crowded_markers_make_one_bubble(void)
{
	struct rig r;
	CHECK(rig_open(&r, "\"markers\": \"m\""));
	char *json = markers_json(2000, false);
	CHECK(rig_bind(&r, json));
	free(json);
	cairo_surface_t *s = rig_draw_at(&r, 1);
	size_t n;
	const struct map_cluster *c = map_drawn_clusters(r.map, &n);
	CHECK_INT(n, 1);
	if (n == 1) {
		CHECK_INT(c[0].count, 2000);
		CHECK_INT(c[0].state, STATE_VERY_BAD); // the worst of its markers
		/* The bubble is drawn there: the worst state's colour beside the count. */
		struct color want = r.layout->theme.states[STATE_VERY_BAD].accent;
		double radius = 12 * (0.95 + 0.32 * log10(2000.0));
		struct color got = pixel(s, c[0].x, c[0].y + radius * 0.7);
		CHECK(fabs(got.r - want.r) < 0.12 && fabs(got.g - want.g) < 0.12);
	}
	cairo_surface_destroy(s);
	rig_close(&r);
}

static void spread_markers_cluster_without_overlap(void)
{
	struct rig r;
	CHECK(rig_open(&r, "\"markers\": \"m\", \"marker_size\": 10"));
	char *json = markers_json(5000, true);
	rig_bind(&r, json);
	free(json);
	cairo_surface_t *s = rig_draw_at(&r, 1);
	size_t n, total = 0, overlapping = 0;
	const struct map_cluster *c = map_drawn_clusters(r.map, &n);
	for (size_t i = 0; i < n; i++) {
		total += c[i].count;
		for (size_t j = i + 1; j < n; j++) {
			/* Radii as drawn: bubbles grow with the log of their count. */
			double ri = c[i].count > 1 ? 10 * (0.95 + 0.32 * log10((double)c[i].count)) : 5.5;
			double rj = c[j].count > 1 ? 10 * (0.95 + 0.32 * log10((double)c[j].count)) : 5.5;
			overlapping += hypot(c[i].x - c[j].x, c[i].y - c[j].y) < ri + rj - 1e-6;
		}
	}
	CHECK(n > 20 && n < 1000);
	CHECK_INT(total, 5000); // every marker inside the map is counted once
	CHECK_INT(overlapping, 0);
	cairo_surface_destroy(s);
	rig_close(&r);
	/* Without clustering each marker is its own symbol. */
	CHECK(rig_open(&r, "\"markers\": \"m\", \"cluster\": false"));
	json = markers_json(300, true);
	rig_bind(&r, json);
	free(json);
	s = rig_draw_at(&r, 1);
	map_drawn_clusters(r.map, &n);
	CHECK_INT(n, 300);
	cairo_surface_destroy(s);
	rig_close(&r);
}

/* --- labels --------------------------------------------------------------------------- */

static size_t check_labels(struct rig *r, double scale)
{
	cairo_surface_t *s = rig_draw_at(r, scale);
	size_t n, overlaps = 0;
	const struct map_label *l = map_drawn_labels(r->map, &n);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n; j++) {
			const struct rect *a = &l[i].box, *b = &l[j].box;
			overlaps += a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h &&
				    b->y < a->y + a->h;
		}
		CHECK(l[i].box.x >= 0 && l[i].box.x + l[i].box.w <= 1000);
	}
	CHECK_INT(overlaps, 0);
	cairo_surface_destroy(s);
	return n;
}

static void labels_never_overlap(void)
{
	struct rig r;
	CHECK(rig_open(&r, "\"legend\": false"));
	CHECK_INT(check_labels(&r, 1), 25); // room for every name
	size_t small = check_labels(&r, 0.25);
	CHECK(small < 25); // names too small to read are hidden
	rig_close(&r);
	/* Values under the names make taller boxes; English names are longer. */
	CHECK(rig_open(&r, "\"labels\": \"name_eng\", \"show_values\": true, \"values\": "
			   "\"air/districts\", \"value_field\": \"pm10\""));
	char *json = pm10_snapshot(20, 60);
	rig_bind(&r, json);
	free(json);
	CHECK(check_labels(&r, 1) >= 20);
	check_labels(&r, 0.5);
	rig_close(&r);
	CHECK(rig_open(&r, "\"labels\": \"none\""));
	CHECK_INT(check_labels(&r, 1), 0);
	rig_close(&r);
	/* Overlapping features (a district drawn twice, a square inside both): the names move
	 * apart within the room they share. */
	char *file = tmp_path("overlap.geojson");
	write_file(file, "{\"type\": \"FeatureCollection\", \"features\": ["
		   "{\"type\": \"Feature\", \"properties\": {\"name\": \"A\"}, \"geometry\": "
		   "{\"type\": \"Polygon\", \"coordinates\": [[[0,0],[4,0],[4,4],[0,4],[0,0]]]}},"
		   "{\"type\": \"Feature\", \"properties\": {\"name\": \"B\"}, \"geometry\": "
		   "{\"type\": \"Polygon\", \"coordinates\": [[[0,0],[4,0],[4,4],[0,4],[0,0]]]}},"
		   "{\"type\": \"Feature\", \"properties\": {\"name\": \"C\"}, \"geometry\": "
		   "{\"type\": \"Polygon\", \"coordinates\": [[[1,1],[3,1],[3,3],[1,3],[1,1]]]}}]}");
	CHECK(rig_open(&r, "\"geojson\": \"overlap.geojson\""));
	CHECK_INT(check_labels(&r, 1), 3);
	rig_close(&r);
	remove(file);
	free(file);
}

/* --- the public boundary files (shared data) ------------------------------------------ */

static char *shared_map_options(const char *file, const char *key)
{
	return fmt("\"geojson\": \"%s/seoul-maps/%s\", \"key_property\": \"%s\"", shared, file,
		   key);
}

/* Real district shapes, bound by code and by name; every name placed apart. */
static void real_boundaries_bind_by_code_and_name(void)
{
	struct rig r;
	char *base = shared_map_options("juso2015_seoul_municipalities_geo_simple.json", "SIG_CD");
	char *options = fmt("%s, \"name_property\": \"SIG_KOR_NM\", \"values\": \"air/districts\","
			    " \"value_field\": \"pm10\", \"labels\": \"none\", \"thresholds\": "
			    PM10_STEPS, base);
	CHECK(rig_open(&r, options));
	char *json = pm10_snapshot(20, 60);
	rig_bind(&r, json);
	free(json);
	cairo_surface_t *s = rig_draw_at(&r, 1);
	check_fill(&r, s, 1, "SIG_CD", "11680", STATE_GOOD);
	check_fill(&r, s, 1, "SIG_CD", "11110", STATE_MODERATE);
	check_fill(&r, s, 1, "SIG_CD", "11500", STATE_BAD);
	check_fill(&r, s, 1, "SIG_CD", "11740", STATE_VERY_BAD);
	cairo_surface_destroy(s);
	rig_close(&r);
	free(options);
	free(base);

	/* KOSTAT shapes, the legacy air-quality sample matched by district name. */
	base = shared_map_options("kostat2013_seoul_municipalities_geo_simple.json", "name");
	options = fmt("%s, \"values\": \"RealtimeCityAir/row\", \"value_key\": \"MSRSTE_NM\","
		      " \"value_field\": \"PM10\", \"labels\": \"none\", \"thresholds\": " PM10_STEPS,
		      base);
	CHECK(rig_open(&r, options));
	char *sample = fmt("%s/samples/seoul-realtimecityair-legacy-2021-sample.json", shared);
	CHECK(rig_bind_file(&r, sample));
	s = rig_draw_at(&r, 1);
	check_fill(&r, s, 1, "name", "중랑구", STATE_MODERATE); // 42
	check_fill(&r, s, 1, "name", "구로구", STATE_MODERATE); // 33
	check_fill(&r, s, 1, "name", "은평구", STATE_GOOD);     // 11
	check_fill(&r, s, 1, "code", "11230", STATE_GOOD);      // 강남구 22, by its KOSTAT code
	cairo_surface_destroy(s);
	rig_close(&r);
	free(options);
	free(base);
	free(sample);
}

static void real_boundaries_labels_never_overlap(void)
{
	const char *files[] = {"kostat2013_seoul_municipalities_geo.json",
			       "juso2015_seoul_municipalities_geo_simple.json"};
	const char *names[] = {"name", "SIG_KOR_NM"};
	for (size_t i = 0; i < 2; i++) {
		struct rig r;
		char *base = shared_map_options(files[i], "name");
		char *options = fmt("%s, \"name_property\": \"%s\"", base, names[i]);
		CHECK(rig_open(&r, options));
		CHECK(check_labels(&r, 1) >= 20);
		check_labels(&r, 0.4);
		rig_close(&r);
		free(options);
		free(base);
	}
}

/* The two public boundary files side by side, bound to the air-quality sample by name. */
static char *seoul_layout(void)
{
	return fmt(
		"{\"version\": 1, \"title\": \"map: public boundary files\",\n"
		" \"feed\": \"%s/samples/seoul-realtimecityair-legacy-2021-sample.json\",\n"
		" \"canvas\": {\"width\": 1920, \"height\": 1080},\n"
		" \"grid\": {\"columns\": 2, \"rows\": 1, \"gap\": 12, \"margin\": 24},\n"
		" \"tiles\": [\n"
		"  {\"id\": \"kostat\", \"widget\": \"map\", \"cell\": [0, 0],\n"
		"   \"title\": \"KOSTAT 2013 · 미세먼지 PM10\",\n"
		"   \"geojson\": \"%s/seoul-maps/kostat2013_seoul_municipalities_geo_simple.json\",\n"
		"   \"key_property\": \"name\", \"values\": \"RealtimeCityAir/row\",\n"
		"   \"value_key\": \"MSRSTE_NM\", \"value_field\": \"PM10\", \"show_values\": true,\n"
		"   \"legend_title\": \"PM10 ㎍/㎥\", \"thresholds\": " PM10_STEPS "},\n"
		"  {\"id\": \"juso\", \"widget\": \"map\", \"cell\": [1, 0],\n"
		"   \"title\": \"JUSO 2015 · PM2.5 (scale 0–20)\",\n"
		"   \"geojson\": \"%s/seoul-maps/juso2015_seoul_municipalities_geo_simple.json\",\n"
		"   \"key_property\": \"SIG_KOR_NM\", \"name_property\": \"SIG_KOR_NM\",\n"
		"   \"name_eng_property\": \"SIG_ENG_NM\", \"labels\": \"name_eng\",\n"
		"   \"values\": \"RealtimeCityAir/row\", \"value_key\": \"MSRSTE_NM\",\n"
		"   \"value_field\": \"PM25\", \"scale_min\": 0, \"scale_max\": 20,\n"
		"   \"legend_title\": \"PM2.5 ㎍/㎥\"}\n"
		" ]}\n",
		shared, shared, shared);
}

static void golden_seoul(int width, int height)
{
	char *layout = tmp_path("seoul.json");
	char *text = seoul_layout();
	write_file(layout, text);
	free(text);
	char *reference = fmt("%s/tests/golden/map-seoul-%dx%d.png", source_root(), width, height);
	char *actual = fmt("%s/golden/map-seoul-%dx%d.actual.png", build_root(), width, height);
	char *dir = fmt("%s/golden", build_root());
	mkdir(dir, 0755);
	bool update = getenv("MAP_UPDATE_GOLDEN") != NULL;
	struct wall wall;
	struct wall_options options = {.layout_file = layout, .clock = {.fixed = true, .at = T0}};
	char err[512] = "";
	bool ok = wall_open(&wall, &options);
	CHECK(ok);
	if (ok) {
		wall_fetch_once(&wall);
		CHECK(screenshot_write(&wall, width, height, update ? reference : actual, err,
				       sizeof(err)));
		wall_close(&wall);
	}
	if (!update && ok) {
		cairo_surface_t *want = cairo_image_surface_create_from_png(reference);
		cairo_surface_t *got = cairo_image_surface_create_from_png(actual);
		struct image_diff d = image_compare(got, want, 24, NULL);
		long allowed = (long)(0.0005 * width * height);
		CHECK(cairo_surface_status(want) == CAIRO_STATUS_SUCCESS && !d.size_differs &&
		      d.differing <= allowed);
		if (d.differing > allowed || d.size_differs) {
			printf("# %ld pixels differ (allowed %ld); see %s\n", d.differing, allowed,
			       actual);
		} else {
			remove(actual);
		}
		cairo_surface_destroy(want);
		cairo_surface_destroy(got);
	}
	free(dir);
	free(actual);
	free(reference);
	free(layout);
}

static void golden_seoul_1280x720(void)
{
	golden_seoul(1280, 720);
}

/* --- records with their own time -------------------------------------------------------- */

static const int stale_pm10[] = {20, 60, 95, 200};
static const enum state stale_states[] = {STATE_GOOD, STATE_MODERATE, STATE_BAD, STATE_VERY_BAD};

/*
 * A record per district of the geometry, each with its own MSRDT in the forms Seoul writes:
 * `old` 2 hours before T0 ("202611250700"), the others at T0 in turn as compact text, a
 * compact number and RFC 3339. Record 3's time is `third` when not NULL.
 */
static char *timed_districts(const struct geo *g, const char *old, const char *third)
{
	char *out = xstrdup("{\"air\": {\"districts\": [");
	for (size_t i = 0, n = 0; g && i < g->feature_count; i++) {
		const char *code = geo_property(g, &g->features[i], "code");
		if (!code) {
			continue;
		}
		static const char *const now_forms[] = {"\"202611250900\"", "202611250900",
							"\"2026-11-25T09:00:00+09:00\""};
		const char *time = strcmp(code, old) == 0 ? "\"202611250700\"" : now_forms[n % 3];
		time = n == 2 && third ? third : time;
		char *next = fmt("%s%s{\"code\": \"%s\", \"pm10\": %d, \"MSRDT\": %s}", out,
				 n ? ", " : "", code, stale_pm10[n % 4], time);
		free(out);
		out = next;
		n++;
	}
	char *done = fmt("%s]}}", out);
	free(out);
	return done;
}

/* Pixels of colour `want` 4-connected to (x, y), in a surface of RGB24 pixels. */
static long flood_count(cairo_surface_t *s, int x, int y, struct color want)
{
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	bool *seen = xcalloc((size_t)w * (size_t)h, sizeof(*seen));
	int *stack = xcalloc((size_t)w * (size_t)h + 1, sizeof(*stack));
	size_t top = 0;
	long n = 0;
	stack[top++] = y * w + x;
	while (top > 0) {
		int p = stack[--top], px = p % w, py = p / w;
		if (px < 0 || py < 0 || px >= w || py >= h || seen[p] ||
		    !near_color(pixel(s, px, py), want)) {
			continue;
		}
		seen[p] = true;
		n++;
		const int next[4][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
		for (int k = 0; k < 4; k++) {
			int qx = px + next[k][0], qy = py + next[k][1];
			if (qx >= 0 && qy >= 0 && qx < w && qy < h && !seen[qy * w + qx]) {
				stack[top++] = qy * w + qx;
			}
		}
	}
	free(seen);
	free(stack);
	return n;
}

static long count_color(cairo_surface_t *s, struct color want)
{
	long n = 0;
	for (int y = 0; y < cairo_image_surface_get_height(s); y++) {
		for (int x = 0; x < cairo_image_surface_get_width(s); x++) {
			n += near_color(pixel(s, x, y), want);
		}
	}
	return n;
}

#define TIMED_PM10 CARTOGRAM_PM10 ", \"time_field\": \"MSRDT\""

static void map_stale_district_alone(void)
{
	struct rig r = {0}, fresh = {0};
	CHECK(rig_open(&r, TIMED_PM10) && rig_open(&fresh, TIMED_PM10));
	const struct geo *g = map_geometry(r.map);
	char *json = timed_districts(g, "11680", NULL);
	CHECK(rig_bind_aged(&r, json, 3600));
	free(json);
	json = timed_districts(g, "none", NULL);
	CHECK(rig_bind_aged(&fresh, json, 3600));
	free(json);
	size_t gangnam = feature_by(g, "code", "11680");
	struct color grey = map_state_fill(&r.layout->theme, STATE_NODATA);
	for (int cached = 0; cached < 2; cached++) {
		double k = cached ? 1.5 : 1;
		cairo_surface_t *s = rig_draw_at(&r, k), *all_fresh = rig_draw_at(&fresh, k);
		size_t stale = 0, n = 0;
		for (size_t i = 0; i < g->feature_count; i++) {
			const char *code = geo_property(g, &g->features[i], "code");
			stale += map_feature_stale(r.map, i);
			CHECK(!map_feature_stale(fresh.map, i));
			if (code) {
				check_fill(&fresh, all_fresh, k, "code", code, stale_states[n % 4]);
			}
			if (code && i != gangnam) {
				check_fill(&r, s, k, "code", code, stale_states[n % 4]);
			}
			n += code != NULL;
		}
		CHECK_INT(n, 25);
		CHECK_INT(stale, 1);
		CHECK(map_feature_stale(r.map, gangnam));
		/* The no-data grey, solid: no hatching across it (that is "no data"). */
		double x, y;
		CHECK(map_feature_point(r.map, gangnam, &x, &y));
		int solid = 0;
		for (int dx = -6; dx <= 6; dx++) {
			solid += near_color(pixel(s, (x + dx) * k, y * k), grey);
		}
		CHECK_INT(solid, 13);
		/* The same grey elsewhere (more than edges of other colours give) is the legend's
		 * "stale" swatch, which a map without stale districts does not have. */
		long district = flood_count(s, (int)(x * k), (int)(y * k), grey);
		long swatch = count_color(s, grey) - district - count_color(all_fresh, grey);
		printf("# scale %.1f: stale district %ld px, legend swatch %ld px\n", k, district,
		       swatch);
		CHECK(district > 500 && swatch > 60 * k * k && swatch < 2000 * k * k);
		cairo_surface_destroy(s);
		cairo_surface_destroy(all_fresh);
	}
	/* Every fresh district turns stale an hour after T0: that is the widget's deadline. */
	CHECK_NEAR(r.impl->next_deadline(r.map, T0), T0 + 3600, 1e-6);
	CHECK_NEAR(fresh.impl->next_deadline(fresh.map, T0), T0 + 3600, 1e-6);
	rig_close(&r);
	rig_close(&fresh);
}

static void map_unreadable_time_logged_fresh(void)
{
	struct rig r;
	CHECK(rig_open(&r, TIMED_PM10));
	const struct geo *g = map_geometry(r.map);
	char *json = timed_districts(g, "none", "\"-\"");
	fflush(stderr);
	FILE *file = tmpfile();
	int saved = dup(STDERR_FILENO);
	dup2(fileno(file), STDERR_FILENO);
	rig_bind_aged(&r, json, 3600);
	rig_bind_aged(&r, json, 3600);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	char text[512] = "";
	rewind(file);
	text[fread(text, 1, sizeof(text) - 1, file)] = '\0';
	fclose(file);
	CHECK_STR(text, "citywall: warning: map m: time_field \"MSRDT\": 1 of 25 records without "
			"a readable time, drawn as fresh (record 3: \"-\" is not a time)\n");
	cairo_surface_t *s = rig_draw_at(&r, 1);
	for (size_t i = 0; i < g->feature_count; i++) {
		CHECK(!map_feature_stale(r.map, i));
	}
	cairo_surface_destroy(s);
	free(json);
	rig_close(&r);
}

static void map_stale_marker_hollow(void)
{
	struct rig r;
	CHECK(rig_open(&r, "\"markers\": \"m\", \"marker_time_field\": \"t\""));
	CHECK(rig_bind_aged(&r,
			    "{\"m\": [{\"lon\": 126.979, \"lat\": 37.573, \"state\": \"moderate\","
			    " \"t\": \"2026-11-25 08:58\"}, {\"lon\": 127.047, \"lat\": 37.497,"
			    " \"state\": \"very_bad\", \"t\": \"202611250700\"}]}",
			    3600));
	double k = 2;
	cairo_surface_t *s = rig_draw_at(&r, k);
	size_t n;
	const struct map_cluster *c = map_drawn_clusters(r.map, &n);
	CHECK_INT(n, 2);
	const struct theme *theme = &r.layout->theme;
	for (size_t i = 0; i < n; i++) {
		struct color centre = pixel(s, c[i].x * k, c[i].y * k);
		struct color ring = pixel(s, (c[i].x + 6) * k, c[i].y * k);
		if (c[i].first == 1) {
			/* 2 hours old: hollow, a grey ring; neither its state's colour nor a fill. */
			CHECK_INT(c[i].state, MAP_MARKER_STALE);
			CHECK(!near_color(centre, theme->states[STATE_VERY_BAD].accent));
			CHECK(!near_color(centre, theme->states[STATE_NODATA].accent));
			CHECK(fabs(centre.r - centre.g) < 0.06 && fabs(centre.g - centre.b) < 0.08);
			CHECK(near_color(ring, theme->states[STATE_NODATA].accent));
		} else {
			CHECK_INT(c[i].state, STATE_MODERATE);
			CHECK(near_color(centre, theme->states[STATE_MODERATE].accent));
		}
	}
	CHECK_NEAR(r.impl->next_deadline(r.map, T0), T0 - 120 + 3600, 1e-6);
	cairo_surface_destroy(s);
	rig_close(&r);
}

/* Markers on the cartogram land inside their district's square (issue 15: they fell between
 * squares, placed by real lon/lat over a grid that is not where the districts are). */
static void cartogram_markers_inside_their_square(void)
{
	static const struct {
		double lat, lon;
		const char *code;
	} places[] = {
		{37.4954, 126.8874, "11530"}, // a factory in 구로동
		{37.6531, 127.0477, "11320"}, // 창동역, 도봉구
		{37.5720, 126.9769, "11110"}, // 광화문, 종로구
		{37.5216, 126.9243, "11560"}, // 여의도역, 영등포구
		{37.5171, 127.1000, "11710"}, // 잠실, 송파구
	};
	size_t n_places = sizeof(places) / sizeof(places[0]);
	struct rig r;
	CHECK(rig_open(&r, "\"markers\": \"m\", \"cluster\": false, \"labels\": \"none\""));
	char *json = strdup("{\"m\": [");
	for (size_t i = 0; i < n_places; i++) {
		char *more = fmt("%s%s{\"lat\": %.4f, \"lon\": %.4f}", json, i ? ", " : "",
				 places[i].lat, places[i].lon);
		free(json);
		json = more;
	}
	char *doc = fmt("%s]}", json);
	free(json);
	CHECK(rig_bind(&r, doc));
	free(doc);
	cairo_surface_t *s = rig_draw_at(&r, 1);
	const struct geo *g = map_geometry(r.map);
	double jx, jy, yx, yy; // 종로 and 용산 one row apart: the grid's pitch
	CHECK(g && map_feature_point(r.map, feature_by(g, "code", "11110"), &jx, &jy) &&
	      map_feature_point(r.map, feature_by(g, "code", "11170"), &yx, &yy));
	double pitch = fabs(yy - jy);
	CHECK(pitch > 20);
	size_t n;
	const struct map_cluster *c = map_drawn_clusters(r.map, &n);
	CHECK_INT(n, n_places);
	for (size_t i = 0; g && i < n; i++) {
		double fx = 0, fy = 0;
		const char *code = places[c[i].first].code;
		CHECK(map_feature_point(r.map, feature_by(g, "code", code), &fx, &fy));
		/* Inside the square (0.9 of the pitch), not merely near it. */
		if (fabs(c[i].x - fx) >= 0.4 * pitch || fabs(c[i].y - fy) >= 0.4 * pitch) {
			printf("# marker %zu (%s) at %.1f,%.1f; its square's centre %.1f,%.1f\n",
			       c[i].first, code, c[i].x, c[i].y, fx, fy);
		}
		CHECK(fabs(c[i].x - fx) < 0.4 * pitch && fabs(c[i].y - fy) < 0.4 * pitch);
	}
	cairo_surface_destroy(s);
	rig_close(&r);
}

static bool rects_overlap(const struct rect *a, const struct rect *b)
{
	return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

/* Marker labels cover no district name, no marker and no other label (issue 15: "marker labels
 * overprint each other and district names"); crowded ones are left out, never overprinted. */
static void marker_labels_avoid_names_markers_and_each_other(void)
{
	struct rig r;
	CHECK(rig_open(&r, "\"markers\": \"m\", \"cluster\": false, \"marker_label\": \"t\""));
	/* Forty markers around central Seoul, a few hundred metres apart, long labels. */
	char *json = strdup("{\"m\": [");
	for (int i = 0; i < 40; i++) {
		char *more = fmt("%s%s{\"lat\": %.4f, \"lon\": %.4f, \"t\": \"사건 %d 현장 부근\"}", json,
				 i ? ", " : "", 37.52 + 0.012 * (i / 8), 126.93 + 0.02 * (i % 8), i);
		free(json);
		json = more;
	}
	char *doc = fmt("%s]}", json);
	free(json);
	CHECK(rig_bind(&r, doc));
	free(doc);
	cairo_surface_t *s = rig_draw_at(&r, 1);
	size_t nl, nc, nn;
	const struct rect *boxes = map_drawn_marker_labels(r.map, &nl);
	const struct map_cluster *c = map_drawn_clusters(r.map, &nc);
	const struct map_label *names = map_drawn_labels(r.map, &nn);
	CHECK(nc == 40 && nn > 10);
	CHECK(nl >= 8 && nl <= 40); // many placed, none forced
	size_t bad = 0;
	for (size_t i = 0; i < nl; i++) {
		for (size_t j = i + 1; j < nl; j++) {
			bad += rects_overlap(&boxes[i], &boxes[j]);
		}
		for (size_t j = 0; j < nn; j++) {
			bad += rects_overlap(&boxes[i], &names[j].box);
		}
		for (size_t j = 0; j < nc; j++) {
			struct rect sym = {c[j].x - 6, c[j].y - 6, 12, 12}; // marker_size 12
			bad += rects_overlap(&boxes[i], &sym);
		}
	}
	if (bad) {
		printf("# %zu overlaps among %zu labels\n", bad, nl);
	}
	CHECK_INT(bad, 0);
	cairo_surface_destroy(s);
	rig_close(&r);
}

/* Several marker layers from one binding: an object of lists, a layer per member (issue 15:
 * one marker list per map). Every marker of every layer is read and drawn. */
static void marker_layers_from_an_object_of_lists(void)
{
	struct rig r;
	CHECK(rig_open(&r, "\"markers\": \"m\", \"cluster\": false"));
	CHECK(rig_bind(&r, "{\"m\": {\"사건\": [{\"lat\": 37.4954, \"lon\": 126.8874}],"
			   " \"CCTV\": [{\"lat\": 37.6531, \"lon\": 127.0477},"
			   " {\"lat\": 37.5720, \"lon\": 126.9769}],"
			   " \"따릉이\": [{\"lat\": 37.5216, \"lon\": 126.9243, \"category\": \"bike_station\"}]}}"));
	cairo_surface_t *s = rig_draw_at(&r, 1);
	size_t n;
	map_drawn_clusters(r.map, &n);
	CHECK_INT(n, 4);
	/* The same records as one list draw the same markers. */
	CHECK(rig_bind(&r, "{\"m\": [{\"lat\": 37.4954, \"lon\": 126.8874},"
			   " {\"lat\": 37.6531, \"lon\": 127.0477}]}"));
	cairo_surface_destroy(s);
	s = rig_draw_at(&r, 1);
	map_drawn_clusters(r.map, &n);
	CHECK_INT(n, 2);
	cairo_surface_destroy(s);
	rig_close(&r);
}

/* --- main ----------------------------------------------------------------------------- */

static const struct map_case map_cases[] = {
	{"the loader reads polygons with holes, multipolygons and points", loader_reads_features, false},
	{"planar coordinates are drawn unprojected", planar_coordinates_are_not_projected, false},
	{"broken GeoJSON is a layout error with file:line", broken_geojson_is_a_layout_error, false},
	{"geojson_over_limits_refused_with_message", geojson_over_limits_refused_with_message,
	 false},
	{"geojson_ring_at_limit_loads", geojson_ring_at_limit_loads, false},
	{"map_values_keep_no_fills_layer", map_values_keep_no_fills_layer, false},
	{"geojson_circle_ring_simplified_per_scale", geojson_circle_ring_simplified_per_scale,
	 false},
	{"geojson_noise_ring_simplified_within_budget",
	 geojson_noise_ring_simplified_within_budget, false},
	{"geojson_sliver_polygon_label_bounded", geojson_sliver_polygon_label_bounded, false},
	{"geojson_far_hole_point_clamped", geojson_far_hole_point_clamped, false},
	{"geojson_subpixel_rings_dropped_rings_oriented",
	 geojson_subpixel_rings_dropped_rings_oriented, false},
	{"nodata_overlapping_features_hatched_once", nodata_overlapping_features_hatched_once,
	 false},
	{"the bundled cartogram is found and looks like Seoul", cartogram_is_found_and_looks_like_seoul, false},
	{"the cartogram's codes and names are seoul-districts.csv's",
	 cartogram_matches_the_district_facts, true},
	{"district centres take their threshold colours", district_centres_take_their_colours, false},
	{"districts without data are hatched grey", no_data_is_hatched_grey, false},
	{"cached and uncached draws agree", cached_and_uncached_draws_agree, false},
	{"a new value repaints its district like a fresh draw", a_new_value_repaints_its_district, false},
	{"map_value_change_drawn_in_place: only its box, a fresh draw's bytes; a zoom declines",
	 map_value_change_drawn_in_place, false},
	{"records match by any field, arrays and keyed objects", records_match_by_any_field, false},
	{"bad values and markers draw no data, never crash", bad_values_draw_no_data, false},
	{"2,000 markers in one place draw one bubble of 2000", crowded_markers_make_one_bubble, false},
	{"map_stale_district_alone: one 2 h old district grey, the others in colour, legend says so",
	 map_stale_district_alone, false},
	{"map_unreadable_time_logged_fresh: a bad district time is fresh and logged once",
	 map_unreadable_time_logged_fresh, false},
	{"map_stale_marker_hollow: a stale marker is a hollow grey ring", map_stale_marker_hollow,
	 false},
	{"cartogram_markers_inside_their_square", cartogram_markers_inside_their_square, false},
	{"marker_layers_from_an_object_of_lists", marker_layers_from_an_object_of_lists, false},
	{"marker_labels_avoid_names_markers_and_each_other",
	 marker_labels_avoid_names_markers_and_each_other, false},
	{"spread markers cluster into bubbles that do not overlap",
	 spread_markers_cluster_without_overlap, false},
	{"district names never overlap and hide when too small", labels_never_overlap, false},
	{"real boundary files bind by code and by name", real_boundaries_bind_by_code_and_name, true},
	{"names on real boundaries never overlap", real_boundaries_labels_never_overlap, true},
	{"golden: public boundary files 1280x720", golden_seoul_1280x720, true},
};

static void remove_tmp_dir(void)
{
	const char *names[] = {"layout.json", "broken.geojson", "seoul.json", "overlap.geojson",
			       "big.geojson"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *path = tmp_path(names[i]);
		remove(path);
		free(path);
	}
	rmdir(tmp_dir);
}

int main(void)
{
	return map_rig_main("map-test", map_cases, sizeof(map_cases) / sizeof(map_cases[0]),
			    remove_tmp_dir);
}
