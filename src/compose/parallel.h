#ifndef CITYWALL_COMPOSE_PARALLEL_H
#define CITYWALL_COMPOSE_PARALLEL_H

/*
 * A small pool of drawing threads (render/): the board hands it independent jobs (whole tiles,
 * each drawn into its own region of the frame) and the calling thread takes part itself, so a
 * pool of N threads starts N - 1 of its own. render_pool_run() returns when every job is done.
 * A pool of one thread runs the jobs in order on the caller: today's serial path.
 *
 * Threads start at the first run that has more than one job, so a board that never redraws
 * much never starts any; they block every signal (the main thread and the signal thread take
 * them) and are joined by render_pool_destroy().
 */

#include <cairo.h>
#include <stddef.h>

#include "util/geom.h"

#define RENDER_THREADS_MAX 4

/* The default: online CPUs, at least 1 and at most RENDER_THREADS_MAX. */
int render_threads_auto(void);

/*
 * A pool of `threads` drawing threads counting the caller; 0 picks render_threads_auto(), and
 * the count is clamped to [1, RENDER_THREADS_MAX]. Never fails: a thread that cannot be started
 * only leaves fewer (logged once).
 */
struct render_pool *render_pool_create(int threads);
/* Joins the threads; NULL is a no-op. Not while a run is in progress. */
void render_pool_destroy(struct render_pool *pool);

/* How many threads the pool draws with, counting the caller (1 for NULL). */
int render_pool_threads(const struct render_pool *pool);

/*
 * Calls job(ctx, i) once for every i in [0, count), on the pool's threads and the caller, and
 * returns when all have returned. Jobs are taken in index order (put the biggest first); they
 * must not depend on each other's order. One caller at a time.
 */
typedef void render_job_fn(void *ctx, size_t index);
void render_pool_run(struct render_pool *pool, size_t count, render_job_fn *job, void *ctx);

/*
 * Orders jobs that paint device rectangles `rects` (in the order a serial pass paints them)
 * into waves that may each run in parallel: a job's wave comes after the wave of every earlier
 * job whose rectangle it overlaps (a tile inside a group after the group's panel), so every
 * pixel is painted in the serial order. Writes each job's wave into `wave` and returns the
 * number of waves (0 for no jobs).
 */
size_t render_waves(const struct irect *rects, size_t count, size_t *wave);

/*
 * Draws `count` jobs into `target`, job i painting only inside device rectangle rects[i] (it
 * clips itself): draw(ctx, cr, i) once each. On the pool's threads when there are two or more
 * and target is a 32-bit image surface: each job gets a cairo context of its own on a surface
 * of its own over target's pixels (no cairo object is shared between threads), jobs run in
 * render_waves() order, biggest first within a wave, and the pixels are those of the serial
 * order. Otherwise draw() runs in order with `serial` (a context on target).
 */
typedef void render_draw_fn(void *ctx, cairo_t *cr, size_t index);
void render_pool_draw(struct render_pool *pool, cairo_surface_t *target, cairo_t *serial,
		      const struct irect *rects, size_t count, render_draw_fn *draw, void *ctx);

#endif
