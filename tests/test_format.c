/* Number formatting: what the wall prints for a value. */

#include "check.h"

#include "render/format.h"

#include <math.h>

struct number_case {
	double value;
	int decimals;
	bool thousands;
	const char *expected;
};

static void numbers(void)
{
	static const struct number_case cases[] = {
		{0, -1, true, "0"},
		{86, -1, true, "86"},
		{23.44, -1, true, "23.4"},
		{1234567.891, 1, true, "1,234,567.9"},
		{1234567.891, 1, false, "1234567.9"},
		{999, 0, true, "999"},
		{1000, 0, true, "1,000"},
		{-1234.6, 0, true, "-1,235"},
		{-0.04, 1, true, "0.0"},
		{-0.0, -1, true, "0"},
		{0.06, 2, true, "0.06"},
		{3.62, 2, true, "3.62"},
		{100000, 0, true, "100,000"},
		{12345678901.0, 0, true, "12,345,678,901"},
		{NAN, 0, true, "—"},
		{INFINITY, 2, true, "—"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[64];
		format_number(cases[i].value, cases[i].decimals, cases[i].thousands, buf, sizeof(buf));
		CHECK_STR(buf, cases[i].expected);
	}
}

static void small_buffer_is_truncated_safely(void)
{
	char buf[4];
	format_number(1234567, 0, true, buf, sizeof(buf));
	CHECK_STR(buf, "1,2");
}

static void deltas(void)
{
	char buf[64];
	CHECK_INT(format_delta(3.2, 1, true, buf, sizeof(buf)), 1);
	CHECK_STR(buf, "▲ 3.2");
	CHECK_INT(format_delta(-1200, 0, true, buf, sizeof(buf)), -1);
	CHECK_STR(buf, "▼ 1,200");
	CHECK_INT(format_delta(0.04, 1, true, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "0.0");
	CHECK_INT(format_delta(0, -1, true, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "0");
	CHECK_INT(format_delta(NAN, 1, true, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "—");
}

static void as_of(void)
{
	char buf[64];
	double t = 1795564800 + 5 * 3600 + 2 * 60; /* 14:02 in Seoul */
	format_as_of(t, "Asia/Seoul", t + 600, buf, sizeof(buf));
	CHECK_STR(buf, "14:02 기준");
	format_as_of(t, "Asia/Seoul", t + 2 * 86400, buf, sizeof(buf));
	CHECK_STR(buf, "11/25 14:02 기준");
	format_as_of(t, "UTC", t + 60, buf, sizeof(buf));
	CHECK_STR(buf, "05:02 기준");
	format_as_of(NAN, "Asia/Seoul", t, buf, sizeof(buf));
	CHECK_STR(buf, "—");
}

static const struct check_case cases[] = {
	{"as-of times", as_of},
	{"numbers with decimals and thousands", numbers},
	{"small buffer is truncated safely", small_buffer_is_truncated_safely},
	{"deltas with arrows", deltas},
};

CHECK_MAIN(cases)
