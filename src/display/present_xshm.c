/*
 * The surface backend on X11, done by hand: a shared-memory XImage of our own on a connection of
 * our own, put with XShmPutImage and a completion event instead of SDL's window surface.
 *
 * Why not SDL_UpdateWindowSurfaceRects: after every put it waits for an XSync round trip
 * (the process sleeps until the server answers, then wakes again), and the frame loop paid
 * that twice-a-frame wake-up 60 times a second whatever it drew. Here a put is sent and the
 * loop goes back to sleep; the server's "done reading" event is read only before the next
 * frame is written (present_wait_idle), when it has long arrived: one read, no sleep.
 *
 * Our own connection, because SDL's event pump reads every event of SDL's connection and
 * drops the ones it does not know, completion events among them. A window is a server
 * resource, so putting to it from another connection is ordinary X.
 *
 * Chosen only where it works: SDL on X11, the MIT-SHM extension, a visual whose pixels are
 * cairo's RGB24 words, and a server on this machine (XShmAttach fails on a remote one).
 * Otherwise present_create falls back to SDL's window surface (present_surface.c).
 */

#include "display/present_backend.h"
#include "display/frame_pages.h"
#include "display/window.h"
#include "display/xshm_stage.h"
#include "util/log.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#include <SDL_syswm.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>

/* A completion later than this means a wedged server: drawing on beats waiting forever. */
#define COMPLETION_WAIT_MS 1000

struct xshm_present {
	struct present base;
	Display *display;          // owned: our connection
	Window window;             // the SDL window's X id (borrowed: SDL destroys it)
	Visual *visual;            // borrowed from `display`
	int depth;
	GC gc;                     // owned
	int completion_type;       // the ShmCompletion event's type on `display`
	XImage *image;             // owned; its data is `shm.shmaddr`, not malloc'd
	XShmSegmentInfo shm;       // attached to the server while `image` exists
	bool put_pending;          // a put was sent and its completion not yet read
	unsigned long put_serial;  // the request number of that put
	bool lost;                 // a move's source was not on the screen (GraphicsExpose)
	struct frame_pages pages;  // when each page of the image was last put; idle ones given back
	struct xshm_stage stage;   // frames held for later, and the pixels they put
	bool held;                 // the next show is staged when it fits
	bool held_later;           // ... behind an await: not flushed until xshm_flush
	int width, height;         // pixels of `image`
};

static struct xshm_present *from_base(struct present *present)
{
	return (struct xshm_present *)present;
}

static void free_image(struct xshm_present *xp)
{
	if (xp->image == NULL) {
		return;
	}
	XShmDetach(xp->display, &xp->shm);
	XSync(xp->display, False); // the server lets go of the segment before we unmap it
	xp->image->data = NULL;    // not XDestroyImage's to free
	XDestroyImage(xp->image);
	xp->image = NULL;
	shmdt(xp->shm.shmaddr);
	frame_pages_free(&xp->pages);
	xp->put_pending = false;
}

static bool cairo_compatible(const XImage *image)
{
	return image->bits_per_pixel == 32 && image->red_mask == 0xff0000 &&
	       image->green_mask == 0xff00 && image->blue_mask == 0xff &&
	       image->byte_order == (SDL_BYTEORDER == SDL_LIL_ENDIAN ? LSBFirst : MSBFirst) &&
	       image->bytes_per_line % 4 == 0;
}

static bool make_image(struct xshm_present *xp, char *err, size_t err_size)
{
	window_pixel_size(xp->base.window, &xp->width, &xp->height);
	xp->image = XShmCreateImage(xp->display, xp->visual, (unsigned)xp->depth, ZPixmap, NULL,
				    &xp->shm, (unsigned)xp->width, (unsigned)xp->height);
	if (xp->image == NULL) {
		present_set_error(err, err_size, "xshm: XShmCreateImage %dx%d failed", xp->width,
				  xp->height);
		return false;
	}
	if (!cairo_compatible(xp->image)) {
		present_set_error(err, err_size,
				  "xshm: the window's visual is not 32-bit xRGB (%d bits, masks "
				  "%06lx/%06lx/%06lx)",
				  xp->image->bits_per_pixel, xp->image->red_mask,
				  xp->image->green_mask, xp->image->blue_mask);
		XDestroyImage(xp->image);
		xp->image = NULL;
		return false;
	}
	size_t bytes = (size_t)xp->image->bytes_per_line * (size_t)xp->height;
	if (!xshm_segment_attach(xp->display, &xp->shm, bytes, err, err_size)) {
		XDestroyImage(xp->image);
		xp->image = NULL;
		return false;
	}
	xp->image->data = xp->shm.shmaddr;
	frame_pages_init(&xp->pages, xp->shm.shmaddr, xp->image->bytes_per_line, xp->height);
	return true;
}

