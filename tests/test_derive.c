/*
 * Derived values (src/derive/): every operator and aggregate over small record sets whose
 * figures are computed by hand in the comments, the edge cases of issue 12 (missing arrival,
 * arrival before dispatch, a dispatch just before midnight, records outside the window, an
 * empty set, NaN and strings), Seoul's two-field times, and parse errors with exact messages
 * and positions. The clock is fixed: 2026-11-25 09:00 KST.
 */

#include "check.h"

#include "derive/derive.h"
#include "feed/snapshot_parse.h"
#include "util/diag.h"
#include "util/fileio.h"
#include "util/xmalloc.h"

#include <stdlib.h>

#define NOW 1795564800.0 // 2026-11-25T09:00:00+09:00

static struct snapshot *parse_json(const char *text)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct snapshot *snap = snapshot_parse(text, strlen(text), "test.json", "test", NULL, 0,
					       &diags);
	for (size_t i = 0; !snap && i < diags.count; i++) {
		char *line = diag_format(&diags.items[i]);
		printf("# %s\n", line);
		free(line);
	}
	diag_list_finish(&diags);
	return snap;
}

/* A result as one line: null, 0.5, "text", {"a": 1, "b": null}. */
static void describe(const struct value *v, char *buf, size_t size)
{
	size_t n;
	switch (v->kind) {
	case VALUE_NULL:
		snprintf(buf, size, "null");
		break;
	case VALUE_BOOL:
		snprintf(buf, size, "%s", v->boolean ? "true" : "false");
		break;
	case VALUE_NUMBER:
		snprintf(buf, size, "%.6g", v->number);
		break;
	case VALUE_STRING:
		snprintf(buf, size, "\"%s\"", v->string.text);
		break;
	case VALUE_ARRAY:
		n = (size_t)snprintf(buf, size, "[");
		for (size_t i = 0; i < v->array.count && n < size; i++) {
			char item[256];
			describe(v->array.items[i], item, sizeof(item));
			n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", item);
		}
		if (n < size) {
			snprintf(buf + n, size - n, "]");
		}
		break;
	case VALUE_OBJECT:
		n = (size_t)snprintf(buf, size, "{");
		for (size_t i = 0; i < v->object.count && n < size; i++) {
			char item[256];
			describe(v->object.members[i].value, item, sizeof(item));
			n += (size_t)snprintf(buf + n, size - n, "%s\"%s\": %s", i ? ", " : "",
					      v->object.members[i].key, item);
		}
		if (n < size) {
			snprintf(buf + n, size - n, "}");
		}
		break;
	default:
		snprintf(buf, size, "?");
	}
}

struct spec {
	const char *where;
	const char *value;
	const char *group_by;
	const struct derive_time *times;
	size_t time_count;
	bool by_day;                // group_by is day(group_by)
	const char *sort;           // a list (value NULL): "field" or "-field"
	size_t limit;
	const char *const *fields;  // NULL-terminated
};

/* Computes `s` over the records at /rows of `doc`; the result described in buf. */
static void run(const char *doc, const struct spec *s, char *buf, size_t size,
		struct derive_stats *stats)
{
	struct derive_error err;
	struct derive_def def = {.name = xstrdup("t"), .zone = xstrdup("Asia/Seoul")};
	def.value = s->value ? derive_parse(s->value, DERIVE_VALUE, &err) : NULL;
	def.group_by_day = s->by_day;
	def.limit = s->limit ? s->limit : 100;
	if (s->sort) {
		CHECK(derive_parse_sort(s->sort, &def.sort, &def.sort_descending, &err));
	}
	for (size_t i = 0; s->fields && s->fields[i]; i++) {
		def.fields = xrealloc(def.fields, (i + 1) * sizeof(*def.fields));
		def.fields[def.field_count++] = xstrdup(s->fields[i]);
	}
	if (s->value && !def.value) {
		printf("# value: %s at %zu\n", err.message, err.offset);
	}
	if (s->where) {
		def.where = derive_parse(s->where, DERIVE_CONDITION, &err);
		if (!def.where) {
			printf("# where: %s at %zu\n", err.message, err.offset);
		}
	}
	def.group_by = s->group_by ? xstrdup(s->group_by) : NULL;
	if (s->time_count) {
		def.times = xcalloc(s->time_count, sizeof(*def.times));
		for (size_t i = 0; i < s->time_count; i++) {
			def.times[i].name = xstrdup(s->times[i].name);
			def.times[i].date = xstrdup(s->times[i].date);
			def.times[i].clock = s->times[i].clock ? xstrdup(s->times[i].clock) : NULL;
		}
		def.time_count = s->time_count;
	}
	struct snapshot *snap = parse_json(doc);
	snprintf(buf, size, "(not computed)");
	if (snap && (def.value || !s->value) && (def.where || !s->where)) {
		struct arena arena;
		arena_init(&arena);
		const struct value *v = derive_compute(&def, value_member(snap->root, "rows"), NOW,
						       &arena, stats);
		describe(v, buf, size);
		arena_finish(&arena);
	}
	snapshot_unref(snap);
	derive_def_finish(&def);
}

