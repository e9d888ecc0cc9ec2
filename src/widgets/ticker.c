/*
 * ticker: a news or disaster-message crawl. Items (strings, or {text, level} records) run
 * right to left in one line, separated by dots coloured by their level (info / warning /
 * danger, also the Korean cell-broadcast classes 안전안내 / 긴급 / 위급).
 *
 * Smooth and in step on every screen of a wall:
 *  - The position is a function of wall-clock time, never of frames:
 *        offset = floor(fmod((now - epoch) * speed * scale, cycle))      [device pixels]
 *    so two boards drawing the same inputs at the same time agree to the pixel, and a late
 *    frame is simply further along instead of making the crawl stutter behind.
 *  - Everything is laid out in whole device pixels: each item's width is measured once (per
 *    data and scale) at the device size, the cycle is their integer sum, the offset is floored
 *    once, and each item lands at an integer device x. The strip moves rigidly: no item
 *    shimmers against its neighbours from frame to frame, and the text engine paints each
 *    cached line at a whole pixel (a translation of the same mask, never re-rasterised).
 *  - next_deadline() asks for the next frame on a 1/fps grid of wall-clock time, so the loop
 *    redraws only this tile, fps times a second.
 *  - A frame costs a copy, not a redraw: the items are rendered once per data, scale and theme
 *    into a strip (ticker_strip.h) over the band's own background, and draw() copies the
 *    window at the offset into the frame; when only time moved, animate() copies the new
 *    window over the old one and repaints the soft edges, touching only the rows where glyphs
 *    are. draw() takes the same path, so a screenshot and the live wall agree byte for byte.
 *    Where the band's background is not flat (a gradient under a card-less ticker) the items
 *    are drawn directly, as text, every frame.
 */

#include "widgets/widget.h"

#include "layout/options.h"
#include "render/draw.h"
#include "util/log.h"
#include "util/strutil.h"
#include "util/xmalloc.h"
#include "widgets/ticker_strip.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define TICKER_MAX_ITEMS 200
#define ITEM_MAX_BYTES 600 /* about 200 Hangul syllables; a cell broadcast holds 90 */
/* Under the text engine's mask limit (32767 px): a longer item is drawn shortened with "…". */
#define LINE_MAX_PX 30000

enum separator { SEPARATOR_DOT, SEPARATOR_BAR, SEPARATOR_NONE };

static const char *const separator_choices[] = {
	[SEPARATOR_DOT] = "dot", [SEPARATOR_BAR] = "bar", [SEPARATOR_NONE] = "none", NULL,
};

/* The options, filled once at create (options_fill); texts borrowed from the tile. */
struct ticker_opts {
	const char *text_field;
	const char *level_field;
	const char *label;
	double speed;
	double epoch;
	double fps;
	double size;
	double gap;
	int separator; // enum separator
	bool card;
	const char *empty_text;
	const char *nodata_text;
	const char *invalid_text;
};

static const struct option_spec ticker_options[] = {
	{.key = "items", .type = OPT_BINDING, .required = true,
	 .help = "path of a text, or an array of texts or of {\"text\", \"level\"} records"},
	{.key = "text_field", OPT_FIELD(OPT_STRING, struct ticker_opts, text_field),
	 .default_text = "text",
	 .help = "member of each record with its text (\"MSG_CN\" for Seoul's disaster messages)"},
	{.key = "level_field", OPT_FIELD(OPT_STRING, struct ticker_opts, level_field),
	 .default_text = "level",
	 .help = "member of each record with its level (info/안전안내, warning/긴급, danger/위급)"},
	{.key = "label", OPT_FIELD(OPT_STRING, struct ticker_opts, label), .default_text = "",
	 .help = "fixed label at the left, e.g. \"속보\" or \"재난문자\""},
	{.key = "speed", OPT_FIELD(OPT_NUMBER, struct ticker_opts, speed), OPT_RANGE(1, 2000),
	 .default_number = 120, .help = "virtual units per second"},
	{.key = "epoch", OPT_FIELD(OPT_NUMBER, struct ticker_opts, epoch), .default_number = 0,
	 .help = "time (epoch s) at which the crawl starts; screens with the same epoch agree"},
	{.key = "fps", OPT_FIELD(OPT_NUMBER, struct ticker_opts, fps), OPT_RANGE(1, 240),
	 .default_number = 60, .help = "frames per second asked of the loop while the crawl runs"},
	{.key = "size", OPT_FIELD(OPT_NUMBER, struct ticker_opts, size), OPT_RANGE(0, 400),
	 .default_number = 0, .help = "text em size in virtual units; 0: from the tile's height"},
	{.key = "gap", OPT_FIELD(OPT_NUMBER, struct ticker_opts, gap), OPT_RANGE(0, 2000),
	 .default_number = 0, .help = "space between items in virtual units; 0: three ems"},
	{.key = "separator", OPT_FIELD(OPT_ENUM, struct ticker_opts, separator),
	 .choices = separator_choices,
	 .default_text = "dot", .help = "mark between items, in the next item's level colour"},
	{.key = "card", OPT_FIELD(OPT_BOOL, struct ticker_opts, card), .default_number = 1,
	 .help = "draw the tile's card"},
	{.key = "empty_text", OPT_FIELD(OPT_STRING, struct ticker_opts, empty_text),
	 .default_text = "새 소식 없음 · no news", .help = "shown for an empty list"},
	{.key = "nodata_text", OPT_FIELD(OPT_STRING, struct ticker_opts, nodata_text),
	 .default_text = "데이터 없음", .help = "shown when the items are missing"},
	{.key = "invalid_text", OPT_FIELD(OPT_STRING, struct ticker_opts, invalid_text),
	 .default_text = "잘못된 데이터 · invalid data",
	 .help = "shown when the items are of the wrong type"},
	{0},
};

