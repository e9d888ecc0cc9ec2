#include "compose/grid_overlay.h"

#include "render/draw.h"

#include <math.h>

static void draw_cells(cairo_t *cr, const struct layout *l)
{
	const struct grid *g = &l->grid;
	double w = l->width - 2 * g->margin, h = l->height - 2 * g->margin;
	double cell_w = (w - (g->columns - 1) * g->gap) / g->columns;
	double cell_h = (h - (g->rows - 1) * g->gap) / g->rows;
	cairo_set_line_width(cr, 1);
	cairo_set_source_rgba(cr, 1, 0.25, 0.8, 0.55);
	for (int row = 0; row < g->rows; row++) {
		for (int col = 0; col < g->columns; col++) {
			cairo_rectangle(cr, g->margin + col * (cell_w + g->gap) + 0.5,
					g->margin + row * (cell_h + g->gap) + 0.5, cell_w - 1,
					cell_h - 1);
		}
	}
	cairo_stroke(cr);
}

static void label(cairo_t *cr, struct text_engine *text, const char *s, double x, double y,
		  double size, struct color color, enum text_align align)
{
	struct text_style style = draw_text_style("DejaVu Sans", true, size, color, align);
	double width = text_measure(text, cr, &style, s).width;
	double left = align == TEXT_ALIGN_CENTER ? x - width / 2 : x;
	cairo_rectangle(cr, left - size * 0.3, y - size, width + size * 0.6, size * 1.3);
	cairo_set_source_rgba(cr, 0, 0, 0, 0.7);
	cairo_fill(cr);
	text_draw(text, cr, &style, x, y, 0, s);
}

void grid_overlay_draw(cairo_t *cr, const struct layout *layout, size_t page,
		       struct text_engine *text)
{
	cairo_save(cr);
	draw_cells(cr, layout);
	struct color area_color = {1, 0.6, 0.9, 1}, id_color = {1, 1, 0.4, 1};
	for (size_t i = 0; i < layout->area_count; i++) {
		const struct layout_area *a = &layout->areas[i];
		label(cr, text, a->name, a->rect.x + a->rect.w / 2, a->rect.y + a->rect.h / 2, 16,
		      area_color, TEXT_ALIGN_CENTER);
	}
	for (size_t i = 0; i < layout->tile_count; i++) {
		const struct tile *t = &layout->tiles[i];
		if (t->page >= 0 && (size_t)t->page != page) {
			continue;
		}
		cairo_rectangle(cr, t->rect.x + 1, t->rect.y + 1, t->rect.w - 2, t->rect.h - 2);
		cairo_set_source_rgba(cr, 1, 1, 0.4, 0.8);
		cairo_set_line_width(cr, 2);
		cairo_stroke(cr);
		label(cr, text, t->id, t->rect.x + 6, t->rect.y + 18, 12, id_color,
		      TEXT_ALIGN_LEFT);
	}
	cairo_restore(cr);
}
