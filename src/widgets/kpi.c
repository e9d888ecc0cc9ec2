/*
 * kpi: one indicator as a big number — a title, the value with its unit, the change against
 * the previous reading, and a state colour from thresholds (good / moderate / bad / very bad).
 * A missing value or one of the wrong type draws the "no data" state, never garbage.
 */

#include "widgets/widget.h"

#include "layout/options.h"
#include "render/draw.h"
#include "render/format.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const better_choices[] = {"up", "down", "none", NULL};

static const struct option_spec kpi_options[] = {
	{.key = "title", .type = OPT_STRING, .required = true, .help = "label above the value"},
	{.key = "value", .type = OPT_BINDING, .required = true, .help = "path of the number"},
	{.key = "previous", .type = OPT_BINDING,
	 .help = "path of the previous reading for the change line; default: the same path in "
		 "the previous snapshot"},
	{.key = "unit", .type = OPT_STRING, .default_text = "", .help = "unit after the value"},
	{.key = "decimals", .type = OPT_INT, OPT_RANGE(-1, 6), .default_number = -1,
	 .help = "digits after the point; -1: none for whole numbers, else one"},
	{.key = "thousands", .type = OPT_BOOL, .default_number = 1,
	 .help = "group digits by three with commas"},
	{.key = "thresholds", .type = OPT_THRESHOLDS,
	 .help = "value ranges to states: [{\"from\": 0, \"state\": \"good\"}, ...]"},
	{.key = "better", .type = OPT_ENUM, .choices = better_choices, .default_text = "none",
	 .help = "which direction of change is good, for the change line's colour"},
	{.key = "delta_label", .type = OPT_STRING, .default_text = "",
	 .help = "text after the change, e.g. \"전일 대비\""},
	{.key = "nodata_text", .type = OPT_STRING, .default_text = "데이터 없음",
	 .help = "shown when the value is missing or not a number"},
	{0},
};

struct kpi {
	const struct tile *tile; // borrowed
	bool has_value;
	double value;
	bool has_previous;
	double previous;
};

static void *kpi_create(const struct tile *tile)
{
	struct kpi *kpi = xcalloc(1, sizeof(*kpi));
	kpi->tile = tile;
	return kpi;
}

static void kpi_destroy(void *self)
{
	free(self);
}

static bool kpi_bind(void *self, const struct binding_values *values)
{
	struct kpi *kpi = self;
	struct kpi next = {.tile = kpi->tile};
	next.has_value = value_number(binding_current(values, "value"), &next.value);
	const struct value *prev = binding_current(values, "previous");
	if (!option_get(&kpi->tile->options, "previous")->set) {
		prev = binding_previous(values, "value");
	}
	next.has_previous = value_number(prev, &next.previous);
	bool changed = next.has_value != kpi->has_value || next.has_previous != kpi->has_previous ||
		       (next.has_value && next.value != kpi->value) ||
		       (next.has_previous && next.previous != kpi->previous);
	*kpi = next;
	return changed;
}

static enum state kpi_state(const struct kpi *kpi)
{
	if (!kpi->has_value) {
		return STATE_NODATA;
	}
	return thresholds_state(option_get(&kpi->tile->options, "thresholds")->thresholds,
				kpi->value);
}

static struct color delta_color(const struct kpi *kpi, int sign, const struct theme *theme)
{
	const char *better = option_text(&kpi->tile->options, "better");
	if (sign == 0 || strcmp(better, "none") == 0) {
		return theme->muted;
	}
	bool good = (sign > 0) == (strcmp(better, "up") == 0);
	return theme->states[good ? STATE_GOOD : STATE_VERY_BAD].accent;
}