enum data_kind { DATA_NONE, DATA_INVALID, DATA_OK };

/* What a strip's pixels depend on besides the items and its own size and background. */
struct strip_key {
	const struct theme *theme; // borrowed: identity only
	double scale, size;
	double middle_y;           // device y of the line's middle, from the band's top row
};

/* Where draw() put the crawl in the frame (device pixels), for animate() to move it. */
struct band {
	bool ok;                  // the frame holds the strip as draw() left it
	const void *pixels;       // draw_pixels_identity() of the last draw: never dereferenced
	cairo_matrix_t matrix;    // the tile's user-to-device transform
	struct rect tile;         // user units
	long origin;              // device column where the crawl's offset shows (x of item 0 at 0)
	int left, right, top, bottom; // device pixels wholly inside the crawl: what the strip covers
	struct rect crawl;        // user units: where the soft edges are
	double fade;
	struct color fade_bg;
	double baseline, middle;  // user units
};
enum level { LEVEL_INFO, LEVEL_WARNING, LEVEL_DANGER };

struct item {
	char *text; // owned, at most ITEM_MAX_BYTES (+ "…")
	enum level level;
};

struct ticker {
	const struct tile *tile; // borrowed
	struct ticker_opts o;
	char log_key[160];
	enum data_kind kind;
	struct item *items; // owned
	size_t count;
	/* Widths measured at one device scale and text size; remeasured when either changes. */
	bool measured;
	double measured_scale, measured_size;
	long *width_px; // owned: per item, device pixels
	long cycle_px;  // items and gaps, device pixels
	double ascent, descent; // the tallest item's, user units
	/* The crawl as pixels, what they were rendered for, and where draw() last put them. */
	struct ticker_strip *strip; // owned; NULL: none yet, or drawn directly
	struct budget *strip_budget; // borrowed: what `strip_bytes` are charged to
	size_t strip_bytes;         // the strip's most, charged while it lives
	struct strip_key key;
	struct band drawn;
	/* The soft edges over the band's rows as pixels, left and right (see make_edges). */
	cairo_surface_t *edge[2]; // owned; NULL: none (over no strip, or not made)
	int edge_x[2];            // device column of each one's left side
	size_t edge_bytes;        // charged to strip_budget with the strip
	/* What the screen shows of the strip, and whether the frame lags it (a move). */
	long shown_offset;        // crawl_offset() of the last copy or move, with drawn.ok
	double shown_now;         // the time of that offset
	bool owes;                // the band's middle was moved on the screen, not in the frame
};

/* ---- reading items ---- */

static void drop_edges(struct ticker *t)
{
	for (int side = 0; side < 2; side++) {
		if (t->edge[side]) {
			cairo_surface_destroy(t->edge[side]);
			t->edge[side] = NULL;
		}
	}
	budget_release(t->strip_budget, BUDGET_TICKER_STRIPS, t->edge_bytes);
	t->edge_bytes = 0;
}

static void drop_strip(struct ticker *t)
{
	drop_edges(t);
	ticker_strip_destroy(t->strip);
	t->strip = NULL;
	budget_release(t->strip_budget, BUDGET_TICKER_STRIPS, t->strip_bytes);
	t->strip_budget = NULL;
	t->strip_bytes = 0;
}

static bool parse_level(const struct value *v, enum level *out)
{
	static const struct {
		const char *name;
		enum level level;
	} names[] = {
		{"info", LEVEL_INFO},       {"안전안내", LEVEL_INFO},   {"warning", LEVEL_WARNING},
		{"긴급", LEVEL_WARNING},    {"danger", LEVEL_DANGER},   {"위급", LEVEL_DANGER},
		/* The classes of Korea's emergency alert messages (재난문자) as Seoul's feeds name them. */
		{"긴급재난", LEVEL_WARNING}, {"위급재난", LEVEL_DANGER},
	};
	double n;
	if (!v) {
		*out = LEVEL_INFO;
		return true;
	}
	if (v->kind == VALUE_NUMBER && value_number(v, &n) && n >= 1 && n <= 3 && n == floor(n)) {
		*out = (enum level)(n - 1);
		return true;
	}
	const char *s = value_string(v);
	for (size_t i = 0; s && i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(s, names[i].name) == 0) {
			*out = names[i].level;
			return true;
		}
	}
	*out = LEVEL_INFO;
	return false;
}

static bool blank(const char *s)
{
	for (; *s; s++) {
		if (!isspace((unsigned char)*s)) {
			return false;
		}
	}
	return true;
}

/* The record members a ticker reads (options text_field and level_field). */
struct item_fields {
	const char *text;  // borrowed from the tile's options
	const char *level; // borrowed likewise
};

/* One item from a string or record; false (with a reason) when it cannot be shown. */
static bool read_item(const struct value *v, const struct item_fields *fields,
		      struct item *out, const char **why)
{
	const struct value *text = v;
	const struct value *level = NULL;
	if (v && v->kind == VALUE_OBJECT) {
		text = value_member(v, fields->text);
		level = value_member(v, fields->level);
	}
	if (!text || text->kind != VALUE_STRING) {
		*why = "an item is neither a text nor a record with a text field";
		return false;
	}
	if (blank(text->string.text)) {
		*why = NULL; // an empty message is skipped quietly
		return false;
	}
	if (!parse_level(level, &out->level)) {
		*why = "an item has an unknown level (shown as info)";
	}
	out->text = str_copy_capped(text->string.text, ITEM_MAX_BYTES);
	return true;
}

static void free_items(struct item *items, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(items[i].text);
	}
	free(items);
}

