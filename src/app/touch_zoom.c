#include "app/touch_zoom.h"

#include "util/log.h"

#include <math.h>

void touch_pinch_init(struct touch_pinch *p)
{
	*p = (struct touch_pinch){.tile = -1};
}

static int finger_slot(const struct touch_pinch *p, SDL_FingerID id)
{
	for (int i = 0; i < p->count; i++) {
		if (p->id[i] == id) {
			return i;
		}
	}
	return -1;
}

static void fingers_virtual(const struct touch_pinch *p, const struct wall *wall, double out[4])
{
	for (int i = 0; i < 2; i++) {
		board_to_virtual(wall->board, p->x[i], p->y[i], &out[2 * i], &out[2 * i + 1]);
	}
}

/* Two fingers are down: a pinch when the point between them is on a map (no panel open). */
static void begin(struct touch_pinch *p, struct wall *wall)
{
	struct board_hit hit;
	double mx = (p->x[0] + p->x[1]) / 2, my = (p->y[0] + p->y[1]) / 2;
	struct rect map;
	if (board_detail_open(wall->board, NULL, NULL) || !board_hit(wall->board, mx, my, &hit) ||
	    hit.tile < 0 || !board_tile_zoom(wall->board, (size_t)hit.tile, &p->start, &map)) {
		return;
	}
	p->tile = hit.tile;
	fingers_virtual(p, wall, p->from);
	log_debug("pinch on tile \"%s\"", wall->layout->tiles[hit.tile].id);
}

void touch_pinch_down(struct touch_pinch *p, struct wall *wall, SDL_FingerID id, double x,
		      double y)
{
	if (p->count >= 2) {
		return; // a third finger: the pinch goes on with the first two
	}
	p->id[p->count] = id;
	p->x[p->count] = x;
	p->y[p->count] = y;
	if (++p->count == 2) {
		begin(p, wall);
	}
}

void touch_pinch_move(struct touch_pinch *p, struct wall *wall, SDL_FingerID id, double x,
		      double y)
{
	int slot = finger_slot(p, id);
	if (slot < 0) {
		return;
	}
	p->x[slot] = x;
	p->y[slot] = y;
	struct map_zoom zoom;
	struct rect map;
	if (p->tile < 0 || !board_tile_zoom(wall->board, (size_t)p->tile, &zoom, &map)) {
		return;
	}
	double to[4];
	fingers_virtual(p, wall, to);
	zoom = map_zoom_pinch(p->start, &map, p->from, to);
	board_zoom_tile(wall->board, (size_t)p->tile, &zoom);
}

void touch_pinch_up(struct touch_pinch *p, SDL_FingerID id)
{
	int slot = finger_slot(p, id);
	if (slot < 0) {
		return;
	}
	if (slot == 0 && p->count == 2) {
		p->id[0] = p->id[1];
		p->x[0] = p->x[1];
		p->y[0] = p->y[1];
	}
	p->count--;
	if (p->tile >= 0) {
		log_debug("pinch ended");
	}
	p->tile = -1; // one finger left does not pinch
}

bool touch_zoom_cluster(struct wall *wall, long tile, double x, double y)
{
	struct map_zoom zoom;
	struct rect map;
	if (tile < 0 || !board_tile_zoom(wall->board, (size_t)tile, &zoom, &map) ||
	    zoom.k >= MAP_ZOOM_MAX) {
		return false;
	}
	double vx, vy;
	board_to_virtual(wall->board, x, y, &vx, &vy);
	zoom = map_zoom_about(zoom, &map, vx, vy, TOUCH_CLUSTER_ZOOM);
	board_zoom_tile(wall->board, (size_t)tile, &zoom);
	log_debug("zoomed to a cluster of tile \"%s\" (%.1fx)", wall->layout->tiles[tile].id,
		  zoom.k);
	return true;
}
