/*
 * Times that tell the truth, at board and wall level with injected clocks: the "N분 전" age
 * badge appears at show_age_after and changes once a minute, a clock stepped back never
 * freezes a timed tile, and a document dated ahead of this wall ages from its fetch time
 * (status "clock_skew_s", stale at fetch + max_age).
 */

#include "check.h"

#include "app/wall.h"
#include "feed/snapshot_parse.h"
#include "compose/board.h"
#include "util/fileio.h"
#include "widgets/widget.h"

#include <cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0 1795564800.0 /* 2026-11-25T09:00:00+09:00 */

/* Two kpis (their sources with and without an age badge); CLOCK_TILE adds a clock. */
#define LAYOUT_HEAD \
	"{\"canvas\": {\"width\": 800, \"height\": 400},\n" \
	" \"grid\": {\"columns\": 4, \"rows\": 2, \"gap\": 10, \"margin\": 10},\n" \
	" \"sources\": {\"air\": {\"url\": \"air.json\", \"max_age\": 600, \"show_age_after\": 120},\n" \
	"   \"quiet\": {\"url\": \"quiet.json\", \"max_age\": 600, \"show_age_after\": 0}},\n" \
	" \"tiles\": [\n" \
	"  {\"id\": \"a\", \"widget\": \"kpi\", \"cell\": [0, 0], \"title\": \"A\", \"value\": \"air:a\"},\n" \
	"  {\"id\": \"q\", \"widget\": \"kpi\", \"cell\": [1, 0], \"title\": \"Q\", \"value\": \"quiet:q\"}"
#define CLOCK_TILE \
	",\n  {\"id\": \"clock\", \"widget\": \"clock\", \"cell\": [0, 1], \"span\": [2, 1],\n" \
	"   \"seconds\": true}"

struct fixture {
	struct layout *layout;
	struct text_engine *text;
	struct board *board;
	cairo_surface_t *frame;
};

static void set_data(struct fixture *f, size_t source, const char *json, double data_time)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct snapshot *s = snapshot_parse(json, strlen(json), "test", "x", NULL, data_time,
					    &diags);
	diag_list_finish(&diags);
	board_set_snapshot(f->board, source, s, data_time);
	snapshot_unref(s);
}

static bool setup(struct fixture *f, const char *layout_text)
{
	struct diag_list diags;
	diag_list_init(&diags);
	f->layout = layout_parse(layout_text, strlen(layout_text), "t.json", widget_specs(),
				 &diags);
	diag_list_finish(&diags);
	char err[256];
	f->text = text_engine_create(NULL, 0, err, sizeof(err));
	if (!f->layout || !f->text) {
		return false;
	}
	f->board = board_create(f->layout, f->text);
	f->frame = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 800, 400);
	board_set_viewport(f->board, 800, 400);
	set_data(f, 1, "{\"a\": 12}", T0);
	set_data(f, 2, "{\"q\": 34}", T0);
	return true;
}

static void teardown(struct fixture *f)
{
	cairo_surface_destroy(f->frame);
	board_destroy(f->board);
	text_engine_destroy(f->text);
	layout_destroy(f->layout);
}

/* Advances to `now` and draws; returns whether tile `index` was redrawn. */
static bool frame_redraws(struct fixture *f, double now, size_t index)
{
	board_advance(f->board, now);
	size_t n;
	const struct irect *damage = board_draw(f->board, f->frame, now, &n);
	struct irect r = board_tile_rect(f->board, index);
	for (size_t i = 0; i < n; i++) {
		if (damage[i].x <= r.x && damage[i].y <= r.y && damage[i].x + damage[i].w >= r.x + r.w &&
		    damage[i].y + damage[i].h >= r.y + r.h) {
			return true;
		}
	}
	return false;
}

/* A checksum of the bottom right quarter of a tile (where badges go), or of all of it. */
static unsigned long pixel_sum(struct fixture *f, size_t index, bool corner)
{
	struct irect r = board_tile_rect(f->board, index);
	cairo_surface_flush(f->frame);
	const unsigned char *data = cairo_image_surface_get_data(f->frame);
	int stride = cairo_image_surface_get_stride(f->frame);
	unsigned long sum = 0;
	for (int y = corner ? r.y + r.h * 3 / 4 : r.y; y < r.y + r.h; y++) {
		for (int x = corner ? r.x + r.w / 2 : r.x; x < r.x + r.w; x++) {
			sum = sum * 31 + data[y * stride + x * 4] + data[y * stride + x * 4 + 1];
		}
	}
	return sum;
}

