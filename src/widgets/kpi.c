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

#include "widgets/kpi_internal.h"

#include "layout/scales.h"
#include "render/format.h"
#include "util/log.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const better_choices[] = {
	[BETTER_UP] = "up", [BETTER_DOWN] = "down", [BETTER_NONE] = "none", NULL,
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