/*
 * Selectors (model/path.c): paths → values over a built-in document, every match in order,
 * exact error messages, the real Seoul open-data responses in shared/data/samples read by path
 * at test time (skipped when the folder is absent), and garbage paths that must never crash.
 */

#include "check.h"

#include "feed/snapshot_parse.h"
#include "model/path.h"
#include "model/value.h"
#include "util/diag.h"
#include "util/fileio.h"

#include <stdint.h>
#include <stdlib.h>

static const char doc_text[] =
	"{\"air\": {\"city\": {\"pm10\": 86},"
	"  \"districts\": {\"11680\": {\"name\": \"강남구\", \"pm10\": 91, \"code\": 11680},"
	"                 \"11110\": {\"name\": \"종로구\", \"pm10\": \"95\", \"code\": \"11110\"}}},"
	" \"RealtimeCityAir\": {\"row\": ["
	"  {\"MSRSTE_NM\": \"중구\", \"PM10\": 25.0, \"code\": \"11140\", \"IDEX_NM\": \"보통\"},"
	"  {\"MSRSTE_NM\": \"강남구\", \"PM10\": 41.0, \"code\": 11680, \"IDEX_NM\": \"보통\"},"
	"  {\"MSRSTE_NM\": \"강남구\", \"PM10\": 99, \"code\": \"11680\", \"IDEX_NM\": \"나쁨\"},"
	"  {\"MSRSTE_NM\": \"송파구\", \"PM10\": \"38\", \"code\": \"11710.0\", \"IDEX_NM\": \"좋음\"},"
	"  \"not a record\", null]},"
	" \"odd\": {\"a/b\": 1, \"x[0]\": 2, \"*\": 3, \"q\\\"uote\": 4, \"back\\\\slash\": 5,"
	"  \"\": 6, \"a,b=c\": 7, \"RESULT.CODE\": \"INFO-000\", \"07\": \"zero-seven\","
	"  \"flags\": [{\"on\": true, \"n\": null, \"name\": \"t\"},"
	"            {\"on\": false, \"name\": \"f\"}]},"
	" \"list\": [[1, 2], [3, 4]],"
	" \"stations\": [{\"name\": \"시청\", \"line\": \"1\"}, {\"name\": \"홍대입구\", \"line\": 2}],"
	" \"empty\": {\"row\": [], \"obj\": {}},"
	" \"cats\": [{\"k\": \"일식/중식/양식\", \"n\": 7}, {\"k\": \"\", \"n\": 0}]}";

static struct snapshot *parse_text(const char *text, size_t len, const char *origin)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct snapshot *snap = snapshot_parse(text, len, origin, "test", NULL, 0, &diags);
	for (size_t i = 0; !snap && i < diags.count; i++) {
		char *line = diag_format(&diags.items[i]);
		printf("# %s\n", line);
		free(line);
	}
	diag_list_finish(&diags);
	return snap;
}

static struct snapshot *builtin(void)
{
	return parse_text(doc_text, sizeof(doc_text) - 1, "builtin.json");
}

/* A value as one line of text, so a table can say what it expects; NULL for no value. */
static const char *describe(const struct value *v, char *buf, size_t size)
{
	if (!v) {
		return NULL;
	}
	switch (v->kind) {
	case VALUE_NULL:
		return "null";
	case VALUE_BOOL:
		return v->boolean ? "true" : "false";
	case VALUE_NUMBER:
		snprintf(buf, size, "%g", v->number);
		return buf;
	case VALUE_STRING:
		return v->string.text;
	case VALUE_ARRAY:
		snprintf(buf, size, "[array %zu]", v->array.count);
		return buf;
	case VALUE_OBJECT:
		snprintf(buf, size, "{object %zu}", v->object.count);
		return buf;
	}
	return "?";
}

struct lookup_case {
	const char *path;
	const char *expected; // describe() of the first match; NULL: none
};

