/*
 * trend: a series over time as a line, an area or a sparkline — e.g. PM10 over the last 24
 * hours — with the last value large in its threshold colour, the series' highest and lowest
 * values, an optional target line and faint threshold bands. A point that is null or not a
 * number is a gap: the line breaks there and is never drawn across it.
 *
 * The series is an array of numbers (placed evenly) or of objects {t, v} placed by their time
 * (RFC 3339 text or epoch seconds). Only the last CHART_MAX_ITEMS points are read, and the
 * drawing keeps at most four points per device pixel column (first, lowest, highest, last), so
 * peaks survive and the work stays bounded however long the series is.
 *
 * Most real APIs send only the current value: a trend bound to a number draws that number's
 * history, the readings its source keeps ("history" on the source, model/history.h), placed
 * by their data time.
 */

#include "widgets/widget.h"

#include "layout/options.h"
#include "render/chart.h"
#include "render/draw.h"
#include "render/format.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Seoul's open-data APIs send local times without a zone ("2026-11-25 14:00"). */
#define SEOUL_OFFSET (9 * 3600)
/* Epoch numbers above this are milliseconds (as JavaScript writes them): year 5138 in seconds. */
#define EPOCH_MS_ABOVE 1e11

enum trend_style { STYLE_LINE, STYLE_AREA, STYLE_SPARKLINE };

static const char *const style_choices[] = {
	[STYLE_LINE] = "line", [STYLE_AREA] = "area", [STYLE_SPARKLINE] = "sparkline", NULL,
};

/* The options, filled once at create (options_fill); texts borrowed from the tile. */
struct trend_opts {
	const char *title;
	const char *time_field;
	const char *value_field;
	int style; // enum trend_style
	const char *unit;
	int decimals;
	bool thousands;
	const struct thresholds *thresholds;
	double target;
	bool target_set;
	const char *target_label;
	double min;
	bool min_set;
	double max;
	bool max_set;
	const char *timezone;
	const char *nodata_text;
};

static const struct option_spec trend_options[] = {
	{.key = "title", OPT_FIELD(OPT_STRING, struct trend_opts, title), .default_text = "",
	 .help = "label of the tile"},
	{.key = "value", .type = OPT_BINDING, .required = true,
	 .help = "path of the series: an array of numbers, or of objects with a time and a value; "
		 "or of a number, drawn from its source's \"history\""},
	{.key = "time_field", OPT_FIELD(OPT_STRING, struct trend_opts, time_field),
	 .default_text = "t",
	 .help = "member of each point with its time: RFC 3339 text or epoch seconds"},
	{.key = "value_field", OPT_FIELD(OPT_STRING, struct trend_opts, value_field),
	 .default_text = "v", .help = "member of each point with its value"},
	{.key = "style", OPT_FIELD(OPT_ENUM, struct trend_opts, style), .choices = style_choices,
	 .default_text = "line",
	 .help = "line with axes, area under the line, or a bare sparkline"},
	{.key = "unit", OPT_FIELD(OPT_STRING, struct trend_opts, unit), .default_text = "",
	 .help = "unit after the last value"},
	{.key = "decimals", OPT_FIELD(OPT_INT, struct trend_opts, decimals), OPT_RANGE(-1, 6),
	 .default_number = -1,
	 .help = "digits after the point; -1: none for whole numbers, else one"},
	{.key = "thousands", OPT_FIELD(OPT_BOOL, struct trend_opts, thousands), .default_number = 1,
	 .help = "group digits by three with commas"},
	{.key = "thresholds", OPT_FIELD(OPT_THRESHOLDS, struct trend_opts, thresholds),
	 .help = "value ranges to states: colours the last value, shades the ranges faintly"},
	{.key = "target", OPT_FIELD(OPT_NUMBER, struct trend_opts, target),
	 OPT_SET(struct trend_opts, target_set), .help = "value of a dashed target line"},
	{.key = "target_label", OPT_FIELD(OPT_STRING, struct trend_opts, target_label),
	 .default_text = "목표", .help = "text before the target's value"},
	{.key = "min", OPT_FIELD(OPT_NUMBER, struct trend_opts, min),
	 OPT_SET(struct trend_opts, min_set),
	 .help = "bottom of the value axis; default: from the data"},
	{.key = "max", OPT_FIELD(OPT_NUMBER, struct trend_opts, max),
	 OPT_SET(struct trend_opts, max_set),
	 .help = "top of the value axis; default: from the data"},
	{.key = "timezone", OPT_FIELD(OPT_STRING, struct trend_opts, timezone),
	 .default_text = "Asia/Seoul", .help = "IANA time zone of the time labels"},
	{.key = "nodata_text", OPT_FIELD(OPT_STRING, struct trend_opts, nodata_text),
	 .default_text = "데이터 없음", .help = "shown when there is no series to draw"},
	{0},
};

