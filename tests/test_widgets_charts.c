/*
 * The chart widgets — trend, bar, gauge — on a real board, checked in the pixels they draw:
 * gaps break a trend line, a peak survives decimation, threshold bands sit where their values
 * are; bars come in sort order with lengths in proportion and the right state colours; a
 * gauge's arc covers exactly its share of the ring, the target is a tick. bind() reports a
 * change only when the picture changes. Every kind of bad data (missing, "점검중", NaN and
 * infinities, empty and huge arrays, negative counts, a zero denominator) draws the no-data
 * state and is logged once.
 */

#include "check.h"

#include "feed/snapshot_parse.h"
#include "layout/bind.h"
#include "compose/board.h"
#include "render/chart.h"
#include "util/fileio.h"
#include "util/log.h"
#include "util/xmalloc.h"
#include "widgets/widget.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0 1795564800.0 /* 2026-11-25T09:00:00+09:00 */

/* The colours of the layout's theme, as 0xRRGGBB; set by rig_open(). */
static struct {
	uint32_t tile, border, text, accent, good, moderate, bad, very_bad, nodata_fill;
} P;

#define TILE (P.tile)
#define BORDER (P.border)
#define TEXT (P.text)
#define ACCENT (P.accent)
#define GOOD (P.good)
#define MODERATE (P.moderate)
#define BAD (P.bad)
#define VERY_BAD (P.very_bad)
#define NODATA_FILL (P.nodata_fill)

/* The threshold states' colours and the plain accent, for finding bars. */
static uint32_t state_palette[4];
static uint32_t accent_palette[1];

static uint32_t rgb_of(struct color c)
{
	return (uint32_t)lround(c.r * 255) << 16 | (uint32_t)lround(c.g * 255) << 8 |
	       (uint32_t)lround(c.b * 255);
}

static void read_palette(const struct theme *t)
{
	P.tile = rgb_of(t->tile);
	P.border = rgb_of(t->tile_border);
	P.text = rgb_of(t->text);
	P.accent = rgb_of(t->accent);
	P.good = rgb_of(t->states[STATE_GOOD].accent);
	P.moderate = rgb_of(t->states[STATE_MODERATE].accent);
	P.bad = rgb_of(t->states[STATE_BAD].accent);
	P.very_bad = rgb_of(t->states[STATE_VERY_BAD].accent);
	P.nodata_fill = rgb_of(t->states[STATE_NODATA].fill);
	uint32_t states[] = {P.good, P.moderate, P.bad, P.very_bad};
	memcpy(state_palette, states, sizeof(states));
	accent_palette[0] = P.accent;
}

/* ---- a board with one tile filling the canvas ---- */

struct rig {
	struct layout *layout;
	struct text_engine *text;
	struct board *board;
	cairo_surface_t *frame;
	int width, height; // device pixels
};

static struct snapshot *snap(const char *json)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct snapshot *s = snapshot_parse(json, strlen(json), "test", "default", "generated_at",
					    T0, &diags);
	for (size_t i = 0; i < diags.count; i++) {
		char *line = diag_format(&diags.items[i]);
		printf("# snapshot: %s\n", line);
		free(line);
	}
	diag_list_finish(&diags);
	return s;
}

/*
 * A layout of `width` x `height` units whose only tile "t" (with `fields`, the tile's JSON
 * members after "id") fills it, drawn at `scale` device pixels per unit.
 */
static bool rig_open(struct rig *r, int width, int height, double scale, const char *fields)
{
	memset(r, 0, sizeof(*r));
	char *text = xasprintf("{\"canvas\": {\"width\": %d, \"height\": %d},"
			       " \"grid\": {\"columns\": 1, \"rows\": 1, \"gap\": 0,"
			       " \"margin\": 0},"
			       " \"tiles\": [{\"id\": \"t\", \"cell\": [0, 0], %s}]}",
			       width, height, fields);
	struct diag_list diags;
	diag_list_init(&diags);
	r->layout = layout_parse(text, strlen(text), "charts.json", widget_specs(), &diags);
	for (size_t i = 0; i < diags.count; i++) {
		char *line = diag_format(&diags.items[i]);
		printf("# layout: %s\n", line);
		free(line);
	}
	diag_list_finish(&diags);
	free(text);
	char err[256];
	r->text = text_engine_create(NULL, 0, err, sizeof(err));
	if (!r->layout || !r->text) {
		return false;
	}
	read_palette(&r->layout->theme);
	/* log_once remembers across cases, and every case's tile is called "t". */
	log_once_clear("widget:t");
	r->width = (int)lround(width * scale);
	r->height = (int)lround(height * scale);
	r->board = board_create(r->layout, r->text);
	r->frame = cairo_image_surface_create(CAIRO_FORMAT_RGB24, r->width, r->height);
	board_set_viewport(r->board, r->width, r->height);
	return true;
}

static void rig_close(struct rig *r)
{
	if (r->frame) {
		cairo_surface_destroy(r->frame);
	}
	board_destroy(r->board);
	text_engine_destroy(r->text);
	layout_destroy(r->layout);
}

static void rig_data(struct rig *r, const char *json)
{
	struct snapshot *s = snap(json);
	board_set_snapshot(r->board, 0, s, T0);
	snapshot_unref(s);
}

static void rig_draw(struct rig *r)
{
	size_t n;
	board_invalidate_all(r->board);
	board_draw(r->board, r->frame, T0, &n);
}

/* The tile's widget outside the board, to see what bind() returns and to bind odd values. */
struct direct {
	const struct widget_impl *impl;
	void *state;
};

static struct direct direct_open(const struct rig *r)
{
	struct direct d;
	d.impl = widget_find(r->layout->tiles[0].widget->name);
	d.state = d.impl->create(&r->layout->tiles[0]);
	return d;
}

static void direct_close(struct direct *d)
{
	d->impl->destroy(d->state);
}

static bool direct_bind(const struct rig *r, struct direct *d, const char *json)
{
	struct snapshot *s = snap(json);
	struct source_data src = {.current = s, .data_time = T0};
	struct binding_values values;
	layout_bind_tile(&r->layout->tiles[0], &src, &values);
	bool changed = d->impl->bind(d->state, &values);
	snapshot_unref(s);
	return changed;
}

/* Binds values made by hand (JSON cannot carry NaN), every binding key to its value. */
static bool direct_bind_values(struct direct *d, const char *const *keys,
			       const struct value *const *current, size_t count)
{
	struct snapshot *s = snapshot_create("default");
	struct binding_values values = {.count = count, .data_time = T0};
	for (size_t i = 0; i < count; i++) {
		values.keys[i] = keys[i];
		values.current[i] = current[i];
		values.snapshots[i] = s;
	}
	bool changed = d->impl->bind(d->state, &values);
	snapshot_unref(s);
	return changed;
}

static void direct_draw(struct rig *r, struct direct *d)
{
	cairo_t *cr = cairo_create(r->frame);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_paint(cr);
	struct widget_ctx ctx = {.text = r->text, .theme = &r->layout->theme};
	d->impl->draw(d->state, cr, &r->layout->tiles[0].rect, &ctx, T0);
	cairo_destroy(cr);
}

static uint32_t pixel(const struct rig *r, int x, int y)
{
	if (x < 0 || y < 0 || x >= r->width || y >= r->height) {
		return 0;
	}
	cairo_surface_flush(r->frame);
	const unsigned char *data = cairo_image_surface_get_data(r->frame);
	int stride = cairo_image_surface_get_stride(r->frame);
	return ((const uint32_t *)(data + y * stride))[x] & 0xffffff;
}

static int channel(uint32_t c, int shift)
{
	return (int)((c >> shift) & 0xff);
}

static bool near(uint32_t a, uint32_t b, int tolerance)
{
	for (int shift = 0; shift <= 16; shift += 8) {
		if (abs(channel(a, shift) - channel(b, shift)) > tolerance) {
			return false;
		}
	}
	return true;
}

/* The no-data card is drawn: its fill shows in the padding near the bottom-right corner. */
static bool shows_nodata(const struct rig *r)
{
	return near(pixel(r, r->width - 15, r->height - 15), NODATA_FILL, 2);
}

/* The share of the frame in the no-data card's fill. */
static double nodata_share(const struct rig *r)
{
	long n = 0;
	for (int y = 0; y < r->height; y++) {
		for (int x = 0; x < r->width; x++) {
			n += near(pixel(r, x, y), NODATA_FILL, 2);
		}
	}
	return (double)n / ((double)r->width * r->height);
}

