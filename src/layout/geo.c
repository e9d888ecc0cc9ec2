/*
 * GeoJSON → struct geo. Checked before it is built: a cheap scan refuses files past the point
 * and value limits before cJSON allocates anything (a two-million-point file would cost cJSON
 * some 400 MB), the JSON scanner names syntax errors with line and column, and every
 * structural problem is reported with the JSON pointer of the value concerned. Nothing of
 * cJSON outlives geo_parse(). Bounds, areas and label points: geo_measure.c.
 */

#include "layout/geo.h"
#include "layout/options.h"
#include "layout/geo_internal.h"

#include "util/fileio.h"
#include "util/json_scan.h"
#include "util/xmalloc.h"

#include <cJSON.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct builder {
	struct geo *geo;
	const char *name;
	char *err;
	size_t err_size;
	size_t cap_points, cap_rings, cap_polygons, cap_features, cap_properties;
};

static bool fail(struct builder *b, const char *pointer, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool fail(struct builder *b, const char *pointer, const char *fmt, ...)
{
	char message[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	snprintf(b->err, b->err_size, "%s: %s: %s", b->name, pointer[0] ? pointer : "/", message);
	return false;
}

void *geo_grow(void *array, size_t *cap, size_t count, size_t size)
{
	if (count < *cap) {
		return array;
	}
	*cap = *cap ? *cap * 2 : 64;
	return xrealloc(array, *cap * size);
}

/* --- the scan before parsing ---------------------------------------------------------- */

struct scan_counts {
	size_t positions; // arrays that start with a number: an upper bound of the points
	size_t values;    // an upper bound of the JSON values (cJSON nodes)
	size_t features;  // "Feature" strings: about the features
};

static struct scan_counts scan_counts(const char *text, size_t len)
{
	struct scan_counts c = {0, 1, 0};
	for (size_t i = 0; i < len; i++) {
		char ch = text[i];
		if (ch == '"') {
			c.features += len - i > 9 && memcmp(text + i, "\"Feature\"", 9) == 0;
			for (i++; i < len && text[i] != '"'; i++) {
				i += text[i] == '\\';
			}
		} else if (ch == ',' || ch == '{') {
			c.values++;
		} else if (ch == '[') {
			c.values++;
			size_t j = i + 1;
			while (j < len && (text[j] == ' ' || text[j] == '\n' || text[j] == '\r' ||
					   text[j] == '\t')) {
				j++;
			}
			c.positions += j < len && (text[j] == '-' || (text[j] >= '0' && text[j] <= '9'));
		}
	}
	return c;
}

static bool check_text(struct builder *b, const char *text, size_t len)
{
	struct scan_counts c = scan_counts(text, len);
	if (c.positions > GEO_MAX_POINTS) {
		return fail(b, "", "too many points: more than %d (the limit)", GEO_MAX_POINTS);
	}
	if (c.features > GEO_MAX_FEATURES) {
		return fail(b, "/features", "too many features: more than %d (the limit)",
			    GEO_MAX_FEATURES);
	}
	if (c.values > GEO_MAX_VALUES) {
		return fail(b, "", "too large: more than %d JSON values (the limit)", GEO_MAX_VALUES);
	}
	size_t offset;
	const char *message;
	if (!json_check_syntax(text, len, &offset, &message)) {
		struct text_pos pos = json_text_pos(text, len, offset);
		snprintf(b->err, b->err_size, "%s:%d:%d: %s", b->name, pos.line, pos.column, message);
		return false;
	}
	return true;
}

/* --- coordinates ---------------------------------------------------------------------- */

/* "/features/3/geometry/coordinates" + 7: the pointer of an item, built only for messages. */
static const char *item_pointer(char *buf, size_t size, const char *base, size_t index)
{
	if (snprintf(buf, size, "%s/%zu", base, index) >= (int)size) {
		buf[size - 1] = '\0';
	}
	return buf;
}

static bool read_position(struct builder *b, const cJSON *node, const char *pointer,
			  struct geo_point *out)
{
	const cJSON *x = cJSON_IsArray(node) ? node->child : NULL;
	const cJSON *y = x ? x->next : NULL;
	if (!cJSON_IsNumber(x) || !cJSON_IsNumber(y)) {
		return fail(b, pointer, "must be a position [lon, lat], got %s", json_type_name(node));
	}
	if (!isfinite(x->valuedouble) || !isfinite(y->valuedouble)) {
		return fail(b, pointer, "coordinates must be finite numbers");
	}
	*out = (struct geo_point){x->valuedouble, y->valuedouble};
	return true;
}

/* A position without building its pointer: the common case costs no formatting. */
static bool fast_position(const cJSON *node, struct geo_point *out)
{
	const cJSON *x = cJSON_IsArray(node) ? node->child : NULL;
	const cJSON *y = x ? x->next : NULL;
	if (!cJSON_IsNumber(x) || !cJSON_IsNumber(y) || !isfinite(x->valuedouble) ||
	    !isfinite(y->valuedouble)) {
		return false;
	}
	*out = (struct geo_point){x->valuedouble, y->valuedouble};
	return true;
}

static bool read_ring(struct builder *b, const cJSON *node, const char *pointer)
{
	if (!cJSON_IsArray(node)) {
		return fail(b, pointer, "a ring must be an array of positions, got %s",
			    json_type_name(node));
	}
	struct geo *geo = b->geo;
	size_t first = geo->point_count, count = 0;
	char item[256];
	for (const cJSON *pos = node->child; pos; pos = pos->next, count++) {
		if (geo->point_count >= GEO_MAX_POINTS) {
			return fail(b, pointer, "too many points: more than %d (the limit)",
				    GEO_MAX_POINTS);
		}
		if (count >= GEO_MAX_RING_POINTS) {
			return fail(b, pointer, "too many points in one ring: more than %d (the limit)",
				    GEO_MAX_RING_POINTS);
		}
		struct geo_point p;
		if (!fast_position(pos, &p)) {
			return read_position(b, pos, item_pointer(item, sizeof(item), pointer, count),
					     &p);
		}
		geo->points = geo_grow(geo->points, &b->cap_points, geo->point_count, sizeof(p));
		geo->points[geo->point_count++] = p;
	}
	if (count == 0) {
		return fail(b, pointer, "empty ring");
	}
	if (count < 4) {
		return fail(b, pointer, "a ring needs at least 4 positions, got %zu", count);
	}
	if (geo->ring_count >= GEO_MAX_RINGS) {
		return fail(b, pointer, "too many rings: more than %d (the limit)", GEO_MAX_RINGS);
	}
	geo->rings = geo_grow(geo->rings, &b->cap_rings, geo->ring_count, sizeof(*geo->rings));
	geo->rings[geo->ring_count++] = (struct geo_ring){first, count};
	return true;
}

static bool read_polygon(struct builder *b, const cJSON *node, const char *pointer)
{
	if (!cJSON_IsArray(node) || !node->child) {
		return fail(b, pointer, "a polygon must be a non-empty array of rings, got %s",
			    cJSON_IsArray(node) ? "an empty array" : json_type_name(node));
	}
	struct geo *geo = b->geo;
	size_t first = geo->ring_count, index = 0;
	char item[256];
	for (const cJSON *ring = node->child; ring; ring = ring->next, index++) {
		if (!read_ring(b, ring, item_pointer(item, sizeof(item), pointer, index))) {
			return false;
		}
	}
	geo->polygons = geo_grow(geo->polygons, &b->cap_polygons, geo->polygon_count,
			     sizeof(*geo->polygons));
	geo->polygons[geo->polygon_count++] = (struct geo_polygon){first, index};
	return true;
}

static bool read_coordinates(struct builder *b, const char *type, const cJSON *coords,
			     const char *pointer, struct geo_feature *f)
{
	struct geo *geo = b->geo;
	if (strcmp(type, "Point") == 0) {
		f->kind = GEO_POINT;
		if (geo->point_count >= GEO_MAX_POINTS) {
			return fail(b, pointer, "too many points: more than %d (the limit)",
				    GEO_MAX_POINTS);
		}
		if (!read_position(b, coords, pointer, &f->label)) {
			return false;
		}
		geo->points = geo_grow(geo->points, &b->cap_points, geo->point_count, sizeof(f->label));
		geo->points[geo->point_count++] = f->label;
		return true;
	}
	f->kind = GEO_AREA;
	f->first_polygon = geo->polygon_count;
	if (strcmp(type, "Polygon") == 0) {
		f->polygon_count = 1;
		return read_polygon(b, coords, pointer);
	}
	if (!cJSON_IsArray(coords) || !coords->child) {
		return fail(b, pointer, "a MultiPolygon needs a non-empty array of polygons, got %s",
			    cJSON_IsArray(coords) ? "an empty array" : json_type_name(coords));
	}
	char item[256];
	for (const cJSON *poly = coords->child; poly; poly = poly->next, f->polygon_count++) {
		if (!read_polygon(b, poly, item_pointer(item, sizeof(item), pointer,
							f->polygon_count))) {
			return false;
		}
	}
	return true;
}

static bool read_geometry(struct builder *b, const cJSON *geometry, const char *pointer,
			  struct geo_feature *f)
{
	if (!cJSON_IsObject(geometry)) {
		return fail(b, pointer, "a geometry must be an object, got %s", json_type_name(geometry));
	}
	char item[160];
	snprintf(item, sizeof(item), "%s/type", pointer);
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(geometry, "type");
	if (!cJSON_IsString(type)) {
		return fail(b, item, "must be a geometry type, got %s", json_type_name(type));
	}
	const char *t = type->valuestring;
	if (strcmp(t, "Polygon") != 0 && strcmp(t, "MultiPolygon") != 0 &&
	    strcmp(t, "Point") != 0) {
		return fail(b, item, "unsupported geometry \"%.40s\" (Polygon, MultiPolygon or Point)",
			    t);
	}
	snprintf(item, sizeof(item), "%s/coordinates", pointer);
	const cJSON *coords = cJSON_GetObjectItemCaseSensitive(geometry, "coordinates");
	if (!coords) {
		return fail(b, pointer, "missing \"coordinates\"");
	}
	return read_coordinates(b, t, coords, item, f);
}

/* --- properties ----------------------------------------------------------------------- */

/* Cuts `s` to at most `max` bytes without splitting a UTF-8 character. */
static char *dup_cut(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80) {
			n--;
		}
	}
	return xstrndup(s, n);
}

