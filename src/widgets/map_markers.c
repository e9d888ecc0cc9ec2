/*
 * map: markers — read from their records at bind time, clustered on a grid at the current
 * scale (overlapping bubbles merged), and drawn as symbols and count bubbles stamped from
 * sprites drawn once per device scale and theme. A marker older than its source's max_age by
 * its own time (marker_time_field) is drawn hollow and grey, under the fresh ones.
 */

#include "widgets/map_internal.h"

#include "render/draw.h"
#include "util/log.h"
#include "util/xmalloc.h"
#include "widgets/record_time.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- binding: markers ----------------------------------------------------------------- */

static const struct {
	const char *name, *plural, *word; // word: the legend's name of the layer
	enum symbol symbol;
} categories[] = {{"incident", "incidents", "사건", SYMBOL_TRIANGLE},
		  {"fire_station", "fire_stations", "소방서", SYMBOL_SQUARE},
		  {"bike_station", "bike_stations", "따릉이", SYMBOL_CIRCLE},
		  {"cctv", "cctvs", "CCTV", SYMBOL_DIAMOND}};
#define CATEGORY_COUNT (sizeof(categories) / sizeof(categories[0]))

static size_t category_of(const char *name)
{
	for (size_t i = 0; name && i < CATEGORY_COUNT; i++) {
		if (strcmp(name, categories[i].name) == 0 || strcmp(name, categories[i].plural) == 0) {
			return i;
		}
	}
	return CATEGORY_COUNT;
}


/* "126.9779692,37.566535" → lon, lat. */
static bool parse_lon_lat(const char *text, double *lon, double *lat)
{
	char *end;
	*lon = strtod(text, &end);
	if (end == text || *end != ',') {
		return false;
	}
	const char *second = end + 1;
	*lat = strtod(second, &end);
	while (*end == ' ') {
		end++;
	}
	return end != second && *end == '\0';
}

static bool marker_position(const struct map *m, const struct value *r, double *x, double *y)
{
	bool ok = value_number(value_member(r, opts(m)->marker_lon), x) &&
		  value_number(value_member(r, opts(m)->marker_lat), y);
	if (!ok) {
		const struct value *pair = value_member(r, opts(m)->marker_lon_lat);
		ok = pair && pair->kind == VALUE_STRING && parse_lon_lat(pair->string.text, x, y);
	}
	if (!ok || !isfinite(*x) || !isfinite(*y)) {
		return false;
	}
	return !m->geo->lonlat || (fabs(*x) <= 180 && fabs(*y) <= 90);
}

/*
 * Reads record r into *out. `layer` names the member holding it when the markers are an object
 * of lists (one layer each: {"사건": [...], "CCTV": [...]}), else NULL; `layer_index` picks
 * the layer's symbol when neither its records nor its name say one.
 */
static bool read_marker(const struct map *m, const struct value *r, size_t number,
			const char *layer, size_t layer_index, struct record_time_tally *tally,
			struct marker *out)
{
	if (!r || r->kind != VALUE_OBJECT || !marker_position(m, r, &out->x, &out->y)) {
		return false;
	}
	const char *time_field = opts(m)->marker_time_field;
	out->time = time_field[0] ? record_time_read(r, time_field, RECORD_TIME_ZONE, number, tally)
			       : NAN;
	const struct value *category = value_member(r, opts(m)->marker_category);
	const char *cat = category && category->kind == VALUE_STRING ? category->string.text : NULL;
	size_t known = category_of(cat ? cat : layer);
	static const enum symbol cycle[] = {SYMBOL_TRIANGLE, SYMBOL_DIAMOND, SYMBOL_SQUARE,
					    SYMBOL_CIRCLE};
	out->symbol = known < CATEGORY_COUNT ? categories[known].symbol
		      : layer ? cycle[layer_index % 4] : SYMBOL_CIRCLE;
	out->layer = xstrdup(layer ? layer : known < CATEGORY_COUNT ? categories[known].word
					  : cat ? cat : "");
	const struct value *state = value_member(r, opts(m)->marker_state);
	out->state = STATE_NORMAL;
	if (state && state->kind == VALUE_STRING) {
		state_parse(state->string.text, &out->state);
	}
	const char *label_field = opts(m)->marker_label;
	const struct value *label = label_field[0] ? value_member(r, label_field) : NULL;
	out->label = label && label->kind == VALUE_STRING ? xstrndup(label->string.text, 64) : NULL;
	return true;
}

