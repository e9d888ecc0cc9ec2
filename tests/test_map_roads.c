/*
 * Road links and the Han river on the map widget: links from XYLIST are bound with exact
 * counts of what was skipped and drawn in their speed class's colour (TOPIS classes by
 * default, categorical IDX through link_thresholds), within their limits; on the cartogram a
 * link is moved onto its district's square. The river is derived from the edges that north-
 * and south-bank districts share: on a tiny synthetic file (tests/data/two-banks.geojson) and
 * on the public boundary files, and drawn as water where "river" is not false. A golden image
 * of the public KOSTAT file with the board's links and the river (tests/golden/
 * map-roads-seoul-1280x720.png).
 *
 * Cases that read ../shared/data are skipped with a TAP SKIP when it is absent (set
 * CITYWALL_SHARED_DATA to use another place). MAP_UPDATE_GOLDEN=1 rewrites the reference.
 */

#include "check.h"
#include "image_compare.h"
#include "map_rig.h"

#include "app/screenshot.h"
#include "app/wall.h"
#include "feed/snapshot_parse.h"
#include "layout/geo.h"
#include "model/xylist.h"
#include "util/xmalloc.h"
#include "widgets/map.h"
#include "widgets/widget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define T0 1795564800.0 /* 2026-11-25T09:00:00+09:00 */
#define IDX_STEPS                                                                          \
	"[{\"equals\": \"원활\", \"state\": \"good\"}, {\"equals\": \"서행\", \"state\": "    \
	"\"moderate\"}, {\"equals\": \"정체\", \"state\": \"bad\"}]"

/* --- a map tile driven directly: layout → create → bind → draw ------------------------- */

static void check_color(cairo_surface_t *s, double x, double y, struct color want, bool equal)
{
	struct color got = pixel(s, x, y);
	if (near_color(got, want) != equal) {
		printf("# at (%.0f, %.0f): got #%02x%02x%02x, %s #%02x%02x%02x\n", x, y,
		       (int)(got.r * 255), (int)(got.g * 255), (int)(got.b * 255),
		       equal ? "want" : "do not want", (int)(want.r * 255 + 0.5),
		       (int)(want.g * 255 + 0.5), (int)(want.b * 255 + 0.5));
	}
	CHECK(near_color(got, want) == equal);
}

/* The water colour of map_river.c. */
static const struct color water = {0.20, 0.42, 0.66, 1};

static char *two_banks_options(const char *more)
{
	return fmt("\"geojson\": \"%s/tests/data/two-banks.geojson\", \"labels\": \"none\"%s",
		   source_root(), more);
}

/* Where source point (lon, lat) lands: by a feature's label point and the projection scale. */
static void where(struct rig *r, double lon, double lat, double *x, double *y)
{
	const struct geo *g = map_geometry(r->map);
	double x0, y0, x1, y1;
	/* Two features' label points fix the affine projection (no rotation, y down). */
	map_feature_point(r->map, 0, &x0, &y0);
	map_feature_point(r->map, 1, &x1, &y1);
	const struct geo_point a = g->features[0].label, b = g->features[1].label;
	double sy = (y1 - y0) / (b.y - a.y);
	double sx = -sy * g->x_scale;
	*x = x0 + (lon - a.x) * sx;
	*y = y0 + (lat - a.y) * sy;
}

/* --- links ---------------------------------------------------------------------------- */

/* tests/data/roads-snapshot.json's "near_han": 6 records, 3 good links, every skip counted. */
static void links_tally_exact_counts(void)
{
	struct rig r;
	char *options = two_banks_options(", \"links\": \"near_han\", \"link_value_field\": "
					  "\"IDX\", \"link_thresholds\": " IDX_STEPS);
	CHECK(rig_open(&r, options));
	char *path = fmt("%s/tests/data/roads-snapshot.json", source_root());
	char *json = read_file(path);
	CHECK(json && rig_bind(&r, json));
	const struct map_link_tally *t = map_links_tally(r.map);
	CHECK(t->records == 6);
	CHECK(t->links == 3 && map_link_count(r.map) == 3);
	CHECK(t->no_path == 2);     // no XYLIST; XYLIST a number
	CHECK(t->short_links == 1); // one point
	CHECK(t->bad == 1);         // "x_y"
	CHECK(t->outside == 1);     // "0_0"
	CHECK(t->cut == 0);
	CHECK(t->points == 7);
	CHECK(map_link_state(r.map, 0) == STATE_BAD);      // 정체
	CHECK(map_link_state(r.map, 1) == STATE_GOOD);     // 원활
	CHECK(map_link_state(r.map, 2) == STATE_MODERATE); // 서행
	/* The same document again changes nothing; one speed class less does. */
	CHECK(!rig_bind(&r, json));
	char *slower = strstr(strstr(json, "near_han"), "\"원활\"");
	CHECK(slower != NULL);
	if (slower) {
		memcpy(slower, "\"정체\"", strlen("\"정체\""));
		CHECK(rig_bind(&r, json));
		CHECK(map_link_state(r.map, 1) == STATE_BAD);
	}
	free(json);
	free(path);
	rig_close(&r);
	free(options);
}

