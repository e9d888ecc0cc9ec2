#ifndef CITYWALL_LAYOUT_NEAREST_H
#define CITYWALL_LAYOUT_NEAREST_H

/*
 * Tiles that choose their source by distance: an image tile with "nearest_to" shows the camera
 * nearest the leading alert of an alert list (docs/widgets/image.md#the-nearest-camera). The
 * candidates are the layout's image sources with a position ("lat", "lon"), or those named in
 * "among"; "rank" 2 takes the second nearest. Read with the layout; chosen on every bind,
 * from the bound alert list only, so every screen showing the same snapshot agrees.
 */

#include <cJSON.h>
#include <stdbool.h>

#include "layout/bind.h"
#include "layout/layout.h"

/* Candidates a tile may choose among at most (each is a binding of the tile). */
#define NEAREST_MAX 32

/*
 * When the widget of `tile` (read from `node`, at tile->pointer) has "nearest_to" set and its
 * bindings are resolved: checks the alert binding, reads "among" and "rank", adds one binding
 * per candidate and sets tile->nearest. Reports every problem with a did-you-mean for
 * misspelt sources; false if any. True and nothing done for other tiles.
 */
bool nearest_read(struct parse_ctx *ctx, const struct layout *layout, const cJSON *node,
		  struct tile *tile);

/*
 * Sets out->chosen and out->chosen_km for a tile with tile->nearest, from the alert list
 * bound in `out` (records with "level", "time", "lat", "lon"; the leading one as
 * model/alert_level.h's alert_lead picks it). Equal distances go to the first in order.
 */
void nearest_choose(const struct tile *tile, struct binding_values *out);

/* The great-circle distance between two points (degrees), km: haversine on a sphere of the
 * Earth's mean radius (under 0.5 % off the ellipsoid, which does not reorder cameras). */
double nearest_distance_km(double lat1, double lon1, double lat2, double lon2);

#endif
