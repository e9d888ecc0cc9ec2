/*
 * alert: a banner over the feed's alert list — the most severe alert big (newest first within
 * a level), with how many more there are. Levels follow the national four-step crisis scale:
 * info 관심, caution 주의, warning 경계, danger 심각 (or 1..4).
 *
 * Motion within accessibility limits: warnings and dangers pulse the accent bar smoothly
 * (a raised cosine of wall-clock time, period ≥ 1 s, so at most one flash a second against
 * the three of WCAG 2.3.1), never blink; `pulse: false` keeps it still. The pulse is a
 * function of `now` alone, so every screen pulses in step. A pulse frame touches only the bar:
 * draw() keeps the card's pixels under it, and animate() puts them back and fills the bar in
 * its new colour, the same operations on the same pixels as draw(), so the frame is what a
 * full draw gives, byte for byte, for the cost of a strip a few pixels wide.
 *
 * An empty list is a calm state ("특이사항 없음"), not missing data: missing data draws the
 * grey "no data" state, and a list that is not a list (or holds only broken records) draws
 * "invalid". At most ALERT_MAX_RECORDS records are read per snapshot.
 */

#include "widgets/widget.h"

#include "layout/options.h"
#include "model/alert_level.h"
#include "render/draw.h"
#include "render/format.h"
#include "util/log.h"
#include "util/timefmt.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ALERT_MAX_RECORDS 1000
#define FIELD_MAX_BYTES 300
#define PULSE_FPS 30

/* "" is no default; the others are enum level + 1. */
static const char *const level_choices[] = {"", "info", "caution", "warning", "danger", NULL};

/* The options, filled once at create (options_fill); texts borrowed from the tile. */
struct alert_opts {
	const char *title;
	const char *title_field;
	const char *level_field;
	const char *area_field;
	const char *time_field;
	int default_level; // index into level_choices
	bool pulse;
	double pulse_period;
	const char *timezone;
	const char *more_label;
	const char *empty_text;
	const char *nodata_text;
	const char *invalid_text;
};

static const struct option_spec alert_options[] = {
	{.key = "alerts", .type = OPT_BINDING, .required = true,
	 .help = "path of the alert list: records {level, title, area, time}"},
	{.key = "title", OPT_FIELD(OPT_STRING, struct alert_opts, title), .default_text = "",
	 .help = "small heading, e.g. \"재난·안전 경보\""},
	{.key = "title_field", OPT_FIELD(OPT_STRING, struct alert_opts, title_field),
	 .default_text = "title",
	 .help = "member of each record with its text (\"EVENT_NM\", \"MSG_CN\" in Seoul's feeds)"},
	{.key = "level_field", OPT_FIELD(OPT_STRING, struct alert_opts, level_field),
	 .default_text = "level",
	 .help = "member of each record with its level (info/관심, caution/주의, warning/경계, "
		 "danger/심각 or 1-4)"},
	{.key = "area_field", OPT_FIELD(OPT_STRING, struct alert_opts, area_field),
	 .default_text = "area", .help = "member of each record with the place (\"EVENT_PLACE\")"},
	{.key = "time_field", OPT_FIELD(OPT_STRING, struct alert_opts, time_field),
	 .default_text = "time",
	 .help = "member of each record with its time (RFC 3339, Seoul's \"2026-08-11 18:00\", or "
		 "epoch s)"},
	{.key = "default_level", OPT_FIELD(OPT_ENUM, struct alert_opts, default_level),
	 .choices = level_choices, .default_text = "",
	 .help = "level of records without one (a feed of events has none); default: such a "
		 "record is invalid"},
	{.key = "pulse", OPT_FIELD(OPT_BOOL, struct alert_opts, pulse), .default_number = 1,
	 .help = "pulse the accent bar of warnings and dangers (slowly: see pulse_period)"},
	{.key = "pulse_period", OPT_FIELD(OPT_NUMBER, struct alert_opts, pulse_period),
	 OPT_RANGE(1, 10), .default_number = 2,
	 .help = "seconds per pulse; at least 1 (no more than one flash a second)"},
	{.key = "timezone", OPT_FIELD(OPT_STRING, struct alert_opts, timezone),
	 .default_text = "Asia/Seoul", .help = "time zone of the alert times shown"},
	{.key = "more_label", OPT_FIELD(OPT_STRING, struct alert_opts, more_label),
	 .default_text = "more", .help = "text after the count of other alerts: \"+3 more\""},
	{.key = "empty_text", OPT_FIELD(OPT_STRING, struct alert_opts, empty_text),
	 .default_text = "특이사항 없음 · no alerts", .help = "shown when the list is empty"},
	{.key = "nodata_text", OPT_FIELD(OPT_STRING, struct alert_opts, nodata_text),
	 .default_text = "데이터 없음", .help = "shown when the list is missing"},
	{.key = "invalid_text", OPT_FIELD(OPT_STRING, struct alert_opts, invalid_text),
	 .default_text = "잘못된 데이터 · invalid data",
	 .help = "shown when the list is not a list of alerts"},
	{0},
};