/* Without link_thresholds a speed takes TOPIS's arterial class; a number in a string too. */
static void links_default_topis_classes(void)
{
	struct rig r;
	char *options = two_banks_options(", \"links\": \"links\"");
	CHECK(rig_open(&r, options));
	const char *xy = "126.91_37.58|126.94_37.58";
	char *json = fmt("{\"links\": [{\"SPD\": 0, \"XYLIST\": \"%s\"}, {\"SPD\": 14.9, "
			 "\"XYLIST\": \"%s\"}, {\"SPD\": 15, \"XYLIST\": \"%s\"}, {\"SPD\": \"24.9\", "
			 "\"XYLIST\": \"%s\"}, {\"SPD\": 25, \"XYLIST\": \"%s\"}, {\"SPD\": \"점검중\", "
			 "\"XYLIST\": \"%s\"}, {\"XYLIST\": \"%s\"}]}",
			 xy, xy, xy, xy, xy, xy, xy);
	rig_bind(&r, json);
	const enum state want[] = {STATE_BAD,  STATE_BAD,    STATE_MODERATE, STATE_MODERATE,
				   STATE_GOOD, STATE_NODATA, STATE_NODATA};
	CHECK(map_link_count(r.map) == 7);
	for (size_t i = 0; i < 7; i++) {
		if (map_link_state(r.map, i) != want[i]) {
			printf("# link %zu: state %d, want %d\n", i, map_link_state(r.map, i), want[i]);
		}
		CHECK(map_link_state(r.map, i) == want[i]);
	}
	free(json);
	rig_close(&r);
	free(options);
}

/* A link is drawn in its class's colour over the district fill, on a background casing. */
static void links_drawn_in_class_colour(void)
{
	struct rig r;
	char *options = two_banks_options(", \"links\": \"links\"");
	CHECK(rig_open(&r, options));
	CHECK(rig_bind(&r, "{\"links\": [{\"SPD\": 8, \"XYLIST\": \"126.905_37.58|126.945_37.58\"}]}"));
	cairo_surface_t *s = rig_draw_at(&r, 1);
	double x, y;
	where(&r, 126.925, 37.58, &x, &y);
	const struct theme *theme = &r.layout->theme;
	check_color(s, x, y, map_state_fill(theme, STATE_BAD), true);
	/* Off the line: the district's plain fill (no values bound). */
	check_color(s, x, y + 30, map_state_fill(theme, STATE_BAD), false);
	cairo_surface_destroy(s);
	/* Bound to nothing (the path leads nowhere): no line. */
	rig_bind(&r, "{\"other\": 1}");
	CHECK(map_link_count(r.map) == 0);
	s = rig_draw_at(&r, 1);
	check_color(s, x, y, map_state_fill(theme, STATE_BAD), false);
	cairo_surface_destroy(s);
	rig_close(&r);
	free(options);
}

static char *repeat_pairs(size_t n, double lon0)
{
	char *text = xmalloc(n * 24 + 1);
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		len += (size_t)sprintf(text + len, "%s%.5f_37.58", i ? "|" : "",
				       lon0 + 0.04 * (double)i / (double)n);
	}
	text[len] = '\0';
	return text;
}

