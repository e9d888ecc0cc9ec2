/*
 * The list widgets — table, ticker, alert, status — and the option-list extension that lets
 * a layout declare a table's columns. Behaviour is checked through the board, as the wall
 * draws it: pixels, damage and deadlines. Where a picture must show a particular thing (the
 * top alert, a sorted order) it is compared with the picture of data that shows the same thing
 * by construction.
 *
 * Layouts and data are written with ' for " to keep them readable here.
 */

#include "check.h"
#include "image_compare.h"
#include "board_fixture.h"

#include "feed/snapshot_parse.h"
#include "layout/options.h"
#include "compose/board.h"
#include "widgets/ticker_strip.h"
#include "widgets/widget.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0 1795564800.0 /* 2026-11-25T09:00:00+09:00 */

/* ---- helpers ---- */

/* All diagnostics of parsing `layout` (one per line), or "" when it is valid. */
static char *layout_messages(const char *layout)
{
	char *text = unquote(layout);
	struct diag_list diags;
	diag_list_init(&diags);
	struct layout *l = layout_parse(text, strlen(text), "t.json", widget_specs(), &diags);
	size_t len = 0;
	char *all = calloc(1, 1);
	for (size_t i = 0; i < diags.count; i++) {
		char *line = diag_format(&diags.items[i]);
		all = realloc(all, len + strlen(line) + 2);
		len += (size_t)sprintf(all + len, "%s%s", i ? "\n" : "", line);
		free(line);
	}
	diag_list_finish(&diags);
	layout_destroy(l);
	free(text);
	return all;
}

/* A board of `tiles` (a JSON list, ' for ") on a canvas of w x h drawn at `scale`. */
static bool fx_open(struct fx *f, int w, int h, double scale, const char *tiles)
{
	return fx_open_with(f, w, h, scale, "", tiles);
}

/* A full redraw at `now`, returned as a new surface (the caller destroys it). */
/*
 * `json` as the first document a new board sees: no earlier value to keep, so what the widget
 * makes of the data itself is drawn (after good data, unusable values keep the last good one).
 */
static void fx_first_data(struct fx *f, const char *json)
{
	board_destroy(f->board);
	f->board = board_create(f->layout, f->text);
	board_set_viewport(f->board, f->w, f->h);
	fx_data(f, json);
}

static cairo_surface_t *fx_shot(struct fx *f, double now)
{
	size_t n;
	board_invalidate_all(f->board);
	board_advance(f->board, now);
	board_draw(f->board, f->frame, now, &n);
	cairo_surface_t *copy = cairo_image_surface_create(CAIRO_FORMAT_RGB24, f->w, f->h);
	cairo_t *cr = cairo_create(copy);
	cairo_set_source_surface(cr, f->frame, 0, 0);
	cairo_paint(cr);
	cairo_destroy(cr);
	return copy;
}

static struct irect fx_rect(struct fx *f, const char *id)
{
	long i = board_find_tile(f->board, id);
	return i < 0 ? (struct irect){0, 0, 0, 0} : board_tile_rect(f->board, (size_t)i);
}

static uint32_t pixel(cairo_surface_t *s, int x, int y)
{
	cairo_surface_flush(s);
	const unsigned char *data = cairo_image_surface_get_data(s);
	return ((const uint32_t *)(data + y * cairo_image_surface_get_stride(s)))[x] & 0xffffff;
}

static bool near_rgb(uint32_t px, uint32_t rgb, int tolerance)
{
	for (int shift = 0; shift <= 16; shift += 8) {
		if (channel_delta(px, rgb, shift) > tolerance) {
			return false;
		}
	}
	return true;
}

/* Pixels of `r` within `tolerance` of colour `rgb` (0xRRGGBB). */
static long count_rgb(cairo_surface_t *s, struct irect r, uint32_t rgb, int tolerance)
{
	long n = 0;
	for (int y = r.y; y < r.y + r.h; y++) {
		for (int x = r.x; x < r.x + r.w; x++) {
			n += near_rgb(pixel(s, x, y), rgb, tolerance);
		}
	}
	return n;
}

