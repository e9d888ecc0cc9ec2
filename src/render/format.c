#include "render/format.h"

#include "util/timefmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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
	if (!isfinite(value)) {
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
	if (!isfinite(delta)) {
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

void format_as_of(double data_time, const char *zone, double now, char *buf, size_t size)
{
	if (isnan(data_time)) {
		snprintf(buf, size, "—");
		return;
	}
	struct tm tm;
	time_in_zone(data_time, zone, &tm);
	if (now - data_time >= 24 * 3600) {
		snprintf(buf, size, "%d/%d %02d:%02d 기준", tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
			 tm.tm_min);
	} else {
		snprintf(buf, size, "%02d:%02d 기준", tm.tm_hour, tm.tm_min);
	}
}
