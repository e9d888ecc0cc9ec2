#include "app/wall.h"

#include "feed/feed_file.h"
#include "util/log.h"
#include "util/xmalloc.h"
#include "widgets/widget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t wall_print_diags(const struct diag_list *diags)
{
	for (size_t i = 0; i < diags->count; i++) {
		char *line = diag_format(&diags->items[i]);
		fprintf(stderr, "%s\n", line);
		free(line);
	}
	return diag_count(diags, DIAG_ERROR);
}

static void show_feed_problems(struct wall *wall)
{
	size_t n = wall->feed_problems.count;
	char **lines = xcalloc(n ? n : 1, sizeof(*lines));
	for (size_t i = 0; i < n; i++) {
		lines[i] = diag_format(&wall->feed_problems.items[i]);
	}
	board_set_messages(wall->board, (const char *const *)lines, n);
	for (size_t i = 0; i < n; i++) {
		free(lines[i]);
	}
	free(lines);
}

bool wall_reload_feed(struct wall *wall)
{
	diag_list_finish(&wall->feed_problems);
	if (!wall->feed) {
		show_feed_problems(wall);
		return true;
	}
	struct snapshot *snap = feed_file_load(wall->feed, "default", clock_now(&wall->clock),
					       &wall->feed_problems);
	bool ok = snap != NULL;
	if (ok) {
		log_once_clear("feed");
		snapshot_unref(wall->snapshot);
		wall->snapshot = snap;
		board_set_snapshot(wall->board, LAYOUT_DEFAULT_SOURCE, snap, snapshot_data_time(snap));
	} else {
		/* Logged once per distinct failure; the last good snapshot stays on the board. */
		char *first = diag_format(&wall->feed_problems.items[0]);
		log_once(LOG_ERROR, "feed", "feed: %s", first);
		free(first);
	}
	show_feed_problems(wall);
	return ok;
}

bool wall_open(struct wall *wall, const char *layout_file, const char *feed,
	       struct wall_clock clock)
{
	*wall = (struct wall){.clock = clock};
	diag_list_init(&wall->feed_problems);
	struct diag_list diags;
	diag_list_init(&diags);
	wall->layout = layout_load(layout_file, widget_specs(), &diags);
	wall_print_diags(&diags);
	diag_list_finish(&diags);
	if (!wall->layout) {
		return false;
	}
	char err[256];
	wall->text = text_engine_create(NULL, 0, err, sizeof(err));
	if (!wall->text) {
		log_error("%s", err);
		wall_close(wall);
		return false;
	}
	wall->board = board_create(wall->layout, wall->text);
	const char *location = feed ? feed : wall->layout->sources[LAYOUT_DEFAULT_SOURCE].url;
	wall->feed = location ? xstrdup(location) : NULL;
	wall_reload_feed(wall);
	return true;
}

void wall_close(struct wall *wall)
{
	board_destroy(wall->board);
	snapshot_unref(wall->snapshot);
	text_engine_destroy(wall->text);
	layout_destroy(wall->layout);
	diag_list_finish(&wall->feed_problems);
	free(wall->feed);
	*wall = (struct wall){0};
}
