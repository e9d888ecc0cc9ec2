#include "render/format.h"

#include "util/timefmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/*
 * 1e308 printed as 309 digits and was cut to the caller's buffer: a wrong number on the wall.
 * Past 10^18 (a million 조, far beyond any figure a city shows; 35 characters with commas and
 * 9 decimals) a value reads as no data ("—"), like NaN.
 */
#define MAX_MAGNITUDE 1e18
/*
 * Times further than this from now, and durations longer, are no real reading but a broken
 * feed (1e308 once drew "-2192465291년"); they read as no data too. It also keeps every time
 * handed to the calendar functions well inside time_t and struct tm.
 */
#define MAX_SPAN (100 * 365.25 * 86400)

static bool sane_number(double value)
{
	return isfinite(value) && fabs(value) <= MAX_MAGNITUDE;
}

/* A time `then` that can be told against `now` (NaN `now`: only `then` is checked). */
static bool sane_time(double then, double now)
{
	return isfinite(then) && fabs(then) < 1e11 && (isnan(now) || fabs(now - then) <= MAX_SPAN);
}

static int effective_decimals(double value, int decimals)
{
	if (decimals >= 0) {
		return decimals > 9 ? 9 : decimals;
	}
	return floor(value) == value ? 0 : 1;
}

static void group_thousands(const char *digits, char *out, size_t size)
{
	/* digits: optional '-', integer digits, optional fraction starting at '.'. */
	size_t o = 0;
	const char *p = digits;
	if (*p == '-') {
		if (o + 1 < size) {
			out[o++] = *p;
		}
		p++;
	}
	size_t int_len = strcspn(p, ".");
	for (size_t i = 0; i < int_len; i++) {
		if (i > 0 && (int_len - i) % 3 == 0 && o + 1 < size) {
			out[o++] = ',';
		}
		if (o + 1 < size) {
			out[o++] = p[i];
		}
	}
	for (const char *f = p + int_len; *f && o + 1 < size; f++) {
		out[o++] = *f;
	}
	out[o < size ? o : size - 1] = '\0';
}

void format_number(double value, int decimals, bool thousands, char *buf, size_t size)
{
	if (size == 0) {
		return;
	}
	if (!sane_number(value)) {
		snprintf(buf, size, "—");
		return;
	}
	int d = effective_decimals(value, decimals);
	char plain[400];
	snprintf(plain, sizeof(plain), "%.*f", d, value);
	/* "-0" or "-0.0" after rounding is zero, not a negative reading. */
	if (plain[0] == '-' && strspn(plain + 1, "0.") == strlen(plain + 1)) {
		memmove(plain, plain + 1, strlen(plain));
	}
	if (thousands) {
		group_thousands(plain, buf, size);
	} else {
		snprintf(buf, size, "%s", plain);
	}
}

int format_delta(double delta, int decimals, bool thousands, char *buf, size_t size)
{
	if (!sane_number(delta)) {
		snprintf(buf, size, "—");
		return 0;
	}
	char magnitude[400];
	format_number(fabs(delta), decimals, thousands, magnitude, sizeof(magnitude));
	if (strspn(magnitude, "0.,") == strlen(magnitude)) {
		snprintf(buf, size, "%s", magnitude);
		return 0;
	}
	snprintf(buf, size, "%s %s", delta > 0 ? "▲" : "▼", magnitude);
	return delta > 0 ? 1 : -1;
}

bool format_time_of_day(double t, double now, const char *zone, char *buf, size_t size)
{
	struct tm at, today;
	bool known = time_in_zone(t, zone, &at);
	time_in_zone(now, zone, &today);
	if (at.tm_year == today.tm_year && at.tm_yday == today.tm_yday) {
		snprintf(buf, size, "%02d:%02d", at.tm_hour, at.tm_min);
	} else {
		snprintf(buf, size, "%d/%d %02d:%02d", at.tm_mon + 1, at.tm_mday, at.tm_hour,
			 at.tm_min);
	}
	return known;
}