static bool property_text(const cJSON *node, char *buf, size_t size, const char **out)
{
	if (cJSON_IsString(node)) {
		*out = node->valuestring;
	} else if (cJSON_IsNumber(node) && isfinite(node->valuedouble)) {
		double v = node->valuedouble;
		if (v == floor(v) && fabs(v) < 1e15) {
			snprintf(buf, size, "%.0f", v);
		} else {
			snprintf(buf, size, "%.15g", v);
		}
		*out = buf;
	} else if (cJSON_IsBool(node)) {
		*out = cJSON_IsTrue(node) ? "true" : "false";
	} else {
		return false; // null, arrays and objects are not keys or labels
	}
	return true;
}

static void add_property(struct builder *b, struct geo_feature *f, const char *key,
			 const cJSON *node)
{
	char buf[64];
	const char *text;
	if (f->property_count >= GEO_MAX_PROPERTIES || !property_text(node, buf, sizeof(buf), &text)) {
		return;
	}
	struct geo *geo = b->geo;
	geo->properties = geo_grow(geo->properties, &b->cap_properties, geo->property_count,
			       sizeof(*geo->properties));
	geo->properties[geo->property_count++] = (struct geo_property){
		.key = dup_cut(key, GEO_MAX_PROPERTY_BYTES),
		.value = dup_cut(text, GEO_MAX_PROPERTY_BYTES),
	};
	f->property_count++;
}

