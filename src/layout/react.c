/*
 * "emergency" and "schedule": reading them with the layout, and deciding from a snapshot and
 * the wall clock what they show (layout/react.h).
 */

#include "layout/react.h"

#include "layout/sources_parse.h"
#include "layout/tables.h"
#include "model/alert_level.h"
#include "util/strutil.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const emergency_mode_names[] = {"auto", "on", "off", NULL};

static const char *const day_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* ---- reading ---- */

/* The page called `id`, or -1 after an error with a did-you-mean at `pointer`. */
static long find_page(struct parse_ctx *ctx, const struct layout *layout, const char *id,
		      const char *pointer)
{
	for (size_t i = 0; i < layout->page_count; i++) {
		if (strcmp(layout->pages[i].id, id) == 0) {
			return (long)i;
		}
	}
	const char *near = str_closest(id, &layout->pages[0].id, sizeof(struct page),
				       layout->page_count);
	char *ids = xstrdup("");
	for (size_t i = 0; i < layout->page_count; i++) {
		char *next = xasprintf("%s%s\"%s\"", ids, i ? ", " : "", layout->pages[i].id);
		free(ids);
		ids = next;
	}
	if (near) {
		parse_error(ctx, pointer, false, "unknown page \"%s\" (did you mean \"%s\"?)", id,
			    near);
	} else {
		parse_error(ctx, pointer, false, "unknown page \"%s\" (pages: %s)", id, ids);
	}
	free(ids);
	return -1;
}

static bool read_emergency(struct parse_ctx *ctx, const cJSON *root, struct layout *layout)
{
	const cJSON *node = cJSON_GetObjectItemCaseSensitive(root, "emergency");
	if (!node) {
		return true;
	}
	struct option_set set = {0};
	const struct option_spec *tables[] = {layout_emergency_options};
	bool ok = options_read(ctx, node, "/emergency", tables, &set, 1);
	struct layout_emergency *e = &layout->emergency;
	const char *alerts = option_text(&set, "alerts");
	const char *page = option_text(&set, "page");
	if (ok) {
		char err[256];
		ok = sources_resolve_binding(ctx, layout, alerts, "/emergency/alerts", &e->source,
					     &e->path);
		if (ok && !(e->compiled = path_compile(e->path, err, sizeof(err)))) {
			parse_error(ctx, "/emergency/alerts", false, "%s", err);
			ok = false;
		}
		long index = find_page(ctx, layout, page, "/emergency/page");
		ok &= index >= 0;
		e->page = index >= 0 ? (size_t)index : 0;
		const char *level = option_text(&set, "min_level");
		for (int i = 0; alert_level_names[i]; i++) {
			if (strcmp(level, alert_level_names[i]) == 0) {
				e->min_level = i;
			}
		}
		e->level_field = xstrdup(option_text(&set, "level_field"));
		e->title_field = xstrdup(option_text(&set, "title_field"));
		e->declared = ok;
	}
	if (ok) {
		layout->pages[e->page].rotates = false;
	}
	option_set_finish(&set);
	return ok;
}

/* "HH:MM" from 00:00 to 24:00 → minutes after midnight. */
static bool parse_clock(const char *text, int *minutes)
{
	int h, m, used = 0;
	if (strlen(text) != 5 || sscanf(text, "%2d:%2d%n", &h, &m, &used) != 2 || used != 5 ||
	    h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0)) {
		return false;
	}
	*minutes = h * 60 + m;
	return true;
}

static int day_index(const char *text, size_t len)
{
	for (int i = 0; i < 7; i++) {
		if (len == 3 && strncasecmp(text, day_names[i], 3) == 0) {
			return i;
		}
	}
	return -1;
}

/* "mon-fri", "sat,sun", "mon-wed,fri" (a range may wrap: "fri-mon") → bit 0 Monday … 6 Sunday. */
static bool parse_days(const char *text, unsigned *days)
{
	*days = 0;
	const char *p = text;
	while (*p) {
		size_t len = strcspn(p, ",");
		const char *dash = memchr(p, '-', len);
		int first = day_index(p, dash ? (size_t)(dash - p) : len);
		int last = dash ? day_index(dash + 1, len - (size_t)(dash - p) - 1) : first;
		if (first < 0 || last < 0) {
			return false;
		}
		for (int d = first;; d = (d + 1) % 7) {
			*days |= 1u << d;
			if (d == last) {
				break;
			}
		}
		p += len;
		if (*p == ',') {
			p++;
			if (!*p) {
				return false;
			}
		}
	}
	return *days != 0;
}

