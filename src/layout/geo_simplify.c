/*
 * Simplification for drawing: a geometry as it can be seen at one scale. A million points in a
 * ring drawn into a thousand pixels are a million segments for cairo to stroke and fill, and
 * most of them are invisible; at half a device pixel of tolerance a circle keeps a few hundred.
 *
 * Per ring, two steps, both bounded:
 *   1. radial distance: a point closer than the tolerance to the last one kept is dropped
 *      (linear; no point is then farther than the tolerance from a kept one),
 *   2. Douglas–Peucker on what is left, with an explicit stack (never recursion depth
 *      proportional to points) and a work budget: its worst case is quadratic, so past
 *      DP_WORK distance tests per point the ranges still open keep their points.
 * A ring whose extent is under two tolerances (a pixel) is dropped; any other keeps at least
 * three corners. When the result is still past GEO_SHAPE_MAX_POINTS with more than four
 * points a ring (noise within the limits), the pass is repeated at twice the tolerance; rings
 * are still dropped only under the first pass's pixel, so piled-up districts stay drawn.
 * Rings are then oriented (outlines counter-clockwise, holes clockwise in the x-right, y-up
 * plane) so that the non-zero rule fills a feature's holes as holes.
 *
 * Shared edges between neighbouring districts are simplified independently, so at sub-pixel
 * tolerance they may drift apart by up to the tolerance; at half a pixel that is invisible.
 */

#include "layout/geo.h"
#include "layout/geo_internal.h"

#include "util/geom.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Distance tests Douglas–Peucker may spend per point of a ring (log2 of the points kept). */
#define DP_WORK 24
/* Passes with a doubled tolerance at most (noise within the limits); the last one stops. */
#define MAX_PASSES 48

struct range {
	size_t i, j;
};

struct simplifier {
	const struct geo *geo;
	double k, tol, tol2;
	double far;         // coordinates are clamped to [-far, far] (see place())
	double pixel;       // rings smaller than this both ways are dropped: twice the tolerance
			    // asked for (coarser passes keep what could be seen)
	struct geo_shape *shape;
	size_t cap_points, cap_rings;
	/* Scratch, reused across rings: the ring after the radial pass, closed by a copy of its
	 * first point at [n]; which of those points are kept; the open ranges. */
	double *x, *y;      // owned
	unsigned char *keep; // owned
	size_t cap_scratch, cap_keep;
	struct range *stack; // owned
	size_t cap_stack;
	bool over;          // the shape passed its budget: this pass is abandoned
};

/*
 * A source point in the shape's plane. Only outlines count in the geometry's extent, so a
 * hole may lie anywhere (1e126 from a fuzzer): points are clamped to 64 extents around the
 * map, which keeps them in float range and in cairo's fixed-point range once drawn.
 */
static void place(const struct simplifier *s, const struct geo_point *p, double *x, double *y)
{
	*x = fmax(-s->far, fmin(s->far, p->x * s->k - s->shape->ox));
	*y = fmax(-s->far, fmin(s->far, p->y - s->shape->oy));
}

static void push_point(struct simplifier *s, double x, double y)
{
	struct geo_shape *sh = s->shape;
	sh->points = geo_grow(sh->points, &s->cap_points, sh->point_count, sizeof(*sh->points));
	sh->points[sh->point_count++] = (struct geo_shape_point){(float)x, (float)y};
}

/* Room for `count` items of `size` bytes in *array. */
static void *reserve(void *array, size_t *cap, size_t count, size_t size)
{
	if (count <= *cap) {
		return array;
	}
	while (*cap < count) {
		*cap = *cap ? *cap * 2 : 64;
	}
	return xrealloc(array, *cap * size);
}

static void scratch_point(struct simplifier *s, size_t n, double x, double y)
{
	if (n >= s->cap_scratch) {
		size_t cap = s->cap_scratch;
		s->x = reserve(s->x, &cap, n + 1, sizeof(*s->x));
		cap = s->cap_scratch;
		s->y = reserve(s->y, &cap, n + 1, sizeof(*s->y));
		s->cap_scratch = cap;
	}
	s->x[n] = x;
	s->y[n] = y;
}

/*
 * Step 1 into the scratch arrays: projected points, relative to the shape's origin, none
 * within the tolerance of the one before (nor the last of the first). Returns how many, and
 * the ring's extent in *w, *h.
 */
static size_t radial(struct simplifier *s, const struct geo_ring *ring, double *w, double *h)
{
	const struct geo_point *p = s->geo->points + ring->first;
	double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
	size_t n = 0;
	for (size_t i = 0; i < ring->count; i++) {
		double x, y;
		place(s, &p[i], &x, &y);
		x0 = fmin(x0, x), x1 = fmax(x1, x), y0 = fmin(y0, y), y1 = fmax(y1, y);
		if (n > 0) {
			double dx = x - s->x[n - 1], dy = y - s->y[n - 1];
			if (dx * dx + dy * dy < s->tol2) {
				continue;
			}
		}
		scratch_point(s, n++, x, y);
	}
	while (n > 1 && (s->x[n - 1] - s->x[0]) * (s->x[n - 1] - s->x[0]) +
				(s->y[n - 1] - s->y[0]) * (s->y[n - 1] - s->y[0]) < s->tol2) {
		n--; // the closing point, or points just before it
	}
	*w = x1 - x0;
	*h = y1 - y0;
	return n;
}

