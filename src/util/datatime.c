#include "util/datatime.h"

#include "util/timefmt.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* What a format or a compact form gives: a local date and time, and maybe a zone. */
struct fields {
	int year, month, day, hour, minute, second;
	bool has_offset;
	int offset; // seconds east of UTC, when has_offset
};

/* Epoch ms above this are the numbers that cannot be seconds (1e11 s is the year 5138). */
#define EPOCH_MS_ABOVE 1e11

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool take_digits(const char **p, int count, int *out)
{
	int v = 0;
	for (int i = 0; i < count; i++) {
		if (!is_digit((*p)[i])) {
			return false;
		}
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += count;
	*out = v;
	return true;
}

/* One directive (the character after '%') applied to the text at *p. */
static bool take_directive(char directive, const char **p, struct fields *f)
{
	switch (directive) {
	case 'Y':
		return take_digits(p, 4, &f->year);
	case 'm':
		return take_digits(p, 2, &f->month);
	case 'd':
		return take_digits(p, 2, &f->day);
	case 'H':
		return take_digits(p, 2, &f->hour);
	case 'M':
		return take_digits(p, 2, &f->minute);
	case 'S':
		return take_digits(p, 2, &f->second);
	case 'z':
		f->has_offset = true;
		return time_parse_offset(p, &f->offset);
	case '%':
		return *(*p)++ == '%';
	default:
		return false;
	}
}

static bool match_format(const char *text, const char *format, struct fields *f)
{
	*f = (struct fields){.month = 1, .day = 1};
	const char *p = text;
	bool year = false; // a format without %Y names no time (datatime_format_check says so too)
	for (const char *c = format; *c; c++) {
		if (*c == '%') {
			year |= c[1] == 'Y';
			if (!take_directive(*++c, &p, f)) {
				return false;
			}
		} else if (*p++ != *c) {
			return false;
		}
	}
	return *p == '\0' && year;
}

bool datatime_format_check(const char *format, char *err, size_t err_size)
{
	bool year = false;
	for (const char *c = format; *c; c++) {
		if (*c != '%') {
			continue;
		}
		c++;
		if (!*c || !strchr("YmdHMSz%", *c)) {
			snprintf(err, err_size, "unknown directive \"%%%s\" at offset %zu (known: %%Y %%m "
				 "%%d %%H %%M %%S %%z %%%%)", *c ? (char[]){*c, 0} : "",
				 (size_t)(c - 1 - format));
			return false;
		}
		year |= *c == 'Y';
	}
	if (!year) {
		snprintf(err, err_size, "a format needs %%Y (the year) to name a time");
		return false;
	}
	return true;
}

/* The compact forms: 8, 12 or 14 digits and nothing else. */
static bool match_compact(const char *text, struct fields *f)
{
	size_t n = strlen(text);
	static const char *const forms[] = {"%Y%m%d", "%Y%m%d%H%M", "%Y%m%d%H%M%S"};
	size_t form = n == 8 ? 0 : n == 12 ? 1 : n == 14 ? 2 : 3;
	return form < 3 && match_format(text, forms[form], f);
}

static bool fields_valid(const struct fields *f)
{
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (f->month < 1 || f->month > 12 || f->day < 1 || f->day > days[f->month - 1] ||
	    f->hour > 23 || f->minute > 59 || f->second > 60) {
		return false;
	}
	bool leap = (f->year % 4 == 0 && f->year % 100 != 0) || f->year % 400 == 0;
	return !(f->month == 2 && f->day == 29 && !leap);
}

/* The UTC offset of `zone` at `t` (seconds east). */
static long zone_offset(double t, const char *zone)
{
	struct tm tm;
	time_in_zone(t, zone, &tm);
	return tm.tm_gmtoff;
}

/*
 * Local time in `zone` → epoch. The offset is looked up at the guess and again at the result,
 * so a time near a DST change lands on the right side; a local time that a change skips is
 * taken with the offset before it.
 */
static double fields_epoch(const struct fields *f, const char *zone)
{
	struct tm tm = {
		.tm_year = f->year - 1900,
		.tm_mon = f->month - 1,
		.tm_mday = f->day,
		.tm_hour = f->hour,
		.tm_min = f->minute,
		.tm_sec = f->second,
	};
	double local = (double)timegm(&tm);
	if (f->has_offset) {
		return local - f->offset;
	}
	long first = zone_offset(local, zone);
	long second = zone_offset(local - (double)first, zone);
	return local - (double)second;
}

static bool finish(const struct fields *f, const char *zone, double *out)
{
	if (!fields_valid(f)) {
		return false;
	}
	*out = fields_epoch(f, zone);
	return true;
}

/* time_parse_iso8601 takes a fixed offset: the zone's offset at that time is found after. */
static bool parse_iso_in_zone(const char *text, const char *zone, double *out)
{
	double utc;
	if (!time_parse_iso8601(text, 0, &utc)) {
		return false;
	}
	/* Does the text name its own zone? Parsed once more at another default, it moves if not. */
	double shifted;
	time_parse_iso8601(text, 3600, &shifted);
	if (shifted != utc) {
		long first = zone_offset(utc, zone);
		utc -= (double)zone_offset(utc - (double)first, zone);
	}
	*out = utc;
	return true;
}

bool datatime_parse_text(const char *text, const char *format, const char *zone, double *out)
{
	struct fields f;
	if (format) {
		return match_format(text, format, &f) && finish(&f, zone, out);
	}
	if (parse_iso_in_zone(text, zone, out)) {
		return true;
	}
	return match_compact(text, &f) && finish(&f, zone, out);
}

bool datatime_parse_number(double number, const char *format, const char *zone, double *out)
{
	if (!isfinite(number)) {
		return false;
	}
	char digits[32];
	bool integral = number >= 0 && number < 1e15 && floor(number) == number;
	if (integral) {
		snprintf(digits, sizeof(digits), "%.0f", number);
	}
	if (format) {
		return integral && datatime_parse_text(digits, format, zone, out);
	}
	struct fields f;
	if (integral && match_compact(digits, &f) && f.year >= 1900 && finish(&f, zone, out)) {
		return true;
	}
	*out = fabs(number) > EPOCH_MS_ABOVE ? number / 1000 : number;
	/* Beyond that it is no time at all (and would overflow a time_t). */
	return fabs(*out) <= EPOCH_MS_ABOVE;
}

bool datatime_zone_known(const char *zone)
{
	struct tm tm;
	return time_in_zone(0, zone, &tm);
}