/* Reads up to TICKER_MAX_ITEMS items; returns the first problem, or NULL. */
static const char *read_items(const struct value *list, const struct item_fields *fields,
			      struct item **out, size_t *count)
{
	const struct value *const *values = &list;
	size_t n = 1;
	if (list->kind == VALUE_ARRAY) {
		values = list->array.items;
		n = list->array.count;
	}
	const char *problem = NULL;
	if (n > TICKER_MAX_ITEMS) {
		problem = "more than 200 items; only the first 200 are shown";
		n = TICKER_MAX_ITEMS;
	}
	*out = xcalloc(n ? n : 1, sizeof(**out));
	*count = 0;
	for (size_t i = 0; i < n; i++) {
		const char *why = NULL;
		struct item item = {0};
		bool ok = read_item(values[i], fields, &item, &why);
		problem = problem ? problem : why;
		if (ok) {
			(*out)[(*count)++] = item;
		}
	}
	return problem;
}

static bool items_equal(const struct ticker *t, enum data_kind kind, const struct item *items,
			size_t count)
{
	if (t->kind != kind || t->count != count) {
		return false;
	}
	for (size_t i = 0; i < count; i++) {
		if (t->items[i].level != items[i].level || strcmp(t->items[i].text, items[i].text)) {
			return false;
		}
	}
	return true;
}

static bool ticker_bind(void *self, const struct binding_values *values)
{
	struct ticker *t = self;
	const struct value *list = binding_current(values, "items");
	if (list && list->kind == VALUE_NULL) {
		list = NULL; // null is how many feeds say "missing"
	}
	enum data_kind kind = list ? DATA_OK : DATA_NONE;
	struct item *items = NULL;
	size_t count = 0;
	const char *problem = NULL;
	if (list && (list->kind == VALUE_ARRAY || list->kind == VALUE_STRING ||
		     list->kind == VALUE_OBJECT)) {
		struct item_fields fields = {
			.text = t->o.text_field,
			.level = t->o.level_field,
		};
		problem = read_items(list, &fields, &items, &count);
		size_t given = list->kind == VALUE_ARRAY ? list->array.count : 1;
		/* Something was there, but nothing of it can be shown: that is bad data. */
		if (count == 0 && given > 0 && problem) {
			kind = DATA_INVALID;
		}
	} else if (list) {
		kind = DATA_INVALID;
		problem = "items must be a text or an array";
	}
	if (problem) {
		log_once(LOG_WARN, t->log_key, "ticker %s: %s", t->tile->id, problem);
	} else {
		log_once_clear(t->log_key);
	}
	bool changed = !items_equal(t, kind, items, count);
	if (!changed) {
		free_items(items, count);
		return false;
	}
	free_items(t->items, t->count);
	t->items = items;
	t->count = count;
	t->kind = kind;
	t->measured = false;
	t->drawn.ok = false;
	return true;
}

static void *ticker_create(const struct tile *tile)
{
	struct ticker *t = xcalloc(1, sizeof(*t));
	t->tile = tile;
	options_fill(&tile->options, &t->o);
	snprintf(t->log_key, sizeof(t->log_key), "widget:%s", tile->id);
	return t;
}

static void ticker_destroy(void *self)
{
	struct ticker *t = self;
	if (!t) {
		return;
	}
	free_items(t->items, t->count);
	free(t->width_px);
	drop_strip(t);
	free(t);
}

static bool running(const struct ticker *t)
{
	return t->kind == DATA_OK && t->count > 0;
}

static double ticker_next_deadline(void *self, double now)
{
	const struct ticker *t = self;
	if (!running(t)) {
		return INFINITY;
	}
	/* On a grid of wall-clock time, not `now` + a period: the loop wakes in whole, rounded-up
	 * milliseconds after the deadline, and a period counted from each late wake-up made 57
	 * frames a second of 60. Every wall of a canvas also steps its crawl at the same instants. */
	double period = 1.0 / t->o.fps;
	double next = (floor(now / period) + 1) * period;
	return next > now ? next : next + period; // now/period may round just below a grid point
}

/* ---- layout in device pixels ---- */

static double device_scale(cairo_t *cr)
{
	double x = 1, y = 0;
	cairo_user_to_device_distance(cr, &x, &y);
	return hypot(x, y);
}

static struct color level_color(enum level level, const struct theme *theme)
{
	switch (level) {
	case LEVEL_WARNING:
		return theme->states[STATE_BAD].accent;
	case LEVEL_DANGER:
		return theme->states[STATE_VERY_BAD].accent;
	default:
		return theme->text;
	}
}

static long gap_px(const struct ticker *t, double size, double scale)
{
	double gap = t->o.gap;
	gap = gap > 0 ? gap : size * 3;
	return lround(fmax(gap * scale, 1));
}

/* Measures every item once per data and device size: the engine shapes each line once. */
static void measure(struct ticker *t, cairo_t *cr, const struct widget_ctx *ctx,
		    const struct text_style *style, double scale)
{
	if (t->measured && t->measured_scale == scale && t->measured_size == style->size) {
		return;
	}
	free(t->width_px);
	t->width_px = xcalloc(t->count ? t->count : 1, sizeof(*t->width_px));
	long gap = gap_px(t, style->size, scale);
	t->cycle_px = 0;
	t->ascent = t->descent = 0;
	for (size_t i = 0; i < t->count; i++) {
		struct text_extents e = text_measure(ctx->text, cr, style, t->items[i].text);
		t->width_px[i] = lround(fmin(e.width * scale, LINE_MAX_PX));
		t->cycle_px += t->width_px[i] + gap;
		t->ascent = fmax(t->ascent, e.ascent);
		t->descent = fmax(t->descent, e.descent);
	}
	/* New widths: the strip's items moved. */
	drop_strip(t);
	t->measured = true;
	t->measured_scale = scale;
	t->measured_size = style->size;
}

