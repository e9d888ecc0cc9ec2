/*
 * Animation that touches only what moves: an alert's pulse refills its bar, a crawl under an
 * age badge still copies its strip, and a page turn draws the page, not the wall. Each is
 * checked twice: what a frame damages (only what moves), and that the live board's frame
 * holds the same bytes as a board drawing everything from scratch at that time.
 *
 * Layouts and data are written with ' for " to keep them readable here.
 */

#include "check.h"
#include "board_fixture.h"

#include "feed/snapshot_parse.h"
#include "compose/board.h"
#include "compose/parallel.h"
#include "widgets/widget.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 1795564800.0 /* 2026-11-25T09:00:00+09:00, a multiple of 15 s */

/* ---- helpers ---- */

/* Everything drawn at `now` from scratch, as --screenshot does. */
static void fx_redraw(struct fx *f, double now)
{
	size_t n;
	board_invalidate_all(f->board);
	board_advance(f->board, now);
	board_draw(f->board, f->frame, now, &n);
}

/* A copy of the frame (the caller destroys it). */
static cairo_surface_t *fx_copy(struct fx *f)
{
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

static void screen_update(cairo_surface_t *screen, struct fx *f, const struct irect *damage,
			  size_t n);

/* Every pixel of the frame lost: what a part of it given back to the kernel reads as, and worse. */
static void lose_frame(struct fx *f)
{
	cairo_t *cr = cairo_create(f->frame);
	cairo_set_source_rgb(cr, 1, 0, 1);
	cairo_paint(cr);
	cairo_destroy(cr);
}

/* The frame made what the screen shows. */
static void frame_from_screen(struct fx *f)
{
	cairo_t *cr = cairo_create(f->frame);
	cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
	cairo_set_source_surface(cr, f->screen, 0, 0);
	cairo_paint(cr);
	cairo_destroy(cr);
}

/*
 * The live path: a frame at `now` drawing only what the board finds dirty. On a live window
 * the frame keeps only the parts put lately (the memory of the rest is given back:
 * src/display/frame_pages.h), so every frame must be whole inside what it puts: here each is
 * drawn on a frame whose every pixel was lost, a screen takes its moves and puts, and the
 * frame is then made the screen again. Every check of a live frame's bytes checks what the
 * screen shows.
 */
static const struct irect *live_frame(struct fx *f, double now, size_t *n)
{
	*n = 0;
	board_advance(f->board, now);
	if (!board_is_dirty(f->board)) {
		return NULL;
	}
	if (f->screen == NULL) {
		f->screen = fx_copy(f);
	}
	lose_frame(f);
	const struct irect *damage = board_draw(f->board, f->frame, now, n);
	screen_update(f->screen, f, damage, *n);
	frame_from_screen(f);
	return damage;
}

/* Whether two image surfaces hold the same bytes (every byte, not only the colours). */
static bool same_surface_bytes(cairo_surface_t *a, cairo_surface_t *b)
{
	cairo_surface_flush(a);
	cairo_surface_flush(b);
	int stride = cairo_image_surface_get_stride(a), h = cairo_image_surface_get_height(a);
	return cairo_image_surface_get_width(a) == cairo_image_surface_get_width(b) &&
	       h == cairo_image_surface_get_height(b) && stride == cairo_image_surface_get_stride(b) &&
	       memcmp(cairo_image_surface_get_data(a), cairo_image_surface_get_data(b),
		      (size_t)stride * (size_t)h) == 0;
}

/* Whether the frames of a and b hold the same bytes. */
static bool same_bytes(struct fx *a, struct fx *b)
{
	return same_surface_bytes(a->frame, b->frame);
}

static uint32_t pixel(cairo_surface_t *s, int x, int y)
{
	cairo_surface_flush(s);
	const unsigned char *data = cairo_image_surface_get_data(s);
	return ((const uint32_t *)(data + y * cairo_image_surface_get_stride(s)))[x] & 0xffffff;
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
	return x1 < x0 ? (struct irect){0, 0, 0, 0}
		       : (struct irect){x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

static bool inside(struct irect outer, struct irect r)
{
	return r.x >= outer.x && r.y >= outer.y && r.x + r.w <= outer.x + outer.w &&
	       r.y + r.h <= outer.y + outer.h;
}

static bool overlaps(struct irect a, struct irect b)
{
	return !irect_empty(irect_intersect(a, b));
}

/* ---- alert pulse ---- */

#define ALERTS \
	"{'a': [{'level': 'danger', 'title': '공장 화재 대응 2단계 Factory fire', " \
	"'area': '구로구 구로동', 'time': '2026-11-25T08:41:00+09:00'}], 'v': 42}"

static bool alert_open(struct fx *f, double scale, const char *extra)
{
	char tiles[512];
	snprintf(tiles, sizeof(tiles),
		 "[{'id': 'a', 'widget': 'alert', 'cell': [0, 0], 'span': [2, 2], 'alerts': 'a', "
		 "'title': '재난·안전 경보'%s},"
		 " {'id': 'k', 'widget': 'kpi', 'cell': [2, 0], 'title': 'PM10', 'value': 'v'}]",
		 extra);
	return fx_open_data(f, 830, 630, scale, "", tiles, ALERTS);
}

/*
 * A pulse frame refills the accent bar only (a strip along the tile's left edge), and the live
 * wall, frame after frame (late ones too), holds the bytes a full drawing at that time gives.
 */
static void alert_pulse_animate_equals_redraw(void)
{
	static const double scales[] = {1, 1.5, 2};
	static const char *const extras[] = {"", ", 'pulse_period': 1"};
	for (size_t s = 0; s < 3; s++) {
		for (size_t e = 0; e < 2; e++) {
			struct fx live = {0}, shot = {0};
			CHECK(alert_open(&live, scales[s], extras[e]));
			CHECK(alert_open(&shot, scales[s], extras[e]));
			fx_redraw(&live, T0);
			struct irect a = fx_rect(&live, "a");
			double t = T0;
			bool ok = true, narrow = true;
			int frames = 0;
			for (int i = 1; i <= 150; i++) {
				t += i % 23 == 0 ? 0.37 : 1.0 / 30;
				size_t n;
				const struct irect *damage = live_frame(&live, t, &n);
				for (size_t d = 0; d < n; d++) {
					narrow &= inside(a, damage[d]) && damage[d].w * 10 < a.w &&
						  damage[d].h == a.h;
				}
				frames += n > 0;
				if (i % 25 == 0) {
					fx_redraw(&shot, t);
					ok &= same_bytes(&live, &shot);
				}
			}
			CHECK(ok);
			CHECK(narrow);
			CHECK(frames >= 140);
			fx_close(&live);
			fx_close(&shot);
		}
	}
}

/* The pulse moves: two animated frames half a period apart differ, in the bar only. */
static void alert_pulse_animate_moves_bar(void)
{
	struct fx f = {0};
	CHECK(alert_open(&f, 1, ""));
	fx_redraw(&f, T0);
	cairo_surface_t *before = fx_copy(&f);
	size_t n;
	live_frame(&f, T0 + 1, &n);
	CHECK_INT(n, 1);
	struct irect a = fx_rect(&f, "a");
	struct irect moved = diff_box(before, f.frame, (struct irect){0, 0, f.w, f.h});
	CHECK(moved.w > 0 && inside(a, moved) && moved.w * 10 < a.w);
	cairo_surface_destroy(before);
	fx_close(&f);
}


/*
 * stale_alert_pulse_animated: data past its max_age greys the tile and badges it "09:00 기준";
 * the alert still pulses, and a pulse frame still refills only the bar (greyed again there),
 * equal byte for byte to a full drawing.
 */
static void stale_alert_pulse_animated(void)
{
	struct fx live = {0}, shot = {0};
	CHECK(alert_open(&live, 1, ""));
	CHECK(alert_open(&shot, 1, ""));
	double t = T0 + 400; // max_age 300
	fx_redraw(&live, t);
	CHECK(board_tile_stale(live.board, 0));
	struct irect a = fx_rect(&live, "a");
	bool ok = true, narrow = true;
	size_t frames = 0;
	for (int i = 1; i <= 60; i++) {
		t += 1.0 / 30;
		size_t n;
		const struct irect *damage = live_frame(&live, t, &n);
		narrow &= n <= 1 && (n == 0 || (inside(a, damage[0]) && damage[0].w * 10 < a.w));
		frames += n;
		if (i % 20 == 0) {
			fx_redraw(&shot, t);
			ok &= same_bytes(&live, &shot);
		}
	}
	CHECK(narrow);
	CHECK(frames >= 55);
	CHECK(ok);
	fx_close(&live);
	fx_close(&shot);
}

/* ---- a crawl under an age badge ---- */

#define NEWS "{'items': ['첫 번째 소식 First news item', '두 번째 소식 Second item']}"

/* A low ticker (50 units) whose age badge, once shown, lies across the crawl's rows. */
static bool badge_open(struct fx *f, double epoch)
{
	char tiles[512];
	snprintf(tiles, sizeof(tiles),
		 "[{'id': 't', 'widget': 'ticker', 'cell': [0, 0], 'span': [4, 1], "
		 "'items': 'items', 'speed': 100, 'epoch': %.3f}]",
		 epoch);
	return fx_open_data(f, 830, 250, 1, "", tiles, NEWS);
}

/*
 * ticker_under_age_badge_animated: data older than show_age_after puts "3분 전" over the
 * crawl. The crawl still copies its strip (damage: its rows, not the tile) with the badge drawn
 * again over them, and each frame equals a full drawing; when the badge's text changes the tile
 * is drawn whole once.
 */
static void ticker_under_age_badge_animated(void)
{
	/* Where the badge is: the same crawl position with and without it. */
	struct fx young = {0}, old = {0};
	CHECK(badge_open(&young, T0 - 1));
	CHECK(badge_open(&old, T0 + 99));
	fx_redraw(&young, T0 + 100);
	fx_redraw(&old, T0 + 200);
	struct irect t = fx_rect(&old, "t");
	struct irect badge = diff_box(young.frame, old.frame, t);
	CHECK(badge.w > 0 && badge.x > t.x + t.w / 2 && badge.y > t.y + t.h / 3);
	fx_close(&young);

	struct fx shot = {0};
	CHECK(badge_open(&shot, T0 + 99));
	double times[] = {T0 + 200 + 1.0 / 60, T0 + 200.5, T0 + 210, T0 + 239.99,
			  T0 + 240.01, T0 + 240.03, T0 + 241};
	bool banded = true, crossed = false, ok = true;
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		size_t n;
		const struct irect *damage = live_frame(&old, times[i], &n);
		CHECK(n >= 1);
		for (size_t d = 0; d < n; d++) {
			/* 4분 전 from 240 s: that frame draws the tile whole. */
			bool whole = damage[d].h == t.h;
			banded &= whole == (times[i] == T0 + 240.01);
			crossed |= !whole && overlaps(damage[d], badge);
		}
		fx_redraw(&shot, times[i]);
		ok &= same_bytes(&old, &shot);
	}
	CHECK(banded);
	CHECK(crossed);
	CHECK(ok);
	fx_close(&old);
	fx_close(&shot);
}

/* ---- page turns ---- */

/*
 * Root tiles (a title and a kpi) on every page; page "a" (10 s) has a crawl and a kpi, page
 * "b" (5 s) a pulsing alert. T0 is a multiple of the 15 s cycle: "a" from T0, "b" from T0+10.
 */
#define PAGES_HEAD \
	"'pages': [" \
	"{'id': 'a', 'duration': 10, 'tiles': [" \
	"  {'id': 'crawl', 'widget': 'ticker', 'cell': [0, 1], 'span': [3, 1], 'items': 'items'," \
	"   'speed': 100, 'epoch': 1795564800}," \
	"  {'id': 'pa', 'widget': 'kpi', 'cell': [0, 2], 'span': [2, 2], 'title': 'A'," \
	"   'value': 'v'}]}," \
	"{'id': 'b', 'duration': 5, 'tiles': [" \
	"  {'id': 'alert', 'widget': 'alert', 'cell': [0, 1], 'span': [3, 3], 'alerts': 'a'}]}], "
#define PAGES_TILES \
	"[{'id': 'title', 'widget': 'text', 'cell': [0, 0], 'span': [3, 1], " \
	"  'text': '여의도역'}," \
	" {'id': 'root', 'widget': 'kpi', 'cell': [3, 0], 'span': [1, 4], 'title': 'R', " \
	"  'value': 'v'}]"
#define PAGES_DATA \
	"{'items': ['첫 번째 소식 First news item', '두 번째 소식 Second'], 'v': 42, " \
	"'a': [{'level': 'warning', 'title': '한파경보 Cold wave', 'area': '서울 전역'}]}"

static bool pages_open(struct fx *f)
{
	return fx_open_data(f, 830, 630, 1, PAGES_HEAD, PAGES_TILES, PAGES_DATA);
}

/*
 * page_turn_draws_only_the_page: at a turn, the root tiles are not touched (no damage over
 * them), and the frame equals a full drawing of the new page; animations on the page run
 * again after it (drawn whole first: the frame lost them while the other page showed).
 */
static void page_turn_draws_only_the_page(void)
{
	struct fx live = {0}, shot = {0};
	CHECK(pages_open(&live));
	CHECK(pages_open(&shot));
	fx_redraw(&live, T0 + 1);
	CHECK_INT(board_page(live.board), 0);
	struct irect title = fx_rect(&live, "title"), root = fx_rect(&live, "root");
	struct irect screen = {0, 0, live.w, live.h};
	double times[] = {T0 + 9.99,  T0 + 10,     T0 + 10.04, T0 + 12, T0 + 15.01,
			  T0 + 15.03, T0 + 15.05, T0 + 25,    T0 + 25.02, T0 + 30};
	bool ok = true, spared = true, small = true;
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		size_t n;
		const struct irect *damage = live_frame(&live, times[i], &n);
		long px = 0;
		for (size_t d = 0; d < n; d++) {
			spared &= !overlaps(damage[d], title) && !overlaps(damage[d], root);
			px += (long)damage[d].w * damage[d].h;
		}
		small &= px < (long)screen.w * screen.h * 3 / 4;
		fx_redraw(&shot, times[i]);
		ok &= same_bytes(&live, &shot);
		if (!ok) {
			printf("# differs at T0 + %.2f (page %zu)\n", times[i] - T0,
			       board_page(live.board));
			break;
		}
	}
	CHECK_INT(board_page(live.board), 0);
	CHECK(ok);
	CHECK(spared);
	CHECK(small);
	fx_close(&live);
	fx_close(&shot);
}

/* A turn under the operator's strip: the strip is drawn again over what the turn erased. */
static void page_turn_under_overlay(void)
{
	struct fx live = {0}, shot = {0};
	CHECK(pages_open(&live));
	CHECK(pages_open(&shot));
	const char *messages[] = {"feed: HTTP 500 — failing since 09:00:05"};
	board_set_messages(live.board, messages, 1);
	board_set_messages(shot.board, messages, 1);
	fx_redraw(&live, T0 + 1);
	bool ok = true;
	double times[] = {T0 + 10, T0 + 10.5, T0 + 15, T0 + 15.5};
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		size_t n;
		live_frame(&live, times[i], &n);
		fx_redraw(&shot, times[i]);
		ok &= same_bytes(&live, &shot);
	}
	CHECK(ok);
	fx_close(&live);
	fx_close(&shot);
}

