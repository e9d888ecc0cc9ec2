/*
 * map: the centre of the wall — districts as a choropleth of a bound value, markers from a
 * source (clustered when they crowd), district names that never collide, and a legend.
 *
 * The geometry is loaded with the layout (layout/geo.c); a tile naming no file shows the
 * bundled Seoul cartogram. Drawing is layered so that a new value does not redraw the city:
 *   fills  - district fills (and values under names), a cached surface; a changed value
 *            repaints only its district, unless values are printed (then all, with labels)
 *   lines  - outlines and district names, a cached surface drawn once per size and theme
 *   live   - the card, title, markers and legend, drawn every time; marker symbols and
 *            bubbles are stamped from small images drawn once per scale (sprites)
 * Both caches are keyed by the device transform and the theme, and composited pixel-aligned.
 *
 * Records may carry their own time (`time_field`, `marker_time_field`): a district whose
 * record is as old as its source's max_age is filled in the no-data grey without the hatching
 * (which still means "no data") and the legend says "stale"; a stale marker is drawn hollow.
 * Staleness is decided when drawing, and the widget's deadline is when the next one turns.
 *
 * This file holds the options, create/destroy, binding values, colours and the order of
 * drawing; map_layers.c, map_legend.c and map_markers.c the rest (see map_internal.h).
 */

#include "widgets/map_internal.h"

#include "layout/scales.h"
#include "render/draw.h"
#include "util/log.h"
#include "util/xmalloc.h"
#include "widgets/record_time.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const label_choices[] = {
	[MAP_LABELS_NAME] = "name", [MAP_LABELS_NAME_ENG] = "name_eng", [MAP_LABELS_NONE] = "none",
	NULL,
};