struct point {
	double t; // time (epoch s) or index; NAN for a gap that has no place
	double v;
	bool gap; // breaks the line; v is unused
};

struct series {
	struct point *points; // owned
	size_t count;
	size_t total; // items in the bound array, of which the last `count` were read
	bool timed;
	size_t valid;      // points that are not gaps
	size_t bad;        // gaps that were not null: strings, objects, times out of order
	double lo, hi;     // of the valid points
	double t0, t1;     // the time (or index) range of all placed points
	double last;       // the last valid value
	char first_bad[64]; // what the first bad point was, for the log
};

struct trend {
	const struct tile *tile; // borrowed
	struct trend_opts o;
	struct series series;
	char problem[160]; // why no line can be drawn; "" when it can
};

static void *trend_create(const struct tile *tile)
{
	struct trend *w = xcalloc(1, sizeof(*w));
	w->tile = tile;
	options_fill(&tile->options, &w->o);
	return w;
}

static void trend_destroy(void *self)
{
	struct trend *w = self;
	if (w) {
		free(w->series.points);
		free(w);
	}
}

/* A point's time: RFC 3339 text (local Seoul time when it has no zone) or epoch s (or ms). */
static bool read_time(const struct value *v, double *out)
{
	if (v && v->kind == VALUE_STRING && time_parse_iso8601(v->string.text, SEOUL_OFFSET, out)) {
		return true;
	}
	if (!value_number(v, out)) {
		return false;
	}
	if (fabs(*out) > EPOCH_MS_ABOVE) {
		*out /= 1000;
	}
	/* Beyond that it is no time at all (and would overflow a time_t). */
	return fabs(*out) <= EPOCH_MS_ABOVE;
}

/* Whether the series places its points by time: its first non-null item is a timed object. */
static bool series_is_timed(const struct value *const *items, size_t start, size_t count,
			    const char *time_field)
{
	for (size_t i = start; i < count; i++) {
		if (items[i] && items[i]->kind != VALUE_NULL) {
			double t;
			return items[i]->kind == VALUE_OBJECT &&
			       read_time(value_member(items[i], time_field), &t);
		}
	}
	return false;
}

static void add_point(struct series *s, double t, const struct value *item, const struct value *v)
{
	struct point *p = &s->points[s->count++];
	double number;
	bool ok = !isnan(t) && chart_number(v, &number);
	*p = (struct point){.t = t, .v = ok ? number : 0, .gap = !ok};
	if (!isnan(t)) {
		s->t0 = fmin(s->t0, t);
		s->t1 = fmax(s->t1, t);
	}
	if (ok) {
		s->lo = s->valid ? fmin(s->lo, number) : number;
		s->hi = s->valid ? fmax(s->hi, number) : number;
		s->last = number;
		s->valid++;
		return;
	}
	/* null is how feeds say "no reading": a gap, not an error. Anything else is logged. */
	bool null = (!item || item->kind == VALUE_NULL) || (v && v->kind == VALUE_NULL);
	if (null || s->bad++ > 0) {
		return;
	}
	bool object = item->kind == VALUE_OBJECT;
	if (object && isnan(t)) {
		snprintf(s->first_bad, sizeof(s->first_bad), "a point without a time in order");
	} else {
		chart_describe(object ? v : item, s->first_bad, sizeof(s->first_bad));
	}
}

