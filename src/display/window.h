#ifndef CITYWALL_DISPLAY_WINDOW_H
#define CITYWALL_DISPLAY_WINDOW_H

/*
 * The wall's SDL window: created on a chosen display, windowed or desktop-fullscreen, with the
 * hints its present backend needs already in place.
 */

#include "display/present.h"

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

struct window_options {
	const char *title; // borrowed; NULL for "citywall"
	int width, height; // windowed size in screen coordinates; <= 0: the display's size
	bool fullscreen;   // desktop fullscreen: no mode change, covers `display_index`
	int display_index; // -1: the default display (SDL's display 0)
	bool placed;       // at (x, y) from the display's top-left, not centred (several windows)
	int x, y;
	bool resizable;
	bool hide_cursor_when_fullscreen;
};

/*
 * Creates and shows a window for a present backend of `kind` (PRESENT_AUTO is resolved the
 * same way present_create() resolves it). Initialises SDL's video subsystem (reference
 * counted: window_destroy() releases it) and sets the backend's hints first. Returns NULL and
 * writes a message into err on failure, e.g. "display 3 does not exist (2 displays)".
 */
SDL_Window *window_create(const struct window_options *opts, enum present_kind kind, char *err,
			  size_t err_size);

/* Destroys a window from window_create() and releases the video subsystem; NULL is a no-op. */
void window_destroy(SDL_Window *window);

/*
 * The window's drawable size in pixels (differs from its size in screen coordinates on
 * high-DPI displays). Use it to lay out before a present backend exists; once one does, its
 * present_frame() size is authoritative (for the surface backend it is the window surface's).
 */
void window_pixel_size(SDL_Window *window, int *width, int *height);

/*
 * Whether the display code takes its own X11 paths (present_xshm.c, events.c): SDL drives X11
 * and CITYWALL_XSHM is not "0" (which keeps SDL's paths, to compare the two on site).
 */
bool window_own_x11_paths(void);

#endif
