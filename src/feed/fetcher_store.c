/*
 * The fetcher's files: each source's cached last good document (read back at create, written
 * after each whole one) and its NAME.history, through feed/store.h. Apart from the fetching
 * because they concern the disk, not the network; which thread writes which file is in
 * fetcher_internal.h.
 */

#include "feed/fetcher_internal.h"

#include "feed/image_decode.h"
#include "feed/image_worker.h"
#include "feed/snapshot_parse.h"
#include "feed/store.h"
#include "util/diag.h"
#include "util/log.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void fetcher_save_image_to_cache(struct fetcher *f, struct slot *s, const struct image_job *job)
{
	if (!f->cache_dir) {
		return;
	}
	char err[512];
	char *key = xasprintf("cache:%s", s->config.name);
	if (store_save(f->cache_dir, s->config.name, s->config.url, job->body, job->len,
		       job->fetched_at, job->etag, job->last_modified, err, sizeof(err))) {
		log_once_clear(key);
	} else {
		log_once(LOG_WARN, key, "feed %s: cannot update the cache: %s", s->config.name,
			 err);
	}
	free(key);
}

static void save_to_cache(struct fetcher *f, struct slot *s, const char *body, size_t len,
			  const char *etag, const char *last_modified, double now)
{
	if (!f->cache_dir) {
		return;
	}
	char err[512];
	/* One key per source and cause: a full disk is logged once, not once per poll, and a
	 * second cause (a read-only remount) is still news. */
	char *prefix = xasprintf("cache:%s:", s->config.name);
	if (store_save(f->cache_dir, s->config.name, s->config.url, body, len, now, etag,
		       last_modified, err, sizeof(err))) {
		log_once_clear_prefix(prefix);
	} else {
		char *key = xasprintf("%s%d", prefix, errno);
		log_once(LOG_WARN, key, "feed %s: cannot update the cache: %s", s->config.name,
			 err);
		free(key);
	}
	free(prefix);
}

void fetcher_keep_whole(struct fetcher *f, struct slot *s, struct snapshot *whole,
			const char *body, size_t len, const char *etag, const char *last_modified,
			double now)
{
	if (!whole) {
		return;
	}
	snapshot_unref(s->whole);
	s->whole = whole;
	save_to_cache(f, s, body, len, etag, last_modified, now);
}

static void adopt_cached(struct slot *s, struct snapshot *snap, const struct store_entry *e)
{
	s->snapshot = snap;
	s->whole = snapshot_ref(snap);
	s->status.from_cache = true;
	s->status.data_time = snapshot_data_time(snap);
	s->status.clock_skew = snap->clock_skew;
	s->status.has_seq = snap->has_seq;
	s->status.seq = snap->seq;
	s->status.generation = 1;
	/* Revalidate what we show: an unchanged feed answers the first poll with a 304. */
	memcpy(s->etag, e->etag, sizeof(s->etag));
	memcpy(s->last_modified, e->last_modified, sizeof(s->last_modified));
}

/* An image source's cached picture, decoded like a fresh one; NULL after logging why not. */
static struct snapshot *load_cached_image(struct slot *s, const struct store_entry *e)
{
	char err[256];
	struct snapshot *snap = image_snapshot(e->body, e->len, s->config.name,
					       fetcher_max_bytes(s), e->last_modified,
					       e->fetched_at, err, sizeof(err));
	if (!snap) {
		log_warn("ignoring cache file %s: %s", e->path, err);
	}
	return snap;
}

