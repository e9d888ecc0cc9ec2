/*
 * Geometry measures, computed once a file is parsed: the bounding boxes, whether the
 * coordinates are lon/lat (and the projection's x scale), each area feature's area and a
 * label point well inside it (polylabel, with the work for the whole file capped).
 */

#include "layout/geo.h"
#include "layout/geo_internal.h"
#include "util/geom.h"

#include <math.h>
#include <stdlib.h>

/* Work allowed for all label points together, in edge distance tests. */
#define LABEL_WORK 20000000.0
#define LABEL_MAX_CELLS 4096
#define LABEL_MIN_CELLS 8

/* --- measures and label points -------------------------------------------------------- */

static double ring_signed_area(const struct geo *geo, const struct geo_ring *r, double k,
			       double *cx, double *cy)
{
	double a = 0, sx = 0, sy = 0;
	const struct geo_point *p = geo->points + r->first;
	for (size_t i = 0; i < r->count; i++) {
		const struct geo_point *q = &p[(i + 1) % r->count];
		double cross = p[i].x * k * q->y - q->x * k * p[i].y;
		a += cross;
		sx += (p[i].x * k + q->x * k) * cross;
		sy += (p[i].y + q->y) * cross;
	}
	if (cx && a != 0) {
		*cx = sx / (3 * a);
		*cy = sy / (3 * a);
	}
	return a / 2;
}

static double polygon_area(const struct geo *geo, const struct geo_polygon *poly, double k)
{
	double area = 0;
	for (size_t i = 0; i < poly->count; i++) {
		double a = fabs(ring_signed_area(geo, &geo->rings[poly->first + i], k, NULL, NULL));
		area += i == 0 ? a : -a;
	}
	return fmax(area, 0);
}

/* Distance from (x, y) to the polygon's edges (projected), negative outside (even-odd). */
static double polygon_distance(const struct geo *geo, const struct geo_polygon *poly, double k,
			       double x, double y)
{
	bool inside = false;
	double best = INFINITY;
	for (size_t r = 0; r < poly->count; r++) {
		const struct geo_ring *ring = &geo->rings[poly->first + r];
		const struct geo_point *p = geo->points + ring->first;
		for (size_t i = 0, j = ring->count - 1; i < ring->count; j = i++) {
			double ax = p[i].x * k, ay = p[i].y, bx = p[j].x * k, by = p[j].y;
			if ((ay > y) != (by > y) && x < (bx - ax) * (y - ay) / (by - ay) + ax) {
				inside = !inside;
			}
			best = fmin(best, segment_distance2(x, y, ax, ay, bx, by));
		}
	}
	return (inside ? 1 : -1) * sqrt(best);
}

struct cell {
	double x, y, half, d, max; // centre, half size, distance, best possible inside
};

struct heap {
	struct cell *items; // owned
	size_t count, cap;
};

static void heap_push(struct heap *h, struct cell c)
{
	h->items = geo_grow(h->items, &h->cap, h->count, sizeof(c));
	size_t i = h->count++;
	while (i > 0 && h->items[(i - 1) / 2].max < c.max) {
		h->items[i] = h->items[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->items[i] = c;
}

static struct cell heap_pop(struct heap *h)
{
	struct cell top = h->items[0], last = h->items[--h->count];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->count) {
			break;
		}
		c += c + 1 < h->count && h->items[c + 1].max > h->items[c].max;
		if (h->items[c].max <= last.max) {
			break;
		}
		h->items[i] = h->items[c];
		i = c;
	}
	if (h->count) {
		h->items[i] = last;
	}
	return top;
}

static struct cell make_cell(const struct geo *geo, const struct geo_polygon *poly, double k,
			     double x, double y, double half)
{
	double d = polygon_distance(geo, poly, k, x, y);
	return (struct cell){x, y, half, d, d + half * M_SQRT2};
}

/*
 * An approximation of the pole of inaccessibility (Mapbox's polylabel): the point inside the
 * polygon farthest from its edges, found by subdividing the cells that could still hold a
 * better point. Work is capped by `max_cells`, so huge polygons cost bounded time.
 */
