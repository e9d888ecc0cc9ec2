/*
 * map: where things go in the tile (title, map, legend) and the projection of the geometry
 * into it; the geometry simplified per scale (layout/geo_simplify.c, one copy per scale,
 * kept); district fills, one path per colour (hatched with one repeating pattern without
 * data) and outlines; and the two cached layers — fills, repainted per changed district, and
 * lines (outlines and names), drawn once per size and theme and kept packed to the squares
 * with ink — composited pixel-aligned. A map printing its values keeps no fills layer: it
 * paints them again in bands of rows on every change. Without the cache everything is drawn
 * directly.
 */

#include "widgets/map_internal.h"

#include "render/draw.h"
#include "util/log.h"
#include "util/xmalloc.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- geometry on screen --------------------------------------------------------------- */

static void place_legend(const struct map *m, struct rect inner, double pad, struct view *v)
{
	const struct geo *g = m->geo;
	double aspect = g && g->max_y > g->min_y
				? (g->max_x - g->min_x) * g->x_scale / (g->max_y - g->min_y)
				: 1.2;
	v->map = inner;
	v->legend = (struct rect){0};
	if (!opts(m)->legend || m->status == DATA_UNBOUND) {
		return;
	}
	v->legend_side = inner.w > inner.h * aspect * 1.25;
	if (v->legend_side) {
		double w = clampd(inner.w - inner.h * aspect, inner.w * 0.18, inner.w * 0.3);
		v->legend = (struct rect){inner.x + inner.w - w, inner.y, w, inner.h};
		v->map.w = inner.w - w - pad;
	} else {
		double h = clampd(inner.h * 0.13, 24, 110);
		v->legend = (struct rect){inner.x, inner.y + inner.h - h, inner.w, h};
		v->map.h = inner.h - h - pad / 2;
	}
}

void map_compute_view(const struct map *m, cairo_t *cr, const struct rect *r, struct view *v)
{
	*v = (struct view){0};
	double pad = clampd(fmin(r->w, r->h) * 0.04, 6, 28);
	struct rect inner = {r->x + pad, r->y + pad, r->w - 2 * pad, r->h - 2 * pad};
	if (opts(m)->title[0]) {
		double size = clampd(fmin(r->h * 0.055, r->w * 0.045), 12, 40);
		v->title = (struct rect){inner.x, inner.y, inner.w, size};
		inner.y += size * 1.5;
		inner.h -= size * 1.5;
	}
	place_legend(m, inner, pad, v);
	cairo_matrix_t matrix;
	cairo_get_matrix(cr, &matrix);
	v->device = hypot(matrix.xx, matrix.yx);
	const struct geo *g = m->geo;
	if (!g) {
		return;
	}
	double gw = fmax((g->max_x - g->min_x) * g->x_scale, 1e-12);
	double gh = fmax(g->max_y - g->min_y, 1e-12);
	v->scale = fmax(fmin(v->map.w / gw, v->map.h / gh), 0);
	v->ox = v->map.x + (v->map.w - gw * v->scale) / 2 - g->min_x * g->x_scale * v->scale;
	v->oy = v->map.y + (v->map.h - gh * v->scale) / 2 + g->max_y * v->scale;
}

/* --- simplified geometry and the hatching, per scale ---------------------------------- */

/*
 * Half a device pixel in projected units, rounded down to a power of √2: a slightly resized
 * tile reuses its shape, and no point moves more than half a pixel.
 */
static double shape_tolerance(const struct view *v)
{
	double tol = 0.5 / fmax(v->device * v->scale, 1e-300);
	return exp2(floor(log2(tol) * 2) / 2);
}

static const struct geo_shape *shape_for(struct map *m, double tolerance)
{
	struct shape_entry *slot = &m->shapes[0];
	for (size_t i = 0; i < MAP_SHAPES; i++) {
		struct shape_entry *e = &m->shapes[i];
		if (e->shape && e->tolerance == tolerance) {
			e->used = ++m->shape_clock;
			return e->shape;
		}
		if (!e->shape || (slot->shape && e->used < slot->used)) {
			slot = e;
		}
	}
	geo_shape_destroy(slot->shape);
	*slot = (struct shape_entry){geo_simplify(m->geo, tolerance), tolerance, ++m->shape_clock};
	return slot->shape;
}

/* Diagonal lines 7 device pixels apart, as one repeating tile drawn once per theme (the
 * pattern's matrix maps it to device pixels at any scale). */