static void load_cached_document(struct fetcher *f, struct slot *s)
{
	struct store_entry e;
	char err[768];
	size_t max = fetcher_max_bytes(s);
	enum store_status status = store_load(f->cache_dir, s->config.name, s->config.url, max, &e,
					      err, sizeof(err));
	if (status == STORE_MISSING) {
		return;
	}
	if (status != STORE_LOADED) {
		/* A cache of another URL is what a changed layout or --feed leaves: not a problem. */
		char *key = xasprintf("cache:%s", s->config.name);
		log_once(status == STORE_OTHER_URL ? LOG_INFO : LOG_WARN, key, "ignoring cache file %s",
			 err);
		free(key);
		return;
	}
	if (s->config.type == SOURCE_IMAGE) {
		struct snapshot *snap = load_cached_image(s, &e);
		if (snap) {
			adopt_cached(s, snap, &e);
		}
		store_entry_finish(&e);
		return;
	}
	struct diag_list diags;
	diag_list_init(&diags);
	struct snapshot *snap = snapshot_parse_source(e.body, e.len, e.path, &s->config,
						      e.fetched_at, &diags);
	if (snap) {
		adopt_cached(s, snap, &e);
	} else {
		char *text = diags.count ? diag_format_bare(&diags.items[0]) : xstrdup("invalid");
		log_warn("ignoring cache file %s", text);
		free(text);
	}
	diag_list_finish(&diags);
	store_entry_finish(&e);
}

/* NAME.history, kept for the owner to parse (model/ reads it; a bad one is refused there). */
static void load_history(struct fetcher *f, struct slot *s)
{
	struct store_entry e;
	char err[768];
	enum store_status status = store_load_history(f->cache_dir, s->config.name, s->config.url,
						      &e, err, sizeof(err));
	if (status == STORE_LOADED) {
		s->history_loaded = e.body;
		s->history_loaded_len = e.len;
		e.body = NULL;
		store_entry_finish(&e);
	} else if (status != STORE_MISSING) {
		char *key = xasprintf("history-load:%s", s->config.name);
		log_once(status == STORE_OTHER_URL ? LOG_INFO : LOG_WARN, key,
			 "ignoring history file %s", err);
		free(key);
	}
}

void fetcher_load_cached(struct fetcher *f, struct slot *s)
{
	load_cached_document(f, s);
	if (source_keeps_history(&s->config)) {
		load_history(f, s);
	}
}

void fetcher_write_histories(struct fetcher *f)
{
	for (size_t i = 0; i < f->count; i++) {
		struct slot *s = &f->slots[i];
		pthread_mutex_lock(&f->lock);
		char *text = s->history_pending;
		size_t len = s->history_pending_len;
		s->history_pending = NULL;
		pthread_mutex_unlock(&f->lock);
		if (!text) {
			continue;
		}
		char err[512];
		char *key = xasprintf("history:%s", s->config.name);
		if (store_save_history(f->cache_dir, s->config.name, s->config.url, text, len,
				       f->now(f->clock_ctx), err, sizeof(err))) {
			log_once_clear(key);
		} else {
			log_once(LOG_WARN, key, "feed %s: cannot save its history: %s",
				 s->config.name, err);
		}
		free(key);
		free(text);
	}
}

char *fetcher_claim_cache(const char *dir)
{
	char err[768];
	size_t removed = 0;
	char *key = xasprintf("cache-claim:%s", dir);
	char *claimed = NULL;
	if (store_claim(dir, &removed, err, sizeof(err))) {
		log_once_clear(key);
		claimed = xstrdup(dir);
	} else {
		/* Two walls on one folder would overwrite each other's records unseen. */
		log_once(LOG_WARN, key, "%s", err);
	}
	if (removed) {
		log_info("cache folder %s: removed %zu temporary file%s of an interrupted save",
			 dir, removed, removed == 1 ? "" : "s");
	}
	free(key);
	return claimed;
}

char *fetcher_take_history(struct fetcher *f, size_t index, size_t *len)
{
	if (index >= f->count) {
		return NULL;
	}
	struct slot *s = &f->slots[index];
	char *text = s->history_loaded;
	*len = s->history_loaded_len;
	s->history_loaded = NULL;
	return text;
}

void fetcher_save_history(struct fetcher *f, size_t index, char *text, size_t len)
{
	if (index >= f->count || !f->cache_dir || !f->slots[index].url) {
		free(text);
		return;
	}
	struct slot *s = &f->slots[index];
	pthread_mutex_lock(&f->lock);
	free(s->history_pending); // superseded: the newer text holds all of it
	s->history_pending = text;
	s->history_pending_len = len;
	pthread_mutex_unlock(&f->lock);
	if (f->started) {
		curl_multi_wakeup(f->multi);
	}
}
