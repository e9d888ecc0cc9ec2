/*
 * citywall-map-bench: what the worst GeoJSON within the limits (layout/geo.h) costs. Each
 * case is written to a temporary folder as a one-tile layout whose map fills the canvas, then
 * measured in a child process of its own (so peak memory is the case's): loading the layout
 * (parse, measures, label points), the first draw at each size (simplification for that
 * scale and both cached layers) and a cached redraw (median of a few), through the same board
 * the wall runs. Timing lives here, never in pass/fail tests.
 *
 *   citywall-map-bench [--file GEOJSON] [CASE ...]
 *
 * Cases: circles (two rings of 125,000 points), noise (two rings of 125,000 random points),
 * overlap (20,000 squares on top of each other in 10,000 features, no data: hatched), dong
 * (10,000 named districts of 25 points each, each its own value on a continuous scale).
 * --file adds a file of your own (e.g. ../shared/data/seoul-maps/...).
 */

#include "app/wall.h"
#include "layout/geo.h"
#include "compose/board.h"
#include "util/stats.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REDRAWS 5

/* CPU time of this thread: the cost, apart from what the other processes take from it. */
static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void feature_head(FILE *f, size_t i)
{
	fprintf(f, "%s{\"type\":\"Feature\",\"properties\":{\"code\":\"%zu\",\"name\":\"동%zu\"},"
		   "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[",
		i ? ",\n" : "", i, i);
}

/* A ring of `n` points (closed) around (cx, cy): a circle, or random points in its box. */
static void ring(FILE *f, size_t n, double cx, double cy, double r, bool noise)
{
	for (size_t p = 0; p < n; p++) {
		double a = 2 * M_PI * (double)(p % (n - 1)) / (double)(n - 1);
		double x = cx + r * cos(a), y = cy + r * sin(a);
		if (noise && p + 1 < n && p > 0) {
			x = cx + r * (2 * drand48() - 1);
			y = cy + r * (2 * drand48() - 1);
		}
		fprintf(f, "%s[%.7f,%.7f]", p ? "," : "", x, y);
	}
}

static void write_case(const char *path, const char *name)
{
	FILE *f = fopen(path, "w");
	fputs("{\"type\":\"FeatureCollection\",\"features\":[\n", f);
	srand48(1);
	if (strcmp(name, "circles") == 0 || strcmp(name, "noise") == 0) {
		for (size_t i = 0; i < 2; i++) {
			feature_head(f, i);
			ring(f, GEO_MAX_RING_POINTS, 126.9 + 0.15 * (double)i, 37.55, 0.1,
			     name[0] == 'n');
			fputs("]]}}", f);
		}
	} else if (strcmp(name, "overlap") == 0) {
		/* Every ring allowed, two a feature, piled on each other. */
		for (size_t i = 0; i < GEO_MAX_FEATURES; i++) {
			fprintf(f, "%s{\"type\":\"Feature\",\"properties\":{\"code\":\"%zu\"},"
				   "\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[",
				i ? ",\n" : "", i);
			for (size_t k = 0; k < GEO_MAX_RINGS / GEO_MAX_FEATURES; k++) {
				double d = (double)((i + k * 37) % 100) * 0.001;
				double x0 = 126.8 + d, y0 = 37.4 + d, x1 = x0 + 0.3, y1 = y0 + 0.3;
				fprintf(f, "%s[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]",
					k ? "," : "", x0, y0, x1, y0, x1, y1, x0, y1, x0, y0);
			}
			fputs("]}}", f);
		}
	} else {
		size_t side = (size_t)sqrt(GEO_MAX_FEATURES);
		for (size_t i = 0; i < GEO_MAX_FEATURES; i++) {
			double cell = 0.3 / (double)side;
			feature_head(f, i);
			double x = 126.8 + cell * (double)(i % side);
			double y = 37.4 + cell * (double)(i / side);
			ring(f, GEO_MAX_POINTS / GEO_MAX_FEATURES, x, y, cell * 0.5, false);
			fputs("]]}}", f);
		}
	}
	fputs("\n]}\n", f);
	fclose(f);
}