static void theme_copy(struct theme *to, const struct theme *from)
{
	*to = *from;
	to->font = from->font ? xstrdup(from->font) : NULL;
	to->title_font = from->title_font ? xstrdup(from->title_font) : NULL;
}

/*
 * A built-in theme is colours here: "night" should darken the board the designer made, not
 * change its fonts and shapes.
 */
static void keep_shapes(struct theme *to, const struct theme *from)
{
	free(to->font);
	free(to->title_font);
	to->font = from->font ? xstrdup(from->font) : NULL;
	to->title_font = from->title_font ? xstrdup(from->title_font) : NULL;
	to->corner_radius = from->corner_radius;
	to->title_scale = from->title_scale;
	to->value_scale = from->value_scale;
	to->label_scale = from->label_scale;
}

/*
 * One schedule entry at `pointer`; `page` is the page whose own schedule it is (-1: a root
 * entry, which names its page or theme). Appends it to layout->schedule when valid.
 */
static bool read_entry(struct parse_ctx *ctx, const cJSON *node, const char *pointer, long page,
		       const cJSON *themes, struct layout *layout)
{
	struct option_set set = {0};
	const struct option_spec *tables[] = {layout_schedule_options};
	bool ok = options_read(ctx, node, pointer, tables, &set, 1);
	if (!cJSON_IsObject(node)) {
		option_set_finish(&set);
		return false;
	}
	struct layout_schedule e = {.page = page};
	const char *page_id = option_text(&set, "page");
	const char *theme = option_text(&set, "theme");
	char *p;
	if (page_id) {
		p = pointer_join(pointer, "page");
		if (page >= 0) {
			parse_error(ctx, p, true, "a page's own schedule names no page");
			ok = false;
		} else {
			e.page = find_page(ctx, layout, page_id, p);
			ok &= e.page >= 0;
		}
		free(p);
	} else if (page < 0 && !theme) {
		parse_error(ctx, pointer, false, "a schedule entry names a \"page\" or a \"theme\"");
		ok = false;
	}
	if (theme) {
		p = pointer_join(pointer, "theme");
		e.theme = xcalloc(1, sizeof(*e.theme));
		theme_copy(e.theme, &layout->theme);
		ok &= layout_apply_theme_name(ctx, theme, p, themes, e.theme);
		if (!cJSON_GetObjectItemCaseSensitive(themes, theme)) {
			keep_shapes(e.theme, &layout->theme);
		}
		e.theme_name = xstrdup(theme);
		free(p);
	}
	const char *keys[] = {"from", "to"};
	int *targets[] = {&e.from, &e.to};
	for (size_t i = 0; i < 2; i++) {
		const char *text = option_text(&set, keys[i]);
		if (text && !parse_clock(text, targets[i])) {
			p = pointer_join(pointer, keys[i]);
			parse_error(ctx, p, false, "must be a time of day \"HH:MM\" (00:00 to 24:00), "
				    "got \"%s\"", text);
			free(p);
			ok = false;
		}
	}
	if (ok && e.from == e.to) {
		parse_error(ctx, pointer, false, "\"from\" and \"to\" are the same time: the "
			    "window would be empty");
		ok = false;
	}
	const char *days = option_text(&set, "days");
	if (days && !parse_days(days, &e.days)) {
		p = pointer_join(pointer, "days");
		parse_error(ctx, p, false, "must be days such as \"mon-fri\", \"sat,sun\" or "
			    "\"mon-sun\", got \"%s\"", days);
		free(p);
		ok = false;
	}
	option_set_finish(&set);
	if (!ok) {
		if (e.theme) {
			theme_finish(e.theme);
			free(e.theme);
		}
		free(e.theme_name);
		return false;
	}
	if (e.page >= 0) {
		layout->pages[e.page].rotates = false;
	}
	layout->schedule = xrealloc(layout->schedule,
				    (layout->schedule_count + 1) * sizeof(*layout->schedule));
	layout->schedule[layout->schedule_count++] = e;
	return true;
}