static bool shows_card(const struct rig *r)
{
	return near(pixel(r, r->width - 15, r->height - 15), TILE, 2);
}

/* ---- stderr, to see what was logged ---- */

static int saved_stderr = -1;
static FILE *captured;

static void capture_begin(void)
{
	fflush(stderr);
	captured = tmpfile();
	saved_stderr = dup(2);
	dup2(fileno(captured), 2);
}

/* What was written to stderr since capture_begin (caller frees). */
static char *capture_end(void)
{
	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	long size = ftell(captured);
	char *text = xcalloc(1, (size_t)(size > 0 ? size : 0) + 1);
	rewind(captured);
	if (size > 0 && fread(text, 1, (size_t)size, captured) != (size_t)size) {
		text[0] = '\0';
	}
	fclose(captured);
	return text;
}

/* Binds `json` on the board and returns what was logged. */
static char *logged_by(struct rig *r, const char *json)
{
	capture_begin();
	rig_data(r, json);
	return capture_end();
}

/* ---- scanning pictures ---- */

/* Runs of pixels near `color` along row y (gaps up to `bridge` pixels join runs). */
static int runs_in_row(const struct rig *r, int y, uint32_t color, int tolerance, int bridge,
		       int *first, int *last)
{
	int runs = 0, end = -1000;
	*first = *last = -1;
	for (int x = 0; x < r->width; x++) {
		if (!near(pixel(r, x, y), color, tolerance)) {
			continue;
		}
		if (x - end > bridge + 1) {
			runs++;
		}
		end = x;
		if (*first < 0) {
			*first = x;
		}
		*last = x;
	}
	return runs;
}

static int count_in_row(const struct rig *r, int y, uint32_t color, int tolerance)
{
	int n = 0;
	for (int x = 0; x < r->width; x++) {
		n += near(pixel(r, x, y), color, tolerance);
	}
	return n;
}

/* The longest run of `color` down column x; its first row in *start. */
static int column_run(const struct rig *r, int x, uint32_t color, int tolerance, int *start)
{
	int best = 0, run = 0;
	*start = -1;
	for (int y = 0; y < r->height; y++) {
		run = near(pixel(r, x, y), color, tolerance) ? run + 1 : 0;
		if (run > best) {
			best = run;
			*start = y - run + 1;
		}
	}
	return best;
}

/* The row with the most pixels near `color`. */
static int busiest_row(const struct rig *r, uint32_t color, int tolerance)
{
	int best = -1, best_count = 0;
	for (int y = 0; y < r->height; y++) {
		int n = count_in_row(r, y, color, tolerance);
		if (n > best_count) {
			best_count = n;
			best = y;
		}
	}
	return best;
}


/* ---- trend ---- */

#define TREND_LINE "\"widget\": \"trend\", \"title\": \"PM10\", \"value\": \"s\""

/* The line's row (where most accent pixels are) and the runs of the line along it. */
static int line_runs(const struct rig *r, int *first, int *last)
{
	int y = busiest_row(r, ACCENT, 40);
	/* The last reading's dot has a ring of the card's colour: bridge it. */
	return y < 0 ? 0 : runs_in_row(r, y, ACCENT, 40, 8, first, last);
}

static void trend_gaps_break_the_line(void)
{
	/* A flat line with one missing reading in the middle: two pieces, background between. */
	const char *gaps[] = {
		"{\"s\": [10, 10, 10, null, 10, 10, 10]}",
		"{\"s\": [10, 10, 10, \"점검중\", 10, 10, 10]}",
		"{\"s\": [10, 10, 10, true, 10, 10, 10]}",
	};
	for (size_t i = 0; i < sizeof(gaps) / sizeof(gaps[0]); i++) {
		struct rig r;
		CHECK(rig_open(&r, 800, 300, 1, TREND_LINE));
		rig_data(&r, gaps[i]);
		rig_draw(&r);
		int first, last;
		CHECK_INT(line_runs(&r, &first, &last), 2);
		/* Points 0..6 evenly: the gap spans points 2 to 4, a third of the line. */
		int y = busiest_row(&r, ACCENT, 40);
		int middle = (first + last) / 2;
		CHECK(!near(pixel(&r, middle, y), ACCENT, 60));
		int gap = 0;
		for (int x = first; x <= last; x++) {
			gap += !near(pixel(&r, x, y), ACCENT, 40);
		}
		CHECK_NEAR((double)gap / (last - first), 1.0 / 3, 0.05);
		rig_close(&r);
	}
	/* Without the gap: one piece. */
	struct rig r;
	CHECK(rig_open(&r, 800, 300, 1, TREND_LINE));
	rig_data(&r, "{\"s\": [10, 10, 10, 10, 10, 10, 10]}");
	rig_draw(&r);
	int first, last;
	CHECK_INT(line_runs(&r, &first, &last), 1);
	rig_close(&r);
}

static void trend_times_out_of_order_are_gaps(void)
{
	/* A point earlier than the one before it has no place: the line breaks there. */
	struct rig r;
	CHECK(rig_open(&r, 800, 300, 1, TREND_LINE));
	rig_data(&r, "{\"s\": [{\"t\": \"2026-11-25T00:00:00Z\", \"v\": 5},"
		     " {\"t\": \"2026-11-25T01:00:00Z\", \"v\": 5},"
		     " {\"t\": \"2026-11-25T02:00:00Z\", \"v\": 5},"
		     " {\"t\": \"2026-11-25T01:30:00Z\", \"v\": 5},"
		     " {\"t\": \"2026-11-25T03:00:00Z\", \"v\": 5},"
		     " {\"t\": \"2026-11-25T04:00:00Z\", \"v\": 5}]}");
	rig_draw(&r);
	int first, last;
	CHECK_INT(line_runs(&r, &first, &last), 2);
	rig_close(&r);
	/* So does a time that is no time (it would overflow a time_t). */
	CHECK(rig_open(&r, 800, 300, 1, TREND_LINE));
	rig_data(&r, "{\"s\": [{\"t\": 0, \"v\": 5}, {\"t\": 1, \"v\": 5},"
		     " {\"t\": 1e300, \"v\": 5}, {\"t\": 3, \"v\": 5}, {\"t\": 4, \"v\": 5}]}");
	rig_draw(&r);
	CHECK_INT(line_runs(&r, &first, &last), 2);
	rig_close(&r);
}

/* One series written three ways: RFC 3339 text, epoch seconds, epoch milliseconds. */
static const char *const time_forms[] = {
	"{\"s\": [{\"t\": \"2026-11-25T09:00:00+09:00\", \"v\": 1},"
	" {\"t\": \"2026-11-25T10:00:00+09:00\", \"v\": 4},"
	" {\"t\": \"2026-11-25T14:00:00+09:00\", \"v\": 2}]}",
	"{\"s\": [{\"t\": 1795564800, \"v\": 1}, {\"t\": 1795568400, \"v\": 4},"
	" {\"t\": 1795582800, \"v\": 2}]}",
	"{\"s\": [{\"t\": 1795564800000, \"v\": 1}, {\"t\": 1795568400000, \"v\": 4},"
	" {\"t\": 1795582800000, \"v\": 2}]}",
};

static void trend_time_forms_agree(void)
{
	cairo_surface_t *pictures[3];
	for (int i = 0; i < 3; i++) {
		struct rig r;
		CHECK(rig_open(&r, 600, 300, 1, TREND_LINE));
		rig_data(&r, time_forms[i]);
		rig_draw(&r);
		pictures[i] = r.frame;
		r.frame = NULL;
		rig_close(&r);
	}
	for (int i = 1; i < 3; i++) {
		cairo_surface_flush(pictures[i]);
		CHECK(memcmp(cairo_image_surface_get_data(pictures[0]),
			     cairo_image_surface_get_data(pictures[i]),
			     (size_t)cairo_image_surface_get_stride(pictures[0]) * 300) == 0);
	}
	for (int i = 0; i < 3; i++) {
		cairo_surface_destroy(pictures[i]);
	}
}

static void trend_times_set_distances(void)
{
	/* Readings at 09:00, 10:00 and 14:00: the peak (10:00) is a fifth of the way along. */
	struct rig r;
	CHECK(rig_open(&r, 600, 300, 1, TREND_LINE));
	rig_data(&r, time_forms[0]);
	rig_draw(&r);
	int top = r.height, top_x = -1;
	for (int y = 0; y < r.height && top_x < 0; y++) {
		for (int x = 0; x < r.width; x++) {
			if (near(pixel(&r, x, y), ACCENT, 40)) {
				top = y;
				top_x = x;
				break;
			}
		}
	}
	int any_first = r.width, any_last = -1;
	for (int y = 0; y < r.height; y++) {
		int f, l;
		if (runs_in_row(&r, y, ACCENT, 40, 2, &f, &l)) {
			any_first = f < any_first ? f : any_first;
			any_last = l > any_last ? l : any_last;
		}
	}
	CHECK(top < r.height);
	CHECK_NEAR((double)(top_x - any_first) / (any_last - any_first), 0.2, 0.04);
	rig_close(&r);
}

