/*
 * Drawing on several threads: the pool runs every job once and really on two threads, tiles
 * that overlap keep their order, and every golden case — drawn whole fresh, turning stale, and
 * drawn whole stale — gives the same bytes with 1, 2 and 4 drawing threads.
 */

#include "check.h"
#include "golden_cases.h"

#include "app/wall.h"
#include "compose/board.h"
#include "compose/parallel.h"
#include "util/timefmt.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

/* ---- the pool ---- */

struct counting {
	pthread_mutex_t lock;
	int runs[200];
};

static void count_job(void *ctx, size_t index)
{
	struct counting *c = ctx;
	pthread_mutex_lock(&c->lock);
	c->runs[index]++;
	pthread_mutex_unlock(&c->lock);
}

static void pool_runs_every_job_once(void)
{
	int counts[] = {1, 2, 4};
	for (size_t t = 0; t < 3; t++) {
		struct render_pool *pool = render_pool_create(counts[t]);
		CHECK_INT(render_pool_threads(pool), counts[t]);
		for (int batch = 0; batch < 20; batch++) {
			struct counting c = {.lock = PTHREAD_MUTEX_INITIALIZER};
			size_t jobs = (size_t)(batch * 10) % 200;
			render_pool_run(pool, jobs, count_job, &c);
			for (size_t i = 0; i < 200; i++) {
				CHECK_INT(c.runs[i], i < jobs ? 1 : 0);
			}
		}
		render_pool_destroy(pool);
	}
	CHECK_INT(render_pool_threads(NULL), 1);
	render_pool_destroy(NULL);
}

/* Job 0 waits for job 1 to start: only two threads at once finish it without the timeout. */
struct meeting {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool second_started;
	bool met;
	pthread_t threads[2];
};

static void meet_job(void *ctx, size_t index)
{
	struct meeting *m = ctx;
	pthread_mutex_lock(&m->lock);
	m->threads[index] = pthread_self();
	if (index == 1) {
		m->second_started = true;
		pthread_cond_broadcast(&m->cond);
	} else {
		struct timespec deadline;
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_sec += 20;
		while (!m->second_started) {
			if (pthread_cond_timedwait(&m->cond, &m->lock, &deadline) == ETIMEDOUT) {
				break;
			}
		}
		m->met = m->second_started;
	}
	pthread_mutex_unlock(&m->lock);
}

static void pool_draws_on_two_threads(void)
{
	struct render_pool *pool = render_pool_create(2);
	struct meeting m = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};
	render_pool_run(pool, 2, meet_job, &m);
	CHECK(m.met);
	CHECK(!pthread_equal(m.threads[0], m.threads[1]));
	render_pool_destroy(pool);
}

static void waves_keep_overlapping_tiles_in_order(void)
{
	struct irect rects[] = {
		{0, 0, 100, 100},   // a group's panel
		{10, 10, 30, 30},   // a tile in it
		{50, 50, 30, 30},   // another, beside the first
		{200, 0, 50, 50},   // a tile elsewhere
		{30, 30, 30, 30},   // overlaps both tiles in the group
		{250, 0, 50, 50},   // touches the tile elsewhere, does not overlap it
	};
	size_t wave[6];
	CHECK_INT(render_waves(rects, 6, wave), 3);
	CHECK_INT(wave[0], 0);
	CHECK_INT(wave[1], 1);
	CHECK_INT(wave[2], 1);
	CHECK_INT(wave[3], 0);
	CHECK_INT(wave[4], 2);
	CHECK_INT(wave[5], 0);
	CHECK_INT(render_waves(rects, 0, wave), 0);
}

/* ---- the golden cases on 1, 2 and 4 threads ---- */

/* Three frames of a case: whole and fresh, the frame that turns it stale, whole and stale. */
struct frames {
	cairo_surface_t *shot[3];
};