/* An entry or a list of entries at `pointer`. */
static bool read_entries(struct parse_ctx *ctx, const cJSON *node, const char *pointer,
			 long page, const cJSON *themes, struct layout *layout)
{
	if (cJSON_IsObject(node) && page >= 0) {
		return read_entry(ctx, node, pointer, page, themes, layout);
	}
	if (!cJSON_IsArray(node) || cJSON_GetArraySize(node) > 64) {
		parse_error(ctx, pointer, false, "must be %san array of at most 64 entries, got %s",
			    page >= 0 ? "an entry or " : "", json_type_name(node));
		return false;
	}
	bool ok = true;
	size_t i = 0;
	for (const cJSON *entry = node->child; entry; entry = entry->next, i++) {
		char *p = pointer_index(pointer, i);
		ok &= read_entry(ctx, entry, p, page, themes, layout);
		free(p);
	}
	return ok;
}

static bool read_schedules(struct parse_ctx *ctx, const cJSON *root, const cJSON *themes,
			   struct layout *layout)
{
	bool ok = true;
	const cJSON *node = cJSON_GetObjectItemCaseSensitive(root, "schedule");
	if (node) {
		ok &= read_entries(ctx, node, "/schedule", -1, themes, layout);
	}
	const cJSON *pages = cJSON_GetObjectItemCaseSensitive(root, "pages");
	size_t i = 0;
	for (const cJSON *page = cJSON_IsArray(pages) ? pages->child : NULL;
	     page && i < layout->page_count; page = page->next, i++) {
		const cJSON *own = cJSON_GetObjectItemCaseSensitive(page, "schedule");
		if (own) {
			char *base = pointer_index("/pages", i);
			char *p = pointer_join(base, "schedule");
			ok &= read_entries(ctx, own, p, (long)i, themes, layout);
			free(p);
			free(base);
		}
	}
	return ok;
}

bool react_read(struct parse_ctx *ctx, const cJSON *root, const cJSON *themes,
		struct layout *layout)
{
	bool ok = read_emergency(ctx, root, layout);
	ok &= read_schedules(ctx, root, themes, layout);
	bool rotating = false;
	for (size_t i = 0; i < layout->page_count; i++) {
		rotating |= layout->pages[i].rotates;
	}
	if (ok && !rotating) {
		parse_error(ctx, layout->page_count > 1 ? "/pages" : "", false,
			    "every page is shown only by an alert or a schedule: at least one page "
			    "must be left for the rotation");
		ok = false;
	}
	return ok;
}

void react_finish(struct layout *layout)
{
	free(layout->emergency.path);
	path_free(layout->emergency.compiled);
	free(layout->emergency.level_field);
	free(layout->emergency.title_field);
	for (size_t i = 0; i < layout->schedule_count; i++) {
		if (layout->schedule[i].theme) {
			theme_finish(layout->schedule[i].theme);
			free(layout->schedule[i].theme);
		}
		free(layout->schedule[i].theme_name);
	}
	free(layout->schedule);
}

/* ---- schedules ---- */

/* `day`: 0 Monday … 6 Sunday; `minute` after local midnight. */
static bool entry_on(const struct layout_schedule *e, int day, int minute)
{
	bool today = e->days >> day & 1, yesterday = e->days >> ((day + 6) % 7) & 1;
	if (e->from < e->to) {
		return today && minute >= e->from && minute < e->to;
	}
	/* Over midnight: the evening of a listed day, and the morning after it. */
	return (today && minute >= e->from) || (yesterday && minute < e->to);
}

