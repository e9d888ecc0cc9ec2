#include "app/derived.h"

#include "feed/snapshot_parse.h"

#include <cJSON.h>
#include "model/path.h"
#include "util/fileio.h"
#include "util/log.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool reads_source(const struct layout *layout, size_t source)
{
	for (size_t i = 0; i < layout->derive_count; i++) {
		if (layout->derives[i].source == source) {
			return true;
		}
	}
	return false;
}

static struct value *number_value(struct arena *arena, double v)
{
	struct value *out = arena_alloc(arena, sizeof(*out));
	*out = (struct value){.kind = VALUE_NUMBER, .number = v};
	return out;
}

static struct value *object_value(struct arena *arena, size_t count, struct member **members)
{
	struct value *out = arena_alloc(arena, sizeof(*out));
	*members = arena_alloc(arena, (count ? count : 1) * sizeof(**members));
	*out = (struct value){.kind = VALUE_OBJECT, .object = {.members = *members, .count = count}};
	return out;
}

static const struct value null_value = {.kind = VALUE_NULL};

static double thread_cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

struct snapshot *derived_compute(const struct layout *layout, struct snapshot *const *inputs,
				 const double *data_times, double now)
{
	size_t n = layout->derive_count;
	struct snapshot *out = snapshot_create(LAYOUT_DERIVED_SOURCE);
	struct arena *arena = &out->arena;
	struct member *values, *records, *rejected, *root_members;
	struct value *root = object_value(arena, n + 2, &root_members);
	struct value *records_obj = object_value(arena, n, &records);
	struct value *rejected_obj = object_value(arena, n, &rejected);
	double data_time = INFINITY;
	values = root_members;
	for (size_t i = 0; i < n; i++) {
		const struct layout_derive *d = &layout->derives[i];
		const struct snapshot *in = inputs[d->source];
		/* The snapshot may outlive the layout (a reload): its keys live in its arena. */
		const char *name = arena_strndup(arena, d->def.name, strlen(d->def.name));
		struct derive_stats stats = {0};
		values[i].key = records[i].key = rejected[i].key = name;
		values[i].value = &null_value;
		if (in) {
			const struct value *rows = path_eval_first(d->compiled, in->root);
			values[i].value = derive_compute(&d->def, rows, now, arena, &stats);
			data_time = fmin(data_time, data_times[d->source]);
		}
		records[i].value = number_value(arena, (double)stats.matched);
		rejected[i].value = number_value(arena, (double)stats.rejected);
	}
	root_members[n] = (struct member){.key = "records", .value = records_obj};
	root_members[n + 1] = (struct member){.key = "rejected", .value = rejected_obj};
	if (isinf(data_time)) {
		snapshot_unref(out); // no input has data yet: nothing to show
		return NULL;
	}
	out->root = root;
	out->generated_at = isnan(data_time) ? now : data_time;
	out->fetched_at = now;
	return out;
}

void derived_update(void *ctx, struct fetcher *fetcher, size_t source, double now)
{
	const struct layout *layout = ctx;
	if (layout->derived_source < 0 ||
	    (source != FETCHER_ALL_SOURCES && !reads_source(layout, source))) {
		return;
	}
	size_t count = layout->source_count;
	struct snapshot **inputs = xcalloc(count, sizeof(*inputs));
	double *times = xcalloc(count, sizeof(*times));
	for (size_t i = 0; i < count; i++) {
		if (reads_source(layout, i)) {
			struct source_status st;
			inputs[i] = fetcher_snapshot(fetcher, i, &st);
			times[i] = st.data_time;
		}
	}
	double started = thread_cpu_ms();
	struct snapshot *out = derived_compute(layout, inputs, times, now);
	/* For benchmarks (-v): the cost of one computation, in CPU time of this thread. */
	log_msg(LOG_DEBUG, "derived: %zu values in %.1f ms of CPU", layout->derive_count,
		thread_cpu_ms() - started);
	if (out) {
		fetcher_publish(fetcher, (size_t)layout->derived_source, out);
	}
	for (size_t i = 0; i < count; i++) {
		snapshot_unref(inputs[i]);
	}
	free(inputs);
	free(times);
}

/* ---- --dump-derived ---- */