static void check_value(const char *doc, const char *where, const char *value,
			const char *expected, int line)
{
	char buf[512];
	struct derive_stats stats;
	struct spec s = {.where = where, .value = value};
	run(doc, &s, buf, sizeof(buf), &stats);
	if (strcmp(buf, expected) != 0) {
		printf("# line %d: %s | %s\n#   expected: %s\n#   actual:   %s\n", line,
		       where ? where : "-", value, expected, buf);
		check_failures_in_case++;
	}
}

#define VALUE(doc, where, value, expected) check_value(doc, where, value, expected, __LINE__)

/* ---- aggregates ---- */

static const char numbers[] = "{\"rows\": [{\"v\": 4, \"k\": \"a\"}, {\"v\": 1, \"k\": \"b\"},"
			      " {\"v\": 3, \"k\": \"a\"}, {\"v\": 2, \"k\": \"b\"},"
			      " {\"v\": 10, \"k\": \"c\"}]}";

static void every_aggregate(void)
{
	/* v = 4, 1, 3, 2, 10; sorted 1 2 3 4 10. */
	VALUE(numbers, NULL, "count", "5");
	VALUE(numbers, NULL, "count()", "5");
	VALUE(numbers, NULL, "count(v > 2)", "3");
	VALUE(numbers, NULL, "sum(v)", "20");
	VALUE(numbers, NULL, "mean(v)", "4");
	VALUE(numbers, NULL, "median(v)", "3");
	/* p90: rank 0.9 * 4 = 3.6 → 4 + 0.6 * (10 - 4) = 7.6 */
	VALUE(numbers, NULL, "p90(v)", "7.6");
	VALUE(numbers, NULL, "min(v)", "1");
	VALUE(numbers, NULL, "max(v)", "10");
	VALUE(numbers, NULL, "ratio(v > 2)", "0.6");
	VALUE(numbers, NULL, "ratio(v >= 100)", "0");
	/* An even count: the median lies between the middle two (2 and 3 of 1 2 3 4). */
	VALUE(numbers, "v < 10", "median(v)", "2.5");
	/* Arithmetic over aggregates. */
	VALUE(numbers, NULL, "sum(v) / count", "4");
	VALUE(numbers, NULL, "max(v) - min(v)", "9");
	VALUE(numbers, NULL, "sum(v * 2 + 1)", "45");
	VALUE(numbers, NULL, "count(k == 'a') * 100 / count", "40");
}

static void every_operator(void)
{
	VALUE(numbers, "v + 1 == 5", "count", "1");
	VALUE(numbers, "v - 1 == 3", "count", "1");
	VALUE(numbers, "v * 2 == 8", "count", "1");
	VALUE(numbers, "v / 2 == 2", "count", "1");
	VALUE(numbers, "-v == -4", "count", "1");
	VALUE(numbers, "v != 4", "count", "4");
	VALUE(numbers, "v < 3", "count", "2");
	VALUE(numbers, "v <= 3", "count", "3");
	VALUE(numbers, "v > 3", "count", "2");
	VALUE(numbers, "v >= 3", "count", "3");
	VALUE(numbers, "v > 1 and v < 4", "count", "2");
	VALUE(numbers, "v == 1 or v == 10", "count", "2");
	VALUE(numbers, "not v == 1", "count", "4");
	VALUE(numbers, "not (v > 1 and k == 'a')", "count", "3");
	VALUE(numbers, "k in ['a', \"c\"]", "count", "3");
	VALUE(numbers, "k not in ['a', 'c']", "count", "2");
	VALUE(numbers, "v in [1, 10, 99]", "count", "2");
	/* Precedence: * before +, comparison before and, and before or. */
	VALUE(numbers, "v == 1 + 1 * 3", "count", "1");
	VALUE(numbers, "v == 1 or v == 2 and k == 'a'", "count", "1");
	/* Division by zero is null, and a comparison with null is false. */
	VALUE(numbers, "v / 0 == v / 0", "count", "0");
	VALUE(numbers, NULL, "sum(v) / 0", "null");
	/* Durations are seconds. */
	VALUE(numbers, "v * 60 == 1m or v * 3600 == 1h or v == 2s or v * 86400 == 10d", "count",
	      "3");
}

static const char nested[] = "{\"rows\": [{\"a\": {\"b\": {\"c\": 7}}, \"field name\": 1},"
			     " {\"a\": {\"b\": 3}, \"field name\": 2}, {\"a\": null}]}";

