#ifndef CITYWALL_APP_STATUS_H
#define CITYWALL_APP_STATUS_H

/*
 * The status document: what the status file holds and the health endpoint serves — one
 * function, so the two never disagree. The wall's part (layout, sources) plus the process's:
 *
 *   {"written_at", "layout": {"file", "state", "errors"}, "status_file_error",
 *    "publish": null | {"dir", "every_s", "seq", "written_at", "error"}, "sources": [...],
 *    "version", "pid", "uptime_s",
 *    "frames": {"count", "window", "draw_ms": {"p50", "p99", "max"}, "present_ms", "late_ms"},
 *    "memory": {"width", "height", "frame_bytes", "budget_bytes", "used_bytes", "rss_bytes",
 *               "pss_bytes", "caches": {"text_lines": {"budget_bytes", "used_bytes",
 *               "refused"}, "map_layers", "ticker_strips", "images"}}}
 *
 * tools/soak and operators' scripts read it: keys are added, never renamed.
 */

#include <stdbool.h>
#include <stddef.h>

#include "app/framestats.h"
#include "app/wall.h"

struct status_report {
	char *json;    // owned: the document
	char *summary; // owned: one line of source states, for systemd's STATUS=
};

/* Renders the document on the main thread; `frames` may be NULL (no window: count 0). */
struct status_report status_render(struct wall *wall, const struct frame_stats *frames,
				   double uptime_s);
void status_report_finish(struct status_report *report);

/* Writes the document to `path` atomically (readers never see half of it). */
bool status_write(const char *path, const char *json, char *err, size_t err_size);

#endif
