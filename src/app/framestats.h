#ifndef CITYWALL_APP_FRAMESTATS_H
#define CITYWALL_APP_FRAMESTATS_H

/*
 * Frame-time statistics of the render loop for the status document and the exit log: a count
 * over the whole run, and percentiles over a recent window of frames. A window, not the whole
 * run, because the wall runs for months: its memory stays fixed and its figures describe now.
 */

#include <stddef.h>

#include "util/geom.h"

#define FRAMESTATS_WINDOW 2048

struct frame_window {
	double values[FRAMESTATS_WINDOW];
	size_t count; // added over the whole run; the last min(count, WINDOW) are kept
};

struct frame_stats {
	long frames;              // presented over the whole run
	struct frame_window draw_ms;
	struct frame_window present_ms;
	struct frame_window late_ms; // how long after its deadline a timed frame was shown
	/* Pixel bytes sent to the screen, and moved on it by the server, over the whole run. */
	unsigned long long put_bytes, moved_bytes;
};

/* p50, p99 and max of a window's kept values; all NAN when it is empty. */
struct frame_summary {
	double p50, p99, max;
	size_t count; // values the summary is taken over
};

void frame_window_add(struct frame_window *w, double value);
/* Bytes of 4-byte pixels in `n` rectangles. */
unsigned long long frame_rect_bytes(const struct irect *rects, size_t n);
struct frame_summary frame_window_summary(const struct frame_window *w);

#endif
