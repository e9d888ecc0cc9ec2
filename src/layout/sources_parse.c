#include "layout/sources_parse.h"

#include "layout/derive_read.h"
#include "layout/tables.h"

#include "model/path.h"
#include "util/datatime.h"
#include "util/fileio.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static char *resolve_url(const struct layout *layout, const char *url)
{
	char *dir = path_dirname(layout->file);
	char *resolved = path_resolve(dir, url);
	free(dir);
	return resolved;
}

static struct source_config default_config(const char *name, const char *zone)
{
	return (struct source_config){
		.name = xstrdup(name),
		.interval = SOURCE_DEFAULT_INTERVAL,
		.max_age = SOURCE_DEFAULT_MAX_AGE,
		.timeout = SOURCE_DEFAULT_TIMEOUT,
		.connect_timeout = SOURCE_DEFAULT_CONNECT_TIMEOUT,
		.max_bytes = SOURCE_DEFAULT_MAX_BYTES,
		.timestamp = xstrdup("generated_at"),
		.clock_tolerance = SOURCE_DEFAULT_CLOCK_TOLERANCE,
		.show_age_after = SOURCE_DEFAULT_MAX_AGE / 2,
		.timestamp_zone = zone ? xstrdup(zone) : NULL,
	};
}

static bool timestamp_path(struct parse_ctx *ctx, const char *path, const char *pointer,
			   struct source_config *config)
{
	char err[256];
	if (!path_check(path, err, sizeof(err))) {
		parse_error(ctx, pointer, false, "%s", err);
		return false;
	}
	free(config->timestamp);
	config->timestamp = xstrdup(path);
	return true;
}

/* The format's directives and the zone, checked whatever else is wrong in the object. */
static bool timestamp_values_ok(struct parse_ctx *ctx, const cJSON *node, const char *pointer)
{
	const cJSON *format = cJSON_GetObjectItemCaseSensitive(node, "format");
	const cJSON *zone = cJSON_GetObjectItemCaseSensitive(node, "timezone");
	char err[256];
	bool ok = true;
	if (cJSON_IsString(format) && !datatime_format_check(format->valuestring, err, sizeof(err))) {
		char *p = pointer_join(pointer, "format");
		parse_error(ctx, p, false, "%s", err);
		free(p);
		ok = false;
	}
	if (cJSON_IsString(zone) && !datatime_zone_known(zone->valuestring)) {
		char *p = pointer_join(pointer, "timezone");
		parse_error(ctx, p, false, "unknown time zone \"%s\" (an IANA name such as "
			    "\"Asia/Seoul\", from /usr/share/zoneinfo)", zone->valuestring);
		free(p);
		ok = false;
	}
	return ok;
}

/* {"path", "format", "timezone"}. */
static bool timestamp_object(struct parse_ctx *ctx, const cJSON *node, const char *pointer,
			     struct source_config *config)
{
	struct option_set set = {0};
	const struct option_spec *tables[] = {layout_timestamp_options};
	bool ok = options_read(ctx, node, pointer, tables, &set, 1);
	ok &= timestamp_values_ok(ctx, node, pointer);
	if (ok) {
		free(config->timestamp);
		config->timestamp = xstrdup(option_text(&set, "path"));
		const char *format = option_text(&set, "format");
		const char *zone = option_text(&set, "timezone");
		config->timestamp_format = format ? xstrdup(format) : NULL;
		if (zone) {
			free(config->timestamp_zone);
			config->timestamp_zone = xstrdup(zone);
		}
	}
	option_set_finish(&set);
	return ok;
}

/* "timestamp": a value path, or an object naming the path, its format and its zone. */
static bool read_timestamp(struct parse_ctx *ctx, const cJSON *source, const char *pointer,
			   struct source_config *config)
{
	const cJSON *node = cJSON_GetObjectItemCaseSensitive(source, "timestamp");
	if (!node) {
		return true;
	}
	char *p = pointer_join(pointer, "timestamp");
	bool ok;
	if (cJSON_IsString(node)) {
		ok = timestamp_path(ctx, node->valuestring, p, config);
	} else if (cJSON_IsObject(node)) {
		ok = timestamp_object(ctx, node, p, config);
	} else {
		parse_error(ctx, p, false, "must be a value path or {\"path\": ..., \"format\": ..., "
			    "\"timezone\": ...}");
		ok = false;
	}
	free(p);
	return ok;
}

