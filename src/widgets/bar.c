/*
 * bar: one bar per record — PM10 by district, bikes available by station — horizontal or
 * vertical, in the data's order or sorted, each in the colour of its threshold state, with its
 * value written beside it and "+N more" for the records that did not fit.
 *
 * The records are an array of objects or an object of objects (its members in document order,
 * the member's key the fallback label); a record may also be a bare number. At most the first
 * CHART_MAX_ITEMS records are read. A record without a usable value (missing, not a number, or
 * below `min`) keeps its row with "—" and no bar; when no record has one, the tile shows its
 * no-data state.
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

/* Labels longer than this are cut (a bar label is a name, not a paragraph). */
#define LABEL_MAX_BYTES 96

enum orientation { ORIENTATION_HORIZONTAL, ORIENTATION_VERTICAL };
enum sort { SORT_NONE, SORT_ASCENDING, SORT_DESCENDING };

static const char *const orientation_choices[] = {
	[ORIENTATION_HORIZONTAL] = "horizontal", [ORIENTATION_VERTICAL] = "vertical", NULL,
};
static const char *const sort_choices[] = {
	[SORT_NONE] = "none", [SORT_ASCENDING] = "ascending", [SORT_DESCENDING] = "descending",
	NULL,
};

/* The options, filled once at create (options_fill); texts borrowed from the tile. */
struct bar_opts {
	const char *title;
	const char *label_field;
	const char *value_field;
	int orientation; // enum orientation
	int sort;        // enum sort
	int max_bars;
	const char *unit;
	int decimals;
	bool thousands;
	const struct thresholds *thresholds;
	double min;
	bool min_set;
	double max;
	bool max_set;
	const char *more_label;
	const char *nodata_text;
};

static const struct option_spec bar_options[] = {
	{.key = "title", OPT_FIELD(OPT_STRING, struct bar_opts, title), .default_text = "",
	 .help = "label of the tile"},
	{.key = "value", .type = OPT_BINDING, .required = true,
	 .help = "path of the records: an array, or an object whose members are the records"},
	{.key = "label_field", OPT_FIELD(OPT_STRING, struct bar_opts, label_field),
	 .default_text = "name",
	 .help = "member of each record with its label; default label: the member's key"},
	{.key = "value_field", OPT_FIELD(OPT_STRING, struct bar_opts, value_field),
	 .default_text = "value", .help = "member of each record with its number"},
	{.key = "orientation", OPT_FIELD(OPT_ENUM, struct bar_opts, orientation),
	 .choices = orientation_choices,
	 .default_text = "horizontal", .help = "bars grow to the right, or upwards"},
	{.key = "sort", OPT_FIELD(OPT_ENUM, struct bar_opts, sort), .choices = sort_choices,
	 .default_text = "none", .help = "none keeps the data's order"},
	{.key = "max_bars", OPT_FIELD(OPT_INT, struct bar_opts, max_bars), OPT_RANGE(1, 100),
	 .default_number = 12, .help = "bars shown; the rest are counted as \"+N more\""},
	{.key = "unit", OPT_FIELD(OPT_STRING, struct bar_opts, unit), .default_text = "",
	 .help = "unit after each value"},
	{.key = "decimals", OPT_FIELD(OPT_INT, struct bar_opts, decimals), OPT_RANGE(-1, 6),
	 .default_number = -1,
	 .help = "digits after the point; -1: none for whole numbers, else one"},
	{.key = "thousands", OPT_FIELD(OPT_BOOL, struct bar_opts, thousands), .default_number = 1,
	 .help = "group digits by three with commas"},
	{.key = "thresholds", OPT_FIELD(OPT_THRESHOLDS, struct bar_opts, thresholds),
	 .help = "value ranges to states: the colour of each bar"},
	{.key = "min", OPT_FIELD(OPT_NUMBER, struct bar_opts, min),
	 OPT_SET(struct bar_opts, min_set),
	 .help = "smallest valid value (0 for counts): a record below it is invalid"},
	{.key = "max", OPT_FIELD(OPT_NUMBER, struct bar_opts, max),
	 OPT_SET(struct bar_opts, max_set),
	 .help = "end of the scale; default: the largest value"},
	{.key = "more_label", OPT_FIELD(OPT_STRING, struct bar_opts, more_label),
	 .default_text = "more", .help = "text after the count of records not shown: \"+13 more\""},
	{.key = "nodata_text", OPT_FIELD(OPT_STRING, struct bar_opts, nodata_text),
	 .default_text = "데이터 없음", .help = "shown when there is no record with a value"},
	{0},
};

