/*
 * citywall: a city operations board on a video wall.
 * main() only dispatches; the work is in the libraries under src/.
 */

#include "app/cli.h"
#include "app/derived.h"
#include "app/fitcheck.h"
#include "app/loop.h"
#include "app/screenshot.h"
#include "app/signals.h"
#include "app/status.h"
#include "app/wall.h"
#include "layout/schema.h"
#include "layout/watch.h"
#include "util/log.h"
#include "widgets/widget.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <cJSON.h>
#include <cairo.h>
#include <curl/curl.h>
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void print_version(void)
{
	SDL_version sdl;
	SDL_GetVersion(&sdl);
	const SDL_version *ttf = TTF_Linked_Version();
	printf("citywall %s\n", CITYWALL_VERSION);
	printf("SDL %d.%d.%d, SDL_ttf %d.%d.%d, cairo %s, %s, cJSON %s\n", sdl.major, sdl.minor,
	       sdl.patch, ttf->major, ttf->minor, ttf->patch, cairo_version_string(),
	       curl_version(), cJSON_Version());
}

static enum exit_code check_layouts(const struct cli_options *options)
{
	size_t errors = 0, warnings = 0, files = 0;
	char err[256];
	struct text_engine *text = text_engine_create(NULL, 0, err, sizeof(err));
	if (!text) {
		log_warn("text will not be checked: %s", err);
	}
	const char *const *list = options->check_files;
	size_t count = options->check_count;
	const char *const single[] = {options->layout};
	if (count == 0) {
		list = single;
		count = 1;
	}
	for (size_t i = 0; i < count; i++) {
		size_t n = strlen(list[i]), ext = strlen(".schema.json");
		if (n >= ext && strcmp(list[i] + n - ext, ".schema.json") == 0) {
			// "--check layouts/*.json" names the JSON Schema beside the layouts too.
			fprintf(stderr, "%s: skipped: a JSON Schema, not a layout\n", list[i]);
			continue;
		}
		struct diag_list diags;
		diag_list_init(&diags);
		unsigned long logged = log_error_count();
		struct layout *layout = layout_load(list[i], widget_specs(), &diags);
		if (layout) {
			derived_check_fields(layout, &diags);
		}
		if (layout && text) {
			fitcheck_layout(layout, text, &diags);
		}
		errors += wall_print_diags(&diags);
		errors += log_error_count() - logged; // printed as they happened
		warnings += diag_count(&diags, DIAG_WARNING);
		if (!layout && diag_count(&diags, DIAG_ERROR) == 0) {
			errors++;
		}
		layout_destroy(layout);
		diag_list_finish(&diags);
		files++;
	}
	text_engine_destroy(text);
	fprintf(stderr, "citywall: checked %zu file%s: %zu error%s, %zu warning%s\n", files,
		files == 1 ? "" : "s", errors, errors == 1 ? "" : "s", warnings,
		warnings == 1 ? "" : "s");
	return errors ? EXIT_RUNTIME : EXIT_OK;
}

/* --dump-derived: the derived values as the frame about to be drawn has them. */
static bool dump_derived(struct wall *wall, const char *path)
{
	char err[512];
	const struct layout *layout = wall->layout;
	struct snapshot *snap = NULL;
	if (layout->derived_source >= 0) {
		struct source_status st;
		snap = fetcher_snapshot(wall->fetcher, (size_t)layout->derived_source, &st);
	}
	bool ok = derived_dump(snap, path, err, sizeof(err));
	snapshot_unref(snap);
	if (!ok) {
		log_error("--dump-derived: %s", err);
	}
	return ok;
}

static enum exit_code take_screenshot(struct wall *wall, const struct cli_options *options)
{
	char err[512];
	board_set_grid_overlay(wall->board, options->grid);
	size_t failing = wall_sync(wall);
	if (options->status_file) {
		struct status_report report = status_render(wall, NULL, 0);
		if (!status_write(options->status_file, report.json, err, sizeof(err))) {
			log_error("%s", err);
		}
		status_report_finish(&report);
	}
	if (options->dump_derived && !dump_derived(wall, options->dump_derived)) {
		return EXIT_RUNTIME;
	}
	if (!screenshot_write(wall, options->width, options->height, options->screenshot, err,
			      sizeof(err))) {
		log_error("%s", err);
		return EXIT_RUNTIME;
	}
	/* The picture is written either way; a feed problem still fails the command for scripts. */
	return failing ? EXIT_RUNTIME : EXIT_OK;
}

static enum exit_code print_schema(void)
{
	char *schema = layout_schema_json(widget_specs());
	if (!schema) {
		return EXIT_RUNTIME;
	}
	fputs(schema, stdout);
	free(schema);
	return EXIT_OK;
}

static int watch_pipe[2] = {-1, -1};

static void poke_watch_pipe(void *ctx)
{
	if (write(watch_pipe[1], "s", 1) < 0) {
		/* A full pipe already holds a wake-up. */
	}
}

