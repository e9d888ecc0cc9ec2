#include "app/wall.h"

#include "app/derived.h"
#include "app/source_check.h"
#include "layout/watch.h"
#include "render/format.h"
#include "compose/parallel.h"
#include "util/log.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"
#include "widgets/widget.h"

#include <cJSON.h>
#include <math.h>
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

char *wall_default_cache_dir(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	if (xdg && xdg[0] == '/') {
		return xasprintf("%s/citywall", xdg);
	}
	const char *home = getenv("HOME");
	return home && home[0] ? xasprintf("%s/.cache/citywall", home) : NULL;
}

/* "--feed URL" replaces the default source's URL, "--feed NAME=URL" a named one's. */
static bool apply_feed_override(struct layout *layout, const char *feed)
{
	const char *eq = strchr(feed, '=');
	const char *colon = strstr(feed, "://");
	size_t index = LAYOUT_DEFAULT_SOURCE;
	const char *url = feed;
	if (eq && (!colon || eq < colon)) {
		char *name = xstrndup(feed, (size_t)(eq - feed));
		long found = layout_find_source(layout, name);
		if (found < 0) {
			log_error("--feed %s: the layout has no source \"%s\"", feed, name);
			free(name);
			return false;
		}
		free(name);
		index = (size_t)found;
		url = eq + 1;
	}
	free(layout->sources[index].url);
	layout->sources[index].url = xstrdup(url);
	return true;
}

static double wall_clock_now(void *ctx)
{
	return clock_now(ctx);
}

static void wall_wake(void *ctx)
{
	struct wall *wall = ctx;
	if (wall->wake) {
		wall->wake(wall->wake_ctx);
	}
}

/* The sources to fetch: those with a URL (a layout without "feed" has an empty default). */
static bool create_fetcher(struct wall *wall, const char *cache_dir)
{
	char err[256];
	struct fetcher_options fo = {
		.sources = wall->layout->sources,
		.source_count = wall->layout->source_count,
		.cache_dir = cache_dir,
		.now = wall_clock_now,
		.clock_ctx = &wall->clock,
		.wake = wall_wake,
		.wake_ctx = wall,
		.check = source_check_layout,
		.check_ctx = wall->layout,
		.derive = derived_update,
		.derive_ctx = wall->layout,
	};
	wall->fetcher = fetcher_create(&fo, err, sizeof(err));
	if (!wall->fetcher) {
		log_error("%s", err);
		return false;
	}
	fetcher_derive_all(wall->fetcher); // from the cached documents
	return true;
}

/*
 * The histories read from the cache (NAME.history), for sources whose history on the board is
 * still empty: a history kept across a reload is newer than the file. A damaged one is
 * refused with its reason and the source starts afresh.
 */
static void restore_histories(struct wall *wall)
{
	for (size_t i = 0; wall->fetcher && i < wall->layout->source_count; i++) {
		size_t len;
		char *text = fetcher_take_history(wall->fetcher, i, &len);
		const struct history *shown = board_source_history(wall->board, i);
		if (!text || !shown || history_point_count(shown) > 0) {
			free(text);
			continue;
		}
		const struct source_config *source = &wall->layout->sources[i];
		char err[256];
		struct history *h = history_parse(text, len, source->history, err, sizeof(err));
		if (h) {
			board_adopt_history(wall->board, i, h);
		} else {
			log_warn("source %s: ignoring its cached history (%s.history): %s",
				 source->name, source->name, err);
		}
		free(text);
	}
}

/*
 * Hands each changed history to the fetch worker, which writes it next to the document's
 * record: at most every WALL_HISTORY_SAVE_INTERVAL seconds, or now (`force`: a clean exit).
 */
static void save_histories(struct wall *wall, bool force)
{
	if (!wall->board || !wall->fetcher || !wall->history_saved) {
		return;
	}
	double now = clock_now(&wall->clock);
	if (!force && !(now - wall->history_saved_at >= WALL_HISTORY_SAVE_INTERVAL)) {
		return;
	}
	wall->history_saved_at = now;
	for (size_t i = 0; i < wall->layout->source_count; i++) {
		const struct history *h = board_source_history(wall->board, i);
		if (!h || history_revision(h) == wall->history_saved[i]) {
			continue;
		}
		size_t len;
		char *text = history_serialize(h, &len);
		fetcher_save_history(wall->fetcher, i, text, len);
		wall->history_saved[i] = history_revision(h);
	}
}