static void fields_nested_and_quoted(void)
{
	VALUE(nested, NULL, "sum(a.b.c)", "7");
	VALUE(nested, NULL, "sum(`field name`)", "3");
	VALUE(nested, "a.b.c == null", "count", "2");
	VALUE(nested, "a != null", "count", "2");
	VALUE(nested, "missing == null", "count", "3");
}

/* ---- the rules ---- */

static const char messy[] = "{\"rows\": [{\"v\": 1}, {\"v\": \"NaN\"}, {\"v\": \"2\"},"
			    " {\"v\": null}, {\"v\": \"x\"}, {\"v\": 3}, {\"v\": \"1e999\"},"
			    " {\"v\": true}, {}, {\"v\": [1]}, \"not a record\"]}";

static void nan_and_strings_never_enter(void)
{
	/* Numbers: 1, "2", 3 — "NaN", "x", "1e999" (infinite), true, null, [1] are not. */
	VALUE(messy, NULL, "mean(v)", "2");
	VALUE(messy, NULL, "sum(v)", "6");
	VALUE(messy, NULL, "max(v)", "3");
	/* A string where a number is needed: the comparison is false. */
	VALUE(messy, "v > 0", "count", "3");
	VALUE(messy, "v < 100", "count", "3");
	VALUE(messy, "v == 'x'", "count", "1");
	VALUE(messy, "v == 2", "count", "1");
	/* A record that is not an object is rejected, not counted. */
	char buf[128];
	struct derive_stats stats;
	struct spec s = {.value = "count"};
	run(messy, &s, buf, sizeof(buf), &stats);
	CHECK_STR(buf, "10");
	CHECK_INT(stats.records, 11);
	CHECK_INT(stats.rejected, 1);
}

static void empty_set_is_no_data(void)
{
	const char *empty = "{\"rows\": []}";
	VALUE(empty, NULL, "ratio(v > 1)", "null");
	VALUE(empty, NULL, "mean(v)", "null");
	VALUE(empty, NULL, "median(v)", "null");
	VALUE(empty, NULL, "p90(v)", "null");
	VALUE(empty, NULL, "sum(v)", "null");
	VALUE(empty, NULL, "min(v)", "null");
	VALUE(empty, NULL, "max(v)", "null");
	VALUE(empty, NULL, "count", "0");
	/* A where that keeps nothing is an empty set too. */
	VALUE(numbers, "v > 100", "ratio(v > 1)", "null");
	VALUE(numbers, "v > 100", "ratio(v > 1) * 100", "null");
	/* No records at all: not an array or object. */
	VALUE("{\"rows\": 5}", NULL, "ratio(v > 1)", "null");
	VALUE("{\"other\": []}", NULL, "mean(v)", "null");
}

/*
 * The golden time on a hand-made morning (2026-11-25, KST):
 *   1 08:00:00 → 08:04:00   4 min  good
 *   2 08:10:00 → 08:15:00   5 min  good (the limit itself counts)
 *   3 08:20:00 → 08:26:00   6 min  late
 *   4 08:30:00 → (none)            missing arrival: not in the set
 *   5 08:40:00 → 08:39:00          arrival before dispatch: rejected
 *   6 yesterday 23:59:30 → 00:03:00  dispatched before midnight: not today
 *   7 08:50:00 → "점검중"           a string: in the set, not good
 * golden = 2 good of 4 (1, 2, 3, 7) = 0.5; rejected 1.
 */
static const char dispatches[] =
	"{\"rows\": ["
	"{\"id\": 1, \"district\": \"강남구\", \"responsible\": \"A\", \"arrived_by\": \"A\","
	" \"dispatched\": \"2026-11-25T08:00:00+09:00\", \"arrived\": \"2026-11-25T08:04:00+09:00\"},"
	"{\"id\": 2, \"district\": \"강남구\", \"responsible\": \"A\", \"arrived_by\": \"B\","
	" \"dispatched\": \"2026-11-25T08:10:00+09:00\", \"arrived\": \"2026-11-25T08:15:00+09:00\"},"
	"{\"id\": 3, \"district\": \"종로구\", \"responsible\": \"C\", \"arrived_by\": \"C\","
	" \"dispatched\": \"2026-11-25T08:20:00+09:00\", \"arrived\": \"2026-11-25T08:26:00+09:00\"},"
	"{\"id\": 4, \"district\": \"종로구\", \"responsible\": \"C\","
	" \"dispatched\": \"2026-11-25T08:30:00+09:00\", \"arrived\": null},"
	"{\"id\": 5, \"district\": \"종로구\", \"responsible\": \"C\", \"arrived_by\": \"C\","
	" \"dispatched\": \"2026-11-25T08:40:00+09:00\", \"arrived\": \"2026-11-25T08:39:00+09:00\"},"
	"{\"id\": 6, \"district\": \"강남구\", \"responsible\": \"B\", \"arrived_by\": \"A\","
	" \"dispatched\": \"2026-11-24T23:59:30+09:00\", \"arrived\": \"2026-11-25T00:03:00+09:00\"},"
	"{\"id\": 7, \"district\": \"마포구\", \"responsible\": \"D\", \"arrived_by\": \"D\","
	" \"dispatched\": \"2026-11-25 08:50:00\", \"arrived\": \"점검중\"}]}";