void format_as_of(double data_time, const char *zone, double now, char *buf, size_t size)
{
	if (!sane_time(data_time, now)) {
		snprintf(buf, size, "—");
		return;
	}
	struct tm tm, today;
	time_in_zone(data_time, zone, &tm);
	/* A time alone means today: data from another calendar day carries its full date. */
	bool same_day = false;
	if (!isnan(now)) {
		time_in_zone(now, zone, &today);
		same_day = tm.tm_year == today.tm_year && tm.tm_yday == today.tm_yday;
	}
	if (same_day) {
		snprintf(buf, size, "%02d:%02d 기준", tm.tm_hour, tm.tm_min);
	} else {
		snprintf(buf, size, "%04d-%02d-%02d %02d:%02d 기준", tm.tm_year + 1900, tm.tm_mon + 1,
			 tm.tm_mday, tm.tm_hour, tm.tm_min);
	}
}

void format_age(double age, char *buf, size_t size)
{
	if (!isfinite(age) || age < 0 || age > MAX_SPAN) {
		snprintf(buf, size, "—");
	} else if (age < 60) {
		snprintf(buf, size, "%.0f초 전", floor(age));
	} else {
		snprintf(buf, size, "%.0f분 전", floor(age / 60));
	}
}

/* ---- value formats ---- */

/* Seoul's open-data APIs send local times without a zone. */
#define SEOUL_UTC_OFFSET (9 * 3600)

const char *const format_names[] = {
	[VALUE_FORMAT_NUMBER] = "number",
	[VALUE_FORMAT_KOREAN] = "korean",
	[VALUE_FORMAT_KOREAN_COMPACT] = "korean_compact",
	[VALUE_FORMAT_PERCENT] = "percent",
	[VALUE_FORMAT_RATIO] = "ratio",
	[VALUE_FORMAT_DURATION] = "duration",
	[VALUE_FORMAT_RELATIVE] = "relative",
	NULL,
};

bool format_from_name(const char *name, enum value_format *out)
{
	for (int i = 0; name && format_names[i]; i++) {
		if (strcmp(format_names[i], name) == 0) {
			*out = (enum value_format)i;
			return true;
		}
	}
	return false;
}

static const struct {
	double size;
	const char *name;
} korean_units[] = {{1e12, "조"}, {1e8, "억"}, {1e4, "만"}};

#define KOREAN_UNIT_COUNT (sizeof(korean_units) / sizeof(korean_units[0]))

/* |value| as format_number would round it: whether it still reads below 10,000. */
static bool below_man(double value, int decimals)
{
	int d = effective_decimals(value, decimals);
	double scale = pow(10, d);
	return round(fabs(value) * scale) / scale < 1e4;
}

/* The largest unit that `magnitude` (>= 10,000) reaches. */
static size_t korean_unit_of(double magnitude)
{
	size_t i = 0;
	while (i + 1 < KOREAN_UNIT_COUNT && magnitude < korean_units[i].size) {
		i++;
	}
	return i;
}

void format_korean(double value, int decimals, bool thousands, char *buf, size_t size)
{
	if (!sane_number(value) || below_man(value, decimals)) {
		format_number(value, decimals, thousands, buf, size);
		return;
	}
	double magnitude = fabs(value);
	size_t i = korean_unit_of(magnitude);
	double top, low;
	for (;;) {
		/* Count in the next unit down (만 → ones), rounded, then split off the top unit. */
		double lower = korean_units[i].size / 1e4;
		double count = round(magnitude / lower);
		top = floor(count / 1e4);
		low = count - top * 1e4;
		if (top < 1e4 || i == 0) {
			break;
		}
		i--; // 9999만 9999.6 rounds to 1억: carry into the next unit
	}
	char top_text[200], low_text[32];
	format_number(top, 0, thousands, top_text, sizeof(top_text));
	format_number(low, 0, thousands, low_text, sizeof(low_text));
	const char *lower_name = i + 1 < KOREAN_UNIT_COUNT ? korean_units[i + 1].name : "";
	if (low > 0) {
		snprintf(buf, size, "%s%s%s %s%s", value < 0 ? "-" : "", top_text,
			 korean_units[i].name, low_text, lower_name);
	} else {
		snprintf(buf, size, "%s%s%s", value < 0 ? "-" : "", top_text, korean_units[i].name);
	}
}