/* The bounding box of pixels that differ between a and b inside r; w = 0 when none. */
static struct irect diff_box(cairo_surface_t *a, cairo_surface_t *b, struct irect r)
{
	int x0 = r.x + r.w, y0 = r.y + r.h, x1 = r.x - 1, y1 = r.y - 1;
	for (int y = r.y; y < r.y + r.h; y++) {
		for (int x = r.x; x < r.x + r.w; x++) {
			if (pixel(a, x, y) != pixel(b, x, y)) {
				x0 = x < x0 ? x : x0;
				x1 = x > x1 ? x : x1;
				y0 = y < y0 ? y : y0;
				y1 = y > y1 ? y : y1;
			}
		}
	}
	return x1 < x0 ? (struct irect){0, 0, 0, 0} : (struct irect){x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

static bool same_in(cairo_surface_t *a, cairo_surface_t *b, struct irect r)
{
	return diff_box(a, b, r).w == 0;
}

/* Moves r to where tile `to` is (same size): for comparing two tiles of one frame. */
static bool same_tiles(struct fx *f, cairo_surface_t *s, const char *a, const char *b)
{
	struct irect ra = fx_rect(f, a), rb = fx_rect(f, b);
	if (ra.w != rb.w || ra.h != rb.h || ra.w == 0) {
		return false;
	}
	for (int y = 0; y < ra.h; y++) {
		for (int x = 0; x < ra.w; x++) {
			if (pixel(s, ra.x + x, ra.y + y) != pixel(s, rb.x + x, rb.y + y)) {
				return false;
			}
		}
	}
	return true;
}

/* A theme colour as 0xRRGGBB, to find in pixels. */
static uint32_t rgb_of(struct color c)
{
	return (uint32_t)lround(c.r * 255) << 16 | (uint32_t)lround(c.g * 255) << 8 |
	       (uint32_t)lround(c.b * 255);
}

/* The colours of the layout's theme (the default one) that the widgets must use. */
#define THEME (&f.layout->theme)
#define TILE_FILL rgb_of(THEME->tile)
#define MUTED rgb_of(THEME->muted)
#define NODATA_FILL rgb_of(THEME->states[STATE_NODATA].fill)
#define NODATA_ACCENT rgb_of(THEME->states[STATE_NODATA].accent)
#define GOOD_FILL rgb_of(THEME->states[STATE_GOOD].fill)
#define GOOD_ACCENT rgb_of(THEME->states[STATE_GOOD].accent)
#define BAD_ACCENT rgb_of(THEME->states[STATE_BAD].accent)
#define VERY_BAD_FILL rgb_of(THEME->states[STATE_VERY_BAD].fill)
#define VERY_BAD_ACCENT rgb_of(THEME->states[STATE_VERY_BAD].accent)

/* ---- option lists ---- */

static const char *columns_tile =
	"[{'id': 't', 'widget': 'table', 'cell': [0, 0], 'span': [4, 4], 'rows': 'r', "
	"'columns': [{'field': 'a'}, {'field': 'b', 'title': 'B', 'format': 'percent', "
	"'decimals': 2, 'thresholds': [{'from': 0, 'state': 'good'}]}]}]";

static void option_list_reads(void)
{
	struct fx f = {0};
	CHECK(fx_open(&f, 400, 300, 1, columns_tile));
	const struct tile *tile = layout_find_tile(f.layout, "t");
	CHECK(tile != NULL);
	if (tile) {
		size_t n = 99;
		const struct option_set *cols = option_items(&tile->options, "columns", &n);
		CHECK_INT(n, 2);
		CHECK_STR(option_text(&cols[0], "field"), "a");
		CHECK_STR(option_text(&cols[0], "title"), "");
		CHECK_STR(option_text(&cols[0], "format"), "auto");
		CHECK_INT(option_number(&cols[0], "decimals"), -1);
		CHECK(!option_get(&cols[0], "decimals")->set);
		CHECK(option_get(&cols[0], "thresholds")->thresholds == NULL);
		CHECK_STR(option_text(&cols[1], "title"), "B");
		CHECK_STR(option_text(&cols[1], "format"), "percent");
		CHECK_INT(option_number(&cols[1], "decimals"), 2);
		CHECK(option_get(&cols[1], "decimals")->set);
		const struct thresholds *t = option_get(&cols[1], "thresholds")->thresholds;
		CHECK(t && t->count == 1 && t->items[0].state == STATE_GOOD);
	}
	fx_close(&f);
}

static void option_list_errors(void)
{
	char *m = layout_messages(
		"{'tiles': ["
		"{'widget': 'table', 'cell': [0, 0], 'rows': 'r', 'columns': 'x'},"
		"{'widget': 'table', 'cell': [1, 0], 'rows': 'r', 'columns': []},"
		"{'widget': 'table', 'cell': [2, 0], 'rows': 'r', 'columns': [3]},"
		"{'widget': 'table', 'cell': [3, 0], 'rows': 'r', 'columns': [{'feild': 'a'}]},"
		"{'widget': 'table', 'cell': [4, 0], 'rows': 'r', 'columns': "
		"[{'field': 'a', 'decimals': 9}, {'field': 'b', 'format': 'pct'}]},"
		"{'widget': 'table', 'cell': [5, 0], 'rows': 'r', 'columns': [{'field': 'a'},"
		"{'field': 'a'}, {'field': 'a'}, {'field': 'a'}, {'field': 'a'}, {'field': 'a'},"
		"{'field': 'a'}, {'field': 'a'}, {'field': 'a'}, {'field': 'a'}, {'field': 'a'},"
		"{'field': 'a'}, {'field': 'a'}, {'field': 'a'}, {'field': 'a'}, {'field': 'a'},"
		"{'field': 'a'}]}"
		"]}");
	CHECK_STR(m, "t.json:1: /tiles/0/columns: must be an array of objects, got a string\n"
		     "t.json:1: /tiles/1/columns: must hold 1 to 16 objects, got 0\n"
		     "t.json:1: /tiles/2/columns/0: must be an object, got a number\n"
		     "t.json:1: /tiles/3/columns/0/feild: unknown key \"feild\" (did you mean "
		     "\"field\"?)\n"
		     "t.json:1: /tiles/3/columns/0: missing required key \"field\"\n"
		     "t.json:1: /tiles/4/columns/0/decimals: must be in [-1, 6], got 9\n"
		     "t.json:1: /tiles/4/columns/1/format: must be one of \"auto\", \"number\", "
		     "\"percent\", \"text\", \"time\", got \"pct\"\n"
		     "t.json:1: /tiles/5/columns: must hold 1 to 16 objects, got 17");
	free(m);
}

static const struct option_spec point_fields[] = {
	{.key = "x", .type = OPT_NUMBER, .default_number = 1},
	{0},
};
static const struct option_spec group_fields[] = {
	{.key = "name", .type = OPT_STRING, .required = true},
	{.key = "points", .type = OPT_OBJECT_LIST, .fields = point_fields},
	{0},
};
static const struct option_spec groups_table[] = {
	{.key = "groups", .type = OPT_OBJECT_LIST, .fields = group_fields},
	{.key = "unset", .type = OPT_OBJECT_LIST, .fields = point_fields},
	{0},
};

/* Reads `json` (' for ") against groups_table; returns whether it was valid. */
static bool read_groups(const char *json, struct option_set *set, struct diag_list *diags)
{
	char *text = unquote(json);
	cJSON *node = cJSON_Parse(text);
	struct parse_ctx ctx = {.file = "g.json", .text = text, .len = strlen(text), .diags = diags};
	const struct option_spec *const tables[] = {groups_table};
	bool ok = options_read(&ctx, node, "", tables, set, 1);
	cJSON_Delete(node);
	free(text);
	return ok;
}

static void option_list_generic(void)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct option_set set;
	CHECK(read_groups("{'groups': [{'name': 'a', 'points': [{'x': 5}, {}]}, "
			  "{'name': 'b', 'points': []}]}",
			  &set, &diags));
	CHECK_INT(diags.count, 0);
	size_t n = 0, points = 0, none = 7;
	const struct option_set *groups = option_items(&set, "groups", &n);
	CHECK_INT(n, 2);
	if (n == 2) {
		const struct option_set *p = option_items(&groups[0], "points", &points);
		CHECK_INT(points, 2);
		CHECK(points == 2 && option_number(&p[0], "x") == 5 && option_number(&p[1], "x") == 1);
		CHECK_STR(option_text(&groups[1], "name"), "b");
		option_items(&groups[1], "points", &points);
		CHECK_INT(points, 0);
	}
	CHECK(option_items(&set, "unset", &none) == NULL);
	CHECK_INT(none, 0);
	CHECK(!option_get(&set, "unset")->set);
	option_set_finish(&set);

	/* Without a range, up to OPTION_LIST_MAX; broken items are freed with the rest. */
	char big[8192] = "{'groups': [";
	for (int i = 0; i <= OPTION_LIST_MAX; i++) {
		strcat(big, i ? ", {'name': 'x'}" : "{'name': 'x'}");
	}
	strcat(big, "]}");
	CHECK(!read_groups(big, &set, &diags));
	option_set_finish(&set);
	CHECK(!read_groups("{'groups': [{'name': 'a', 'points': [{'x': 'no'}]}, {}]}", &set,
			   &diags));
	option_set_finish(&set);
	CHECK_INT(diags.count, 3);
	if (diags.count == 3) {
		CHECK_STR(diags.items[0].message, "must hold 0 to 64 objects, got 65");
		CHECK_STR(diags.items[1].pointer, "/groups/0/points/0/x");
		CHECK_STR(diags.items[2].message, "missing required key \"name\"");
	}
	diag_list_finish(&diags);
}

/* ---- bad data, for every widget: which data draws the grey "no data / invalid" card ---- */

struct data_case {
	const char *data;
	bool nodata; // the grey card; otherwise none of it (a calm state, or content)
};

/* Share of the rectangle's pixels in colour rgb. */
static double share(cairo_surface_t *s, struct irect r, uint32_t rgb)
{
	return (double)count_rgb(s, r, rgb, 2) / ((double)r.w * r.h);
}

static void check_cards(struct fx *fx, const char *id, const struct data_case *cases, size_t n)
{
	struct fx f = *fx; // for THEME
	struct irect r = fx_rect(fx, id);
	for (size_t i = 0; i < n; i++) {
		fx_first_data(fx, cases[i].data);
		cairo_surface_t *s = fx_shot(fx, T0);
		double nodata = share(s, r, NODATA_FILL), plain = share(s, r, TILE_FILL);
		if (cases[i].nodata ? !(nodata > 0.5) : !(nodata < 0.01)) {
			printf("# %s, case %zu (%s): nodata %.2f, tile %.2f\n", id, i, cases[i].data,
			       nodata, plain);
			CHECK(false);
		}
		cairo_surface_destroy(s);
	}
}

/* ---- table ---- */

#define TABLE_COLUMNS "'columns': [{'field': 'name'}, {'field': 'n', 'format': 'number'}]"

static void table_sorting(void)
{
	struct fx f = {0};
	CHECK(fx_open(&f, 830, 630, 1,
		      "[{'id': 'a', 'widget': 'table', 'cell': [0, 0], 'span': [2, 2], 'rows': 'mixed', "
		      "'sort': 'n', " TABLE_COLUMNS "},"
		      "{'id': 'b', 'widget': 'table', 'cell': [2, 0], 'span': [2, 2], 'rows': 'desc', "
		      TABLE_COLUMNS "},"
		      "{'id': 'c', 'widget': 'table', 'cell': [0, 2], 'span': [2, 2], 'rows': 'mixed', "
		      "'sort': 'n', 'order': 'ascending', " TABLE_COLUMNS "},"
		      "{'id': 'd', 'widget': 'table', 'cell': [2, 2], 'span': [2, 2], 'rows': 'asc', "
		      TABLE_COLUMNS "}]"));
	/* Ties (나, 라) keep the feed's order; a record without the field goes last. */
	fx_data(&f, "{'mixed': [{'name': '가', 'n': 5}, {'name': '나', 'n': 9}, {'name': '다', 'n': 1},"
		    " {'name': '마'}, {'name': '라', 'n': '9'}],"
		    " 'desc': [{'name': '나', 'n': 9}, {'name': '라', 'n': 9}, {'name': '가', 'n': 5},"
		    " {'name': '다', 'n': 1}, {'name': '마'}],"
		    " 'asc': [{'name': '다', 'n': 1}, {'name': '가', 'n': 5}, {'name': '나', 'n': 9},"
		    " {'name': '라', 'n': 9}, {'name': '마'}]}");
	cairo_surface_t *s = fx_shot(&f, T0);
	CHECK(same_tiles(&f, s, "a", "b"));
	CHECK(same_tiles(&f, s, "c", "d"));
	CHECK(!same_tiles(&f, s, "a", "c"));
	cairo_surface_destroy(s);
	fx_close(&f);
}

/* `count` records r1, r2, ... (names from `from` on after the third), as a data document. */
static char *records(const char *key, int count, int from)
{
	char *out = malloc(64 + (size_t)count * 48);
	int len = sprintf(out, "{'%s': [", key);
	for (int i = 0; i < count; i++) {
		len += sprintf(out + len, "%s{'name': 'r%d', 'n': %d}", i ? ", " : "",
			       i < 3 ? i + 1 : i + from, i);
	}
	sprintf(out + len, "]}");
	return out;
}

static cairo_surface_t *shot_of(struct fx *f, char *data)
{
	fx_data(f, data);
	free(data);
	return fx_shot(f, T0);
}

static void table_more(void)
{
	struct fx f = {0};
	CHECK(fx_open(&f, 830, 630, 1,
		      "[{'id': 't', 'widget': 'table', 'cell': [0, 0], 'span': [4, 4], 'rows': 'r', "
		      "'max_rows': 3, 'title': 'T', " TABLE_COLUMNS "}]"));
	struct irect tile = fx_rect(&f, "t");
	cairo_surface_t *s10 = shot_of(&f, records("r", 10, 1));
	cairo_surface_t *s10b = shot_of(&f, records("r", 10, 500));
	cairo_surface_t *s11 = shot_of(&f, records("r", 11, 1));
	cairo_surface_t *s3 = shot_of(&f, records("r", 3, 1));
	/* Rows past the limit are not drawn, only counted. */
	CHECK(same_in(s10, s10b, tile));
	/* Ten records against three: only the summary line differs, one row high at most. */
	struct irect more = diff_box(s10, s3, tile);
	CHECK(more.w > 0 && more.h > 0 && more.h <= 60);
	CHECK(more.y > tile.y + tile.h / 3);
	/* Ten against eleven: the count changes, within that line. */
	struct irect count = diff_box(s10, s11, tile);
	CHECK(count.w > 0);
	CHECK(count.y >= more.y && count.y + count.h <= more.y + more.h);
	cairo_surface_destroy(s10);
	cairo_surface_destroy(s10b);
	cairo_surface_destroy(s11);
	cairo_surface_destroy(s3);
	fx_close(&f);
}

static void table_cell_colours(void)
{
	struct fx f = {0};
	CHECK(fx_open(&f, 830, 630, 1,
		      "[{'id': 't', 'widget': 'table', 'cell': [0, 0], 'span': [4, 4], 'rows': 'r', "
		      "'columns': [{'field': 'name'}, {'field': 'n', 'thresholds': "
		      "[{'from': 0, 'state': 'good'}, {'from': 50, 'state': 'very_bad'}]}]}]"));
	struct irect tile = fx_rect(&f, "t");
	fx_data(&f, "{'r': [{'name': 'low', 'n': 10}]}");
	cairo_surface_t *low = fx_shot(&f, T0);
	fx_data(&f, "{'r': [{'name': 'high', 'n': 80}]}");
	cairo_surface_t *high = fx_shot(&f, T0);
	fx_data(&f, "{'r': [{'name': 'both', 'n': 80}, {'name': 'plain', 'n': 'n/a'}]}");
	cairo_surface_t *mixed = fx_shot(&f, T0);
	CHECK(count_rgb(low, tile, GOOD_FILL, 2) > 200);
	CHECK(count_rgb(low, tile, GOOD_ACCENT, 40) > 10);
	CHECK_INT(count_rgb(low, tile, VERY_BAD_FILL, 2), 0);
	CHECK(count_rgb(high, tile, VERY_BAD_FILL, 2) > 200);
	CHECK(count_rgb(high, tile, VERY_BAD_ACCENT, 40) > 10);
	CHECK_INT(count_rgb(high, tile, GOOD_FILL, 2), 0);
	/* A cell that is not a number has no state: one pill, not two. */
	CHECK_NEAR((double)count_rgb(mixed, tile, VERY_BAD_FILL, 2),
		   (double)count_rgb(high, tile, VERY_BAD_FILL, 2), 50);
	cairo_surface_destroy(low);
	cairo_surface_destroy(high);
	cairo_surface_destroy(mixed);
	fx_close(&f);
}

static void table_bad_data(void)
{
	static const struct data_case cases[] = {
		{"{}", true},
		{"{'r': 'abc'}", true},
		{"{'r': 5}", true},
		{"{'r': null}", true},
		{"{'r': [1, 2, 'x']}", true},
		{"{'r': []}", false},
		{"{'r': {}}", false},
		{"{'r': [{'name': 'a'}, {'n': 'x'}, 5, null, [1, 2], {'name': {'deep': 1}}]}", false},
		{"{'r': {'first': {'name': 'a', 'n': 1}}}", false},
	};
	struct fx f = {0};
	CHECK(fx_open(&f, 830, 630, 1,
		      "[{'id': 't', 'widget': 'table', 'cell': [0, 0], 'span': [4, 4], 'rows': 'r', "
		      TABLE_COLUMNS "}]"));
	check_cards(&f, "t", cases, sizeof(cases) / sizeof(cases[0]));
	fx_close(&f);
}

/* A document {'r': [...]} of `count` records whose names are `name_len` repeated letters. */
static char *long_records(int count, size_t name_len)
{
	char *out = malloc(32 + (size_t)count * (name_len + 40));
	size_t len = (size_t)sprintf(out, "{'r': [");
	for (int i = 0; i < count; i++) {
		len += (size_t)sprintf(out + len, "%s{'n': %d, 'name': '", i ? ", " : "", i);
		memset(out + len, 'W', name_len);
		len += name_len;
		len += (size_t)sprintf(out + len, "'}");
	}
	sprintf(out + len, "]}");
	return out;
}

static void table_bounded(void)
{
	struct fx f = {0};
	CHECK(fx_open(&f, 830, 630, 1,
		      "[{'id': 't', 'widget': 'table', 'cell': [0, 0], 'span': [4, 4], 'rows': 'r', "
		      "'sort': 'n', " TABLE_COLUMNS "}]"));
	struct irect tile = fx_rect(&f, "t");
	/* 20,000 records: the first 1,000 are read and sorted, the rest counted. */
	cairo_surface_t *huge = shot_of(&f, long_records(20000, 3));
	CHECK(share(huge, tile, TILE_FILL) > 0.5);
	/* Same first 1,000 records, so the same rows; "+N more" counts all of them. */
	cairo_surface_t *fewer = shot_of(&f, long_records(1500, 3));
	struct irect d = diff_box(huge, fewer, tile);
	CHECK(d.w > 0 && d.h <= 60);
	cairo_surface_destroy(fewer);
	/* A 10,000-character cell is cut when read: drawn as a 300-character one is. */
	cairo_surface_t *a = shot_of(&f, long_records(1, 10000));
	cairo_surface_t *b = shot_of(&f, long_records(1, 300));
	CHECK(same_in(a, b, tile));
	cairo_surface_destroy(huge);
	cairo_surface_destroy(a);
	cairo_surface_destroy(b);
	fx_close(&f);
}

/* ---- ticker ---- */

#define TICKER_ITEMS \
	"{'items': ['첫 번째 소식 First news item', " \
	"{'text': '두 번째 소식 Second', 'level': 'warning'}, " \
	"{'text': '[구로구청] 세 번째 Third', 'level': '위급'}]}"

/* A ticker over the top row (810 x 145 at scale 1) that has moved 100 units at T0. */
static bool ticker_open(struct fx *f, double scale, const char *extra)
{
	char tiles[1024];
	snprintf(tiles, sizeof(tiles),
		 "[{'id': 'k', 'widget': 'ticker', 'cell': [0, 0], 'span': [4, 1], 'items': 'items', "
		 "'speed': 100, 'epoch': %.0f%s},"
		 " {'id': 's', 'widget': 'status', 'cell': [0, 1], 'value': 'v'}]",
		 T0 - 1, extra);
	bool ok = fx_open(f, 830, 630, scale, tiles);
	if (ok) {
		fx_data(f, TICKER_ITEMS);
	}
	return ok;
}

static void ticker_deterministic(void)
{
	struct fx a = {0}, b = {0};
	CHECK(ticker_open(&a, 1, ""));
	CHECK(ticker_open(&b, 1, ""));
	double t = T0 + 12.3456;
	cairo_surface_t *sa = fx_shot(&a, t);
	cairo_surface_t *sb = fx_shot(&b, t);
	cairo_surface_t *again = fx_shot(&a, t);
	cairo_surface_t *later = fx_shot(&b, t + 0.5);
	CHECK_INT(image_compare(sa, sb, 0, NULL).differing, 0);
	CHECK_INT(image_compare(sa, again, 0, NULL).differing, 0);
	CHECK(image_compare(sa, later, 0, NULL).differing > 0);
	cairo_surface_destroy(sa);
	cairo_surface_destroy(sb);
	cairo_surface_destroy(again);
	cairo_surface_destroy(later);
	fx_close(&a);
	fx_close(&b);
}

/* Whether `later` is `early` moved left by `shift` px inside the crawl (fades left out). */
static bool moved_by(cairo_surface_t *early, cairo_surface_t *later, struct irect k, int shift,
		     int margin)
{
	for (int y = k.y + 3; y < k.y + k.h - 3; y++) {
		for (int x = k.x + margin; x + shift < k.x + k.w - margin; x++) {
			if (pixel(later, x, y) != pixel(early, x + shift, y)) {
				return false;
			}
		}
	}
	return true;
}

static void ticker_moves(void)
{
	for (int scale = 1; scale <= 2; scale++) {
		struct fx f = {0};
		CHECK(ticker_open(&f, scale, ""));
		struct irect k = fx_rect(&f, "k");
		cairo_surface_t *s0 = fx_shot(&f, T0);
		cairo_surface_t *s1 = fx_shot(&f, T0 + 0.25);
		cairo_surface_t *sub = fx_shot(&f, T0 + 0.004);
		/* 100 units/s for 0.25 s: 25 units, 25 * scale device pixels, every pixel. */
		int margin = 100 * scale; // past the card's padding and the soft edges
		CHECK(moved_by(s0, s1, k, 25 * scale, margin));
		CHECK(!same_in(s0, s1, k));
		CHECK(!moved_by(s0, s1, k, 25 * scale + 1, margin));
		/* 0.4 px later: the same whole-pixel position, so no sub-pixel shimmer. */
		CHECK(same_in(s0, sub, k));
		cairo_surface_destroy(s0);
		cairo_surface_destroy(s1);
		cairo_surface_destroy(sub);
		fx_close(&f);
	}
}

static void ticker_deadline(void)
{
	struct fx f = {0};
	CHECK(ticker_open(&f, 1, ""));
	cairo_surface_destroy(fx_shot(&f, T0));
	CHECK_NEAR(board_next_deadline(f.board) - T0, 1.0 / 60, 1e-6);
	board_advance(f.board, T0 + 1.0 / 60);
	size_t n = 0;
	const struct irect *damage = board_draw(f.board, f.frame, T0 + 1.0 / 60, &n);
	struct irect k = fx_rect(&f, "k");
	CHECK_INT(n, 1);
	/* Only the rows where glyphs are, inside the tile: the card and label stay as they are. */
	struct irect band = n == 1 ? damage[0] : (struct irect){0, 0, 0, 0};
	CHECK(!irect_empty(band) && band.y > k.y && band.y + band.h < k.y + k.h);
	CHECK(band.x > k.x && band.x + band.w < k.x + k.w && band.h < k.h * 3 / 4);
	fx_close(&f);

	struct fx slow = {0};
	CHECK(ticker_open(&slow, 1, ", 'fps': 30"));
	cairo_surface_destroy(fx_shot(&slow, T0));
	CHECK_NEAR(board_next_deadline(slow.board) - T0, 1.0 / 30, 1e-6);
	/* Nothing to crawl: no frames asked for (only the data's own max_age remains). */
	fx_data(&slow, "{'items': []}");
	cairo_surface_destroy(fx_shot(&slow, T0));
	CHECK(board_next_deadline(slow.board) - T0 > 60);
	fx_close(&slow);
}

static void ticker_measures_once(void)
{
	struct fx f = {0};
	CHECK(ticker_open(&f, 1, ""));
	/* A full cycle of frames: every item has been on screen, so every line is shaped. */
	for (double t = 0; t < 40; t += 0.25) {
		cairo_surface_destroy(fx_shot(&f, T0 + t));
	}
	struct text_stats before = text_engine_stats(f.text);
	/* Later frames (younger than show_age_after, half of max_age: no badge appears). */
	for (double t = 0; t < 10; t += 0.37) {
		cairo_surface_destroy(fx_shot(&f, T0 + 100 + t));
	}
	struct text_stats after = text_engine_stats(f.text);
	CHECK_INT(after.misses - before.misses, 0);
	CHECK(after.hits > before.hits);
	fx_close(&f);
}

/* Whether the frames of a and b hold the same bytes (every byte, not only the colours). */
static bool same_bytes(struct fx *a, struct fx *b)
{
	cairo_surface_flush(a->frame);
	cairo_surface_flush(b->frame);
	int stride = cairo_image_surface_get_stride(a->frame);
	return a->w == b->w && a->h == b->h && stride == cairo_image_surface_get_stride(b->frame) &&
	       memcmp(cairo_image_surface_get_data(a->frame), cairo_image_surface_get_data(b->frame),
		      (size_t)stride * (size_t)a->h) == 0;
}

/* The live path: frames at `now`, only what the board finds dirty; returns the damage rows. */
static int live_frame(struct fx *f, double now)
{
	size_t n = 0;
	board_advance(f->board, now);
	const struct irect *damage = board_draw(f->board, f->frame, now, &n);
	int rows = 0;
	for (size_t i = 0; i < n; i++) {
		rows += damage[i].h;
	}
	return rows;
}

/*
 * A screenshot at t and the live wall at t agree byte for byte: one board draws whole at T0
 * and then only moves its crawl (the strip's window copied, frame after frame, late frames
 * included), the other draws everything at t from scratch.
 */
static void ticker_animate_equals_redraw(void)
{
	static const char *const extras[] = {"", ", 'label': '재난문자', 'separator': 'bar'",
					     ", 'card': false, 'gap': 20"};
	for (size_t e = 0; e < sizeof(extras) / sizeof(extras[0]); e++) {
		for (int scale = 1; scale <= 2; scale++) {
			struct fx live = {0}, shot = {0};
			CHECK(ticker_open(&live, scale, extras[e]));
			CHECK(ticker_open(&shot, scale, extras[e]));
			cairo_surface_destroy(fx_shot(&live, T0));
			struct irect k = fx_rect(&live, "k");
			double t = T0;
			bool ok = true, banded = true;
			/* Past a whole cycle (the strip wraps), with steps of 1/60 s and late ones. */
			for (int i = 1; i <= 400; i++) {
				/* A frame comes at or just after its 1/60 s grid point (the loop wakes
				 * in whole milliseconds after a deadline), never a rounding error
				 * before it. */
				t += i % 37 == 0 ? 0.7 : 1.0 / 60;
				t = (floor(t * 60 + 0.5) + 0.01) / 60;
				int rows = live_frame(&live, t);
				banded &= rows > 0 && rows < k.h;
				if (i % 50 == 0) {
					cairo_surface_destroy(fx_shot(&shot, t));
					ok &= same_bytes(&live, &shot);
				}
			}
			CHECK(ok);
			CHECK(banded);
			fx_close(&live);
			fx_close(&shot);
		}
	}
}

/* New items, and a new size, are drawn whole and rebuild the strip: still the same bytes. */
static void ticker_strip_rebuilt(void)
{
	struct fx live = {0}, shot = {0};
	CHECK(ticker_open(&live, 1, ""));
	CHECK(ticker_open(&shot, 1, ""));
	struct irect k = fx_rect(&live, "k");
	cairo_surface_destroy(fx_shot(&live, T0));
	live_frame(&live, T0 + 0.1);
	const char *news = "{'items': ['새 소식 Brand new item', {'text': '둘째', 'level': 3}]}";
	fx_data(&live, news);
	fx_data(&shot, news);
	/* The data changed: the whole tile, and the new items in it. */
	CHECK_INT(live_frame(&live, T0 + 0.2), k.h);
	cairo_surface_destroy(fx_shot(&shot, T0 + 0.2));
	CHECK(same_bytes(&live, &shot));
	CHECK(live_frame(&live, T0 + 0.3) < k.h);
	cairo_surface_destroy(fx_shot(&shot, T0 + 0.3));
	CHECK(same_bytes(&live, &shot));
	/* A new size: drawn whole at the new scale, then animated again. */
	for (struct fx *f = &live; f; f = f == &live ? &shot : NULL) {
		cairo_surface_destroy(f->frame);
		f->w = 1245;
		f->h = 945;
		f->frame = cairo_image_surface_create(CAIRO_FORMAT_RGB24, f->w, f->h);
		board_set_viewport(f->board, f->w, f->h);
	}
	CHECK_INT(live_frame(&live, T0 + 0.4), live.h);
	CHECK(live_frame(&live, T0 + 0.5) < fx_rect(&live, "k").h);
	cairo_surface_destroy(fx_shot(&shot, T0 + 0.5));
	CHECK(same_bytes(&live, &shot));
	fx_close(&live);
	fx_close(&shot);
}

/*
 * A cycle far wider than the tile (200 long items) is kept as a ring of segments: memory
 * stays bounded while it runs through, and every frame still equals a fresh drawing.
 */
static void ticker_long_cycle_ring(void)
{
	struct fx live = {0}, shot = {0};
	CHECK(ticker_open(&live, 1, ""));
	CHECK(ticker_open(&shot, 1, ""));
	char *many = malloc(200 * 80 + 32);
	size_t len = (size_t)sprintf(many, "{'items': [");
	for (int i = 0; i < 200; i++) {
		len += (size_t)sprintf(many + len, "%s'%03d 서울시 소식 Seoul city news item'",
				       i ? "," : "", i);
	}
	sprintf(many + len, "]}");
	fx_data(&live, many);
	fx_data(&shot, many);
	free(many);
	cairo_surface_destroy(fx_shot(&live, T0));
	double t = T0;
	bool ok = true;
	/* 20 px a frame: through many segments of the ring, several times round. */
	for (int i = 1; i <= 600; i++) {
		t += 0.2;
		live_frame(&live, t);
		if (i % 100 == 0) {
			cairo_surface_destroy(fx_shot(&shot, t));
			ok &= same_bytes(&live, &shot);
		}
	}
	CHECK(ok);
	fx_close(&live);
	fx_close(&shot);
}

static void count_paint(void *data, cairo_t *cr, long x0, long x1)
{
	(void)cr;
	*(long *)data += x1 - x0;
}

/* The strip's memory: a ring for a long period, every segment for a short one. */
static void ticker_strip_bounded(void)
{
	uint32_t bg[10] = {0};
	cairo_surface_t *frame = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1000, 10);
	struct ticker_strip *ring = ticker_strip_create(CAIRO_FORMAT_RGB24, 10, 1000000, 800, bg);
	long painted = 0;
	for (long offset = 0; offset + 800 <= 1000000; offset += 97) {
		ticker_strip_copy(ring, frame, 100, 0, 800, offset, count_paint, &painted);
	}
	/* A window of 800 spans at most two segments of 2048: three slots, each painted once. */
	CHECK(ticker_strip_bytes(ring) <= 3 * TICKER_STRIP_SEGMENT_PX * 10 * 4);
	CHECK_INT(painted, 1000000);
	ticker_strip_destroy(ring);
	struct ticker_strip *all = ticker_strip_create(CAIRO_FORMAT_RGB24, 10, 3000, 800, bg);
	painted = 0;
	for (long offset = 0; offset < 30000; offset += 13) {
		ticker_strip_copy(all, frame, 0, 0, 1000, offset, count_paint, &painted);
	}
	CHECK_INT(painted, 3000);
	CHECK_INT(ticker_strip_paints(all), 2);
	ticker_strip_destroy(all);
	CHECK(ticker_strip_create(CAIRO_FORMAT_A8, 10, 3000, 800, bg) == NULL);
	cairo_surface_destroy(frame);
}