static cairo_pattern_t *hatch_pattern(const struct theme *theme)
{
	const int step = 7;
	cairo_surface_t *tile = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, step, step);
	cairo_t *cr = cairo_create(tile);
	struct color c = mix(theme->states[STATE_NODATA].accent,
			     map_state_fill(theme, STATE_NODATA), 0.45);
	/* Lines x + y = 0, step, 2 step: the tile repeats seamlessly in both directions. */
	for (int k = 0; k <= 2; k++) {
		cairo_move_to(cr, k * step + 1, -1);
		cairo_line_to(cr, -1, k * step + 1);
	}
	cairo_set_line_width(cr, step * 0.18);
	draw_set_color(cr, c);
	cairo_stroke(cr);
	cairo_destroy(cr);
	cairo_pattern_t *pattern = cairo_pattern_create_for_surface(tile);
	cairo_surface_destroy(tile);
	cairo_pattern_set_extend(pattern, CAIRO_EXTEND_REPEAT);
	cairo_pattern_set_filter(pattern, CAIRO_FILTER_NEAREST);
	return pattern;
}

void map_prepare(struct map *m, struct view *v, const struct theme *theme)
{
	m->shape = shape_for(m, shape_tolerance(v));
	if (!m->exact && m->geo->point_count <= MAP_EXACT_LABEL_POINTS) {
		m->exact = geo_simplify(m->geo, 0);
	}
	m->label_shape = m->exact ? m->exact : m->shape;
	if (!m->hatch || m->hatch_theme != theme) {
		if (m->hatch) {
			cairo_pattern_destroy(m->hatch);
		}
		m->hatch = hatch_pattern(theme);
		m->hatch_theme = theme;
	}
	/* Pattern space is device pixels from the map's corner, in every layer alike. */
	cairo_matrix_t matrix;
	cairo_matrix_init_scale(&matrix, v->device, v->device);
	cairo_matrix_translate(&matrix, -v->map.x, -v->map.y);
	cairo_pattern_set_matrix(m->hatch, &matrix);
	v->hatch = m->hatch;
}

void map_drop_caches(struct map *m)
{
	for (size_t i = 0; i < MAP_SHAPES; i++) {
		geo_shape_destroy(m->shapes[i].shape);
		m->shapes[i] = (struct shape_entry){0};
	}
	geo_shape_destroy(m->exact);
	m->exact = NULL;
	m->shape = m->label_shape = NULL;
	if (m->hatch) {
		cairo_pattern_destroy(m->hatch);
		m->hatch = NULL;
	}
}

void map_hatch(cairo_t *cr, const struct view *v)
{
	cairo_set_source(cr, v->hatch);
	cairo_fill_preserve(cr);
}

/* --- fills and outlines --------------------------------------------------------------- */

/* Adds the rings of area feature i, as simplified for this scale, to the path. */
static void feature_path(cairo_t *cr, const struct map *m, const struct view *v, size_t i)
{
	const struct geo_shape *sh = m->shape;
	double s = v->scale, x0 = v->ox + sh->ox * s, y0 = v->oy - sh->oy * s;
	for (uint32_t r = sh->feature_rings[i]; r < sh->feature_rings[i + 1]; r++) {
		const struct geo_shape_point *p = sh->points + sh->rings[r].first;
		cairo_move_to(cr, x0 + p[0].x * s, y0 - p[0].y * s);
		for (uint32_t k = 1; k < sh->rings[r].count; k++) {
			cairo_line_to(cr, x0 + p[k].x * s, y0 - p[k].y * s);
		}
		cairo_close_path(cr);
	}
}

/* A point feature's dot, turning the way the rings do, so non-zero fills it with them. */
static void point_path(cairo_t *cr, const struct map *m, const struct view *v,
		       const struct geo_feature *f)
{
	double x, y;
	project(m, v, f->label.x, f->label.y, &x, &y);
	cairo_new_sub_path(cr);
	cairo_arc_negative(cr, x, y, opts(m)->marker_size * 0.35, 2 * M_PI, 0);
	cairo_close_path(cr);
}

static void any_path(cairo_t *cr, const struct map *m, const struct view *v, size_t i)
{
	const struct geo_feature *f = &m->geo->features[i];
	if (f->kind == GEO_POINT) {
		point_path(cr, m, v, f);
	} else {
		feature_path(cr, m, v, i);
	}
}

