/*
 * map: district names placed greedily, largest districts first, so that none collides with
 * another or leaves its district (shrunk, then hidden); and the legend — threshold swatches
 * or the continuous scale's gradient, beside the map or under it, and a "stale" swatch while
 * any district is drawn stale.
 */

#include "widgets/map_internal.h"

#include "layout/scales.h"
#include "render/draw.h"
#include "render/format.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- district names ------------------------------------------------------------------- */

static const char *feature_name(const struct map *m, size_t i)
{
	if (opts(m)->labels == MAP_LABELS_NONE) {
		return NULL;
	}
	const char *property = opts(m)->labels == MAP_LABELS_NAME_ENG
				       ? opts(m)->name_eng_property
				       : opts(m)->name_property;
	return geo_property(m->geo, &m->geo->features[i], property);
}

/* How far the feature extends from its label point: left, right, up, down (virtual units).
 * Measured on m->label_shape (see MAP_EXACT_LABEL_POINTS). */
static void interior_room(const struct map *m, const struct view *v, size_t feature,
			  double room[4])
{
	const struct geo_shape *sh = m->label_shape;
	const struct geo_feature *f = &m->geo->features[feature];
	double lx = f->label.x * m->geo->x_scale - sh->ox, ly = f->label.y - sh->oy;
	room[0] = room[1] = room[2] = room[3] = INFINITY;
	for (uint32_t r = sh->feature_rings[feature]; r < sh->feature_rings[feature + 1]; r++) {
		const struct geo_shape_point *pt = sh->points + sh->rings[r].first;
		for (size_t i = 0, j = sh->rings[r].count - 1; i < sh->rings[r].count; j = i++) {
			double ax = pt[i].x, ay = pt[i].y, bx = pt[j].x, by = pt[j].y;
			if ((ay > ly) != (by > ly)) {
				double d = ax + (ly - ay) * (bx - ax) / (by - ay) - lx;
				room[d >= 0] = fmin(room[d >= 0], fabs(d));
			}
			if ((ax > lx) != (bx > lx)) {
				double d = ay + (lx - ax) * (by - ay) / (bx - ax) - ly;
				room[d >= 0 ? 2 : 3] = fmin(room[d >= 0 ? 2 : 3], fabs(d));
			}
		}
	}
	for (int i = 0; i < 4; i++) {
		room[i] *= v->scale;
	}
}

/*
 * Whether a label box lies inside the feature: along four lines across the box (from near
 * its top to near its bottom) the box's centre must be inside and its sides within the edges
 * crossed to the left and right, with a little slack.
 */
static bool box_inside(const struct map *m, const struct view *v, size_t feature,
		       const struct rect *box)
{
	const struct geo_shape *sh = m->label_shape;
	double cx = (box->x + box->w / 2 - v->ox) / v->scale - sh->ox;
	double half = box->w / 2 / v->scale * 0.95;
	for (int row = 0; row < 4; row++) {
		double y = (v->oy - (box->y + box->h * (0.08 + 0.28 * row))) / v->scale - sh->oy;
		double left = INFINITY, right = INFINITY;
		int crossings = 0;
		for (uint32_t r = sh->feature_rings[feature]; r < sh->feature_rings[feature + 1];
		     r++) {
			const struct geo_shape_point *pt = sh->points + sh->rings[r].first;
			for (size_t i = 0, j = sh->rings[r].count - 1; i < sh->rings[r].count; j = i++) {
				double ax = pt[i].x, ay = pt[i].y, bx = pt[j].x, by = pt[j].y;
				if ((ay > y) == (by > y)) {
					continue;
				}
				double x = ax + (y - ay) * (bx - ax) / (by - ay);
				crossings += x > cx;
				*(x > cx ? &right : &left) = fmin(x > cx ? right : left, fabs(x - cx));
			}
		}
		if (crossings % 2 == 0 || left < half || right < half) {
			return false;
		}
	}
	return true;
}

static void value_text(const struct map *m, size_t i, char *buf, size_t size)
{
	buf[0] = '\0';
	if (m->status == DATA_OK && m->has[i]) {
		format_number(m->values[i], opts(m)->decimals, true, buf, size);
	}
}

static bool overlaps(const struct rect *a, const struct rect *b)
{
	return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h &&
	       b->y < a->y + a->h;
}

static bool box_free(const struct map *m, const struct view *v, const struct rect *box)
{
	const struct rect *area = &v->map;
	if (box->x < area->x || box->y < area->y || box->x + box->w > area->x + area->w ||
	    box->y + box->h > area->y + area->h) {
		return false;
	}
	for (size_t i = 0; i < m->label_count; i++) {
		if (overlaps(box, &m->labels[i].box)) {
			return false;
		}
	}
	return true;
}

