/*
 * status: a compact badge for the state of a system or service — ok, warning or failure —
 * with a label ("교통정보 API", "CCTV 관제망"). The value may be a word ("ok", "warning",
 * "failure", "정상", "주의", "장애" and common synonyms), a boolean (true: ok), or a number,
 * mapped through thresholds or, without them, read as a monitoring code (0 ok, 1 warning,
 * 2 failure, 3 unknown).
 *
 * The state is told three ways, so that no one depends on colour: the colour, the icon's
 * outline (circle, triangle, octagon) and the word. Icons are cairo paths, not font glyphs,
 * so they are sharp at any scale and need no particular font.
 */

#include "widgets/widget.h"

#include "layout/options.h"
#include "render/draw.h"
#include "util/log.h"
#include "util/xmalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The options, filled once at create (options_fill); texts borrowed from the tile. */
struct status_opts {
	const char *label;
	const struct thresholds *thresholds;
	const char *ok_text;
	const char *warning_text;
	const char *failure_text;
	const char *nodata_text;
	const char *invalid_text;
	bool card;
};

static const struct option_spec status_options[] = {
	{.key = "label", OPT_FIELD(OPT_STRING, struct status_opts, label), .default_text = "",
	 .help = "what the badge is about, e.g. \"교통정보 API\""},
	{.key = "value", .type = OPT_BINDING, .required = true,
	 .help = "path of the state: a word, a boolean or a number"},
	{.key = "thresholds", OPT_FIELD(OPT_THRESHOLDS, struct status_opts, thresholds),
	 .help = "for numbers: good, moderate, normal → ok; bad → warning; very_bad → failure"},
	{.key = "ok_text", OPT_FIELD(OPT_STRING, struct status_opts, ok_text),
	 .default_text = "정상 OK"},
	{.key = "warning_text", OPT_FIELD(OPT_STRING, struct status_opts, warning_text),
	 .default_text = "주의 Warning"},
	{.key = "failure_text", OPT_FIELD(OPT_STRING, struct status_opts, failure_text),
	 .default_text = "장애 Failure"},
	{.key = "nodata_text", OPT_FIELD(OPT_STRING, struct status_opts, nodata_text),
	 .default_text = "데이터 없음",
	 .help = "shown when the value is missing (or the code 3, unknown)"},
	{.key = "invalid_text", OPT_FIELD(OPT_STRING, struct status_opts, invalid_text),
	 .default_text = "잘못된 값 · invalid",
	 .help = "shown when the value is none of the accepted forms"},
	{.key = "card", OPT_FIELD(OPT_BOOL, struct status_opts, card), .default_number = 1,
	 .help = "draw the tile's card"},
	{0},
};

enum status { STATUS_NODATA, STATUS_INVALID, STATUS_OK, STATUS_WARNING, STATUS_FAILURE };

struct status_widget {
	const struct tile *tile; // borrowed
	struct status_opts o;
	char log_key[160];
	enum status status;
};

/* ---- the mapping ---- */

static const struct {
	const char *word;
	enum status status;
} words[] = {
	{"ok", STATUS_OK},           {"okay", STATUS_OK},          {"normal", STATUS_OK},
	{"up", STATUS_OK},           {"healthy", STATUS_OK},       {"online", STATUS_OK},
	{"running", STATUS_OK},      {"green", STATUS_OK},         {"정상", STATUS_OK},
	{"warning", STATUS_WARNING}, {"warn", STATUS_WARNING},     {"degraded", STATUS_WARNING},
	{"yellow", STATUS_WARNING},  {"주의", STATUS_WARNING},     {"경고", STATUS_WARNING},
	{"지연", STATUS_WARNING},    {"failure", STATUS_FAILURE},  {"fail", STATUS_FAILURE},
	{"failed", STATUS_FAILURE},  {"error", STATUS_FAILURE},    {"down", STATUS_FAILURE},
	{"offline", STATUS_FAILURE}, {"critical", STATUS_FAILURE}, {"red", STATUS_FAILURE},
	{"장애", STATUS_FAILURE},    {"오류", STATUS_FAILURE},     {"중단", STATUS_FAILURE},
	{"unknown", STATUS_NODATA},  {"알 수 없음", STATUS_NODATA},
};

/* `s` without leading and trailing blanks, compared without regard to case. */
static bool word_is(const char *s, const char *word)
{
	while (isspace((unsigned char)*s)) {
		s++;
	}
	size_t len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1])) {
		len--;
	}
	return len == strlen(word) && strncasecmp(s, word, len) == 0;
}

static enum status from_state(enum state state)
{
	switch (state) {
	case STATE_BAD:
		return STATUS_WARNING;
	case STATE_VERY_BAD:
		return STATUS_FAILURE;
	default:
		return STATUS_OK;
	}
}

