#ifndef CITYWALL_APP_TOUCH_ZOOM_H
#define CITYWALL_APP_TOUCH_ZOOM_H

/*
 * Zooming the maps of an interactive layout by touch (docs/interaction.md#pinch-zoom): two
 * fingers on a map pinch it (zoom about the point between them, pan as they move together,
 * 1x–8x); a tap on a cluster zooms to it; a double tap on a zoomed map, or the idle time,
 * shows the whole map again. The maths is widgets/map.h's (map_zoom_pinch); this is the glue
 * from fingers in device pixels to the board's tiles.
 */

#include <SDL.h>
#include <stdbool.h>

#include "app/wall.h"
#include "widgets/map.h"

/* A second tap this soon (s) and near the first is a double tap. */
#define TOUCH_DOUBLE_TAP 0.4
/* A tap on a cluster zooms the map by this factor about it. */
#define TOUCH_CLUSTER_ZOOM 3.0

struct touch_pinch {
	SDL_FingerID id[2];
	double x[2], y[2];     // device pixels, where each finger is now
	int count;             // fingers followed (the first two down)
	long tile;             // the map being pinched; -1: none
	struct map_zoom start; // its zoom when the pinch began
	double from[4];        // the two fingers' virtual points then: x0, y0, x1, y1
};

void touch_pinch_init(struct touch_pinch *p);
/* A finger went down, moved or up at device pixel (x, y). */
void touch_pinch_down(struct touch_pinch *p, struct wall *wall, SDL_FingerID id, double x,
		      double y);
void touch_pinch_move(struct touch_pinch *p, struct wall *wall, SDL_FingerID id, double x,
		      double y);
void touch_pinch_up(struct touch_pinch *p, SDL_FingerID id);

/*
 * A tap on cluster `part` of map tile `tile` at device pixel (x, y): zooms the map to it and
 * returns true; false when the map is at its closest already (the cluster's panel opens).
 */
bool touch_zoom_cluster(struct wall *wall, long tile, double x, double y);

#endif
