/*
 * The real binary, as a user runs it: exit codes, --help/--version, --check output, and a
 * --screenshot whose tiles show their threshold colours at their centres.
 */

#include "check.h"

#include "app/cli.h"

#include "layout/layout.h"
#include "util/fileio.h"
#include "widgets/widget.h"

#include <cairo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static const char *bin(void)
{
	const char *b = getenv("CITYWALL_BIN");
	return b ? b : "citywall";
}

static const char *src(void)
{
	const char *s = getenv("CITYWALL_SOURCE_ROOT");
	return s ? s : ".";
}

static const char *out_dir(void)
{
	const char *b = getenv("CITYWALL_BUILD_ROOT");
	return b ? b : ".";
}

/* Runs `citywall ARGS` from the source root; returns the exit code and the combined output. */
static int run(const char *args, char *output, size_t size)
{
	char command[8192];
	/* timeout: a citywall that hangs fails its case instead of the whole suite. */
	snprintf(command, sizeof(command), "cd '%s' && timeout -s KILL 60 '%s' %s 2>&1", src(),
		 bin(), args);
	FILE *p = popen(command, "r");
	size_t len = 0;
	if (!p) {
		return -1;
	}
	size_t n;
	while (len + 1 < size && (n = fread(output + len, 1, size - len - 1, p)) > 0) {
		len += n;
	}
	output[len] = '\0';
	int status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char out[65536];

static void help_and_version(void)
{
	CHECK_INT(run("--help", out, sizeof(out)), 0);
	CHECK(strstr(out, "Usage: citywall --layout FILE") != NULL);
	CHECK(strstr(out, "--screenshot PNG") != NULL);
	/* window_default_size_matches_help: the window opens at CLI_WINDOW_WIDTH x HEIGHT. */
	CHECK(strstr(out, "window size (default 1280x720, resizable)") != NULL);
	CHECK(CLI_WINDOW_WIDTH == 1280 && CLI_WINDOW_HEIGHT == 720);
	CHECK_INT(run("--version", out, sizeof(out)), 0);
	CHECK(strncmp(out, "citywall 0.", 11) == 0);
	CHECK(strstr(out, "SDL 2.") != NULL);
}

static void usage_errors_exit_2(void)
{
	static const struct {
		const char *args;
		const char *message;
	} cases[] = {
		{"--bogus", "citywall: unknown option '--bogus'\n"
			    "Try 'citywall --help' for more information.\n"},
		{"-x", "citywall: unknown option '-x'\nTry 'citywall --help' for more information.\n"},
		{"--layout", "citywall: option '--layout' needs a value\n"
			     "Try 'citywall --help' for more information.\n"},
		{"", "citywall: --layout FILE is required\n"
		     "Try 'citywall --help' for more information.\n"},
		{"--layout layouts/demo.json --size 12x", "citywall: --size: \"12x\" is not "
		 "WIDTHxHEIGHT (16..32768)\nTry 'citywall --help' for more information.\n"},
		{"--layout layouts/demo.json --at noon", "citywall: --at: \"noon\" is not a time such "
		 "as 2026-11-25T09:00:00+09:00\nTry 'citywall --help' for more information.\n"},
		{"--layout layouts/demo.json --present gpu", "citywall: --present: \"gpu\" is not auto, "
		 "renderer or surface\nTry 'citywall --help' for more information.\n"},
		{"--layout layouts/demo.json extra", "citywall: unexpected argument \"extra\"\n"
		 "Try 'citywall --help' for more information.\n"},
		/* The endpoint has no authentication: only loopback may reach it. */
		{"--layout layouts/demo.json --health 0.0.0.0:8790", "citywall: --health: 0.0.0.0 is "
		 "not a loopback address (the endpoint has no authentication; put a proxy in front "
		 "of it to share it)\nTry 'citywall --help' for more information.\n"},
		{"--layout layouts/demo.json --health 192.168.0.10:8790", "citywall: --health: "
		 "192.168.0.10 is not a loopback address (the endpoint has no authentication; put a "
		 "proxy in front of it to share it)\nTry 'citywall --help' for more information.\n"},
		{"--layout layouts/demo.json --health [::]:8790", "citywall: --health: :: is not a "
		 "loopback address (the endpoint has no authentication; put a proxy in front of it "
		 "to share it)\nTry 'citywall --help' for more information.\n"},
		{"--layout layouts/demo.json --health 127.0.0.1:http", "citywall: --health: "
		 "\"127.0.0.1:http\" is not PORT or ADDRESS:PORT\n"
		 "Try 'citywall --help' for more information.\n"},
		{"--layout layouts/demo.json --health 8790 --screenshot x.png", "citywall: --health "
		 "goes with a window, not --screenshot\n"
		 "Try 'citywall --help' for more information.\n"},
		{"--layout layouts/demo.json --every 5", "citywall: --every and --publish-keep go "
		 "with --publish\nTry 'citywall --help' for more information.\n"},
		{"--layout layouts/demo.json --publish out --every 0", "citywall: --every: \"0\" is "
		 "not 1..86400 seconds\nTry 'citywall --help' for more information.\n"},
		{"--layout layouts/demo.json --publish out --publish-keep -1", "citywall: "
		 "--publish-keep: \"-1\" is not a count 0..1000000\n"
		 "Try 'citywall --help' for more information.\n"},
		{"--layout layouts/demo.json --publish out --screenshot x.png", "citywall: --publish "
		 "goes with a window, not --screenshot\n"
		 "Try 'citywall --help' for more information.\n"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_INT(run(cases[i].args, out, sizeof(out)), 2);
		CHECK_STR(out, cases[i].message);
	}
}

static void check_mode(void)
{
	CHECK_INT(run("--check layouts/demo.json tests/layouts/states.json", out, sizeof(out)), 0);
	/* states.json shortens two texts and binds a path its local feed lacks, on purpose:
	 * warnings, not errors. */
	CHECK_STR(out, "tests/layouts/states.json:16: /tiles/4: warning: value of tile \"missing\": "
		       "tests/layouts/../data/states-snapshot.json has no value at air/not_there\n"
		       "tests/layouts/states.json:21: /tiles/8: warning: text of tile \"long\" does "
		       "not fit at 1280x720 and is shortened with \"…\"\n"
		       "tests/layouts/states.json:23: /tiles/9: warning: text of tile \"note\" does "
		       "not fit at 1280x720 and is shortened with \"…\"\n"
		       "citywall: checked 2 files: 0 errors, 3 warnings\n");
	char path[4096];
	snprintf(path, sizeof(path), "%s/broken.json", out_dir());
	FILE *f = fopen(path, "w");
	fputs("{\"tiles\": [\n  {\"widget\": \"kpi\", \"cell\": [0, 0], \"titel\": \"x\"}\n]}\n", f);
	fclose(f);
	char args[8192];
	snprintf(args, sizeof(args), "--check layouts/demo.json '%s'", path);
	CHECK_INT(run(args, out, sizeof(out)), 1);
	char expected[16384];
	snprintf(expected, sizeof(expected),
		 "%s:2: /tiles/0/titel: unknown key \"titel\" (did you mean \"title\"?)\n"
		 "%s:2: /tiles/0: missing required key \"title\"\n"
		 "%s:2: /tiles/0: missing required key \"value\"\n"
		 "citywall: checked 2 files: 3 errors, 0 warnings\n",
		 path, path, path);
	CHECK_STR(out, expected);
	remove(path);
}

/* README's "citywall --check layouts/NAME.json" glob names the schema too: skipped, not an error. */
static void check_skips_schema(void)
{
	CHECK_INT(run("--check layouts/citywall.schema.json layouts/demo.json", out, sizeof(out)),
		  0);
	CHECK_STR(out, "layouts/citywall.schema.json: skipped: a JSON Schema, not a layout\n"
		       "citywall: checked 1 file: 0 errors, 0 warnings\n");
}

/* A station's layout on a 100-inch 1920x1080 screen read from 5 m, with one text of `size`. */
static void write_station(const char *path, int size)
{
	FILE *f = fopen(path, "w");
	fprintf(f, "{\"screen\": {\"width_mm\": 2214, \"height_mm\": 1245, \"distance_m\": 5},\n"
		   " \"canvas\": {\"width\": 1920, \"height\": 1080},\n"
		   " \"grid\": {\"columns\": 4, \"rows\": 4},\n"
		   " \"tiles\": [\n"
		   "  {\"id\": \"name\", \"widget\": \"text\", \"cell\": [0, 0], \"span\": [4, 1], "
		   "\"text\": \"홍대입구역 Hongik Univ.\", \"size\": 64},\n"
		   "  {\"id\": \"exit\", \"widget\": \"text\", \"cell\": [0, 1], \"span\": [4, 1], "
		   "\"text\": \"9번 출구\", \"size\": %d}\n"
		   " ]}\n",
		   size);
	fclose(f);
}

/* 16 arc minutes at 5 m is 23.3 mm; 20 px type has a 14 px cap height, 16.1 mm there. */
static void check_legibility(void)
{
	char path[4096], args[8192], expected[8192];
	snprintf(path, sizeof(path), "%s/station.json", out_dir());
	snprintf(args, sizeof(args), "--check '%s'", path);
	write_station(path, 20);
	CHECK_INT(run(args, out, sizeof(out)), 1);
	snprintf(expected, sizeof(expected),
		 "%s:6: /tiles/1: text \"9번 출구\" of tile \"exit\" is 16.1 mm tall (cap height, "
		 "20 px type); 23.3 mm is the least legible from 5 m (ISO 9241-303: 16 arc "
		 "minutes)\ncitywall: checked 1 file: 1 error, 0 warnings\n",
		 path);
	CHECK_STR(out, expected);
	write_station(path, 36);
	CHECK_INT(run(args, out, sizeof(out)), 0);
	CHECK_STR(out, "citywall: checked 1 file: 0 errors, 0 warnings\n");
	remove(path);
}

/* "pages": {} / [] / 65 pages once aborted --check with a double free; now a plain error. */
static void pages_bad_value_check_exits_1(void)
{
	char many[64 * 16 + 64] = "{\"pages\": [{\"tiles\": []}";
	for (int i = 1; i < 65; i++) {
		strcat(many, ", {\"tiles\": []}");
	}
	strcat(many, "]}\n");
	const struct {
		const char *text, *message;
	} cases[] = {
		{"{\"pages\": {}}\n", "/pages: must be an array of 1 to 64 pages, got an object"},
		{"{\"pages\": []}\n", "/pages: must be an array of 1 to 64 pages, got 0"},
		{many, "/pages: must be an array of 1 to 64 pages, got 65"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[4096], args[8192], expected[8192];
		snprintf(path, sizeof(path), "%s/pages-%zu.json", out_dir(), i);
		FILE *f = fopen(path, "w");
		fputs(cases[i].text, f);
		fclose(f);
		snprintf(args, sizeof(args), "--check '%s'", path);
		CHECK_INT(run(args, out, sizeof(out)), 1);
		snprintf(expected, sizeof(expected),
			 "%s:1: %s\ncitywall: checked 1 file: 1 error, 0 warnings\n", path,
			 cases[i].message);
		CHECK_STR(out, expected);
		remove(path);
	}
}

static void broken_layout_exits_1(void)
{
	CHECK_INT(run("--layout /nonexistent.json --screenshot /dev/null", out, sizeof(out)), 1);
	CHECK_STR(out, "error: cannot open /nonexistent.json: No such file or directory\n");
}

/* The most common colour in the middle half of a device rectangle. */
static uint32_t dominant_color(cairo_surface_t *png, double cx, double cy, double w, double h)
{
	static uint32_t colors[4096];
	static int counts[4096];
	int distinct = 0;
	unsigned char *data = cairo_image_surface_get_data(png);
	int stride = cairo_image_surface_get_stride(png);
	for (int y = (int)(cy - h / 4); y < (int)(cy + h / 4); y++) {
		for (int x = (int)(cx - w / 4); x < (int)(cx + w / 4); x++) {
			uint32_t c = ((uint32_t *)(data + y * stride))[x] & 0xffffff;
			int i = 0;
			while (i < distinct && colors[i] != c) {
				i++;
			}
			if (i == distinct && distinct < 4096) {
				colors[distinct] = c;
				counts[distinct++] = 0;
			}
			if (i < distinct) {
				counts[i]++;
			}
		}
	}
	int best = 0;
	for (int i = 1; i < distinct; i++) {
		best = counts[i] > counts[best] ? i : best;
	}
	return distinct ? colors[best] : 0;
}

static uint32_t rgb24(struct color c)
{
	return ((uint32_t)(c.r * 255 + 0.5) << 16) | ((uint32_t)(c.g * 255 + 0.5) << 8) |
	       (uint32_t)(c.b * 255 + 0.5);
}

static void screenshot_threshold_colours(void)
{
	char png[4096], args[8192];
	snprintf(png, sizeof(png), "%s/cli-states.png", out_dir());
	snprintf(args, sizeof(args),
		 "--layout tests/layouts/states.json --no-cache --size 3840x2160 "
		 "--at 2026-11-25T09:00:00+09:00 "
		 "--screenshot '%s'",
		 png);
	CHECK_INT(run(args, out, sizeof(out)), 0);
	CHECK_STR(out, "");
	cairo_surface_t *image = cairo_image_surface_create_from_png(png);
	CHECK(cairo_surface_status(image) == CAIRO_STATUS_SUCCESS);
	CHECK_INT(cairo_image_surface_get_width(image), 3840);
	CHECK_INT(cairo_image_surface_get_height(image), 2160);

	char layout_path[4096];
	snprintf(layout_path, sizeof(layout_path), "%s/tests/layouts/states.json", src());
	struct diag_list diags;
	diag_list_init(&diags);
	struct layout *layout = layout_load(layout_path, widget_specs(), &diags);
	CHECK(layout != NULL);
	static const struct {
		const char *tile;
		enum state state;
	} expected[] = {
		{"good", STATE_GOOD},       {"moderate", STATE_MODERATE}, {"bad", STATE_BAD},
		{"very-bad", STATE_VERY_BAD}, {"missing", STATE_NODATA},  {"wrong-type", STATE_NODATA},
		{"string-number", STATE_NORMAL},
	};
	double scale = 3840 / layout->width; /* 1280x720 canvas → exactly 3 */
	for (size_t i = 0; layout && i < sizeof(expected) / sizeof(expected[0]); i++) {
		const struct tile *t = layout_find_tile(layout, expected[i].tile);
		CHECK(t != NULL);
		uint32_t got = dominant_color(image, (t->rect.x + t->rect.w / 2) * scale,
					      (t->rect.y + t->rect.h / 2) * scale, t->rect.w * scale,
					      t->rect.h * scale);
		uint32_t want = rgb24(layout->theme.states[expected[i].state].fill);
		if (got != want) {
			printf("# tile %s: %06x, expected %06x\n", expected[i].tile, got, want);
		}
		CHECK_INT(got, want);
	}
	layout_destroy(layout);
	diag_list_finish(&diags);
	cairo_surface_destroy(image);
	remove(png);
}

static void broken_feed_still_draws(void)
{
	char png[4096], feed[4096], args[16384];
	snprintf(png, sizeof(png), "%s/cli-broken-feed.png", out_dir());
	snprintf(feed, sizeof(feed), "%s/cli-broken-feed.json", out_dir());
	FILE *f = fopen(feed, "w");
	fputs("{\"seq\": 3,\n \"air\": {\"good\": 12,,}}\n", f);
	fclose(f);
	snprintf(args, sizeof(args),
		 "--layout tests/layouts/states.json --no-cache --feed '%s' --size 640x360 "
		 "--screenshot '%s'",
		 feed, png);
	CHECK_INT(run(args, out, sizeof(out)), 1);
	char expected[8192];
	snprintf(expected, sizeof(expected),
		 "citywall: error: feed default: %s:2:21: expected a string as object key\n",
		 feed);
	CHECK_STR(out, expected);
	cairo_surface_t *image = cairo_image_surface_create_from_png(png);
	CHECK(cairo_surface_status(image) == CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(image);
	remove(png);
	remove(feed);
}

/* A FIFO or a directory as the feed: refused at once (a FIFO used to block forever). */
static void feed_not_regular_file(void)
{
	char dir[4096], fifo[4200], sub[4200], args[16384], expected[8192];
	snprintf(dir, sizeof(dir), "%s/cli-not-regular", out_dir());
	snprintf(fifo, sizeof(fifo), "%s/x.json", dir);
	snprintf(sub, sizeof(sub), "%s/d.json", dir);
	char cmd[16384];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s' && mkfifo '%s'", dir, sub, fifo);
	CHECK(system(cmd) == 0);
	static const char *const forms[] = {"%s", "file://%s"};
	for (size_t i = 0; i < 3; i++) {
		const char *path = i < 2 ? fifo : sub;
		char feed[4300];
		snprintf(feed, sizeof(feed), forms[i == 1], path);
		snprintf(args, sizeof(args), "--layout tests/layouts/states.json --no-cache "
			 "--feed '%s' --size 320x180 --screenshot /dev/null", feed);
		CHECK_INT(run(args, out, sizeof(out)), 1);
		snprintf(expected, sizeof(expected), "citywall: error: feed default: %s %s\n", path,
			 i < 2 ? "is a FIFO, not a regular file" : "is a directory");
		CHECK_STR(out, expected);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
}

/* Size of the file at `path`, or -1. */
static long file_size(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		return -1;
	}
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fclose(f);
	return size;
}

/*
 * --screenshot replaces its PNG by a rename, never by writing into it: a second name (hard
 * link) of the old file keeps the old content intact, the new file is complete, and no
 * temporary file is left behind. An unwritable folder leaves the old file alone.
 */
static void screenshot_replaces_atomically(void)
{
	char dir[1024], png[1100], link_path[1100], args[4096], command[8192];
	snprintf(dir, sizeof(dir), "%s/cli-atomic", out_dir());
	snprintf(png, sizeof(png), "%s/shot.png", dir);
	snprintf(link_path, sizeof(link_path), "%s/old-name.png", dir);
	snprintf(command, sizeof(command), "rm -rf '%s' && mkdir -p '%s' && printf 'OLD' > '%s' && "
		 "ln '%s' '%s'", dir, dir, png, png, link_path);
	CHECK_INT(system(command), 0);
	snprintf(args, sizeof(args), "--layout tests/layouts/states.json --no-cache --size 640x360 "
		 "--at 2026-11-25T09:00:00+09:00 --screenshot '%s'", png);
	CHECK_INT(run(args, out, sizeof(out)), 0);
	CHECK_INT(file_size(link_path), 3); /* written in place, it would be the new picture */
	cairo_surface_t *image = cairo_image_surface_create_from_png(png);
	CHECK(cairo_surface_status(image) == CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(image);
	snprintf(command, sizeof(command), "test $(ls -A '%s' | wc -l) = 2", dir);
	CHECK_INT(system(command), 0);

	/* A folder that does not exist: an error naming the path, and nothing half-written. */
	snprintf(args, sizeof(args), "--layout tests/layouts/states.json --no-cache --size 640x360 "
		 "--at 2026-11-25T09:00:00+09:00 --screenshot '%s/missing/shot.png'", dir);
	CHECK_INT(run(args, out, sizeof(out)), 1);
	char expected[4096];
	snprintf(expected, sizeof(expected), "citywall: error: cannot write %s/missing/shot.png: "
		 "cannot create a file in %s/missing: No such file or directory\n", dir, dir);
	CHECK_STR(out, expected);
	snprintf(command, sizeof(command), "rm -rf '%s'", dir);
	CHECK_INT(system(command), 0);
}

/* --grid draws the designer's overlay: cell outlines in their own colour over the board. */
static void grid_overlay(void)
{
	char plain[4096], grid[4096], args[9000];
	snprintf(plain, sizeof(plain), "%s/cli-plain.png", out_dir());
	snprintf(grid, sizeof(grid), "%s/cli-grid.png", out_dir());
	const char *common = "--layout tests/layouts/states.json --no-cache --size 1280x720 "
			     "--at 2026-11-25T09:00:00+09:00";
	snprintf(args, sizeof(args), "%s --screenshot '%s'", common, plain);
	CHECK_INT(run(args, out, sizeof(out)), 0);
	snprintf(args, sizeof(args), "%s --grid --screenshot '%s'", common, grid);
	CHECK_INT(run(args, out, sizeof(out)), 0);
	cairo_surface_t *a = cairo_image_surface_create_from_png(plain);
	cairo_surface_t *b = cairo_image_surface_create_from_png(grid);
	unsigned char *pa = cairo_image_surface_get_data(a), *pb = cairo_image_surface_get_data(b);
	int stride = cairo_image_surface_get_stride(a);
	/* Along the top edge of the first tile row the overlay outlines every tile in yellow. */
	long yellow = 0;
	for (int x = 0; x < 1280; x++) {
		uint32_t pg = ((uint32_t *)(pb + 25 * stride))[x];
		uint32_t pp = ((uint32_t *)(pa + 25 * stride))[x];
		yellow += pg != pp && ((pg >> 16) & 0xff) > 150 && ((pg >> 8) & 0xff) > 150 &&
			  (pg & 0xff) < 150;
	}
	CHECK(yellow > 800);
	cairo_surface_destroy(a);
	cairo_surface_destroy(b);
	remove(plain);
	remove(grid);
}

/* A misspelt function, derived value and field: each named with its line and column. */
static void derive_check_misspelt(void)
{
	CHECK_INT(run("--check tests/layouts/derive-golden.json", out, sizeof(out)), 0);
	CHECK_STR(out, "citywall: checked 1 file: 0 errors, 0 warnings\n");
	CHECK_INT(run("--check tests/layouts/broken/derive-misspelt.json "
		      "tests/layouts/broken/derive-misspelt-field.json", out, sizeof(out)), 1);
	CHECK_STR(out, "tests/layouts/broken/derive-misspelt.json:8:50: /derive/late/value: unknown "
		       "function \"medain\" (did you mean \"median\"?)\n"
		       "tests/layouts/broken/derive-misspelt.json:11: /tiles/0/value: no derived value "
		       "\"goldne\" (did you mean \"golden\"?)\n"
		       "tests/layouts/broken/derive-misspelt-field.json:6:52: /derive/golden/where: unknown "
		       "field \"arived\" (did you mean \"arrived\"?)\n"
		       "tests/layouts/broken/derive-misspelt-field.json:9:37: /derive/by_district/value: "
		       "unknown field \"responsibel\" (did you mean \"responsible\"?)\n"
		       "citywall: checked 2 files: 4 errors, 0 warnings\n");
}

/*
 * A bar's "+N more" takes room from its title: here the title fits its tile alone (the second
 * bar, which shows every district) but is shortened beside "+2 more" (the first). The bars
 * read a derived value, which --check once left uncomputed, so the first bar drew "no data",
 * had no count and said nothing (the mayor's wall's "자치구별 119 출동 (최근 24시간)").
 */
static void check_bar_title_cut_beside_more(void)
{
	CHECK_INT(run("--check tests/layouts/check-bar-more.json", out, sizeof(out)), 0);
	CHECK_STR(out, "tests/layouts/check-bar-more.json:14: /tiles/0: warning: text of tile "
		       "\"two-more\" does not fit at 1280x720 and is shortened with \"…\"\n"
		       "citywall: checked 1 file: 0 errors, 1 warning\n");
}

/*
 * --screenshot computes derived values before the frame: 8 of 9 dispatches today arrived
 * within 5 minutes (0.889, "moderate" below the 0.9 step), and the counts are drawn (a
 * tile without its value would show the "no data" fill).
 */
static void derive_screenshot_draws_values(void)
{
	char png[4096], args[8192];
	snprintf(png, sizeof(png), "%s/cli-derive.png", out_dir());
	snprintf(args, sizeof(args),
		 "--layout tests/layouts/derive-golden.json --no-cache --size 1280x720 "
		 "--at 2026-11-25T09:00:00+09:00 --screenshot '%s'", png);
	CHECK_INT(run(args, out, sizeof(out)), 0);
	CHECK_STR(out, "");
	cairo_surface_t *image = cairo_image_surface_create_from_png(png);
	CHECK(cairo_surface_status(image) == CAIRO_STATUS_SUCCESS);
	char layout_path[4096];
	snprintf(layout_path, sizeof(layout_path), "%s/tests/layouts/derive-golden.json", src());
	struct diag_list diags;
	diag_list_init(&diags);
	struct layout *layout = layout_load(layout_path, widget_specs(), &diags);
	CHECK(layout != NULL);
	static const struct {
		const char *tile;
		enum state state;
	} expected[] = {
		{"golden", STATE_MODERATE}, {"neighbour", STATE_NORMAL}, {"p90", STATE_NORMAL},
		{"rejected", STATE_NORMAL},
	};
	for (size_t i = 0; layout && i < sizeof(expected) / sizeof(expected[0]); i++) {
		const struct tile *t = layout_find_tile(layout, expected[i].tile);
		CHECK(t != NULL);
		uint32_t got = dominant_color(image, t->rect.x + t->rect.w / 2,
					      t->rect.y + t->rect.h / 2, t->rect.w, t->rect.h);
		uint32_t want = rgb24(layout->theme.states[expected[i].state].fill);
		if (got != want) {
			printf("# tile %s: %06x, expected %06x\n", expected[i].tile, got, want);
		}
		CHECK_INT(got, want);
	}
	layout_destroy(layout);
	diag_list_finish(&diags);
	cairo_surface_destroy(image);
	remove(png);
}

/* docs/derive.md's worked example is the "derive" section of tests/layouts/derive-golden.json. */
static void derive_docs_example_is_tested(void)
{
	char path[4096], *doc = NULL, *layout = NULL, err[256];
	size_t len;
	snprintf(path, sizeof(path), "%s/docs/derive.md", src());
	CHECK(file_read_all(path, 1 << 20, &doc, &len, err, sizeof(err)));
	snprintf(path, sizeof(path), "%s/tests/layouts/derive-golden.json", src());
	CHECK(file_read_all(path, 1 << 20, &layout, &len, err, sizeof(err)));
	char *start = layout ? strstr(layout, "  \"derive\": {") : NULL;
	char *end = start ? strstr(start, "\n  },\n") : NULL;
	CHECK(start && end);
	if (doc && start && end) {
		end[4] = '\0';
		CHECK(strstr(doc, start) != NULL);
	}
	free(doc);
	free(layout);
}

static const struct check_case cases[] = {
	{"derive_check_misspelt: function, value and field names with positions",
	 derive_check_misspelt},
	{"derive_screenshot_draws_values: derived values are drawn by the first frame",
	 derive_screenshot_draws_values},
	{"derive_docs_example_is_tested", derive_docs_example_is_tested},
	{"check_bar_title_cut_beside_more", check_bar_title_cut_beside_more},
	{"--grid draws the designer's overlay", grid_overlay},
	{"--help and --version", help_and_version},
	{"usage errors exit 2 with a message", usage_errors_exit_2},
	{"--check reports every error and exits 1", check_mode},
	{"check_legibility_station_at_5m", check_legibility},
	{"check_skips_schema_json", check_skips_schema},
	{"pages_bad_value_check_exits_1", pages_bad_value_check_exits_1},
	{"a missing layout exits 1", broken_layout_exits_1},
	{"--screenshot: size and threshold colours at tile centres", screenshot_threshold_colours},
	{"a broken feed is reported and the board still drawn", broken_feed_still_draws},
	{"a FIFO or directory feed is refused at once", feed_not_regular_file},
	{"screenshot_atomic_replace: --screenshot renames a complete file over the old one",
	 screenshot_replaces_atomically},
};

CHECK_MAIN(cases)
