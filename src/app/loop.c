#include "app/loop.h"

#include "display/present.h"
#include "display/window.h"
#include "layout/watch.h"
#include "util/log.h"
#include "util/stats.h"

#include <SDL.h>
#include <cairo.h>
#include <math.h>

struct frame_loop {
	struct wall *wall;          // borrowed
	SDL_Window *window;         // owned
	struct present *present;    // owned
	cairo_surface_t *target;    // owned: wraps the backend's frame buffer
	long frames;                // presented so far
	bool running;
	struct samples draw_ms;     // owned
	struct samples present_ms;  // owned
	struct samples late_ms;     // owned: how long after its deadline a timed frame was shown
	Uint32 feed_event;          // SDL user event the fetcher's thread pushes
	Uint32 reload_event;        // SDL user event the layout watcher pushes
	bool grid;                  // --grid
	struct file_watch *watch;   // owned; NULL: not watching
	const char *status_file;    // borrowed; NULL: none
	double next_status;         // monotonic time of the next status file write
};

/* Runs on the fetcher's thread: SDL_PushEvent is the thread-safe way into the main loop. */
static void wake_main_loop(void *ctx)
{
	const struct frame_loop *loop = ctx;
	SDL_Event ev = {.type = loop->feed_event};
	SDL_PushEvent(&ev);
}

static void layout_saved(void *ctx)
{
	const struct frame_loop *loop = ctx;
	SDL_Event ev = {.type = loop->reload_event};
	SDL_PushEvent(&ev);
}

/* Watches the layout and the files it includes (the list changes with a reload). */
static void watch_layout(struct frame_loop *loop)
{
	file_watch_destroy(loop->watch);
	const struct layout *layout = loop->wall->layout;
	char err[256];
	loop->watch = file_watch_create((const char *const *)layout->files, layout->file_count,
					layout_saved, loop, err, sizeof(err));
	if (!loop->watch) {
		log_warn("live reload is off: %s", err);
	}
}

static void reload(struct frame_loop *loop)
{
	if (wall_reload(loop->wall)) {
		struct frame_buffer fb = present_frame(loop->present);
		board_set_viewport(loop->wall->board, fb.width, fb.height);
		board_set_grid_overlay(loop->wall->board, loop->grid);
		watch_layout(loop);
	}
}

static void write_status(struct frame_loop *loop)
{
	if (!loop->status_file || clock_monotonic() < loop->next_status) {
		return;
	}
	char err[256];
	if (!wall_write_status(loop->wall, loop->status_file, err, sizeof(err))) {
		log_once(LOG_WARN, "status-file", "%s", err);
	}
	loop->next_status = clock_monotonic() + 2.0;
}

static bool attach_frame_buffer(struct frame_loop *loop)
{
	cairo_surface_destroy(loop->target);
	struct frame_buffer fb = present_frame(loop->present);
	loop->target = cairo_image_surface_create_for_data(fb.pixels, CAIRO_FORMAT_RGB24, fb.width,
							   fb.height, fb.stride);
	if (cairo_surface_status(loop->target) != CAIRO_STATUS_SUCCESS) {
		log_error("cannot draw into a %dx%d frame buffer", fb.width, fb.height);
		return false;
	}
	board_set_viewport(loop->wall->board, fb.width, fb.height);
	board_invalidate_all(loop->wall->board);
	return true;
}

static bool resize(struct frame_loop *loop)
{
	char err[256];
	if (!present_resize(loop->present, err, sizeof(err))) {
		log_error("%s", err);
		return false;
	}
	return attach_frame_buffer(loop);
}

static void present_whole(struct frame_loop *loop)
{
	struct frame_buffer fb = present_frame(loop->present);
	struct irect all = {0, 0, fb.width, fb.height};
	char err[256];
	if (!present_rects(loop->present, &all, 1, err, sizeof(err))) {
		log_once(LOG_ERROR, "present", "%s", err);
	}
}

static void handle_event(struct frame_loop *loop, const SDL_Event *ev)
{
	if (ev->type == loop->feed_event) {
		wall_sync(loop->wall);
		return;
	}
	if (ev->type == loop->reload_event) {
		reload(loop);
		return;
	}
	switch (ev->type) {
	case SDL_QUIT:
		loop->running = false;
		break;
	case SDL_KEYDOWN:
		if (ev->key.keysym.sym == SDLK_ESCAPE || ev->key.keysym.sym == SDLK_q) {
			loop->running = false;
		}
		break;
	case SDL_WINDOWEVENT:
		if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
			loop->running = resize(loop);
		} else if (ev->window.event == SDL_WINDOWEVENT_EXPOSED) {
			/* The picture is intact in our buffer; the screen only needs it again. */
			present_whole(loop);
		}
		break;
	default:
		break;
	}
}

