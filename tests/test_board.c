/*
 * The board's damage tracking: only what changed is redrawn and reported, the rest of the
 * frame stays byte for byte as it was, and steady frames re-rasterise no text.
 */

#include "check.h"
#include "image_compare.h"

#include "app/wall.h"
#include "feed/snapshot_parse.h"
#include "compose/board.h"
#include "render/draw.h"
#include "compose/overlay.h"
#include "widgets/widget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 1795564800.0 /* 2026-11-25T09:00:00+09:00 */

static const char *layout_text =
	"{\"canvas\": {\"width\": 800, \"height\": 400},\n"
	" \"grid\": {\"columns\": 4, \"rows\": 2, \"gap\": 10, \"margin\": 10},\n"
	" \"tiles\": [\n"
	"  {\"id\": \"a\", \"widget\": \"kpi\", \"cell\": [0, 0], \"title\": \"A\", \"value\": \"a\"},\n"
	"  {\"id\": \"b\", \"widget\": \"kpi\", \"cell\": [1, 0], \"title\": \"B\", \"value\": \"b\",\n"
	"   \"thresholds\": [{\"from\": 0, \"state\": \"good\"}, {\"from\": 50, \"state\": \"bad\"}]},\n"
	"  {\"id\": \"note\", \"widget\": \"text\", \"cell\": [2, 0], \"text\": \"고정\"},\n"
	"  {\"id\": \"clock\", \"widget\": \"clock\", \"cell\": [0, 1], \"span\": [2, 1]}\n"
	" ]}\n";

/* The same tiles with the default margin of 24: the status strip's band. */
static const char *banded_layout_text =
	"{\"canvas\": {\"width\": 800, \"height\": 400},\n"
	" \"grid\": {\"columns\": 4, \"rows\": 2, \"gap\": 10, \"margin\": 24},\n"
	" \"tiles\": [\n"
	"  {\"id\": \"a\", \"widget\": \"kpi\", \"cell\": [0, 0], \"title\": \"A\", \"value\": \"a\"},\n"
	"  {\"id\": \"b\", \"widget\": \"kpi\", \"cell\": [1, 1], \"title\": \"B\", \"value\": \"b\"},\n"
	"  {\"id\": \"clock\", \"widget\": \"clock\", \"cell\": [2, 1], \"span\": [2, 1]}\n"
	" ]}\n";

struct fixture {
	struct layout *layout;
	struct text_engine *text;
	struct board *board;
	cairo_surface_t *frame;
};

static struct snapshot *snap(const char *json)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct snapshot *s = snapshot_parse(json, strlen(json), "test", "default", "generated_at", T0, &diags);
	diag_list_finish(&diags);
	return s;
}

static void set_data(struct fixture *f, const char *json)
{
	struct snapshot *s = snap(json);
	board_set_snapshot(f->board, 0, s, T0);
	snapshot_unref(s);
}

static bool setup(struct fixture *f)
{
	struct diag_list diags;
	diag_list_init(&diags);
	f->layout = layout_parse(layout_text, strlen(layout_text), "board.json", widget_specs(),
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
	/* Twice, so that every tile has a previous value and its change line is settled. */
	set_data(f, "{\"a\": 1, \"b\": 10}");
	set_data(f, "{\"a\": 1, \"b\": 10}");
	return true;
}

static void teardown(struct fixture *f)
{
	cairo_surface_destroy(f->frame);
	board_destroy(f->board);
	text_engine_destroy(f->text);
	layout_destroy(f->layout);
}

static cairo_surface_t *copy_of(cairo_surface_t *s)
{
	cairo_surface_t *copy = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 800, 400);
	cairo_t *cr = cairo_create(copy);
	cairo_set_source_surface(cr, s, 0, 0);
	cairo_paint(cr);
	cairo_destroy(cr);
	return copy;
}

static bool same_rect(struct irect a, struct irect b)
{
	return a.x == b.x && a.y == b.y && a.w == b.w && a.h == b.h;
}

