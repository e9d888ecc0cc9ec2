/*
 * Honest change lines: a kpi's "change" compares with a real earlier reading from its
 * source's history, labelled with that reading's age or time; with no such reading there is
 * no change line. The tiles are compared with reference tiles drawn from a feed's own
 * "previous" value and a written label, so the picture says exactly what was compared.
 * History survives a restart through the cache, and a damaged history file is refused.
 */

#include "check.h"

#include "app/wall.h"
#include "feed/snapshot_parse.h"
#include "compose/board.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"
#include "widgets/widget.h"

#include <stdint.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0 1795564800.0 /* 2026-11-25T09:00:00+09:00 */

/* Four 195-unit columns and rows: tiles of one size on whole pixels, so equal tiles draw equal. */
#define LAYOUT_HEAD                                                                        \
	"{\"canvas\": {\"width\": 830, \"height\": 420},\n"                                \
	" \"grid\": {\"columns\": 4, \"rows\": 2, \"gap\": 10, \"margin\": 10},\n"         \
	" \"sources\": {\"air\": {\"url\": \"air.json\", \"history\": \"25h\"}},\n"          \
	" \"tiles\": [\n"
#define KPI(id, cell, extra)                                                               \
	"  {\"id\": \"" id "\", \"widget\": \"kpi\", \"cell\": " cell ", \"title\": \"PM10\", " \
	"\"value\": \"air:/pm10\"" extra "}"

static const char *layout_text = LAYOUT_HEAD
	KPI("hour", "[0, 0]", ", \"change\": {\"vs\": \"1h\"}") ",\n"
	KPI("hour-ref", "[1, 0]", ", \"previous\": \"air:/ref\", \"delta_label\": \"1시간 전 대비\"") ",\n"
	KPI("prev", "[2, 0]", ", \"change\": {\"vs\": \"previous\"}") ",\n"
	KPI("prev-ref", "[3, 0]", ", \"previous\": \"air:/ref_prev\", \"delta_label\": \"09:30 대비\"") ",\n"
	KPI("plain", "[0, 1]", "") ",\n"
	KPI("yesterday", "[1, 1]", ", \"change\": {\"vs\": \"yesterday\"}") ",\n"
	KPI("labelled", "[2, 1]", ", \"change\": {\"vs\": \"1h\"}, \"delta_label\": \"09:30 대비\"") "\n"
	" ]}\n";

struct fixture {
	struct layout *layout;
	struct text_engine *text;
	struct board *board;
	cairo_surface_t *frame;
	size_t air;
};

static bool setup(struct fixture *f)
{
	struct diag_list diags;
	diag_list_init(&diags);
	f->layout = layout_parse(layout_text, strlen(layout_text), "change.json", widget_specs(),
				 &diags);
	for (size_t i = 0; i < diags.count; i++) {
		char *line = diag_format(&diags.items[i]);
		printf("# %s\n", line);
		free(line);
	}
	diag_list_finish(&diags);
	char err[256];
	f->text = text_engine_create(NULL, 0, err, sizeof(err));
	if (!f->layout || !f->text) {
		return false;
	}
	f->air = (size_t)layout_find_source(f->layout, "air");
	f->board = board_create(f->layout, f->text);
	f->frame = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 830, 420);
	board_set_viewport(f->board, 830, 420);
	return true;
}

static void teardown(struct fixture *f)
{
	cairo_surface_destroy(f->frame);
	board_destroy(f->board);
	text_engine_destroy(f->text);
	layout_destroy(f->layout);
}

/* A document of source "air" produced at `t` (its own generated_at). */
static void reading(struct fixture *f, double t, const char *fields)
{
	char json[512], when[64];
	time_format_utc(t, when, sizeof(when));
	snprintf(json, sizeof(json), "{\"generated_at\": \"%s\", %s}", when, fields);
	struct diag_list diags;
	diag_list_init(&diags);
	struct snapshot *s = snapshot_parse(json, strlen(json), "test", "air", "generated_at",
					    t + 5, &diags);
	diag_list_finish(&diags);
	board_set_snapshot(f->board, f->air, s, snapshot_data_time(s));
	snapshot_unref(s);
}

static void draw(struct fixture *f)
{
	size_t n;
	board_invalidate_all(f->board);
	board_advance(f->board, T0 + 3600);
	board_draw(f->board, f->frame, T0 + 3600, &n);
}

