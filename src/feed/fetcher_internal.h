#ifndef CITYWALL_FEED_FETCHER_INTERNAL_H
#define CITYWALL_FEED_FETCHER_INTERNAL_H

/*
 * The fetcher's insides, shared by its files: fetcher.c (scheduling, publishing, the worker,
 * creation, queries), fetcher_images.c (pictures, on the image thread), fetcher_push.c (MQTT
 * sources, on their clients' threads) and fetcher_store.c (the cache and history files).
 * Not for other modules: they use feed/fetcher.h.
 */

#include "feed/fetcher.h"
#include "model/snapshot.h"
#include "model/source.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct http_transfer;
struct image_job;
struct image_worker;
struct mqtt_client;

/*
 * Why one thread with libcurl's multi interface rather than one thread per source: a wall has
 * a handful of sources that spend nearly all their time waiting (for the next poll, or on a
 * slow server). One thread sleeping in curl_multi_poll() waits on all of them at once, shares
 * one connection cache and DNS cache, and makes stopping trivial (curl_multi_wakeup, then one
 * join) even while a server hangs mid-response. Threads per source would each block in
 * curl_easy_perform(), and stopping them promptly would need progress callbacks polling a
 * flag. The price: parsing a large document delays the other transfers by that long, which is
 * milliseconds for documents of the sizes we accept. Pictures are another matter (a 40 Mpx
 * PNG takes a second, a hostile one as long as it can), so image sources are decoded on a
 * second thread, the image thread (feed/image_worker.h): the worker hands it the body and goes
 * back to polling; the image thread publishes the snapshot and status, writes the cache, wakes
 * the owner, and leaves a verdict that the worker turns into validators or a back-off.
 *
 * Who touches what:
 *   - config, url, log_key: written in fetcher_create, read-only afterwards (any thread).
 *   - transfer, next_poll, failure_run, validators, rng: the worker thread only (or the caller
 *     of fetcher_fetch_all_once, which must not run while the worker does).
 *   - snapshot, status, verdict: under fetcher->lock; readers copy them out (fetcher_snapshot).
 *     The worker publishes JSON sources' results and failed transfers; the image thread
 *     publishes decoded (or refused) pictures; each holds the lock only to swap.
 *   - the cache files of an image source: written by the image thread only; of a JSON source:
 *     by the worker only; of a push source (and its `whole`): by its client thread only.
 *   - history_loaded: read in fetcher_create, taken by the owner's thread (fetcher_take_history)
 *   - history_pending: under lock; the owner hands a history's text over (fetcher_save_history),
 *     the worker writes NAME.history (or fetcher_destroy does, after the join).
 *   - poll_requested, stop: atomics, set by any thread, followed by curl_multi_wakeup().
 *   - images: created in fetcher_create, started before the worker thread, destroyed after
 *     both threads are joined; images_async is written before the worker starts.
 */

/* What the image thread tells the worker about a picture it decoded or refused. */
struct image_verdict {
	bool ready;              // not taken by the worker yet
	bool ok;                 // decoded: its validators become the slot's; else back off
	char etag[256];
	char last_modified[128];
};

struct slot {
	struct source_config config; // owned: a deep copy of the layout's source
	char *url;                   // owned: what libcurl fetches (a path as a file:// URL)
	char *log_key;               // owned: "feed:NAME" for log_once

	struct http_transfer *transfer; // owned; NULL while idle (worker only)
	double next_poll;               // monotonic s (worker only)
	unsigned failure_run;           // failures since the last success (worker only)
	char etag[256];                 // validators of the current snapshot's document (worker)
	char last_modified[128];
	atomic_bool poll_requested;     // fetcher_poll_now: poll as soon as the slot is idle
	struct mqtt_client *mqtt;       // owned: a push source's subscription; NULL: polled

	struct snapshot *snapshot;   // owned reference, under lock; NULL: none yet
	struct source_status status; // under lock
	/* owned reference (worker only): the last document that broke no binding, what the
	 * cache holds and what the next one is judged against; NULL: none yet */
	struct snapshot *whole;
	struct image_verdict verdict; // under lock: image sources only
	char *history_loaded;         // owned: NAME.history's text read at create; NULL: none
	size_t history_loaded_len;
	char *history_pending;        // owned, under lock: text to write to NAME.history; NULL: none
	size_t history_pending_len;
};