/*
 * On a tile-grid cartogram a district is a square far from where it lies, so a marker placed by
 * its real lon/lat falls between squares. Features that carry their real centroid
 * ("centroid_lon", "centroid_lat": the bundled cartogram does) take the markers nearest that
 * centroid: each marker moves into its district's square, keeping its offset from the
 * centroid (clamped to the square's inner 70%, and out of the middle band where its name is) so
 * several markers of one district stay apart.
 * Nearest centroid stands in for "inside the boundary", which the cartogram does not have.
 */
size_t map_cartogram_anchors(const struct geo *g, struct map_anchor **out)
{
	*out = NULL;
	size_t n = 0;
	for (size_t i = 0; g && g->lonlat && i < g->feature_count; i++) {
		const struct geo_feature *f = &g->features[i];
		const char *lon = geo_property(g, f, "centroid_lon");
		const char *lat = geo_property(g, f, "centroid_lat");
		if (!lon || !lat) {
			free(*out);
			*out = NULL;
			return 0; // all or nothing: a real boundary file is used as it is
		}
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = (struct map_anchor){strtod(lon, NULL), strtod(lat, NULL),
					      (f->min_x + f->max_x) / 2, (f->min_y + f->max_y) / 2,
					      (f->max_x - f->min_x) / 2, (f->max_y - f->min_y) / 2};
	}
	return n;
}

static double clamp(double v, double limit)
{
	return v < -limit ? -limit : v > limit ? limit : v;
}

static void snap_to_district(const struct map_anchor *a, size_t n, double x_scale,
			     struct marker *mk)
{
	size_t best = 0;
	double best_d = INFINITY;
	for (size_t i = 0; i < n; i++) {
		double dx = (mk->x - a[i].lon) * x_scale, dy = mk->y - a[i].lat;
		double d = dx * dx + dy * dy;
		if (d < best_d) {
			best_d = d;
			best = i;
		}
	}
	mk->x = a[best].cx + clamp(mk->x - a[best].lon, 0.7 * a[best].half_w);
	/* The square's middle band holds its name (and value): a marker goes above or below it,
	 * on the side of the centroid it lies, so the symbol never covers the name. */
	double dy = mk->y - a[best].lat;
	double band = fmax(fabs(clamp(dy, 0.7 * a[best].half_h)), 0.62 * a[best].half_h);
	mk->y = a[best].cy + (dy < 0 ? -band : band);
}

void map_free_markers(struct marker *markers, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(markers[i].label);
		free(markers[i].layer);
	}
	free(markers);
}

static bool same_markers(const struct marker *a, size_t na, const struct marker *b, size_t nb)
{
	if (na != nb) {
		return false;
	}
	for (size_t i = 0; i < na; i++) {
		if (a[i].x != b[i].x || a[i].y != b[i].y || a[i].symbol != b[i].symbol ||
		    a[i].state != b[i].state || (a[i].label == NULL) != (b[i].label == NULL) ||
		    (a[i].time != b[i].time && !(isnan(a[i].time) && isnan(b[i].time))) ||
		    (a[i].label && strcmp(a[i].label, b[i].label) != 0) ||
		    strcmp(a[i].layer, b[i].layer) != 0) {
			return false;
		}
	}
	return true;
}

