/*
 * XYLIST parsing (model/xylist.c): Seoul's "lon_lat|lon_lat" road link polylines, with exact
 * counts of what is kept and skipped for every kind of bad input, and the limits.
 */

#include "check.h"

#include "model/xylist.h"

#include <stdlib.h>
#include <string.h>

static const struct xylist_bounds seoul = {126.7, 37.4, 127.3, 37.75};

static size_t parse(const char *text, struct xylist_point *out, size_t max,
		    struct xylist_tally *t)
{
	*t = (struct xylist_tally){0};
	return xylist_parse(text, strlen(text), &seoul, out, max, t);
}

/* The two links of ../shared/data/samples/seoul-citydata-sample.json, as the API sends them. */
static void xylist_citydata_sample_parsed(void)
{
	struct xylist_point p[8];
	struct xylist_tally t;
	CHECK(parse("126.9809530025248421_37.5702700889503021|126.9798986206276368_37.5702616744867512"
		    "|126.9793844377634713_37.5702575676490582", p, 8, &t) == 3);
	CHECK(t.kept == 3 && t.bad == 0 && t.outside == 0 && t.cut == 0);
	CHECK(fabs(p[0].lon - 126.9809530025248421) < 1e-12);
	CHECK(fabs(p[2].lat - 37.5702575676490582) < 1e-12);
	CHECK(parse("126.9793805233784241_37.5701494116837509|126.9798999832241719_37.5701535606807582",
		    p, 8, &t) == 2);
}

/* Each bad piece is counted once and the good ones around it are kept, in order. */
static void xylist_bad_points_skipped_and_counted(void)
{
	struct xylist_point p[16];
	struct xylist_tally t;
	size_t n = parse("126.97_37.57|abc_37.5|126.98|_|126.98_|126.99_37.58|nan_37.5|"
			 "126.9_inf|0x7e_37.5|1e999_37.5|126.9__37.5|126.9_37.5_1|126.991_37.581",
			 p, 16, &t);
	CHECK(n == 3);
	CHECK(t.kept == 3);
	CHECK(t.bad == 10);
	CHECK(t.outside == 0 && t.cut == 0);
	CHECK(p[0].lon == 126.97 && p[1].lat == 37.58 && p[2].lon == 126.991);
}

/* Empty pieces (a trailing or doubled '|', blanks) are nothing: neither kept nor counted. */
static void xylist_empty_pieces_ignored(void)
{
	struct xylist_point p[4];
	struct xylist_tally t;
	CHECK(parse("|126.97_37.57|| |126.98_37.58|", p, 4, &t) == 2);
	CHECK(t.bad == 0 && t.cut == 0 && t.outside == 0);
	CHECK(parse("", p, 4, &t) == 0);
	CHECK(t.kept == 0 && t.bad == 0);
	CHECK(parse(" 126.97 _ 37.57 ", p, 4, &t) == 1);
	t = (struct xylist_tally){0};
	CHECK(xylist_parse(NULL, 0, &seoul, p, 4, &t) == 0);
}

/* Swapped lat_lon, (0, 0) and Busan are outside Seoul's bounds; no bounds keeps them all. */
static void xylist_outside_bounds_counted(void)
{
	struct xylist_point p[8];
	struct xylist_tally t;
	const char *text = "37.57_126.97|0_0|129.07_35.18|126.97_37.57";
	CHECK(parse(text, p, 8, &t) == 1);
	CHECK(t.outside == 3 && t.bad == 0);
	t = (struct xylist_tally){0};
	CHECK(xylist_parse(text, strlen(text), NULL, p, 8, &t) == 4);
	CHECK(t.outside == 0);
}

/* Past `max` the pieces are cut (counted); an overlong pair is bad; the text is bounded. */
static void xylist_limits_cut_and_counted(void)
{
	struct xylist_point p[XYLIST_MAX_POINTS];
	struct xylist_tally t;
	CHECK(parse("126.9_37.5|126.91_37.5|126.92_37.5|126.93_37.5|126.94_37.5", p, 2, &t) == 2);
	CHECK(t.cut == 3 && t.bad == 0);

	char pair[XYLIST_MAX_PAIR + 8];
	memset(pair, '0', sizeof(pair) - 1);
	pair[sizeof(pair) - 1] = '\0';
	memcpy(pair, "126.9_37.5", 10); // "126.9_37.5000…0": a number, but too long a pair
	CHECK(parse(pair, p, 4, &t) == 0);
	CHECK(t.bad == 1);

	/* 10,000 pairs (~120 KB): the first XYLIST_MAX_BYTES read, XYLIST_MAX_POINTS kept. */
	size_t count = 10000, len = 0;
	char *huge = malloc(count * 12 + 1);
	for (size_t i = 0; i < count; i++) {
		len += (size_t)sprintf(huge + len, "126.9_37.5%s", i + 1 < count ? "|" : "");
	}
	t = (struct xylist_tally){0};
	CHECK(xylist_parse(huge, len, &seoul, p, XYLIST_MAX_POINTS * 2, &t) == XYLIST_MAX_POINTS);
	CHECK(t.kept == XYLIST_MAX_POINTS);
	/* 65,536 bytes hold 5,957 pairs of 11 bytes and "126.9_37." (a point: "37." is 37):
	 * 5,958 pieces, 3,958 past the limit, plus one for the text past its limit. */
	CHECK(t.cut == 5958 - XYLIST_MAX_POINTS + 1);
	CHECK(t.bad == 0);
	free(huge);
}

/* The tally adds up over several parses (a map reads many links). */
static void xylist_tally_accumulates(void)
{
	struct xylist_point p[4];
	struct xylist_tally t = {0};
	xylist_parse("126.9_37.5|x", 12, &seoul, p, 4, &t);
	xylist_parse("126.9_37.5|0_0", 14, &seoul, p, 4, &t);
	CHECK(t.kept == 2 && t.bad == 1 && t.outside == 1);
}

int main(void)
{
	static const struct check_case cases[] = {
		{"xylist_citydata_sample_parsed", xylist_citydata_sample_parsed},
		{"xylist_bad_points_skipped_and_counted", xylist_bad_points_skipped_and_counted},
		{"xylist_empty_pieces_ignored", xylist_empty_pieces_ignored},
		{"xylist_outside_bounds_counted", xylist_outside_bounds_counted},
		{"xylist_limits_cut_and_counted", xylist_limits_cut_and_counted},
		{"xylist_tally_accumulates", xylist_tally_accumulates},
	};
	return check_run(cases, sizeof(cases) / sizeof(cases[0]));
}
