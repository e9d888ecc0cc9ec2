#include "util/tzif.h"
#include "util/timefmt.h"

#include "util/fileio.h"
#include "util/xmalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds far above any real zone (Asia/Seoul: 30 transitions, 7 types) that keep sizes small. */
#define MAX_TZIF_BYTES (1u << 20)
#define MAX_TRANSITIONS 20000u
#define MAX_TYPES 256u
#define MAX_CHARS 4096u
#define MAX_LEAPS 1000u
/* RFC 8536: UT offsets are within (-25 h, 26 h). */
#define MIN_UTOFF (-89999)
#define MAX_UTOFF 93599

struct tz_type {
	int32_t utoff;               // seconds east of UTC
	bool isdst;
	char abbr[16];               // "KST", "EDT"; truncated when longer
};

/* A transition rule of a POSIX TZ string: Jn, n or Mm.w.d, at `time` seconds of local time. */
struct tz_rule {
	char kind;                   // 'J' (1..365, no 29 February), 'N' (0..365), 'M'
	int day, week, month;
	int32_t time;
};

struct tz_posix {
	struct tz_type std, dst;
	bool has_dst;
	struct tz_rule start, end;
};

struct tz_zone {
	int64_t *times;              // owned; transition times, strictly ascending
	uint8_t *type_of;            // owned; the type index after each transition
	struct tz_type *types;       // owned; at least one
	size_t time_count, type_count;
	bool has_footer;
	struct tz_posix footer;      // local time after the last transition
};

/* ---- calendar arithmetic (proleptic Gregorian; H. Hinnant's civil algorithms) ---- */

static int64_t year_of_days(int64_t z)
{
	int64_t year;
	int month, day;
	time_civil_from_days(z, &year, &month, &day);
	return year;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static bool leap_year(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return days[m - 1] + (m == 2 && leap_year(y));
}

/* ---- POSIX TZ strings ---- */

static bool parse_name(const char **p, char *out, size_t size)
{
	const char *s = *p;
	size_t n = 0;
	if (*s == '<') {
		s++;
		while (isalnum((unsigned char)s[n]) || s[n] == '+' || s[n] == '-') {
			n++;
		}
		if (s[n] != '>' || n < 3) {
			return false;
		}
		*p = s + n + 1;
	} else {
		while (isalpha((unsigned char)s[n])) {
			n++;
		}
		if (n < 3) {
			return false;
		}
		*p = s + n;
	}
	snprintf(out, size, "%.*s", (int)n, s);
	return true;
}

/* [+-]hh[:mm[:ss]] with hours up to max_hours (24 for offsets, 167 for rule times). */
static bool parse_hms(const char **p, int max_hours, int32_t *out)
{
	const char *s = *p;
	int sign = 1;
	if (*s == '+' || *s == '-') {
		sign = *s == '-' ? -1 : 1;
		s++;
	}
	long parts[3] = {0, 0, 0};
	for (int i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)*s)) {
			return false;
		}
		char *end;
		parts[i] = strtol(s, &end, 10);
		if (end - s > 3) {
			return false;
		}
		s = end;
		if (*s != ':' || i == 2) {
			break;
		}
		s++;
	}
	if (parts[0] > max_hours || parts[1] > 59 || parts[2] > 59) {
		return false;
	}
	*out = (int32_t)(sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]));
	*p = s;
	return true;
}

static bool parse_number(const char **p, int lo, int hi, int *out)
{
	if (!isdigit((unsigned char)**p)) {
		return false;
	}
	char *end;
	long v = strtol(*p, &end, 10);
	if (v < lo || v > hi || end - *p > 3) {
		return false;
	}
	*p = end;
	*out = (int)v;
	return true;
}

static bool parse_rule(const char **p, struct tz_rule *r)
{
	*r = (struct tz_rule){.time = 2 * 3600};
	if (**p == 'J') {
		(*p)++;
		r->kind = 'J';
		if (!parse_number(p, 1, 365, &r->day)) {
			return false;
		}
	} else if (**p == 'M') {
		(*p)++;
		r->kind = 'M';
		if (!parse_number(p, 1, 12, &r->month) || *(*p)++ != '.' ||
		    !parse_number(p, 1, 5, &r->week) || *(*p)++ != '.' ||
		    !parse_number(p, 0, 6, &r->day)) {
			return false;
		}
	} else {
		r->kind = 'N';
		if (!parse_number(p, 0, 365, &r->day)) {
			return false;
		}
	}
	if (**p == '/') {
		(*p)++;
		return parse_hms(p, 167, &r->time);
	}
	return true;
}

