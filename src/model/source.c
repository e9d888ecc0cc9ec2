#include "model/source.h"

#include "util/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void source_config_finish(struct source_config *config)
{
	free(config->name);
	free(config->url);
	free(config->timestamp);
	free(config->timestamp_format);
	free(config->timestamp_zone);
	free(config->ca_file);
	free(config->username);
	free(config->password);
	free(config->title);
	for (size_t i = 0; i < config->header_count; i++) {
		free(config->headers[i].name);
		free(config->headers[i].value);
	}
	free(config->headers);
	memset(config, 0, sizeof(*config));
}

void source_config_copy(struct source_config *out, const struct source_config *in)
{
	*out = *in;
	out->name = dup_or_null(in->name);
	out->url = dup_or_null(in->url);
	out->timestamp = dup_or_null(in->timestamp);
	out->timestamp_format = dup_or_null(in->timestamp_format);
	out->timestamp_zone = dup_or_null(in->timestamp_zone);
	out->ca_file = dup_or_null(in->ca_file);
	out->username = dup_or_null(in->username);
	out->password = dup_or_null(in->password);
	out->title = dup_or_null(in->title);
	out->headers = xcalloc(in->header_count ? in->header_count : 1, sizeof(*out->headers));
	for (size_t i = 0; i < in->header_count; i++) {
		out->headers[i].name = xstrdup(in->headers[i].name);
		out->headers[i].value = xstrdup(in->headers[i].value);
	}
}

static bool same_text(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

bool source_config_same_time(const struct source_config *a, const struct source_config *b)
{
	return same_text(a->timestamp, b->timestamp) &&
	       same_text(a->timestamp_format, b->timestamp_format) &&
	       same_text(a->timestamp_zone, b->timestamp_zone) &&
	       a->clock_tolerance == b->clock_tolerance;
}

bool source_keeps_history(const struct source_config *config)
{
	return config->history.count > 0 || config->history.window > 0;
}

bool source_name_valid(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len > 64) {
		return false;
	}
	for (const char *c = name; *c; c++) {
		bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			  (*c >= '0' && *c <= '9') || *c == '_' || *c == '-';
		if (!ok) {
			return false;
		}
	}
	return true;
}

bool source_url_is_mqtt(const char *url)
{
	return url && (strncmp(url, "mqtt://", 7) == 0 || strncmp(url, "mqtts://", 8) == 0);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
		return (c | 0x20) - 'a' + 10;
	}
	return -1;
}

/* "a%2Fb" → "a/b"; NULL on a broken escape or an encoded NUL. */
static char *percent_decode(const char *text)
{
	char *out = xmalloc(strlen(text) + 1), *o = out;
	for (const char *c = text; *c; c++) {
		if (*c != '%') {
			*o++ = *c;
			continue;
		}
		int hi = hex_digit(c[1]), lo = hi < 0 ? -1 : hex_digit(c[2]);
		if (lo < 0 || (hi == 0 && lo == 0)) {
			free(out);
			return NULL;
		}
		*o++ = (char)(hi * 16 + lo);
		c += 2;
	}
	*o = '\0';
	return out;
}

/* "host", "host:port" or "[v6]:port" into out's host and port; false on a bad port. */
static bool split_authority(const char *start, size_t len, struct source_mqtt_url *out)
{
	const char *colon = NULL;
	if (len && start[0] == '[') {
		const char *close = memchr(start, ']', len);
		if (!close) {
			return false;
		}
		out->host = xstrndup(start + 1, (size_t)(close - start - 1));
		colon = close + 1 < start + len ? close + 1 : NULL;
		if (colon && *colon != ':') {
			return false;
		}
	} else {
		colon = memchr(start, ':', len);
		out->host = xstrndup(start, colon ? (size_t)(colon - start) : len);
	}
	if (!colon) {
		return true;
	}
	long port = 0;
	const char *end = start + len;
	if (colon + 1 == end) {
		return false;
	}
	for (const char *c = colon + 1; c < end; c++) {
		if (*c < '0' || *c > '9' || (port = port * 10 + (*c - '0')) > 65535) {
			return false;
		}
	}
	out->port = (int)port;
	return port > 0;
}

bool source_mqtt_url_parse(const char *url, struct source_mqtt_url *out, char *err,
			   size_t err_size)
{
	*out = (struct source_mqtt_url){0};
	if (!source_url_is_mqtt(url)) {
		snprintf(err, err_size, "not an mqtt:// or mqtts:// URL");
		return false;
	}
	out->tls = url[4] == 's';
	out->port = out->tls ? 8883 : 1883;
	const char *authority = url + (out->tls ? 8 : 7);
	const char *slash = strchr(authority, '/');
	size_t len = slash ? (size_t)(slash - authority) : strlen(authority);
	if (memchr(authority, '@', len)) {
		snprintf(err, err_size, "put the MQTT user in \"username\" and \"password\", not in "
			 "the URL");
		return false;
	}
	if (!split_authority(authority, len, out) || !out->host[0]) {
		snprintf(err, err_size, "%s: expected mqtt://host[:port]/topic", url);
		source_mqtt_url_finish(out);
		return false;
	}
	out->topic = slash && slash[1] ? percent_decode(slash + 1) : NULL;
	if (!out->topic || !out->topic[0]) {
		snprintf(err, err_size, "%s: names no topic (expected mqtt://host[:port]/topic)", url);
		source_mqtt_url_finish(out);
		return false;
	}
	if (strpbrk(out->topic, "+#")) {
		snprintf(err, err_size, "%s: a topic filter (+ or #) is not a source: name one topic "
			 "whose retained message is the snapshot", url);
		source_mqtt_url_finish(out);
		return false;
	}
	return true;
}

void source_mqtt_url_finish(struct source_mqtt_url *url)
{
	free(url->host);
	free(url->topic);
	*url = (struct source_mqtt_url){0};
}
