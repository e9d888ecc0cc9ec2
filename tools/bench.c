/*
 * citywall-bench: frame-time percentiles of the board, headless, through the same code the
 * wall runs. For each size it measures a full redraw (what a resize or a new layout costs) and
 * a one-tile update (what a new value costs in steady state), plus the memcpy of a frame as
 * the floor any full-frame work pays. Full redraws are measured with each count of drawing
 * threads in --threads (default 1,2: the serial path and the pool). With --stale every tile is
 * drawn stale, and "turning stale" times the frame in which a fresh board turns stale.
 * --cpu times the CPU the process spends instead of the wall clock: on a machine busy with
 * other work that is what stays comparable (a drawing pool's gain only shows on the wall clock).
 *
 * --ticker measures the steady state of a running crawl instead: time advances by 1/60 s per
 * frame, as on the wall, and each frame's board_advance() and board_draw() are timed, with the
 * bytes the frame damages (what the display must push) and the memcpy of those bytes as the
 * floor (a crawl cannot move fewer bytes than its text band).
 *
 * --updates DIR measures the seconds of a live feed: DIR holds the feed's documents in turn
 * (bench/feed.py --dump-ticks N DIR writes them: one kpi and one district change a second).
 * Each second's work on the frame loop's side is timed: the document read and parsed, the
 * board bound to it, and that second's frame drawn (what the data changed, the clock's tick,
 * the crawl's step). Each size starts a wall of its own at the first document, as a feed's
 * "seq" only goes forward.
 *
 * --pulse does the same for an alert pulsing (tests/layouts/alert-wall.json, a frame every
 * 1/30 s, the pulse's own rate), and --page measures page turns (tests/layouts/pages-wall.json:
 * the wall's body on two pages): the frame of each turn, timed, with its damage.
 *
 *   citywall-bench [--ticker|--pulse|--page|--updates DIR] [--stale] [--threads N,N...]
 *                  [--cpu] [--layout FILE] [--feed FILE] [--frames N] [WxH ...]
 */

#include "app/wall.h"
#include "compose/board.h"
#include "compose/parallel.h"
#include "util/fileio.h"
#include "util/stats.h"
#include "util/xmalloc.h"