static bool parse_posix(const char *text, struct tz_posix *out)
{
	const char *p = text;
	int32_t west;
	*out = (struct tz_posix){0};
	if (!parse_name(&p, out->std.abbr, sizeof(out->std.abbr)) || !parse_hms(&p, 24, &west)) {
		return false;
	}
	out->std.utoff = -west; // POSIX counts hours west of Greenwich
	if (*p == '\0') {
		return true;
	}
	out->has_dst = true;
	out->dst.isdst = true;
	if (!parse_name(&p, out->dst.abbr, sizeof(out->dst.abbr))) {
		return false;
	}
	out->dst.utoff = out->std.utoff + 3600;
	if (*p != ',' && *p != '\0') {
		if (!parse_hms(&p, 24, &west)) {
			return false;
		}
		out->dst.utoff = -west;
	}
	if (*p == '\0') {
		// No rule given: the US rules, as glibc assumes.
		out->start = (struct tz_rule){'M', 0, 2, 3, 7200};
		out->end = (struct tz_rule){'M', 0, 1, 11, 7200};
		return true;
	}
	return *p++ == ',' && parse_rule(&p, &out->start) && *p++ == ',' &&
	       parse_rule(&p, &out->end) && *p == '\0';
}

/* The UTC time at which `r` happens in year y, local time being `utoff` before it. */
static int64_t rule_time(const struct tz_rule *r, int64_t y, int32_t utoff)
{
	int64_t day = time_days_from_civil(y, 1, 1);
	if (r->kind == 'J') {
		day += r->day - 1 + (leap_year(y) && r->day >= 60);
	} else if (r->kind == 'N') {
		day += r->day;
	} else {
		int64_t first = time_days_from_civil(y, r->month, 1);
		int wday = (int)((first % 7 + 11) % 7); // 1970-01-01 was a Thursday
		int mday = 1 + (r->day - wday + 7) % 7 + (r->week - 1) * 7;
		while (mday > month_days(y, r->month)) {
			mday -= 7;
		}
		day = first + mday - 1;
	}
	return day * 86400 + r->time - utoff;
}

static const struct tz_type *posix_type(const struct tz_posix *z, int64_t t)
{
	if (!z->has_dst) {
		return &z->std;
	}
	int64_t y = year_of_days(floor_div(t + z->std.utoff, 86400));
	int64_t start = rule_time(&z->start, y, z->std.utoff);
	int64_t end = rule_time(&z->end, y, z->dst.utoff);
	bool dst = start < end ? t >= start && t < end : !(t >= end && t < start);
	return dst ? &z->dst : &z->std;
}

/* ---- TZif ---- */

struct reader {
	const unsigned char *data;
	size_t size, pos;
};