static void trend_bind_reports_changes(void)
{
	struct rig r;
	CHECK(rig_open(&r, 600, 300, 1, TREND_LINE));
	struct direct d = direct_open(&r);
	CHECK(direct_bind(&r, &d, "{\"s\": [1, 2, 3]}"));
	CHECK(!direct_bind(&r, &d, "{\"s\": [1, 2, 3]}"));
	CHECK(!direct_bind(&r, &d, "{\"s\": [1, 2, 3], \"other\": 7, \"seq\": 2}"));
	CHECK(!direct_bind(&r, &d, "{\"s\": [1, \"2\", 3]}")); /* the same number, as text */
	CHECK(direct_bind(&r, &d, "{\"s\": [1, 2, 4]}"));
	CHECK(direct_bind(&r, &d, "{\"s\": [1, null, 4]}"));
	CHECK(!direct_bind(&r, &d, "{\"s\": [1, \"점검중\", 4]}")); /* a gap either way */
	CHECK(direct_bind(&r, &d, "{\"s\": [1, null, 4, 5]}"));
	CHECK(direct_bind(&r, &d, "{\"s\": \"점검중\"}"));
	CHECK(!direct_bind(&r, &d, "{\"s\": \"점검중\"}"));
	CHECK(direct_bind(&r, &d, "{\"s\": []}"));
	CHECK(direct_bind(&r, &d, "{\"s\": [1, 2, 3]}"));
	direct_close(&d);
	rig_close(&r);
}

struct bad_case {
	const char *json;
	const char *logged; // a piece of the log line
};

static void check_bad_data(const char *fields, const struct bad_case *cases, size_t count,
			   const char *good)
{
	for (size_t i = 0; i < count; i++) {
		struct rig r;
		CHECK(rig_open(&r, 600, 300, 1, fields));
		char *log = logged_by(&r, cases[i].json);
		rig_draw(&r);
		if (!shows_nodata(&r) || !strstr(log, cases[i].logged) || !strstr(log, " t: ")) {
			printf("# case %zu: %s\n# logged: %s", i, cases[i].json, log);
		}
		CHECK(shows_nodata(&r));
		CHECK(strstr(log, cases[i].logged) != NULL);
		CHECK(strstr(log, " t: ") != NULL);
		free(log);
		/* Once: the same problem again logs nothing. */
		log = logged_by(&r, cases[i].json);
		CHECK_STR(log, "");
		free(log);
		/* Good data again draws, logs nothing, and a new failure is logged again. */
		log = logged_by(&r, good);
		rig_draw(&r);
		CHECK(shows_card(&r));
		CHECK_STR(log, "");
		free(log);
		/* After good data, a value the widget cannot show at all is not shown: the last
		 * good one stays (per-value last good); bad content of a usable kind is logged. */
		log = logged_by(&r, cases[i].json);
		if (board_tile_holding(r.board, 0)) {
			rig_draw(&r);
			/* The card, not the grey no-data one (its small "as of" badge aside). */
			CHECK(nodata_share(&r) < 0.05);
			CHECK_STR(log, "");
		} else {
			CHECK(strstr(log, cases[i].logged) != NULL);
		}
		free(log);
		rig_close(&r);
	}
}

static void trend_bad_data(void)
{
	static const struct bad_case cases[] = {
		{"{\"other\": 1}", "series is missing"},
		{"{\"s\": \"점검중\"}", "\"점검중\""},
		{"{\"s\": 42}", "keeps no history"},
		{"{\"s\": {\"v\": 1}}", "an object"},
		{"{\"s\": []}", "series is empty"},
		{"{\"s\": [\"점검중\", \"점검중\", null]}", "no numbers among 3 points"},
		{"{\"s\": [null, null]}", "no numbers among 2 points"},
		{"{\"s\": [true, [1]]}", "no numbers"},
		{"{\"s\": [1e300, -1e300]}", "no numbers among 2 points, first: a number 1e+300"},
	};
	check_bad_data(TREND_LINE, cases, sizeof(cases) / sizeof(cases[0]), "{\"s\": [1, 2, 3]}");
}

static void trend_non_finite_numbers(void)
{
	/* JSON cannot carry them, but a value tree can: value_number() refuses them. */
	struct rig r;
	CHECK(rig_open(&r, 600, 300, 1, TREND_LINE));
	struct direct d = direct_open(&r);
	struct value nan_value = {.kind = VALUE_NUMBER, .number = NAN};
	struct value inf_value = {.kind = VALUE_NUMBER, .number = INFINITY};
	struct value ninf_value = {.kind = VALUE_NUMBER, .number = -INFINITY};
	const struct value *items[] = {&nan_value, &inf_value, &ninf_value};
	struct value series = {.kind = VALUE_ARRAY, .array = {items, 3}};
	const char *keys[] = {"value"};
	const struct value *current[] = {&series};
	capture_begin();
	CHECK(direct_bind_values(&d, keys, current, 1));
	char *log = capture_end();
	direct_draw(&r, &d);
	CHECK(shows_nodata(&r));
	CHECK(strstr(log, "no numbers among 3 points") != NULL);
	free(log);
	/* NaN as the whole value. */
	current[0] = &nan_value;
	capture_begin();
	CHECK(direct_bind_values(&d, keys, current, 1));
	log = capture_end();
	direct_draw(&r, &d);
	CHECK(shows_nodata(&r));
	CHECK(strstr(log, "not an array") != NULL);
	free(log);
	direct_close(&d);
	rig_close(&r);
}

/*
 * A series of `count` items: item i is `early` before `from`, else i % 100; or, with a
 * `spike_at`, 0 but for 100 at 0 and at spike_at, and -100 then 100 at spike_at / 2 (a dip and
 * a peak next to each other, in one pixel column).
 */
static char *long_series(size_t count, size_t from, const char *early, size_t spike_at)
{
	size_t cap = count * 12 + 64, len = 0;
	char *json = xmalloc(cap);
	len += (size_t)snprintf(json, cap, "{\"s\": [");
	for (size_t i = 0; i < count; i++) {
		const char *sep = i ? "," : "";
		if (i < from) {
			len += (size_t)snprintf(json + len, cap - len, "%s%s", sep, early);
		} else if (spike_at != (size_t)-1) {
			size_t dip = spike_at / 2;
			int v = i == spike_at || i == 0 || i == dip + 1 ? 100 : i == dip ? -100 : 0;
			len += (size_t)snprintf(json + len, cap - len, "%s%d", sep, v);
		} else {
			len += (size_t)snprintf(json + len, cap - len, "%s%zu", sep, i % 100);
		}
	}
	snprintf(json + len, cap - len, "]}");
	return json;
}

static void trend_huge_series(void)
{
	/* 50,000 points whose first 40,000 are not numbers: only the last 10,000 are read. */
	struct rig r;
	CHECK(rig_open(&r, 800, 300, 1, TREND_LINE));
	char *json = long_series(50000, 40000, "\"x\"", (size_t)-1);
	char *log = logged_by(&r, json);
	rig_draw(&r);
	CHECK(shows_card(&r));
	CHECK(strstr(log, "series has 50000 points; drawing the last 10000") != NULL);
	int first, last;
	CHECK(line_runs(&r, &first, &last) >= 1);
	free(log);
	free(json);
	rig_close(&r);
}