struct candidate {
	double area;
	size_t feature;
};

static int larger_first(const void *a, const void *b)
{
	double x = ((const struct candidate *)a)->area, y = ((const struct candidate *)b)->area;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* The box of a label at em size `s`, its name (and value) measured. */
static struct rect label_box(const struct map *m, cairo_t *cr, struct text_engine *te,
			     const struct theme *theme, size_t feature, double s)
{
	bool values = opts(m)->show_values;
	char number[64];
	value_text(m, feature, number, sizeof(number));
	struct text_style style = draw_text_style(theme->font, true, s, theme->text,
						  TEXT_ALIGN_CENTER);
	double w = text_measure(te, cr, &style, feature_name(m, feature)).width;
	if (values && number[0]) {
		style.size = s * 0.85;
		w = fmax(w, text_measure(te, cr, &style, number).width);
	}
	return (struct rect){0, 0, w + s * 0.3, s * 1.25 + (values ? s * 0.85 * 1.15 : 0)};
}

/*
 * Tries the label of `feature` at shrinking sizes, centred on its label point or on the
 * middle of the room around it; keeps the first box that lies inside the feature and
 * collides with no label placed before.
 */
static void try_label(struct map *m, cairo_t *cr, struct text_engine *te, const struct view *v,
		      const struct theme *theme, size_t feature)
{
	static const double shrink[] = {1, 0.86, 0.74, 0.64, 0.55};
	const struct geo_feature *f = &m->geo->features[feature];
	double base = clampd(fmin(v->map.w, v->map.h) * 0.034, 8, 40);
	double min = 8.5 / fmax(v->device, 1e-6), ax, ay, room[4];
	project(m, v, f->label.x, f->label.y, &ax, &ay);
	interior_room(m, v, feature, room);
	/* Screen y grows downwards: room[2] (north) is up. */
	double mx = ax + (room[1] - room[0]) / 2, my = ay + (room[3] - room[2]) / 2;
	const double centres[][2] = {{ax, ay}, {mx, ay}, {ax, my}, {mx, my},
				     {mx, ay - room[2] / 2}, {mx, ay + room[3] / 2}};
	for (size_t k = 0; k < sizeof(shrink) / sizeof(shrink[0]); k++) {
		double s = base * shrink[k];
		if (s < min) {
			break;
		}
		struct rect box = label_box(m, cr, te, theme, feature, s);
		if (box.w > room[0] + room[1] || box.h > (room[2] + room[3]) * 1.2) {
			continue;
		}
		for (size_t p = 0; p < sizeof(centres) / sizeof(centres[0]); p++) {
			box.x = centres[p][0] - box.w / 2;
			box.y = centres[p][1] - box.h / 2;
			if (box_inside(m, v, feature, &box) && box_free(m, v, &box)) {
				m->labels[m->label_count++] = (struct map_label){box, feature, s, false};
				return;
			}
		}
	}
}

/* Greedy placement, largest districts first: a name that does not fit or collides shrinks, then hides. */
void map_place_labels(struct map *m, cairo_t *cr, struct text_engine *te,
			 const struct view *v, const struct theme *theme)
{
	const struct geo *g = m->geo;
	m->label_count = 0;
	struct candidate *c = xcalloc(g->feature_count ? g->feature_count : 1, sizeof(*c));
	size_t n = 0;
	for (size_t i = 0; i < g->feature_count; i++) {
		if (g->features[i].kind == GEO_AREA && feature_name(m, i)) {
			c[n++] = (struct candidate){g->features[i].area, i};
		}
	}
	qsort(c, n, sizeof(*c), larger_first);
	n = n < MAX_LABELS ? n : MAX_LABELS;
	m->labels = xrealloc(m->labels, (n ? n : 1) * sizeof(*m->labels));
	for (size_t i = 0; i < n; i++) {
		try_label(m, cr, te, v, theme, c[i].feature);
	}
	free(c);
}

/* A light fill (a scale's yellow) takes dark ink: white on it does not read. */
static bool wants_dark_ink(const struct map *m, size_t feature, const struct theme *theme)
{
	struct color fill;
	return map_feature_fill(m, feature, theme, &fill) &&
	       0.2126 * fill.r + 0.7152 * fill.g + 0.0722 * fill.b > 0.45;
}

bool map_labels_ink_changed(struct map *m, const struct theme *theme)
{
	bool changed = false;
	for (size_t i = 0; i < m->label_count; i++) {
		bool dark = wants_dark_ink(m, m->labels[i].feature, theme);
		changed |= dark != m->labels[i].dark_ink;
		m->labels[i].dark_ink = dark;
	}
	return changed;
}

/*
 * Whether label `l` may paint inside the clip extents: its box, which holds both its lines,
 * grown by a size each way for glyphs overhanging it and the halo's offset.
 */
static bool label_meets_clip(const struct map_label *l, const double clip[4])
{
	double grow = l->size;
	return l->box.x - grow < clip[2] && l->box.x + l->box.w + grow > clip[0] &&
	       l->box.y - grow < clip[3] && l->box.y + l->box.h + grow > clip[1];
}

void map_draw_labels(cairo_t *cr, struct text_engine *te, const struct map *m,
			const struct view *v, const struct theme *theme)
{
	bool values = opts(m)->show_values;
	double off = 1 / fmax(v->device, 1e-6);
	struct color shadow = theme->background;
	shadow.a = 0.7;
	/* A district drawn in place is clipped to its box: the other labels would paint nothing. */
	double clip[4];
	cairo_clip_extents(cr, &clip[0], &clip[1], &clip[2], &clip[3]);
	for (size_t i = 0; i < m->label_count; i++) {
		const struct map_label *l = &m->labels[i];
		if (!label_meets_clip(l, clip)) {
			continue;
		}
		double cx = l->box.x + l->box.w / 2, base = l->box.y + l->size * 1.02;
		struct color ink = theme->text, halo = shadow;
		if (wants_dark_ink(m, l->feature, theme)) {
			ink = (struct color){0.04, 0.06, 0.1, 1};
			halo = (struct color){1, 1, 1, 0.35};
		}
		struct text_style style = draw_text_style(theme->font, true, l->size, halo,
							  TEXT_ALIGN_CENTER);
		const char *name = feature_name(m, l->feature);
		text_draw(te, cr, &style, cx + off, base + off, 0, name);
		style = draw_text_style(theme->font, true, l->size, ink, TEXT_ALIGN_CENTER);
		text_draw(te, cr, &style, cx, base, 0, name);
		char number[64];
		value_text(m, l->feature, number, sizeof(number));
		if (values && number[0]) {
			style = draw_text_style(theme->font, false, l->size * 0.85, ink,
						TEXT_ALIGN_CENTER);
			text_draw(te, cr, &style, cx, base + l->size * 1.1, 0, number);
		}
	}
}

/* --- legend --------------------------------------------------------------------------- */

static const char *const state_words[STATE_COUNT] = {
	[STATE_GOOD] = "좋음", [STATE_MODERATE] = "보통", [STATE_BAD] = "나쁨",
	[STATE_VERY_BAD] = "매우 나쁨",
};

/* "0–30", "31–80", "151+" for whole-number steps; "0–0.3", "≥ 0.5" otherwise. */
static void range_text(const struct thresholds *t, size_t i, char *buf, size_t size)
{
	bool whole = true;
	for (size_t k = 0; k < t->count; k++) {
		whole &= t->items[k].from == floor(t->items[k].from);
	}
	char from[48], to[48];
	format_number(t->items[i].from, -1, true, from, sizeof(from));
	if (i + 1 == t->count) {
		if (snprintf(buf, size, whole ? "%s+" : "≥ %s", from) >= (int)size) {
			buf[0] = '\0';
		}
		return;
	}
	format_number(t->items[i + 1].from - (whole ? 1 : 0), -1, true, to, sizeof(to));
	if (snprintf(buf, size, "%s–%s", from, to) >= (int)size) {
		buf[0] = '\0';
	}
}

struct legend_item {
	struct color color;
	bool hatched;
	int symbol; // a marker layer's symbol (enum symbol); -1: a colour swatch
	char text[96];
};

/* The "stale" entry, while any district is drawn stale: fills *item, returns 1; else 0. */
static size_t stale_item(const struct map *m, const struct theme *theme,
			 struct legend_item *item)
{
	for (size_t i = 0; i < m->geo->feature_count; i++) {
		if (m->stale[i]) {
			item->color = map_state_fill(theme, STATE_NODATA);
			item->hatched = false;
			snprintf(item->text, sizeof(item->text), "%s",
				 opts(m)->stale_text);
			return 1;
		}
	}
	return 0;
}

unsigned map_legend_key(const struct map *m)
{
	bool missing = false, stale = false;
	for (size_t i = 0; i < m->geo->feature_count; i++) {
		missing |= !m->has[i];
		stale |= m->stale[i];
	}
	bool data = m->status == DATA_OK && m->matched > 0;
	return (unsigned)data | (unsigned)missing << 1 | (unsigned)stale << 2;
}

static size_t legend_items(const struct map *m, const struct theme *theme,
			   struct legend_item *items, size_t max)
{
	const struct thresholds *t = opts(m)->thresholds;
	size_t n = 0;
	for (size_t i = 0; t && i < t->count && n + 1 < max; i++) {
		const struct threshold *step = &t->items[i];
		if (step->categorical) {
			continue; // districts are numbers: a grade word never colours one
		}
		char range[64];
		range_text(t, i, range, sizeof(range));
		/* The scale's own word and colour, as the tiles beside the map show them. */
		const char *word = step->label[0] ? step->label : state_words[step->state];
		items[n].color = scale_look(theme, step, step->state).accent;
		items[n].hatched = false;
		int len = snprintf(items[n].text, sizeof(items[n].text), "%s%s%s", range,
				   word ? " " : "", word ? word : "");
		(void)len; // a longer entry is cut: the swatch and the range still say it
		n++;
	}
	bool missing = false;
	for (size_t i = 0; i < m->geo->feature_count; i++) {
		missing |= !m->has[i];
	}
	if (missing) {
		items[n].color = map_state_fill(theme, STATE_NODATA);
		items[n].hatched = true;
		snprintf(items[n].text, sizeof(items[n].text), "%s", opts(m)->nodata_text);
		n++;
	}
	n += stale_item(m, theme, &items[n]);
	for (size_t i = 0; i < n; i++) {
		items[i].symbol = -1;
	}
	return n;
}

/* One entry per marker layer, in the order they first appear, after the colours. */
static size_t layer_items(const struct map *m, struct legend_item *items, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < m->marker_count && n < max; i++) {
		const struct marker *mk = &m->markers[i];
		bool seen = !mk->layer[0];
		for (size_t k = 0; k < n && !seen; k++) {
			seen = strcmp(items[k].text, mk->layer) == 0;
		}
		if (!seen) {
			items[n] = (struct legend_item){.symbol = (int)mk->symbol};
			snprintf(items[n].text, sizeof(items[n].text), "%s", mk->layer);
			n++;
		}
	}
	return n;
}

