#ifndef CITYWALL_FEED_STORE_H
#define CITYWALL_FEED_STORE_H

/*
 * The last-good cache folder: for each source NAME, NAME.json holds the last document that
 * parsed, byte for byte as it came, and NAME.meta.json where and when it came from:
 *
 *   {"url": "...", "fetched_at": "2026-11-25T00:00:03Z", "fetched_at_epoch": 1795564803.25,
 *    "etag": "\"...\"", "last_modified": "...", "bytes": 1234, "fnv1a64": "..."}
 *
 * Both are replaced atomically (temporary file in the same folder, fsync, rename, fsync of the
 * folder), so a crash or power cut leaves the old or the new version, never half of one. The
 * two renames are not one step: the meta file's size and hash of the body catch a pair from two
 * different saves, which is then ignored like a corrupt one.
 */

#include <stdbool.h>
#include <stddef.h>

enum store_status {
	STORE_LOADED,    // entry filled
	STORE_MISSING,   // nothing cached for this source (not an error)
	STORE_OTHER_URL, // the cache holds another feed's document (the source's URL changed)
	STORE_UNUSABLE,  // unreadable, malformed or inconsistent files; see the message
};

struct store_entry {
	char *path;              // owned: the body file, for messages
	char *body;              // owned, NUL-terminated
	size_t len;
	double fetched_at;       // epoch s
	char etag[256];          // "" when none
	char last_modified[128]; // "" when none
};

/*
 * Saves a good document of source `name` fetched from `url` into folder `dir` (created with
 * its parents when missing). `etag` and `last_modified` may be NULL. Returns false with a
 * message in err; a failed save leaves the previous files in place.
 */
bool store_save(const char *dir, const char *name, const char *url, const char *body,
		size_t len, double fetched_at, const char *etag, const char *last_modified,
		char *err, size_t err_size);

/*
 * Reads what is cached for `name`, accepted only when it was fetched from `url`. Bodies
 * larger than max_bytes are unusable. On anything but STORE_LOADED, `out` holds nothing to
 * free and err says why ("" for STORE_MISSING).
 */
enum store_status store_load(const char *dir, const char *name, const char *url,
			     size_t max_bytes, struct store_entry *out, char *err, size_t err_size);

void store_entry_finish(struct store_entry *entry);

#endif
