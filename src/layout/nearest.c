/*
 * "nearest_to": reading the candidates of a tile that chooses its source by distance, and
 * choosing on every bind (layout/nearest.h).
 */

#include "layout/nearest.h"

#include "model/alert_level.h"
#include "model/path.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The key of the candidates' bindings: the option that names them, when it is given. */
static const char candidate_key[] = "among";

double nearest_distance_km(double lat1, double lon1, double lat2, double lon2)
{
	const double radius = 6371.0088; // the mean radius (IUGG)
	const double rad = M_PI / 180;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
	return 2 * radius * asin(sqrt(fmin(a, 1)));
}

/* ---- reading ---- */

static bool is_camera(const struct source_config *s)
{
	return s->type == SOURCE_IMAGE && s->has_position;
}

/* The names of the layout's image sources with a position, for messages. */
static char *camera_names(const struct layout *layout)
{
	char *list = xstrdup("");
	for (size_t i = 0; i < layout->source_count; i++) {
		if (is_camera(&layout->sources[i])) {
			char *next = xasprintf("%s%s\"%s\"", list, list[0] ? ", " : "",
					       layout->sources[i].name);
			free(list);
			list = next;
		}
	}
	return list;
}

/* The camera called `name`, or -1 after an error at `pointer` (with a did-you-mean). */
static long find_camera(struct parse_ctx *ctx, const struct layout *layout, const char *name,
			const char *pointer)
{
	long index = layout_find_source(layout, name);
	if (index >= 0 && is_camera(&layout->sources[index])) {
		return index;
	}
	if (index >= 0) {
		parse_error(ctx, pointer, false,
			    "source \"%s\" is not a camera: it needs \"type\": \"image\" and a "
			    "position (\"lat\", \"lon\")", name);
		return -1;
	}
	const char *near = str_closest(name, &layout->sources[0].name,
				       sizeof(struct source_config), layout->source_count);
	char *names = camera_names(layout);
	if (near) {
		parse_error(ctx, pointer, false, "unknown source \"%s\" (did you mean \"%s\"?)", name,
			    near);
	} else {
		parse_error(ctx, pointer, false, "unknown source \"%s\" (cameras: %s)", name,
			    names[0] ? names : "none");
	}
	free(names);
	return -1;
}

/* "among": the candidates named, into `out` (NEAREST_MAX room); their count, -1 on errors. */
static long read_among(struct parse_ctx *ctx, const struct layout *layout, const cJSON *among,
		       const char *pointer, size_t *out)
{
	int n = cJSON_GetArraySize(among);
	if (!cJSON_IsArray(among) || n < 1 || n > NEAREST_MAX) {
		const char *got = cJSON_IsArray(among) ? "another size" : json_type_name(among);
		parse_error(ctx, pointer, false, "must be an array of 1 to %d source names, got %s",
			    NEAREST_MAX, got);
		return -1;
	}
	long count = 0;
	bool ok = true;
	size_t i = 0;
	for (const cJSON *item = among->child; item; item = item->next, i++) {
		char *p = pointer_index(pointer, i);
		long index = -1;
		if (!cJSON_IsString(item)) {
			parse_error(ctx, p, false, "must be a source name, got %s",
				    json_type_name(item));
		} else if ((index = find_camera(ctx, layout, item->valuestring, p)) >= 0) {
			for (long k = 0; k < count; k++) {
				if (out[k] == (size_t)index) {
					parse_error(ctx, p, false, "\"%s\" is named twice",
						    item->valuestring);
					index = -1;
				}
			}
		}
		free(p);
		if (index < 0) {
			ok = false;
			continue;
		}
		out[count++] = (size_t)index;
	}
	return ok ? count : -1;
}

/* Every camera of the layout, in order, into `out`; their count, -1 on errors. */
static long every_camera(struct parse_ctx *ctx, const struct layout *layout,
			 const char *pointer, size_t *out)
{
	long count = 0;
	for (size_t i = 0; i < layout->source_count; i++) {
		if (!is_camera(&layout->sources[i])) {
			continue;
		}
		if (count == NEAREST_MAX) {
			parse_error(ctx, pointer, false, "more than %d cameras to choose from: name "
				    "at most %d in \"among\"", NEAREST_MAX, NEAREST_MAX);
			return -1;
		}
		out[count++] = i;
	}
	if (count == 0) {
		parse_error(ctx, pointer, false, "no source to choose from: declare cameras as "
			    "sources with \"type\": \"image\", \"lat\" and \"lon\"");
		return -1;
	}
	return count;
}

