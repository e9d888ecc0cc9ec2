/*
 * Hit testing for the touch drill-down (docs/interaction.md), through the board as a tap
 * reaches it: a device pixel goes back through the board's transform to the canvas, to the
 * topmost tile there and to the part of it the widget drew (a district, holes included; a
 * marker or a cluster; a table row; a bar), at two scales and with the viewport's offsets
 * (a canvas that does not fill the window is centred). Also the panel itself: open, its
 * close button, and that emergency mode lets nothing open. And zoom: the pinch maths, and
 * hits on a zoomed map at the same scales and offsets.
 */

#include "check.h"

#include "feed/snapshot_parse.h"
#include "layout/layout.h"
#include "compose/board.h"
#include "compose/detail.h"
#include "util/xmalloc.h"
#include "widgets/map.h"
#include "widgets/widget.h"

#include <cairo.h>
#include <stdlib.h>
#include <unistd.h>

#define T0 1795564800.0 /* 2026-11-25T09:00:00+09:00 */

/*
 * A (code A): a square ring around a hole; B: an island in the hole; C and D: squares. In
 * planar units, far from any lon/lat so that nothing is projected.
 */
static const char *geojson =
	"{\"type\": \"FeatureCollection\", \"features\": [\n"
	" {\"type\": \"Feature\", \"properties\": {\"code\": \"A\", \"name\": \"Ring\"},\n"
	"  \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [\n"
	"   [[0, 0], [0, 12], [12, 12], [12, 0], [0, 0]],\n"
	"   [[3, 3], [9, 3], [9, 9], [3, 9], [3, 3]]]}},\n"
	" {\"type\": \"Feature\", \"properties\": {\"code\": \"B\", \"name\": \"Island\"},\n"
	"  \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [\n"
	"   [[5, 5], [7, 5], [7, 7], [5, 7], [5, 5]]]}},\n"
	" {\"type\": \"Feature\", \"properties\": {\"code\": \"C\", \"name\": \"East\"},\n"
	"  \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [\n"
	"   [[20, 0], [32, 0], [32, 12], [20, 12], [20, 0]]]}},\n"
	" {\"type\": \"Feature\", \"properties\": {\"code\": \"D\", \"name\": \"North\"},\n"
	"  \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [\n"
	"   [[20, 20], [32, 20], [32, 32], [20, 32], [20, 20]]]}}\n"
	"]}\n";

static const char *layout_json =
	"{\"canvas\": {\"width\": 1000, \"height\": 700}, \"interactive\": true,\n"
	" \"grid\": {\"columns\": 2, \"rows\": 2, \"gap\": 0, \"margin\": 0},\n"
	" \"tiles\": [\n"
	"  {\"id\": \"m\", \"widget\": \"map\", \"cell\": [0, 0], \"span\": [1, 2],\n"
	"   \"geojson\": \"hit.geojson\", \"labels\": \"none\", \"legend\": false,\n"
	"   \"values\": \"d\", \"value_field\": \"v\", \"markers\": \"mk\", \"marker_size\": 14,\n"
	"   \"marker_label\": \"label\"},\n"
	"  {\"id\": \"t\", \"widget\": \"table\", \"cell\": [1, 0], \"rows\": \"rows\",\n"
	"   \"columns\": [{\"field\": \"name\"}, {\"field\": \"n\"}]},\n"
	"  {\"id\": \"b\", \"widget\": \"bar\", \"cell\": [1, 1], \"value\": \"rows\",\n"
	"   \"value_field\": \"n\", \"label_field\": \"name\"}]}\n";

static const char *snapshot_json =
	"{\"generated_at\": \"2026-11-25T09:00:00+09:00\",\n"
	" \"d\": [{\"code\": \"A\", \"v\": 1}, {\"code\": \"B\", \"v\": 2}, {\"code\": \"C\", \"v\": 3},"
	"  {\"code\": \"D\", \"v\": 4}],\n"
	" \"mk\": [{\"lon\": 26, \"lat\": 6, \"label\": \"one\"},\n"
	"        {\"lon\": 26, \"lat\": 26, \"label\": \"two\"},"
	"        {\"lon\": 26.01, \"lat\": 26.01, \"label\": \"three\"}],\n"
	" \"rows\": [{\"name\": \"r0\", \"n\": 30}, {\"name\": \"r1\", \"n\": 20},"
	"  {\"name\": \"r2\", \"n\": 10}]}\n";

