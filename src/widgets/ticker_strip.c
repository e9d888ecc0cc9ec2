#include "widgets/ticker_strip.h"

#include "util/xmalloc.h"

#include <stdbool.h>
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

struct segment {
	cairo_surface_t *surface; // owned; NULL: slot empty
	long index;               // which segment of the strip it holds
	unsigned long used;       // copy count when last used: the oldest slot is reused first
};

struct ticker_strip {
	cairo_format_t format;
	int height, window;
	long period;
	uint32_t *row_bg;        // owned, one per row
	struct segment *slots;   // owned
	size_t slot_count;
	unsigned long copies;    // ticker_strip_copy calls so far
	unsigned long paints;
};

static long segment_count(const struct ticker_strip *s)
{
	return (s->period + TICKER_STRIP_SEGMENT_PX - 1) / TICKER_STRIP_SEGMENT_PX;
}

long ticker_strip_period(long cycle)
{
	if (cycle <= 0) {
		return 0;
	}
	long copies = cycle < TICKER_STRIP_SEGMENT_PX
			      ? (TICKER_STRIP_SEGMENT_PX + cycle - 1) / cycle
			      : 1;
	return cycle * copies;
}

bool ticker_strip_read_background(cairo_surface_t *target, struct irect area, uint32_t *out)
{
	cairo_surface_flush(target);
	const unsigned char *data = cairo_image_surface_get_data(target);
	int stride = cairo_image_surface_get_stride(target);
	for (int y = area.y; y < area.y + area.h; y++) {
		const uint32_t *row = (const uint32_t *)(data + (size_t)y * (size_t)stride);
		for (int x = area.x; x < area.x + area.w; x++) {
			if (row[x] != row[area.x]) {
				return false;
			}
		}
		out[y - area.y] = row[area.x];
	}
	return true;
}

struct ticker_strip *ticker_strip_create(cairo_format_t format, int height, long period,
					 int window, const uint32_t *row_bg)
{
	if ((format != CAIRO_FORMAT_RGB24 && format != CAIRO_FORMAT_ARGB32) || height <= 0 ||
	    period <= 0 || window <= 0) {
		return NULL;
	}
	struct ticker_strip *s = xcalloc(1, sizeof(*s));
	s->format = format;
	s->height = height;
	s->window = window;
	s->period = period;
	s->row_bg = xmalloc((size_t)height * sizeof(*s->row_bg));
	memcpy(s->row_bg, row_bg, (size_t)height * sizeof(*s->row_bg));
	long total = segment_count(s);
	/* A window spans at most this many segments (it may start inside one). */
	long visible = (window + TICKER_STRIP_SEGMENT_PX - 1) / TICKER_STRIP_SEGMENT_PX + 1;
	long slots = period <= 4L * window ? total : visible + 1;
	s->slot_count = (size_t)(slots < total ? slots : total);
	s->slots = xcalloc(s->slot_count, sizeof(*s->slots));
	return s;
}

bool ticker_strip_fits(const struct ticker_strip *strip, cairo_format_t format, int height,
		       long period, int window, const uint32_t *row_bg)
{
	return strip->format == format && strip->height == height && strip->period == period &&
	       strip->window == window &&
	       memcmp(strip->row_bg, row_bg, (size_t)height * sizeof(*row_bg)) == 0;
}

void ticker_strip_destroy(struct ticker_strip *strip)
{
	if (!strip) {
		return;
	}
	for (size_t i = 0; i < strip->slot_count; i++) {
		if (strip->slots[i].surface) {
			cairo_surface_destroy(strip->slots[i].surface);
		}
	}
	free(strip->slots);
	free(strip->row_bg);
	free(strip);
}

static void fill_rows(struct ticker_strip *s, cairo_surface_t *surface)
{
	cairo_surface_flush(surface);
	unsigned char *data = cairo_image_surface_get_data(surface);
	int stride = cairo_image_surface_get_stride(surface);
	int width = cairo_image_surface_get_width(surface);
	for (int y = 0; y < s->height; y++) {
		uint32_t *row = (uint32_t *)(data + (size_t)y * (size_t)stride);
		for (int x = 0; x < width; x++) {
			row[x] = s->row_bg[y];
		}
	}
	cairo_surface_mark_dirty(surface);
}

