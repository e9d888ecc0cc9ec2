/*
 * kpi's look (kpi.c reads and binds): the state and its colours from the thresholds, the value,
 * its unit and the state's word on one line, the change line, and where the word goes; the
 * same texts in words for the detail panel, and when a relative time next changes them.
 */

#include "widgets/kpi_internal.h"

#include "layout/scales.h"
#include "render/draw.h"
#include "render/format.h"
#include "util/log.h"
#include "util/timefmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The number thresholds judge: the value, or for a relative time its age in seconds. */
static double judged(const struct kpi *kpi, double now)
{
	return kpi->format == VALUE_FORMAT_RELATIVE ? now - kpi->value : kpi->value;
}

static enum state kpi_state(const struct kpi *kpi, double now)
{
	const struct thresholds *t = kpi->o.thresholds;
	if (kpi->has_category) {
		return thresholds_state_text(t, kpi->category);
	}
	if (!kpi->has_value) {
		return STATE_NODATA;
	}
	enum state state = thresholds_state(t, judged(kpi, now));
	if (kpi->o.target_set && kpi->format != VALUE_FORMAT_RELATIVE) {
		state = state_against_target(state, kpi->value, kpi->o.target,
					     kpi->o.better != BETTER_DOWN);
	}
	return state;
}

/* The state's colours and word: the step's own where the kpi's scale names them. */
static struct scale_look kpi_look(const struct kpi *kpi, double now, const struct theme *theme)
{
	const struct thresholds *t = kpi->o.thresholds;
	enum state state = kpi_state(kpi, now);
	const struct threshold *step = NULL;
	if (kpi->has_category) {
		step = thresholds_step_text(t, kpi->category);
	} else if (kpi->has_value) {
		step = thresholds_step(t, judged(kpi, now));
	}
	struct scale_look look = scale_look(theme, step, state);
	/* Marked down by its target: say so, as the step's own word would say otherwise. */
	if (kpi->has_value && !kpi->has_category &&
	    state != thresholds_state(t, judged(kpi, now))) {
		look.label = kpi->o.below_target_text;
	}
	return look;
}

static struct format_style kpi_style(const struct kpi *kpi)
{
	return (struct format_style){
		.format = kpi->format,
		.decimals = kpi->o.decimals,
		.thousands = kpi->o.thousands,
		.zone = kpi->o.timezone,
	};
}

static struct color delta_color(const struct kpi *kpi, int sign, const struct theme *theme)
{
	if (sign == 0 || kpi->o.better == BETTER_NONE) {
		return theme->muted;
	}
	bool good = (sign > 0) == (kpi->o.better == BETTER_UP);
	return theme->states[good ? STATE_GOOD : STATE_VERY_BAD].accent;
}

/* The value as drawn, into buf; returns its unit ("" for a grade word). */
static const char *value_text(const struct kpi *kpi, double now, char *buf, size_t size)
{
	if (kpi->has_category) {
		snprintf(buf, size, "%s", kpi->category);
		return "";
	}
	struct format_style format = kpi_style(kpi);
	format_value(&format, kpi->value, now, buf, size);
	return kpi->o.unit;
}

/* The state's word, when there is one the value does not already say ("나쁨" as the value). */
static const char *state_word(const struct kpi *kpi, const struct scale_look *look)
{
	if (!look->label[0] || (kpi->has_category && strcmp(look->label, kpi->category) == 0)) {
		return "";
	}
	return look->label;
}

/* The value line at full size: value, unit and `word` ("" for none), each measured. */
struct value_line {
	char text[128];
	const char *unit; // borrowed: the kpi's unit, "" for a grade word
	const char *word; // borrowed
	struct text_style value, unit_style, word_style;
	double gap, width, unit_width, word_width; // unit and word widths include their gap
};

static void measure_line(struct value_line *l, cairo_t *cr, const struct widget_ctx *ctx)
{
	l->width = text_measure(ctx->text, cr, &l->value, l->text).width;
	l->unit_width =
		l->unit[0] ? text_measure(ctx->text, cr, &l->unit_style, l->unit).width + l->gap : 0;
	l->word_width =
		l->word[0] ? text_measure(ctx->text, cr, &l->word_style, l->word).width + l->gap : 0;
}

