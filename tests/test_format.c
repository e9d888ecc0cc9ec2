/* Number formatting: what the wall prints for a value. */

#include "check.h"

#include "render/format.h"

#include "layout/layout.h"
#include "widgets/widget.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
	CHECK_STR(buf, "2026-11-25 14:02 기준");
	format_as_of(t, "UTC", t + 60, buf, sizeof(buf));
	CHECK_STR(buf, "05:02 기준");
	format_as_of(NAN, "Asia/Seoul", t, buf, sizeof(buf));
	CHECK_STR(buf, "—");
	/* Another calendar day is dated even when it was 20 minutes ago (23:50 → 00:10). */
	double late = 1795564800 + 14 * 3600 + 50 * 60; /* 23:50 in Seoul */
	format_as_of(late, "Asia/Seoul", late + 1200, buf, sizeof(buf));
	CHECK_STR(buf, "2026-11-25 23:50 기준");
	format_as_of(late, "Asia/Seoul", late + 540, buf, sizeof(buf));
	CHECK_STR(buf, "23:50 기준");
	/* The 2021 air sample (MSRDT 202105111500) seen in 2026. */
	format_as_of(1620712800, "Asia/Seoul", t, buf, sizeof(buf));
	CHECK_STR(buf, "2021-05-11 15:00 기준");
}

static void age(void)
{
	char buf[64];
	format_age(0, buf, sizeof(buf));
	CHECK_STR(buf, "0초 전");
	format_age(59.9, buf, sizeof(buf));
	CHECK_STR(buf, "59초 전");
	format_age(60, buf, sizeof(buf));
	CHECK_STR(buf, "1분 전");
	format_age(3599, buf, sizeof(buf));
	CHECK_STR(buf, "59분 전");
	format_age(7200, buf, sizeof(buf));
	CHECK_STR(buf, "120분 전");
	format_age(-1, buf, sizeof(buf));
	CHECK_STR(buf, "—");
	format_age(NAN, buf, sizeof(buf));
	CHECK_STR(buf, "—");
}

/* 2026-11-25T09:00:00+09:00 */
#define NOW 1795564800.0

struct unit_case {
	double value;
	int decimals;
	bool thousands;
	const char *korean;
	const char *compact;
};