static void golden_time(void)
{
	char buf[256];
	struct derive_stats stats;
	struct spec s = {.where = "arrived != null and dispatched >= today()",
			 .value = "ratio(arrived - dispatched <= 5m)"};
	run(dispatches, &s, buf, sizeof(buf), &stats);
	CHECK_STR(buf, "0.5");
	CHECK_INT(stats.records, 7);
	CHECK_INT(stats.matched, 4);
	CHECK_INT(stats.rejected, 1);
	/* By district, every day: 강남구 1, 2, 6 all good; 종로구 3 late (5 rejected); 마포구 7. */
	s = (struct spec){.where = "arrived != null", .value = "ratio(arrived - dispatched <= 5m)",
			  .group_by = "district"};
	run(dispatches, &s, buf, sizeof(buf), &stats);
	CHECK_STR(buf, "{\"강남구\": 1, \"종로구\": 0, \"마포구\": 0}");
	CHECK_INT(stats.groups, 3);
	CHECK_INT(stats.rejected, 1);
	/* Neighbour help: 2 (B for A) and 6 (A for B); 4 has no arriving station. */
	VALUE(dispatches, NULL, "count(arrived_by != responsible)", "2");
	/* Delays in minutes of the good and late: 4, 5, 6 today; 3.5 for yesterday's. */
	VALUE(dispatches, "dispatched in today", "mean(arrived - dispatched) / 60", "5");
	VALUE(dispatches, NULL, "max(arrived - dispatched) / 1m", "6");
	VALUE(dispatches, "dispatched not in today", "median(arrived - dispatched)", "210");
}

static void windows_and_times(void)
{
	/* 09:00 now: the last hour holds 08:00 (its start counts) on; today all but 6. */
	VALUE(dispatches, "dispatched in last 1h", "count", "6");
	VALUE(dispatches, "dispatched not in last 1h", "count", "1");
	VALUE(dispatches, "dispatched in last 50m", "count", "5");
	VALUE(dispatches, "dispatched in last 30d", "count", "7");
	VALUE(dispatches, "dispatched in today", "count", "6");
	VALUE(dispatches, "dispatched >= today() and dispatched < today() + 1d", "count", "6");
	VALUE(dispatches, "dispatched >= now() - 30m", "count", "3"); // 08:30, 08:40, 08:50
	VALUE(dispatches, "dispatched < today()", "count", "1");
	/* A string that is not a time is in no window, and not outside it either. */
	VALUE(dispatches, "arrived in today", "count", "5");
	VALUE(dispatches, "arrived not in today", "count", "0");
	/* Epoch numbers and compact forms compare with times too. */
	VALUE("{\"rows\": [{\"t\": 1795564800}, {\"t\": 20261125}, {\"t\": \"202611241500\"}]}",
	      "t >= today()", "count", "2");
	/* Results that are times come out as epoch seconds. */
	VALUE(numbers, NULL, "today()", "1.79553e+09");
}

static void seoul_two_field_times(void)
{
	/* The 119 export: date and time of day apart, the time without leading zeros. */
	const char *doc = "{\"rows\": ["
			  "{\"신고일자\": \"20211225\", \"신고시각\": \"235400\","
			  " \"출동일자\": \"20211226\", \"출동시각\": \"331\"},"
			  "{\"신고일자\": 20210330, \"신고시각\": 104800,"
			  " \"출동일자\": 20210330, \"출동시각\": 105042},"
			  "{\"신고일자\": \"20210330\", \"신고시각\": \"x\","
			  " \"출동일자\": \"20210330\", \"출동시각\": \"1\"}]}";
	static const struct derive_time times[] = {
		{.name = "reported", .date = "신고일자", .clock = "신고시각"},
		{.name = "dispatched", .date = "출동일자", .clock = "출동시각"},
	};
	char buf[128];
	struct derive_stats stats;
	/* 23:54:00 → 00:03:31 next day = 571 s; 10:48:00 → 10:50:42 = 162 s; the third has no
	 * report time. */
	struct spec s = {.value = "sum(dispatched - reported)", .times = times, .time_count = 2};
	run(doc, &s, buf, sizeof(buf), &stats);
	CHECK_STR(buf, "733");
	s.value = "count(reported == null)";
	run(doc, &s, buf, sizeof(buf), &stats);
	CHECK_STR(buf, "1");
	/* 00:00:01 on 2021-03-30 KST is 2021-03-29T15:00:01Z. */
	s.value = "min(dispatched)";
	run(doc, &s, buf, sizeof(buf), &stats);
	CHECK_STR(buf, "1.61703e+09");
	s.value = "min(dispatched) - 1617030001";
	run(doc, &s, buf, sizeof(buf), &stats);
	CHECK_STR(buf, "0");
}

