/*
 * A document's own time (util/datatime.c): formats, Seoul's compact forms as text and as
 * numbers, zones, impossible dates, bad format directives, and the real samples in
 * ../shared/data/samples (skipped when absent).
 */

#include "check.h"

#include "feed/snapshot_parse.h"
#include "model/path.h"
#include "util/datatime.h"
#include "util/fileio.h"

#include <stdlib.h>

/* 2021-05-11T15:00:00+09:00 */
#define MSRDT_EPOCH 1620712800.0

struct text_case {
	const char *text;
	const char *format; // NULL: the built-in forms
	const char *zone;
	bool ok;
	double epoch;
};

static const struct text_case text_cases[] = {
	{"202105111500", NULL, "Asia/Seoul", true, MSRDT_EPOCH},
	{"20210511150000", NULL, "Asia/Seoul", true, MSRDT_EPOCH},
	{"20210511", NULL, "Asia/Seoul", true, MSRDT_EPOCH - 15 * 3600},
	{"2021-05-11 15:00", NULL, "Asia/Seoul", true, MSRDT_EPOCH},
	{"2021-05-11 15:00:30", NULL, "Asia/Seoul", true, MSRDT_EPOCH + 30},
	{"2021-05-11T06:00:00Z", NULL, "Asia/Seoul", true, MSRDT_EPOCH},
	{"2021-05-11T15:00:00+09:00", NULL, "America/New_York", true, MSRDT_EPOCH},
	/* Zone-less text is in the zone given: New York in May is UTC-4. */
	{"2021-05-11 02:00", NULL, "America/New_York", true, MSRDT_EPOCH},
	{"202105110200", NULL, "America/New_York", true, MSRDT_EPOCH},
	{"202105110600", NULL, NULL, true, MSRDT_EPOCH},
	{"202105111500", "%Y%m%d%H%M", "Asia/Seoul", true, MSRDT_EPOCH},
	{"20210511 1500", "%Y%m%d %H%M", "Asia/Seoul", true, MSRDT_EPOCH},
	{"11.05.2021 15h00", "%d.%m.%Y %Hh%M", "Asia/Seoul", true, MSRDT_EPOCH},
	{"2021-05-11T15:00+0900", "%Y-%m-%dT%H:%M%z", "UTC", true, MSRDT_EPOCH},
	{"2021-05-11 06:00 Z", "%Y-%m-%d %H:%M %z", "Asia/Seoul", true, MSRDT_EPOCH},
	{"100% 2021", "100%% %Y", "UTC", true, 1609459200},
	{"202105", "%Y%m", "Asia/Seoul", true, 1619794800},
	/* Refused: wrong length, trailing text, impossible dates, text not matching the format. */
	{"2021051115", NULL, "Asia/Seoul", false, 0},
	{"2021051115000", NULL, "Asia/Seoul", false, 0},
	{"20210231", NULL, "Asia/Seoul", false, 0},
	{"20210229", NULL, "Asia/Seoul", false, 0},
	{"202105112500", NULL, "Asia/Seoul", false, 0},
	{"2021-05-11 15:00x", NULL, "Asia/Seoul", false, 0},
	{"", NULL, "Asia/Seoul", false, 0},
	{"점검중", NULL, "Asia/Seoul", false, 0},
	{"202105111500", "%Y-%m-%d", "Asia/Seoul", false, 0},
	{"2021051115001", "%Y%m%d%H%M", "Asia/Seoul", false, 0},
	{"20210511 15", "%Y%m%d %H%M", "Asia/Seoul", false, 0},
	/* A format without %Y names no time, whatever the text (found by fuzz_datatime). */
	{"", "", "Asia/Seoul", false, 0},
	{"0511", "%m%d", "Asia/Seoul", false, 0},
	{"100%", "100%%", "UTC", false, 0},
};

static void text_forms(void)
{
	for (size_t i = 0; i < sizeof(text_cases) / sizeof(text_cases[0]); i++) {
		const struct text_case *c = &text_cases[i];
		double t = -1;
		bool ok = datatime_parse_text(c->text, c->format, c->zone, &t);
		if (ok != c->ok || (ok && t != c->epoch)) {
			printf("# \"%s\" format %s zone %s: expected %s %.0f, got %s %.0f\n", c->text,
			       c->format ? c->format : "-", c->zone ? c->zone : "-",
			       c->ok ? "ok" : "refused", c->epoch, ok ? "ok" : "refused", t);
			check_failures_in_case++;
		}
	}
}

static void numbers(void)
{
	double t = 0;
	CHECK(datatime_parse_number(202105111500, NULL, "Asia/Seoul", &t));
	CHECK_NEAR(t, MSRDT_EPOCH, 0);
	CHECK(datatime_parse_number(20210511150000, NULL, "Asia/Seoul", &t));
	CHECK_NEAR(t, MSRDT_EPOCH, 0);
	CHECK(datatime_parse_number(20210511, NULL, "Asia/Seoul", &t));
	CHECK_NEAR(t, MSRDT_EPOCH - 15 * 3600, 0);
	/* Epoch seconds and milliseconds, as the other time bindings read them. */
	CHECK(datatime_parse_number(MSRDT_EPOCH, NULL, "Asia/Seoul", &t));
	CHECK_NEAR(t, MSRDT_EPOCH, 0);
	CHECK(datatime_parse_number(MSRDT_EPOCH * 1000 + 500, NULL, "Asia/Seoul", &t));
	CHECK_NEAR(t, MSRDT_EPOCH + 0.5, 1e-6);
	/* Twelve digits that are no date (month 13) are epoch milliseconds. */
	CHECK(datatime_parse_number(202113111500, NULL, "Asia/Seoul", &t));
	CHECK_NEAR(t, 202113111.5, 1e-6);
	/* With a format, the digits are the text. */
	CHECK(datatime_parse_number(2021051115, "%Y%m%d%H", "Asia/Seoul", &t));
	CHECK_NEAR(t, MSRDT_EPOCH, 0);
	CHECK(!datatime_parse_number(2021051115, "%Y%m%d%H%M", "Asia/Seoul", &t));
	CHECK(datatime_parse_number(202105111500, "%Y%m%d%H%M", "Asia/Seoul", &t));
	CHECK_NEAR(t, MSRDT_EPOCH, 0);
	CHECK(!datatime_parse_number(2021051115.5, "%Y%m%d%H%M", "Asia/Seoul", &t));
	CHECK(!datatime_parse_number(1e300, NULL, "Asia/Seoul", &t));
	CHECK(!datatime_parse_number(NAN, NULL, "Asia/Seoul", &t));
}

