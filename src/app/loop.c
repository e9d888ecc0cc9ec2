#include "app/loop.h"

#include "app/framestats.h"
#include "app/health.h"
#include "app/input_script.h"
#include "app/notify.h"
#include "app/publish.h"
#include "app/screens.h"
#include "app/screenshot.h"
#include "app/signals.h"
#include "app/status.h"
#include "app/touch.h"
#include "display/events.h"
#include "display/present.h"
#include "layout/watch.h"
#include "util/log.h"
#include "util/xmalloc.h"

#include <SDL.h>
#include <cairo.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct frame_loop {
	struct wall *wall;          // borrowed
	struct screens screens;     // owned: the windows, and the frame the board draws into
	bool running;
	struct frame_stats stats;   // frames presented, draw/present/late times
	Uint32 feed_event;          // SDL user event the fetcher's thread pushes
	Uint32 reload_event;        // SDL user event the layout watcher pushes
	Uint32 signal_event;        // SDL user event the signal thread pushes (code: the signal)
	Uint32 emergency_event;     // SDL user event the health endpoint pushes (code: the mode)
	bool grid;                  // --grid
	struct file_watch *watch;   // owned; NULL: not watching
	struct signal_thread *signals; // owned
	struct health *health;      // owned; NULL: no --health
	struct publisher *publisher; // owned; NULL: no --publish
	struct service_notify notify;
	const char *status_file;    // borrowed; NULL: none
	char *screen_file;          // owned: where SIGUSR1 writes the screen
	double started;             // monotonic time the loop was opened (uptime)
	double next_status;         // monotonic time of the next status file write
	double next_report;         // monotonic time the health document is rendered again
	struct touch_input touch;   // taps, presses and keys of the drill-down
	struct input_script *script; // owned; NULL: no --input-script
	struct event_wait *events;  // owned: outlives every thread that rings it
	bool ahead;                 // frames may be drawn ahead of their time (draw_ahead)
	double drawn_at;            // wall-clock time of the last frame drawn: the board's time
	double input_at;            // monotonic time of the last tap or key
	double frame_held_until;    // wall-clock time the server reads the frame buffer at, for a
				    // frame sent ahead that was not copied aside; drawing waits
	double next_release;        // monotonic time of the next release_idle
};

/*
 * How far ahead of the clock frames are drawn and handed to the server (draw_ahead): a
 * crawl's quarter second is 15 frames drawn and sent on one wake-up instead of 15 wake-ups; a
 * new value or page waits at most that long behind them.
 */
#define AHEAD_SECONDS 0.25

/* After a tap or key, frames are drawn when due: the drill-down answers at once. */
#define AHEAD_AFTER_INPUT 10.0

/* Seconds beyond a page's turn or a picture's period that their parts of the frame are kept. */
#define FRAME_KEEP_MARGIN 10.0

/*
 * The longest sleep towards a wall-clock deadline. Deadlines are wall-clock times (every
 * screen of a wall turns its pages and ticks its clocks at the same instants), but a sleep is
 * measured on the monotonic clock: had the wall clock been stepped back an hour, a sleep until
 * the old deadline would be an hour of frozen screen. Waking once a second at most, the loop
 * sees a step within a second and the board derives its deadlines again (board_advance).
 */
#define MAX_DEADLINE_SLEEP 1.0

/* How often the status file and the health document are rendered. */
#define STATUS_FILE_PERIOD 2.0
#define REPORT_PERIOD 1.0

/*
 * From another thread into the main loop: SDL_PushEvent is the thread-safe way in, and the
 * ring wakes the loop's wait (events.h).
 */
static void hand_over(const struct frame_loop *loop, Uint32 type, int code)
{
	SDL_Event ev = {.type = type};
	ev.user.code = code;
	SDL_PushEvent(&ev);
	event_wait_wake(loop->events);
}

/* Runs on the fetcher's thread. */
static void wake_main_loop(void *ctx)
{
	const struct frame_loop *loop = ctx;
	hand_over(loop, loop->feed_event, 0);
}