/* How far the strip has moved at `now`: whole device pixels in [0, cycle). */
static long crawl_offset(const struct ticker *t, double now, double scale)
{
	const struct ticker_opts *o = &t->o;
	double travelled = (now - o->epoch) * o->speed * scale;
	double offset = fmod(travelled, (double)t->cycle_px);
	if (offset < 0) {
		offset += (double)t->cycle_px;
	}
	long px = (long)floor(offset);
	return px >= t->cycle_px ? 0 : px;
}

/* ---- drawing ---- */

/* User-space x of a whole device pixel column (on the line y = 0 of the tile's space). */
static double user_x(cairo_t *cr, long device_x)
{
	double x = (double)device_x, y = 0;
	cairo_device_to_user(cr, &x, &y);
	return x;
}

static double device_xd(cairo_t *cr, double user)
{
	double x = user, y = 0;
	cairo_user_to_device(cr, &x, &y);
	return x;
}

static long device_x(cairo_t *cr, double user)
{
	return lround(device_xd(cr, user));
}

static int clamp_int(double v)
{
	return (int)fmax(fmin(v, INT_MAX / 2), INT_MIN / 2);
}

static void draw_separator(const struct ticker *t, cairo_t *cr, long center_px, double middle,
			   double size, struct color color)
{
	double cx = user_x(cr, center_px);
	draw_set_color(cr, color);
	if (t->o.separator == SEPARATOR_DOT) {
		cairo_arc(cr, cx, middle, size * 0.14, 0, 2 * M_PI);
		cairo_fill(cr);
	} else if (t->o.separator == SEPARATOR_BAR) {
		double w = fmax(size * 0.08, 1 / t->measured_scale);
		cairo_rectangle(cr, cx - w / 2, middle - size * 0.45, w, size * 0.9);
		cairo_fill(cr);
	}
}

/*
 * Draws every item of every copy of the cycle that shows between device columns left and
 * right, the first copy starting at column x.
 */
static void draw_strip(const struct ticker *t, cairo_t *cr, const struct widget_ctx *ctx,
		       struct text_style style, long x, long left, long right, double baseline,
		       double middle)
{
	long gap = gap_px(t, style.size, t->measured_scale);
	/* Bounded: each pass advances by the whole cycle (at least one pixel per item). */
	for (; x < right; x += t->cycle_px) {
		long at = x;
		for (size_t i = 0; i < t->count && at < right; i++) {
			long end = at + t->width_px[i];
			struct color color = level_color(t->items[i].level, ctx->theme);
			if (end > left) {
				memcpy(style.rgba, (double[4]){color.r, color.g, color.b, color.a},
				       sizeof(style.rgba));
				/* Only a line cut to LINE_MAX_PX needs a width limit (and "…"). */
				double max = t->width_px[i] >= LINE_MAX_PX
						     ? (LINE_MAX_PX + 0.5) / t->measured_scale
						     : 0;
				text_draw(ctx->text, cr, &style, user_x(cr, at), baseline, max,
					  t->items[i].text);
			}
			size_t next = (i + 1) % t->count;
			if (end + gap > left && end < right) {
				draw_separator(t, cr, end + gap / 2, middle, style.size,
					       level_color(t->items[next].level, ctx->theme));
			}
			at = end + gap;
		}
	}
}

/* Soft edges, so items slide in and out instead of being cut by a hard line. */
static void draw_fades(cairo_t *cr, const struct rect *crawl, double width, struct color bg)
{
	for (int side = 0; side < 2; side++) {
		double x0 = side ? crawl->x + crawl->w : crawl->x;
		double x1 = side ? x0 - width : x0 + width;
		cairo_pattern_t *p = cairo_pattern_create_linear(x0, 0, x1, 0);
		cairo_pattern_add_color_stop_rgba(p, 0, bg.r, bg.g, bg.b, 1);
		cairo_pattern_add_color_stop_rgba(p, 1, bg.r, bg.g, bg.b, 0);
		cairo_rectangle(cr, fmin(x0, x1), crawl->y, width, crawl->h);
		cairo_set_source(cr, p);
		cairo_fill(cr);
		cairo_pattern_destroy(p);
	}
}

/* The label box at the left; returns the width it takes. */
static double draw_label(const struct ticker *t, cairo_t *cr, const struct rect *r,
			 const struct widget_ctx *ctx, double size, double pad)
{
	const char *label = t->o.label;
	if (!label[0]) {
		return 0;
	}
	const struct theme *theme = ctx->theme;
	struct text_style style = draw_text_style(theme->title_font, true, size * 0.9,
						  theme->background, TEXT_ALIGN_CENTER);
	double width = fmin(text_measure(ctx->text, cr, &style, label).width + 2 * pad,
			    r->w * 0.4);
	struct rect box = {r->x + pad * 0.5, r->y + pad * 0.5, width, r->h - pad};
	draw_rounded_rect(cr, &box, theme->corner_radius * 0.6);
	draw_set_color(cr, theme->accent);
	cairo_fill(cr);
	text_draw(ctx->text, cr, &style, box.x + box.w / 2, box.y + box.h / 2 + style.size * 0.36,
		  box.w - pad, label);
	return box.w + pad * 0.5;
}

static void draw_message(cairo_t *cr, const struct rect *area, const char *text,
			 struct color color, double size, const struct widget_ctx *ctx)
{
	struct text_style style = draw_text_style(ctx->theme->font, false, size, color,
						  TEXT_ALIGN_LEFT);
	text_draw(ctx->text, cr, &style, area->x, area->y + area->h / 2 + size * 0.36, area->w,
		  text);
}

/* ---- the crawl as a strip of pixels ---- */