static void value_line(const struct kpi *kpi, cairo_t *cr, const struct rect *r,
		       const struct widget_ctx *ctx, const struct scale_look *look, double now,
		       const char *word, struct value_line *l)
{
	const struct theme *theme = ctx->theme;
	struct color color = look->state == STATE_NORMAL ? theme->text : look->accent;
	l->unit = value_text(kpi, now, l->text, sizeof(l->text));
	l->word = word;
	double size = fmin(r->h * 0.36, r->w * 0.4) * theme->value_scale;
	l->value = draw_text_style(theme->title_font, true, size, color, TEXT_ALIGN_LEFT);
	l->unit_style =
		draw_text_style(theme->font, false, size * 0.42 * theme->label_scale / theme->value_scale,
				theme->muted, TEXT_ALIGN_LEFT); // units are small print (theme.h)
	l->word_style = draw_text_style(theme->font, true, l->unit_style.size, look->accent,
					TEXT_ALIGN_LEFT);
	l->gap = size * 0.12;
	measure_line(l, cr, ctx);
}

/* Whether the value line takes `word` without shrinking the value. */
static bool value_holds(const struct kpi *kpi, cairo_t *cr, const struct rect *r, double pad,
			const struct widget_ctx *ctx, const struct scale_look *look, double now,
			const char *word)
{
	struct value_line l;
	value_line(kpi, cr, r, ctx, look, now, word, &l);
	return l.width + l.unit_width + l.word_width <= r->w - 2 * pad;
}

/*
 * The value and its unit on one baseline, then `word` ("" for none) in the state's colour, all
 * shrunk together until they fit the width.
 */
static void draw_value(const struct kpi *kpi, cairo_t *cr, const struct rect *r, double pad,
		       const struct widget_ctx *ctx, const struct scale_look *look, double now,
		       const char *word)
{
	struct value_line l;
	value_line(kpi, cr, r, ctx, look, now, word, &l);
	double avail = r->w - 2 * pad;
	/*
	 * Shrink value, unit and word together until they fit. Width is nearly linear in size,
	 * but hinting at whole pixel sizes is not, so re-measure rather than trust one estimate.
	 */
	for (int attempt = 0; attempt < 4; attempt++) {
		double total = l.width + l.unit_width + l.word_width;
		if (total <= avail || total <= 0) {
			break;
		}
		double shrink = avail / total * 0.98;
		l.value.size *= shrink;
		l.unit_style.size *= shrink;
		l.word_style.size *= shrink;
		l.gap *= shrink;
		measure_line(&l, cr, ctx);
	}
	double baseline = r->y + r->h * 0.66;
	double x = r->x + pad;
	x += text_draw(ctx->text, cr, &l.value, x, baseline, avail, l.text) + l.gap;
	if (l.unit[0]) {
		x += text_draw(ctx->text, cr, &l.unit_style, x, baseline, r->x + r->w - pad - x,
			       l.unit) +
		     l.gap;
	}
	if (l.word[0]) {
		text_draw(ctx->text, cr, &l.word_style, x, baseline, r->x + r->w - pad - x, l.word);
	}
}

/* The change line as drawn ("▲ 3.2  1시간 전 대비"); returns the sign of the change. */
static int delta_line(const struct kpi *kpi, char *buf, size_t size)
{
	char delta[128];
	struct format_style format = kpi_style(kpi);
	int sign = format_value_delta(&format, kpi->value - kpi->previous, delta, sizeof(delta));
	const char *label = kpi->o.delta_label;
	if (!label[0]) {
		label = kpi->change_label;
	}
	snprintf(buf, size, "%s%s%s", delta, label[0] ? "  " : "", label);
	return sign;
}

static struct text_style foot_style(const struct widget_ctx *ctx, const struct rect *r, bool bold,
				    struct color color, enum text_align align)
{
	double size = clampd(r->h * 0.1, 10, 40) * ctx->theme->label_scale;
	return draw_text_style(ctx->theme->font, bold, size, color, align);
}

/*
 * The bottom line: the change, and the state's word at its right end when the value line had
 * no room for it (`word`, "" for none).
 */