/* Whether tiles `a` and `b` (of one size) look the same, pixel for pixel. */
static bool same_tile(struct fixture *f, const char *a, const char *b)
{
	struct irect ra = board_tile_rect(f->board, (size_t)board_find_tile(f->board, a));
	struct irect rb = board_tile_rect(f->board, (size_t)board_find_tile(f->board, b));
	if (ra.w != rb.w || ra.h != rb.h) {
		return false;
	}
	const unsigned char *data = cairo_image_surface_get_data(f->frame);
	int stride = cairo_image_surface_get_stride(f->frame);
	for (int y = 0; y < ra.h; y++) {
		const uint32_t *pa = (const uint32_t *)(data + (ra.y + y) * stride) + ra.x;
		const uint32_t *pb = (const uint32_t *)(data + (rb.y + y) * stride) + rb.x;
		for (int x = 0; x < ra.w; x++) {
			if ((pa[x] & 0xffffff) != (pb[x] & 0xffffff)) {
				return false;
			}
		}
	}
	return true;
}

/* T0: 40, T0+30min: 45, T0+60min: 50 → "+10 1시간 전 대비" and "+5 09:30 대비". */
static void hour_ago_compares_with_the_reading_an_hour_ago(void)
{
	struct fixture f;
	CHECK(setup(&f));
	reading(&f, T0, "\"pm10\": 40");
	reading(&f, T0 + 1800, "\"pm10\": 45");
	reading(&f, T0 + 3600, "\"pm10\": 50, \"ref\": 40, \"ref_prev\": 45");
	draw(&f);
	CHECK(same_tile(&f, "hour", "hour-ref"));
	CHECK(same_tile(&f, "prev", "prev-ref"));
	CHECK(same_tile(&f, "labelled", "prev-ref") == false); // 50 vs 40, not vs 45
	/* The automatic label gives way to a written one; the comparison stays. */
	CHECK(!same_tile(&f, "hour", "labelled"));
	CHECK(!same_tile(&f, "hour", "plain"));
	/* No change and no reading yesterday: no line at all, never a made-up 0. */
	CHECK(same_tile(&f, "plain", "yesterday"));
	teardown(&f);
}

/* A re-poll of an unchanged document is no new reading: nothing to compare with. */
static void same_document_twice_draws_no_change_line(void)
{
	struct fixture f;
	CHECK(setup(&f));
	reading(&f, T0 + 3600, "\"pm10\": 50");
	reading(&f, T0 + 3600, "\"pm10\": 50");
	const struct history_series *s =
		history_find(board_source_history(f.board, f.air), "/pm10");
	CHECK(s && s->count == 1);
	draw(&f);
	CHECK(same_tile(&f, "hour", "plain"));
	CHECK(same_tile(&f, "prev", "plain"));
	teardown(&f);
}

/* Without "change" there is no comparison, however many readings came (no default). */
static void no_change_option_draws_no_change_line(void)
{
	struct fixture f;
	CHECK(setup(&f));
	reading(&f, T0, "\"pm10\": 40");
	reading(&f, T0 + 3600, "\"pm10\": 50");
	draw(&f);
	cairo_surface_t *before = f.frame;
	f.frame = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 830, 420);
	/* The same value on a fresh board, with one reading only: the same picture. */
	struct board *fresh = board_create(f.layout, f.text);
	struct board *kept = f.board;
	f.board = fresh;
	board_set_viewport(fresh, 830, 420);
	reading(&f, T0 + 3600, "\"pm10\": 50");
	draw(&f);
	struct irect r = board_tile_rect(fresh, (size_t)board_find_tile(fresh, "plain"));
	const unsigned char *a = cairo_image_surface_get_data(before);
	const unsigned char *b = cairo_image_surface_get_data(f.frame);
	int stride = cairo_image_surface_get_stride(before);
	bool same = true;
	for (int y = r.y; y < r.y + r.h; y++) {
		same &= memcmp(a + y * stride + r.x * 4, b + y * stride + r.x * 4,
			       (size_t)r.w * 4) == 0;
	}
	CHECK(same);
	board_destroy(fresh);
	f.board = kept;
	cairo_surface_destroy(before);
	teardown(&f);
}

/* Older than 1.5 times the asked age is no reading "an hour ago": no line. */
static void too_old_a_reading_draws_no_change_line(void)
{
	struct fixture f;
	CHECK(setup(&f));
	reading(&f, T0 - 3600, "\"pm10\": 40");
	reading(&f, T0 + 3600, "\"pm10\": 50");
	draw(&f);
	CHECK(same_tile(&f, "hour", "plain"));
	CHECK(!same_tile(&f, "prev", "plain")); // the previous reading is there, with its time
	teardown(&f);
}