static void first_frame_is_full(void)
{
	struct fixture f = {0};
	CHECK(setup(&f));
	size_t n;
	const struct irect *damage = board_draw(f.board, f.frame, T0, &n);
	CHECK_INT(n, 1);
	CHECK(same_rect(damage[0], (struct irect){0, 0, 800, 400}));
	CHECK(!board_is_dirty(f.board));
	board_draw(f.board, f.frame, T0, &n);
	CHECK_INT(n, 0);
	teardown(&f);
}

static void new_value_redraws_only_its_tile(void)
{
	struct fixture f = {0};
	CHECK(setup(&f));
	size_t n;
	board_draw(f.board, f.frame, T0, &n);
	cairo_surface_t *before = copy_of(f.frame);

	set_data(&f, "{\"a\": 1, \"b\": 75}");
	CHECK(board_is_dirty(f.board));
	const struct irect *damage = board_draw(f.board, f.frame, T0, &n);
	CHECK_INT(n, 1);
	struct irect b = board_tile_rect(f.board, (size_t)board_find_tile(f.board, "b"));
	CHECK(same_rect(damage[0], b));

	/* Pixels changed inside b's rectangle only. */
	cairo_surface_t *diff = NULL;
	struct image_diff d = image_compare(before, f.frame, 0, &diff);
	CHECK(d.differing > 0);
	if (diff) {
		unsigned char *data = cairo_image_surface_get_data(diff);
		int stride = cairo_image_surface_get_stride(diff);
		long outside = 0;
		for (int y = 0; y < 400; y++) {
			for (int x = 0; x < 800; x++) {
				bool inside = x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h;
				uint32_t px = ((uint32_t *)(data + y * stride))[x];
				outside += !inside && px == 0xffff0000u;
			}
		}
		CHECK_INT(outside, 0);
		cairo_surface_destroy(diff);
	}
	cairo_surface_destroy(before);
	teardown(&f);
}

static void same_values_redraw_nothing(void)
{
	struct fixture f = {0};
	CHECK(setup(&f));
	size_t n;
	board_draw(f.board, f.frame, T0, &n);
	set_data(&f, "{\"a\": 1, \"b\": 10, \"unrelated\": [1, 2, 3]}");
	CHECK(!board_is_dirty(f.board));
	board_draw(f.board, f.frame, T0, &n);
	CHECK_INT(n, 0);
	teardown(&f);
}

static void clock_tick_redraws_the_clock(void)
{
	struct fixture f = {0};
	CHECK(setup(&f));
	size_t n;
	board_draw(f.board, f.frame, T0 + 0.25, &n);
	CHECK_NEAR(board_next_deadline(f.board), T0 + 1, 1e-9);
	board_advance(f.board, T0 + 0.9);
	CHECK(!board_is_dirty(f.board));
	board_advance(f.board, T0 + 1);
	const struct irect *damage = board_draw(f.board, f.frame, T0 + 1, &n);
	CHECK_INT(n, 1);
	struct irect clock = board_tile_rect(f.board, (size_t)board_find_tile(f.board, "clock"));
	CHECK(same_rect(damage[0], clock));
	teardown(&f);
}

static void steady_frames_reuse_text(void)
{
	struct fixture f = {0};
	CHECK(setup(&f));
	size_t n;
	board_draw(f.board, f.frame, T0, &n);
	board_invalidate_all(f.board);
	board_draw(f.board, f.frame, T0, &n);
	struct text_stats before = text_engine_stats(f.text);
	board_invalidate_all(f.board);
	board_draw(f.board, f.frame, T0, &n);
	struct text_stats after = text_engine_stats(f.text);
	CHECK_INT(after.misses - before.misses, 0);
	CHECK(after.hits > before.hits);
	teardown(&f);
}

