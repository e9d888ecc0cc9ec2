#include "feed/store.h"

#include "model/source.h"

#include "util/fileio.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define META_MAX_BYTES (64u * 1024)

/* A body and its meta file must belong together; a cheap hash is enough to tell two saves
 * apart (this guards against interrupted pairs, not against an attacker). */
static uint64_t fnv1a64(const char *data, size_t len)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)data[i];
		h *= 0x100000001b3u;
	}
	return h;
}

/* ---- writing ---- */

static char *meta_text(const char *url, const char *body, size_t len, double fetched_at,
		       const char *etag, const char *last_modified)
{
	char when[64], hash[17];
	time_format_utc(fetched_at, when, sizeof(when));
	snprintf(hash, sizeof(hash), "%016" PRIx64, fnv1a64(body, len));
	cJSON *meta = cJSON_CreateObject();
	cJSON_AddStringToObject(meta, "url", url);
	cJSON_AddStringToObject(meta, "fetched_at", when);
	cJSON_AddNumberToObject(meta, "fetched_at_epoch", fetched_at);
	cJSON_AddStringToObject(meta, "etag", etag ? etag : "");
	cJSON_AddStringToObject(meta, "last_modified", last_modified ? last_modified : "");
	cJSON_AddNumberToObject(meta, "bytes", (double)len);
	cJSON_AddStringToObject(meta, "fnv1a64", hash);
	char *printed = cJSON_Print(meta);
	cJSON_Delete(meta);
	if (!printed) {
		fprintf(stderr, "citywall: out of memory\n");
		abort();
	}
	char *text = xasprintf("%s\n", printed);
	cJSON_free(printed);
	return text;
}

bool store_save(const char *dir, const char *name, const char *url, const char *body,
		size_t len, double fetched_at, const char *etag, const char *last_modified,
		char *err, size_t err_size)
{
	if (!source_name_valid(name)) {
		snprintf(err, err_size, "source name \"%s\" is not a safe file name", name);
		return false;
	}
	if (!dir_create_all(dir, err, err_size)) {
		return false;
	}
	char *body_file = xasprintf("%s/%s.json", dir, name);
	char *meta_file = xasprintf("%s/%s.meta.json", dir, name);
	char *meta = meta_text(url, body, len, fetched_at, etag, last_modified);
	/* Body first: a crash between the renames leaves a new body with the old meta, which the
	 * size and hash check refuses, rather than old validators served with a new body. */
	bool ok = file_write_atomic(body_file, body, len, err, err_size) &&
		  file_write_atomic(meta_file, meta, strlen(meta), err, err_size);
	free(meta);
	free(meta_file);
	free(body_file);
	return ok;
}

/* ---- reading ---- */

static const char *meta_string(const cJSON *meta, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(meta, key);
	return cJSON_IsString(item) ? item->valuestring : NULL;
}

static void copy_validator(char *out, size_t size, const char *value)
{
	/* Too long to be ours: drop it rather than send a cut one. */
	if (value && strlen(value) < size) {
		memcpy(out, value, strlen(value) + 1);
	} else {
		out[0] = '\0';
	}
}

static bool meta_time(const cJSON *meta, double *out)
{
	const cJSON *epoch = cJSON_GetObjectItemCaseSensitive(meta, "fetched_at_epoch");
	if (cJSON_IsNumber(epoch) && isfinite(epoch->valuedouble)) {
		*out = epoch->valuedouble;
		return true;
	}
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(meta, "fetched_at");
	if (cJSON_IsNumber(item) && isfinite(item->valuedouble)) {
		*out = item->valuedouble;
		return true;
	}
	const char *text = meta_string(meta, "fetched_at");
	return text && time_parse_iso8601(text, 0, out);
}

