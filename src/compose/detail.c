#include "compose/detail.h"

#include "compose/board.h"
#include "render/chart.h"
#include "render/draw.h"
#include "render/format.h"
#include "widgets/map.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- what the panel says ---- */

/* A tile option's value when the widget declares the key (tables differ per widget). */
static const struct option_value *tile_option(const struct tile *tile, const char *key)
{
	const struct option_set *set = &tile->options;
	for (size_t i = 0; i < set->count; i++) {
		if (strcmp(set->specs[i].key, key) == 0) {
			return &set->values[i];
		}
	}
	return NULL;
}

static const char *tile_title(const struct tile *tile)
{
	const struct option_value *v = tile_option(tile, "title");
	return v && v->text && v->text[0] ? v->text : tile->id;
}

static const struct tile_binding *tile_binding(const struct tile *tile, const char *key)
{
	for (size_t i = 0; i < tile->binding_count; i++) {
		if (strcmp(tile->bindings[i].key, key) == 0) {
			return &tile->bindings[i];
		}
	}
	return tile->binding_count ? &tile->bindings[0] : NULL;
}

/* Cut at a character boundary: text_draw shortens what is too wide with "…". */
static void add_line(struct detail_content *c, const char *text)
{
	if (c->line_count >= DETAIL_MAX_LINES) {
		return;
	}
	char *line = c->lines[c->line_count++];
	size_t n = strlen(text);
	if (n >= DETAIL_LINE) {
		n = DETAIL_LINE - 1;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80) {
			n--;
		}
	}
	memcpy(line, text, n);
	line[n] = '\0';
}

/* The value's readings that its source keeps, and its target: what a kpi's trend draws. */
static void fill_trend(const struct board *board, const struct tile *tile,
		       struct detail_content *c)
{
	const struct tile_binding *b = tile_binding(tile, "value");
	const struct history *h = b ? board_source_history(board, b->source) : NULL;
	c->series = h ? history_find(h, b->path) : NULL;
	const struct option_value *target = tile_option(tile, "target");
	c->target = target && target->set ? target->number : NAN;
	const struct option_value *decimals = tile_option(tile, "decimals");
	c->decimals = decimals && decimals->number >= 0 ? (int)decimals->number : 1;
	const struct option_value *unit = tile_option(tile, "unit");
	c->unit = unit && unit->text ? unit->text : "";
}

/* A district on every map of the layout that shows it (each its own source and value). */
static void fill_district(const struct board *board, const struct layout *layout,
			  const struct widget_part *part, struct detail_content *c)
{
	for (size_t i = 0; i < layout->tile_count; i++) {
		if (strcmp(layout->tiles[i].widget->name, "map") != 0) {
			continue;
		}
		char lines[4][DETAIL_LINE];
		size_t n = board_tile_part_lines(board, i, part, lines, 4);
		if (n == 0) {
			continue;
		}
		char line[2 * DETAIL_LINE + 160];
		snprintf(line, sizeof(line), "%s — %s", tile_title(&layout->tiles[i]), lines[0]);
		add_line(c, line);
	}
}

void detail_fill(const struct board *board, const struct layout *layout, size_t index,
		 const struct widget_part *part, double now, struct detail_content *c)
{
	memset(c, 0, sizeof(*c));
	c->target = NAN;
	c->unit = "";
	const struct tile *tile = &layout->tiles[index];
	c->detail = &tile->detail;
	snprintf(c->title, sizeof(c->title), "%s", tile_title(tile));
	if (part->kind != WIDGET_PART_NONE) {
		snprintf(c->subtitle, sizeof(c->subtitle), "%s", part->label);
	}
	if (part->kind == WIDGET_PART_DISTRICT) {
		fill_district(board, layout, part, c);
	} else if (part->kind != WIDGET_PART_NONE) {
		c->line_count = board_tile_part_lines(board, index, part, c->lines,
						      DETAIL_MAX_LINES);
		double lon, lat;
		if (part->kind == WIDGET_PART_MARKER && strcmp(tile->widget->name, "map") == 0 &&
		    map_marker_point(board_tile_widget(board, index), part->index, &lon, &lat)) {
			detail_fill_cameras(board, layout, lat, lon, c);
		}
	} else {
		char said[DETAIL_LINE];
		if (board_tile_describe(board, index, now, said, sizeof(said))) {
			add_line(c, said);
		}
		fill_trend(board, tile, c);
	}
	const struct tile_binding *b = tile_binding(tile, "value");
	if (b) {
		char as_of[64];
		format_as_of(board_tile_data_time(board, index), layout->timezone, now, as_of,
			     sizeof(as_of));
		snprintf(c->source, sizeof(c->source), "%s:%s · %s", layout->sources[b->source].name,
			 b->path, as_of);
	}
}

