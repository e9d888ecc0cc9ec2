/*
 * map: the Han river on real boundary files. Seoul's district files have no river polygon:
 * the river's area is split between the districts of the two banks, whose boundaries meet in
 * the middle of it (../shared/data/README.md). So the edges shared by a north-bank and a
 * south-bank district are the river's centre line, about 30 km of it in Seoul's files; it
 * is derived once per tile and drawn as a water band of the river's width into the cached
 * lines layer, under the outlines and the names. The cartogram's river (a band in its gap
 * between the banks) is drawn by map_layers.c.
 */

#include "widgets/map_internal.h"

#include "render/draw.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/*
 * The band's width in degrees of latitude: 0.008° is about 900 m, the Han's width between
 * its embankments through most of Seoul.
 */
#define RIVER_WIDTH_DEG 0.008

static const char *const south_bank[] = {"강서", "양천", "구로", "영등포", "동작", "관악",
					 "금천", "서초", "강남", "송파", "강동"};

/* 1: south bank, 0: north bank, -1: unknown (not a district of Seoul's banks). */
static int bank_of(const struct geo *g, const struct geo_feature *f, const char *name_property)
{
	const char *bank = geo_property(g, f, "bank");
	if (bank) {
		return strcmp(bank, "south") == 0 ? 1 : strcmp(bank, "north") == 0 ? 0 : -1;
	}
	const char *name = name_property ? geo_property(g, f, name_property) : NULL;
	if (!name || !name[0]) {
		return -1;
	}
	size_t len = strlen(name);
	if (len > 3 && strcmp(name + len - 3, "구") == 0) {
		len -= 3; // "강남구" → "강남"
	}
	for (size_t i = 0; i < sizeof(south_bank) / sizeof(south_bank[0]); i++) {
		if (strlen(south_bank[i]) == len && strncmp(name, south_bank[i], len) == 0) {
			return 1;
		}
	}
	return 0;
}

struct edge {
	struct geo_point a, b; // a before b in (x, y) order
	int bank;
};

static bool before(struct geo_point p, struct geo_point q)
{
	return p.x < q.x || (p.x == q.x && p.y < q.y);
}

static int by_points(const void *pa, const void *pb)
{
	const struct edge *e = pa, *f = pb;
	if (e->a.x != f->a.x || e->a.y != f->a.y) {
		return before(e->a, f->a) ? -1 : 1;
	}
	if (e->b.x != f->b.x || e->b.y != f->b.y) {
		return before(e->b, f->b) ? -1 : 1;
	}
	return e->bank - f->bank;
}

static size_t collect_edges(const struct geo *g, const char *name_property, struct edge **out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	for (size_t i = 0; i < g->feature_count; i++) {
		const struct geo_feature *f = &g->features[i];
		int bank = f->kind == GEO_AREA ? bank_of(g, f, name_property) : -1;
		for (size_t p = f->first_polygon; bank >= 0 && p < f->first_polygon + f->polygon_count;
		     p++) {
			const struct geo_polygon *poly = &g->polygons[p];
			for (size_t r = poly->first; r < poly->first + poly->count; r++) {
				const struct geo_point *pt = g->points + g->rings[r].first;
				for (size_t k = 1; k < g->rings[r].count; k++) {
					if (n == cap) {
						cap = cap ? cap * 2 : 1024;
						*out = xrealloc(*out, cap * sizeof(**out));
					}
					bool fwd = before(pt[k - 1], pt[k]);
					(*out)[n++] = (struct edge){fwd ? pt[k - 1] : pt[k],
								    fwd ? pt[k] : pt[k - 1], bank};
				}
			}
		}
	}
	return n;
}