/* The layout rig_open reads instead of layout_json when set (the cameras' case). */
static const char *rig_layout;

struct rig {
	char dir[4096];
	struct layout *layout;
	struct text_engine *text;
	struct board *board;
	cairo_surface_t *frame;
	double scale, ox, oy; // the board's transform, as board_set_viewport computes it
};

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static bool rig_open(struct rig *r, int width, int height)
{
	*r = (struct rig){0};
	const char *root = getenv("CITYWALL_BUILD_ROOT");
	snprintf(r->dir, sizeof(r->dir), "%s/hit-test-XXXXXX", root ? root : ".");
	if (!mkdtemp(r->dir)) {
		return false;
	}
	char *geo = xasprintf("%s/hit.geojson", r->dir);
	char *file = xasprintf("%s/layout.json", r->dir);
	write_file(geo, geojson);
	struct diag_list diags;
	diag_list_init(&diags);
	const char *text = rig_layout ? rig_layout : layout_json;
	r->layout = layout_parse(text, strlen(text), file, widget_specs(), &diags);
	for (size_t i = 0; i < diags.count; i++) {
		char *line = diag_format(&diags.items[i]);
		printf("# %s\n", line);
		free(line);
	}
	diag_list_finish(&diags);
	remove(geo);
	free(geo);
	free(file);
	char err[256];
	r->text = text_engine_create(NULL, 0, err, sizeof(err));
	if (!r->layout || !r->text) {
		return false;
	}
	r->board = board_create(r->layout, r->text);
	board_set_viewport(r->board, width, height);
	diag_list_init(&diags);
	struct snapshot *snap = snapshot_parse(snapshot_json, strlen(snapshot_json), "test",
					       "default", "generated_at", T0, &diags);
	diag_list_finish(&diags);
	board_set_snapshot(r->board, 0, snap, T0);
	snapshot_unref(snap);
	board_advance(r->board, T0);
	r->frame = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
	size_t n;
	board_draw(r->board, r->frame, T0, &n); // parts are where the last draw put them
	r->scale = fmin(width / 1000.0, height / 700.0);
	r->ox = floor((width - 1000 * r->scale) / 2);
	r->oy = floor((height - 700 * r->scale) / 2);
	return true;
}

static void rig_close(struct rig *r)
{
	board_destroy(r->board);
	layout_destroy(r->layout);
	text_engine_destroy(r->text);
	cairo_surface_destroy(r->frame);
	rmdir(r->dir);
}

/* What a tap at virtual point (x, y) hits, through device pixels. */
static struct board_hit hit_at(const struct rig *r, double x, double y)
{
	struct board_hit hit;
	board_hit(r->board, r->ox + x * r->scale, r->oy + y * r->scale, &hit);
	return hit;
}

/* The sizes: the canvas exactly, twice over with bands above and below, smaller with bands. */
static const int sizes[][2] = {{1000, 700}, {2000, 1600}, {700, 700}, {1600, 700}};
#define SIZES (sizeof(sizes) / sizeof(sizes[0]))

/*
 * The map's source → virtual mapping, from where the last draw put the label points of the
 * squares B (6, 6), C (26, 6) and D (26, 26): their centres.
 */
static void source_to_virtual(const struct rig *r, double sx, double sy, double *x, double *y)
{
	double bx, by, cx, cy, dx, dy;
	const void *self = board_tile_widget(r->board, 0);
	map_feature_point(self, 1, &bx, &by);
	map_feature_point(self, 2, &cx, &cy);
	map_feature_point(self, 3, &dx, &dy);
	double kx = (cx - bx) / 20, ky = (dy - cy) / 20;
	*x = bx + (sx - 6) * kx;
	*y = by + (sy - 6) * ky;
}

static void check_district(const struct rig *r, double sx, double sy, const char *code)
{
	double x, y;
	source_to_virtual(r, sx, sy, &x, &y);
	struct board_hit hit = hit_at(r, x, y);
	CHECK_INT(hit.tile, 0);
	if (code) {
		CHECK_INT(hit.part.kind, WIDGET_PART_DISTRICT);
		CHECK_STR(hit.part.key, code);
	} else {
		CHECK_INT(hit.part.kind, WIDGET_PART_NONE);
	}
}