struct fetcher {
	struct slot *slots; // owned
	size_t count;
	char *cache_dir;    // owned; NULL: no cache
	double (*now)(void *ctx);
	void *clock_ctx;    // borrowed
	void (*wake)(void *ctx);
	void *wake_ctx;     // borrowed
	pthread_mutex_t lock; // guards every slot's snapshot and status
	CURLM *multi;       // owned: the worker's (and fetcher_fetch_all_once's)
	pthread_t thread;
	bool started;       // the worker runs (changed only by start and destroy)
	atomic_bool stop;
	uint64_t rng;       // jitter state (worker only); scheduling only, never pixels
	pthread_mutex_t check_lock; // held while `check` runs, so that it can be replaced
	source_check_fn check;      // under check_lock; NULL: documents are not judged
	void *check_ctx;            // borrowed, under check_lock
	source_derive_fn derive;    // under check_lock; NULL: nothing derived
	void *derive_ctx;           // borrowed, under check_lock
	struct image_worker *images; // owned; NULL when no source is an image source
	bool images_async;  // the worker hands pictures to the image thread (set before it starts)
};

enum result_kind { RESULT_NEW, RESULT_SAME, RESULT_FAILED };

/* One fetch's (or message's, or picture's) outcome, on its way to the slot. */
struct result {
	enum result_kind kind;
	struct snapshot *snapshot; // owned: RESULT_NEW's snapshot, handed to the slot
	bool parsed;               // a document was parsed (good or bad)
	struct source_verdict verdict; // RESULT_NEW: what the layout made of it
	long retry_after;          // seconds the server asked for; -1: none
	char message[256];         // RESULT_FAILED: why
};

/* ---- fetcher.c ---- */

/* The largest body source s accepts: its own limit or the default. */
size_t fetcher_max_bytes(const struct slot *s);
/* Counts a failure and puts the next poll off by the back-off (worker only). */
void fetcher_back_off(struct fetcher *f, struct slot *s, long retry_after);
/* The next poll one interval from now (worker only). */
void fetcher_poll_in_interval(struct slot *s);
/* Hands a result to the slot, logs it and wakes the owner (any thread; see above). */
void fetcher_publish_status(struct fetcher *f, struct slot *s, struct result *r, double now);
/*
 * Sets r->snapshot to the document in body, or to NULL with a message in r when it does not
 * parse, its seq went backwards, or the layout refuses it; fills r->verdict.
 */
void fetcher_accept_document(struct fetcher *f, struct slot *s, const char *body, size_t len,
			     struct result *r, double now);

/* ---- fetcher_images.c ---- */

/* The image thread (not started yet) when a source is an image source; NULL otherwise. */
struct image_worker *fetcher_images_create(struct fetcher *f, const struct fetcher_options *o);
/* Worker: a fetched picture's body moves to the image thread (decoded here before start). */
void fetcher_hand_image(struct fetcher *f, struct slot *s, struct http_transfer *t,
			double now);
/* Worker: validators of accepted pictures, back-off after refused ones. */
void fetcher_take_image_verdicts(struct fetcher *f);

/* ---- fetcher_push.c ---- */

/* Push source s's subscription, not started yet; NULL with a message in err. */
struct mqtt_client *fetcher_push_create(struct fetcher *f, struct slot *s, char *err,
					size_t err_size);
/* fetcher_start: every push source's client thread. */
bool fetcher_push_start(struct fetcher *f, char *err, size_t err_size);
/* fetcher_fetch_all_once: what each broker holds now, or why not. */
void fetcher_take_retained(struct fetcher *f);

/* ---- fetcher_store.c ---- */

/* The cache folder if this process may use it (a copy), else NULL after logging why. */
char *fetcher_claim_cache(const char *dir);
/* At create: the slot's cached last good document and its history (f->cache_dir is set). */
void fetcher_load_cached(struct fetcher *f, struct slot *s);
/*
 * After publishing: `whole` (a reference taken before, to a document that broke no binding;
 * NULL: none) becomes s->whole, and its body the cache's. Takes the reference.
 */
void fetcher_keep_whole(struct fetcher *f, struct slot *s, struct snapshot *whole,
			const char *body, size_t len, const char *etag, const char *last_modified,
			double now);
/* Image thread: an accepted picture's body becomes the cache's. */
void fetcher_save_image_to_cache(struct fetcher *f, struct slot *s, const struct image_job *job);
/* Writes the histories handed over since the last call (worker, or destroy after the join). */
void fetcher_write_histories(struct fetcher *f);

#endif
