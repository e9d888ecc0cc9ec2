#include "compose/overlay.h"

#include "render/draw.h"

#include <math.h>
#include <stdio.h>

static double line_height(double scale)
{
	return 30 * scale;
}

static size_t shown_lines(size_t count)
{
	return count > OVERLAY_MAX_LINES ? OVERLAY_MAX_LINES : count;
}

struct irect overlay_rect(int width, int height, double scale, size_t lines)
{
	if (lines == 0) {
		return (struct irect){0, 0, 0, 0};
	}
	int h = (int)ceil(line_height(scale) * (double)shown_lines(lines) + 16 * scale);
	return (struct irect){0, height - h, width, h};
}

void overlay_draw(cairo_t *cr, struct text_engine *text, const struct theme *theme, int width,
		  int height, double scale, const char *const *messages, size_t count)
{
	if (count == 0) {
		return;
	}
	struct irect area = overlay_rect(width, height, scale, count);
	cairo_save(cr);
	cairo_rectangle(cr, area.x, area.y, area.w, area.h);
	cairo_set_source_rgba(cr, 0.08, 0.02, 0.03, 0.92);
	cairo_fill(cr);
	cairo_rectangle(cr, area.x, area.y, area.w, 3 * scale);
	draw_set_color(cr, theme->states[STATE_VERY_BAD].accent);
	cairo_fill(cr);
	cairo_scale(cr, scale, scale);

	struct color white = {1, 1, 1, 1};
	struct text_style style = draw_text_style(theme->font, false, 19, white, TEXT_ALIGN_LEFT);
	double x = 16, y = area.y / scale + 8 + 21;
	size_t lines = shown_lines(count);
	for (size_t i = 0; i < lines; i++) {
		char more[64];
		const char *line = messages[i];
		if (i == lines - 1 && count > lines) {
			snprintf(more, sizeof(more), "… and %zu more", count - lines + 1);
			line = more;
		}
		text_draw(text, cr, &style, x, y, width / scale - 2 * x, line);
		y += line_height(1);
	}
	cairo_restore(cr);
}