/* Opens our connection to the server SDL's window is on, and learns the window's visual. */
static bool open_connection(struct xshm_present *xp, char *err, size_t err_size)
{
	SDL_SysWMinfo info;
	SDL_VERSION(&info.version);
	if (!SDL_GetWindowWMInfo(xp->base.window, &info) || info.subsystem != SDL_SYSWM_X11) {
		present_set_error(err, err_size, "xshm: the window is not an X11 window");
		return false;
	}
	xp->window = info.info.x11.window;
	xp->display = XOpenDisplay(DisplayString(info.info.x11.display));
	if (xp->display == NULL) {
		present_set_error(err, err_size, "xshm: cannot open a second connection to %s",
				  DisplayString(info.info.x11.display));
		return false;
	}
	if (!XShmQueryExtension(xp->display)) {
		present_set_error(err, err_size, "xshm: the X server has no MIT-SHM");
		return false;
	}
	XWindowAttributes attributes;
	if (!XGetWindowAttributes(xp->display, xp->window, &attributes)) {
		present_set_error(err, err_size, "xshm: the window's attributes are unreadable");
		return false;
	}
	xp->visual = attributes.visual;
	xp->depth = attributes.depth;
	xp->completion_type = XShmGetEventBase(xp->display) + ShmCompletion;
	xp->gc = XCreateGC(xp->display, xp->window, 0, NULL);
	return true;
}

static void xshm_destroy(struct present *present)
{
	struct xshm_present *xp = from_base(present);
	if (xp->display != NULL) {
		xshm_stage_close(&xp->stage, xp->display);
		free_image(xp);
		if (xp->gc != NULL) {
			XFreeGC(xp->display, xp->gc);
		}
		XCloseDisplay(xp->display);
	}
	free(xp);
}

/*
 * The ring for frames sent ahead: a 32nd of the frame's bytes, from 256 KiB to 2 MiB (a
 * crawl's frame puts its soft edges, 10 KB at 1920x1080; a quarter second of frames is 15).
 */
static void open_stage(struct xshm_present *xp)
{
	size_t frame_bytes = (size_t)xp->width * (size_t)xp->height * 4;
	size_t bytes = frame_bytes / 32;
	bytes = bytes < 256 * 1024 ? 256 * 1024 : bytes > 2048 * 1024 ? 2048 * 1024 : bytes;
	char why[256];
	if (xshm_stage_open(&xp->stage, xp->display, xp->visual, xp->depth, bytes, why,
			    sizeof(why))) {
		xp->base.holds = true;
	} else {
		log_debug("%s: every frame is sent when it is drawn", why);
	}
}

static struct present *xshm_create(SDL_Window *window, bool vsync, char *err, size_t err_size)
{
	struct xshm_present *xp = xcalloc(1, sizeof(*xp));
	xp->base.window = window;
	if (!open_connection(xp, err, err_size) || !make_image(xp, err, err_size)) {
		xshm_destroy(&xp->base);
		return NULL;
	}
	snprintf(xp->base.description, sizeof(xp->base.description), "surface (xshm)");
	open_stage(xp);
	return &xp->base;
}

static struct frame_buffer xshm_frame(struct present *present)
{
	struct xshm_present *xp = from_base(present);
	if (xp->image == NULL) {
		return (struct frame_buffer){NULL, 0, 0, 0};
	}
	return (struct frame_buffer){(unsigned char *)xp->shm.shmaddr, xp->width, xp->height,
				     xp->image->bytes_per_line};
}

/*
 * An event of our connection: the pending put's completion, or a move's lost pixels. Only the
 * pending put's own completion ends the wait, by its request number: one of an earlier put
 * (a resize's XSync leaves it queued) would let the next frame be written while the server
 * still reads the last; a move then carries what it read half-written along the band.
 */
static void note_event(struct xshm_present *xp, const XEvent *event)
{
	if (event->type == xp->completion_type) {
		xshm_stage_completed(&xp->stage, event->xany.serial);
		if ((long)(event->xany.serial - xp->put_serial) >= 0) {
			xp->put_pending = false;
		}
	} else if (event->type == GraphicsExpose) {
		xp->lost = true;
	}
}

/*
 * Reads events until the pending put's completion: first those Xlib already holds (the flush
 * after a put often reads it), then what the socket has, without blocking.
 */
static void read_events(struct xshm_present *xp)
{
	int modes[] = {QueuedAlready, QueuedAfterReading};
	for (size_t i = 0; i < 2 && xp->put_pending; i++) {
		while (xp->put_pending && XEventsQueued(xp->display, modes[i]) > 0) {
			XEvent event;
			XNextEvent(xp->display, &event);
			note_event(xp, &event);
		}
	}
}

/* Reads the events that have come, without waiting: completions free the ring. */
static void read_available(struct xshm_present *xp)
{
	while (XEventsQueued(xp->display, QueuedAfterReading) > 0) {
		XEvent event;
		XNextEvent(xp->display, &event);
		note_event(xp, &event);
	}
}

