#include "render/chart.h"

#include "render/draw.h"
#include "render/format.h"
#include "util/log.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The round step nearest to raw: 1, 2, 2.5 or 5 times a power of ten. */
static double nice_step(double raw)
{
	double magnitude = pow(10, floor(log10(raw)));
	double fraction = raw / magnitude;
	double nice = fraction <= 1     ? 1
		      : fraction <= 2   ? 2
		      : fraction <= 2.5 ? 2.5
		      : fraction <= 5   ? 5
					: 10;
	return nice * magnitude;
}

struct chart_axis chart_axis_nice(double lo, double hi, int ticks)
{
	if (hi < lo) {
		double t = lo;
		lo = hi;
		hi = t;
	}
	if (hi == lo) {
		/* One value (or a flat series): a small range around it, zero-based for a zero. */
		double around = lo == 0 ? 1 : fabs(lo) * 0.1;
		lo -= around;
		hi += around;
	}
	double step = nice_step((hi - lo) / (ticks < 1 ? 1 : ticks));
	if (!(step > 0) || !isfinite(step)) {
		return (struct chart_axis){lo, hi, hi - lo};
	}
	return (struct chart_axis){floor(lo / step) * step, ceil(hi / step) * step, step};
}

bool chart_number(const struct value *v, double *out)
{
	return value_number(v, out) && fabs(*out) <= CHART_MAX_MAGNITUDE;
}

int chart_axis_decimals(double step)
{
	int d = 0;
	/* A relative tolerance: 0.1 is not exactly a tenth in binary. */
	for (double scaled = step; d < 6 && fabs(scaled - round(scaled)) > 1e-6 * scaled; d++) {
		scaled *= 10;
	}
	return d;
}

void chart_format_value(double value, int decimals, bool thousands, const char *unit, char *buf,
			size_t size)
{
	char number[96];
	format_number(value, decimals, thousands, number, sizeof(number));
	snprintf(buf, size, "%s%s%s", number, unit && unit[0] ? " " : "", unit ? unit : "");
}

double chart_pixel(cairo_t *cr)
{
	double dx = 1, dy = 0;
	cairo_device_to_user_distance(cr, &dx, &dy);
	double px = hypot(dx, dy);
	return px > 0 && isfinite(px) ? px : 1;
}

double chart_snap(cairo_t *cr, double v, bool horizontal, bool centre)
{
	double x = horizontal ? v : 0, y = horizontal ? 0 : v;
	cairo_user_to_device(cr, &x, &y);
	double *d = horizontal ? &x : &y;
	*d = centre ? floor(*d) + 0.5 : round(*d);
	cairo_device_to_user(cr, &x, &y);
	return horizontal ? x : y;
}

struct rect chart_snap_rect(cairo_t *cr, const struct rect *r)
{
	double x0 = chart_snap(cr, r->x, true, false);
	double x1 = chart_snap(cr, r->x + r->w, true, false);
	double y0 = chart_snap(cr, r->y, false, false);
	double y1 = chart_snap(cr, r->y + r->h, false, false);
	return (struct rect){x0, y0, x1 - x0, y1 - y0};
}

struct color chart_state_color(const struct theme *theme, enum state state)
{
	return state == STATE_NORMAL || state >= STATE_COUNT ? theme->accent
							      : theme->states[state].accent;
}

struct color chart_fade(struct color c, double alpha)
{
	c.a *= alpha;
	return c;
}

/* --- decimated paths --- */

void chart_path_begin(struct chart_path *path, cairo_t *cr, enum chart_path_mode mode,
		      double baseline, double dot)
{
	cairo_matrix_t m;
	cairo_get_matrix(cr, &m);
	*path = (struct chart_path){.cr = cr, .mode = mode, .baseline = baseline, .dot = dot,
				    .scale = m.xx, .offset = m.x0};
	cairo_new_path(cr);
}

static void emit(struct chart_path *k, double x, double y)
{
	if (k->run_points++ == 0) {
		k->run_x0 = x;
		k->run_y0 = y;
		if (k->mode != CHART_PATH_DOTS) {
			cairo_move_to(k->cr, x, y);
		}
	} else if (k->mode != CHART_PATH_DOTS) {
		cairo_line_to(k->cr, x, y);
	}
}