/* Reads the last CHART_MAX_ITEMS items of `array` into s. */
static void read_points(const struct trend_opts *o, const struct value *array, struct series *s)
{
	const struct value *const *items = array->array.items;
	size_t count = array->array.count;
	size_t start = count > CHART_MAX_ITEMS ? count - CHART_MAX_ITEMS : 0;
	const char *time_field = o->time_field;
	const char *value_field = o->value_field;
	s->total = count;
	s->points = xcalloc(count - start, sizeof(*s->points));
	s->timed = series_is_timed(items, start, count, time_field);
	s->t0 = INFINITY;
	s->t1 = -INFINITY;
	double latest = -INFINITY;
	for (size_t i = start; i < count; i++) {
		const struct value *item = items[i];
		bool object = item && item->kind == VALUE_OBJECT;
		const struct value *v = object ? value_member(item, value_field) : item;
		double t = (double)(i - start);
		if (s->timed) {
			/* Out of order or without a time, a point has no place: a gap. */
			bool placed = object && read_time(value_member(item, time_field), &t);
			if (!placed || t < latest) {
				t = NAN;
			} else {
				latest = t;
			}
		}
		add_point(s, t, item, v);
	}
}

/* A number's readings from the history, placed by their data time. */
static void read_history(const struct history_series *history, struct series *s,
			 char *problem, size_t size)
{
	if (!history || history->count == 0) {
		snprintf(problem, size, "series is a number: its source keeps no history");
		return;
	}
	s->total = history->count;
	s->points = xcalloc(history->count, sizeof(*s->points));
	s->timed = true;
	s->t0 = INFINITY;
	s->t1 = -INFINITY;
	for (size_t i = 0; i < history->count; i++) {
		struct value v = {.kind = VALUE_NUMBER, .number = history->points[i].v};
		add_point(s, history->points[i].t, &v, &v);
	}
}

/* Fills s from the bound value, or says in `problem` why there is nothing to draw. */
static void read_series(const struct trend_opts *o, const struct value *bound,
			const struct history_series *history, struct series *s, char *problem,
			size_t size)
{
	char what[64];
	double number;
	if (bound && bound->kind != VALUE_ARRAY && value_number(bound, &number)) {
		read_history(history, s, problem, size);
		return;
	}
	if (!bound || bound->kind != VALUE_ARRAY) {
		chart_describe(bound, what, sizeof(what));
		snprintf(problem, size, bound ? "series is %s, not an array" : "series is missing",
			 what);
		return;
	}
	if (bound->array.count == 0) {
		snprintf(problem, size, "series is empty");
		return;
	}
	read_points(o, bound, s);
	if (s->valid == 0) {
		snprintf(problem, size, "no numbers among %zu points%s%s", s->count,
			 s->bad ? ", first: " : "", s->bad ? s->first_bad : "");
	}
}

static bool same_point(const struct point *a, const struct point *b)
{
	bool same_t = a->t == b->t || (isnan(a->t) && isnan(b->t));
	return same_t && a->gap == b->gap && (a->gap || a->v == b->v);
}

static bool same_series(const struct series *a, const struct series *b)
{
	if (a->count != b->count || a->timed != b->timed) {
		return false;
	}
	for (size_t i = 0; i < a->count; i++) {
		if (!same_point(&a->points[i], &b->points[i])) {
			return false;
		}
	}
	return true;
}

static void report(const struct trend *w)
{
	const struct series *s = &w->series;
	char line[256];
	const char *message = NULL;
	if (w->problem[0]) {
		message = w->problem;
	} else if (s->total > s->count) {
		snprintf(line, sizeof(line), "series has %zu points; drawing the last %zu",
			 s->total, s->count);
		message = line;
	} else if (s->bad) {
		snprintf(line, sizeof(line),
			 "%zu of %zu points are not numbers (first: %s); drawn as gaps", s->bad,
			 s->count, s->first_bad);
		message = line;
	}
	chart_report("trend", w->tile->id, message);
}