/* {'items': ['WWW...']} with `len` letters. */
static char *long_item(size_t len)
{
	char *out = malloc(len + 32);
	size_t n = (size_t)sprintf(out, "{'items': ['");
	memset(out + n, 'W', len);
	sprintf(out + n + len, "']}");
	return out;
}

static void ticker_bad_data(void)
{
	static const struct data_case cases[] = {
		{"{}", true},
		{"{'items': 5}", true},
		{"{'items': null}", true},
		{"{'items': [1, 2, {'title': 'x'}]}", true},
		{"{'items': [{'text': 5}]}", true},
		{"{'items': []}", false},
		{"{'items': ['', '  ']}", false},
		{"{'items': 'one line only'}", false},
		{"{'items': ['ok', 5, {'text': 'odd level', 'level': 'purple'}]}", false},
	};
	struct fx f = {0};
	CHECK(ticker_open(&f, 1, ""));
	check_cards(&f, "k", cases, sizeof(cases) / sizeof(cases[0]));
	struct irect k = fx_rect(&f, "k");
	/* 5,000 items: 200 are read; the crawl still runs. */
	char *many = malloc(5000 * 12 + 32);
	size_t len = (size_t)sprintf(many, "{'items': [");
	for (int i = 0; i < 5000; i++) {
		len += (size_t)sprintf(many + len, "%s'n%d'", i ? "," : "", i);
	}
	sprintf(many + len, "]}");
	fx_data(&f, many);
	free(many);
	cairo_surface_destroy(fx_shot(&f, T0));
	CHECK_NEAR(board_next_deadline(f.board) - T0, 1.0 / 60, 1e-6);
	/* A 20,000-character message is cut when read: drawn as a 1,000-character one. */
	cairo_surface_t *sa = shot_of(&f, long_item(20000));
	cairo_surface_t *sb = shot_of(&f, long_item(1000));
	CHECK(same_in(sa, sb, k));
	cairo_surface_destroy(sa);
	cairo_surface_destroy(sb);
	fx_close(&f);
}

