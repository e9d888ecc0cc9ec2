#include "model/source.h"

#include "util/xmalloc.h"

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