static void group_by_numbers_and_missing_keys(void)
{
	char buf[256];
	struct derive_stats stats;
	const char *doc = "{\"rows\": [{\"g\": 11680, \"v\": 1}, {\"g\": 11110, \"v\": 2},"
			  " {\"g\": 11680, \"v\": 3}, {\"v\": 4}, {\"g\": null, \"v\": 5}]}";
	struct spec s = {.value = "sum(v)", .group_by = "g"};
	run(doc, &s, buf, sizeof(buf), &stats);
	CHECK_STR(buf, "{\"11680\": 4, \"11110\": 2}");
	CHECK_INT(stats.matched, 3);
	/* Groups are capped: records of more groups are ignored and the result says so. */
	size_t n = DERIVE_MAX_GROUPS + 10;
	char *big = xmalloc(n * 32 + 32);
	size_t used = (size_t)sprintf(big, "{\"rows\": [");
	for (size_t i = 0; i < n; i++) {
		used += (size_t)sprintf(big + used, "%s{\"g\": %zu}", i ? "," : "", i);
	}
	sprintf(big + used, "]}");
	s = (struct spec){.value = "count", .group_by = "g"};
	run(big, &s, buf, 16, &stats);
	CHECK_INT(stats.groups, DERIVE_MAX_GROUPS);
	CHECK(stats.truncated);
	free(big);
}

/*
 * group_by day(dispatched): local days of Seoul, in date order, a day without records a null
 * point. By hand: 11-22 has 2 of 3 good (one 23:58 KST dispatch is 14:58 UTC, still the 22nd
 * in Seoul, and "2026-11-22T15:30:00Z" is 00:30 on the 23rd), 11-23 has none, 11-24 has 1 of
 * 1; a record without a time is in no day.
 */
static void group_by_day_is_a_series(void)
{
	char buf[1024];
	struct derive_stats stats;
	const char *doc =
		"{\"rows\": ["
		"{\"d\": \"2026-11-24T10:00:00+09:00\", \"ok\": true},"
		"{\"d\": \"2026-11-22T09:00:00+09:00\", \"ok\": true},"
		"{\"d\": \"2026-11-22T23:58:00+09:00\", \"ok\": false},"
		"{\"d\": \"2026-11-22 12:00\", \"ok\": true},"
		"{\"d\": \"2026-11-22T15:30:00Z\", \"ok\": false},"
		"{\"d\": \"2026-11-22T15:30:00Z\", \"ok\": false},"
		"{\"d\": null, \"ok\": true}]}";
	struct spec s = {.value = "ratio(ok == true)", .group_by = "d", .by_day = true,
			 .where = "d < '2026-11-22T15:00:00Z' or d >= '2026-11-23T15:00:00Z'"};
	run(doc, &s, buf, sizeof(buf), &stats);
	CHECK_STR(buf, "[{\"day\": \"2026-11-22\", \"t\": \"2026-11-22T00:00:00+09:00\", "
		  "\"v\": 0.666667}, {\"day\": \"2026-11-23\", \"t\": \"2026-11-23T00:00:00+09:00\", "
		  "\"v\": null}, {\"day\": \"2026-11-24\", \"t\": \"2026-11-24T00:00:00+09:00\", "
		  "\"v\": 1}]");
	CHECK_INT(stats.groups, 2);
	/* Without the window the 00:30 records make the 23rd a day of 0 of 2. */
	s.where = NULL;
	s.value = "count";
	run(doc, &s, buf, sizeof(buf), &stats);
	CHECK(strstr(buf, "\"2026-11-23T00:00:00+09:00\", \"v\": 2}") != NULL);
	/* No records: an empty series, not a point of 0. */
	run("{\"rows\": []}", &s, buf, sizeof(buf), &stats);
	CHECK_STR(buf, "[]");
}

/*
 * A list: the open incidents (no arrival), oldest first, at most 2, trimmed to two fields. A
 * record without the sort field goes last in either direction; a compact "202611250830" sorts
 * as the time it is, not as text; a declared two-field time is listed as ISO 8601.
 */