static void swatch(cairo_t *cr, const struct view *v, const struct rect *r,
		   const struct legend_item *item)
{
	cairo_save(cr);
	cairo_new_path(cr);
	draw_rounded_rect(cr, r, r->h * 0.2);
	draw_set_color(cr, item->color);
	cairo_fill_preserve(cr);
	if (item->hatched) {
		map_hatch(cr, v);
	}
	cairo_new_path(cr);
	cairo_restore(cr);
}

/* A row per item (beside the map) or all in one row (under it), shrunk until they fit. */
static void draw_items(cairo_t *cr, struct text_engine *te, const struct view *v,
		       const struct theme *theme, const struct legend_item *items, size_t n,
		       struct rect area, double size)
{
	struct text_style style = draw_text_style(theme->font, false, size, theme->text,
						  TEXT_ALIGN_LEFT);
	double total = 0;
	for (size_t i = 0; i < n; i++) {
		total += text_measure(te, cr, &style, items[i].text).width + size * 2.6;
	}
	if (!v->legend_side && total > area.w && total > 0) {
		style.size = fmax(size * area.w / total * 0.97, size * 0.5);
	}
	double s = style.size, x = area.x, y = area.y;
	for (size_t i = 0; i < n; i++) {
		struct rect box = {x, y + s * 0.12, s * 1.4, s * 1.0};
		if (items[i].symbol >= 0) {
			map_draw_symbol(cr, (enum symbol)items[i].symbol, x + s * 0.7, y + s * 0.62,
					s * 1.1, theme);
		} else {
			swatch(cr, v, &box, &items[i]);
		}
		double w = text_draw(te, cr, &style, x + s * 1.8, y + s * 0.98,
				     v->legend_side ? area.w - s * 1.8 : 0, items[i].text);
		if (v->legend_side) {
			y += s * 1.7;
		} else {
			x += w + s * 2.6;
		}
	}
}

