/*
 * The window-surface backend: for machines without a GPU. With framebuffer acceleration off
 * (present_prepare_hints) the window surface on X11 is a shared-memory XImage, cairo draws
 * straight into it, and SDL_UpdateWindowSurfaceRects() pushes only the dirty rectangles with
 * XShmPutImage. One frame in memory, no texture, no GL.
 */

#include "display/present_backend.h"
#include "display/window.h"
#include "util/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct surface_present {
	struct present base;
	SDL_Surface *surface;   // borrowed: the window's; SDL frees it on the next acquire
	bool locked;            // we hold SDL_LockSurface(surface)
	int window_w, window_h; // window pixel size when `surface` was acquired
	/*
	 * Only when the window surface's format is not cairo's RGB24: cairo draws into `shadow`
	 * and dirty rectangles are converted into the window surface on present.
	 */
	unsigned char *shadow;       // owned, or NULL when drawing into `surface` directly
	SDL_Surface *shadow_surface; // owned: wraps `shadow` for SDL_BlitSurface
};

static struct surface_present *from_base(struct present *present)
{
	return (struct surface_present *)present;
}

/*
 * cairo's RGB24 is a native-endian 32-bit word 0xXXRRGGBB; SDL's packed 32-bit formats are
 * defined on the native-endian word too, so RGB888 (xRGB) is exactly that memory, and
 * ARGB8888 is as well: cairo ignores the top byte and so does a depth-24 X visual.
 */
static bool cairo_compatible(const SDL_Surface *surface)
{
	Uint32 format = surface->format->format;
	return (format == SDL_PIXELFORMAT_RGB888 || format == SDL_PIXELFORMAT_ARGB8888) &&
	       surface->pitch % 4 == 0 && surface->pitch >= surface->w * 4;
}

static const char *short_format_name(Uint32 format)
{
	const char *name = SDL_GetPixelFormatName(format);
	const char *prefix = "SDL_PIXELFORMAT_";
	return strncmp(name, prefix, strlen(prefix)) == 0 ? name + strlen(prefix) : name;
}

static void release(struct surface_present *sp)
{
	if (sp->locked) {
		SDL_UnlockSurface(sp->surface);
		sp->locked = false;
	}
	SDL_FreeSurface(sp->shadow_surface);
	sp->shadow_surface = NULL;
	free(sp->shadow);
	sp->shadow = NULL;
	sp->surface = NULL;
}

static bool make_shadow(struct surface_present *sp, char *err, size_t err_size)
{
	int w = sp->surface->w, h = sp->surface->h;
	sp->shadow = xcalloc((size_t)h, (size_t)w * 4);
	sp->shadow_surface = SDL_CreateRGBSurfaceWithFormatFrom(sp->shadow, w, h, 32, w * 4,
								SDL_PIXELFORMAT_RGB888);
	if (sp->shadow_surface == NULL) {
		present_set_error(err, err_size, "surface: cannot wrap frame buffer: %s",
				  SDL_GetError());
		return false;
	}
	// A plain copy: RGB888 has no alpha, but say so rather than rely on SDL's default.
	SDL_SetSurfaceBlendMode(sp->shadow_surface, SDL_BLENDMODE_NONE);
	snprintf(sp->base.description, sizeof(sp->base.description), "surface (converted to %s)",
		 short_format_name(sp->surface->format->format));
	return true;
}

/* Takes the window's current surface; on failure leaves nothing acquired. */
static bool acquire(struct surface_present *sp, char *err, size_t err_size)
{
	window_pixel_size(sp->base.window, &sp->window_w, &sp->window_h);
	sp->surface = SDL_GetWindowSurface(sp->base.window);
	if (sp->surface == NULL) {
		present_set_error(err, err_size, "surface: SDL_GetWindowSurface: %s",
				  SDL_GetError());
		return false;
	}
	if (!cairo_compatible(sp->surface)) {
		if (!make_shadow(sp, err, err_size)) {
			release(sp);
			return false;
		}
		return true;
	}
	snprintf(sp->base.description, sizeof(sp->base.description), "surface");
	// Window surfaces never need locking in practice (only RLE surfaces do), but cairo
	// will hold the pixels for as long as a frame is drawn, so keep it locked until push.
	if (SDL_MUSTLOCK(sp->surface)) {
		if (SDL_LockSurface(sp->surface) != 0) {
			present_set_error(err, err_size, "surface: SDL_LockSurface: %s",
					  SDL_GetError());
			release(sp);
			return false;
		}
		sp->locked = true;
	}
	return true;
}