/* Fills the current path in `c`, hatched when it has no data; the path is consumed. */
static void fill_path(cairo_t *cr, const struct view *v, struct color c, bool data)
{
	draw_set_color(cr, c);
	if (data) {
		cairo_fill(cr);
		return;
	}
	cairo_fill_preserve(cr);
	cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
	map_hatch(cr, v);
	cairo_new_path(cr);
}

struct fill_key {
	uint32_t color; // 0: no data (drawn first); else 1 << 24 | RGB
	uint32_t feature;
};

static int by_color(const void *a, const void *b)
{
	const struct fill_key *x = a, *y = b;
	if (x->color != y->color) {
		return x->color < y->color ? -1 : 1;
	}
	return x->feature < y->feature ? -1 : x->feature > y->feature;
}

static uint32_t color_key(struct color c, bool data)
{
	uint32_t r = (uint32_t)lround(clampd(c.r, 0, 1) * 255);
	uint32_t g = (uint32_t)lround(clampd(c.g, 0, 1) * 255);
	uint32_t b = (uint32_t)lround(clampd(c.b, 0, 1) * 255);
	return data ? 1u << 24 | r << 16 | g << 8 | b : 0;
}

/* The device box of cr's clip (the whole of a huge box when there is none). */
static void clip_device_box(cairo_t *cr, double box[4])
{
	double x0, y0, x1, y1;
	cairo_clip_extents(cr, &x0, &y0, &x1, &y1);
	cairo_user_to_device(cr, &x0, &y0);
	cairo_user_to_device(cr, &x1, &y1);
	box[0] = fmin(x0, x1), box[1] = fmin(y0, y1), box[2] = fmax(x0, x1), box[3] = fmax(y0, y1);
}

/*
 * Whether district i may paint inside the device box `clip`: its bounding box, projected (the
 * projection is linear in each axis) with two pixels for anti-aliasing. A path wholly outside
 * the clip changes no pixel in it, whatever the other paths of its colour.
 */
static bool meets_clip(cairo_t *cr, const struct map *m, const struct view *v, size_t i,
		       const double clip[4])
{
	const struct geo_feature *f = &m->geo->features[i];
	if (f->kind != GEO_AREA) {
		return true; // a point's mark reaches past its box
	}
	double x0, y0, x1, y1;
	project(m, v, f->min_x, f->min_y, &x0, &y0);
	project(m, v, f->max_x, f->max_y, &x1, &y1);
	cairo_user_to_device(cr, &x0, &y0);
	cairo_user_to_device(cr, &x1, &y1);
	return fmax(x0, x1) + 2 >= clip[0] && fmin(x0, x1) - 2 <= clip[2] &&
	       fmax(y0, y1) + 2 >= clip[1] && fmin(y0, y1) - 2 <= clip[3];
}

/*
 * Every fill, one path per colour: 24,000 overlapping districts without data are one fill and
 * one pattern fill, not 24,000 clips hatched line by line.
 */
static void draw_all_fills(cairo_t *cr, struct map *m, const struct view *v,
			   const struct theme *theme)
{
	size_t n = m->geo->feature_count;
	struct fill_key *keys = xcalloc(n ? n : 1, sizeof(*keys));
	struct color *colors = xcalloc(n ? n : 1, sizeof(*colors));
	for (size_t i = 0; i < n; i++) {
		bool data = map_feature_fill(m, i, theme, &colors[i]);
		keys[i] = (struct fill_key){color_key(colors[i], data), (uint32_t)i};
		m->changed[i] = false;
	}
	qsort(keys, n, sizeof(*keys), by_color);
	double clip[4]; // a map drawn in place, or a band: most districts lie outside
	clip_device_box(cr, clip);
	cairo_save(cr);
	for (size_t i = 0; i < n;) {
		size_t end = i;
		cairo_new_path(cr);
		for (; end < n && keys[end].color == keys[i].color; end++) {
			if (meets_clip(cr, m, v, keys[end].feature, clip)) {
				any_path(cr, m, v, keys[end].feature);
			}
		}
		fill_path(cr, v, colors[keys[i].feature], keys[i].color != 0);
		i = end;
	}
	cairo_restore(cr);
	free(keys);
	free(colors);
}

/* The heights of feature i's rings added up (projected units). */
static double rings_height(const struct geo_shape *sh, size_t i)
{
	double sum = 0;
	for (uint32_t r = sh->feature_rings[i]; r < sh->feature_rings[i + 1]; r++) {
		const struct geo_shape_point *p = sh->points + sh->rings[r].first;
		float y0 = p[0].y, y1 = p[0].y;
		for (uint32_t k = 1; k < sh->rings[r].count; k++) {
			y0 = fminf(y0, p[k].y), y1 = fmaxf(y1, p[k].y);
		}
		sum += y1 - y0;
	}
	return sum;
}

