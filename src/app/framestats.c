#include "app/framestats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void frame_window_add(struct frame_window *w, double value)
{
	w->values[w->count % FRAMESTATS_WINDOW] = value;
	w->count++;
}

static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Nearest rank, as util/stats.c, so the figures agree with the benchmark tools. */
static double rank(const double *sorted, size_t n, double p)
{
	double r = ceil(p / 100.0 * (double)n);
	size_t index = r < 1 ? 0 : (size_t)r - 1;
	return sorted[index < n ? index : n - 1];
}

struct frame_summary frame_window_summary(const struct frame_window *w)
{
	size_t n = w->count < FRAMESTATS_WINDOW ? w->count : FRAMESTATS_WINDOW;
	struct frame_summary s = {NAN, NAN, NAN, n};
	if (n == 0) {
		return s;
	}
	/* One sort for the three figures; 16 kB on the stack is fine for the main thread. */
	double sorted[FRAMESTATS_WINDOW];
	memcpy(sorted, w->values, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), compare);
	s.p50 = rank(sorted, n, 50);
	s.p99 = rank(sorted, n, 99);
	s.max = sorted[n - 1];
	return s;
}