static void districts_with_holes(void)
{
	for (size_t s = 0; s < SIZES; s++) {
		struct rig r;
		CHECK(rig_open(&r, sizes[s][0], sizes[s][1]));
		if (!r.board) {
			return;
		}
		printf("# %dx%d: scale %.2f, offset %.0f, %.0f\n", sizes[s][0], sizes[s][1], r.scale,
		       r.ox, r.oy);
		check_district(&r, 1.5, 6, "A");  // the ring
		check_district(&r, 10.5, 1, "A");
		check_district(&r, 4, 6, NULL);   // its hole: not the ring
		check_district(&r, 6, 8, NULL);
		check_district(&r, 6, 6, "B");    // the island in the hole
		check_district(&r, 21, 2, "C");
		check_district(&r, 22, 30, "D");
		check_district(&r, 16, 6, NULL);  // between districts
		rig_close(&r);
	}
}

static void markers_and_clusters(void)
{
	for (size_t s = 0; s < SIZES; s++) {
		struct rig r;
		CHECK(rig_open(&r, sizes[s][0], sizes[s][1]));
		if (!r.board) {
			return;
		}
		size_t count;
		const struct map_cluster *c = map_drawn_clusters(board_tile_widget(r.board, 0),
								 &count);
		CHECK_INT(count, 2); // "two" and "three" are one bubble
		size_t singles = 0, bubbles = 0;
		for (size_t i = 0; i < count; i++) {
			struct board_hit hit = hit_at(&r, c[i].x, c[i].y);
			CHECK_INT(hit.tile, 0);
			if (c[i].count == 1) {
				singles++;
				CHECK_INT(hit.part.kind, WIDGET_PART_MARKER);
				CHECK_STR(hit.part.label, "one");
			} else {
				bubbles++;
				CHECK_INT(hit.part.kind, WIDGET_PART_CLUSTER);
				CHECK_STR(hit.part.label, "2 markers");
			}
			CHECK_INT(hit.part.index, (long)c[i].first);
			/* Beside the symbol the district under it answers. */
			struct board_hit beside = hit_at(&r, c[i].x + 25, c[i].y);
			CHECK_INT(beside.part.kind, WIDGET_PART_DISTRICT);
		}
		CHECK_INT(singles, 1);
		CHECK_INT(bubbles, 1);
		rig_close(&r);
	}
}

/*
 * Scans down x = 750 from y0 to y1 inside tile `tile`: every part of `kind` met, in order and
 * each once, its label appended to `seen`.
 */
static void scan_parts(struct rig *r, long tile, enum widget_part_kind kind, double y0, double y1,
		       char *seen, size_t size)
{
	long last = -1;
	seen[0] = '\0';
	for (double y = y0; y < y1; y += 0.5) {
		struct board_hit hit = hit_at(r, 750, y);
		CHECK_INT(hit.tile, tile);
		if (hit.part.kind == kind && hit.part.index != last) {
			CHECK(hit.part.index == last + 1);
			last = hit.part.index;
			strncat(seen, hit.part.label, size - strlen(seen) - 1);
		}
	}
}

/* Scanning down the table: its rows in order, each once, nothing above them (the header). */
static void table_rows_in_order(void)
{
	for (size_t s = 0; s < SIZES; s++) {
		struct rig r;
		CHECK(rig_open(&r, sizes[s][0], sizes[s][1]));
		if (!r.board) {
			return;
		}
		char seen[64];
		scan_parts(&r, 1, WIDGET_PART_ROW, 1, 349, seen, sizeof(seen));
		CHECK_STR(seen, "r0r1r2");
		char lines[4][160];
		struct widget_part row = {.kind = WIDGET_PART_ROW, .index = 1};
		CHECK_INT(board_tile_part_lines(r.board, 1, &row, lines, 4), 2);
		CHECK_STR(lines[0], "name: r1");
		rig_close(&r);
	}
}

static void bars_in_order(void)
{
	for (size_t s = 0; s < SIZES; s++) {
		struct rig r;
		CHECK(rig_open(&r, sizes[s][0], sizes[s][1]));
		if (!r.board) {
			return;
		}
		char seen[64];
		scan_parts(&r, 2, WIDGET_PART_BAR, 351, 699, seen, sizeof(seen));
		CHECK_STR(seen, "r0r1r2");
		rig_close(&r);
	}
}

/*
 * A new document with the same bars redraws nothing: the bars are still where the last draw
 * put them, and a tap still finds them.
 */
