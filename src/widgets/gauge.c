/*
 * gauge: a ratio or a percentage as a half ring or a full ring — e.g. the fire brigade's
 * golden-time rate, the share of 119 dispatches on scene within 5 minutes — with the number in
 * the middle, the arc in its threshold colour (higher-is-better: thresholds that rise to
 * "good") and the target as a tick across the ring.
 *
 * The value is either one number (`value`, a share of `max`, 100 by default) or a numerator
 * over a denominator (arrivals within 5 min / all dispatches), shown as a percentage. An arc's
 * length is proportional to the share; above `max` the ring is full and the number says how
 * far. A missing or non-numeric value, a negative one, a zero denominator or a numerator above
 * its denominator draws the no-data state and is logged once.
 */

#include "widgets/widget.h"

#include "layout/options.h"
#include "layout/scales.h"
#include "render/chart.h"
#include "render/draw.h"
#include "render/format.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum style { STYLE_HALF, STYLE_RING };

static const char *const style_choices[] = {[STYLE_HALF] = "half", [STYLE_RING] = "ring", NULL};
static const char *const better_choices[] = {"up", "down", NULL};

/* The options, filled once at create (options_fill); texts borrowed from the tile. */
struct gauge_opts {
	const char *title;
	bool value_set; // bound: these three say which way the number comes
	bool numerator_set;
	bool denominator_set;
	double max;
	int style; // enum style
	const char *unit;
	int decimals;
	bool thousands;
	const struct thresholds *thresholds;
	double target;
	bool target_set;
	int better; // 0: higher is better, 1: lower
	const char *target_label;
	const char *nodata_text;
};

static const struct option_spec gauge_options[] = {
	{.key = "title", OPT_FIELD(OPT_STRING, struct gauge_opts, title), .default_text = "",
	 .help = "label of the tile"},
	{.key = "value", .type = OPT_BINDING, OPT_SET(struct gauge_opts, value_set),
	 .help = "path of the number, a share of max; or bind numerator and denominator"},
	{.key = "numerator", .type = OPT_BINDING, OPT_SET(struct gauge_opts, numerator_set),
	 .help = "path of the part (e.g. arrivals within 5 minutes); used when value is not set"},
	{.key = "denominator", .type = OPT_BINDING, OPT_SET(struct gauge_opts, denominator_set),
	 .help = "path of the whole (e.g. all dispatches)"},
	{.key = "max", OPT_FIELD(OPT_NUMBER, struct gauge_opts, max), OPT_RANGE(1e-9, 1e15),
	 .default_number = 100, .help = "the value of a full ring (value binding only)"},
	{.key = "style", OPT_FIELD(OPT_ENUM, struct gauge_opts, style), .choices = style_choices,
	 .default_text = "half", .help = "half ring (a dial) or full ring"},
	{.key = "unit", OPT_FIELD(OPT_STRING, struct gauge_opts, unit), .default_text = "%",
	 .help = "unit after the number"},
	{.key = "decimals", OPT_FIELD(OPT_INT, struct gauge_opts, decimals), OPT_RANGE(-1, 6),
	 .default_number = -1,
	 .help = "digits after the point; -1: none for whole numbers, else one"},
	{.key = "thousands", OPT_FIELD(OPT_BOOL, struct gauge_opts, thousands), .default_number = 1,
	 .help = "group digits by three with commas"},
	{.key = "thresholds", OPT_FIELD(OPT_THRESHOLDS, struct gauge_opts, thresholds),
	 .help = "value ranges to states, on the number shown: the arc's colour"},
	{.key = "target", OPT_FIELD(OPT_NUMBER, struct gauge_opts, target),
	 OPT_SET(struct gauge_opts, target_set), .help = "a tick across the ring at this number"},
	{.key = "better", OPT_FIELD(OPT_ENUM, struct gauge_opts, better),
	 .choices = better_choices, .default_text = "up",
	 .help = "which way is good: up (a number below the target is at best \"bad\") or down "
		 "(above it)"},
	{.key = "target_label", OPT_FIELD(OPT_STRING, struct gauge_opts, target_label),
	 .default_text = "목표", .help = "text before the target's value"},
	{.key = "nodata_text", OPT_FIELD(OPT_STRING, struct gauge_opts, nodata_text),
	 .default_text = "데이터 없음", .help = "shown when the value is missing or invalid"},
	{0},
};

struct reading {
	bool ok;
	bool ratio;         // numerator over denominator
	double shown;       // the number in the middle
	double share;       // of the full ring, 0..1 (clamped)
	double numerator, denominator;
	char problem[192];  // why there is no number; "" when ok
};

struct gauge {
	const struct tile *tile; // borrowed
	struct gauge_opts o;
	struct reading now;
};