/* With the designer's grid shown, a turn is still a full redraw (the grid names the tiles). */
static void page_turn_with_grid_overlay(void)
{
	struct fx live = {0}, shot = {0};
	CHECK(pages_open(&live));
	CHECK(pages_open(&shot));
	board_set_grid_overlay(live.board, true);
	board_set_grid_overlay(shot.board, true);
	fx_redraw(&live, T0 + 1);
	size_t n;
	const struct irect *damage = live_frame(&live, T0 + 10, &n);
	CHECK(n >= 1 && damage[0].w == live.w && damage[0].h == live.h);
	fx_redraw(&shot, T0 + 10);
	CHECK(same_bytes(&live, &shot));
	fx_close(&live);
	fx_close(&shot);
}


/*
 * overlay_strip_not_blended_twice: the operator's strip is translucent; a tile under it that
 * redraws (a clock's tick) must not darken the rest of the strip by drawing it over itself.
 */
static void overlay_strip_not_blended_twice(void)
{
	const char *tiles =
		"[{'id': 'c', 'widget': 'clock', 'cell': [0, 3], 'span': [1, 1]},"
		" {'id': 'k', 'widget': 'kpi', 'cell': [1, 3], 'span': [3, 1], 'title': 'K',"
		"  'value': 'v'}]";
	struct fx live = {0}, shot = {0};
	CHECK(fx_open_with(&live, 830, 630, 1, "", tiles));
	CHECK(fx_open_with(&shot, 830, 630, 1, "", tiles));
	fx_data(&live, "{'v': 1}");
	fx_data(&shot, "{'v': 1}");
	const char *messages[] = {"feed: HTTP 500 — failing since 09:00:05"};
	board_set_messages(live.board, messages, 1);
	board_set_messages(shot.board, messages, 1);
	fx_redraw(&live, T0);
	for (int i = 1; i <= 5; i++) {
		size_t n;
		live_frame(&live, T0 + i, &n);
	}
	fx_redraw(&shot, T0 + 5);
	CHECK(same_bytes(&live, &shot));
	fx_close(&live);
	fx_close(&shot);
}