/*
 * All outlines in as few strokes as possible: one for districts that tile the map (their
 * heights add up to a few map heights). cairo's stroker slows down with the outlines crossing
 * each row, so features piled on each other are stroked a few map heights' worth at a time.
 */
static void draw_outlines(cairo_t *cr, const struct map *m, const struct view *v,
			  const struct theme *theme)
{
	double width = clampd(fmin(v->map.w, v->map.h) * 0.0035, 0.8, 4);
	cairo_set_line_width(cr, fmax(width, 1 / fmax(v->device, 1e-6)));
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	draw_set_color(cr, theme->background);
	if (m->shape->length * v->scale > MAP_OUTLINE_INK * (v->map.w + v->map.h)) {
		char key[128];
		snprintf(key, sizeof(key), "%s:outlines", m->log_key);
		log_once(LOG_WARN, key, "map %s: outlines %.0f times the map's size: drawn without "
			 "them (more than %d)", m->tile->id,
			 m->shape->length * v->scale / (v->map.w + v->map.h), MAP_OUTLINE_INK);
		return;
	}
	double budget = 8 * v->map.h / fmax(v->scale, 1e-300), rows = 0;
	cairo_new_path(cr);
	for (size_t i = 0; i < m->geo->feature_count; i++) {
		if (m->geo->features[i].kind != GEO_AREA) {
			continue;
		}
		double h = rings_height(m->shape, i);
		if (rows > 0 && rows + h > budget) {
			cairo_stroke(cr);
			rows = 0;
		}
		feature_path(cr, m, v, i);
		rows += h;
	}
	cairo_stroke(cr);
}

/* --- layers --------------------------------------------------------------------------- */

void map_drop_layer(struct layer *l)
{
	if (l->surface) {
		cairo_surface_destroy(l->surface);
	}
	free(l->squares);
	budget_release(l->budget, BUDGET_MAP_LAYERS, l->bytes);
	*l = (struct layer){0};
}

static bool same_key(const struct cache_key *a, const struct cache_key *b)
{
	return a->theme == b->theme && a->matrix.xx == b->matrix.xx &&
	       a->matrix.yx == b->matrix.yx && a->matrix.xy == b->matrix.xy &&
	       a->matrix.yy == b->matrix.yy && a->matrix.x0 == b->matrix.x0 &&
	       a->matrix.y0 == b->matrix.y0 && a->map.x == b->map.x && a->map.y == b->map.y &&
	       a->map.w == b->map.w && a->map.h == b->map.h;
}

/*
 * Clears a kept layer of this place and size instead of a new one: a map printing its values
 * rebuilds its fills on every change, and a new surface of that size is fresh pages from the
 * kernel each time (at 7680x2160 an 11 MB layer: 2,800 page faults a change, half the
 * rebuild's CPU).
 */
static bool reuse_layer(struct layer *l, const struct budget *budget, int x, int y, double w,
			double h)
{
	if (!l->surface || l->transient || l->squares || l->budget != budget || l->x != x || l->y != y ||
	    cairo_image_surface_get_width(l->surface) != w ||
	    cairo_image_surface_get_height(l->surface) != h) {
		return false;
	}
	cairo_surface_flush(l->surface);
	memset(cairo_image_surface_get_data(l->surface), 0,
	       (size_t)cairo_image_surface_get_stride(l->surface) * (size_t)h);
	cairo_surface_mark_dirty(l->surface);
	return true;
}

/* `area` in whole device pixels: the box a layer of it covers. */
static void device_box(cairo_t *cr, const struct rect *area, double *ix, double *iy, double *w,
		       double *h)
{
	double x0 = area->x, y0 = area->y, x1 = area->x + area->w, y1 = area->y + area->h;
	cairo_user_to_device(cr, &x0, &y0);
	cairo_user_to_device(cr, &x1, &y1);
	*ix = floor(fmin(x0, x1));
	*iy = floor(fmin(y0, y1));
	*w = ceil(fmax(x0, x1)) - *ix;
	*h = ceil(fmax(y0, y1)) - *iy;
}

/*
 * A new transparent surface over `area` in whole device pixels, and a context on it that
 * draws in the same virtual units as `cr`; NULL when the area is empty or too large (then the
 * map is drawn directly). Over the budget the layer is transient: drawn, composited and
 * dropped in the same draw, so the pixels never depend on whether the cache had room (with
 * tiles drawn on several threads, which map is refused depends on timing).
 */