/* The value and its unit on one baseline, shrunk until they fit the width. */
static void draw_value(const struct kpi *kpi, cairo_t *cr, const struct rect *r, double pad,
		       const struct widget_ctx *ctx, struct color color)
{
	const struct option_set *o = &kpi->tile->options;
	const struct theme *theme = ctx->theme;
	char text[128];
	format_number(kpi->value, (int)option_number(o, "decimals"), option_bool(o, "thousands"),
		      text, sizeof(text));
	const char *unit = option_text(o, "unit");
	double size = fmin(r->h * 0.36, r->w * 0.4);
	double avail = r->w - 2 * pad;
	struct text_style value_style =
		draw_text_style(theme->title_font, true, size, color, TEXT_ALIGN_LEFT);
	struct text_style unit_style =
		draw_text_style(theme->font, false, size * 0.42, theme->muted, TEXT_ALIGN_LEFT);
	double gap = size * 0.12;
	/*
	 * Shrink value and unit together until both fit. Width is nearly linear in size, but
	 * hinting at whole pixel sizes is not, so re-measure rather than trust one estimate.
	 */
	for (int attempt = 0; attempt < 4; attempt++) {
		double width = text_measure(ctx->text, cr, &value_style, text).width;
		double unit_width =
			unit[0] ? text_measure(ctx->text, cr, &unit_style, unit).width + gap : 0;
		if (width + unit_width <= avail || width + unit_width <= 0) {
			break;
		}
		double shrink = avail / (width + unit_width) * 0.98;
		value_style.size *= shrink;
		unit_style.size *= shrink;
		gap *= shrink;
	}
	double baseline = r->y + r->h * 0.66;
	double drawn = text_draw(ctx->text, cr, &value_style, r->x + pad, baseline, avail, text);
	if (unit[0]) {
		text_draw(ctx->text, cr, &unit_style, r->x + pad + drawn + gap, baseline,
			  avail - drawn - gap, unit);
	}
}

static void draw_delta(const struct kpi *kpi, cairo_t *cr, const struct rect *r, double pad,
		       const struct widget_ctx *ctx)
{
	if (!kpi->has_value || !kpi->has_previous) {
		return;
	}
	const struct option_set *o = &kpi->tile->options;
	char delta[128];
	int sign = format_delta(kpi->value - kpi->previous, (int)option_number(o, "decimals"),
				option_bool(o, "thousands"), delta, sizeof(delta));
	const char *label = option_text(o, "delta_label");
	char line[256];
	snprintf(line, sizeof(line), "%s%s%s", delta, label[0] ? "  " : "", label);
	double size = clampd(r->h * 0.1, 10, 40);
	struct text_style style = draw_text_style(ctx->theme->font, false, size,
						  delta_color(kpi, sign, ctx->theme), TEXT_ALIGN_LEFT);
	text_draw(ctx->text, cr, &style, r->x + pad, r->y + r->h - pad, r->w - 2 * pad, line);
}

static void kpi_draw(void *self, cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
		     double now)
{
	const struct kpi *kpi = self;
	const struct theme *theme = ctx->theme;
	enum state state = kpi_state(kpi);
	const struct state_colors *colors = &theme->states[state];
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

	const struct option_set *o = &kpi->tile->options;
	double title_size = clampd(fmin(r->h * 0.1, r->w * 0.072), 11, 36);
	struct text_style title = draw_text_style(theme->font, false, title_size, theme->muted,
						  TEXT_ALIGN_LEFT);
	text_draw(ctx->text, cr, &title, r->x + pad, r->y + pad + title_size * 0.9,
		  r->w - 2 * pad, option_text(o, "title"));

	if (state == STATE_NODATA) {
		struct text_style style = draw_text_style(theme->font, false,
							  fmin(r->h * 0.14, r->w * 0.12),
							  colors->accent, TEXT_ALIGN_LEFT);
		text_draw(ctx->text, cr, &style, r->x + pad, r->y + r->h * 0.62, r->w - 2 * pad,
			  option_text(o, "nodata_text"));
		return;
	}
	struct color value_color = state == STATE_NORMAL ? theme->text : colors->accent;
	draw_value(kpi, cr, r, pad, ctx, value_color);
	draw_delta(kpi, cr, r, pad, ctx);
}

const struct widget_impl widget_kpi = {
	.spec = {
		.name = "kpi",
		.options = kpi_options,
		.help = "an indicator: title, value with unit, change, threshold colour",
	},
	.create = kpi_create,
	.bind = kpi_bind,
	.draw = kpi_draw,
	.destroy = kpi_destroy,
};
