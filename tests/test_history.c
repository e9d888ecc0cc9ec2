/*
 * History in the model: bounded series of (data time, value) readings, the lookups change
 * lines use, and the text form the cache keeps.
 */

#include "check.h"

#include "model/history.h"

#include <stdlib.h>
#include <string.h>

#define T0 1795564800.0 /* 2026-11-25T09:00:00+09:00 */

static const struct history_limit by_count_3 = {.count = 3};
static const struct history_limit by_hour = {.window = 3600};

static void retention_by_count(void)
{
	struct history *h = history_create(by_count_3);
	for (int i = 0; i < 5; i++) {
		CHECK(history_record(h, "/pm10", T0 + 60 * i, 40 + i));
	}
	const struct history_series *s = history_find(h, "/pm10");
	CHECK(s && s->count == 3);
	CHECK(s && s->points[0].t == T0 + 120 && s->points[0].v == 42);
	CHECK(s && s->points[2].t == T0 + 240 && s->points[2].v == 44);
	CHECK(history_find(h, "/pm25") == NULL);
	history_destroy(h);
}

/* A window keeps what lies in it, and one reading at or before its start. */
static void retention_by_duration(void)
{
	struct history *h = history_create(by_hour);
	for (int i = 0; i <= 12; i++) {
		history_record(h, "/v", T0 + 600 * i, i); // every 10 minutes for two hours
	}
	const struct history_series *s = history_find(h, "/v");
	/* Newest at T0+7200: kept are T0+3600 (the window's start) to T0+7200. */
	CHECK(s && s->count == 7);
	CHECK(s && s->points[0].t == T0 + 3600);
	CHECK(history_at_or_before(s, T0 + 7200 - 3600) != NULL);
	history_destroy(h);
}

/* Long windows keep one reading per bucket (the first), and always the newest. */
static void bucketing_bounds_memory(void)
{
	struct history *h = history_create((struct history_limit){.window = 86400});
	for (int i = 0; i < 3 * 86400; i += 10) {
		history_record(h, "/v", T0 + i, i);
	}
	const struct history_series *s = history_find(h, "/v");
	CHECK(s && s->count <= HISTORY_MAX_POINTS);
	CHECK(s && s->count > HISTORY_MAX_POINTS - 10);
	CHECK(s && s->points[s->count - 1].t == T0 + 3 * 86400 - 10); // the newest is kept
	for (size_t i = 1; s && i + 1 < s->count; i++) {
		/* Spaced by a bucket: 86400 / 1437 s ≈ 60 s, in 10 s steps. */
		CHECK(s->points[i].t - s->points[i - 1].t >= 60 &&
		      s->points[i].t - s->points[i - 1].t <= 70);
	}
	history_destroy(h);
}

static void same_data_time_adds_nothing(void)
{
	struct history *h = history_create(by_hour);
	CHECK(history_record(h, "/v", T0, 40));
	unsigned long revision = history_revision(h);
	CHECK(!history_record(h, "/v", T0, 40));      // the same document polled again
	CHECK(!history_record(h, "/v", T0, 41));      // the same data time, whatever it says
	CHECK(!history_record(h, "/v", T0 - 60, 39)); // an older document
	CHECK(!history_record(h, "/v", NAN, 39));
	CHECK(history_revision(h) == revision);
	CHECK(history_find(h, "/v")->count == 1);
	history_destroy(h);
}

static void at_or_before_and_previous(void)
{
	struct history *h = history_create(by_hour);
	history_record(h, "/v", T0, 40);
	history_record(h, "/v", T0 + 1800, 45);
	history_record(h, "/v", T0 + 3600, 50);
	const struct history_series *s = history_find(h, "/v");
	CHECK(history_at_or_before(s, T0 - 1) == NULL);
	CHECK(history_at_or_before(s, T0)->v == 40);
	CHECK(history_at_or_before(s, T0 + 1799)->v == 40);
	CHECK(history_at_or_before(s, T0 + 1800)->v == 45);
	CHECK(history_at_or_before(s, T0 + 99999)->v == 50);
	CHECK(history_before(s, T0 + 3600)->v == 45); // the previous distinct reading
	CHECK(history_before(s, T0 + 1800)->v == 40);
	CHECK(history_before(s, T0) == NULL);
	CHECK(history_at_or_before(NULL, T0) == NULL);
	history_destroy(h);
}