static void draw_frame(struct frame_loop *loop, double now)
{
	double t0 = clock_monotonic();
	size_t count;
	const struct irect *damage = board_draw(loop->wall->board, loop->target, now, &count);
	double t1 = clock_monotonic();
	char err[256];
	if (!present_rects(loop->present, damage, (int)count, err, sizeof(err))) {
		log_once(LOG_ERROR, "present", "%s", err);
	}
	double t2 = clock_monotonic();
	samples_add(&loop->draw_ms, (t1 - t0) * 1000);
	samples_add(&loop->present_ms, (t2 - t1) * 1000);
	loop->frames++;
}

/* Sleeps until an event arrives or the board's next deadline; handles what arrived. */
static void wait_for_work(struct frame_loop *loop)
{
	double deadline = board_next_deadline(loop->wall->board);
	double wait = deadline - clock_now(&loop->wall->clock);
	if (loop->wall->clock.fixed && wait > 0) {
		wait = INFINITY; /* a fixed clock never reaches a future deadline */
	}
	if (loop->status_file) {
		wait = fmin(wait, loop->next_status - clock_monotonic());
	}
	SDL_Event ev;
	int got;
	if (isinf(wait)) {
		got = SDL_WaitEvent(&ev);
	} else {
		got = SDL_WaitEventTimeout(&ev, wait <= 0 ? 0 : (int)ceil(wait * 1000));
	}
	while (got && loop->running) {
		handle_event(loop, &ev);
		got = SDL_PollEvent(&ev);
	}
}

static void log_statistics(const struct frame_loop *loop)
{
	log_debug("%ld frames; draw ms p50 %.2f p95 %.2f max %.2f; present ms p50 %.2f p95 %.2f "
		  "max %.2f; timed frames late by ms p50 %.2f p95 %.2f max %.2f (%zu)",
		  loop->frames, samples_percentile(&loop->draw_ms, 50),
		  samples_percentile(&loop->draw_ms, 95), samples_percentile(&loop->draw_ms, 100),
		  samples_percentile(&loop->present_ms, 50),
		  samples_percentile(&loop->present_ms, 95),
		  samples_percentile(&loop->present_ms, 100), samples_percentile(&loop->late_ms, 50),
		  samples_percentile(&loop->late_ms, 95), samples_percentile(&loop->late_ms, 100),
		  loop->late_ms.count);
}

static bool open_display(struct frame_loop *loop, const struct cli_options *options)
{
	char err[256];
	const struct layout *layout = loop->wall->layout;
	struct window_options wo = {
		.title = layout->title ? layout->title : "citywall",
		.width = options->size_set ? options->width : 1280,
		.height = options->size_set ? options->height : 720,
		.fullscreen = options->fullscreen,
		.display_index = options->display,
		.resizable = true,
		.hide_cursor_when_fullscreen = true,
	};
	loop->window = window_create(&wo, options->present, err, sizeof(err));
	if (!loop->window) {
		log_error("%s", err);
		return false;
	}
	loop->present = present_create(loop->window, options->present, options->vsync, err,
				       sizeof(err));
	if (!loop->present) {
		log_error("%s", err);
		return false;
	}
	log_info("presenting through %s", present_describe(loop->present));
	loop->feed_event = SDL_RegisterEvents(2);
	if (loop->feed_event == (Uint32)-1) {
		log_error("no SDL user events left for the feed and the layout watcher");
		return false;
	}
	loop->reload_event = loop->feed_event + 1;
	loop->grid = options->grid;
	board_set_grid_overlay(loop->wall->board, loop->grid);
	if (!options->no_watch) {
		watch_layout(loop);
	}
	return attach_frame_buffer(loop) && wall_start(loop->wall, wake_main_loop, loop);
}

static void close_display(struct frame_loop *loop)
{
	file_watch_destroy(loop->watch);
	loop->watch = NULL;
	cairo_surface_destroy(loop->target);
	present_destroy(loop->present);
	window_destroy(loop->window);
	samples_finish(&loop->draw_ms);
	samples_finish(&loop->present_ms);
	samples_finish(&loop->late_ms);
}

enum exit_code loop_run(struct wall *wall, const struct cli_options *options)
{
	struct frame_loop loop = {.wall = wall, .running = true,
				  .status_file = options->status_file};
	if (!open_display(&loop, options)) {
		wall_stop(wall);
		close_display(&loop);
		return EXIT_RUNTIME;
	}
	while (loop.running) {
		double now = clock_now(&wall->clock);
		double due = board_next_deadline(wall->board);
		board_advance(wall->board, now);
		if (board_is_dirty(wall->board)) {
			draw_frame(&loop, now);
			if (due <= now && !wall->clock.fixed) {
				/* A clock tick shown late is a dropped frame, whatever the draw cost. */
				samples_add(&loop.late_ms, (clock_now(&wall->clock) - due) * 1000);
			}
		}
		if (options->frames && (loop.frames >= options->frames ||
					isinf(board_next_deadline(wall->board)))) {
			/* --frames: stop at N frames, or when nothing more would ever be drawn. */
			break;
		}
		write_status(&loop);
		wait_for_work(&loop);
	}
	log_statistics(&loop);
	/* No feed thread may push events into an SDL that is shutting down. */
	wall_stop(wall);
	close_display(&loop);
	return EXIT_OK;
}
