/*
 * Golden images: each case in tests/golden/cases.txt is drawn headlessly through the same code
 * as `citywall --screenshot` (wall + board + screenshot) and compared with its reference PNG.
 * On failure the actual picture and a diff (differing pixels in red) are written to
 * BUILD/golden/. tools/update-golden rewrites the references on purpose.
 */

#include "check.h"
#include "golden_cases.h"
#include "image_compare.h"

#include "app/screenshot.h"
#include "app/wall.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Channel differences up to this pass (anti-aliasing across library builds). */
#define TOLERANCE 24
/* At most this share of pixels may exceed it (a few glyph edges), 0.05%. */
#define MAX_DIFFERING_SHARE 0.0005

static bool render(const struct golden_case *c, const char *out_png)
{
	char layout[4096], feed[4096], err[512];
	snprintf(layout, sizeof(layout), "%s/%s", source_root(), c->layout);
	case_feed_path(c, feed, sizeof(feed));
	struct wall_clock clock = {.fixed = true};
	if (!time_parse_iso8601(c->time, 0, &clock.at)) {
		printf("# %s: bad time %s\n", c->name, c->time);
		return false;
	}
	struct wall wall;
	const char *feeds[] = {feed};
	struct wall_options options = {.layout_file = layout, .feeds = feeds, .feed_count = 1,
				       .clock = clock};
	if (!wall_open(&wall, &options)) {
		return false;
	}
	wall_fetch_once(&wall);
	bool ok = screenshot_write(&wall, c->width, c->height, out_png, err, sizeof(err));
	if (!ok) {
		printf("# %s\n", err);
	}
	wall_close(&wall);
	return ok;
}

static void compare_case(const struct golden_case *c)
{
	char dir[4096], actual[4400], diff_path[4400], reference[4400];
	snprintf(dir, sizeof(dir), "%s/golden", build_root());
	mkdir(dir, 0755);
	snprintf(actual, sizeof(actual), "%s/%s.actual.png", dir, c->name);
	snprintf(diff_path, sizeof(diff_path), "%s/%s.diff.png", dir, c->name);
	snprintf(reference, sizeof(reference), "%s/tests/golden/%s.png", source_root(), c->name);
	CHECK(render(c, actual));

	cairo_surface_t *want = cairo_image_surface_create_from_png(reference);
	cairo_surface_t *got = cairo_image_surface_create_from_png(actual);
	if (cairo_surface_status(want) != CAIRO_STATUS_SUCCESS) {
		printf("# %s: no reference %s (run tools/update-golden)\n", c->name, reference);
		CHECK(false);
	} else if (cairo_surface_status(got) != CAIRO_STATUS_SUCCESS) {
		CHECK(false);
	} else {
		cairo_surface_t *diff = NULL;
		struct image_diff d = image_compare(got, want, TOLERANCE, &diff);
		long allowed = (long)(MAX_DIFFERING_SHARE * c->width * c->height);
		CHECK(!d.size_differs);
		if (d.size_differs || d.differing > allowed) {
			printf("# %s: %ld pixels differ (allowed %ld), max channel delta %d; see %s\n",
			       c->name, d.differing, allowed, d.max_delta, diff ? diff_path : actual);
			CHECK(false);
		} else {
			remove(actual);
		}
		if (diff) {
			cairo_surface_write_to_png(diff, diff_path);
			cairo_surface_destroy(diff);
		}
	}
	cairo_surface_destroy(want);
	cairo_surface_destroy(got);
}

static struct golden_case cases[256];
static size_t case_count;
static size_t next_case;

/* One TAP case per golden image, run in order. */
static void run_next_case(void)
{
	compare_case(&cases[next_case++]);
}

/* The comparison itself must be able to fail: a one-tile change is caught. */
static void comparison_detects_a_change(void)
{
	cairo_surface_t *a = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 100, 100);
	cairo_surface_t *b = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 100, 100);
	cairo_t *cr = cairo_create(b);
	cairo_rectangle(cr, 10, 10, 20, 20);
	cairo_set_source_rgb(cr, 0.5, 0, 0);
	cairo_fill(cr);
	cairo_destroy(cr);
	struct image_diff d = image_compare(a, b, TOLERANCE, NULL);
	CHECK_INT(d.differing, 400);
	CHECK_INT(d.max_delta, 128);
	d = image_compare(a, a, 0, NULL);
	CHECK_INT(d.differing, 0);
	cairo_surface_destroy(a);
	cairo_surface_destroy(b);
}

int main(void)
{
	static struct check_case tests[257];
	case_count = read_cases(cases, 256);
	if (case_count < 6) {
		printf("# expected at least 6 golden cases, found %zu\n", case_count);
		return 1;
	}
	for (size_t i = 0; i < case_count; i++) {
		tests[i] = (struct check_case){cases[i].name, run_next_case};
	}
	tests[case_count] = (struct check_case){"the comparison detects a change",
						comparison_detects_a_change};
	return check_run(tests, case_count + 1);
}