/* ---- alert ---- */

static void alert_ordering(void)
{
	struct fx f = {0};
	CHECK(fx_open(&f, 830, 630, 1,
		      "[{'id': 'a', 'widget': 'alert', 'cell': [0, 0], 'span': [2, 2], 'alerts': 'a'},"
		      " {'id': 'b', 'widget': 'alert', 'cell': [2, 0], 'span': [2, 2], 'alerts': 'b'},"
		      " {'id': 'd', 'widget': 'alert', 'cell': [0, 2], 'span': [2, 2], 'alerts': 'd'},"
		      " {'id': 'e', 'widget': 'alert', 'cell': [2, 2], 'span': [2, 2], 'alerts': 'e'}]"));
	/*
	 * a: a newer warning, an older and a newer danger; b: the same shuffled; d: the newer
	 * danger with two infos; e: the older danger with two infos. The top of a is the newer
	 * danger, so a draws as b and d do, not as e.
	 */
#define WARN_NEW \
	"{'level': 'warning', 'title': '한파경보', 'area': '서울', 'time': '2026-11-25T08:59:00+09:00'}"
#define DANGER_OLD \
	"{'level': 4, 'title': '화재 A', 'area': '구로구', 'time': '2026-11-25T08:00:00+09:00'}"
#define DANGER_NEW \
	"{'level': '심각', 'title': '화재 B', 'area': '중구', 'time': '2026-11-25T08:30:00+09:00'}"
#define INFO "{'level': 'info', 'title': '안내', 'time': 1795564000}"
	fx_data(&f, "{'a': [" WARN_NEW ", " DANGER_OLD ", " DANGER_NEW "],"
		    " 'b': [" DANGER_NEW ", " WARN_NEW ", " DANGER_OLD "],"
		    " 'd': [" INFO ", " DANGER_NEW ", " INFO "],"
		    " 'e': [" INFO ", " DANGER_OLD ", " INFO "]}");
	cairo_surface_t *s = fx_shot(&f, T0);
	CHECK(same_tiles(&f, s, "a", "b"));
	CHECK(same_tiles(&f, s, "a", "d"));
	CHECK(!same_tiles(&f, s, "a", "e"));
	cairo_surface_destroy(s);
	fx_close(&f);
}