static void draw_foot(const struct kpi *kpi, cairo_t *cr, const struct rect *r, double pad,
		      const struct widget_ctx *ctx, const struct scale_look *look, const char *word)
{
	double size = clampd(r->h * 0.1, 10, 40) * ctx->theme->label_scale;
	double room = r->w - 2 * pad;
	double baseline = r->y + r->h - pad;
	if (word[0]) {
		struct text_style style = foot_style(ctx, r, true, look->accent, TEXT_ALIGN_RIGHT);
		double w = text_draw(ctx->text, cr, &style, r->x + r->w - pad, baseline, room, word);
		room -= w + size * 0.8;
	}
	if (!kpi->has_value || !kpi->has_previous || room <= 0) {
		return;
	}
	char line[256];
	int sign = delta_line(kpi, line, sizeof(line));
	struct text_style style = draw_text_style(ctx->theme->font, false, size,
						  delta_color(kpi, sign, ctx->theme), TEXT_ALIGN_LEFT);
	if (ctx->corner_badge > 0) {
		/* Beside the board's badge: the change alone when the words do not fit with it. */
		room = r->w - pad - ctx->corner_badge - size * 0.5;
	}
	if ((ctx->corner_badge > 0 || word[0]) &&
	    text_measure(ctx->text, cr, &style, line).width > room) {
		char *gap = strstr(line, "  "); // delta_line's separator
		if (gap) {
			*gap = '\0';
		}
	}
	text_draw(ctx->text, cr, &style, r->x + pad, baseline, room, line);
}

/* Whether the change line keeps its words with the state's word beside it. */
static bool foot_holds(const struct kpi *kpi, cairo_t *cr, const struct rect *r, double pad,
		       const struct widget_ctx *ctx, const char *word)
{
	if (!kpi->has_value || !kpi->has_previous) {
		return true;
	}
	char line[256];
	delta_line(kpi, line, sizeof(line));
	struct text_style style = foot_style(ctx, r, true, ctx->theme->text, TEXT_ALIGN_LEFT);
	double need = text_measure(ctx->text, cr, &style, line).width +
		      text_measure(ctx->text, cr, &style, word).width + style.size * 0.8;
	return need <= r->w - 2 * pad;
}

/* The state's word, bold in its colour, at the right of the title line. */
static struct text_style title_word_style(const struct text_style *title, struct color color)
{
	struct text_style style = *title;
	style.bold = true;
	style.align = TEXT_ALIGN_RIGHT;
	style.rgba[0] = color.r, style.rgba[1] = color.g, style.rgba[2] = color.b;
	style.rgba[3] = color.a;
	return style;
}

static bool title_holds(const struct kpi *kpi, cairo_t *cr, const struct rect *r, double pad,
			const struct widget_ctx *ctx, const struct text_style *title,
			const char *word)
{
	struct text_style style = title_word_style(title, ctx->theme->text);
	double need = text_measure(ctx->text, cr, title, kpi->o.title).width +
		      text_measure(ctx->text, cr, &style, word).width + style.size * 0.8;
	return need <= r->w - 2 * pad;
}

enum word_place { WORD_NONE, WORD_FOOT, WORD_TITLE, WORD_VALUE };

/*
 * Where the state's word goes ("서행", in the state's colour, so that the colour never speaks
 * alone): after the unit when it fits there without shrinking the value (one group's values
 * keep one size, and a shrunk unit could fall below the legible size); else at the right of
 * the change line, unless the board's "as of" badge sits there or the change would lose its
 * words; else at the right of the title; else on the change line after all, which then keeps
 * the change without its words (as beside the badge); beside the badge, after the unit.
 */
static enum word_place place_word(const struct kpi *kpi, cairo_t *cr, const struct rect *r,
				  double pad, const struct widget_ctx *ctx,
				  const struct scale_look *look, double now,
				  const struct text_style *title, const char *word)
{
	if (!word[0]) {
		return WORD_NONE;
	}
	if (value_holds(kpi, cr, r, pad, ctx, look, now, word)) {
		return WORD_VALUE;
	}
	if (ctx->corner_badge <= 0 && foot_holds(kpi, cr, r, pad, ctx, word)) {
		return WORD_FOOT;
	}
	if (title_holds(kpi, cr, r, pad, ctx, title, word)) {
		return WORD_TITLE;
	}
	return ctx->corner_badge <= 0 ? WORD_FOOT : WORD_VALUE;
}