/* The time keys: "timestamp", "clock_tolerance" and "show_age_after". */
static bool read_time_keys(struct parse_ctx *ctx, const cJSON *node, const struct option_set *set,
			   const char *pointer, struct source_config *config)
{
	config->clock_tolerance = option_number(set, "clock_tolerance");
	config->show_age_after = option_get(set, "show_age_after")->set
					 ? option_number(set, "show_age_after")
					 : config->max_age / 2;
	return read_timestamp(ctx, node, pointer, config);
}

static bool read_headers(struct parse_ctx *ctx, const cJSON *headers, const char *pointer,
			 struct source_config *config)
{
	if (!cJSON_IsObject(headers)) {
		parse_error(ctx, pointer, false, "must be an object of header names to strings");
		return false;
	}
	bool ok = true;
	config->headers = xcalloc((size_t)cJSON_GetArraySize(headers) + 1, sizeof(*config->headers));
	for (const cJSON *h = headers->child; h; h = h->next) {
		char *p = pointer_join(pointer, h->string);
		if (!cJSON_IsString(h) || strpbrk(h->string, ": \r\n") || strpbrk(h->valuestring, "\r\n")) {
			parse_error(ctx, p, false, "must be a string, and the header a single name");
			ok = false;
		} else {
			struct source_header *out = &config->headers[config->header_count++];
			out->name = xstrdup(h->string);
			out->value = xstrdup(h->valuestring);
		}
		free(p);
	}
	return ok;
}

/* "format" and "encoding": which combinations mean something. */
static bool read_format(struct parse_ctx *ctx, const struct option_set *set, const char *pointer,
			struct source_config *config)
{
	const char *format = option_text(set, "format");
	const char *encoding = option_text(set, "encoding");
	config->format = strcmp(format, "csv") == 0   ? SOURCE_FORMAT_CSV
			 : strcmp(format, "xml") == 0 ? SOURCE_FORMAT_XML
						      : SOURCE_FORMAT_JSON;
	config->encoding = strcmp(encoding, "utf-8") == 0 ? SOURCE_ENCODING_UTF8
			   : strcmp(encoding, "auto") == 0 ? SOURCE_ENCODING_AUTO
							   : SOURCE_ENCODING_CP949;
	bool ok = true;
	if (config->type == SOURCE_IMAGE && option_get(set, "format")->set) {
		char *p = pointer_join(pointer, "format");
		parse_error(ctx, p, false, "an image source has no \"format\" (the bytes tell JPEG "
			    "from PNG)");
		free(p);
		ok = false;
	}
	if (config->format == SOURCE_FORMAT_JSON && option_get(set, "encoding")->set) {
		char *p = pointer_join(pointer, "encoding");
		parse_error(ctx, p, false, "\"encoding\" applies to \"format\": \"csv\" and "
			    "\"xml\"; JSON is always UTF-8");
		free(p);
		ok = false;
	}
	return ok;
}

/* mqtt:// sources: a URL naming one topic, and keys that only MQTT uses. */
static bool read_mqtt(struct parse_ctx *ctx, const struct option_set *set, const char *pointer,
		      struct source_config *config)
{
	const char *user = option_text(set, "username");
	const char *password = option_text(set, "password");
	config->username = user ? xstrdup(user) : NULL;
	config->password = password ? xstrdup(password) : NULL;
	bool ok = true;
	if (!source_url_is_mqtt(config->url)) {
		const char *key = user ? "username" : password ? "password" : NULL;
		if (key) {
			char *p = pointer_join(pointer, key);
			parse_error(ctx, p, false, "applies to mqtt:// sources (HTTP sources send "
				    "credentials in \"headers\")");
			free(p);
			ok = false;
		}
		return ok;
	}
	struct source_mqtt_url url;
	char err[512];
	if (source_mqtt_url_parse(config->url, &url, err, sizeof(err))) {
		source_mqtt_url_finish(&url);
	} else {
		char *p = pointer_join(pointer, "url");
		parse_error(ctx, p, false, "%s", err);
		free(p);
		ok = false;
	}
	if (option_get(set, "headers")->set) {
		char *p = pointer_join(pointer, "headers");
		parse_error(ctx, p, false, "an mqtt:// source sends no HTTP headers: use "
			    "\"username\" and \"password\"");
		free(p);
		ok = false;
	}
	return ok;
}

