/*
 * --publish: the render loop copies the frame into a buffer kept for it and hands it to this
 * thread, which encodes and writes it, so the wall never waits for a disk or for zlib
 * (measured on the loaded 2-core machine: the loop's part 1-2 ms at 1920x1080 and 15-30 ms at
 * 7680x2160, once per picture; the writer's 0.2-0.3 s and 1.4-2.4 s). One picture at a time:
 * while one is being written the next waits for it rather than piling 66 MB copies up behind a
 * slow disk.
 */

#include "app/publish.h"

#include "app/clock.h"
#include "app/screenshot.h"
#include "util/fileio.h"
#include "util/log.h"
#include "util/xmalloc.h"

#include <cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A picture due while the last one is still being written is tried again this much later. */
#define BUSY_RETRY 0.25

struct publish_job {
	cairo_surface_t *image; // owned reference: the frame's copy with its label
	char *json;             // owned: latest.json
	char *board_name;       // owned: "board-<seq>-<time>.png"; NULL: none is kept
	long long seq;
	double at;              // wall clock of the picture
};

struct publisher {
	char *dir;                 // owned
	double every;
	long keep;
	void (*wake)(void *ctx);
	void *wake_ctx;
	long long next_seq;        // main thread only
	cairo_surface_t *copy;     // owned, main thread: the frame's copy, reused (a fresh 66 MB
				   // buffer costs page faults on every picture); the writer holds
				   // a reference while it encodes, and none is made meanwhile
	double next_due;           // main thread only; monotonic; 0: at the first data
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct publish_job *job;   // owned; guarded: queued for the writer, NULL: none
	bool busy;                 // guarded: the writer holds a job
	bool stop;                 // guarded
	bool page_written;         // writer only: index.html is in DIR
	long long written_seq;     // guarded
	double written_at;         // guarded; NAN: none yet
	char problem[600];         // guarded; "": the last write succeeded (err, prefixed)
};

static void job_free(struct publish_job *job)
{
	if (job) {
		cairo_surface_destroy(job->image);
		free(job->json);
		free(job->board_name);
		free(job);
	}
}

/* "board-42-20261206T131502+0900.png" → 42; -1 for any other name. */
static long long board_seq(const char *name)
{
	if (strncmp(name, "board-", 6) != 0) {
		return -1;
	}
	char *end;
	long long seq = strtoll(name + 6, &end, 10);
	size_t len = strlen(name);
	bool png = len > 4 && strcmp(name + len - 4, ".png") == 0;
	return end != name + 6 && *end == '-' && png && seq > 0 ? seq : -1;
}

/* The highest seq DIR already shows (latest.json, board-*.png); 0 when none. */
static long long seq_in_dir(const char *dir)
{
	long long seq = 0;
	char *path = xasprintf("%s/latest.json", dir);
	char *text = NULL, err[256];
	size_t len;
	if (file_read_all(path, 1 << 20, &text, &len, err, sizeof(err))) {
		cJSON *doc = cJSON_ParseWithLength(text, len);
		const cJSON *item = cJSON_GetObjectItemCaseSensitive(doc, "seq");
		if (cJSON_IsNumber(item) && item->valuedouble > 0 && item->valuedouble < 9e15) {
			seq = (long long)item->valuedouble;
		}
		cJSON_Delete(doc);
	}
	free(text);
	free(path);
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));) {
		long long s = board_seq(e->d_name);
		seq = s > seq ? s : seq;
	}
	if (d) {
		closedir(d);
	}
	return seq;
}

static int by_seq_descending(const void *a, const void *b)
{
	long long x = board_seq(*(char *const *)a), y = board_seq(*(char *const *)b);
	return x < y ? 1 : x > y ? -1 : 0;
}

