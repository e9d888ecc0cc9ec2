/*
 * The renderer backend: for machines with a GPU. cairo draws into ordinary memory; dirty
 * rectangles are copied into one streaming texture with SDL_LockTexture (PLATFORM.md: ~10x
 * cheaper than SDL_UpdateTexture on the whole frame), then the whole texture is drawn and
 * presented, synchronised to vblank when asked.
 */

#include "display/present_backend.h"
#include "util/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct renderer_present {
	struct present base;
	SDL_Renderer *renderer; // owned
	SDL_Texture *texture;   // owned: SDL_PIXELFORMAT_RGB888, the renderer's output size
	unsigned char *pixels;  // owned: the frame buffer, `height` rows of `stride` bytes
	int width, height, stride;
};

static struct renderer_present *from_base(struct present *present)
{
	return (struct renderer_present *)present;
}

static void drop_buffers(struct renderer_present *rp)
{
	if (rp->texture != NULL) {
		SDL_DestroyTexture(rp->texture);
		rp->texture = NULL;
	}
	free(rp->pixels);
	rp->pixels = NULL;
	rp->width = rp->height = rp->stride = 0;
}

/* (Re)creates texture and frame buffer at the renderer's current output size. */
static bool make_buffers(struct renderer_present *rp, char *err, size_t err_size)
{
	drop_buffers(rp);
	int w, h;
	if (SDL_GetRendererOutputSize(rp->renderer, &w, &h) != 0) {
		present_set_error(err, err_size, "renderer: SDL_GetRendererOutputSize: %s",
				  SDL_GetError());
		return false;
	}
	// RGB888 is xRGB in a native-endian 32-bit word: cairo's RGB24 memory, so no conversion.
	rp->texture = SDL_CreateTexture(rp->renderer, SDL_PIXELFORMAT_RGB888,
					SDL_TEXTUREACCESS_STREAMING, w, h);
	if (rp->texture == NULL) {
		present_set_error(err, err_size, "renderer: cannot create %dx%d texture: %s", w, h,
				  SDL_GetError());
		return false;
	}
	// Opaque frame: no blending when it is drawn, which is also the cheaper path.
	SDL_SetTextureBlendMode(rp->texture, SDL_BLENDMODE_NONE);
	// w * 4 is what cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, w) returns.
	rp->stride = w * 4;
	rp->pixels = xcalloc((size_t)h, (size_t)rp->stride);
	rp->width = w;
	rp->height = h;
	return true;
}

static void describe(struct renderer_present *rp)
{
	SDL_RendererInfo info = {0};
	const char *name = SDL_GetRendererInfo(rp->renderer, &info) == 0 ? info.name : "?";
	bool vsync = (info.flags & SDL_RENDERER_PRESENTVSYNC) != 0;
	snprintf(rp->base.description, sizeof(rp->base.description), "renderer (%s%s)", name,
		 vsync ? ", vsync" : "");
}

static void renderer_destroy(struct present *present)
{
	struct renderer_present *rp = from_base(present);
	drop_buffers(rp);
	if (rp->renderer != NULL) {
		SDL_DestroyRenderer(rp->renderer);
	}
	free(rp);
}

static struct present *renderer_create(SDL_Window *window, bool vsync, char *err,
				       size_t err_size)
{
	struct renderer_present *rp = xcalloc(1, sizeof(*rp));
	rp->base.window = window;
	Uint32 flags = SDL_RENDERER_ACCELERATED | (vsync ? SDL_RENDERER_PRESENTVSYNC : 0);
	rp->renderer = SDL_CreateRenderer(window, -1, flags);
	if (rp->renderer == NULL) {
		present_set_error(err, err_size, "renderer: SDL_CreateRenderer: %s",
				  SDL_GetError());
		renderer_destroy(&rp->base);
		return NULL;
	}
	if (!make_buffers(rp, err, err_size)) {
		renderer_destroy(&rp->base);
		return NULL;
	}
	describe(rp);
	return &rp->base;
}

static struct frame_buffer renderer_frame(struct present *present)
{
	struct renderer_present *rp = from_base(present);
	return (struct frame_buffer){rp->pixels, rp->width, rp->height, rp->stride};
}

static bool renderer_resize(struct present *present, char *err, size_t err_size)
{
	return make_buffers(from_base(present), err, err_size);
}

/* Copies one rectangle of the frame buffer into the texture; only that part is uploaded. */
static bool upload(struct renderer_present *rp, const SDL_Rect *rect, char *err, size_t err_size)
{
	void *dst;
	int pitch;
	if (SDL_LockTexture(rp->texture, rect, &dst, &pitch) != 0) {
		present_set_error(err, err_size, "renderer: SDL_LockTexture: %s", SDL_GetError());
		return false;
	}
	const unsigned char *src = rp->pixels + (size_t)rect->y * rp->stride + (size_t)rect->x * 4;
	size_t row_bytes = (size_t)rect->w * 4;
	for (int y = 0; y < rect->h; y++) {
		memcpy((unsigned char *)dst + (size_t)y * pitch, src + (size_t)y * rp->stride,
		       row_bytes);
	}
	SDL_UnlockTexture(rp->texture);
	return true;
}

static bool renderer_show(struct present *present, const SDL_Rect *rects, int n, char *err,
			  size_t err_size)
{
	struct renderer_present *rp = from_base(present);
	for (int i = 0; i < n; i++) {
		if (!upload(rp, &rects[i], err, err_size)) {
			return false;
		}
	}
	// The back buffer's contents are undefined after a swap, so every present draws the
	// whole texture; uploads stay limited to what changed.
	if (SDL_RenderCopy(rp->renderer, rp->texture, NULL, NULL) != 0) {
		present_set_error(err, err_size, "renderer: SDL_RenderCopy: %s", SDL_GetError());
		return false;
	}
	SDL_RenderPresent(rp->renderer);
	return true;
}

const struct present_ops present_renderer_ops = {
	.create = renderer_create,
	.destroy = renderer_destroy,
	.frame = renderer_frame,
	.resize = renderer_resize,
	.show = renderer_show,
};
