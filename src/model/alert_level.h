#ifndef CITYWALL_MODEL_ALERT_LEVEL_H
#define CITYWALL_MODEL_ALERT_LEVEL_H

/*
 * Alert levels: the national four-step crisis scale (관심, 주의, 경계, 심각), as the alert
 * widget draws them and as a layout's emergency mode compares them ("min_level"). One table,
 * so that the page an alert raises and the card it is drawn on never disagree.
 */

#include <stdbool.h>

#include "model/value.h"

enum alert_level {
	ALERT_LEVEL_INFO,
	ALERT_LEVEL_CAUTION,
	ALERT_LEVEL_WARNING,
	ALERT_LEVEL_DANGER,
	ALERT_LEVEL_COUNT,
};

/* The English names, in order ("info" … "danger"), NULL-terminated: for option choices. */
extern const char *const alert_level_names[];

/*
 * A record's level: a name (info/관심, caution/주의, warning/경계, danger/심각, or the classes
 * of emergency alert messages 안전안내, 긴급재난, 위급재난; case-insensitive) or a number 1-4.
 * False for anything else (out unchanged).
 */
bool alert_level_read(const struct value *v, enum alert_level *out);

/*
 * A record's time: RFC 3339 text (Seoul time when it names no zone) or epoch seconds; NAN when
 * neither (or v is NULL). The alert widget orders its records by it, emergency mode picks the
 * same leading alert with it.
 */
double alert_record_time(const struct value *v);

/*
 * The leading record of an alert list (an array of records; anything else has none): the most
 * severe whose `level_field` reads at or above `min_level`; within a level the newest ("time":
 * RFC 3339, Seoul time without a zone, or epoch seconds; no time counts as oldest), then the
 * first. That is the card the alert widget shows, the alert emergency mode announces and the
 * one image tiles choose cameras near. Reads at most the first 1000 records. Borrowed from
 * `list`; NULL when none. *level and *time (NAN: none) are set when not NULL.
 */
const struct value *alert_lead(const struct value *list, const char *level_field,
			       int min_level, enum alert_level *level, double *time);

#endif