/*
 * map_values_drawn_in_place_on_board: a district's new value reaches the frame as one small
 * damaged box inside the map tile, and the frame holds what a whole redraw gives, byte for
 * byte, at two scales; a new value of a tile beside it is its own damage.
 */
static void map_values_drawn_in_place_on_board(void)
{
	const char *tiles =
		"[{'id': 'm', 'widget': 'map', 'cell': [0, 0], 'span': [3, 3],"
		"  'values': 'air/districts', 'value_field': 'pm10', 'show_values': true,"
		"  'thresholds': [{'from': 0, 'state': 'good'}, {'from': 31, 'state': 'moderate'},"
		"                 {'from': 81, 'state': 'bad'}]},"
		" {'id': 'k', 'widget': 'kpi', 'cell': [3, 0], 'span': [1, 1], 'title': 'K',"
		"  'value': 'air/avg'}]";
	const char *before = "{'air': {'avg': 40, 'districts': {'11680': {'pm10': 20},"
			     " '11110': {'pm10': 60}, '11500': {'pm10': 95}}}}";
	const char *after = "{'air': {'avg': 40, 'districts': {'11680': {'pm10': 120},"
			    " '11110': {'pm10': 60}, '11500': {'pm10': 95}}}}";
	for (int k = 1; k <= 2; k++) {
		struct fx live = {0}, shot = {0};
		CHECK(fx_open_with(&live, 830, 630, k, "", tiles));
		CHECK(fx_open_with(&shot, 830, 630, k, "", tiles));
		fx_data(&live, before);
		fx_redraw(&live, T0);
		fx_data(&live, after);
		size_t n;
		const struct irect *damage = live_frame(&live, T0 + 1, &n);
		struct irect map = fx_rect(&live, "m");
		CHECK_INT((int)n, 1);
		if (n == 1) {
			printf("# scale %d: damage %dx%d of the map's %dx%d\n", k, damage[0].w,
			       damage[0].h, map.w, map.h);
			CHECK(inside(map, damage[0]));
			CHECK((double)damage[0].w * damage[0].h < 0.2 * map.w * map.h);
		}
		fx_data(&shot, after);
		fx_redraw(&shot, T0 + 1);
		CHECK(same_bytes(&live, &shot));
		fx_close(&live);
		fx_close(&shot);
	}
}

