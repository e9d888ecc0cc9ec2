#include "layout/bind.h"

#include "model/path.h"

#include <math.h>
#include <string.h>

void layout_bind_tile(const struct tile *tile, const struct snapshot *current,
		      const struct snapshot *previous, struct binding_values *out)
{
	memset(out, 0, sizeof(*out));
	out->data_time = current ? snapshot_data_time(current) : NAN;
	const struct option_set *set = &tile->options;
	for (size_t i = 0; i < set->count && out->count < BINDINGS_MAX; i++) {
		const struct option_value *v = &set->values[i];
		if (set->specs[i].type != OPT_BINDING || !v->text) {
			continue;
		}
		out->keys[out->count] = set->specs[i].key;
		out->current[out->count] = current ? path_lookup(current->root, v->text) : NULL;
		out->previous[out->count] = previous ? path_lookup(previous->root, v->text) : NULL;
		out->count++;
	}
}

static int slot(const struct binding_values *b, const char *key)
{
	for (size_t i = 0; i < b->count; i++) {
		if (strcmp(b->keys[i], key) == 0) {
			return (int)i;
		}
	}
	return -1;
}

const struct value *binding_current(const struct binding_values *b, const char *key)
{
	int i = slot(b, key);
	return i < 0 ? NULL : b->current[i];
}

const struct value *binding_previous(const struct binding_values *b, const char *key)
{
	int i = slot(b, key);
	return i < 0 ? NULL : b->previous[i];
}