/* "어제" and dates of an unknown zone fall back to UTC: say so once. */
static void check_zone(const struct kpi *kpi, double now)
{
	const char *zone = kpi->o.timezone;
	struct tm tm;
	if (!time_in_zone(now, zone, &tm)) {
		log_once(LOG_WARN, "kpi-zone", "unknown time zone \"%s\"; relative dates in UTC",
			 zone);
	}
}

void kpi_draw(void *self, cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
	      double now)
{
	const struct kpi *kpi = self;
	const struct theme *theme = ctx->theme;
	struct scale_look look = kpi_look(kpi, now, theme);
	enum state state = look.state;
	const struct scale_look *colors = &look;
	draw_card(cr, r, theme, colors->fill);

	double pad = clampd(fmin(r->w, r->h) * 0.08, 6, 40);
	if (state != STATE_NORMAL) {
		/* A stripe along the top edge says the state even from across the room. */
		struct rect stripe = {r->x + 1, r->y + 1, r->w - 2, clampd(r->h * 0.03, 3, 12)};
		cairo_save(cr);
		draw_rounded_rect(cr, &(struct rect){r->x + 0.5, r->y + 0.5, r->w - 1, r->h - 1},
				  theme->corner_radius);
		cairo_clip(cr);
		cairo_rectangle(cr, stripe.x, stripe.y, stripe.w, stripe.h);
		draw_set_color(cr, colors->accent);
		cairo_fill(cr);
		cairo_restore(cr);
	}

	double title_size = clampd(fmin(r->h * 0.1, r->w * 0.072), 11, 36) * theme->title_scale;
	struct text_style title = draw_text_style(theme->font, false, title_size, theme->muted,
						  TEXT_ALIGN_LEFT);
	text_draw(ctx->text, cr, &title, r->x + pad, r->y + pad + title_size * 0.9,
		  r->w - 2 * pad, kpi->o.title);

	if (state == STATE_NODATA) {
		struct text_style style = draw_text_style(theme->font, false,
							  fmin(r->h * 0.14, r->w * 0.12),
							  colors->accent, TEXT_ALIGN_LEFT);
		text_draw(ctx->text, cr, &style, r->x + pad, r->y + r->h * 0.62, r->w - 2 * pad,
			  kpi->o.nodata_text);
		return;
	}
	if (kpi->format == VALUE_FORMAT_RELATIVE) {
		check_zone(kpi, now);
	}
	const char *word = state_word(kpi, &look);
	enum word_place place = place_word(kpi, cr, r, pad, ctx, &look, now, &title, word);
	if (place == WORD_TITLE) {
		struct text_style style = title_word_style(&title, look.accent);
		text_draw(ctx->text, cr, &style, r->x + r->w - pad, r->y + pad + style.size * 0.9,
			  r->w - 2 * pad, word);
	}
	draw_value(kpi, cr, r, pad, ctx, &look, now, place == WORD_VALUE ? word : "");
	draw_foot(kpi, cr, r, pad, ctx, &look, place == WORD_FOOT ? word : "");
}

/* A relative time changes its text as it ages, and its state when the age crosses a step. */
double kpi_next_deadline(void *self, double now)
{
	const struct kpi *kpi = self;
	if (kpi->format != VALUE_FORMAT_RELATIVE || !kpi->has_value) {
		return INFINITY;
	}
	double next = format_relative_next_change(kpi->value, now, kpi->o.timezone);
	const struct thresholds *t = kpi->o.thresholds;
	double age = judged(kpi, now);
	for (size_t i = 0; t && i < t->count; i++) {
		if (t->items[i].from > age) {
			next = fmin(next, kpi->value + t->items[i].from);
		}
	}
	return next;
}

/* "35 µg/m³, ▲ 3  1시간 전 대비", or the no-data text: what the tile says, in words. */
bool kpi_describe(void *self, double now, char *buf, size_t size)
{
	const struct kpi *kpi = self;
	if (kpi_state(kpi, now) == STATE_NODATA) {
		snprintf(buf, size, "%s", kpi->o.nodata_text);
		return true;
	}
	char text[128], change[256] = "";
	const char *unit = value_text(kpi, now, text, sizeof(text));
	if (kpi->has_value && kpi->has_previous) {
		delta_line(kpi, change, sizeof(change));
	}
	snprintf(buf, size, "%s%s%s%s%s", text, unit[0] ? " " : "", unit, change[0] ? ", " : "",
		 change);
	return true;
}