static void bar_hit_after_unchanged_rebind(void)
{
	struct rig r;
	CHECK(rig_open(&r, 1000, 700));
	if (!r.board) {
		return;
	}
	struct board_hit before = hit_at(&r, 750, 480);
	CHECK_INT(before.part.kind, WIDGET_PART_BAR);
	struct diag_list diags;
	diag_list_init(&diags);
	struct snapshot *snap = snapshot_parse(snapshot_json, strlen(snapshot_json), "test",
					       "default", "generated_at", T0 + 60, &diags);
	diag_list_finish(&diags);
	board_set_snapshot(r.board, 0, snap, T0 + 60);
	snapshot_unref(snap);
	struct board_hit after = hit_at(&r, 750, 480);
	CHECK_INT(after.part.kind, WIDGET_PART_BAR);
	CHECK_INT(after.part.index, before.part.index);
	rig_close(&r);
}

/* The panel covers what is under it; its close button is a target of its own. */
static void panel_and_close_button(void)
{
	struct rig r;
	CHECK(rig_open(&r, 2000, 1600));
	if (!r.board) {
		return;
	}
	struct board_hit hit = hit_at(&r, 750, 100);
	CHECK(board_open_detail(r.board, (size_t)hit.tile, &hit.part));
	size_t tile;
	CHECK(board_detail_open(r.board, &tile, NULL));
	CHECK_INT(tile, 1);
	struct rect p = detail_panel_rect(r.layout), c = detail_close_rect(r.layout, 0);
	hit = hit_at(&r, p.x + 10, p.y + p.h - 10);
	CHECK(hit.panel && !hit.close && hit.tile == -1);
	hit = hit_at(&r, c.x + c.w / 2, c.y + c.h / 2);
	CHECK(hit.panel && hit.close);
	hit = hit_at(&r, 5, 5);
	CHECK(!hit.panel && hit.tile == 0);
	board_close_detail(r.board);
	CHECK(!board_detail_open(r.board, NULL, NULL));
	rig_close(&r);
}

/* 9 mm on the stated screen, whatever the canvas. */
static void close_button_nine_millimetres(void)
{
	struct rig r;
	CHECK(rig_open(&r, 1000, 700));
	if (!r.board) {
		return;
	}
	/* 1000 units over 2000 mm: 9 mm is 4.5 units, less than the legible default. */
	CHECK_NEAR(detail_close_rect(r.layout, 2000).w, 700 / 20.0, 1e-9);
	/* 1000 units over 200 mm (a tablet): 45 units. */
	CHECK_NEAR(detail_close_rect(r.layout, 200).w, 45, 1e-9);
	rig_close(&r);
}

/* ---- zoom: the pinch maths, and hit testing on a zoomed map ---- */

static void check_zoom(struct map_zoom z, double k, double tx, double ty)
{
	CHECK_NEAR(z.k, k, 1e-9);
	CHECK_NEAR(z.tx, tx, 1e-9);
	CHECK_NEAR(z.ty, ty, 1e-9);
}

/* Whether the zoomed map still covers its whole box (no empty edge shows). */
static bool covers(struct map_zoom z, const struct rect *box)
{
	double x0 = z.k * box->x + z.tx, y0 = z.k * box->y + z.ty;
	double x1 = z.k * (box->x + box->w) + z.tx, y1 = z.k * (box->y + box->h) + z.ty;
	return x0 <= box->x + 1e-9 && y0 <= box->y + 1e-9 && x1 >= box->x + box->w - 1e-9 &&
	       y1 >= box->y + box->h - 1e-9;
}