bool map_bind_markers(struct map *m, const struct value *records)
{
	bool object = records && records->kind == VALUE_OBJECT;
	size_t count = !records ? 0
		       : object ? records->object.count
		       : records->kind == VALUE_ARRAY ? records->array.count : 0;
	/* An object whose members are lists: a layer per member, named by it. */
	bool layers = object && count && records->object.members[0].value->kind == VALUE_ARRAY;
	if (layers) {
		count = 0;
		for (size_t l = 0; l < records->object.count; l++) {
			const struct value *list = records->object.members[l].value;
			count += list->kind == VALUE_ARRAY ? list->array.count : 0;
		}
	}
	size_t n = count < MAX_MARKERS ? count : MAX_MARKERS, bad = 0, kept = 0, read = 0;
	struct marker *markers = xcalloc(n ? n : 1, sizeof(*markers));
	struct record_time_tally tally = {0};
	for (size_t l = 0; layers && l < records->object.count && read < n; l++) {
		const struct value *list = records->object.members[l].value;
		for (size_t i = 0; list->kind == VALUE_ARRAY && i < list->array.count && read < n; i++) {
			read++;
			kept += read_marker(m, list->array.items[i], read, records->object.members[l].key,
					    l, &tally, &markers[kept]);
		}
	}
	bad = read - kept;
	for (size_t i = 0; !layers && i < n; i++) {
		const struct value *r = object ? records->object.members[i].value
					       : records->array.items[i];
		kept += read_marker(m, r, i + 1, NULL, 0, &tally, &markers[kept]);
		bad = i + 1 - kept;
	}
	struct map_anchor *anchors;
	size_t anchor_count = kept ? map_cartogram_anchors(m->geo, &anchors) : 0;
	for (size_t i = 0; i < kept && anchor_count; i++) {
		snap_to_district(anchors, anchor_count, m->geo->x_scale, &markers[i]);
	}
	if (anchor_count) {
		free(anchors);
	}
	char key[128], what[120];
	const char *time_field = opts(m)->marker_time_field;
	snprintf(key, sizeof(key), "%s:marker-times", m->log_key);
	snprintf(what, sizeof(what), "map %s: markers", m->tile->id);
	if (time_field[0]) {
		record_time_report(&tally, key, what, "marker_time_field", time_field);
	}
	snprintf(key, sizeof(key), "%s:markers", m->log_key);
	if (records && records->kind != VALUE_ARRAY && records->kind != VALUE_OBJECT) {
		log_once(LOG_WARN, key, "map %s: markers must be an array or object, got %s",
			 m->tile->id, value_kind_name(records->kind));
	} else if (bad || count > n) {
		log_once(LOG_WARN, key, "map %s: markers: %zu records, %zu without a position%s",
			 m->tile->id, count, bad, count > n ? "; only the first 10000 read" : "");
	} else {
		log_once_clear(key);
	}
	bool changed = !same_markers(markers, kept, m->markers, m->marker_count);
	map_free_markers(m->markers, m->marker_count);
	m->markers = markers;
	m->marker_count = kept;
	return changed;
}

/* --- markers -------------------------------------------------------------------------- */

bool map_marker_stale(const struct map *m, const struct marker *mk, double now)
{
	return record_time_stale(mk->time, m->markers_max_age, now);
}

/* A cluster's state: the worst of its fresh markers; stale only when all of them are. */
static int combine_states(int a, int b)
{
	if (a == MAP_MARKER_STALE || b == MAP_MARKER_STALE) {
		return a == MAP_MARKER_STALE ? b : a;
	}
	return a > b ? a : b;
}

void map_drop_sprites(struct map *m)
{
	for (size_t i = 0; i < m->sprite_count; i++) {
		cairo_surface_destroy(m->sprites[i].surface);
	}
	m->sprite_count = 0;
}

struct bucket {
	long gx, gy;
	size_t cluster; // index + 1; 0: empty
};

static size_t bucket_of(struct bucket *table, size_t cap, long gx, long gy)
{
	size_t h = ((size_t)gx * 73856093u) ^ ((size_t)gy * 19349663u);
	for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1)) {
		if (!table[i].cluster || (table[i].gx == gx && table[i].gy == gy)) {
			table[i].gx = gx;
			table[i].gy = gy;
			return i;
		}
	}
}