/* Seoul's feeds name their fields in their own words: the tiles say which member is which. */
static void alert_and_ticker_field_names(void)
{
	struct fx f = {0};
	CHECK(fx_open(&f, 830, 630, 1,
		      "[{'id': 'x', 'widget': 'alert', 'cell': [0, 0], 'span': [2, 1], 'alerts': 'plain'},"
		      " {'id': 'y', 'widget': 'alert', 'cell': [2, 0], 'span': [2, 1], 'alerts': 'seoul',"
		      "  'title_field': 'MSG_CN', 'level_field': 'DST_SE_NM', 'area_field': 'RCPTN_RGN_NM',"
		      "  'time_field': 'CRT_DT'},"
		      " {'id': 'z', 'widget': 'alert', 'cell': [0, 1], 'span': [2, 1], 'alerts': 'seoul'},"
		      " {'id': 'e', 'widget': 'alert', 'cell': [2, 1], 'span': [2, 1], 'alerts': 'events',"
		      "  'title_field': 'EVENT_NM', 'area_field': 'EVENT_PLACE', 'default_level': 'info'},"
		      " {'id': 'p', 'widget': 'ticker', 'cell': [0, 2], 'span': [2, 1], 'items': 'plain'},"
		      " {'id': 'q', 'widget': 'ticker', 'cell': [2, 2], 'span': [2, 1], 'items': 'seoul',"
		      "  'text_field': 'MSG_CN', 'level_field': 'DST_SE_NM'},"
		      " {'id': 'i', 'widget': 'alert', 'cell': [0, 3], 'span': [2, 1], 'alerts': 'info'}]"));
	fx_data(&f, "{'plain': [{'level': 'warning', 'title': '한파경보 발령', 'area': '서울',"
		    "  'time': '2026-11-25T08:59:00+09:00', 'text': '한파경보 발령'}],"
		    " 'seoul': [{'DST_SE_NM': '긴급재난', 'MSG_CN': '한파경보 발령', 'RCPTN_RGN_NM': '서울',"
		    "  'CRT_DT': '2026-11-25 08:59', 'level': 'warning', 'text': '한파경보 발령'}],"
		    " 'events': [{'EVENT_NM': '2026 청춘만발', 'EVENT_PLACE': '국립정동극장 세실'}],"
		    " 'info': [{'level': 'info', 'title': '2026 청춘만발', 'area': '국립정동극장 세실'}]}");
	cairo_surface_t *s = fx_shot(&f, T0);
	CHECK(same_tiles(&f, s, "x", "y"));
	CHECK(!same_tiles(&f, s, "x", "z")); /* without the field names: no title, invalid */
	CHECK(same_tiles(&f, s, "e", "i")); /* records without a level take default_level */
	CHECK(same_tiles(&f, s, "p", "q"));
	cairo_surface_destroy(s);
	fx_close(&f);
}