enum data_kind { DATA_NONE, DATA_INVALID, DATA_OK };
enum level { LEVEL_INFO, LEVEL_CAUTION, LEVEL_WARNING, LEVEL_DANGER, LEVEL_COUNT };

static const char *const level_labels[LEVEL_COUNT] = {
	"관심 INFO", "주의 CAUTION", "경계 WARNING", "심각 DANGER",
};

struct alert {
	enum level level;
	const char *title; // borrowed: from the snapshot while reading, else the widget's copy
	const char *area;  // borrowed likewise; "" when none
	double time;       // epoch s; NAN when none
};

/* Where draw() put the pulsing bar, and the pixels under it, for animate() to refill it. */
struct pulse_bar {
	bool ok;               // the frame holds the bar as draw() left it
	const void *pixels;    // draw_pixels_identity() of the last draw: never dereferenced
	cairo_matrix_t matrix; // the tile's user-to-device transform
	struct rect tile;      // user units
	const struct theme *theme; // borrowed: identity
	struct irect area;     // device pixels the bar can touch
	cairo_surface_t *under; // owned: those pixels after the card, before the bar; NULL: none
};

struct alert_widget {
	const struct tile *tile; // borrowed
	struct alert_opts o;
	char log_key[160];
	enum data_kind kind;
	bool has_top;
	struct alert top; // the most severe, newest alert; its strings are title and area
	char *title;      // owned
	char *area;       // owned
	size_t count;     // valid alerts in the list (top included)
	struct pulse_bar bar;
};

/* ---- reading ---- */

/* The levels' order is the shared scale's (model/alert_level.h). */
static bool parse_level(const struct value *v, enum level *out)
{
	enum alert_level level;
	if (!alert_level_read(v, &level)) {
		return false;
	}
	*out = (enum level)level;
	return true;
}

/* The record members an alert tile reads (its *_field options). */
struct alert_fields {
	const char *title, *level, *area, *time; // borrowed from the tile's options
	bool has_default_level;
	enum level default_level;
};

static struct alert_fields alert_fields_of(const struct alert_opts *o)
{
	struct alert_fields f = {
		.title = o->title_field,
		.level = o->level_field,
		.area = o->area_field,
		.time = o->time_field,
	};
	if (o->default_level > 0) {
		f.has_default_level = true;
		f.default_level = (enum level)(o->default_level - 1);
	}
	return f;
}

/* Reads one record without copying; false with a reason when it cannot be shown. */
static bool read_alert(const struct value *rec, const struct alert_fields *fields,
		       struct alert *out, const char **why)
{
	if (!rec || rec->kind != VALUE_OBJECT) {
		*why = "an alert is not a record";
		return false;
	}
	const struct value *title = value_member(rec, fields->title);
	if (!title || title->kind != VALUE_STRING || !title->string.text[0]) {
		*why = "an alert has no title text";
		return false;
	}
	const struct value *level = value_member(rec, fields->level);
	if (!level && fields->has_default_level) {
		out->level = fields->default_level;
	} else if (!parse_level(level, &out->level)) {
		*why = "an alert has no known level (info, caution, warning, danger or 1-4)";
		return false;
	}
	const struct value *area = value_member(rec, fields->area);
	const struct value *time = value_member(rec, fields->time);
	out->title = title->string.text;
	out->area = area && area->kind == VALUE_STRING ? area->string.text : "";
	out->time = alert_record_time(time);
	if (time && isnan(out->time)) {
		*why = "an alert has a time that is not a time";
	}
	return true;
}