static const struct option_spec map_options[] = {
	{.key = "title", OPT_FIELD(OPT_STRING, struct map_opts, title), .default_text = "",
	 .help = "label of the tile"},
	{.key = "geojson", OPT_FIELD(OPT_ASSET, struct map_opts, geojson), .load = geo_asset_load,
	 .unload = geo_asset_unload,
	 .help = "GeoJSON FeatureCollection (Polygon, MultiPolygon, Point); default: the bundled "
		 "Seoul cartogram"},
	{.key = "key_property", OPT_FIELD(OPT_STRING, struct map_opts, key_property),
	 .default_text = "code", .help = "feature property matched against the records' value_key"},
	{.key = "name_property", OPT_FIELD(OPT_STRING, struct map_opts, name_property),
	 .default_text = "name", .help = "feature property with the Korean name"},
	{.key = "name_eng_property", OPT_FIELD(OPT_STRING, struct map_opts, name_eng_property),
	 .default_text = "name_eng", .help = "feature property with the English name"},
	{.key = "labels", OPT_FIELD(OPT_ENUM, struct map_opts, labels), .choices = label_choices,
	 .default_text = "name", .help = "district labels: name (Korean), name_eng or none"},
	{.key = "values", .type = OPT_BINDING, OPT_SET(struct map_opts, values_set),
	 .help = "path of the records: an array of objects, or an object keyed by district"},
	{.key = "value_key", OPT_FIELD(OPT_STRING, struct map_opts, value_key),
	 .default_text = "code",
	 .help = "record field matched against key_property (object records: the member name "
		 "when the field is absent)"},
	{.key = "value_field", OPT_FIELD(OPT_STRING, struct map_opts, value_field),
	 .default_text = "value", .help = "record field holding the number"},
	{.key = "time_field", OPT_FIELD(OPT_STRING, struct map_opts, time_field),
	 .default_text = "",
	 .help = "record field with the record's own time (e.g. \"MSRDT\"): a district as old as "
		 "its source's max_age is drawn stale; empty: none"},
	{.key = "stale_text", OPT_FIELD(OPT_STRING, struct map_opts, stale_text),
	 .default_text = "갱신 지연", .help = "legend entry of stale districts"},
	{.key = "thresholds", OPT_FIELD(OPT_THRESHOLDS, struct map_opts, thresholds),
	 .help = "value ranges to state colours"},
	{.key = "scale_min", OPT_FIELD(OPT_NUMBER, struct map_opts, scale_min),
	 OPT_SET(struct map_opts, scale_min_set),
	 .help = "continuous scale: the value drawn in low_color (default: the data's minimum)"},
	{.key = "scale_max", OPT_FIELD(OPT_NUMBER, struct map_opts, scale_max),
	 OPT_SET(struct map_opts, scale_max_set),
	 .help = "continuous scale: the value drawn in high_color (default: the data's maximum)"},
	{.key = "low_color", OPT_FIELD(OPT_COLOR, struct map_opts, low_color),
	 .default_text = "#1c4f80", .help = "continuous scale: colour of the low end"},
	{.key = "high_color", OPT_FIELD(OPT_COLOR, struct map_opts, high_color),
	 .default_text = "#e8743b", .help = "continuous scale: colour of the high end"},
	{.key = "unit", OPT_FIELD(OPT_STRING, struct map_opts, unit), .default_text = "",
	 .help = "unit of the values"},
	{.key = "decimals", OPT_FIELD(OPT_INT, struct map_opts, decimals), OPT_RANGE(-1, 6),
	 .default_number = -1,
	 .help = "digits after the point; -1: none for whole numbers, else one"},
	{.key = "show_values", OPT_FIELD(OPT_BOOL, struct map_opts, show_values),
	 .default_number = 0, .help = "print each district's value under its name"},
	{.key = "legend", OPT_FIELD(OPT_BOOL, struct map_opts, legend), .default_number = 1,
	 .help = "draw the legend"},
	{.key = "legend_title", OPT_FIELD(OPT_STRING, struct map_opts, legend_title),
	 .default_text = "", .help = "heading of the legend, e.g. \"PM10 ㎍/㎥\""},
	{.key = "nodata_text", OPT_FIELD(OPT_STRING, struct map_opts, nodata_text),
	 .default_text = "데이터 없음", .help = "shown when the values are missing or invalid"},
	{.key = "markers", .type = OPT_BINDING,
	 .help = "path of the marker records (array, or object of records)"},
	{.key = "marker_lat", OPT_FIELD(OPT_STRING, struct map_opts, marker_lat),
	 .default_text = "lat", .help = "marker field with the latitude"},
	{.key = "marker_lon", OPT_FIELD(OPT_STRING, struct map_opts, marker_lon),
	 .default_text = "lon", .help = "marker field with the longitude"},
	{.key = "marker_lon_lat", OPT_FIELD(OPT_STRING, struct map_opts, marker_lon_lat),
	 .default_text = "lon_lat",
	 .help = "marker field with \"lon,lat\" text, used when lat/lon are absent"},
	{.key = "marker_category", OPT_FIELD(OPT_STRING, struct map_opts, marker_category),
	 .default_text = "category",
	 .help = "field naming the symbol: incident, fire_station, bike_station, cctv"},
	{.key = "marker_state", OPT_FIELD(OPT_STRING, struct map_opts, marker_state),
	 .default_text = "state",
	 .help = "field with the marker's state: good, moderate, bad, very_bad"},
	{.key = "marker_label", OPT_FIELD(OPT_STRING, struct map_opts, marker_label),
	 .default_text = "", .help = "field with a marker's label; empty: none"},
	{.key = "marker_time_field", OPT_FIELD(OPT_STRING, struct map_opts, marker_time_field),
	 .default_text = "",
	 .help = "field with a marker's own time: a marker as old as its source's max_age is "
		 "drawn hollow and grey; empty: none"},
	{.key = "marker_size", OPT_FIELD(OPT_NUMBER, struct map_opts, marker_size),
	 OPT_RANGE(2, 100), .default_number = 12,
	 .help = "marker size in virtual units"},
	{.key = "cluster", OPT_FIELD(OPT_BOOL, struct map_opts, cluster), .default_number = 1,
	 .help = "merge markers that would overlap into a bubble with their count"},
	{.key = "links", .type = OPT_BINDING, OPT_SET(struct map_opts, links_set),
	 .help = "path of road link records (Seoul citydata ROAD_TRAFFIC_STTS rows), drawn as "
		 "polylines coloured by speed class over the districts"},
	{.key = "link_path_field", OPT_FIELD(OPT_STRING, struct map_opts, link_path_field),
	 .default_text = "XYLIST", .help = "link field with the polyline, \"lon_lat|lon_lat|…\""},
	{.key = "link_value_field", OPT_FIELD(OPT_STRING, struct map_opts, link_value_field),
	 .default_text = "SPD", .help = "link field with the speed (or the class, as text)"},
	{.key = "link_thresholds", OPT_FIELD(OPT_THRESHOLDS, struct map_opts, link_thresholds),
	 .help = "speed classes to state colours; default: TOPIS arterial roads, under 15 km/h "
		 "정체 (bad), under 25 서행 (moderate), else 원활 (good)"},
	{.key = "river", OPT_FIELD(OPT_BOOL, struct map_opts, river), .default_number = 1,
	 .help = "draw the Han river: the cartogram's gap between the banks, or on real boundaries "
		 "the edges shared by north- and south-bank districts"},
	{.key = "cache", OPT_FIELD(OPT_BOOL, struct map_opts, cache), .default_number = 1,
	 .help = "keep the drawn map in cached layers (off: redraw everything, for measuring)"},
	{0},
};