static cairo_t *layer_begin(struct layer *l, cairo_t *cr, const struct rect *area,
			    struct budget *budget)
{
	double ix, iy, w, h;
	device_box(cr, area, &ix, &iy, &w, &h);
	if (reuse_layer(l, budget, (int)ix, (int)iy, w, h)) {
		return cairo_create(l->surface);
	}
	map_drop_layer(l);
	if (!(w >= 1 && h >= 1 && w <= 16384 && h <= 16384)) {
		return NULL;
	}
	size_t bytes = (size_t)cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, (int)w) *
		       (size_t)h;
	if (budget_charge(budget, BUDGET_MAP_LAYERS, bytes)) {
		l->budget = budget;
		l->bytes = bytes;
	} else {
		l->transient = true;
	}
	l->surface = cairo_surface_create_similar_image(cairo_get_target(cr), CAIRO_FORMAT_ARGB32,
							(int)w, (int)h);
	if (cairo_surface_status(l->surface) != CAIRO_STATUS_SUCCESS) {
		map_drop_layer(l);
		return NULL;
	}
	l->x = (int)ix;
	l->y = (int)iy;
	return cairo_create(l->surface);
}

/* A context on an existing layer, with `cr`'s transform moved to the layer's origin. */
static cairo_t *layer_context(const struct layer *l, cairo_t *cr)
{
	cairo_t *lcr = cairo_create(l->surface);
	cairo_matrix_t matrix;
	cairo_get_matrix(cr, &matrix);
	matrix.x0 -= l->x;
	matrix.y0 -= l->y;
	cairo_set_matrix(lcr, &matrix);
	return lcr;
}

/*
 * Packs a layer that is mostly transparent — the lines: thin outlines over a map's box, which
 * at 7680x2160 is a 10 MB surface — into its squares with ink, one under another, when that
 * saves a third or more. Compositing the squares gives the bytes compositing the whole layer
 * gives: over a transparent pixel nothing changes, and the squares are pixel-aligned.
 */
static void pack_layer(struct layer *l)
{
	int w = cairo_image_surface_get_width(l->surface);
	int h = cairo_image_surface_get_height(l->surface);
	int stride = cairo_image_surface_get_stride(l->surface);
	cairo_surface_flush(l->surface);
	const unsigned char *data = cairo_image_surface_get_data(l->surface);
	int across = (w + LAYER_SQUARE - 1) / LAYER_SQUARE, down = (h + LAYER_SQUARE - 1) / LAYER_SQUARE;
	struct layer_square *squares = xcalloc((size_t)across * (size_t)down, sizeof(*squares));
	size_t count = 0;
	for (int sy = 0; sy < down; sy++) {
		for (int sx = 0; sx < across; sx++) {
			int x0 = sx * LAYER_SQUARE, y0 = sy * LAYER_SQUARE;
			int x1 = x0 + LAYER_SQUARE < w ? x0 + LAYER_SQUARE : w;
			int y1 = y0 + LAYER_SQUARE < h ? y0 + LAYER_SQUARE : h;
			bool ink = false;
			for (int y = y0; y < y1 && !ink; y++) {
				const uint32_t *row = (const uint32_t *)(data + (size_t)y * (size_t)stride);
				for (int x = x0; x < x1 && !ink; x++) {
					ink = row[x] != 0;
				}
			}
			if (ink) {
				squares[count++] = (struct layer_square){x0, y0};
			}
		}
	}
	size_t bytes = (size_t)cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, LAYER_SQUARE) *
		       LAYER_SQUARE * count;
	if (count == 0 || bytes * 3 > l->bytes * 2 || count > INT_MAX / LAYER_SQUARE) {
		free(squares);
		return;
	}
	cairo_surface_t *packed = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, LAYER_SQUARE,
							     (int)count * LAYER_SQUARE);
	cairo_t *cr = cairo_create(packed);
	cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
	for (size_t i = 0; i < count; i++) {
		cairo_set_source_surface(cr, l->surface, -squares[i].x,
					 (double)i * LAYER_SQUARE - squares[i].y);
		cairo_rectangle(cr, 0, (double)i * LAYER_SQUARE, LAYER_SQUARE, LAYER_SQUARE);
		cairo_fill(cr);
		squares[i].x += l->x;
		squares[i].y += l->y;
	}
	cairo_destroy(cr);
	if (cairo_surface_status(packed) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(packed);
		for (size_t i = 0; i < count; i++) {
			squares[i].x -= l->x;
			squares[i].y -= l->y;
		}
		free(squares);
		return;
	}
	cairo_surface_destroy(l->surface);
	l->surface = packed;
	l->squares = xrealloc(squares, count * sizeof(*squares));
	l->square_count = count;
	budget_release(l->budget, BUDGET_MAP_LAYERS, l->bytes - bytes);
	l->bytes = bytes;
}

