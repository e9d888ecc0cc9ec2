#include "render/draw.h"

#include <math.h>

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
