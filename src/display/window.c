#include "display/window.h"

#include "display/present_backend.h"
#include "util/log.h"

#include <stdlib.h>
#include <string.h>

static bool init_video(char *err, size_t err_size)
{
	// A wall has nobody to click it back: never minimise when another window takes focus.
	SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
	// Reference counted, so the caller may have initialised video already; window_destroy()
	// gives back exactly this reference.
	if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
		present_set_error(err, err_size, "window: cannot initialise SDL video: %s",
				  SDL_GetError());
		return false;
	}
	return true;
}

static bool display_bounds(int index, SDL_Rect *bounds, char *err, size_t err_size)
{
	int count = SDL_GetNumVideoDisplays();
	if (count < 1) {
		present_set_error(err, err_size, "window: no displays: %s", SDL_GetError());
		return false;
	}
	if (index < 0 || index >= count) {
		present_set_error(err, err_size, "display %d does not exist (%d display%s)", index,
				  count, count == 1 ? "" : "s");
		return false;
	}
	if (SDL_GetDisplayBounds(index, bounds) != 0) {
		present_set_error(err, err_size, "window: display %d: %s", index, SDL_GetError());
		return false;
	}
	return true;
}

static Uint32 window_flags(const struct window_options *opts, enum present_kind kind)
{
	Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
	if (opts->fullscreen) {
		flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
	}
	if (opts->resizable) {
		flags |= SDL_WINDOW_RESIZABLE;
	}
	// SDL's GL renderers destroy and recreate a window created without this flag.
	if (kind == PRESENT_RENDERER) {
		flags |= SDL_WINDOW_OPENGL;
	}
	return flags;
}

static SDL_Window *create_on(const struct window_options *opts, enum present_kind kind,
			     int index, SDL_Rect bounds)
{
	const char *title = opts->title != NULL ? opts->title : "citywall";
	int x = (int)SDL_WINDOWPOS_CENTERED_DISPLAY(index);
	int y = x;
	if (opts->placed) {
		x = bounds.x + opts->x;
		y = bounds.y + opts->y;
	}
	int w = opts->width > 0 ? opts->width : bounds.w;
	int h = opts->height > 0 ? opts->height : bounds.h;
	if (opts->fullscreen) {
		// Placed on the display it covers: SDL picks the fullscreen display by position.
		x = bounds.x;
		y = bounds.y;
		w = bounds.w;
		h = bounds.h;
	}
	Uint32 flags = window_flags(opts, kind);
	SDL_Window *window = SDL_CreateWindow(title, x, y, w, h, flags);
	if (window == NULL && (flags & SDL_WINDOW_OPENGL)) {
		// No GL for windows here; let SDL_CreateRenderer find what it can, or say why not.
		log_debug("window: without OpenGL, since: %s", SDL_GetError());
		window = SDL_CreateWindow(title, x, y, w, h, flags & ~(Uint32)SDL_WINDOW_OPENGL);
	}
	return window;
}

SDL_Window *window_create(const struct window_options *opts, enum present_kind kind, char *err,
			  size_t err_size)
{
	kind = present_resolve_kind(kind);
	present_prepare_hints(kind);
	if (!init_video(err, err_size)) {
		return NULL;
	}
	int index = opts->display_index == -1 ? 0 : opts->display_index;
	SDL_Rect bounds;
	if (!display_bounds(index, &bounds, err, err_size)) {
		SDL_QuitSubSystem(SDL_INIT_VIDEO);
		return NULL;
	}
	SDL_Window *window = create_on(opts, kind, index, bounds);
	if (window == NULL) {
		present_set_error(err, err_size, "window: SDL_CreateWindow: %s", SDL_GetError());
		SDL_QuitSubSystem(SDL_INIT_VIDEO);
		return NULL;
	}
	if (opts->fullscreen && opts->hide_cursor_when_fullscreen) {
		SDL_ShowCursor(SDL_DISABLE);
	}
	return window;
}

void window_destroy(SDL_Window *window)
{
	if (window == NULL) {
		return;
	}
	SDL_DestroyWindow(window);
	SDL_QuitSubSystem(SDL_INIT_VIDEO);
}

void window_pixel_size(SDL_Window *window, int *width, int *height)
{
#if SDL_VERSION_ATLEAST(2, 26, 0)
	SDL_GetWindowSizeInPixels(window, width, height);
#else
	// Before 2.26 only the GL drawable size knew about high-DPI; for other windows it
	// equals the window size, which is what SDL_GL_GetDrawableSize then returns.
	SDL_GL_GetDrawableSize(window, width, height);
#endif
}

bool window_own_x11_paths(void)
{
	const char *driver = SDL_GetCurrentVideoDriver();
	const char *wanted = getenv("CITYWALL_XSHM");
	return driver != NULL && strcmp(driver, "x11") == 0 && !(wanted && strcmp(wanted, "0") == 0);
}