static void list_where_sort_limit_fields(void)
{
	char buf[1024];
	struct derive_stats stats;
	const char *doc =
		"{\"rows\": ["
		"{\"id\": \"a\", \"d\": \"2026-11-25T08:50:00+09:00\", \"arrived\": null},"
		"{\"id\": \"b\", \"d\": \"2026-11-25T08:10:00+09:00\", \"arrived\": null},"
		"{\"id\": \"c\", \"d\": \"2026-11-25T08:00:00+09:00\", \"arrived\": \"x\"},"
		"{\"id\": \"d\", \"arrived\": null},"
		"{\"id\": \"e\", \"d\": \"202611250830\"}, 7]}";
	static const char *const two[] = {"id", "d", NULL};
	struct spec s = {.where = "arrived == null", .sort = "d", .limit = 2, .fields = two};
	run(doc, &s, buf, sizeof(buf), &stats);
	CHECK_STR(buf, "[{\"id\": \"b\", \"d\": \"2026-11-25T08:10:00+09:00\"}, "
		  "{\"id\": \"e\", \"d\": \"202611250830\"}]");
	CHECK_INT(stats.matched, 4);
	CHECK_INT(stats.rejected, 1); // 7 is not a record
	static const char *const one[] = {"id", NULL};
	s = (struct spec){.where = "arrived == null", .sort = "-d", .fields = one};
	run(doc, &s, buf, sizeof(buf), &stats);
	CHECK_STR(buf, "[{\"id\": \"a\"}, {\"id\": \"e\"}, {\"id\": \"b\"}, {\"id\": \"d\"}]");
	/* No sort: the records' order; no fields: whole records. */
	s = (struct spec){.where = "id == 'c'"};
	run(doc, &s, buf, sizeof(buf), &stats);
	CHECK_STR(buf, "[{\"id\": \"c\", \"d\": \"2026-11-25T08:00:00+09:00\", "
		  "\"arrived\": \"x\"}]");
	/* Two-field times come out as ISO 8601 in the zone. */
	static const struct derive_time pair[] = {{"t", "date", "clock"}};
	static const char *const with_time[] = {"t", NULL};
	s = (struct spec){.sort = "t", .fields = with_time, .times = pair, .time_count = 1};
	run("{\"rows\": [{\"date\": \"20261125\", \"clock\": \"331\"},"
	    " {\"date\": \"20261124\", \"clock\": 235959}]}", &s, buf, sizeof(buf), &stats);
	CHECK_STR(buf, "[{\"t\": \"2026-11-24T23:59:59+09:00\"}, {\"t\": \"2026-11-25T00:03:31+09:00\"}]");
}

static void group_and_sort_syntax(void)
{
	struct derive_error err;
	char *field;
	bool flag;
	CHECK(derive_parse_group("district", &field, &flag, &err) && !flag);
	CHECK_STR(field, "district");
	free(field);
	CHECK(derive_parse_group("day(dispatched)", &field, &flag, &err) && flag);
	CHECK_STR(field, "dispatched");
	free(field);
	CHECK(derive_parse_group("`발생 장소`", &field, &flag, &err) && !flag);
	CHECK_STR(field, "발생 장소");
	free(field);
	CHECK(!derive_parse_group("dya(dispatched)", &field, &flag, &err));
	CHECK_STR(err.message, "unknown function \"dya\" in group_by (did you mean \"day\": "
		  "\"day(dispatched)\" groups by the local day)");
	CHECK_INT(err.offset, 0);
	CHECK(!derive_parse_group("day(dispatched", &field, &flag, &err));
	CHECK_STR(err.message, "expected ')' to close day(");
	CHECK_INT(err.offset, 14);
	CHECK(!derive_parse_group("day(a b)", &field, &flag, &err));
	CHECK_STR(err.message, "expected a field name, got \"a b\"");
	CHECK_INT(err.offset, 4);
	CHECK(derive_parse_sort("-dispatched", &field, &flag, &err) && flag);
	CHECK_STR(field, "dispatched");
	free(field);
	CHECK(!derive_parse_sort("-", &field, &flag, &err));
	CHECK_INT(err.offset, 1);
}

/*
 * The real 119 excerpt (../shared/data/samples, skipped when absent): 20 ambulance dispatches
 * with report and dispatch times in two fields each, times without leading zeros. Expected
 * figures from an independent Python check of the same file:
 *   csv.DictReader; t = strptime(date + time.zfill(6), "%Y%m%d%H%M%S"); d = dispatch - report
 *   → 20 records, mean 195.65 s, median 166.5 s, max 571 s (the 23:54 → 00:03:31 call),
 *     60% within 3 minutes, 은평소방서 3 records.
 */