static void check_lookups(const struct value *root, const struct lookup_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char buf[64], err[256];
		const char *got = describe(path_lookup(root, cases[i].path), buf, sizeof(buf));
		if (!(got == cases[i].expected ||
		      (got && cases[i].expected && strcmp(got, cases[i].expected) == 0))) {
			printf("# path %s\n", cases[i].path);
		}
		CHECK_STR(got, cases[i].expected);
		/* The compiled form agrees with the one-shot lookup. */
		struct path *p = path_compile(cases[i].path, err, sizeof(err));
		CHECK(p != NULL);
		CHECK_STR(describe(path_eval_first(p, root), buf, sizeof(buf)), cases[i].expected);
		path_free(p);
	}
}

static void keys_indexes_and_wildcards(void)
{
	static const struct lookup_case cases[] = {
		{"air/city/pm10", "86"},
		{"/air/city/pm10", "86"},
		{"air/districts/11680/name", "강남구"},
		{"air/districts/*/name", "강남구"},
		{"air/city/pm10/deeper", NULL},
		{"air/city/pm25", NULL},
		{"stations/1/name", "홍대입구"},
		{"stations[1]/name", "홍대입구"},
		{"stations/01/name", NULL},
		{"stations/-1/name", NULL},
		{"stations/2/name", NULL},
		{"stations/0/name/0", NULL},
		{"list/1/0", "3"},
		{"list[1][0]", "3"},
		{"list/*/1", "2"},
		{"list[*][*]", "1"},
		{"RealtimeCityAir/row/1/MSRSTE_NM", "강남구"},
		{"RealtimeCityAir/row[*]/PM10", "25"},
		{"RealtimeCityAir/row/*/MSRSTE_NM", "중구"},
		{"RealtimeCityAir/row[4]", "not a record"},
		{"RealtimeCityAir/row[5]", "null"},
		{"RealtimeCityAir/row[9]", NULL},
		{"RealtimeCityAir/row", "[array 6]"},
		{"odd/07", "zero-seven"},
		{"odd/*", "1"},
		{"odd/RESULT.CODE", "INFO-000"},
		{"odd/a,b=c", "7"},
		{"empty/row[*]", NULL},
		{"empty/row/0", NULL},
		{"empty/obj/*", NULL},
		{"", "{object 7}"},
		{"/", "{object 7}"},
	};
	struct snapshot *snap = builtin();
	CHECK(snap != NULL);
	if (snap) {
		check_lookups(snap->root, cases, sizeof(cases) / sizeof(cases[0]));
	}
	snapshot_unref(snap);
}

static void filters(void)
{
	static const struct lookup_case cases[] = {
		{"RealtimeCityAir/row[MSRSTE_NM=강남구]/PM10", "41"},
		{"RealtimeCityAir/row[MSRSTE_NM=강남구,IDEX_NM=나쁨]/PM10", "99"},
		{"RealtimeCityAir/row[IDEX_NM=나쁨,MSRSTE_NM=강남구]/PM10", "99"},
		{"RealtimeCityAir/row[MSRSTE_NM=강남구][IDEX_NM=나쁨]/PM10", "99"},
		{"RealtimeCityAir/row[MSRSTE_NM=강남구,IDEX_NM=좋음]/PM10", NULL},
		{"RealtimeCityAir/row[MSRSTE_NM=없는구]/PM10", NULL},
		{"RealtimeCityAir/row[MSRSTE_NM=강남]/PM10", NULL},
		/* Numbers compare as numbers when both sides are numbers, whatever their type. */
		{"RealtimeCityAir/row[code=11680]/PM10", "41"},
		{"RealtimeCityAir/row[code=11680.0]/PM10", "41"},
		{"RealtimeCityAir/row[code=11710]/MSRSTE_NM", "송파구"},
		{"RealtimeCityAir/row[code=11140]/MSRSTE_NM", "중구"},
		{"RealtimeCityAir/row[PM10=38]/MSRSTE_NM", "송파구"},
		{"RealtimeCityAir/row[PM10=25]/MSRSTE_NM", "중구"},
		{"RealtimeCityAir/row[PM10=보통]/MSRSTE_NM", NULL},
		{"stations[line=2]/name", "홍대입구"},
		{"stations[line=1]/name", "시청"},
		{"stations[line= 1]/name", "시청"},
		{"stations[name=시청 ]/line", NULL},
		/* A filter then an index: the index applies to each record, not to the matches. */
		{"RealtimeCityAir/row[MSRSTE_NM=강남구][1]", NULL},
		/* On an object of records: '*' then the filter; the object itself has no "name". */
		{"air/districts/*[name=종로구]/pm10", "95"},
		{"air/districts/*[code=11110]/name", "종로구"},
		{"air/districts[name=강남구]/pm10", NULL},
		{"air/districts/11680[name=강남구]/pm10", "91"},
		/* Inside brackets '/' is plain; an empty value matches the empty text. */
		{"cats[k=일식/중식/양식]/n", "7"},
		{"cats[k=]/n", "0"},
		{"cats[k=\"\"]/n", "0"},
		{"odd/flags[on=true]/name", "t"},
		{"odd/flags[on=false]/name", "f"},
		{"odd/flags[n=null]/name", NULL},
		{"odd/flags[missing=1]/name", NULL},
		{"odd/flags[name=\"t\"]/on", "true"},
		{"odd/flags[name=t]/n", "null"},
	};
	struct snapshot *snap = builtin();
	CHECK(snap != NULL);
	if (snap) {
		check_lookups(snap->root, cases, sizeof(cases) / sizeof(cases[0]));
	}
	snapshot_unref(snap);
}

