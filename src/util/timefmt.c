#include "util/timefmt.h"

#include "util/xmalloc.h"

#include <ctype.h>
#include <math.h>
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

static bool parse_zone(const char **p, int default_offset, int *offset)
{
	if (**p == '\0') {
		*offset = default_offset;
		return true;
	}
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
	}
	if (isdigit((unsigned char)**p) && !digits(p, 2, &mm)) {
		return false;
	}
	if (hh > 23 || mm > 59) {
		return false;
	}
	*offset = sign * (hh * 3600 + mm * 60);
	return true;
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

bool time_in_zone(double epoch, const char *zone, struct tm *out)
{
	time_t t = (time_t)floor(epoch);
	if (!zone || !*zone || strcmp(zone, "UTC") == 0) {
		gmtime_r(&t, out);
		return true;
	}
	/* The zone file must exist: glibc silently treats an unknown TZ as UTC. */
	char *file = xasprintf("/usr/share/zoneinfo/%s", zone);
	FILE *f = strstr(zone, "..") ? NULL : fopen(file, "rb");
	free(file);
	if (!f) {
		gmtime_r(&t, out);
		return false;
	}
	fclose(f);

	const char *old = getenv("TZ");
	char *saved = old ? xstrdup(old) : NULL;
	bool same = saved && strcmp(saved, zone) == 0;
	if (!same) {
		setenv("TZ", zone, 1);
		tzset();
	}
	localtime_r(&t, out);
	if (!same) {
		if (saved) {
			setenv("TZ", saved, 1);
		} else {
			unsetenv("TZ");
		}
		tzset();
	}
	free(saved);
	return true;
}

void time_format_utc(double epoch, char *buf, size_t size)
{
	time_t t = (time_t)floor(epoch);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