static void pinch_maths(void)
{
	struct rect box = {100, 100, 400, 300};
	/* Fingers 100 apart about (250, 200) go 200 apart: twice, the centre stays put. */
	double a[4] = {200, 200, 300, 200}, b[4] = {150, 200, 350, 200};
	struct map_zoom z = map_zoom_pinch(MAP_ZOOM_NONE, &box, a, b);
	check_zoom(z, 2, -250, -200);
	double ux, uy;
	map_zoom_unproject(&z, 250, 200, &ux, &uy);
	CHECK_NEAR(ux, 250, 1e-9);
	CHECK_NEAR(uy, 200, 1e-9);
	CHECK(covers(z, &box));
	/* Both fingers moved 30 to the right together: a pan at the same zoom. */
	double c[4] = {180, 200, 380, 200};
	check_zoom(map_zoom_pinch(z, &box, b, c), 2, -220, -200);
	/* Far apart: clamped at 8x; together: never below the whole map. */
	double wide[4] = {0, 200, 4000, 200}, close[4] = {249, 200, 251, 200};
	CHECK_NEAR(map_zoom_pinch(z, &box, b, wide).k, MAP_ZOOM_MAX, 1e-9);
	check_zoom(map_zoom_pinch(z, &box, b, close), 1, 0, 0);
	/* Pinching at the box's corner: the map is shifted so no empty edge shows. */
	double corner_a[4] = {100, 100, 110, 100}, corner_b[4] = {95, 100, 115, 100};
	struct map_zoom at_corner = map_zoom_pinch(MAP_ZOOM_NONE, &box, corner_a, corner_b);
	CHECK_NEAR(at_corner.k, 2, 1e-9);
	CHECK(covers(at_corner, &box));
	check_zoom(at_corner, 2, -105, -100); // the fingers' centre (105, 100) stays put
	/* Dragged past the edge: held at it. */
	double drag[4] = {-900, 100, -880, 100};
	CHECK(covers(map_zoom_pinch(at_corner, &box, corner_b, drag), &box));
	/* Zooming about a point puts it in the middle of the box (when the edges allow). */
	struct map_zoom about = map_zoom_about(MAP_ZOOM_NONE, &box, 260, 240, 3);
	CHECK_NEAR(about.k, 3, 1e-9);
	CHECK_NEAR(about.k * 260 + about.tx, 300, 1e-9);
	CHECK_NEAR(about.k * 240 + about.ty, 250, 1e-9);
	/* Degenerate fingers (on one point): no zoom change. */
	double same[4] = {200, 200, 200, 200};
	check_zoom(map_zoom_pinch(z, &box, same, same), 2, -250, -200);
}

/* A tap on a zoomed map finds what is drawn there: districts and markers at k * p + t. */
static void hit_under_zoom(void)
{
	for (size_t s = 0; s < SIZES; s++) {
		struct rig r;
		CHECK(rig_open(&r, sizes[s][0], sizes[s][1]));
		if (!r.board) {
			return;
		}
		/* The whole map's virtual points, before zooming. */
		const double pts[][2] = {{21, 2}, {31, 11}, {19, 6}, {26, 13}, {26, 19.5}, {26, 6}};
		const char *codes[] = {"C", "C", NULL, NULL, NULL, NULL};
		double px[6], py[6], cluster_x, cluster_y;
		for (size_t i = 0; i < 6; i++) {
			source_to_virtual(&r, pts[i][0], pts[i][1], &px[i], &py[i]);
		}
		source_to_virtual(&r, 26, 26, &cluster_x, &cluster_y);
		struct map_zoom z;
		struct rect box;
		CHECK(board_tile_zoom(r.board, 0, &z, &box));
		check_zoom(z, 1, 0, 0);
		/* Twice about C's centre, where the marker "one" is (towards the box's middle, as far
		 * as its edge lets it go). */
		z = map_zoom_about(z, &box, px[5], py[5], 2);
		board_zoom_tile(r.board, 0, &z);
		CHECK(board_zoomed(r.board));
		size_t n;
		board_draw(r.board, r.frame, T0, &n);
		CHECK(n > 0);
		size_t inside = 0;
		for (size_t i = 0; i < 5; i++) {
			double x = z.k * px[i] + z.tx, y = z.k * py[i] + z.ty;
			struct board_hit hit = hit_at(&r, x, y);
			if (x < box.x || x >= box.x + box.w || y < box.y || y >= box.y + box.h) {
				/* Zoomed out of the box: drawn nowhere, so nothing of the map is hit. */
				CHECK(hit.part.kind == WIDGET_PART_NONE);
				continue;
			}
			inside++;
			CHECK_INT(hit.tile, 0);
			CHECK_INT(hit.part.kind, codes[i] ? WIDGET_PART_DISTRICT : WIDGET_PART_NONE);
			if (codes[i]) {
				CHECK_STR(hit.part.key, codes[i]);
			}
		}
		CHECK(inside >= 4);
		struct board_hit one = hit_at(&r, z.k * px[5] + z.tx, z.k * py[5] + z.ty);
		CHECK_INT(one.part.kind, WIDGET_PART_MARKER);
		CHECK_STR(one.part.label, "one");
		/* The cluster of "two" and "three" is zoomed out of the box: not there to tap. */
		double cx = z.k * cluster_x + z.tx, cy = z.k * cluster_y + z.ty;
		CHECK(cy < box.y);
		struct board_hit gone = hit_at(&r, cx, fmax(cy, 0));
		CHECK(gone.part.kind != WIDGET_PART_CLUSTER);
		/* Back to the whole map: the unzoomed points answer again. */
		board_unzoom(r.board);
		CHECK(!board_zoomed(r.board));
		board_draw(r.board, r.frame, T0, &n);
		struct board_hit c = hit_at(&r, px[0], py[0]);
		CHECK_STR(c.part.key, "C");
		rig_close(&r);
	}
}