/* --- colours -------------------------------------------------------------------------- */

/*
 * A state's colour on the map is the state's own accent, as on kpi and bar tiles: mixed with
 * the tile's blue, orange "bad" turned olive and no longer matched its kpi.
 */
struct color map_state_fill(const struct theme *theme, enum state state)
{
	if (state == STATE_NODATA) {
		return mix(theme->states[STATE_NODATA].accent, theme->tile, 0.3);
	}
	return theme->states[state].accent;
}

static struct color neutral_fill(const struct theme *theme)
{
	return mix(theme->muted, theme->tile, 0.3);
}

/* The continuous scale's ends: the options, or the data's range. */
void map_scale_range(const struct map *m, double *lo, double *hi)
{
	*lo = opts(m)->scale_min_set ? opts(m)->scale_min : m->data_min;
	*hi = opts(m)->scale_max_set ? opts(m)->scale_max : m->data_max;
}

static struct color scale_color(const struct map *m, double v)
{
	double lo, hi;
	map_scale_range(m, &lo, &hi);
	double t = hi > lo ? clampd((v - lo) / (hi - lo), 0, 1) : 0.5;
	return mix(opts(m)->high_color, opts(m)->low_color, t);
}

/* The fill of feature i; false when it has no data (drawn hatched). */
bool map_feature_fill(const struct map *m, size_t i, const struct theme *theme,
			 struct color *out)
{
	if (m->status == DATA_UNBOUND) {
		*out = neutral_fill(theme);
		return true;
	}
	if (!m->has[i]) {
		*out = map_state_fill(theme, STATE_NODATA);
		return false;
	}
	if (m->stale[i]) {
		/* The no-data grey, solid: the hatching keeps meaning "no data at all". */
		*out = map_state_fill(theme, STATE_NODATA);
		return true;
	}
	const struct thresholds *t = opts(m)->thresholds;
	double v = m->values[i];
	/* The scale's own colour for the step, as kpi and bar tiles draw it. */
	*out = t ? scale_look(theme, thresholds_step(t, v), thresholds_state(t, v)).accent
		 : scale_color(m, v);
	return true;
}

/* --- create / destroy ----------------------------------------------------------------- */

static int compare_keys(const void *a, const void *b)
{
	return strcmp(((const struct keyed *)a)->key, ((const struct keyed *)b)->key);
}

/* The features that have a key property, sorted by it: records find theirs by bisection. */
static void index_features(struct map *m)
{
	const struct geo *g = m->geo;
	const char *key_property = opts(m)->key_property;
	m->index = xcalloc(g->feature_count ? g->feature_count : 1, sizeof(*m->index));
	for (size_t i = 0; i < g->feature_count; i++) {
		const char *key = geo_property(g, &g->features[i], key_property);
		if (key) {
			m->index[m->keyed++] = (struct keyed){key, i};
		}
	}
	qsort(m->index, m->keyed, sizeof(*m->index), compare_keys);
	if (m->keyed < g->feature_count && opts(m)->values_set) {
		log_once(LOG_WARN, m->log_key, "map %s: %zu of %zu features have no property \"%s\"",
			 m->tile->id, g->feature_count - m->keyed, g->feature_count, key_property);
	}
}