void format_korean_compact(double value, int decimals, bool thousands, char *buf, size_t size)
{
	if (!sane_number(value) || below_man(value, decimals)) {
		format_number(value, decimals, thousands, buf, size);
		return;
	}
	int d = decimals == FORMAT_AUTO_DECIMALS ? 1 : (decimals > 9 ? 9 : decimals);
	double scale = pow(10, d);
	double magnitude = fabs(value);
	size_t i = korean_unit_of(magnitude);
	double count = round(magnitude / korean_units[i].size * scale) / scale;
	if (count >= 1e4 && i > 0) {
		i--; // 9,999.96만 reads 1억, not 10,000.0만
		count = round(magnitude / korean_units[i].size * scale) / scale;
	}
	char number[200];
	format_number(count, d, thousands, number, sizeof(number));
	size_t len = strlen(number);
	if (decimals == FORMAT_AUTO_DECIMALS && len > 2 && strcmp(number + len - 2, ".0") == 0) {
		number[len - 2] = '\0';
	}
	snprintf(buf, size, "%s%s%s", value < 0 ? "-" : "", number, korean_units[i].name);
}

void format_percent(double percent, int decimals, bool thousands, char *buf, size_t size)
{
	if (!sane_number(percent)) {
		format_number(percent, decimals, thousands, buf, size);
		return;
	}
	char number[400];
	format_number(percent, decimals, thousands, number, sizeof(number));
	snprintf(buf, size, "%s%%", number);
}

/* A ratio in percent without binary noise: 0.07 * 100 is 7.000000000000001. */
static double ratio_to_percent(double ratio)
{
	double percent = ratio * 100;
	return fabs(percent) < 1e12 ? round(percent * 1e9) / 1e9 : percent;
}

void format_duration(double seconds, char *buf, size_t size)
{
	if (!isfinite(seconds) || fabs(seconds) > MAX_SPAN) {
		snprintf(buf, size, "—");
		return;
	}
	long long s = llround(fabs(seconds));
	const char *sign = seconds < 0 && s > 0 ? "-" : "";
	long long h = s / 3600, m = s % 3600 / 60, sec = s % 60;
	if (h > 0) {
		snprintf(buf, size, "%s%lld:%02lld:%02lld", sign, h, m, sec);
	} else {
		snprintf(buf, size, "%s%lld:%02lld", sign, m, sec);
	}
}

static long local_day(const struct tm *tm)
{
	return (long)time_days_from_civil(tm->tm_year + 1900L, tm->tm_mon + 1, tm->tm_mday);
}

/* Past a day: by calendar day in the zone. */
static void relative_days(double then, double now, const char *zone, char *buf, size_t size)
{
	struct tm t, n;
	time_in_zone(then, zone, &t);
	time_in_zone(now, zone, &n);
	long days = local_day(&n) - local_day(&t);
	if (days == 1 || days == -1) {
		snprintf(buf, size, "%s", days == 1 ? "어제" : "내일");
	} else if (t.tm_year == n.tm_year) {
		snprintf(buf, size, "%d월 %d일", t.tm_mon + 1, t.tm_mday);
	} else {
		snprintf(buf, size, "%d년 %d월 %d일", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday);
	}
}

void format_relative(double then, double now, const char *zone, char *buf, size_t size)
{
	if (!isfinite(now) || !sane_time(then, now)) {
		snprintf(buf, size, "—");
		return;
	}
	double age = now - then, span = fabs(age);
	const char *dir = age >= 0 ? "전" : "후";
	if (span < 60) {
		snprintf(buf, size, "방금");
	} else if (span < 3600) {
		snprintf(buf, size, "%d분 %s", (int)floor(span / 60), dir);
	} else if (span < 86400) {
		snprintf(buf, size, "%d시간 %s", (int)floor(span / 3600), dir);
	} else {
		relative_days(then, now, zone, buf, size);
	}
}

/* The next local midnight after `now` in `zone`. */
static double next_midnight(double now, const char *zone)
{
	struct tm tm;
	time_in_zone(now, zone, &tm);
	double into_day = tm.tm_hour * 3600.0 + tm.tm_min * 60.0 + tm.tm_sec;
	return floor(now) - into_day + 86400;
}