static struct present *surface_create(SDL_Window *window, bool vsync, char *err,
				      size_t err_size)
{
	// No vsync here: X11 has no way to sync a plain XShmPutImage to the display.
	struct surface_present *sp = xcalloc(1, sizeof(*sp));
	sp->base.window = window;
	if (!acquire(sp, err, err_size)) {
		free(sp);
		return NULL;
	}
	return &sp->base;
}

static void surface_destroy(struct present *present)
{
	struct surface_present *sp = from_base(present);
	release(sp);
	free(sp);
}

static struct frame_buffer surface_frame(struct present *present)
{
	struct surface_present *sp = from_base(present);
	if (sp->surface == NULL) {
		return (struct frame_buffer){NULL, 0, 0, 0};
	}
	if (sp->shadow != NULL) {
		return (struct frame_buffer){sp->shadow, sp->surface->w, sp->surface->h,
					     sp->surface->w * 4};
	}
	return (struct frame_buffer){sp->surface->pixels, sp->surface->w, sp->surface->h,
				     sp->surface->pitch};
}

static bool surface_resize(struct present *present, char *err, size_t err_size)
{
	struct surface_present *sp = from_base(present);
	// The old surface is invalid after a size change: SDL frees it in SDL_GetWindowSurface.
	release(sp);
	return acquire(sp, err, err_size);
}

static bool convert_rects(struct surface_present *sp, const SDL_Rect *rects, int n, char *err,
			  size_t err_size)
{
	for (int i = 0; i < n; i++) {
		SDL_Rect dst = rects[i]; // SDL_BlitSurface writes the final rectangle into dst
		if (SDL_BlitSurface(sp->shadow_surface, &rects[i], sp->surface, &dst) != 0) {
			present_set_error(err, err_size, "surface: SDL_BlitSurface: %s",
					  SDL_GetError());
			return false;
		}
	}
	return true;
}

static bool push(struct surface_present *sp, const SDL_Rect *rects, int n, char *err,
		 size_t err_size)
{
	if (sp->locked) {
		SDL_UnlockSurface(sp->surface);
		sp->locked = false;
	}
	bool ok = SDL_UpdateWindowSurfaceRects(sp->base.window, rects, n) == 0;
	if (!ok) {
		present_set_error(err, err_size, "surface: SDL_UpdateWindowSurfaceRects: %s",
				  SDL_GetError());
	}
	if (sp->shadow == NULL && SDL_MUSTLOCK(sp->surface)) {
		if (SDL_LockSurface(sp->surface) != 0) {
			present_set_error(err, err_size, "surface: SDL_LockSurface: %s",
					  SDL_GetError());
			return false;
		}
		sp->locked = true;
	}
	return ok;
}

static bool surface_show(struct present *present, const SDL_Rect *rects, int n, char *err,
			 size_t err_size)
{
	struct surface_present *sp = from_base(present);
	// SDL keeps the old surface allocated but stale until the next SDL_GetWindowSurface;
	// pushing it would show a frame of the wrong size, so insist on the documented order.
	if (!present_window_fits(present, sp->window_w, sp->window_h, err, err_size)) {
		return false;
	}
	if (sp->shadow != NULL && !convert_rects(sp, rects, n, err, err_size)) {
		return false;
	}
	return push(sp, rects, n, err, err_size);
}

const struct present_ops present_surface_ops = {
	.create = surface_create,
	.destroy = surface_destroy,
	.frame = surface_frame,
	.resize = surface_resize,
	.show = surface_show,
};