static void *map_create(const struct tile *tile)
{
	struct map *m = xcalloc(1, sizeof(*m));
	m->tile = tile;
	options_fill(&tile->options, &m->o);
	snprintf(m->log_key, sizeof(m->log_key), "map:%s", tile->id);
	m->geo = geo_ref(m->o.geojson);
	if (!m->geo) {
		/* The layout named no file: the bundled cartogram, shared by every such tile. */
		m->geo = geo_default_acquire(m->geo_error, sizeof(m->geo_error));
		if (!m->geo) {
			log_once(LOG_ERROR, m->log_key, "map %s: %s", tile->id, m->geo_error);
		}
	}
	m->status = m->o.values_set ? DATA_MISSING : DATA_UNBOUND;
	m->zoom = MAP_ZOOM_NONE;
	m->values_max_age = m->markers_max_age = INFINITY;
	if (m->geo) {
		size_t n = m->geo->feature_count;
		m->values = xcalloc(n, sizeof(*m->values));
		m->has = xcalloc(n, sizeof(*m->has));
		m->changed = xcalloc(n, sizeof(*m->changed));
		m->times = xcalloc(n, sizeof(*m->times));
		m->stale = xcalloc(n, sizeof(*m->stale));
		for (size_t i = 0; i < n; i++) {
			m->times[i] = NAN;
		}
		index_features(m);
	}
	return m;
}

static void map_destroy(void *self)
{
	struct map *m = self;
	if (!m) {
		return;
	}
	map_drop_layer(&m->fills);
	map_drop_layer(&m->lines);
	map_drop_sprites(m);
	map_drop_caches(m);
	map_free_markers(m->markers, m->marker_count);
	map_free_links(m);
	map_free_river(m);
	free(m->labels);
	free(m->clusters);
	free(m->marker_labels);
	free(m->values);
	free(m->has);
	free(m->changed);
	free(m->times);
	free(m->stale);
	free(m->index);
	geo_unref(m->geo);
	free(m);
}

/* --- binding: values ------------------------------------------------------------------ */

/* A record's key or value as text: strings as they are, whole numbers printed. */
static const char *key_text(const struct value *v, char *buf, size_t size)
{
	if (v && v->kind == VALUE_NUMBER && v->number == floor(v->number) &&
	    fabs(v->number) < 1e15) {
		snprintf(buf, size, "%.0f", v->number);
		return buf;
	}
	return v && v->kind == VALUE_STRING ? v->string.text : NULL;
}

/* What one reading of the records fills in, per feature. */
struct readings {
	double *values; // owned
	bool *has;      // owned
	double *times;  // owned: NAN: none
	struct record_time_tally tally;
};

/* Sets the value (and time) of every feature whose key is `key`; returns how many. */
static size_t assign(struct map *m, const char *key, double value, double time,
		     struct readings *out)
{
	size_t lo = 0, hi = m->keyed;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(m->index[mid].key, key) < 0) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	size_t n = 0;
	for (; lo < m->keyed && strcmp(m->index[lo].key, key) == 0; lo++, n++) {
		out->values[m->index[lo].feature] = value;
		out->has[m->index[lo].feature] = true;
		out->times[m->index[lo].feature] = time;
	}
	return n;
}

static void read_record(struct map *m, const char *member, const struct value *record,
			size_t number, struct readings *out, size_t *bad)
{
	char buf[64];
	const char *key = NULL;
	const char *time_field = opts(m)->time_field;
	double v, time = NAN;
	bool ok;
	if (record->kind == VALUE_OBJECT) {
		key = key_text(value_member(record, opts(m)->value_key), buf,
			       sizeof(buf));
		ok = value_number(value_member(record, opts(m)->value_field), &v);
	} else {
		ok = value_number(record, &v); // {"11680": 91}: the record is the value
	}
	key = key ? key : member;
	if (!key) {
		(*bad)++;
		return;
	}
	*bad += !ok;
	if (ok && time_field[0]) {
		time = record_time_read(record, time_field, RECORD_TIME_ZONE, number,
					&out->tally);
	}
	if (ok && assign(m, key, v, time, out) > 0) {
		m->matched++;
		m->data_min = fmin(m->data_min, v);
		m->data_max = fmax(m->data_max, v);
	}
}

