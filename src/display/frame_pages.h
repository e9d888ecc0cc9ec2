#ifndef CITYWALL_DISPLAY_FRAME_PAGES_H
#define CITYWALL_DISPLAY_FRAME_PAGES_H

/*
 * Private to src/display (present_xshm.c): a frame buffer that keeps in memory only what the
 * screen takes from it often.
 *
 * The frame is the board's drawing, put on the screen part by part; the X server keeps what
 * it was shown. Every frame the board draws is whole inside what it puts (its damage: the
 * tiles, a crawl's edges, a district's box are drawn there from nothing), so the parts of the
 * frame not put for a while are never read again until they are drawn again: their pages
 * are given back to the kernel (MADV_REMOVE frees them for the X server's mapping of the
 * shared segment too) and come back as zeros when drawn. At 7680x2160 the frame is 66 MB of
 * shared memory, of which a steady wall puts a crawl's edges, a clock and a few tiles.
 *
 * What reads the frame whole (a screenshot, the published picture, an expose) has it drawn
 * whole first when pages were given back (frame_pages.partial).
 */

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Owned by the xshm present, for the frame of its image (`base`, borrowed). */
struct frame_pages {
	unsigned char *base;  // page-aligned start of the frame
	size_t bytes;         // the frame's bytes: stride x height
	int stride;           // bytes a row
	size_t count;         // pages
	uint32_t *put_at;     // owned: per page, when a put last read it (tenths of a second
			      // since `epoch`, + 1); 0: never since it was given back
	unsigned char *resident; // owned: mincore()'s answer, per page
	double epoch;         // monotonic seconds put_at counts from
	bool partial;         // pages were given back since the frame was last put whole
};

void frame_pages_init(struct frame_pages *pages, void *base, int stride, int height);
void frame_pages_free(struct frame_pages *pages);

/* The screen took `rects` (inside the frame) at monotonic time `now`. */
void frame_pages_put(struct frame_pages *pages, const SDL_Rect *rects, int n, int width,
		     int height, double now);

/*
 * Gives back the pages in memory that no put read for `idle` seconds. Returns the bytes given
 * back; sets `partial` when any were.
 */
size_t frame_pages_release(struct frame_pages *pages, double now, double idle);

#endif