static void trend_peak_survives_decimation(void)
{
	/* 10,000 points on ~700 pixels: the single reading of 100 must still reach the top. */
	struct rig r;
	CHECK(rig_open(&r, 800, 300, 1, TREND_LINE ", \"style\": \"sparkline\""));
	char *json = long_series(10000, 0, "", 6123);
	rig_data(&r, json);
	rig_draw(&r);
	/* The first point is 100 too: the spike's top must be as high as the first point. */
	int first_x = r.width, first_top = -1, spike_top = r.height, dip_bottom = -1;
	for (int y = 0; y < r.height; y++) {
		for (int x = 0; x < r.width; x++) {
			if (!near(pixel(&r, x, y), ACCENT, 40)) {
				continue;
			}
			if (x < first_x) {
				first_x = x;
				first_top = y;
			}
			if (x > r.width * 0.5 && x < r.width * 0.8 && y < spike_top) {
				spike_top = y;
			}
			if (x > r.width * 0.2 && x < r.width * 0.5 && y > dip_bottom) {
				dip_bottom = y;
			}
		}
	}
	CHECK(first_top >= 0);
	CHECK_NEAR(spike_top, first_top, 4);
	/* The dip to -100 goes as far down as the spikes go up from the zero line. */
	int zero = busiest_row(&r, ACCENT, 40);
	CHECK_NEAR((spike_top + dip_bottom) / 2.0, zero, 3);
	free(json);
	rig_close(&r);
}

static void trend_threshold_bands(void)
{
	/* Bands: the strip at the plot's left edge is amber (bad) above 50 and blue below. */
	const char *fields = TREND_LINE ", \"min\": 0, \"max\": 100, \"thresholds\":"
				       " [{\"from\": 0, \"state\": \"good\"},"
				       " {\"from\": 50, \"state\": \"bad\"}]";
	struct rig r;
	CHECK(rig_open(&r, 800, 400, 1, fields));
	rig_data(&r, "{\"s\": [0, 100]}");
	rig_draw(&r);
	/*
	 * The strip is the column with both colours (the header's big number is amber too, and
	 * the line, in the theme's accent, crosses every column).
	 */
	int strip_x = -1, most = 0;
	for (int x = 0; x < r.width; x++) {
		int amber = 0, blue = 0;
		for (int y = 0; y < r.height; y++) {
			amber += near(pixel(&r, x, y), BAD, 60);
			blue += near(pixel(&r, x, y), GOOD, 60);
		}
		int n = amber < blue ? amber : blue;
		if (n > most) {
			most = n;
			strip_x = x;
		}
	}
	CHECK(strip_x > 0 && strip_x < r.width / 3);
	int amber_first, amber_length = column_run(&r, strip_x, BAD, 60, &amber_first);
	int blue_first, blue_length = column_run(&r, strip_x, GOOD, 60, &blue_first);
	CHECK(amber_length > 40);
	/* Touching, amber above blue; 100..50 and 50..0 equally tall (the line adds to blue). */
	CHECK_NEAR(amber_first + amber_length, blue_first, 2);
	CHECK_NEAR(amber_length, blue_length, 5);
	/* Faint: inside the plot the bad band is only a tint of the card. */
	uint32_t inside = pixel(&r, strip_x + 60, amber_first + amber_length / 2 + 3);
	CHECK(channel(inside, 16) > channel(TILE, 16) && channel(inside, 16) < 0x40);
	rig_close(&r);
}

static void trend_target_line(void)
{
	/* A dashed line across the plot at its value, and nothing else changes. */
	struct rig r;
	cairo_surface_t *plain;
	CHECK(rig_open(&r, 800, 400, 1, TREND_LINE));
	rig_data(&r, "{\"s\": [100, 75, 50, 25, 0]}");
	rig_draw(&r);
	plain = r.frame;
	r.frame = NULL;
	rig_close(&r);
	CHECK(rig_open(&r, 800, 400, 1, TREND_LINE ", \"target\": 75, \"target_label\": \"T\""));
	rig_data(&r, "{\"s\": [100, 75, 50, 25, 0]}");
	rig_draw(&r);
	cairo_surface_flush(plain);
	const unsigned char *a = cairo_image_surface_get_data(plain);
	int stride = cairo_image_surface_get_stride(plain);
	int top = r.height, bottom = -1, best_row = -1, best = 0;
	for (int y = 0; y < r.height; y++) {
		int n = 0;
		for (int x = 0; x < r.width; x++) {
			uint32_t was = ((const uint32_t *)(a + y * stride))[x] & 0xffffff;
			n += was != pixel(&r, x, y);
		}
		if (n) {
			top = y < top ? y : top;
			bottom = y;
		}
		if (n > best) {
			best = n;
			best_row = y;
		}
	}
	/* The line and its label only: a narrow band of rows, the line across most of the width. */
	CHECK(bottom - top < 40);
	CHECK(best > r.width / 3);
	/* Dashed: along its row, what changed comes and goes. */
	int dashes = 0;
	bool was_on = false;
	for (int x = 0; best_row >= 0 && x < r.width; x++) {
		uint32_t was = ((const uint32_t *)(a + best_row * stride))[x] & 0xffffff;
		bool on = was != pixel(&r, x, best_row);
		dashes += on && !was_on;
		was_on = on;
	}
	CHECK(dashes > 20);
	cairo_surface_destroy(plain);
	rig_close(&r);
}

static void trend_hairlines_are_crisp(void)
{
	/* At a fractional scale gridlines still cover whole device pixels: no half-tone rows. */
	struct rig r;
	CHECK(rig_open(&r, 600, 300, 1.37, TREND_LINE ", \"min\": 0, \"max\": 100"));
	rig_data(&r, "{\"s\": [0, 100]}");
	rig_draw(&r);
	/*
	 * A column near the right. A crisp gridline is one row of exactly the border colour with
	 * no blend of it in the rows beside it.
	 */
	int x = (int)(r.width * 0.9), grid_rows = 0, half_tones = 0;
	for (int y = 3; y < r.height - 3; y++) {
		if (pixel(&r, x, y) != BORDER) {
			continue;
		}
		grid_rows++;
		for (int dy = -1; dy <= 1; dy += 2) {
			uint32_t c = pixel(&r, x, y + dy);
			bool blend = c != TILE && c != BORDER && channel(c, 0) > channel(TILE, 0) &&
				     channel(c, 0) < channel(BORDER, 0);
			if (blend) {
				printf("# half tone %06x at %d,%d\n", c, x, y + dy);
			}
			half_tones += blend;
		}
	}
	CHECK(grid_rows >= 3);
	CHECK_INT(half_tones, 0);
	rig_close(&r);
}

/* ---- the shared chart helpers ---- */

static void chart_path_keeps_column_extremes(void)
{
	/* 1,000 points over 10 device columns, a gap after point 500: per column at most four
	 * points remain, among them the column's first, last, lowest and highest. */
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 16, 16);
	cairo_t *cr = cairo_create(s);
	struct chart_path path;
	chart_path_begin(&path, cr, CHART_PATH_LINE, 0, 0);
	double ys[1000];
	for (int i = 0; i < 1000; i++) {
		ys[i] = (i * 37) % 101 + (i % 100 == 50 ? 500 : 0);
		if (i == 500) {
			chart_path_gap(&path);
			continue;
		}
		chart_path_point(&path, i * 0.01, ys[i]);
	}
	chart_path_end(&path);
	cairo_path_t *p = cairo_copy_path(cr);
	int moves = 0, kept[10] = {0};
	double lo[10], hi[10];
	bool first_kept[10] = {false}, last_kept[10] = {false};
	for (int c = 0; c < 10; c++) {
		lo[c] = INFINITY;
		hi[c] = -INFINITY;
	}
	for (int i = 0; i < p->num_data; i += p->data[i].header.length) {
		moves += p->data[i].header.type == CAIRO_PATH_MOVE_TO;
		double x = p->data[i + 1].point.x, y = p->data[i + 1].point.y;
		int c = (int)floor(x);
		if (c < 0 || c >= 10) {
			continue;
		}
		kept[c]++;
		lo[c] = fmin(lo[c], y);
		hi[c] = fmax(hi[c], y);
		/* cairo keeps path coordinates in 24.8 fixed point. */
		first_kept[c] |= fabs(x - c) < 0.004;
		last_kept[c] |= fabs(x - (c + 0.99)) < 0.004;
	}
	CHECK_INT(moves, 2);
	for (int c = 0; c < 10; c++) {
		double want_lo = INFINITY, want_hi = -INFINITY;
		for (int i = c * 100; i < c * 100 + 100; i++) {
			if (i != 500) {
				want_lo = fmin(want_lo, ys[i]);
				want_hi = fmax(want_hi, ys[i]);
			}
		}
		CHECK(kept[c] >= 2 && kept[c] <= 4 + (c == 5));
		CHECK_NEAR(lo[c], want_lo, 1e-9);
		CHECK_NEAR(hi[c], want_hi, 1e-9);
		CHECK(first_kept[c] || c == 5);
		CHECK(last_kept[c]);
	}
	cairo_path_destroy(p);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
}

