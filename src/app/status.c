#include "app/status.h"

#include "util/fileio.h"
#include "util/xmalloc.h"

#include <cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void add_ms(cJSON *obj, const char *key, double ms)
{
	if (isnan(ms)) {
		cJSON_AddNullToObject(obj, key);
	} else {
		/* Microseconds are the resolution that means anything here. */
		cJSON_AddNumberToObject(obj, key, round(ms * 1000) / 1000);
	}
}

static void add_window(cJSON *frames, const char *key, const struct frame_window *w)
{
	struct frame_summary s = w ? frame_window_summary(w) : (struct frame_summary){NAN, NAN,
										     NAN, 0};
	cJSON *obj = cJSON_AddObjectToObject(frames, key);
	add_ms(obj, "p50", s.p50);
	add_ms(obj, "p99", s.p99);
	add_ms(obj, "max", s.max);
}

static cJSON *frames_json(const struct frame_stats *stats)
{
	cJSON *frames = cJSON_CreateObject();
	cJSON_AddNumberToObject(frames, "count", stats ? (double)stats->frames : 0);
	/* The percentiles are over the last `window` frames, the count over the whole run. */
	cJSON_AddNumberToObject(frames, "window", FRAMESTATS_WINDOW);
	add_window(frames, "draw_ms", stats ? &stats->draw_ms : NULL);
	add_window(frames, "present_ms", stats ? &stats->present_ms : NULL);
	add_window(frames, "late_ms", stats ? &stats->late_ms : NULL);
	/* What reached the screen: sent (the damage), and moved there by the server. */
	cJSON_AddNumberToObject(frames, "put_bytes", stats ? (double)stats->put_bytes : 0);
	cJSON_AddNumberToObject(frames, "moved_bytes", stats ? (double)stats->moved_bytes : 0);
	return frames;
}

/*
 * How often Rss and Pss are read again. The kernel walks every mapped page for them (about
 * 3 ms at 7680x2160: 3% of a steady wall's CPU when read with each status file, still 4% of
 * its kernel time at 1080p every 10 s), and they move by the minute.
 */
#define ROLLUP_PERIOD 60.0

/* The last reading: status_render runs on the main thread only. */
static struct {
	double at; // monotonic; 0: never read
	double rss, pss;
	bool ok;
} rollup;

/* Rss and Pss of this process in bytes from /proc/self/smaps_rollup; false when unreadable. */
static bool read_rollup(double *rss, double *pss)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	if (!f) {
		return false;
	}
	char line[256];
	int found = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long kb;
		if (sscanf(line, "Rss: %lu kB", &kb) == 1) {
			*rss = (double)kb * 1024;
			found++;
		} else if (sscanf(line, "Pss: %lu kB", &kb) == 1) {
			*pss = (double)kb * 1024;
			found++;
		}
	}
	fclose(f);
	return found == 2;
}

/*
 * Each cache's budget and use (render/budget.h), the frame, and what the process holds: the
 * budgets follow the output size, so a wall whose PSS keeps growing past them leaks.
 */
static cJSON *memory_json(const struct board *board)
{
	const struct budget *budget = board_budget(board);
	cJSON *memory = cJSON_CreateObject();
	cJSON_AddNumberToObject(memory, "width", budget->width);
	cJSON_AddNumberToObject(memory, "height", budget->height);
	cJSON_AddNumberToObject(memory, "frame_bytes", (double)budget_frame_bytes(budget));
	cJSON *caches = cJSON_AddObjectToObject(memory, "caches");
	double limit = 0, used = 0;
	for (int i = 0; i < BUDGET_CACHE_COUNT; i++) {
		struct budget_usage u = budget_usage(budget, (enum budget_cache)i);
		cJSON *c = cJSON_AddObjectToObject(caches, u.name);
		cJSON_AddNumberToObject(c, "budget_bytes", (double)u.limit);
		cJSON_AddNumberToObject(c, "used_bytes", (double)u.used);
		cJSON_AddNumberToObject(c, "refused", (double)u.refused);
		limit += (double)u.limit;
		used += (double)u.used;
	}
	cJSON_AddNumberToObject(memory, "budget_bytes", limit);
	cJSON_AddNumberToObject(memory, "used_bytes", used);
	double now = clock_monotonic();
	if (rollup.at == 0 || now - rollup.at >= ROLLUP_PERIOD) {
		rollup.ok = read_rollup(&rollup.rss, &rollup.pss);
		rollup.at = now;
	}
	if (rollup.ok) {
		cJSON_AddNumberToObject(memory, "rss_bytes", rollup.rss);
		cJSON_AddNumberToObject(memory, "pss_bytes", rollup.pss);
	}
	return memory;
}

static const char *string_of(const cJSON *obj, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
	return s ? s : "?";
}

/* "layout error; city ok, air failing (HTTP 500)" */
static char *summary_of(const cJSON *root)
{
	const cJSON *layout = cJSON_GetObjectItemCaseSensitive(root, "layout");
	char *line = xasprintf("layout %s;", string_of(layout, "state"));
	const cJSON *source;
	const char *sep = "";
	cJSON_ArrayForEach(source, cJSON_GetObjectItemCaseSensitive(root, "sources"))
	{
		const char *state = string_of(source, "state");
		const char *error = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(source, "last_error"));
		char *next = strcmp(state, "failing") == 0 && error && error[0]
				     ? xasprintf("%s%s %s %s (%s)", line, sep, string_of(source, "name"),
						 state, error)
				     : xasprintf("%s%s %s %s", line, sep, string_of(source, "name"), state);
		free(line);
		line = next;
		sep = ",";
	}
	/* One line: an error text may hold a newline, which would end systemd's STATUS=. */
	for (char *p = line; *p; p++) {
		if (*p == '\n' || *p == '\r') {
			*p = ' ';
		}
	}
	return line;
}

struct status_report status_render(struct wall *wall, const struct frame_stats *frames,
				   double uptime_s)
{
	cJSON *root = wall_status_json(wall);
	cJSON_AddStringToObject(root, "version", CITYWALL_VERSION);
	cJSON_AddNumberToObject(root, "pid", (double)getpid());
	cJSON_AddNumberToObject(root, "uptime_s", floor(uptime_s));
	cJSON_AddItemToObject(root, "frames", frames_json(frames));
	cJSON_AddItemToObject(root, "memory", memory_json(wall->board));
	struct status_report report = {.json = cJSON_Print(root), .summary = summary_of(root)};
	cJSON_Delete(root);
	if (!report.json) {
		report.json = xstrdup("{}");
	}
	return report;
}

void status_report_finish(struct status_report *report)
{
	free(report->json);
	free(report->summary);
	*report = (struct status_report){0};
}

bool status_write(const char *path, const char *json, char *err, size_t err_size)
{
	/* The message names the status file and the cause (never a temporary name), so the
	 * caller's log_once reports a full disk once, not every 2 s. */
	char why[512];
	bool ok = file_replace_often(path, json, strlen(json), 0600, why, sizeof(why));
	if (!ok) {
		snprintf(err, err_size, "status file not updated: %s", why);
	}
	return ok;
}