static void overlay_messages_redraw_all(void)
{
	struct fixture f = {0};
	CHECK(setup(&f));
	size_t n;
	board_draw(f.board, f.frame, T0, &n);
	const char *messages[] = {"feed.json:1:1: error: unexpected end of file"};
	board_set_messages(f.board, messages, 1);
	const struct irect *damage = board_draw(f.board, f.frame, T0, &n);
	/* A margin of 10 holds no band: the strip covers the bottom of the screen, a line per
	 * message. Its area and the tile under it (the clock), not the whole screen. */
	CHECK_INT((int)f.layout->status_band, 0);
	struct overlay_place place = {.width = 800, .height = 400, .scale = 1};
	struct irect strip_area = overlay_rect(&place, 1);
	struct irect clock = board_tile_rect(f.board, (size_t)board_find_tile(f.board, "clock"));
	CHECK_INT(n, 2);
	CHECK(n >= 2 && same_rect(damage[0], strip_area) && same_rect(damage[1], clock));
	/* The same messages again change nothing. */
	board_set_messages(f.board, messages, 1);
	CHECK(!board_is_dirty(f.board));
	/* The strip is drawn at the bottom in its own colour. */
	unsigned char *data = cairo_image_surface_get_data(f.frame);
	int stride = cairo_image_surface_get_stride(f.frame);
	struct irect strip = overlay_rect(&place, 1);
	CHECK_INT(strip.y, 400 - 46);
	uint32_t edge = ((uint32_t *)(data + (strip.y + 1) * stride))[400];
	CHECK_INT(edge & 0xffffff, 0xff6a3d); /* the very-bad accent */
	uint32_t body = ((uint32_t *)(data + 398 * stride))[400];
	CHECK(((body >> 16) & 0xff) > ((body >> 8) & 0xff));
	/* Cleared: the strip's area is repainted, and the frame is as if it never was. */
	cairo_surface_t *with_strip = copy_of(f.frame);
	board_set_messages(f.board, NULL, 0);
	board_draw(f.board, f.frame, T0, &n);
	CHECK_INT(n, 2);
	struct fixture g = {0};
	CHECK(setup(&g));
	board_draw(g.board, g.frame, T0, &n);
	struct image_diff d = image_compare(f.frame, g.frame, 0, NULL);
	CHECK_INT(d.differing, 0);
	d = image_compare(with_strip, g.frame, 0, NULL);
	CHECK(d.differing > 0);
	cairo_surface_destroy(with_strip);
	teardown(&g);
	teardown(&f);
}

/* Pixels of a and b that differ inside r. */
static long differing_in(cairo_surface_t *a, cairo_surface_t *b, struct irect r)
{
	long count = 0;
	int stride = cairo_image_surface_get_stride(a);
	const unsigned char *pa = cairo_image_surface_get_data(a);
	const unsigned char *pb = cairo_image_surface_get_data(b);
	for (int y = r.y; y < r.y + r.h; y++) {
		for (int x = r.x; x < r.x + r.w; x++) {
			uint32_t va = ((const uint32_t *)(pa + y * stride))[x] & 0xffffff;
			uint32_t vb = ((const uint32_t *)(pb + y * stride))[x] & 0xffffff;
			count += va != vb;
		}
	}
	return count;
}

/*
 * status_strip_leaves_tiles_untouched: a failing source's strip (four of them, the most it
 * lists) sits in its own band; every tile's pixels are what they were without it, and the
 * grid is where it was (the band is reserved whether or not anything fails).
 */
