/*
 * Hit testing on the map (widget_impl.hit): which marker, cluster or district lies under a
 * point of the tile, read from what the last draw placed (its view and its clusters), so a
 * tap names what the eye sees there.
 */

#include "widgets/map_internal.h"

#include "render/chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Even-odd over every ring of the polygon: a point in a hole is outside. */
static bool in_polygon(const struct geo *g, const struct geo_polygon *poly, double x, double y)
{
	bool inside = false;
	for (size_t r = poly->first; r < poly->first + poly->count; r++) {
		const struct geo_point *p = &g->points[g->rings[r].first];
		size_t n = g->rings[r].count;
		for (size_t i = 0, j = n - 1; i < n; j = i++) {
			if ((p[i].y > y) != (p[j].y > y) &&
			    x < (p[j].x - p[i].x) * (y - p[i].y) / (p[j].y - p[i].y) + p[i].x) {
				inside = !inside;
			}
		}
	}
	return inside;
}

bool map_district_at(const struct geo *g, double x, double y, size_t *feature)
{
	for (size_t f = 0; g && f < g->feature_count; f++) {
		const struct geo_feature *ft = &g->features[f];
		if (ft->kind != GEO_AREA || x < ft->min_x || x > ft->max_x || y < ft->min_y ||
		    y > ft->max_y) {
			continue;
		}
		for (size_t k = 0; k < ft->polygon_count; k++) {
			if (in_polygon(g, &g->polygons[ft->first_polygon + k], x, y)) {
				*feature = f;
				return true;
			}
		}
	}
	return false;
}

/* The marker or cluster drawn over (x, y), the topmost (drawn last) first. */
static bool marker_at(const struct map *m, double x, double y, struct widget_part *part)
{
	double size = opts(m)->marker_size;
	for (size_t i = m->cluster_count; i-- > 0;) {
		const struct map_cluster *c = &m->clusters[i];
		if (c->count == 0) {
			continue;
		}
		double r = c->count > 1 ? size * (0.95 + 0.32 * log10((double)c->count))
					: size * 0.55;
		if (hypot(x - c->x, y - c->y) <= r) {
			part->kind = c->count > 1 ? WIDGET_PART_CLUSTER : WIDGET_PART_MARKER;
			part->index = (long)c->first;
			const char *label = m->markers[c->first].label;
			if (c->count > 1) {
				snprintf(part->label, sizeof(part->label), "%zu markers", c->count);
			} else {
				snprintf(part->label, sizeof(part->label), "%s", label ? label : "");
			}
			return true;
		}
	}
	return false;
}

bool map_hit(void *self, const struct rect *r, double x, double y, struct widget_part *part)
{
	(void)r; // the last draw's view places everything
	const struct map *m = self;
	const struct view *v = &m->view;
	if (!m->geo || v->scale <= 0) {
		return false;
	}
	bool in_map = x >= v->map.x && x < v->map.x + v->map.w && y >= v->map.y &&
		      y < v->map.y + v->map.h;
	/* Zoomed, markers outside the map's box are clipped away: not there to tap. */
	if ((in_map || m->zoom.k == 1) && marker_at(m, x, y, part)) {
		return true;
	}
	if (!in_map) {
		return false;
	}
	double sx = (x - v->ox) / (m->geo->x_scale * v->scale);
	double sy = (v->oy - y) / v->scale;
	size_t f;
	if (!map_district_at(m->geo, sx, sy, &f)) {
		return false;
	}
	const struct geo_feature *ft = &m->geo->features[f];
	const char *key = geo_property(m->geo, ft, opts(m)->key_property);
	const char *name = geo_property(m->geo, ft, opts(m)->name_property);
	part->kind = WIDGET_PART_DISTRICT;
	part->index = (long)f;
	snprintf(part->key, sizeof(part->key), "%s", key ? key : "");
	snprintf(part->label, sizeof(part->label), "%s", name ? name : part->key);
	return true;
}

/* The feature whose key is `key` (another map's district of the same code); -1: none. */
static long feature_by_key(const struct map *m, const char *key)
{
	for (size_t i = 0; key[0] && i < m->keyed; i++) {
		if (strcmp(m->index[i].key, key) == 0) {
			return (long)m->index[i].feature;
		}
	}
	return -1;
}

/* A district's bound value; a marker's label, state and time; a cluster's count. */
size_t map_part_lines(void *self, const struct widget_part *part, char (*lines)[160], size_t max)
{
	const struct map *m = self;
	size_t n = 0;
	long found = part->kind == WIDGET_PART_DISTRICT && m->geo ? feature_by_key(m, part->key) : -1;
	if (found >= 0 && max >= 1) {
		size_t f = (size_t)found;
		if (m->status == DATA_OK && m->has && m->has[f]) {
			char value[64];
			double v = m->values[f];
			int decimals = opts(m)->decimals >= 0 ? opts(m)->decimals : v == floor(v) ? 0 : 1;
			chart_format_value(v, decimals, true, opts(m)->unit, value, sizeof(value));
			snprintf(lines[n++], 160, "%s: %s", opts(m)->legend_title[0]
								? opts(m)->legend_title
								: opts(m)->value_field,
				 value);
		} else if (max > n) {
			snprintf(lines[n++], 160, "%s", opts(m)->nodata_text);
		}
		if (max > n && part->key[0]) {
			snprintf(lines[n++], 160, "%s: %s", opts(m)->key_property, part->key);
		}
	} else if ((part->kind == WIDGET_PART_MARKER || part->kind == WIDGET_PART_CLUSTER) &&
		   part->index >= 0 && (size_t)part->index < m->marker_count) {
		const struct marker *mk = &m->markers[part->index];
		if (max > n && mk->label) {
			snprintf(lines[n++], 160, "%s%s", part->kind == WIDGET_PART_CLUSTER ? "first: " : "",
				 mk->label);
		}
		if (max > n) {
			snprintf(lines[n++], 160, "state: %s", state_name(mk->state));
		}
		if (max > n) {
			snprintf(lines[n++], 160, "at %.5f, %.5f", mk->y, mk->x);
		}
	}
	return n;
}

bool map_marker_point(const void *self, long index, double *x, double *y)
{
	const struct map *m = self;
	if (index < 0 || (size_t)index >= m->marker_count) {
		return false;
	}
	*x = m->markers[index].x;
	*y = m->markers[index].y;
	return true;
}
