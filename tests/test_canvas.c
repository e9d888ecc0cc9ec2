/*
 * Parts of one canvas frame by frame, in process (the window's path, not --screenshot): a wall
 * drawing the whole canvas and walls drawing parts of it at odd boundaries are advanced through
 * the same clock, 1/60 s a frame, each drawing only what changed (a crawl copying its strip, an
 * alert refilling its pulse, a page turn drawing the page). After every frame each part's
 * pixels equal its region of the whole, byte for byte, so a crawl crossing a boundary lines up
 * on every frame, not only in a screenshot.
 */

#include "check.h"

#include "app/wall.h"

#include <cairo.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 1795564800.0 /* 2026-11-25T09:00:00+09:00 */
#define CANVAS_W 3840
#define CANVAS_H 1080
#define PARTS 3
#define FRAMES 40

static const char *source_root(void)
{
	const char *s = getenv("CITYWALL_SOURCE_ROOT");
	return s ? s : ".";
}

struct view {
	struct wall wall;
	cairo_surface_t *frame;
	struct irect part; // canvas pixels; the whole canvas for the full view
	bool open;
};

static bool view_open(struct view *v, const char *layout, struct irect part, bool whole)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", source_root(), layout);
	struct wall_options options = {.layout_file = path, .clock = {.fixed = true, .at = T0}};
	if (!whole) {
		options.canvas_w = CANVAS_W;
		options.canvas_h = CANVAS_H;
		options.canvas_part = part;
	}
	v->part = part;
	v->open = wall_open(&v->wall, &options);
	if (!v->open) {
		return false;
	}
	wall_fetch_once(&v->wall);
	wall_sync(&v->wall);
	v->frame = cairo_image_surface_create(CAIRO_FORMAT_RGB24, part.w, part.h);
	board_set_viewport(v->wall.board, part.w, part.h);
	return true;
}

static void view_close(struct view *v)
{
	if (v->open) {
		cairo_surface_destroy(v->frame);
		wall_close(&v->wall);
	}
}

/* One frame at `now`: only what changed since the last one is drawn. */
static void view_frame(struct view *v, double now)
{
	board_advance(v->wall.board, now);
	if (board_is_dirty(v->wall.board)) {
		size_t n;
		board_draw(v->wall.board, v->frame, now, &n);
	}
}

static uint32_t pixel(cairo_surface_t *s, int x, int y)
{
	uint32_t p;
	memcpy(&p, cairo_image_surface_get_data(s) + (size_t)y * cairo_image_surface_get_stride(s) +
			   (size_t)x * 4,
	       4);
	return p & 0xffffff;
}

/* Pixels of part `v` that differ from its region of `whole`. */
static long differing(const struct view *v, const struct view *whole)
{
	cairo_surface_flush(v->frame);
	cairo_surface_flush(whole->frame);
	long n = 0;
	for (int y = 0; y < v->part.h; y++) {
		for (int x = 0; x < v->part.w; x++) {
			n += pixel(v->frame, x, y) != pixel(whole->frame, v->part.x + x, v->part.y + y);
		}
	}
	return n;
}

/* `layout` from `start` for FRAMES frames: every part equals the whole after every frame. */
static void parts_follow_whole(const char *layout, double start)
{
	/* Boundaries at odd columns and rows, through the middle of tiles and crawls. */
	static const struct irect parts[PARTS] = {
		{0, 0, 1251, 1080}, {1251, 0, 1298, 541}, {2549, 541, 1291, 539}};
	struct view whole, part[PARTS];
	memset(&whole, 0, sizeof(whole));
	memset(part, 0, sizeof(part));
	bool ok = view_open(&whole, layout, (struct irect){0, 0, CANVAS_W, CANVAS_H}, true);
	for (size_t i = 0; i < PARTS; i++) {
		ok &= view_open(&part[i], layout, parts[i], false);
	}
	CHECK(ok);
	long worst = 0;
	int worst_frame = -1;
	for (int f = 0; ok && f < FRAMES; f++) {
		double now = start + f / 60.0;
		view_frame(&whole, now);
		for (size_t i = 0; i < PARTS; i++) {
			view_frame(&part[i], now);
			long d = differing(&part[i], &whole);
			if (d > worst) {
				worst = d;
				worst_frame = f;
			}
		}
	}
	if (worst) {
		printf("# %s: up to %ld pixels differ (first worst at frame %d)\n", layout, worst,
		       worst_frame);
	}
	CHECK_INT(worst, 0);
	view_close(&whole);
	for (size_t i = 0; i < PARTS; i++) {
		view_close(&part[i]);
	}
}

static void crawl_frames(void)
{
	parts_follow_whole("tests/layouts/ticker-wall.json", T0 + 7.37);
}

static void pulse_frames(void)
{
	parts_follow_whole("tests/layouts/alert-wall.json", T0 + 3.4);
}

/* Across a page turn (pages of 20 s): the turn draws the page, not the wall, in every part. */
static void page_turn_frames(void)
{
	parts_follow_whole("tests/layouts/pages-wall.json", T0 + 19.6);
}

static const struct check_case cases[] = {
	{"canvas_parts_follow_a_crawl_frame_by_frame", crawl_frames},
	{"canvas_parts_follow_a_pulse_frame_by_frame", pulse_frames},
	{"canvas_parts_follow_a_page_turn", page_turn_frames},
};

CHECK_MAIN(cases)