/* The feature's properties (checked to be an object or null by read_feature). */
static void read_properties(struct builder *b, const cJSON *feature, struct geo_feature *f)
{
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(feature, "properties");
	f->first_property = b->geo->property_count;
	for (const cJSON *p = props ? props->child : NULL; p; p = p->next) {
		add_property(b, f, p->string, p);
	}
	/* A Feature's own "id" serves as a key too, unless a property has that name. */
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(feature, "id");
	if (id && !geo_property(b->geo, f, "id")) {
		add_property(b, f, "id", id);
	}
}

/* --- features ------------------------------------------------------------------------- */

static bool read_feature(struct builder *b, const cJSON *node, size_t index)
{
	char pointer[64], item[96];
	snprintf(pointer, sizeof(pointer), "/features/%zu", index);
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(node, "type");
	if (!cJSON_IsObject(node)) {
		return fail(b, pointer, "a feature must be an object, got %s", json_type_name(node));
	}
	if (!cJSON_IsString(type) || strcmp(type->valuestring, "Feature") != 0) {
		snprintf(item, sizeof(item), "%s/type", pointer);
		return fail(b, item, "must be \"Feature\"");
	}
	const cJSON *geometry = cJSON_GetObjectItemCaseSensitive(node, "geometry");
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(node, "properties");
	if (props && !cJSON_IsObject(props) && !cJSON_IsNull(props)) {
		snprintf(item, sizeof(item), "%s/properties", pointer);
		return fail(b, item, "must be an object or null, got %s", json_type_name(props));
	}
	if (!geometry) {
		return fail(b, pointer, "missing \"geometry\"");
	}
	if (cJSON_IsNull(geometry)) {
		return true; // a feature without a place: nothing to draw (RFC 7946 allows it)
	}
	struct geo *geo = b->geo;
	geo->features = geo_grow(geo->features, &b->cap_features, geo->feature_count,
			     sizeof(*geo->features));
	struct geo_feature *f = &geo->features[geo->feature_count];
	*f = (struct geo_feature){0};
	snprintf(item, sizeof(item), "%s/geometry", pointer);
	read_properties(b, node, f);
	if (!read_geometry(b, geometry, item, f)) {
		return false;
	}
	geo->feature_count++;
	return true;
}