/* Keeps the newest `keep` board-*.png of DIR: a wall publishing for years never fills it. */
static void prune(const struct publisher *p)
{
	DIR *d = opendir(p->dir);
	if (!d) {
		return;
	}
	size_t count = 0, cap = 64;
	char **names = xcalloc(cap, sizeof(*names));
	for (struct dirent *e; (e = readdir(d));) {
		if (board_seq(e->d_name) < 0) {
			continue;
		}
		if (count == cap) {
			cap *= 2;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[count++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, count, sizeof(*names), by_seq_descending);
	for (size_t i = 0; i < count; i++) {
		if (i >= (size_t)p->keep) {
			char *path = xasprintf("%s/%s", p->dir, names[i]);
			if (unlink(path) != 0 && errno != ENOENT) {
				log_once(LOG_WARN, "publish-prune", "publish: cannot remove %s: %s", path,
					 strerror(errno));
			}
			free(path);
		}
		free(names[i]);
	}
	free(names);
}

/*
 * The picture, encoded once into a temporary file: linked as board-<seq>-<time>.png and
 * renamed over latest.png, so both names appear complete or not at all.
 */
static bool write_picture(struct publisher *p, const struct publish_job *job, char *err,
			  size_t err_size)
{
	char *temp = xasprintf("%s/.latest.png" FILE_TEMP_MARK "XXXXXX", p->dir);
	char *latest = xasprintf("%s/latest.png", p->dir);
	char *board = job->board_name ? xasprintf("%s/%s", p->dir, job->board_name) : NULL;
	bool ok = false;
	int fd = mkstemp(temp);
	if (fd < 0) {
		snprintf(err, err_size, "cannot write %s: %s", latest, strerror(errno));
		goto out;
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	char why[400];
	ok = screenshot_encode(job->image, fd, latest, why, sizeof(why));
	if (close(fd) != 0 && ok) {
		snprintf(why, sizeof(why), "cannot write %s: %s", latest, strerror(errno));
		ok = false;
	}
	if (!ok) {
		snprintf(err, err_size, "%s", why);
	} else if (board && link(temp, board) != 0) {
		snprintf(err, err_size, "cannot write %s: %s", board, strerror(errno));
		ok = false;
	} else if (rename(temp, latest) != 0) {
		snprintf(err, err_size, "cannot replace %s: %s", latest, strerror(errno));
		ok = false;
	}
	if (!ok) {
		unlink(temp);
	}
out:
	free(board);
	free(latest);
	free(temp);
	return ok;
}

/* Writes one publication: picture, latest.json (after it: never naming a missing picture). */
static bool write_job(struct publisher *p, const struct publish_job *job, char *err,
		      size_t err_size)
{
	struct stat st;
	if (stat(p->dir, &st) != 0) {
		snprintf(err, err_size, "%s: %s", p->dir, strerror(errno));
		return false;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, err_size, "%s: not a folder", p->dir);
		return false;
	}
	if (!p->page_written) {
		char *page = xasprintf("%s/index.html", p->dir);
		p->page_written = file_write_atomic_mode(page, publish_page_html,
							 publish_page_html_len, 0644, err, err_size);
		free(page);
		if (!p->page_written) {
			return false;
		}
	}
	if (!write_picture(p, job, err, err_size)) {
		return false;
	}
	char *json = xasprintf("%s/latest.json", p->dir);
	/* Readable by all, as the pictures are: a web server of another user serves them. */
	bool ok = file_write_atomic_mode(json, job->json, strlen(job->json), 0644, err, err_size);
	free(json);
	if (ok) {
		prune(p);
	}
	return ok;
}

static void *writer(void *arg)
{
	struct publisher *p = arg;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->job && !p->stop) {
			pthread_cond_wait(&p->cond, &p->lock);
		}
		if (!p->job) {
			break; // stopping with nothing left to write
		}
		struct publish_job *job = p->job;
		p->job = NULL;
		p->busy = true;
		pthread_mutex_unlock(&p->lock);

		char err[512] = "";
		double t0 = clock_monotonic();
		bool ok = write_job(p, job, err, sizeof(err));
		if (ok) {
			log_once_clear("publish");
			log_debug("publish: wrote #%lld in %.1f ms", job->seq,
				  (clock_monotonic() - t0) * 1000);
		} else {
			log_once(LOG_WARN, "publish", "publish: %s", err);
			p->page_written = false; // DIR may come back empty
		}

		pthread_mutex_lock(&p->lock);
		p->busy = false;
		if (ok) {
			p->written_seq = job->seq;
			p->written_at = job->at;
			p->problem[0] = '\0';
		} else {
			snprintf(p->problem, sizeof(p->problem), "publish: %s", err);
		}
		job_free(job);
		if (p->wake && !p->stop) {
			p->wake(p->wake_ctx);
		}
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct publisher *publish_create(const struct publish_options *options, char *err,
				 size_t err_size)
{
	struct publisher *p = xcalloc(1, sizeof(*p));
	p->dir = xstrdup(options->dir);
	p->every = options->every;
	p->keep = options->keep;
	p->wake = options->wake;
	p->wake_ctx = options->wake_ctx;
	p->next_seq = seq_in_dir(p->dir) + 1;
	p->written_at = NAN;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	int rc = pthread_create(&p->thread, NULL, writer, p);
	if (rc != 0) {
		snprintf(err, err_size, "publish: cannot start its thread: %s", strerror(rc));
		pthread_mutex_destroy(&p->lock);
		pthread_cond_destroy(&p->cond);
		free(p->dir);
		free(p);
		return NULL;
	}
	return p;
}

void publish_destroy(struct publisher *p)
{
	if (!p) {
		return;
	}
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	job_free(p->job);
	cairo_surface_destroy(p->copy);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
	free(p->dir);
	free(p);
}

/* Whether the board shows any data yet: a picture of a wall still waiting is no news. */
static bool has_data(const struct wall *wall)
{
	bool fetched = false;
	for (size_t i = 0; i < wall->layout->source_count; i++) {
		if (!wall->layout->sources[i].url) {
			continue;
		}
		if (board_source_current(wall->board, i)) {
			return true;
		}
		fetched = true;
	}
	return !fetched; // a layout without sources shows what it shows from the start
}

double publish_due(const struct publisher *p, const struct wall *wall)
{
	return has_data(wall) ? p->next_due : INFINITY;
}

/* The frame buffer copied into the publisher's own surface (reused while the size holds). */
static cairo_surface_t *copy_frame(struct publisher *p, cairo_surface_t *frame)
{
	cairo_surface_flush(frame);
	int w = cairo_image_surface_get_width(frame), h = cairo_image_surface_get_height(frame);
	if (!p->copy || cairo_image_surface_get_width(p->copy) != w ||
	    cairo_image_surface_get_height(p->copy) != h) {
		cairo_surface_destroy(p->copy);
		p->copy = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	}
	if (cairo_surface_status(p->copy) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(p->copy);
		p->copy = NULL;
		return NULL;
	}
	cairo_surface_flush(p->copy);
	const unsigned char *src = cairo_image_surface_get_data(frame);
	unsigned char *dst = cairo_image_surface_get_data(p->copy);
	int src_stride = cairo_image_surface_get_stride(frame);
	int dst_stride = cairo_image_surface_get_stride(p->copy);
	if (src_stride == dst_stride) {
		memcpy(dst, src, (size_t)dst_stride * (size_t)h);
	} else {
		for (int y = 0; y < h; y++) {
			memcpy(dst + (size_t)y * dst_stride, src + (size_t)y * src_stride,
			       (size_t)w * 4);
		}
	}
	cairo_surface_mark_dirty(p->copy);
	return cairo_surface_reference(p->copy);
}

bool publish_maybe(struct publisher *p, struct wall *wall, cairo_surface_t *frame,
		   double mono_now)
{
	if (mono_now < publish_due(p, wall)) {
		return false;
	}
	pthread_mutex_lock(&p->lock);
	bool busy = p->busy || p->job;
	pthread_mutex_unlock(&p->lock);
	if (busy) {
		p->next_due = mono_now + BUSY_RETRY;
		return false;
	}
	double t0 = clock_monotonic();
	cairo_surface_t *image = copy_frame(p, frame);
	if (!image) {
		log_once(LOG_WARN, "publish-copy", "publish: no memory for a copy of the frame");
		p->next_due = mono_now + p->every;
		return false;
	}
	double now = clock_now(&wall->clock);
	struct publish_job *job = xcalloc(1, sizeof(*job));
	job->image = image;
	job->seq = p->next_seq++;
	job->at = now;
	if (p->keep > 0) {
		char stamp[48];
		publish_compact_time(now, wall->layout->timezone, stamp, sizeof(stamp));
		job->board_name = xasprintf("board-%lld-%s.png", job->seq, stamp);
	}
	char label[160];
	publish_label_text(wall, job->seq, now, label, sizeof(label));
	publish_draw_label(wall, image, label);
	job->json = publish_document(wall, job->seq, now, job->board_name,
				     cairo_image_surface_get_width(image),
				     cairo_image_surface_get_height(image));
	log_debug("publish: #%lld queued; the render loop spent %.2f ms", job->seq,
		  (clock_monotonic() - t0) * 1000);
	pthread_mutex_lock(&p->lock);
	p->job = job;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
	p->next_due = mono_now + p->every;
	return true;
}

long long publish_state(struct publisher *p, double *written_at, char *problem,
			size_t problem_size)
{
	pthread_mutex_lock(&p->lock);
	long long seq = p->written_seq;
	*written_at = p->written_at;
	snprintf(problem, problem_size, "%s", p->problem);
	pthread_mutex_unlock(&p->lock);
	return seq;
}