static double bubble_radius(size_t count, double size)
{
	return count > 1 ? size * (0.95 + 0.32 * log10((double)count)) : size * 0.55;
}

static int left_first(const void *a, const void *b)
{
	double x = ((const struct map_cluster *)a)->x, y = ((const struct map_cluster *)b)->x;
	return x < y ? -1 : x > y;
}

/* Moves cluster b into a (positions weighted by count); b is left empty. */
static void absorb(struct map_cluster *a, struct map_cluster *b)
{
	double total = (double)(a->count + b->count);
	a->x = (a->x * (double)a->count + b->x * (double)b->count) / total;
	a->y = (a->y * (double)a->count + b->y * (double)b->count) / total;
	a->count += b->count;
	a->first = a->first < b->first ? a->first : b->first;
	a->state = combine_states(a->state, b->state);
	b->count = 0;
}

/* One sweep along x: merges bubbles that overlap; returns whether any did. */
static bool merge_pass(struct map_cluster *c, size_t *n, double *r, double size,
		       size_t *budget)
{
	qsort(c, *n, sizeof(*c), left_first);
	double reach = 0;
	for (size_t i = 0; i < *n; i++) {
		r[i] = bubble_radius(c[i].count, size);
		reach = fmax(reach, r[i]);
	}
	bool merged = false;
	for (size_t i = 0; i < *n; i++) {
		for (size_t j = i + 1; c[i].count && j < *n && c[j].x - c[i].x < r[i] + reach &&
				       *budget > 0;
		     j++, (*budget)--) {
			double dx = c[i].x - c[j].x, dy = c[i].y - c[j].y;
			if (c[j].count && dx * dx + dy * dy < (r[i] + r[j]) * (r[i] + r[j])) {
				absorb(&c[i], &c[j]);
				r[i] = bubble_radius(c[i].count, size);
				reach = fmax(reach, r[i]);
				merged = true;
			}
		}
	}
	size_t kept = 0;
	for (size_t i = 0; i < *n; i++) {
		if (c[i].count) {
			c[kept++] = c[i];
		}
	}
	*n = kept;
	return merged;
}

/*
 * Neighbouring grid cells can still hold bubbles that overlap: merge those until none do. A
 * pass that merges nothing has compared every pair closer along x than two radii, so none
 * overlap then. Work is capped (a pathological column of bubbles stays as the grid left it).
 */
static void merge_overlapping(struct map *m, double size)
{
	double *r = xmalloc((m->cluster_count ? m->cluster_count : 1) * sizeof(*r));
	size_t budget = 4000000;
	for (int pass = 0; pass < 16 && merge_pass(m->clusters, &m->cluster_count, r, size,
						   &budget);
	     pass++) {
	}
	free(r);
}

/*
 * Grid clustering at the current scale: markers whose positions fall in one cell of about
 * two and a half marker sizes become one bubble at their mean position. Linear in the
 * markers (a hash of the occupied cells), so ten thousand cost well under a millisecond.
 */
static void cluster_markers(struct map *m, const struct view *v, double now)
{
	size_t n = m->marker_count, cap = 16;
	m->cluster_count = 0;
	m->clusters = xrealloc(m->clusters, (n ? n : 1) * sizeof(*m->clusters));
	while (cap < 2 * n) {
		cap *= 2;
	}
	struct bucket *table = xcalloc(cap, sizeof(*table));
	double size = opts(m)->marker_size, cell = size * 2.5;
	bool merge = opts(m)->cluster;
	const struct rect *a = &v->map;
	for (size_t i = 0; i < n; i++) {
		double x, y;
		project(m, v, m->markers[i].x, m->markers[i].y, &x, &y);
		if (x < a->x - size || y < a->y - size || x > a->x + a->w + size ||
		    y > a->y + a->h + size) {
			continue;
		}
		size_t b = merge ? bucket_of(table, cap, (long)floor(x / cell), (long)floor(y / cell))
				 : 0;
		if (!merge || !table[b].cluster) {
			m->clusters[m->cluster_count] =
				(struct map_cluster){0, 0, 0, i, MAP_MARKER_STALE};
			table[b].cluster = merge ? ++m->cluster_count : 0;
			m->cluster_count += !merge;
		}
		struct map_cluster *c = &m->clusters[merge ? table[b].cluster - 1
							   : m->cluster_count - 1];
		c->x += x;
		c->y += y;
		c->count++;
		int state = map_marker_stale(m, &m->markers[i], now) ? MAP_MARKER_STALE
								     : (int)m->markers[i].state;
		c->state = combine_states(c->state, state);
	}
	free(table);
	for (size_t i = 0; i < m->cluster_count; i++) {
		m->clusters[i].x /= (double)m->clusters[i].count;
		m->clusters[i].y /= (double)m->clusters[i].count;
	}
	if (merge) {
		merge_overlapping(m, size);
	}
}

