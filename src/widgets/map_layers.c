/*
 * map: where things go in the tile (title, map, legend) and the projection of the geometry
 * into it; district fills (hatched without data) and outlines; and the two cached layers —
 * fills, repainted per changed district, and lines (outlines and names), drawn once per size
 * and theme — composited pixel-aligned. Without the cache everything is drawn directly.
 */

#include "widgets/map_internal.h"

#include "render/draw.h"

#include <math.h>

/* --- geometry on screen --------------------------------------------------------------- */

static void place_legend(const struct map *m, struct rect inner, double pad, struct view *v)
{
	const struct geo *g = m->geo;
	double aspect = g && g->max_y > g->min_y
				? (g->max_x - g->min_x) * g->x_scale / (g->max_y - g->min_y)
				: 1.2;
	v->map = inner;
	v->legend = (struct rect){0};
	if (!option_bool(opts(m), "legend") || m->status == DATA_UNBOUND) {
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
	if (option_text(opts(m), "title")[0]) {
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

/* The outline of an area feature; points closer than half a pixel are skipped. */
static void feature_path(cairo_t *cr, const struct map *m, const struct view *v,
			 const struct geo_feature *f)
{
	const struct geo *g = m->geo;
	double min_step = 0.5 / fmax(v->device, 1e-6);
	for (size_t p = 0; p < f->polygon_count; p++) {
		const struct geo_polygon *poly = &g->polygons[f->first_polygon + p];
		for (size_t r = 0; r < poly->count; r++) {
			const struct geo_ring *ring = &g->rings[poly->first + r];
			double lx, ly;
			project(m, v, g->points[ring->first].x, g->points[ring->first].y, &lx, &ly);
			cairo_move_to(cr, lx, ly);
			for (size_t i = 1; i < ring->count; i++) {
				double x, y;
				const struct geo_point *pt = &g->points[ring->first + i];
				project(m, v, pt->x, pt->y, &x, &y);
				if (fabs(x - lx) + fabs(y - ly) >= min_step || i + 1 == ring->count) {
					cairo_line_to(cr, x, y);
					lx = x, ly = y;
				}
			}
			cairo_close_path(cr);
		}
	}
}

/* Diagonal lines over the current clip: the "no data" hatching. */
void map_hatch(cairo_t *cr, const struct view *v, struct color c)
{
	double x0, y0, x1, y1;
	cairo_clip_extents(cr, &x0, &y0, &x1, &y1);
	double step = fmax(7 / fmax(v->device, 1e-6), (x1 - x0 + y1 - y0) / 400);
	for (double d = x0 - (y1 - y0); d < x1; d += step) {
		cairo_move_to(cr, d, y1);
		cairo_line_to(cr, d + (y1 - y0), y0);
	}
	cairo_set_line_width(cr, fmax(1.2 / fmax(v->device, 1e-6), step * 0.18));
	draw_set_color(cr, c);
	cairo_stroke(cr);
}

static void draw_point_feature(cairo_t *cr, const struct map *m, const struct view *v,
			       const struct geo_feature *f, struct color c)
{
	double x, y;
	project(m, v, f->label.x, f->label.y, &x, &y);
	cairo_new_sub_path(cr);
	cairo_arc(cr, x, y, option_number(opts(m), "marker_size") * 0.35, 0, 2 * M_PI);
	draw_set_color(cr, c);
	cairo_fill(cr);
}

/* One feature's fill; `replace` paints over what the layer held (an update in place). */
static void draw_fill(cairo_t *cr, const struct map *m, const struct view *v,
		      const struct theme *theme, size_t i, bool replace)
{
	const struct geo_feature *f = &m->geo->features[i];
	struct color c;
	bool data = map_feature_fill(m, i, theme, &c);
	if (f->kind == GEO_POINT) {
		draw_point_feature(cr, m, v, f, c);
		return;
	}
	cairo_save(cr);
	cairo_new_path(cr);
	feature_path(cr, m, v, f);
	cairo_set_operator(cr, replace ? CAIRO_OPERATOR_SOURCE : CAIRO_OPERATOR_OVER);
	draw_set_color(cr, c);
	if (!data) {
		cairo_clip_preserve(cr);
		cairo_fill(cr);
		cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
		map_hatch(cr, v, mix(theme->states[STATE_NODATA].accent, c, 0.45));
	} else {
		cairo_fill(cr);
	}
	cairo_restore(cr);
}

static void draw_outlines(cairo_t *cr, const struct map *m, const struct view *v,
			  const struct theme *theme)
{
	cairo_new_path(cr);
	for (size_t i = 0; i < m->geo->feature_count; i++) {
		if (m->geo->features[i].kind == GEO_AREA) {
			feature_path(cr, m, v, &m->geo->features[i]);
		}
	}
	double width = clampd(fmin(v->map.w, v->map.h) * 0.0035, 0.8, 4);
	cairo_set_line_width(cr, fmax(width, 1 / fmax(v->device, 1e-6)));
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	draw_set_color(cr, theme->background);
	cairo_stroke(cr);
}

/* --- layers --------------------------------------------------------------------------- */

void map_drop_layer(struct layer *l)
{
	if (l->surface) {
		cairo_surface_destroy(l->surface);
	}
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

/* A new transparent surface over `area` in whole device pixels, and a context on it that
 * draws in the same virtual units as `cr`; NULL when the area is empty or too large. */
static cairo_t *layer_begin(struct layer *l, cairo_t *cr, const struct rect *area)
{
	double x0 = area->x, y0 = area->y, x1 = area->x + area->w, y1 = area->y + area->h;
	cairo_user_to_device(cr, &x0, &y0);
	cairo_user_to_device(cr, &x1, &y1);
	double ix = floor(fmin(x0, x1)), iy = floor(fmin(y0, y1));
	double w = ceil(fmax(x0, x1)) - ix, h = ceil(fmax(y0, y1)) - iy;
	map_drop_layer(l);
	if (!(w >= 1 && h >= 1 && w <= 16384 && h <= 16384)) {
		return NULL;
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
	cairo_set_fill_rule(lcr, CAIRO_FILL_RULE_EVEN_ODD);
	return lcr;
}

static void composite(cairo_t *cr, const struct layer *l)
{
	cairo_save(cr);
	cairo_identity_matrix(cr);
	cairo_set_source_surface(cr, l->surface, l->x, l->y);
	cairo_paint(cr);
	cairo_restore(cr);
}

static void draw_all_fills(cairo_t *cr, struct map *m, const struct view *v,
			   const struct theme *theme)
{
	for (size_t i = 0; i < m->geo->feature_count; i++) {
		draw_fill(cr, m, v, theme, i, false);
		m->changed[i] = false;
	}
}

static bool build_lines(struct map *m, cairo_t *cr, const struct view *v,
			const struct widget_ctx *ctx, const struct rect *area)
{
	cairo_t *lcr = layer_begin(&m->lines, cr, area);
	if (!lcr) {
		return false;
	}
	cairo_destroy(lcr);
	lcr = layer_context(&m->lines, cr);
	draw_outlines(lcr, m, v, ctx->theme);
	if (!option_bool(opts(m), "show_values")) {
		map_place_labels(m, lcr, ctx->text, v, ctx->theme);
		map_draw_labels(lcr, ctx->text, m, v, ctx->theme);
	}
	cairo_destroy(lcr);
	return true;
}

/* Whole when the size, theme or colour scale changed or values are printed; else in place. */
static bool update_fills(struct map *m, cairo_t *cr, const struct view *v,
			 const struct widget_ctx *ctx, const struct rect *area)
{
	bool values = option_bool(opts(m), "show_values"), any = false;
	for (size_t i = 0; i < m->geo->feature_count; i++) {
		any |= m->changed[i];
	}
	if (m->fills.surface && m->fills_valid && !(values && any)) {
		if (any) {
			cairo_t *lcr = layer_context(&m->fills, cr);
			for (size_t i = 0; i < m->geo->feature_count; i++) {
				if (m->changed[i]) {
					draw_fill(lcr, m, v, ctx->theme, i, true);
					m->changed[i] = false;
				}
			}
			cairo_destroy(lcr);
		}
		return true;
	}
	cairo_t *lcr = layer_begin(&m->fills, cr, area);
	if (!lcr) {
		return false;
	}
	cairo_destroy(lcr);
	lcr = layer_context(&m->fills, cr);
	draw_all_fills(lcr, m, v, ctx->theme);
	if (values) {
		map_place_labels(m, lcr, ctx->text, v, ctx->theme);
		map_draw_labels(lcr, ctx->text, m, v, ctx->theme);
	}
	cairo_destroy(lcr);
	m->fills_valid = true;
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
	/* Outlines are stroked half outside the map's box. */
	double margin = 4;
	struct rect area = {v->map.x - margin, v->map.y - margin, v->map.w + 2 * margin,
			    v->map.h + 2 * margin};
	if ((!m->lines.surface && !build_lines(m, cr, v, ctx, &area)) ||
	    !update_fills(m, cr, v, ctx, &area)) {
		return false;
	}
	composite(cr, &m->fills);
	composite(cr, &m->lines);
	return true;
}

static void draw_direct(struct map *m, cairo_t *cr, const struct view *v,
			const struct widget_ctx *ctx)
{
	cairo_save(cr);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	draw_all_fills(cr, m, v, ctx->theme);
	draw_outlines(cr, m, v, ctx->theme);
	map_place_labels(m, cr, ctx->text, v, ctx->theme);
	map_draw_labels(cr, ctx->text, m, v, ctx->theme);
	cairo_restore(cr);
}

void map_draw_districts(struct map *m, cairo_t *cr, const struct view *v,
			const struct widget_ctx *ctx)
{
	if (!option_bool(opts(m), "cache") || !draw_cached(m, cr, v, ctx)) {
		draw_direct(m, cr, v, ctx);
	}
}