static void draw_gradient(cairo_t *cr, struct text_engine *te, const struct map *m,
			  const struct view *v, const struct theme *theme, struct rect area,
			  double size)
{
	double lo, hi;
	map_scale_range(m, &lo, &hi);
	char low[64], high[64];
	int decimals = opts(m)->decimals;
	format_number(lo, decimals, true, low, sizeof(low));
	format_number(hi, decimals, true, high, sizeof(high));
	struct text_style style = draw_text_style(theme->font, false, size, theme->text,
						  TEXT_ALIGN_LEFT);
	double lw = text_measure(te, cr, &style, low).width + size * 0.6;
	double hw = text_measure(te, cr, &style, high).width + size * 0.6;
	/* Beside the map: the bar, its ends below. Under it: "13 [bar] 43" on one line. */
	struct rect bar = {area.x, area.y + size * 0.1, area.w, size * 0.9};
	if (!v->legend_side) {
		bar.x += lw;
		bar.w = fmin(area.w - lw - hw, size * 18);
	}
	cairo_pattern_t *p = cairo_pattern_create_linear(bar.x, 0, bar.x + bar.w, 0);
	struct color a = opts(m)->low_color;
	struct color b = opts(m)->high_color;
	cairo_pattern_add_color_stop_rgb(p, 0, a.r, a.g, a.b);
	cairo_pattern_add_color_stop_rgb(p, 1, b.r, b.g, b.b);
	draw_rounded_rect(cr, &bar, bar.h * 0.25);
	cairo_set_source(cr, p);
	cairo_fill(cr);
	cairo_pattern_destroy(p);
	if (v->legend_side) {
		double baseline = bar.y + bar.h + size * 1.2;
		text_draw(te, cr, &style, bar.x, baseline, bar.w / 2, low);
		style.align = TEXT_ALIGN_RIGHT;
		text_draw(te, cr, &style, bar.x + bar.w, baseline, bar.w / 2, high);
		return;
	}
	text_draw(te, cr, &style, area.x, area.y + size * 0.9, 0, low);
	text_draw(te, cr, &style, bar.x + bar.w + size * 0.6, area.y + size * 0.9, 0, high);
}

