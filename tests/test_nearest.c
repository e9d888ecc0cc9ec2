/*
 * Image tiles choosing the camera nearest an alert ("nearest_to", layout/nearest.h): the
 * haversine distance, the layout's errors (with their lines and a did-you-mean), and a whole
 * wall from files — cameras as solid-colour pictures, an alert list — drawn by --screenshot's
 * pipeline: the nearest camera's colour on screen and its name and distance in the tile's
 * words, rank 2 the second nearest, "among" restricting the choice, the most severe alert
 * leading, no alert the no-data text, and only the camera shown ageing the tile.
 */

#include "check.h"

#include "app/screenshot.h"
#include "app/wall.h"
#include "layout/layout.h"
#include "layout/nearest.h"
#include "compose/board.h"
#include "util/xmalloc.h"
#include "widgets/widget.h"

/* image_helpers.h is test_image.c's; this file uses a part of it. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "image_helpers.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AT 1795564800.0 // 2026-11-25T00:00:00Z, 09:00 in Seoul: the fixed "now" of these tests

/* ---- distance ---- */

static void distance(void)
{
	/* Seoul City Hall to Gangnam station: 8.78 km. */
	double km = nearest_distance_km(37.5663, 126.9779, 37.4979, 127.0276);
	printf("# City Hall - Gangnam: %.3f km\n", km);
	CHECK(fabs(km - 8.778) < 0.01);
	CHECK(nearest_distance_km(37.5, 127, 37.5, 127) == 0);
	/* Half the way round: pi times the mean radius, without a NaN from rounding. */
	CHECK(fabs(nearest_distance_km(0, 0, 0, 180) - M_PI * 6371.0088) < 0.01);
	CHECK(fabs(nearest_distance_km(37.5, 126.9, 37.6, 126.9) -
		   nearest_distance_km(37.6, 126.9, 37.5, 126.9)) < 1e-9);
}

/* ---- the layout ---- */

#define CAMERAS \
	"{\"sources\": {\"safety\": {\"url\": \"s.json\"},\n" \
	" \"cctv1\": {\"url\": \"1.jpg\", \"type\": \"image\", \"lat\": 37.49, \"lon\": 126.89},\n" \
	" \"cctv2\": {\"url\": \"2.jpg\", \"type\": \"image\", \"lat\": 37.50, \"lon\": 126.88},\n" \
	" \"plain\": {\"url\": \"3.jpg\", \"type\": \"image\"}},\n"

/* Parsing `text` fails with a message that is exactly `want` (file "t.json", line and all). */
static void expect_error(const char *text, const char *want)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct layout *layout = layout_parse(text, strlen(text), "t.json", widget_specs(), &diags);
	CHECK(layout == NULL);
	bool found = false;
	for (size_t i = 0; i < diags.count; i++) {
		char *line = diag_format(&diags.items[i]);
		printf("# %s\n", line);
		found |= strcmp(line, want) == 0;
		free(line);
	}
	if (!found) {
		printf("# wanted: %s\n", want);
	}
	CHECK(found);
	layout_destroy(layout);
	diag_list_finish(&diags);
}

static void layout_reads(void)
{
	const char *text = CAMERAS
		"\"tiles\": [{\"widget\": \"image\", \"cell\": [0, 0], \"nearest_to\": \"safety:/alerts\","
		" \"rank\": 2},\n"
		" {\"widget\": \"image\", \"cell\": [1, 0], \"nearest_to\": \"safety:/alerts\","
		" \"among\": [\"cctv2\"]}]}";
	struct diag_list diags;
	diag_list_init(&diags);
	struct layout *layout = layout_parse(text, strlen(text), "t.json", widget_specs(), &diags);
	CHECK(layout != NULL);
	if (layout) {
		const struct tile *t = &layout->tiles[0];
		CHECK(t->nearest != NULL);
		/* Every image source with a position, in order; "plain" has none. */
		CHECK_INT(t->nearest->count, 2);
		CHECK_INT(t->nearest->rank, 2);
		CHECK_INT(t->binding_count, 3);
		CHECK_STR(t->bindings[t->nearest->alerts].path, "/alerts");
		CHECK_INT(t->bindings[t->nearest->first].source, layout_find_source(layout, "cctv1"));
		CHECK_STR(t->nearest->candidates[1].title, "cctv2"); // no "title": the name
		CHECK(t->nearest->candidates[0].lat == 37.49);
		t = &layout->tiles[1];
		CHECK_INT(t->nearest->count, 1);
		CHECK_INT(t->bindings[t->nearest->first].source, layout_find_source(layout, "cctv2"));
	}
	layout_destroy(layout);
	diag_list_finish(&diags);
}