static void layout_saved(void *ctx)
{
	const struct frame_loop *loop = ctx;
	hand_over(loop, loop->reload_event, 0);
}

/* Runs on the signal thread: nothing but the hand-over to the main loop. */
static void signal_arrived(int signo, void *ctx)
{
	const struct frame_loop *loop = ctx;
	hand_over(loop, loop->signal_event, signo);
}

/* Runs on the health endpoint's thread: POST /emergency?state=… */
static void emergency_asked(int mode, void *ctx)
{
	const struct frame_loop *loop = ctx;
	hand_over(loop, loop->emergency_event, mode);
}

/* Watches the layout and the files it includes, for the whole run. */
static void watch_layout(struct frame_loop *loop)
{
	const struct layout *layout = loop->wall->layout;
	char err[256];
	loop->watch = file_watch_create((const char *const *)layout->files, layout->file_count,
					loop->wall->files_read_at, layout_saved, loop, err,
					sizeof(err));
	if (!loop->watch) {
		log_warn("live reload is off: %s", err);
	}
}

/*
 * How long a part of the frame must go unshown before its memory goes back: longer than what
 * draws it whole again on a schedule (the longest page's turn, the published picture), so
 * that a page turn or a picture does not first fault the frame back in (40 ms at 7680x2160).
 */
static void keep_frame_for_schedule(struct frame_loop *loop)
{
	const struct layout *layout = loop->wall->layout;
	double seconds = 0;
	for (size_t i = 0; i < layout->page_count; i++) {
		seconds = fmax(seconds, layout->pages[i].duration + FRAME_KEEP_MARGIN);
	}
	if (loop->publisher) {
		seconds = fmax(seconds, loop->wall->publish.every + FRAME_KEEP_MARGIN);
	}
	screens_keep_frame_for(&loop->screens, seconds);
}

static void reload(struct frame_loop *loop)
{
	if (!wall_reload(loop->wall)) {
		return;
	}
	cairo_surface_t *frame = screens_frame(&loop->screens);
	board_set_viewport(loop->wall->board, cairo_image_surface_get_width(frame),
			   cairo_image_surface_get_height(frame));
	board_set_grid_overlay(loop->wall->board, loop->grid);
	keep_frame_for_schedule(loop);
	const struct layout *layout = loop->wall->layout;
	char err[256];
	/* The same watcher: events that came during the reload are still pending in it. */
	if (loop->watch && !file_watch_set_files(loop->watch, (const char *const *)layout->files,
						 layout->file_count, loop->wall->files_read_at,
						 err, sizeof(err))) {
		log_warn("%s", err);
	}
}

static void draw_frame(struct frame_loop *loop, double at, double now);

/*
 * The frame made to hold what the screen shows, before it is read or put whole: drawn whole
 * again where parts of it were given back (screens_release_idle), else with what was moved
 * there (board_settle). After the server's last read of it.
 */
static void settle_frame(struct frame_loop *loop)
{
	if (!screens_frame_whole(&loop->screens)) {
		double now = clock_now(&loop->wall->clock);
		board_invalidate_all(loop->wall->board);
		draw_frame(loop, fmax(now, loop->drawn_at), now);
	}
	screens_wait_idle(&loop->screens);
	board_settle(loop->wall->board, screens_frame(&loop->screens));
}

/*
 * SIGUSR1: the frame buffers as they are on screen, not a new drawing: the first window's to
 * the screen file, window N's (N >= 1) beside it with "-N" before the extension.
 */
static void write_screen(struct frame_loop *loop)
{
	settle_frame(loop);
	for (size_t i = 0; i < loop->screens.count; i++) {
		char err[512];
		const char *file = loop->screen_file;
		char *numbered = NULL;
		if (i > 0) {
			size_t len = strlen(file);
			bool png = len > 4 && strcmp(file + len - 4, ".png") == 0;
			numbered = xasprintf("%.*s-%zu%s", (int)(png ? len - 4 : len), file, i,
					     png ? ".png" : "");
			file = numbered;
		}
		cairo_surface_t *target = loop->screens.items[i].target;
		cairo_surface_flush(target);
		if (screenshot_save(target, file, err, sizeof(err))) {
			log_info("SIGUSR1: wrote the screen to %s", file);
		} else {
			log_error("SIGUSR1: %s", err);
		}
		free(numbered);
	}
}