/* Huge lists are cut at their limits and counted: per link, over all links, per binding. */
static void links_huge_lists_bounded(void)
{
	struct rig r;
	char *options = two_banks_options(", \"links\": \"links\"");
	CHECK(rig_open(&r, options));
	/* One link of 3,000 points: 2,000 kept (XYLIST_MAX_POINTS), 1,000 cut. */
	char *pairs = repeat_pairs(3000, 126.905);
	char *json = fmt("{\"links\": [{\"SPD\": 30, \"XYLIST\": \"%s\"}]}", pairs);
	rig_bind(&r, json);
	const struct map_link_tally *t = map_links_tally(r.map);
	CHECK(t->links == 1 && t->points == XYLIST_MAX_POINTS && t->cut == 1000);
	free(json);
	/* 60 such links: 100,000 points in all are kept, the rest cut; link 51 gets none. */
	size_t n = 60, len = 0;
	json = xmalloc(n * (strlen(pairs) + 40) + 32);
	len += (size_t)sprintf(json, "{\"links\": [");
	for (size_t i = 0; i < n; i++) {
		len += (size_t)sprintf(json + len, "%s{\"SPD\": 30, \"XYLIST\": \"%s\"}",
				       i ? ", " : "", pairs);
	}
	sprintf(json + len, "]}");
	rig_bind(&r, json);
	t = map_links_tally(r.map);
	CHECK(t->records == 60);
	CHECK(t->points == 100000);
	CHECK(t->links == 50);
	CHECK(t->short_links == 10);
	CHECK(t->cut == 60 * 3000 - 100000);
	free(json);
	free(pairs);
	/* 6,000 two-point links: the first 5,000 read. */
	n = 6000;
	len = 0;
	json = xmalloc(n * 64 + 32);
	len += (size_t)sprintf(json, "{\"links\": [");
	for (size_t i = 0; i < n; i++) {
		len += (size_t)sprintf(json + len, "%s{\"XYLIST\": \"126.91_37.58|126.92_37.58\"}",
				       i ? ", " : "");
	}
	sprintf(json + len, "]}");
	rig_bind(&r, json);
	CHECK(map_links_tally(r.map)->records == 5000 && map_link_count(r.map) == 5000);
	free(json);
	/* Not a list at all. */
	rig_bind(&r, "{\"links\": \"126.91_37.58|126.92_37.58\"}");
	CHECK(map_link_count(r.map) == 0 && map_links_tally(r.map)->records == 0);
	rig_close(&r);
	free(options);
}

/* On the cartogram a link at 종로구's real centroid is drawn at the centre of its square. */
static void links_on_cartogram_in_their_square(void)
{
	struct rig r;
	CHECK(rig_open(&r, "\"links\": \"links\", \"labels\": \"none\", \"river\": false"));
	CHECK(rig_bind(&r, "{\"links\": [{\"SPD\": 8, \"XYLIST\": "
			   "\"126.9798_37.5916|126.9830_37.5916\"}]}"));
	cairo_surface_t *s = rig_draw_at(&r, 1);
	const struct geo *g = map_geometry(r.map);
	size_t jongno = (size_t)-1;
	for (size_t i = 0; i < g->feature_count; i++) {
		const char *name = geo_property(g, &g->features[i], "name");
		if (name && strcmp(name, "종로구") == 0) {
			jongno = i;
		}
	}
	double x, y;
	CHECK(map_feature_point(r.map, jongno, &x, &y));
	check_color(s, x, y, map_state_fill(&r.layout->theme, STATE_BAD), true);
	cairo_surface_destroy(s);
	rig_close(&r);
}

/* --- the river ------------------------------------------------------------------------ */

/* 마포 (north) over 영등포 (south): their shared edge, two segments, is the river; 용산's
 * edge with 마포 (both north) is not. */
static void river_two_banks_synthetic(void)
{
	char err[256];
	char *path = fmt("%s/tests/data/two-banks.geojson", source_root());
	struct geo *g = geo_load_file(path, err, sizeof(err));
	CHECK(g != NULL);
	struct geo_point *seg;
	size_t n = map_river_segments(g, "name", &seg);
	CHECK(n == 2);
	for (size_t i = 0; i < 2 * n; i++) {
		CHECK(seg[i].y == 37.55 && seg[i].x >= 126.90 && seg[i].x <= 126.95);
	}
	free(seg);
	/* Names nobody knows are north: no south bank, no river. */
	CHECK(map_river_segments(g, "code", &seg) == 0 && seg == NULL);
	geo_unref(g);
	free(path);

	struct rig r;
	char *options = two_banks_options("");
	CHECK(rig_open(&r, options));
	cairo_surface_t *s = rig_draw_at(&r, 1);
	double x, y;
	where(&r, 126.9375, 37.55, &x, &y);
	check_color(s, x, y, water, true);
	check_color(s, x, y - 40, water, false);
	cairo_surface_destroy(s);
	rig_close(&r);
	free(options);

	options = two_banks_options(", \"river\": false");
	CHECK(rig_open(&r, options));
	s = rig_draw_at(&r, 1);
	check_color(s, x, y, water, false);
	cairo_surface_destroy(s);
	rig_close(&r);
	free(options);
}

static double segments_km(const struct geo_point *seg, size_t n)
{
	double km = 0;
	for (size_t i = 0; i < n; i++) {
		double dx = (seg[2 * i + 1].x - seg[2 * i].x) * 111.32 * cos(37.55 * M_PI / 180);
		double dy = (seg[2 * i + 1].y - seg[2 * i].y) * 110.57;
		km += hypot(dx, dy);
	}
	return km;
}

