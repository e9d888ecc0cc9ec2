/*
 * Lists of records, and the small syntax of "group_by" and "sort". A list is what a table
 * binds: the records that pass "where" (the slowest open incidents), sorted by one field, cut
 * to "limit" and trimmed to "fields". Each listed record is copied into the result's arena,
 * since the source's snapshot it came from is freed when the next one arrives.
 */

#include "derive/derive_internal.h"

#include "util/strutil.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- "group_by" and "sort" ---- */

static bool plain_name(const char *s, size_t n)
{
	if (n == 0) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
		bool digit = c >= '0' && c <= '9';
		if (!(letter || (i > 0 && (digit || c == '.')))) {
			return false;
		}
	}
	return s[n - 1] != '.';
}

/* A field as written: a plain (dotted) name or `any text`; its name into *field. */
static bool read_field(const char *s, size_t n, size_t at, char **field, struct derive_error *err)
{
	if (n >= 2 && s[0] == '`' && s[n - 1] == '`') {
		*field = xstrndup(s + 1, n - 2);
		return true;
	}
	if (!plain_name(s, n)) {
		err->offset = at;
		snprintf(err->message, sizeof(err->message), "expected a field name, got \"%.*s\"",
			 (int)(n > 40 ? 40 : n), s);
		return false;
	}
	*field = xstrndup(s, n);
	return true;
}

static const char *const group_functions[] = {"day", NULL};

bool derive_parse_group(const char *text, char **field, bool *by_day, struct derive_error *err)
{
	*err = (struct derive_error){0};
	*field = NULL;
	*by_day = false;
	const char *open = text[0] != '`' ? strchr(text, '(') : NULL;
	if (!open) {
		return read_field(text, strlen(text), 0, field, err);
	}
	char *name = xstrndup(text, (size_t)(open - text));
	bool day = strcmp(name, "day") == 0;
	if (!day) {
		const char *guess = str_closest(name, group_functions, sizeof(*group_functions), 1);
		snprintf(err->message, sizeof(err->message), "unknown function \"%s\" in group_by "
			 "(%s \"day\": \"day(dispatched)\" groups by the local day)", name,
			 guess ? "did you mean" : "there is only");
		free(name);
		return false;
	}
	free(name);
	size_t len = strlen(text);
	if (len < 2 || text[len - 1] != ')') {
		err->offset = len;
		snprintf(err->message, sizeof(err->message), "expected ')' to close day(");
		return false;
	}
	size_t start = (size_t)(open - text) + 1;
	*by_day = true;
	return read_field(text + start, len - 1 - start, start, field, err);
}

bool derive_parse_sort(const char *text, char **field, bool *descending,
		       struct derive_error *err)
{
	*err = (struct derive_error){0};
	*field = NULL;
	*descending = text[0] == '-';
	size_t at = *descending ? 1 : 0;
	return read_field(text + at, strlen(text + at), at, field, err);
}

/* ---- copying a record out of its snapshot ---- */

static const struct value *copy_value(struct arena *arena, const struct value *v, int depth)
{
	struct value *out = arena_alloc(arena, sizeof(*out));
	*out = (struct value){.kind = VALUE_NULL};
	if (!v || depth > 16) {
		return out; // deeper than any record a table shows: cut, not copied without end
	}
	*out = *v;
	if (v->kind == VALUE_STRING) {
		out->string.text = arena_strndup(arena, v->string.text, v->string.length);
	} else if (v->kind == VALUE_ARRAY) {
		const struct value **items = arena_alloc(arena, (v->array.count + 1) * sizeof(*items));
		for (size_t i = 0; i < v->array.count; i++) {
			items[i] = copy_value(arena, v->array.items[i], depth + 1);
		}
		out->array.items = items;
	} else if (v->kind == VALUE_OBJECT) {
		struct member *m = arena_alloc(arena, (v->object.count + 1) * sizeof(*m));
		for (size_t i = 0; i < v->object.count; i++) {
			const struct member *in = &v->object.members[i];
			m[i].key = arena_strndup(arena, in->key, strlen(in->key));
			m[i].value = copy_value(arena, in->value, depth + 1);
		}
		out->object.members = m;
	}
	return out;
}

static bool is_declared_time(const struct derive_def *def, const char *name)
{
	for (size_t i = 0; i < def->time_count; i++) {
		if (strcmp(def->times[i].name, name) == 0) {
			return true;
		}
	}
	return false;
}

/* A declared time (made of two fields, say) as ISO 8601 text in the zone; null when none. */
static const struct value *time_text(struct eval_ctx *ctx, const char *name, struct arena *arena)
{
	struct dv v = eval_field(ctx, name, false);
	struct value *out = arena_alloc(arena, sizeof(*out));
	*out = (struct value){.kind = VALUE_NULL};
	struct tm tm;
	if (v.kind != DV_TIME || !time_in_zone(v.num, ctx->zone, &tm)) {
		return out;
	}
	long off = tm.tm_gmtoff;
	char buf[96];
	int n = snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			 tm.tm_sec, off < 0 ? '-' : '+', labs(off) / 3600, labs(off) % 3600 / 60);
	*out = (struct value){.kind = VALUE_STRING};
	out->string.text = arena_strndup(arena, buf, (size_t)n);
	out->string.length = (size_t)n;
	return out;
}

