#ifndef CITYWALL_LAYOUT_REACT_H
#define CITYWALL_LAYOUT_REACT_H

/*
 * What makes a layout react (docs/emergency.md): "emergency", a page shown while an alert list
 * holds an alert at or above a level, and "schedule", pages and themes by weekday and time of
 * day. Both are functions of the layout's inputs only — the snapshot and the wall clock in the
 * layout's time zone — so every screen showing the layout agrees without talking to another.
 */

#include <cJSON.h>
#include <stdbool.h>

#include "layout/layout.h"
#include "model/snapshot.h"

/* ---- reading (layout_parse.c) ---- */

/*
 * Reads "emergency", "schedule" and the pages' own "schedule" into layout->emergency and
 * layout->schedule, once the pages are read; `themes` holds the layout's named themes. Pages
 * that only an alert or a time shows stop rotating. Reports every problem; false if any.
 */
bool react_read(struct parse_ctx *ctx, const cJSON *root, const cJSON *themes,
		struct layout *layout);
/* Frees what react_read made (layout_destroy calls it). */
void react_finish(struct layout *layout);

/*
 * Applies theme `name` (built-in or one of `themes`) over *theme, reporting an unknown name at
 * `pointer`. Defined in layout_parse.c, where themes are read.
 */
bool layout_apply_theme_name(struct parse_ctx *ctx, const char *name, const char *pointer,
			     const cJSON *themes, struct theme *theme);

/* ---- schedules ---- */

struct react_schedule {
	long page;                 // the page a schedule shows now; -1: the rotation
	const struct theme *theme; // borrowed from the layout: the theme now
	const char *theme_name;    // borrowed: the schedule's theme as written; NULL: the layout's
	double next_change;        // epoch s when an entry may begin or end; INFINITY: never
};

/*
 * The schedule at `now` (epoch s) in the layout's time zone: the first entry in file order
 * that names a page and is on decides the page, the first that names a theme the theme.
 */
struct react_schedule react_schedule_at(const struct layout *layout, double now);

/* ---- emergency mode ---- */

/* What operators asked for (SIGUSR2, POST /emergency?state=…). */
enum emergency_mode {
	EMERGENCY_AUTO, // the alerts decide
	EMERGENCY_ON,   // forced on, alert or not, until "auto" or "off"
	EMERGENCY_OFF,  // cancelled: the alert on screen is not shown until the alerts change
};

extern const char *const emergency_mode_names[]; // "auto", "on", "off"

/* The operators' side, kept by the wall across layout reloads. */
struct emergency_control {
	enum emergency_mode mode;
	char cancelled[320]; // EMERGENCY_OFF: the alert cancelled (its key); "": none was on
	unsigned generation; // counts changes, so the board knows to look again
};

/* Sets the mode; `shown_key` is the key of the alert on screen ("" when none), which OFF holds. */
void emergency_control_set(struct emergency_control *control, enum emergency_mode mode,
			   const char *shown_key);

/* The emergency as it is shown: the most severe alert at or above min_level, newest first. */
struct emergency_state {
	bool active;          // the emergency page is shown
	bool forced;          // shown because an operator forced it (there may be no alert)
	bool has_alert;       // an alert at or above min_level is in the list (shown or not)
	enum emergency_mode mode;
	int level;            // enum alert_level of the alert
	char title[160];      // of the alert; cut at a character
	char area[96];
	char time[40];        // as the record says it; "" when none
	double lat, lon;      // NAN when the record has none
	char key[320];        // level, title, area and time: "the alert changed" compares this
	/* What it was computed from: looked at again only when one of these changes. */
	const struct snapshot *seen_snapshot; // borrowed identity, never dereferenced
	unsigned seen_generation;
	bool seen;
};

/*
 * Brings *state up to date with the emergency source's current `snapshot` (NULL: none) and the
 * operators' `control` (NULL: auto). A cancel whose alert is gone or replaced turns back to
 * auto (control is updated). Returns true when `active` or the alert shown changed.
 */
bool emergency_update(struct emergency_state *state, const struct layout *layout,
		      const struct snapshot *snapshot, struct emergency_control *control);

#endif