/* A trend bound to a number draws its history: the same picture as the same points sent whole. */
static void trend_of_a_number_draws_its_history(void)
{
	static const char *trends = "{\"canvas\": {\"width\": 830, \"height\": 420},\n"
		" \"grid\": {\"columns\": 2, \"rows\": 2, \"gap\": 10, \"margin\": 10},\n"
		" \"sources\": {\"air\": {\"url\": \"air.json\", \"history\": 10}},\n"
		" \"tiles\": [\n"
		"  {\"id\": \"scalar\", \"widget\": \"trend\", \"cell\": [0, 0], \"value\": \"air:/pm10\"},\n"
		"  {\"id\": \"series\", \"widget\": \"trend\", \"cell\": [1, 0], \"value\": \"air:/s\"},\n"
		"  {\"id\": \"none\", \"widget\": \"trend\", \"cell\": [0, 1], \"value\": \"air:/x\"}\n"
		" ]}\n";
	struct fixture f = {0};
	struct diag_list diags;
	diag_list_init(&diags);
	f.layout = layout_parse(trends, strlen(trends), "t.json", widget_specs(), &diags);
	diag_list_finish(&diags);
	char err[256];
	f.text = text_engine_create(NULL, 0, err, sizeof(err));
	CHECK(f.layout && f.text);
	if (!f.layout || !f.text) {
		return;
	}
	f.air = (size_t)layout_find_source(f.layout, "air");
	f.board = board_create(f.layout, f.text);
	f.frame = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 830, 420);
	board_set_viewport(f.board, 830, 420);
	reading(&f, T0, "\"pm10\": 40");
	reading(&f, T0 + 1800, "\"pm10\": 45");
	reading(&f, T0 + 3600, "\"pm10\": 50, \"x\": [], \"s\": [{\"t\": 1795564800, \"v\": 40}, "
		"{\"t\": 1795566600, \"v\": 45}, {\"t\": 1795568400, \"v\": 50}]");
	draw(&f);
	CHECK(same_tile(&f, "scalar", "series"));
	CHECK(!same_tile(&f, "scalar", "none")); // a line, not "no data"
	teardown(&f);
}

static char *first_error(const char *text)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct layout *l = layout_parse(text, strlen(text), "c.json", widget_specs(), &diags);
	char *line = diags.count ? diag_format(&diags.items[0]) : NULL;
	layout_destroy(l);
	diag_list_finish(&diags);
	return line;
}

static void check_refuses_bad_change(void)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{LAYOUT_HEAD KPI("k", "[0, 0]", ", \"change\": {\"vs\": \"1 hour\"}") "]}",
		 "c.json:5: /tiles/0/change/vs: must be a duration (\"1h\", \"30m\", \"7d\"), "
		 "\"yesterday\" or \"previous\", got \"1 hour\""},
		{"{\"sources\": {\"air\": {\"url\": \"a.json\"}}, \"tiles\": [\n"
		 KPI("k", "[0, 0]", ", \"change\": {\"vs\": \"1h\"}") "]}",
		 "c.json:2: /tiles/0/change: compares with the history of source \"air\", "
		 "which keeps none: give that source \"history\" (a duration such as \"25h\", or a "
		 "count of readings)"},
		{LAYOUT_HEAD KPI("k", "[0, 0]", ", \"change\": {\"vs\": \"7d\"}") "]}",
		 "c.json:5: /tiles/0/change: looks \"7d\" back, but source \"air\" keeps only "
		 "25 hours of history"},
		{LAYOUT_HEAD KPI("k", "[0, 0]", ", \"change\": {\"vs\": \"1h\"}, \"previous\": "
				 "\"air:/p\"") "]}",
		 "c.json:5: /tiles/0/change: compares with the history; \"previous\" with a "
		 "value of the feed: give one of them"},
		{LAYOUT_HEAD KPI("k", "[0, 0]", ", \"change\": {\"versus\": \"1h\"}") "]}",
		 NULL /* an unknown key: the generic validator's message */},
		{"{\"sources\": {\"air\": {\"url\": \"a.json\", \"history\": \"1 day\"}}, \"tiles\": []}",
		 "c.json:1: /sources/air/history: must be a duration (\"24h\", \"30m\", \"90s\", "
		 "\"7d\") or a count of readings (2 to 1440), got \"1 day\""},
		{"{\"sources\": {\"air\": {\"url\": \"a.json\", \"history\": 1}}, \"tiles\": []}",
		 "c.json:1: /sources/air/history: must be a duration (\"24h\", \"30m\", \"90s\", "
		 "\"7d\") or a count of readings (2 to 1440), got 1"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *message = first_error(cases[i].text);
		CHECK(message != NULL);
		if (cases[i].message) {
			CHECK_STR(message, cases[i].message);
		}
		free(message);
	}
	char *none = first_error(layout_text);
	CHECK_STR(none, NULL);
	free(none);
}

/* ---- across a restart: the cache keeps the history ---- */

