#ifndef CITYWALL_APP_WALL_H
#define CITYWALL_APP_WALL_H

/*
 * The wall: everything one screen shows, wired together — the layout, the text engine, the
 * board, and the feed's last good snapshot. The window loop and --screenshot both use it, so
 * what a screenshot shows is what the wall shows.
 */

#include <stdbool.h>

#include "app/clock.h"
#include "layout/layout.h"
#include "render/board.h"
#include "render/text.h"
#include "util/diag.h"

struct wall {
	struct layout *layout;        // owned
	struct text_engine *text;     // owned
	struct board *board;          // owned
	struct snapshot *snapshot;    // owned reference: the last good snapshot
	char *feed;                   // owned: where the snapshot comes from; NULL: none
	struct diag_list feed_problems; // owned: shown on the operator overlay
	struct wall_clock clock;
};

/*
 * Loads the layout (errors are printed and make this fail: there is nothing to show), then the
 * feed (errors are logged and shown on the overlay; the board draws "no data"). `feed` may be
 * NULL for the layout's own. Returns false only when the wall cannot be shown at all.
 */
bool wall_open(struct wall *wall, const char *layout_file, const char *feed,
	       struct wall_clock clock);
void wall_close(struct wall *wall);

/* Re-reads the feed; a failure keeps the last good snapshot and reports the problem. */
bool wall_reload_feed(struct wall *wall);

/* Prints diagnostics to stderr, one per line; returns the number of errors. */
size_t wall_print_diags(const struct diag_list *diags);

#endif
