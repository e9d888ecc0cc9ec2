#include "render/draw.h"

#include <math.h>
#include <stdint.h>

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
		for (int x = x0; x < x1; x++) {
			uint32_t p = row[x];
			uint32_t l = (((p >> 16) & 0xff) * kr + ((p >> 8) & 0xff) * kg + (p & 0xff) * kb) >> 8;
			l = l > 255 ? 255 : l;
			row[x] = (p & 0xff000000u) | l << 16 | l << 8 | l;
		}
	}
	cairo_surface_mark_dirty_rectangle(target, left, y0, width - left, y1 > y0 ? y1 - y0 : 0);
}