static void ageing_badge(void)
{
	struct fixture f = {0};
	CHECK(setup(&f, LAYOUT_HEAD " ]}"));
	long a = board_find_tile(f.board, "a"), q = board_find_tile(f.board, "q");
	CHECK(frame_redraws(&f, T0 + 1, (size_t)a)); // the first frame is whole
	unsigned long fresh = pixel_sum(&f, (size_t)a, true), quiet = pixel_sum(&f, (size_t)q, true);
	/* Young data: no badge, and nothing to do until it is 120 s old. */
	CHECK(!frame_redraws(&f, T0 + 119, (size_t)a));
	CHECK_NEAR(board_next_deadline(f.board), T0 + 120, 0);
	CHECK(pixel_sum(&f, (size_t)a, true) == fresh);
	/* At show_age_after the badge appears ("2분 전") and changes a minute later, not before. */
	CHECK(frame_redraws(&f, T0 + 120, (size_t)a));
	unsigned long two_minutes = pixel_sum(&f, (size_t)a, true);
	CHECK(two_minutes != fresh);
	CHECK_NEAR(board_next_deadline(f.board), T0 + 180, 0);
	CHECK(!frame_redraws(&f, T0 + 150, (size_t)a));
	CHECK(frame_redraws(&f, T0 + 180, (size_t)a));
	CHECK(pixel_sum(&f, (size_t)a, true) != two_minutes);
	CHECK(!board_tile_stale(f.board, (size_t)a));
	/* A source with show_age_after 0 never shows one. */
	CHECK(pixel_sum(&f, (size_t)q, true) == quiet);
	/* Stale at max_age: the "기준" badge takes the corner. */
	CHECK(!frame_redraws(&f, T0 + 599, (size_t)q));
	CHECK(frame_redraws(&f, T0 + 600, (size_t)a));
	CHECK(board_tile_stale(f.board, (size_t)a));
	CHECK(board_tile_stale(f.board, (size_t)q));
	/* New data: the badge goes at once. */
	set_data(&f, 1, "{\"a\": 12}", T0 + 600);
	CHECK(frame_redraws(&f, T0 + 601, (size_t)a));
	CHECK(pixel_sum(&f, (size_t)a, true) == fresh);
	teardown(&f);
}

static void clock_step_back_never_freezes(void)
{
	struct fixture f = {0};
	CHECK(setup(&f, LAYOUT_HEAD CLOCK_TILE " ]}"));
	long c = board_find_tile(f.board, "clock");
	CHECK(frame_redraws(&f, T0 + 10.5, (size_t)c));
	CHECK(!frame_redraws(&f, T0 + 10.9, (size_t)c));
	CHECK(frame_redraws(&f, T0 + 11.0, (size_t)c));
	unsigned long before = pixel_sum(&f, (size_t)c, false);
	/* The wall clock goes back an hour: the clock shows it at once and ticks on from there. */
	double back = T0 + 11.2 - 3600;
	CHECK(frame_redraws(&f, back, (size_t)c));
	CHECK(pixel_sum(&f, (size_t)c, false) != before);
	CHECK(board_next_deadline(f.board) <= back + 1);
	CHECK(frame_redraws(&f, back + 0.8, (size_t)c));
	CHECK(!frame_redraws(&f, back + 0.9, (size_t)c));
	/* Forward again (NTP corrects the step): the old deadline is long past, it redraws. */
	CHECK(frame_redraws(&f, T0 + 20, (size_t)c));
	CHECK(board_next_deadline(f.board) <= T0 + 21);
	teardown(&f);
}

/* ---- wall level: a document dated an hour ahead of this wall ---- */

static char *temp_dir(void)
{
	char tmpl[] = "/tmp/citywall-truth-time-XXXXXX";
	return strdup(mkdtemp(tmpl));
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *fp = fopen(path, "w");
	fputs(text, fp);
	fclose(fp);
}

static const cJSON *status_source(cJSON *status, size_t index)
{
	return cJSON_GetArrayItem(cJSON_GetObjectItem(status, "sources"), (int)index);
}

