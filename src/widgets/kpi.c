/*
 * kpi: one indicator as a big number — a title, the value with its unit, the change against
 * the previous reading, and a state colour from thresholds (good / moderate / bad / very bad).
 * A missing value or one of the wrong type draws the "no data" state, never garbage. The value
 * is written in one of render/format.h's formats (number, korean, korean_compact, percent,
 * ratio, duration, relative); a relative time is a time, not a number, and its text and state
 * change by themselves as it ages.
 */

#include "widgets/widget.h"

#include "layout/options.h"
#include "render/draw.h"
#include "render/format.h"
#include "util/log.h"
#include "util/timefmt.h"
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
	{.key = "format", .type = OPT_ENUM, .choices = format_names, .default_text = "number",
	 .help = "how the value is written: number, korean (380억 5,272만), korean_compact "
		 "(380.5억), percent (88.9 → 88.9%), ratio (0.889 → 88.9%), duration (seconds → "
		 "5:00), relative (a time → 3분 전; thresholds then apply to its age in seconds)"},
	{.key = "timezone", .type = OPT_STRING, .default_text = "Asia/Seoul",
	 .help = "IANA time zone of relative times' \"어제\" and dates"},
	{0},
};

struct kpi {
	const struct tile *tile; // borrowed
	enum value_format format;
	bool has_value;
	double value; // relative: the time, epoch seconds
	bool has_previous;
	double previous;
	bool has_category;  // a text value that categorical thresholds judge ("나쁨", "붐빔")
	char category[64];
};

static void *kpi_create(const struct tile *tile)
{
	struct kpi *kpi = xcalloc(1, sizeof(*kpi));
	kpi->tile = tile;
	kpi->format = VALUE_FORMAT_NUMBER;
	/* The validator checked the name against format_names, so this finds it. */
	format_from_name(option_text(&tile->options, "format"), &kpi->format);
	return kpi;
}

static void kpi_destroy(void *self)
{
	free(self);
}

/*
 * A time as feeds send it: text (RFC 3339 or Seoul's compact "202105111500"), or epoch
 * seconds as a number; a number past 1e11 (the year 5138 in seconds) is milliseconds.
 */
static bool read_time(const struct value *v, double *out)
{
	if (v && v->kind == VALUE_STRING && format_parse_time(v->string.text, out)) {
		return true;
	}
	double n;
	if (!value_number(v, &n)) {
		return false;
	}
	*out = fabs(n) > 1e11 ? n / 1000 : n;
	return true;
}

static bool read_value(const struct kpi *kpi, const struct value *v, double *out)
{
	return kpi->format == VALUE_FORMAT_RELATIVE ? read_time(v, out) : value_number(v, out);
}

static const char *binding_path(const struct tile *tile, const char *key)
{
	for (size_t i = 0; i < tile->binding_count; i++) {
		if (strcmp(tile->bindings[i].key, key) == 0) {
			return tile->bindings[i].path;
		}
	}
	return "";
}

/*
 * Bad data is logged once per tile until it recovers; no snapshot yet is not bad data. At
 * debug level (--verbose): the tile itself already says "no data", and layouts show that
 * state on purpose (tests/layouts/states.json must screenshot silently).
 */
static void report_value(const struct kpi *kpi, const struct binding_values *values, bool ok)
{
	char key[160];
	snprintf(key, sizeof(key), "kpi:%s", kpi->tile->id);
	const struct value *v = binding_current(values, "value");
	if (ok || !binding_snapshot(values, "value")) {
		log_once_clear(key);
		return;
	}
	const char *wanted = kpi->format == VALUE_FORMAT_RELATIVE ? "a time" : "a number";
	const char *path = binding_path(kpi->tile, "value");
	if (!v) {
		log_once(LOG_DEBUG, key,
			 "tile \"%s\": \"%s\" names nothing in the data; showing no data",
			 kpi->tile->id, path);
	} else if (v->kind == VALUE_STRING) {
		/* At most 40 bytes of it, cut between characters. */
		int len = v->string.length > 40 ? 40 : (int)v->string.length;
		while (len > 0 && ((unsigned char)v->string.text[len] & 0xC0) == 0x80) {
			len--;
		}
		log_once(LOG_DEBUG, key, "tile \"%s\": \"%s\" is the text \"%.*s\", not %s; "
			 "showing no data", kpi->tile->id, path, len, v->string.text, wanted);
	} else {
		bool container = v->kind == VALUE_ARRAY || v->kind == VALUE_OBJECT;
		log_once(LOG_DEBUG, key, "tile \"%s\": \"%s\" is %s %s, not %s; showing no data",
			 kpi->tile->id, path, container ? "an" : "a", value_kind_name(v->kind),
			 wanted);
	}
}