static void *gauge_create(const struct tile *tile)
{
	struct gauge *g = xcalloc(1, sizeof(*g));
	g->tile = tile;
	options_fill(&tile->options, &g->o);
	return g;
}

static void gauge_destroy(void *self)
{
	free(self);
}

/* Reads one bound number, or writes why not ("numerator is a string "점검중""). */
static bool read_number(const struct binding_values *values, const char *key, double *out,
			char *problem, size_t size)
{
	const struct value *v = binding_current(values, key);
	if (chart_number(v, out)) {
		return true;
	}
	if (v && v->kind == VALUE_NUMBER) {
		/* NaN, an infinity or an absurd magnitude: a number, but none to draw. */
		snprintf(problem, size, "%s %g is not finite or out of range", key, v->number);
		return false;
	}
	char what[64];
	chart_describe(v, what, sizeof(what));
	snprintf(problem, size, v ? "%s is %s, not a number" : "%s is missing", key, what);
	return false;
}

static void read_value(const struct gauge_opts *o, const struct binding_values *values,
		       struct reading *r)
{
	double v;
	if (!read_number(values, "value", &v, r->problem, sizeof(r->problem))) {
		return;
	}
	if (v < 0) {
		snprintf(r->problem, sizeof(r->problem), "value %g is negative", v);
		return;
	}
	r->ok = true;
	r->shown = v;
	r->share = fmin(v / o->max, 1);
}

static void read_ratio(const struct binding_values *values, struct reading *r)
{
	double n, d;
	if (!read_number(values, "numerator", &n, r->problem, sizeof(r->problem)) ||
	    !read_number(values, "denominator", &d, r->problem, sizeof(r->problem))) {
		return;
	}
	if (d == 0) {
		snprintf(r->problem, sizeof(r->problem), "denominator is 0 (numerator %g)", n);
	} else if (n < 0 || d < 0) {
		snprintf(r->problem, sizeof(r->problem), "negative count (%g / %g)", n, d);
	} else if (n > d) {
		/* A part larger than its whole: counts out of step, not a rate over 100%. */
		snprintf(r->problem, sizeof(r->problem), "numerator %g exceeds denominator %g", n,
			 d);
	} else {
		r->ok = true;
		r->ratio = true;
		r->numerator = n;
		r->denominator = d;
		r->share = n / d;
		r->shown = 100 * r->share;
	}
}

static bool same_reading(const struct reading *a, const struct reading *b)
{
	return a->ok == b->ok && a->ratio == b->ratio && strcmp(a->problem, b->problem) == 0 &&
	       (!a->ok || (a->shown == b->shown && a->share == b->share &&
			   a->numerator == b->numerator && a->denominator == b->denominator));
}

static bool gauge_bind(void *self, const struct binding_values *values)
{
	struct gauge *g = self;
	const struct gauge_opts *o = &g->o;
	struct reading next = {0};
	bool bound = false;
	if (o->value_set) {
		read_value(o, values, &next);
		bound = binding_snapshot(values, "value") != NULL;
	} else if (o->numerator_set && o->denominator_set) {
		read_ratio(values, &next);
		bound = binding_snapshot(values, "numerator") != NULL;
	} else {
		/* The table cannot say "one of"; the docs do, and the tile shows it. */
		snprintf(next.problem, sizeof(next.problem),
			 "bind value, or numerator and denominator");
		bound = true;
	}
	bool changed = !same_reading(&next, &g->now);
	g->now = next;
	/* Before the first snapshot there is nothing to complain about yet. */
	if (bound) {
		chart_report("gauge", g->tile->id, next.ok ? NULL : next.problem);
	}
	return changed;
}

/* --- drawing --- */

struct dial {
	double cx, cy;      // centre
	double radius;      // of the ring's middle line
	double thickness;
	double start, sweep; // angles in radians, clockwise on screen
	double label_size;
};

static bool is_half(const struct gauge *g)
{
	return g->o.style == STYLE_HALF;
}

static struct dial place_dial(const struct gauge *g, const struct rect *c,
			      const struct theme *theme)
{
	struct dial d;
	d.label_size = clampd(fmin(c->h, c->w) * 0.075, 9, 28) * theme->label_scale;
	double below = d.label_size * 1.8; // the half ring's end labels and detail line
	double outer;
	if (is_half(g)) {
		outer = fmin(c->w / 2, c->h - below);
		d.cx = c->x + c->w / 2;
		d.cy = c->y + (c->h - below + outer) / 2;
		d.start = M_PI;
		d.sweep = M_PI;
	} else {
		outer = fmin(c->w, c->h) / 2;
		d.cx = c->x + c->w / 2;
		d.cy = c->y + c->h / 2;
		d.start = -M_PI / 2;
		d.sweep = 2 * M_PI;
	}
	outer = fmax(outer, 1);
	/* The target tick stands out of the ring by a little; keep it inside the content. */
	d.thickness = outer * 0.2;
	d.radius = outer - d.thickness * 0.5 - d.thickness * 0.15;
	return d;
}

