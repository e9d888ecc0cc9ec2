#ifndef CITYWALL_FEED_IMAGE_WORKER_H
#define CITYWALL_FEED_IMAGE_WORKER_H

/*
 * The fetcher's image thread: pictures are decoded here, not on the fetch thread, so a slow or
 * hostile picture never delays another source's transfer or parse. The fetch thread submits a
 * fetched body (ownership moves) and goes back to curl_multi_poll(); this thread takes jobs in
 * the order they came, one at a time, and hands each to the owner's decode function.
 *
 * The queue holds at most one job per source: a newer picture for a source whose older one
 * is still waiting replaces it (the older one is dropped unseen: the wall shows the newest).
 * Stopping sets a flag that decoders check per row, so image_worker_destroy joins promptly
 * even in the middle of a large picture.
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct image_job {
	size_t source;           // the owner's index of the source
	char *body;              // owned: the fetched bytes
	size_t len;
	double fetched_at;       // epoch s
	char etag[256];          // validators of the response, "" when none
	char last_modified[128];
};

/*
 * Decodes and publishes one job on the image thread; the job and its body belong to the
 * worker (freed after the call). `stop` turns true when the worker is being destroyed.
 */
typedef void (*image_decode_fn)(void *ctx, struct image_job *job, const atomic_bool *stop);

struct image_worker;

/* A worker for sources 0..count-1 that calls decode(ctx, ...); not started. */
struct image_worker *image_worker_create(size_t count, image_decode_fn decode, void *ctx);
/* Starts the thread; false with a message when it cannot be created. */
bool image_worker_start(struct image_worker *worker, char *err, size_t err_size);
/*
 * Queues *job (its body now belongs to the worker; the struct is copied), replacing a waiting
 * job of the same source. Returns true when one was replaced.
 */
bool image_worker_submit(struct image_worker *worker, struct image_job *job);
/* Stops and joins the thread (a decode under way ends early), frees queued jobs; NULL: no-op. */
void image_worker_destroy(struct image_worker *worker);

/*
 * Tests: while held, the thread waits before each decode (image_worker_destroy still ends the
 * wait). image_worker_waiting() is true while it waits there with a job in hand.
 */
void image_worker_hold(struct image_worker *worker, bool hold);
bool image_worker_waiting(struct image_worker *worker);

#endif