/* What paint_segment() needs: the call's context, never kept. */
struct paint_args {
	const struct ticker *t;         // borrowed
	const struct widget_ctx *ctx;   // borrowed
	struct text_style style;
	const struct band *band;        // borrowed
};

/* Renders strip columns [x0, x1): the items exactly as draw_strip() puts them in the frame. */
static void paint_segment(void *data, cairo_t *cr, long x0, long x1)
{
	const struct paint_args *a = data;
	const struct ticker *t = a->t;
	/* The frame's transform moved by whole pixels: the same roundings, the same pixels. */
	cairo_matrix_t m = a->band->matrix;
	m.x0 -= a->band->left;
	m.y0 -= a->band->top;
	cairo_set_matrix(cr, &m);
	/* Glyphs may reach past their advance: items up to an em outside are drawn too. */
	long margin = lround(a->style.size * t->measured_scale) + 2;
	long first = (long)floor((double)(x0 - margin) / (double)t->cycle_px) * t->cycle_px;
	/* The strip keeps these pixels: the tile need not hold the items' lines too. */
	struct text_hold *outer = text_hold_begin(NULL);
	draw_strip(t, cr, a->ctx, a->style, first - x0, -margin, x1 - x0 + margin,
		   a->band->baseline, a->band->middle);
	text_hold_end(outer);
}

/* The device rows of the text band (glyphs and separators) inside the crawl; false if none. */
static bool band_rows(const struct ticker *t, const cairo_matrix_t *m, const struct rect *crawl,
		      double size, struct band *b)
{
	double scale = t->measured_scale;
	double base = floor(m->yy * b->baseline + m->y0 + 0.5);
	double mid = m->yy * b->middle + m->y0;
	double top = fmin(base - ceil(t->ascent * scale), floor(mid - size * 0.5 * scale)) - 2;
	double bottom = fmax(base + ceil(t->descent * scale), ceil(mid + size * 0.5 * scale)) + 2;
	/* Only rows wholly inside the crawl: the strip replaces them, it does not blend. */
	top = fmax(top, ceil(m->yy * crawl->y + m->y0));
	bottom = fmin(bottom, floor(m->yy * (crawl->y + crawl->h) + m->y0));
	if (!(bottom > top) || top < 0 || bottom > INT_MAX) {
		return false;
	}
	b->top = (int)top;
	b->bottom = (int)bottom;
	return true;
}

static bool same_key(const struct strip_key *a, const struct strip_key *b)
{
	return a->theme == b->theme && a->scale == b->scale && a->size == b->size &&
	       a->middle_y == b->middle_y;
}

/* Device columns [x0, x1) of the band at crawl offset `offset`, from the strip. */
static void copy_columns(struct ticker *t, cairo_surface_t *target, const struct widget_ctx *ctx,
			 const struct text_style *style, long offset, int x0, int x1)
{
	const struct band *b = &t->drawn;
	struct paint_args args = {.t = t, .ctx = ctx, .style = *style, .band = b};
	ticker_strip_copy(t->strip, target, x0, b->top, x1 - x0, offset + (x0 - b->origin),
			  paint_segment, &args);
}

/* The band's window at `now`, all of it: the frame holds the crawl again. */
static void copy_window(struct ticker *t, cairo_surface_t *target, const struct widget_ctx *ctx,
			const struct text_style *style, double now)
{
	long offset = crawl_offset(t, now, t->measured_scale);
	copy_columns(t, target, ctx, style, offset, t->drawn.left, t->drawn.right);
	t->shown_offset = offset;
	t->shown_now = now;
	t->owes = false;
}

/*
 * Puts the crawl at `now` into the frame from the strip (built or rebuilt first); false when
 * the frame or its background does not allow it, and nothing was drawn.
 */
static bool draw_from_strip(struct ticker *t, cairo_t *cr, const struct widget_ctx *ctx,
			    const struct text_style *style, struct band *b, double now)
{
	cairo_surface_t *target = cairo_get_target(cr);
	if (cairo_surface_get_type(target) != CAIRO_SURFACE_TYPE_IMAGE) {
		return false;
	}
	cairo_format_t format = cairo_image_surface_get_format(target);
	int width = cairo_image_surface_get_width(target);
	cairo_get_matrix(cr, &b->matrix);
	const cairo_matrix_t *m = &b->matrix;
	b->left = (int)fmax(b->left, 0);
	b->right = (int)fmin(b->right, width);
	if ((format != CAIRO_FORMAT_RGB24 && format != CAIRO_FORMAT_ARGB32) || m->xy != 0 ||
	    m->yx != 0 || !(m->xx > 0) || !(m->yy > 0) || b->right <= b->left ||
	    !band_rows(t, m, &b->crawl, style->size, b) ||
	    b->bottom > cairo_image_surface_get_height(target)) {
		return false;
	}
	struct strip_key key = {ctx->theme, t->measured_scale, style->size,
				m->yy * b->middle + m->y0 - b->top};
	/* The card, panel or page under the band as drawn: flat rows, or no strip. */
	struct irect area = {b->left, b->top, b->right - b->left, b->bottom - b->top};
	uint32_t *row_bg = xmalloc((size_t)area.h * sizeof(*row_bg));
	bool flat = ticker_strip_read_background(target, area, row_bg);
	long period = ticker_strip_period(t->cycle_px);
	if (flat && !(t->strip && same_key(&t->key, &key) &&
		      ticker_strip_fits(t->strip, format, area.h, period, area.w, row_bg))) {
		drop_strip(t);
		t->strip = ticker_strip_create(format, area.h, period, area.w, row_bg);
		size_t bytes = ticker_strip_capacity(t->strip);
		if (t->strip && !budget_charge(ctx->budget, BUDGET_TICKER_STRIPS, bytes)) {
			/* Over the budget: the crawl is drawn directly, a frame at a time. */
			ticker_strip_destroy(t->strip);
			t->strip = NULL;
		} else if (t->strip) {
			t->strip_budget = ctx->budget;
			t->strip_bytes = bytes;
		}
		t->key = key;
	}
	free(row_bg);
	if (!flat || !t->strip) {
		return false;
	}
	b->pixels = draw_pixels_identity(cr);
	t->drawn = *b;
	copy_window(t, target, ctx, style, now);
	t->drawn.ok = true;
	return true;
}

