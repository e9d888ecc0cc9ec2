#include "feed/store.h"

#include "model/source.h"

#include "util/fileio.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#include <cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define RECORD_SUFFIX ".cache"
#define HISTORY_SUFFIX ".history"
#define LOCK_FILE "lock"

/* Tells a whole record from a torn or damaged one; this guards against interrupted writes
 * and bit rot, not against an attacker (who could write a matching sum). */
static uint64_t fnv1a64(uint64_t h, const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)data[i];
		h *= 0x100000001b3u;
	}
	return h;
}

#define FNV_OFFSET 0xcbf29ce484222325u

static void put_le(unsigned char *out, uint64_t value, size_t bytes)
{
	for (size_t i = 0; i < bytes; i++) {
		out[i] = (unsigned char)(value >> (8 * i));
	}
}

static uint64_t get_le(const unsigned char *in, size_t bytes)
{
	uint64_t value = 0;
	for (size_t i = 0; i < bytes; i++) {
		value |= (uint64_t)in[i] << (8 * i);
	}
	return value;
}

/* ---- claiming the folder ---- */

/* Folders this process holds: the lock lives as long as its descriptor, i.e. the process. */
struct claim {
	dev_t dev;
	ino_t ino;
	int fd; // owned: DIR/lock, flock'ed
	struct claim *next;
};
static struct claim *claims;
static pthread_mutex_t claims_lock = PTHREAD_MUTEX_INITIALIZER;

static bool claimed(const struct stat *st)
{
	for (const struct claim *c = claims; c; c = c->next) {
		if (c->dev == st->st_dev && c->ino == st->st_ino) {
			return true;
		}
	}
	return false;
}

/* A temporary file of ours: ".NAME.cache.tmp-XXXXXX", or ".NAME.json.XXXXXX" and
 * ".NAME.meta.json.XXXXXX" from the two-file caches of earlier versions. */
static bool stale_temp_name(const char *name)
{
	size_t len = strlen(name);
	if (name[0] != '.' || len < 8) {
		return false;
	}
	if (strstr(name, RECORD_SUFFIX FILE_TEMP_MARK) || strstr(name, HISTORY_SUFFIX FILE_TEMP_MARK)) {
		return true;
	}
	return len > 13 && memcmp(name + len - 12, ".json.", 6) == 0;
}

static size_t remove_stale_temps(const char *dir)
{
	DIR *d = opendir(dir);
	size_t removed = 0;
	if (!d) {
		return 0;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (stale_temp_name(e->d_name) && unlinkat(dirfd(d), e->d_name, 0) == 0) {
			removed++;
		}
	}
	closedir(d);
	return removed;
}

static void busy_message(int fd, const char *dir, char *err, size_t err_size)
{
	char text[32] = "";
	ssize_t n = pread(fd, text, sizeof(text) - 1, 0);
	text[n > 0 ? n : 0] = '\0';
	long pid = strtol(text, NULL, 10);
	if (pid > 0) {
		snprintf(err, err_size, "cache folder %s is in use by another citywall (pid %ld); "
			 "running without a cache", dir, pid);
	} else {
		snprintf(err, err_size, "cache folder %s is in use by another process; running "
			 "without a cache", dir);
	}
}

/* Takes DIR/lock; returns its descriptor, or -1 with a message. */
static int take_lock(const char *dir, char *err, size_t err_size)
{
	char *path = xasprintf("%s/" LOCK_FILE, dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	free(path);
	if (fd < 0) {
		snprintf(err, err_size, "cannot use cache folder %s: cannot open its lock file: %s; "
			 "running without a cache", dir, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK) {
			busy_message(fd, dir, err, err_size);
		} else {
			snprintf(err, err_size, "cannot lock cache folder %s: %s; running without a "
				 "cache", dir, strerror(errno));
		}
		close(fd);
		return -1;
	}
	/* Only for the message of a second instance: a failed write is harmless. */
	char pid[32];
	int n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		/* the lock itself holds */
	}
	return fd;
}

bool store_claim(const char *dir, size_t *removed, char *err, size_t err_size)
{
	if (removed) {
		*removed = 0;
	}
	char why[384];
	if (!dir_create_all(dir, why, sizeof(why))) {
		snprintf(err, err_size, "%s; running without a cache", why);
		return false;
	}
	struct stat st;
	if (stat(dir, &st) != 0) {
		snprintf(err, err_size, "cannot use cache folder %s: %s; running without a cache", dir,
			 strerror(errno));
		return false;
	}
	pthread_mutex_lock(&claims_lock);
	bool ok = claimed(&st);
	if (!ok) {
		int fd = take_lock(dir, err, err_size);
		if (fd >= 0) {
			struct claim *c = xcalloc(1, sizeof(*c));
			*c = (struct claim){.dev = st.st_dev, .ino = st.st_ino, .fd = fd, .next = claims};
			claims = c;
			/* We hold the lock: no other citywall writes here, so every temp is stale. */
			size_t n = remove_stale_temps(dir);
			if (removed) {
				*removed = n;
			}
			ok = true;
		}
	}
	pthread_mutex_unlock(&claims_lock);
	return ok;
}

