#include "compose/parallel.h"

#include "util/log.h"
#include "util/xmalloc.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

/*
 * One batch at a time, handed over under one mutex: a batch is a few dozen tiles of a
 * millisecond or more each, so taking the lock per job costs nothing measurable and keeps the
 * hand-over simple to reason about (no lock-free counters to get wrong).
 */
struct render_pool {
	pthread_mutex_t lock;
	pthread_cond_t wake;    // workers wait here for a new batch (or quit)
	pthread_cond_t done;    // the caller waits here for the batch's last job
	pthread_t workers[RENDER_THREADS_MAX - 1];
	int threads;            // wanted, counting the caller
	int started;            // workers running
	bool tried;             // workers were started (or failed to start) once
	bool quit;
	unsigned long batch;    // counts batches; a worker runs each one it has not seen
	unsigned long born;     // batch count when the workers started: the next one is theirs
	render_job_fn *job;     // of the batch in progress
	void *ctx;              // borrowed: the batch's
	size_t count, next, finished;
};

int render_threads_auto(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	return cpus < 1 ? 1 : cpus > RENDER_THREADS_MAX ? RENDER_THREADS_MAX : (int)cpus;
}

/* Runs jobs of the current batch until none is left. Called and returns with the lock held. */
static void run_jobs(struct render_pool *pool)
{
	while (pool->next < pool->count) {
		size_t index = pool->next++;
		pthread_mutex_unlock(&pool->lock);
		pool->job(pool->ctx, index);
		pthread_mutex_lock(&pool->lock);
		if (++pool->finished == pool->count) {
			pthread_cond_signal(&pool->done);
		}
	}
}

static void *worker_main(void *arg)
{
	struct render_pool *pool = arg;
	/* Signals belong to the main thread and the signal thread, never to a drawing one. */
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	pthread_mutex_lock(&pool->lock);
	/* Not pool->batch: the batch that started us may be announced before we get the lock. */
	unsigned long seen = pool->born;
	for (;;) {
		while (!pool->quit && pool->batch == seen) {
			pthread_cond_wait(&pool->wake, &pool->lock);
		}
		if (pool->quit) {
			break;
		}
		seen = pool->batch;
		run_jobs(pool);
	}
	pthread_mutex_unlock(&pool->lock);
	return NULL;
}

/* Starts the workers the first time they are wanted. */
static void start_workers(struct render_pool *pool)
{
	pool->tried = true;
	pool->born = pool->batch;
	for (int i = 0; i < pool->threads - 1; i++) {
		int rc = pthread_create(&pool->workers[i], NULL, worker_main, pool);
		if (rc != 0) {
			log_once(LOG_WARN, "render: threads",
				 "cannot start drawing thread %d of %d (%s); drawing with %d",
				 i + 2, pool->threads, strerror(rc), i + 1);
			break;
		}
		pool->started++;
	}
}

struct render_pool *render_pool_create(int threads)
{
	struct render_pool *pool = xcalloc(1, sizeof(*pool));
	threads = threads <= 0 ? render_threads_auto() : threads;
	pool->threads = threads > RENDER_THREADS_MAX ? RENDER_THREADS_MAX : threads;
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->wake, NULL);
	pthread_cond_init(&pool->done, NULL);
	return pool;
}

void render_pool_destroy(struct render_pool *pool)
{
	if (!pool) {
		return;
	}
	pthread_mutex_lock(&pool->lock);
	pool->quit = true;
	pthread_cond_broadcast(&pool->wake);
	pthread_mutex_unlock(&pool->lock);
	for (int i = 0; i < pool->started; i++) {
		pthread_join(pool->workers[i], NULL);
	}
	pthread_cond_destroy(&pool->done);
	pthread_cond_destroy(&pool->wake);
	pthread_mutex_destroy(&pool->lock);
	free(pool);
}

int render_pool_threads(const struct render_pool *pool)
{
	return pool ? pool->threads : 1;
}