/* Emits what the column kept after its first point: low and high in their order, then last. */
static void flush_column(struct chart_path *k)
{
	if (!k->first.set) {
		return;
	}
	bool low_first = k->low.order <= k->high.order;
	const struct chart_vertex *a = low_first ? &k->low : &k->high;
	const struct chart_vertex *b = low_first ? &k->high : &k->low;
	if (a->order != k->first.order) {
		emit(k, a->x, a->y);
	}
	if (b->order != k->first.order && b->order != a->order) {
		emit(k, b->x, b->y);
	}
	if (k->last.order != k->first.order && k->last.order != a->order &&
	    k->last.order != b->order) {
		emit(k, k->last.x, k->last.y);
	}
	k->first.set = false;
}

static void end_run(struct chart_path *k)
{
	flush_column(k);
	if (!k->in_run) {
		return;
	}
	k->in_run = false;
	if (k->mode == CHART_PATH_DOTS && k->run_points == 1) {
		cairo_new_sub_path(k->cr);
		cairo_arc(k->cr, k->run_x0, k->run_y0, k->dot, 0, 2 * M_PI);
		cairo_close_path(k->cr);
	} else if (k->mode == CHART_PATH_AREA && k->run_points > 1) {
		double x, y;
		cairo_get_current_point(k->cr, &x, &y);
		cairo_line_to(k->cr, x, k->baseline);
		cairo_line_to(k->cr, k->run_x0, k->baseline);
		cairo_close_path(k->cr);
	}
	k->run_points = 0;
}

void chart_path_gap(struct chart_path *path)
{
	path->order++;
	end_run(path);
}

void chart_path_point(struct chart_path *k, double x, double y)
{
	size_t order = k->order++;
	long column = lround(floor(x * k->scale + k->offset));
	struct chart_vertex v = {x, y, order, true};
	if (!k->in_run || column != k->column) {
		flush_column(k);
		k->in_run = true;
		k->column = column;
		emit(k, x, y);
		k->first = k->low = k->high = v;
	} else {
		/* y grows downwards: the lowest value has the largest y. */
		if (y > k->low.y) {
			k->low = v;
		}
		if (y < k->high.y) {
			k->high = v;
		}
	}
	k->last = v;
}

void chart_path_end(struct chart_path *path)
{
	end_run(path);
}

double chart_draw_number(cairo_t *cr, struct text_engine *text, const struct theme *theme,
			 const char *number, const char *unit, struct color color, double size,
			 double x, double baseline, double max_width, enum text_align align)
{
	struct text_style value_style =
		draw_text_style(theme->title_font, true, size, color, TEXT_ALIGN_LEFT);
	struct text_style unit_style =
		draw_text_style(theme->font, false, size * 0.42, theme->muted, TEXT_ALIGN_LEFT);
	bool has_unit = unit && unit[0];
	double gap = size * 0.12;
	double width = 0, unit_width = 0;
	/* Hinting makes width not quite linear in size: re-measure rather than trust one guess. */
	for (int attempt = 0; attempt < 4; attempt++) {
		width = text_measure(text, cr, &value_style, number).width;
		unit_width = has_unit ? text_measure(text, cr, &unit_style, unit).width + gap : 0;
		if (width + unit_width <= max_width || width + unit_width <= 0) {
			break;
		}
		double shrink = max_width / (width + unit_width) * 0.98;
		value_style.size *= shrink;
		unit_style.size *= shrink;
		gap *= shrink;
	}
	double total = width + unit_width;
	double left = align == TEXT_ALIGN_LEFT	   ? x
		      : align == TEXT_ALIGN_RIGHT  ? x - total
						   : x - total / 2;
	double drawn = text_draw(text, cr, &value_style, left, baseline, max_width, number);
	if (has_unit) {
		drawn += gap + text_draw(text, cr, &unit_style, left + drawn + gap, baseline,
					 max_width - drawn - gap, unit);
	}
	return drawn;
}

