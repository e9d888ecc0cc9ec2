#ifndef CITYWALL_DISPLAY_XSHM_STAGE_H
#define CITYWALL_DISPLAY_XSHM_STAGE_H

/*
 * Private to src/display (present_xshm.c): frames handed to the X server ahead of their time.
 *
 * A frame drawn ahead is sent behind a SYNC Await on the server's SERVERTIME counter (the
 * monotonic clock in milliseconds, the one clock_monotonic() reads): the server holds the
 * connection's requests until then and runs them at their time, so the wall wakes a few
 * times a second instead of 60 while its crawl still moves every frame.
 *
 * The pixels such a frame puts cannot stay in the frame buffer, which the next frame
 * overwrites long before the server reads them: they are copied into a staging segment, a
 * ring the server reads from in order. A range is written again only after the completion
 * of the put that read it.
 */

#include <SDL.h>
#include <X11/Xlib.h>
#include <X11/extensions/XShm.h>
#include <X11/extensions/sync.h>
#include <stdbool.h>
#include <stddef.h>

/* Frames staged and not yet read by the server, at most (their completions are pending). */
#define XSHM_STAGE_FRAMES 64

struct xshm_staged_frame {
	unsigned long serial; // the request number of the frame's last put (its completion)
	size_t start, end;    // the frame's bytes in the ring
};

/*
 * Owned by the xshm present. `image` is a header for the segment, its data pointer and size
 * set for each put; the segment is attached to the server while `image` exists.
 */
struct xshm_stage {
	XSyncCounter servertime; // 0: no SYNC extension or no SERVERTIME: nothing is staged
	XShmSegmentInfo shm;
	XImage *image; // owned; NULL: no staging
	size_t bytes;  // the ring's size
	size_t head;   // where the next frame's bytes go
	struct xshm_staged_frame pending[XSHM_STAGE_FRAMES]; // oldest first, from `first`
	int first, count;
};

/*
 * Attaches a new shared-memory segment of `bytes` to the server behind `display`, marked for
 * removal so that no crash can leak it. False with a message (a remote server cannot attach).
 */
bool xshm_segment_attach(Display *display, XShmSegmentInfo *shm, size_t bytes, char *err,
			 size_t err_size);

/*
 * Finds SERVERTIME and attaches a ring of `bytes` for pixels of `visual`. False with a
 * message when the server cannot hold frames for later; the stage is then off (nothing to
 * close).
 */
bool xshm_stage_open(struct xshm_stage *stage, Display *display, Visual *visual, int depth,
		     size_t bytes, char *err, size_t err_size);
void xshm_stage_close(struct xshm_stage *stage, Display *display);

/* Whether frames can be held for later. */
bool xshm_stage_on(const struct xshm_stage *stage);

/* The connection's next requests run at `at` (monotonic seconds) or later. */
void xshm_stage_await(struct xshm_stage *stage, Display *display, double at);

/*
 * Puts `rects` of the frame (`pixels`, `stride` bytes a row) to `window` from a copy in the
 * ring, asking for a completion on the last. False, with nothing sent, when the ring has no
 * room for them now (the caller puts from the frame itself).
 */
bool xshm_stage_put(struct xshm_stage *stage, Display *display, Window window, GC gc,
		    const unsigned char *pixels, int stride, const SDL_Rect *rects, int n);

/* A completion with request number `serial` came: the frames it covers are read. */
void xshm_stage_completed(struct xshm_stage *stage, unsigned long serial);

/* Whether a frame is staged and not yet read (its completion is pending). */
bool xshm_stage_busy(const struct xshm_stage *stage);

#endif