static void handle_signal(struct frame_loop *loop, int signo)
{
	if (signals_stops(signo)) {
		log_info("%s: stopping", signals_name(signo));
		loop->running = false;
	} else if (signo == SIGHUP) {
		log_info("SIGHUP: reloading %s", loop->wall->layout->file);
		reload(loop);
	} else if (signo == SIGUSR1) {
		write_screen(loop);
	} else if (signo == SIGUSR2) {
		log_info("SIGUSR2: emergency mode");
		wall_toggle_emergency(loop->wall);
	}
}

/*
 * Renders the status document when the status file, the health endpoint or systemd's STATUS=
 * is due, and pings the watchdog. Returns the monotonic time it is due again.
 */
static double housekeeping(struct frame_loop *loop)
{
	double now = clock_monotonic();
	bool file_due = loop->status_file && now >= loop->next_status;
	bool report_due = (loop->health || loop->notify.active) && now >= loop->next_report;
	if (file_due || report_due) {
		struct status_report report = status_render(loop->wall, &loop->stats,
							    now - loop->started);
		char err[256];
		if (file_due) {
			bool written = status_write(loop->status_file, report.json, err, sizeof(err));
			if (written) {
				log_once_clear("status-file");
			} else {
				log_once(LOG_WARN, "status-file", "%s", err);
			}
			wall_set_status_problem(loop->wall, written ? NULL : err);
		}
		if (loop->health) {
			health_publish(loop->health, report.json);
		}
		notify_status(&loop->notify, report.summary);
		status_report_finish(&report);
		loop->next_status = file_due ? now + STATUS_FILE_PERIOD : loop->next_status;
		loop->next_report = report_due ? now + REPORT_PERIOD : loop->next_report;
	}
	notify_watchdog(&loop->notify, now);
	double due = isinf(loop->notify.watchdog_interval) ? INFINITY : loop->notify.next_watchdog;
	if (loop->status_file) {
		due = fmin(due, loop->next_status);
	}
	if (loop->health || loop->notify.active) {
		due = fmin(due, loop->next_report);
	}
	return due;
}

/* Wraps screen `index`'s buffer; the next frame is drawn whole, on every screen. */
static bool attach_frame_buffer(struct frame_loop *loop, size_t index)
{
	char err[256];
	if (!screens_attach(&loop->screens, index, err, sizeof(err))) {
		log_error("%s", err);
		return false;
	}
	cairo_surface_t *frame = screens_frame(&loop->screens);
	board_set_viewport(loop->wall->board, cairo_image_surface_get_width(frame),
			   cairo_image_surface_get_height(frame));
	board_invalidate_all(loop->wall->board);
	return true;
}

static bool resize(struct frame_loop *loop, Uint32 window_id)
{
	long index = screens_find(&loop->screens, window_id);
	if (index < 0) {
		return true;
	}
	char err[256];
	if (!present_resize(loop->screens.items[index].present, err, sizeof(err))) {
		log_error("%s", err);
		return false;
	}
	return attach_frame_buffer(loop, (size_t)index);
}

static void present_whole(struct frame_loop *loop, Uint32 window_id)
{
	long index = screens_find(&loop->screens, window_id);
	char err[256];
	settle_frame(loop);
	if (index >= 0 && !screens_present_whole(&loop->screens, (size_t)index, err, sizeof(err))) {
		log_once(LOG_ERROR, "present", "%s", err);
	}
}

/*
 * Input for the drill-down, in the frame buffer's pixels (a HiDPI window has more of them): the
 * first window's (with several windows, taps are read as on the first).
 */
