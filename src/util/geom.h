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

/*
 * A part of the screen moved sideways on the screen itself: the display server copies the
 * pixels it shows in `from` (frame pixels) `dx` columns over, and nothing is sent. A crawl's
 * step then costs the columns that come in, not the band: the frame buffer keeps the pixels
 * where they were, and whoever moved them owes the frame the moved picture (board_settle()).
 */
struct screen_move {
	struct irect from; // empty: no move
	int dx;
};

static inline bool irect_empty(struct irect r)
{
	return r.w <= 0 || r.h <= 0;
}

/* Whether `r` lies wholly inside `outer`. */
static inline bool irect_contains(struct irect outer, struct irect r)
{
	return r.x >= outer.x && r.y >= outer.y && r.x + r.w <= outer.x + outer.w &&
	       r.y + r.h <= outer.y + outer.h;
}

/* The intersection of a and b (empty when they do not meet). */
struct irect irect_intersect(struct irect a, struct irect b);
/* The smallest rectangle holding a and b; an empty side is ignored. */
struct irect irect_union(struct irect a, struct irect b);

/* The squared distance from point (px, py) to the segment (ax, ay)–(bx, by). */
double segment_distance2(double px, double py, double ax, double ay, double bx, double by);

#endif