/* More severe first; within a level newer first (no time counts as oldest); then list order. */
static bool outranks(const struct alert *a, const struct alert *b)
{
	if (a->level != b->level) {
		return a->level > b->level;
	}
	if (isnan(b->time)) {
		return !isnan(a->time);
	}
	return !isnan(a->time) && a->time > b->time;
}

static void alert_finish(struct alert_widget *w)
{
	free(w->title);
	free(w->area);
	w->title = w->area = NULL;
	w->has_top = false;
}

struct reading {
	enum data_kind kind;
	bool has_top;
	struct alert top; // borrowed strings
	size_t count;
	const char *problem;
};

static struct reading read_list(const struct value *list, const struct alert_fields *fields)
{
	struct reading r = {.kind = DATA_OK};
	size_t n = list->array.count;
	if (n > ALERT_MAX_RECORDS) {
		r.problem = "more than 1000 alerts; only the first 1000 are read";
		n = ALERT_MAX_RECORDS;
	}
	for (size_t i = 0; i < n; i++) {
		struct alert a = {0};
		const char *why = NULL;
		if (read_alert(list->array.items[i], fields, &a, &why)) {
			r.count++;
			if (!r.has_top || outranks(&a, &r.top)) {
				r.top = a;
				r.has_top = true;
			}
		}
		r.problem = r.problem ? r.problem : why;
	}
	if (n > 0 && r.count == 0) {
		r.kind = DATA_INVALID;
	}
	return r;
}

static bool same_alert(const struct alert *a, const struct alert *b)
{
	return a->level == b->level && strcmp(a->title, b->title) == 0 &&
	       strcmp(a->area, b->area) == 0 &&
	       (a->time == b->time || (isnan(a->time) && isnan(b->time)));
}

static bool alert_bind(void *self, const struct binding_values *values)
{
	struct alert_widget *w = self;
	const struct value *list = binding_current(values, "alerts");
	if (list && list->kind == VALUE_NULL) {
		list = NULL; // null is how many feeds say "missing"
	}
	struct reading r = {.kind = DATA_NONE};
	if (list && list->kind == VALUE_ARRAY) {
		struct alert_fields fields = alert_fields_of(&w->o);
		r = read_list(list, &fields);
	} else if (list) {
		r.kind = DATA_INVALID;
		r.problem = "alerts must be an array of records";
	}
	if (r.problem) {
		log_once(LOG_WARN, w->log_key, "alert %s: %s", w->tile->id, r.problem);
	} else {
		log_once_clear(w->log_key);
	}
	/* Compare what would be drawn: the capped copies, not the feed's full strings. */
	char *title = r.has_top ? str_copy_capped(r.top.title, FIELD_MAX_BYTES) : NULL;
	char *area = r.has_top ? str_copy_capped(r.top.area, FIELD_MAX_BYTES) : NULL;
	r.top.title = title;
	r.top.area = area;
	bool changed = r.kind != w->kind || r.count != w->count || r.has_top != w->has_top ||
		       (r.has_top && !same_alert(&r.top, &w->top));
	if (!changed) {
		free(title);
		free(area);
		return false;
	}
	alert_finish(w);
	w->kind = r.kind;
	w->count = r.count;
	w->has_top = r.has_top;
	w->top = r.top;
	w->title = title;
	w->area = area;
	return true;
}

static void *alert_create(const struct tile *tile)
{
	struct alert_widget *w = xcalloc(1, sizeof(*w));
	w->tile = tile;
	options_fill(&tile->options, &w->o);
	snprintf(w->log_key, sizeof(w->log_key), "widget:%s", tile->id);
	return w;
}

