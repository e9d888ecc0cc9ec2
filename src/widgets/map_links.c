/*
 * map: road links — the polylines of Seoul's real-time road data (citydata ROAD_TRAFFIC_STTS:
 * LINK_ID, ROAD_NM, SPD, IDX, XYLIST "lon_lat|lon_lat|…") read at bind time and drawn over the
 * districts and under the markers, coloured by speed class, each on a casing of the
 * background colour so that it reads on any fill. District names are then drawn over the
 * links (live, not from the cached layers) so that a road never crosses out a name.
 *
 * Speed classes are the option "link_thresholds" (the same kind as "thresholds", so a named
 * scale works), by default TOPIS's for arterial roads (seoul-board-content.md §5.4): under
 * 15 km/h 정체, under 25 서행, else 원활. A text value (IDX "정체") is classed by categorical
 * thresholds.
 *
 * On the bundled cartogram a district is a square away from where it lies; each point of a
 * link is moved by the inverse-distance-weighted (Shepard) mix of the districts' moves from
 * their real centroid to their square's centre, so a link stays one continuous line and lies
 * over the squares of the districts it crosses — indicative, not a street map (docs).
 */

#include "widgets/map_internal.h"

#include "render/draw.h"
#include "util/log.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Link records read per binding, and points kept over all of them (1.6 MB). */
#define MAX_LINKS 5000
#define MAX_LINK_POINTS 100000

/* TOPIS arterial classes: what "link_thresholds" defaults to. */
static enum state topis_state(double speed)
{
	return speed < 15 ? STATE_BAD : speed < 25 ? STATE_MODERATE : STATE_GOOD;
}

static enum state link_state(const struct map *m, const struct value *v)
{
	const struct thresholds *t = opts(m)->link_thresholds;
	double speed;
	if (value_number(v, &speed)) {
		return t ? thresholds_state(t, speed) : topis_state(speed);
	}
	if (v && v->kind == VALUE_STRING && t && thresholds_categorical(t)) {
		return thresholds_state_text(t, v->string.text);
	}
	return STATE_NODATA;
}

/* The map's bounds with a tenth of its extent around: points beyond are not Seoul's. */
static struct xylist_bounds link_bounds(const struct geo *g)
{
	double mx = (g->max_x - g->min_x) * 0.1, my = (g->max_y - g->min_y) * 0.1;
	return (struct xylist_bounds){g->min_x - mx, g->min_y - my, g->max_x + mx, g->max_y + my};
}

/* Moves a real lon/lat onto the cartogram (see the top of the file). */
static void warp(const struct map_anchor *a, size_t n, double x_scale, struct xylist_point *p)
{
	double sx = 0, sy = 0, sw = 0;
	for (size_t i = 0; i < n; i++) {
		double dx = (p->lon - a[i].lon) * x_scale, dy = p->lat - a[i].lat;
		double d2 = dx * dx + dy * dy;
		if (d2 < 1e-14) {
			sx = a[i].cx - a[i].lon, sy = a[i].cy - a[i].lat, sw = 1;
			break;
		}
		double w = 1 / (d2 * d2); // 1 / d⁴: the nearest districts lead
		sx += w * (a[i].cx - a[i].lon);
		sy += w * (a[i].cy - a[i].lat);
		sw += w;
	}
	p->lon += sx / sw;
	p->lat += sy / sw;
}

struct reading {
	struct map_links links;
	struct xylist_point *buf; // owned: one link's points while parsing
	struct xylist_bounds bounds;
	struct map_anchor *anchors; // owned; NULL on real boundaries
	size_t anchor_count;
};

static void read_link(const struct map *m, const struct value *r, struct reading *rd)
{
	struct map_links *l = &rd->links;
	l->tally.records++;
	const struct value *path = r->kind == VALUE_OBJECT
					   ? value_member(r, opts(m)->link_path_field) : NULL;
	if (!path || path->kind != VALUE_STRING) {
		l->tally.no_path++;
		return;
	}
	size_t room = MAX_LINK_POINTS - l->point_count;
	struct xylist_tally t = {0};
	size_t n = xylist_parse(path->string.text, path->string.length, &rd->bounds, rd->buf,
				room < XYLIST_MAX_POINTS ? room : XYLIST_MAX_POINTS, &t);
	l->tally.bad += t.bad;
	l->tally.outside += t.outside;
	l->tally.cut += t.cut;
	if (n < 2) {
		l->tally.short_links++;
		return;
	}
	for (size_t i = 0; i < n && rd->anchor_count; i++) {
		warp(rd->anchors, rd->anchor_count, m->geo->x_scale, &rd->buf[i]);
	}
	l->points = xrealloc(l->points, (l->point_count + n) * sizeof(*l->points));
	memcpy(l->points + l->point_count, rd->buf, n * sizeof(*rd->buf));
	l->links = xrealloc(l->links, (l->count + 1) * sizeof(*l->links));
	l->links[l->count++] = (struct map_link){
		.first = l->point_count, .count = n,
		.state = link_state(m, value_member(r, opts(m)->link_value_field))};
	l->point_count += n;
	l->tally.links++;
	l->tally.points += n;
}

