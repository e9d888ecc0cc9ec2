#ifndef CITYWALL_RENDER_DRAW_H
#define CITYWALL_RENDER_DRAW_H

/* Small cairo helpers shared by widgets, in virtual units. */

#include <cairo.h>

#include "layout/theme.h"
#include "render/text.h"
#include "util/geom.h"

void draw_set_color(cairo_t *cr, struct color c);
void draw_rounded_rect(cairo_t *cr, const struct rect *r, double radius);
/* A tile's card: filled rounded rectangle with a hairline border. */
void draw_card(cairo_t *cr, const struct rect *r, const struct theme *theme, struct color fill);

/* A text style from a theme colour. */
struct text_style draw_text_style(const char *family, bool bold, double size, struct color c,
				  enum text_align align);

/*
 * The em size at which `text` fits `max_width`: style->size when it fits already, else smaller
 * (text width grows with size almost linearly), but not below min_fraction of style->size.
 */
double draw_fit_size(struct text_engine *engine, cairo_t *cr, const struct text_style *style,
		     const char *text, double max_width, double min_fraction);

static inline double clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/*
 * Turns the pixels of `target` (a 32-bit image surface) inside the rounded rectangle r (device
 * pixels, corner radius in pixels) to grey of the same luminosity, times `dim` — what cairo's
 * HSL_SATURATION operator and a black wash do, in one integer pass instead of two float blends
 * per pixel (a stale wall.json at 7680x2160 redraws in 40 ms instead of 242). Only pixels wholly
 * inside r change, as cairo's antialiased clip at the card's half-pixel edge left its border.
 */
void draw_desaturate_rounded(cairo_surface_t *target, const struct rect *r, double radius,
			     double dim);
/* The same, changing only the pixels inside `limit` (what an animated frame changed). */
void draw_desaturate_rounded_in(cairo_surface_t *target, const struct rect *r, double radius,
				double dim, struct irect limit);

/*
 * `theme` with every colour turned to grey of the same luminosity times `dim`, as
 * draw_desaturate_rounded() turns pixels (blending is linear, so drawing with these colours
 * gives what greying the drawn pixels gives, to a unit or two). The strings are borrowed from
 * `theme`: never finish the copy.
 */
struct theme draw_grey_theme(const struct theme *theme, double dim);

/*
 * The pixels `cr` draws into, as an identity to compare and never to dereference: an image
 * surface's data, which is the same for the frame and for a drawing thread's surface over the
 * frame's pixels (compose/parallel.c); NULL for any other surface. A widget animating in place
 * keeps it from its last draw, to know the frame still holds that draw.
 */
const void *draw_pixels_identity(cairo_t *cr);

#endif
