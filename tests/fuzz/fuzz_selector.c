/*
 * libFuzzer target for model/path.c: compiles the input as a selector (value path) and
 * evaluates it against a small fixed snapshot shaped like Seoul's open-data responses (records
 * in arrays, objects keyed by district code, numbers in strings, keys with '/', '*' and '=').
 *
 * Contracts checked besides the sanitizers: a path that does not compile comes with a message;
 * one that compiles keeps its text; path_eval_first is the first of path_eval_all; asking for
 * more values gives the same first ones in the same order, every one inside the snapshot;
 * path_lookup and path_select agree with the compiled path; path_check never accepts what
 * path_compile rejects.
 */

#include "feed/snapshot_parse.h"
#include "model/path.h"
#include "model/snapshot.h"
#include "model/value.h"
#include "util/diag.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PATH_BYTES 1024
#define FEW 4
#define MANY 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char snapshot_text[] =
	"{\"generated_at\": \"2026-11-25T09:00:00+09:00\",\n"
	" \"RealtimeCityAir\": {\"list_total_count\": 4, \"row\": [\n"
	"  {\"MSRRGN_NM\": \"동남권\", \"MSRSTE_NM\": \"강남구\", \"PM10\": 25, \"IDEX_NM\": \"보통\"},\n"
	"  {\"MSRRGN_NM\": \"도심권\", \"MSRSTE_NM\": \"종로구\", \"PM10\": \"41.0\", \"IDEX_NM\": \"나쁨\"},\n"
	"  {\"MSRRGN_NM\": \"서북권\", \"MSRSTE_NM\": \"마포구\", \"PM10\": null, \"IDEX_NM\": \"\"},\n"
	"  {\"MSRRGN_NM\": \"동남권\", \"MSRSTE_NM\": \"송파구\", \"PM10\": \" 18 \", \"ok\": true}]},\n"
	" \"air\": {\"districts\": {\"11680\": {\"name\": \"강남구\", \"pm10\": 25, \"pm25\": 12.5},\n"
	"   \"11110\": {\"name\": \"종로구\", \"pm10\": 41, \"trend\": [38, 40, 41, 39.5]},\n"
	"   \"11440\": {\"name\": \"마포구\", \"pm10\": null}}},\n"
	" \"odd\": {\"a/b\": 1, \"*\": 2, \"x=y\": 3, \"[0]\": 4, \"\\\"q\\\"\": 5, \"\": 6, \"a\\\\b\": 7},\n"
	" \"nested\": [[1, [2, [3, [4, {\"deep\": [5, 6, {\"deeper\": 7}]}]]]], [], {}],\n"
	" \"stations\": [{\"name\": \"102. 망원역 1번출구 앞\", \"bikes\": 3},\n"
	"   {\"name\": \"시청역\", \"bikes\": \"0\"}, 17, \"text\", [1, 2]]}\n";

static struct snapshot *fixed_snapshot(void)
{
	static struct snapshot *snapshot;
	if (!snapshot) {
		struct diag_list diags;
		diag_list_init(&diags);
		snapshot = snapshot_parse(snapshot_text, strlen(snapshot_text), "fuzz", "default",
					  "generated_at", 1795564800.0, &diags);
		diag_list_finish(&diags);
		if (!snapshot) {
			fprintf(stderr, "fuzz_selector: the fixed snapshot does not parse\n");
			abort();
		}
	}
	return snapshot;
}

static void contract_failed(const char *what, const char *path)
{
	fprintf(stderr, "fuzz_selector: contract broken: %s (path \"%s\")\n", what, path);
	abort();
}

/* Whether `wanted` is `v` or lies below it. */
static bool in_tree(const struct value *v, const struct value *wanted)
{
	if (v == wanted) {
		return true;
	}
	for (size_t i = 0; v->kind == VALUE_ARRAY && i < v->array.count; i++) {
		if (in_tree(v->array.items[i], wanted)) {
			return true;
		}
	}
	for (size_t i = 0; v->kind == VALUE_OBJECT && i < v->object.count; i++) {
		if (in_tree(v->object.members[i].value, wanted)) {
			return true;
		}
	}
	return false;
}

static void check_compiled(const struct path *compiled, const char *text,
			   const struct value *root)
{
	if (strcmp(path_text(compiled), text) != 0) {
		contract_failed("path_text differs from the compiled text", text);
	}
	const struct value *few[FEW], *many[MANY];
	size_t n_few = path_eval_all(compiled, root, few, FEW);
	size_t n_many = path_eval_all(compiled, root, many, MANY);
	if (n_few > FEW || n_many > MANY || n_few > n_many || (n_many > 0 && n_few == 0)) {
		contract_failed("path_eval_all counts out of bounds or inconsistent", text);
	}
	for (size_t i = 0; i < n_few; i++) {
		if (few[i] != many[i]) {
			contract_failed("more values change the first ones", text);
		}
	}
	for (size_t i = 0; i < n_many; i++) {
		if (!many[i] || !in_tree(root, many[i])) {
			contract_failed("a value outside the snapshot", text);
		}
	}
	const struct value *first = path_eval_first(compiled, root);
	if (first != (n_many ? many[0] : NULL)) {
		contract_failed("path_eval_first is not the first of path_eval_all", text);
	}
	if (path_lookup(root, text) != first) {
		contract_failed("path_lookup differs from the compiled path", text);
	}
	const struct value *again[FEW];
	if (path_select(root, text, again, FEW) != (n_few < FEW ? n_few : FEW)) {
		contract_failed("path_select differs from the compiled path", text);
	}
	if (path_eval_first(compiled, NULL) != NULL) {
		contract_failed("a value below a NULL root", text);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_PATH_BYTES) {
		return 0; /* paths are short: keep the fuzzer on their grammar */
	}
	char text[MAX_PATH_BYTES + 1];
	memcpy(text, data, size);
	text[size] = '\0';
	const struct value *root = fixed_snapshot()->root;
	char err[256] = "";
	struct path *compiled = path_compile(text, err, sizeof(err));
	if (!compiled) {
		if (!err[0]) {
			contract_failed("path_compile failed without a message", text);
		}
		const struct value *found[1];
		if (path_lookup(root, text) || path_select(root, text, found, 1)) {
			contract_failed("a path that does not compile finds values", text);
		}
	} else {
		check_compiled(compiled, text, root);
	}
	char check_err[256] = "";
	if (path_check(text, check_err, sizeof(check_err)) && !compiled) {
		contract_failed("path_check accepts what path_compile rejects", text);
	}
	path_free(compiled);
	return 0;
}
