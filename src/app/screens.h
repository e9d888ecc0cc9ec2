#ifndef CITYWALL_APP_SCREENS_H
#define CITYWALL_APP_SCREENS_H

/*
 * The windows one process shows its board in (--display N[,N...]): one per display, all from
 * one board, one feed and one clock, presented in the same loop iteration.
 *
 * One window: the board draws straight into the window's frame buffer (no copy). Several
 * windows with a viewport each (--viewport X,Y,W,H:X,Y,W,H...): the board draws the smallest
 * rectangle of the canvas holding every viewport into a frame of its own, once, and each window
 * copies its part of what changed (its damage only) and presents it. Several windows without
 * viewports: each shows the first window's picture, scaled to its own size (the same board on
 * every screen of a station).
 */

#include <SDL.h>
#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "app/cli.h"
#include "display/present.h"
#include "util/geom.h"

struct screen {
	SDL_Window *window;       // owned
	struct present *present;  // owned
	cairo_surface_t *target;  // owned: wraps the backend's frame buffer
	struct irect source;      // what it shows, in the board's frame; empty: all of it
};

struct screens {
	struct screen items[VIEWPORT_MAX];
	size_t count;
	cairo_surface_t *own;     // owned: the board's frame when it is not items[0]'s; NULL
};

/* Opens one window per display of `options` (at least one). False with a message in err. */
bool screens_open(struct screens *screens, const struct cli_options *options,
		  const char *title, char *err, size_t err_size);
void screens_close(struct screens *screens);

/* The surface the board draws into (borrowed). */
cairo_surface_t *screens_frame(const struct screens *screens);

/*
 * Wraps screen `index`'s frame buffer again (after it was created or resized); the board's
 * frame is new when it is that screen's. False with a message when it cannot be drawn into.
 */
bool screens_attach(struct screens *screens, size_t index, char *err, size_t err_size);

/* The screen showing SDL window `window_id`, or -1. */
long screens_find(const struct screens *screens, Uint32 window_id);

/*
 * Whether the board may move pixels on the screen instead of putting them (struct
 * screen_move): one window showing the board's own frame, on a backend that can.
 */
bool screens_can_move(const struct screens *screens);

/*
 * Whether a frame can be sent ahead of its time (present_can_hold()): one window that can
 * move pixels, on a server that holds requests for later.
 */
bool screens_can_hold(const struct screens *screens);

/*
 * Gives back the memory of the frame's parts not shown for a while (present_release_idle),
 * where one window shows the board's own frame; returns the bytes.
 */
size_t screens_release_idle(struct screens *screens);

/* What is shown at least every `seconds` keeps its memory (present_keep_frame_for). */
void screens_keep_frame_for(struct screens *screens, double seconds);

/* False when the frame lost parts to screens_release_idle() since it was last shown whole. */
bool screens_frame_whole(struct screens *screens);

/* Sends the frames kept for later (present_flush). */
void screens_flush(struct screens *screens);

/* Whether the frame buffer can be drawn without waiting for the server (present_frame_free). */
bool screens_frame_free(struct screens *screens);

/*
 * Shows the board frame's changed rectangles on every screen, after `moves` (only where
 * screens_can_move()), at monotonic time `at` (0: now; later only where screens_can_hold()).
 * False: err says why.
 */
bool screens_present(struct screens *screens, double at, const struct irect *damage,
		     size_t count, const struct screen_move *moves, size_t nmoves, char *err,
		     size_t err_size);
/* Whether a screen lost pixels a move was to copy (present_take_lost); clears it. */
bool screens_take_lost(struct screens *screens);
/* Returns once every screen's frame buffer may be written (present_wait_idle). */
void screens_wait_idle(struct screens *screens);
/* Shows all of screen `index` again (an expose: its pixels are intact in its buffer). */
bool screens_present_whole(struct screens *screens, size_t index, char *err, size_t err_size);

#endif