static bool read_collection(struct builder *b, const cJSON *root)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(root, "type");
	if (!cJSON_IsObject(root)) {
		return fail(b, "", "must be a GeoJSON object, got %s", json_type_name(root));
	}
	if (!cJSON_IsString(type) || strcmp(type->valuestring, "FeatureCollection") != 0) {
		return fail(b, "/type", "must be \"FeatureCollection\"%s%.40s%s",
			    cJSON_IsString(type) ? ", got \"" : "",
			    cJSON_IsString(type) ? type->valuestring : "",
			    cJSON_IsString(type) ? "\"" : "");
	}
	const cJSON *features = cJSON_GetObjectItemCaseSensitive(root, "features");
	if (!cJSON_IsArray(features)) {
		return fail(b, "/features", "must be an array of features, got %s",
			    json_type_name(features));
	}
	size_t index = 0;
	for (const cJSON *f = features->child; f; f = f->next, index++) {
		if (index >= GEO_MAX_FEATURES) {
			return fail(b, "/features", "too many features: more than %d (the limit)",
				    GEO_MAX_FEATURES);
		}
		if (!read_feature(b, f, index)) {
			return false;
		}
	}
	if (b->geo->feature_count == 0) {
		return fail(b, "/features", "no feature with a geometry");
	}
	return true;
}

/* --- public --------------------------------------------------------------------------- */

static void geo_free(struct geo *geo)
{
	for (size_t i = 0; i < geo->property_count; i++) {
		free(geo->properties[i].key);
		free(geo->properties[i].value);
	}
	free(geo->properties);
	free(geo->features);
	free(geo->polygons);
	free(geo->rings);
	free(geo->points);
	free(geo->path);
	free(geo);
}

struct geo *geo_parse(const char *text, size_t len, const char *name, char *err,
		      size_t err_size)
{
	struct builder b = {.name = name, .err = err, .err_size = err_size};
	if (!check_text(&b, text, len)) {
		return NULL;
	}
	cJSON *root = cJSON_ParseWithLength(text, len);
	if (!root) {
		fail(&b, "", "cannot parse (out of memory or nested too deeply)");
		return NULL;
	}
	b.geo = xcalloc(1, sizeof(*b.geo));
	b.geo->refs = 1;
	b.geo->path = xstrdup(name);
	bool ok = read_collection(&b, root);
	cJSON_Delete(root);
	if (!ok) {
		geo_free(b.geo);
		return NULL;
	}
	geo_measure(b.geo);
	return b.geo;
}

