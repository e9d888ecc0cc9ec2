/*
 * Zooming an interactive map (docs/interaction.md#pinch-zoom): the maths of a two-finger
 * pinch and of a zoom about a point, and the map's own zoom state. A zoom is an affine map of
 * the tile's virtual units, zoomed = k * whole + t, applied to the view's projection before
 * anything is drawn, so the districts, names and markers are drawn again at the new scale
 * (crisp, never a scaled bitmap) and hit testing reads the zoomed view the draw kept.
 */

#include "widgets/map_internal.h"

#include "render/draw.h"

#include <math.h>

/* The translation that keeps the map's box covered by the zoomed map (no empty edge). */
static double clamp_shift(double t, double lo_edge, double hi_edge, double k)
{
	double most = lo_edge * (1 - k), least = hi_edge * (1 - k);
	return clampd(t, least, most);
}

struct map_zoom map_zoom_clamp(struct map_zoom z, const struct rect *map)
{
	double k = clampd(z.k, 1, MAP_ZOOM_MAX);
	return (struct map_zoom){k, clamp_shift(z.tx, map->x, map->x + map->w, k),
				 clamp_shift(z.ty, map->y, map->y + map->h, k)};
}

/* `start` scaled by `factor`, the whole map's point (ux, uy) put at (x, y), then clamped. */
static struct map_zoom anchored(struct map_zoom start, const struct rect *map, double factor,
				double ux, double uy, double x, double y)
{
	double k = clampd(start.k * factor, 1, MAP_ZOOM_MAX);
	return map_zoom_clamp((struct map_zoom){k, x - k * ux, y - k * uy}, map);
}

void map_zoom_unproject(const struct map_zoom *z, double x, double y, double *ux, double *uy)
{
	*ux = (x - z->tx) / z->k;
	*uy = (y - z->ty) / z->k;
}

struct map_zoom map_zoom_pinch(struct map_zoom start, const struct rect *map, const double a[4],
			       const double b[4])
{
	double from = hypot(a[2] - a[0], a[3] - a[1]), to = hypot(b[2] - b[0], b[3] - b[1]);
	double factor = from > 0 && to > 0 ? to / from : 1;
	double ux, uy;
	/* The point between the fingers stays between them: zoom about it, pan with it. */
	map_zoom_unproject(&start, (a[0] + a[2]) / 2, (a[1] + a[3]) / 2, &ux, &uy);
	return anchored(start, map, factor, ux, uy, (b[0] + b[2]) / 2, (b[1] + b[3]) / 2);
}

struct map_zoom map_zoom_about(struct map_zoom start, const struct rect *map, double x, double y,
			       double factor)
{
	double ux, uy;
	map_zoom_unproject(&start, x, y, &ux, &uy);
	/* The point goes to the middle of the map: what was tapped is what is looked at. */
	return anchored(start, map, factor, ux, uy, map->x + map->w / 2, map->y + map->h / 2);
}

void map_zoom_view(const struct map_zoom *z, struct view *v)
{
	v->scale *= z->k;
	v->ox = z->k * v->ox + z->tx;
	v->oy = z->k * v->oy + z->ty;
}

bool map_set_zoom(void *self, const struct map_zoom *z)
{
	struct map *m = self;
	struct map_zoom next = z ? map_zoom_clamp(*z, &m->view.map) : MAP_ZOOM_NONE;
	if (next.k == m->zoom.k && next.tx == m->zoom.tx && next.ty == m->zoom.ty) {
		return false;
	}
	m->zoom = next;
	m->whole = true;
	/* The cached layers hold the whole map and the names placed on it; the zoomed draws
	 * placed them again elsewhere (m->labels), so the whole map is drawn afresh when it is
	 * back: the same picture as if it had never been zoomed. */
	map_drop_layer(&m->fills);
	map_drop_layer(&m->lines);
	m->fills_valid = false;
	return true;
}

struct map_zoom map_zoom_of(const void *self, struct rect *map)
{
	const struct map *m = self;
	if (map) {
		*map = m->view.map;
	}
	return m->zoom;
}