static bool handle_input(struct frame_loop *loop, const SDL_Event *ev)
{
	struct frame_buffer fb = present_frame(loop->screens.items[0].present);
	int w, h;
	SDL_GetWindowSize(loop->screens.items[0].window, &w, &h);
	double sx = w > 0 ? (double)fb.width / w : 1, sy = h > 0 ? (double)fb.height / h : 1;
	return touch_handle(&loop->touch, loop->wall, ev, sx, sy, fb.width, fb.height,
			    clock_monotonic());
}

static void handle_event(struct frame_loop *loop, const SDL_Event *ev)
{
	if (ev->type == SDL_MOUSEBUTTONDOWN || ev->type == SDL_FINGERDOWN ||
	    ev->type == SDL_KEYDOWN) {
		loop->input_at = clock_monotonic();
	}
	if (handle_input(loop, ev)) {
		return;
	}
	if (ev->type == loop->feed_event) {
		wall_sync(loop->wall);
		return;
	}
	if (ev->type == loop->reload_event) {
		reload(loop);
		return;
	}
	if (ev->type == loop->signal_event) {
		handle_signal(loop, ev->user.code);
		return;
	}
	if (ev->type == loop->emergency_event) {
		wall_set_emergency(loop->wall, (enum emergency_mode)ev->user.code);
		return;
	}
	switch (ev->type) {
	case SDL_QUIT:
		loop->running = false;
		break;
	case SDL_KEYDOWN:
		/* Escape reaches here only when no detail panel is open (it closes one). */
		if (ev->key.keysym.sym == SDLK_ESCAPE || ev->key.keysym.sym == SDLK_q) {
			loop->running = false;
		}
		break;
	case SDL_WINDOWEVENT:
		if (ev->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
			loop->running = resize(loop, ev->window.windowID);
		} else if (ev->window.event == SDL_WINDOWEVENT_EXPOSED) {
			/* The picture is intact in our buffer; the screen only needs it again. */
			present_whole(loop, ev->window.windowID);
		}
		break;
	default:
		break;
	}
}

/*
 * A move the screen could not make (something covered the band): everything shown again, or
 * drawn again where parts of the frame were given back.
 */
static void show_lost(struct frame_loop *loop)
{
	if (!screens_frame_whole(&loop->screens)) {
		board_invalidate_all(loop->wall->board);
		return;
	}
	board_settle(loop->wall->board, screens_frame(&loop->screens));
	for (size_t i = 0; i < loop->screens.count; i++) {
		char err[256];
		if (!screens_present_whole(&loop->screens, i, err, sizeof(err))) {
			log_once(LOG_ERROR, "present", "%s", err);
		}
	}
	screens_wait_idle(&loop->screens);
}

/*
 * Draws the board at wall-clock time `at` and shows it: now, or, when `at` is later than
 * `now`, at its time (the server holds it until then).
 */
static void draw_frame(struct frame_loop *loop, double at, double now)
{
	double t0 = clock_monotonic();
	screens_wait_idle(&loop->screens); // the server has read the last frame
	if (at <= now && screens_take_lost(&loop->screens)) {
		show_lost(loop);
	}
	struct board *board = loop->wall->board;
	board_set_screen_moves(board, screens_can_move(&loop->screens));
	size_t count, moves;
	const struct irect *damage = board_draw(board, screens_frame(&loop->screens), at, &count);
	const struct screen_move *move = board_frame_moves(board, &moves);
	loop->drawn_at = at;
	double t1 = clock_monotonic();
	double show_at = at > now ? t0 + (at - now) : 0;
	char err[256];
	/* Every window in this iteration: the parts of one canvas change together. */
	if (!screens_present(&loop->screens, show_at, damage, count, move, moves, err,
			     sizeof(err))) {
		log_once(LOG_ERROR, "present", "%s", err);
		if (moves > 0) {
			show_lost(loop);
		}
	}
	if (show_at > 0 && !screens_frame_free(&loop->screens)) {
		loop->frame_held_until = at;
	}
	double t2 = clock_monotonic();
	frame_window_add(&loop->stats.draw_ms, (t1 - t0) * 1000);
	frame_window_add(&loop->stats.present_ms, (t2 - t1) * 1000);
	loop->stats.frames++;
	loop->stats.put_bytes += frame_rect_bytes(damage, count);
	for (size_t i = 0; i < moves; i++) {
		loop->stats.moved_bytes += frame_rect_bytes(&move[i].from, 1);
	}
}