/* ---- animations beside whole draws ---- */

/*
 * Two kpis at opposite corners, listed before a crawl across the middle row: their bounding
 * box covers the crawl, but neither meets it.
 */
static bool corners_open(struct fx *f)
{
	return fx_open_data(
		f, 830, 630, 1, "",
		"[{'id': 'a', 'widget': 'kpi', 'cell': [0, 0], 'title': 'A', 'value': 'a'},"
		" {'id': 'b', 'widget': 'kpi', 'cell': [3, 3], 'title': 'B', 'value': 'b'},"
		" {'id': 't', 'widget': 'ticker', 'cell': [0, 1], 'span': [4, 1], "
		"'items': 'items', 'speed': 100, 'epoch': 1795564800}]",
		"{'items': ['첫 번째 소식 First news item', '두 번째 소식'], 'a': 1, 'b': 2}");
}

/* Whether one of the frame's damage rectangles is the crawl's band: inside the tile, lower. */
static bool crawl_banded(const struct irect *damage, size_t n, struct irect tile)
{
	bool banded = false;
	for (size_t i = 0; i < n; i++) {
		banded |= inside(tile, damage[i]) && damage[i].h < tile.h;
		if (overlaps(damage[i], tile) && damage[i].h == tile.h) {
			return false; // drawn whole
		}
	}
	return banded;
}

