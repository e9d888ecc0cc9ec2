/*
 * One canvas over several screens (--canvas, --viewport, --bezel): every part of a wall drawn
 * by the real binary on its own, put side by side, is the full render pixel for pixel, the
 * columns and rows the bezels hide aside. At a fixed --at, so a crawl crossing a boundary, a
 * pulsing alert, the page dots, stale tiles and the operator strip are all in the picture.
 */

#include "check.h"

#include <cairo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define CANVAS_W 7680
#define CANVAS_H 2160

static const char *bin(void)
{
	const char *b = getenv("CITYWALL_BIN");
	return b ? b : "citywall";
}

static const char *src(void)
{
	const char *s = getenv("CITYWALL_SOURCE_ROOT");
	return s ? s : ".";
}

static const char *out_dir(void)
{
	const char *b = getenv("CITYWALL_BUILD_ROOT");
	return b ? b : ".";
}

/* What one picture is drawn from: the layout, extra arguments (a feed) and the clock. */
struct scene {
	const char *name;
	const char *args; // after --layout: the layout and any feed
	const char *at;
	bool feed_fails;  // the strip names a failing feed: exit status 1, the picture written
};

/* Runs citywall with `args` from the source root, writing `png`; true when it did. */
static bool render(const struct scene *s, const char *extra, const char *png)
{
	char command[4096];
	snprintf(command, sizeof(command),
		 "cd '%s' && rm -f '%s' && timeout -s KILL 60 '%s' --no-cache --layout %s --at %s "
		 "%s --screenshot '%s' >/dev/null 2>&1",
		 src(), png, bin(), s->args, s->at, extra, png);
	int status = system(command);
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	if (code != (s->feed_fails ? 1 : 0)) {
		printf("# %s: exit %d: %s\n", s->name, code, command);
		return false;
	}
	return true;
}

static cairo_surface_t *load(const char *png)
{
	cairo_surface_t *image = cairo_image_surface_create_from_png(png);
	if (cairo_surface_status(image) != CAIRO_STATUS_SUCCESS) {
		printf("# cannot read %s\n", png);
		cairo_surface_destroy(image);
		return NULL;
	}
	cairo_surface_flush(image);
	return image;
}

static uint32_t pixel(cairo_surface_t *image, int x, int y)
{
	const unsigned char *data = cairo_image_surface_get_data(image);
	int stride = cairo_image_surface_get_stride(image);
	uint32_t p;
	memcpy(&p, data + (size_t)y * (size_t)stride + (size_t)x * 4, 4);
	return p & 0xffffff; // RGB: the padding byte says nothing
}

/*
 * Draws `parts` (canvas pixels, written as on the command line) with --bezel `bezel` and
 * compares each with its place in `full`: byte for byte, counting every pixel that differs.
 */
static void stitch(const struct scene *s, cairo_surface_t *full, const char *split,
		   const int (*parts)[4], size_t count, int bezel)
{
	for (size_t i = 0; i < count; i++) {
		const int *p = parts[i];
		char extra[256], png[1024];
		snprintf(extra, sizeof(extra), "--canvas %dx%d --viewport %d,%d,%d,%d --bezel %d",
			 CANVAS_W, CANVAS_H, p[0], p[1], p[2], p[3], bezel);
		snprintf(png, sizeof(png), "%s/stitch-%s-%s-%d-%zu.png", out_dir(), s->name, split,
			 bezel, i);
		CHECK(render(s, extra, png));
		cairo_surface_t *part = load(png);
		CHECK(part != NULL);
		if (!part) {
			continue;
		}
		/* The size defaults to the viewport's; bezels move the part, never resize it. */
		CHECK_INT(cairo_image_surface_get_width(part), p[2]);
		CHECK_INT(cairo_image_surface_get_height(part), p[3]);
		int x0 = p[0] + p[0] / p[2] * bezel, y0 = p[1] + p[1] / p[3] * bezel;
		long differ = 0;
		int fx = -1, fy = -1;
		for (int y = 0; y < p[3] && cairo_image_surface_get_width(part) == p[2]; y++) {
			for (int x = 0; x < p[2]; x++) {
				if (pixel(part, x, y) != pixel(full, x0 + x, y0 + y)) {
					fx = differ++ ? fx : x;
					fy = differ > 1 ? fy : y;
				}
			}
		}
		if (differ) {
			printf("# %s %s bezel %d part %zu: %ld pixels differ, first at %d,%d of %s\n",
			       s->name, split, bezel, i, differ, fx, fy, png);
		}
		CHECK_INT(differ, 0);
		cairo_surface_destroy(part);
	}
}