struct item {
	char *label; // owned
	double value;
	bool valid;
	size_t order; // position in the data: keeps sorting stable
};

struct bar {
	const struct tile *tile; // borrowed
	struct bar_opts o;
	struct item *items;      // owned: the bars shown, in drawing order
	size_t count;
	size_t more;             // records not shown
	char problem[320];       // why there are no bars; "" when there are
	struct rect content;     // where the last draw put the bars (hit testing); w 0: none
};

/* What one bind read: every record (up to the cap), before choosing the bars shown. */
struct reading {
	struct item *items; // owned
	size_t count;
	size_t total;       // records in the data
	size_t invalid;
	char first_invalid[224];
};

static void *bar_create(const struct tile *tile)
{
	struct bar *b = xcalloc(1, sizeof(*b));
	b->tile = tile;
	options_fill(&tile->options, &b->o);
	return b;
}

static void free_items(struct item *items, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(items[i].label);
	}
	free(items);
}

static void bar_destroy(void *self)
{
	struct bar *b = self;
	if (b) {
		free_items(b->items, b->count);
		free(b);
	}
}

static size_t record_count(const struct value *v)
{
	return v->kind == VALUE_ARRAY ? v->array.count : v->object.count;
}

/* Record i and, for an object of records, its key (else NULL). */
static const struct value *record_at(const struct value *v, size_t i, const char **key)
{
	if (v->kind == VALUE_ARRAY) {
		*key = NULL;
		return v->array.items[i];
	}
	*key = v->object.members[i].key;
	return v->object.members[i].value;
}

static char *record_label(const struct value *record, const char *key, const char *field,
			  size_t index)
{
	const char *text = record && record->kind == VALUE_OBJECT
				   ? value_string(value_member(record, field))
				   : NULL;
	if (text && text[0]) {
		return chart_copy_text(text, LABEL_MAX_BYTES);
	}
	if (key) {
		return chart_copy_text(key, LABEL_MAX_BYTES);
	}
	return xasprintf("#%zu", index + 1);
}

static void note_invalid(struct reading *r, const struct item *item, const struct value *v,
			 bool below_min, double min)
{
	if (r->invalid++ > 0) {
		return;
	}
	char what[112];
	if (below_min) {
		char number[48], limit[48];
		format_number(item->value, -1, false, number, sizeof(number));
		format_number(min, -1, false, limit, sizeof(limit));
		snprintf(what, sizeof(what), "%s below min %s", number, limit);
	} else {
		chart_describe(v, what, sizeof(what));
	}
	snprintf(r->first_invalid, sizeof(r->first_invalid), "\"%s\": %s", item->label, what);
}

static void read_records(const struct bar_opts *o, const struct value *records,
			 struct reading *r)
{
	const char *label_field = o->label_field;
	const char *value_field = o->value_field;
	bool has_min = o->min_set;
	double min = o->min;
	r->total = record_count(records);
	size_t n = r->total < CHART_MAX_ITEMS ? r->total : CHART_MAX_ITEMS;
	r->items = xcalloc(n ? n : 1, sizeof(*r->items));
	for (size_t i = 0; i < n; i++) {
		const char *key;
		const struct value *record = record_at(records, i, &key);
		const struct value *v = record && record->kind == VALUE_OBJECT
						? value_member(record, value_field)
						: record;
		struct item *item = &r->items[r->count++];
		item->order = i;
		item->label = record_label(record, key, label_field, i);
		item->valid = chart_number(v, &item->value);
		bool below_min = item->valid && has_min && item->value < min;
		if (!item->valid || below_min) {
			note_invalid(r, item, v, below_min, min);
			item->valid = false;
		}
	}
}