/* "history": a duration ("24h") or a count of readings (500). */
static bool read_history(struct parse_ctx *ctx, const cJSON *node, const char *pointer,
			 struct source_config *config)
{
	if (!node) {
		return true;
	}
	char *p = pointer_join(pointer, "history");
	double seconds = 0, count = cJSON_IsNumber(node) ? node->valuedouble : 0;
	bool ok = true;
	if (cJSON_IsString(node) && history_parse_duration(node->valuestring, &seconds) &&
	    seconds <= HISTORY_MAX_WINDOW) {
		config->history.window = seconds;
	} else if (cJSON_IsNumber(node) && count == floor(count) && count >= 2 &&
		   count <= HISTORY_MAX_POINTS) {
		config->history.count = (size_t)count;
	} else if (cJSON_IsString(node) && seconds > HISTORY_MAX_WINDOW) {
		parse_error(ctx, p, false, "history of \"%s\" is longer than the 400 days kept at "
			    "most", node->valuestring);
		ok = false;
	} else {
		char got[96];
		if (cJSON_IsString(node)) {
			snprintf(got, sizeof(got), "\"%.80s\"", node->valuestring);
		} else if (cJSON_IsNumber(node)) {
			snprintf(got, sizeof(got), "%g", node->valuedouble);
		} else {
			snprintf(got, sizeof(got), "%s", json_type_name(node));
		}
		parse_error(ctx, p, false, "must be a duration (\"24h\", \"30m\", \"90s\", \"7d\") "
			    "or a count of readings (2 to %d), got %s", HISTORY_MAX_POINTS, got);
		ok = false;
	}
	free(p);
	return ok;
}

/* "lat" and "lon", both or neither; "title". */
static bool read_position(struct parse_ctx *ctx, const struct option_set *set,
			  const char *pointer, struct source_config *config)
{
	bool lat = option_get(set, "lat")->set, lon = option_get(set, "lon")->set;
	const char *title = option_text(set, "title");
	config->title = title ? xstrdup(title) : NULL;
	if (lat != lon) {
		char *p = pointer_join(pointer, lat ? "lat" : "lon");
		parse_error(ctx, p, true, "a position needs both \"lat\" and \"lon\"");
		free(p);
		return false;
	}
	config->has_position = lat;
	config->lat = lat ? option_number(set, "lat") : 0;
	config->lon = lon ? option_number(set, "lon") : 0;
	return true;
}

static bool read_source(struct parse_ctx *ctx, const cJSON *node, const char *pointer,
			struct layout *layout, struct source_config *config)
{
	struct option_set set = {0};
	const struct option_spec *tables[] = {layout_source_options};
	bool ok = options_read(ctx, node, pointer, tables, &set, 1);
	if (ok) {
		config->url = resolve_url(layout, option_text(&set, "url"));
		config->interval = option_number(&set, "interval");
		config->max_age = option_number(&set, "max_age");
		config->timeout = option_number(&set, "timeout");
		config->connect_timeout = option_number(&set, "connect_timeout");
		config->max_bytes = (size_t)option_number(&set, "max_bytes");
		ok = read_time_keys(ctx, node, &set, pointer, config);
		const char *ca = option_text(&set, "ca_file");
		config->ca_file = ca ? resolve_url(layout, ca) : NULL;
		config->type = strcmp(option_text(&set, "type"), "image") == 0 ? SOURCE_IMAGE
										: SOURCE_JSON;
		ok &= read_format(ctx, &set, pointer, config);
		ok &= read_mqtt(ctx, &set, pointer, config);
		ok &= read_position(ctx, &set, pointer, config);
		ok &= read_history(ctx, cJSON_GetObjectItemCaseSensitive(node, "history"), pointer,
				   config);
		const cJSON *headers = cJSON_GetObjectItemCaseSensitive(node, "headers");
		if (headers) {
			char *p = pointer_join(pointer, "headers");
			ok &= read_headers(ctx, headers, p, config);
			free(p);
		}
	}
	option_set_finish(&set);
	return ok;
}

static bool read_feed(struct parse_ctx *ctx, const cJSON *feed, struct layout *layout)
{
	struct source_config *config = &layout->sources[LAYOUT_DEFAULT_SOURCE];
	if (!feed) {
		return true;
	}
	if (cJSON_IsString(feed)) {
		config->url = resolve_url(layout, feed->valuestring);
		return true;
	}
	if (cJSON_IsObject(feed)) {
		return read_source(ctx, feed, "/feed", layout, config);
	}
	parse_error(ctx, "/feed", false, "must be a URL or a source object {\"url\": ...}");
	return false;
}