static bool trend_bind(void *self, const struct binding_values *values)
{
	struct trend *w = self;
	struct series next = {0};
	char problem[sizeof(w->problem)] = "";
	read_series(&w->o, binding_current(values, "value"),
		    binding_history(values, "value"), &next, problem, sizeof(problem));
	bool changed = strcmp(problem, w->problem) != 0 || !same_series(&next, &w->series);
	free(w->series.points);
	w->series = next;
	snprintf(w->problem, sizeof(w->problem), "%s", problem);
	/* Before the first snapshot there is nothing to complain about yet. */
	if (binding_snapshot(values, "value")) {
		report(w);
	}
	return changed;
}

/* --- drawing --- */

/* Where things go, in user units: the plot and the two scales mapped onto it. */
struct plot {
	struct rect area;
	double v0, v1; // value at the bottom and top
	double t0, t1; // time (or index) at the left and right
	double step;   // between gridlines; 0: none
};

static enum trend_style trend_style(const struct trend *w)
{
	return (enum trend_style)w->o.style;
}

static double px_x(const struct plot *p, double t)
{
	return chart_map(t, p->t0, p->t1, p->area.x, p->area.x + p->area.w);
}

static double px_y(const struct plot *p, double v)
{
	return chart_map(v, p->v0, p->v1, p->area.y + p->area.h, p->area.y);
}

/* The value range: the data and the target, rounded to steps, or as the options fix it. */
static void value_range(const struct trend *w, enum trend_style style, struct plot *p)
{
	const struct trend_opts *o = &w->o;
	double lo = w->series.lo, hi = w->series.hi;
	if (o->target_set) {
		lo = fmin(lo, o->target);
		hi = fmax(hi, o->target);
	}
	if (style == STYLE_SPARKLINE) {
		double margin = hi > lo ? (hi - lo) * 0.08 : fmax(fabs(hi) * 0.1, 1);
		p->v0 = lo - margin;
		p->v1 = hi + margin;
		p->step = 0;
	} else {
		struct chart_axis axis = chart_axis_nice(lo, hi, p->area.h > 160 ? 4 : 2);
		p->v0 = axis.lo;
		p->v1 = axis.hi;
		p->step = axis.step;
	}
	bool fixed_lo = o->min_set, fixed_hi = o->max_set;
	double min = o->min, max = o->max;
	/* A fixed end that leaves no range is ignored (the docs say so). */
	if (fixed_lo && min < (fixed_hi ? max : p->v1)) {
		p->v0 = min;
	}
	if (fixed_hi && max > p->v0) {
		p->v1 = max;
	}
	if (p->step > 0 && (p->v1 - p->v0) / p->step > 12) {
		p->step = chart_axis_nice(p->v0, p->v1, 4).step;
	}
}

static void time_range(const struct series *s, struct plot *p)
{
	p->t0 = s->t0;
	p->t1 = s->t1;
	if (!(p->t1 > p->t0)) {
		/* One point: put it in the middle. */
		p->t0 -= 1;
		p->t1 += 1;
	}
}

/* The last value in its state's colour, with the highest and lowest readings ("최고 104"). */
struct summary {
	char number[96], high[112], low[112];
	struct color color;
};

static void summary_text(const struct trend *w, const struct theme *theme, struct summary *out)
{
	const struct trend_opts *o = &w->o;
	int decimals = o->decimals;
	bool thousands = o->thousands;
	char number[96];
	format_number(w->series.last, decimals, thousands, out->number, sizeof(out->number));
	format_number(w->series.hi, decimals, thousands, number, sizeof(number));
	snprintf(out->high, sizeof(out->high), "최고 %s", number);
	format_number(w->series.lo, decimals, thousands, number, sizeof(number));
	snprintf(out->low, sizeof(out->low), "최저 %s", number);
	enum state state =
		thresholds_state(o->thresholds, w->series.last);
	out->color = state == STATE_NORMAL ? theme->text : chart_state_color(theme, state);
}

