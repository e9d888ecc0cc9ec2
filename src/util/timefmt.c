#include "util/timefmt.h"

#include "util/tzif.h"
#include "util/xmalloc.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool digits(const char **p, int count, int *out)
{
	int v = 0;
	for (int i = 0; i < count; i++) {
		if (!isdigit((unsigned char)(*p)[i])) {
			return false;
		}
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += count;
	*out = v;
	return true;
}

static bool expect(const char **p, char c)
{
	if (**p != c) {
		return false;
	}
	(*p)++;
	return true;
}

bool time_parse_offset(const char **p, int *offset)
{
	if (**p == 'Z' || **p == 'z') {
		(*p)++;
		*offset = 0;
		return true;
	}
	int sign = **p == '+' ? 1 : **p == '-' ? -1 : 0;
	int hh, mm = 0;
	if (!sign) {
		return false;
	}
	(*p)++;
	if (!digits(p, 2, &hh)) {
		return false;
	}
	if (**p == ':') {
		(*p)++;
		if (!digits(p, 2, &mm)) {
			return false;
		}
	} else if (isdigit((unsigned char)**p) && !digits(p, 2, &mm)) {
		return false;
	}
	if (hh > 23 || mm > 59) {
		return false;
	}
	*offset = sign * (hh * 3600 + mm * 60);
	return true;
}

static bool parse_zone(const char **p, int default_offset, int *offset)
{
	if (**p == '\0') {
		*offset = default_offset;
		return true;
	}
	return time_parse_offset(p, offset);
}

bool time_parse_iso8601(const char *text, int default_offset_seconds, double *out_epoch)
{
	const char *p = text;
	int year, month, day, hour, minute, second = 0;
	double fraction = 0;
	if (!digits(&p, 4, &year) || !expect(&p, '-') || !digits(&p, 2, &month) ||
	    !expect(&p, '-') || !digits(&p, 2, &day)) {
		return false;
	}
	if (*p != 'T' && *p != 't' && *p != ' ') {
		return false;
	}
	p++;
	if (!digits(&p, 2, &hour) || !expect(&p, ':') || !digits(&p, 2, &minute)) {
		return false;
	}
	if (*p == ':') {
		p++;
		if (!digits(&p, 2, &second)) {
			return false;
		}
		if (*p == '.' || *p == ',') {
			double scale = 0.1;
			p++;
			if (!isdigit((unsigned char)*p)) {
				return false;
			}
			while (isdigit((unsigned char)*p)) {
				fraction += (*p++ - '0') * scale;
				scale /= 10;
			}
		}
	}
	int offset;
	if (!parse_zone(&p, default_offset_seconds, &offset) || *p != '\0') {
		return false;
	}
	if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
	    second > 60) {
		return false;
	}
	struct tm tm = {
		.tm_year = year - 1900,
		.tm_mon = month - 1,
		.tm_mday = day,
		.tm_hour = hour,
		.tm_min = minute,
		.tm_sec = second,
	};
	time_t t = timegm(&tm);
	/* timegm normalises 31 February to 3 March; such a date is not a real time. */
	if (tm.tm_mday != day || tm.tm_mon != month - 1) {
		return false;
	}
	*out_epoch = (double)t - offset + fraction;
	return true;
}

/*
 * Zones are read once and kept for the life of the process: a wall names a handful. Unknown
 * names are remembered too (zone NULL), so a typo costs one failed open, not one per frame.
 * Past MAX_CACHED_ZONES names a zone is read for each call and not kept, so no run of layout
 * edits can grow the table without bound.
 */
#define MAX_CACHED_ZONES 64

struct zone_entry {
	char *name;                  // owned
	struct tz_zone *zone;        // owned; NULL: unknown zone
	struct zone_entry *next;     // owned
};

static pthread_mutex_t zones_lock = PTHREAD_MUTEX_INITIALIZER;
static struct zone_entry *zones; // owned; never freed
static size_t zone_count;

/* An IANA name such as "America/Argentina/Buenos_Aires": no "..", no absolute path. */
static bool zone_name_ok(const char *zone)
{
	if (strlen(zone) > 200 || zone[0] == '/' || zone[0] == '.' || strstr(zone, "/.") ||
	    strstr(zone, "//")) {
		return false;
	}
	for (const char *p = zone; *p; p++) {
		if (!isalnum((unsigned char)*p) && !strchr("/_+-.", *p)) {
			return false;
		}
	}
	return true;
}

static struct tz_zone *zone_read(const char *zone)
{
	if (!zone_name_ok(zone)) {
		return NULL;
	}
	char *path = xasprintf("/usr/share/zoneinfo/%s", zone);
	char err[256];
	struct tz_zone *z = tz_zone_load(path, err, sizeof(err));
	free(path);
	return z;
}

bool time_in_zone(double epoch, const char *zone, struct tm *out)
{
	int64_t t = (int64_t)floor(epoch);
	time_t tt = (time_t)t;
	if (!zone || !*zone || strcmp(zone, "UTC") == 0) {
		gmtime_r(&tt, out);
		return true;
	}
	pthread_mutex_lock(&zones_lock);
	struct zone_entry *e = zones;
	while (e && strcmp(e->name, zone) != 0) {
		e = e->next;
	}
	if (!e && zone_count < MAX_CACHED_ZONES) {
		e = xcalloc(1, sizeof(*e));
		e->name = xstrdup(zone);
		e->zone = zone_read(zone);
		e->next = zones;
		zones = e;
		zone_count++;
	}
	// Cached zones are immutable and never freed: convert outside the lock.
	const struct tz_zone *found = e ? e->zone : NULL;
	pthread_mutex_unlock(&zones_lock);
	struct tz_zone *uncached = e ? NULL : zone_read(zone);
	if (uncached) {
		tz_zone_local(uncached, t, out);
		out->tm_zone = NULL; // the abbreviation goes with the zone
		tz_zone_destroy(uncached);
		return true;
	}
	if (!found) {
		gmtime_r(&tt, out);
		return false;
	}
	tz_zone_local(found, t, out);
	return true;
}

void time_format_utc(double epoch, char *buf, size_t size)
{
	time_t t = (time_t)floor(epoch);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int64_t time_days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void time_civil_from_days(int64_t z, int64_t *year, int *month, int *day)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = yoe + era * 400 + (*month <= 2);
}

double time_monotonic(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