/* Whether frames may be drawn ahead now: a running wall on one window nobody is touching. */
static bool ahead_allowed(struct frame_loop *loop)
{
	return loop->ahead && !loop->wall->clock.fixed && !loop->script &&
	       isinf(touch_deadline(&loop->touch, loop->wall)) &&
	       clock_monotonic() - loop->input_at > AHEAD_AFTER_INPUT &&
	       screens_can_hold(&loop->screens);
}

/*
 * The frames due in the next AHEAD_SECONDS, drawn now and each shown at its time: the crawl
 * moves every frame while the wall wakes a few times a second. Stops at a frame the server
 * must read from the frame buffer itself (too much to copy aside), and at anything that is not
 * due by then (the loop wakes for it).
 */
static void draw_ahead(struct frame_loop *loop, double now)
{
	if (!ahead_allowed(loop)) {
		return;
	}
	struct board *board = loop->wall->board;
	while (screens_frame_free(&loop->screens)) {
		double at = wall_next_deadline(loop->wall);
		if (!(at > loop->drawn_at && at <= now + AHEAD_SECONDS)) {
			break;
		}
		board_advance(board, at);
		if (!board_is_dirty(board)) {
			break;
		}
		draw_frame(loop, at, now);
	}
	screens_flush(&loop->screens); // the frames go to the server in one write
}

/* Once a second: the memory of the frame's parts not shown for a while goes back. */
static void release_idle(struct frame_loop *loop)
{
	double now = clock_monotonic();
	if (now < loop->next_release) {
		return;
	}
	loop->next_release = now + 1.0;
	size_t bytes = screens_release_idle(&loop->screens);
	if (bytes > 0) {
		log_debug("gave back %zu KiB of the frame not shown for a while", bytes / 1024);
	}
}

/*
 * Sleeps until an event arrives, the board's next deadline or the next housekeeping (status,
 * health document, watchdog ping: a loop that hangs stops pinging and systemd restarts it);
 * handles what arrived. Returns the board's deadline it slept towards: the next frame is late
 * by how far it is drawn after it.
 */
static double wait_for_work(struct frame_loop *loop, double housekeeping_due)
{
	double deadline = fmax(wall_next_deadline(loop->wall), loop->frame_held_until);
	double wait = deadline - clock_now(&loop->wall->clock);
	if (loop->wall->clock.fixed && wait > 0) {
		wait = INFINITY; /* a fixed clock never reaches a future deadline */
	} else if (!isinf(deadline)) {
		wait = fmin(wait, MAX_DEADLINE_SLEEP);
	}
	wait = fmin(wait, housekeeping_due - clock_monotonic());
	SDL_Event ev;
	bool got = event_wait_next(loop->events, wait, &ev);
	while (got && loop->running) {
		handle_event(loop, &ev);
		got = event_wait_poll(loop->events, &ev);
	}
	return deadline;
}

/* --input-script: the events due now into SDL's queue; when the next one is due. */
static double run_script(struct frame_loop *loop)
{
	if (!loop->script) {
		return INFINITY;
	}
	struct frame_buffer fb = present_frame(loop->screens.items[0].present);
	return input_script_run(loop->script, clock_monotonic(), fb.width, fb.height);
}

static void start_publishing(struct frame_loop *loop, const struct cli_options *options)
{
	if (!options->publish_dir) {
		return;
	}
	struct publish_options po = {
		.dir = options->publish_dir,
		.every = (double)options->publish_every,
		.keep = options->publish_keep,
		.wake = wake_main_loop,
		.wake_ctx = loop,
	};
	char err[256];
	loop->publisher = publish_create(&po, err, sizeof(err));
	if (!loop->publisher) {
		log_error("%s", err); // the wall matters more than its picture for citizens
		return;
	}
	loop->wall->publish.dir = options->publish_dir;
	loop->wall->publish.every = po.every;
	log_info("publishing the board to %s every %ld s", po.dir, options->publish_every);
}