/*
 * Draws the summary and returns the room left for the plot: beside it in a wide tile (a
 * column on the left), else above it (the value on the left, highest and lowest on the right).
 */
static struct rect draw_summary(const struct trend *w, cairo_t *cr, const struct rect *c,
				const struct widget_ctx *ctx)
{
	const struct theme *theme = ctx->theme;
	const char *unit = w->o.unit;
	struct summary s;
	summary_text(w, theme, &s);
	bool side = c->w > c->h * 2.4;
	double size = side ? clampd(fmin(c->h * 0.34, c->w * 0.09), 12, 140)
			   : clampd(fmin(c->h * 0.26, c->w * 0.14), 12, 120);
	double small = clampd(size * 0.3, 9, 32) * theme->label_scale;
	size *= theme->value_scale;
	struct text_style style = draw_text_style(theme->font, false, small, theme->muted,
						  side ? TEXT_ALIGN_LEFT : TEXT_ALIGN_RIGHT);
	if (side) {
		double column = c->w * 0.27;
		chart_draw_number(cr, ctx->text, theme, s.number, unit, s.color, size, c->x,
				  c->y + size * 0.85, column - size * 0.3, TEXT_ALIGN_LEFT);
		double y = c->y + size * 1.25 + small;
		text_draw(ctx->text, cr, &style, c->x, y, column, s.high);
		text_draw(ctx->text, cr, &style, c->x, y + small * 1.45, column, s.low);
		return (struct rect){c->x + column, c->y, c->w - column, c->h};
	}
	double extremes = fmax(text_measure(ctx->text, cr, &style, s.high).width,
			       text_measure(ctx->text, cr, &style, s.low).width);
	extremes = fmin(extremes, c->w * 0.4);
	double right = c->x + c->w;
	text_draw(ctx->text, cr, &style, right, c->y + size * 0.85 - small * 1.45, extremes,
		  s.high);
	text_draw(ctx->text, cr, &style, right, c->y + size * 0.85, extremes, s.low);
	chart_draw_number(cr, ctx->text, theme, s.number, unit, s.color, size, c->x,
			  c->y + size * 0.85, c->w - extremes - size * 0.3, TEXT_ALIGN_LEFT);
	double used = size * 1.25;
	return (struct rect){c->x, c->y + used, c->w, c->h - used};
}

/*
 * Faint bands over the value ranges of the thresholds' states (`tint`), or a strip of their
 * full colours along the plot's left edge, a legend of the scale drawn over the gridlines.
 */
static void draw_bands(const struct trend *w, cairo_t *cr, const struct plot *p,
		       const struct theme *theme, bool tint)
{
	const struct thresholds *t = w->o.thresholds;
	const struct threshold *steps[64];
	size_t n = 0;
	for (size_t i = 0; t && i < t->count && n < 64; i++) {
		if (!t->items[i].categorical) {
			steps[n++] = &t->items[i];
		}
	}
	double strip = chart_snap(cr, p->area.x + fmax(3 * chart_pixel(cr), p->area.h * 0.02), true,
				  false) - p->area.x;
	for (size_t i = 0; i < n; i++) {
		/* A value below the first step has its state: that band reaches down. */
		double from = i == 0 ? p->v0 : fmax(steps[i]->from, p->v0);
		double to = i + 1 < n ? fmin(steps[i + 1]->from, p->v1) : p->v1;
		if (to <= from || steps[i]->state == STATE_NORMAL) {
			continue;
		}
		double y0 = chart_snap(cr, px_y(p, to), false, false);
		double y1 = chart_snap(cr, px_y(p, from), false, false);
		struct color accent = theme->states[steps[i]->state].accent;
		cairo_rectangle(cr, p->area.x, y0, tint ? p->area.w : strip, y1 - y0);
		draw_set_color(cr, chart_fade(accent, tint ? 0.1 : 0.85));
		cairo_fill(cr);
	}
}

