#ifndef CITYWALL_WIDGETS_RECORD_TIME_H
#define CITYWALL_WIDGETS_RECORD_TIME_H

/*
 * Records with their own time: a table's rows, a map's districts and markers may each say
 * when they were measured (the air feed's MSRDT per district, citydata's PPLTN_TIME per
 * area), so one stale reading is drawn stale while the others are fresh. A record is stale
 * once it is as old as its source's max_age, like a whole source (compose/board.c). Times are
 * read in the forms the city writes them (util/datatime.h); a record without a readable time
 * is drawn as fresh, and the widget logs it once.
 */

#include <stdbool.h>
#include <stddef.h>

#include "model/value.h"

/* Zone of record times written without one, for widgets without a `timezone` option. */
#define RECORD_TIME_ZONE "Asia/Seoul"

/* What reading one binding's records found, for a single log line. */
struct record_time_tally {
	size_t records; // records looked at
	size_t bad;     // of which without a readable time
	size_t first;   // 1-based number of the first such record
	char first_text[80]; // what it held, quoted and shortened; "" when missing
};

/*
 * The time in member `field` (a value path, e.g. "MSRDT") of `record`, the record at 1-based
 * position `number`, zone-less text read in IANA zone `zone`: epoch seconds, or NAN when
 * missing or unreadable (counted in `tally`).
 */
double record_time_read(const struct value *record, const char *field, const char *zone,
			size_t number, struct record_time_tally *tally);

/*
 * Logs once under `log_key` what `tally` found ("table air: time_field "MSRDT": 1 of 3 records
 * without a readable time, drawn as fresh (record 3: missing)"), or forgets the key when every
 * record had a time. `what` names the tile ("table air"), `option` the option ("time_field").
 */
void record_time_report(const struct record_time_tally *tally, const char *log_key,
			const char *what, const char *option, const char *field);

/* Whether a record of `time` is stale at `now` (NAN never is). */
bool record_time_stale(double time, double max_age, double now);

/* When a record of `time` turns stale, if that is after `now`; else INFINITY. */
double record_time_deadline(double time, double max_age, double now);

#endif
