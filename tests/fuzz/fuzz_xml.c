/*
 * libFuzzer target for XML sources (feed/xml_parse.c with expat, feed/doc_text.c, through
 * snapshot_parse_source): the input is an XML document, decoded as auto, UTF-8 or CP949 by
 * the input's size. When a snapshot comes back, walks the whole tree and looks up the paths
 * that lead to its values. Everything is freed, so LeakSanitizer catches leaks.
 *
 * Contracts checked besides the sanitizers: NULL comes with an error; the root is an object
 * of exactly one member (the document element); every string is valid UTF-8, trimmed,
 * NUL-terminated at its length and not a plain number (that would have been a number); every
 * member named "row" is an array; nesting stays within XML_MAX_DEPTH.
 */

#include "feed/doc_text.h"
#include "feed/snapshot_parse.h"
#include "feed/xml_parse.h"
#include "model/path.h"
#include "model/snapshot.h"
#include "model/value.h"
#include "util/diag.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LOOKUPS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct walk {
	const struct value *root;
	char path[1024];
	size_t path_len;
	int lookups;
};

static void contract_failed(const char *what)
{
	fprintf(stderr, "fuzz_xml: contract broken: %s\n", what);
	abort();
}

static void check_string(const struct value *v)
{
	const char *s = v->string.text;
	size_t n = v->string.length;
	double ignored;
	if (s[n] != '\0' || strlen(s) != n) {
		contract_failed("string not NUL-terminated at its length");
	}
	if (!doc_text_valid_utf8(s, n)) {
		contract_failed("string is not UTF-8");
	}
	if (n == 0 || strchr(" \t\r\n", s[0]) || strchr(" \t\r\n", s[n - 1])) {
		contract_failed("text not trimmed, or empty text not null");
	}
	if (doc_text_plain_number(s, n, &ignored)) {
		contract_failed("a plain number stayed text");
	}
}

static void walk(struct walk *w, const struct value *v, int depth)
{
	/* Document element, then per level an element, its "row"/repeat array, and the value. */
	if (!v || depth > 2 * XML_MAX_DEPTH + 2) {
		contract_failed("NULL value or nesting past the cap");
	}
	size_t saved = w->path_len;
	if (v->kind == VALUE_STRING) {
		check_string(v);
	} else if (v->kind == VALUE_NUMBER) {
		if (!isfinite(v->number)) {
			contract_failed("number not finite");
		}
	} else if (v->kind == VALUE_ARRAY) {
		for (size_t i = 0; i < v->array.count; i++) {
			int n = snprintf(w->path + saved, sizeof(w->path) - saved, "/%zu", i);
			w->path_len = saved + ((size_t)n < sizeof(w->path) - saved ? (size_t)n : 0);
			walk(w, v->array.items[i], depth + 1);
		}
	} else if (v->kind == VALUE_OBJECT) {
		for (size_t i = 0; i < v->object.count; i++) {
			const struct member *m = &v->object.members[i];
			if (strcmp(m->key, "row") == 0 && m->value->kind != VALUE_ARRAY) {
				contract_failed("\"row\" is not an array");
			}
			/* Quoted, so that any element name is one segment. */
			int n = snprintf(w->path + saved, sizeof(w->path) - saved, "/\"%s\"", m->key);
			bool fits = (size_t)n < sizeof(w->path) - saved && !strpbrk(m->key, "\"\\");
			w->path_len = saved + (fits ? (size_t)n : 0);
			walk(w, m->value, depth + 1);
		}
	} else if (v->kind != VALUE_NULL) {
		contract_failed("a boolean in an XML tree");
	}
	w->path_len = saved;
	w->path[saved] = '\0';
	if (saved > 0 && v->kind != VALUE_NULL && w->lookups < MAX_LOOKUPS) {
		w->lookups++;
		char err[256];
		if (path_check(w->path, err, sizeof(err)) && !path_lookup(w->root, w->path)) {
			contract_failed("the path to a value finds nothing");
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum source_encoding encodings[] = {
		SOURCE_ENCODING_AUTO, SOURCE_ENCODING_UTF8, SOURCE_ENCODING_CP949,
	};
	struct source_config config = {
		.name = "fuzz",
		.format = SOURCE_FORMAT_XML,
		.encoding = encodings[size % 3],
		.timestamp = "generated_at",
	};
	struct diag_list diags;
	diag_list_init(&diags);
	struct snapshot *snap = snapshot_parse_source((const char *)data, size, "fuzz.xml",
						      &config, 1.0e9, &diags);
	if (!snap && diag_count(&diags, DIAG_ERROR) == 0) {
		contract_failed("NULL without an error");
	}
	for (size_t i = 0; i < diags.count; i++) {
		free(diag_format(&diags.items[i]));
	}
	if (snap) {
		if (snap->root->kind != VALUE_OBJECT || snap->root->object.count != 1) {
			contract_failed("root is not one document element");
		}
		struct walk w = {.root = snap->root};
		walk(&w, snap->root, 0);
	}
	snapshot_unref(snap);
	diag_list_finish(&diags);
	return 0;
}