#include <cairo.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* --cpu: the process's CPU time (every thread's) instead of the wall clock. */
static clockid_t bench_clock = CLOCK_MONOTONIC;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(bench_clock, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void print_row(const char *size, const char *what, const struct samples *s)
{
	printf("%-10s %-22s %8.3f %8.3f %8.3f %8.3f %6zu\n", size, what,
	       samples_percentile(s, 50), samples_percentile(s, 90), samples_percentile(s, 99),
	       samples_percentile(s, 100), s->count);
}

struct bench_run {
	int frames;
	double at;       // the time drawn: fresh, or a day later with --stale
	double fresh_at; // a time the board is fresh
	bool stale;
	const int *threads; // thread counts to measure full redraws with
	size_t thread_count;
};

/* Full redraws, and with --stale the frame that turns a fresh board stale, at `threads`. */
static void measure_full(struct board *board, cairo_surface_t *frame, const char *size,
			 const struct bench_run *run, int threads)
{
	struct render_pool *pool = render_pool_create(threads);
	board_set_render_pool(board, pool);
	size_t n;
	char full_label[32], turn_label[32];
	snprintf(full_label, sizeof(full_label), "full redraw, %d thr", threads);
	snprintf(turn_label, sizeof(turn_label), "turning stale, %d thr", threads);
	struct samples full = {0}, turn = {0};
	for (int i = 0; i < run->frames; i++) {
		board_invalidate_all(board);
		double t0 = now_ms();
		board_draw(board, frame, run->at, &n);
		samples_add(&full, now_ms() - t0);
	}
	print_row(size, full_label, &full);
	for (int i = 0; run->stale && i < run->frames; i++) {
		board_advance(board, run->fresh_at);
		board_draw(board, frame, run->fresh_at, &n);
		board_advance(board, run->at);
		double t0 = now_ms();
		board_draw(board, frame, run->at, &n);
		samples_add(&turn, now_ms() - t0);
	}
	if (run->stale) {
		print_row(size, turn_label, &turn);
	}
	samples_finish(&full);
	samples_finish(&turn);
	board_set_render_pool(board, NULL);
	render_pool_destroy(pool);
}

static void measure_size(struct wall *wall, int width, int height, const struct bench_run *run)
{
	int frames = run->frames;
	double at = run->at;
	cairo_surface_t *frame = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
	struct board *board = wall->board;
	board_set_viewport(board, width, height);
	size_t n;
	/* Warm-up: fonts opened, text rasterised once, fresh and stale. */
	board_invalidate_all(board);
	board_draw(board, frame, at, &n);
	if (run->stale) {
		board_advance(board, run->fresh_at);
		board_draw(board, frame, run->fresh_at, &n);
		board_advance(board, at);
		board_draw(board, frame, at, &n);
	}
	char label[32];
	snprintf(label, sizeof(label), "%dx%d", width, height);
	for (size_t i = 0; i < run->thread_count; i++) {
		measure_full(board, frame, label, run, run->threads[i]);
	}

	struct samples tile = {0}, copy = {0};
	size_t tiles = board_tile_count(board);
	for (int i = 0; i < frames * 4 && tiles; i++) {
		board_invalidate_tile(board, (size_t)i % tiles);
		double t0 = now_ms();
		board_draw(board, frame, at, &n);
		samples_add(&tile, now_ms() - t0);
	}
	size_t bytes = (size_t)cairo_image_surface_get_stride(frame) * (size_t)height;
	unsigned char *scratch = malloc(bytes);
	memset(scratch, 0, bytes); /* fault the pages in before timing */
	for (int i = 0; i < frames; i++) {
		double t0 = now_ms();
		memcpy(scratch, cairo_image_surface_get_data(frame), bytes);
		/* Tell the compiler the copy is used, or it may drop it. */
		__asm__ volatile("" : : "r"(scratch) : "memory");
		samples_add(&copy, now_ms() - t0);
	}
	free(scratch);

	print_row(label, "one-tile update", &tile);
	print_row(label, "memcpy of a frame", &copy);
	samples_finish(&tile);
	samples_finish(&copy);
	cairo_surface_destroy(frame);
}

/* Damaged bytes of a frame in a 4-byte-per-pixel frame buffer. */
static size_t damage_bytes(const struct irect *damage, size_t count)
{
	size_t bytes = 0;
	for (size_t i = 0; i < count; i++) {
		bytes += (size_t)damage[i].w * (size_t)damage[i].h * 4;
	}
	return bytes;
}

/* The floor: copying the damaged rows once, as the frame's bytes lie (row by row). */
static double copy_damage_ms(cairo_surface_t *frame, unsigned char *scratch,
			     const struct irect *damage, size_t count)
{
	int stride = cairo_image_surface_get_stride(frame);
	const unsigned char *data = cairo_image_surface_get_data(frame);
	double t0 = now_ms();
	for (size_t i = 0; i < count; i++) {
		for (int y = damage[i].y; y < damage[i].y + damage[i].h; y++) {
			size_t at = (size_t)y * (size_t)stride + (size_t)damage[i].x * 4;
			memcpy(scratch + at, data + at, (size_t)damage[i].w * 4);
		}
	}
	__asm__ volatile("" : : "r"(scratch) : "memory");
	return now_ms() - t0;
}

static void print_damage(const char *label, size_t damaged, size_t drawn, double rate,
			 size_t frame_bytes)
{
	double per_frame = drawn ? (double)damaged / (double)drawn : 0;
	printf("%-10s %-22s %8.0f KiB/frame (%.0f px), %.0f MiB/s at %.0f Hz (whole frame: "
	       "%.0f MiB/s)\n",
	       label, "  damage", per_frame / 1024, per_frame / 4, per_frame * rate / (1024 * 1024),
	       rate, (double)frame_bytes * rate / (1024 * 1024));
}

/* Frames of an animation measured against their floor: a copy of the bytes they damage. */
struct damage_run {
	cairo_surface_t *frame;  // owned: the frame drawn into
	unsigned char *scratch;  // owned: where the damage is copied to, for the floor
	size_t bytes;            // of one frame
	struct samples draw, copy;
	size_t damaged, drawn;
};

/* A frame of width x height with the board drawn whole into it at `at`. */
static void damage_run_begin(struct damage_run *run, struct board *board, int width, int height,
			     double at)
{
	*run = (struct damage_run){0};
	run->frame = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
	run->bytes = (size_t)cairo_image_surface_get_stride(run->frame) * (size_t)height;
	run->scratch = calloc(1, run->bytes);
	board_set_viewport(board, width, height);
	board_invalidate_all(board);
	board_advance(board, at);
	size_t n;
	board_draw(board, run->frame, at, &n);
}

static void damage_run_add(struct damage_run *run, double spent, const struct irect *damage,
			   size_t n)
{
	samples_add(&run->draw, spent);
	samples_add(&run->copy, copy_damage_ms(run->frame, run->scratch, damage, n));
	run->damaged += damage_bytes(damage, n);
	run->drawn++;
}

/* Prints the run's rows (`row`, its floor, its damage at `rate` frames a second) and frees it. */
static void damage_run_end(struct damage_run *run, int width, int height, const char *row,
			   double rate)
{
	char label[32];
	snprintf(label, sizeof(label), "%dx%d", width, height);
	print_row(label, row, &run->draw);
	print_row(label, "  floor: copy damage", &run->copy);
	print_damage(label, run->damaged, run->drawn, rate, run->bytes);
	samples_finish(&run->draw);
	samples_finish(&run->copy);
	free(run->scratch);
	cairo_surface_destroy(run->frame);
}

/*
 * An animation in steady state (a crawl, a pulse): the frame loop's work per frame, advancing
 * `rate` frames a second from `at`. Every frame of the warm-up second is drawn first (lines
 * rasterised, strips built).
 */
static void measure_steady(struct wall *wall, int width, int height, int frames, double at,
			   double rate, const char *what)
{
	struct board *board = wall->board;
	struct damage_run run;
	damage_run_begin(&run, board, width, height, at);
	int warm = (int)rate;
	for (int i = 1; i <= warm + frames; i++) {
		double t = at + i / rate;
		double t0 = now_ms();
		board_advance(board, t);
		const struct irect *damage = NULL;
		size_t n = 0;
		if (board_is_dirty(board)) {
			damage = board_draw(board, run.frame, t, &n);
		}
		double spent = now_ms() - t0;
		if (i > warm) {
			damage_run_add(&run, spent, damage, n);
		}
	}
	char row[48];
	snprintf(row, sizeof(row), "steady %s: frame", what);
	damage_run_end(&run, width, height, row, rate);
}

/*
 * Page turns: the frame before each turn drawn (the clock ticks), then the turn's frame timed
 * with its damage. The first two turns (each page drawn once) are the warm-up.
 */
static void measure_turns(struct wall *wall, int width, int height, int turns, double at)
{
	struct board *board = wall->board;
	const struct layout *layout = wall->layout;
	struct damage_run run;
	damage_run_begin(&run, board, width, height, at);
	double t = at;
	size_t n;
	for (int i = 0; i < turns + 2 && layout->page_count > 1; i++) {
		size_t page = board_page(board);
		double turn = t + layout->pages[page].duration;
		board_advance(board, turn - 0.5);
		board_draw(board, run.frame, turn - 0.5, &n);
		t = turn;
		double t0 = now_ms();
		board_advance(board, t);
		const struct irect *damage = board_draw(board, run.frame, t, &n);
		double spent = now_ms() - t0;
		if (i >= 2) {
			damage_run_add(&run, spent, damage, n);
		}
	}
	damage_run_end(&run, width, height, "page turn: frame", 1);
}

/* --updates: the documents to replay, the file the wall's feed reads, and where they are. */
struct updates {
	char **docs; // owned, each owned: DIR's *.json in name order
	size_t *lens;
	size_t count;
	const char *feed; // borrowed: the wall's feed file, rewritten before each second
};

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* DIR's *.json, read in name order; false with a message when there are fewer than two. */
static bool updates_load(struct updates *u, const char *dir)
{
	DIR *folder = opendir(dir);
	if (!folder) {
		fprintf(stderr, "citywall-bench: cannot open %s\n", dir);
		return false;
	}
	char **names = NULL;
	size_t count = 0;
	for (struct dirent *e; (e = readdir(folder));) {
		size_t len = strlen(e->d_name);
		if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0) {
			names = xrealloc(names, (count + 1) * sizeof(*names));
			names[count++] = xasprintf("%s/%s", dir, e->d_name);
		}
	}
	closedir(folder);
	qsort(names, count, sizeof(*names), by_name);
	u->docs = xcalloc(count ? count : 1, sizeof(*u->docs));
	u->lens = xcalloc(count ? count : 1, sizeof(*u->lens));
	bool ok = count >= 2;
	for (size_t i = 0; i < count; i++) {
		char err[256];
		if (ok && !file_read_all(names[i], 64u << 20, &u->docs[i], &u->lens[i], err,
					 sizeof(err))) {
			fprintf(stderr, "citywall-bench: %s\n", err);
			ok = false;
		}
		free(names[i]);
	}
	free(names);
	u->count = count;
	if (count < 2) {
		fprintf(stderr, "citywall-bench: %s holds %zu documents; bench/feed.py "
				"--dump-ticks 70 %s writes them\n", dir, count, dir);
	}
	return ok;
}