/* 2x2 and 4x1 panels, without bezels and with 64 hidden pixels between panels. */
static void stitch_all(const struct scene *s, bool four_by_one_only)
{
	char png[1024];
	snprintf(png, sizeof(png), "%s/stitch-%s-full.png", out_dir(), s->name);
	char size[64];
	snprintf(size, sizeof(size), "--size %dx%d", CANVAS_W, CANVAS_H);
	CHECK(render(s, size, png));
	cairo_surface_t *full = load(png);
	CHECK(full != NULL);
	if (!full) {
		return;
	}
	static const int quad[4][4] = {
		{0, 0, 3840, 1080}, {3840, 0, 3840, 1080}, {0, 1080, 3840, 1080},
		{3840, 1080, 3840, 1080}};
	static const int row[4][4] = {
		{0, 0, 1920, 2160}, {1920, 0, 1920, 2160}, {3840, 0, 1920, 2160},
		{5760, 0, 1920, 2160}};
	/* (7680 - 64) / 2 x (2160 - 64) / 2 and (7680 - 3 * 64) / 4: the panels and their gaps
	 * fill the canvas exactly. */
	static const int quad_bezel[4][4] = {
		{0, 0, 3808, 1048}, {3808, 0, 3808, 1048}, {0, 1048, 3808, 1048},
		{3808, 1048, 3808, 1048}};
	static const int row_bezel[4][4] = {
		{0, 0, 1872, 2160}, {1872, 0, 1872, 2160}, {3744, 0, 1872, 2160},
		{5616, 0, 1872, 2160}};
	stitch(s, full, "4x1", row, 4, 0);
	stitch(s, full, "4x1", row_bezel, 4, 64);
	if (!four_by_one_only) {
		stitch(s, full, "2x2", quad, 4, 0);
		stitch(s, full, "2x2", quad_bezel, 4, 64);
	}
	cairo_surface_destroy(full);
}

static void wall_layout(void)
{
	struct scene s = {"wall", "layouts/wall.json", "2026-11-25T09:00:00+09:00", false};
	stitch_all(&s, false);
}

/* The mayor's wall itself (issue 13's own case): its map modes, panels and crawl. */
static void mayor_wall(void)
{
	struct scene s = {"mayor", "layouts/mayor-wall.json --feed layouts/data/seoul-board.json",
			  "2026-11-25T14:00:00+09:00", false};
	stitch_all(&s, false);
}

/* Two full-width crawls mid-way: their items cross every boundary of both splits. */
static void ticker_crossing_boundaries(void)
{
	struct scene s = {"ticker", "tests/layouts/ticker-wall.json",
			  "2026-11-25T09:00:07.37+09:00", false};
	stitch_all(&s, false);
}

/* An hour later every tile is stale: greyed after drawing, with its "as of" badge. */
static void wall_stale(void)
{
	struct scene s = {"stale", "layouts/wall.json", "2026-11-25T10:00:00+09:00", false};
	stitch_all(&s, true);
}

/* A feed that cannot be read: the operator strip runs along the canvas's bottom edge. */
static void operator_strip(void)
{
	struct scene s = {"strip", "layouts/wall.json --feed /nonexistent/city.json",
			  "2026-11-25T09:00:00+09:00", true};
	stitch_all(&s, true);
}

/* Rotating pages: the dots in the bottom margin sit where the whole canvas puts them. */
static void page_dots(void)
{
	struct scene s = {"pages", "tests/layouts/pages-wall.json", "2026-11-25T09:00:25+09:00",
			  false};
	stitch_all(&s, true);
}

/* A pulsing alert at a moment between its pulses' extremes. */
static void alert_pulse(void)
{
	struct scene s = {"alert", "tests/layouts/alert-wall.json", "2026-11-25T09:00:03.4+09:00",
			  false};
	stitch_all(&s, true);
}

static const struct check_case cases[] = {
	{"stitch_wall_2x2_4x1_bezels", wall_layout},
	{"stitch_mayor_wall_2x2_4x1_bezels", mayor_wall},
	{"stitch_ticker_crossing_boundaries", ticker_crossing_boundaries},
	{"stitch_wall_stale", wall_stale},
	{"stitch_operator_strip", operator_strip},
	{"stitch_page_dots", page_dots},
	{"stitch_alert_pulse", alert_pulse},
};

CHECK_MAIN(cases)