/* The slot holding segment `index`, painted now if no slot holds it. */
static struct segment *segment(struct ticker_strip *s, long index, ticker_strip_paint_fn paint,
			       void *data)
{
	struct segment *oldest = &s->slots[0];
	for (size_t i = 0; i < s->slot_count; i++) {
		struct segment *slot = &s->slots[i];
		if (slot->surface && slot->index == index) {
			slot->used = s->copies;
			return slot;
		}
		if (!slot->surface || (oldest->surface && slot->used < oldest->used)) {
			oldest = slot;
		}
	}
	long x0 = index * TICKER_STRIP_SEGMENT_PX;
	long x1 = x0 + TICKER_STRIP_SEGMENT_PX < s->period ? x0 + TICKER_STRIP_SEGMENT_PX
							    : s->period;
	/* Every segment but the last has the same width: a reused slot keeps its surface. */
	if (oldest->surface && cairo_image_surface_get_width(oldest->surface) != (int)(x1 - x0)) {
		cairo_surface_destroy(oldest->surface);
		oldest->surface = NULL;
	}
	if (!oldest->surface) {
		oldest->surface = cairo_image_surface_create(s->format, (int)(x1 - x0), s->height);
	}
	fill_rows(s, oldest->surface);
	cairo_t *cr = cairo_create(oldest->surface);
	paint(data, cr, x0, x1);
	cairo_destroy(cr);
	cairo_surface_flush(oldest->surface);
	oldest->index = index;
	oldest->used = s->copies;
	s->paints++;
	return oldest;
}

/* Rows at least this long go around the cache (below); shorter ones are read again soon. */
#define STREAM_MIN_BYTES 1024

/*
 * One row of the window. The frame is read next by the X server, on the other core, not by
 * us: stores that bypass the cache (SSE2's streaming stores) do not first fetch each line the
 * server's last read left in its own cache. citywall-frame-floor's copy of a 4K band with them:
 * 1.56-1.68% of a core against 1.63-1.94% with memcpy. A short row is different: the columns
 * a crawl's move leaves to copy lie under the soft edges, which are blended over them at once,
 * and a read of what a streaming store just wrote waits for memory.
 */
static void copy_row(unsigned char *to, const unsigned char *from, size_t bytes)
{
#ifdef __SSE2__
	size_t head = (16 - ((uintptr_t)to & 15)) & 15;
	if (bytes < STREAM_MIN_BYTES) {
		memcpy(to, from, bytes);
		return;
	}
	memcpy(to, from, head);
	size_t i = head;
	for (; i + 64 <= bytes; i += 64) {
		for (size_t k = 0; k < 64; k += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(from + i + k));
			_mm_stream_si128((__m128i *)(void *)(to + i + k), v);
		}
	}
	memcpy(to + i, from + i, bytes - i);
#else
	memcpy(to, from, bytes);
#endif
}

static void copy_rows(cairo_surface_t *from, int from_x, unsigned char *to, int to_stride,
		      int x, int y, int w, int height)
{
	const unsigned char *src = cairo_image_surface_get_data(from);
	int src_stride = cairo_image_surface_get_stride(from);
	for (int row = 0; row < height; row++) {
		copy_row(to + (size_t)(y + row) * (size_t)to_stride + (size_t)x * 4,
			 src + (size_t)row * (size_t)src_stride + (size_t)from_x * 4, (size_t)w * 4);
	}
#ifdef __SSE2__
	_mm_sfence(); // streaming stores are weakly ordered: all in memory before the put
#endif
}

void ticker_strip_copy(struct ticker_strip *strip, cairo_surface_t *target, int x, int y, int w,
		       long offset, ticker_strip_paint_fn paint, void *data)
{
	struct ticker_strip *s = strip;
	s->copies++;
	cairo_surface_flush(target);
	unsigned char *to = cairo_image_surface_get_data(target);
	int to_stride = cairo_image_surface_get_stride(target);
	long at = offset % s->period;
	at += at < 0 ? s->period : 0;
	/* Bounded: each piece ends a segment or the window, and a segment is at least a column. */
	for (int done = 0; done < w;) {
		long index = at / TICKER_STRIP_SEGMENT_PX;
		struct segment *seg = segment(s, index, paint, data);
		long seg_x = at - index * TICKER_STRIP_SEGMENT_PX;
		long left = cairo_image_surface_get_width(seg->surface) - seg_x;
		int n = (int)(left < w - done ? left : w - done);
		copy_rows(seg->surface, (int)seg_x, to, to_stride, x + done, y, n, s->height);
		done += n;
		at = (at + n) % s->period;
	}
	cairo_surface_mark_dirty_rectangle(target, x, y, w, s->height);
}

size_t ticker_strip_capacity(const struct ticker_strip *strip)
{
	if (!strip) {
		return 0;
	}
	size_t stride = (size_t)cairo_format_stride_for_width(strip->format,
							      TICKER_STRIP_SEGMENT_PX);
	return strip->slot_count * stride * (size_t)strip->height;
}

size_t ticker_strip_bytes(const struct ticker_strip *strip)
{
	size_t bytes = 0;
	for (size_t i = 0; strip && i < strip->slot_count; i++) {
		cairo_surface_t *surface = strip->slots[i].surface;
		if (surface) {
			bytes += (size_t)cairo_image_surface_get_stride(surface) *
				 (size_t)strip->height;
		}
	}
	return bytes;
}

unsigned long ticker_strip_paints(const struct ticker_strip *strip)
{
	return strip ? strip->paints : 0;
}