static void skewed_document_ages_from_its_fetch(void)
{
	char *dir = temp_dir();
	write_file(dir, "wall.json",
		   "{\"sources\": {\"air\": {\"url\": \"air.json\", \"max_age\": 300}},\n"
		   " \"tiles\": [{\"id\": \"a\", \"widget\": \"kpi\", \"cell\": [0, 0],"
		   " \"title\": \"A\", \"value\": \"air:a\"}]}\n");
	/* Dated 10:00 KST, fetched at 09:00 KST. */
	write_file(dir, "air.json", "{\"generated_at\": \"2026-11-25T10:00:00+09:00\", \"a\": 1}");
	char layout[512];
	snprintf(layout, sizeof(layout), "%s/wall.json", dir);
	struct wall wall = {0};
	struct wall_options options = {.layout_file = layout, .clock = {.fixed = true, .at = T0}};
	CHECK(wall_open(&wall, &options));
	wall_fetch_once(&wall);
	cJSON *status = wall_status_json(&wall);
	const cJSON *air = status_source(status, 0);
	CHECK_NEAR(cJSON_GetNumberValue(cJSON_GetObjectItem(air, "clock_skew_s")), 3600, 0);
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(air, "data_time")),
		  "2026-11-25T00:00:00Z");
	cJSON_Delete(status);
	/* Stale exactly at fetch + max_age, not an hour later. */
	/* sources[0] is the default (no "feed"), air is 1. */
	board_advance(wall.board, T0 + 299);
	CHECK(!board_source_stale(wall.board, 1));
	board_advance(wall.board, T0 + 300);
	CHECK(board_source_stale(wall.board, 1));
	/* Within the tolerance (120 s) a document's own time counts: no skew. */
	write_file(dir, "air.json", "{\"generated_at\": \"2026-11-25T09:01:00+09:00\", \"a\": 2}");
	wall_fetch_once(&wall);
	status = wall_status_json(&wall);
	air = status_source(status, 0);
	CHECK_NEAR(cJSON_GetNumberValue(cJSON_GetObjectItem(air, "clock_skew_s")), 0, 0);
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(air, "data_time")),
		  "2026-11-25T00:01:00Z");
	cJSON_Delete(status);
	wall_close(&wall);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	free(dir);
}

/* The real 2021 air sample bound with its MSRDT: dated, and stale in 2026. */
static void air_2021_sample(void)
{
	const char *root = getenv("CITYWALL_SOURCE_ROOT");
	char sample[1024];
	snprintf(sample, sizeof(sample),
		 "%s/../shared/data/samples/seoul-realtimecityair-legacy-2021-sample.json",
		 root ? root : ".");
	if (access(sample, R_OK) != 0) {
		printf("# SKIP ../shared/data/samples is absent\n");
		return;
	}
	char *dir = temp_dir();
	char *text = malloc(4096);
	snprintf(text, 4096,
		 "{\"sources\": {\"air\": {\"url\": \"%s\", \"max_age\": 3600,\n"
		 "  \"timestamp\": {\"path\": \"RealtimeCityAir/row/0/MSRDT\","
		 " \"format\": \"%%Y%%m%%d%%H%%M\"}}},\n"
		 " \"tiles\": [{\"id\": \"pm10\", \"widget\": \"kpi\", \"cell\": [0, 0], \"title\": "
		 "\"중구 PM10\", \"value\": \"air:RealtimeCityAir/row/0/PM10\"}]}\n", sample);
	write_file(dir, "wall.json", text);
	free(text);
	char layout[512];
	snprintf(layout, sizeof(layout), "%s/wall.json", dir);
	struct wall wall = {0};
	struct wall_options options = {.layout_file = layout, .clock = {.fixed = true, .at = T0}};
	CHECK(wall_open(&wall, &options));
	wall_fetch_once(&wall);
	cJSON *status = wall_status_json(&wall);
	const cJSON *air = status_source(status, 0);
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(air, "data_time")),
		  "2021-05-11T06:00:00Z");
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(air, "state")), "stale");
	CHECK_NEAR(cJSON_GetNumberValue(cJSON_GetObjectItem(air, "clock_skew_s")), 0, 0);
	CHECK(board_tile_stale(wall.board, 0));
	cJSON_Delete(status);
	wall_close(&wall);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	free(dir);
}

/* The box (tile-relative) where tile `a` of frame fa differs from tile `b` of frame fb,
 * inside their borders. */
