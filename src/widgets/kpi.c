/*
 * kpi: one indicator as a big number — a title, the value with its unit, the change against
 * the previous reading, and a state colour from thresholds (good / moderate / bad / very bad).
 * A missing value or one of the wrong type draws the "no data" state, never garbage. The value
 * is written in one of render/format.h's formats (number, korean, korean_compact, percent,
 * ratio, duration, relative); a relative time is a time, not a number, and its text and state
 * change by themselves as it ages.
 *
 * The change line is a claim, so it is drawn only when a real comparison exists: with "change"
 * against the source's history (a reading an hour ago, yesterday at this time, the previous
 * one), labelled with the age of the reading it compares with; or against a "previous" value
 * the feed sends. Neither: no change line (never a made-up 0).
 */

#include "widgets/widget.h"

#include "layout/options.h"
#include "layout/scales.h"
#include "render/draw.h"
#include "render/format.h"
#include "util/log.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum better { BETTER_UP, BETTER_DOWN, BETTER_NONE };

static const char *const better_choices[] = {
	[BETTER_UP] = "up", [BETTER_DOWN] = "down", [BETTER_NONE] = "none", NULL,
};

/* The options, filled once at create (options_fill); borrowed from the tile's option set. */
struct kpi_opts {
	const char *title;
	const char *previous; // NULL: not bound
	const struct option_set *change; // NULL: none
	const char *unit;
	int decimals;
	bool thousands;
	const struct thresholds *thresholds;
	int better; // enum better
	double target;
	bool target_set;
	const char *delta_label;
	const char *nodata_text;
	const char *below_target_text;
	int format; // enum value_format (format_names is in its order)
	const char *timezone;
};

struct change_opts {
	const char *vs;
};

/* A reading "yesterday at this time" may be this much older and still count. */
#define YESTERDAY_TOLERANCE 1800.0
/* A reading "vs" a duration D counts when it is at most this many D old. */
#define VS_TOLERANCE 1.5

static const struct option_spec change_fields[] = {
	{.key = "vs", OPT_FIELD(OPT_STRING, struct change_opts, vs), .required = true,
	 .help = "what to compare with: a duration back (\"1h\", \"30m\", \"7d\"), \"yesterday\" "
		 "(the same time yesterday) or \"previous\" (the previous distinct reading)"},
	{0},
};

static const struct option_spec kpi_options[] = {
	{.key = "title", OPT_FIELD(OPT_STRING, struct kpi_opts, title), .required = true,
	 .help = "label above the value"},
	{.key = "value", .type = OPT_BINDING, .required = true, .help = "path of the number"},
	{.key = "previous", OPT_FIELD(OPT_BINDING, struct kpi_opts, previous),
	 .help = "path of a value the feed sends to compare with (\"yesterday\"); with neither "
		 "this nor \"change\" there is no change line"},
	{.key = "change", OPT_FIELD(OPT_OBJECT, struct kpi_opts, change), .fields = change_fields,
	 .help = "a change line from the source's history: {\"vs\": \"1h\"}; the source needs "
		 "\"history\""},
	{.key = "unit", OPT_FIELD(OPT_STRING, struct kpi_opts, unit), .default_text = "",
	 .help = "unit after the value"},
	{.key = "decimals", OPT_FIELD(OPT_INT, struct kpi_opts, decimals), OPT_RANGE(-1, 6),
	 .default_number = -1,
	 .help = "digits after the point; -1: none for whole numbers, else one"},
	{.key = "thousands", OPT_FIELD(OPT_BOOL, struct kpi_opts, thousands), .default_number = 1,
	 .help = "group digits by three with commas"},
	{.key = "thresholds", OPT_FIELD(OPT_THRESHOLDS, struct kpi_opts, thresholds),
	 .help = "value ranges to states: [{\"from\": 0, \"state\": \"good\"}, ...]"},
	{.key = "better", OPT_FIELD(OPT_ENUM, struct kpi_opts, better), .choices = better_choices,
	 .default_text = "none",
	 .help = "which direction of change is good, for the change line's colour"},
	{.key = "target", OPT_FIELD(OPT_NUMBER, struct kpi_opts, target),
	 OPT_SET(struct kpi_opts, target_set),
	 .help = "the value to reach, in the value's units: a value that misses it (by \"better\"; "
		 "higher is better unless \"down\") is drawn at best \"bad\", whatever the "
		 "thresholds say"},
	{.key = "delta_label", OPT_FIELD(OPT_STRING, struct kpi_opts, delta_label),
	 .default_text = "",
	 .help = "text after the change, e.g. \"전일 대비\"; with \"change\" it replaces the "
		 "automatic label (\"1시간 전 대비\")"},
	{.key = "nodata_text", OPT_FIELD(OPT_STRING, struct kpi_opts, nodata_text),
	 .default_text = "데이터 없음", .help = "shown when the value is missing or not a number"},
	{.key = "below_target_text", OPT_FIELD(OPT_STRING, struct kpi_opts, below_target_text),
	 .default_text = "목표 미달",
	 .help = "the word beside a value drawn \"bad\" because it misses its target"},
	{.key = "format", OPT_FIELD(OPT_ENUM, struct kpi_opts, format), .choices = format_names,
	 .default_text = "number",
	 .help = "how the value is written: number, korean (380억 5,272만), korean_compact "
		 "(380.5억), percent (88.9 → 88.9%), ratio (0.889 → 88.9%), duration (seconds → "
		 "5:00), relative (a time → 3분 전; thresholds then apply to its age in seconds)"},
	{.key = "timezone", OPT_FIELD(OPT_STRING, struct kpi_opts, timezone),
	 .default_text = "Asia/Seoul",
	 .help = "IANA time zone of relative times' \"어제\" and dates"},
	{0},
};