static void quoting(void)
{
	static const struct lookup_case cases[] = {
		{"odd/\"a/b\"", "1"},
		{"odd/a\\/b", "1"},
		{"odd/\"a\"/b", NULL},
		{"odd/\"x[0]\"", "2"},
		{"odd/x\\[0\\]", "2"},
		{"odd/x\"[\"0\"]\"", "2"},
		{"odd/\"*\"", "3"},
		{"odd/\\*", "3"},
		{"odd/\"q\\\"uote\"", "4"},
		{"odd/q\\\"uote", "4"},
		{"odd/back\\\\slash", "5"},
		{"odd/\"back\\\\slash\"", "5"},
		{"odd/\"\"", "6"},
		{"\"odd\"/\"07\"", "zero-seven"},
		/* Quoted digits are a key, never an index. */
		{"stations/\"1\"/name", NULL},
		{"RealtimeCityAir/row[\"MSRSTE_NM\"=\"강남구\"]/PM10", "41"},
		{"RealtimeCityAir/row[MSRSTE_NM=\"강남구\",IDEX_NM=나쁨]/PM10", "99"},
	};
	struct snapshot *snap = builtin();
	CHECK(snap != NULL);
	if (snap) {
		check_lookups(snap->root, cases, sizeof(cases) / sizeof(cases[0]));
	}
	snapshot_unref(snap);
}

struct select_case {
	const char *path;
	size_t max;
	const char *expected; // every match's describe(), joined by '|'
};

static void every_match_in_order(void)
{
	static const struct select_case cases[] = {
		{"RealtimeCityAir/row[MSRSTE_NM=강남구]/PM10", 8, "41|99"},
		{"RealtimeCityAir/row[*]/MSRSTE_NM", 8, "중구|강남구|강남구|송파구"},
		{"RealtimeCityAir/row[*]/MSRSTE_NM", 2, "중구|강남구"},
		{"RealtimeCityAir/row[*]/MSRSTE_NM", 1, "중구"},
		{"RealtimeCityAir/row[*]/MSRSTE_NM", 0, ""},
		{"RealtimeCityAir/row/*", 8,
		 "{object 4}|{object 4}|{object 4}|{object 4}|not a record|null"},
		{"list[*][*]", 8, "1|2|3|4"},
		{"list/*/0", 8, "1|3"},
		{"air/districts/*/pm10", 8, "91|95"},
		{"air/districts/*[code=11680]/name", 8, "강남구"},
		{"odd/flags/*/name", 8, "t|f"},
		{"*/city/pm10", 8, "86"},
		{"nothing/*", 8, ""},
		{"air/city/pm10", 8, "86"},
		{"row[", 8, ""},
	};
	struct snapshot *snap = builtin();
	CHECK(snap != NULL);
	for (size_t i = 0; snap && i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct value *found[8];
		size_t n = path_select(snap->root, cases[i].path, found, cases[i].max);
		char joined[512] = "", buf[64];
		for (size_t k = 0; k < n; k++) {
			const char *d = describe(found[k], buf, sizeof(buf));
			snprintf(joined + strlen(joined), sizeof(joined) - strlen(joined), "%s%s",
				 k ? "|" : "", d);
		}
		CHECK_STR(joined, cases[i].expected);
	}
	snapshot_unref(snap);
}