static void alert_destroy(void *self)
{
	struct alert_widget *w = self;
	if (!w) {
		return;
	}
	alert_finish(w);
	if (w->bar.under) {
		cairo_surface_destroy(w->bar.under);
	}
	free(w);
}

/* ---- time ---- */

static bool pulsing(const struct alert_widget *w)
{
	return w->kind == DATA_OK && w->has_top && w->top.level >= LEVEL_WARNING &&
	       w->o.pulse;
}

/*
 * The accent bar's strength at `now`, in [0.45, 1]: a raised cosine of period pulse_period
 * (≥ 1 s, enforced by the option's range). Smooth, so it never flashes; slow, so even counted
 * as flashes it stays at one a second.
 */
static double pulse_level(const struct alert_widget *w, double now)
{
	if (!pulsing(w)) {
		return 1;
	}
	double period = w->o.pulse_period;
	double phase = fmod(now, period) / period;
	return 0.45 + 0.55 * (0.5 + 0.5 * cos(2 * M_PI * phase));
}

static double alert_next_deadline(void *self, double now)
{
	const struct alert_widget *w = self;
	if (!pulsing(w)) {
		return INFINITY;
	}
	/* On a fixed grid of 1/30 s, so that every screen draws the same pulse frames. */
	return (floor(now * PULSE_FPS + 1e-6) + 1) / PULSE_FPS;
}

/* ---- drawing ---- */

static struct color mix(struct color a, struct color b, double t)
{
	return (struct color){a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t,
			      a.a + (b.a - a.a) * t};
}

/* Blue, amber, orange, red: the theme's state colours, with orange between amber and red. */
static struct state_colors level_colors(enum level level, const struct theme *theme)
{
	const struct state_colors *s = theme->states;
	switch (level) {
	case LEVEL_INFO:
		return s[STATE_GOOD];
	case LEVEL_CAUTION:
		return s[STATE_BAD];
	case LEVEL_WARNING:
		return (struct state_colors){mix(s[STATE_BAD].fill, s[STATE_VERY_BAD].fill, 0.5),
					     mix(s[STATE_BAD].accent, s[STATE_VERY_BAD].accent, 0.5)};
	default:
		return s[STATE_VERY_BAD];
	}
}

static void time_text(const struct alert_widget *w, double when, double now, char *buf,
		      size_t size)
{
	buf[0] = '\0';
	if (isnan(when)) {
		return;
	}
	const char *zone = w->o.timezone;
	if (!format_time_of_day(when, now, zone, buf, size)) {
		/* Its own key: the data's problems, logged under the tile's, must not alternate. */
		log_once(LOG_WARN, "alert-zone", "alert: unknown time zone \"%s\"; times in UTC",
			 zone);
	}
}

struct banner {
	double pad, bar_w, x, right; // text column from x to right
	double small, big;           // font sizes
};

static struct banner banner_layout(const struct rect *r)
{
	struct banner b;
	b.pad = clampd(fmin(r->w, r->h) * 0.08, 6, 32);
	b.bar_w = clampd(r->w * 0.012, 4, 16);
	b.x = r->x + b.bar_w + b.pad * 1.2;
	b.right = r->x + r->w - b.pad;
	b.small = clampd(fmin(r->h * 0.12, r->w * 0.05), 12, 30);
	b.big = clampd(fmin(r->h * 0.3, r->w * 0.09), 12, 96);
	return b;
}

/* The accent bar along the left edge, clipped to the card's rounded shape. */
static void draw_bar(cairo_t *cr, const struct rect *r, const struct banner *b,
		     struct color color, const struct theme *theme)
{
	cairo_save(cr);
	draw_rounded_rect(cr, &(struct rect){r->x + 0.5, r->y + 0.5, r->w - 1, r->h - 1},
			  theme->corner_radius);
	cairo_clip(cr);
	cairo_rectangle(cr, r->x, r->y, b->bar_w, r->h);
	draw_set_color(cr, color);
	cairo_fill(cr);
	cairo_restore(cr);
}

/* ---- the pulse: only the bar changes from frame to frame ---- */

