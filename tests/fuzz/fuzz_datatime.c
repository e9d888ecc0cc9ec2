/*
 * libFuzzer target for data times (util/datatime.c): the input is split at its first NUL (or
 * newline) into a format and a text; the format is checked, then the text parsed with it,
 * without it (the built-in forms), as a number, and in a zone chosen by the input's size.
 *
 * Contracts checked besides the sanitizers: a format datatime_format_check refuses is never
 * used to parse a time (the parser must refuse it too); every time parsed is finite; a time
 * parsed from "%Y%m%d%H%M%S" text is a whole second; parsing is deterministic (the same text
 * twice gives the same time).
 */

#include "util/datatime.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const zones[] = {NULL, "", "UTC", "Asia/Seoul", "Europe/Berlin",
				    "America/New_York", "No/Such_Zone"};

static void contract_failed(const char *what)
{
	fprintf(stderr, "fuzz_datatime: contract broken: %s\n", what);
	abort();
}

static void check_time(bool ok, double t, bool again_ok, double again)
{
	if (ok != again_ok || (ok && t != again)) {
		contract_failed("the same text parsed twice gave different results");
	}
	if (ok && !isfinite(t)) {
		contract_failed("a parsed time is not finite");
	}
}

static void parse_both_ways(const char *text, const char *format, const char *zone)
{
	double t = 0, again = 0;
	bool ok = datatime_parse_text(text, format, zone, &t);
	bool again_ok = datatime_parse_text(text, format, zone, &again);
	check_time(ok, t, again_ok, again);
	char err[256];
	if (ok && format && !datatime_format_check(format, err, sizeof(err))) {
		contract_failed("a time was parsed with a format the check refuses");
	}
	if (ok && format && strcmp(format, "%Y%m%d%H%M%S") == 0 && t != floor(t)) {
		contract_failed("a compact time to the second is not a whole second");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096) {
		return 0;
	}
	char *input = malloc(size + 1);
	if (!input) {
		return 0;
	}
	memcpy(input, data, size);
	input[size] = '\0';
	char *text = input;
	char *format = NULL;
	char *split = strchr(input, '\n');
	if (split) {
		*split = '\0';
		format = input;
		text = split + 1;
	}
	const char *zone = zones[size % (sizeof(zones) / sizeof(zones[0]))];

	char err[256];
	if (format) {
		(void)datatime_format_check(format, err, sizeof(err));
		parse_both_ways(text, format, zone);
	}
	parse_both_ways(text, NULL, zone);
	parse_both_ways(text, "%Y%m%d%H%M%S", zone);

	char *end = NULL;
	double number = strtod(text, &end);
	if (end != text) {
		double t = 0, again = 0;
		bool ok = datatime_parse_number(number, format, zone, &t);
		bool again_ok = datatime_parse_number(number, format, zone, &again);
		check_time(ok, t, again_ok, again);
	}
	(void)datatime_zone_known(text);
	free(input);
	return 0;
}