static void chart_axis_steps_are_round(void)
{
	struct chart_axis a = chart_axis_nice(45, 104, 4);
	CHECK_NEAR(a.lo, 40, 1e-9);
	CHECK_NEAR(a.hi, 120, 1e-9);
	CHECK_NEAR(a.step, 20, 1e-9);
	a = chart_axis_nice(17.6, 24.9, 2);
	CHECK_NEAR(a.step, 5, 1e-9);
	CHECK_NEAR(a.lo, 15, 1e-9);
	CHECK_NEAR(a.hi, 25, 1e-9);
	a = chart_axis_nice(10, 10, 4); /* a flat series still gets a range */
	CHECK(a.lo < 10 && a.hi > 10);
	a = chart_axis_nice(0, 0, 4);
	CHECK(a.lo < 0 && a.hi > 0);
	CHECK_INT(chart_axis_decimals(20), 0);
	CHECK_INT(chart_axis_decimals(2.5), 1);
	CHECK_INT(chart_axis_decimals(0.25), 2);
	CHECK_INT(chart_axis_decimals(0.1), 1);
	char buf[64];
	chart_format_value(1234.5, 1, true, "㎍/㎥", buf, sizeof(buf));
	CHECK_STR(buf, "1,234.5 ㎍/㎥");
	chart_format_value(88, -1, true, "", buf, sizeof(buf));
	CHECK_STR(buf, "88");
	/* Cut at a character boundary, never inside 강 (3 bytes). */
	char *cut = chart_copy_text("강남구", 4);
	CHECK_STR(cut, "강");
	free(cut);
}

/* ---- bar ---- */

#define BAR "\"widget\": \"bar\", \"title\": \"bars\", \"value\": \"s\""
#define BAR_STATES ", \"thresholds\": [{\"from\": 0, \"state\": \"good\"}," \
		   " {\"from\": 20, \"state\": \"moderate\"}, {\"from\": 40, \"state\": \"bad\"}]"

struct bars {
	size_t count;
	uint32_t colors[128];
	int lengths[128]; // longest run across the bar
	int starts[128];  // where that run starts, along the bars' axis
};

/* The longest run of `color` along row (or, when `vertical`, column) i. */
static int run_along(const struct rig *r, int i, bool vertical, uint32_t color, int *start)
{
	int n = vertical ? r->height : r->width, best = 0, run = 0;
	*start = -1;
	for (int j = 0; j < n; j++) {
		uint32_t c = vertical ? pixel(r, i, j) : pixel(r, j, i);
		run = near(c, color, 12) ? run + 1 : 0;
		if (run > best) {
			best = run;
			*start = j - run + 1;
		}
	}
	return best;
}

/*
 * The bars drawn, in order from the top (or from the left): each row (column) whose longest
 * run of one of `palette` passes `min_run` belongs to a bar; bars are separated by rows without.
 */
static struct bars find_bars(const struct rig *r, bool vertical, const uint32_t *palette,
			     size_t colors, int min_run)
{
	struct bars b = {0};
	bool in_bar = false;
	int n = vertical ? r->width : r->height;
	for (int i = 0; i < n; i++) {
		int best = 0, start = -1;
		uint32_t color = 0;
		for (size_t k = 0; k < colors; k++) {
			int s, len = run_along(r, i, vertical, palette[k], &s);
			if (len > best) {
				best = len;
				start = s;
				color = palette[k];
			}
		}
		bool bar = best >= min_run;
		if (bar && (!in_bar || color != b.colors[b.count - 1]) && b.count < 128) {
			b.colors[b.count] = color;
			b.lengths[b.count] = 0;
			b.count++;
		}
		if (bar && best > b.lengths[b.count - 1]) {
			b.lengths[b.count - 1] = best;
			b.starts[b.count - 1] = start;
		}
		in_bar = bar;
	}
	return b;
}


static struct bars bars_of(const char *fields, const char *json, int width, int height,
			   bool vertical, const uint32_t *palette, size_t colors)
{
	struct rig r;
	struct bars b = {0};
	if (rig_open(&r, width, height, 1, fields)) {
		rig_data(&r, json);
		rig_draw(&r);
		b = find_bars(&r, vertical, palette, colors, 30);
	}
	rig_close(&r);
	return b;
}

#define THREE_RECORDS "{\"s\": [{\"name\": \"a\", \"value\": 10}," \
		      " {\"name\": \"b\", \"value\": 50}, {\"name\": \"c\", \"value\": 30}]}"

static void bar_sorting_and_colours(void)
{
	/* Colours as indexes into state_palette: 0 good, 1 moderate, 2 bad. */
	static const struct {
		const char *sort;
		int colors[3];
		double values[3];
	} cases[] = {
		{"none", {0, 2, 1}, {10, 50, 30}},
		{"descending", {2, 1, 0}, {50, 30, 10}},
		{"ascending", {0, 1, 2}, {10, 30, 50}},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int vertical = 0; vertical < 2; vertical++) {
			char fields[512];
			snprintf(fields, sizeof(fields), BAR BAR_STATES ", \"sort\": \"%s\"%s",
				 cases[i].sort, vertical ? ", \"orientation\": \"vertical\"" : "");
			struct bars b = bars_of(fields, THREE_RECORDS, 600, 400, vertical,
						state_palette, 4);
			if (b.count != 3) {
				printf("# %s %s: %zu bars\n", cases[i].sort,
				       vertical ? "vertical" : "horizontal", b.count);
			}
			CHECK_INT(b.count, 3);
			for (size_t k = 0; k < 3 && b.count == 3; k++) {
				CHECK_INT(b.colors[k], state_palette[cases[i].colors[k]]);
				/* Lengths in proportion to the values (50 is the whole scale). */
				int longest = 0;
				for (size_t j = 0; j < 3; j++) {
					longest = b.lengths[j] > longest ? b.lengths[j] : longest;
				}
				CHECK_NEAR((double)b.lengths[k] / longest, cases[i].values[k] / 50,
					   0.02);
			}
		}
	}
	/* Without thresholds every bar has the theme's accent. */
	struct bars b = bars_of(BAR, THREE_RECORDS, 600, 400, false, accent_palette, 1);
	CHECK_INT(b.count, 3);
}

static void bar_object_of_records(void)
{
	/* Members in document order; the member's key labels a record without a name. */
	const char *fields = BAR ", \"value_field\": \"pm10\", \"thresholds\":"
			     " [{\"from\": 0, \"state\": \"good\"},"
			     " {\"from\": 31, \"state\": \"moderate\"},"
			     " {\"from\": 81, \"state\": \"bad\"}]";
	const char *json = "{\"s\": {\"11680\": {\"name\": \"강남구\", \"pm10\": 91},"
			   " \"11110\": {\"name\": \"종로구\", \"pm10\": 20},"
			   " \"11140\": {\"pm10\": \"점검중\"}, \"11170\": {\"pm10\": 60}}}";
	struct rig r;
	CHECK(rig_open(&r, 600, 400, 1, fields));
	char *log = logged_by(&r, json);
	rig_draw(&r);
	struct bars b = find_bars(&r, false, state_palette, 4, 30);
	CHECK_INT(b.count, 3);
	CHECK_INT(b.colors[0], BAD);
	CHECK_INT(b.colors[1], GOOD);
	CHECK_INT(b.colors[2], MODERATE);
	CHECK(strstr(log, "1 of 4 records have no valid value (first: \"11140\": a string") !=
	      NULL);
	free(log);
	rig_close(&r);
	/* A bare number is a record too: {"강남구": 91, ...}. */
	b = bars_of(BAR BAR_STATES, "{\"s\": {\"a\": 45, \"b\": 5}}", 600, 400, false,
		    state_palette, 4);
	CHECK_INT(b.count, 2);
	CHECK_INT(b.colors[0], BAD);
}

static void bar_negative_counts(void)
{
	/* With min 0 a negative count is invalid: its row has no bar, and it is logged. */
	const char *json = "{\"s\": [{\"value\": 12}, {\"value\": -3}, {\"value\": 5}]}";
	struct rig r;
	CHECK(rig_open(&r, 600, 400, 1, BAR ", \"min\": 0"));
	char *log = logged_by(&r, json);
	rig_draw(&r);
	struct bars b = find_bars(&r, false, accent_palette, 1, 30);
	CHECK_INT(b.count, 2);
	CHECK(shows_card(&r));
	CHECK(strstr(log, "1 of 3 records have no valid value (first: \"#2\": -3 below min 0)") !=
	      NULL);
	free(log);
	rig_close(&r);
	/* Without min, a negative value is a bar to the left of zero. */
	CHECK(rig_open(&r, 600, 400, 1, BAR));
	log = logged_by(&r, json);
	rig_draw(&r);
	b = find_bars(&r, false, accent_palette, 1, 10);
	CHECK_INT(b.count, 3);
	CHECK(b.starts[1] < b.starts[0] && b.starts[1] < b.starts[2]);
	CHECK_NEAR(b.starts[1] + b.lengths[1], b.starts[0], 2);
	CHECK_STR(log, "");
	free(log);
	rig_close(&r);
}