/* ---- writing ---- */

static char *meta_text(const char *url, double fetched_at, const char *etag,
		       const char *last_modified)
{
	char when[64];
	time_format_utc(fetched_at, when, sizeof(when));
	cJSON *meta = cJSON_CreateObject();
	cJSON_AddStringToObject(meta, "url", url);
	cJSON_AddStringToObject(meta, "fetched_at", when);
	cJSON_AddNumberToObject(meta, "fetched_at_epoch", fetched_at);
	cJSON_AddStringToObject(meta, "etag", etag ? etag : "");
	cJSON_AddStringToObject(meta, "last_modified", last_modified ? last_modified : "");
	char *printed = cJSON_PrintUnformatted(meta);
	cJSON_Delete(meta);
	if (!printed) {
		fprintf(stderr, "citywall: out of memory\n");
		abort();
	}
	char *text = xstrdup(printed);
	cJSON_free(printed);
	return text;
}

/* Header, meta and body in one buffer (caller frees), *size set to its length. */
static char *record_bytes(const char *meta, const char *body, size_t len, size_t *size)
{
	size_t meta_len = strlen(meta);
	*size = STORE_HEADER_BYTES + meta_len + len;
	char *record = xmalloc(*size);
	unsigned char *h = (unsigned char *)record;
	memcpy(h, STORE_MAGIC, 8);
	put_le(h + 8, STORE_VERSION, 4);
	put_le(h + 12, meta_len, 4);
	put_le(h + 16, len, 8);
	put_le(h + 24, fnv1a64(fnv1a64(FNV_OFFSET, meta, meta_len), body, len), 8);
	memcpy(record + STORE_HEADER_BYTES, meta, meta_len);
	memcpy(record + STORE_HEADER_BYTES + meta_len, body, len);
	return record;
}

/* The two files of the earlier format, now superseded by the record. */
static void remove_old_pair(const char *dir, const char *name)
{
	static const char *const suffixes[] = {".json", ".meta.json"};
	for (size_t i = 0; i < 2; i++) {
		char *path = xasprintf("%s/%s%s", dir, name, suffixes[i]);
		unlink(path); // usually ENOENT: nothing to do
		free(path);
	}
}

static bool save_record(const char *dir, const char *name, const char *suffix, const char *url,
			const char *body, size_t len, double fetched_at, const char *etag,
			const char *last_modified, char *err, size_t err_size)
{
	if (!source_name_valid(name)) {
		snprintf(err, err_size, "source name \"%s\" is not a safe file name", name);
		errno = EINVAL;
		return false;
	}
	if (!dir_create_all(dir, err, err_size)) {
		return false;
	}
	char *meta = meta_text(url, fetched_at, etag, last_modified);
	size_t size;
	char *record = record_bytes(meta, body, len, &size);
	char *path = xasprintf("%s/%s%s", dir, name, suffix);
	bool ok = file_write_atomic(path, record, size, err, err_size);
	free(path);
	free(record);
	free(meta);
	return ok;
}

bool store_save(const char *dir, const char *name, const char *url, const char *body,
		size_t len, double fetched_at, const char *etag, const char *last_modified,
		char *err, size_t err_size)
{
	bool ok = save_record(dir, name, RECORD_SUFFIX, url, body, len, fetched_at, etag,
			      last_modified, err, err_size);
	if (ok) {
		remove_old_pair(dir, name);
	}
	return ok;
}

bool store_save_history(const char *dir, const char *name, const char *url, const char *body,
			size_t len, double saved_at, char *err, size_t err_size)
{
	return save_record(dir, name, HISTORY_SUFFIX, url, body, len, saved_at, NULL, NULL, err,
			   err_size);
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
	const char *text = meta_string(meta, "fetched_at");
	return text && time_parse_iso8601(text, 0, out);
}

