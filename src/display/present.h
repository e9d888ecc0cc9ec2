#ifndef CITYWALL_DISPLAY_PRESENT_H
#define CITYWALL_DISPLAY_PRESENT_H

/*
 * Putting finished pixels on the screen. The board draws with cairo into a frame buffer that
 * the present backend owns, then tells it which rectangles changed. Two backends, chosen at
 * start-up:
 *   - "renderer": an accelerated SDL_Renderer with one streaming texture and vsync, for
 *     machines with a GPU. The frame buffer is ordinary memory; dirty rectangles are copied
 *     into the texture with SDL_LockTexture, then the texture is presented.
 *   - "surface": the window's own framebuffer, for machines without a GPU; cairo draws
 *     straight into it and only dirty rectangles are pushed. On X11 with MIT-SHM it is a
 *     shared-memory image of our own put with XShmPutImage (present_xshm.c, "surface (xshm)");
 *     elsewhere SDL's window surface (SDL_GetWindowSurface) with SDL's framebuffer
 *     acceleration turned off, pushed with SDL_UpdateWindowSurfaceRects. Measured ~10x
 *     leaner than the default on such machines (../shared/PLATFORM.md).
 */

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/geom.h"

enum present_kind {
	PRESENT_AUTO,     // renderer when a GPU render node exists, surface otherwise
	PRESENT_RENDERER,
	PRESENT_SURFACE,
};

/*
 * A frame buffer in CAIRO_FORMAT_RGB24 layout (32-bit native-endian xRGB), owned by the
 * backend. Valid until the next present_resize() or present_destroy().
 */
struct frame_buffer {
	unsigned char *pixels; // borrowed
	int width, height;     // pixels
	int stride;            // bytes per row
};

struct present;

/*
 * Parses "auto", "renderer" or "surface"; returns false for anything else.
 */
bool present_kind_parse(const char *name, enum present_kind *out);

/*
 * Sets the SDL hints that must be in place before SDL_Init/SDL_CreateWindow for `kind`
 * (framebuffer acceleration off for the surface backend). Call before creating the window.
 */
void present_prepare_hints(enum present_kind kind);

/*
 * Resolves PRESENT_AUTO to a concrete kind (GPU render node present → renderer).
 */
enum present_kind present_resolve_kind(enum present_kind kind);

/*
 * Creates the backend for `window` (borrowed; must outlive the backend). `vsync` applies to
 * the renderer backend. Returns NULL and writes a message into err on failure.
 */
struct present *present_create(SDL_Window *window, enum present_kind kind, bool vsync, char *err,
			       size_t err_size);
void present_destroy(struct present *present);

/* "renderer (opengl)" or "surface": for logs and the operator overlay. */
const char *present_describe(const struct present *present);

/*
 * The frame buffer to draw into. After the window changed size call present_resize() first;
 * its contents are then undefined and the caller must redraw everything.
 */
struct frame_buffer present_frame(struct present *present);

/* Re-acquires buffers after a window size change. Returns false with a message on failure. */
bool present_resize(struct present *present, char *err, size_t err_size);

/*
 * Shows the given rectangles of the frame buffer (clipped to it). n == 0 presents nothing.
 * Returns false with a message on failure.
 */
bool present_rects(struct present *present, const struct irect *rects, int n, char *err,
		   size_t err_size);

/* Whether present_update() can move pixels on the screen (the "surface (xshm)" backend). */
bool present_can_move(const struct present *present);

/*
 * Moves parts of the screen (struct screen_move, in order), then shows the given rectangles
 * of the frame buffer, as one update. A move whose source or destination leaves the frame is
 * refused with a message and nothing is shown; moves need present_can_move().
 */
bool present_update(struct present *present, const struct screen_move *moves, int nmoves,
		    const struct irect *rects, int n, char *err, size_t err_size);

/*
 * Whether present_update_at() can hold an update for a later time: the "surface (xshm)"
 * backend on a server with the SYNC extension, unless CITYWALL_SCREEN_AHEAD=0.
 */
bool present_can_hold(const struct present *present);

/*
 * present_update(), run on the screen at `at` (monotonic seconds; 0: now) when
 * present_can_hold(): a frame drawn ahead of its time is sent at once and shown at its time.
 * Updates run in the order they are sent. A held update that puts little is copied aside, so
 * the frame buffer is free at once; else it stays busy until the server has read it
 * (present_frame_free()). An update for later is sent with the next present_flush(), or with
 * any update for now.
 */
bool present_update_at(struct present *present, double at, const struct screen_move *moves,
		       int nmoves, const struct irect *rects, int n, char *err, size_t err_size);

/*
 * Sends the updates present_update_at() kept for later: they may wait in the connection's
 * buffer until a few are drawn, to go in one write.
 */
void present_flush(struct present *present);

/*
 * Gives back the memory of the frame buffer's parts no update has shown for 30 s
 * (CITYWALL_FRAME_IDLE), on the "surface (xshm)" backend: they hold zeros until drawn again.
 * Returns the bytes given back. Only for a frame whose every update draws what it shows (the
 * board's damage); whoever reads the frame whole draws it whole first (present_frame_whole).
 */
size_t present_release_idle(struct present *present);

/*
 * Gives back only what no update showed for longer than `seconds` (or the default, whichever
 * is longer; CITYWALL_FRAME_IDLE wins over both): what is drawn whole every so often (a
 * page's tiles at each turn, the frame for each published picture) keeps its memory.
 */
void present_keep_frame_for(struct present *present, double seconds);

/* False when present_release_idle() gave memory back since the frame was last shown whole. */
bool present_frame_whole(struct present *present);

/* Whether the frame buffer can be written without present_wait_idle() waiting. */
bool present_frame_free(struct present *present);

/*
 * Whether the screen could not copy some of what a move asked for (a window covered it, or
 * the window was unmapped) since the last call: the whole frame must be shown again, made
 * whole first. Known once present_wait_idle() has returned; clears the flag.
 */
bool present_take_lost(struct present *present);

/*
 * Returns once the frame buffer may be written again: the X server may still be reading what
 * the last present_rects() showed (the "surface (xshm)" backend does not wait for it there).
 * Call before drawing into the frame buffer.
 */
void present_wait_idle(struct present *present);

#endif
