/* The render loop's frame-time windows: percentiles by selection agree with a full sort. */

#include "check.h"

#include "app/framestats.h"
#include "util/stats.h"

#include <stdlib.h>

/* The window's summary against util/stats.c's sorted nearest rank over the values kept. */
static void check_against_sort(const struct frame_window *w)
{
	size_t n = w->count < FRAMESTATS_WINDOW ? w->count : FRAMESTATS_WINDOW;
	struct samples s = {0};
	for (size_t i = 0; i < n; i++) {
		samples_add(&s, w->values[i]);
	}
	struct frame_summary f = frame_window_summary(w);
	CHECK_INT((long)f.count, (long)n);
	CHECK_NEAR(f.p50, samples_percentile(&s, 50), 0);
	CHECK_NEAR(f.p99, samples_percentile(&s, 99), 0);
	CHECK_NEAR(f.max, samples_percentile(&s, 100), 0);
	samples_finish(&s);
}

static void empty_and_one(void)
{
	static struct frame_window w;
	w = (struct frame_window){0};
	struct frame_summary f = frame_window_summary(&w);
	CHECK(f.p50 != f.p50 && f.p99 != f.p99 && f.max != f.max); /* NaN */
	CHECK_INT((long)f.count, 0);
	frame_window_add(&w, 7.5);
	f = frame_window_summary(&w);
	CHECK_NEAR(f.p50, 7.5, 0);
	CHECK_NEAR(f.p99, 7.5, 0);
	CHECK_NEAR(f.max, 7.5, 0);
}

static void orders_and_ties(void)
{
	static struct frame_window w;
	for (int pattern = 0; pattern < 5; pattern++) {
		w = (struct frame_window){0};
		srand(11);
		size_t n = pattern == 4 ? 1000 : FRAMESTATS_WINDOW;
		for (size_t i = 0; i < n; i++) {
			double v = pattern == 0   ? (double)i                   // ascending
				   : pattern == 1 ? (double)(n - i)             // descending
				   : pattern == 2 ? (double)(rand() % 4)        // few values, many ties
				   : pattern == 3 ? 0.0                         // all equal, as late_ms
						  : (double)(rand() % 100000) / 7.0; // random, partly full
			frame_window_add(&w, v);
		}
		check_against_sort(&w);
	}
}

/* Past the window's size the oldest values are overwritten: the summary is of the newest. */
static void window_wraps(void)
{
	static struct frame_window w;
	w = (struct frame_window){0};
	for (int i = 0; i < FRAMESTATS_WINDOW; i++) {
		frame_window_add(&w, 1000.0 + i);
	}
	for (int i = 0; i < FRAMESTATS_WINDOW / 2; i++) {
		frame_window_add(&w, (double)(i % 97));
	}
	check_against_sort(&w);
	CHECK_NEAR(frame_window_summary(&w).max, 1000.0 + FRAMESTATS_WINDOW - 1, 0);
}

/* The bytes a frame's rectangles send: empty ones count nothing, and no int overflows. */
static void rect_bytes(void)
{
	struct irect rects[] = {{0, 0, 10, 2}, {5, 5, 0, 100}, {-3, 0, 4, -1}, {0, 0, 7680, 2160}};
	CHECK(frame_rect_bytes(rects, 1) == 80);
	CHECK(frame_rect_bytes(rects, 3) == 80);
	CHECK(frame_rect_bytes(rects, 4) == 80 + 4ull * 7680 * 2160);
	struct irect huge = {0, 0, 40000, 40000};
	CHECK(frame_rect_bytes(&huge, 1) == 6400000000ull);
	CHECK(frame_rect_bytes(NULL, 0) == 0);
}

static const struct check_case cases[] = {
	{"an empty window and one value", empty_and_one},
	{"sorted, reversed, tied and random windows agree with a full sort", orders_and_ties},
	{"a window that wrapped summarises its newest values", window_wraps},
	{"frame_rect_bytes: 4 bytes a pixel, empty rectangles nothing", rect_bytes},
};

CHECK_MAIN(cases)