/* Checks the header against the file; on success *meta_len and *body_len are set. */
static bool check_header(const char *path, const char *data, size_t size, size_t *meta_len,
			 size_t *body_len, char *err, size_t err_size)
{
	const unsigned char *h = (const unsigned char *)data;
	if (size < STORE_HEADER_BYTES || memcmp(h, STORE_MAGIC, 8) != 0) {
		snprintf(err, err_size, "%s: not a citywall cache record%s", path,
			 size < STORE_HEADER_BYTES ? " (shorter than its header)" : "");
		return false;
	}
	uint64_t version = get_le(h + 8, 4), mlen = get_le(h + 12, 4), blen = get_le(h + 16, 8);
	if (version != STORE_VERSION) {
		snprintf(err, err_size, "%s: cache record format %u, this citywall reads %u", path,
			 (unsigned)version, STORE_VERSION);
		return false;
	}
	if (mlen > STORE_META_MAX_BYTES || blen > SIZE_MAX / 2) {
		snprintf(err, err_size, "%s: its header is damaged (lengths out of range)", path);
		return false;
	}
	uint64_t want = STORE_HEADER_BYTES + mlen + blen;
	if (want != size) {
		snprintf(err, err_size, "%s: %zu bytes where its header announces %llu (a torn "
			 "write?)", path, size, (unsigned long long)want);
		return false;
	}
	const char *rest = data + STORE_HEADER_BYTES;
	if (fnv1a64(FNV_OFFSET, rest, size - STORE_HEADER_BYTES) != get_le(h + 24, 8)) {
		snprintf(err, err_size, "%s: checksum mismatch (a damaged record)", path);
		return false;
	}
	*meta_len = (size_t)mlen;
	*body_len = (size_t)blen;
	return true;
}

/* Fills out from the record's meta; the status says whether it is usable for `url`. */
static enum store_status read_meta(const char *path, const char *text, size_t len,
				   const char *url, struct store_entry *out, char *err,
				   size_t err_size)
{
	cJSON *meta = cJSON_ParseWithLength(text, len);
	const char *cached_url = meta_string(meta, "url");
	enum store_status status = STORE_LOADED;
	if (!cJSON_IsObject(meta) || !cached_url || !meta_time(meta, &out->fetched_at)) {
		snprintf(err, err_size, "%s: its meta is not valid (needs \"url\" and "
			 "\"fetched_at\")", path);
		status = STORE_UNUSABLE;
	} else if (strcmp(cached_url, url) != 0) {
		snprintf(err, err_size, "%s: cached from %s, not from %s", path, cached_url, url);
		status = STORE_OTHER_URL;
	} else {
		copy_validator(out->etag, sizeof(out->etag), meta_string(meta, "etag"));
		copy_validator(out->last_modified, sizeof(out->last_modified),
			       meta_string(meta, "last_modified"));
	}
	cJSON_Delete(meta);
	return status;
}

static enum store_status load_record(const char *path, const char *url, size_t max_bytes,
				     struct store_entry *out, char *err, size_t err_size)
{
	struct stat st;
	if (lstat(path, &st) != 0 && errno == ENOENT) {
		return STORE_MISSING;
	}
	char *data;
	size_t size, meta_len, body_len;
	size_t limit = STORE_HEADER_BYTES + STORE_META_MAX_BYTES + max_bytes;
	if (!file_read_regular(path, limit, &data, &size, err, err_size)) {
		return STORE_UNUSABLE;
	}
	if (!check_header(path, data, size, &meta_len, &body_len, err, err_size)) {
		free(data);
		return STORE_UNUSABLE;
	}
	if (body_len > max_bytes) {
		snprintf(err, err_size, "%s: its document is larger than %zu bytes", path, max_bytes);
		free(data);
		return STORE_UNUSABLE;
	}
	enum store_status status = read_meta(path, data + STORE_HEADER_BYTES, meta_len, url, out,
					     err, err_size);
	if (status != STORE_LOADED) {
		free(data);
		return status;
	}
	/* The body moves to the front of the buffer: no second copy of a large document. */
	memmove(data, data + STORE_HEADER_BYTES + meta_len, body_len);
	data[body_len] = '\0'; // file_read_regular left room for a NUL after `size` bytes
	out->body = data;
	out->len = body_len;
	return STORE_LOADED;
}

static enum store_status load_named(const char *dir, const char *name, const char *suffix,
				    const char *url, size_t max_bytes, struct store_entry *out,
				    char *err, size_t err_size)
{
	memset(out, 0, sizeof(*out));
	err[0] = '\0';
	if (!source_name_valid(name)) {
		snprintf(err, err_size, "source name \"%s\" is not a safe file name", name);
		return STORE_UNUSABLE;
	}
	char *path = xasprintf("%s/%s%s", dir, name, suffix);
	enum store_status status = load_record(path, url, max_bytes, out, err, err_size);
	if (status == STORE_LOADED) {
		out->path = path;
	} else {
		free(path);
		memset(out, 0, sizeof(*out));
	}
	return status;
}

enum store_status store_load(const char *dir, const char *name, const char *url,
			     size_t max_bytes, struct store_entry *out, char *err, size_t err_size)
{
	return load_named(dir, name, RECORD_SUFFIX, url, max_bytes, out, err, err_size);
}

enum store_status store_load_history(const char *dir, const char *name, const char *url,
				     struct store_entry *out, char *err, size_t err_size)
{
	return load_named(dir, name, HISTORY_SUFFIX, url, STORE_HISTORY_MAX_BYTES, out, err,
			  err_size);
}

void store_entry_finish(struct store_entry *entry)
{
	free(entry->path);
	free(entry->body);
	memset(entry, 0, sizeof(*entry));
}