static bool draw_case(const struct golden_case *c, int threads, struct frames *out)
{
	char layout[4096], feed[4096];
	snprintf(layout, sizeof(layout), "%s/%s", source_root(), c->layout);
	case_feed_path(c, feed, sizeof(feed));
	struct wall_clock clock = {.fixed = true};
	if (!time_parse_iso8601(c->time, 0, &clock.at)) {
		return false;
	}
	struct wall wall;
	const char *feeds[] = {feed};
	struct wall_options options = {.layout_file = layout, .feeds = feeds, .feed_count = 1,
				       .clock = clock, .render_threads = threads};
	if (!wall_open(&wall, &options)) {
		return false;
	}
	wall_fetch_once(&wall);
	struct board *board = wall.board;
	board_set_viewport(board, c->width, c->height);
	cairo_surface_t *frame = cairo_image_surface_create(CAIRO_FORMAT_RGB24, c->width,
							    c->height);
	double times[3] = {clock.at, clock.at + 86400, clock.at + 86400};
	for (int i = 0; i < 3; i++) {
		size_t count;
		board_advance(board, times[i]);
		if (i != 1) {
			board_invalidate_all(board);
		}
		board_draw(board, frame, times[i], &count);
		/* A copy: the next frame draws over this one. */
		out->shot[i] = cairo_image_surface_create(CAIRO_FORMAT_RGB24, c->width, c->height);
		cairo_t *cr = cairo_create(out->shot[i]);
		cairo_set_source_surface(cr, frame, 0, 0);
		cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
		cairo_paint(cr);
		cairo_destroy(cr);
		cairo_surface_flush(out->shot[i]);
	}
	cairo_surface_destroy(frame);
	wall_close(&wall);
	return true;
}

static void frames_free(struct frames *f)
{
	for (int i = 0; i < 3; i++) {
		cairo_surface_destroy(f->shot[i]);
		f->shot[i] = NULL;
	}
}

/* The first differing pixel's index, or -1 when the two pictures are the same bytes. */
static long first_difference(cairo_surface_t *a, cairo_surface_t *b)
{
	int h = cairo_image_surface_get_height(a), stride = cairo_image_surface_get_stride(a);
	int w = cairo_image_surface_get_width(a);
	if (h != cairo_image_surface_get_height(b) || w != cairo_image_surface_get_width(b)) {
		return 0;
	}
	const uint32_t *pa = (const uint32_t *)(const void *)cairo_image_surface_get_data(a);
	const uint32_t *pb = (const uint32_t *)(const void *)cairo_image_surface_get_data(b);
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			size_t at = (size_t)y * (size_t)(stride / 4) + (size_t)x;
			/* RGB24: the top byte is undefined. */
			if ((pa[at] & 0xffffff) != (pb[at] & 0xffffff)) {
				return (long)y * w + x;
			}
		}
	}
	return -1;
}

static struct golden_case cases[256];
static size_t case_count;
static size_t next_case;

static void run_next_case(void)
{
	const struct golden_case *c = &cases[next_case++];
	static const char *const what[3] = {"fresh", "turning stale", "stale"};
	struct frames serial = {0};
	CHECK(draw_case(c, 1, &serial));
	int counts[] = {2, 4};
	for (size_t t = 0; t < 2 && serial.shot[0]; t++) {
		struct frames parallel = {0};
		CHECK(draw_case(c, counts[t], &parallel));
		for (int i = 0; i < 3 && parallel.shot[i]; i++) {
			long at = first_difference(serial.shot[i], parallel.shot[i]);
			if (at >= 0) {
				printf("# %s, %s, %d threads: pixel %ld differs from 1 thread\n",
				       c->name, what[i], counts[t], at);
			}
			CHECK(at < 0);
		}
		frames_free(&parallel);
	}
	frames_free(&serial);
}

/* The comparison must be able to fail: one changed pixel is found. */
static void comparison_finds_one_pixel(void)
{
	cairo_surface_t *a = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 40, 30);
	cairo_surface_t *b = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 40, 30);
	CHECK_INT(first_difference(a, b), -1);
	cairo_surface_flush(b);
	((uint32_t *)(void *)cairo_image_surface_get_data(b))[(size_t)(7 * 40 + 5)] = 0x010000;
	cairo_surface_mark_dirty(b);
	CHECK_INT(first_difference(a, b), 7 * 40 + 5);
	cairo_surface_destroy(a);
	cairo_surface_destroy(b);
}

int main(void)
{
	static struct check_case tests[260];
	size_t n = 0;
	tests[n++] = (struct check_case){"pool_runs_every_job_once", pool_runs_every_job_once};
	tests[n++] = (struct check_case){"pool_draws_on_two_threads", pool_draws_on_two_threads};
	tests[n++] = (struct check_case){"waves_keep_overlapping_tiles_in_order",
					 waves_keep_overlapping_tiles_in_order};
	tests[n++] = (struct check_case){"comparison_finds_one_pixel", comparison_finds_one_pixel};
	case_count = read_cases(cases, 256);
	if (case_count < 6) {
		printf("# expected at least 6 golden cases, found %zu\n", case_count);
		return 1;
	}
	for (size_t i = 0; i < case_count; i++) {
		tests[n++] = (struct check_case){cases[i].name, run_next_case};
	}
	return check_run(tests, n);
}