/* Copies the w x h pixels at (fx, fy) of `from` to (tx, ty) of `to` (same 4-byte format). */
static void copy_pixels(cairo_surface_t *from, int fx, int fy, cairo_surface_t *to, int tx,
			int ty, int w, int h)
{
	cairo_surface_flush(from);
	cairo_surface_flush(to);
	const unsigned char *src = cairo_image_surface_get_data(from);
	unsigned char *dst = cairo_image_surface_get_data(to);
	int src_stride = cairo_image_surface_get_stride(from);
	int dst_stride = cairo_image_surface_get_stride(to);
	for (int row = 0; row < h; row++) {
		const unsigned char *from_row = src + (size_t)(fy + row) * (size_t)src_stride;
		memcpy(dst + (size_t)(ty + row) * (size_t)dst_stride + (size_t)tx * 4,
		       from_row + (size_t)fx * 4, (size_t)w * 4);
	}
	cairo_surface_mark_dirty_rectangle(to, tx, ty, w, h);
}

/*
 * The device pixels draw_bar() can touch: its rectangle, rounded outwards. Empty when the
 * frame is not one the pixels can be kept from (not an image of 4 bytes a pixel, or rotated).
 */
static struct irect bar_area(cairo_t *cr, const struct rect *r, const struct banner *b,
			     cairo_matrix_t *m)
{
	cairo_surface_t *target = cairo_get_target(cr);
	cairo_get_matrix(cr, m);
	if (cairo_surface_get_type(target) != CAIRO_SURFACE_TYPE_IMAGE ||
	    (cairo_image_surface_get_format(target) != CAIRO_FORMAT_RGB24 &&
	     cairo_image_surface_get_format(target) != CAIRO_FORMAT_ARGB32) ||
	    m->xy != 0 || m->yx != 0 || !(m->xx > 0) || !(m->yy > 0)) {
		return (struct irect){0, 0, 0, 0};
	}
	double x0 = floor(m->xx * r->x + m->x0), x1 = ceil(m->xx * (r->x + b->bar_w) + m->x0);
	double y0 = floor(m->yy * r->y + m->y0), y1 = ceil(m->yy * (r->y + r->h) + m->y0);
	struct irect frame = {0, 0, cairo_image_surface_get_width(target),
			      cairo_image_surface_get_height(target)};
	if (!(x0 >= 0 && y0 >= 0 && x1 <= frame.w && y1 <= frame.h)) {
		return (struct irect){0, 0, 0, 0};
	}
	return (struct irect){(int)x0, (int)y0, (int)(x1 - x0), (int)(y1 - y0)};
}

/*
 * Keeps the pixels under where the bar goes (the card, as just drawn) so that animate() can
 * refill the bar alone; the bar is drawn after this by the caller.
 */
static void pulse_keep_under(struct alert_widget *w, cairo_t *cr, const struct rect *r,
			     const struct banner *b, const struct theme *theme)
{
	struct pulse_bar *p = &w->bar;
	struct irect area = bar_area(cr, r, b, &p->matrix);
	if (irect_empty(area)) {
		return;
	}
	cairo_surface_t *target = cairo_get_target(cr);
	cairo_format_t format = cairo_image_surface_get_format(target);
	if (p->under && (cairo_image_surface_get_format(p->under) != format ||
			 cairo_image_surface_get_width(p->under) != area.w ||
			 cairo_image_surface_get_height(p->under) != area.h)) {
		cairo_surface_destroy(p->under);
		p->under = NULL;
	}
	if (!p->under) {
		p->under = cairo_image_surface_create(format, area.w, area.h);
	}
	copy_pixels(target, area.x, area.y, p->under, 0, 0, area.w, area.h);
	p->pixels = draw_pixels_identity(cr);
	p->tile = *r;
	p->theme = theme;
	p->area = area;
	p->ok = true;
}

/* The bar's colour at `now`: the pulse fades it toward the card, never to black. */
static struct color bar_color(const struct alert_widget *w, const struct theme *theme,
			      double now)
{
	struct state_colors colors = level_colors(w->top.level, theme);
	return mix(colors.fill, colors.accent, pulse_level(w, now));
}