static void status_strip_leaves_tiles_untouched(void)
{
	struct fixture f = {0}, g = {0};
	const char *fixture_layout = layout_text;
	layout_text = banded_layout_text;
	CHECK(setup(&f) && setup(&g));
	layout_text = fixture_layout;
	CHECK_INT((int)f.layout->status_band, 24);
	size_t n;
	board_draw(g.board, g.frame, T0, &n);
	const char *messages[] = {"air: HTTP 500 — failing since 14:02:05; 14:01 기준",
				  "traffic: timeout", "safety: HTTP 404", "city: invalid JSON"};
	board_set_messages(f.board, messages, 4);
	board_draw(f.board, f.frame, T0, &n);
	struct overlay_place place = {.width = 800, .height = 400, .canvas = {0, 0, 800, 400},
				      .scale = 1, .band = f.layout->status_band};
	struct irect strip = overlay_rect(&place, 4);
	CHECK_INT(strip.y, 400 - 24);
	CHECK(differing_in(f.frame, g.frame, strip) > 0);
	for (size_t i = 0; i < board_tile_count(f.board); i++) {
		struct irect tile = board_tile_rect(f.board, i);
		CHECK(tile.y + tile.h <= strip.y);
		CHECK_INT(differing_in(f.frame, g.frame, tile), 0);
	}
	struct irect above = {0, 0, 800, strip.y};
	CHECK_INT(differing_in(f.frame, g.frame, above), 0);
	teardown(&f);
	teardown(&g);
}

static void scale_follows_the_viewport(void)
{
	struct fixture f = {0};
	CHECK(setup(&f));
	struct irect small = board_tile_rect(f.board, 0);
	board_set_viewport(f.board, 1600, 800);
	struct irect big = board_tile_rect(f.board, 0);
	CHECK_NEAR(big.x, small.x * 2, 1);
	CHECK_NEAR(big.w, small.w * 2, 1);
	/* A wider screen letterboxes: the board is centred horizontally. */
	board_set_viewport(f.board, 1000, 400);
	struct irect boxed = board_tile_rect(f.board, 0);
	CHECK_INT(boxed.x, small.x + 100);
	CHECK_INT(boxed.y, small.y);
	teardown(&f);
}

static void stale_data_is_marked(void)
{
	struct fixture f = {0};
	CHECK(setup(&f));
	size_t n;
	board_advance(f.board, T0 + 10);
	board_draw(f.board, f.frame, T0 + 10, &n);
	/* The default max_age is 300 s: the board wakes exactly when the data turns stale. */
	CHECK_NEAR(board_next_deadline(f.board), T0 + 11, 1e-9); /* the clock's tick first */
	board_advance(f.board, T0 + 299.5);
	board_draw(f.board, f.frame, T0 + 299.5, &n);
	CHECK(!board_source_stale(f.board, 0));
	CHECK(board_next_deadline(f.board) <= T0 + 300);
	cairo_surface_t *fresh = copy_of(f.frame);

	board_advance(f.board, T0 + 300);
	CHECK(board_source_stale(f.board, 0));
	const struct irect *damage = board_draw(f.board, f.frame, T0 + 300, &n);
	/* Both bound kpi tiles redraw (and the clock, whose second ticked); the text does not. */
	struct irect a = board_tile_rect(f.board, (size_t)board_find_tile(f.board, "a"));
	struct irect note = board_tile_rect(f.board, (size_t)board_find_tile(f.board, "note"));
	bool a_damaged = false, note_damaged = false;
	for (size_t i = 0; i < n; i++) {
		a_damaged |= same_rect(damage[i], a);
		note_damaged |= same_rect(damage[i], note);
	}
	CHECK(a_damaged);
	CHECK(!note_damaged);
	/* Desaturated: the good (blue) card of tile b has no colour left. */
	struct irect b = board_tile_rect(f.board, (size_t)board_find_tile(f.board, "b"));
	unsigned char *data = cairo_image_surface_get_data(f.frame);
	unsigned char *before = cairo_image_surface_get_data(fresh);
	int stride = cairo_image_surface_get_stride(f.frame);
	uint32_t was = ((uint32_t *)(before + (b.y + 8) * stride))[b.x + b.w / 2] & 0xffffff;
	uint32_t now = ((uint32_t *)(data + (b.y + 8) * stride))[b.x + b.w / 2] & 0xffffff;
	CHECK(((was >> 16) & 0xff) != (was & 0xff));
	CHECK_INT((now >> 16) & 0xff, now & 0xff);
	CHECK_INT((now >> 8) & 0xff, now & 0xff);

	/* New data: fresh again, the treatment goes away. */
	struct snapshot *s = snap("{\"a\": 1, \"b\": 10}");
	board_set_snapshot(f.board, 0, s, T0 + 301);
	snapshot_unref(s);
	board_advance(f.board, T0 + 301);
	CHECK(!board_source_stale(f.board, 0));
	board_draw(f.board, f.frame, T0 + 301, &n);
	uint32_t back = ((uint32_t *)(data + (b.y + 8) * stride))[b.x + b.w / 2] & 0xffffff;
	CHECK_INT(back, was);
	cairo_surface_destroy(fresh);
	teardown(&f);
}