static void reset_history_saves(struct wall *wall)
{
	free(wall->history_saved);
	wall->history_saved = xcalloc(wall->layout->source_count + 1,
				      sizeof(*wall->history_saved));
	wall->history_saved_at = clock_now(&wall->clock);
}

/* Loads the layout with the command line's feed overrides; NULL after adding errors. */
static struct layout *load_layout(const struct wall_options *options, struct diag_list *diags)
{
	struct layout *layout = layout_load(options->layout_file, widget_specs(), diags);
	for (size_t i = 0; layout && i < options->feed_count; i++) {
		if (!apply_feed_override(layout, options->feeds[i])) {
			diag_add(diags, DIAG_ERROR, NULL, 0, 0, NULL, "--feed %s: no such source",
				 options->feeds[i]);
			layout_destroy(layout);
			layout = NULL;
		}
	}
	return layout;
}

bool wall_open(struct wall *wall, const struct wall_options *options)
{
	*wall = (struct wall){.clock = options->clock, .options = *options,
			      .files_read_at = file_watch_clock(), .hold_until = INFINITY,
			      .publish = {.written_at = NAN}};
	wall->cache_dir = options->cache_dir ? xstrdup(options->cache_dir) : NULL;
	wall->options.cache_dir = wall->cache_dir;
	struct diag_list diags;
	diag_list_init(&diags);
	wall->layout = load_layout(options, &diags);
	wall_print_diags(&diags);
	diag_list_finish(&diags);
	if (!wall->layout) {
		wall_close(wall);
		return false;
	}
	char err[256];
	wall->text = text_engine_create(NULL, 0, err, sizeof(err));
	if (!wall->text) {
		log_error("%s", err);
		wall_close(wall);
		return false;
	}
	wall->pool = render_pool_create(options->render_threads);
	wall->board = board_create(wall->layout, wall->text);
	board_set_render_pool(wall->board, wall->pool);
	board_set_emergency_control(wall->board, &wall->emergency.control);
	board_set_canvas(wall->board, options->canvas_w, options->canvas_h, options->canvas_part);
	if (!create_fetcher(wall, options->cache_dir)) {
		wall_close(wall);
		return false;
	}
	/* Before the first sync: a screenshot compares with what the window would. */
	restore_histories(wall);
	reset_history_saves(wall);
	wall_sync(wall);
	return true;
}

/* Takes the diagnostics' lines for the overlay (NULL clears them). */
static void set_layout_errors(struct wall *wall, const struct diag_list *diags);

void wall_close(struct wall *wall)
{
	save_histories(wall, true);
	/* The fetcher first: its thread may still call wall_wake. */
	fetcher_destroy(wall->fetcher);
	board_destroy(wall->board);
	render_pool_destroy(wall->pool);
	free(wall->history_saved);
	free(wall->shown_at);
	text_engine_destroy(wall->text);
	layout_destroy(wall->layout);
	set_layout_errors(wall, NULL);
	free(wall->status_problem);
	free(wall->publish.problem);
	free(wall->cache_dir);
	*wall = (struct wall){0};
}

bool wall_start(struct wall *wall, void (*wake)(void *ctx), void *ctx)
{
	wall->wake = wake;
	wall->wake_ctx = ctx;
	char err[256];
	if (!fetcher_start(wall->fetcher, err, sizeof(err))) {
		log_error("%s", err);
		return false;
	}
	wall->fetching = true;
	return true;
}

