/*
 * libFuzzer target for feed/snapshot_parse.c: parses the input as a snapshot document (with one
 * of a few timestamp paths, chosen by the input's size); when a snapshot comes back, walks its
 * whole value tree (every accessor on every value) and looks up fixed paths and paths built
 * from the tree's own keys. Everything is freed, so LeakSanitizer catches leaks in the parser
 * and the model.
 *
 * Contracts checked besides the sanitizers: NULL comes with at least one error, strings are
 * NUL-terminated at their length, members are found by their key, a tree equals itself.
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

#define PATH_MAX_BYTES 512
#define MAX_TREE_PATHS 16
#define MAX_MEMBER_CHECKS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct walk {
	const struct value *root;
	char path[PATH_MAX_BYTES];
	size_t path_len;
	int paths_tried;
	size_t values;
};

static void contract_failed(const char *what)
{
	fprintf(stderr, "fuzz_snapshot: contract broken: %s\n", what);
	abort();
}

static void lookup(const struct value *root, const char *path)
{
	char err[256];
	path_check(path, err, sizeof(err));
	const struct value *v = path_lookup(root, path);
	if (v) {
		(void)value_kind_name(v->kind);
		(void)value_string(v);
	}
}

/* Appends "/segment" to the walk's path; false (path unchanged) when it would not fit. */
static bool push_segment(struct walk *w, const char *segment, size_t len)
{
	if (w->path_len + 1 + len + 1 > sizeof(w->path)) {
		return false;
	}
	w->path[w->path_len++] = '/';
	memcpy(w->path + w->path_len, segment, len);
	w->path_len += len;
	w->path[w->path_len] = '\0';
	return true;
}

static void walk_value(struct walk *w, const struct value *v)
{
	if (!v) {
		contract_failed("NULL value in the tree");
	}
	w->values++;
	(void)value_kind_name(v->kind);
	double number;
	(void)value_number(v, &number);
	(void)value_string(v);
	switch (v->kind) {
	case VALUE_NULL:
	case VALUE_BOOL:
	case VALUE_NUMBER:
		break;
	case VALUE_STRING:
		if (!v->string.text || v->string.text[v->string.length] != '\0') {
			contract_failed("string not NUL-terminated at its length");
		}
		break;
	case VALUE_ARRAY:
		for (size_t i = 0; i < v->array.count; i++) {
			size_t saved = w->path_len;
			char index[24];
			int n = snprintf(index, sizeof(index), "%zu", i);
			bool pushed = push_segment(w, index, (size_t)n);
			walk_value(w, v->array.items[i]);
			if (pushed) {
				w->path_len = saved;
				w->path[saved] = '\0';
			}
		}
		break;
	case VALUE_OBJECT:
		for (size_t i = 0; i < v->object.count; i++) {
			const struct member *m = &v->object.members[i];
			if (!m->key) {
				contract_failed("member without a key");
			}
			size_t key_len = strlen(m->key);
			/* Bounded: lookups are linear, so checking every member would be quadratic. */
			if (i < MAX_MEMBER_CHECKS && (!value_member(v, m->key) ||
						      !value_member_n(v, m->key, key_len))) {
				contract_failed("value_member does not find a member by its key");
			}
			size_t saved = w->path_len;
			bool pushed = push_segment(w, m->key, key_len);
			walk_value(w, m->value);
			if (pushed) {
				w->path_len = saved;
				w->path[saved] = '\0';
			}
		}
		break;
	default:
		contract_failed("unknown value kind");
	}
	/* Leaves and containers alike: look up the path that led here, a few times per input. */
	if (w->path_len > 0 && w->paths_tried < MAX_TREE_PATHS) {
		w->paths_tried++;
		lookup(w->root, w->path);
		lookup(w->root, w->path + 1); // the leading '/' is optional
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The timestamp path is configuration, not document: vary it with the input's size. */
	static const char *const timestamp_paths[] = {
		"generated_at", NULL, "/meta/updated", "list/0/time",
	};
	const char *timestamp_path = timestamp_paths[size % 4];
	struct diag_list diags;
	diag_list_init(&diags);
	struct snapshot *snap = snapshot_parse((const char *)data, size, "fuzz.json", "fuzz",
					       timestamp_path, 1.0e9, &diags);
	if (!snap && diag_count(&diags, DIAG_ERROR) == 0) {
		contract_failed("snapshot_parse returned NULL without an error");
	}
	for (size_t i = 0; i < diags.count; i++) {
		free(diag_format(&diags.items[i]));
	}
	if (snap) {
		if (!snap->root || snap->root->kind != VALUE_OBJECT) {
			contract_failed("snapshot root is not an object");
		}
		if (snap->has_seq && snap->seq < 0) {
			contract_failed("negative seq");
		}
		(void)snapshot_data_time(snap);
		struct walk w = {.root = snap->root};
		walk_value(&w, snap->root);
		if (!value_equal(snap->root, snap->root)) {
			contract_failed("a tree does not equal itself");
		}
		if (path_lookup(snap->root, "") != snap->root ||
		    path_lookup(snap->root, "/") != snap->root) {
			contract_failed("the empty path does not name the root");
		}
		static const char *const paths[] = {
			"seq", "/generated_at", "air/city/pm10", "air/districts/11680/name",
			"/traffic/speed/all", "stations/0/name", "a//b", "a/", "0", "0/0/0",
			"/x/00", "x/999999999", "x/1234567890",
		};
		for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
			lookup(snap->root, paths[i]);
		}
		/* A second reference, as the board takes one. */
		snapshot_unref(snapshot_ref(snap));
	}
	snapshot_unref(snap);
	diag_list_finish(&diags);
	return 0;
}
