#ifndef CITYWALL_APP_WALL_H
#define CITYWALL_APP_WALL_H

/*
 * The wall: everything one screen shows, wired together — the layout, the text engine, the
 * board, and the fetcher that keeps each source's last good snapshot. The window loop and
 * --screenshot both use it, so what a screenshot shows is what the wall shows.
 */

#include <stdbool.h>

#include "app/clock.h"
#include "app/emergency.h"
#include "feed/fetcher.h"
#include "layout/layout.h"
#include "compose/board.h"
#include "render/text.h"

struct wall_options {
	const char *layout_file;        // borrowed
	const char *const *feeds;       // borrowed: "URL" (the default source) or "NAME=URL"
	size_t feed_count;
	const char *cache_dir;          // borrowed; NULL: no last-good cache
	struct wall_clock clock;
	int render_threads;             // threads drawing full redraws; 0: auto (compose/parallel.h)
	int canvas_w, canvas_h;         // --canvas: the whole picture; 0: the frame is all of it
	struct irect canvas_part;       // --viewport: the part this wall draws (canvas pixels)
};

/* --publish: what the status document and the operator strip say about the citizens' view. */
struct wall_publish {
	const char *dir;                // borrowed; NULL: not publishing
	double every;                   // seconds between pictures
	long long seq;                  // the last picture written; 0: none yet
	double written_at;              // wall clock of that picture; NAN: none yet
	char *problem;                  // owned: why the last write failed; NULL: it did not
};

struct wall {
	struct layout *layout;          // owned
	struct text_engine *text;       // owned
	struct board *board;            // owned
	struct render_pool *pool;       // owned: the board's drawing threads, kept across reloads
	struct fetcher *fetcher;        // owned
	struct wall_clock clock;
	/* Set before fetching starts; called on the fetcher's thread. */
	void (*wake)(void *ctx);
	void *wake_ctx;
	struct wall_options options;    // borrowed strings: what to reload with
	char *cache_dir;                // owned copy of options.cache_dir
	bool fetching;                  // the fetcher's worker runs
	char **layout_errors;           // owned: why the last reload failed (on the overlay)
	size_t layout_error_count;
	double files_read_at;           // file_watch_clock() before the shown layout was read
	char *status_problem;           // owned: why the status file is not written; NULL: it is
	double history_saved_at;        // wall clock of the last hand-over of histories to save
	unsigned long *history_saved;   // owned: per layout source, the revision handed over last
	/* Wall clock of the earliest display_at of a snapshot held back; INFINITY: none. The
	 * loop wakes for it and calls wall_sync, which puts the snapshot on the board. */
	double hold_until;
	double *shown_at;               // owned: per source, when its shown snapshot went on; NAN
	size_t shown_count;
	struct wall_publish publish;
	struct wall_emergency emergency; // the operators' say on emergency mode, across reloads
};

/* The loop's next deadline: the board's, or a held snapshot's display_at if earlier. */
double wall_next_deadline(const struct wall *wall);

/* Histories are handed to the fetch worker to save at most this often (and at a clean exit). */
#define WALL_HISTORY_SAVE_INTERVAL 30.0

/*
 * Loads the layout (errors are printed and make this fail: there is nothing to show), applies
 * feed overrides, and creates the board and the fetcher (which reads the cache, so the last
 * known picture is there before any fetch). Returns false only when the wall cannot be shown.
 */
bool wall_open(struct wall *wall, const struct wall_options *options);
/*
 * Shows (text) or clears (NULL) a problem of the status file on the operator strip: monitoring
 * that reads a file which silently stopped changing would see a healthy wall.
 */
void wall_set_status_problem(struct wall *wall, const char *text);
/*
 * Records what the publisher last reported (--publish): the seq and time of the last picture
 * written, and a failure (text; NULL clears it), which the operator strip shows.
 */
void wall_set_publish_state(struct wall *wall, long long seq, double written_at,
			    const char *problem);
void wall_close(struct wall *wall);

/* Starts background fetching; `wake` is called (on another thread) when data arrives. */
bool wall_start(struct wall *wall, void (*wake)(void *ctx), void *ctx);
/*
 * Reads the layout files again. On success the new layout replaces the old one (the board is
 * new: set its viewport; the fetcher is kept when the sources did not change); on failure the
 * old layout stays on screen and the errors are logged and shown on the overlay until a save
 * fixes them. Returns true when the board was replaced.
 */
bool wall_reload(struct wall *wall);

/* Stops background fetching for good (joins the worker; no more wake calls). */
void wall_stop(struct wall *wall);
/* Fetches every source once on this thread (for --screenshot). */
void wall_fetch_once(struct wall *wall);

/*
 * Moves new snapshots and source states to the board and the status strip. Call on the main
 * thread between frames. Returns the number of sources failing.
 */
size_t wall_sync(struct wall *wall);

/*
 * The wall's part of the status document: "written_at", "layout" {"file", "state", "errors"}
 * and "sources" (each source's state). The caller owns the result (app/status.c adds the
 * process's fields).
 */
struct cJSON *wall_status_json(struct wall *wall);

/* Prints diagnostics to stderr, one per line; returns the number of errors. */
size_t wall_print_diags(const struct diag_list *diags);

/* The default cache folder: $XDG_CACHE_HOME/citywall or ~/.cache/citywall (caller frees). */
char *wall_default_cache_dir(void);

#endif