/* {"s": [{"name": "r0", "value": 1}, ...] with `count` records. */
static char *many_records(size_t count)
{
	size_t cap = count * 40 + 64, len = 0;
	char *json = xmalloc(cap);
	len += (size_t)snprintf(json, cap, "{\"s\": [");
	for (size_t i = 0; i < count; i++) {
		len += (size_t)snprintf(json + len, cap - len,
					"%s{\"name\": \"r%zu\", \"value\": %zu}", i ? "," : "", i,
					i % 97 + 1);
	}
	snprintf(json + len, cap - len, "]}");
	return json;
}

static void bar_max_bars_and_huge_input(void)
{
	char *json = many_records(30);
	CHECK_INT(bars_of(BAR, json, 600, 600, false, accent_palette, 1).count, 12);
	CHECK_INT(bars_of(BAR ", \"max_bars\": 5", json, 600, 600, false, accent_palette, 1).count,
		  5);
	free(json);
	/* 20,000 records: the first 10,000 are read, 12 drawn, and that is logged. */
	json = many_records(20000);
	struct rig r;
	CHECK(rig_open(&r, 600, 600, 1, BAR ", \"sort\": \"descending\""));
	char *log = logged_by(&r, json);
	rig_draw(&r);
	CHECK_INT(find_bars(&r, false, accent_palette, 1, 30).count, 12);
	CHECK(strstr(log, "20000 records; reading the first 10000") != NULL);
	free(log);
	free(json);
	rig_close(&r);
}

static void bar_bind_reports_changes(void)
{
	struct rig r;
	CHECK(rig_open(&r, 600, 300, 1, BAR ", \"max_bars\": 2, \"sort\": \"descending\""));
	struct direct d = direct_open(&r);
	CHECK(direct_bind(&r, &d, THREE_RECORDS));
	CHECK(!direct_bind(&r, &d, THREE_RECORDS));
	/* The record not shown (a=10) changes: the bars do not, only "+1 more" stays. */
	CHECK(!direct_bind(&r, &d, "{\"s\": [{\"name\": \"a\", \"value\": 11}, {\"name\": \"b\","
				   " \"value\": 50}, {\"name\": \"c\", \"value\": 30}]}"));
	CHECK(direct_bind(&r, &d, "{\"s\": [{\"name\": \"a\", \"value\": 11}, {\"name\": \"b\","
				  " \"value\": 50}, {\"name\": \"c\", \"value\": 31}]}"));
	CHECK(direct_bind(&r, &d, "{\"s\": [{\"name\": \"a\", \"value\": 11}, {\"name\": \"B\","
				  " \"value\": 50}, {\"name\": \"c\", \"value\": 31}]}"));
	/* A fourth record: "+2 more". */
	CHECK(direct_bind(&r, &d, "{\"s\": [{\"name\": \"a\", \"value\": 11}, {\"name\": \"B\","
				  " \"value\": 50}, {\"name\": \"c\", \"value\": 31},"
				  " {\"value\": 1}]}"));
	CHECK(direct_bind(&r, &d, "{\"s\": \"점검중\"}"));
	CHECK(!direct_bind(&r, &d, "{\"s\": \"점검중\"}"));
	direct_close(&d);
	rig_close(&r);
}

static void bar_bad_data(void)
{
	static const struct bad_case cases[] = {
		{"{\"other\": 1}", "records are missing"},
		{"{\"s\": \"점검중\"}", "records are a string \"점검중\""},
		{"{\"s\": 42}", "not an array or object"},
		{"{\"s\": []}", "no records"},
		{"{\"s\": {}}", "no records"},
		{"{\"s\": [{\"value\": \"점검중\"}, {\"value\": null}, {\"name\": \"x\"}]}",
		 "no valid value among 3 records (first: \"#1\": a string \"점검중\")"},
		{"{\"s\": [\"-\", true]}", "no valid value among 2 records"},
		{"{\"s\": [{\"value\": 1e300}]}", "(first: \"#1\": a number 1e+300)"},
	};
	check_bad_data(BAR, cases, sizeof(cases) / sizeof(cases[0]), THREE_RECORDS);
	static const struct bad_case negative[] = {
		{"{\"s\": [{\"name\": \"망원역\", \"value\": -3}, {\"value\": -1}]}",
		 "\"망원역\": -3 below min 0"},
	};
	check_bad_data(BAR ", \"min\": 0", negative, 1, THREE_RECORDS);
}

static void bar_non_finite_numbers(void)
{
	struct rig r;
	CHECK(rig_open(&r, 600, 300, 1, BAR));
	struct direct d = direct_open(&r);
	struct value nan_value = {.kind = VALUE_NUMBER, .number = NAN};
	struct value inf_value = {.kind = VALUE_NUMBER, .number = INFINITY};
	struct member members[] = {{"value", &nan_value}};
	struct value record = {.kind = VALUE_OBJECT, .object = {members, 1}};
	const struct value *items[] = {&record, &inf_value};
	struct value records = {.kind = VALUE_ARRAY, .array = {items, 2}};
	const char *keys[] = {"value"};
	const struct value *current[] = {&records};
	capture_begin();
	CHECK(direct_bind_values(&d, keys, current, 1));
	char *log = capture_end();
	direct_draw(&r, &d);
	CHECK(shows_nodata(&r));
	CHECK(strstr(log, "no valid value among 2 records (first: \"#1\": a number nan)") != NULL);
	free(log);
	direct_close(&d);
	rig_close(&r);
}

static void bar_edges_are_crisp(void)
{
	/* At a fractional scale a bar's edges lie on device pixels: no blended rim rows. */
	struct rig r;
	CHECK(rig_open(&r, 600, 300, 1.37, BAR));
	rig_data(&r, THREE_RECORDS);
	rig_draw(&r);
	struct bars b = find_bars(&r, false, accent_palette, 1, 30);
	CHECK_INT(b.count, 3);
	/* Just inside the bars' common start: every pixel is a bar, a track or the card. */
	int x = b.starts[0] + 3, rims = 0, bar_rows = 0, top = -1, bottom = -1;
	for (int y = 0; y < r.height; y++) {
		if (pixel(&r, x, y) == ACCENT) {
			top = top < 0 ? y : top;
			bottom = y;
		}
	}
	for (int y = top - 3; top >= 0 && y <= bottom + 3; y++) {
		uint32_t c = pixel(&r, x, y);
		bar_rows += c == ACCENT;
		bool blend = c != ACCENT && channel(c, 8) > channel(BORDER, 8) + 8;
		rims += blend;
	}
	CHECK(bar_rows > 30);
	CHECK_INT(rims, 0);
	rig_close(&r);
}

static void bar_real_bike_sample(void)
{
	/* Seoul's bike API as it really answers: every number a string. Skipped without it. */
	const char *root = getenv("CITYWALL_SOURCE_ROOT");
	char *path = xasprintf("%s/../shared/data/samples/seoul-bikelist-sample.json",
			       root ? root : ".");
	char *json = NULL, err[256];
	size_t len;
	if (!file_read_all(path, 1 << 20, &json, &len, err, sizeof(err))) {
		printf("# skipped: %s\n", err);
		free(path);
		return;
	}
	const char *fields = "\"widget\": \"bar\", \"value\": \"rentBikeStatus/row\","
			     " \"label_field\": \"stationName\","
			     " \"value_field\": \"parkingBikeTotCnt\","
			     " \"sort\": \"descending\", \"min\": 0";
	struct bars b = bars_of(fields, json, 600, 400, false, accent_palette, 1);
	/* 5 stations with 3, 1, 4, 2 and 7 bikes: the longest first, 7 : 4 : 3 : 2 : 1. */
	CHECK_INT(b.count, 5);
	static const double expected[] = {7, 4, 3, 2, 1};
	for (size_t i = 0; i < 5 && b.count == 5; i++) {
		CHECK_NEAR((double)b.lengths[i] / b.lengths[0], expected[i] / 7, 0.03);
	}
	free(json);
	free(path);
}

/* ---- gauge ---- */