/* The public files: about 30 km of shared north/south edges in each, at every resolution. */
static void river_real_boundaries(void)
{
	const struct {
		const char *file, *names;
		size_t segments;
	} files[] = {
		{"kostat2013_seoul_municipalities_geo_simple.json", "name", 44},
		{"kostat2013_seoul_municipalities_geo.json", "name", 299},
		{"juso2015_seoul_municipalities_geo_simple.json", "SIG_KOR_NM", 85},
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char err[256];
		char *path = fmt("%s/seoul-maps/%s", shared, files[i].file);
		struct geo *g = geo_load_file(path, err, sizeof(err));
		CHECK(g != NULL);
		struct geo_point *seg;
		size_t n = map_river_segments(g, files[i].names, &seg);
		double km = segments_km(seg, n);
		printf("# %s: %zu segments, %.1f km\n", files[i].file, n, km);
		CHECK(n == files[i].segments);
		CHECK(km > 29 && km < 31);
		free(seg);
		geo_unref(g);
		free(path);
	}
}

/* The KOSTAT districts with the board's links and the river, as the wall would draw them. */
static void golden_roads_seoul(void)
{
	char *layout = fmt("%s/roads-seoul.json", tmp_dir);
	char *text = fmt(
		"{\"version\": 1, \"title\": \"map: links and river on public boundaries\",\n"
		" \"feed\": \"%s/layouts/data/seoul-board.json\",\n"
		" \"canvas\": {\"width\": 1280, \"height\": 720},\n"
		" \"grid\": {\"columns\": 1, \"rows\": 1, \"gap\": 12, \"margin\": 24},\n"
		" \"tiles\": [\n"
		"  {\"id\": \"kostat\", \"widget\": \"map\", \"cell\": [0, 0],\n"
		"   \"title\": \"KOSTAT 2013 · 주요 도로 소통과 한강\",\n"
		"   \"geojson\": \"%s/seoul-maps/kostat2013_seoul_municipalities_geo_simple.json\",\n"
		"   \"key_property\": \"name\", \"value_key\": \"name\", \"values\": \"traffic/districts\",\n"
		"   \"value_field\": \"v\", \"legend_title\": \"통행속도 km/h\",\n"
		"   \"thresholds\": [{\"from\": 0, \"state\": \"bad\"}, {\"from\": 15, \"state\":\n"
		"   \"moderate\"}, {\"from\": 25, \"state\": \"good\"}],\n"
		"   \"links\": \"ROAD_TRAFFIC_STTS\", \"link_value_field\": \"IDX\",\n"
		"   \"link_thresholds\": " IDX_STEPS "}\n"
		" ]}\n",
		source_root(), shared);
	FILE *f = fopen(layout, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	free(text);
	char *reference = fmt("%s/tests/golden/map-roads-seoul-1280x720.png", source_root());
	char *dir = fmt("%s/golden", build_root());
	char *actual = fmt("%s/map-roads-seoul-1280x720.actual.png", dir);
	mkdir(dir, 0755);
	bool update = getenv("MAP_UPDATE_GOLDEN") != NULL;
	struct wall wall;
	/* 14:00 KST, the board snapshot's own time. */
	struct wall_options wo = {.layout_file = layout, .clock = {.fixed = true, .at = T0 + 5 * 3600}};
	char err[512] = "";
	bool ok = wall_open(&wall, &wo);
	CHECK(ok);
	if (ok) {
		wall_fetch_once(&wall);
		CHECK(screenshot_write(&wall, 1280, 720, update ? reference : actual, err,
				       sizeof(err)));
		wall_close(&wall);
	}
	if (!update && ok) {
		cairo_surface_t *want = cairo_image_surface_create_from_png(reference);
		cairo_surface_t *got = cairo_image_surface_create_from_png(actual);
		struct image_diff d = image_compare(got, want, 24, NULL);
		long allowed = (long)(0.0005 * 1280 * 720);
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
	remove(layout);
	free(actual);
	free(dir);
	free(reference);
	free(layout);
}

static const struct map_case roads_cases[] = {
	{"links_tally_exact_counts", links_tally_exact_counts, false},
	{"links_default_topis_classes", links_default_topis_classes, false},
	{"links_drawn_in_class_colour", links_drawn_in_class_colour, false},
	{"links_huge_lists_bounded", links_huge_lists_bounded, false},
	{"links_on_cartogram_in_their_square", links_on_cartogram_in_their_square, false},
	{"river_two_banks_synthetic", river_two_banks_synthetic, false},
	{"river_real_boundaries", river_real_boundaries, true},
	{"golden: links and river on the KOSTAT districts 1280x720", golden_roads_seoul, true},
};

/* The files the cases wrote into the temporary folder. */
static void remove_layout(void)
{
	char *layout = tmp_path("layout.json");
	remove(layout);
	free(layout);
}

int main(void)
{
	return map_rig_main("map-roads-test", roads_cases,
			    sizeof(roads_cases) / sizeof(roads_cases[0]), remove_layout);
}