static void layout_errors(void)
{
	expect_error(CAMERAS "\"tiles\": [\n{\"widget\": \"image\", \"cell\": [0, 0], "
		     "\"nearest_to\": \"safty:/alerts\"}]}",
		     "t.json:6: /tiles/0/nearest_to: binding names source \"safty\", which the "
		     "layout does not declare (did you mean \"safety\"?)");
	expect_error(CAMERAS "\"tiles\": [\n{\"widget\": \"image\", \"cell\": [0, 0], "
		     "\"nearest_to\": \"safety:/alerts\",\n \"among\": [\"cctv1\", \"cctv9\"]}]}",
		     "t.json:7: /tiles/0/among/1: unknown source \"cctv9\" (did you mean \"cctv1\"?)");
	expect_error(CAMERAS "\"tiles\": [\n{\"widget\": \"image\", \"cell\": [0, 0], "
		     "\"nearest_to\": \"safety:/alerts\",\n \"among\": [\"elsewhere\"]}]}",
		     "t.json:7: /tiles/0/among/0: unknown source \"elsewhere\" (cameras: \"cctv1\", "
		     "\"cctv2\")");
	expect_error(CAMERAS "\"tiles\": [\n{\"widget\": \"image\", \"cell\": [0, 0], "
		     "\"nearest_to\": \"safety:/alerts\",\n \"among\": [\"plain\"]}]}",
		     "t.json:7: /tiles/0/among/0: source \"plain\" is not a camera: it needs "
		     "\"type\": \"image\" and a position (\"lat\", \"lon\")");
	expect_error(CAMERAS "\"tiles\": [\n{\"widget\": \"image\", \"cell\": [0, 0], "
		     "\"nearest_to\": \"safety:/alerts\",\n \"among\": \"cctv1\"}]}",
		     "t.json:7: /tiles/0/among: must be an array of 1 to 32 source names, got a "
		     "string");
	expect_error(CAMERAS "\"tiles\": [\n{\"widget\": \"image\", \"cell\": [0, 0], "
		     "\"nearest_to\": \"safety:/alerts\",\n \"among\": [\"cctv1\", \"cctv1\"]}]}",
		     "t.json:7: /tiles/0/among/1: \"cctv1\" is named twice");
	expect_error(CAMERAS "\"tiles\": [\n{\"widget\": \"image\", \"cell\": [0, 0], "
		     "\"nearest_to\": \"cctv1:\"}]}",
		     "t.json:6: /tiles/0/nearest_to: must be an alert list in a JSON source, such as "
		     "\"safety:/alerts\" (records with \"lat\" and \"lon\")");
	expect_error(CAMERAS "\"tiles\": [\n{\"widget\": \"image\", \"cell\": [0, 0], "
		     "\"nearest_to\": \"safety:/alerts\",\n \"rank\": 3}]}",
		     "t.json:7: /tiles/0/rank: rank 3, but there are only 2 cameras to choose from");
	expect_error(CAMERAS "\"tiles\": [\n{\"widget\": \"image\", \"cell\": [0, 0], "
		     "\"nearest_to\": \"safety:/alerts\", \"source\": \"cctv1:\"}]}",
		     "t.json:6: /tiles/0: \"source\" and \"nearest_to\" both given: a tile shows one "
		     "or the other");
	expect_error(CAMERAS "\"tiles\": [\n{\"widget\": \"image\", \"cell\": [0, 0], "
		     "\"source\": \"cctv1:\",\n \"rank\": 2}]}",
		     "t.json:7: /tiles/0/rank: \"rank\" goes with \"nearest_to\"");
	expect_error("{\"sources\": {\"safety\": {\"url\": \"s.json\"},\n"
		     " \"cam\": {\"url\": \"1.jpg\", \"type\": \"image\"}},\n\"tiles\": [\n"
		     "{\"widget\": \"image\", \"cell\": [0, 0], \"nearest_to\": \"safety:/alerts\"}]}",
		     "t.json:4: /tiles/0/nearest_to: no source to choose from: declare cameras as "
		     "sources with \"type\": \"image\", \"lat\" and \"lon\"");
	expect_error("{\"sources\": {\n \"cam\": {\"url\": \"1.jpg\", \"type\": \"image\",\n"
		     "  \"lat\": 37.5}}, \"tiles\": []}",
		     "t.json:3: /sources/cam/lat: a position needs both \"lat\" and \"lon\"");
	expect_error("{\"sources\": {\n \"cam\": {\"url\": \"1.jpg\", \"type\": \"image\",\n"
		     "  \"lat\": 137.5, \"lon\": 127}}, \"tiles\": []}",
		     "t.json:3: /sources/cam/lat: must be in [-90, 90], got 137.5");
}