/*
 * --publish: a picture when one is due, from the frame as it is on screen (nothing dirty),
 * and the writer's last outcome onto the operator strip and the status document. Returns the
 * monotonic time the next picture is due.
 */
static double publish_step(struct frame_loop *loop)
{
	if (!loop->publisher) {
		return INFINITY;
	}
	if (!board_is_dirty(loop->wall->board) &&
	    clock_monotonic() >= publish_due(loop->publisher, loop->wall)) {
		settle_frame(loop);
		publish_maybe(loop->publisher, loop->wall, screens_frame(&loop->screens),
			      clock_monotonic());
	}
	char problem[512];
	double at;
	long long seq = publish_state(loop->publisher, &at, problem, sizeof(problem));
	wall_set_publish_state(loop->wall, seq, at, problem[0] ? problem : NULL);
	return publish_due(loop->publisher, loop->wall);
}

static void log_statistics(const struct frame_loop *loop)
{
	struct frame_summary d = frame_window_summary(&loop->stats.draw_ms);
	struct frame_summary p = frame_window_summary(&loop->stats.present_ms);
	struct frame_summary l = frame_window_summary(&loop->stats.late_ms);
	log_debug("%ld frames (percentiles of the last %zu); draw ms p50 %.2f p99 %.2f max %.2f; "
		  "present ms p50 %.2f p99 %.2f max %.2f; timed frames late by ms p50 %.2f "
		  "p99 %.2f max %.2f (%zu)",
		  loop->stats.frames, d.count, d.p50, d.p99, d.max, p.p50, p.p99, p.max, l.p50,
		  l.p99, l.max, l.count);
}

/* --screen-file, else $XDG_RUNTIME_DIR/citywall-screen.png, else one per user in /tmp. */
static char *screen_file_path(const struct cli_options *options)
{
	if (options->screen_file) {
		return xstrdup(options->screen_file);
	}
	const char *runtime = getenv("XDG_RUNTIME_DIR");
	if (runtime && runtime[0] == '/') {
		return xasprintf("%s/citywall-screen.png", runtime);
	}
	return xasprintf("/tmp/citywall-screen-%u.png", (unsigned)getuid());
}

static void start_health(struct frame_loop *loop, const struct cli_options *options)
{
	if (!options->health_set) {
		return;
	}
	char err[256];
	loop->health = health_start(&options->health_address, err, sizeof(err));
	if (!loop->health) {
		/* The wall matters more than its health check: it runs on, and says so. */
		log_error("health endpoint off: %s", err);
		return;
	}
	health_on_emergency(loop->health, emergency_asked, loop);
	log_info("health endpoint on port %d: GET /health", health_port(loop->health));
}

static bool open_display(struct frame_loop *loop, const struct cli_options *options)
{
	char err[256];
	const struct layout *layout = loop->wall->layout;
	/* Signals are ours (app/signals.h): SDL's own handlers would turn only TERM/INT into quit. */
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	if (!screens_open(&loop->screens, options, layout->title ? layout->title : "citywall", err,
			  sizeof(err))) {
		log_error("%s", err);
		return false;
	}
	loop->events = event_wait_create(loop->screens.items[0].window);
	log_debug("waiting for events through %s", event_wait_describe(loop->events));
	loop->feed_event = SDL_RegisterEvents(4);
	if (loop->feed_event == (Uint32)-1) {
		log_error("no SDL user events left for the feed, the layout watcher, signals and "
			  "the health endpoint");
		return false;
	}
	loop->reload_event = loop->feed_event + 1;
	loop->signal_event = loop->feed_event + 2;
	loop->emergency_event = loop->feed_event + 3;
	loop->signals = signals_start(signal_arrived, loop, err, sizeof(err));
	if (!loop->signals) {
		log_error("%s", err);
		return false;
	}
	loop->grid = options->grid;
	board_set_grid_overlay(loop->wall->board, loop->grid);
	if (!options->no_watch) {
		watch_layout(loop);
	}
	start_health(loop, options);
	start_publishing(loop, options);
	if (options->input_script) {
		loop->script = input_script_load(options->input_script, err, sizeof(err));
		if (!loop->script) {
			log_error("%s", err);
			return false;
		}
	}
	for (size_t i = 0; i < loop->screens.count; i++) {
		if (!attach_frame_buffer(loop, i)) {
			return false;
		}
	}
	keep_frame_for_schedule(loop);
	return wall_start(loop->wall, wake_main_loop, loop);
}

