#include "display/frame_pages.h"

#include "util/xmalloc.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static size_t page_size(void)
{
	long size = sysconf(_SC_PAGESIZE);
	return size > 0 ? (size_t)size : 4096;
}

void frame_pages_init(struct frame_pages *pages, void *base, int stride, int height)
{
	size_t size = page_size();
	*pages = (struct frame_pages){
		.base = base,
		.bytes = (size_t)stride * (size_t)height,
		.stride = stride,
	};
	pages->count = (pages->bytes + size - 1) / size;
	pages->put_at = xcalloc(pages->count ? pages->count : 1, sizeof(*pages->put_at));
	pages->resident = xcalloc(pages->count ? pages->count : 1, 1);
}

void frame_pages_free(struct frame_pages *pages)
{
	free(pages->put_at);
	free(pages->resident);
	*pages = (struct frame_pages){0};
}

static uint32_t stamp(const struct frame_pages *pages, double now)
{
	double tenths = (now - pages->epoch) * 10.0;
	return tenths < 0 ? 1 : tenths > 4e9 ? UINT32_MAX : (uint32_t)tenths + 1;
}

void frame_pages_put(struct frame_pages *pages, const SDL_Rect *rects, int n, int width,
		     int height, double now)
{
	if (pages->epoch == 0) {
		pages->epoch = now;
	}
	size_t size = page_size();
	uint32_t at = stamp(pages, now);
	for (int i = 0; i < n; i++) {
		const SDL_Rect *r = &rects[i];
		if (r->x == 0 && r->y == 0 && r->w >= width && r->h >= height) {
			pages->partial = false; // every page is in memory and holds its pixels
		}
		for (int y = r->y; y < r->y + r->h; y++) {
			size_t first = (size_t)y * (size_t)pages->stride + (size_t)r->x * 4;
			size_t last = first + (size_t)r->w * 4 - 1;
			for (size_t p = first / size; p <= last / size && p < pages->count; p++) {
				pages->put_at[p] = at;
			}
		}
	}
}

/* One run of pages [from, to) given back to the kernel; false: the kernel refused. */
static bool give_back(struct frame_pages *pages, size_t from, size_t to)
{
	size_t size = page_size();
	return madvise(pages->base + from * size, (to - from) * size, MADV_REMOVE) == 0;
}

size_t frame_pages_release(struct frame_pages *pages, double now, double idle)
{
	if (pages->count == 0 || pages->epoch == 0 ||
	    mincore(pages->base, pages->count * page_size(), pages->resident) != 0) {
		return 0;
	}
	uint32_t before = stamp(pages, now - idle);
	size_t released = 0, run = 0;
	for (size_t p = 0; p <= pages->count; p++) {
		bool idle_page = p < pages->count && (pages->resident[p] & 1) &&
				 pages->put_at[p] < before;
		if (idle_page) {
			run++;
			continue;
		}
		if (run > 0 && give_back(pages, p - run, p)) {
			for (size_t q = p - run; q < p; q++) {
				pages->put_at[q] = 0;
			}
			released += run;
		}
		run = 0;
	}
	if (released > 0) {
		pages->partial = true;
	}
	return released * page_size();
}