static void write_inputs(const char *dir, const char *geojson, bool continuous)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/layout.json", dir);
	FILE *f = fopen(path, "w");
	fprintf(f, "{\"canvas\": {\"width\": 1920, \"height\": 1080},\n"
		   " \"grid\": {\"columns\": 1, \"rows\": 1, \"gap\": 0, \"margin\": 0},\n"
		   " \"tiles\": [{\"id\": \"m\", \"widget\": \"map\", \"cell\": [0, 0],\n"
		   "   \"geojson\": \"%s\", \"values\": \"v\", \"value_field\": \"x\"}]}\n",
		geojson);
	fclose(f);
	snprintf(path, sizeof(path), "%s/feed.json", dir);
	f = fopen(path, "w");
	fputs("{\"generated_at\": \"2026-11-25T09:00:00+09:00\", \"v\": {", f);
	for (size_t i = 0; continuous && i < GEO_MAX_FEATURES; i++) {
		fprintf(f, "%s\"%zu\": {\"x\": %zu}", i ? "," : "", i, i);
	}
	fputs("}}\n", f);
	fclose(f);
}

static void measure_size(struct wall *wall, int width, int height)
{
	cairo_surface_t *frame = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
	struct board *board = wall->board;
	size_t n;
	board_set_viewport(board, width, height);
	board_invalidate_all(board);
	double t0 = now_ms();
	board_draw(board, frame, 1795564800.0, &n);
	double first = now_ms() - t0;
	struct samples again = {0};
	for (int i = 0; i < REDRAWS; i++) {
		board_invalidate_tile(board, 0);
		t0 = now_ms();
		board_draw(board, frame, 1795564800.0, &n);
		samples_add(&again, now_ms() - t0);
	}
	printf(" %4dx%-4d first %8.1f  cached %6.1f |", width, height, first,
	       samples_percentile(&again, 50));
	samples_finish(&again);
	cairo_surface_destroy(frame);
}

/* In a child: load and draw; prints one row. */
static int run_case(const char *dir, const char *label)
{
	char layout[4200], feed[4200];
	snprintf(layout, sizeof(layout), "%s/layout.json", dir);
	snprintf(feed, sizeof(feed), "%s/feed.json", dir);
	const char *feeds[] = {feed};
	struct wall_clock clock = {.fixed = true, .at = 1795564800.0};
	struct wall_options options = {.layout_file = layout, .feeds = feeds, .feed_count = 1,
				       .clock = clock};
	struct wall wall;
	double t0 = now_ms();
	if (!wall_open(&wall, &options)) {
		return 1;
	}
	double load = now_ms() - t0;
	wall_fetch_once(&wall);
	wall_sync(&wall);
	printf("%-8s load %7.1f |", label, load);
	measure_size(&wall, 1920, 1080);
	measure_size(&wall, 7680, 2160);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf(" peak %4ld MB\n", ru.ru_maxrss / 1024);
	fflush(stdout);
	wall_close(&wall);
	return 0;
}

static int fork_case(const char *dir, const char *label)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		_exit(run_case(dir, label));
	}
	int status = 1;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv)
{
	const char *all[] = {"circles", "noise", "overlap", "dong"};
	const char *cases[16], *file = NULL;
	size_t count = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--file") == 0 && i + 1 < argc) {
			file = argv[++i];
		} else if (count < 16) {
			cases[count++] = argv[i];
		}
	}
	if (count == 0 && !file) {
		memcpy(cases, all, sizeof(all));
		count = 4;
	}
	char dir[] = "/tmp/citywall-map-bench-XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	printf("CPU ms of the drawing thread (load: layout with its GeoJSON; first: first draw "
	       "at the size, with simplification; cached: a redraw from the cached layers, "
	       "median of %d)\n", REDRAWS);
	int status = 0;
	char geo[4200];
	snprintf(geo, sizeof(geo), "%s/map.geojson", dir);
	for (size_t i = 0; i < count; i++) {
		write_case(geo, cases[i]);
		write_inputs(dir, geo, strcmp(cases[i], "dong") == 0);
		status |= fork_case(dir, cases[i]);
	}
	if (file) {
		char *abs = realpath(file, NULL);
		write_inputs(dir, abs ? abs : file, false);
		free(abs);
		status |= fork_case(dir, "file");
	}
	const char *names[] = {"map.geojson", "layout.json", "feed.json"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(geo, sizeof(geo), "%s/%s", dir, names[i]);
		remove(geo);
	}
	rmdir(dir);
	return status;
}