#define GAUGE "\"widget\": \"gauge\", \"title\": \"gauge\", \"value\": \"v\""
#define GAUGE_RATIO "\"widget\": \"gauge\", \"title\": \"ratio\", \"numerator\": \"n\"," \
		    " \"denominator\": \"d\""

/* Where a dial is, found from the pixels of a full arc. */
struct dial_found {
	double cx, cy, outer, thickness;
	double start, sweep;
};

/* Finds the dial from a gauge at 100%: the accent arc's bounding box and thickness. */
static bool find_dial(struct rig *r, bool half, struct dial_found *d)
{
	int left = r->width, right = -1, top = r->height, bottom = -1;
	for (int y = 0; y < r->height; y++) {
		for (int x = 0; x < r->width; x++) {
			if (near(pixel(r, x, y), ACCENT, 16)) {
				left = x < left ? x : left;
				right = x > right ? x : right;
				top = y < top ? y : top;
				bottom = y > bottom ? y : bottom;
			}
		}
	}
	if (right < 0) {
		return false;
	}
	d->cx = (left + right + 1) / 2.0;
	d->outer = (right + 1 - left) / 2.0;
	d->cy = half ? bottom + 1 : (top + bottom + 1) / 2.0;
	int start;
	d->thickness = column_run(r, (int)d->cx, ACCENT, 16, &start);
	d->start = half ? M_PI : -M_PI / 2;
	d->sweep = half ? M_PI : 2 * M_PI;
	return true;
}

static uint32_t on_arc(const struct rig *r, const struct dial_found *d, double share,
		       double radius)
{
	double a = d->start + d->sweep * share;
	return pixel(r, (int)floor(d->cx + cos(a) * radius), (int)floor(d->cy + sin(a) * radius));
}

/* Checks that the arc is coloured exactly up to `share` and is the track beyond. */
static void check_arc(struct rig *r, const struct dial_found *d, double share, uint32_t color,
		      double tick)
{
	double mid = d->outer - d->thickness / 2;
	int wrong = 0;
	for (double s = 0.01; s < 1; s += 0.01) {
		if (fabs(s - share) < 0.015 || fabs(s - tick) < 0.02) {
			continue; // the arc's anti-aliased end, the target's tick
		}
		uint32_t c = on_arc(r, d, s, mid);
		bool ok = s < share ? near(c, color, 16) : near(c, BORDER, 16);
		if (!ok) {
			printf("# share %.2f at %.2f: %06x\n", share, s, c);
			wrong++;
		}
	}
	CHECK_INT(wrong, 0);
}

static void gauge_arc_is_proportional(void)
{
	for (int half = 0; half < 2; half++) {
		char fields[256];
		snprintf(fields, sizeof(fields), GAUGE ", \"style\": \"%s\"",
			 half ? "half" : "ring");
		struct rig r;
		CHECK(rig_open(&r, 500, 400, 1, fields));
		rig_data(&r, "{\"v\": 100}");
		rig_draw(&r);
		struct dial_found d;
		CHECK(find_dial(&r, half, &d));
		CHECK(d.thickness > 10);
		static const double values[] = {25, 60, 90, 3, 0};
		for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
			char json[64];
			snprintf(json, sizeof(json), "{\"v\": %g}", values[i]);
			rig_data(&r, json);
			rig_draw(&r);
			check_arc(&r, &d, values[i] / 100, ACCENT, -1);
		}
		/* Above max: a full ring (the number says how far). */
		rig_data(&r, "{\"v\": 130}");
		rig_draw(&r);
		check_arc(&r, &d, 1, ACCENT, -1);
		rig_close(&r);
	}
	/* A ratio: 3 of 4 is three quarters; `max` is for values only. */
	struct rig r;
	CHECK(rig_open(&r, 500, 400, 1, GAUGE_RATIO ", \"max\": 10, \"style\": \"ring\""));
	rig_data(&r, "{\"n\": 4, \"d\": 4}");
	rig_draw(&r);
	struct dial_found d;
	CHECK(find_dial(&r, false, &d));
	rig_data(&r, "{\"n\": 3, \"d\": 4}");
	rig_draw(&r);
	check_arc(&r, &d, 0.75, ACCENT, -1);
	rig_close(&r);
	/* max: 45,000 calls is a full ring, 9,000 a fifth of it. */
	CHECK(rig_open(&r, 500, 400, 1, GAUGE ", \"max\": 45000, \"unit\": \"건\""));
	rig_data(&r, "{\"v\": 45000}");
	rig_draw(&r);
	CHECK(find_dial(&r, true, &d));
	rig_data(&r, "{\"v\": 9000}");
	rig_draw(&r);
	check_arc(&r, &d, 0.2, ACCENT, -1);
	rig_close(&r);
}

static void gauge_thresholds_and_target(void)
{
	/* Higher is better: thresholds rise to good. 88.8% is moderate by the thresholds but
	 * misses the target (so bad), 92% good, 70% very bad. */
	const char *fields = GAUGE_RATIO ", \"target\": 90, \"thresholds\": ["
			     "{\"from\": 0, \"state\": \"very_bad\"},"
			     " {\"from\": 80, \"state\": \"bad\"},"
			     " {\"from\": 85, \"state\": \"moderate\"},"
			     " {\"from\": 90, \"state\": \"good\"}]";
	struct rig r;
	CHECK(rig_open(&r, 500, 400, 1, GAUGE_RATIO));
	rig_data(&r, "{\"n\": 1, \"d\": 1}");
	rig_draw(&r);
	struct dial_found d;
	CHECK(find_dial(&r, true, &d));
	rig_close(&r);
	CHECK(rig_open(&r, 500, 400, 1, fields));
	/* Colours as indexes into state_palette: 0 good, 1 moderate, 2 bad, 3 very bad. */
	static const struct {
		const char *json;
		double share;
		int color;
	} cases[] = {
		/* 88.8% misses the target of 90: "bad", not the thresholds' "moderate". */
		{"{\"n\": 5012, \"d\": 5646}", 5012.0 / 5646, 2},
		{"{\"n\": 92, \"d\": 100}", 0.92, 0},
		{"{\"n\": 7, \"d\": 10}", 0.7, 3},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rig_data(&r, cases[i].json);
		rig_draw(&r);
		check_arc(&r, &d, cases[i].share, state_palette[cases[i].color], 0.9);
		/* The target: a tick across the ring at 90%, standing out of it. */
		double tip = d.outer + d.thickness * 0.05;
		CHECK(near(on_arc(&r, &d, 0.9, tip), TEXT, 40));
		CHECK(!near(on_arc(&r, &d, 0.8, tip), TEXT, 40));
	}
	rig_close(&r);
}

/* Pixels of the whole frame within `tolerance` of `color`. */
static int pixels_of(const struct rig *r, uint32_t color, int tolerance)
{
	int n = 0;
	for (int y = 0; y < r->height; y++) {
		n += count_in_row(r, y, color, tolerance);
	}
	return n;
}

/* The state colours a tile shows: bit 0 good, 1 moderate, 2 bad, 3 very bad (>= 40 pixels). */
static int states_drawn(const char *fields, const char *json)
{
	struct rig r;
	int seen = 0;
	if (rig_open(&r, 500, 400, 1, fields)) {
		rig_data(&r, json);
		rig_draw(&r);
		for (int i = 0; i < 4; i++) {
			seen |= (pixels_of(&r, state_palette[i], 6) >= 40) << i;
		}
	}
	rig_close(&r);
	return seen;
}

#define GOLDEN_STEPS "\"thresholds\": [{\"from\": 0, \"state\": \"very_bad\"}," \
	" {\"from\": 80, \"state\": \"bad\"}, {\"from\": 85, \"state\": \"moderate\"}," \
	" {\"from\": 90, \"state\": \"good\"}]"

/*
 * Issue 12: "a rate below its target is never drawn in the good colour" (the demo board's
 * 88.9% against 90% was green). A kpi and a gauge at 88.9 with a target of 90 draw "bad" (1 <<
 * 2), never good or moderate (which reads as good in the dark theme); without the target the
 * thresholds' moderate shows, and with "better": "down" 88.9 meets a target of 90.
 */