/* Records without a value go last; ties keep the data's order. */
static int compare_common(const struct item *a, const struct item *b, bool *decided)
{
	*decided = true;
	if (a->valid != b->valid) {
		return a->valid ? -1 : 1;
	}
	if (!a->valid || a->value == b->value) {
		return a->order < b->order ? -1 : a->order > b->order;
	}
	*decided = false;
	return 0;
}

static int compare_ascending(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	bool decided;
	int c = compare_common(a, b, &decided);
	return decided ? c : a->value < b->value ? -1 : 1;
}

static int compare_descending(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	bool decided;
	int c = compare_common(a, b, &decided);
	return decided ? c : a->value > b->value ? -1 : 1;
}

/* Orders the reading as the option says and keeps the first max_bars items in `b`. */
static void choose_bars(struct bar *b, struct reading *r)
{
	const struct bar_opts *o = &b->o;
	if (o->sort != SORT_NONE) {
		bool ascending = o->sort == SORT_ASCENDING;
		qsort(r->items, r->count, sizeof(*r->items),
		      ascending ? compare_ascending : compare_descending);
	}
	size_t shown = (size_t)o->max_bars;
	shown = shown < r->count ? shown : r->count;
	for (size_t i = shown; i < r->count; i++) {
		free(r->items[i].label);
	}
	b->items = r->items;
	b->count = shown;
	b->more = r->total - shown;
	r->items = NULL;
}

static bool same_bars(const struct bar *a, const struct bar *b)
{
	if (a->count != b->count || a->more != b->more || strcmp(a->problem, b->problem) != 0) {
		return false;
	}
	for (size_t i = 0; i < a->count; i++) {
		const struct item *x = &a->items[i], *y = &b->items[i];
		if (x->valid != y->valid || (x->valid && x->value != y->value) ||
		    strcmp(x->label, y->label) != 0) {
			return false;
		}
	}
	return true;
}

/* Fills `next` from the bound records; returns the line to log, or NULL when all is well. */
static const char *read_bars(struct bar *next, const struct value *records, char *line,
			     size_t size)
{
	char what[64];
	if (!records || (records->kind != VALUE_ARRAY && records->kind != VALUE_OBJECT)) {
		chart_describe(records, what, sizeof(what));
		snprintf(next->problem, sizeof(next->problem),
			 records ? "records are %s, not an array or object" : "records are missing",
			 what);
		return next->problem;
	}
	if (record_count(records) == 0) {
		snprintf(next->problem, sizeof(next->problem), "no records");
		return next->problem;
	}
	struct reading r = {0};
	read_records(&next->o, records, &r);
	size_t read = r.count, invalid = r.invalid, total = r.total;
	if (invalid == read) {
		snprintf(next->problem, sizeof(next->problem),
			 "no valid value among %zu records (first: %s)", read, r.first_invalid);
	}
	choose_bars(next, &r);
	if (next->problem[0]) {
		return next->problem;
	}
	if (invalid) {
		snprintf(line, size, "%zu of %zu records have no valid value (first: %s)", invalid,
			 read, r.first_invalid);
		return line;
	}
	if (total > read) {
		snprintf(line, size, "%zu records; reading the first %zu", total, read);
		return line;
	}
	return NULL;
}

static bool bar_bind(void *self, const struct binding_values *values)
{
	struct bar *b = self;
	/* Where the bars were drawn stays true until the next draw (hit testing reads it). */
	struct bar next = {.tile = b->tile, .o = b->o, .content = b->content};
	char line[400];
	const char *problem = read_bars(&next, binding_current(values, "value"), line,
					sizeof(line));
	bool changed = !same_bars(b, &next);
	free_items(b->items, b->count);
	*b = next;
	/* Before the first snapshot there is nothing to complain about yet. */
	if (binding_snapshot(values, "value")) {
		chart_report("bar", b->tile->id, problem);
	}
	return changed;
}

/* --- drawing --- */

/* The value scale shared by all bars: from min(0, lowest) to max(0, highest) or the option. */
struct scale {
	double lo, hi;
};