static void draw_grid(const struct trend *w, cairo_t *cr, const struct plot *p,
		      const struct widget_ctx *ctx, double label_size)
{
	if (p->step <= 0) {
		return;
	}
	const struct trend_opts *o = &w->o;
	int decimals = chart_axis_decimals(p->step);
	struct text_style style = draw_text_style(ctx->theme->font, false, label_size,
						  ctx->theme->muted, TEXT_ALIGN_RIGHT);
	double hair = chart_pixel(cr);
	cairo_set_line_width(cr, hair);
	long first = lround(ceil(p->v0 / p->step - 1e-9));
	for (long i = first; i * p->step <= p->v1 + p->step * 1e-9 && i - first < 64; i++) {
		double v = i * p->step;
		double y = chart_snap(cr, px_y(p, v), false, true);
		cairo_move_to(cr, p->area.x, y);
		cairo_line_to(cr, p->area.x + p->area.w, y);
		draw_set_color(cr, ctx->theme->tile_border);
		cairo_stroke(cr);
		char label[64];
		format_number(v, decimals, o->thousands, label, sizeof(label));
		text_draw(ctx->text, cr, &style, p->area.x - label_size * 0.5,
			  y + label_size * 0.35, 0, label);
	}
}

static void draw_target(const struct trend *w, cairo_t *cr, const struct plot *p,
			const struct widget_ctx *ctx, double label_size)
{
	const struct trend_opts *o = &w->o;
	if (!o->target_set) {
		return;
	}
	double target = o->target;
	if (target < p->v0 || target > p->v1) {
		return;
	}
	double hair = chart_pixel(cr);
	double y = chart_snap(cr, px_y(p, target), false, true);
	double dash[] = {label_size * 0.5, label_size * 0.3};
	cairo_save(cr);
	cairo_set_dash(cr, dash, 2, 0);
	cairo_set_line_width(cr, fmax(hair, label_size * 0.1));
	cairo_move_to(cr, p->area.x, y);
	cairo_line_to(cr, p->area.x + p->area.w, y);
	draw_set_color(cr, chart_fade(ctx->theme->text, 0.75));
	cairo_stroke(cr);
	cairo_restore(cr);
}

/*
 * The target's label at the left end of its line, on a pill of the card's colour: drawn after
 * the series, so the line may pass under it but never hides it. (The right end has the dot.)
 */
static void draw_target_label(const struct trend *w, cairo_t *cr, const struct plot *p,
			      const struct widget_ctx *ctx, double label_size)
{
	const struct trend_opts *o = &w->o;
	double target = o->target;
	if (!o->target_set || target < p->v0 || target > p->v1) {
		return;
	}
	char number[64], label[160];
	format_number(target, o->decimals, o->thousands,
		      number, sizeof(number));
	snprintf(label, sizeof(label), "%s %s", o->target_label, number);
	struct text_style style = draw_text_style(ctx->theme->font, true, label_size,
						  ctx->theme->text, TEXT_ALIGN_LEFT);
	double y = px_y(p, target);
	double pad = label_size * 0.35;
	double width = fmin(text_measure(ctx->text, cr, &style, label).width, p->area.w / 2);
	/* Above the line, or below it when the line is at the top of the plot. */
	double top = y - label_size * 1.5 < p->area.y ? y + label_size * 0.3
						      : y - label_size * 1.5;
	struct rect pill = {p->area.x + pad, top, width + 2 * pad, label_size * 1.3};
	draw_rounded_rect(cr, &pill, pill.h / 2);
	draw_set_color(cr, chart_fade(ctx->theme->tile, 0.85));
	cairo_fill(cr);
	text_draw(ctx->text, cr, &style, pill.x + pad, pill.y + label_size * 1.0, width, label);
}

