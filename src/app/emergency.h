#ifndef CITYWALL_APP_EMERGENCY_H
#define CITYWALL_APP_EMERGENCY_H

/*
 * The wall's side of emergency mode and schedules (docs/emergency.md): the operators' say
 * (SIGUSR2, POST /emergency?state=on|off|auto), the line on the operator strip, the log line
 * when the mode changes and the status document's "emergency". What the board shows is decided
 * in layout/react.c from the snapshot and the clock; this only reports and relays.
 */

#include <cJSON.h>

#include "layout/react.h"

struct wall;

/* What the wall keeps across layout reloads. */
struct wall_emergency {
	struct emergency_control control;
	bool logged_active;    // what the log said last
	char logged_key[320];
};

/* Operators: sets the mode (the alert on screen is what "off" cancels), logs it, redraws. */
void wall_set_emergency(struct wall *wall, enum emergency_mode mode);
/* SIGUSR2: forces the page on when it is not shown, cancels it when it is. */
void wall_toggle_emergency(struct wall *wall);
/* Parses "on", "off", "auto"; false for anything else. */
bool emergency_mode_parse(const char *text, enum emergency_mode *out);

/* The strip's announcement (caller frees), or NULL when there is nothing to say. */
char *wall_emergency_line(struct wall *wall);
/* Logs a change of the mode or of its alert since the last call. */
void wall_emergency_log(struct wall *wall);
/*
 * The status document's "emergency": null when the layout declares none, else {"active",
 * "mode", "forced", "page", "alert": null | {"level", "title", "area", "time", "lat", "lon"}}.
 */
cJSON *wall_emergency_json(struct wall *wall);
/* Adds "page" (the id on screen) and "theme" (a schedule's, or null) to the layout object. */
void wall_react_status(struct wall *wall, cJSON *layout_object);

#endif