double format_relative_next_change(double then, double now, const char *zone)
{
	if (!isfinite(now) || !sane_time(then, now)) {
		return INFINITY; /* "—" until new data */
	}
	double age = now - then, next;
	/* Counts round down: a past count grows at the next whole step of age, a future one
	 * shrinks just after the future span falls below its whole step. */
	static const double steps[] = {60, 3600, 86400};
	if (age >= 0) {
		next = age < 60 ? then + 60 : INFINITY;
		for (int i = 0; isinf(next) && i < 2; i++) {
			if (age < steps[i + 1]) {
				next = then + (floor(age / steps[i]) + 1) * steps[i];
			}
		}
		if (isinf(next)) {
			next = next_midnight(now, zone);
		}
	} else {
		double span = -age;
		next = span < 60 ? then + 60 : INFINITY;
		for (int i = 0; isinf(next) && i < 2; i++) {
			if (span < steps[i + 1]) {
				next = then - floor(span / steps[i]) * steps[i] + 1e-3;
			}
		}
		if (isinf(next)) {
			next = fmin(next_midnight(now, zone), then - 86400 + 1e-3);
		}
	}
	return next > now ? next : now + 1;
}

/* "202105111500", "20260811174000", "20260811 1740" → ISO text for time_parse_iso8601. */
static bool compact_time_to_iso(const char *text, char *iso, size_t size)
{
	char digits[16];
	size_t n = 0;
	for (const char *p = text; *p; p++) {
		if (*p >= '0' && *p <= '9' && n < sizeof(digits) - 1) {
			digits[n++] = *p;
		} else if (!(*p == ' ' && p - text == 8) || n >= sizeof(digits) - 1) {
			return false;
		}
	}
	digits[n] = '\0';
	if (n != 12 && n != 14) {
		return false;
	}
	snprintf(iso, size, "%.4s-%.2s-%.2sT%.2s:%.2s:%s", digits, digits + 4, digits + 6,
		 digits + 8, digits + 10, n == 14 ? digits + 12 : "00");
	return true;
}

bool format_parse_time(const char *text, double *out_epoch)
{
	if (!text) {
		return false;
	}
	if (time_parse_iso8601(text, SEOUL_UTC_OFFSET, out_epoch)) {
		return true;
	}
	char iso[32];
	return compact_time_to_iso(text, iso, sizeof(iso)) &&
	       time_parse_iso8601(iso, SEOUL_UTC_OFFSET, out_epoch);
}

void format_value(const struct format_style *style, double value, double now, char *buf,
		  size_t size)
{
	switch (style->format) {
	case VALUE_FORMAT_KOREAN:
		format_korean(value, style->decimals, style->thousands, buf, size);
		return;
	case VALUE_FORMAT_KOREAN_COMPACT:
		format_korean_compact(value, style->decimals, style->thousands, buf, size);
		return;
	case VALUE_FORMAT_PERCENT:
		format_percent(value, style->decimals, style->thousands, buf, size);
		return;
	case VALUE_FORMAT_RATIO:
		format_percent(ratio_to_percent(value), style->decimals, style->thousands, buf, size);
		return;
	case VALUE_FORMAT_DURATION:
		format_duration(value, buf, size);
		return;
	case VALUE_FORMAT_RELATIVE:
		format_relative(value, now, style->zone, buf, size);
		return;
	case VALUE_FORMAT_NUMBER:
		break;
	}
	format_number(value, style->decimals, style->thousands, buf, size);
}

int format_value_delta(const struct format_style *style, double delta, char *buf, size_t size)
{
	if (style->format == VALUE_FORMAT_RELATIVE) {
		snprintf(buf, size, "%s", "");
		return 0;
	}
	if (!isfinite(delta)) {
		snprintf(buf, size, "—");
		return 0;
	}
	bool points = style->format == VALUE_FORMAT_PERCENT || style->format == VALUE_FORMAT_RATIO;
	char magnitude[400];
	format_value(style, fabs(delta), 0, magnitude, sizeof(magnitude));
	if (strcmp(magnitude, "—") == 0) {
		snprintf(buf, size, "—"); /* no arrow, no "p": there is no change to tell */
		return 0;
	}
	/* Zero after rounding has no direction, whatever the format's digits look like. */
	int sign = strpbrk(magnitude, "123456789") ? (delta > 0 ? 1 : -1) : 0;
	snprintf(buf, size, "%s%s%s", sign > 0 ? "▲ " : sign < 0 ? "▼ " : "", magnitude,
		 points ? "p" : "");
	return sign;
}