/* ---- where it goes ---- */

struct rect detail_panel_rect(const struct layout *layout)
{
	double w = layout->width * 0.56, h = layout->height * 0.64;
	return (struct rect){(layout->width - w) / 2, (layout->height - h) / 2, w, h};
}

struct rect detail_close_rect(const struct layout *layout, double screen_width_mm)
{
	struct rect p = detail_panel_rect(layout);
	/* Without the screen's size: a twentieth of the canvas height, a thumb on a wall. */
	double side = layout->height / 20;
	if (screen_width_mm > 0) {
		side = fmax(side, DETAIL_TARGET_MM * layout->width / screen_width_mm);
	}
	side = fmin(side, fmin(p.w, p.h) / 4);
	return (struct rect){p.x + p.w - side, p.y, side, side};
}

/* ---- drawing ---- */

static void draw_close(cairo_t *cr, const struct rect *r, const struct theme *theme)
{
	double m = r->w * 0.3;
	cairo_set_line_width(cr, fmax(2, r->w * 0.07));
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	draw_set_color(cr, theme->text);
	cairo_move_to(cr, r->x + m, r->y + m);
	cairo_line_to(cr, r->x + r->w - m, r->y + r->h - m);
	cairo_move_to(cr, r->x + r->w - m, r->y + m);
	cairo_line_to(cr, r->x + m, r->y + r->h - m);
	cairo_stroke(cr);
}

static void series_range(const struct detail_content *c, double *lo, double *hi)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	for (size_t i = 0; i < c->series->count; i++) {
		*lo = fmin(*lo, c->series->points[i].v);
		*hi = fmax(*hi, c->series->points[i].v);
	}
	if (isfinite(c->target)) {
		*lo = fmin(*lo, c->target);
		*hi = fmax(*hi, c->target);
	}
}

/* The readings as a line over time, the target dashed across, the ends labelled. */
static void draw_trend(cairo_t *cr, struct text_engine *text, const struct theme *theme,
		       const struct rect *r, const struct detail_content *c, const char *zone,
		       double now)
{
	const struct history_series *s = c->series;
	double lo, hi;
	series_range(c, &lo, &hi);
	struct chart_axis axis = chart_axis_nice(lo, hi, 4);
	double size = clampd(r->h * 0.09, 10, 28);
	struct text_style label = draw_text_style(theme->font, false, size, theme->muted,
						  TEXT_ALIGN_RIGHT);
	double left = r->x + size * 5, bottom = r->y + r->h - size * 1.6;
	struct rect plot = {left, r->y + size, r->x + r->w - left, bottom - r->y - size};
	char buf[64];
	for (int k = 0; k <= 1; k++) {
		double v = k ? axis.hi : axis.lo;
		double y = chart_map(v, axis.lo, axis.hi, plot.y + plot.h, plot.y);
		chart_format_value(v, chart_axis_decimals(axis.step), true, "", buf, sizeof(buf));
		text_draw(text, cr, &label, left - size * 0.5, y + size * 0.36, size * 4.5, buf);
	}
	double t0 = s->points[0].t, t1 = s->points[s->count - 1].t;
	if (isfinite(c->target)) {
		double y = chart_map(c->target, axis.lo, axis.hi, plot.y + plot.h, plot.y);
		/* As the trend widget draws a target: a dashed line, its value at its left end. */
		double dash[] = {size * 0.5, size * 0.3};
		cairo_set_dash(cr, dash, 2, 0);
		cairo_set_line_width(cr, fmax(1, size * 0.1));
		draw_set_color(cr, chart_fade(theme->text, 0.75));
		cairo_move_to(cr, plot.x, y);
		cairo_line_to(cr, plot.x + plot.w, y);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		char value[64], text_buf[96];
		chart_format_value(c->target, c->decimals, true, c->unit, value, sizeof(value));
		snprintf(text_buf, sizeof(text_buf), "목표 %s", value);
		label.align = TEXT_ALIGN_LEFT;
		text_draw(text, cr, &label, plot.x + size * 0.3, y - size * 0.35, plot.w / 2, text_buf);
		label.align = TEXT_ALIGN_RIGHT;
	}
	cairo_set_line_width(cr, fmax(1.5, size * 0.14));
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	draw_set_color(cr, theme->accent);
	for (size_t i = 0; i < s->count; i++) {
		double x = s->count > 1 ? chart_map(s->points[i].t, t0, t1, plot.x, plot.x + plot.w)
					: plot.x + plot.w;
		double y = chart_map(s->points[i].v, axis.lo, axis.hi, plot.y + plot.h, plot.y);
		if (i == 0) {
			cairo_move_to(cr, x, y);
		} else {
			cairo_line_to(cr, x, y);
		}
	}
	if (s->count == 1) {
		cairo_rel_line_to(cr, 0.01, 0); // one reading: a dot with the round cap
	}
	cairo_stroke(cr);
	label.align = TEXT_ALIGN_LEFT;
	format_time_of_day(t0, now, zone, buf, sizeof(buf));
	text_draw(text, cr, &label, plot.x, r->y + r->h, plot.w / 2, buf);
	label.align = TEXT_ALIGN_RIGHT;
	format_time_of_day(t1, now, zone, buf, sizeof(buf));
	text_draw(text, cr, &label, plot.x + plot.w, r->y + r->h, plot.w / 2, buf);
}

