/*
 * libFuzzer target for CSV sources (feed/csv_parse.c and feed/doc_text.c through
 * snapshot_parse_source): the input is a CSV document, decoded as auto, UTF-8 or CP949 by the
 * input's size. When a snapshot comes back, walks the whole tree and looks up paths built from
 * its own column names. Everything is freed, so LeakSanitizer catches leaks.
 *
 * Contracts checked besides the sanitizers: NULL comes with an error; the root is exactly
 * {"rows": [...]}; every row has the header's columns, in the same order; every string is
 * valid UTF-8, NUL-terminated at its length; every number is finite.
 */

#include "feed/doc_text.h"
#include "feed/snapshot_parse.h"
#include "model/path.h"
#include "model/snapshot.h"
#include "model/value.h"
#include "util/diag.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void contract_failed(const char *what)
{
	fprintf(stderr, "fuzz_csv: contract broken: %s\n", what);
	abort();
}

static void check_cell(const struct value *v)
{
	if (!v) {
		contract_failed("NULL cell");
	}
	if (v->kind == VALUE_STRING) {
		if (v->string.text[v->string.length] != '\0' ||
		    strlen(v->string.text) != v->string.length) {
			contract_failed("string not NUL-terminated at its length");
		}
		if (!doc_text_valid_utf8(v->string.text, v->string.length)) {
			contract_failed("string is not UTF-8");
		}
	} else if (v->kind == VALUE_NUMBER) {
		if (!isfinite(v->number)) {
			contract_failed("number not finite");
		}
	} else if (v->kind != VALUE_NULL) {
		contract_failed("a cell is neither text, number nor null");
	}
}

static void check_tree(const struct value *root)
{
	if (root->kind != VALUE_OBJECT || root->object.count != 1 ||
	    strcmp(root->object.members[0].key, "rows") != 0) {
		contract_failed("root is not {\"rows\": ...}");
	}
	const struct value *rows = root->object.members[0].value;
	if (rows->kind != VALUE_ARRAY) {
		contract_failed("rows is not an array");
	}
	const struct value *first = rows->array.count ? rows->array.items[0] : NULL;
	for (size_t r = 0; r < rows->array.count; r++) {
		const struct value *row = rows->array.items[r];
		if (row->kind != VALUE_OBJECT || row->object.count != first->object.count) {
			contract_failed("a row is not an object of the header's columns");
		}
		for (size_t c = 0; c < row->object.count; c++) {
			if (row->object.members[c].key != first->object.members[c].key) {
				contract_failed("a row's columns differ from the first row's");
			}
			check_cell(row->object.members[c].value);
		}
	}
	/* Lookups by the first row's names, as a binding would do them. */
	for (size_t c = 0; first && c < first->object.count && c < 8; c++) {
		char path[512];
		snprintf(path, sizeof(path), "rows/0/%s", first->object.members[c].key);
		char err[256];
		if (path_check(path, err, sizeof(err))) {
			(void)path_lookup(root, path);
		}
		snprintf(path, sizeof(path), "rows[*]/%s", first->object.members[c].key);
		const struct value *out[4];
		(void)path_select(root, path, out, 4);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum source_encoding encodings[] = {
		SOURCE_ENCODING_AUTO, SOURCE_ENCODING_UTF8, SOURCE_ENCODING_CP949,
	};
	struct source_config config = {
		.name = "fuzz",
		.format = SOURCE_FORMAT_CSV,
		.encoding = encodings[size % 3],
		.timestamp = size % 2 ? "rows/0/time" : "generated_at",
	};
	struct diag_list diags;
	diag_list_init(&diags);
	struct snapshot *snap = snapshot_parse_source((const char *)data, size, "fuzz.csv",
						      &config, 1.0e9, &diags);
	if (!snap && diag_count(&diags, DIAG_ERROR) == 0) {
		contract_failed("NULL without an error");
	}
	for (size_t i = 0; i < diags.count; i++) {
		free(diag_format(&diags.items[i]));
	}
	if (snap) {
		check_tree(snap->root);
		if (!value_equal(snap->root, snap->root)) {
			contract_failed("a tree does not equal itself");
		}
	}
	snapshot_unref(snap);
	diag_list_finish(&diags);
	return 0;
}