static void compiled_paths_are_reused(void)
{
	static const char a[] =
		"{\"row\": [{\"id\": \"x\", \"v\": 1}, {\"id\": \"y\", \"v\": 2}]}";
	static const char b[] =
		"{\"row\": [{\"id\": \"y\", \"v\": \"20\"}, {\"id\": \"x\", \"v\": 10}]}";
	struct snapshot *sa = parse_text(a, sizeof(a) - 1, "a.json");
	struct snapshot *sb = parse_text(b, sizeof(b) - 1, "b.json");
	char err[256] = "untouched";
	struct path *p = path_compile("row[id=y]/v", err, sizeof(err));
	CHECK(p != NULL);
	CHECK_STR(err, "");
	CHECK_STR(path_text(p), "row[id=y]/v");
	double n = 0;
	CHECK(value_number(path_eval_first(p, sa->root), &n));
	CHECK_NEAR(n, 2, 0);
	CHECK(value_number(path_eval_first(p, sb->root), &n));
	CHECK_NEAR(n, 20, 0);
	const struct value *all[4];
	struct path *every = path_compile("row/*/v", err, sizeof(err));
	CHECK_INT(path_eval_all(every, sb->root, all, 4), 2);
	CHECK_INT(path_eval_all(every, NULL, all, 4), 0);
	CHECK_INT(path_eval_all(NULL, sb->root, all, 4), 0);
	CHECK(path_eval_first(NULL, sb->root) == NULL);
	CHECK(path_eval_first(p, NULL) == NULL);
	CHECK_STR(path_text(NULL), "");
	path_free(every);
	path_free(p);
	path_free(NULL);
	snapshot_unref(sa);
	snapshot_unref(sb);
}

struct error_case {
	const char *path;
	const char *message; // NULL: valid
};

