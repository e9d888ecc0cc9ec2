/*
 * clock: the time and date in a time zone (Asia/Seoul unless told otherwise). Its picture is
 * a function of the time alone, so it asks for a redraw at the next second (or minute).
 */

#include "widgets/widget.h"

#include "layout/options.h"
#include "render/draw.h"
#include "util/log.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* The options, filled once at create (options_fill); texts borrowed from the tile. */
struct clock_opts {
	const char *timezone;
	bool seconds;
	bool date;
	const char *label;
	bool card;
};

static const struct option_spec clock_options[] = {
	{.key = "timezone", OPT_FIELD(OPT_STRING, struct clock_opts, timezone),
	 .default_text = "Asia/Seoul", .help = "IANA time zone name"},
	{.key = "seconds", OPT_FIELD(OPT_BOOL, struct clock_opts, seconds), .default_number = 1,
	 .help = "show seconds"},
	{.key = "date", OPT_FIELD(OPT_BOOL, struct clock_opts, date), .default_number = 1,
	 .help = "show the date line"},
	{.key = "label", OPT_FIELD(OPT_STRING, struct clock_opts, label), .default_text = "",
	 .help = "text above the time"},
	{.key = "card", OPT_FIELD(OPT_BOOL, struct clock_opts, card), .default_number = 1,
	 .help = "draw the tile's card"},
	{0},
};

struct clock_widget {
	const struct tile *tile; // borrowed
	struct clock_opts o;
};

static void *clock_create(const struct tile *tile)
{
	struct clock_widget *c = xcalloc(1, sizeof(*c));
	c->tile = tile;
	options_fill(&tile->options, &c->o);
	return c;
}

static void clock_destroy(void *self)
{
	free(self);
}

static bool clock_bind(void *self, const struct binding_values *values)
{
	return false;
}

static double clock_next_deadline(void *self, double now)
{
	const struct clock_widget *c = self;
	double period = c->o.seconds ? 1 : 60;
	return (floor(now / period) + 1) * period;
}

static void clock_draw(void *self, cairo_t *cr, const struct rect *r,
		       const struct widget_ctx *ctx, double now)
{
	static const char *const weekdays[] = {"일", "월", "화", "수", "목", "금", "토"};
	const struct clock_widget *c = self;
	const struct clock_opts *o = &c->o;
	const struct theme *theme = ctx->theme;
	if (o->card) {
		draw_card(cr, r, theme, theme->tile);
	}
	struct tm tm;
	const char *zone = o->timezone;
	if (!time_in_zone(now, zone, &tm)) {
		log_once(LOG_WARN, "clock-zone", "unknown time zone \"%s\"; the clock shows UTC",
			 zone);
	}
	char time_text[32], date_text[64];
	if (o->seconds) {
		snprintf(time_text, sizeof(time_text), "%02d:%02d:%02d", tm.tm_hour, tm.tm_min,
			 tm.tm_sec);
	} else {
		snprintf(time_text, sizeof(time_text), "%02d:%02d", tm.tm_hour, tm.tm_min);
	}
	snprintf(date_text, sizeof(date_text), "%d년 %d월 %d일 (%s)", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, weekdays[tm.tm_wday % 7]);

	const char *label = o->label;
	bool date = o->date;
	double pad = clampd(fmin(r->w, r->h) * 0.08, 4, 40);
	double avail = r->w - 2 * pad;
	/*
	 * A centred stack: label, time, date. Small lines are 0.36 of the time's size with a 0.2
	 * gap; the time takes what the height allows, then shrinks to the width.
	 */
	double small_ratio = 0.36, gap_ratio = 0.2;
	double stack = 1 + (label[0] ? small_ratio + gap_ratio : 0) +
		       (date ? small_ratio + gap_ratio : 0);
	struct text_style time_style = draw_text_style(theme->title_font, true,
						       (r->h - 2 * pad) / stack / 1.05, theme->text,
						       TEXT_ALIGN_CENTER);
	/* Fit the widest digits, so the size does not change from second to second. */
	const char *widest = o->seconds ? "00:00:00" : "00:00";
	time_style.size = draw_fit_size(ctx->text, cr, &time_style, widest, avail, 0.1);
	double s = time_style.size;
	time_style.transient = true; // this time is drawn once, then not for a day
	struct text_style small = draw_text_style(theme->font, false,
						  s * small_ratio * theme->label_scale, theme->muted,
						  TEXT_ALIGN_CENTER);
	double height = s * stack;
	double y = r->y + (r->h - height) / 2;
	double cx = r->x + r->w / 2;
	if (label[0]) {
		y += s * small_ratio;
		text_draw(ctx->text, cr, &small, cx, y - s * small_ratio * 0.2, avail, label);
		y += s * gap_ratio;
	}
	y += s;
	text_draw(ctx->text, cr, &time_style, cx, y - s * 0.12, avail, time_text);
	if (date) {
		y += s * gap_ratio + s * small_ratio;
		text_draw(ctx->text, cr, &small, cx, y - s * small_ratio * 0.2, avail, date_text);
	}
}

const struct widget_impl widget_clock = {
	.spec = {
		.name = "clock",
		.options = clock_options,
		.help = "time and date in a time zone",
	},
	.create = clock_create,
	.bind = clock_bind,
	.draw = clock_draw,
	.next_deadline = clock_next_deadline,
	.destroy = clock_destroy,
	.stale_palette = true,
};