static struct scale bar_scale(const struct bar *b)
{
	struct scale s = {0, 0};
	for (size_t i = 0; i < b->count; i++) {
		if (b->items[i].valid) {
			s.lo = fmin(s.lo, b->items[i].value);
			s.hi = fmax(s.hi, b->items[i].value);
		}
	}
	const struct bar_opts *o = &b->o;
	if (o->max_set && o->max > s.lo) {
		s.hi = o->max;
	}
	if (s.hi <= s.lo) {
		s.hi = s.lo + 1; // all zero: empty bars on a scale of one
	}
	return s;
}

/* A value's state in its scale's colours and word (as the kpi and the map show them). */
static struct scale_look bar_look(const struct bar *b, double value, const struct theme *theme)
{
	const struct thresholds *t = b->o.thresholds;
	return scale_look(theme, thresholds_step(t, value), thresholds_state(t, value));
}

static struct color bar_color(const struct bar *b, double value, const struct theme *theme)
{
	struct scale_look look = bar_look(b, value, theme);
	return look.state == STATE_NORMAL ? theme->accent : look.accent;
}

/*
 * The value label of bar `i`: only the first carries the unit, the rest would repeat it.
 * With `words`, the state's word follows ("23.4 km/h 서행"), so the colour is never alone.
 */
static void value_text(const struct bar *b, size_t i, bool words, char *buf, size_t size)
{
	const struct item *item = &b->items[i];
	if (!item->valid) {
		snprintf(buf, size, "—");
		return;
	}
	const struct bar_opts *o = &b->o;
	chart_format_value(item->value, o->decimals,
			   o->thousands, i == 0 ? o->unit : "", buf,
			   size);
	const struct threshold *step = words ? thresholds_step(o->thresholds, item->value) : NULL;
	const char *word = step ? step->label : "";
	size_t len = strlen(buf);
	if (word[0] && len + 1 < size) {
		snprintf(buf + len, size - len, " %s", word);
	}
}

/* The label says the state too: a zero-length bar has no colour of its own to show. */
static void set_value_color(const struct bar *b, const struct item *item,
			    const struct theme *theme, struct text_style *style)
{
	struct color c = theme->text;
	if (!item->valid) {
		c = theme->states[STATE_NODATA].accent;
	} else {
		struct scale_look look = bar_look(b, item->value, theme);
		c = look.state == STATE_NORMAL ? theme->text : look.accent;
	}
	style->rgba[0] = c.r;
	style->rgba[1] = c.g;
	style->rgba[2] = c.b;
	style->rgba[3] = c.a;
}

/* The widest of the bars' value labels at `style`. */
static double widest_value(const struct bar *b, bool words, cairo_t *cr,
			   struct text_engine *text, const struct text_style *style)
{
	double widest = 0;
	for (size_t i = 0; i < b->count; i++) {
		char buf[128];
		value_text(b, i, words, buf, sizeof(buf));
		widest = fmax(widest, text_measure(text, cr, style, buf).width);
	}
	return widest;
}

static double widest_label(const struct bar *b, cairo_t *cr, struct text_engine *text,
			   const struct text_style *style)
{
	double widest = 0;
	for (size_t i = 0; i < b->count; i++) {
		widest = fmax(widest, text_measure(text, cr, style, b->items[i].label).width);
	}
	return widest;
}

/* A bar between value 0 and `value` along the scale, on the device pixel grid. */
static void fill_bar(cairo_t *cr, const struct rect *r, struct color color)
{
	struct rect snapped = chart_snap_rect(cr, r);
	cairo_rectangle(cr, snapped.x, snapped.y, snapped.w, snapped.h);
	draw_set_color(cr, color);
	cairo_fill(cr);
}

struct bar_geometry {
	struct rect area;  // where the bars go (the whole scale)
	double band;       // room per bar along the other axis
	double thickness;  // of each bar
	double text_size;
	struct scale scale;
};