static double luminance(uint32_t px)
{
	double c[3];
	for (int i = 0; i < 3; i++) {
		double v = ((px >> (16 - 8 * i)) & 0xff) / 255.0;
		c[i] = v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
	}
	return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

#define DANGER_ONLY "{'a': [" DANGER_NEW "]}"

static void alert_pulse(void)
{
	char *m = layout_messages("{'tiles': [{'widget': 'alert', 'cell': [0, 0], 'alerts': 'a', "
				  "'pulse_period': 0.5}]}");
	CHECK_STR(m, "t.json:1: /tiles/0/pulse_period: must be in [1, 10], got 0.5");
	free(m);

	struct fx f = {0};
	CHECK(fx_open(&f, 830, 630, 1,
		      "[{'id': 'a', 'widget': 'alert', 'cell': [0, 0], 'span': [2, 2], 'alerts': 'a', "
		      "'pulse_period': 1}]"));
	fx_data(&f, DANGER_ONLY);
	struct irect r = fx_rect(&f, "a");
	double lum[91];
	int peaks = 0;
	double steepest = 0;
	for (int i = 0; i <= 90; i++) {
		cairo_surface_t *s = fx_shot(&f, T0 + i / 30.0);
		lum[i] = luminance(pixel(s, r.x + 3, r.y + r.h / 2));
		cairo_surface_destroy(s);
		steepest = i ? fmax(steepest, fabs(lum[i] - lum[i - 1])) : 0;
	}
	for (int i = 1; i < 90; i++) {
		peaks += lum[i] > lum[i - 1] && lum[i] >= lum[i + 1];
	}
	/* It pulses, at most once a second over three seconds, and gently from frame to frame. */
	CHECK(peaks >= 2 && peaks <= 3);
	CHECK_NEAR(lum[0], lum[30], 0.002);
	CHECK(fabs(lum[0] - lum[15]) > 0.05);
	CHECK(steepest < 0.05);
	double next = board_next_deadline(f.board) - (T0 + 3);
	CHECK(next > 0 && next <= 1.0 / 30 + 1e-6);
	fx_close(&f);

	/* Off when asked, and for an info: still frames, no deadline. */
	const char *still[] = {"'pulse': false", "'pulse': true"};
	const char *data[] = {DANGER_ONLY, "{'a': [" INFO "]}"};
	for (int i = 0; i < 2; i++) {
		char tiles[256];
		snprintf(tiles, sizeof(tiles),
			 "[{'id': 'a', 'widget': 'alert', 'cell': [0, 0], 'span': [2, 2], "
			 "'alerts': 'a', %s}]",
			 still[i]);
		struct fx g = {0};
		CHECK(fx_open(&g, 830, 630, 1, tiles));
		fx_data(&g, data[i]);
		cairo_surface_t *s0 = fx_shot(&g, T0), *s1 = fx_shot(&g, T0 + 0.5);
		CHECK(same_in(s0, s1, fx_rect(&g, "a")));
		CHECK(board_next_deadline(g.board) - T0 > 60);
		cairo_surface_destroy(s0);
		cairo_surface_destroy(s1);
		fx_close(&g);
	}
}

static void alert_states(void)
{
	static const struct data_case cases[] = {
		{"{}", true},
		{"{'a': null}", true},
		{"{'a': 'fire'}", true},
		{"{'a': {'level': 'danger', 'title': 'x'}}", true},
		{"{'a': [5, 'x', {'title': 'no level'}]}", true},
		{"{'a': [{'level': 9, 'title': 'x'}, {'level': 'danger', 'title': ''}]}", true},
		{"{'a': []}", false},
		{"{'a': [{'level': 'info', 'title': 'ok', 'time': 'yesterday'}, 7]}", false},
	};
	struct fx f = {0};
	CHECK(fx_open(&f, 830, 630, 1,
		      "[{'id': 'a', 'widget': 'alert', 'cell': [0, 0], 'span': [2, 2], 'alerts': 'a'}]"));
	check_cards(&f, "a", cases, sizeof(cases) / sizeof(cases[0]));
	struct irect r = fx_rect(&f, "a");
	/* The calm state is the plain card, not the grey of missing data. */
	fx_data(&f, "{'a': []}");
	cairo_surface_t *calm = fx_shot(&f, T0);
	CHECK(share(calm, r, TILE_FILL) > 0.5);
	cairo_surface_destroy(calm);
	/* A 5,000-character title is cut when read: drawn as a 400-character one. */
	char *titles[2];
	for (int i = 0; i < 2; i++) {
		size_t n = i ? 400 : 5000;
		titles[i] = malloc(n + 64);
		size_t at = (size_t)sprintf(titles[i], "{'a': [{'level': 1, 'title': '");
		memset(titles[i] + at, 'W', n);
		sprintf(titles[i] + at + n, "'}]}");
	}
	cairo_surface_t *long0 = shot_of(&f, titles[0]), *long1 = shot_of(&f, titles[1]);
	CHECK(same_in(long0, long1, r));
	cairo_surface_destroy(long0);
	cairo_surface_destroy(long1);
	/* 3,000 alerts: 1,000 read, the banner still drawn. */
	char *many = malloc(3000 * 40 + 32);
	size_t len = (size_t)sprintf(many, "{'a': [");
	for (int i = 0; i < 3000; i++) {
		len += (size_t)sprintf(many + len, "%s{'level': %d, 'title': 't%d'}", i ? "," : "",
				       1 + i % 4, i);
	}
	sprintf(many + len, "]}");
	fx_data(&f, many);
	free(many);
	cairo_surface_t *s = fx_shot(&f, T0);
	CHECK(share(s, r, NODATA_FILL) < 0.01);
	cairo_surface_destroy(s);
	fx_close(&f);
}

/* ---- status ---- */

static void status_mapping(void)
{
	static const struct {
		const char *value;
		const char *tile; // "s": no thresholds; "u": thresholds
		enum state state; // whose accent the badge shows
	} cases[] = {
		{"'ok'", "s", STATE_GOOD},          {"' OK '", "s", STATE_GOOD},
		{"'정상'", "s", STATE_GOOD},        {"'healthy'", "s", STATE_GOOD},
		{"'warning'", "s", STATE_BAD},      {"'주의'", "s", STATE_BAD},
		{"'Degraded'", "s", STATE_BAD},     {"'failure'", "s", STATE_VERY_BAD},
		{"'장애'", "s", STATE_VERY_BAD},    {"'down'", "s", STATE_VERY_BAD},
		{"true", "s", STATE_GOOD},          {"false", "s", STATE_VERY_BAD},
		{"0", "s", STATE_GOOD},             {"1", "s", STATE_BAD},
		{"2", "s", STATE_VERY_BAD},         {"'2'", "s", STATE_VERY_BAD},
		{"3", "s", STATE_NODATA},           {"null", "s", STATE_NODATA},
		{"'maybe'", "s", STATE_NODATA},     {"[1]", "s", STATE_NODATA},
		{"{}", "s", STATE_NODATA},          {"1.5", "s", STATE_NODATA},
		{"-1", "s", STATE_NODATA},          {"99.5", "u", STATE_GOOD},
		{"96", "u", STATE_BAD},             {"'97'", "u", STATE_BAD},
		{"50", "u", STATE_VERY_BAD},        {"true", "u", STATE_GOOD},
		{"'장애'", "u", STATE_VERY_BAD},
	};
	static const enum state states[] = {STATE_GOOD, STATE_BAD, STATE_VERY_BAD, STATE_NODATA};
	struct fx f = {0};
	CHECK(fx_open(&f, 830, 630, 1,
		      "[{'id': 's', 'widget': 'status', 'cell': [0, 0], 'span': [2, 1], "
		      "'label': '교통정보 API', 'value': 'v'},"
		      " {'id': 'u', 'widget': 'status', 'cell': [2, 0], 'span': [2, 1], 'value': 'v', "
		      "'thresholds': [{'from': 0, 'state': 'very_bad'}, {'from': 95, 'state': 'bad'}, "
		      "{'from': 99, 'state': 'good'}]}]"));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char data[128];
		snprintf(data, sizeof(data), "{'v': %s}", cases[i].value);
		fx_data(&f, data);
		cairo_surface_t *s = fx_shot(&f, T0);
		struct irect r = fx_rect(&f, cases[i].tile);
		for (size_t a = 0; a < sizeof(states) / sizeof(states[0]); a++) {
			long n = count_rgb(s, r, rgb_of(THEME->states[states[a]].accent), 6);
			bool expected = states[a] == cases[i].state;
			if (expected ? n < 300 : n > 120) {
				printf("# %s on %s: %ld pixels of the %s accent\n", cases[i].value,
				       cases[i].tile, n, state_name(states[a]));
				CHECK(false);
			}
		}
		cairo_surface_destroy(s);
	}
	/* Missing entirely: no data. Invalid and missing are told apart by their mark. */
	fx_first_data(&f, "{}");
	cairo_surface_t *missing = fx_shot(&f, T0);
	fx_first_data(&f, "{'v': 'maybe'}");
	cairo_surface_t *invalid = fx_shot(&f, T0);
	CHECK(count_rgb(missing, fx_rect(&f, "s"), NODATA_ACCENT, 6) > 300);
	CHECK(!same_in(missing, invalid, fx_rect(&f, "s")));
	cairo_surface_destroy(missing);
	cairo_surface_destroy(invalid);
	fx_close(&f);
}

