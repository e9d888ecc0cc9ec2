#include "app/cli.h"
#include "compose/parallel.h"

#include "util/timefmt.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_LAYOUT = 'l',
	OPT_FEED = 'f',
	OPT_HELP = 'h',
	OPT_VERSION = 'V',
	OPT_VERBOSE = 'v',
	OPT_FULLSCREEN = 256,
	OPT_DISPLAY,
	OPT_SIZE,
	OPT_SCREENSHOT,
	OPT_AT,
	OPT_CHECK,
	OPT_PRESENT,
	OPT_NO_VSYNC,
	OPT_FRAMES,
	OPT_CACHE_DIR,
	OPT_NO_CACHE,
	OPT_STATUS_FILE,
	OPT_DUMP_DERIVED,
	OPT_NO_WATCH,
	OPT_WATCH,
	OPT_GRID,
	OPT_SCHEMA,
	OPT_SCREEN_FILE,
	OPT_HEALTH,
	OPT_PUBLISH,
	OPT_EVERY,
	OPT_PUBLISH_KEEP,
	OPT_RENDER_THREADS,
	OPT_INPUT_SCRIPT,
	OPT_CANVAS,
	OPT_VIEWPORT,
	OPT_BEZEL,
};

static const struct option long_options[] = {
	{"layout", required_argument, NULL, OPT_LAYOUT},
	{"feed", required_argument, NULL, OPT_FEED},
	{"fullscreen", no_argument, NULL, OPT_FULLSCREEN},
	{"display", required_argument, NULL, OPT_DISPLAY},
	{"size", required_argument, NULL, OPT_SIZE},
	{"screenshot", required_argument, NULL, OPT_SCREENSHOT},
	{"at", required_argument, NULL, OPT_AT},
	{"check", no_argument, NULL, OPT_CHECK},
	{"present", required_argument, NULL, OPT_PRESENT},
	{"no-vsync", no_argument, NULL, OPT_NO_VSYNC},
	{"frames", required_argument, NULL, OPT_FRAMES},
	{"cache-dir", required_argument, NULL, OPT_CACHE_DIR},
	{"no-cache", no_argument, NULL, OPT_NO_CACHE},
	{"status-file", required_argument, NULL, OPT_STATUS_FILE},
	{"dump-derived", required_argument, NULL, OPT_DUMP_DERIVED},
	{"no-watch", no_argument, NULL, OPT_NO_WATCH},
	{"watch", no_argument, NULL, OPT_WATCH},
	{"grid", no_argument, NULL, OPT_GRID},
	{"schema", no_argument, NULL, OPT_SCHEMA},
	{"screen-file", required_argument, NULL, OPT_SCREEN_FILE},
	{"health", required_argument, NULL, OPT_HEALTH},
	{"publish", required_argument, NULL, OPT_PUBLISH},
	{"every", required_argument, NULL, OPT_EVERY},
	{"publish-keep", required_argument, NULL, OPT_PUBLISH_KEEP},
	{"render-threads", required_argument, NULL, OPT_RENDER_THREADS},
	{"input-script", required_argument, NULL, OPT_INPUT_SCRIPT},
	{"canvas", required_argument, NULL, OPT_CANVAS},
	{"viewport", required_argument, NULL, OPT_VIEWPORT},
	{"bezel", required_argument, NULL, OPT_BEZEL},
	{"verbose", no_argument, NULL, OPT_VERBOSE},
	{"help", no_argument, NULL, OPT_HELP},
	{"version", no_argument, NULL, OPT_VERSION},
	{0},
};