/*
 * crawl_steps_between_whole_draws: the corners' new values are drawn whole in the crawl's
 * frame, and the crawl still only steps (what is drawn is checked tile by tile, not by the
 * bounding box of all of them); the frame equals a full drawing.
 */
static void crawl_steps_between_whole_draws(void)
{
	struct fx live = {0}, shot = {0};
	CHECK(corners_open(&live));
	CHECK(corners_open(&shot));
	fx_redraw(&live, T0 + 1);
	const char *after = "{'items': ['첫 번째 소식 First news item', '두 번째 소식'], 'a': 7, 'b': 8}";
	fx_data(&live, after);
	size_t n;
	const struct irect *damage = live_frame(&live, T0 + 1.5, &n);
	CHECK(n == 3);
	CHECK(crawl_banded(damage, n, fx_rect(&live, "t")));
	fx_data(&shot, after);
	fx_redraw(&shot, T0 + 1.5);
	CHECK(same_bytes(&live, &shot));
	fx_close(&live);
	fx_close(&shot);
}

/*
 * crawl_steps_after_a_parallel_draw: after the drawing threads drew the board whole (each on a
 * surface of its own over the frame's pixels), the next frame's crawl steps in place, and an
 * alert pulses in its bar: the frame's pixels are what both compare, not the surface.
 */
