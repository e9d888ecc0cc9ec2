#include "app/framestats.h"

#include "util/stats.h"

#include <math.h>
#include <string.h>

void frame_window_add(struct frame_window *w, double value)
{
	w->values[w->count % FRAMESTATS_WINDOW] = value;
	w->count++;
}

static void swap(double *a, double *b)
{
	double t = *a;
	*a = *b;
	*b = t;
}

/*
 * Rearranges v[0..n) so that v[k] holds the value a full sort would put there, with nothing
 * larger before it and nothing smaller after it (Hoare's selection, three-way partitions, so a
 * window of equal values, as late_ms often is, stays linear). The status file asks for three
 * figures of three windows every 2 s: a full sort of 2048 values each time cost more than the
 * rest of the status file.
 */
static void select_rank(double *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n; // v[k] lies in [lo, hi)
	while (hi - lo > 1) {
		double a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi - 1];
		double pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
		size_t lt = lo, i = lo, gt = hi; // [lo,lt) < pivot, [lt,i) == pivot, [gt,hi) > pivot
		while (i < gt) {
			if (v[i] < pivot) {
				swap(&v[lt++], &v[i++]);
			} else if (v[i] > pivot) {
				swap(&v[i], &v[--gt]);
			} else {
				i++;
			}
		}
		if (k < lt) {
			hi = lt;
		} else if (k >= gt) {
			lo = gt;
		} else {
			return;
		}
	}
}

struct frame_summary frame_window_summary(const struct frame_window *w)
{
	size_t n = w->count < FRAMESTATS_WINDOW ? w->count : FRAMESTATS_WINDOW;
	struct frame_summary s = {NAN, NAN, NAN, n};
	if (n == 0) {
		return s;
	}
	// 16 kB on the stack is fine for the main thread.
	double v[FRAMESTATS_WINDOW];
	memcpy(v, w->values, n * sizeof(*v));
	/* Nearest rank, as the benchmark tools take it, so the figures agree. */
	size_t i99 = stats_rank_index(n, 99), i50 = stats_rank_index(n, 50);
	select_rank(v, n, i99);
	s.p99 = v[i99];
	select_rank(v, i99 + 1, i50); // everything before v[i99] is no larger
	s.p50 = v[i50];
	s.max = s.p99;
	for (size_t i = i99 + 1; i < n; i++) {
		s.max = v[i] > s.max ? v[i] : s.max;
	}
	return s;
}

unsigned long long frame_rect_bytes(const struct irect *rects, size_t n)
{
	unsigned long long bytes = 0;
	for (size_t i = 0; i < n; i++) {
		if (!irect_empty(rects[i])) {
			bytes += 4ull * (unsigned long long)rects[i].w * (unsigned long long)rects[i].h;
		}
	}
	return bytes;
}