static void composite(cairo_t *cr, const struct layer *l)
{
	cairo_save(cr);
	cairo_identity_matrix(cr);
	if (!l->squares) {
		cairo_set_source_surface(cr, l->surface, l->x, l->y);
		cairo_paint(cr);
	}
	for (size_t i = 0; i < l->square_count; i++) {
		const struct layer_square *q = &l->squares[i];
		cairo_set_source_surface(cr, l->surface, q->x, q->y - (double)i * LAYER_SQUARE);
		cairo_rectangle(cr, q->x, q->y, LAYER_SQUARE, LAYER_SQUARE);
		cairo_fill(cr);
	}
	cairo_restore(cr);
}

/*
 * The Han river. The bundled cartogram says which bank each square is on ("bank": "north" or
 * "south") and leaves a gap between the banks; the river is drawn as a band in that gap, the
 * map's whole width, so the squares read as Seoul (issue 15). Files without "bank" (real
 * boundaries, whose districts meet in the river) get it along those edges (map_river.c).
 */
static void draw_river(cairo_t *cr, struct map *m, const struct view *v)
{
	const struct geo *g = m->geo;
	if (!opts(m)->river) {
		return;
	}
	double north = INFINITY, south = -INFINITY, west = INFINITY, east = -INFINITY;
	for (size_t i = 0; i < g->feature_count; i++) {
		const struct geo_feature *f = &g->features[i];
		const char *bank = geo_property(g, f, "bank");
		if (!bank) {
			continue;
		}
		if (strcmp(bank, "north") == 0) {
			north = fmin(north, f->min_y);
		} else if (strcmp(bank, "south") == 0) {
			south = fmax(south, f->max_y);
		}
		west = fmin(west, f->min_x);
		east = fmax(east, f->max_x);
	}
	if (!(north > south) || !isfinite(west) || !isfinite(east)) {
		map_draw_shared_river(cr, m, v);
		return;
	}
	double x0, y0, x1, y1;
	project(m, v, west, north, &x0, &y0);
	project(m, v, east, south, &x1, &y1);
	double inset = (y1 - y0) * 0.2; // water between the banks, not touching the squares
	cairo_save(cr);
	cairo_rectangle(cr, x0, y0 + inset, x1 - x0, y1 - y0 - 2 * inset);
	cairo_set_source_rgba(cr, 0.22, 0.48, 0.78, 0.6);
	cairo_fill(cr);
	cairo_restore(cr);
}

static bool build_lines(struct map *m, cairo_t *cr, const struct view *v,
			const struct widget_ctx *ctx, const struct rect *area)
{
	cairo_t *lcr = layer_begin(&m->lines, cr, area, ctx->budget);
	if (!lcr) {
		return false;
	}
	cairo_destroy(lcr);
	lcr = layer_context(&m->lines, cr);
	draw_outlines(lcr, m, v, ctx->theme);
	draw_river(lcr, m, v); // over the outlines: boundaries stop at the water's edge
	if (!opts(m)->show_values) {
		map_place_labels(m, lcr, ctx->text, v, ctx->theme);
		map_labels_ink_changed(m, ctx->theme);
		if (!map_names_over_links(m)) {
			map_draw_labels(lcr, ctx->text, m, v, ctx->theme);
		}
	}
	cairo_destroy(lcr);
	if (!m->lines.transient) {
		pack_layer(&m->lines);
	}
	return true;
}

bool map_changed_box(cairo_t *cr, const struct map *m, const struct view *v, double box[4])
{
	double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
	for (size_t i = 0; i < m->geo->feature_count; i++) {
		if (!m->changed[i]) {
			continue;
		}
		double a, b, c, d;
		cairo_new_path(cr);
		any_path(cr, m, v, i);
		cairo_path_extents(cr, &a, &b, &c, &d);
		cairo_user_to_device(cr, &a, &b);
		cairo_user_to_device(cr, &c, &d);
		x0 = fmin(x0, fmin(a, c)), y0 = fmin(y0, fmin(b, d));
		x1 = fmax(x1, fmax(a, c)), y1 = fmax(y1, fmax(b, d));
	}
	cairo_new_path(cr);
	box[0] = x0, box[1] = y0, box[2] = x1, box[3] = y1;
	return x1 >= x0 && y1 >= y0;
}

