#ifndef CITYWALL_UTIL_TIMEFMT_H
#define CITYWALL_UTIL_TIMEFMT_H

/*
 * Times are seconds since the Unix epoch (UTC) as doubles everywhere in citywall; these helpers
 * convert them from and to the text forms found in feeds, options and on screen.
 */

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/*
 * Parses ISO 8601 / RFC 3339 date-times: "2026-11-25T09:00:00+09:00", "...Z", fractions of a
 * second, a space instead of 'T', and minutes without seconds ("2026-11-25 14:00", as Seoul's
 * open-data APIs send). Text without a zone is taken at `default_offset_seconds` east of UTC.
 * Returns false when the text is not such a time.
 */
bool time_parse_iso8601(const char *text, int default_offset_seconds, double *out_epoch);

/*
 * A zone offset at *p — "Z", "+09", "+0900" or "+09:00" — in seconds east of UTC; advances *p
 * past it. False (with *p anywhere) when there is none.
 */
bool time_parse_offset(const char **p, int *offset);

/*
 * Breaks `epoch` down in the IANA time zone `zone` (e.g. "Asia/Seoul"; NULL or "" means UTC).
 * Returns false when the zone is unknown (the result is then UTC). Each zone's TZif file is read
 * once (/usr/share/zoneinfo/ZONE, with its footer rule for times after the last transition) and
 * kept; the environment (TZ) and the C library's zone state are never touched, so any thread may
 * call it. tm_zone, when set, points into the kept zone and stays valid.
 */
bool time_in_zone(double epoch, const char *zone, struct tm *out);

/* Formats `epoch` as RFC 3339 in UTC ("2026-11-25T00:00:00Z") into buf. */
void time_format_utc(double epoch, char *buf, size_t size);

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
int64_t time_days_from_civil(int64_t year, int month, int day);
/* The proleptic Gregorian date of a count of days since 1970-01-01 (its inverse). */
void time_civil_from_days(int64_t days, int64_t *year, int *month, int *day);

/* Seconds on CLOCK_MONOTONIC: for deadlines and back-offs that a clock step must not move. */
double time_monotonic(void);

#endif