/* On the signal thread: a stop ends the watch, SIGHUP draws again as a save does. */
static void watch_signal(int signo, void *ctx)
{
	const char *what = signals_stops(signo) ? "q" : signo == SIGHUP ? "s" : NULL;
	if (!what) {
		log_info("%s: nothing on screen to write (--screenshot --watch writes %s)",
			 signals_name(signo), (const char *)ctx);
		return;
	}
	log_info("%s: %s", signals_name(signo), what[0] == 'q' ? "stopping" : "drawing again");
	if (write(watch_pipe[1], what, 1) < 0) {
		/* A full pipe already holds a wake-up. */
	}
}

/*
 * --screenshot --watch: draws the PNG again whenever the layout (or an include) is saved. One
 * watcher for the whole run, its files updated after each reload, so a save that comes while
 * the last one is drawn is not lost.
 */
static enum exit_code screenshot_watch(struct wall *wall, const struct cli_options *options)
{
	char err[256];
	if (pipe(watch_pipe) != 0) {
		log_error("cannot watch: %s", strerror(errno));
		return EXIT_RUNTIME;
	}
	struct signal_thread *signals = signals_start(watch_signal, (void *)options->screenshot,
						      err, sizeof(err));
	struct file_watch *watch = file_watch_create(
		(const char *const *)wall->layout->files, wall->layout->file_count,
		wall->files_read_at, poke_watch_pipe, NULL, err, sizeof(err));
	enum exit_code rc = EXIT_OK;
	if (!watch || !signals) {
		log_error("%s", err);
		rc = EXIT_RUNTIME;
	}
	char c = 0;
	while (rc == EXIT_OK) {
		while (read(watch_pipe[0], &c, 1) < 0 && errno == EINTR) {
		}
		if (c != 's') {
			break;
		}
		if (wall_reload(wall) &&
		    !file_watch_set_files(watch, (const char *const *)wall->layout->files,
					  wall->layout->file_count, wall->files_read_at, err,
					  sizeof(err))) {
			log_warn("%s", err);
		}
		wall_fetch_once(wall);
		take_screenshot(wall, options);
		log_info("wrote %s", options->screenshot);
	}
	file_watch_destroy(watch);
	signals_stop(signals);
	close(watch_pipe[0]);
	close(watch_pipe[1]);
	return rc;
}

static enum exit_code run(const struct cli_options *options)
{
	struct wall wall;
	char *default_cache = options->cache_dir || options->no_cache ? NULL
								       : wall_default_cache_dir();
	struct wall_options wo = {
		.layout_file = options->layout,
		.feeds = options->feeds,
		.feed_count = options->feed_count,
		.cache_dir = options->no_cache ? NULL
			     : options->cache_dir ? options->cache_dir : default_cache,
		.clock = {.fixed = options->at_set, .at = options->at},
		.render_threads = options->render_threads,
		.canvas_w = options->canvas.set ? options->canvas.width : 0,
		.canvas_h = options->canvas.set ? options->canvas.height : 0,
		.canvas_part = viewport_bounds(&options->canvas),
	};
	if (options->mode != CLI_SCREENSHOT || options->watch) {
		/* Before any thread starts (fetcher, SDL, watcher): they inherit the mask. */
		signals_block();
	}
	bool opened = wall_open(&wall, &wo);
	free(default_cache);
	if (!opened) {
		return EXIT_RUNTIME;
	}
	enum exit_code rc;
	if (options->mode == CLI_SCREENSHOT) {
		wall_fetch_once(&wall);
		rc = take_screenshot(&wall, options);
		if (options->watch) {
			rc = screenshot_watch(&wall, options);
		}
	} else {
		rc = loop_run(&wall, options);
	}
	wall_close(&wall);
	return rc;
}

/*
 * The allocator's policy, for a process that runs for months (docs/performance.md, Memory):
 * glibc raises its mmap threshold each time a large block is freed, so after one 50 MiB fault
 * body every later body, snapshot and surface of that size lands in a heap that keeps its
 * pages, and each thread's arena keeps its own. A fixed threshold sends large blocks straight
 * back to the kernel when freed, and two arenas bound what the worker threads can hold.
 */
static void memory_policy(void)
{
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	mallopt(M_ARENA_MAX, 2);
}

int main(int argc, char **argv)
{
	memory_policy();
	struct cli_options options;
	char err[512];
	if (cli_parse(argc, argv, &options, err, sizeof(err)) != EXIT_OK) {
		fprintf(stderr, "citywall: %s\nTry 'citywall --help' for more information.\n", err);
		return EXIT_USAGE;
	}
	if (options.verbose) {
		log_set_level(LOG_DEBUG);
	}
	enum exit_code rc;
	switch (options.mode) {
	case CLI_HELP:
		fputs(cli_usage(), stdout);
		rc = EXIT_OK;
		break;
	case CLI_VERSION:
		print_version();
		rc = EXIT_OK;
		break;
	case CLI_CHECK:
		rc = check_layouts(&options);
		break;
	case CLI_SCHEMA:
		rc = print_schema();
		break;
	default:
		rc = run(&options);
		break;
	}
	log_finish();
	return rc;
}