static void set_data_at(struct fixture *f, const char *json, double data_time)
{
	struct snapshot *s = snap(json);
	board_set_snapshot(f->board, 0, s, data_time);
	snapshot_unref(s);
}

/* The colour at the middle of tile `id`'s value line, where the kpi draws its number. */
static uint32_t tile_pixels_hash(struct fixture *f, const char *id)
{
	struct irect r = board_tile_rect(f->board, (size_t)board_find_tile(f->board, id));
	unsigned char *data = cairo_image_surface_get_data(f->frame);
	int stride = cairo_image_surface_get_stride(f->frame);
	uint32_t h = 2166136261u;
	/* The upper two thirds: the title and the value, not the corner badge. */
	for (int y = r.y; y < r.y + r.h * 2 / 3; y++) {
		const uint32_t *row = (const uint32_t *)(data + y * stride);
		for (int x = r.x; x < r.x + r.w; x++) {
			h = (h ^ (row[x] & 0xffffff)) * 16777619u;
		}
	}
	return h;
}

static void wrong_type_keeps_last_good_value(void)
{
	struct fixture f = {0};
	CHECK(setup(&f));
	size_t n;
	size_t a = (size_t)board_find_tile(f.board, "a");
	board_advance(f.board, T0 + 10);
	board_draw(f.board, f.frame, T0 + 10, &n);
	uint32_t good = tile_pixels_hash(&f, "a");

	/* feedsim's wrong_types: a number turned into a word the kpi cannot show. */
	set_data_at(&f, "{\"a\": \"점검중\", \"b\": 10}", T0 + 20);
	board_advance(f.board, T0 + 20);
	CHECK(board_tile_holding(f.board, a));
	CHECK(!board_tile_holding(f.board, (size_t)board_find_tile(f.board, "b")));
	/* The tile is as old as the value it keeps, not as the document. */
	CHECK_NEAR(board_tile_data_time(f.board, a), T0, 1e-9);
	CHECK(!board_tile_stale(f.board, a));
	board_draw(f.board, f.frame, T0 + 20, &n);
	CHECK(tile_pixels_hash(&f, "a") == good);
	teardown(&f);
}

static void missing_path_keeps_last_good_value(void)
{
	struct fixture f = {0};
	CHECK(setup(&f));
	size_t a = (size_t)board_find_tile(f.board, "a");
	set_data_at(&f, "{\"b\": 10}", T0 + 20);
	CHECK(board_tile_holding(f.board, a));
	set_data_at(&f, "{\"a\": null, \"b\": 10}", T0 + 30);
	CHECK(board_tile_holding(f.board, a));
	/* A good reading again: the kept value is let go. */
	set_data_at(&f, "{\"a\": 2, \"b\": 10}", T0 + 40);
	CHECK(!board_tile_holding(f.board, a));
	CHECK_NEAR(board_tile_data_time(f.board, a), T0 + 40, 1e-9);
	teardown(&f);
}