static void symbol_path(cairo_t *cr, enum symbol symbol, double x, double y, double s)
{
	double h = s / 2;
	switch (symbol) {
	case SYMBOL_SQUARE:
		cairo_rectangle(cr, x - h * 0.85, y - h * 0.85, s * 0.85, s * 0.85);
		break;
	case SYMBOL_TRIANGLE:
		cairo_move_to(cr, x, y - h * 1.1);
		cairo_line_to(cr, x + h * 1.05, y + h * 0.75);
		cairo_line_to(cr, x - h * 1.05, y + h * 0.75);
		cairo_close_path(cr);
		break;
	case SYMBOL_DIAMOND:
		cairo_move_to(cr, x, y - h * 1.1);
		cairo_line_to(cr, x + h * 1.1, y);
		cairo_line_to(cr, x, y + h * 1.1);
		cairo_line_to(cr, x - h * 1.1, y);
		cairo_close_path(cr);
		break;
	case SYMBOL_CIRCLE:
	case SYMBOL_COUNT:
		cairo_new_sub_path(cr);
		cairo_arc(cr, x, y, h, 0, 2 * M_PI);
		break;
	}
}

static double luminance(struct color c)
{
	return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
}

static struct color marker_color(const struct theme *theme, int state)
{
	if (state == MAP_MARKER_STALE) {
		return theme->states[STATE_NODATA].accent;
	}
	return state == STATE_NORMAL ? theme->accent : theme->states[state].accent;
}

static void bubble_count(cairo_t *cr, struct text_engine *te, const struct map_cluster *c,
			 double size, const struct theme *theme)
{
	double r = bubble_radius(c->count, size);
	struct color fill = marker_color(theme, c->state);
	char count[32];
	snprintf(count, sizeof(count), "%zu", c->count);
	struct color ink = luminance(fill) > 0.45 ? (struct color){0.04, 0.06, 0.1, 1}
						  : (struct color){1, 1, 1, 1};
	if (c->state == MAP_MARKER_STALE) {
		ink = theme->muted; // a hollow ring: the count stands on the map
	}
	struct text_style style = draw_text_style(theme->font, true, r * 0.78, ink,
						  TEXT_ALIGN_CENTER);
	style.size = draw_fit_size(te, cr, &style, count, r * 1.7, 0.5);
	text_draw(te, cr, &style, c->x, c->y + style.size * 0.36, 0, count);
}

/* A symbol or bubble centred on device point (x, y), its size scaled by `matrix`. */
static void shape_path(cairo_t *cr, const cairo_matrix_t *matrix, int kind, double x, double y,
		       double radius, double size)
{
	cairo_save(cr);
	cairo_translate(cr, x, y);
	cairo_scale(cr, matrix->xx, matrix->yy);
	cairo_new_path(cr);
	if (kind < SYMBOL_COUNT) {
		symbol_path(cr, (enum symbol)kind, 0, 0, size);
	} else {
		cairo_arc(cr, 0, 0, radius, 0, 2 * M_PI);
	}
	cairo_restore(cr);
}