static void close_display(struct frame_loop *loop)
{
	/* The threads that push SDL events go before SDL does. */
	signals_stop(loop->signals);
	file_watch_destroy(loop->watch);
	loop->watch = NULL;
	health_stop(loop->health);
	input_script_destroy(loop->script);
	publish_destroy(loop->publisher); // the picture queued last is written first
	screens_close(&loop->screens);
	event_wait_destroy(loop->events);
	loop->events = NULL;
	notify_finish(&loop->notify);
	free(loop->screen_file);
}

enum exit_code loop_run(struct wall *wall, const struct cli_options *options)
{
	struct frame_loop *loop = xcalloc(1, sizeof(*loop)); /* the statistics are 48 kB */
	loop->wall = wall;
	loop->running = true;
	loop->status_file = options->status_file;
	loop->screen_file = screen_file_path(options);
	loop->started = clock_monotonic();
	loop->ahead = options->frames == 0;
	loop->input_at = -INFINITY;
	touch_init(&loop->touch);
	notify_init(&loop->notify);
	if (!open_display(loop, options)) {
		wall_stop(wall);
		close_display(loop);
		free(loop);
		return EXIT_RUNTIME;
	}
	/* The deadline the loop sleeps towards, found once a frame (it walks every tile). */
	double due = wall_next_deadline(wall);
	while (loop->running) {
		double now = clock_now(&wall->clock);
		if (wall->hold_until <= now) {
			wall_sync(wall); // a held snapshot's display_at has come: it goes on this frame
			due = fmin(due, wall_next_deadline(wall));
		}
		touch_tick(&loop->touch, wall, clock_monotonic());
		/*
		 * Frames sent ahead show the board at drawn_at: its time never goes back, unless
		 * the wall clock was stepped back (then the server is not asked to wait for it).
		 */
		if (loop->drawn_at > now + AHEAD_SECONDS) {
			loop->drawn_at = now;
			loop->frame_held_until = 0;
		}
		double at = fmax(now, loop->drawn_at);
		board_advance(wall->board, at);
		/* A frame sent ahead is read from the frame buffer at its time: drawing waits. */
		if (board_is_dirty(wall->board) && now >= loop->frame_held_until) {
			draw_frame(loop, at, now);
			if (due <= now && !wall->clock.fixed) {
				/* A clock tick shown late is a dropped frame, whatever the draw cost. */
				frame_window_add(&loop->stats.late_ms,
						 (clock_now(&wall->clock) - due) * 1000);
			}
			/* Ready means a picture on screen, not a process that has started. */
			notify_ready(&loop->notify);
			if (loop->script) {
				input_script_start(loop->script, clock_monotonic());
			}
		}
		draw_ahead(loop, now);
		release_idle(loop);
		double publish_due = publish_step(loop);
		if (options->frames && (loop->stats.frames >= options->frames ||
					isinf(board_next_deadline(wall->board)))) {
			/* --frames: stop at N frames, or when nothing more would ever be drawn. */
			break;
		}
		double input_due = fmin(touch_deadline(&loop->touch, wall), run_script(loop));
		due = wait_for_work(loop, fmin(fmin(housekeeping(loop), publish_due), input_due));
	}
	notify_stopping(&loop->notify);
	log_statistics(loop);
	/* No feed thread may push events into an SDL that is shutting down. */
	wall_stop(wall);
	close_display(loop);
	free(loop);
	return EXIT_OK;
}