static void read_records(struct map *m, const struct value *records, struct readings *out)
{
	bool object = records->kind == VALUE_OBJECT;
	size_t count = object ? records->object.count : records->array.count;
	size_t n = count < MAX_RECORDS ? count : MAX_RECORDS, bad = 0;
	m->matched = 0;
	m->data_min = INFINITY;
	m->data_max = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		const struct value *r = object ? records->object.members[i].value
					       : records->array.items[i];
		read_record(m, object ? records->object.members[i].key : NULL, r, i + 1, out, &bad);
	}
	char key[128], what[120];
	snprintf(key, sizeof(key), "%s:times", m->log_key);
	snprintf(what, sizeof(what), "map %s", m->tile->id);
	if (opts(m)->time_field[0]) {
		record_time_report(&out->tally, key, what, "time_field",
				   opts(m)->time_field);
	}
	snprintf(key, sizeof(key), "%s:values", m->log_key);
	if (bad || count > n || (m->matched == 0 && n > 0)) {
		log_once(LOG_WARN, key,
			 "map %s: %zu records, %zu without a number in \"%s\" or a key, %zu matched "
			 "(\"%s\" against feature property \"%s\")%s",
			 m->tile->id, count, bad, opts(m)->value_field, m->matched,
			 opts(m)->value_key, opts(m)->key_property,
			 count > n ? "; only the first 10000 read" : "");
	} else {
		log_once_clear(key);
	}
}

static bool bind_values(struct map *m, const struct value *records)
{
	if (m->status == DATA_UNBOUND) {
		return false;
	}
	size_t n = m->geo->feature_count;
	struct readings r = {.values = xcalloc(n, sizeof(double)), .has = xcalloc(n, sizeof(bool)),
			     .times = xcalloc(n, sizeof(double))};
	for (size_t i = 0; i < n; i++) {
		r.times[i] = NAN;
	}
	enum data_status status = DATA_MISSING;
	if (records && (records->kind == VALUE_ARRAY || records->kind == VALUE_OBJECT)) {
		status = DATA_OK;
		read_records(m, records, &r);
	} else if (records) {
		status = DATA_INVALID;
		char key[128];
		snprintf(key, sizeof(key), "%s:values", m->log_key);
		log_once(LOG_WARN, key, "map %s: values must be an array or object, got %s",
			 m->tile->id, value_kind_name(records->kind));
	}
	bool changed = status != m->status;
	for (size_t i = 0; i < n; i++) {
		bool same_time = r.times[i] == m->times[i] || (isnan(r.times[i]) && isnan(m->times[i]));
		if (r.has[i] != m->has[i] || (r.has[i] && (r.values[i] != m->values[i] || !same_time))) {
			m->changed[i] = true;
			changed = true;
		}
	}
	/* Without thresholds the colours follow the data's range: any change may recolour all. */
	if (changed && !opts(m)->thresholds) {
		m->fills_valid = false;
	}
	free(m->values);
	free(m->has);
	free(m->times);
	m->values = r.values;
	m->has = r.has;
	m->times = r.times;
	m->status = status;
	return changed;
}

static bool map_bind(void *self, const struct binding_values *values)
{
	struct map *m = self;
	if (!m->geo) {
		return false;
	}
	double values_age = binding_max_age(values, "values");
	double markers_age = binding_max_age(values, "markers");
	bool changed = values_age != m->values_max_age || markers_age != m->markers_max_age;
	m->values_max_age = values_age;
	m->markers_max_age = markers_age;
	enum data_status status = m->status;
	bool values_changed = bind_values(m, binding_current(values, "values"));
	changed |= map_bind_markers(m, binding_current(values, "markers"));
	changed |= map_bind_links(m, binding_current(values, "links"));
	/* Anything but the districts' values (and a colour range they move) is drawn whole. */
	m->whole |= changed || m->status != status || (values_changed && !opts(m)->thresholds);
	return changed || values_changed;
}

/* Which districts are stale at `now`; one that turned is repainted in the fills layer. */
void map_update_stale(struct map *m, double now)
{
	for (size_t i = 0; i < m->geo->feature_count; i++) {
		bool stale = m->status == DATA_OK && m->has[i] &&
			     record_time_stale(m->times[i], m->values_max_age, now);
		if (stale != m->stale[i]) {
			m->stale[i] = stale;
			m->changed[i] = true;
		}
	}
}

/* The moment the next district or marker turns stale; INFINITY when none will. */
static double map_next_deadline(void *self, double now)
{
	const struct map *m = self;
	double next = INFINITY;
	for (size_t i = 0; m->geo && m->status == DATA_OK && i < m->geo->feature_count; i++) {
		if (m->has[i]) {
			next = fmin(next, record_time_deadline(m->times[i], m->values_max_age, now));
		}
	}
	for (size_t i = 0; i < m->marker_count; i++) {
		next = fmin(next, record_time_deadline(m->markers[i].time, m->markers_max_age, now));
	}
	return next;
}

