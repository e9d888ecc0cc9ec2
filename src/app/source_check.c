#include "app/source_check.h"

#include "model/path.h"
#include "widgets/widget.h"

#include <stdio.h>
#include <string.h>

/* "a string "점검중"", "missing", "null", "an array": why a value cannot be shown. */
static void describe(const struct value *v, char *out, size_t size)
{
	if (!v) {
		snprintf(out, size, "missing");
	} else if (v->kind == VALUE_STRING) {
		snprintf(out, size, "a string \"%.40s\"", v->string.text);
	} else if (v->kind == VALUE_NULL) {
		snprintf(out, size, "null");
	} else {
		const char *kind = value_kind_name(v->kind);
		snprintf(out, size, "%s %s", strchr("aeiou", kind[0]) ? "an" : "a", kind);
	}
}

/* Adds "path (why)" to the verdict's list unless the path is there already or it is full. */
static void note(struct source_verdict *out, const char *path, const struct value *v)
{
	char why[64], item[200];
	describe(v, why, sizeof(why));
	snprintf(item, sizeof(item), "%s (%s)", path, why);
	size_t len = strlen(out->paths);
	if (strstr(out->paths, item)) {
		return;
	}
	if (len + strlen(item) + 6 >= sizeof(out->paths)) {
		if (!strstr(out->paths, ", …")) {
			snprintf(out->paths + len, sizeof(out->paths) - len, ", …");
		}
		return;
	}
	snprintf(out->paths + len, sizeof(out->paths) - len, "%s%s", len ? ", " : "", item);
}

static bool usable_in(const struct tile *tile, const struct tile_binding *b,
		      const struct snapshot *snap, const struct value **value)
{
	*value = snap ? path_eval_first(b->compiled, snap->root) : NULL;
	return snap && widget_binding_usable(tile, b->key, *value);
}

void source_check_layout(void *ctx, size_t source, const struct snapshot *candidate,
			 const struct snapshot *whole, struct source_verdict *out)
{
	const struct layout *layout = ctx;
	*out = (struct source_verdict){0};
	struct source_verdict unusable = {0}; // the list for a document refused as a whole
	for (size_t i = 0; i < layout->tile_count; i++) {
		const struct tile *tile = &layout->tiles[i];
		for (size_t j = 0; j < tile->binding_count; j++) {
			const struct tile_binding *b = &tile->bindings[j];
			if (b->source != source) {
				continue;
			}
			const struct value *now, *before;
			out->bindings++;
			if (usable_in(tile, b, candidate, &now)) {
				out->usable++;
				continue;
			}
			note(&unusable, b->path, now);
			if (usable_in(tile, b, whole, &before)) {
				out->broken++;
				note(out, b->path, now);
			}
		}
	}
	if (out->usable == 0) {
		memcpy(out->paths, unusable.paths, sizeof(out->paths));
	}
}