static void format_checks(void)
{
	char err[160];
	CHECK(datatime_format_check("%Y%m%d%H%M", err, sizeof(err)));
	CHECK(datatime_format_check("%Y-%m-%dT%H:%M:%S%z 100%%", err, sizeof(err)));
	CHECK(!datatime_format_check("%Y%m%d%I%M", err, sizeof(err)));
	CHECK_STR(err, "unknown directive \"%I\" at offset 6 (known: %Y %m %d %H %M %S %z %%)");
	CHECK(!datatime_format_check("%Y%", err, sizeof(err)));
	CHECK_STR(err, "unknown directive \"%\" at offset 2 (known: %Y %m %d %H %M %S %z %%)");
	CHECK(!datatime_format_check("%m%d %H:%M", err, sizeof(err)));
	CHECK_STR(err, "a format needs %Y (the year) to name a time");
}

static void zones(void)
{
	CHECK(datatime_zone_known("Asia/Seoul"));
	CHECK(datatime_zone_known("UTC"));
	CHECK(datatime_zone_known(NULL));
	CHECK(!datatime_zone_known("Asia/Seould"));
	CHECK(!datatime_zone_known("../etc/passwd"));
}

/* A real sample's time at `path`, through the same parser the fetcher uses. */
static bool sample_time(const char *file, const char *path, const char *format, double *out)
{
	const char *root = getenv("CITYWALL_SOURCE_ROOT");
	char full[1024];
	snprintf(full, sizeof(full), "%s/../shared/data/samples/%s", root ? root : ".", file);
	size_t len;
	char err[256];
	char *text;
	if (!file_read_all(full, 1 << 24, &text, &len, err, sizeof(err))) {
		return false;
	}
	struct source_config config = {
		.name = "s", .timestamp = (char *)path, .timestamp_format = (char *)format,
		.timestamp_zone = "Asia/Seoul", .clock_tolerance = 120,
	};
	struct diag_list diags = {0};
	/* Fetched long after: the sample's time is its own, not the fetch time. */
	struct snapshot *snap = snapshot_parse_source(text, len, file, &config, 1.9e9, &diags);
	free(text);
	CHECK(snap != NULL);
	for (size_t i = 0; i < diags.count; i++) {
		char *line = diag_format(&diags.items[i]);
		printf("# %s\n", line);
		free(line);
	}
	diag_list_finish(&diags);
	*out = snap ? snap->generated_at : NAN;
	snapshot_unref(snap);
	return true;
}

static void real_samples(void)
{
	double t;
	if (!sample_time("seoul-realtimecityair-legacy-2021-sample.json",
			 "RealtimeCityAir/row/0/MSRDT", NULL, &t)) {
		printf("# SKIP ../shared/data/samples is absent\n");
		return;
	}
	CHECK_NEAR(t, MSRDT_EPOCH, 0);
	CHECK(sample_time("seoul-realtimecityair-legacy-2021-sample.json",
			  "RealtimeCityAir/row/0/MSRDT", "%Y%m%d%H%M", &t));
	CHECK_NEAR(t, MSRDT_EPOCH, 0);
	/* citydata: "2026-08-11 17:30" (PPLTN_TIME), "202608111900" (FCST_DT). */
	const char *ppltn = "CITYDATA/LIVE_PPLTN_STTS/0/PPLTN_TIME";
	CHECK(sample_time("seoul-citydata-sample.json", ppltn, NULL, &t));
	CHECK_NEAR(t, 1786437000.0, 0);
	const char *fcst = "CITYDATA/LIVE_PPLTN_STTS/0/FCST_PPLTN/0/FCST_TIME";
	CHECK(sample_time("seoul-citydata-sample.json", fcst, NULL, &t));
	CHECK_NEAR(t, 1786442400.0, 0);
	const char *fcst_dt = "CITYDATA/WEATHER_STTS/0/FCST24HOURS/0/FCST_DT";
	CHECK(sample_time("seoul-citydata-sample.json", fcst_dt, NULL, &t));
	CHECK_NEAR(t, 1786442400.0, 0);
	/* "20260811 1740" is no built-in form: the layout names its format. */
	const char *cmrcl = "CITYDATA/LIVE_CMRCL_STTS/CMRCL_TIME";
	CHECK(sample_time("seoul-citydata-sample.json", cmrcl, "%Y%m%d %H%M", &t));
	CHECK_NEAR(t, 1786437600.0, 0);
}

static const struct check_case cases[] = {
	{"text: compact forms, RFC 3339, formats, zones, impossible dates", text_forms},
	{"numbers: compact digits, epoch seconds and milliseconds", numbers},
	{"format directives checked with their offset", format_checks},
	{"zones known and unknown", zones},
	{"the real samples: MSRDT 202105111500 is 2021-05-11T15:00+09:00", real_samples},
};

CHECK_MAIN(cases)
