#include "widgets/record_time.h"

#include "model/path.h"
#include "util/datatime.h"
#include "util/log.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void note_bad(struct record_time_tally *tally, size_t number, const struct value *v)
{
	if (tally->bad++ > 0) {
		return;
	}
	tally->first = number;
	tally->first_text[0] = '\0';
	if (v && v->kind == VALUE_STRING) {
		/* Cut on a byte boundary of UTF-8: a whole character or none. */
		size_t n = strlen(v->string.text), max = sizeof(tally->first_text) - 8;
		if (n > max) {
			n = max;
			while (n > 0 && ((unsigned char)v->string.text[n] & 0xC0) == 0x80) {
				n--;
			}
		}
		snprintf(tally->first_text, sizeof(tally->first_text), "\"%.*s\"%s", (int)n,
			 v->string.text, n < strlen(v->string.text) ? "…" : "");
	} else if (v && v->kind == VALUE_NUMBER) {
		snprintf(tally->first_text, sizeof(tally->first_text), "%.17g", v->number);
	} else if (v) {
		snprintf(tally->first_text, sizeof(tally->first_text), "%s",
			 value_kind_name(v->kind));
	}
}

double record_time_read(const struct value *record, const char *field, const char *zone,
			size_t number, struct record_time_tally *tally)
{
	tally->records++;
	const struct value *v =
		record && record->kind == VALUE_OBJECT ? path_lookup(record, field) : NULL;
	double t;
	bool ok = v && ((v->kind == VALUE_STRING &&
			 datatime_parse_text(v->string.text, NULL, zone, &t)) ||
			(v->kind == VALUE_NUMBER && datatime_parse_number(v->number, NULL, zone, &t)));
	if (!ok) {
		note_bad(tally, number, v && v->kind != VALUE_NULL ? v : NULL);
		return NAN;
	}
	return t;
}

void record_time_report(const struct record_time_tally *tally, const char *log_key,
			const char *what, const char *option, const char *field)
{
	if (tally->bad == 0) {
		log_once_clear(log_key);
		return;
	}
	char held[112] = "missing";
	if (tally->first_text[0]) {
		snprintf(held, sizeof(held), "%s is not a time", tally->first_text);
	}
	log_once(LOG_WARN, log_key,
		 "%s: %s \"%s\": %zu of %zu records without a readable time, drawn as fresh "
		 "(record %zu: %s)",
		 what, option, field, tally->bad, tally->records, tally->first, held);
}

bool record_time_stale(double time, double max_age, double now)
{
	return !isnan(time) && now - time >= max_age;
}

double record_time_deadline(double time, double max_age, double now)
{
	double at = time + max_age;
	return !isnan(time) && at > now ? at : INFINITY;
}