/*
 * A marker's panel lists the image sources with a position by distance from it, three at
 * most, nearest first (ties in file order), and none without a position; no still without a
 * picture yet.
 */
static void marker_cameras_by_distance(void)
{
	/* The map of layout_json, with four cameras around the marker "one" (lon 26, lat 6). */
	char *layout = xasprintf(
		"{\"canvas\": {\"width\": 1000, \"height\": 700}, \"interactive\": true,\n"
		" \"grid\": {\"columns\": 2, \"rows\": 2, \"gap\": 0, \"margin\": 0},\n"
		" \"feed\": {\"url\": \"feed.json\"},\n"
		" \"sources\": {\n"
		"  \"far\": {\"url\": \"far.jpg\", \"type\": \"image\", \"lat\": 6.5, \"lon\": 26,"
		" \"title\": \"Far\"},\n"
		"  \"none\": {\"url\": \"none.jpg\", \"type\": \"image\"},\n"
		"  \"mid\": {\"url\": \"mid.jpg\", \"type\": \"image\", \"lat\": 6, \"lon\": 26.1},\n"
		"  \"farthest\": {\"url\": \"x.jpg\", \"type\": \"image\", \"lat\": 6, \"lon\": 27},\n"
		"  \"near\": {\"url\": \"near.jpg\", \"type\": \"image\", \"lat\": 6, \"lon\": 26.01,"
		" \"title\": \"Near\"}},\n"
		" \"tiles\": [\n"
		"  {\"id\": \"m\", \"widget\": \"map\", \"cell\": [0, 0], \"span\": [2, 2],\n"
		"   \"geojson\": \"hit.geojson\", \"labels\": \"none\", \"legend\": false,\n"
		"   \"markers\": \"mk\", \"marker_size\": 14, \"marker_label\": \"label\"}]}\n");
	rig_layout = layout;
	struct rig r;
	bool opened = rig_open(&r, 1000, 700);
	rig_layout = NULL;
	free(layout);
	CHECK(opened);
	if (!opened || !r.board) {
		return;
	}
	struct widget_part part = {.kind = WIDGET_PART_MARKER, .index = 0};
	snprintf(part.label, sizeof(part.label), "one");
	struct detail_content c;
	detail_fill(r.board, r.layout, 0, &part, T0, &c);
	const char *cameras[3] = {NULL, NULL, NULL};
	size_t n = 0;
	for (size_t i = 0; i < c.line_count; i++) {
		if (strncmp(c.lines[i], "CCTV ", 5) == 0 && n < 3) {
			cameras[n++] = c.lines[i];
		}
	}
	CHECK_INT(n, 3);
	CHECK_STR(cameras[0], "CCTV Near · 1.1 km");
	CHECK_STR(cameras[1], "CCTV mid · 11.1 km");
	CHECK_STR(cameras[2], "CCTV Far · 55.6 km");
	CHECK(c.still == NULL); // no picture fetched yet
	CHECK_STR(c.still_title, "Near");
	/* A district's panel lists no cameras. */
	struct widget_part district = {.kind = WIDGET_PART_DISTRICT, .index = 2};
	snprintf(district.key, sizeof(district.key), "C");
	detail_fill(r.board, r.layout, 0, &district, T0, &c);
	for (size_t i = 0; i < c.line_count; i++) {
		CHECK(strncmp(c.lines[i], "CCTV ", 5) != 0);
	}
	rig_close(&r);
}

static const struct check_case cases[] = {
	{"hit_districts_with_holes", districts_with_holes},
	{"hit_markers_and_clusters", markers_and_clusters},
	{"hit_table_rows_in_order", table_rows_in_order},
	{"hit_bars_in_order", bars_in_order},
	{"bar_hit_after_unchanged_rebind", bar_hit_after_unchanged_rebind},
	{"hit_panel_and_close_button", panel_and_close_button},
	{"hit_close_button_nine_millimetres", close_button_nine_millimetres},
	{"zoom_pinch_maths", pinch_maths},
	{"hit_under_zoom", hit_under_zoom},
	{"marker_cameras_by_distance", marker_cameras_by_distance},
};

CHECK_MAIN(cases)