static void crawl_steps_after_a_parallel_draw(void)
{
	struct fx live = {0}, shot = {0};
	CHECK(corners_open(&live));
	CHECK(corners_open(&shot));
	struct render_pool *pool = render_pool_create(2);
	board_set_render_pool(live.board, pool);
	fx_redraw(&live, T0 + 1);
	size_t n;
	const struct irect *damage = live_frame(&live, T0 + 1 + 1.0 / 60, &n);
	CHECK(n == 1);
	CHECK(crawl_banded(damage, n, fx_rect(&live, "t")));
	fx_redraw(&shot, T0 + 1 + 1.0 / 60);
	CHECK(same_bytes(&live, &shot));
	board_set_render_pool(live.board, NULL);
	render_pool_destroy(pool);
	fx_close(&live);
	fx_close(&shot);

	struct fx alert = {0};
	CHECK(alert_open(&alert, 1, ""));
	pool = render_pool_create(2);
	board_set_render_pool(alert.board, pool);
	fx_redraw(&alert, T0);
	damage = live_frame(&alert, T0 + 0.1, &n);
	struct irect a = fx_rect(&alert, "a");
	CHECK(n == 1 && inside(a, damage[0]) && damage[0].w < a.w / 4);
	board_set_render_pool(alert.board, NULL);
	render_pool_destroy(pool);
	fx_close(&alert);
}

/* ---- a crawl moved on the screen ---- */