static bool same_links(const struct map_links *a, const struct map_links *b)
{
	if (a->count != b->count || a->point_count != b->point_count) {
		return false;
	}
	for (size_t i = 0; i < a->count; i++) {
		if (a->links[i].first != b->links[i].first || a->links[i].count != b->links[i].count ||
		    a->links[i].state != b->links[i].state) {
			return false;
		}
	}
	for (size_t i = 0; i < a->point_count; i++) {
		if (a->points[i].lon != b->points[i].lon || a->points[i].lat != b->points[i].lat) {
			return false;
		}
	}
	return true;
}

static void report(const struct map *m, const struct value *records, size_t count)
{
	char key[128];
	snprintf(key, sizeof(key), "%s:links", m->log_key);
	const struct map_link_tally *t = &m->links.tally;
	if (records && records->kind != VALUE_ARRAY && records->kind != VALUE_OBJECT) {
		log_once(LOG_WARN, key, "map %s: links must be an array or object, got %s",
			 m->tile->id, value_kind_name(records->kind));
	} else if (t->no_path || t->short_links || t->bad || t->outside || t->cut ||
		   count > MAX_LINKS) {
		log_once(LOG_WARN, key,
			 "map %s: links: %zu records, %zu drawn; %zu without \"%s\" text, %zu with "
			 "fewer than 2 good points; points skipped: %zu not numbers, %zu outside the "
			 "map, %zu past the limits%s",
			 m->tile->id, count, t->links, t->no_path, opts(m)->link_path_field,
			 t->short_links, t->bad, t->outside, t->cut,
			 count > MAX_LINKS ? "; only the first 5000 records read" : "");
	} else {
		log_once_clear(key);
	}
}

bool map_bind_links(struct map *m, const struct value *records)
{
	if (!opts(m)->links_set) {
		return false;
	}
	bool object = records && records->kind == VALUE_OBJECT;
	size_t count = !records ? 0
		       : object ? records->object.count
		       : records->kind == VALUE_ARRAY ? records->array.count : 0;
	struct reading rd = {.buf = xcalloc(XYLIST_MAX_POINTS, sizeof(*rd.buf)),
			     .bounds = link_bounds(m->geo)};
	rd.anchor_count = count ? map_cartogram_anchors(m->geo, &rd.anchors) : 0;
	for (size_t i = 0; i < count && i < MAX_LINKS; i++) {
		read_link(m, object ? records->object.members[i].value : records->array.items[i],
			  &rd);
	}
	free(rd.buf);
	free(rd.anchors);
	bool changed = !same_links(&rd.links, &m->links);
	map_free_links(m);
	m->links = rd.links;
	report(m, records, count);
	return changed;
}

void map_free_links(struct map *m)
{
	free(m->links.points);
	free(m->links.links);
	m->links = (struct map_links){0};
}

bool map_names_over_links(const struct map *m)
{
	return opts(m)->links_set;
}

static void link_path(cairo_t *cr, const struct map *m, const struct view *v,
		      const struct map_link *l)
{
	const struct xylist_point *p = m->links.points + l->first;
	for (size_t k = 0; k < l->count; k++) {
		double x, y;
		project(m, v, p[k].lon, p[k].lat, &x, &y);
		if (k == 0) {
			cairo_move_to(cr, x, y);
		} else {
			cairo_line_to(cr, x, y);
		}
	}
}

/* Free-flowing first, so that the congested links lie on top where links cross. */
static const enum state draw_order[] = {STATE_NODATA, STATE_NORMAL, STATE_GOOD, STATE_MODERATE,
					STATE_BAD, STATE_VERY_BAD};

static void draw_link_lines(const struct map *m, cairo_t *cr, const struct view *v,
			    const struct theme *theme)
{
	double width = clampd(fmin(v->map.w, v->map.h) * 0.007, 1.5, 12);
	cairo_save(cr);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_new_path(cr);
	for (size_t i = 0; i < m->links.count; i++) {
		link_path(cr, m, v, &m->links.links[i]);
	}
	/* The casing: a dark edge that separates the line from a fill of the same colour. */
	cairo_set_line_width(cr, width * 1.9);
	draw_set_color(cr, theme->background);
	cairo_stroke(cr);
	cairo_set_line_width(cr, width);
	for (size_t s = 0; s < sizeof(draw_order) / sizeof(draw_order[0]); s++) {
		bool any = false;
		for (size_t i = 0; i < m->links.count; i++) {
			if (m->links.links[i].state == draw_order[s]) {
				link_path(cr, m, v, &m->links.links[i]);
				any = true;
			}
		}
		if (any) {
			draw_set_color(cr, map_state_fill(theme, draw_order[s]));
			cairo_stroke(cr);
		}
	}
	cairo_restore(cr);
}

void map_draw_links(struct map *m, cairo_t *cr, const struct view *v,
		    const struct widget_ctx *ctx)
{
	if (!map_names_over_links(m)) {
		return;
	}
	if (m->links.count) {
		draw_link_lines(m, cr, v, ctx->theme);
	}
	map_draw_labels(cr, ctx->text, m, v, ctx->theme);
}

/* --- for tests ------------------------------------------------------------------------ */

const struct map_link_tally *map_links_tally(const void *self)
{
	return &((const struct map *)self)->links.tally;
}

size_t map_link_count(const void *self)
{
	return ((const struct map *)self)->links.count;
}

enum state map_link_state(const void *self, size_t i)
{
	const struct map *m = self;
	return i < m->links.count ? m->links.links[i].state : STATE_NODATA;
}