static void serialize_round_trip(void)
{
	struct history *h = history_create(by_hour);
	history_record(h, "/air/pm10", T0, 40.25);
	history_record(h, "/air/pm10", T0 + 0.5, 1e-300);
	history_record(h, "미세먼지 pm10/값", T0, -3);
	size_t len;
	char *text = history_serialize(h, &len);
	char err[128] = "";
	struct history *back = history_parse(text, len, by_hour, err, sizeof(err));
	CHECK_STR(err, "");
	CHECK(back && history_series_count(back) == 2);
	const struct history_series *s = back ? history_find(back, "/air/pm10") : NULL;
	CHECK(s && s->count == 2 && s->points[0].v == 40.25 && s->points[1].t == T0 + 0.5 &&
	      s->points[1].v == 1e-300);
	s = back ? history_find(back, "미세먼지 pm10/값") : NULL;
	CHECK(s && s->count == 1 && s->points[0].v == -3);
	size_t len2;
	char *again = back ? history_serialize(back, &len2) : NULL;
	CHECK(again && len2 == len && memcmp(again, text, len) == 0);
	/* A smaller limit drops what it no longer keeps. */
	struct history *one = history_parse(text, len, (struct history_limit){.count = 1}, err,
					    sizeof(err));
	CHECK(one && history_find(one, "/air/pm10")->count == 1);
	free(again);
	free(text);
	history_destroy(one);
	history_destroy(back);
	history_destroy(h);
}

static void corrupt_input_refused(void)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{"", "line 1: not a citywall history (\"CWHISTORY 1\" expected)"},
		{"CWHISTORY 2\n", "line 1: not a citywall history (\"CWHISTORY 1\" expected)"},
		{"CWHISTORY 1\n1 2\n", "line 2: a point before any series"},
		{"CWHISTORY 1\nS 9 /v\n", "line 2: a series line must be \"S <bytes> <path>\""},
		{"CWHISTORY 1\nS 2 /v\n1 x\n", "line 3: expected a finite number"},
		{"CWHISTORY 1\nS 2 /v\n1 inf\n", "line 3: expected a finite number"},
		{"CWHISTORY 1\nS 2 /v\n1 2", "line 3: expected a finite number"},
		{"CWHISTORY 1\nS 2 /v\n5 2\n4 2\n", "line 4: points out of time order"},
		{"CWHISTORY 1\nS 2 /v\n5 2\nS 2 /v\n", "line 4: a repeated series, or too many"},
		{"CWHISTORY 1\nS 2 /v\n 5 2\n", "line 3: expected a finite number"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[128] = "";
		struct history *h = history_parse(cases[i].text, strlen(cases[i].text), by_hour,
						  err, sizeof(err));
		CHECK(h == NULL);
		CHECK_STR(err, cases[i].message);
		history_destroy(h);
	}
}

static void durations(void)
{
	double s = 0;
	CHECK(history_parse_duration("24h", &s) && s == 86400);
	CHECK(history_parse_duration("30m", &s) && s == 1800);
	CHECK(history_parse_duration("90s", &s) && s == 90);
	CHECK(history_parse_duration("7d", &s) && s == 7 * 86400);
	CHECK(history_parse_duration("1.5h", &s) && s == 5400);
	const char *bad[] = {"", "h", "24", "24 h", "24hours", "-1h", "0h", " 1h", "1w", NULL};
	for (size_t i = 0; bad[i]; i++) {
		CHECK(!history_parse_duration(bad[i], &s));
	}
	CHECK(!history_parse_duration(NULL, &s));
}

static void new_limit_applies(void)
{
	struct history *h = history_create(by_hour);
	for (int i = 0; i < 6; i++) {
		history_record(h, "/v", T0 + 60 * i, i);
	}
	history_set_limit(h, (struct history_limit){.count = 2});
	CHECK(history_find(h, "/v")->count == 2);
	CHECK(history_find(h, "/v")->points[0].v == 4);
	history_destroy(h);
}

static const struct check_case cases[] = {
	{"retention by count", retention_by_count},
	{"retention by duration", retention_by_duration},
	{"bucketing bounds a series", bucketing_bounds_memory},
	{"same data time adds nothing", same_data_time_adds_nothing},
	{"at or before, previous distinct", at_or_before_and_previous},
	{"serialize and parse round trip", serialize_round_trip},
	{"corrupt input refused", corrupt_input_refused},
	{"durations", durations},
	{"a new limit applies", new_limit_applies},
};

CHECK_MAIN(cases)