static void sample_119_excerpt(void)
{
	const char *root = getenv("CITYWALL_SOURCE_ROOT");
	char path[4096], err[256], *text;
	size_t len;
	snprintf(path, sizeof(path), "%s/../shared/data/samples/"
		 "seoul-119-ambulance-dispatch-excerpt.csv", root ? root : ".");
	if (!file_read_all(path, 1 << 20, &text, &len, err, sizeof(err))) {
		printf("# SKIP 119 excerpt: %s\n", err);
		return;
	}
	struct source_config config = {.name = "ambulance", .format = SOURCE_FORMAT_CSV,
				       .clock_tolerance = INFINITY};
	struct diag_list diags;
	diag_list_init(&diags);
	struct snapshot *snap = snapshot_parse_source(text, len, path, &config, 0, &diags);
	diag_list_finish(&diags);
	free(text);
	CHECK(snap != NULL);
	static const struct derive_time times[] = {
		{.name = "reported", .date = "신고일자", .clock = "신고시각"},
		{.name = "dispatched", .date = "출동일자", .clock = "출동시각"},
	};
	static const struct {
		const char *where, *value, *expected;
	} cases[] = {
		{NULL, "count", "20"},
		{NULL, "mean(dispatched - reported)", "195.65"},
		{NULL, "median(dispatched - reported)", "166.5"},
		{NULL, "max(dispatched - reported)", "571"},
		{NULL, "ratio(dispatched - reported <= 3m)", "0.6"},
		{"소방서명 == '은평소방서'", "count", "3"},
	};
	for (size_t i = 0; snap && i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct derive_error e;
		struct derive_def def = {.name = xstrdup("x"), .zone = xstrdup("Asia/Seoul")};
		def.value = derive_parse(cases[i].value, DERIVE_VALUE, &e);
		def.where = cases[i].where ? derive_parse(cases[i].where, DERIVE_CONDITION, &e) : NULL;
		def.times = xcalloc(2, sizeof(*def.times));
		for (size_t t = 0; t < 2; t++) {
			def.times[t] = (struct derive_time){.name = xstrdup(times[t].name),
							    .date = xstrdup(times[t].date),
							    .clock = xstrdup(times[t].clock)};
		}
		def.time_count = 2;
		struct arena arena;
		arena_init(&arena);
		struct derive_stats stats;
		const struct value *v = derive_compute(&def, value_member(snap->root, "rows"), NOW,
						       &arena, &stats);
		char buf[64];
		describe(v, buf, sizeof(buf));
		CHECK_STR(buf, cases[i].expected);
		CHECK_INT(stats.rejected, 0);
		arena_finish(&arena);
		derive_def_finish(&def);
	}
	snapshot_unref(snap);
}

/* ---- parse errors ---- */

static void check_error(const char *text, enum derive_role role, const char *message,
			size_t offset, int line)
{
	struct derive_error err;
	struct derive_expr *e = derive_parse(text, role, &err);
	if (e || strcmp(err.message, message) != 0 || err.offset != offset) {
		printf("# line %d: %s\n#   expected: %s at %zu\n#   actual:   %s at %zu\n", line,
		       text, message, offset, e ? "(parsed)" : err.message, err.offset);
		check_failures_in_case++;
	}
	derive_expr_free(e);
}

#define ERROR(text, role, message, offset) check_error(text, role, message, offset, __LINE__)

static void parse_errors(void)
{
	ERROR("ratio(arrived - dispatched <= 5m", DERIVE_VALUE,
	      "expected ')' after the argument, got the end", 32);
	ERROR("rato(arrived <= 5m)", DERIVE_VALUE,
	      "unknown function \"rato\" (did you mean \"ratio\"?)", 0);
	ERROR("count(x) + meen(y)", DERIVE_VALUE,
	      "unknown function \"meen\" (did you mean \"mean\"?)", 11);
	ERROR("arrived = null", DERIVE_CONDITION, "'=' is not a comparison: write '=='", 8);
	ERROR("a && b", DERIVE_CONDITION, "unexpected '&': write and, or, not", 2);
	ERROR("x < 5x", DERIVE_CONDITION,
	      "unknown unit \"x\" after 5 (durations: 30s, 5m, 1h, 2d)", 5);
	ERROR("name == 'open", DERIVE_CONDITION, "unclosed string", 8);
	ERROR("", DERIVE_CONDITION, "empty expression", 0);
	ERROR("a ==", DERIVE_CONDITION, "expected a value, got the end", 4);
	ERROR("a b", DERIVE_CONDITION, "expected an operator or the end, got \"b\"", 2);
	ERROR("count > 3", DERIVE_CONDITION,
	      "aggregate count() in a condition: \"where\" tests one record at a time; "
	      "aggregates belong in \"value\"", 0);
	ERROR("arrived - dispatched", DERIVE_VALUE,
	      "field \"arrived\" outside an aggregate: a value is computed from all records "
	      "(write sum(arrived), mean(arrived), ...)", 0);
	ERROR("sum(mean(x))", DERIVE_VALUE, "mean() inside another aggregate: aggregates do not nest",
	      4);
	ERROR("ratio()", DERIVE_VALUE,
	      "ratio() needs a condition: ratio(arrived - dispatched <= 5m)", 0);
	ERROR("x in last 5", DERIVE_CONDITION,
	      "expected a duration after \"last\" (last 1h, last 30d)", 10);
	ERROR("x in (1, 2)", DERIVE_CONDITION,
	      "expected '[', \"last\" or \"today\" after \"in\", got \"(\"", 5);
	ERROR("x in [y]", DERIVE_CONDITION,
	      "a list after \"in\" holds numbers, durations and strings", 6);
	ERROR("x < null", DERIVE_CONDITION, "null is only compared with == or !=", 2);
	ERROR("a.", DERIVE_CONDITION, "expected a member name after '.'", 2);
	ERROR("today() > ${limit}", DERIVE_CONDITION,
	      "unexpected '$': \"${name}\" needs a parameter in \"params\"", 10);
}