static struct text_style crawl_style(const struct ticker *t, const struct rect *r,
				     const struct theme *theme)
{
	double size = t->o.size;
	size = size > 0 ? size : fmin(r->h * 0.4, r->w * 0.2);
	return draw_text_style(theme->font, false, size, theme->text, TEXT_ALIGN_LEFT);
}

/* The soft edges over the crawl, inside device rectangle `part` only. */
static void draw_edges_in(cairo_t *cr, const struct band *b, struct irect part)
{
	cairo_save(cr);
	cairo_identity_matrix(cr);
	cairo_rectangle(cr, part.x, part.y, part.w, part.h);
	cairo_clip(cr);
	cairo_set_matrix(cr, &b->matrix);
	cairo_rectangle(cr, b->crawl.x, b->crawl.y, b->crawl.w, b->crawl.h);
	cairo_clip(cr);
	draw_fades(cr, &b->crawl, b->fade, b->fade_bg);
	cairo_restore(cr);
}

/*
 * The soft edges over the band's rows, painted once onto transparent pixels: a fill leaves in
 * the frame its source in its coverage over what was there, so the same fill painted into a
 * layer moved by whole pixels, then put over the frame, gives the same bytes. A gradient is
 * worked out pixel by pixel (a tenth of a 1080p wall's steady CPU); putting an image over the
 * frame is a blend. Each side covers only the columns its fade reaches.
 */
static void make_edges(struct ticker *t)
{
	drop_edges(t);
	const struct band *b = &t->drawn;
	const cairo_matrix_t *m = &b->matrix;
	int h = b->bottom - b->top;
	double inner[2] = {m->xx * (b->crawl.x + b->fade) + m->x0,
			   m->xx * (b->crawl.x + b->crawl.w - b->fade) + m->x0};
	int x0[2] = {b->left, clamp_int(fmax(floor(inner[1]) - 1, b->left))};
	int x1[2] = {clamp_int(fmin(ceil(inner[0]) + 1, b->right)), b->right};
	size_t bytes = 0;
	for (int side = 0; side < 2; side++) {
		if (x1[side] > x0[side]) {
			bytes += (size_t)cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32,
								       x1[side] - x0[side]) *
				 (size_t)h;
		}
	}
	if (!budget_charge(t->strip_budget, BUDGET_TICKER_STRIPS, bytes)) {
		return; // drawn as gradients each frame instead
	}
	t->edge_bytes = bytes;
	for (int side = 0; side < 2 && bytes; side++) {
		if (x1[side] <= x0[side]) {
			continue;
		}
		cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32,
								x1[side] - x0[side], h);
		cairo_t *cr = cairo_create(s);
		struct band moved = *b;
		moved.matrix.x0 -= x0[side];
		moved.matrix.y0 -= b->top;
		cairo_set_matrix(cr, &moved.matrix);
		draw_edges_in(cr, &moved, (struct irect){b->left - x0[side], 0, b->right - b->left, h});
		cairo_destroy(cr);
		cairo_surface_flush(s);
		t->edge[side] = s;
		t->edge_x[side] = x0[side];
	}
}

/* x·a/255 rounded as pixman rounds it (its SSE2 and C paths agree). */
static inline uint32_t mul_un8(uint32_t x, uint32_t a)
{
	uint32_t t = x * a + 0x80;
	return ((t >> 8) + t) >> 8;
}

#ifdef __SSE2__
/*
 * Four pixels of over_pixel at once, in the same arithmetic: 16-bit lanes hold d·(255 − αs) + 128
 * (at most 65,153), then the saturated byte add. An alpha of 0 leaves d: d·255/255 is d.
 */
static inline __m128i over4(__m128i s, __m128i d)
{
	const __m128i zero = _mm_setzero_si128(), bias = _mm_set1_epi16(0x80);
	__m128i ia = _mm_sub_epi32(_mm_set1_epi32(255), _mm_srli_epi32(s, 24));
	ia = _mm_packs_epi32(ia, ia);
	ia = _mm_unpacklo_epi16(ia, ia);
	__m128i ia01 = _mm_unpacklo_epi32(ia, ia), ia23 = _mm_unpackhi_epi32(ia, ia);
	__m128i lo = _mm_add_epi16(_mm_mullo_epi16(_mm_unpacklo_epi8(d, zero), ia01), bias);
	__m128i hi = _mm_add_epi16(_mm_mullo_epi16(_mm_unpackhi_epi8(d, zero), ia23), bias);
	lo = _mm_srli_epi16(_mm_add_epi16(lo, _mm_srli_epi16(lo, 8)), 8);
	hi = _mm_srli_epi16(_mm_add_epi16(hi, _mm_srli_epi16(hi, 8)), 8);
	return _mm_adds_epu8(s, _mm_packus_epi16(lo, hi));
}
#endif

/* One premultiplied pixel s over d, each byte as pixman's OVER computes it. */
static inline uint32_t over_pixel(uint32_t s, uint32_t d)
{
	uint32_t ia = 255 - (s >> 24), out = 0;
	if (ia == 255) {
		return d; // nothing over this pixel
	}
	for (int shift = 0; shift < 32; shift += 8) {
		uint32_t c = ((s >> shift) & 0xff) + mul_un8((d >> shift) & 0xff, ia);
		out |= (c > 255 ? 255 : c) << shift;
	}
	return out;
}