bool sources_read(struct parse_ctx *ctx, const cJSON *root, struct layout *layout)
{
	const cJSON *sources = cJSON_GetObjectItemCaseSensitive(root, "sources");
	int count = sources ? cJSON_GetArraySize(sources) : 0;
	layout->sources = xcalloc((size_t)count + 1, sizeof(*layout->sources));
	layout->sources[0] = default_config("default", layout->timezone);
	layout->source_count = 1;
	bool feed_ok = read_feed(ctx, cJSON_GetObjectItemCaseSensitive(root, "feed"), layout);
	if (!sources) {
		return feed_ok;
	}
	if (!cJSON_IsObject(sources)) {
		parse_error(ctx, "/sources", false, "must be an object of source names to sources");
		return false;
	}
	bool ok = feed_ok;
	for (const cJSON *node = sources->child; node; node = node->next) {
		char *pointer = pointer_join("/sources", node->string);
		if (!source_name_valid(node->string)) {
			parse_error(ctx, pointer, true,
				    "source name \"%s\" must be 1 to 64 letters, digits, '_' or '-'",
				    node->string);
			ok = false;
		} else if (strcmp(node->string, "default") == 0) {
			parse_error(ctx, pointer, true,
				    "\"default\" is the \"feed\" key's source; give this one its own name");
			ok = false;
		} else {
			struct source_config *config = &layout->sources[layout->source_count++];
			*config = default_config(node->string, layout->timezone);
			ok &= read_source(ctx, node, pointer, layout, config);
		}
		free(pointer);
	}
	return ok;
}

static char *source_names(const struct layout *layout)
{
	char *list = xstrdup("");
	for (size_t i = 1; i < layout->source_count; i++) {
		char *next = xasprintf("%s%s%s", list, i > 1 ? ", " : "", layout->sources[i].name);
		free(list);
		list = next;
	}
	return list;
}

static bool split_prefix(const char *binding, char **name, const char **rest)
{
	const char *colon = strchr(binding, ':');
	if (!colon) {
		return false;
	}
	char *candidate = xstrndup(binding, (size_t)(colon - binding));
	if (!source_name_valid(candidate)) {
		free(candidate);
		return false;
	}
	*name = candidate;
	*rest = colon + 1;
	return true;
}

static void report_unknown_source(struct parse_ctx *ctx, const struct layout *layout,
				  const char *name, const char *pointer)
{
	char *names = source_names(layout);
	const char *near = layout->source_count > 1
				   ? str_closest(name, &layout->sources[1].name,
						 sizeof(struct source_config), layout->source_count - 1)
				   : NULL;
	if (near) {
		parse_error(ctx, pointer, false,
			    "binding names source \"%s\", which the layout does not declare "
			    "(did you mean \"%s\"?)",
			    name, near);
	} else if (names[0]) {
		parse_error(ctx, pointer, false,
			    "binding names source \"%s\", which the layout does not declare "
			    "(sources: %s)",
			    name, names);
	} else {
		parse_error(ctx, pointer, false,
			    "binding names source \"%s\", but the layout declares no \"sources\"",
			    name);
	}
	free(names);
}

bool sources_resolve_binding(struct parse_ctx *ctx, const struct layout *layout,
			     const char *binding, const char *pointer, size_t *source,
			     char **path)
{
	char *name = NULL;
	const char *rest = binding;
	long index = LAYOUT_DEFAULT_SOURCE;
	bool prefixed = split_prefix(binding, &name, &rest);
	if (prefixed) {
		index = layout_find_source(layout, name);
		if (index < 0) {
			report_unknown_source(ctx, layout, name, pointer);
			free(name);
			return false;
		}
		free(name);
	} else if (!layout->sources[0].url && layout->source_count > 1) {
		/* With named sources and no "feed", an unprefixed path is almost surely a slip. */
		char *names = source_names(layout);
		parse_error(ctx, pointer, false,
			    "binding has no source: write \"%s:%s\" (sources: %s)",
			    layout->sources[1].name, binding, names);
		free(names);
		return false;
	}
	char err[256];
	if (prefixed && rest[0] == '\0') {
		/* "cam1:" binds an image source as a whole: the picture, not a value inside it. */
		if (layout->sources[index].type != SOURCE_IMAGE) {
			parse_error(ctx, pointer, false,
				    "empty value path: only a source with \"type\": \"image\" is "
				    "bound as a whole (\"%s\")", binding);
			return false;
		}
	} else if (!path_check(rest, err, sizeof(err))) {
		parse_error(ctx, pointer, false, "%s", err);
		return false;
	} else if (index == layout->derived_source &&
		   !derive_check_binding(ctx, layout, rest, pointer)) {
		return false;
	}
	*source = (size_t)index;
	*path = xstrdup(rest);
	return true;
}