/*
 * The changed districts in place: the layer is cleared over the whole device pixels their
 * paths touch and every fill is painted again inside that box, so the layer holds the bytes a
 * fresh one would (painting a district over its old colour would leave the old colour in its
 * anti-aliased edge, and a window would differ from a screenshot of the same moment).
 */
static void redraw_changed_fills(cairo_t *lcr, struct map *m, const struct view *v,
				 const struct theme *theme)
{
	double box[4];
	if (!map_changed_box(lcr, m, v, box)) {
		return;
	}
	double x0 = box[0], y0 = box[1], x1 = box[2], y1 = box[3];
	cairo_matrix_t user;
	cairo_get_matrix(lcr, &user);
	cairo_save(lcr);
	cairo_identity_matrix(lcr);
	cairo_rectangle(lcr, floor(x0) - 1, floor(y0) - 1, ceil(x1) - floor(x0) + 2,
			ceil(y1) - floor(y0) + 2);
	cairo_clip(lcr);
	cairo_set_operator(lcr, CAIRO_OPERATOR_CLEAR);
	cairo_paint(lcr);
	cairo_set_operator(lcr, CAIRO_OPERATOR_OVER);
	cairo_set_matrix(lcr, &user);
	draw_all_fills(lcr, m, v, theme);
	cairo_restore(lcr);
}

/*
 * The fills layer of a map not printing values (those paint in bands): whole when the size,
 * theme or colour scale changed; else the changed districts in place.
 */
static bool update_fills(struct map *m, cairo_t *cr, const struct view *v,
			 const struct widget_ctx *ctx, const struct rect *area)
{
	bool any = false;
	for (size_t i = 0; i < m->geo->feature_count; i++) {
		any |= m->changed[i];
	}
	if (m->fills.surface && m->fills_valid) {
		if (any) {
			cairo_t *lcr = layer_context(&m->fills, cr);
			redraw_changed_fills(lcr, m, v, ctx->theme);
			cairo_destroy(lcr);
		}
		return true;
	}
	cairo_t *lcr = layer_begin(&m->fills, cr, area, ctx->budget);
	if (!lcr) {
		return false;
	}
	cairo_destroy(lcr);
	lcr = layer_context(&m->fills, cr);
	draw_all_fills(lcr, m, v, ctx->theme);
	cairo_destroy(lcr);
	m->fills_valid = true;
	return true;
}

/*
 * A map printing its values paints every fill and label again on each change, so a fills
 * layer would keep a whole ARGB32 surface of the map's box (10 MB at 7680x2160) for nothing
 * but the next draw. They are painted a band of rows at a time into one small surface
 * instead, each band put into the frame where the layer would have been. Bands are disjoint
 * and each is the layer's rows moved by whole pixels: the frame gets the same bytes.
 */
#define FILL_BAND_ROWS 128

/*
 * One band: only inside the frame's clip (a map drawn in place is clipped to what changed),
 * which gives the same pixels there: the clip is whole device pixels.
 */
static void paint_band(struct map *m, cairo_t *cr, const struct layer *band, const double clip[4],
		       const struct view *v, const struct widget_ctx *ctx)
{
	cairo_t *lcr = layer_context(band, cr);
	cairo_save(lcr);
	cairo_identity_matrix(lcr);
	cairo_rectangle(lcr, clip[0] - band->x, clip[1] - band->y, clip[2] - clip[0],
			clip[3] - clip[1]);
	cairo_restore(lcr);
	cairo_clip(lcr);
	draw_all_fills(lcr, m, v, ctx->theme);
	if (!map_names_over_links(m)) { // else drawn over the links, once
		map_draw_labels(lcr, ctx->text, m, v, ctx->theme);
	}
	cairo_destroy(lcr);
}

