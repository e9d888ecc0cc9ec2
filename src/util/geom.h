#ifndef CITYWALL_UTIL_GEOM_H
#define CITYWALL_UTIL_GEOM_H

#include <stdbool.h>

/* A rectangle in layout (virtual) units. */
struct rect {
	double x, y, w, h;
};

/* A rectangle in device pixels: what is redrawn and pushed to the screen. */
struct irect {
	int x, y, w, h;
};

static inline bool irect_empty(struct irect r)
{
	return r.w <= 0 || r.h <= 0;
}

/* The intersection of a and b (empty when they do not meet). */
struct irect irect_intersect(struct irect a, struct irect b);
/* The smallest rectangle holding a and b; an empty side is ignored. */
struct irect irect_union(struct irect a, struct irect b);

/* The squared distance from point (px, py) to the segment (ax, ay)–(bx, by). */
double segment_distance2(double px, double py, double ax, double ay, double bx, double by);

#endif
