#ifndef CITYWALL_DISPLAY_PRESENT_BACKEND_H
#define CITYWALL_DISPLAY_PRESENT_BACKEND_H

/*
 * Private to src/display: the function table behind struct present. present.c dispatches,
 * present_surface.c and present_renderer.c implement one table each. A backend's own struct
 * starts with a `struct present` so that the two convert by a cast.
 */

#include "display/present.h"

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

struct present_ops {
	/* Returns a backend whose `base` is filled in except for `ops` (set by present_create). */
	struct present *(*create)(SDL_Window *window, bool vsync, char *err, size_t err_size);
	void (*destroy)(struct present *present);
	struct frame_buffer (*frame)(struct present *present);
	bool (*resize)(struct present *present, char *err, size_t err_size);
	/* `rects` are already clipped to the frame buffer and non-empty; n > 0. */
	bool (*show)(struct present *present, const SDL_Rect *rects, int n, char *err,
		     size_t err_size);
	/* Returns once the frame buffer may be written (the last show read it); NULL: always. */
	void (*wait_idle)(struct present *present);
	/*
	 * Queues screen moves (already checked to lie in the frame), sent with the next show or,
	 * when `flush`, now. NULL: the backend cannot move pixels on the screen.
	 */
	void (*move)(struct present *present, const struct screen_move *moves, int n, bool flush);
	/* Whether a move lost pixels since the last call (present_take_lost); NULL: never. */
	bool (*take_lost)(struct present *present);
	/*
	 * The next update (moves and show) runs on the screen at `at` (monotonic seconds; 0: now),
	 * not before, and its pixels are copied aside when they fit; called only when `holds`.
	 * NULL: never.
	 */
	void (*hold)(struct present *present, double at);
	/* Whether the frame buffer is free of shows the server has yet to read; NULL: always. */
	bool (*frame_free)(struct present *present);
	/* Sends what updates for later left in the connection's buffer; NULL: nothing waits. */
	void (*flush)(struct present *present);
	/*
	 * Gives back the frame buffer's memory that no show read for `idle` seconds (what is
	 * not shown again is drawn again first); returns the bytes. NULL: keeps it all.
	 */
	size_t (*release_idle)(struct present *present, double idle);
	/* False when memory was given back since the frame was last shown whole; NULL: true. */
	bool (*frame_whole)(struct present *present);
};

struct present {
	const struct present_ops *ops; // borrowed (static table)
	SDL_Window *window;            // borrowed
	char description[64];          // for present_describe()
	bool moves_off;                // CITYWALL_SCREEN_MOVES=0: never move (to compare)
	bool holds;                    // the backend can hold an update for later (ops->hold)
	bool hold_off;                 // CITYWALL_SCREEN_AHEAD=0: every update at once (to compare)
	double frame_idle;             // CITYWALL_FRAME_IDLE: seconds a frame part stays unshown
				       // before its memory is given back; 0: never
	bool frame_idle_set;           // ... set in the environment: present_keep_frame_for keeps it
	SDL_Rect *clipped;             // owned: scratch for present_rects(), `clipped_cap` long
	int clipped_cap;
};

extern const struct present_ops present_surface_ops;
extern const struct present_ops present_renderer_ops;
#ifdef CITYWALL_XSHM
extern const struct present_ops present_xshm_ops;
#endif

/*
 * False with a message when the window's size is no longer the frame buffer's width x height:
 * it changed and present_resize() has not followed yet (pushing now would show a frame of the
 * wrong size).
 */
bool present_window_fits(struct present *present, int width, int height, char *err,
			 size_t err_size);

/* snprintf into an error buffer that may be NULL or zero-sized. */
void present_set_error(char *err, size_t err_size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
