/*
 * Aggregates and groups: one pass over the records. Each record that passes "where" feeds the
 * accumulators of its group; an invalid one (see derive_eval.c) feeds none and is counted as
 * rejected. NaN and values that are not numbers never enter an aggregate, and an aggregate
 * over nothing is null ("no data"), never 0 — except count, which counts.
 */

#include "derive/derive_internal.h"

#include "util/timefmt.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct acc {
	size_t seen;    // records the aggregate saw
	size_t hits;    // count(cond), ratio(cond): records where the condition held
	size_t n;       // numbers taken
	double sum, min, max;
	double *values; // owned: median and p90 keep every number
	size_t cap;
};

struct group {
	const char *key;    // borrowed from the records; NULL: the key is `number`
	char number[32];    // a numeric key's text (kept here: items move as they grow)
	struct acc *accs;   // owned: one per aggregate
};

/* Open addressing over the group keys; twice the groups allowed, so never full. */
#define GROUP_TABLE (2 * DERIVE_MAX_GROUPS + 1)

struct groups {
	struct group *items; // owned, in order of first appearance
	size_t count, capacity;
	int *table;          // owned: GROUP_TABLE slots of index + 1 into items; 0: empty
};

static const char *key_of(const struct group *g)
{
	return g->key ? g->key : g->number;
}

static uint32_t hash_text(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		h = (h ^ (unsigned char)*s) * 16777619u;
	}
	return h;
}

static void acc_add_value(struct acc *a, double v)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 64;
		a->values = xrealloc(a->values, a->cap * sizeof(*a->values));
	}
	a->values[a->n] = v;
}

