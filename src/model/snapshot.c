#include "model/snapshot.h"

#include "util/xmalloc.h"

#include <math.h>
#include <stdlib.h>

static const struct value null_value = {.kind = VALUE_NULL};

struct snapshot *snapshot_create(const char *source)
{
	struct snapshot *s = xcalloc(1, sizeof(*s));
	atomic_init(&s->refs, 1);
	arena_init(&s->arena);
	s->root = &null_value;
	s->source = xstrdup(source ? source : "default");
	s->generated_at = NAN;
	s->display_at = NAN;
	s->fetched_at = NAN;
	return s;
}

struct snapshot *snapshot_ref(struct snapshot *snapshot)
{
	if (snapshot) {
		atomic_fetch_add(&snapshot->refs, 1);
	}
	return snapshot;
}

void snapshot_unref(struct snapshot *snapshot)
{
	if (!snapshot || atomic_fetch_sub(&snapshot->refs, 1) != 1) {
		return;
	}
	arena_finish(&snapshot->arena);
	image_data_free(snapshot->image);
	free(snapshot->source);
	free(snapshot);
}

void image_data_free(struct image_data *image)
{
	if (image) {
		free(image->pixels);
		free(image);
	}
}

double snapshot_data_time(const struct snapshot *snapshot)
{
	return isnan(snapshot->generated_at) ? snapshot->fetched_at : snapshot->generated_at;
}