static void error_messages(void)
{
	static const struct error_case cases[] = {
		{"", "empty value path"},
		{"/", "empty value path"},
		{"air//pm10", "empty segment in value path \"air//pm10\""},
		{"air/", "empty segment in value path \"air/\""},
		{"//", "empty segment in value path \"//\""},
		{"row[MSRSTE_NM=강남구", "unclosed '[' at character 4 in \"row[MSRSTE_NM=강남구\""},
		{"대기/row[구=강남/PM10", "unclosed '[' at character 7 in \"대기/row[구=강남/PM10\""},
		{"row[a=1", "unclosed '[' at character 4 in \"row[a=1\""},
		{"row[", "unclosed '[' at character 4 in \"row[\""},
		{"row[=1]", "empty key in filter at character 5 in \"row[=1]\""},
		{"row[a=1,]", "empty key in filter at character 9 in \"row[a=1,]\""},
		{"row[a=1,=2]", "empty key in filter at character 9 in \"row[a=1,=2]\""},
		{"abc/def]/x", "unexpected ']' at character 8 in \"abc/def]/x\""},
		{"row[0]]", "unexpected ']' at character 7 in \"row[0]]\""},
		{"]", "unexpected ']' at character 1 in \"]\""},
		{"row[]", "empty '[]' at character 4 in \"row[]\""},
		{"row[abc]", "expected an index, '*' or key=value in '[...]' at character 4 in "
			     "\"row[abc]\""},
		{"row[-1]", "expected an index, '*' or key=value in '[...]' at character 4 in "
			    "\"row[-1]\""},
		{"row[a=1,b]", "expected '=' after the key in filter at character 10 in "
			       "\"row[a=1,b]\""},
		{"row[a==1]", "unexpected '=' in filter value (quote it: \"...\") at character 7 in "
			      "\"row[a==1]\""},
		{"row[a=[1]]", "unexpected '[' in filter value (quote it: \"...\") at character 7 in "
			       "\"row[a=[1]]\""},
		{"row[a[b=1]", "unexpected '[' at character 6 in \"row[a[b=1]\""},
		{"row[01]", "index with a leading zero at character 5 in \"row[01]\""},
		{"row[1234567890]", "index longer than 9 digits at character 5 in "
				    "\"row[1234567890]\""},
		{"row[0]x", "unexpected text after ']' at character 7 in \"row[0]x\""},
		{"\"abc/def", "unclosed '\"' at character 1 in \"\"abc/def\""},
		{"row[k=\"v]", "unclosed '\"' at character 7 in \"row[k=\"v]\""},
		{"abc\\", "nothing to escape after '\\' at character 4 in \"abc\\\""},
		/* Valid ones, including every form in the docs. */
		{"air/city/pm10", NULL},
		{"/RealtimeCityAir/row[MSRSTE_NM=강남구]/PM10", NULL},
		{"row[a=1,b=x]", NULL},
		{"row[*]/x", NULL},
		{"[0]", NULL},
		{"a/\"b/c\"/d\\[e\\]", NULL},
		{"cats[k=]", NULL},
		{"\"\"", NULL},
		{"row[name=\"a,b\"]", NULL},
		{"row[expr=a\\=b]", NULL},
		{"odd/x\"[\"0\"]\"", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";
		bool ok = path_check(cases[i].path, err, sizeof(err));
		CHECK_INT(ok, cases[i].message == NULL);
		CHECK_STR(ok ? NULL : err, cases[i].message);
		/* path_compile agrees, except that the empty path is the root there. */
		struct path *p = path_compile(cases[i].path, err, sizeof(err));
		bool empty = strcmp(cases[i].path, "") == 0 || strcmp(cases[i].path, "/") == 0;
		CHECK_INT(p != NULL, cases[i].message == NULL || empty);
		path_free(p);
	}
}

static void limits(void)
{
	char path[512] = "", err[256];
	for (int i = 0; i < PATH_MAX_STEPS; i++) {
		strcat(path, i ? "/a" : "a");
	}
	CHECK(path_check(path, err, sizeof(err)));
	strcat(path, "/a");
	CHECK(!path_check(path, err, sizeof(err)));
	char expected[700];
	snprintf(expected, sizeof(expected), "more than %d steps at character %d in \"%s\"",
		 PATH_MAX_STEPS, 2 * PATH_MAX_STEPS + 1, path);
	CHECK_STR(err, expected);

	strcpy(path, "row[");
	for (int i = 0; i < PATH_MAX_CONDITIONS; i++) {
		snprintf(path + strlen(path), 16, "%sk=%d", i ? "," : "", i);
	}
	CHECK(path_check(strcat(path, "]"), err, sizeof(err)));
	path[strlen(path) - 1] = '\0';
	size_t at = strlen(path) + 2;
	strcat(path, ",k=x]");
	CHECK(!path_check(path, err, sizeof(err)));
	snprintf(expected, sizeof(expected),
		 "more than %d conditions in one filter at character %zu in \"%s\"",
		 PATH_MAX_CONDITIONS, at, path);
	CHECK_STR(err, expected);

	/* A tiny error buffer is truncated, never overrun; a NULL one is allowed. */
	char small[8];
	CHECK(!path_check("row[", small, sizeof(small)));
	CHECK_STR(small, "unclose");
	CHECK(path_compile("row[", NULL, 0) == NULL);
}

/* A big array: wildcards and filters stop at `max`, and the first match is found early. */
static void big_documents_are_bounded(void)
{
	size_t rows = 20000, cap = rows * 48 + 64, len = 0;
	char *text = malloc(cap);
	len += (size_t)snprintf(text + len, cap - len, "{\"row\": [");
	for (size_t i = 0; i < rows; i++) {
		len += (size_t)snprintf(text + len, cap - len, "%s{\"id\": \"%zu\", \"v\": %zu}",
					i ? "," : "", i, i * 2);
	}
	len += (size_t)snprintf(text + len, cap - len, "]}");
	struct snapshot *snap = parse_text(text, len, "big.json");
	free(text);
	CHECK(snap != NULL);
	if (!snap) {
		return;
	}
	double n = 0;
	CHECK(value_number(path_lookup(snap->root, "row[id=19999]/v"), &n));
	CHECK_NEAR(n, 39998, 0);
	CHECK(value_number(path_lookup(snap->root, "row[v=2]/id"), &n));
	CHECK_NEAR(n, 1, 0);
	static const struct value *out[10000];
	CHECK_INT(path_select(snap->root, "row[*]/v", out, 10000), 10000);
	CHECK(value_number(out[9999], &n));
	CHECK_NEAR(n, 19998, 0);
	CHECK_INT(path_select(snap->root, "*/*/*", out, 10000), 10000);
	snapshot_unref(snap);
}

/* Deterministic garbage: random bytes from an alphabet of the path's special characters. */
static uint32_t next_random(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

static void garbage_never_crashes(void)
{
	static const char alphabet[] = "/[]*=,\"\\aRw0119 강.-";
	static const char *const seeds[] = {
		"RealtimeCityAir/row[MSRSTE_NM=강남구]/PM10", "odd/\"a/b\"", "list[*][*]",
		"air/districts/*[code=11110]/name", "odd/x\\[0\\]",
	};
	struct snapshot *snap = builtin();
	CHECK(snap != NULL);
	uint32_t state = 2463534242u;
	size_t valid = 0, invalid = 0;
	for (int round = 0; snap && round < 20000; round++) {
		char path[64];
		size_t len = next_random(&state) % (sizeof(path) - 1);
		if (round % 2) {
			/* A valid path with a few characters changed, inserted or cut. */
			snprintf(path, sizeof(path), "%s", seeds[round / 2 % 5]);
			len = strlen(path);
			for (int k = 0; k < 3 && len > 0; k++) {
				size_t at = next_random(&state) % len;
				path[at] = alphabet[next_random(&state) % (sizeof(alphabet) - 1)];
			}
			path[next_random(&state) % (len + 1)] = '\0';
		} else {
			for (size_t i = 0; i < len; i++) {
				uint32_t r = next_random(&state);
				char c = alphabet[r % (sizeof(alphabet) - 1)];
				path[i] = r % 7 ? c : (char)(r >> 8);
				path[i] = path[i] ? path[i] : 'x';
			}
			path[len] = '\0';
		}
		char err[128];
		bool ok = path_check(path, err, sizeof(err));
		valid += ok;
		invalid += !ok;
		CHECK(ok || (err[0] && strlen(err) < sizeof(err)));
		const struct value *out[4];
		size_t n = path_select(snap->root, path, out, 4);
		CHECK(n <= 4);
		const struct value *first = path_lookup(snap->root, path);
		CHECK(n == 0 ? first == NULL : first == out[0]);
	}
	/* Both kinds came up, so both code paths ran. */
	CHECK(valid > 100);
	CHECK(invalid > 100);
	snapshot_unref(snap);
}

/* ---- the real Seoul responses in shared/data/samples ---- */

static const char *samples_dir(void)
{
	static char dir[4096];
	const char *env = getenv("CITYWALL_SAMPLES");
	const char *root = getenv("CITYWALL_SOURCE_ROOT");
	if (env) {
		snprintf(dir, sizeof(dir), "%s", env);
	} else {
		snprintf(dir, sizeof(dir), "%s/../shared/data/samples", root ? root : ".");
	}
	return dir;
}

static struct snapshot *load_sample(const char *name)
{
	char path[4300], err[256];
	snprintf(path, sizeof(path), "%s/%s", samples_dir(), name);
	char *text;
	size_t len;
	if (!file_read_all(path, SNAPSHOT_MAX_BYTES, &text, &len, err, sizeof(err))) {
		printf("# SKIP %s: %s\n", name, err);
		return NULL;
	}
	struct snapshot *snap = parse_text(text, len, path);
	CHECK(snap != NULL);
	free(text);
	return snap;
}

/* The sum of the numbers at every match of `path` (at most 64); *count says how many. */
static double sum_of(const struct value *root, const char *path, size_t *count)
{
	const struct value *out[64];
	double sum = 0;
	*count = path_select(root, path, out, 64);
	for (size_t i = 0; i < *count; i++) {
		double x = NAN;
		CHECK(value_number(out[i], &x));
		sum += x;
	}
	return sum;
}

static void sample_realtime_city_air(void)
{
	static const struct lookup_case cases[] = {
		{"RealtimeCityAir/row[MSRSTE_NM=강남구]/PM10", "22"},
		{"RealtimeCityAir/row[MSRSTE_NM=강남구]/PM25", "10"},
		{"RealtimeCityAir/row[MSRSTE_NM=중랑구]/IDEX_MVL", "66"},
		{"RealtimeCityAir/row[MSRSTE_NM=송파구]/ARPLT_MAIN", "O3"},
		{"RealtimeCityAir/row[MSRRGN_NM=동남권]/MSRSTE_NM", "강남구"},
		{"RealtimeCityAir/row[MSRRGN_NM=동남권,PM25=2]/MSRSTE_NM", "서초구"},
		{"RealtimeCityAir/row[MSRDT=202105111500]/MSRSTE_NM", "중구"},
		{"RealtimeCityAir/row[24]/MSRSTE_NM", "강동구"},
		{"RealtimeCityAir/list_total_count", "25"},
		{"RealtimeCityAir/RESULT/CODE", "INFO-000"},
		{"RealtimeCityAir/row[MSRSTE_NM=세종시]/PM10", NULL},
	};
	struct snapshot *snap = load_sample("seoul-realtimecityair-legacy-2021-sample.json");
	if (!snap) {
		return;
	}
	check_lookups(snap->root, cases, sizeof(cases) / sizeof(cases[0]));
	size_t n;
	double sum = sum_of(snap->root, "RealtimeCityAir/row[MSRRGN_NM=서남권]/PM10", &n);
	CHECK_INT(n, 7);
	CHECK_NEAR(sum, 16 + 33 + 17 + 24 + 24 + 30 + 25, 1e-9);
	snapshot_unref(snap);
}

static void sample_citydata(void)
{
	static const struct lookup_case cases[] = {
		{"CITYDATA/AREA_NM", "광화문·덕수궁"},
		{"CITYDATA/LIVE_PPLTN_STTS[0]/AREA_CONGEST_LVL", "보통"},
		{"CITYDATA/LIVE_PPLTN_STTS[0]/AREA_PPLTN_MAX", "40000"},
		{"CITYDATA/LIVE_PPLTN_STTS[0]/FCST_PPLTN[FCST_CONGEST_LVL=여유]/FCST_TIME",
		 "2026-08-11 21:00"},
		{"CITYDATA/ROAD_TRAFFIC_STTS/AVG_ROAD_DATA/ROAD_TRAFFIC_SPD", "13"},
		{"CITYDATA/ROAD_TRAFFIC_STTS/AVG_ROAD_DATA/ROAD_TRAFFIC_IDX", "정체"},
		{"CITYDATA/ROAD_TRAFFIC_STTS/ROAD_TRAFFIC_STTS[IDX=정체]/SPD", "3"},
		{"CITYDATA/PRK_STTS[PRK_NM=한국프레스센터주차장]/CPCTY", "266"},
		{"CITYDATA/SUB_STTS[SUB_STN_NM=경복궁]/SUB_DETAIL[SUB_DIR=하행]/SUB_ARVTIME", "0"},
		{"CITYDATA/SUB_STTS[SUB_STN_NM=경복궁]/SUB_DETAIL[1]/SUB_ARMG1", "9분 후 (동대입구)"},
		{"CITYDATA/SUB_STTS[SUB_STN_NM=시청]/SUB_DETAIL[9]/SUB_ARMG1", NULL},
		{"CITYDATA/LIVE_CMRCL_STTS/CMRCL_RSB[RSB_MID_CTGR=일식/중식/양식]/RSB_SH_PAYMENT_CNT",
		 "7"},
		{"CITYDATA/WEATHER_STTS[0]/FCST24HOURS[FCST_DT=202608112100]/TEMP", "27"},
		{"CITYDATA/WEATHER_STTS[0]/PM10_INDEX", "좋음"},
		{"CITYDATA/CHARGER_STTS[*]/CHARGER_DETAILS[CHARGER_STAT=사용가능]/CHARGER_TYPE",
		 "AC완속"},
		{"RESULT/RESULT.CODE", "INFO-000"},
		{"RESULT/\"RESULT.CODE\"", "INFO-000"},
	};
	struct snapshot *snap = load_sample("seoul-citydata-sample.json");
	if (!snap) {
		return;
	}
	check_lookups(snap->root, cases, sizeof(cases) / sizeof(cases[0]));
	/* Parking lots that report no current count send "" — a filter on the empty text. */
	size_t n;
	double capacity = sum_of(snap->root, "CITYDATA/PRK_STTS[CUR_PRK_CNT=]/CPCTY", &n);
	CHECK_INT(n, 12);
	CHECK_NEAR(capacity, 24 + 28 + 2 + 25 + 484 + 2 + 87 + 266 + 16 + 2 + 459 + 93, 1e-9);
	snapshot_unref(snap);
}

static void sample_bikes(void)
{
	static const struct lookup_case cases[] = {
		{"rentBikeStatus/row[stationName=102. 망원역 1번출구 앞]/parkingBikeTotCnt", "3"},
		{"rentBikeStatus/row[stationId=ST-8]/parkingBikeTotCnt", "7"},
		{"rentBikeStatus/row[rackTotCnt=7]/stationName", "105. 합정역 5번출구 앞"},
		{"rentBikeStatus/row[stationId=ST-99]/parkingBikeTotCnt", NULL},
	};
	struct snapshot *snap = load_sample("seoul-bikelist-sample.json");
	if (!snap) {
		return;
	}
	check_lookups(snap->root, cases, sizeof(cases) / sizeof(cases[0]));
	/* Every count is a string: numbers in strings add up. */
	size_t n;
	double bikes = sum_of(snap->root, "rentBikeStatus/row[*]/parkingBikeTotCnt", &n);
	CHECK_INT(n, 5);
	CHECK_NEAR(bikes, 3 + 1 + 4 + 2 + 7, 1e-9);
	snapshot_unref(snap);
}

static void sample_citydata_ppltn(void)
{
	static const struct lookup_case cases[] = {
		{"SeoulRtd.citydata_ppltn[0]/AREA_CONGEST_LVL", "약간 붐빔"},
		{"\"SeoulRtd.citydata_ppltn\"/0/AREA_NM", "광화문·덕수궁"},
		{"SeoulRtd.citydata_ppltn[AREA_CD=POI009]/AREA_PPLTN_MAX", "34000"},
		{"SeoulRtd.citydata_ppltn[AREA_CD=POI010]/AREA_PPLTN_MAX", NULL},
		{"SeoulRtd.citydata_ppltn[0]/PPLTN_TIME", "2026-08-13 09:05"},
	};
	struct snapshot *snap = load_sample("seoul-citydata_ppltn-sample.json");
	if (snap) {
		check_lookups(snap->root, cases, sizeof(cases) / sizeof(cases[0]));
	}
	snapshot_unref(snap);
}

static const struct check_case cases[] = {
	{"keys, indexes and wildcards", keys_indexes_and_wildcards},
	{"equality filters on records", filters},
	{"quoting and escapes", quoting},
	{"every match in document order, bounded by max", every_match_in_order},
	{"a compiled path is reused across snapshots", compiled_paths_are_reused},
	{"exact error messages with character positions", error_messages},
	{"step and condition limits", limits},
	{"big documents stay bounded", big_documents_are_bounded},
	{"garbage paths never crash", garbage_never_crashes},
	{"sample: RealtimeCityAir (2021)", sample_realtime_city_air},
	{"sample: citydata", sample_citydata},
	{"sample: bikeList", sample_bikes},
	{"sample: citydata_ppltn", sample_citydata_ppltn},
};

CHECK_MAIN(cases)
