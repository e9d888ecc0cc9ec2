#ifndef CITYWALL_APP_PUBLISH_H
#define CITYWALL_APP_PUBLISH_H

/*
 * The citizens' view (--publish DIR --every N): while the wall runs, the board on screen is
 * written to DIR every N seconds (and right after the first frame with data) as
 *
 *   board-<seq>-<time>.png  one picture per publication, the newest --publish-keep kept
 *   latest.png              the same picture
 *   latest.json             seq, times, every source's data time and the tiles' text
 *   index.html              the citizens' page (tools/citizens/index.html, built in)
 *
 * each replaced atomically (temporary file, fsync, rename), so a web server never serves half
 * of one. The render loop only copies the frame and draws the corner label (seq and data
 * time) on the copy; encoding and writing happen on the publisher's own thread. A failure (DIR
 * missing, disk full) is logged once, reported by publish_problem(), and retried at the next
 * period: it never stops the wall.
 */

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "app/wall.h"

struct publish_options {
	const char *dir; // borrowed
	double every;    // seconds between pictures
	long keep;       // board-*.png files kept; 0: only latest.png
	/* Called on the writer's thread after each write (the loop then shows its outcome). */
	void (*wake)(void *ctx);
	void *wake_ctx;
};

#define PUBLISH_DEFAULT_EVERY 60
#define PUBLISH_DEFAULT_KEEP 60

struct publisher;

/*
 * Starts the writer thread. The sequence goes on from the highest seq found in DIR (its
 * latest.json and board-*.png), so a restarted wall never reuses a number the page has seen.
 * Returns NULL with a message when the thread cannot start.
 */
struct publisher *publish_create(const struct publish_options *options, char *err,
				 size_t err_size);
/* Writes the picture still queued, stops the thread; NULL is a no-op. */
void publish_destroy(struct publisher *publisher);

/* The monotonic time the next picture is due; INFINITY before the first data. */
double publish_due(const struct publisher *publisher, const struct wall *wall);

/*
 * When a picture is due (monotonic `mono_now`) and the board shows data, copies `frame` (the
 * frame buffer, complete and current: call between frames with nothing dirty), draws the
 * corner label on the copy and hands it with latest.json to the writer. Returns true when a
 * picture was queued.
 */
bool publish_maybe(struct publisher *publisher, struct wall *wall, cairo_surface_t *frame,
		   double mono_now);

/*
 * What the writer last reported: the seq of the last picture written (0: none yet) and its
 * wall-clock time, and the last failure (into `problem`, "" when the last write succeeded).
 */
long long publish_state(struct publisher *publisher, double *written_at, char *problem,
			size_t problem_size);

/* ---- publish_doc.c: what is written ---- */

/*
 * latest.json for the board of `wall` at wall-clock `now`, published as `seq` in `image`
 * (NULL: no board-*.png is kept). The caller frees the result.
 */
char *publish_document(struct wall *wall, long long seq, double now, const char *image,
		       int width, int height);

/*
 * The label in the picture's corner: "#42 · 2026-12-06 13:15:02 · 데이터 13:14 기준". The data
 * time is the oldest of the sources' (the picture is as old as its oldest number).
 */
void publish_label_text(struct wall *wall, long long seq, double now, char *buf, size_t size);
/* Draws `label` in the top right corner of `image`, small and on a dark plate. */
void publish_draw_label(struct wall *wall, cairo_surface_t *image, const char *label);

/* `t` in the layout's zone as 20261206T131502+0900 (for file names); UTC when unknown. */
void publish_compact_time(double t, const char *zone, char *buf, size_t size);

/* The citizens' page, built in from tools/citizens/index.html (citizens_page.c). */
extern const unsigned char publish_page_html[];
extern const size_t publish_page_html_len;

#endif