/* ---- a whole wall ---- */

/* Three cameras (red, green, blue) near Guro-gu and in Jongno-gu; a rank 1 and a rank 2 tile
 * over every camera, a tile choosing among "b" and "c" only, and a text of the alert source's
 * "note" (so a document without a usable alert list is taken, degraded). Camera "a" ages
 * first. */
static const char *wall_layout =
	"{\"canvas\": {\"width\": 800, \"height\": 200},"
	" \"grid\": {\"columns\": 4, \"rows\": 1, \"gap\": 0, \"margin\": 0},"
	" \"status_strip\": \"never\", \"feed\": \"empty.json\","
	" \"sources\": {\"safety\": {\"url\": \"alerts.json\", \"max_age\": 3600},"
	"  \"a\": {\"url\": \"a.png\", \"type\": \"image\", \"max_age\": 60, \"title\": \"구로구청 앞\","
	"   \"lat\": 37.4972, \"lon\": 126.8960},"
	"  \"b\": {\"url\": \"b.png\", \"type\": \"image\", \"max_age\": 3600, \"title\": \"구로역 앞\","
	"   \"lat\": 37.5033, \"lon\": 126.8820},"
	"  \"c\": {\"url\": \"c.png\", \"type\": \"image\", \"max_age\": 3600,"
	"   \"lat\": 37.6002, \"lon\": 126.9603}},"
	" \"tiles\": ["
	"  {\"id\": \"first\", \"widget\": \"image\", \"cell\": [0, 0], \"fit\": \"fill\","
	"   \"nearest_to\": \"safety:/alerts\", \"nodata_text\": \"경보 없음\"},"
	"  {\"id\": \"second\", \"widget\": \"image\", \"cell\": [1, 0], \"fit\": \"fill\","
	"   \"title\": \"두 번째\", \"nearest_to\": \"safety:/alerts\", \"rank\": 2},"
	"  {\"id\": \"among\", \"widget\": \"image\", \"cell\": [2, 0], \"fit\": \"fill\","
	"   \"nearest_to\": \"safety:/alerts\", \"among\": [\"c\", \"b\"], \"show_time\": false},"
	"  {\"id\": \"note\", \"widget\": \"text\", \"cell\": [3, 0], \"value\": \"safety:/note\"}]}";

/* The fire of the demo, in Guro-dong: a 0.78 km, b 1.00 km, c 12 km away. */
static const char *guro_fire =
	"{\"alerts\": [{\"level\": \"danger\", \"title\": \"공장 화재\", \"lat\": 37.4954,"
	" \"lon\": 126.8874, \"time\": \"2026-11-25T08:52:00+09:00\"}]}";

/* A lesser alert in Guro first, the most severe in Jongno (c 1.42 km, a and b 14 km). */
static const char *two_alerts =
	"{\"alerts\": [{\"level\": \"warning\", \"title\": \"침수\", \"lat\": 37.4954,"
	" \"lon\": 126.8874},"
	" {\"level\": \"danger\", \"title\": \"대설\", \"lat\": 37.6060, \"lon\": 126.9747}]}";

struct scene {
	char *dir;
	struct wall wall;
	bool open;
};

static void write_text(const struct scene *s, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", s->dir, name);
	write_bytes(path, text, strlen(text), 0);
	free(path);
}