static void arc(cairo_t *cr, const struct dial *d, double from, double to, struct color color)
{
	cairo_new_path(cr);
	cairo_arc(cr, d->cx, d->cy, d->radius, d->start + d->sweep * from,
		  d->start + d->sweep * to);
	cairo_set_line_width(cr, d->thickness);
	/* Butt ends: the arc's length is exactly its share, nothing added by a cap. */
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	draw_set_color(cr, color);
	cairo_stroke(cr);
}

/* The arc's state: the thresholds', held against the target when there is one. */
static enum state gauge_state(const struct gauge *g)
{
	const struct gauge_opts *o = &g->o;
	enum state state = thresholds_state(o->thresholds, g->now.shown);
	return o->target_set ? state_against_target(state, g->now.shown, o->target, o->better == 0)
			     : state;
}

/* The target's share of the ring, or NAN when there is none. */
static double target_share(const struct gauge *g)
{
	const struct gauge_opts *o = &g->o;
	if (!o->target_set) {
		return NAN;
	}
	double full = g->now.ratio ? 100 : o->max;
	return clampd(o->target / full, 0, 1);
}

static void draw_target_tick(const struct gauge *g, cairo_t *cr, const struct dial *d,
			     const struct theme *theme)
{
	double share = target_share(g);
	if (isnan(share)) {
		return;
	}
	double angle = d->start + d->sweep * share;
	double inner = d->radius - d->thickness * 0.65, outer = d->radius + d->thickness * 0.65;
	cairo_new_path(cr);
	cairo_move_to(cr, d->cx + cos(angle) * inner, d->cy + sin(angle) * inner);
	cairo_line_to(cr, d->cx + cos(angle) * outer, d->cy + sin(angle) * outer);
	cairo_set_line_width(cr, fmax(chart_pixel(cr) * 2, d->thickness * 0.14));
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	draw_set_color(cr, theme->text);
	cairo_stroke(cr);
}

/* Under the number: the counts behind a ratio ("5,012 / 5,646") and the target ("목표 90%"). */
struct detail {
	char counts[128];
	char target[128];
};

static void detail_text(const struct gauge *g, struct detail *out)
{
	const struct gauge_opts *o = &g->o;
	bool thousands = o->thousands;
	out->counts[0] = out->target[0] = '\0';
	if (g->now.ratio) {
		char n[48], d[48];
		format_number(g->now.numerator, -1, thousands, n, sizeof(n));
		format_number(g->now.denominator, -1, thousands, d, sizeof(d));
		snprintf(out->counts, sizeof(out->counts), "%s / %s", n, d);
	}
	if (o->target_set) {
		char number[64];
		format_number(o->target, o->decimals,
			      thousands, number, sizeof(number));
		snprintf(out->target, sizeof(out->target), "%s %s%s",
			 o->target_label, number, o->unit);
	}
}

/* Under a half ring: its ends' values ("0", "100") at the ends, the detail in the middle. */
static void draw_half_labels(const struct gauge *g, cairo_t *cr, const struct dial *d,
			     const struct widget_ctx *ctx, const struct detail *detail)
{
	const struct gauge_opts *o = &g->o;
	double baseline = d->cy + d->label_size * 1.3;
	struct text_style style = draw_text_style(ctx->theme->font, false, d->label_size,
						  ctx->theme->muted, TEXT_ALIGN_LEFT);
	char end[64];
	format_number(g->now.ratio ? 100 : o->max, -1,
		      o->thousands, end, sizeof(end));
	/* Flush with the ring's outer edges, which lie inside the tile, so they never spill. */
	double outer = d->radius + d->thickness / 2;
	text_draw(ctx->text, cr, &style, d->cx - outer, baseline, d->thickness * 3, "0");
	style.align = TEXT_ALIGN_RIGHT;
	text_draw(ctx->text, cr, &style, d->cx + outer, baseline, d->thickness * 3, end);
	style.align = TEXT_ALIGN_CENTER;
	char line[300];
	snprintf(line, sizeof(line), "%s%s%s", detail->counts,
		 detail->counts[0] && detail->target[0] ? " · " : "", detail->target);
	text_draw(ctx->text, cr, &style, d->cx, baseline, 2 * (d->radius - d->thickness * 1.2),
		  line);
}