static struct irect tile_diff_box(struct fixture *fa, const char *a, struct fixture *fb,
				  const char *b)
{
	struct irect ra = board_tile_rect(fa->board, (size_t)board_find_tile(fa->board, a));
	struct irect rb = board_tile_rect(fb->board, (size_t)board_find_tile(fb->board, b));
	cairo_surface_flush(fa->frame);
	cairo_surface_flush(fb->frame);
	const unsigned char *da = cairo_image_surface_get_data(fa->frame);
	const unsigned char *db = cairo_image_surface_get_data(fb->frame);
	int stride = cairo_image_surface_get_stride(fa->frame);
	int x0 = ra.w, y0 = ra.h, x1 = -1, y1 = -1;
	/* Inside the card's border: two cells' widths may differ by a pixel. */
	for (int y = 4; y < ra.h - 4 && y < rb.h - 4; y++) {
		for (int x = 4; x < ra.w - 4 && x < rb.w - 4; x++) {
			uint32_t pa = *(const uint32_t *)(da + (ra.y + y) * stride + (ra.x + x) * 4);
			uint32_t pb = *(const uint32_t *)(db + (rb.y + y) * stride + (rb.x + x) * 4);
			if ((pa & 0xffffff) != (pb & 0xffffff)) {
				x0 = x < x0 ? x : x0, y0 = y < y0 ? y : y0;
				x1 = x > x1 ? x : x1, y1 = y > y1 ? y : y1;
			}
		}
	}
	return x1 < 0 ? (struct irect){0, 0, 0, 0} : (struct irect){x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

/*
 * badge_never_on_change_line: a narrow kpi with a long change label and data old enough for
 * its age badge: the change line gives the badge room (its words go, the change stays), so the
 * badge never sits on it.
 */
static void badge_never_on_change_line(void)
{
	const char *layout =
		"{\"canvas\": {\"width\": 800, \"height\": 400},\n"
		" \"grid\": {\"columns\": 4, \"rows\": 2, \"gap\": 20, \"margin\": 10},\n"
		" \"sources\": {\"air\": {\"url\": \"air.json\", \"max_age\": 600, "
		"\"show_age_after\": 120}},\n"
		" \"tiles\": [\n"
		"  {\"id\": \"c\", \"widget\": \"kpi\", \"cell\": [0, 0], \"title\": \"A\", "
		"\"value\": \"air:a\", \"previous\": \"air:p\", "
		"\"delta_label\": \"전일 동시간 대비 변화량\"},\n"
		"  {\"id\": \"n\", \"widget\": \"kpi\", \"cell\": [1, 0], \"title\": \"A\", "
		"\"value\": \"air:a\"}\n"
		" ]}";
	struct fixture old = {0}, young = {0};
	CHECK(setup(&old, layout) && setup(&young, layout));
	set_data(&old, 1, "{\"a\": 12, \"p\": 10}", T0);
	set_data(&young, 1, "{\"a\": 12, \"p\": 10}", T0);
	frame_redraws(&old, T0 + 200, 0);   // "3분 전"
	frame_redraws(&young, T0 + 1, 0);   // no badge yet
	struct irect badge = tile_diff_box(&old, "n", &young, "n");
	struct irect change = tile_diff_box(&old, "c", &old, "n");
	CHECK(badge.w > 0 && change.w > 0);
	CHECK(badge.y + badge.h > change.y); // the same rows: they would meet
	printf("# change line x %d..%d, badge from x %d\n", change.x, change.x + change.w,
	       badge.x);
	CHECK(change.x + change.w + 4 <= badge.x);
	/* Without the badge the words are there: the line is longer. */
	struct irect whole = tile_diff_box(&young, "c", &young, "n");
	CHECK(whole.x + whole.w > change.x + change.w);
	teardown(&old);
	teardown(&young);
}

static const struct check_case cases[] = {
	{"ageing badge: none before show_age_after, then per minute, stale at max_age",
	 ageing_badge},
	{"clock_step_back_never_freezes", clock_step_back_never_freezes},
	{"badge_never_on_change_line", badge_never_on_change_line},
	{"skewed_document_ages_from_its_fetch: clock_skew_s 3600, stale at fetch + max_age",
	 skewed_document_ages_from_its_fetch},
	{"the 2021 air sample: data_time 2021-05-11T15:00+09:00, stale", air_2021_sample},
};

CHECK_MAIN(cases)