static void status_scales(void)
{
	long area[2] = {0};
	for (int i = 0; i < 2; i++) {
		struct fx f = {0};
		CHECK(fx_open(&f, 830, 630, i ? 3 : 1,
			      "[{'id': 's', 'widget': 'status', 'cell': [0, 0], 'value': 'v', "
			      "'label': '아주 긴 이름의 서비스 상태 표시 — a very long service name'}]"));
		fx_data(&f, "{'v': 'failure'}");
		cairo_surface_t *s = fx_shot(&f, T0);
		struct irect r = fx_rect(&f, "s");
		area[i] = count_rgb(s, r, VERY_BAD_ACCENT, 6);
		/* Nothing of the badge outside its tile, however long the label. */
		struct irect right = {r.x + r.w, r.y, f.w - r.x - r.w, r.h};
		CHECK_INT(count_rgb(s, right, VERY_BAD_ACCENT, 60), 0);
		CHECK_INT(count_rgb(s, right, MUTED, 60), 0);
		cairo_surface_destroy(s);
		fx_close(&f);
	}
	/* Drawn as vectors: three times the scale, nine times the solid area (edges aside). */
	CHECK(area[0] > 100);
	CHECK_NEAR((double)area[1] / (double)area[0], 9, 1.2);
}

/* ---- records with their own time ---- */

/* What is logged to stderr between log_begin() and log_end() (caller frees). */
static FILE *log_file;
static int log_saved = -1;

static void log_begin(void)
{
	fflush(stderr);
	log_file = tmpfile();
	log_saved = dup(STDERR_FILENO);
	dup2(fileno(log_file), STDERR_FILENO);
}

static char *log_end(void)
{
	fflush(stderr);
	dup2(log_saved, STDERR_FILENO);
	close(log_saved);
	long n = ftell(log_file);
	char *text = calloc(1, (size_t)(n > 0 ? n : 0) + 1);
	rewind(log_file);
	size_t got = fread(text, 1, (size_t)(n > 0 ? n : 0), log_file);
	text[got] = '\0';
	fclose(log_file);
	fputs(text, stderr); // still in meson's log
	return text;
}

/* The first and last rows of `r` holding a pixel of colour rgb; false when none does. */
static bool rows_of(cairo_surface_t *s, struct irect r, uint32_t rgb, int *y0, int *y1)
{
	*y0 = -1;
	for (int y = r.y; y < r.y + r.h; y++) {
		for (int x = r.x; x < r.x + r.w; x++) {
			if (near_rgb(pixel(s, x, y), rgb, 2)) {
				*y0 = *y0 < 0 ? y : *y0;
				*y1 = y;
				break;
			}
		}
	}
	return *y0 >= 0;
}

/* A source whose data is stale after an hour; no "N분 전" badge to blur the picture. */
#define AIR_FEED "'feed': {'url': 'air.json', 'max_age': 3600, 'show_age_after': 0}, "
#define TIMED_COLUMNS                                                                     \
	"'columns': [{'field': 'name'}, {'field': 'n', 'thresholds': [{'from': 0, 'state': " \
	"'good'}, {'from': 30, 'state': 'moderate'}, {'from': 50, 'state': 'very_bad'}]}]"
/* At T0 (09:00 KST): a 10 minutes old, b 2 hours old, c without a time. */
#define THREE_ROWS                                                                         \
	"{'r': [{'name': 'a', 'n': 10, 'MSRDT': 202611250850},"                               \
	" {'name': 'b', 'n': 80, 'MSRDT': '2026-11-25 07:00'}, {'name': 'c', 'n': 40}]}"