const char *cli_usage(void)
{
	return "Usage: citywall --layout FILE [--feed [NAME=]URL] [options]\n"
	       "       citywall --layout FILE --screenshot OUT.png [--size WxH] [--at TIME]\n"
	       "       citywall --check FILE...\n"
	       "\n"
	       "Draws a city operations board from a layout file and a snapshot feed.\n"
	       "\n"
	       "  -l, --layout FILE      layout to show (JSON; see docs/layouts.md)\n"
	       "  -f, --feed [NAME=]URL  where a source's snapshots come from (http://, https://,\n"
	       "                         file:// or a path); without NAME the layout's \"feed\";\n"
	       "                         may be repeated\n"
	       "      --cache-dir DIR    keep each source's last good document here\n"
	       "                         (default $XDG_CACHE_HOME/citywall or ~/.cache/citywall)\n"
	       "      --no-cache         keep no last good documents on disk\n"
	       "      --status-file PATH rewrite PATH every 2 s with the sources' states, frame\n"
	       "                         times and memory (each cache's budget and use, PSS) (JSON)\n"
	       "      --health ADDR:PORT answer GET /health with that JSON and frame statistics\n"
	       "                         (loopback only; a PORT alone means 127.0.0.1:PORT);\n"
	       "                         POST /emergency?state=on|off|auto switches emergency mode\n"
	       "      --screen-file PATH where SIGUSR1 writes what is on screen (PNG; default\n"
	       "                         $XDG_RUNTIME_DIR/citywall-screen.png)\n"
	       "      --input-script FILE  push the touch, mouse and key events of FILE into the\n"
	       "                         window (tests; docs/interaction.md)\n"
	       "      --publish DIR      write the board to DIR for the citizens' page: latest.png,\n"
	       "                         latest.json, board-SEQ-TIME.png and index.html\n"
	       "      --every N          with --publish: a picture every N seconds (default 60)\n"
	       "      --publish-keep K   with --publish: keep the newest K board-*.png (default 60)\n"
	       "      --fullscreen       cover the whole display (for the wall)\n"
	       "      --display N[,N...] open on display N (0-based); a list opens one window\n"
	       "                         on each, every one showing its --viewport\n"
	       "      --size WxH         window size (default 1280x720, resizable), or the\n"
	       "                         screenshot's size (default 1920x1080)\n"
	       "      --canvas WxH       the whole picture of a wall of several screens or machines\n"
	       "      --viewport X,Y,W,H[:X,Y,W,H...]  draw only this part of the --canvas\n"
	       "                         (canvas pixels; --size defaults to WxH); one per display\n"
	       "      --bezel PX         panels' frames hide PX canvas pixels: X and Y of a\n"
	       "                         viewport count panels, each one PX further along\n"
	       "      --present KIND     auto, renderer (GPU, vsync) or surface (no GPU);\n"
	       "                         default auto: renderer when a GPU is present\n"
	       "      --no-vsync         do not wait for vertical blank (renderer only)\n"
	       "      --screenshot PNG   draw one frame headlessly into PNG and exit\n"
	       "      --at TIME          fix the clock, e.g. 2026-11-25T09:00:00+09:00\n"
	       "      --frames N         exit after presenting N frames (for tests)\n"
	       "      --watch            with --screenshot: draw again on every save of the layout\n"
	       "      --dump-derived FILE  with --screenshot: write the derived values drawn as JSON\n"
	       "      --no-watch         do not reload the layout when it is saved\n"
	       "      --grid             show the grid, area names and tile ids (for designers)\n"
	       "      --render-threads N threads drawing a full redraw, 1..4 (1: serial);\n"
	       "                         default auto: the online CPUs, at most 4\n"
	       "      --check            validate the layout files given as arguments and exit;\n"
	       "                         warns about text that does not fit its tile\n"
	       "      --schema           print the layout files' JSON Schema and exit\n"
	       "  -v, --verbose          log more (frame statistics at exit)\n"
	       "  -h, --help             show this help and exit\n"
	       "  -V, --version          show the version and exit\n"
	       "\n"
	       "Keys: q or Escape quits.\n"
	       "Signals: TERM, INT, QUIT stop; HUP reloads the layout; USR1 writes the screen file;\n"
	       "USR2 forces the emergency page on, or cancels it when shown.\n"
	       "Exit status: 0 success, 1 layout, feed or runtime error, 2 usage error.\n";
}

static bool parse_size(const char *text, int *w, int *h)
{
	char *end;
	long a = strtol(text, &end, 10);
	if (end == text || (*end != 'x' && *end != 'X')) {
		return false;
	}
	const char *rest = end + 1;
	long b = strtol(rest, &end, 10);
	if (end == rest || *end != '\0' || a < 16 || b < 16 || a > 32768 || b > 32768) {
		return false;
	}
	*w = (int)a;
	*h = (int)b;
	return true;
}

static bool parse_long(const char *text, long min, long max, long *out)
{
	char *end;
	long v = strtol(text, &end, 10);
	if (end == text || *end != '\0' || v < min || v > max) {
		return false;
	}
	*out = v;
	return true;
}

static enum exit_code usage_error(char *err, size_t err_size, const char *fmt, const char *arg)
{
	snprintf(err, err_size, fmt, arg);
	return EXIT_USAGE;
}