static bool kpi_bind(void *self, const struct binding_values *values)
{
	struct kpi *kpi = self;
	struct kpi next = {.tile = kpi->tile, .format = kpi->format};
	const struct value *current = binding_current(values, "value");
	next.has_value = read_value(kpi, current, &next.value);
	const struct thresholds *t = option_get(&kpi->tile->options, "thresholds")->thresholds;
	if (!next.has_value && current && current->kind == VALUE_STRING &&
	    thresholds_categorical(t) && current->string.length < sizeof(next.category)) {
		/* A grade word is the reading itself: show it in its state's colour. */
		next.has_category = true;
		snprintf(next.category, sizeof(next.category), "%s", current->string.text);
	}
	report_value(kpi, values, next.has_value || next.has_category);
	/* A kept last good previous would compare today's reading with an older one. */
	const struct value *prev =
		binding_held(values, "previous") ? NULL : binding_current(values, "previous");
	if (!option_get(&kpi->tile->options, "previous")->set) {
		prev = binding_previous(values, "value");
	}
	/* A change of a time is no reading: relative draws no change line. */
	next.has_previous = kpi->format != VALUE_FORMAT_RELATIVE &&
			    value_number(prev, &next.previous);
	bool changed = next.has_value != kpi->has_value || next.has_previous != kpi->has_previous ||
		       (next.has_value && next.value != kpi->value) ||
		       (next.has_previous && next.previous != kpi->previous) ||
		       next.has_category != kpi->has_category ||
		       strcmp(next.category, kpi->category) != 0;
	*kpi = next;
	return changed;
}

/* The number thresholds judge: the value, or for a relative time its age in seconds. */
static double judged(const struct kpi *kpi, double now)
{
	return kpi->format == VALUE_FORMAT_RELATIVE ? now - kpi->value : kpi->value;
}

static enum state kpi_state(const struct kpi *kpi, double now)
{
	const struct thresholds *t = option_get(&kpi->tile->options, "thresholds")->thresholds;
	if (kpi->has_category) {
		return thresholds_state_text(t, kpi->category);
	}
	if (!kpi->has_value) {
		return STATE_NODATA;
	}
	return thresholds_state(t, judged(kpi, now));
}

static struct format_style kpi_style(const struct kpi *kpi)
{
	const struct option_set *o = &kpi->tile->options;
	return (struct format_style){
		.format = kpi->format,
		.decimals = (int)option_number(o, "decimals"),
		.thousands = option_bool(o, "thousands"),
		.zone = option_text(o, "timezone"),
	};
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
		       const struct widget_ctx *ctx, struct color color, double now)
{
	const struct option_set *o = &kpi->tile->options;
	const struct theme *theme = ctx->theme;
	char text[128];
	struct format_style format = kpi_style(kpi);
	if (kpi->has_category) {
		snprintf(text, sizeof(text), "%s", kpi->category);
	} else {
		format_value(&format, kpi->value, now, text, sizeof(text));
	}
	const char *unit = kpi->has_category ? "" : option_text(o, "unit");
	double size = fmin(r->h * 0.36, r->w * 0.4) * theme->value_scale;
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
	struct format_style format = kpi_style(kpi);
	int sign = format_value_delta(&format, kpi->value - kpi->previous, delta, sizeof(delta));
	const char *label = option_text(o, "delta_label");
	char line[256];
	snprintf(line, sizeof(line), "%s%s%s", delta, label[0] ? "  " : "", label);
	double size = clampd(r->h * 0.1, 10, 40) * ctx->theme->label_scale;
	struct text_style style = draw_text_style(ctx->theme->font, false, size,
						  delta_color(kpi, sign, ctx->theme), TEXT_ALIGN_LEFT);
	text_draw(ctx->text, cr, &style, r->x + pad, r->y + r->h - pad, r->w - 2 * pad, line);
}

/* "어제" and dates of an unknown zone fall back to UTC: say so once. */
static void check_zone(const struct kpi *kpi, double now)
{
	const char *zone = option_text(&kpi->tile->options, "timezone");
	struct tm tm;
	if (!time_in_zone(now, zone, &tm)) {
		log_once(LOG_WARN, "kpi-zone", "unknown time zone \"%s\"; relative dates in UTC",
			 zone);
	}
}

static void kpi_draw(void *self, cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
		     double now)
{
	const struct kpi *kpi = self;
	const struct theme *theme = ctx->theme;
	enum state state = kpi_state(kpi, now);
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
	double title_size = clampd(fmin(r->h * 0.1, r->w * 0.072), 11, 36) * theme->title_scale;
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
	if (kpi->format == VALUE_FORMAT_RELATIVE) {
		check_zone(kpi, now);
	}
	struct color value_color = state == STATE_NORMAL ? theme->text : colors->accent;
	draw_value(kpi, cr, r, pad, ctx, value_color, now);
	draw_delta(kpi, cr, r, pad, ctx);
}

/* A relative time changes its text as it ages, and its state when the age crosses a step. */
static double kpi_next_deadline(void *self, double now)
{
	const struct kpi *kpi = self;
	if (kpi->format != VALUE_FORMAT_RELATIVE || !kpi->has_value) {
		return INFINITY;
	}
	double next = format_relative_next_change(kpi->value, now, option_text(&kpi->tile->options,
										  "timezone"));
	const struct thresholds *t = option_get(&kpi->tile->options, "thresholds")->thresholds;
	double age = judged(kpi, now);
	for (size_t i = 0; t && i < t->count; i++) {
		if (t->items[i].from > age) {
			next = fmin(next, kpi->value + t->items[i].from);
		}
	}
	return next;
}

static bool kpi_usable(const struct tile *tile, const char *key, const struct value *v)
{
	struct kpi probe = {.format = VALUE_FORMAT_NUMBER};
	format_from_name(option_text(&tile->options, "format"), &probe.format);
	double n;
	if (read_value(&probe, v, &n)) {
		return true;
	}
	/* A grade word is a reading where the thresholds name grades. */
	return strcmp(key, "value") == 0 && v->kind == VALUE_STRING &&
	       thresholds_categorical(option_get(&tile->options, "thresholds")->thresholds);
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
	.next_deadline = kpi_next_deadline,
	.destroy = kpi_destroy,
	.usable = kpi_usable,
};