static void write_solid(const struct scene *s, const char *name, int r, int g, int b)
{
	unsigned char rgba[16 * 9 * 4];
	for (size_t i = 0; i < sizeof(rgba); i += 4) {
		rgba[i] = (unsigned char)r;
		rgba[i + 1] = (unsigned char)g;
		rgba[i + 2] = (unsigned char)b;
		rgba[i + 3] = 255;
	}
	struct bytes png = make_png_rgba(16, 9, rgba, false);
	char *path = xasprintf("%s/%s", s->dir, name);
	write_bytes(path, png.data, png.len, 0);
	free(path);
	bytes_free(&png);
}

static bool scene_open(struct scene *s, const char *alerts)
{
	*s = (struct scene){.dir = temp_dir()};
	write_text(s, "wall.json", wall_layout);
	write_text(s, "empty.json", "{}");
	write_text(s, "alerts.json", alerts);
	write_solid(s, "a.png", 255, 0, 0);
	write_solid(s, "b.png", 0, 255, 0);
	write_solid(s, "c.png", 0, 0, 255);
	char *layout = xasprintf("%s/wall.json", s->dir);
	struct wall_options options = {.layout_file = layout,
				       .clock = {.fixed = true, .at = AT}};
	s->open = wall_open(&s->wall, &options);
	free(layout);
	CHECK(s->open);
	if (s->open) {
		wall_fetch_once(&s->wall);
	}
	return s->open;
}

static void scene_close(struct scene *s)
{
	if (s->open) {
		wall_close(&s->wall);
	}
	remove_tree(s->dir);
	free(s->dir);
}

/* Draws the wall to a PNG as --screenshot does; the picture, or NULL. */
static cairo_surface_t *shoot(struct scene *s)
{
	char *png = xasprintf("%s/shot.png", s->dir);
	char err[256] = "";
	bool ok = screenshot_write(&s->wall, 800, 200, png, err, sizeof(err));
	CHECK(ok);
	cairo_surface_t *shot = ok ? cairo_image_surface_create_from_png(png) : NULL;
	free(png);
	return shot;
}

static struct argb shot_pixel(cairo_surface_t *s, int x, int y)
{
	cairo_surface_flush(s);
	return pixel_of(cairo_image_surface_get_data(s), cairo_image_surface_get_stride(s), x, y);
}

/* The tiles' words, and their middles' colours (left of the middle: clear of the labels). */
static void expect_tile(struct scene *s, cairo_surface_t *shot, const char *id, const char *words,
			int r, int g, int b)
{
	long index = board_find_tile(s->wall.board, id);
	char text[512] = "";
	board_tile_describe(s->wall.board, (size_t)index, AT, text, sizeof(text));
	printf("# %s: %s\n", id, text);
	CHECK_STR(text, words);
	if (r >= 0) {
		struct argb p = shot_pixel(shot, (int)index * 200 + 150, 100);
		printf("# %s at its middle: %d %d %d\n", id, p.r, p.g, p.b);
		CHECK(near_rgb(p, r, g, b, 4));
	}
}

static void picks_nearest(void)
{
	struct scene s;
	if (scene_open(&s, guro_fire)) {
		cairo_surface_t *shot = shoot(&s);
		if (shot) {
			expect_tile(&s, shot, "first", "구로구청 앞 · 0.8 km · 09:00:00 촬영", 255, 0,
				    0);
			expect_tile(&s, shot, "second",
				    "두 번째 · 구로역 앞 · 1.0 km · 09:00:00 촬영", 0, 255, 0);
			expect_tile(&s, shot, "among", "구로역 앞 · 1.0 km", 0, 255, 0);
			cairo_surface_destroy(shot);
		}
	}
	scene_close(&s);
}