struct chart_frame chart_frame_draw(cairo_t *cr, const struct rect *r, struct text_engine *text,
				    const struct theme *theme, struct color fill, const char *title,
				    const char *aside)
{
	draw_card(cr, r, theme, fill);
	struct chart_frame f;
	f.pad = clampd(fmin(r->w, r->h) * 0.07, 6, 20);
	/* Grows slowly and stops early: a big tile must not shout its title over its neighbours. */
	f.title_size = clampd(fmin(r->h * 0.085, r->w * 0.09), 10, 24) * theme->title_scale;
	double baseline = r->y + f.pad + f.title_size * 0.9;
	double avail = r->w - 2 * f.pad;
	double aside_width = 0;
	if (aside && aside[0]) {
		struct text_style style = draw_text_style(theme->font, false, f.title_size * 0.8,
							  theme->muted, TEXT_ALIGN_RIGHT);
		/* The aside keeps at most half the line; the title gets the rest. */
		aside_width = text_draw(text, cr, &style, r->x + r->w - f.pad, baseline, avail / 2,
					aside);
		aside_width += f.title_size * 0.6;
	}
	if (title && title[0]) {
		struct text_style style = draw_text_style(theme->font, false, f.title_size,
							  theme->muted, TEXT_ALIGN_LEFT);
		text_draw(text, cr, &style, r->x + f.pad, baseline, avail - aside_width, title);
	}
	double top = baseline + f.title_size * 0.45;
	f.content = (struct rect){r->x + f.pad, top, avail, r->y + r->h - f.pad - top};
	if (f.content.h < 0) {
		f.content.h = 0;
	}
	return f;
}

void chart_draw_nodata(cairo_t *cr, const struct rect *r, struct text_engine *text,
		       const struct theme *theme, const char *title, const char *message,
		       const char *detail)
{
	const struct state_colors *colors = &theme->states[STATE_NODATA];
	struct chart_frame f = chart_frame_draw(cr, r, text, theme, colors->fill, title, NULL);
	/* The same stripe as kpi's: the state can be told from across the room. */
	cairo_save(cr);
	draw_rounded_rect(cr, &(struct rect){r->x + 0.5, r->y + 0.5, r->w - 1, r->h - 1},
			  theme->corner_radius);
	cairo_clip(cr);
	cairo_rectangle(cr, r->x + 1, r->y + 1, r->w - 2, clampd(r->h * 0.03, 3, 12));
	draw_set_color(cr, colors->accent);
	cairo_fill(cr);
	cairo_restore(cr);

	double size = clampd(fmin(r->h * 0.13, r->w * 0.1), 10, 64) * theme->value_scale;
	struct text_style style =
		draw_text_style(theme->font, false, size, colors->accent, TEXT_ALIGN_LEFT);
	style.size = draw_fit_size(text, cr, &style, message, f.content.w, 0.5);
	double baseline = f.content.y + f.content.h * 0.5 + style.size * 0.35;
	text_draw(text, cr, &style, f.content.x, baseline, f.content.w, message);
	if (detail && detail[0]) {
		struct text_style small = draw_text_style(theme->font, false,
							  clampd(style.size * 0.42, 9, 26) *
								  theme->label_scale,
							  theme->muted, TEXT_ALIGN_LEFT);
		text_draw(text, cr, &small, f.content.x, baseline + small.size * 1.7, f.content.w,
			  detail);
	}
}

/* Cuts `s` to at most `max` bytes without splitting a UTF-8 sequence; returns the length. */
static size_t utf8_cut(const char *s, size_t max)
{
	size_t len = strlen(s);
	if (len <= max) {
		return len;
	}
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80) {
		max--;
	}
	return max;
}

char *chart_copy_text(const char *s, size_t max_bytes)
{
	return xstrndup(s, utf8_cut(s, max_bytes));
}

void chart_describe(const struct value *v, char *buf, size_t size)
{
	if (!v) {
		snprintf(buf, size, "missing");
		return;
	}
	switch (v->kind) {
	case VALUE_NULL:
		snprintf(buf, size, "null");
		return;
	case VALUE_BOOL:
		snprintf(buf, size, "%s", v->boolean ? "true" : "false");
		return;
	case VALUE_NUMBER:
		/* Only numbers a chart refused get here: NaN, infinities, absurd magnitudes. */
		snprintf(buf, size, "a number %g", v->number);
		return;
	case VALUE_STRING: {
		size_t n = utf8_cut(v->string.text, 24);
		snprintf(buf, size, "a string \"%.*s%s\"", (int)n, v->string.text,
			 n < v->string.length ? "…" : "");
		return;
	}
	case VALUE_ARRAY:
		snprintf(buf, size, "an array");
		return;
	case VALUE_OBJECT:
		snprintf(buf, size, "an object");
		return;
	}
	snprintf(buf, size, "?");
}

void chart_report(const char *widget, const char *id, const char *problem)
{
	char key[160];
	snprintf(key, sizeof(key), "widget:%s", id);
	if (!problem) {
		log_once_clear(key);
		return;
	}
	log_once(LOG_WARN, key, "%s %s: %s", widget, id, problem);
}