/*
 * Premultiplied `from` over the frame's pixels at (x, y), in pixman's arithmetic for OVER:
 * each byte d becomes s + d·(255 − αs)/255, saturated, the alpha or padding byte as well. A
 * cairo fill of a few columns costs more in its set-up than in its pixels, 60 times a second;
 * four pixels at a time in SSE2 it is a quarter of the scalar loop.
 */
static void blend_over(cairo_surface_t *from, cairo_surface_t *target, int x, int y)
{
	const unsigned char *src = cairo_image_surface_get_data(from);
	int src_stride = cairo_image_surface_get_stride(from);
	unsigned char *dst = cairo_image_surface_get_data(target);
	int dst_stride = cairo_image_surface_get_stride(target);
	int w = cairo_image_surface_get_width(from), h = cairo_image_surface_get_height(from);
	for (int row = 0; row < h; row++) {
		const uint32_t *s = (const uint32_t *)(src + (size_t)row * (size_t)src_stride);
		uint32_t *d = (uint32_t *)(dst + (size_t)(y + row) * (size_t)dst_stride) + x;
		int i = 0;
#ifdef __SSE2__
		for (; i + 4 <= w; i += 4) {
			__m128i sv = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
			__m128i dv = _mm_loadu_si128((const __m128i *)(void *)(d + i));
			_mm_storeu_si128((__m128i *)(void *)(d + i), over4(sv, dv));
		}
#endif
		for (; i < w; i++) {
			d[i] = over_pixel(s[i], d[i]);
		}
	}
}

/* The soft edges over the band's rows: from make_edges() when made, else as gradients. */
static void put_edges(const struct ticker *t, cairo_t *cr)
{
	const struct band *b = &t->drawn;
	int h = b->bottom - b->top;
	if (!t->edge_bytes) {
		draw_edges_in(cr, b, (struct irect){b->left, b->top, b->right - b->left, h});
		return;
	}
	cairo_surface_t *target = cairo_get_target(cr);
	cairo_surface_flush(target);
	for (int side = 0; side < 2; side++) {
		if (t->edge[side]) {
			blend_over(t->edge[side], target, t->edge_x[side], b->top);
			cairo_surface_mark_dirty_rectangle(target, t->edge_x[side], b->top,
				cairo_image_surface_get_width(t->edge[side]), h);
		}
	}
}

/*
 * The soft edges over the crawl. Over a strip they are painted in parts: the band's columns
 * exactly as animate() paints them (the same clips give the same coverage, to the byte), and
 * the rest around it, so that no pixel is faded twice.
 */
static void draw_edges(const struct ticker *t, cairo_t *cr, const struct band *b, bool strip)
{
	if (!strip) {
		cairo_save(cr);
		cairo_rectangle(cr, b->crawl.x, b->crawl.y, b->crawl.w, b->crawl.h);
		cairo_clip(cr);
		draw_fades(cr, &b->crawl, b->fade, b->fade_bg);
		cairo_restore(cr);
		return;
	}
	const int far = 1 << 22; // beyond any surface (cairo's coordinates end at 2^23)
	int h = b->bottom - b->top;
	put_edges(t, cr);
	draw_edges_in(cr, b, (struct irect){-far, -far, 2 * far, far + b->top});
	draw_edges_in(cr, b, (struct irect){-far, b->bottom, 2 * far, far});
	draw_edges_in(cr, b, (struct irect){-far, b->top, far + b->left, h});
	draw_edges_in(cr, b, (struct irect){b->right, b->top, far, h});
}

/*
 * The crawl's step as a move on the screen: the band's middle, between the soft edges, moved
 * left by the step there, and only the edges and the columns that come in under the right
 * one written and put. The screen's middle must hold the strip at shown_offset (a copy or a
 * move of it showed it); false when the step is none of that (the edges as gradients, a step
 * wider than an edge or backwards), and nothing was written.
 */
static bool move_window(struct ticker *t, cairo_t *cr, const struct widget_ctx *ctx,
			const struct text_style *style, double now, struct widget_damage *damage)
{
	const struct band *b = &t->drawn;
	if (!t->edge[0] || !t->edge[1]) {
		return false;
	}
	int inner_left = t->edge_x[0] + cairo_image_surface_get_width(t->edge[0]);
	int inner_right = t->edge_x[1];
	long offset = crawl_offset(t, now, t->measured_scale);
	long step = (offset - t->shown_offset) % t->cycle_px;
	step += step < 0 ? t->cycle_px : 0;
	if (step > inner_left - b->left || step >= inner_right - inner_left) {
		return false;
	}
	t->shown_offset = offset;
	t->shown_now = now;
	if (step == 0) {
		return true; // the screen shows it already
	}
	cairo_surface_t *target = cairo_get_target(cr);
	int h = b->bottom - b->top;
	int enters = inner_right - (int)step;
	copy_columns(t, target, ctx, style, offset, b->left, inner_left);
	copy_columns(t, target, ctx, style, offset, enters, b->right);
	put_edges(t, cr);
	damage->move = (struct screen_move){{inner_left, b->top, inner_right - inner_left, h},
					    -(int)step};
	damage->put[0] = (struct irect){b->left, b->top, inner_left - b->left, h};
	damage->put[1] = (struct irect){enters, b->top, b->right - enters, h};
	t->owes = true;
	return true;
}

