#ifndef CITYWALL_TESTS_IMAGE_COMPARE_H
#define CITYWALL_TESTS_IMAGE_COMPARE_H

/*
 * Comparing two images with a per-channel tolerance, for golden-image tests. Small
 * anti-aliasing differences between library versions pass; a changed colour, a moved tile or
 * missing text does not.
 */

#include <cairo.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

struct image_diff {
	long differing;   // pixels with a channel off by more than the tolerance
	int max_delta;    // the largest channel difference seen
	bool size_differs;
};

static inline int channel_delta(uint32_t a, uint32_t b, int shift)
{
	return abs((int)((a >> shift) & 0xff) - (int)((b >> shift) & 0xff));
}

/*
 * Compares a and b (RGB24 or ARGB32); when `diff_out` is not NULL and they differ, it receives
 * a new surface showing differing pixels in red over a dimmed copy of `a`.
 */
static inline struct image_diff image_compare(cairo_surface_t *a, cairo_surface_t *b,
					      int tolerance, cairo_surface_t **diff_out)
{
	struct image_diff d = {0};
	int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
	if (w != cairo_image_surface_get_width(b) || h != cairo_image_surface_get_height(b)) {
		d.size_differs = true;
		return d;
	}
	cairo_surface_flush(a);
	cairo_surface_flush(b);
	int sa = cairo_image_surface_get_stride(a), sb = cairo_image_surface_get_stride(b);
	const unsigned char *pa = cairo_image_surface_get_data(a);
	const unsigned char *pb = cairo_image_surface_get_data(b);
	cairo_surface_t *diff = NULL;
	unsigned char *pd = NULL;
	int sd = 0;
	if (diff_out) {
		diff = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
		pd = cairo_image_surface_get_data(diff);
		sd = cairo_image_surface_get_stride(diff);
	}
	for (int y = 0; y < h; y++) {
		const uint32_t *ra = (const uint32_t *)(pa + y * sa);
		const uint32_t *rb = (const uint32_t *)(pb + y * sb);
		for (int x = 0; x < w; x++) {
			int delta = 0;
			for (int shift = 0; shift <= 16; shift += 8) {
				int c = channel_delta(ra[x], rb[x], shift);
				delta = c > delta ? c : delta;
			}
			d.max_delta = delta > d.max_delta ? delta : d.max_delta;
			bool bad = delta > tolerance;
			d.differing += bad;
			if (pd) {
				uint32_t grey = ((ra[x] >> 8) & 0xff) / 3;
				((uint32_t *)(pd + y * sd))[x] =
					bad ? 0xffff0000u : (grey << 16) | (grey << 8) | grey;
			}
		}
	}
	if (diff) {
		cairo_surface_mark_dirty(diff);
		if (d.differing && diff_out) {
			*diff_out = diff;
		} else {
			cairo_surface_destroy(diff);
		}
	}
	return d;
}

#endif