/* The number in the middle, as drawn. */
static void number_text(const struct gauge *g, char *buf, size_t size)
{
	format_number(g->now.shown, g->o.decimals, g->o.thousands, buf, size);
}

static void draw_number(const struct gauge *g, cairo_t *cr, const struct dial *d,
			const struct widget_ctx *ctx, struct color color, const char *word)
{
	const struct gauge_opts *o = &g->o;
	char number[96], unit[160];
	/* The state's word after the unit: the arc's colour never speaks alone. */
	snprintf(unit, sizeof(unit), "%s%s%s", o->unit, o->unit[0] && word[0] ? " " : "", word);
	struct detail detail;
	number_text(g, number, sizeof(number));
	detail_text(g, &detail);
	double inner = 2 * (d->radius - d->thickness * 0.5) * 0.86;
	if (is_half(g)) {
		double size = d->radius * 0.5 * ctx->theme->value_scale;
		chart_draw_number(cr, ctx->text, ctx->theme, number, unit, color,
				  size, d->cx, d->cy - d->radius * 0.1, inner, TEXT_ALIGN_CENTER);
		draw_half_labels(g, cr, d, ctx, &detail);
		return;
	}
	/* In a ring the lines stack: the number, then the counts, then the target. */
	int lines = (detail.counts[0] != '\0') + (detail.target[0] != '\0');
	double size = d->radius * 0.46 * ctx->theme->value_scale;
	double small = clampd(size * 0.3, 9, 28) * ctx->theme->label_scale;
	double baseline = d->cy + size * 0.35 - lines * small * 0.7;
	chart_draw_number(cr, ctx->text, ctx->theme, number, unit, color, size,
			  d->cx, baseline, inner, TEXT_ALIGN_CENTER);
	struct text_style style = draw_text_style(ctx->theme->font, false, small, ctx->theme->muted,
						  TEXT_ALIGN_CENTER);
	const char *texts[] = {detail.counts, detail.target};
	for (int i = 0; i < 2; i++) {
		if (texts[i][0]) {
			baseline += small * 1.4;
			text_draw(ctx->text, cr, &style, d->cx, baseline, inner * 0.9, texts[i]);
		}
	}
}

static void gauge_draw(void *self, cairo_t *cr, const struct rect *r,
		       const struct widget_ctx *ctx, double now)
{
	const struct gauge *g = self;
	const struct gauge_opts *o = &g->o;
	const struct theme *theme = ctx->theme;
	if (!g->now.ok) {
		chart_draw_nodata(cr, r, ctx->text, theme, o->title,
				  o->nodata_text, g->now.problem);
		return;
	}
	struct chart_frame f = chart_frame_draw(cr, r, ctx->text, theme, theme->tile,
						o->title, NULL);
	if (f.content.h < 8 || f.content.w < 8) {
		return;
	}
	struct dial d = place_dial(g, &f.content, theme);
	enum state state = gauge_state(g);
	struct scale_look look =
		scale_look(theme, thresholds_step(o->thresholds, g->now.shown), state);
	struct color color = state == STATE_NORMAL ? theme->accent : look.accent;
	arc(cr, &d, 0, 1, chart_fade(theme->tile_border, 1));
	if (g->now.share > 0) {
		arc(cr, &d, 0, g->now.share, color);
	}
	draw_target_tick(g, cr, &d, theme);
	draw_number(g, cr, &d, ctx, state == STATE_NORMAL ? theme->text : color, look.label);
}

/* "88.9 %, 5,012 / 5,646, 목표 90%": the number, then the lines under it. */
static bool gauge_describe(void *self, double now, char *buf, size_t size)
{
	const struct gauge *g = self;
	const struct gauge_opts *o = &g->o;
	if (!g->now.ok) {
		snprintf(buf, size, "%s", o->nodata_text);
		return true;
	}
	char number[96];
	struct detail detail;
	number_text(g, number, sizeof(number));
	detail_text(g, &detail);
	const char *unit = o->unit;
	snprintf(buf, size, "%s%s%s%s%s%s%s", number, unit[0] ? " " : "", unit,
		 detail.counts[0] ? ", " : "", detail.counts, detail.target[0] ? ", " : "",
		 detail.target);
	return true;
}

static bool gauge_usable(const struct tile *tile, const char *key, const struct value *v)
{
	double n;
	return value_number(v, &n);
}

const struct widget_impl widget_gauge = {
	.spec = {
		.name = "gauge",
		.options = gauge_options,
		.help = "a ratio or percentage as a half or full ring with a target tick",
	},
	.create = gauge_create,
	.bind = gauge_bind,
	.draw = gauge_draw,
	.destroy = gauge_destroy,
	.usable = gauge_usable,
	.describe = gauge_describe,
	.stale_palette = true,
};