void render_pool_run(struct render_pool *pool, size_t count, render_job_fn *job, void *ctx)
{
	if (!pool || pool->threads < 2 || count < 2) {
		for (size_t i = 0; i < count; i++) {
			job(ctx, i);
		}
		return;
	}
	pthread_mutex_lock(&pool->lock);
	if (!pool->tried) {
		start_workers(pool);
	}
	pool->job = job;
	pool->ctx = ctx;
	pool->count = count;
	pool->next = 0;
	pool->finished = 0;
	pool->batch++;
	pthread_cond_broadcast(&pool->wake);
	run_jobs(pool);
	while (pool->finished < pool->count) {
		pthread_cond_wait(&pool->done, &pool->lock);
	}
	pool->job = NULL;
	pool->ctx = NULL;
	pthread_mutex_unlock(&pool->lock);
}

size_t render_waves(const struct irect *rects, size_t count, size_t *wave)
{
	size_t waves = 0;
	for (size_t j = 0; j < count; j++) {
		wave[j] = 0;
		for (size_t i = 0; i < j; i++) {
			if (wave[i] >= wave[j] && !irect_empty(irect_intersect(rects[i], rects[j]))) {
				wave[j] = wave[i] + 1;
			}
		}
		waves = wave[j] + 1 > waves ? wave[j] + 1 : waves;
	}
	return waves;
}

/* ---- drawing regions of one frame ---- */

struct region_job {
	size_t index; // the caller's job
	size_t wave;
	long area;    // device pixels
};

/* Wave by wave; the biggest jobs of a wave first, so no thread is left alone at its end. */
static int region_job_order(const void *a, const void *b)
{
	const struct region_job *x = a, *y = b;
	if (x->wave != y->wave) {
		return x->wave < y->wave ? -1 : 1;
	}
	if (x->area != y->area) {
		return x->area > y->area ? -1 : 1;
	}
	return x->index < y->index ? -1 : x->index > y->index;
}

struct region_batch {
	cairo_surface_t *target;        // borrowed: the frame
	const struct region_job *jobs;  // borrowed: one wave's
	render_draw_fn *draw;
	void *ctx;                      // borrowed: the caller's
};

/* Same pixels, format and stride as the frame: cairo paints exactly what it would there. */
static void draw_region_job(void *ctx, size_t index)
{
	const struct region_batch *batch = ctx;
	cairo_surface_t *t = batch->target;
	cairo_surface_t *own = cairo_image_surface_create_for_data(
		cairo_image_surface_get_data(t), cairo_image_surface_get_format(t),
		cairo_image_surface_get_width(t), cairo_image_surface_get_height(t),
		cairo_image_surface_get_stride(t));
	cairo_t *cr = cairo_create(own);
	batch->draw(batch->ctx, cr, batch->jobs[index].index);
	cairo_destroy(cr);
	cairo_surface_finish(own);
	cairo_surface_destroy(own);
}

static bool parallel_worthwhile(const struct render_pool *pool, cairo_surface_t *target,
				size_t count)
{
	if (render_pool_threads(pool) < 2 || count < 2 ||
	    cairo_surface_get_type(target) != CAIRO_SURFACE_TYPE_IMAGE) {
		return false;
	}
	cairo_format_t format = cairo_image_surface_get_format(target);
	return format == CAIRO_FORMAT_RGB24 || format == CAIRO_FORMAT_ARGB32;
}

void render_pool_draw(struct render_pool *pool, cairo_surface_t *target, cairo_t *serial,
		      const struct irect *rects, size_t count, render_draw_fn *draw, void *ctx)
{
	if (!parallel_worthwhile(pool, target, count)) {
		for (size_t i = 0; i < count; i++) {
			draw(ctx, serial, i);
		}
		return;
	}
	size_t *waves = xcalloc(count, sizeof(*waves));
	struct region_job *jobs = xcalloc(count, sizeof(*jobs));
	render_waves(rects, count, waves);
	for (size_t i = 0; i < count; i++) {
		jobs[i] = (struct region_job){i, waves[i], (long)rects[i].w * rects[i].h};
	}
	qsort(jobs, count, sizeof(*jobs), region_job_order);
	cairo_surface_flush(target);
	for (size_t start = 0, end; start < count; start = end) {
		for (end = start; end < count && jobs[end].wave == jobs[start].wave; end++) {
		}
		struct region_batch batch = {target, jobs + start, draw, ctx};
		render_pool_run(pool, end - start, draw_region_job, &batch);
	}
	cairo_surface_mark_dirty(target);
	free(jobs);
	free(waves);
}