static void draw_horizontal(const struct bar *b, cairo_t *cr, const struct rect *c,
			    const struct widget_ctx *ctx)
{
	const struct theme *theme = ctx->theme;
	struct bar_geometry g = {.scale = bar_scale(b)};
	/* Few bars stay bar-sized instead of swelling to fill the tile. */
	g.band = c->h / (double)(b->count > 4 ? b->count : 4);
	g.thickness = g.band * 0.62;
	/* The theme may enlarge labels for distance viewing, but never past the bar's band. */
	g.text_size = fmin(clampd(g.band * 0.46, 8, 40) * theme->label_scale, g.band * 0.8);
	struct text_style label = draw_text_style(theme->font, false, g.text_size, theme->text,
						  TEXT_ALIGN_LEFT);
	struct text_style value = draw_text_style(theme->font, true, g.text_size, theme->text,
						  TEXT_ALIGN_LEFT);
	double gap = g.text_size * 0.6;
	double label_w = fmin(widest_label(b, cr, ctx->text, &label), c->w * 0.34);
	double value_w = fmin(widest_value(b, false, cr, ctx->text, &value), c->w * 0.3);
	g.area = (struct rect){c->x + label_w + gap, c->y, c->w - label_w - value_w - 2 * gap,
			       c->h};
	double x0 = chart_map(0, g.scale.lo, g.scale.hi, g.area.x, g.area.x + g.area.w);
	for (size_t i = 0; i < b->count; i++) {
		const struct item *item = &b->items[i];
		double mid = c->y + g.band * (i + 0.5);
		double baseline = mid + g.text_size * 0.36;
		text_draw(ctx->text, cr, &label, c->x, baseline, label_w, item->label);
		struct rect track = {g.area.x, mid - g.thickness / 2, g.area.w, g.thickness};
		fill_bar(cr, &track, chart_fade(theme->tile_border, 0.55));
		char text[128];
		value_text(b, i, false, text, sizeof(text));
		set_value_color(b, item, theme, &value);
		if (!item->valid) {
			text_draw(ctx->text, cr, &value, x0 + gap * 0.5, baseline, value_w, text);
			continue;
		}
		double v = clampd(item->value, g.scale.lo, g.scale.hi);
		double x1 = chart_map(v, g.scale.lo, g.scale.hi, g.area.x, g.area.x + g.area.w);
		struct rect bar = {fmin(x0, x1), track.y, fabs(x1 - x0), track.h};
		fill_bar(cr, &bar, bar_color(b, item->value, theme));
		/* Beside the bar's end; a negative bar has its value on the left of zero. */
		value.align = item->value < 0 ? TEXT_ALIGN_RIGHT : TEXT_ALIGN_LEFT;
		double at = item->value < 0 ? fmin(x1, x0) - gap * 0.5 : fmax(x1, x0) + gap * 0.5;
		double room = value_w + gap;
		if (item->value >= 0) {
			/* The state's word too ("16.1 서행") where the room left of the edge takes it. */
			char worded[128];
			value_text(b, i, true, worded, sizeof(worded));
			double edge = c->x + c->w - at;
			if (text_measure(ctx->text, cr, &value, worded).width <= edge) {
				snprintf(text, sizeof(text), "%s", worded);
				room = edge;
			}
		}
		text_draw(ctx->text, cr, &value, at, baseline, room, text);
		value.align = TEXT_ALIGN_LEFT;
	}
}

static void draw_vertical(const struct bar *b, cairo_t *cr, const struct rect *c,
			  const struct widget_ctx *ctx)
{
	const struct theme *theme = ctx->theme;
	struct bar_geometry g = {.scale = bar_scale(b)};
	g.band = c->w / (double)(b->count > 4 ? b->count : 4);
	g.thickness = g.band * 0.62;
	g.text_size = clampd(fmin(g.band * 0.2, c->h * 0.08), 8, 32) * theme->label_scale;
	struct text_style label = draw_text_style(theme->font, false, g.text_size, theme->text,
						  TEXT_ALIGN_CENTER);
	struct text_style value = draw_text_style(theme->font, true, g.text_size, theme->text,
						  TEXT_ALIGN_CENTER);
	double line = g.text_size * 1.5;
	g.area = (struct rect){c->x, c->y + line, c->w, c->h - 2 * line};
	double y0 = chart_map(0, g.scale.lo, g.scale.hi, g.area.y + g.area.h, g.area.y);
	bool words = widest_value(b, true, cr, ctx->text, &value) <= g.band * 0.96;
	for (size_t i = 0; i < b->count; i++) {
		const struct item *item = &b->items[i];
		double mid = c->x + g.band * (i + 0.5);
		double under = c->y + c->h - g.text_size * 0.3;
		text_draw(ctx->text, cr, &label, mid, under, g.band * 0.96, item->label);
		struct rect track = {mid - g.thickness / 2, g.area.y, g.thickness, g.area.h};
		fill_bar(cr, &track, chart_fade(theme->tile_border, 0.55));
		char text[128];
		value_text(b, i, words, text, sizeof(text));
		set_value_color(b, item, theme, &value);
		double top = y0;
		if (item->valid) {
			double v = clampd(item->value, g.scale.lo, g.scale.hi);
			double y1 = chart_map(v, g.scale.lo, g.scale.hi, g.area.y + g.area.h,
					      g.area.y);
			struct rect bar = {track.x, fmin(y0, y1), track.w, fabs(y1 - y0)};
			fill_bar(cr, &bar, bar_color(b, item->value, theme));
			top = fmin(y0, y1);
		}
		text_draw(ctx->text, cr, &value, mid, top - g.text_size * 0.4, g.band * 0.96, text);
	}
}