/* Whether the frame still holds the band as draw() left it, moved or copied since. */
static bool band_in_frame(const struct ticker *t, cairo_t *cr, const struct rect *r,
			  const struct theme *theme)
{
	const struct band *b = &t->drawn;
	cairo_matrix_t m;
	cairo_get_matrix(cr, &m);
	/* A new frame of another size may lie at the same address (a resize's new segment). */
	cairo_surface_t *target = cairo_get_target(cr);
	return b->ok && t->strip && running(t) && draw_pixels_identity(cr) == b->pixels &&
	       b->right <= cairo_image_surface_get_width(target) &&
	       b->bottom <= cairo_image_surface_get_height(target) &&
	       memcmp(&m, &b->matrix, sizeof(m)) == 0 && memcmp(r, &b->tile, sizeof(*r)) == 0 &&
	       theme == t->key.theme;
}

/*
 * Only time moved since draw(): the new window of the strip over the old one, then the soft
 * edges again, in the band's rows only; or, where the screen moves pixels, the step moved
 * there. The frame must hold what draw() left there, or settle() what was moved.
 */
static bool ticker_animate(void *self, cairo_t *cr, const struct rect *r,
			   const struct widget_ctx *ctx, double now, struct widget_damage *damage)
{
	struct ticker *t = self;
	const struct band *b = &t->drawn;
	if (!band_in_frame(t, cr, r, ctx->theme)) {
		return false;
	}
	struct text_style style = crawl_style(t, r, ctx->theme);
	if (ctx->screen_moves && move_window(t, cr, ctx, &style, now, damage)) {
		return true;
	}
	copy_window(t, cairo_get_target(cr), ctx, &style, now);
	damage->put[0] = (struct irect){b->left, b->top, b->right - b->left, b->bottom - b->top};
	put_edges(t, cr);
	return true;
}

/* The band's middle as the screen shows it after moves: the window at the last step's time. */
static void ticker_settle(void *self, cairo_t *cr, const struct widget_ctx *ctx)
{
	struct ticker *t = self;
	if (!t->owes || !band_in_frame(t, cr, &t->drawn.tile, ctx->theme)) {
		t->owes = false;
		return;
	}
	struct text_style style = crawl_style(t, &t->drawn.tile, ctx->theme);
	copy_window(t, cairo_get_target(cr), ctx, &style, t->shown_now);
	put_edges(t, cr);
}

static void ticker_draw(void *self, cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
			double now)
{
	struct ticker *t = self;
	const struct ticker_opts *o = &t->o;
	const struct theme *theme = ctx->theme;
	t->drawn.ok = false;
	struct color bg = t->kind != DATA_OK ? theme->states[STATE_NODATA].fill : theme->tile;
	if (o->card || t->kind != DATA_OK) {
		draw_card(cr, r, theme, bg);
	}
	double size = o->size;
	size = size > 0 ? size : fmin(r->h * 0.4, r->w * 0.2);
	double pad = clampd(r->h * 0.22, 4, 40);
	double label_w = draw_label(t, cr, r, ctx, size, pad);
	struct rect crawl = {r->x + label_w + pad * 0.5, r->y + 1, r->w - label_w - pad, r->h - 2};
	if (crawl.w <= 0 || crawl.h <= 0) {
		return; // a tile too small for anything but its label
	}
	if (!running(t)) {
		const char *text = t->kind == DATA_NONE      ? o->nodata_text
				   : t->kind == DATA_INVALID ? o->invalid_text
							     : o->empty_text;
		struct color color = t->kind == DATA_OK ? theme->muted
							: theme->states[STATE_NODATA].accent;
		struct rect area = {crawl.x + pad * 0.5, crawl.y, crawl.w - pad, crawl.h};
		draw_message(cr, &area, text, color, size * 0.8, ctx);
		return;
	}
	double scale = device_scale(cr);
	if (!(scale > 1e-9) || !isfinite(scale)) {
		return;
	}
	struct text_style style = crawl_style(t, r, theme);
	measure(t, cr, ctx, &style, scale);
	if (t->cycle_px <= 0) {
		return;
	}
	double middle = r->y + r->h / 2;
	struct band b = {
		.tile = *r,
		.origin = device_x(cr, crawl.x),
		/* Columns the crawl's clip covers partly keep what is under them, as before. */
		.left = clamp_int(ceil(device_xd(cr, crawl.x))),
		.right = clamp_int(floor(device_xd(cr, crawl.x + crawl.w))),
		.crawl = crawl,
		.fade = fmin(size, crawl.w / 4),
		.fade_bg = o->card ? bg : theme->background,
		.baseline = middle + size * 0.36,
		.middle = middle,
	};
	bool strip = draw_from_strip(t, cr, ctx, &style, &b, now);
	if (strip) {
		make_edges(t);
	} else {
		cairo_save(cr);
		cairo_rectangle(cr, crawl.x, crawl.y, crawl.w, crawl.h);
		cairo_clip(cr);
		draw_strip(t, cr, ctx, style, b.origin - crawl_offset(t, now, scale), b.origin,
			   device_x(cr, crawl.x + crawl.w), b.baseline, middle);
		cairo_restore(cr);
	}
	draw_edges(t, cr, &b, strip);
}

static bool ticker_usable(const struct tile *tile, const char *key, const struct value *v)
{
	return v->kind == VALUE_ARRAY || v->kind == VALUE_STRING || v->kind == VALUE_OBJECT;
}

const struct widget_impl widget_ticker = {
	.spec = {
		.name = "ticker",
		.options = ticker_options,
		.help = "a news or disaster-message crawl, moving with wall-clock time",
	},
	.create = ticker_create,
	.bind = ticker_bind,
	.draw = ticker_draw,
	.next_deadline = ticker_next_deadline,
	.animate = ticker_animate,
	.settle = ticker_settle,
	.destroy = ticker_destroy,
	.usable = ticker_usable,
};