enum vs_kind { VS_NONE, VS_DURATION, VS_YESTERDAY, VS_PREVIOUS };

struct vs {
	enum vs_kind kind;
	double seconds; // VS_DURATION
};

struct kpi {
	const struct tile *tile; // borrowed
	struct kpi_opts o;
	enum value_format format;
	struct vs vs;            // from "change"; VS_NONE without
	bool has_value;
	double value; // relative: the time, epoch seconds
	bool has_previous;
	double previous;
	char change_label[64];   // what the history comparison is with; "" for "previous"
	bool has_category;  // a text value that categorical thresholds judge ("나쁨", "붐빔")
	char category[64];
};

static bool parse_vs(const char *text, struct vs *out)
{
	*out = (struct vs){VS_NONE, 0};
	if (strcmp(text, "previous") == 0) {
		out->kind = VS_PREVIOUS;
	} else if (strcmp(text, "yesterday") == 0) {
		out->kind = VS_YESTERDAY;
	} else if (history_parse_duration(text, &out->seconds)) {
		out->kind = VS_DURATION;
	}
	return out->kind != VS_NONE;
}

static void *kpi_create(const struct tile *tile)
{
	struct kpi *kpi = xcalloc(1, sizeof(*kpi));
	kpi->tile = tile;
	options_fill(&tile->options, &kpi->o);
	kpi->format = (enum value_format)kpi->o.format;
	if (kpi->o.change) {
		struct change_opts change;
		options_fill(kpi->o.change, &change);
		parse_vs(change.vs, &kpi->vs); // checked by kpi_check
	}
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

/* "1시간", "1시간 5분", "2일 3시간", "30분", "45초": an age in its two largest units. */
static void age_text(double age, char *buf, size_t size)
{
	long minutes = lround(age / 60);
	if (minutes < 1) {
		snprintf(buf, size, "%ld초", lround(age));
		return;
	}
	long parts[] = {minutes / 1440, minutes / 60 % 24, minutes % 60};
	const char *units[] = {"일", "시간", "분"};
	size_t len = 0, shown = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < 3 && shown < 2; i++) {
		if (parts[i] > 0) {
			len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%ld%s",
						shown ? " " : "", parts[i], units[i]);
			shown++;
		} else if (shown) {
			break; // "1일 5분" says less than it seems: "1일" it is
		}
	}
}

/*
 * The reading "change" compares with, found in the history relative to the current reading's
 * own data time, and the label that says which it is. False when there is none close enough:
 * then no change line.
 */
static bool compare_with_history(struct kpi *next, const struct binding_values *values)
{
	const struct history_series *series = binding_history(values, "value");
	double t = binding_time(values, "value");
	const struct history_point *p = NULL;
	const char *zone = next->o.timezone;
	char when[48];
	switch (next->vs.kind) {
	case VS_PREVIOUS:
		p = history_before(series, t);
		if (p) {
			format_time_of_day(p->t, t, zone, when, sizeof(when));
			snprintf(next->change_label, sizeof(next->change_label), "%s 대비", when);
		}
		break;
	case VS_YESTERDAY:
		p = history_at_or_before(series, t - 86400);
		p = p && t - 86400 - p->t <= YESTERDAY_TOLERANCE ? p : NULL;
		snprintf(next->change_label, sizeof(next->change_label), "어제 이 시각 대비");
		break;
	case VS_DURATION:
		p = history_at_or_before(series, t - next->vs.seconds);
		p = p && t - p->t <= VS_TOLERANCE * next->vs.seconds ? p : NULL;
		if (p) {
			age_text(t - p->t, when, sizeof(when));
			snprintf(next->change_label, sizeof(next->change_label), "%s 전 대비", when);
		}
		break;
	case VS_NONE:
		break;
	}
	if (!p || binding_held(values, "value")) {
		next->change_label[0] = '\0';
		return false;
	}
	next->previous = p->v;
	return true;
}