/*
 * Only time moved since draw(): the card under the bar put back, the bar filled in its colour
 * at `now`. The frame must hold what draw() left there (the board sees to it).
 */
static bool alert_animate(void *self, cairo_t *cr, const struct rect *r,
			  const struct widget_ctx *ctx, double now, struct widget_damage *damage)
{
	struct alert_widget *w = self;
	const struct pulse_bar *p = &w->bar;
	cairo_matrix_t m;
	cairo_get_matrix(cr, &m);
	if (!p->ok || !p->under || !pulsing(w) || draw_pixels_identity(cr) != p->pixels ||
	    memcmp(&m, &p->matrix, sizeof(m)) != 0 || memcmp(r, &p->tile, sizeof(*r)) != 0 ||
	    ctx->theme != p->theme) {
		return false;
	}
	copy_pixels(p->under, 0, 0, cairo_get_target(cr), p->area.x, p->area.y, p->area.w,
		    p->area.h);
	struct banner b = banner_layout(r);
	draw_bar(cr, r, &b, bar_color(w, ctx->theme, now), ctx->theme);
	damage->put[0] = p->area;
	return true;
}

/* The heading line: tile title at the left, "+N more" at the right. */
static void draw_heading(const struct alert_widget *w, cairo_t *cr, const struct rect *r,
			 const struct banner *b, const struct widget_ctx *ctx)
{
	const struct theme *theme = ctx->theme;
	double y = r->y + b->pad + b->small * 0.9;
	double more_w = 0;
	if (w->count > 1) {
		char more[128];
		snprintf(more, sizeof(more), "+%zu %s", w->count - 1,
			 w->o.more_label);
		struct text_style style = draw_text_style(theme->font, true, b->small, theme->text,
							  TEXT_ALIGN_RIGHT);
		more_w = text_draw(ctx->text, cr, &style, b->right, y, (b->right - b->x) * 0.4,
				   more);
	}
	const char *title = w->o.title;
	struct text_style style = draw_text_style(theme->font, false, b->small, theme->muted,
						  TEXT_ALIGN_LEFT);
	text_draw(ctx->text, cr, &style, b->x, y, b->right - b->x - more_w - b->pad, title);
}

/* The level chip, the title big, and "area · time" under it. */
static void draw_top(const struct alert_widget *w, cairo_t *cr, const struct rect *r,
		     const struct banner *b, const struct widget_ctx *ctx, double now)
{
	const struct theme *theme = ctx->theme;
	struct state_colors colors = level_colors(w->top.level, theme);
	double chip_h = b->small * 1.5;
	double heading = b->small * 1.3;
	double block = chip_h + b->big * 1.25 + b->small * 1.4;
	double top = r->y + b->pad + heading + fmax(0, (r->h - 2 * b->pad - heading - block) / 2);
	struct text_style chip_style = draw_text_style(theme->title_font, true, b->small,
						       theme->background, TEXT_ALIGN_LEFT);
	const char *label = level_labels[w->top.level];
	double chip_w = text_measure(ctx->text, cr, &chip_style, label).width + b->small;
	chip_w = fmin(chip_w, b->right - b->x);
	draw_rounded_rect(cr, &(struct rect){b->x, top, chip_w, chip_h}, chip_h * 0.25);
	draw_set_color(cr, colors.accent);
	cairo_fill(cr);
	text_draw(ctx->text, cr, &chip_style, b->x + b->small * 0.5,
		  top + chip_h / 2 + b->small * 0.36, chip_w - b->small, label);

	struct text_style big = draw_text_style(theme->title_font, true, b->big, theme->text,
						TEXT_ALIGN_LEFT);
	big.size = draw_fit_size(ctx->text, cr, &big, w->top.title, b->right - b->x, 0.5);
	double y = top + chip_h + b->big * 1.05;
	text_draw(ctx->text, cr, &big, b->x, y, b->right - b->x, w->top.title);

	char when[48], line[FIELD_MAX_BYTES + 64];
	time_text(w, w->top.time, now, when, sizeof(when));
	snprintf(line, sizeof(line), "%s%s%s", w->top.area,
		 w->top.area[0] && when[0] ? " · " : "", when);
	struct text_style small = draw_text_style(theme->font, false, b->small, theme->muted,
						  TEXT_ALIGN_LEFT);
	text_draw(ctx->text, cr, &small, b->x, y + b->small * 1.5, b->right - b->x, line);
}