void map_draw_symbol(cairo_t *cr, enum symbol symbol, double x, double y, double size,
		     const struct theme *theme)
{
	cairo_save(cr);
	cairo_new_path(cr);
	symbol_path(cr, symbol, x, y, size);
	draw_set_color(cr, marker_color(theme, STATE_NORMAL));
	cairo_fill_preserve(cr);
	cairo_set_line_width(cr, size * 0.12);
	draw_set_color(cr, theme->background);
	cairo_stroke(cr);
	cairo_restore(cr);
}

/* Fills the current path in the state's colour with an outline; sizes in device pixels. */
static void fill_shape(cairo_t *cr, const struct theme *theme, int kind, int state,
		       double size)
{
	if (state == MAP_MARKER_STALE) {
		/* Hollow: a grey ring with a dark halo, so that it reads on any fill. */
		cairo_set_line_width(cr, size * 0.34);
		draw_set_color(cr, theme->background);
		cairo_stroke_preserve(cr);
		cairo_set_line_width(cr, size * 0.16);
		draw_set_color(cr, marker_color(theme, state));
		cairo_stroke(cr);
		return;
	}
	struct color fill = marker_color(theme, state);
	cairo_set_source_rgba(cr, fill.r, fill.g, fill.b, kind < SYMBOL_COUNT ? 1 : 0.92);
	cairo_fill_preserve(cr);
	cairo_set_line_width(cr, size * (kind < SYMBOL_COUNT ? 0.12 : 0.14));
	draw_set_color(cr, theme->background);
	cairo_stroke(cr);
}

/*
 * A marker symbol or a bubble drawn once, in device pixels, and stamped wherever it is
 * needed: cairo rasterises a thousand small antialiased shapes one by one far slower than it
 * copies a thousand small images (10,000 markers: ~40 ms shapes, a few ms stamps).
 */
static cairo_surface_t *sprite(struct map *m, int kind, int state, double radius,
			       double size, double device, const struct theme *theme)
{
	for (size_t i = 0; i < m->sprite_count; i++) {
		if (m->sprites[i].kind == kind && m->sprites[i].state == state) {
			return m->sprites[i].surface;
		}
	}
	int half = (int)ceil(radius * device * 1.2 + size * device * 0.12 + 1);
	if (m->sprite_count == MAX_SPRITES || half > 256) {
		return NULL; // drawn as a path instead
	}
	cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 2 * half,
							      2 * half);
	cairo_t *cr = cairo_create(surface);
	cairo_matrix_t scale;
	cairo_matrix_init_scale(&scale, device, device);
	shape_path(cr, &scale, kind, half, half, radius, size);
	fill_shape(cr, theme, kind, state, size * device);
	cairo_destroy(cr);
	m->sprites[m->sprite_count++] = (struct sprite){kind, state, surface};
	return surface;
}

/* Milder states first, so that severe markers end up on top. */
static void draw_shapes(struct map *m, cairo_t *cr, const struct view *v,
			const struct theme *theme, double size)
{
	if (m->sprite_device != v->device || m->sprite_theme != theme) {
		map_drop_sprites(m);
		m->sprite_device = v->device;
		m->sprite_theme = theme;
	}
	cairo_matrix_t matrix;
	cairo_get_matrix(cr, &matrix);
	cairo_save(cr);
	cairo_identity_matrix(cr);
	for (int k = -1; k < STATE_NODATA; k++) {
		int state = k < 0 ? MAP_MARKER_STALE : k; // stale ones first, under the others
		for (size_t i = 0; i < m->cluster_count; i++) {
			const struct map_cluster *c = &m->clusters[i];
			if (c->state != state) {
				continue;
			}
			/* Bubbles come in whole device pixels of radius: one sprite per size. */
			double r = bubble_radius(c->count, size);
			int kind = c->count > 1 ? SYMBOL_COUNT + (int)lround(r * v->device)
						: (int)m->markers[c->first].symbol;
			r = c->count > 1 ? lround(r * v->device) / v->device : size / 2;
			cairo_surface_t *s = sprite(m, kind, state, r, size, v->device, theme);
			double x = c->x, y = c->y;
			cairo_matrix_transform_point(&matrix, &x, &y);
			if (!s) {
				shape_path(cr, &matrix, kind, x, y, r, size);
				fill_shape(cr, theme, kind, state, size * matrix.xx);
				continue;
			}
			int half = cairo_image_surface_get_width(s) / 2;
			cairo_set_source_surface(cr, s, round(x) - half, round(y) - half);
			cairo_rectangle(cr, round(x) - half, round(y) - half, 2 * half, 2 * half);
			cairo_fill(cr);
		}
	}
	cairo_restore(cr);
}