static bool kpi_bind(void *self, const struct binding_values *values)
{
	struct kpi *kpi = self;
	struct kpi next = {.tile = kpi->tile, .o = kpi->o, .format = kpi->format};
	const struct value *current = binding_current(values, "value");
	next.has_value = read_value(kpi, current, &next.value);
	const struct thresholds *t = kpi->o.thresholds;
	if (!next.has_value && current && current->kind == VALUE_STRING &&
	    thresholds_categorical(t) && current->string.length < sizeof(next.category)) {
		/* A grade word is the reading itself: show it in its state's colour. */
		next.has_category = true;
		snprintf(next.category, sizeof(next.category), "%s", current->string.text);
	}
	report_value(kpi, values, next.has_value || next.has_category);
	next.vs = kpi->vs;
	/* A change of a time is no reading: relative draws no change line. */
	if (kpi->format == VALUE_FORMAT_RELATIVE) {
		next.has_previous = false;
	} else if (kpi->vs.kind != VS_NONE) {
		next.has_previous = compare_with_history(&next, values);
	} else {
		/* A kept last good previous would compare today's reading with an older one. */
		const struct value *prev = binding_held(values, "previous")
						   ? NULL
						   : binding_current(values, "previous");
		next.has_previous = value_number(prev, &next.previous);
	}
	bool changed = next.has_value != kpi->has_value || next.has_previous != kpi->has_previous ||
		       (next.has_value && next.value != kpi->value) ||
		       (next.has_previous && next.previous != kpi->previous) ||
		       next.has_category != kpi->has_category ||
		       strcmp(next.category, kpi->category) != 0 ||
		       strcmp(next.change_label, kpi->change_label) != 0;
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

static void kpi_draw(void *self, cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
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
static double kpi_next_deadline(void *self, double now)
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

static bool kpi_usable(const struct tile *tile, const char *key, const struct value *v)
{
	struct kpi probe = {.tile = tile};
	options_fill(&tile->options, &probe.o);
	probe.format = (enum value_format)probe.o.format;
	double n;
	if (read_value(&probe, v, &n)) {
		return true;
	}
	/* A grade word is a reading where the thresholds name grades. */
	return strcmp(key, "value") == 0 && v->kind == VALUE_STRING &&
	       thresholds_categorical(probe.o.thresholds);
}

/* "35 µg/m³, ▲ 3  1시간 전 대비", or the no-data text: what the tile says, in words. */
static bool kpi_describe(void *self, double now, char *buf, size_t size)
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

static const struct tile_binding *value_binding(const struct tile *tile)
{
	for (size_t i = 0; i < tile->binding_count; i++) {
		if (strcmp(tile->bindings[i].key, "value") == 0) {
			return &tile->bindings[i];
		}
	}
	return NULL;
}

/* "change" needs a known "vs" and a source that keeps history long enough for it. */
static bool kpi_check(struct parse_ctx *ctx, const struct layout *layout, const struct tile *tile)
{
	struct kpi_opts o;
	options_fill(&tile->options, &o);
	const struct tile_binding *b = value_binding(tile);
	if (!o.change || !b) {
		return true;
	}
	struct change_opts change;
	options_fill(o.change, &change);
	char *pointer = pointer_join(tile->pointer, "change");
	const char *text = change.vs;
	const struct source_config *source = &layout->sources[b->source];
	struct vs vs;
	bool ok = true;
	if (!parse_vs(text, &vs)) {
		char *p = pointer_join(pointer, "vs");
		parse_error(ctx, p, false, "must be a duration (\"1h\", \"30m\", \"7d\"), "
			    "\"yesterday\" or \"previous\", got \"%s\"", text);
		free(p);
		ok = false;
	}
	if (o.previous) {
		parse_error(ctx, pointer, false, "compares with the history; \"previous\" with a "
			    "value of the feed: give one of them");
		ok = false;
	} else if (!source_keeps_history(source)) {
		parse_error(ctx, pointer, false, "compares with the history of source \"%s\", which "
			    "keeps none: give that source \"history\" (a duration such as \"25h\", "
			    "or a count of readings)", source->name);
		ok = false;
	} else if (ok && source->history.window > 0 &&
		   (vs.kind == VS_YESTERDAY ? 86400 : vs.seconds) > source->history.window) {
		parse_error(ctx, pointer, false, "looks \"%s\" back, but source \"%s\" keeps only "
			    "%g hours of history", text, source->name, source->history.window / 3600);
		ok = false;
	}
	free(pointer);
	return ok;
}

const struct widget_impl widget_kpi = {
	.spec = {
		.name = "kpi",
		.options = kpi_options,
		.help = "an indicator: title, value with unit, change, threshold colour",
		.check = kpi_check,
	},
	.create = kpi_create,
	.bind = kpi_bind,
	.draw = kpi_draw,
	.next_deadline = kpi_next_deadline,
	.destroy = kpi_destroy,
	.usable = kpi_usable,
	.describe = kpi_describe,
	.stale_palette = true,
};