/* Whether edge (p, q) is one of the sorted shared edges (bank ignored). */
static bool shared(const struct edge *edges, size_t n, struct geo_point p, struct geo_point q)
{
	struct edge key = before(p, q) ? (struct edge){p, q, 0} : (struct edge){q, p, 0};
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (by_points(&edges[mid], &key) < 0) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo < n && edges[lo].a.x == key.a.x && edges[lo].a.y == key.a.y &&
	       edges[lo].b.x == key.b.x && edges[lo].b.y == key.b.y;
}

/*
 * The shared edges in the order of the north-bank rings, so that a boundary's segments
 * follow each other and are drawn as one line (flat ends at the city's edge, round bends).
 */
static size_t in_ring_order(const struct geo *g, const char *name_property,
			    const struct edge *edges, size_t n, struct geo_point **segments)
{
	size_t count = 0;
	for (size_t i = 0; i < g->feature_count; i++) {
		const struct geo_feature *f = &g->features[i];
		if (f->kind != GEO_AREA || bank_of(g, f, name_property) != 0) {
			continue;
		}
		for (size_t p = f->first_polygon; p < f->first_polygon + f->polygon_count; p++) {
			const struct geo_polygon *poly = &g->polygons[p];
			for (size_t r = poly->first; r < poly->first + poly->count; r++) {
				const struct geo_point *pt = g->points + g->rings[r].first;
				for (size_t k = 1; k < g->rings[r].count; k++) {
					if (!shared(edges, n, pt[k - 1], pt[k])) {
						continue;
					}
					*segments = xrealloc(*segments,
							     (count + 1) * 2 * sizeof(**segments));
					(*segments)[2 * count] = pt[k - 1];
					(*segments)[2 * count + 1] = pt[k];
					count++;
				}
			}
		}
	}
	return count;
}

size_t map_river_segments(const struct geo *g, const char *name_property,
			  struct geo_point **segments)
{
	*segments = NULL;
	struct edge *e;
	size_t n = g ? collect_edges(g, name_property, &e) : 0;
	if (n == 0) {
		return 0;
	}
	qsort(e, n, sizeof(*e), by_points);
	/* Keep, once each, the edges found with both banks (sorted by bank: north first). */
	size_t kept = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		for (; j < n && by_points(&(struct edge){e[i].a, e[i].b, e[j].bank}, &e[j]) == 0; j++) {
		}
		if (e[i].bank == 0 && e[j - 1].bank == 1) {
			e[kept++] = e[i];
		}
		i = j;
	}
	size_t count = kept ? in_ring_order(g, name_property, e, kept, segments) : 0;
	free(e);
	return count;
}

void map_free_river(struct map *m)
{
	free(m->river.segments);
	m->river = (struct map_river){0};
}

void map_draw_shared_river(cairo_t *cr, struct map *m, const struct view *v)
{
	if (!opts(m)->river || !m->geo->lonlat) {
		return;
	}
	if (!m->river.derived) {
		m->river.count = map_river_segments(m->geo, opts(m)->name_property, &m->river.segments);
		m->river.derived = true;
	}
	if (m->river.count == 0) {
		return;
	}
	cairo_save(cr);
	cairo_new_path(cr);
	double last_x = NAN, last_y = NAN;
	for (size_t i = 0; i < m->river.count; i++) {
		const struct geo_point *s = &m->river.segments[2 * i];
		double x0, y0, x1, y1;
		project(m, v, s[0].x, s[0].y, &x0, &y0);
		project(m, v, s[1].x, s[1].y, &x1, &y1);
		/* Segments of one shared boundary follow each other: one sub-path, round joins. */
		if (x0 != last_x || y0 != last_y) {
			cairo_move_to(cr, x0, y0);
		}
		cairo_line_to(cr, x1, y1);
		last_x = x1;
		last_y = y1;
	}
	cairo_set_line_width(cr, fmax(RIVER_WIDTH_DEG * v->scale, 2));
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	/* Opaque, so that overlapping strokes of separate sub-paths do not darken. */
	draw_set_color(cr, (struct color){0.20, 0.42, 0.66, 1});
	cairo_stroke(cr);
	cairo_restore(cr);
}