static cJSON *to_json(const struct value *v)
{
	cJSON *out;
	switch (v ? v->kind : VALUE_NULL) {
	case VALUE_BOOL:
		return cJSON_CreateBool(v->boolean);
	case VALUE_NUMBER:
		return cJSON_CreateNumber(v->number);
	case VALUE_STRING:
		return cJSON_CreateString(v->string.text);
	case VALUE_ARRAY:
		out = cJSON_CreateArray();
		for (size_t i = 0; i < v->array.count; i++) {
			cJSON_AddItemToArray(out, to_json(v->array.items[i]));
		}
		return out;
	case VALUE_OBJECT:
		out = cJSON_CreateObject();
		for (size_t i = 0; i < v->object.count; i++) {
			cJSON_AddItemToObject(out, v->object.members[i].key,
					      to_json(v->object.members[i].value));
		}
		return out;
	default:
		return cJSON_CreateNull();
	}
}

bool derived_dump(const struct snapshot *snap, const char *path, char *err, size_t err_size)
{
	cJSON *json = to_json(snap ? snap->root : NULL);
	char *text = cJSON_Print(json);
	cJSON_Delete(json);
	bool ok = file_write_atomic(path, text, strlen(text), err, err_size);
	cJSON_free(text);
	return ok;
}

/* ---- --check: fields against a local document ---- */

#define FIELD_SAMPLE 1000 // records whose keys make the field list
#define FIELD_MAX 256

struct field_list {
	const char *names[FIELD_MAX]; // borrowed from the snapshot or the layout
	size_t count;
};

static void add_name(struct field_list *l, const char *name)
{
	for (size_t i = 0; i < l->count; i++) {
		if (strcmp(l->names[i], name) == 0) {
			return;
		}
	}
	if (l->count < FIELD_MAX) {
		l->names[l->count++] = name;
	}
}

static void collect_fields(const struct value *rows, const struct derive_def *def,
			   struct field_list *l)
{
	size_t n = !rows ? 0 : rows->kind == VALUE_ARRAY ? rows->array.count
			     : rows->kind == VALUE_OBJECT ? rows->object.count : 0;
	for (size_t i = 0; i < n && i < FIELD_SAMPLE; i++) {
		const struct value *r = rows->kind == VALUE_ARRAY ? rows->array.items[i]
								  : rows->object.members[i].value;
		for (size_t k = 0; r && r->kind == VALUE_OBJECT && k < r->object.count; k++) {
			add_name(l, r->object.members[k].key);
		}
	}
	for (size_t i = 0; i < def->time_count; i++) {
		add_name(l, def->times[i].name);
	}
}

struct snapshot *derived_read_local(const struct source_config *config)
{
	const char *url = config->url;
	if (!url || (strstr(url, "://") && !str_starts_with(url, "file://"))) {
		return NULL;
	}
	const char *path = str_starts_with(url, "file://") ? url + 7 : url;
	char err[256], *text;
	size_t len;
	if (!file_read_all(path, config->max_bytes, &text, &len, err, sizeof(err))) {
		return NULL;
	}
	struct diag_list diags;
	diag_list_init(&diags);
	struct snapshot *snap = snapshot_parse_source(text, len, path, config, 0, &diags);
	diag_list_finish(&diags);
	free(text);
	return snap;
}

static void check_one(const struct layout *layout, const struct layout_derive *d,
		      const struct field_list *l, struct diag_list *diags)
{
	for (size_t i = 0; i < d->field_count; i++) {
		const struct derive_field_ref *ref = &d->fields[i];
		size_t n = strcspn(ref->name, ".");
		char *first = xstrndup(ref->name, n); // a nested field: its first member
		bool known = false;
		for (size_t k = 0; k < l->count && !known; k++) {
			known = strcmp(l->names[k], first) == 0;
		}
		if (!known) {
			const char *guess = str_closest(first, l->names, sizeof(*l->names), l->count);
			if (guess) {
				diag_add(diags, DIAG_ERROR, layout->file, ref->line, ref->column,
					 ref->pointer, "unknown field \"%s\" (did you mean \"%s\"?)",
					 first, guess);
			} else {
				diag_add(diags, DIAG_ERROR, layout->file, ref->line, ref->column,
					 ref->pointer, "unknown field \"%s\": the records of %s have "
					 "no such member", first, layout->sources[d->source].name);
			}
		}
		free(first);
	}
}

void derived_check_fields(const struct layout *layout, struct diag_list *diags)
{
	for (size_t i = 0; i < layout->derive_count; i++) {
		const struct layout_derive *d = &layout->derives[i];
		struct snapshot *snap = derived_read_local(&layout->sources[d->source]);
		const struct value *rows = snap ? path_eval_first(d->compiled, snap->root) : NULL;
		struct field_list l = {.count = 0};
		collect_fields(rows, &d->def, &l);
		/* No records to learn from (an empty or unreadable file): nothing to say. */
		if (rows && l.count > d->def.time_count) {
			check_one(layout, d, &l, diags);
		}
		snapshot_unref(snap);
	}
}