struct geo *geo_load_file(const char *path, char *err, size_t err_size)
{
	char *text;
	size_t len;
	if (!file_read_all(path, GEO_MAX_BYTES, &text, &len, err, err_size)) {
		return NULL;
	}
	struct geo *geo = geo_parse(text, len, path, err, err_size);
	free(text);
	return geo;
}

/* Guards every reference count and the shared default map. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct geo *default_geo; // borrowed: cleared by the last geo_unref

struct geo *geo_ref(struct geo *geo)
{
	if (geo) {
		pthread_mutex_lock(&lock);
		geo->refs++;
		pthread_mutex_unlock(&lock);
	}
	return geo;
}

void geo_unref(struct geo *geo)
{
	if (!geo) {
		return;
	}
	pthread_mutex_lock(&lock);
	bool last = --geo->refs == 0;
	if (last && default_geo == geo) {
		default_geo = NULL;
	}
	pthread_mutex_unlock(&lock);
	if (last) {
		geo_free(geo);
	}
}

const char *geo_property(const struct geo *geo, const struct geo_feature *f, const char *key)
{
	for (size_t i = 0; i < f->property_count; i++) {
		const struct geo_property *p = &geo->properties[f->first_property + i];
		if (strcmp(p->key, key) == 0) {
			return p->value;
		}
	}
	return NULL;
}

bool geo_asset_load(const char *path, void **asset, char *err, size_t err_size)
{
	struct geo *geo = geo_load_file(path, err, err_size);
	*asset = geo;
	return geo != NULL;
}

void geo_asset_unload(void *asset)
{
	geo_unref(asset);
}

static char *holds_default(const char *dir)
{
	if (!dir || !dir[0]) {
		return NULL;
	}
	char *file = xasprintf("%s/%s", dir, GEO_DEFAULT_FILE);
	bool found = access(file, R_OK) == 0;
	free(file);
	return found ? xstrdup(dir) : NULL;
}

static char *beside_executable(const char *relative)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		return NULL;
	}
	exe[n] = '\0';
	char *dir = path_dirname(exe);
	char *candidate = xasprintf("%s/%s", dir, relative);
	char *found = holds_default(candidate);
	free(candidate);
	free(dir);
	return found;
}

char *geo_asset_dir(void)
{
	char *dir = holds_default(getenv("CITYWALL_ASSET_DIR"));
#ifdef CITYWALL_SOURCE_ASSET_DIR
	dir = dir ? dir : holds_default(CITYWALL_SOURCE_ASSET_DIR);
#endif
	dir = dir ? dir : beside_executable("../../assets");
	dir = dir ? dir : beside_executable("../share/citywall/assets");
#ifdef CITYWALL_INSTALLED_ASSET_DIR
	dir = dir ? dir : holds_default(CITYWALL_INSTALLED_ASSET_DIR);
#endif
	const char *root = getenv("CITYWALL_SOURCE_ROOT");
	if (!dir && root) {
		char *assets = xasprintf("%s/assets", root);
		dir = holds_default(assets);
		free(assets);
	}
	return dir;
}

struct geo *geo_default_acquire(char *err, size_t err_size)
{
	pthread_mutex_lock(&lock);
	struct geo *geo = default_geo;
	if (geo) {
		geo->refs++;
	}
	pthread_mutex_unlock(&lock);
	if (geo) {
		return geo;
	}
	char *dir = geo_asset_dir();
	if (!dir) {
		snprintf(err, err_size,
			 "cannot find the bundled map %s (set CITYWALL_ASSET_DIR to the assets folder)",
			 GEO_DEFAULT_FILE);
		return NULL;
	}
	char *path = xasprintf("%s/%s", dir, GEO_DEFAULT_FILE);
	free(dir);
	geo = geo_load_file(path, err, err_size);
	free(path);
	if (!geo) {
		return NULL;
	}
	pthread_mutex_lock(&lock);
	if (default_geo) {
		/* Another thread loaded it meanwhile: use theirs, so there is one copy. */
		struct geo *mine = geo;
		geo = default_geo;
		geo->refs++;
		pthread_mutex_unlock(&lock);
		geo_free(mine);
		return geo;
	}
	default_geo = geo;
	pthread_mutex_unlock(&lock);
	return geo;
}
