#ifndef CITYWALL_APP_CLI_H
#define CITYWALL_APP_CLI_H

/* The command line: parsed into plain values, checked, and nothing else. */

#include <stdbool.h>
#include <stddef.h>

#include "app/health.h"
#include "app/viewport.h"
#include "display/present.h"

enum exit_code {
	EXIT_OK = 0,
	EXIT_RUNTIME = 1, // a layout, feed or runtime error
	EXIT_USAGE = 2,   // bad command line
};

enum cli_mode { CLI_RUN, CLI_SCREENSHOT, CLI_CHECK, CLI_HELP, CLI_VERSION, CLI_SCHEMA };

/* A window's size without --size (--help says so): it fits a laptop and is resizable. */
enum { CLI_WINDOW_WIDTH = 1280, CLI_WINDOW_HEIGHT = 720 };

struct cli_options {
	enum cli_mode mode;
	const char *layout;      // borrowed from argv
	const char *feeds[16];   // borrowed: --feed URL or NAME=URL, in order
	size_t feed_count;
	const char *cache_dir;   // borrowed; NULL: the default folder
	bool no_cache;
	const char *status_file; // borrowed; NULL: none
	const char *dump_derived; // borrowed: --screenshot writes the derived values here; NULL: no
	const char *screen_file; // borrowed; NULL: the default (SIGUSR1 writes the screen there)
	const char *input_script; // borrowed: --input-script; NULL: none
	bool health_set;         // --health: serve GET /health at health_address
	struct health_address health_address;
	bool no_watch;           // do not reload the layout when it is saved
	bool watch;              // --screenshot --watch: rewrite the PNG on every save
	bool grid;               // draw the designer's grid overlay
	int render_threads;      // --render-threads; 0: auto
	const char *screenshot;  // borrowed: output PNG
	bool fullscreen;
	int display;             // -1: the default display; the first of --display's list
	struct canvas_spec canvas; // --canvas, --viewport, --bezel, --display's list
	bool size_set;
	int width, height;
	enum present_kind present;
	bool vsync;
	bool at_set;
	double at;               // fixed clock (epoch s)
	long frames;             // 0: run until closed
	const char *publish_dir; // borrowed; NULL: no --publish
	long publish_every;      // seconds between published pictures
	long publish_keep;       // board-*.png files kept
	bool publish_every_set, publish_keep_set;
	bool verbose;
	const char *const *check_files; // borrowed from argv
	size_t check_count;
};

/*
 * Parses argv. Returns EXIT_OK with `out` filled, or EXIT_USAGE with a message in err (the
 * caller prints it with a hint to --help).
 */
enum exit_code cli_parse(int argc, char **argv, struct cli_options *out, char *err,
			 size_t err_size);

/* The --help text. */
const char *cli_usage(void);

#endif
