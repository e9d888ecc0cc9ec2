/*
 * citywall: a city operations board on a video wall.
 * main() only dispatches; the work is in the libraries under src/.
 */

#include "app/cli.h"
#include "app/fitcheck.h"
#include "app/loop.h"
#include "app/screenshot.h"
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
		struct diag_list diags;
		diag_list_init(&diags);
		struct layout *layout = layout_load(list[i], widget_specs(), &diags);
		if (layout && text) {
			fitcheck_layout(layout, text, &diags);
		}
		errors += wall_print_diags(&diags);
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

static enum exit_code take_screenshot(struct wall *wall, const struct cli_options *options)
{
	char err[512];
	board_set_grid_overlay(wall->board, options->grid);
	size_t failing = wall_sync(wall);
	if (options->status_file && !wall_write_status(wall, options->status_file, err,
						       sizeof(err))) {
		log_error("%s", err);
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

static void stop_watching(int signal_number)
{
	if (write(watch_pipe[1], "q", 1) < 0) {
		/* Nothing more to do in a signal handler. */
	}
}

/* --screenshot --watch: draws the PNG again whenever the layout (or an include) is saved. */
static enum exit_code screenshot_watch(struct wall *wall, const struct cli_options *options)
{
	if (pipe(watch_pipe) != 0) {
		log_error("cannot watch: %s", strerror(errno));
		return EXIT_RUNTIME;
	}
	signal(SIGINT, stop_watching);
	signal(SIGTERM, stop_watching);
	enum exit_code rc = EXIT_OK;
	for (;;) {
		char err[256];
		struct file_watch *watch = file_watch_create(
			(const char *const *)wall->layout->files, wall->layout->file_count,
			poke_watch_pipe, NULL, err, sizeof(err));
		if (!watch) {
			log_error("%s", err);
			rc = EXIT_RUNTIME;
			break;
		}
		char c = 0;
		while (read(watch_pipe[0], &c, 1) < 0 && errno == EINTR) {
		}
		file_watch_destroy(watch);
		if (c != 's') {
			break;
		}
		wall_reload(wall);
		wall_fetch_once(wall);
		take_screenshot(wall, options);
		log_info("wrote %s", options->screenshot);
	}
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
	};
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

int main(int argc, char **argv)
{
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
