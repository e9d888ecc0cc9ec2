/*
 * libFuzzer target for the derived-value language (src/derive/): parses the input as a
 * condition and as a value, and evaluates what parses over a small fixed set of records with
 * the awkward shapes real feeds have (missing and null fields, strings for numbers and times,
 * "점검중", nested objects, a record that is not one, two-field Seoul times).
 *
 * Contracts checked besides the sanitizers: a rejected text comes with a message and an
 * offset inside the text; a parsed one's fields lie inside the text; a computation never
 * returns NULL, counts no more records than there are, and never yields NaN.
 */

#include "derive/derive.h"
#include "feed/snapshot_parse.h"
#include "model/snapshot.h"
#include "util/diag.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TEXT_BYTES (DERIVE_MAX_TEXT + 64)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char records_text[] =
	"{\"rows\": ["
	"{\"district\": \"강남구\", \"responsible\": \"A\", \"arrived_by\": \"B\", \"v\": 4,"
	" \"dispatched\": \"2026-11-25T08:00:00+09:00\", \"arrived\": \"2026-11-25T08:04:00+09:00\","
	" \"d\": \"20261125\", \"t\": \"331\", \"n\": {\"x\": {\"y\": 2}}},"
	"{\"district\": \"종로구\", \"responsible\": \"C\", \"v\": \"2.5\","
	" \"dispatched\": \"2026-11-25 08:10\", \"arrived\": null, \"d\": 20261124, \"t\": 235959},"
	"{\"district\": 11680, \"v\": \"점검중\", \"dispatched\": 1795564800,"
	" \"arrived\": \"2026-11-25T07:00:00+09:00\", \"ok\": true, \"list\": [1, 2]},"
	"{\"district\": null, \"v\": -1e300, \"dispatched\": \"NaN\", \"arrived\": \"\"},"
	"\"not a record\", 17, null, {}]}";

static struct snapshot *records(void)
{
	static struct snapshot *snapshot;
	if (!snapshot) {
		struct diag_list diags;
		diag_list_init(&diags);
		snapshot = snapshot_parse(records_text, sizeof(records_text) - 1, "fuzz.json", "fuzz",
					  NULL, 0, &diags);
		diag_list_finish(&diags);
		if (!snapshot) {
			abort();
		}
	}
	return snapshot;
}

static void check_rejection(const char *text, const struct derive_error *err)
{
	if (!err->message[0] || err->offset > strlen(text)) {
		fprintf(stderr, "bad error: \"%s\" at %zu for %s\n", err->message, err->offset, text);
		abort();
	}
}

static void check_fields(const char *text, const struct derive_expr *e)
{
	for (size_t i = 0; i < derive_expr_field_count(e); i++) {
		size_t offset;
		const char *name = derive_expr_field(e, i, &offset);
		if (!name || offset >= strlen(text)) {
			abort();
		}
	}
}

static void compute(struct derive_expr *where, struct derive_expr *value, const char *group_by)
{
	static struct derive_time times[] = {{.name = "tt", .date = "d", .clock = "t"},
					     {.name = "td", .date = "dispatched"}};
	struct derive_def def = {.name = "f", .where = where, .value = value,
				 .group_by = (char *)group_by, .times = times, .time_count = 2,
				 .zone = "Asia/Seoul"};
	struct arena arena;
	arena_init(&arena);
	struct derive_stats stats;
	const struct value *rows = value_member(records()->root, "rows");
	const struct value *v = derive_compute(&def, rows, 1795564800.0, &arena, &stats);
	if (!v || stats.records > rows->array.count || stats.matched + stats.rejected >
	    stats.records) {
		abort();
	}
	if (v->kind == VALUE_NUMBER && !isfinite(v->number)) {
		abort(); // NaN never comes out
	}
	arena_finish(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_TEXT_BYTES) {
		return 0;
	}
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	struct derive_error err;
	struct derive_expr *cond = derive_parse(text, DERIVE_CONDITION, &err);
	if (!cond && strlen(text) <= DERIVE_MAX_TEXT) {
		check_rejection(text, &err);
	}
	struct derive_expr *value = derive_parse(text, DERIVE_VALUE, &err);
	if (!value && strlen(text) <= DERIVE_MAX_TEXT) {
		check_rejection(text, &err);
	}
	if (cond) {
		check_fields(text, cond);
		struct derive_expr *count = derive_parse("count", DERIVE_VALUE, &err);
		compute(cond, count, NULL);
		compute(cond, count, "district");
		derive_expr_free(count);
	}
	if (value) {
		check_fields(text, value);
		compute(NULL, value, NULL);
		compute(NULL, value, "district");
	}
	derive_expr_free(cond);
	derive_expr_free(value);
	free(text);
	return 0;
}