/* --- drawing -------------------------------------------------------------------------- */

static void draw_message(cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
			 const char *line1, const char *line2)
{
	const struct theme *theme = ctx->theme;
	double size = clampd(fmin(r->h * 0.08, r->w * 0.05), 12, 44);
	struct text_style style = draw_text_style(theme->font, true, size,
						  theme->states[STATE_NODATA].accent,
						  TEXT_ALIGN_CENTER);
	double cx = r->x + r->w / 2, cy = r->y + r->h / 2;
	text_draw(ctx->text, cr, &style, cx, cy, r->w * 0.9, line1);
	style = draw_text_style(theme->font, false, size * 0.45, theme->muted, TEXT_ALIGN_CENTER);
	text_draw(ctx->text, cr, &style, cx, cy + size * 1.1, r->w * 0.9, line2);
}

static void map_draw(void *self, cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
		     double now)
{
	struct map *m = self;
	const struct theme *theme = ctx->theme;
	cairo_matrix_t matrix;
	cairo_get_matrix(cr, &matrix);
	m->drawn = false;
	draw_card(cr, r, theme, theme->tile);
	struct view *v = &m->view;
	map_compute_view(m, cr, r, v);
	const char *title = opts(m)->title;
	if (title[0]) {
		struct text_style style = draw_text_style(theme->font, false, v->title.h,
							  theme->muted, TEXT_ALIGN_LEFT);
		text_draw(ctx->text, cr, &style, v->title.x, v->title.y + v->title.h * 0.9,
			  v->title.w, title);
	}
	if (!m->geo) {
		draw_message(cr, r, ctx, "지도를 불러올 수 없음 · map unavailable", m->geo_error);
		return;
	}
	if (v->scale <= 0) {
		return;
	}
	/* A zoomed map is drawn again at its scale inside its box (map_zoom.c). */
	bool zoomed = m->zoom.k != 1;
	if (zoomed) {
		map_zoom_view(&m->zoom, v);
		cairo_save(cr);
		cairo_rectangle(cr, v->map.x, v->map.y, v->map.w, v->map.h);
		cairo_clip(cr);
	}
	map_prepare(m, v, theme);
	map_update_stale(m, now);
	map_draw_districts(m, cr, v, ctx);
	map_draw_links(m, cr, v, ctx);
	map_draw_markers(m, cr, v, ctx, now);
	if (zoomed) {
		cairo_restore(cr);
	}
	map_draw_legend(cr, m, v, ctx);
	map_note_drawn(m, cr, r, theme, &matrix);
}

/* --- for tests ------------------------------------------------------------------------ */

const struct map_label *map_drawn_labels(const void *self, size_t *count)
{
	const struct map *m = self;
	*count = m->label_count;
	return m->labels;
}

const struct map_cluster *map_drawn_clusters(const void *self, size_t *count)
{
	const struct map *m = self;
	*count = m->cluster_count;
	return m->clusters;
}

const struct rect *map_drawn_marker_labels(const void *self, size_t *count)
{
	const struct map *m = self;
	*count = m->marker_label_count;
	return m->marker_labels;
}

bool map_feature_point(const void *self, size_t index, double *x, double *y)
{
	const struct map *m = self;
	if (!m->geo || index >= m->geo->feature_count) {
		return false;
	}
	project(m, &m->view, m->geo->features[index].label.x, m->geo->features[index].label.y, x,
		y);
	return true;
}

bool map_feature_stale(const void *self, size_t index)
{
	const struct map *m = self;
	return m->geo && index < m->geo->feature_count && m->stale[index];
}

const struct geo *map_geometry(const void *self)
{
	return ((const struct map *)self)->geo;
}

static bool map_usable(const struct tile *tile, const char *key, const struct value *v)
{
	return v->kind == VALUE_ARRAY || v->kind == VALUE_OBJECT;
}

const struct geo_shape *map_drawn_shape(const void *self)
{
	return ((const struct map *)self)->shape;
}

const struct widget_impl widget_map = {
	.spec = {
		.name = "map",
		.options = map_options,
		.help = "districts as a choropleth of bound values, with markers and a legend",
	},
	.create = map_create,
	.bind = map_bind,
	.draw = map_draw,
	.animate = map_update_in_place,
	.next_deadline = map_next_deadline,
	.destroy = map_destroy,
	.usable = map_usable,
	.hit = map_hit,
	.part_lines = map_part_lines,
};