static void parse_errors_functions_suggest(void)
{
	/* "avrage" is no function and no near one: the list is given instead. */
	struct derive_error err;
	CHECK(!derive_parse("avrage(y)", DERIVE_VALUE, &err));
	CHECK_STR(err.message, "unknown function \"avrage\" (functions: count, sum, mean, median, "
			       "p90, min, max, ratio, today, now)");
	CHECK(!derive_parse("medain(y)", DERIVE_VALUE, &err));
	CHECK_STR(err.message, "unknown function \"medain\" (did you mean \"median\"?)");
	CHECK(!derive_parse("coutn", DERIVE_VALUE, &err));
	CHECK_STR(err.message, "field \"coutn\" outside an aggregate: a value is computed from all "
			       "records (write sum(coutn), mean(coutn), ...)");
}

static void limits(void)
{
	struct derive_error err;
	/* Depth: 40 parentheses. */
	char deep[128] = "";
	for (int i = 0; i < 40; i++) {
		strcat(deep, "(");
	}
	strcat(deep, "x");
	CHECK(!derive_parse(deep, DERIVE_CONDITION, &err));
	CHECK_STR(err.message, "expression nested too deeply (more than 32 levels)");
	/* Nodes: x + x + ... */
	char *many = xmalloc(4000);
	many[0] = '\0';
	for (int i = 0; i < 300; i++) {
		strcat(many, i ? "+x" : "x");
	}
	strcat(many, " > 1");
	CHECK(!derive_parse(many, DERIVE_CONDITION, &err));
	CHECK_STR(err.message, "expression too long (more than 256 parts)");
	free(many);
	/* Length. */
	char *longer = xmalloc(DERIVE_MAX_TEXT + 2);
	memset(longer, 'x', DERIVE_MAX_TEXT + 1);
	longer[DERIVE_MAX_TEXT + 1] = '\0';
	CHECK(!derive_parse(longer, DERIVE_CONDITION, &err));
	CHECK_STR(err.message, "expression longer than 4096 bytes");
	free(longer);
}

static void fields_listed_in_order(void)
{
	struct derive_error err;
	struct derive_expr *e = derive_parse("ratio(arrived - dispatched <= 5m) + count(a.b)",
					     DERIVE_VALUE, &err);
	CHECK(e != NULL);
	CHECK_INT(derive_expr_field_count(e), 3);
	size_t offset;
	CHECK_STR(derive_expr_field(e, 0, &offset), "arrived");
	CHECK_INT(offset, 6);
	CHECK_STR(derive_expr_field(e, 1, &offset), "dispatched");
	CHECK_INT(offset, 16);
	CHECK_STR(derive_expr_field(e, 2, &offset), "a.b");
	CHECK_INT(offset, 42);
	derive_expr_free(e);
}

static void durations(void)
{
	double s;
	CHECK(derive_parse_duration("5m", &s) && s == 300);
	CHECK(derive_parse_duration("1.5h", &s) && s == 5400);
	CHECK(derive_parse_duration("30s", &s) && s == 30);
	CHECK(derive_parse_duration("2d", &s) && s == 172800);
	CHECK(derive_parse_duration("90", &s) && s == 90);
	CHECK(!derive_parse_duration("5x", &s));
	CHECK(!derive_parse_duration("m", &s));
	CHECK(!derive_parse_duration("5mm", &s));
}

static const struct check_case cases[] = {
	{"every aggregate on a hand-computed set", every_aggregate},
	{"every operator", every_operator},
	{"nested and quoted fields", fields_nested_and_quoted},
	{"NaN and strings never enter an aggregate", nan_and_strings_never_enter},
	{"an empty set is no data, never 0%", empty_set_is_no_data},
	{"golden time: missing, rejected, before midnight, strings", golden_time},
	{"windows: last, today, now", windows_and_times},
	{"Seoul two-field times without leading zeros", seoul_two_field_times},
	{"group_by numbers, missing keys and the group cap", group_by_numbers_and_missing_keys},
	{"group_by day(): a daily series with gaps, Seoul's days", group_by_day_is_a_series},
	{"a list: where, sort, limit, fields", list_where_sort_limit_fields},
	{"group_by and sort syntax, errors with offsets", group_and_sort_syntax},
	{"sample: the real 119 excerpt against an independent check", sample_119_excerpt},
	{"parse errors: exact messages and offsets", parse_errors},
	{"parse errors: function suggestions", parse_errors_functions_suggest},
	{"limits: depth, nodes, length", limits},
	{"fields listed in text order", fields_listed_in_order},
	{"durations", durations},
};

CHECK_MAIN(cases)
