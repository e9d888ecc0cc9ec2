#ifndef CITYWALL_FEED_STORE_H
#define CITYWALL_FEED_STORE_H

/*
 * The last-good cache folder: for each source NAME, one record NAME.cache holds the last
 * document that parsed, byte for byte as it came, with where and when it came from:
 *
 *   offset  size  field
 *        0     8  magic "CWCACHE\n"
 *        8     4  format version (1), little-endian
 *       12     4  meta length M, little-endian
 *       16     8  body length B, little-endian
 *       24     8  FNV-1a-64 of the M + B bytes that follow, little-endian
 *       32     M  meta, JSON: {"url", "fetched_at", "fetched_at_epoch", "etag", "last_modified"}
 *     32+M     B  body: the document (JSON text, or an image source's picture bytes)
 *
 * One file per source, replaced atomically (temporary file ".NAME.cache.tmp-XXXXXX" in the
 * same folder, fsync, rename, fsync of the folder), so a crash, kill or power cut leaves the
 * old record or the new one, whole. A record whose size, magic, version or checksum is wrong
 * is refused with a message. The folder is claimed by one process at a time (store_claim).
 * The two-file caches of earlier versions (NAME.json + NAME.meta.json) are not read; they are
 * removed when the source's first record is written.
 *
 * A source with "history" also has NAME.history: the same record format, written the same
 * way, its body the history's text form (model/history.h) and its meta's "fetched_at" the
 * time it was saved. It is refused on the same grounds and kept apart from the document's
 * record, so either can be damaged without the other.
 */

#include <stdbool.h>
#include <stddef.h>

#define STORE_MAGIC "CWCACHE\n"
#define STORE_VERSION 1u
#define STORE_HEADER_BYTES 32u
#define STORE_META_MAX_BYTES (64u * 1024)
/* A history record's body, at most (512 series of 1440 points is far less). */
#define STORE_HISTORY_MAX_BYTES (64u * 1024 * 1024)

enum store_status {
	STORE_LOADED,    // entry filled
	STORE_MISSING,   // nothing cached for this source (not an error)
	STORE_OTHER_URL, // the cache holds another feed's document (the source's URL changed)
	STORE_UNUSABLE,  // unreadable, torn, damaged or foreign record; see the message
};

struct store_entry {
	char *path;              // owned: the record file, for messages
	char *body;              // owned, NUL-terminated
	size_t len;
	double fetched_at;       // epoch s
	char etag[256];          // "" when none
	char last_modified[128]; // "" when none
};

/*
 * Claims folder `dir` (created with its parents when missing) for this process until it
 * ends: an advisory lock (flock) on DIR/lock, which holds our pid. On the first claim, the
 * temporary files that a killed citywall left behind are removed, and *removed (may be NULL)
 * says how many. Claiming a folder this process holds already succeeds at once. Returns false
 * when another process holds the folder ("cache folder DIR is in use by another citywall (pid
 * N); running without a cache") or it cannot be used; the caller should then keep no cache.
 */
bool store_claim(const char *dir, size_t *removed, char *err, size_t err_size);

/*
 * Saves a good document of source `name` fetched from `url` into folder `dir` (created with
 * its parents when missing). `etag` and `last_modified` may be NULL. Returns false with a
 * message in err (naming the record, never a temporary file; errno keeps the cause); a failed
 * save leaves the previous record in place.
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

/* Saves the history text of source `name` (fetched from `url`) as DIR/NAME.history; as store_save. */
bool store_save_history(const char *dir, const char *name, const char *url, const char *body,
			size_t len, double saved_at, char *err, size_t err_size);
/* Reads DIR/NAME.history, accepted only when it was saved for `url`; as store_load. */
enum store_status store_load_history(const char *dir, const char *name, const char *url,
				     struct store_entry *out, char *err, size_t err_size);

void store_entry_finish(struct store_entry *entry);

#endif