static enum exit_code apply(int opt, const char *arg, struct cli_options *out, char *err,
			    size_t err_size)
{
	long n;
	switch (opt) {
	case OPT_LAYOUT:
		out->layout = arg;
		return EXIT_OK;
	case OPT_FEED:
		if (out->feed_count == sizeof(out->feeds) / sizeof(out->feeds[0])) {
			return usage_error(err, err_size, "%s", "--feed: at most 16 times");
		}
		out->feeds[out->feed_count++] = arg;
		return EXIT_OK;
	case OPT_CACHE_DIR:
		out->cache_dir = arg;
		return EXIT_OK;
	case OPT_NO_CACHE:
		out->no_cache = true;
		return EXIT_OK;
	case OPT_STATUS_FILE:
		out->status_file = arg;
		return EXIT_OK;
	case OPT_DUMP_DERIVED:
		out->dump_derived = arg;
		return EXIT_OK;
	case OPT_SCREEN_FILE:
		out->screen_file = arg;
		return EXIT_OK;
	case OPT_INPUT_SCRIPT:
		out->input_script = arg;
		return EXIT_OK;
	case OPT_HEALTH:
		out->health_set = true;
		return health_parse_address(arg, &out->health_address, err, err_size) ? EXIT_OK
										       : EXIT_USAGE;
	case OPT_PUBLISH:
		out->publish_dir = arg;
		return EXIT_OK;
	case OPT_EVERY:
		out->publish_every_set = true;
		return parse_long(arg, 1, 86400, &out->publish_every)
			       ? EXIT_OK
			       : usage_error(err, err_size, "--every: \"%s\" is not 1..86400 seconds",
					     arg);
	case OPT_PUBLISH_KEEP:
		out->publish_keep_set = true;
		return parse_long(arg, 0, 1000000, &out->publish_keep)
			       ? EXIT_OK
			       : usage_error(err, err_size,
					     "--publish-keep: \"%s\" is not a count 0..1000000", arg);
	case OPT_NO_WATCH:
		out->no_watch = true;
		return EXIT_OK;
	case OPT_WATCH:
		out->watch = true;
		return EXIT_OK;
	case OPT_GRID:
		out->grid = true;
		return EXIT_OK;
	case OPT_RENDER_THREADS:
		if (strcmp(arg, "auto") == 0) {
			out->render_threads = 0;
			return EXIT_OK;
		}
		if (!parse_long(arg, 1, RENDER_THREADS_MAX, &n)) {
			return usage_error(err, err_size,
					   "--render-threads: \"%s\" is not auto or 1..4", arg);
		}
		out->render_threads = (int)n;
		return EXIT_OK;
	case OPT_SCHEMA:
		out->mode = CLI_SCHEMA;
		return EXIT_OK;
	case OPT_FULLSCREEN:
		out->fullscreen = true;
		return EXIT_OK;
	case OPT_DISPLAY:
		if (!viewport_parse_displays(arg, &out->canvas, err, err_size)) {
			return EXIT_USAGE;
		}
		out->display = out->canvas.displays[0];
		return EXIT_OK;
	case OPT_CANVAS:
		out->canvas.set = parse_size(arg, &out->canvas.width, &out->canvas.height);
		return out->canvas.set ? EXIT_OK
				       : usage_error(err, err_size,
						     "--canvas: \"%s\" is not WIDTHxHEIGHT (16..32768)",
						     arg);
	case OPT_VIEWPORT:
		return viewport_parse_list(arg, &out->canvas, err, err_size) ? EXIT_OK : EXIT_USAGE;
	case OPT_BEZEL:
		if (!parse_long(arg, 0, 10000, &n)) {
			return usage_error(err, err_size, "--bezel: \"%s\" is not 0..10000 pixels",
					   arg);
		}
		out->canvas.bezel = (int)n;
		return EXIT_OK;
	case OPT_SIZE:
		out->size_set = parse_size(arg, &out->width, &out->height);
		return out->size_set ? EXIT_OK
				     : usage_error(err, err_size,
						   "--size: \"%s\" is not WIDTHxHEIGHT (16..32768)",
						   arg);
	case OPT_SCREENSHOT:
		out->screenshot = arg;
		out->mode = CLI_SCREENSHOT;
		return EXIT_OK;
	case OPT_AT:
		out->at_set = time_parse_iso8601(arg, 0, &out->at);
		return out->at_set ? EXIT_OK
				   : usage_error(err, err_size,
						 "--at: \"%s\" is not a time such as "
						 "2026-11-25T09:00:00+09:00",
						 arg);
	case OPT_CHECK:
		out->mode = CLI_CHECK;
		return EXIT_OK;
	case OPT_PRESENT:
		return present_kind_parse(arg, &out->present)
			       ? EXIT_OK
			       : usage_error(err, err_size,
					     "--present: \"%s\" is not auto, renderer or surface", arg);
	case OPT_NO_VSYNC:
		out->vsync = false;
		return EXIT_OK;
	case OPT_FRAMES:
		if (!parse_long(arg, 1, 1000000000, &out->frames)) {
			return usage_error(err, err_size, "--frames: \"%s\" is not a positive number",
					   arg);
		}
		return EXIT_OK;
	case OPT_VERBOSE:
		out->verbose = true;
		return EXIT_OK;
	case OPT_HELP:
		out->mode = CLI_HELP;
		return EXIT_OK;
	case OPT_VERSION:
		out->mode = CLI_VERSION;
		return EXIT_OK;
	default:
		return usage_error(err, err_size, "%s", "unknown option");
	}
}