static bool boxes_overlap(const struct rect *a, const struct rect *b)
{
	return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

/* Whether `box` stays clear of district names, marker symbols and the labels placed so far. */
static bool label_free(const struct map *m, const struct rect *box, double size)
{
	for (size_t i = 0; i < m->label_count; i++) {
		if (boxes_overlap(box, &m->labels[i].box)) {
			return false;
		}
	}
	for (size_t i = 0; i < m->cluster_count; i++) {
		const struct map_cluster *c = &m->clusters[i];
		double r = c->count > 1 ? bubble_radius(c->count, size) : size / 2;
		struct rect symbol = {c->x - r, c->y - r, 2 * r, 2 * r};
		if (boxes_overlap(box, &symbol)) {
			return false;
		}
	}
	for (size_t i = 0; i < m->marker_label_count; i++) {
		if (boxes_overlap(box, &m->marker_labels[i])) {
			return false;
		}
	}
	return true;
}

/*
 * A marker's label goes right of it, else left, above or below, wherever it covers no district
 * name, no marker and no other label (issue 15: labels overprinted each other and the names);
 * where none is free it is left out: the marker still shows, a label over a name helps no one.
 */
static void place_marker_label(struct map *m, cairo_t *cr, struct text_engine *te,
			       const struct theme *theme, const struct map_cluster *c, double size,
			       const char *label)
{
	struct text_style style = draw_text_style(theme->font, false, size * 1.05, theme->text,
						  TEXT_ALIGN_LEFT);
	double w = fmin(text_measure(te, cr, &style, label).width, size * 14);
	double em = size * 1.05, gap = size * 0.9;
	/* Left edge and baseline of each place, in the order tried. */
	double places[4][2] = {{c->x + gap, c->y + em * 0.36}, {c->x - gap - w, c->y + em * 0.36},
			       {c->x - w / 2, c->y - gap}, {c->x - w / 2, c->y + gap + em * 0.8}};
	for (size_t k = 0; k < 4; k++) {
		struct rect box = {places[k][0], places[k][1] - em * 0.85, w, em * 1.1};
		if (label_free(m, &box, size)) {
			m->marker_labels[m->marker_label_count++] = box;
			text_draw(te, cr, &style, box.x, places[k][1], size * 14, label);
			return;
		}
	}
}

void map_draw_markers(struct map *m, cairo_t *cr, const struct view *v,
			 const struct widget_ctx *ctx, double now)
{
	cluster_markers(m, v, now);
	const struct theme *theme = ctx->theme;
	double size = opts(m)->marker_size;
	draw_shapes(m, cr, v, theme, size);
	m->marker_labels = xrealloc(m->marker_labels,
				    (m->cluster_count ? m->cluster_count : 1) * sizeof(*m->marker_labels));
	m->marker_label_count = 0;
	size_t labels = 0;
	for (size_t i = 0; i < m->cluster_count; i++) {
		const struct map_cluster *c = &m->clusters[i];
		const char *label = m->markers[c->first].label;
		/* A count smaller than a few pixels cannot be read: the bubble says enough. */
		if (c->count > 1 && bubble_radius(c->count, size) * v->device >= 6) {
			bubble_count(cr, ctx->text, c, size, theme);
		} else if (c->count == 1 && label && labels++ < MAX_MARKER_LABELS) {
			place_marker_label(m, cr, ctx->text, theme, c, size, label);
		}
	}
}