static long find_binding(const struct tile *tile, const char *key)
{
	for (size_t i = 0; i < tile->binding_count; i++) {
		if (strcmp(tile->bindings[i].key, key) == 0) {
			return (long)i;
		}
	}
	return -1;
}

static void add_candidates(const struct layout *layout, struct tile *tile, const size_t *sources,
			   size_t count, int rank, size_t alerts)
{
	struct tile_nearest *n = xcalloc(1, sizeof(*n));
	*n = (struct tile_nearest){.alerts = alerts, .first = tile->binding_count, .count = count,
				   .rank = rank};
	n->candidates = xcalloc(count, sizeof(*n->candidates));
	tile->bindings = xrealloc(tile->bindings,
				  (tile->binding_count + count + 1) * sizeof(*tile->bindings));
	for (size_t i = 0; i < count; i++) {
		const struct source_config *s = &layout->sources[sources[i]];
		n->candidates[i] = (struct tile_candidate){
			.lat = s->lat, .lon = s->lon, .title = s->title ? s->title : s->name};
		char err[64];
		tile->bindings[tile->binding_count++] = (struct tile_binding){
			.key = candidate_key,
			.source = sources[i],
			.path = xstrdup(""),
			.compiled = path_compile("", err, sizeof(err)),
		};
	}
	memset(&tile->bindings[tile->binding_count], 0, sizeof(*tile->bindings));
	tile->nearest = n;
}

bool nearest_read(struct parse_ctx *ctx, const struct layout *layout, const cJSON *node,
		  struct tile *tile)
{
	long alerts = find_binding(tile, "nearest_to");
	if (alerts < 0) {
		return true;
	}
	bool ok = true;
	char *p = pointer_join(tile->pointer, "nearest_to");
	const struct tile_binding *b = &tile->bindings[alerts];
	if (layout->sources[b->source].type != SOURCE_JSON || !b->path[0]) {
		parse_error(ctx, p, false, "must be an alert list in a JSON source, such as "
			    "\"safety:/alerts\" (records with \"lat\" and \"lon\")");
		ok = false;
	}
	size_t sources[NEAREST_MAX];
	const cJSON *among = cJSON_GetObjectItemCaseSensitive(node, "among");
	char *among_pointer = pointer_join(tile->pointer, "among");
	long count = among ? read_among(ctx, layout, among, among_pointer, sources)
			   : every_camera(ctx, layout, p, sources);
	free(among_pointer);
	ok &= count > 0;
	int rank = (int)option_number(&tile->options, "rank");
	if (ok && rank > count) {
		char *rp = pointer_join(tile->pointer, "rank");
		parse_error(ctx, rp, false, "rank %d, but there are only %ld cameras to choose from",
			    rank, count);
		free(rp);
		ok = false;
	}
	free(p);
	if (ok) {
		add_candidates(layout, tile, sources, (size_t)count, rank, (size_t)alerts);
	}
	return ok;
}

/* ---- choosing ---- */

static bool alert_position(const struct value *rec, double *lat, double *lon)
{
	return rec && value_number(value_member(rec, "lat"), lat) &&
	       value_number(value_member(rec, "lon"), lon) && fabs(*lat) <= 90 && fabs(*lon) <= 180;
}

void nearest_choose(const struct tile *tile, struct binding_values *out)
{
	const struct tile_nearest *n = tile->nearest;
	out->chosen = -1;
	out->chosen_km = NAN;
	double lat, lon;
	const struct value *list = n->alerts < out->count ? out->current[n->alerts] : NULL;
	const struct value *lead = alert_lead(list, "level", ALERT_LEVEL_INFO, NULL, NULL);
	if (!alert_position(lead, &lat, &lon)) {
		return;
	}
	/* Candidates by distance, the first in order first among equals: an insertion sort. */
	size_t order[NEAREST_MAX];
	double km[NEAREST_MAX];
	for (size_t i = 0; i < n->count && i < NEAREST_MAX; i++) {
		km[i] = nearest_distance_km(lat, lon, n->candidates[i].lat, n->candidates[i].lon);
		size_t j = i;
		for (; j > 0 && km[order[j - 1]] > km[i]; j--) {
			order[j] = order[j - 1];
		}
		order[j] = i;
	}
	if (n->rank >= 1 && (size_t)n->rank <= n->count) {
		out->chosen = (int)order[n->rank - 1];
		out->chosen_km = km[out->chosen];
	}
}
