#include "compose/overlay.h"

#include "render/draw.h"

#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double line_height(double scale)
{
	return 30 * scale;
}

static size_t shown_lines(size_t count)
{
	return count > OVERLAY_MAX_LINES ? OVERLAY_MAX_LINES : count;
}

struct irect overlay_rect(const struct overlay_place *place, size_t lines)
{
	if (lines == 0) {
		return (struct irect){0, 0, 0, 0};
	}
	double scale = place->scale;
	if (place->band > 0) {
		const struct irect *c = &place->canvas;
		int h = (int)ceil(place->band * scale);
		return (struct irect){c->x, c->y + c->h - h, c->w, h};
	}
	int h = (int)ceil(line_height(scale) * (double)shown_lines(lines) + 16 * scale);
	return (struct irect){0, place->height - h, place->width, h};
}

/* Every message on one line, "  ·  " between them (shortened with "…" where it ends). */
static void draw_band(cairo_t *cr, struct text_engine *text, const struct theme *theme,
		      const struct overlay_place *place, const struct irect *area,
		      const char *const *messages, size_t count)
{
	size_t len = 1;
	for (size_t i = 0; i < count; i++) {
		len += strlen(messages[i]) + 8;
	}
	char *line = xmalloc(len), *end = line;
	*end = '\0';
	for (size_t i = 0; i < count; i++) {
		end += sprintf(end, "%s%s", i ? "  \xC2\xB7  " : "", messages[i]);
	}
	double size = fmin(19, place->band * 0.6);
	struct color white = {1, 1, 1, 1};
	struct text_style style = draw_text_style(theme->font, false, size, white, TEXT_ALIGN_LEFT);
	double x = area->x / place->scale + 16;
	double baseline = area->y / place->scale + place->band * 0.5 + size * 0.38;
	text_draw(text, cr, &style, x, baseline, area->w / place->scale - 32, line);
	free(line);
}

void overlay_draw(cairo_t *cr, struct text_engine *text, const struct theme *theme,
		  const struct overlay_place *place, const char *const *messages, size_t count)
{
	if (count == 0) {
		return;
	}
	double scale = place->scale;
	struct irect area = overlay_rect(place, count);
	cairo_save(cr);
	cairo_rectangle(cr, area.x, area.y, area.w, area.h);
	cairo_set_source_rgba(cr, 0.08, 0.02, 0.03, 0.92);
	cairo_fill(cr);
	cairo_rectangle(cr, area.x, area.y, area.w, 3 * scale);
	draw_set_color(cr, theme->states[STATE_VERY_BAD].accent);
	cairo_fill(cr);
	cairo_scale(cr, scale, scale);
	if (place->band > 0) {
		draw_band(cr, text, theme, place, &area, messages, count);
		cairo_restore(cr);
		return;
	}

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
		text_draw(text, cr, &style, x, y, place->width / scale - 2 * x, line);
		y += line_height(1);
	}
	cairo_restore(cr);
}