struct files {
	char dir[4096], layout[4200], feed[4200], cache[4200];
};

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void files_init(struct files *p, const char *name)
{
	const char *build = getenv("CITYWALL_BUILD_ROOT");
	snprintf(p->dir, sizeof(p->dir), "%s/%s", build ? build : ".", name);
	char *cmd = xasprintf("rm -rf '%s' && mkdir -p '%s/cache'", p->dir, p->dir);
	CHECK(system(cmd) == 0);
	free(cmd);
	snprintf(p->layout, sizeof(p->layout), "%s/layout.json", p->dir);
	snprintf(p->feed, sizeof(p->feed), "%s/air.json", p->dir);
	snprintf(p->cache, sizeof(p->cache), "%s/cache", p->dir);
	write_file(p->layout, layout_text);
}

/* Opens a wall on the files, reads the feed once, and returns the /pm10 series' length. */
static size_t run_wall(const struct files *p, const char *document, bool *compares)
{
	write_file(p->feed, document);
	struct wall wall;
	struct wall_options options = {.layout_file = p->layout, .cache_dir = p->cache,
				       .clock = {.fixed = true, .at = T0 + 3600}};
	if (!wall_open(&wall, &options)) {
		CHECK(!"wall_open");
		return 0;
	}
	wall_fetch_once(&wall);
	size_t air = (size_t)layout_find_source(wall.layout, "air");
	const struct history_series *s = history_find(board_source_history(wall.board, air),
						      "/pm10");
	size_t count = s ? s->count : 0;
	if (compares) {
		struct fixture f = {.board = wall.board, .air = air};
		f.frame = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 830, 420);
		board_set_viewport(wall.board, 830, 420);
		draw(&f);
		*compares = same_tile(&f, "hour", "hour-ref") && !same_tile(&f, "hour", "plain");
		cairo_surface_destroy(f.frame);
	}
	wall_close(&wall);
	return count;
}

/* Removes the cached document, so that only the history file remembers the first reading. */
static void forget_document(const struct files *p)
{
	char *path = xasprintf("%s/air.cache", p->cache);
	CHECK(remove(path) == 0);
	free(path);
}

static void document(char *buf, size_t size, double t, const char *fields)
{
	char when[64];
	time_format_utc(t, when, sizeof(when));
	snprintf(buf, size, "{\"generated_at\": \"%s\", %s}", when, fields);
}

static void restarted_wall_compares_with_reading_before_restart(void)
{
	struct files p;
	files_init(&p, "history-restart");
	char doc[256];
	document(doc, sizeof(doc), T0, "\"pm10\": 40");
	CHECK(run_wall(&p, doc, NULL) == 1);
	char *record = xasprintf("%s/air.history", p.cache);
	CHECK(access(record, R_OK) == 0); // written at the clean exit
	forget_document(&p); // what is compared with comes from the history alone
	document(doc, sizeof(doc), T0 + 3600, "\"pm10\": 50, \"ref\": 40");
	bool compares = false;
	CHECK(run_wall(&p, doc, &compares) == 2);
	CHECK(compares);
	free(record);
}

static void damaged_history_file_is_refused(void)
{
	struct files p;
	files_init(&p, "history-damaged");
	char doc[256];
	document(doc, sizeof(doc), T0, "\"pm10\": 40");
	CHECK(run_wall(&p, doc, NULL) == 1);
	/* One byte of the body changed: the checksum no longer matches. */
	char *record = xasprintf("%s/air.history", p.cache);
	FILE *f = fopen(record, "r+b");
	CHECK(f != NULL);
	if (f) {
		fseek(f, -3, SEEK_END);
		fputc('9', f);
		fclose(f);
	}
	forget_document(&p);
	document(doc, sizeof(doc), T0 + 3600, "\"pm10\": 50, \"ref\": 40");
	bool compares = true;
	/* Only the new reading: the history before the restart is refused, the wall runs on. */
	CHECK(run_wall(&p, doc, &compares) == 1);
	CHECK(!compares);
	free(record);
}

static const struct check_case cases[] = {
	{"vs 1h compares with the reading an hour ago; previous names its time",
	 hour_ago_compares_with_the_reading_an_hour_ago},
	{"the same document twice draws no change line", same_document_twice_draws_no_change_line},
	{"without change there is no change line", no_change_option_draws_no_change_line},
	{"a reading older than 1.5x the age is no comparison", too_old_a_reading_draws_no_change_line},
	{"a trend bound to a number draws its history", trend_of_a_number_draws_its_history},
	{"--check refuses a bad change or history, naming the source", check_refuses_bad_change},
	{"a restarted wall still compares with the reading before the restart",
	 restarted_wall_compares_with_reading_before_restart},
	{"a damaged history file is refused", damaged_history_file_is_refused},
};

CHECK_MAIN(cases)
