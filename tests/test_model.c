/* Snapshots: parsing documents, provenance, path lookup, numbers in strings. */

#include "check.h"

#include "feed/snapshot_parse.h"
#include "model/path.h"
#include "util/diag.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *doc = "{\n"
			 "  \"seq\": 42,\n"
			 "  \"generated_at\": \"2026-11-25T09:00:00+09:00\",\n"
			 "  \"air\": {\"districts\": {\"11680\": {\"name\": \"강남구\", \"pm10\": 63,\n"
			 "            \"pm25\": \"21\", \"o3\": \"점검중\", \"no2\": null}}},\n"
			 "  \"stations\": [{\"name\": \"여의도\"}, {\"name\": \"홍대입구\"}],\n"
			 "  \"a/b\": 1\n"
			 "}\n";

static struct snapshot *parse(const char *text, struct diag_list *diags)
{
	return snapshot_parse(text, strlen(text), "feed.json", "air", "generated_at", 1000.0, diags);
}

static char *first_message(const struct diag_list *diags)
{
	return diags->count ? diag_format(&diags->items[0]) : NULL;
}

static void provenance(void)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct snapshot *snap = parse(doc, &diags);
	CHECK(snap != NULL);
	CHECK_INT(diags.count, 0);
	if (snap) {
		CHECK(snap->has_seq);
		CHECK_INT(snap->seq, 42);
		CHECK_NEAR(snap->generated_at, 1795564800.0, 0);
		CHECK_NEAR(snap->fetched_at, 1000.0, 0);
		CHECK_NEAR(snapshot_data_time(snap), 1795564800.0, 0);
		CHECK_STR(snap->source, "air");
	}
	snapshot_unref(snap);
	diag_list_finish(&diags);
}

static void lookups(void)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct snapshot *snap = parse(doc, &diags);
	double n = 0;
	const struct value *root = snap->root;
	CHECK(value_number(path_lookup(root, "air/districts/11680/pm10"), &n));
	CHECK_NEAR(n, 63, 0);
	CHECK(value_number(path_lookup(root, "/air/districts/11680/pm10"), &n));
	/* Open-data APIs send numbers as strings: accepted. */
	CHECK(value_number(path_lookup(root, "air/districts/11680/pm25"), &n));
	CHECK_NEAR(n, 21, 0);
	/* A word where a number belongs, null, a missing key: not numbers, no crash. */
	CHECK(!value_number(path_lookup(root, "air/districts/11680/o3"), &n));
	CHECK(!value_number(path_lookup(root, "air/districts/11680/no2"), &n));
	CHECK(path_lookup(root, "air/districts/11680/so2") == NULL);
	CHECK(path_lookup(root, "air/districts/11110/pm10") == NULL);
	CHECK(path_lookup(root, "air/districts/11680/pm10/deeper") == NULL);
	CHECK_STR(value_string(path_lookup(root, "stations/1/name")), "홍대입구");
	CHECK(path_lookup(root, "stations/2/name") == NULL);
	CHECK(path_lookup(root, "stations/01/name") == NULL);
	CHECK(path_lookup(root, "stations/-1/name") == NULL);
	CHECK_STR(value_string(path_lookup(root, "air/districts/11680/name")), "강남구");
	snapshot_unref(snap);
	diag_list_finish(&diags);
}

static void number_strings(void)
{
	struct value v = {.kind = VALUE_STRING};
	static const struct {
		const char *text;
		bool ok;
		double value;
	} cases[] = {
		{"63", true, 63}, {" 4.5 ", true, 4.5}, {"-12", true, -12}, {"1e3", true, 1000},
		{"", false, 0},   {"점검중", false, 0}, {"nan", false, 0},  {"inf", false, 0},
		{"0x10", false, 0}, {"12abc", false, 0}, {"-", false, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v.string.text = cases[i].text;
		v.string.length = strlen(cases[i].text);
		double n = -999;
		bool ok = value_number(&v, &n);
		CHECK_INT(ok, cases[i].ok);
		if (ok) {
			CHECK_NEAR(n, cases[i].value, 0);
		}
	}
}

struct broken_case {
	const char *text;
	const char *message;
};

static void broken_documents(void)
{
	static const struct broken_case cases[] = {
		{"", "feed.json:1:1: error: unexpected end of file"},
		{"{\"seq\": 1,\n \"air\": {\"pm10\": 63,}}",
		 "feed.json:2:20: error: trailing comma before '}'"},
		{"[1, 2]", "feed.json:1:1: error: a snapshot must be a JSON object, got an array"},
		{"{\"seq\": \"42\"}", "feed.json:1: /seq: must be a non-negative integer, got string"},
		{"{\"seq\": -1}", "feed.json:1: /seq: must be a non-negative integer, got number"},
		{"{\n\"generated_at\": \"yesterday\"}",
		 "feed.json:2: /generated_at: must be a time such as "
		 "\"2026-11-25T09:00:00+09:00\", \"202611250900\" or epoch seconds"},
		{"{\"air\": {\"pm10\": 63}", "feed.json:1:21: error: unexpected end of file"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct diag_list diags;
		diag_list_init(&diags);
		struct snapshot *snap = parse(cases[i].text, &diags);
		CHECK(snap == NULL);
		char *message = first_message(&diags);
		CHECK_STR(message, cases[i].message);
		free(message);
		snapshot_unref(snap);
		diag_list_finish(&diags);
	}
}

static void refcounting(void)
{
	struct snapshot *s = snapshot_create(NULL);
	CHECK_STR(s->source, "default");
	CHECK(snapshot_ref(s) == s);
	snapshot_unref(s);
	CHECK_INT(atomic_load(&s->refs), 1);
	snapshot_unref(s);
	snapshot_unref(NULL);
}

static const struct check_case cases[] = {
	{"provenance: seq and generated_at", provenance},
	{"path lookups, missing values, wrong types", lookups},
	{"numbers inside strings", number_strings},
	{"broken documents give exact messages", broken_documents},
	{"reference counting", refcounting},
};

CHECK_MAIN(cases)