static void push_range(struct simplifier *s, size_t *top, size_t i, size_t j)
{
	if (j - i < 2) {
		return;
	}
	s->stack = geo_grow(s->stack, &s->cap_stack, *top, sizeof(*s->stack));
	s->stack[(*top)++] = (struct range){i, j};
}

/* The point of (i, j) farthest from the segment i–j; its squared distance in *d2. */
static size_t farthest(const struct simplifier *s, size_t i, size_t j, double *d2)
{
	size_t best = i + 1;
	*d2 = -1;
	for (size_t c = i + 1; c < j; c++) {
		double d = segment_distance2(s->x[c], s->y[c], s->x[i], s->y[i], s->x[j], s->y[j]);
		if (d > *d2) {
			*d2 = d;
			best = c;
		}
	}
	return best;
}

/* Step 2: marks the points of the closed ring scratch[0 .. n] (n ≡ 0) to keep; returns how
 * many of the n are kept. */
static size_t douglas_peucker(struct simplifier *s, size_t n)
{
	s->keep = reserve(s->keep, &s->cap_keep, n + 1, 1);
	memset(s->keep, 0, n + 1);
	/* Anchors: the first point and the one farthest from it. */
	size_t b = 0;
	double best = -1;
	for (size_t c = 1; c < n; c++) {
		double dx = s->x[c] - s->x[0], dy = s->y[c] - s->y[0];
		if (dx * dx + dy * dy > best) {
			best = dx * dx + dy * dy;
			b = c;
		}
	}
	s->keep[0] = s->keep[b] = 1;
	size_t kept = 2, top = 0, work = 0, budget = DP_WORK * n + 1024;
	push_range(s, &top, 0, b);
	push_range(s, &top, b, n);
	while (top > 0) {
		if (kept > GEO_SHAPE_MAX_POINTS) {
			return kept; // the pass is abandoned anyway
		}
		struct range r = s->stack[--top];
		if (work > budget) {
			/* Out of budget: open ranges keep their points (a tolerance apart). */
			for (size_t c = r.i + 1; c < r.j; c++) {
				s->keep[c] = 1;
			}
			kept += r.j - r.i - 1;
			continue;
		}
		work += r.j - r.i - 1;
		double d2;
		size_t c = farthest(s, r.i, r.j, &d2);
		if (d2 > s->tol2) {
			s->keep[c] = 1;
			kept++;
			push_range(s, &top, r.i, c);
			push_range(s, &top, c, r.j);
		}
	}
	if (kept < 3 && n >= 3) {
		/* A thin ring: keep a third corner, the point farthest from the anchors' line. */
		double d2a, d2b;
		size_t ca = farthest(s, 0, b, &d2a), cb = farthest(s, b, n, &d2b);
		s->keep[b > 1 && (d2a >= d2b || n - b < 2) ? ca : cb] = 1;
		kept++;
	}
	return kept;
}

static double shape_ring_area(const struct geo_shape *sh, size_t first, size_t count)
{
	double a = 0;
	const struct geo_shape_point *p = sh->points + first;
	for (size_t i = 0, j = count - 1; i < count; j = i++) {
		a += (double)p[j].x * p[i].y - (double)p[i].x * p[j].y;
	}
	return a / 2;
}

static void reverse_points(struct geo_shape_point *p, size_t count)
{
	for (size_t i = 0, j = count - 1; i < j; i++, j--) {
		struct geo_shape_point t = p[i];
		p[i] = p[j];
		p[j] = t;
	}
}

/* Scratch points 0, 1, 2: the ring's first point, the one farthest from it, and the one
 * farthest from the line between those (a ring the tolerance would collapse keeps its place). */
static size_t three_corners(struct simplifier *s, const struct geo_ring *ring)
{
	const struct geo_point *p = s->geo->points + ring->first;
	double x0, y0, best = -1;
	place(s, &p[0], &x0, &y0);
	double x1 = x0, y1 = y0;
	for (size_t i = 1; i < ring->count; i++) {
		double x, y;
		place(s, &p[i], &x, &y);
		double d = (x - x0) * (x - x0) + (y - y0) * (y - y0);
		if (d > best) {
			best = d, x1 = x, y1 = y;
		}
	}
	double x2 = x1, y2 = y1;
	best = -1;
	for (size_t i = 1; i < ring->count; i++) {
		double x, y;
		place(s, &p[i], &x, &y);
		double d = segment_distance2(x, y, x0, y0, x1, y1);
		if (d > best) {
			best = d, x2 = x, y2 = y;
		}
	}
	scratch_point(s, 0, x0, y0);
	scratch_point(s, 1, x1, y1);
	scratch_point(s, 2, x2, y2);
	s->keep = reserve(s->keep, &s->cap_keep, 3, 1);
	memset(s->keep, 1, 3);
	return 3;
}