static enum status from_number(double n, const struct thresholds *t)
{
	if (t) {
		return from_state(thresholds_state(t, n));
	}
	/* Monitoring plugins' exit codes, which many status endpoints pass on. */
	static const enum status codes[] = {STATUS_OK, STATUS_WARNING, STATUS_FAILURE,
					    STATUS_NODATA};
	if (n >= 0 && n <= 3 && n == floor(n)) {
		return codes[(int)n];
	}
	return STATUS_INVALID;
}

static enum status status_of(const struct value *v, const struct thresholds *t)
{
	if (!v || v->kind == VALUE_NULL) {
		return STATUS_NODATA;
	}
	if (v->kind == VALUE_BOOL) {
		return v->boolean ? STATUS_OK : STATUS_FAILURE;
	}
	if (v->kind == VALUE_STRING) {
		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			if (word_is(v->string.text, words[i].word)) {
				return words[i].status;
			}
		}
	}
	double n;
	if (value_number(v, &n)) {
		return from_number(n, t);
	}
	return STATUS_INVALID;
}

static bool status_bind(void *self, const struct binding_values *values)
{
	struct status_widget *w = self;
	const struct value *v = binding_current(values, "value");
	enum status next =
		status_of(v, w->o.thresholds);
	if (next == STATUS_INVALID) {
		char what[100];
		if (v->kind == VALUE_STRING) {
			snprintf(what, sizeof(what), "\"%.80s\"", v->string.text);
		} else if (v->kind == VALUE_NUMBER) {
			snprintf(what, sizeof(what), "%g", v->number);
		} else {
			snprintf(what, sizeof(what), "%s", value_kind_name(v->kind));
		}
		log_once(LOG_WARN, w->log_key, "status %s: %s is not a state", w->tile->id, what);
	} else {
		log_once_clear(w->log_key);
	}
	bool changed = next != w->status;
	w->status = next;
	return changed;
}

static void *status_create(const struct tile *tile)
{
	struct status_widget *w = xcalloc(1, sizeof(*w));
	w->tile = tile;
	options_fill(&tile->options, &w->o);
	w->status = STATUS_NODATA;
	snprintf(w->log_key, sizeof(w->log_key), "widget:%s", tile->id);
	return w;
}

static void status_destroy(void *self)
{
	free(self);
}

/* ---- icons: outline says the state, the mark inside repeats it ---- */

static void stroke_mark(cairo_t *cr, double width, struct color color)
{
	cairo_set_line_width(cr, width);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	draw_set_color(cr, color);
	cairo_stroke(cr);
}

static void dot(cairo_t *cr, double x, double y, double radius, struct color color)
{
	cairo_arc(cr, x, y, radius, 0, 2 * M_PI);
	draw_set_color(cr, color);
	cairo_fill(cr);
}

static void icon_ok(cairo_t *cr, double cx, double cy, double R, struct color fill,
		    struct color mark)
{
	dot(cr, cx, cy, R, fill);
	cairo_move_to(cr, cx - 0.45 * R, cy + 0.02 * R);
	cairo_line_to(cr, cx - 0.13 * R, cy + 0.33 * R);
	cairo_line_to(cr, cx + 0.45 * R, cy - 0.3 * R);
	stroke_mark(cr, 0.17 * R, mark);
}

/* A triangle with rounded corners: its outline stroked with round joins over the fill. */
static void icon_warning(cairo_t *cr, double cx, double cy, double R, struct color fill,
			 struct color mark)
{
	double round = 0.16 * R;
	cairo_move_to(cr, cx, cy - 0.9 * R + round);
	cairo_line_to(cr, cx + 0.95 * R - round, cy + 0.78 * R - round * 0.5);
	cairo_line_to(cr, cx - 0.95 * R + round, cy + 0.78 * R - round * 0.5);
	cairo_close_path(cr);
	draw_set_color(cr, fill);
	cairo_fill_preserve(cr);
	stroke_mark(cr, 2 * round, fill);
	cairo_move_to(cr, cx, cy - 0.38 * R);
	cairo_line_to(cr, cx, cy + 0.2 * R);
	stroke_mark(cr, 0.17 * R, mark);
	dot(cr, cx, cy + 0.5 * R, 0.1 * R, mark);
}

/* An octagon, the stop sign's outline, with a cross. */
static void icon_failure(cairo_t *cr, double cx, double cy, double R, struct color fill,
			 struct color mark)
{
	for (int i = 0; i < 8; i++) {
		double a = M_PI / 8 + i * M_PI / 4;
		cairo_line_to(cr, cx + R * cos(a), cy + R * sin(a));
	}
	cairo_close_path(cr);
	draw_set_color(cr, fill);
	cairo_fill(cr);
	double d = 0.36 * R;
	cairo_move_to(cr, cx - d, cy - d);
	cairo_line_to(cr, cx + d, cy + d);
	cairo_move_to(cr, cx + d, cy - d);
	cairo_line_to(cr, cx - d, cy + d);
	stroke_mark(cr, 0.17 * R, mark);
}

