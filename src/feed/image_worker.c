#include "feed/image_worker.h"

#include "util/xmalloc.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Who touches what: everything below `lock` is under it; `stop` is also read without it by
 * decoders (an atomic); thread and started belong to the creating thread.
 */

struct queued {
	struct image_job job; // owned body while queued
	bool queued;
	uint64_t order;       // submission order: the oldest waiting job goes first
};

struct image_worker {
	image_decode_fn decode;
	void *ctx;           // borrowed
	pthread_t thread;
	bool started;
	atomic_bool stop;

	pthread_mutex_t lock;
	pthread_cond_t changed; // a job was queued, stop was set, or hold was lifted
	struct queued *queue;   // owned: one entry per source
	size_t count;
	uint64_t next_order;
	bool hold;              // tests: wait before each decode
	bool waiting;           // the thread waits at the hold with a job in hand
};

static void job_free(struct image_job *job)
{
	free(job->body);
	job->body = NULL;
}

/* The oldest queued job, moved out; false when there is none. Under lock. */
static bool take_oldest(struct image_worker *w, struct image_job *out)
{
	struct queued *best = NULL;
	for (size_t i = 0; i < w->count; i++) {
		struct queued *q = &w->queue[i];
		if (q->queued && (!best || q->order < best->order)) {
			best = q;
		}
	}
	if (!best) {
		return false;
	}
	*out = best->job;
	best->job.body = NULL;
	best->queued = false;
	return true;
}

/* Waits for a job (or stop); then, while a test holds the worker, waits again. Under lock. */
static bool next_job(struct image_worker *w, struct image_job *job)
{
	while (!atomic_load(&w->stop) && !take_oldest(w, job)) {
		pthread_cond_wait(&w->changed, &w->lock);
	}
	if (atomic_load(&w->stop)) {
		return false;
	}
	w->waiting = w->hold;
	while (w->hold && !atomic_load(&w->stop)) {
		pthread_cond_wait(&w->changed, &w->lock);
	}
	w->waiting = false;
	if (atomic_load(&w->stop)) {
		job_free(job);
		return false;
	}
	return true;
}

static void *worker_main(void *arg)
{
	struct image_worker *w = arg;
	pthread_mutex_lock(&w->lock);
	struct image_job job;
	while (next_job(w, &job)) {
		pthread_mutex_unlock(&w->lock);
		w->decode(w->ctx, &job, &w->stop);
		job_free(&job);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct image_worker *image_worker_create(size_t count, image_decode_fn decode, void *ctx)
{
	struct image_worker *w = xcalloc(1, sizeof(*w));
	w->decode = decode;
	w->ctx = ctx;
	w->count = count;
	w->queue = xcalloc(count ? count : 1, sizeof(*w->queue));
	atomic_init(&w->stop, false);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->changed, NULL);
	return w;
}

bool image_worker_start(struct image_worker *w, char *err, size_t err_size)
{
	int rc = pthread_create(&w->thread, NULL, worker_main, w);
	if (rc != 0) {
		snprintf(err, err_size, "cannot start the image thread: %s", strerror(rc));
		return false;
	}
	w->started = true;
	return true;
}

bool image_worker_submit(struct image_worker *w, struct image_job *job)
{
	if (job->source >= w->count) {
		job_free(job);
		return false;
	}
	pthread_mutex_lock(&w->lock);
	struct queued *q = &w->queue[job->source];
	bool replaced = q->queued;
	job_free(&q->job);
	q->job = *job;
	q->queued = true;
	q->order = w->next_order++;
	job->body = NULL;
	pthread_cond_signal(&w->changed);
	pthread_mutex_unlock(&w->lock);
	return replaced;
}

void image_worker_destroy(struct image_worker *w)
{
	if (!w) {
		return;
	}
	if (w->started) {
		pthread_mutex_lock(&w->lock);
		atomic_store(&w->stop, true);
		pthread_cond_broadcast(&w->changed);
		pthread_mutex_unlock(&w->lock);
		pthread_join(w->thread, NULL);
	}
	for (size_t i = 0; i < w->count; i++) {
		job_free(&w->queue[i].job);
	}
	free(w->queue);
	pthread_cond_destroy(&w->changed);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

void image_worker_hold(struct image_worker *w, bool hold)
{
	pthread_mutex_lock(&w->lock);
	w->hold = hold;
	pthread_cond_broadcast(&w->changed);
	pthread_mutex_unlock(&w->lock);
}

bool image_worker_waiting(struct image_worker *w)
{
	pthread_mutex_lock(&w->lock);
	bool waiting = w->waiting;
	pthread_mutex_unlock(&w->lock);
	return waiting;
}