static void updates_free(struct updates *u)
{
	for (size_t i = 0; i < u->count; i++) {
		free(u->docs[i]);
	}
	free(u->docs);
	free(u->lens);
}

/* The wall's feed file now holds document i (replaced whole, as a feed server sends one). */
static void updates_serve(const struct updates *u, size_t i)
{
	char err[256];
	if (!file_replace_often(u->feed, u->docs[i], u->lens[i], 0600, err, sizeof(err))) {
		fprintf(stderr, "citywall-bench: %s\n", err);
	}
}

/*
 * One data second: the feed's next document read, parsed and bound, the clock at `t`, and the
 * frame of that moment drawn; timed into `run` when `counted`.
 */
static void data_second(struct wall *wall, struct damage_run *run, double t, bool counted)
{
	double t0 = now_ms();
	wall->clock.at = t;
	wall_fetch_once(wall);
	board_advance(wall->board, t);
	const struct irect *damage = NULL;
	size_t n = 0;
	if (board_is_dirty(wall->board)) {
		damage = board_draw(wall->board, run->frame, t, &n);
	}
	double spent = now_ms() - t0;
	if (counted) {
		damage_run_add(run, spent, damage, n);
	}
}

/* The seconds of a live feed: documents 1..frames in turn, after a warm-up of five. */
static void measure_updates(struct wall *wall, const struct updates *u, int width, int height,
			    int frames, double at)
{
	enum { WARM = 5 };
	size_t seconds = (size_t)frames + WARM < u->count - 1 ? (size_t)frames + WARM : u->count - 1;
	size_t warm = seconds > 2 * WARM ? WARM : 0;
	struct damage_run run;
	damage_run_begin(&run, wall->board, width, height, at);
	for (size_t i = 1; i <= seconds; i++) {
		updates_serve(u, i);
		data_second(wall, &run, at + (double)i, i > warm);
	}
	damage_run_end(&run, width, height, "data second: frame", 1);
}

