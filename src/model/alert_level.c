#include "model/alert_level.h"
#include "util/timefmt.h"

#include "util/timefmt.h"

#include <math.h>
#include <stddef.h>
#include <strings.h>

const char *const alert_level_names[] = {"info", "caution", "warning", "danger", NULL};

bool alert_level_read(const struct value *v, enum alert_level *out)
{
	static const struct {
		const char *name;
		enum alert_level level;
	} names[] = {
		{"info", ALERT_LEVEL_INFO},         {"관심", ALERT_LEVEL_INFO},
		{"caution", ALERT_LEVEL_CAUTION},   {"주의", ALERT_LEVEL_CAUTION},
		{"warning", ALERT_LEVEL_WARNING},   {"경계", ALERT_LEVEL_WARNING},
		{"danger", ALERT_LEVEL_DANGER},     {"심각", ALERT_LEVEL_DANGER},
		/* The classes of Korea's emergency alert messages (재난문자). */
		{"안전안내", ALERT_LEVEL_INFO},     {"긴급재난", ALERT_LEVEL_WARNING},
		{"위급재난", ALERT_LEVEL_DANGER},
	};
	double n;
	if (v && value_number(v, &n)) {
		if (n >= 1 && n <= ALERT_LEVEL_COUNT && n == floor(n)) {
			*out = (enum alert_level)(n - 1);
			return true;
		}
		return false;
	}
	const char *s = value_string(v);
	for (size_t i = 0; s && i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(s, names[i].name) == 0) {
			*out = names[i].level;
			return true;
		}
	}
	return false;
}

double alert_record_time(const struct value *v)
{
	double t;
	if (v && v->kind == VALUE_NUMBER && value_number(v, &t)) {
		return t;
	}
	if (v && v->kind == VALUE_STRING && time_parse_iso8601(v->string.text, 9 * 3600, &t)) {
		return t;
	}
	return NAN;
}

const struct value *alert_lead(const struct value *list, const char *level_field,
			       int min_level, enum alert_level *level, double *time)
{
	if (!list || list->kind != VALUE_ARRAY) {
		return NULL;
	}
	const struct value *best = NULL;
	enum alert_level best_level = ALERT_LEVEL_INFO;
	double best_time = NAN;
	for (size_t i = 0; i < list->array.count && i < 1000; i++) {
		const struct value *rec = list->array.items[i];
		enum alert_level l;
		if (rec->kind != VALUE_OBJECT ||
		    !alert_level_read(value_member(rec, level_field), &l) || (int)l < min_level) {
			continue;
		}
		double t = alert_record_time(value_member(rec, "time"));
		bool better = !best || l > best_level ||
			      (l == best_level && !isnan(t) && (isnan(best_time) || t > best_time));
		if (better) {
			best = rec;
			best_level = l;
			best_time = t;
		}
	}
	if (best && level) {
		*level = best_level;
	}
	if (best && time) {
		*time = best_time;
	}
	return best;
}