/* Department and contact, the definition and where the data comes from, from the bottom. */
static double draw_footer(cairo_t *cr, struct text_engine *text, const struct theme *theme,
			  const struct rect *p, double pad, double size,
			  const struct detail_content *c)
{
	struct text_style muted = draw_text_style(theme->font, false, size, theme->muted,
						  TEXT_ALIGN_LEFT);
	struct text_style strong = draw_text_style(theme->font, true, size * 1.15, theme->text,
						   TEXT_ALIGN_LEFT);
	double y = p->y + p->h - pad, width = p->w - 2 * pad;
	if (c->source[0]) {
		text_draw(text, cr, &muted, p->x + pad, y, width, c->source);
		y -= size * 1.5;
	}
	if (c->detail->definition) {
		text_draw(text, cr, &muted, p->x + pad, y, width, c->detail->definition);
		y -= size * 1.6;
	}
	if (c->detail->department || c->detail->contact) {
		char line[320];
		snprintf(line, sizeof(line), "%s%s%s", c->detail->department ? c->detail->department : "",
			 c->detail->department && c->detail->contact ? " · " : "",
			 c->detail->contact ? c->detail->contact : "");
		text_draw(text, cr, &strong, p->x + pad, y, width, line);
		y -= size * 1.8;
	}
	return y;
}

void detail_draw(cairo_t *cr, struct text_engine *text, const struct theme *theme,
		 const struct layout *layout, double screen_width_mm,
		 const struct detail_content *c, double now)
{
	struct rect p = detail_panel_rect(layout);
	struct rect close = detail_close_rect(layout, screen_width_mm);
	double pad = p.h * 0.05, size = clampd(p.h * 0.04, 10, 40);
	cairo_save(cr);
	/* The border inside the panel's rectangle: what it covers is what closing repaints. */
	double border = fmax(2, size * 0.15);
	struct rect inset = {p.x + border, p.y + border, p.w - 2 * border, p.h - 2 * border};
	draw_rounded_rect(cr, &inset, theme->corner_radius * 2);
	draw_set_color(cr, theme->tile);
	cairo_fill_preserve(cr);
	cairo_set_line_width(cr, border);
	draw_set_color(cr, theme->accent);
	cairo_stroke(cr);
	draw_close(cr, &close, theme);
	struct text_style title = draw_text_style(theme->title_font, true, size * 1.6, theme->text,
						  TEXT_ALIGN_LEFT);
	double y = p.y + pad + size * 1.4, width = p.w - 2 * pad - close.w;
	text_draw(text, cr, &title, p.x + pad, y, width, c->title);
	struct text_style body = draw_text_style(theme->font, false, size, theme->text,
						 TEXT_ALIGN_LEFT);
	if (c->subtitle[0]) {
		y += size * 1.8;
		body.bold = true;
		body.size = size * 1.3;
		text_draw(text, cr, &body, p.x + pad, y, width, c->subtitle);
		body.bold = false;
		body.size = size;
	}
	y += size * 0.6;
	/* With a camera's still the lines keep to the left half, the still has the right. */
	double lines_w = c->still ? (p.w - 2 * pad) * 0.5 : p.w - 2 * pad;
	double top = y;
	for (size_t i = 0; i < c->line_count; i++) {
		y += size * 1.5;
		text_draw(text, cr, &body, p.x + pad, y, lines_w, c->lines[i]);
	}
	double footer = draw_footer(cr, text, theme, &p, pad, size, c);
	if (c->still) {
		struct rect box = {p.x + pad + lines_w + pad, top + size * 0.6,
				   p.w - 3 * pad - lines_w, footer - top - size * 1.6};
		detail_draw_still(cr, text, theme, &box, c);
	}
	if (c->series && c->series->count > 0) {
		struct rect chart = {p.x + pad, y + size, p.w - 2 * pad, footer - y - size * 2.2};
		if (chart.h > size * 3) {
			draw_trend(cr, text, theme, &chart, c, layout->timezone, now);
		}
	}
	cairo_restore(cr);
}