/* Builds the path of the whole series (each run between gaps a sub-path). */
static void build_path(const struct series *s, cairo_t *cr, const struct plot *p,
		       enum chart_path_mode mode, double dot)
{
	struct chart_path path;
	chart_path_begin(&path, cr, mode, p->area.y + p->area.h, dot);
	for (size_t i = 0; i < s->count; i++) {
		/* A point without a place is always a gap (add_point). */
		if (s->points[i].gap) {
			chart_path_gap(&path);
		} else {
			chart_path_point(&path, px_x(p, s->points[i].t), px_y(p, s->points[i].v));
		}
	}
	chart_path_end(&path);
}

static void draw_series(const struct trend *w, cairo_t *cr, const struct plot *p,
			enum trend_style style, const struct theme *theme, double line_width)
{
	const struct series *s = &w->series;
	struct color color = theme->accent;
	cairo_save(cr);
	cairo_rectangle(cr, p->area.x - line_width, p->area.y - line_width,
			p->area.w + 2 * line_width, p->area.h + 2 * line_width);
	cairo_clip(cr);
	if (style == STYLE_AREA) {
		build_path(s, cr, p, CHART_PATH_AREA, 0);
		cairo_pattern_t *fade = cairo_pattern_create_linear(0, p->area.y, 0,
								    p->area.y + p->area.h);
		cairo_pattern_add_color_stop_rgba(fade, 0, color.r, color.g, color.b, 0.35);
		cairo_pattern_add_color_stop_rgba(fade, 1, color.r, color.g, color.b, 0.04);
		cairo_set_source(cr, fade);
		cairo_fill(cr);
		cairo_pattern_destroy(fade);
	}
	build_path(s, cr, p, CHART_PATH_LINE, 0);
	cairo_set_line_width(cr, line_width);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	draw_set_color(cr, color);
	cairo_stroke(cr);
	build_path(s, cr, p, CHART_PATH_DOTS, line_width * 1.4);
	cairo_fill(cr);
	cairo_restore(cr);
}

/* A dot on the last reading, in the colour of its state. */
static void draw_last_dot(const struct trend *w, cairo_t *cr, const struct plot *p,
			  const struct theme *theme, double radius)
{
	const struct series *s = &w->series;
	for (size_t i = s->count; i-- > 0;) {
		if (!s->points[i].gap && !isnan(s->points[i].t)) {
			/* A reading beyond a fixed axis end sits on it, like its clipped line. */
			double x = px_x(p, s->points[i].t);
			double bottom = p->area.y + p->area.h;
			double y = clampd(px_y(p, s->points[i].v), p->area.y, bottom);
			enum state state = thresholds_state(
				w->o.thresholds,
				s->points[i].v);
			cairo_arc(cr, x, y, radius * 1.6, 0, 2 * M_PI);
			draw_set_color(cr, theme->tile);
			cairo_fill(cr);
			cairo_arc(cr, x, y, radius, 0, 2 * M_PI);
			draw_set_color(cr, chart_state_color(theme, state));
			cairo_fill(cr);
			return;
		}
	}
}

static void format_time_label(double t, const char *zone, bool with_date, char *buf,
			      size_t size)
{
	struct tm tm;
	time_in_zone(t, zone, &tm);
	if (with_date) {
		snprintf(buf, size, "%02d/%02d %02d:%02d", tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
			 tm.tm_min);
	} else {
		snprintf(buf, size, "%02d:%02d", tm.tm_hour, tm.tm_min);
	}
}

static void draw_time_labels(const struct trend *w, cairo_t *cr, const struct plot *p,
			     const struct widget_ctx *ctx, double label_size)
{
	const char *zone = w->o.timezone;
	struct tm a, b;
	time_in_zone(w->series.t0, zone, &a);
	time_in_zone(w->series.t1, zone, &b);
	bool other_day = a.tm_mday != b.tm_mday || a.tm_mon != b.tm_mon || a.tm_year != b.tm_year;
	char first[32], last[32];
	format_time_label(w->series.t0, zone, other_day, first, sizeof(first));
	format_time_label(w->series.t1, zone, other_day, last, sizeof(last));
	double baseline = p->area.y + p->area.h + label_size * 1.4;
	struct text_style style = draw_text_style(ctx->theme->font, false, label_size,
						  ctx->theme->muted, TEXT_ALIGN_LEFT);
	text_draw(ctx->text, cr, &style, p->area.x, baseline, p->area.w / 2, first);
	style.align = TEXT_ALIGN_RIGHT;
	text_draw(ctx->text, cr, &style, p->area.x + p->area.w, baseline, p->area.w / 2, last);
}