static struct geo_point polylabel(const struct geo *geo, const struct geo_polygon *poly,
				  double k, size_t max_cells)
{
	const struct geo_ring *outer = &geo->rings[poly->first];
	double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
	for (size_t i = 0; i < outer->count; i++) {
		const struct geo_point *p = &geo->points[outer->first + i];
		x0 = fmin(x0, p->x * k), x1 = fmax(x1, p->x * k);
		y0 = fmin(y0, p->y), y1 = fmax(y1, p->y);
	}
	double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
	ring_signed_area(geo, outer, k, &cx, &cy);
	struct cell best = make_cell(geo, poly, k, cx, cy, 0);
	double size = fmin(x1 - x0, y1 - y0);
	if (!(size > 0)) {
		return (struct geo_point){best.x / k, best.y};
	}
	/* Elongated shapes: no more than about 64 starting cells, and no more than 64 along the
	 * long side however thin the shape (a sliver 1e17 times longer than wide was billions). */
	size = fmax(size, sqrt((x1 - x0) * (y1 - y0) / 64));
	size = fmax(size, fmax(x1 - x0, y1 - y0) / 64);
	double precision = fmax(x1 - x0, y1 - y0) / 100;
	struct heap heap = {0};
	size_t used = 1;
	for (double x = x0; x < x1 && used < max_cells; x += size) {
		for (double y = y0; y < y1 && used < max_cells; y += size, used++) {
			heap_push(&heap, make_cell(geo, poly, k, x + size / 2, y + size / 2, size / 2));
		}
	}
	while (heap.count && used < max_cells) {
		struct cell c = heap_pop(&heap);
		if (c.d > best.d) {
			best = c;
		}
		if (c.max - best.d <= precision) {
			continue;
		}
		double h = c.half / 2;
		heap_push(&heap, make_cell(geo, poly, k, c.x - h, c.y - h, h));
		heap_push(&heap, make_cell(geo, poly, k, c.x + h, c.y - h, h));
		heap_push(&heap, make_cell(geo, poly, k, c.x - h, c.y + h, h));
		heap_push(&heap, make_cell(geo, poly, k, c.x + h, c.y + h, h));
		used += 4;
	}
	free(heap.items);
	return (struct geo_point){best.x / k, best.y};
}

static void feature_bounds(const struct geo *geo, struct geo_feature *f)
{
	f->min_x = f->max_x = f->label.x;
	f->min_y = f->max_y = f->label.y;
	for (size_t p = 0; f->kind == GEO_AREA && p < f->polygon_count; p++) {
		const struct geo_polygon *poly = &geo->polygons[f->first_polygon + p];
		const struct geo_ring *outer = &geo->rings[poly->first];
		for (size_t i = 0; i < outer->count; i++) {
			const struct geo_point *pt = &geo->points[outer->first + i];
			if (p == 0 && i == 0) {
				f->min_x = f->max_x = pt->x;
				f->min_y = f->max_y = pt->y;
			}
			f->min_x = fmin(f->min_x, pt->x), f->max_x = fmax(f->max_x, pt->x);
			f->min_y = fmin(f->min_y, pt->y), f->max_y = fmax(f->max_y, pt->y);
		}
	}
}

static void finish_projection(struct geo *geo)
{
	for (size_t i = 0; i < geo->feature_count; i++) {
		struct geo_feature *f = &geo->features[i];
		feature_bounds(geo, f);
		if (i == 0) {
			geo->min_x = f->min_x, geo->max_x = f->max_x;
			geo->min_y = f->min_y, geo->max_y = f->max_y;
		}
		geo->min_x = fmin(geo->min_x, f->min_x), geo->max_x = fmax(geo->max_x, f->max_x);
		geo->min_y = fmin(geo->min_y, f->min_y), geo->max_y = fmax(geo->max_y, f->max_y);
	}
	geo->lonlat = geo->min_x >= -180 && geo->max_x <= 180 && geo->min_y >= -90 &&
		      geo->max_y <= 90;
	double mid = (geo->min_y + geo->max_y) / 2;
	/* Near the poles cos() vanishes; keep shapes drawable there. */
	geo->x_scale = geo->lonlat ? fmax(cos(mid * M_PI / 180), 0.01) : 1;
}

static void finish_labels(struct geo *geo)
{
	double k = geo->x_scale;
	double cells = LABEL_WORK / (double)(geo->point_count ? geo->point_count : 1);
	size_t max_cells = (size_t)fmax(LABEL_MIN_CELLS, fmin(LABEL_MAX_CELLS, cells));
	for (size_t i = 0; i < geo->feature_count; i++) {
		struct geo_feature *f = &geo->features[i];
		if (f->kind != GEO_AREA) {
			continue;
		}
		const struct geo_polygon *largest = NULL;
		double largest_area = -1;
		for (size_t p = 0; p < f->polygon_count; p++) {
			const struct geo_polygon *poly = &geo->polygons[f->first_polygon + p];
			double a = polygon_area(geo, poly, k);
			f->area += a;
			if (a > largest_area) {
				largest_area = a;
				largest = poly;
			}
		}
		f->label = polylabel(geo, largest, k, max_cells);
	}
}

void geo_measure(struct geo *geo)
{
	finish_projection(geo);
	finish_labels(geo);
}