static enum exit_code check_combination(struct cli_options *out, int rest, char *err,
					size_t err_size)
{
	if (out->mode == CLI_HELP || out->mode == CLI_VERSION || out->mode == CLI_SCHEMA) {
		return EXIT_OK;
	}
	if (!viewport_check(&out->canvas, err, err_size)) {
		return EXIT_USAGE;
	}
	if (out->mode == CLI_SCREENSHOT && out->canvas.part_count > 1) {
		return usage_error(err, err_size, "%s", "--screenshot draws one --viewport at a time");
	}
	if (out->canvas.part_count && !out->size_set) {
		out->width = out->canvas.parts[0].w; // a part is drawn at its own size
		out->height = out->canvas.parts[0].h;
		out->size_set = true;
	}
	if (out->dump_derived && out->mode != CLI_SCREENSHOT) {
		return usage_error(err, err_size, "%s", "--dump-derived goes with --screenshot");
	}
	if (out->watch && out->mode != CLI_SCREENSHOT) {
		return usage_error(err, err_size, "%s",
				   "--watch goes with --screenshot (a window reloads by itself)");
	}
	if ((out->publish_every_set || out->publish_keep_set) && !out->publish_dir) {
		return usage_error(err, err_size, "%s", "--every and --publish-keep go with --publish");
	}
	if (out->publish_dir && out->mode == CLI_SCREENSHOT) {
		return usage_error(err, err_size, "%s",
				   "--publish goes with a window, not --screenshot");
	}
	if (out->health_set && out->mode == CLI_SCREENSHOT) {
		return usage_error(err, err_size, "%s", "--health goes with a window, not --screenshot");
	}
	if (out->mode == CLI_CHECK) {
		if (out->check_count == 0 && !out->layout) {
			return usage_error(err, err_size, "%s", "--check needs at least one file");
		}
		return EXIT_OK;
	}
	if (rest > 0) {
		return usage_error(err, err_size, "unexpected argument \"%s\"", out->check_files[0]);
	}
	if (!out->layout) {
		return usage_error(err, err_size, "%s", "--layout FILE is required");
	}
	return EXIT_OK;
}

enum exit_code cli_parse(int argc, char **argv, struct cli_options *out, char *err,
			 size_t err_size)
{
	*out = (struct cli_options){.display = -1, .present = PRESENT_AUTO, .vsync = true,
				    .width = 1920, .height = 1080, .publish_every = 60,
				    .publish_keep = 60};
	opterr = 0;
	optind = 1;
	int opt;
	while ((opt = getopt_long(argc, argv, ":l:f:hVv", long_options, NULL)) != -1) {
		if (opt == '?') {
			const char *bad = argv[optind - 1];
			if (optopt) {
				snprintf(err, err_size, "unknown option '-%c'", optopt);
			} else {
				snprintf(err, err_size, "unknown option '%s'", bad);
			}
			return EXIT_USAGE;
		}
		if (opt == ':') {
			snprintf(err, err_size, "option '%s' needs a value", argv[optind - 1]);
			return EXIT_USAGE;
		}
		enum exit_code rc = apply(opt, optarg, out, err, err_size);
		if (rc != EXIT_OK) {
			return rc;
		}
	}
	out->check_files = (const char *const *)argv + optind;
	out->check_count = (size_t)(argc - optind);
	return check_combination(out, argc - optind, err, err_size);
}