static void draw_calm(const struct alert_widget *w, cairo_t *cr, const struct rect *r,
		      const struct banner *b, const struct widget_ctx *ctx, const char *text,
		      struct color color)
{
	struct text_style style = draw_text_style(ctx->theme->font, false, b->small * 1.4, color,
						  TEXT_ALIGN_LEFT);
	text_draw(ctx->text, cr, &style, b->x, r->y + r->h / 2 + b->small * 0.9, b->right - b->x,
		  text);
}

static void alert_draw(void *self, cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
		       double now)
{
	struct alert_widget *w = self;
	const struct alert_opts *o = &w->o;
	const struct theme *theme = ctx->theme;
	struct banner b = banner_layout(r);
	w->bar.ok = false;
	if (w->kind != DATA_OK) {
		const struct state_colors *nodata = &theme->states[STATE_NODATA];
		draw_card(cr, r, theme, nodata->fill);
		draw_bar(cr, r, &b, nodata->accent, theme);
		draw_heading(w, cr, r, &b, ctx);
		draw_calm(w, cr, r, &b, ctx,
			  w->kind == DATA_NONE ? o->nodata_text : o->invalid_text,
			  nodata->accent);
		return;
	}
	if (!w->has_top) {
		draw_card(cr, r, theme, theme->tile);
		draw_bar(cr, r, &b, theme->states[STATE_MODERATE].accent, theme);
		draw_heading(w, cr, r, &b, ctx);
		draw_calm(w, cr, r, &b, ctx, o->empty_text, theme->text);
		return;
	}
	struct state_colors colors = level_colors(w->top.level, theme);
	draw_card(cr, r, theme, mix(theme->tile, colors.fill, 0.8));
	if (pulsing(w)) {
		pulse_keep_under(w, cr, r, &b, theme);
	}
	draw_bar(cr, r, &b, bar_color(w, theme, now), theme);
	draw_heading(w, cr, r, &b, ctx);
	draw_top(w, cr, r, &b, ctx, now);
}

/* "심각 DANGER: 공장 화재 대응 2단계, 구로구 구로동 · 08:41 (+2 more)", or the calm text. */
static bool alert_describe(void *self, double now, char *buf, size_t size)
{
	const struct alert_widget *w = self;
	const struct alert_opts *o = &w->o;
	if (w->kind != DATA_OK || !w->has_top) {
		const char *calm = w->kind == DATA_NONE	 ? o->nodata_text
				   : w->kind != DATA_OK ? o->invalid_text
							 : o->empty_text;
		snprintf(buf, size, "%s", calm);
		return true;
	}
	char when[48], more[96] = "";
	time_text(w, w->top.time, now, when, sizeof(when));
	if (w->count > 1) {
		snprintf(more, sizeof(more), " (+%zu %s)", w->count - 1, o->more_label);
	}
	snprintf(buf, size, "%s: %s%s%s%s%s%s", level_labels[w->top.level], w->top.title,
		 w->top.area[0] || when[0] ? ", " : "", w->top.area,
		 w->top.area[0] && when[0] ? " · " : "", when, more);
	return true;
}

static bool alert_usable(const struct tile *tile, const char *key, const struct value *v)
{
	return v->kind == VALUE_ARRAY;
}

const struct widget_impl widget_alert = {
	.spec = {
		.name = "alert",
		.options = alert_options,
		.help = "the most severe current alert, big, with a count of the others",
	},
	.create = alert_create,
	.bind = alert_bind,
	.draw = alert_draw,
	.next_deadline = alert_next_deadline,
	.animate = alert_animate,
	.destroy = alert_destroy,
	.usable = alert_usable,
	.describe = alert_describe,
};