/* The gradient, and the stale entry below it (beside the map) or after it (under the map). */
static void draw_gradient_and_stale(cairo_t *cr, struct text_engine *te, const struct map *m,
				    const struct view *v, const struct theme *theme,
				    struct rect area, double size)
{
	struct legend_item item;
	if (!stale_item(m, theme, &item)) {
		draw_gradient(cr, te, m, v, theme, area, size);
		return;
	}
	struct text_style style = draw_text_style(theme->font, false, size, theme->text,
						  TEXT_ALIGN_LEFT);
	struct rect rest = area;
	if (v->legend_side) {
		rest.y += size * 3.2;
		rest.h -= size * 3.2;
	} else {
		double w = fmin(text_measure(te, cr, &style, item.text).width + size * 2.6,
				area.w * 0.4);
		rest.x += area.w - w;
		rest.w = w;
		area.w -= w + size;
	}
	draw_gradient(cr, te, m, v, theme, area, size);
	draw_items(cr, te, v, theme, &item, 1, rest, size);
}

void map_draw_legend(cairo_t *cr, const struct map *m, const struct view *v,
			const struct widget_ctx *ctx)
{
	const struct theme *theme = ctx->theme;
	struct rect area = v->legend;
	if (area.w <= 0 || area.h <= 0) {
		return;
	}
	double size = v->legend_side ? clampd(area.w * 0.075, 10, 26) : clampd(area.h * 0.32, 10, 26);
	size *= theme->label_scale; // small print, like every widget's (--check's legibility)
	if (!v->legend_side) {
		/* One line, centred in the band. */
		area.y += (area.h - size * 1.2) / 2;
	}
	if (m->status != DATA_OK || m->matched == 0) {
		struct text_style style = draw_text_style(theme->font, true, size * 1.2,
							  theme->states[STATE_NODATA].accent,
							  TEXT_ALIGN_LEFT);
		text_draw(ctx->text, cr, &style, area.x, area.y + size * 1.1, area.w,
			  opts(m)->nodata_text);
		return;
	}
	const char *title = opts(m)->legend_title;
	title = title[0] ? title : opts(m)->unit;
	if (title[0]) {
		struct text_style style = draw_text_style(theme->font, false, size, theme->muted,
							  TEXT_ALIGN_LEFT);
		double w = text_draw(ctx->text, cr, &style, area.x, area.y + size * 0.98,
				     v->legend_side ? area.w : area.w * 0.3, title);
		if (v->legend_side) {
			area.y += size * 1.8;
			area.h -= size * 1.8;
		} else {
			area.x += w + size * 1.5;
			area.w -= w + size * 1.5;
		}
	}
	if (!opts(m)->thresholds) {
		draw_gradient_and_stale(cr, ctx->text, m, v, theme, area, size);
		return;
	}
	struct legend_item items[40];
	size_t n = legend_items(m, theme, items, 32);
	n += layer_items(m, items + n, 6);
	draw_items(cr, ctx->text, v, theme, items, n, area, size);
}