static void simplify_ring(struct simplifier *s, const struct geo_ring *ring, bool hole)
{
	double w, h;
	size_t n = radial(s, ring, &w, &h), kept = 3;
	if (w < s->pixel && h < s->pixel) {
		return; // under a pixel: nothing to see
	}
	if (n < 3) {
		n = three_corners(s, ring);
	} else {
		scratch_point(s, n, s->x[0], s->y[0]);
		kept = douglas_peucker(s, n);
	}
	struct geo_shape *sh = s->shape;
	if (sh->point_count + kept > GEO_SHAPE_MAX_POINTS &&
	    sh->point_count + kept > 4 * (sh->ring_count + 1)) {
		s->over = true; // detail past the budget: a coarser pass follows
		return;
	}
	size_t first = sh->point_count;
	for (size_t i = 0; i < n; i++) {
		if (s->keep[i]) {
			push_point(s, s->x[i], s->y[i]);
		}
	}
	size_t count = sh->point_count - first;
	const struct geo_shape_point *q = sh->points + first;
	for (size_t i = 0, j = count - 1; i < count; j = i++) {
		sh->length += hypot((double)q[i].x - q[j].x, (double)q[i].y - q[j].y);
	}
	double area = shape_ring_area(sh, first, count);
	if ((area < 0) != hole) {
		reverse_points(sh->points + first, count);
	}
	sh->rings = geo_grow(sh->rings, &s->cap_rings, sh->ring_count, sizeof(*sh->rings));
	sh->rings[sh->ring_count++] = (struct geo_shape_ring){(uint32_t)first, (uint32_t)count};
}

/* One pass at s->tol; false when the shape grew past GEO_SHAPE_MAX_POINTS. */
static bool simplify_pass(struct simplifier *s)
{
	const struct geo *g = s->geo;
	struct geo_shape *sh = s->shape;
	sh->point_count = sh->ring_count = 0;
	sh->length = 0;
	s->over = false;
	for (size_t f = 0; f < g->feature_count && !s->over; f++) {
		const struct geo_feature *feat = &g->features[f];
		sh->feature_rings[f] = (uint32_t)sh->ring_count;
		for (size_t p = 0; feat->kind == GEO_AREA && p < feat->polygon_count; p++) {
			const struct geo_polygon *poly = &g->polygons[feat->first_polygon + p];
			for (size_t r = 0; r < poly->count && !s->over; r++) {
				simplify_ring(s, &g->rings[poly->first + r], r > 0);
			}
		}
	}
	sh->feature_rings[g->feature_count] = (uint32_t)sh->ring_count;
	return !s->over;
}

struct geo_shape *geo_simplify(const struct geo *geo, double tolerance)
{
	struct geo_shape *sh = xcalloc(1, sizeof(*sh));
	sh->feature_count = geo->feature_count;
	sh->feature_rings = xcalloc(geo->feature_count + 1, sizeof(*sh->feature_rings));
	sh->ox = geo->min_x * geo->x_scale;
	sh->oy = geo->min_y;
	struct simplifier s = {.geo = geo, .k = geo->x_scale, .shape = sh};
	double tol = isfinite(tolerance) && tolerance > 0 ? tolerance : 0;
	/* A tolerance far below float precision at this extent only costs points. */
	double extent = fmax((geo->max_x - geo->min_x) * geo->x_scale, geo->max_y - geo->min_y);
	tol = fmax(tol, extent * 1e-7);
	s.pixel = 2 * tol;
	s.far = 64 * fmax(extent, 1e-30);
	for (int pass = 0; pass < MAX_PASSES; pass++, tol *= 2) {
		s.tol = tol;
		s.tol2 = tol * tol;
		if (simplify_pass(&s)) {
			break;
		}
	}
	if (s.over) {
		/* Not reached for finite geometry (past the extent every ring keeps three corners,
		 * within the budget), but a shape must never exceed its bound. */
		sh->point_count = sh->ring_count = 0;
		sh->length = 0;
		memset(sh->feature_rings, 0, (geo->feature_count + 1) * sizeof(*sh->feature_rings));
	}
	sh->tolerance = s.tol;
	free(s.x);
	free(s.y);
	free(s.keep);
	free(s.stack);
	return sh;
}

void geo_shape_destroy(struct geo_shape *shape)
{
	if (!shape) {
		return;
	}
	free(shape->points);
	free(shape->rings);
	free(shape->feature_rings);
	free(shape);
}