/* What an X server does with a frame's moves and puts: the screen, as a surface of its own. */
static void screen_update(cairo_surface_t *screen, struct fx *f, const struct irect *damage,
			  size_t n)
{
	size_t moves;
	const struct screen_move *move = board_frame_moves(f->board, &moves);
	cairo_surface_flush(screen);
	cairo_surface_flush(f->frame);
	unsigned char *to = cairo_image_surface_get_data(screen);
	const unsigned char *from = cairo_image_surface_get_data(f->frame);
	int stride = cairo_image_surface_get_stride(screen);
	for (size_t i = 0; i < moves; i++) {
		struct irect r = move[i].from;
		for (int y = r.y; y < r.y + r.h; y++) {
			unsigned char *row = to + (size_t)y * stride;
			memmove(row + (size_t)(r.x + move[i].dx) * 4, row + (size_t)r.x * 4,
				(size_t)r.w * 4);
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct irect r = damage[i];
		for (int y = r.y; y < r.y + r.h; y++) {
			memcpy(to + (size_t)y * stride + (size_t)r.x * 4,
			       from + (size_t)y * stride + (size_t)r.x * 4, (size_t)r.w * 4);
		}
	}
	cairo_surface_mark_dirty(screen);
}

/*
 * crawl_moved_on_screen_equals_redraw: where the screen moves pixels itself, a crawl's frame
 * is a move of the band's middle and two narrow puts; the screen (moves, then puts, as the X
 * server makes them) equals a board drawn from scratch at every frame, through new values
 * drawn whole beside it, an operator's message over it (no moves under the strip) and the
 * focus ring; and settled, the frame equals it too.
 */
static void crawl_moved_on_screen_equals_redraw(void)
{
	struct fx live = {0}, shot = {0};
	CHECK(corners_open(&live));
	CHECK(corners_open(&shot));
	board_set_screen_moves(live.board, true);
	fx_redraw(&live, T0 + 1);
	cairo_surface_t *screen = fx_copy(&live);
	struct irect tile = fx_rect(&live, "t");
	size_t moved = 0, frames = 0, wrong = 0, settled_wrong = 0;
	for (int k = 1; k <= 150; k++) {
		/* Late and early frames too: steps of none to a few columns, and backwards. */
		double now = T0 + 1 + k / 60.0 + (k % 7) * 0.013 + (k % 3) * 0.03;
		const char *doc = k == 40 ? "{'items': ['첫 번째 소식 First news item', '두 번째 소식'], "
					    "'a': 7, 'b': 8}"
					  : NULL;
		const char *message[] = {"피드 지연 · feed late"};
		struct fx *both[] = {&live, &shot};
		for (size_t j = 0; j < 2; j++) { // the same to both boards
			struct fx *f = both[j];
			if (doc) {
				fx_data(f, doc);
			}
			if (k == 80 || k == 110) {
				board_set_messages(f->board, message, k == 80 ? 1 : 0);
			}
			if (k == 110 || k == 130) {
				board_set_focus(f->board, k == 110 ? 0 : -1);
			}
		}
		size_t n;
		const struct irect *damage = live_frame(&live, now, &n);
		size_t moves;
		board_frame_moves(live.board, &moves);
		if (moves > 0 && n > 0) {
			int put = 0;
			for (size_t i = 0; i < n; i++) {
				put += inside(tile, damage[i]) ? damage[i].w : 0;
			}
			CHECK(put < tile.w / 4);
		}
		moved += moves;
		screen_update(screen, &live, damage, n);
		fx_redraw(&shot, now);
		wrong += !same_surface_bytes(screen, shot.frame);
		frames++;
		if (k % 25 == 0) {
			board_settle(live.board, live.frame);
			settled_wrong += !same_bytes(&live, &shot);
		}
	}
	printf("# %zu frames, %zu moves, %zu screens differ, %zu settled frames differ\n", frames,
	       moved, wrong, settled_wrong);
	CHECK(moved > 60);
	CHECK_INT((int)wrong, 0);
	CHECK_INT((int)settled_wrong, 0);
	cairo_surface_destroy(screen);
	fx_close(&live);
	fx_close(&shot);
}

static const struct check_case cases[] = {
	{"alert_pulse_animate_equals_redraw: pulse frames refill the bar, byte for byte",
	 alert_pulse_animate_equals_redraw},
	{"alert_pulse_animate_moves_bar: the bar changes, nothing else",
	 alert_pulse_animate_moves_bar},
	{"stale_alert_pulse_animated: a greyed alert still pulses in its bar only",
	 stale_alert_pulse_animated},
	{"ticker_under_age_badge_animated: the crawl copies under its badge",
	 ticker_under_age_badge_animated},
	{"page_turn_draws_only_the_page: title and root tiles untouched, same bytes",
	 page_turn_draws_only_the_page},
	{"page_turn_under_overlay: the operator strip survives a turn", page_turn_under_overlay},
	{"overlay_strip_not_blended_twice: a tick under the strip leaves the rest as it is",
	 overlay_strip_not_blended_twice},
	{"page_turn_with_grid_overlay: --grid turns with a full redraw",
	 page_turn_with_grid_overlay},
	{"map_values_drawn_in_place_on_board: one small box, a whole redraw's bytes",
	 map_values_drawn_in_place_on_board},
	{"crawl_steps_between_whole_draws: tiles drawn whole around a crawl leave it stepping",
	 crawl_steps_between_whole_draws},
	{"crawl_steps_after_a_parallel_draw: the drawing threads' draw is the frame's",
	 crawl_steps_after_a_parallel_draw},
	{"crawl_moved_on_screen_equals_redraw: moves and narrow puts make the screen whole",
	 crawl_moved_on_screen_equals_redraw},
};

CHECK_MAIN(cases)