static bool same_string(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool same_source(const struct source_config *a, const struct source_config *b)
{
	bool same = same_string(a->name, b->name) && same_string(a->url, b->url) &&
		    a->type == b->type &&
		    a->format == b->format && a->encoding == b->encoding &&
		    a->interval == b->interval && a->max_age == b->max_age &&
		    a->timeout == b->timeout && a->connect_timeout == b->connect_timeout &&
		    a->max_bytes == b->max_bytes && source_config_same_time(a, b) &&
		    same_string(a->ca_file, b->ca_file) && a->header_count == b->header_count;
	for (size_t i = 0; same && i < a->header_count; i++) {
		same = same_string(a->headers[i].name, b->headers[i].name) &&
		       same_string(a->headers[i].value, b->headers[i].value);
	}
	return same;
}

static bool same_sources(const struct layout *a, const struct layout *b)
{
	if (a->source_count != b->source_count) {
		return false;
	}
	for (size_t i = 0; i < a->source_count; i++) {
		if (!same_source(&a->sources[i], &b->sources[i])) {
			return false;
		}
	}
	return true;
}

static void set_layout_errors(struct wall *wall, const struct diag_list *diags)
{
	for (size_t i = 0; i < wall->layout_error_count; i++) {
		free(wall->layout_errors[i]);
	}
	free(wall->layout_errors);
	wall->layout_errors = NULL;
	wall->layout_error_count = 0;
	if (!diags || diags->count == 0) {
		return;
	}
	wall->layout_errors = xcalloc(diags->count + 1, sizeof(*wall->layout_errors));
	wall->layout_errors[0] = xstrdup("layout not reloaded — the last good one stays:");
	wall->layout_error_count = 1;
	for (size_t i = 0; i < diags->count; i++) {
		wall->layout_errors[wall->layout_error_count++] = diag_format(&diags->items[i]);
	}
}

/* A reloaded layout keeps the history of every source whose name and URL did not change. */
static void carry_histories(struct wall *wall, const struct layout *old, struct board *old_board)
{
	for (size_t j = 0; j < wall->layout->source_count; j++) {
		const struct source_config *source = &wall->layout->sources[j];
		long i = layout_find_source(old, source->name);
		if (i >= 0 && same_string(old->sources[i].url, source->url)) {
			board_adopt_history(wall->board, j,
					    board_release_history(old_board, (size_t)i));
		}
	}
}

/* Replaces the fetcher when the sources changed; the cache gives the new one data at once. */
static bool renew_fetcher(struct wall *wall, struct layout *old)
{
	if (same_sources(old, wall->layout)) {
		return true;
	}
	bool was_fetching = wall->fetching;
	fetcher_destroy(wall->fetcher);
	wall->fetcher = NULL;
	wall->fetching = false;
	if (!create_fetcher(wall, wall->cache_dir)) {
		return false;
	}
	return !was_fetching || wall_start(wall, wall->wake, wall->wake_ctx);
}

bool wall_reload(struct wall *wall)
{
	struct diag_list diags;
	diag_list_init(&diags);
	double read_at = file_watch_clock();
	struct layout *next = load_layout(&wall->options, &diags);
	if (!next) {
		for (size_t i = 0; i < diags.count; i++) {
			/* The log line names the severity; the diagnostic's own label would repeat it. */
			const struct diag *d = &diags.items[i];
			char *line = diag_format_bare(d);
			log_once(d->severity == DIAG_ERROR ? LOG_ERROR : LOG_WARN, "layout-reload", "%s",
				 line);
			free(line);
		}
		set_layout_errors(wall, &diags);
		diag_list_finish(&diags);
		wall_sync(wall);
		return false;
	}
	log_once_clear("layout-reload");
	wall->files_read_at = read_at;
	wall_print_diags(&diags); /* warnings */
	diag_list_finish(&diags);
	set_layout_errors(wall, NULL);
	struct layout *old = wall->layout;
	struct board *old_board = wall->board;
	save_histories(wall, true); // the old fetcher may go: what it holds is written first
	wall->layout = next;
	wall->board = board_create(next, wall->text);
	board_set_render_pool(wall->board, wall->pool);
	board_set_emergency_control(wall->board, &wall->emergency.control);
	board_set_canvas(wall->board, wall->options.canvas_w, wall->options.canvas_h,
			 wall->options.canvas_part);
	carry_histories(wall, old, old_board);
	board_destroy(old_board);
	bool fetcher_ok = renew_fetcher(wall, old);
	/* Before the old layout goes: the fetch thread may be judging a document with it. */
	if (wall->fetcher) {
		fetcher_set_check(wall->fetcher, source_check_layout, next);
		fetcher_set_derive(wall->fetcher, derived_update, next);
		fetcher_derive_all(wall->fetcher); // the definitions may have changed
	}
	layout_destroy(old);
	if (fetcher_ok) {
		restore_histories(wall);
		wall_sync(wall);
	}
	reset_history_saves(wall);
	log_info("reloaded %s", wall->layout->file);
	return true;
}

void wall_stop(struct wall *wall)
{
	save_histories(wall, true);
	fetcher_destroy(wall->fetcher);
	wall->fetcher = NULL;
}

void wall_fetch_once(struct wall *wall)
{
	fetcher_fetch_all_once(wall->fetcher);
	wall_sync(wall);
}

static void clock_text(double t, const char *zone, char *buf, size_t size)
{
	struct tm tm;
	if (isnan(t)) {
		snprintf(buf, size, "—");
		return;
	}
	time_in_zone(t, zone, &tm);
	snprintf(buf, size, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* "1 h", "90 min", "45 s": how far ahead a feed's clock is, to the nearest minute. */
static void skew_text(double skew, char *buf, size_t size)
{
	double minutes = round(skew / 60);
	if (minutes >= 60 && fmod(minutes, 60) == 0) {
		snprintf(buf, size, "%.0f h", minutes / 60);
	} else if (minutes >= 1) {
		snprintf(buf, size, "%.0f min", minutes);
	} else {
		snprintf(buf, size, "%.0f s", round(skew));
	}
}

/* Data dated ahead of this wall: said before anything else but a failure. */
static char *clock_skew_line(const char *name, const struct source_status *st)
{
	char ahead[32];
	skew_text(st->clock_skew, ahead, sizeof(ahead));
	return xasprintf("%s: clock skew — data dated %s ahead of this wall; aged from its fetch "
			 "time", name, ahead);
}

/* One line of the status strip for source i, or NULL when it has nothing to say. */
static char *status_line(struct wall *wall, size_t i, const struct source_status *st)
{
	const struct layout *layout = wall->layout;
	const char *name = layout->sources[i].name;
	double now = clock_now(&wall->clock);
	char as_of[64], since[32];
	format_as_of(st->data_time, layout->timezone, now, as_of, sizeof(as_of));
	clock_text(st->error_since, layout->timezone, since, sizeof(since));
	bool stale = board_source_stale(wall->board, i);
	if (st->state == SOURCE_FAILING) {
		return xasprintf("%s: %s — failing since %s; %s", name, st->last_error, since,
				 isnan(st->data_time) ? "no data yet" : as_of);
	}
	if (st->clock_skew > 0 && !stale) {
		return clock_skew_line(name, st);
	}
	if (stale) {
		return xasprintf("%s: stale — data %s, older than %g s", name, as_of,
				 layout->sources[i].max_age);
	}
	if (st->degraded) {
		return xasprintf("%s: degraded — %zu value%s kept at their last good: %s", name,
				 st->broken_count, st->broken_count == 1 ? "" : "s", st->broken);
	}
	if (layout->status_strip != STATUS_STRIP_ALWAYS) {
		return NULL;
	}
	if (st->state == SOURCE_PENDING) {
		return xasprintf("%s: waiting for the first document%s", name,
				 st->from_cache ? " (showing the cached one)" : "");
	}
	if (st->has_seq) {
		return xasprintf("%s: ok — %s, seq %lld", name, as_of, st->seq);
	}
	return xasprintf("%s: ok — %s", name, as_of);
}

static void update_strip(struct wall *wall, const struct source_status *statuses)
{
	size_t count = wall->layout->source_count, n = 0;
	char **lines = xcalloc(count + wall->layout_error_count + 4, sizeof(*lines));
	/* A layout that did not reload comes first: the designer is looking for it. */
	for (size_t i = 0; i < wall->layout_error_count; i++) {
		lines[n++] = xstrdup(wall->layout_errors[i]);
	}
	if (wall->status_problem) {
		lines[n++] = xstrdup(wall->status_problem);
	}
	if (wall->publish.problem) {
		lines[n++] = xstrdup(wall->publish.problem);
	}
	char *emergency = wall_emergency_line(wall);
	if (emergency) {
		lines[n++] = emergency; // what is happening goes before how the feeds are
	}
	for (size_t i = 0; i < count; i++) {
		if (!wall->layout->sources[i].url || wall->layout->status_strip == STATUS_STRIP_NEVER) {
			continue;
		}
		char *line = status_line(wall, i, &statuses[i]);
		if (line) {
			lines[n++] = line;
		}
	}
	board_set_messages(wall->board, (const char *const *)lines, n);
	for (size_t i = 0; i < n; i++) {
		free(lines[i]);
	}
	free(lines);
}

void wall_set_status_problem(struct wall *wall, const char *text)
{
	bool same = text ? wall->status_problem && strcmp(text, wall->status_problem) == 0
			 : !wall->status_problem;
	if (same) {
		return;
	}
	free(wall->status_problem);
	wall->status_problem = text ? xstrdup(text) : NULL;
	wall_sync(wall);
}

static void size_shown(struct wall *wall, size_t count)
{
	if (wall->shown_count == count) {
		return;
	}
	free(wall->shown_at);
	wall->shown_at = xcalloc(count + 1, sizeof(*wall->shown_at));
	for (size_t i = 0; i < count; i++) {
		wall->shown_at[i] = NAN;
	}
	wall->shown_count = count;
}

/*
 * Puts source i's current snapshot on the board, unless its display_at is still ahead: then
 * the board keeps what it shows and the loop wakes at display_at (hold_until). Every node of a
 * wall holds the same document until the same moment, so they switch in the same frame.
 */
static void show_or_hold(struct wall *wall, size_t i, struct snapshot *snap,
			 const struct source_status *st, double now)
{
	const struct snapshot *before = board_source_current(wall->board, i);
	if (snap && snap != before && snap->display_at > now) {
		wall->hold_until = fmin(wall->hold_until, snap->display_at);
		return;
	}
	/* Same snapshot: only the data time moves (a 304 confirmed it). */
	board_set_snapshot(wall->board, i, snap, st->data_time);
	if (board_source_current(wall->board, i) != before) {
		wall->shown_at[i] = now;
	}
}

double wall_next_deadline(const struct wall *wall)
{
	return fmin(board_next_deadline(wall->board), wall->hold_until);
}

void wall_set_publish_state(struct wall *wall, long long seq, double written_at,
			    const char *problem)
{
	wall->publish.seq = seq;
	wall->publish.written_at = written_at;
	bool same = problem ? wall->publish.problem && strcmp(problem, wall->publish.problem) == 0
			    : !wall->publish.problem;
	if (same) {
		return;
	}
	free(wall->publish.problem);
	wall->publish.problem = problem ? xstrdup(problem) : NULL;
	wall_sync(wall);
}

size_t wall_sync(struct wall *wall)
{
	size_t count = wall->layout->source_count, failing = 0;
	struct source_status *statuses = xcalloc(count, sizeof(*statuses));
	double now = clock_now(&wall->clock);
	size_shown(wall, count);
	wall->hold_until = INFINITY;
	for (size_t i = 0; i < count; i++) {
		struct snapshot *snap = fetcher_snapshot(wall->fetcher, i, &statuses[i]);
		show_or_hold(wall, i, snap, &statuses[i], now);
		snapshot_unref(snap);
		failing += statuses[i].state == SOURCE_FAILING;
	}
	board_advance(wall->board, now);
	update_strip(wall, statuses);
	wall_emergency_log(wall);
	free(statuses);
	save_histories(wall, false);
	return failing;
}

static void add_time(cJSON *obj, const char *key, double t)
{
	char buf[64];
	if (isnan(t)) {
		cJSON_AddNullToObject(obj, key);
		return;
	}
	time_format_utc(t, buf, sizeof(buf));
	cJSON_AddStringToObject(obj, key, buf);
}

static const char *shown_state(struct wall *wall, size_t i, const struct source_status *st)
{
	if (st->state == SOURCE_FAILING) {
		return "failing";
	}
	if (board_source_stale(wall->board, i)) {
		return "stale";
	}
	if (st->degraded) {
		return "degraded";
	}
	return st->state == SOURCE_OK ? "ok" : "pending";
}

static cJSON *source_json(struct wall *wall, size_t i)
{
	struct source_status st;
	struct snapshot *snap = fetcher_snapshot(wall->fetcher, i, &st);
	const struct source_config *config = &wall->layout->sources[i];
	cJSON *obj = cJSON_CreateObject();
	cJSON_AddStringToObject(obj, "name", config->name);
	cJSON_AddStringToObject(obj, "url", config->url);
	cJSON_AddStringToObject(obj, "state", shown_state(wall, i, &st));
	cJSON_AddBoolToObject(obj, "stale", board_source_stale(wall->board, i));
	cJSON_AddBoolToObject(obj, "from_cache", st.from_cache);
	add_time(obj, "last_good", st.last_ok_at);
	add_time(obj, "data_time", st.data_time);
	cJSON_AddNumberToObject(obj, "clock_skew_s", round(st.clock_skew));
	if (st.has_seq) {
		cJSON_AddNumberToObject(obj, "seq", (double)st.seq);
	} else {
		cJSON_AddNullToObject(obj, "seq");
	}
	const struct snapshot *shown = board_source_current(wall->board, i);
	if (shown && shown->has_seq) {
		cJSON_AddNumberToObject(obj, "on_screen_seq", (double)shown->seq);
	} else {
		cJSON_AddNullToObject(obj, "on_screen_seq");
	}
	/* Exact to the microsecond: walls of one canvas compare when they switched. */
	double on = shown && i < wall->shown_count ? wall->shown_at[i] : NAN;
	if (isnan(on)) {
		cJSON_AddNullToObject(obj, "shown_at");
	} else {
		cJSON_AddNumberToObject(obj, "shown_at", round(on * 1e6) / 1e6);
	}
	add_time(obj, "display_at", snap ? snap->display_at : NAN);
	if (shown && !isnan(shown->display_at)) {
		cJSON_AddNumberToObject(obj, "on_screen_display_at", shown->display_at);
	} else {
		cJSON_AddNullToObject(obj, "on_screen_display_at");
	}
	cJSON_AddStringToObject(obj, "last_error", st.last_error);
	cJSON_AddNumberToObject(obj, "broken_count", (double)st.broken_count);
	cJSON_AddStringToObject(obj, "broken", st.broken);
	add_time(obj, "error_since", st.error_since);
	cJSON_AddNumberToObject(obj, "fetches", (double)st.fetches);
	cJSON_AddNumberToObject(obj, "not_modified", (double)st.not_modified);
	cJSON_AddNumberToObject(obj, "failures", (double)st.failures);
	snapshot_unref(snap);
	return obj;
}

static cJSON *layout_json(const struct wall *wall)
{
	cJSON *obj = cJSON_CreateObject();
	cJSON_AddStringToObject(obj, "file", wall->layout->file);
	cJSON_AddStringToObject(obj, "state", wall->layout_error_count ? "error" : "ok");
	cJSON *errors = cJSON_AddArrayToObject(obj, "errors");
	/* The first line is the overlay's heading, not an error. */
	for (size_t i = 1; i < wall->layout_error_count; i++) {
		cJSON_AddItemToArray(errors, cJSON_CreateString(wall->layout_errors[i]));
	}
	return obj;
}

/* null without --publish; else {"dir", "every_s", "seq", "written_at", "error"}. */
static cJSON *publish_json(const struct wall *wall)
{
	if (!wall->publish.dir) {
		return cJSON_CreateNull();
	}
	cJSON *obj = cJSON_CreateObject();
	cJSON_AddStringToObject(obj, "dir", wall->publish.dir);
	cJSON_AddNumberToObject(obj, "every_s", wall->publish.every);
	cJSON_AddNumberToObject(obj, "seq", (double)wall->publish.seq);
	add_time(obj, "written_at", wall->publish.written_at);
	if (wall->publish.problem) {
		cJSON_AddStringToObject(obj, "error", wall->publish.problem);
	} else {
		cJSON_AddNullToObject(obj, "error");
	}
	return obj;
}

cJSON *wall_status_json(struct wall *wall)
{
	cJSON *root = cJSON_CreateObject();
	add_time(root, "written_at", clock_now(&wall->clock));
	cJSON *layout = layout_json(wall);
	wall_react_status(wall, layout);
	cJSON_AddItemToObject(root, "layout", layout);
	if (wall->status_problem) {
		cJSON_AddStringToObject(root, "status_file_error", wall->status_problem);
	} else {
		cJSON_AddNullToObject(root, "status_file_error");
	}
	cJSON_AddItemToObject(root, "publish", publish_json(wall));
	cJSON_AddItemToObject(root, "emergency", wall_emergency_json(wall));
	cJSON *sources = cJSON_AddArrayToObject(root, "sources");
	for (size_t i = 0; i < wall->layout->source_count; i++) {
		if (wall->layout->sources[i].url) {
			cJSON_AddItemToArray(sources, source_json(wall, i));
		}
	}
	return root;
}
