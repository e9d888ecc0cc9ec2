/*
 * The fetcher's pictures: decoded on the image thread (feed/image_worker.h), apart from the
 * worker so that a slow or hostile picture delays no other source. The worker hands a body
 * over and later takes the verdict; see fetcher_internal.h for who touches what.
 */

#include "feed/fetcher_internal.h"

#include "feed/http.h"
#include "feed/image_decode.h"
#include "feed/image_worker.h"

#include <stdlib.h>
#include <string.h>

static void leave_verdict(struct fetcher *f, struct slot *s, const struct image_job *job,
			  bool ok)
{
	pthread_mutex_lock(&f->lock);
	s->verdict.ready = true;
	s->verdict.ok = ok;
	memcpy(s->verdict.etag, job->etag, sizeof(s->verdict.etag));
	memcpy(s->verdict.last_modified, job->last_modified, sizeof(s->verdict.last_modified));
	pthread_mutex_unlock(&f->lock);
}

/*
 * The image thread's work (or, before the threads start, fetcher_fetch_all_once's): decode,
 * publish like any result, cache, and tell the worker how it went.
 */
static void decode_image_job(void *ctx, struct image_job *job, const atomic_bool *stop)
{
	struct fetcher *f = ctx;
	struct slot *s = &f->slots[job->source];
	struct result r = {.kind = RESULT_FAILED, .parsed = true, .retry_after = -1};
	r.snapshot = image_snapshot_until(job->body, job->len, s->config.name, fetcher_max_bytes(s),
					  job->last_modified, job->fetched_at, stop, r.message,
					  sizeof(r.message));
	if (stop && atomic_load(stop)) {
		snapshot_unref(r.snapshot); // shutting down: "decoding stopped" is no failure
		return;
	}
	r.kind = r.snapshot ? RESULT_NEW : RESULT_FAILED;
	leave_verdict(f, s, job, r.snapshot != NULL);
	fetcher_publish_status(f, s, &r, job->fetched_at);
	if (r.kind == RESULT_NEW) {
		fetcher_save_image_to_cache(f, s, job);
	}
	if (f->images_async) {
		curl_multi_wakeup(f->multi); // so that the worker takes the verdict now
	}
}

void fetcher_take_image_verdicts(struct fetcher *f)
{
	for (size_t i = 0; f->images && i < f->count; i++) {
		struct slot *s = &f->slots[i];
		pthread_mutex_lock(&f->lock);
		struct image_verdict v = s->verdict;
		s->verdict.ready = false;
		pthread_mutex_unlock(&f->lock);
		if (!v.ready) {
			continue;
		}
		if (v.ok) {
			memcpy(s->etag, v.etag, sizeof(s->etag));
			memcpy(s->last_modified, v.last_modified, sizeof(s->last_modified));
			s->failure_run = 0;
		} else {
			fetcher_back_off(f, s, -1);
		}
	}
}

void fetcher_hand_image(struct fetcher *f, struct slot *s, struct http_transfer *t, double now)
{
	struct image_job job = {.source = (size_t)(s - f->slots), .body = t->body, .len = t->len,
				.fetched_at = now};
	memcpy(job.etag, t->etag, sizeof(job.etag));
	memcpy(job.last_modified, t->last_modified, sizeof(job.last_modified));
	t->body = NULL;
	t->len = t->cap = 0;
	/* The transfer worked; a refused picture backs off when its verdict comes. */
	fetcher_poll_in_interval(s);
	if (f->images_async) {
		image_worker_submit(f->images, &job);
		return;
	}
	decode_image_job(f, &job, NULL);
	free(job.body);
	fetcher_take_image_verdicts(f);
}

static bool any_image_source(const struct fetcher_options *o)
{
	for (size_t i = 0; i < o->source_count; i++) {
		if (o->sources[i].type == SOURCE_IMAGE) {
			return true;
		}
	}
	return false;
}

struct image_worker *fetcher_images_create(struct fetcher *f, const struct fetcher_options *o)
{
	return any_image_source(o) ? image_worker_create(o->source_count, decode_image_job, f)
				   : NULL;
}

void fetcher_hold_images(struct fetcher *f, bool hold)
{
	if (f->images) {
		image_worker_hold(f->images, hold);
	}
}

bool fetcher_images_waiting(struct fetcher *f)
{
	return f->images && image_worker_waiting(f->images);
}