/* Lays out the plot below the value line, leaving room for the axis labels. */
static struct plot place_plot(const struct trend *w, cairo_t *cr, const struct rect *content,
			      enum trend_style style, const struct widget_ctx *ctx,
			      double *label_size)
{
	struct plot p = {.area = *content};
	*label_size = clampd(fmin(content->h * 0.09, content->w * 0.04), 9, 24) *
		      ctx->theme->label_scale;
	if (style != STYLE_SPARKLINE && w->series.timed) {
		p.area.h -= *label_size * 1.8;
	}
	/* Gridline labels need the scale, the scale needs the height: settle height first. */
	value_range(w, style, &p);
	if (p.step > 0) {
		char widest[64];
		double extreme = fabs(p.v0) > fabs(p.v1) ? p.v0 : p.v1;
		format_number(extreme, chart_axis_decimals(p.step),
			      w->o.thousands, widest, sizeof(widest));
		struct text_style style_l = draw_text_style(ctx->theme->font, false, *label_size,
							    ctx->theme->muted, TEXT_ALIGN_LEFT);
		double width = text_measure(ctx->text, cr, &style_l, widest).width;
		p.area.x += width + *label_size * 0.8;
		p.area.w -= width + *label_size * 0.8;
	}
	/* Half a label of air above the top gridline, so its label is not cut. */
	p.area.y += *label_size * 0.5;
	p.area.h -= *label_size * 0.5;
	time_range(&w->series, &p);
	return p;
}

static void trend_draw(void *self, cairo_t *cr, const struct rect *r,
		       const struct widget_ctx *ctx, double now)
{
	const struct trend *w = self;
	const struct trend_opts *o = &w->o;
	const struct theme *theme = ctx->theme;
	if (w->problem[0] || w->series.valid == 0) {
		chart_draw_nodata(cr, r, ctx->text, theme, o->title,
				  o->nodata_text, w->problem);
		return;
	}
	struct chart_frame f = chart_frame_draw(cr, r, ctx->text, theme, theme->tile,
						o->title, NULL);
	enum trend_style style = trend_style(w);
	struct rect rest = draw_summary(w, cr, &f.content, ctx);
	if (rest.h < 8 || rest.w < 16) {
		return;
	}
	double label_size;
	struct plot p = place_plot(w, cr, &rest, style, ctx, &label_size);
	double line_width = clampd(f.content.h * 0.012, 1.5, 4);
	if (style != STYLE_SPARKLINE) {
		draw_bands(w, cr, &p, theme, true);
		draw_grid(w, cr, &p, ctx, label_size);
		draw_bands(w, cr, &p, theme, false);
	}
	draw_target(w, cr, &p, ctx, label_size);
	draw_series(w, cr, &p, style, theme, line_width);
	draw_target_label(w, cr, &p, ctx, label_size);
	draw_last_dot(w, cr, &p, theme, line_width * 1.6);
	if (style != STYLE_SPARKLINE && w->series.timed) {
		draw_time_labels(w, cr, &p, ctx, label_size);
	}
}

/* A series, or a number whose history is the series. */
static bool trend_usable(const struct tile *tile, const char *key, const struct value *v)
{
	double number;
	return v->kind == VALUE_ARRAY || value_number(v, &number);
}

const struct widget_impl widget_trend = {
	.spec = {
		.name = "trend",
		.options = trend_options,
		.help = "a series as a line, area or sparkline with its last, highest and lowest",
	},
	.create = trend_create,
	.bind = trend_bind,
	.draw = trend_draw,
	.destroy = trend_destroy,
	.usable = trend_usable,
	.stale_palette = true,
};