/* No data: a dash; invalid: a question mark. Both grey, as every widget's "no data" is. */
static void icon_unknown(cairo_t *cr, double cx, double cy, double R, struct color fill,
			 struct color mark, bool invalid)
{
	dot(cr, cx, cy, R, fill);
	if (!invalid) {
		cairo_move_to(cr, cx - 0.42 * R, cy);
		cairo_line_to(cr, cx + 0.42 * R, cy);
		stroke_mark(cr, 0.17 * R, mark);
		return;
	}
	cairo_new_sub_path(cr);
	cairo_arc(cr, cx, cy - 0.2 * R, 0.27 * R, M_PI * 1.05, M_PI * 2.4);
	cairo_line_to(cr, cx, cy + 0.18 * R);
	stroke_mark(cr, 0.16 * R, mark);
	dot(cr, cx, cy + 0.5 * R, 0.1 * R, mark);
}

static void draw_icon(cairo_t *cr, enum status status, double cx, double cy, double R,
		      struct color fill, struct color mark)
{
	cairo_save(cr);
	cairo_new_path(cr);
	switch (status) {
	case STATUS_OK:
		icon_ok(cr, cx, cy, R, fill, mark);
		break;
	case STATUS_WARNING:
		icon_warning(cr, cx, cy, R, fill, mark);
		break;
	case STATUS_FAILURE:
		icon_failure(cr, cx, cy, R, fill, mark);
		break;
	default:
		icon_unknown(cr, cx, cy, R, fill, mark, status == STATUS_INVALID);
		break;
	}
	cairo_restore(cr);
}

/* ---- the badge ---- */

static enum state status_state(enum status status)
{
	switch (status) {
	case STATUS_OK:
		return STATE_GOOD;
	case STATUS_WARNING:
		return STATE_BAD;
	case STATUS_FAILURE:
		return STATE_VERY_BAD;
	default:
		return STATE_NODATA;
	}
}

static const char *status_text(const struct status_opts *o, enum status status)
{
	switch (status) {
	case STATUS_OK:
		return o->ok_text;
	case STATUS_WARNING:
		return o->warning_text;
	case STATUS_FAILURE:
		return o->failure_text;
	case STATUS_INVALID:
		return o->invalid_text;
	case STATUS_NODATA:
		break;
	}
	return o->nodata_text;
}

static void status_draw(void *self, cairo_t *cr, const struct rect *r,
			const struct widget_ctx *ctx, double now)
{
	const struct status_widget *w = self;
	const struct status_opts *o = &w->o;
	const struct theme *theme = ctx->theme;
	enum state state = status_state(w->status);
	const struct state_colors *colors = &theme->states[state];
	/* Trouble tints the whole card, so it is seen from across the room; ok stays calm. */
	bool tinted = w->status != STATUS_OK;
	if (o->card) {
		draw_card(cr, r, theme, tinted ? colors->fill : theme->tile);
	}
	double pad = clampd(fmin(r->w, r->h) * 0.14, 4, 32);
	double radius = fmin((r->h - 2 * pad) / 2, r->w * 0.18);
	if (radius <= 0) {
		return;
	}
	double cx = r->x + pad + radius, cy = r->y + r->h / 2;
	draw_icon(cr, w->status, cx, cy, radius, colors->accent, theme->background);

	double x = cx + radius + pad * 0.8;
	double avail = r->x + r->w - pad - x;
	const char *label = o->label;
	double big = clampd(fmin(radius * 0.8, r->h * 0.3), 8, 80);
	struct text_style word = draw_text_style(theme->title_font, true, big, colors->accent,
						 TEXT_ALIGN_LEFT);
	/* The state word matters most: it shrinks (a little) before it is shortened. */
	word.size = draw_fit_size(ctx->text, cr, &word, status_text(o, w->status), avail, 0.6);
	if (!label[0]) {
		text_draw(ctx->text, cr, &word, x, cy + word.size * 0.36, avail,
			  status_text(o, w->status));
		return;
	}
	struct text_style small = draw_text_style(theme->font, false, big * 0.72, theme->muted,
						  TEXT_ALIGN_LEFT);
	double gap = big * 0.3;
	double block = small.size + gap + big;
	double top = cy - block / 2;
	text_draw(ctx->text, cr, &small, x, top + small.size * 0.8, avail, label);
	/* A shrunk word keeps its baseline, so badges side by side stay aligned. */
	text_draw(ctx->text, cr, &word, x, top + small.size + gap + big * 0.82, avail,
		  status_text(o, w->status));
}

static bool status_usable(const struct tile *tile, const char *key, const struct value *v)
{
	return v->kind == VALUE_STRING || v->kind == VALUE_NUMBER || v->kind == VALUE_BOOL;
}

const struct widget_impl widget_status = {
	.spec = {
		.name = "status",
		.options = status_options,
		.help = "a badge: ok, warning or failure of a system, with a label",
	},
	.create = status_create,
	.bind = status_bind,
	.draw = status_draw,
	.destroy = status_destroy,
	.usable = status_usable,
};