static void xshm_wait_idle(struct present *present)
{
	struct xshm_present *xp = from_base(present);
	if (!xp->put_pending) {
		return;
	}
	read_events(xp);
	Uint64 deadline = SDL_GetTicks64() + COMPLETION_WAIT_MS;
	while (xp->put_pending) {
		Uint64 now = SDL_GetTicks64();
		if (now >= deadline) {
			log_once(LOG_WARN, "xshm-completion",
				 "xshm: the X server did not finish reading a frame within %d ms; "
				 "drawing on",
				 COMPLETION_WAIT_MS);
			xp->put_pending = false;
			return;
		}
		struct pollfd fd = {.fd = ConnectionNumber(xp->display), .events = POLLIN};
		poll(&fd, 1, (int)(deadline - now));
		read_events(xp);
	}
}

static bool xshm_resize(struct present *present, char *err, size_t err_size)
{
	struct xshm_present *xp = from_base(present);
	free_image(xp); // waits for the server to let go of the old segment
	return make_image(xp, err, err_size);
}

/* A held frame's pixels into the ring; when it is full, after reading what completed. */
static bool put_staged(struct xshm_present *xp, const SDL_Rect *rects, int n)
{
	const unsigned char *pixels = (const unsigned char *)xp->shm.shmaddr;
	int stride = xp->image->bytes_per_line;
	if (xshm_stage_put(&xp->stage, xp->display, xp->window, xp->gc, pixels, stride, rects, n)) {
		return true;
	}
	read_available(xp);
	return xshm_stage_put(&xp->stage, xp->display, xp->window, xp->gc, pixels, stride, rects,
			      n);
}

static bool xshm_show(struct present *present, const SDL_Rect *rects, int n, char *err,
		      size_t err_size)
{
	struct xshm_present *xp = from_base(present);
	if (!present_window_fits(present, xp->width, xp->height, err, err_size)) {
		xp->held = false;
		return false;
	}
	frame_pages_put(&xp->pages, rects, n, xp->width, xp->height, time_monotonic());
	if (xp->held && put_staged(xp, rects, n)) {
		xp->held = false;
		if (!xp->held_later) {
			XFlush(xp->display);
		}
		return true; // the frame buffer is free: the server reads the copy
	}
	xp->held = false;
	for (int i = 0; i < n; i++) {
		const SDL_Rect *r = &rects[i];
		bool last = i == n - 1; // requests run in order: one completion covers them all
		if (last) {
			xp->put_serial = NextRequest(xp->display);
		}
		XShmPutImage(xp->display, xp->window, xp->gc, xp->image, r->x, r->y, r->x, r->y,
			     (unsigned)r->w, (unsigned)r->h, last ? True : False);
	}
	XFlush(xp->display);
	xp->put_pending = true;
	return true;
}

/*
 * XCopyArea within the window. The GC asks for graphics exposures: where the source was not
 * on the screen (covered, unmapped) the server sends GraphicsExpose instead of copying, and
 * the frame is shown whole again (present_take_lost); otherwise one NoExpose, read with the
 * completion.
 */
static void xshm_move(struct present *present, const struct screen_move *moves, int n, bool flush)
{
	struct xshm_present *xp = from_base(present);
	for (int i = 0; i < n; i++) {
		const struct irect *r = &moves[i].from;
		XCopyArea(xp->display, xp->window, xp->window, xp->gc, r->x, r->y, (unsigned)r->w,
			  (unsigned)r->h, r->x + moves[i].dx, r->y);
	}
	if (flush) {
		xp->held = false;
		if (!xp->held_later) {
			XFlush(xp->display);
		}
	}
}

static size_t xshm_release_idle(struct present *present, double idle)
{
	struct xshm_present *xp = from_base(present);
	return xp->image ? frame_pages_release(&xp->pages, time_monotonic(), idle) : 0;
}

static bool xshm_frame_whole(struct present *present)
{
	return !from_base(present)->pages.partial;
}

static void xshm_flush(struct present *present)
{
	XFlush(from_base(present)->display);
}

static bool xshm_frame_free(struct present *present)
{
	return !from_base(present)->put_pending;
}

static void xshm_hold(struct present *present, double at)
{
	struct xshm_present *xp = from_base(present);
	if (at > 0) {
		xshm_stage_await(&xp->stage, xp->display, at);
	}
	xp->held = true;
	xp->held_later = at > 0; // sent with the last of the frames drawn ahead (xshm_flush)
}

/*
 * A move's GraphicsExpose comes before the completion wait_idle reads; with frames held for
 * later, wait_idle may have nothing to wait for, so what has come is read here.
 */
static bool xshm_take_lost(struct present *present)
{
	struct xshm_present *xp = from_base(present);
	if (!xp->put_pending && xshm_stage_busy(&xp->stage)) {
		read_available(xp);
	}
	bool lost = xp->lost;
	xp->lost = false;
	return lost;
}

const struct present_ops present_xshm_ops = {
	.create = xshm_create,
	.destroy = xshm_destroy,
	.frame = xshm_frame,
	.resize = xshm_resize,
	.show = xshm_show,
	.wait_idle = xshm_wait_idle,
	.move = xshm_move,
	.take_lost = xshm_take_lost,
	.hold = xshm_hold,
	.frame_free = xshm_frame_free,
	.flush = xshm_flush,
	.release_idle = xshm_release_idle,
	.frame_whole = xshm_frame_whole,
};