static void most_severe_leads(void)
{
	struct scene s;
	if (scene_open(&s, two_alerts)) {
		cairo_surface_t *shot = shoot(&s);
		if (shot) {
			/* c has no title: its source name stands for it; 13.9 km rounds to 14. */
			expect_tile(&s, shot, "first", "c · 1.4 km · 09:00:00 촬영", 0, 0, 255);
			expect_tile(&s, shot, "second",
				    "두 번째 · 구로구청 앞 · 14 km · 09:00:00 촬영", 255, 0, 0);
			expect_tile(&s, shot, "among", "c · 1.4 km", 0, 0, 255);
			cairo_surface_destroy(shot);
		}
		/* The alert moves: the next document picks again. */
		write_text(&s, "alerts.json", guro_fire);
		wall_fetch_once(&s.wall);
		shot = shoot(&s);
		if (shot) {
			expect_tile(&s, shot, "first", "구로구청 앞 · 0.8 km · 09:00:00 촬영", 255, 0,
				    0);
			cairo_surface_destroy(shot);
		}
	}
	scene_close(&s);
}

static void no_alert_no_camera(void)
{
	struct scene s;
	if (scene_open(&s, "{\"alerts\": []}")) {
		cairo_surface_t *shot = shoot(&s);
		if (shot) {
			struct color nodata = s.wall.layout->theme.states[STATE_NODATA].fill;
			expect_tile(&s, shot, "first", "경보 없음", (int)lround(nodata.r * 255),
				    (int)lround(nodata.g * 255), (int)lround(nodata.b * 255));
			expect_tile(&s, shot, "second", "두 번째 · 영상 없음 · No image", -1, 0, 0);
			cairo_surface_destroy(shot);
		}
		/* An alert without a position chooses nothing either. */
		write_text(&s, "alerts.json", "{\"alerts\": [{\"level\": \"danger\", \"title\": "
			   "\"어딘가\"}]}");
		wall_fetch_once(&s.wall);
		shot = shoot(&s);
		if (shot) {
			expect_tile(&s, shot, "first", "경보 없음", -1, 0, 0);
			cairo_surface_destroy(shot);
		}
	}
	scene_close(&s);
}

/* Camera "a" (max_age 60) is stale two minutes on: the tile showing it is, the others not. */
static void only_the_shown_camera_ages(void)
{
	struct scene s;
	if (scene_open(&s, guro_fire)) {
		s.wall.clock.at = AT + 120;
		cairo_surface_t *shot = shoot(&s);
		struct board *board = s.wall.board;
		CHECK(board_tile_stale(board, (size_t)board_find_tile(board, "first")));
		CHECK(!board_tile_stale(board, (size_t)board_find_tile(board, "second")));
		CHECK(!board_tile_stale(board, (size_t)board_find_tile(board, "among")));
		if (shot) {
			cairo_surface_destroy(shot);
		}
	}
	scene_close(&s);
}

/*
 * The newest alert document breaks the list ("점검중" where the records were) but keeps the
 * note: the board keeps the last good list for the tile, and the tile keeps its camera, with
 * the "as of" badge, rather than saying "no alert".
 */
static void broken_list_keeps_camera(void)
{
	struct scene s;
	if (scene_open(&s, "{\"note\": \"대응중\", \"alerts\": [{\"level\": \"danger\", "
			   "\"title\": \"공장 화재\", \"lat\": 37.4954, \"lon\": 126.8874}]}")) {
		write_text(&s, "alerts.json", "{\"note\": \"점검중\", \"alerts\": \"점검중\"}");
		wall_fetch_once(&s.wall);
		cairo_surface_t *shot = shoot(&s);
		struct board *board = s.wall.board;
		CHECK(board_tile_holding(board, (size_t)board_find_tile(board, "first")));
		if (shot) {
			expect_tile(&s, shot, "first", "구로구청 앞 · 0.8 km · 09:00:00 촬영", 255, 0,
				    0);
			expect_tile(&s, shot, "among", "구로역 앞 · 1.0 km", 0, 255, 0);
			cairo_surface_destroy(shot);
		}
	}
	scene_close(&s);
}

static const struct check_case cases[] = {
	{"haversine distances", distance},
	{"layout: candidates, rank, among", layout_reads},
	{"layout: bad nearest_to, among, rank, positions (lines, did-you-mean)", layout_errors},
	{"the nearest camera, rank 2 the second, among restricts", picks_nearest},
	{"the most severe alert leads; a new document chooses again", most_severe_leads},
	{"no alert, or one without a position: the no-data text", no_alert_no_camera},
	{"only the camera shown ages the tile", only_the_shown_camera_ages},
	{"a broken alert list keeps the camera of the last good one", broken_list_keeps_camera},
};

CHECK_MAIN(cases)