static void never_satisfied_binding_shows_no_data(void)
{
	struct fixture f = {0};
	CHECK(setup(&f));
	size_t b = (size_t)board_find_tile(f.board, "b");
	struct board *fresh = board_create(f.layout, f.text);
	struct snapshot *s = snap("{\"a\": 1, \"b\": \"점검중\"}");
	board_set_snapshot(fresh, 0, s, T0);
	snapshot_unref(s);
	CHECK(!board_tile_holding(fresh, b));
	board_destroy(fresh);
	teardown(&f);
}

static void kept_value_turns_stale_at_max_age(void)
{
	struct fixture f = {0};
	CHECK(setup(&f));
	size_t n;
	size_t a = (size_t)board_find_tile(f.board, "a");
	/* The documents keep coming (the source is fresh) but tile a's value is from T0. */
	set_data_at(&f, "{\"a\": [], \"b\": 10}", T0 + 200);
	board_advance(f.board, T0 + 200);
	board_draw(f.board, f.frame, T0 + 200, &n);
	CHECK(board_next_deadline(f.board) <= T0 + 300);
	board_advance(f.board, T0 + 300);
	CHECK(!board_source_stale(f.board, 0));
	CHECK(board_tile_stale(f.board, a));
	CHECK(!board_tile_stale(f.board, (size_t)board_find_tile(f.board, "b")));
	teardown(&f);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/*
 * A save with a broken "pages" value once freed the default page twice and took the wall down
 * (the screen went blank). Each such save must fail the reload, keep the old layout and name
 * the error on the overlay.
 */
static void pages_bad_value_reload_keeps_layout(void)
{
	const char *build = getenv("CITYWALL_BUILD_ROOT");
	char path[4096];
	snprintf(path, sizeof(path), "%s/reload-pages.json", build ? build : ".");
	write_file(path, layout_text);
	struct wall wall;
	struct wall_options options = {.layout_file = path, .clock = {.fixed = true, .at = T0}};
	bool opened = wall_open(&wall, &options);
	CHECK(opened);
	if (!opened) {
		return;
	}
	char many[64 * 16 + 64] = "{\"pages\": [{\"tiles\": []}";
	for (int i = 1; i < 65; i++) {
		strcat(many, ", {\"tiles\": []}");
	}
	strcat(many, "]}\n");
	const struct {
		const char *text, *message;
	} cases[] = {
		{"{\"pages\": {}}\n", "/pages: must be an array of 1 to 64 pages, got an object"},
		{"{\"pages\": []}\n", "/pages: must be an array of 1 to 64 pages, got 0"},
		{many, "/pages: must be an array of 1 to 64 pages, got 65"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct layout *before = wall.layout;
		write_file(path, cases[i].text);
		CHECK(!wall_reload(&wall));
		CHECK(wall.layout == before);
		CHECK(layout_find_tile(wall.layout, "clock") != NULL);
		CHECK_INT(wall.layout_error_count, 2);
		char expected[4200];
		snprintf(expected, sizeof(expected), "%s:1: %s", path, cases[i].message);
		CHECK_STR(wall.layout_error_count == 2 ? wall.layout_errors[1] : NULL, expected);
	}
	/* Fixed again: the reload goes through. */
	write_file(path, layout_text);
	CHECK(wall_reload(&wall));
	CHECK_INT(wall.layout_error_count, 0);
	wall_close(&wall);
	remove(path);
}

/* A copy of a w x h part of `s` at (x, y). */
static cairo_surface_t *crop(cairo_surface_t *s, int x, int y, int w, int h)
{
	cairo_surface_t *out = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(out);
	cairo_set_source_surface(cr, s, -x, -y);
	cairo_paint(cr);
	cairo_destroy(cr);
	return out;
}

/*
 * A stale tile drawn with the grey theme looks as one greyed after drawing: a card with a
 * coloured state, a line of text and a stroke, drawn both ways, agree inside the card to a
 * unit or two per channel (blending is linear; only rounding differs).
 */
static void stale_palette_matches_greying_pass(void)
{
	char err[256];
	struct text_engine *text = text_engine_create(NULL, 0, err, sizeof(err));
	CHECK(text != NULL);
	struct theme theme;
	theme_init_default(&theme);
	struct theme grey = draw_grey_theme(&theme, 0.65);
	CHECK(grey.font == theme.font);
	CHECK(grey.states[STATE_BAD].fill.r == grey.states[STATE_BAD].fill.b);
	struct rect card = {10, 10, 300, 160};
	cairo_surface_t *shot[2];
	for (int i = 0; i < 2; i++) {
		const struct theme *t = i ? &grey : &theme;
		shot[i] = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 320, 180);
		cairo_t *cr = cairo_create(shot[i]);
		draw_set_color(cr, t->background);
		cairo_paint(cr);
		draw_card(cr, &card, t, t->states[STATE_BAD].fill);
		struct text_style style = draw_text_style(t->font, true, 40, t->states[STATE_BAD].accent,
							  TEXT_ALIGN_LEFT);
		text_draw(text, cr, &style, 30, 90, 0, "서울 42");
		cairo_move_to(cr, 30, 130);
		cairo_line_to(cr, 290, 150);
		draw_set_color(cr, t->accent);
		cairo_set_line_width(cr, 5);
		cairo_stroke(cr);
		cairo_destroy(cr);
	}
	/* Inside the card, clear of its rounded corners (where the pass leaves the antialiased
	 * edge); `fresh` before the pass. */
	cairo_surface_t *fresh = crop(shot[0], 14, 30, 292, 120);
	struct rect inner = {12, 12, 296, 156};
	draw_desaturate_rounded(shot[0], &inner, theme.corner_radius, 0.65);
	cairo_surface_t *passed = crop(shot[0], 14, 30, 292, 120);
	cairo_surface_t *palette = crop(shot[1], 14, 30, 292, 120);
	struct image_diff d = image_compare(passed, palette, 2, NULL);
	if (d.differing) {
		printf("# %ld pixels differ by more than 2, max %d\n", d.differing, d.max_delta);
	}
	CHECK(d.differing == 0);
	/* The comparison can fail: the tile before greying is far from both. */
	CHECK(image_compare(fresh, palette, 2, NULL).differing > 10000);
	cairo_surface_destroy(fresh);
	cairo_surface_destroy(passed);
	cairo_surface_destroy(palette);
	for (int i = 0; i < 2; i++) {
		cairo_surface_destroy(shot[i]);
	}
	theme_finish(&theme);
	text_engine_destroy(text);
}

static const struct check_case cases[] = {
	{"stale_palette_matches_greying_pass", stale_palette_matches_greying_pass},
	{"per-value last good: a wrong type keeps the last good value with its age",
	 wrong_type_keeps_last_good_value},
	{"per-value last good: a missing path or null keeps it; a good reading lets go",
	 missing_path_keeps_last_good_value},
	{"per-value last good: a binding never satisfied shows no data",
	 never_satisfied_binding_shows_no_data},
	{"per-value last good: a kept value turns stale at max_age", kept_value_turns_stale_at_max_age},
	{"stale data is marked at max_age and cleared by new data", stale_data_is_marked},
	{"the first frame is a full redraw", first_frame_is_full},
	{"a new value redraws only its tile", new_value_redraws_only_its_tile},
	{"the same values redraw nothing", same_values_redraw_nothing},
	{"a clock tick redraws only the clock", clock_tick_redraws_the_clock},
	{"steady frames re-rasterise no text", steady_frames_reuse_text},
	{"status_strip_leaves_tiles_untouched", status_strip_leaves_tiles_untouched},
	{"overlay messages redraw only what the strip covers", overlay_messages_redraw_all},
	{"scale follows the viewport", scale_follows_the_viewport},
	{"pages_bad_value_reload_keeps_layout", pages_bad_value_reload_keeps_layout},
};

CHECK_MAIN(cases)