static void table_row_stale_alone(void)
{
	struct fx f = {0};
	CHECK(fx_open_with(&f, 830, 630, 1, AIR_FEED,
			   "[{'id': 't', 'widget': 'table', 'cell': [0, 0], 'span': [2, 4], "
			   "'rows': 'r', 'time_field': 'MSRDT', " TIMED_COLUMNS "},"
			   " {'id': 'u', 'widget': 'table', 'cell': [2, 0], 'span': [2, 4], "
			   "'rows': 'r', " TIMED_COLUMNS "}]"));
	struct irect t = fx_rect(&f, "t"), u = fx_rect(&f, "u");
	uint32_t moderate = rgb_of(THEME->states[STATE_MODERATE].fill);
	fx_data(&f, THREE_ROWS);
	cairo_surface_t *s = fx_shot(&f, T0);
	CHECK(!board_tile_stale(f.board, 0)); // the source itself is fresh
	/* b's very bad pill is greyed; a's and c's keep their colours. */
	CHECK_INT(count_rgb(s, t, VERY_BAD_FILL, 2), 0);
	CHECK(count_rgb(s, u, VERY_BAD_FILL, 2) > 200);
	CHECK(count_rgb(s, t, GOOD_FILL, 2) > 200);
	CHECK(count_rgb(s, t, moderate, 2) > 200);
	/* The grey band lies between a's row and c's: b's, and only b's. */
	int good0 = 0, good1 = 0, band0 = 0, band1 = 0, mod0 = 0, mod1 = 0;
	CHECK(rows_of(s, t, GOOD_FILL, &good0, &good1));
	CHECK(rows_of(s, t, NODATA_FILL, &band0, &band1));
	CHECK(rows_of(s, t, moderate, &mod0, &mod1));
	CHECK(good1 < band0 && band1 < mod0);
	CHECK(band1 - band0 < (mod1 - good0) / 2);
	CHECK_INT(count_rgb(s, u, NODATA_FILL, 2), 0);
	/* Its time beside it, in the muted grey, at the right end of the band. */
	struct irect mark = {t.x + t.w * 3 / 4, band0, t.w / 4, band1 - band0 + 1};
	CHECK(count_rgb(s, mark, MUTED, 40) > 10);
	/* Once b is fresh too, the table is drawn exactly as one without times. */
	fx_data(&f, "{'r': [{'name': 'a', 'n': 10, 'MSRDT': 202611250850},"
		    " {'name': 'b', 'n': 80, 'MSRDT': '2026-11-25 08:55'}, {'name': 'c', 'n': 40}]}");
	cairo_surface_t *fresh = fx_shot(&f, T0);
	CHECK(same_tiles(&f, fresh, "t", "u"));
	cairo_surface_destroy(s);
	cairo_surface_destroy(fresh);
	fx_close(&f);
}

static void table_row_stale_at_max_age(void)
{
	struct fx f = {0};
	CHECK(fx_open_with(&f, 830, 630, 1, AIR_FEED,
			   "[{'id': 't', 'widget': 'table', 'cell': [0, 0], 'span': [2, 4], "
			   "'rows': 'r', 'time_field': 'MSRDT', " TIMED_COLUMNS "}]"));
	struct irect t = fx_rect(&f, "t");
	fx_data(&f, THREE_ROWS);
	cairo_surface_destroy(fx_shot(&f, T0));
	/* a (08:50) is an hour old at 09:50: before the source (09:00 + 1 h). */
	CHECK_NEAR(board_next_deadline(f.board), T0 + 3000, 1e-6);
	board_advance(f.board, T0 + 2999.999);
	CHECK(!board_is_dirty(f.board));
	cairo_surface_t *before = fx_shot(&f, T0 + 2999.999);
	CHECK(count_rgb(before, t, GOOD_FILL, 2) > 200);
	board_advance(f.board, T0 + 3000);
	CHECK(board_is_dirty(f.board));
	cairo_surface_t *after = fx_shot(&f, T0 + 3000);
	CHECK_INT(count_rgb(after, t, GOOD_FILL, 2), 0);
	CHECK(!board_tile_stale(f.board, 0));
	/* Nothing else turns before the source does. */
	CHECK_NEAR(board_next_deadline(f.board), T0 + 3600, 1e-6);
	cairo_surface_destroy(before);
	cairo_surface_destroy(after);
	fx_close(&f);
}

static void table_unreadable_times_logged_fresh(void)
{
	struct fx f = {0};
	CHECK(fx_open_with(&f, 830, 630, 1, AIR_FEED,
			   "[{'id': 'times', 'widget': 'table', 'cell': [0, 0], 'span': [4, 4], "
			   "'rows': 'r', 'time_field': 'MSRDT', " TIMED_COLUMNS "}]"));
	struct irect t = fx_rect(&f, "times");
	log_begin();
	fx_data(&f, "{'r': [{'name': 'a', 'n': 10, 'MSRDT': '202611250850'},"
		    " {'name': 'b', 'n': 80, 'MSRDT': '점검중'}, {'name': 'c', 'n': 40}]}");
	fx_data(&f, "{'r': [{'name': 'a', 'n': 10, 'MSRDT': '202611250850'},"
		    " {'name': 'b', 'n': 80, 'MSRDT': '점검중'}, {'name': 'c', 'n': 41}]}");
	char *first = log_end();
	CHECK_STR(first, "citywall: warning: table times: time_field \"MSRDT\": 2 of 3 records "
			 "without a readable time, drawn as fresh (record 2: \"점검중\" is not a "
			 "time)\n");
	cairo_surface_t *s = fx_shot(&f, T0);
	CHECK_INT(count_rgb(s, t, NODATA_FILL, 2), 0); // neither is drawn stale
	CHECK(count_rgb(s, t, VERY_BAD_FILL, 2) > 200);
	log_begin();
	fx_data(&f, "{'r': [{'name': 'a', 'n': 10, 'MSRDT': null}, {'name': 'b', 'n': 80,"
		    " 'MSRDT': '2026-11-25 08:00'}]}");
	char *second = log_end();
	CHECK_STR(second, "citywall: warning: table times: time_field \"MSRDT\": 1 of 2 records "
			  "without a readable time, drawn as fresh (record 1: missing)\n");
	cairo_surface_destroy(s);
	free(first);
	free(second);
	fx_close(&f);
}

static const struct check_case cases[] = {
	{"option list: columns read with defaults", option_list_reads},
	{"option list: every problem reported with its path", option_list_errors},
	{"option list: unranged lists, nesting and an unset list", option_list_generic},
	{"table: sorting orders the records, ties keep feed order", table_sorting},
	{"table: \"+N more\" is the only line a count changes", table_more},
	{"table: per-cell state colours", table_cell_colours},
	{"table: bad data drawn, never crashed on", table_bad_data},
	{"table: huge lists and long texts are bounded", table_bounded},
	{"table_row_stale_alone: only the row older than max_age is drawn stale",
	 table_row_stale_alone},
	{"table_row_stale_at_max_age: the deadline is the oldest fresh row's max_age",
	 table_row_stale_at_max_age},
	{"table_unreadable_times_logged_fresh: missing or bad times are fresh, logged once",
	 table_unreadable_times_logged_fresh},
	{"ticker: same time, same pixels on two boards", ticker_deterministic},
	{"ticker: moves speed*dt, snapped to whole pixels", ticker_moves},
	{"ticker: next frame in 1/60 s, only its tile redrawn", ticker_deadline},
	{"ticker: lines shaped once, then only translated", ticker_measures_once},
	{"ticker: bad data drawn, never crashed on", ticker_bad_data},
	{"ticker: animated frames equal a redraw, byte for byte", ticker_animate_equals_redraw},
	{"ticker: new items or size rebuild the strip", ticker_strip_rebuilt},
	{"ticker: a long cycle runs through a ring of segments", ticker_long_cycle_ring},
	{"ticker: the strip's memory is bounded", ticker_strip_bounded},
	{"alert and ticker: record field names of Seoul's feeds", alert_and_ticker_field_names},
	{"alert: most severe first, then newest", alert_ordering},
	{"alert: slow pulse within accessibility limits", alert_pulse},
	{"alert: empty list is calm, missing or broken is not", alert_states},
	{"status: mapping of words, booleans and numbers", status_mapping},
	{"status: crisp icons at any scale", status_scales},
};

CHECK_MAIN(cases)
