#include "util/geom.h"

static int imin(int a, int b)
{
	return a < b ? a : b;
}

static int imax(int a, int b)
{
	return a > b ? a : b;
}

struct irect irect_intersect(struct irect a, struct irect b)
{
	int x0 = imax(a.x, b.x), y0 = imax(a.y, b.y);
	int x1 = imin(a.x + a.w, b.x + b.w), y1 = imin(a.y + a.h, b.y + b.h);
	if (x1 <= x0 || y1 <= y0) {
		return (struct irect){0, 0, 0, 0};
	}
	return (struct irect){x0, y0, x1 - x0, y1 - y0};
}

struct irect irect_union(struct irect a, struct irect b)
{
	if (irect_empty(a)) {
		return b;
	}
	if (irect_empty(b)) {
		return a;
	}
	int x0 = imin(a.x, b.x), y0 = imin(a.y, b.y);
	int x1 = imax(a.x + a.w, b.x + b.w), y1 = imax(a.y + a.h, b.y + b.h);
	return (struct irect){x0, y0, x1 - x0, y1 - y0};
}

double segment_distance2(double px, double py, double ax, double ay, double bx, double by)
{
	double dx = bx - ax, dy = by - ay;
	double t = dx || dy ? ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy) : 0;
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	double ex = ax + t * dx - px, ey = ay + t * dy - py;
	return ex * ex + ey * ey;
}