struct react_schedule react_schedule_at(const struct layout *layout, double now)
{
	struct react_schedule r = {.page = -1, .theme = &layout->theme, .next_change = INFINITY};
	if (layout->schedule_count == 0) {
		return r;
	}
	struct tm tm;
	time_in_zone(floor(now), layout->timezone, &tm);
	int day = (tm.tm_wday + 6) % 7;
	int minute = tm.tm_hour * 60 + tm.tm_min;
	double second = minute * 60.0 + tm.tm_sec + (now - floor(now));
	bool themed = false;
	/* Windows begin and end on whole minutes and days at midnight: the next of those, found
	 * from the offset now (a DST step in between wakes the board early or late once). */
	double next = 86400 - second;
	for (size_t i = 0; i < layout->schedule_count; i++) {
		const struct layout_schedule *e = &layout->schedule[i];
		if (entry_on(e, day, minute)) {
			if (e->page >= 0 && r.page < 0) {
				r.page = e->page;
			}
			if (e->theme && !themed) {
				r.theme = e->theme;
				r.theme_name = e->theme_name;
				themed = true;
			}
		}
		int bounds[] = {e->from, e->to};
		for (size_t b = 0; b < 2; b++) {
			double delta = bounds[b] * 60.0 - second;
			next = fmin(next, delta > 0 ? delta : delta + 86400);
		}
	}
	r.next_change = now + next;
	return r;
}

/* ---- emergency mode ---- */

void emergency_control_set(struct emergency_control *control, enum emergency_mode mode,
			   const char *shown_key)
{
	control->mode = mode;
	snprintf(control->cancelled, sizeof(control->cancelled), "%s",
		 mode == EMERGENCY_OFF && shown_key ? shown_key : "");
	control->generation++;
}

/* Copies text into buf, cut at a UTF-8 character boundary. */
static void copy_text(char *buf, size_t size, const char *text)
{
	char *capped = str_copy_capped(text ? text : "", size - 1);
	snprintf(buf, size, "%s", capped);
	free(capped);
}

/* The alert the page is for: the most severe at or above min_level; within a level the newest
 * (no time counts as oldest), then the first — as the alert widget picks its card. */
static void find_alert(const struct layout_emergency *e, const struct snapshot *snapshot,
		       struct emergency_state *out)
{
	const struct value *list =
		snapshot && snapshot->root ? path_eval_first(e->compiled, snapshot->root) : NULL;
	enum alert_level best_level = ALERT_LEVEL_INFO;
	double best_time = NAN;
	const struct value *best = alert_lead(list, e->level_field, e->min_level, &best_level,
					      &best_time);
	if (!best) {
		return;
	}
	out->has_alert = true;
	out->level = (int)best_level;
	copy_text(out->title, sizeof(out->title), value_string(value_member(best, e->title_field)));
	copy_text(out->area, sizeof(out->area), value_string(value_member(best, "area")));
	const struct value *time = value_member(best, "time");
	if (time && time->kind == VALUE_STRING) {
		copy_text(out->time, sizeof(out->time), time->string.text);
	} else if (!isnan(best_time)) {
		time_format_utc(best_time, out->time, sizeof(out->time));
	}
	if (!value_number(value_member(best, "lat"), &out->lat) ||
	    !value_number(value_member(best, "lon"), &out->lon)) {
		out->lat = out->lon = NAN;
	}
	snprintf(out->key, sizeof(out->key), "%s|%s|%s|%s", alert_level_names[out->level],
		 out->title, out->area, out->time);
}

bool emergency_update(struct emergency_state *state, const struct layout *layout,
		      const struct snapshot *snapshot, struct emergency_control *control)
{
	unsigned generation = control ? control->generation : 0;
	if (state->seen && state->seen_snapshot == snapshot &&
	    state->seen_generation == generation) {
		return false;
	}
	struct emergency_state next = {.lat = NAN, .lon = NAN};
	if (layout->emergency.declared) {
		find_alert(&layout->emergency, snapshot, &next);
	}
	enum emergency_mode mode = control ? control->mode : EMERGENCY_AUTO;
	if (mode == EMERGENCY_OFF && strcmp(control->cancelled, next.key) != 0) {
		/* The alert that was cancelled is gone or another came: the alerts decide again. */
		emergency_control_set(control, EMERGENCY_AUTO, NULL);
		mode = EMERGENCY_AUTO;
	}
	next.mode = mode;
	next.forced = layout->emergency.declared && mode == EMERGENCY_ON;
	next.active = next.forced || (layout->emergency.declared && mode == EMERGENCY_AUTO &&
				      next.has_alert);
	next.seen = true;
	next.seen_snapshot = snapshot;
	next.seen_generation = control ? control->generation : 0;
	bool changed = next.active != state->active ||
		       (next.active && strcmp(next.key, state->key) != 0) ||
		       next.forced != state->forced || !state->seen;
	*state = next;
	return changed;
}