/* Checks the body against the meta file's size and hash (when it records them). */
static bool body_matches(const cJSON *meta, const char *body, size_t len)
{
	const cJSON *bytes = cJSON_GetObjectItemCaseSensitive(meta, "bytes");
	if (cJSON_IsNumber(bytes) && bytes->valuedouble != (double)len) {
		return false;
	}
	const char *hash = meta_string(meta, "fnv1a64");
	if (hash) {
		char expected[17];
		snprintf(expected, sizeof(expected), "%016" PRIx64, fnv1a64(body, len));
		return strcmp(hash, expected) == 0;
	}
	return true;
}

static enum store_status read_meta(const char *meta_path, const char *url, cJSON **out,
				   char *err, size_t err_size)
{
	char *text;
	size_t len;
	if (!file_read_all(meta_path, META_MAX_BYTES, &text, &len, err, err_size)) {
		return STORE_UNUSABLE;
	}
	cJSON *meta = cJSON_ParseWithLength(text, len);
	free(text);
	const char *cached_url = meta_string(meta, "url");
	double when;
	if (!cJSON_IsObject(meta) || !cached_url || !meta_time(meta, &when)) {
		snprintf(err, err_size,
			 "%s: not a cache meta file (needs \"url\" and \"fetched_at\")", meta_path);
		cJSON_Delete(meta);
		return STORE_UNUSABLE;
	}
	if (strcmp(cached_url, url) != 0) {
		snprintf(err, err_size, "%s: cached from %s, not from %s", meta_path, cached_url,
			 url);
		cJSON_Delete(meta);
		return STORE_OTHER_URL;
	}
	*out = meta;
	return STORE_LOADED;
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 || errno != ENOENT;
}

static enum store_status load_paths(const char *body_path, const char *meta_path,
				    const char *url, size_t max_bytes, struct store_entry *out,
				    char *err, size_t err_size)
{
	bool has_body = exists(body_path), has_meta = exists(meta_path);
	if (!has_body && !has_meta) {
		return STORE_MISSING;
	}
	if (!has_meta) {
		snprintf(err, err_size, "%s: its meta file %s is missing", body_path, meta_path);
		return STORE_UNUSABLE;
	}
	cJSON *meta = NULL;
	enum store_status status = read_meta(meta_path, url, &meta, err, err_size);
	if (status != STORE_LOADED) {
		return status;
	}
	if (!file_read_all(body_path, max_bytes, &out->body, &out->len, err, err_size)) {
		cJSON_Delete(meta);
		return STORE_UNUSABLE;
	}
	if (!body_matches(meta, out->body, out->len)) {
		snprintf(err, err_size, "%s: does not match %s (an interrupted save?)", body_path,
			 meta_path);
		free(out->body);
		cJSON_Delete(meta);
		return STORE_UNUSABLE;
	}
	meta_time(meta, &out->fetched_at);
	copy_validator(out->etag, sizeof(out->etag), meta_string(meta, "etag"));
	copy_validator(out->last_modified, sizeof(out->last_modified),
		       meta_string(meta, "last_modified"));
	cJSON_Delete(meta);
	return STORE_LOADED;
}

enum store_status store_load(const char *dir, const char *name, const char *url,
			     size_t max_bytes, struct store_entry *out, char *err, size_t err_size)
{
	memset(out, 0, sizeof(*out));
	err[0] = '\0';
	if (!source_name_valid(name)) {
		snprintf(err, err_size, "source name \"%s\" is not a safe file name", name);
		return STORE_UNUSABLE;
	}
	char *body_path = xasprintf("%s/%s.json", dir, name);
	char *meta_path = xasprintf("%s/%s.meta.json", dir, name);
	enum store_status status =
		load_paths(body_path, meta_path, url, max_bytes, out, err, err_size);
	free(meta_path);
	if (status == STORE_LOADED) {
		out->path = body_path;
	} else {
		free(body_path);
		memset(out, 0, sizeof(*out));
	}
	return status;
}

void store_entry_finish(struct store_entry *entry)
{
	free(entry->path);
	free(entry->body);
	memset(entry, 0, sizeof(*entry));
}