static void kpi_and_gauge_below_target_never_good(void)
{
	const char *kpi = "\"widget\": \"kpi\", \"title\": \"rate\", \"value\": \"v\", "
			  "\"unit\": \"%\", \"decimals\": 1, " GOLDEN_STEPS;
	char *with_target = xasprintf("%s, \"better\": \"up\", \"target\": 90", kpi);
	char *down = xasprintf("%s, \"better\": \"down\", \"target\": 90", kpi);
	char *no_better = xasprintf("%s, \"target\": 90", kpi);
	CHECK_INT(states_drawn(with_target, "{\"v\": 88.9}"), 1 << 2);
	CHECK_INT(states_drawn(no_better, "{\"v\": 88.9}"), 1 << 2);
	CHECK_INT(states_drawn(kpi, "{\"v\": 88.9}"), 1 << 1);
	CHECK_INT(states_drawn(down, "{\"v\": 88.9}"), 1 << 1);
	CHECK_INT(states_drawn(with_target, "{\"v\": 90}"), 1 << 0);
	/* A state worse than bad stays as it is. */
	CHECK_INT(states_drawn(with_target, "{\"v\": 70}"), 1 << 3);
	const char *gauge = GAUGE ", " GOLDEN_STEPS;
	char *gauge_target = xasprintf("%s, \"target\": 90", gauge);
	char *gauge_down = xasprintf("%s, \"target\": 90, \"better\": \"down\"", gauge);
	CHECK_INT(states_drawn(gauge_target, "{\"v\": 88.9}"), 1 << 2);
	CHECK_INT(states_drawn(gauge, "{\"v\": 88.9}"), 1 << 1);
	CHECK_INT(states_drawn(gauge_down, "{\"v\": 88.9}"), 1 << 1);
	free(with_target);
	free(down);
	free(no_better);
	free(gauge_target);
	free(gauge_down);
}

static void gauge_bind_reports_changes(void)
{
	struct rig r;
	CHECK(rig_open(&r, 500, 400, 1, GAUGE_RATIO));
	struct direct d = direct_open(&r);
	CHECK(direct_bind(&r, &d, "{\"n\": 5012, \"d\": 5646}"));
	CHECK(!direct_bind(&r, &d, "{\"n\": 5012, \"d\": 5646, \"x\": 1}"));
	CHECK(!direct_bind(&r, &d, "{\"n\": \"5012\", \"d\": 5646}"));
	/* The same ratio from other counts: the counts are drawn, so it is a change. */
	CHECK(direct_bind(&r, &d, "{\"n\": 10024, \"d\": 11292}"));
	CHECK(direct_bind(&r, &d, "{\"n\": 10025, \"d\": 11292}"));
	CHECK(direct_bind(&r, &d, "{\"n\": 1, \"d\": 0}"));
	CHECK(!direct_bind(&r, &d, "{\"n\": 1, \"d\": 0}"));
	CHECK(direct_bind(&r, &d, "{\"n\": 2, \"d\": 0}")); /* the reason changed */
	direct_close(&d);
	rig_close(&r);
	CHECK(rig_open(&r, 500, 400, 1, GAUGE));
	d = direct_open(&r);
	CHECK(direct_bind(&r, &d, "{\"v\": 88.9}"));
	CHECK(!direct_bind(&r, &d, "{\"v\": 88.9}"));
	CHECK(direct_bind(&r, &d, "{\"v\": 89}"));
	CHECK(direct_bind(&r, &d, "{\"v\": \"점검중\"}"));
	direct_close(&d);
	rig_close(&r);
}

static void gauge_bad_data(void)
{
	static const struct bad_case values[] = {
		{"{\"other\": 1}", "value is missing"},
		{"{\"v\": \"점검중\"}", "value is a string \"점검중\", not a number"},
		{"{\"v\": null}", "value is null, not a number"},
		{"{\"v\": [88]}", "value is an array"},
		{"{\"v\": -4.5}", "value -4.5 is negative"},
		{"{\"v\": 1e300}", "value 1e+300 is not finite or out of range"},
	};
	check_bad_data(GAUGE, values, sizeof(values) / sizeof(values[0]), "{\"v\": 50}");
	static const struct bad_case ratios[] = {
		{"{\"n\": 0, \"d\": 0}", "denominator is 0"},
		{"{\"n\": 5, \"d\": 0}", "denominator is 0"},
		{"{\"n\": 812, \"d\": 640}", "numerator 812 exceeds denominator 640"},
		{"{\"n\": -1, \"d\": 640}", "negative count"},
		{"{\"n\": \"점검중\", \"d\": 640}", "numerator is a string \"점검중\""},
		{"{\"n\": 5}", "denominator is missing"},
	};
	check_bad_data(GAUGE_RATIO, ratios, sizeof(ratios) / sizeof(ratios[0]),
		       "{\"n\": 1, \"d\": 2}");
}

static void gauge_unbound_and_non_finite(void)
{
	/* Neither value nor numerator and denominator: no data, said once. */
	struct rig r;
	capture_begin();
	CHECK(rig_open(&r, 500, 400, 1, "\"widget\": \"gauge\", \"numerator\": \"n\""));
	rig_data(&r, "{\"n\": 1}");
	rig_data(&r, "{\"n\": 2}");
	char *log = capture_end();
	rig_draw(&r);
	CHECK(shows_nodata(&r));
	const char *said = strstr(log, "bind value, or numerator and denominator");
	CHECK(said != NULL);
	CHECK(said == NULL || strstr(said + 1, "bind value") == NULL);
	free(log);
	rig_close(&r);

	/* NaN and infinities, which value_number() refuses. */
	CHECK(rig_open(&r, 500, 400, 1, GAUGE_RATIO));
	struct direct d = direct_open(&r);
	struct value nan_value = {.kind = VALUE_NUMBER, .number = NAN};
	struct value inf_value = {.kind = VALUE_NUMBER, .number = INFINITY};
	struct value one = {.kind = VALUE_NUMBER, .number = 1};
	const char *keys[] = {"numerator", "denominator"};
	const struct value *current[] = {&one, &inf_value};
	capture_begin();
	CHECK(direct_bind_values(&d, keys, current, 2));
	current[0] = &nan_value;
	current[1] = &one;
	CHECK(direct_bind_values(&d, keys, current, 2));
	log = capture_end();
	direct_draw(&r, &d);
	CHECK(shows_nodata(&r));
	CHECK(strstr(log, "denominator inf is not finite or out of range") != NULL);
	CHECK(strstr(log, "numerator nan is not finite or out of range") != NULL);
	free(log);
	direct_close(&d);
	rig_close(&r);
}

static const struct check_case cases[] = {
	{"trend: gaps break the line", trend_gaps_break_the_line},
	{"trend: points out of time order are gaps", trend_times_out_of_order_are_gaps},
	{"trend: RFC 3339, epoch seconds and milliseconds agree", trend_time_forms_agree},
	{"trend: times set the distances between points", trend_times_set_distances},
	{"trend: bind reports changes of the picture only", trend_bind_reports_changes},
	{"trend: bad data draws no data and is logged once", trend_bad_data},
	{"trend: NaN and infinities are not numbers", trend_non_finite_numbers},
	{"trend: huge series keep their last 10,000 points", trend_huge_series},
	{"trend: a peak survives decimation", trend_peak_survives_decimation},
	{"trend: threshold bands", trend_threshold_bands},
	{"trend: the target line", trend_target_line},
	{"trend: gridlines are crisp at a fractional scale", trend_hairlines_are_crisp},
	{"chart: a decimated path keeps each column's extremes", chart_path_keeps_column_extremes},
	{"chart: round axis steps, value labels, cut text", chart_axis_steps_are_round},
	{"bar: sort orders, lengths and threshold colours", bar_sorting_and_colours},
	{"bar: an object of records in document order", bar_object_of_records},
	{"bar: negative counts under min 0 are invalid", bar_negative_counts},
	{"bar: max_bars and huge inputs", bar_max_bars_and_huge_input},
	{"bar: bind reports changes of the picture only", bar_bind_reports_changes},
	{"bar: bad data draws no data and is logged once", bar_bad_data},
	{"bar: NaN and infinities are not numbers", bar_non_finite_numbers},
	{"bar: edges are crisp at a fractional scale", bar_edges_are_crisp},
	{"bar: Seoul's bike API sample", bar_real_bike_sample},
	{"gauge: the arc is proportional to the value", gauge_arc_is_proportional},
	{"gauge: threshold colours and the target tick", gauge_thresholds_and_target},
	{"gauge: bind reports changes of the picture only", gauge_bind_reports_changes},
	{"kpi and gauge: 88.9 against a target of 90 is never good", kpi_and_gauge_below_target_never_good},
	{"gauge: bad data draws no data and is logged once", gauge_bad_data},
	{"gauge: unbound, NaN and infinities", gauge_unbound_and_non_finite},
};

CHECK_MAIN(cases)