/* "1,2" into counts; 0 when a count is not 1..RENDER_THREADS_MAX or there are too many. */
static size_t parse_threads(const char *text, int *threads)
{
	size_t count = 0;
	for (const char *p = text; *p;) {
		char *end;
		long n = strtol(p, &end, 10);
		if (end == p || n < 1 || n > RENDER_THREADS_MAX || count == RENDER_THREADS_MAX ||
		    (*end && *end != ',')) {
			return 0;
		}
		threads[count++] = (int)n;
		p = *end ? end + 1 : end;
	}
	return count;
}

int main(int argc, char **argv)
{
	const char *layout = NULL, *feed = NULL, *updates_dir = NULL;
	bool ticker = false, pulse = false, page = false, stale = false;
	int frames = 60;
	int threads[RENDER_THREADS_MAX] = {1, 2};
	size_t thread_count = 2;
	const char *sizes[16];
	size_t size_count = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--ticker") == 0) {
			ticker = true;
		} else if (strcmp(argv[i], "--pulse") == 0) {
			pulse = true;
		} else if (strcmp(argv[i], "--page") == 0) {
			page = true;
		} else if (strcmp(argv[i], "--updates") == 0 && i + 1 < argc) {
			updates_dir = argv[++i];
		} else if (strcmp(argv[i], "--stale") == 0) {
			stale = true;
		} else if (strcmp(argv[i], "--cpu") == 0) {
			bench_clock = CLOCK_PROCESS_CPUTIME_ID;
		} else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
			thread_count = parse_threads(argv[++i], threads);
		} else if (strcmp(argv[i], "--layout") == 0 && i + 1 < argc) {
			layout = argv[++i];
		} else if (strcmp(argv[i], "--feed") == 0 && i + 1 < argc) {
			feed = argv[++i];
		} else if (strcmp(argv[i], "--frames") == 0 && i + 1 < argc) {
			frames = atoi(argv[++i]);
		} else if (strchr(argv[i], 'x') && size_count < 16) {
			sizes[size_count++] = argv[i];
		} else {
			fprintf(stderr, "usage: citywall-bench [--ticker|--pulse|--page|--updates DIR] "
					"[--stale] [--threads N,N...] [--cpu] [--layout FILE] "
					"[--feed FILE] [--frames N] [WxH ...]\n");
			return 2;
		}
	}
	if (thread_count == 0) {
		fprintf(stderr, "citywall-bench: --threads takes counts 1..%d, e.g. 1,2\n",
			RENDER_THREADS_MAX);
		return 2;
	}
	if (!layout) {
		layout = updates_dir ? "bench/board.json"
			 : ticker  ? "tests/layouts/ticker-wall.json"
			  : pulse ? "tests/layouts/alert-wall.json"
			  : page  ? "tests/layouts/pages-wall.json"
				  : "layouts/demo.json";
	}
	if (size_count == 0) {
		sizes[size_count++] = "1920x1080";
		sizes[size_count++] = "3840x2160";
		sizes[size_count++] = "7680x2160";
	}
	struct updates updates = {0};
	char feed_file[] = "/tmp/citywall-bench-feed-XXXXXX.json";
	if (updates_dir) {
		int fd = mkstemps(feed_file, 5);
		if (fd < 0 || !updates_load(&updates, updates_dir)) {
			if (fd >= 0) {
				close(fd);
				remove(feed_file);
			}
			updates_free(&updates);
			return 1;
		}
		close(fd);
		updates.feed = feed = feed_file;
		updates_serve(&updates, 0);
	}
	struct wall wall;
	struct wall_clock clock = {.fixed = true, .at = 1795564800.0};
	const char *feeds[] = {feed};
	struct wall_options options = {.layout_file = layout, .feeds = feeds,
				       .feed_count = feed ? 1 : 0, .clock = clock};
	if (!wall_open(&wall, &options)) {
		if (updates_dir) {
			remove(feed_file);
			updates_free(&updates);
		}
		return 1;
	}
	bool open = true;
	wall_fetch_once(&wall);
	if (stale) {
		/* A day later: every source past its max_age, every tile drawn stale. */
		clock.at += 86400;
		wall.clock.at = clock.at;
		board_advance(wall.board, clock.at);
	}
	if (ticker || pulse) {
		frames *= 10; // a steady state: ten (or twenty) seconds of frames at the default
	}
	printf("layout %s, %zu tiles%s, %d frames per row%s, %s in ms\n", layout,
	       board_tile_count(wall.board), stale ? ", all stale" : "", frames,
	       ticker ? " (1/60 s apart)"
	       : pulse ? " (1/30 s apart)"
	       : page  ? " (page turns)"
	       : updates_dir ? " (a second apart)"
		       : " (one-tile: 4x)",
	       bench_clock == CLOCK_MONOTONIC ? "times" : "CPU times");
	printf("%-10s %-22s %8s %8s %8s %8s %6s\n", "size", "what", "p50", "p90", "p99", "max",
	       "n");
	for (size_t i = 0; i < size_count; i++) {
		int w, h;
		if (sscanf(sizes[i], "%dx%d", &w, &h) == 2 && w > 0 && h > 0) {
			if (updates_dir) {
				if (i > 0) { // a fresh wall at the first document (see --updates)
					wall_close(&wall);
					updates_serve(&updates, 0);
					if (!(open = wall_open(&wall, &options))) {
						break;
					}
					wall_fetch_once(&wall);
				}
				measure_updates(&wall, &updates, w, h, frames > 0 ? frames : 1,
						clock.at);
			} else if (ticker || pulse) {
				measure_steady(&wall, w, h, frames > 0 ? frames : 1, clock.at,
					       ticker ? 60 : 30, ticker ? "ticker" : "pulse");
			} else if (page) {
				measure_turns(&wall, w, h, frames > 0 ? frames : 1, clock.at);
			} else {
				struct bench_run run = {
					.frames = frames > 0 ? frames : 1,
					.at = clock.at,
					.fresh_at = stale ? clock.at - 86400 : clock.at,
					.stale = stale,
					.threads = threads,
					.thread_count = thread_count,
				};
				measure_size(&wall, w, h, &run);
			}
		}
	}
	if (open) {
		wall_close(&wall);
	}
	if (updates_dir) {
		remove(feed_file);
		updates_free(&updates);
	}
	return open ? 0 : 1;
}