static void acc_add(struct acc *a, enum agg_kind kind, bool has_arg, const struct dv *arg)
{
	double v;
	a->seen++;
	if (kind == AGG_COUNT || kind == AGG_RATIO) {
		a->hits += !has_arg || (arg->kind == DV_BOOL && arg->num != 0);
		return;
	}
	if (!dv_number(arg, &v) || !isfinite(v)) {
		return;
	}
	if (kind == AGG_MEDIAN || kind == AGG_P90) {
		acc_add_value(a, v);
	}
	a->sum += v;
	a->min = a->n == 0 || v < a->min ? v : a->min;
	a->max = a->n == 0 || v > a->max ? v : a->max;
	a->n++;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

/* The q-quantile by linear interpolation between closest ranks (numpy's default). */
static double quantile(struct acc *a, double q)
{
	qsort(a->values, a->n, sizeof(*a->values), cmp_double);
	double pos = q * (double)(a->n - 1);
	size_t lo = (size_t)floor(pos);
	size_t hi = lo + 1 < a->n ? lo + 1 : lo;
	return a->values[lo] + (pos - (double)lo) * (a->values[hi] - a->values[lo]);
}

static struct dv acc_result(struct acc *a, enum agg_kind kind)
{
	struct dv none = {.kind = DV_NULL};
	if (kind == AGG_COUNT) {
		return (struct dv){.kind = DV_NUMBER, .num = (double)a->hits};
	}
	if (kind == AGG_RATIO) {
		return a->seen ? (struct dv){.kind = DV_NUMBER,
					     .num = (double)a->hits / (double)a->seen}
			       : none;
	}
	if (a->n == 0) {
		return none;
	}
	double v;
	switch (kind) {
	case AGG_SUM:
		v = a->sum;
		break;
	case AGG_MEAN:
		v = a->sum / (double)a->n;
		break;
	case AGG_MEDIAN:
		v = quantile(a, 0.5);
		break;
	case AGG_P90:
		v = quantile(a, 0.9);
		break;
	case AGG_MIN:
		v = a->min;
		break;
	default:
		v = a->max;
		break;
	}
	return isfinite(v) ? (struct dv){.kind = DV_NUMBER, .num = v} : none;
}

/* ---- groups ---- */

static struct group *group_new(struct groups *g, const struct derive_expr *value)
{
	if (g->count == g->capacity) {
		g->capacity = g->capacity ? 2 * g->capacity : 32;
		g->items = xrealloc(g->items, g->capacity * sizeof(*g->items));
	}
	struct group *item = &g->items[g->count++];
	*item = (struct group){0};
	item->accs = xcalloc(value->agg_count ? (size_t)value->agg_count : 1, sizeof(*item->accs));
	return item;
}

/* The group of key `key` (made when new), or NULL past DERIVE_MAX_GROUPS. */
static struct group *group_find(struct groups *g, const char *key, const struct derive_expr *value)
{
	uint32_t h = hash_text(key) % GROUP_TABLE;
	while (g->table[h]) {
		struct group *item = &g->items[g->table[h] - 1];
		if (strcmp(key_of(item), key) == 0) {
			return item;
		}
		h = (h + 1) % GROUP_TABLE;
	}
	if (g->count >= DERIVE_MAX_GROUPS) {
		return NULL;
	}
	struct group *item = group_new(g, value);
	item->key = key;
	g->table[h] = (int)g->count;
	return item;
}

/* The local calendar day of a record's time as "2026-11-25"; NULL when it is no time. */
static const char *day_key(struct eval_ctx *ctx, const struct dv *k, char *buf, size_t size)
{
	double t;
	struct tm tm;
	if (!eval_time(ctx, k, &t) || !time_in_zone(t, ctx->zone, &tm)) {
		return NULL;
	}
	snprintf(buf, size, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	return buf;
}

/* A record's group key as text; NULL when it has none (null, an array, an object). */
static const char *group_key(struct eval_ctx *ctx, char *buf, size_t size)
{
	struct dv k = eval_field(ctx, ctx->def->group_by, false);
	if (ctx->def->group_by_day) {
		return day_key(ctx, &k, buf, size);
	}
	switch (k.kind) {
	case DV_STRING:
		return k.text;
	case DV_NUMBER:
	case DV_TIME:
		snprintf(buf, size, "%.15g", k.num);
		return buf;
	case DV_BOOL:
		return k.num != 0 ? "true" : "false";
	default:
		return NULL;
	}
}

static void groups_finish(struct groups *g, const struct derive_expr *value)
{
	for (size_t i = 0; i < g->count; i++) {
		for (int k = 0; k < value->agg_count; k++) {
			free(g->items[i].accs[k].values);
		}
		free(g->items[i].accs);
	}
	free(g->items);
	free(g->table);
}

/* ---- the pass ---- */

struct pass {
	const struct derive_def *def;
	struct eval_ctx ctx;
	struct groups groups;
	struct group single;        // without group_by
	struct dv args[DERIVE_MAX_AGGREGATES];
	struct derive_stats *stats;
};

static struct group *record_group(struct pass *p)
{
	if (!p->def->group_by) {
		return &p->single;
	}
	char buf[32];
	const char *key = group_key(&p->ctx, buf, sizeof(buf));
	if (!key) {
		return NULL;
	}
	struct group *g = group_find(&p->groups, key, p->def->value);
	if (!g) {
		p->stats->truncated = true;
		return NULL;
	}
	if (key == buf) {
		/* A number's text lives in the group, not in this stack frame. */
		memcpy(g->number, buf, sizeof(g->number));
		g->key = NULL;
	}
	return g;
}

static void take_record(struct pass *p, const struct value *record)
{
	const struct derive_expr *value = p->def->value;
	p->stats->records++;
	if (!record || record->kind != VALUE_OBJECT) {
		p->stats->rejected++;
		return;
	}
	p->ctx.record = record;
	p->ctx.rejected = false;
	bool pass = !p->def->where || eval_condition(&p->ctx, p->def->where);
	if (!pass && !p->ctx.rejected) {
		return;
	}
	/* Every argument first: an invalid record must not feed some aggregates and not others. */
	for (int k = 0; pass && k < value->agg_count && !p->ctx.rejected; k++) {
		const struct node *agg = &value->nodes[value->aggs[k]];
		p->args[k] = agg->a >= 0 ? eval_node(&p->ctx, value, agg->a) : (struct dv){0};
	}
	if (p->ctx.rejected) {
		p->stats->rejected++;
		return;
	}
	struct group *g = record_group(p);
	if (!g) {
		return;
	}
	p->stats->matched++;
	for (int k = 0; k < value->agg_count; k++) {
		const struct node *agg = &value->nodes[value->aggs[k]];
		acc_add(&g->accs[k], (enum agg_kind)agg->agg, agg->a >= 0, &p->args[k]);
	}
}

/* ---- results ---- */

static const struct value *make_value(struct arena *arena, const struct dv *v)
{
	struct value *out = arena_alloc(arena, sizeof(*out));
	*out = (struct value){.kind = VALUE_NULL};
	switch (v->kind) {
	case DV_BOOL:
		*out = (struct value){.kind = VALUE_BOOL, .boolean = v->num != 0};
		break;
	case DV_NUMBER:
	case DV_TIME:
		if (isfinite(v->num)) {
			*out = (struct value){.kind = VALUE_NUMBER, .number = v->num};
		}
		break;
	case DV_STRING: {
		size_t n = strlen(v->text);
		out->kind = VALUE_STRING;
		out->string.text = arena_strndup(arena, v->text, n);
		out->string.length = n;
		break;
	}
	default:
		break;
	}
	return out;
}

/* The value expression over one group's aggregates. */
static const struct value *group_value(struct pass *p, struct group *g, struct arena *arena)
{
	const struct derive_expr *value = p->def->value;
	struct dv results[DERIVE_MAX_AGGREGATES];
	for (int k = 0; k < value->agg_count; k++) {
		const struct node *agg = &value->nodes[value->aggs[k]];
		results[k] = acc_result(&g->accs[k], (enum agg_kind)agg->agg);
	}
	p->ctx.agg_results = results;
	p->ctx.record = NULL;
	struct dv v = eval_node(&p->ctx, value, value->root);
	p->ctx.agg_results = NULL;
	/* Strings of the records are gone once the snapshot is: make_value copies them. */
	return make_value(arena, &v);
}

static const struct value *grouped_value(struct pass *p, struct arena *arena)
{
	struct groups *g = &p->groups;
	struct value *out = arena_alloc(arena, sizeof(*out));
	struct member *members = arena_alloc(arena, (g->count ? g->count : 1) * sizeof(*members));
	for (size_t i = 0; i < g->count; i++) {
		const char *key = key_of(&g->items[i]);
		members[i].key = arena_strndup(arena, key, strlen(key));
		members[i].value = group_value(p, &g->items[i], arena);
	}
	*out = (struct value){.kind = VALUE_OBJECT, .object = {.members = members, .count = g->count}};
	return out;
}

/* ---- a daily series: group_by day(FIELD) ---- */

static int cmp_group_key(const void *x, const void *y)
{
	return strcmp(key_of(*(struct group *const *)x), key_of(*(struct group *const *)y));
}

static struct value *text_value(struct arena *arena, const char *text)
{
	struct value *out = arena_alloc(arena, sizeof(*out));
	size_t n = strlen(text);
	*out = (struct value){.kind = VALUE_STRING};
	out->string.text = arena_strndup(arena, text, n);
	out->string.length = n;
	return out;
}

/* One point of the series: {"day": "2026-11-24", "t": its local midnight, "v": value}. */
static const struct value *day_point(struct pass *p, int64_t days, const struct value *v,
				     struct arena *arena)
{
	int64_t year;
	int month, day;
	time_civil_from_days(days, &year, &month, &day);
	struct tm tm;
	/* The zone's offset at noon: the day's midnight unless a transition falls in between. */
	long offset = time_in_zone((double)days * 86400 + 43200, p->ctx.zone, &tm) ? tm.tm_gmtoff
										    : 0;
	char date[32], t[80];
	snprintf(date, sizeof(date), "%04lld-%02d-%02d", (long long)year, month, day);
	snprintf(t, sizeof(t), "%sT00:00:00%c%02ld:%02ld", date, offset < 0 ? '-' : '+',
		 labs(offset) / 3600, labs(offset) % 3600 / 60);
	struct member *m = arena_alloc(arena, 3 * sizeof(*m));
	m[0] = (struct member){.key = "day", .value = text_value(arena, date)};
	m[1] = (struct member){.key = "t", .value = text_value(arena, t)};
	m[2] = (struct member){.key = "v", .value = v};
	struct value *out = arena_alloc(arena, sizeof(*out));
	*out = (struct value){.kind = VALUE_OBJECT, .object = {.members = m, .count = 3}};
	return out;
}

static int64_t key_days(const char *key)
{
	int year = 0, month = 0, day = 0;
	sscanf(key, "%d-%d-%d", &year, &month, &day);
	return time_days_from_civil(year, month, day);
}

/*
 * The groups as points in date order, from the first day to the last; a day without records
 * between them is a point of null, so a trend breaks its line there instead of bridging it.
 */
static const struct value *day_series(struct pass *p, struct arena *arena)
{
	static const struct value null_value = {.kind = VALUE_NULL};
	struct groups *g = &p->groups;
	struct group **sorted = xcalloc(g->count ? g->count : 1, sizeof(*sorted));
	for (size_t i = 0; i < g->count; i++) {
		sorted[i] = &g->items[i];
	}
	qsort(sorted, g->count, sizeof(*sorted), cmp_group_key);
	int64_t first = g->count ? key_days(key_of(sorted[0])) : 0;
	int64_t last = g->count ? key_days(key_of(sorted[g->count - 1])) : -1;
	size_t span = (size_t)(last - first + 1);
	if (span > DERIVE_MAX_GROUPS) {
		span = DERIVE_MAX_GROUPS; // the oldest days are kept; the rest is cut
		p->stats->truncated = true;
	}
	const struct value **items = arena_alloc(arena, (span ? span : 1) * sizeof(*items));
	size_t next = 0;
	for (size_t i = 0; i < span; i++) {
		int64_t days = first + (int64_t)i;
		const struct value *v = &null_value;
		if (next < g->count && key_days(key_of(sorted[next])) == days) {
			v = group_value(p, sorted[next++], arena);
		}
		items[i] = day_point(p, days, v, arena);
	}
	free(sorted);
	struct value *out = arena_alloc(arena, sizeof(*out));
	*out = (struct value){.kind = VALUE_ARRAY, .array = {.items = items, .count = span}};
	return out;
}

static size_t record_count(const struct value *records)
{
	if (!records) {
		return 0;
	}
	return records->kind == VALUE_ARRAY    ? records->array.count
	       : records->kind == VALUE_OBJECT ? records->object.count
					       : 0;
}

const struct value *derive_compute(const struct derive_def *def, const struct value *records,
				   double now, struct arena *arena, struct derive_stats *stats)
{
	*stats = (struct derive_stats){0};
	size_t count = record_count(records);
	if (count > DERIVE_MAX_RECORDS) {
		count = DERIVE_MAX_RECORDS;
		stats->truncated = true;
	}
	if (!def->value) {
		return list_compute(def, records, count, now, arena, stats);
	}
	struct pass *p = xcalloc(1, sizeof(*p));
	p->def = def;
	p->stats = stats;
	eval_init(&p->ctx, def, now);
	int aggs = def->value->agg_count;
	p->single.accs = xcalloc(aggs ? (size_t)aggs : 1, sizeof(*p->single.accs));
	if (def->group_by) {
		p->groups.table = xcalloc(GROUP_TABLE, sizeof(*p->groups.table));
	}
	bool array = records && records->kind == VALUE_ARRAY;
	for (size_t i = 0; i < count; i++) {
		take_record(p, array ? records->array.items[i] : records->object.members[i].value);
	}
	const struct value *result = !def->group_by    ? group_value(p, &p->single, arena)
				     : def->group_by_day ? day_series(p, arena)
							 : grouped_value(p, arena);
	stats->groups = p->groups.count;
	for (int k = 0; k < aggs; k++) {
		free(p->single.accs[k].values);
	}
	free(p->single.accs);
	groups_finish(&p->groups, def->value);
	free(p);
	return result;
}

void derive_def_finish(struct derive_def *def)
{
	free(def->name);
	derive_expr_free(def->where);
	derive_expr_free(def->value);
	free(def->group_by);
	free(def->sort);
	for (size_t i = 0; i < def->field_count; i++) {
		free(def->fields[i]);
	}
	free(def->fields);
	for (size_t i = 0; i < def->time_count; i++) {
		free(def->times[i].name);
		free(def->times[i].date);
		free(def->times[i].clock);
	}
	free(def->times);
	free(def->zone);
	*def = (struct derive_def){0};
}