/* A member by a dotted name ("a.b": b of a), or by the whole name when it has no such path. */
static const struct value *member_at(const struct value *record, const char *name)
{
	const struct value *whole = value_member(record, name);
	const struct value *v = record;
	for (const char *s = name; !whole && v && v->kind == VALUE_OBJECT;) {
		size_t n = strcspn(s, ".");
		v = value_member_n(v, s, n);
		if (!s[n]) {
			return v;
		}
		s += n + 1;
	}
	return whole;
}

/* The record with only `fields` (in their order; a missing one is null), or all of it. */
static const struct value *listed_record(struct eval_ctx *ctx, const struct value *record,
					 struct arena *arena)
{
	const struct derive_def *def = ctx->def;
	if (!def->fields) {
		return copy_value(arena, record, 0);
	}
	ctx->record = record;
	struct member *m = arena_alloc(arena, def->field_count * sizeof(*m));
	for (size_t i = 0; i < def->field_count; i++) {
		const char *name = def->fields[i];
		m[i].key = arena_strndup(arena, name, strlen(name));
		if (is_declared_time(def, name)) {
			m[i].value = time_text(ctx, name, arena);
		} else {
			m[i].value = copy_value(arena, member_at(record, name), 0);
		}
	}
	struct value *out = arena_alloc(arena, sizeof(*out));
	*out = (struct value){.kind = VALUE_OBJECT,
			      .object = {.members = m, .count = def->field_count}};
	return out;
}

/* ---- sorting ---- */

enum key_rank { KEY_NUMBER, KEY_TEXT, KEY_NONE };

struct entry {
	const struct value *record; // borrowed from the source's snapshot
	size_t index;               // in the records: equal keys keep this order
	enum key_rank rank;
	double num;                 // KEY_NUMBER: a number, or a time in epoch seconds
	const char *text;           // KEY_TEXT: borrowed
	bool descending;
};

/* Numbers and times first, then text, then records without the field, in either direction. */
static int cmp_entry(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	int c = 0;
	if (a->rank != b->rank) {
		return a->rank < b->rank ? -1 : 1;
	}
	if (a->rank == KEY_NUMBER) {
		c = a->num < b->num ? -1 : a->num > b->num;
	} else if (a->rank == KEY_TEXT) {
		c = strcmp(a->text, b->text);
	}
	c = a->descending ? -c : c;
	return c ? c : (a->index < b->index ? -1 : 1);
}

static void sort_key(struct eval_ctx *ctx, struct entry *e)
{
	struct dv k = eval_field(ctx, ctx->def->sort, false);
	e->rank = KEY_NONE;
	if (k.kind == DV_NUMBER || k.kind == DV_TIME) {
		e->rank = KEY_NUMBER;
		e->num = k.num;
	} else if (k.kind == DV_STRING) {
		/* A time written as text sorts as a time: "2026-11-25T08:57:02+09:00". */
		e->rank = eval_time(ctx, &k, &e->num) ? KEY_NUMBER : KEY_TEXT;
		e->text = k.text;
	}
}

const struct value *list_compute(const struct derive_def *def, const struct value *records,
				 size_t count, double now, struct arena *arena,
				 struct derive_stats *stats)
{
	struct eval_ctx ctx;
	eval_init(&ctx, def, now);
	struct entry *entries = xcalloc(count ? count : 1, sizeof(*entries));
	size_t n = 0;
	bool array = records && records->kind == VALUE_ARRAY;
	for (size_t i = 0; i < count; i++) {
		const struct value *r = array ? records->array.items[i]
					      : records->object.members[i].value;
		stats->records++;
		if (!r || r->kind != VALUE_OBJECT) {
			stats->rejected++;
			continue;
		}
		ctx.record = r;
		ctx.rejected = false;
		bool pass = !def->where || eval_condition(&ctx, def->where);
		if (ctx.rejected) {
			stats->rejected++;
			continue;
		}
		if (!pass) {
			continue;
		}
		entries[n] = (struct entry){.record = r, .index = i,
					    .descending = def->sort_descending};
		if (def->sort) {
			sort_key(&ctx, &entries[n]);
		}
		n++;
	}
	stats->matched = n;
	if (def->sort) {
		qsort(entries, n, sizeof(*entries), cmp_entry);
	}
	size_t shown = n < def->limit ? n : def->limit;
	const struct value **items = arena_alloc(arena, (shown ? shown : 1) * sizeof(*items));
	for (size_t i = 0; i < shown; i++) {
		items[i] = listed_record(&ctx, entries[i].record, arena);
	}
	free(entries);
	struct value *out = arena_alloc(arena, sizeof(*out));
	*out = (struct value){.kind = VALUE_ARRAY, .array = {.items = items, .count = shown}};
	return out;
}
