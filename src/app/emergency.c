#include "app/emergency.h"

#include "app/wall.h"
#include "model/alert_level.h"
#include "util/log.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

bool emergency_mode_parse(const char *text, enum emergency_mode *out)
{
	for (int i = 0; emergency_mode_names[i]; i++) {
		if (strcmp(text, emergency_mode_names[i]) == 0) {
			*out = (enum emergency_mode)i;
			return true;
		}
	}
	return false;
}

void wall_set_emergency(struct wall *wall, enum emergency_mode mode)
{
	const struct emergency_state *st = board_emergency(wall->board);
	if (!wall->layout->emergency.declared) {
		log_warn("emergency %s: the layout declares no \"emergency\"",
			 emergency_mode_names[mode]);
	}
	/* "off" cancels what is shown: the alert's key, held until the alerts change. */
	emergency_control_set(&wall->emergency.control, mode, st->active ? st->key : "");
	log_info("emergency mode set to \"%s\" by an operator", emergency_mode_names[mode]);
	wall_sync(wall);
}

void wall_toggle_emergency(struct wall *wall)
{
	bool shown = board_emergency(wall->board)->active;
	wall_set_emergency(wall, shown ? EMERGENCY_OFF : EMERGENCY_ON);
}

char *wall_emergency_line(struct wall *wall)
{
	const struct emergency_state *st = board_emergency(wall->board);
	if (st->active && st->has_alert) {
		return st->area[0] ? xasprintf("비상 모드: %s (%s)", st->title, st->area)
				   : xasprintf("비상 모드: %s", st->title);
	}
	if (st->active) {
		return xstrdup("비상 모드: 운영자 지정 · forced by an operator");
	}
	if (st->mode == EMERGENCY_OFF && st->has_alert) {
		return xasprintf("비상 모드 해제됨 (운영자): %s", st->title);
	}
	return NULL;
}

void wall_emergency_log(struct wall *wall)
{
	struct wall_emergency *we = &wall->emergency;
	const struct emergency_state *st = board_emergency(wall->board);
	const char *key = st->active ? st->key : "";
	if (st->active == we->logged_active && strcmp(key, we->logged_key) == 0) {
		return;
	}
	const char *page = wall->layout->pages[wall->layout->emergency.page].id;
	if (st->active && st->has_alert) {
		log_info("emergency mode on: %s alert \"%s\"%s%s%s — page \"%s\"",
			 alert_level_names[st->level], st->title, st->area[0] ? " (" : "", st->area,
			 st->area[0] ? ")" : "", page);
	} else if (st->active) {
		log_info("emergency mode on: forced by an operator — page \"%s\"", page);
	} else if (we->logged_active) {
		log_info("emergency mode off: %s", st->mode == EMERGENCY_OFF
							   ? "cancelled by an operator"
							   : "the alert cleared");
	}
	we->logged_active = st->active;
	snprintf(we->logged_key, sizeof(we->logged_key), "%s", key);
}

static cJSON *alert_json(const struct emergency_state *st)
{
	if (!st->has_alert) {
		return cJSON_CreateNull();
	}
	cJSON *obj = cJSON_CreateObject();
	cJSON_AddStringToObject(obj, "level", alert_level_names[st->level]);
	cJSON_AddStringToObject(obj, "title", st->title);
	cJSON_AddStringToObject(obj, "area", st->area);
	if (st->time[0]) {
		cJSON_AddStringToObject(obj, "time", st->time);
	} else {
		cJSON_AddNullToObject(obj, "time");
	}
	if (isnan(st->lat)) {
		cJSON_AddNullToObject(obj, "lat");
		cJSON_AddNullToObject(obj, "lon");
	} else {
		cJSON_AddNumberToObject(obj, "lat", st->lat);
		cJSON_AddNumberToObject(obj, "lon", st->lon);
	}
	return obj;
}

cJSON *wall_emergency_json(struct wall *wall)
{
	const struct layout *l = wall->layout;
	if (!l->emergency.declared) {
		return cJSON_CreateNull();
	}
	const struct emergency_state *st = board_emergency(wall->board);
	cJSON *obj = cJSON_CreateObject();
	cJSON_AddBoolToObject(obj, "active", st->active);
	cJSON_AddStringToObject(obj, "mode", emergency_mode_names[st->mode]);
	cJSON_AddBoolToObject(obj, "forced", st->forced);
	cJSON_AddStringToObject(obj, "page", l->pages[l->emergency.page].id);
	cJSON_AddItemToObject(obj, "alert", alert_json(st));
	return obj;
}

void wall_react_status(struct wall *wall, cJSON *layout_object)
{
	const struct layout *l = wall->layout;
	cJSON_AddStringToObject(layout_object, "page", l->pages[board_page(wall->board)].id);
	const struct theme *theme = board_theme(wall->board);
	const char *name = NULL;
	for (size_t i = 0; i < l->schedule_count; i++) {
		if (l->schedule[i].theme == theme) {
			name = l->schedule[i].theme_name;
		}
	}
	if (name) {
		cJSON_AddStringToObject(layout_object, "theme", name);
	} else {
		cJSON_AddNullToObject(layout_object, "theme");
	}
}