static bool take(struct reader *r, size_t n, const unsigned char **out)
{
	if (n > r->size - r->pos) {
		return false;
	}
	*out = r->data + r->pos;
	r->pos += n;
	return true;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct header {
	char version;
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

static const char *read_header(struct reader *r, struct header *h)
{
	const unsigned char *p;
	if (!take(r, 44, &p)) {
		return "shorter than a TZif header";
	}
	if (memcmp(p, "TZif", 4) != 0) {
		return "not a TZif file (no \"TZif\" magic)";
	}
	h->version = (char)p[4];
	if (h->version != 0 && (h->version < '2' || h->version > '9')) {
		return "unknown TZif version";
	}
	uint32_t *counts[] = {&h->isutcnt, &h->isstdcnt, &h->leapcnt,
			      &h->timecnt, &h->typecnt, &h->charcnt};
	for (int i = 0; i < 6; i++) {
		*counts[i] = be32(p + 20 + 4 * i);
	}
	if (h->typecnt == 0 || h->charcnt == 0) {
		return "no local time types";
	}
	if ((h->isutcnt && h->isutcnt != h->typecnt) ||
	    (h->isstdcnt && h->isstdcnt != h->typecnt)) {
		return "indicator counts differ from the type count";
	}
	if (h->timecnt > MAX_TRANSITIONS || h->typecnt > MAX_TYPES || h->charcnt > MAX_CHARS ||
	    h->leapcnt > MAX_LEAPS) {
		return "implausibly large counts";
	}
	return NULL;
}

static size_t block_size(const struct header *h, size_t time_size)
{
	return h->timecnt * time_size + h->timecnt + h->typecnt * 6 + h->charcnt +
	       h->leapcnt * (time_size + 4) + h->isstdcnt + h->isutcnt;
}

/* Reads one data block into zone; time_size is 4 (version 1) or 8. */
static const char *read_block(struct reader *r, const struct header *h, size_t time_size,
			      struct tz_zone *zone)
{
	const unsigned char *p;
	if (!take(r, block_size(h, time_size), &p)) {
		return "data block cut short";
	}
	zone->time_count = h->timecnt;
	zone->type_count = h->typecnt;
	zone->times = xcalloc(h->timecnt + 1, sizeof(*zone->times));
	zone->type_of = xcalloc(h->timecnt + 1, sizeof(*zone->type_of));
	zone->types = xcalloc(h->typecnt, sizeof(*zone->types));
	for (size_t i = 0; i < h->timecnt; i++, p += time_size) {
		zone->times[i] = time_size == 8 ? be64(p) : (int32_t)be32(p);
		if (i > 0 && zone->times[i] <= zone->times[i - 1]) {
			return "transition times not ascending";
		}
	}
	for (size_t i = 0; i < h->timecnt; i++) {
		zone->type_of[i] = *p++;
		if (zone->type_of[i] >= h->typecnt) {
			return "transition names a type that does not exist";
		}
	}
	const unsigned char *chars = p + h->typecnt * 6;
	for (size_t i = 0; i < h->typecnt; i++, p += 6) {
		struct tz_type *type = &zone->types[i];
		type->utoff = (int32_t)be32(p);
		if (type->utoff < MIN_UTOFF || type->utoff > MAX_UTOFF || p[4] > 1 ||
		    p[5] >= h->charcnt) {
			return "bad local time type";
		}
		type->isdst = p[4];
		size_t n = strnlen((const char *)chars + p[5], h->charcnt - p[5]);
		if (n == h->charcnt - p[5]) {
			return "time zone abbreviation not terminated";
		}
		snprintf(type->abbr, sizeof(type->abbr), "%.*s", (int)n, chars + p[5]);
	}
	return NULL;
}

static const char *read_footer(struct reader *r, struct tz_zone *zone)
{
	const unsigned char *p;
	if (!take(r, 1, &p) || *p != '\n') {
		return "no footer";
	}
	const unsigned char *start = r->data + r->pos;
	const unsigned char *nl = memchr(start, '\n', r->size - r->pos);
	if (!nl || nl - start > 255) {
		return "footer not terminated";
	}
	if (nl == start) {
		return NULL; // an empty footer: no rule past the last transition
	}
	char text[256];
	memcpy(text, start, (size_t)(nl - start));
	text[nl - start] = '\0';
	if (!parse_posix(text, &zone->footer)) {
		return "footer TZ string not understood";
	}
	zone->has_footer = true;
	return NULL;
}

static const char *parse_tzif(struct reader *r, struct tz_zone *zone)
{
	struct header h;
	const char *problem = read_header(r, &h);
	if (problem) {
		return problem;
	}
	if (h.version == 0) {
		return read_block(r, &h, 4, zone);
	}
	// Version 2+: skip the 32-bit block; the 64-bit one and the footer follow.
	const unsigned char *skipped;
	if (!take(r, block_size(&h, 4), &skipped)) {
		return "version 1 data block cut short";
	}
	if ((problem = read_header(r, &h)) || (problem = read_block(r, &h, 8, zone))) {
		return problem;
	}
	return read_footer(r, zone);
}

struct tz_zone *tz_zone_parse(const unsigned char *data, size_t size, const char *what, char *err,
			      size_t err_size)
{
	struct reader r = {data, size, 0};
	struct tz_zone *zone = xcalloc(1, sizeof(*zone));
	const char *problem = parse_tzif(&r, zone);
	if (problem) {
		snprintf(err, err_size, "%s: %s", what, problem);
		tz_zone_destroy(zone);
		return NULL;
	}
	return zone;
}

struct tz_zone *tz_zone_load(const char *path, char *err, size_t err_size)
{
	char *data;
	size_t size;
	if (!file_read_all(path, MAX_TZIF_BYTES, &data, &size, err, err_size)) {
		return NULL;
	}
	struct tz_zone *zone = tz_zone_parse((const unsigned char *)data, size, path, err, err_size);
	free(data);
	return zone;
}

struct tz_zone *tz_zone_from_posix(const char *text)
{
	struct tz_posix posix;
	if (!text || !parse_posix(text, &posix)) {
		return NULL;
	}
	struct tz_zone *zone = xcalloc(1, sizeof(*zone));
	zone->types = xcalloc(1, sizeof(*zone->types));
	zone->types[0] = posix.std;
	zone->type_count = 1;
	zone->footer = posix;
	zone->has_footer = true;
	return zone;
}

static const struct tz_type *zone_type(const struct tz_zone *zone, int64_t t)
{
	size_t n = zone->time_count;
	if (n == 0 || t >= zone->times[n - 1]) {
		if (zone->has_footer) {
			return posix_type(&zone->footer, t);
		}
		return &zone->types[n ? zone->type_of[n - 1] : 0];
	}
	if (t < zone->times[0]) {
		return &zone->types[0];
	}
	size_t lo = 0, hi = n - 1; // times[lo] <= t < times[hi]
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (zone->times[mid] <= t) {
			lo = mid;
		} else {
			hi = mid;
		}
	}
	return &zone->types[zone->type_of[lo]];
}

void tz_zone_local(const struct tz_zone *zone, int64_t t, struct tm *out)
{
	const struct tz_type *type = zone_type(zone, t);
	time_t local = (time_t)(t + type->utoff);
	gmtime_r(&local, out);
	out->tm_isdst = type->isdst;
	out->tm_gmtoff = type->utoff;
	out->tm_zone = type->abbr;
}

void tz_zone_destroy(struct tz_zone *zone)
{
	if (!zone) {
		return;
	}
	free(zone->times);
	free(zone->type_of);
	free(zone->types);
	free(zone);
}