static bool draw_fills_banded(struct map *m, cairo_t *cr, const struct view *v,
			      const struct widget_ctx *ctx, const struct rect *area)
{
	double ix, iy, w, h;
	device_box(cr, area, &ix, &iy, &w, &h);
	if (!(w >= 1 && h >= 1 && w <= 16384 && h <= 16384)) {
		return false;
	}
	int top = (int)iy, height = (int)h, rows = height < FILL_BAND_ROWS ? height : FILL_BAND_ROWS;
	struct layer band = {.x = (int)ix, .y = top, .transient = true};
	band.surface = cairo_surface_create_similar_image(cairo_get_target(cr),
							  CAIRO_FORMAT_ARGB32, (int)w, rows);
	if (cairo_surface_status(band.surface) != CAIRO_STATUS_SUCCESS) {
		map_drop_layer(&band);
		return false;
	}
	if (!m->labels_placed) {
		cairo_t *lcr = layer_context(&band, cr);
		map_place_labels(m, lcr, ctx->text, v, ctx->theme);
		cairo_destroy(lcr);
	}
	double clip[4];
	clip_device_box(cr, clip);
	bool used = false; // the band surface holds a painted band
	for (int y = 0; y < height; y += rows) {
		int shown = height - y < rows ? height - y : rows; // the last only as far as the layer
		band.y = top + y;
		if (band.y >= clip[3] || band.y + shown <= clip[1]) {
			continue; // outside the clip: the frame keeps its pixels there anyway
		}
		if (used) {
			cairo_surface_flush(band.surface);
			memset(cairo_image_surface_get_data(band.surface), 0,
			       (size_t)cairo_image_surface_get_stride(band.surface) * (size_t)rows);
			cairo_surface_mark_dirty(band.surface);
		}
		paint_band(m, cr, &band, clip, v, ctx);
		used = true;
		cairo_save(cr);
		cairo_identity_matrix(cr);
		cairo_set_source_surface(cr, band.surface, band.x, band.y);
		cairo_rectangle(cr, band.x, band.y, cairo_image_surface_get_width(band.surface), shown);
		cairo_fill(cr);
		cairo_restore(cr);
	}
	memset(m->changed, 0, m->geo->feature_count * sizeof(*m->changed)); // no layer to differ from
	map_drop_layer(&band);
	return true;
}

static bool draw_cached(struct map *m, cairo_t *cr, const struct view *v,
			const struct widget_ctx *ctx)
{
	struct cache_key key = {.theme = ctx->theme, .map = v->map};
	cairo_get_matrix(cr, &key.matrix);
	if (!m->have_key || !same_key(&key, &m->key)) {
		map_drop_layer(&m->fills);
		map_drop_layer(&m->lines);
		m->key = key;
		m->have_key = true;
	}
	/* Names in the lines layer take their ink from the fills under them. */
	if (m->lines.surface && !opts(m)->show_values && map_labels_ink_changed(m, ctx->theme)) {
		map_drop_layer(&m->lines);
	}
	/* Outlines are stroked half outside the map's box. */
	double margin = 4;
	struct rect area = {v->map.x - margin, v->map.y - margin, v->map.w + 2 * margin,
			    v->map.h + 2 * margin};
	bool banded = opts(m)->show_values;
	if ((!m->lines.surface && !build_lines(m, cr, v, ctx, &area)) ||
	    (!banded && !update_fills(m, cr, v, ctx, &area))) {
		map_drop_layer(&m->fills);
		map_drop_layer(&m->lines);
		return false;
	}
	if (banded) {
		map_drop_layer(&m->fills);
		if (!draw_fills_banded(m, cr, v, ctx, &area)) {
			map_drop_layer(&m->lines);
			return false;
		}
	} else {
		composite(cr, &m->fills);
	}
	composite(cr, &m->lines);
	if (m->fills.transient || m->lines.transient) {
		/* Both or neither: one layer alone saves no drawing. Tried again next draw. */
		map_drop_layer(&m->fills);
		map_drop_layer(&m->lines);
		m->fills_valid = false;
	}
	return true;
}

static void draw_direct(struct map *m, cairo_t *cr, const struct view *v,
			const struct widget_ctx *ctx)
{
	cairo_save(cr);
	draw_all_fills(cr, m, v, ctx->theme);
	draw_outlines(cr, m, v, ctx->theme);
	draw_river(cr, m, v);
	map_place_labels(m, cr, ctx->text, v, ctx->theme);
	if (!map_names_over_links(m)) {
		map_draw_labels(cr, ctx->text, m, v, ctx->theme);
	}
	cairo_restore(cr);
}

void map_draw_districts(struct map *m, cairo_t *cr, const struct view *v,
			const struct widget_ctx *ctx)
{
	/* The cached layers hold the whole map; a zoomed one is drawn directly (crisp). */
	if (!opts(m)->cache || m->zoom.k != 1 || !draw_cached(m, cr, v, ctx)) {
		draw_direct(m, cr, v, ctx);
	}
}