static void korean_units(void)
{
	static const struct unit_case cases[] = {
		{38052716845.0, -1, true, "380억 5,272만", "380.5억"},
		{38052716845.0, -1, false, "380억 5272만", "380.5억"},
		{38052716845.0, 2, true, "380억 5,272만", "380.53억"},
		{38052716845.0, 0, true, "380억 5,272만", "381억"},
		{-38052716845.0, -1, true, "-380억 5,272만", "-380.5억"},
		{12345, -1, true, "1만 2,345", "1.2만"},
		{-12345, -1, true, "-1만 2,345", "-1.2만"},
		{12345.67, -1, true, "1만 2,346", "1.2만"},
		{15000, -1, true, "1만 5,000", "1.5만"},
		{10000, -1, true, "1만", "1만"},
		{10000, 1, true, "1만", "1.0만"},
		{9999, -1, true, "9,999", "9,999"},
		{9999.4, 0, true, "9,999", "9,999"},
		{9999.6, 0, true, "1만", "1만"},
		{23.44, -1, true, "23.4", "23.4"},
		{0, -1, true, "0", "0"},
		{50000000, -1, true, "5,000만", "5,000만"},
		{100000000, -1, true, "1억", "1억"},
		{100000001, -1, true, "1억", "1억"},
		{123456789, -1, true, "1억 2,346만", "1.2억"},
		{99999999.6, -1, true, "1억", "1억"},
		{99999999, -1, true, "9,999만 9,999", "1억"},
		{1234567890123.0, -1, true, "1조 2,346억", "1.2조"},
		{12345678901234567.0, -1, true, "12,345조 6,789억", "12,345.7조"},
		{NAN, -1, true, "—", "—"},
		{-INFINITY, 1, true, "—", "—"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[64];
		format_korean(cases[i].value, cases[i].decimals, cases[i].thousands, buf, sizeof(buf));
		CHECK_STR(buf, cases[i].korean);
		format_korean_compact(cases[i].value, cases[i].decimals, cases[i].thousands, buf,
				      sizeof(buf));
		CHECK_STR(buf, cases[i].compact);
	}
}

struct text_case {
	enum value_format format;
	double value;
	int decimals;
	const char *expected;
};

static void percents_and_durations(void)
{
	static const struct text_case cases[] = {
		{VALUE_FORMAT_PERCENT, 88.9, -1, "88.9%"},
		{VALUE_FORMAT_PERCENT, 50, -1, "50%"},
		{VALUE_FORMAT_PERCENT, 88.94, 1, "88.9%"},
		{VALUE_FORMAT_PERCENT, 1234.5, -1, "1,234.5%"},
		{VALUE_FORMAT_PERCENT, -3.25, 2, "-3.25%"},
		{VALUE_FORMAT_PERCENT, NAN, -1, "—"},
		{VALUE_FORMAT_RATIO, 0.889, -1, "88.9%"},
		{VALUE_FORMAT_RATIO, 0.07, -1, "7%"},
		{VALUE_FORMAT_RATIO, 0.5, -1, "50%"},
		{VALUE_FORMAT_RATIO, 1.25, -1, "125%"},
		{VALUE_FORMAT_RATIO, 0.8889, 2, "88.89%"},
		{VALUE_FORMAT_RATIO, 0, 1, "0.0%"},
		{VALUE_FORMAT_DURATION, 300, -1, "5:00"},
		{VALUE_FORMAT_DURATION, 0, -1, "0:00"},
		{VALUE_FORMAT_DURATION, 45, 2, "0:45"},
		{VALUE_FORMAT_DURATION, 59.6, -1, "1:00"},
		{VALUE_FORMAT_DURATION, 3599, -1, "59:59"},
		{VALUE_FORMAT_DURATION, 3600, -1, "1:00:00"},
		{VALUE_FORMAT_DURATION, 3725, -1, "1:02:05"},
		{VALUE_FORMAT_DURATION, 90000, -1, "25:00:00"},
		{VALUE_FORMAT_DURATION, -90, -1, "-1:30"},
		{VALUE_FORMAT_DURATION, -0.2, -1, "0:00"},
		{VALUE_FORMAT_DURATION, NAN, -1, "—"},
		{VALUE_FORMAT_DURATION, 1e300, -1, "—"},
		{VALUE_FORMAT_NUMBER, 1234567.891, 1, "1,234,567.9"},
		{VALUE_FORMAT_KOREAN, 38052716845.0, -1, "380억 5,272만"},
		{VALUE_FORMAT_KOREAN_COMPACT, 12345, -1, "1.2만"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct format_style style = {cases[i].format, cases[i].decimals, true, NULL};
		char buf[64];
		format_value(&style, cases[i].value, NOW, buf, sizeof(buf));
		CHECK_STR(buf, cases[i].expected);
	}
}

struct relative_case {
	double offset; // then - now, seconds
	const char *zone;
	const char *expected;
	double next;   // format_relative_next_change - now
	bool changes;  // the text differs right after `next` (a date may stay the same)
};

static void relative_times(void)
{
	static const struct relative_case cases[] = {
		{-30, "Asia/Seoul", "방금", 30, true},
		{30, "Asia/Seoul", "방금", 90, true},
		{-59.9, "Asia/Seoul", "방금", 0.1, true},
		{-60, "Asia/Seoul", "1분 전", 60, true},
		{-180, "Asia/Seoul", "3분 전", 60, true},
		{-190, "Asia/Seoul", "3분 전", 50, true},
		{-3599, "Asia/Seoul", "59분 전", 1, true},
		{-3600, "Asia/Seoul", "1시간 전", 3600, true},
		{-7201, "Asia/Seoul", "2시간 전", 3599, true},
		{-86399, "Asia/Seoul", "23시간 전", 1, true},
		{-36000, "Asia/Seoul", "10시간 전", 3600, true},
		/* Past a day, by calendar day: 09:00 now, midnight in 15 hours. */
		{-86400, "Asia/Seoul", "어제", 54000, true},
		{-86400 - 9 * 3600 + 60, "Asia/Seoul", "어제", 54000, true},
		{-86400 - 9 * 3600 - 60, "Asia/Seoul", "11월 23일", 54000, false},
		{-30 * 3600, "Asia/Seoul", "어제", 54000, true},
		{-30 * 3600, "UTC", "11월 23일", 86400, false},
		{-30 * 3600, NULL, "11월 23일", 86400, false},
		{-400 * 86400, "Asia/Seoul", "2025년 10월 21일", 54000, false},
		{180, "Asia/Seoul", "3분 후", 0.001, true},
		{7200, "Asia/Seoul", "2시간 후", 0.001, true},
		{86400, "Asia/Seoul", "내일", 0.001, true},
		{3 * 86400, "Asia/Seoul", "11월 28일", 54000, false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[64];
		double then = NOW + cases[i].offset;
		format_relative(then, NOW, cases[i].zone, buf, sizeof(buf));
		CHECK_STR(buf, cases[i].expected);
		CHECK_NEAR(format_relative_next_change(then, NOW, cases[i].zone) - NOW,
			   cases[i].next, 1e-5);
		/*
		 * Just before the next change the text is the same, just after it is not (a
		 * future count changes just after a whole step: its deadline is 1 ms late).
		 */
		double next = format_relative_next_change(then, NOW, cases[i].zone);
		char before[64], after[64];
		format_relative(then, fmax(NOW, next - 2e-3), cases[i].zone, before, sizeof(before));
		format_relative(then, next + 1e-4, cases[i].zone, after, sizeof(after));
		CHECK_STR(before, cases[i].expected);
		CHECK(!cases[i].changes || strcmp(after, cases[i].expected) != 0);
	}
	char buf[64];
	format_relative(NAN, NOW, "Asia/Seoul", buf, sizeof(buf));
	CHECK_STR(buf, "—");
	CHECK(isinf(format_relative_next_change(NAN, NOW, "Asia/Seoul")));
	struct format_style style = {VALUE_FORMAT_RELATIVE, -1, true, "Asia/Seoul"};
	format_value(&style, NOW - 180, NOW, buf, sizeof(buf));
	CHECK_STR(buf, "3분 전");
}

struct time_case {
	const char *text;
	bool ok;
	double epoch;
};

static void feed_times(void)
{
	static const struct time_case cases[] = {
		{"2026-11-25T09:00:00+09:00", true, NOW},
		{"2026-11-25T00:00:00Z", true, NOW},
		{"2026-11-25 09:00", true, NOW},
		{"202611250900", true, NOW},
		{"20261125090030", true, NOW + 30},
		{"20261125 0900", true, NOW},
		{"2026112509", false, 0},
		{"202611250900x", false, 0},
		{"2026 11250900", false, 0},
		{"202613250900", false, 0},
		{"abc", false, 0},
		{"", false, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double t = -1;
		bool ok = format_parse_time(cases[i].text, &t);
		if (ok != cases[i].ok) {
			printf("# %s\n", cases[i].text);
		}
		CHECK_INT(ok, cases[i].ok);
		if (cases[i].ok) {
			CHECK_NEAR(t, cases[i].epoch, 1e-6);
		}
	}
	double t;
	CHECK(!format_parse_time(NULL, &t));
}

struct delta_case {
	enum value_format format;
	double delta;
	int decimals;
	const char *expected;
	int sign;
};

static void value_deltas(void)
{
	static const struct delta_case cases[] = {
		{VALUE_FORMAT_NUMBER, 1200, 0, "▲ 1,200", 1},
		{VALUE_FORMAT_NUMBER, 0.04, 1, "0.0", 0},
		{VALUE_FORMAT_KOREAN, 38052716845.0, -1, "▲ 380억 5,272만", 1},
		{VALUE_FORMAT_KOREAN_COMPACT, -12345, -1, "▼ 1.2만", -1},
		{VALUE_FORMAT_PERCENT, 1.5, -1, "▲ 1.5%p", 1},
		{VALUE_FORMAT_PERCENT, 0.04, 1, "0.0%p", 0},
		{VALUE_FORMAT_RATIO, -0.014, -1, "▼ 1.4%p", -1},
		{VALUE_FORMAT_DURATION, 60, -1, "▲ 1:00", 1},
		{VALUE_FORMAT_DURATION, -0.2, -1, "0:00", 0},
		{VALUE_FORMAT_RELATIVE, 60, -1, "", 0},
		{VALUE_FORMAT_NUMBER, NAN, -1, "—", 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct format_style style = {cases[i].format, cases[i].decimals, true, NULL};
		char buf[64];
		CHECK_INT(format_value_delta(&style, cases[i].delta, buf, sizeof(buf)), cases[i].sign);
		CHECK_STR(buf, cases[i].expected);
	}
}

static void format_names_round_trip(void)
{
	static const char *const names[] = {"number", "korean", "korean_compact", "percent",
					    "ratio", "duration", "relative"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		enum value_format f = VALUE_FORMAT_RELATIVE;
		CHECK(format_from_name(names[i], &f));
		CHECK_INT(f, i);
		CHECK_STR(format_names[i], names[i]);
	}
	CHECK(format_names[7] == NULL);
	enum value_format f = VALUE_FORMAT_DURATION;
	CHECK(!format_from_name("percentage", &f));
	CHECK(!format_from_name(NULL, &f));
	CHECK_INT(f, VALUE_FORMAT_DURATION);
}

extern const struct widget_impl widget_kpi;

/* The kpi's value for each format: times read from text and numbers, and when it redraws. */
static void kpi_reads_times_and_redraws_on_time(void)
{
	static const char layout_text[] =
		"{\"tiles\": ["
		" {\"id\": \"fire\", \"widget\": \"kpi\", \"cell\": [0, 0], \"title\": \"t\","
		"  \"value\": \"v\", \"format\": \"relative\","
		"  \"thresholds\": [{\"from\": 0, \"state\": \"bad\"},"
		"                 {\"from\": 630, \"state\": \"good\"}]},"
		" {\"id\": \"n\", \"widget\": \"kpi\", \"cell\": [1, 0], \"title\": \"t\","
		"  \"value\": \"v\", \"format\": \"korean\"}]}";
	const struct widget_spec *const specs[] = {&widget_kpi.spec, NULL};
	struct diag_list diags;
	diag_list_init(&diags);
	struct layout *layout = layout_parse(layout_text, sizeof(layout_text) - 1, "kpi.json",
					     specs, &diags);
	CHECK(layout != NULL);
	diag_list_finish(&diags);
	if (!layout) {
		return;
	}
	struct case_ {
		struct value value;
		size_t tile;
		double deadline; // - NOW; INFINITY: never
	} cases[] = {
		/* 07:12 seen at 09:00: "1시간 전", next at 09:12; the state is past its last step. */
		{{.kind = VALUE_STRING, .string = {"202611250712", 12}}, 0, 720},
		/* 08:57: "3분 전" becomes "4분 전" at 09:01, before the state turns good at 09:07:30. */
		{{.kind = VALUE_STRING, .string = {"2026-11-25T08:57:00+09:00", 25}}, 0, 60},
		/* Epoch milliseconds, 30 s ago: "방금" until 09:00:30. */
		{{.kind = VALUE_NUMBER, .number = (NOW - 30) * 1000}, 0, 30},
		/* Epoch seconds, 625 s ago: the state turns good at 630 s, before "11분 전". */
		{{.kind = VALUE_NUMBER, .number = NOW - 625}, 0, 5},
		/* Not a time: no data, nothing to redraw. */
		{{.kind = VALUE_STRING, .string = {"어제 저녁", 13}}, 0, INFINITY},
		{{.kind = VALUE_BOOL, .boolean = true}, 0, INFINITY},
		/* Numbers do not age. */
		{{.kind = VALUE_NUMBER, .number = 38052716845.0}, 1, INFINITY},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tile *tile = &layout->tiles[cases[i].tile];
		void *kpi = widget_kpi.create(tile);
		struct binding_values values = {.count = 1, .keys = {"value"},
						.current = {&cases[i].value}};
		/* A first good value changes the picture; bad data leaves "no data" as it was. */
		CHECK_INT(widget_kpi.bind(kpi, &values), !isinf(cases[i].deadline) ||
							 cases[i].tile == 1);
		double deadline = widget_kpi.next_deadline(kpi, NOW);
		if (isinf(cases[i].deadline)) {
			CHECK(isinf(deadline));
		} else {
			CHECK_NEAR(deadline - NOW, cases[i].deadline, 1e-6);
		}
		/* The same data again is no change. */
		CHECK(!widget_kpi.bind(kpi, &values));
		widget_kpi.destroy(kpi);
	}
	layout_destroy(layout);
}

/* "format: relative" with 1e308 once drew "-2192465291년" (a time_t overflow). */
static void format_relative_1e308_no_overflow(void)
{
	const double year = 365.25 * 86400;
	const double thens[] = {1e308, -1e308, NAN, INFINITY, -INFINITY, 1e20, -1e20,
				NOW + 100.01 * year, NOW - 100.01 * year};
	for (size_t i = 0; i < sizeof(thens) / sizeof(thens[0]); i++) {
		char buf[64];
		format_relative(thens[i], NOW, "Asia/Seoul", buf, sizeof(buf));
		CHECK_STR(buf, "—");
		CHECK(isinf(format_relative_next_change(thens[i], NOW, "Asia/Seoul")));
		struct format_style style = {VALUE_FORMAT_RELATIVE, -1, true, "Asia/Seoul"};
		format_value(&style, thens[i], NOW, buf, sizeof(buf));
		CHECK_STR(buf, "—");
		format_as_of(thens[i], "Asia/Seoul", NOW, buf, sizeof(buf));
		CHECK_STR(buf, "—");
	}
	/* Just inside the range: still a date. */
	char buf[64];
	format_relative(NOW - 99 * year, NOW, "Asia/Seoul", buf, sizeof(buf));
	CHECK_STR(buf, "1927년 11월 25일");
	format_relative(NOW + 70 * year, NOW, "Asia/Seoul", buf, sizeof(buf));
	CHECK_STR(buf, "2096년 11월 24일");
}

/* Every format: 1e308, -1e308, NaN and the infinities are no data, never a cut number. */
static void format_huge_values_are_no_data(void)
{
	const double values[] = {1e308, -1e308, NAN, INFINITY, -INFINITY, 1.5e18, -1.5e18};
	const enum value_format formats[] = {
		VALUE_FORMAT_NUMBER, VALUE_FORMAT_KOREAN, VALUE_FORMAT_KOREAN_COMPACT,
		VALUE_FORMAT_PERCENT, VALUE_FORMAT_RATIO, VALUE_FORMAT_DURATION,
	};
	for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
		for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
			for (int decimals = -1; decimals <= 9; decimals += 10) {
				struct format_style style = {formats[f], decimals, true, NULL};
				char buf[64];
				format_value(&style, values[i], NOW, buf, sizeof(buf));
				if (strcmp(buf, "—") != 0) {
					printf("# %s of %g\n", format_names[formats[f]], values[i]);
				}
				CHECK_STR(buf, "—");
				CHECK_INT(format_value_delta(&style, values[i], buf, sizeof(buf)), 0);
				CHECK_STR(buf, "—");
			}
		}
	}
	char buf[64];
	CHECK_INT(format_delta(-1e308, 1, true, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "—");
	/* The largest magnitude still shown, in full. */
	format_number(-1e18, 9, true, buf, sizeof(buf));
	CHECK_STR(buf, "-1,000,000,000,000,000,000.000000000");
	format_korean(1e18, -1, true, buf, sizeof(buf));
	CHECK_STR(buf, "1,000,000조");
}

/* A duration past 100 years is a broken feed, not 1111111:06:40. */
static void format_duration_past_100_years_no_data(void)
{
	const double year = 365.25 * 86400;
	char buf[64];
	format_duration(4e9, buf, sizeof(buf));
	CHECK_STR(buf, "—");
	format_duration(-100.01 * year, buf, sizeof(buf));
	CHECK_STR(buf, "—");
	format_duration(100 * year, buf, sizeof(buf));
	CHECK_STR(buf, "876600:00:00");
	struct format_style style = {VALUE_FORMAT_DURATION, -1, true, NULL};
	CHECK_INT(format_value_delta(&style, 4e9, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "—");
}

static const struct check_case cases[] = {
	{"as-of times", as_of},
	{"ages: N초 전 under a minute, N분 전 after", age},
	{"numbers with decimals and thousands", numbers},
	{"small buffer is truncated safely", small_buffer_is_truncated_safely},
	{"deltas with arrows", deltas},
	{"Korean units: korean and korean_compact", korean_units},
	{"percent, ratio, duration and number through format_value", percents_and_durations},
	{"relative times and when they change", relative_times},
	{"feed times: RFC 3339 and Seoul's compact forms", feed_times},
	{"changes in every format", value_deltas},
	{"format names", format_names_round_trip},
	{"format_relative_1e308_no_overflow", format_relative_1e308_no_overflow},
	{"format_huge_values_are_no_data", format_huge_values_are_no_data},
	{"format_duration_past_100_years_no_data", format_duration_past_100_years_no_data},
	{"kpi: times from text and numbers, redrawn when they change",
	 kpi_reads_times_and_redraws_on_time},
};

CHECK_MAIN(cases)
