#include "render/draw.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

void draw_set_color(cairo_t *cr, struct color c)
{
	cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

void draw_rounded_rect(cairo_t *cr, const struct rect *r, double radius)
{
	double rad = fmin(radius, fmin(r->w, r->h) / 2);
	if (rad <= 0) {
		cairo_rectangle(cr, r->x, r->y, r->w, r->h);
		return;
	}
	cairo_new_sub_path(cr);
	cairo_arc(cr, r->x + r->w - rad, r->y + rad, rad, -M_PI / 2, 0);
	cairo_arc(cr, r->x + r->w - rad, r->y + r->h - rad, rad, 0, M_PI / 2);
	cairo_arc(cr, r->x + rad, r->y + r->h - rad, rad, M_PI / 2, M_PI);
	cairo_arc(cr, r->x + rad, r->y + rad, rad, M_PI, 3 * M_PI / 2);
	cairo_close_path(cr);
}

void draw_card(cairo_t *cr, const struct rect *r, const struct theme *theme, struct color fill)
{
	/* Inset by half the border so that nothing is drawn outside the tile's own rectangle. */
	struct rect inner = {r->x + 0.5, r->y + 0.5, r->w - 1, r->h - 1};
	draw_rounded_rect(cr, &inner, theme->corner_radius);
	draw_set_color(cr, fill);
	cairo_fill_preserve(cr);
	draw_set_color(cr, theme->tile_border);
	cairo_set_line_width(cr, 1.0);
	cairo_stroke(cr);
}

struct text_style draw_text_style(const char *family, bool bold, double size, struct color c,
				  enum text_align align)
{
	return (struct text_style){
		.family = family,
		.bold = bold,
		.size = size,
		.rgba = {c.r, c.g, c.b, c.a},
		.align = align,
	};
}

double draw_fit_size(struct text_engine *engine, cairo_t *cr, const struct text_style *style,
		     const char *text, double max_width, double min_fraction)
{
	double width = text_measure(engine, cr, style, text).width;
	if (width <= max_width || width <= 0) {
		return style->size;
	}
	/* A little under the linear estimate: hinting makes small sizes slightly wider. */
	double fitted = style->size * max_width / width * 0.98;
	return fmax(fitted, style->size * min_fraction);
}

/* How far into the row a rounded rectangle's corner starts at pixel row centre y. */
static double corner_inset(const struct rect *r, double radius, double y)
{
	double dy = 0;
	if (y < r->y + radius) {
		dy = r->y + radius - y;
	} else if (y > r->y + r->h - radius) {
		dy = y - (r->y + r->h - radius);
	}
	return dy > 0 ? radius - sqrt(fmax(0, radius * radius - dy * dy)) : 0;
}

static uint32_t grey_pixel(uint32_t p, uint32_t kr, uint32_t kg, uint32_t kb)
{
	uint32_t l = (((p >> 16) & 0xff) * kr + ((p >> 8) & 0xff) * kg + (p & 0xff) * kb) >> 8;
	l = l > 255 ? 255 : l;
	return (p & 0xff000000u) | l << 16 | l << 8 | l;
}

typedef uint32_t pixels8 __attribute__((vector_size(32)));
typedef uint16_t halves16 __attribute__((vector_size(32)));

/*
 * x86-64: an AVX2 build of the pass as well, chosen when the program loads (glibc's ifunc).
 * Not under a sanitizer: the chooser runs during relocation, before the sanitizer's runtime
 * is up, and the program dies before main.
 */
#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) ||                       \
	__has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||              \
	__has_feature(memory_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define CITYWALL_SANITIZED 1
#endif
#if defined(__x86_64__) && defined(__linux__) && !defined(CITYWALL_SANITIZED)
#define WITH_AVX2 __attribute__((target_clones("avx2", "default")))
#else
#define WITH_AVX2
#endif

/*
 * grey_pixel() over a row, eight pixels at a time in GCC/clang vector arithmetic (AVX2 or
 * SSE2 on x86-64, NEON on arm64), with the same integer formula so the pixels are the same.
 * The channels are multiplied in 16-bit lanes (blue and red in one vector, green in another),
 * which SSE2 does in one instruction where a 32-bit product takes five, and -O2 does not
 * vectorise the plain loop at all. A whole 7680x2160 frame: 32 ms as a plain loop at -O2,
 * 13 at -O3, 5.8 in 16-bit lanes, 3.8 with AVX2 (a cairo copy of the frame is 6.5).
 * The lanes cannot overflow while kr + kg + kb <= 256 (dim <= 1); otherwise the plain loop.
 */
WITH_AVX2
static void grey_span(uint32_t *row, size_t count, uint32_t kr, uint32_t kg, uint32_t kb)
{
	size_t x = 0;
	if (kr + kg + kb <= 256) {
		/* Little-endian lanes of a pixel 0xAARRGGBB masked with 0x00ff00ff: B, R. */
		halves16 k_br, k_ga;
		for (int i = 0; i < 16; i++) {
			k_br[i] = (uint16_t)(i % 2 ? kr : kb);
			k_ga[i] = (uint16_t)(i % 2 ? 0 : kg);
		}
		for (; x + 8 <= count; x += 8) {
			pixels8 p;
			memcpy(&p, row + x, sizeof(p));
			halves16 br = (halves16)(p & 0x00ff00ffu) * k_br;
			halves16 ga = (halves16)((p >> 8) & 0x00ff00ffu) * k_ga;
			pixels8 sum = (pixels8)(br + ga); // B*kb + G*kg low, R*kr high
			pixels8 l = ((sum & 0xffffu) + (sum >> 16)) >> 8;
			p = (p & 0xff000000u) | l << 16 | l << 8 | l;
			memcpy(row + x, &p, sizeof(p));
		}
	}
	for (; x < count; x++) {
		row[x] = grey_pixel(row[x], kr, kg, kb);
	}
}

static struct color grey_color(struct color c, double dim)
{
	double l = (0.30 * c.r + 0.59 * c.g + 0.11 * c.b) * dim;
	l = l > 1 ? 1 : l;
	return (struct color){l, l, l, c.a};
}

struct theme draw_grey_theme(const struct theme *theme, double dim)
{
	struct theme grey = *theme;
	grey.background = grey_color(theme->background, dim);
	grey.tile = grey_color(theme->tile, dim);
	grey.tile_border = grey_color(theme->tile_border, dim);
	grey.text = grey_color(theme->text, dim);
	grey.muted = grey_color(theme->muted, dim);
	grey.accent = grey_color(theme->accent, dim);
	for (int i = 0; i < STATE_COUNT; i++) {
		grey.states[i].fill = grey_color(theme->states[i].fill, dim);
		grey.states[i].accent = grey_color(theme->states[i].accent, dim);
	}
	return grey;
}

void draw_desaturate_rounded(cairo_surface_t *target, const struct rect *r, double radius,
			     double dim)
{
	struct irect all = {0, 0, cairo_image_surface_get_width(target),
			    cairo_image_surface_get_height(target)};
	draw_desaturate_rounded_in(target, r, radius, dim, all);
}

void draw_desaturate_rounded_in(cairo_surface_t *target, const struct rect *r, double radius,
				double dim, struct irect limit)
{
	cairo_format_t format = cairo_image_surface_get_format(target);
	if (format != CAIRO_FORMAT_RGB24 && format != CAIRO_FORMAT_ARGB32) {
		return;
	}
	cairo_surface_flush(target);
	unsigned char *data = cairo_image_surface_get_data(target);
	int stride = cairo_image_surface_get_stride(target);
	limit = irect_intersect(limit, (struct irect){0, 0, cairo_image_surface_get_width(target),
						      cairo_image_surface_get_height(target)});
	int left = limit.x, width = limit.x + limit.w, height = limit.y + limit.h;
	radius = fmin(fmax(radius, 0), fmin(r->w, r->h) / 2);
	/* Whole pixels only, as cairo's clip left the card's half-covered edge (its border). */
	int y0 = (int)fmax(limit.y, ceil(r->y)), y1 = (int)fmin(height, floor(r->y + r->h));
	/* Luminosity as cairo's HSL operators weigh it (0.30, 0.59, 0.11), times dim, in 1/256. */
	uint32_t kr = (uint32_t)lround(0.30 * dim * 256), kg = (uint32_t)lround(0.59 * dim * 256),
		 kb = (uint32_t)lround(0.11 * dim * 256);
	for (int y = y0; y < y1; y++) {
		double inset = corner_inset(r, radius, y + 0.5);
		int x0 = (int)fmax(left, ceil(r->x + inset));
		int x1 = (int)fmin(width, floor(r->x + r->w - inset));
		uint32_t *row = (uint32_t *)(void *)(data + (size_t)y * (size_t)stride);
		if (x1 > x0) {
			grey_span(row + x0, (size_t)(x1 - x0), kr, kg, kb);
		}
	}
	cairo_surface_mark_dirty_rectangle(target, left, y0, width - left, y1 > y0 ? y1 - y0 : 0);
}

const void *draw_pixels_identity(cairo_t *cr)
{
	cairo_surface_t *target = cairo_get_target(cr);
	return cairo_surface_get_type(target) == CAIRO_SURFACE_TYPE_IMAGE
		       ? cairo_image_surface_get_data(target)
		       : NULL;
}