static bool bar_hit(void *self, const struct rect *r, double x, double y,
		    struct widget_part *part)
{
	(void)r; // the bars lie where the last draw put them (the frame's title measured them)
	const struct bar *b = self;
	const struct rect *c = &b->content;
	if (c->w <= 0 || x < c->x || x >= c->x + c->w || y < c->y || y >= c->y + c->h) {
		return false;
	}
	double band = (b->o.orientation == ORIENTATION_VERTICAL ? c->w : c->h) /
		      (double)(b->count > 4 ? b->count : 4);
	double along = b->o.orientation == ORIENTATION_VERTICAL ? x - c->x : y - c->y;
	size_t i = (size_t)floor(along / band);
	if (i >= b->count) {
		return false;
	}
	part->kind = WIDGET_PART_BAR;
	part->index = (long)i;
	snprintf(part->label, sizeof(part->label), "%s", b->items[i].label);
	return true;
}

static size_t bar_part_lines(void *self, const struct widget_part *part, char (*lines)[160],
			     size_t max)
{
	const struct bar *b = self;
	if (part->kind != WIDGET_PART_BAR || max == 0 || part->index < 0 ||
	    (size_t)part->index >= b->count) {
		return 0;
	}
	char text[128];
	value_text(b, (size_t)part->index, true, text, sizeof(text));
	snprintf(lines[0], 160, "%s: %s", b->items[part->index].label, text);
	return 1;
}

static void bar_draw(void *self, cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
		     double now)
{
	struct bar *b = self;
	const struct bar_opts *o = &b->o;
	const struct theme *theme = ctx->theme;
	b->content = (struct rect){0, 0, 0, 0};
	if (b->problem[0] || b->count == 0) {
		chart_draw_nodata(cr, r, ctx->text, theme, o->title,
				  o->nodata_text, b->problem);
		return;
	}
	char more[128] = "";
	if (b->more) {
		snprintf(more, sizeof(more), "+%zu %s", b->more, o->more_label);
	}
	struct chart_frame f = chart_frame_draw(cr, r, ctx->text, theme, theme->tile,
						o->title, more);
	if (f.content.h < 8 || f.content.w < 16) {
		return;
	}
	b->content = f.content;
	if (o->orientation == ORIENTATION_VERTICAL) {
		draw_vertical(b, cr, &f.content, ctx);
	} else {
		draw_horizontal(b, cr, &f.content, ctx);
	}
}

static bool bar_usable(const struct tile *tile, const char *key, const struct value *v)
{
	return v->kind == VALUE_ARRAY || v->kind == VALUE_OBJECT;
}

const struct widget_impl widget_bar = {
	.spec = {
		.name = "bar",
		.options = bar_options,
		.help = "bars from records, sorted or in order, with values and threshold colours",
	},
	.create = bar_create,
	.bind = bar_bind,
	.draw = bar_draw,
	.destroy = bar_destroy,
	.usable = bar_usable,
	.stale_palette = true,
	.hit = bar_hit,
	.part_lines = bar_part_lines,
};
