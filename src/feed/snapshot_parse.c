#include "feed/snapshot_parse.h"

#include "feed/csv_parse.h"
#include "feed/doc_text.h"
#include "feed/xml_parse.h"
#include "model/path.h"
#include "util/json_scan.h"
#include "util/timefmt.h"

#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct value *copy_value(struct arena *arena, const cJSON *node);

static const struct value *copy_array(struct arena *arena, const cJSON *node, struct value *v)
{
	size_t count = (size_t)cJSON_GetArraySize(node);
	const struct value **items = arena_alloc(arena, count * sizeof(*items));
	size_t i = 0;
	for (const cJSON *child = node->child; child && i < count; child = child->next) {
		items[i++] = copy_value(arena, child);
	}
	v->kind = VALUE_ARRAY;
	v->array.items = items;
	v->array.count = i;
	return v;
}

static const struct value *copy_object(struct arena *arena, const cJSON *node, struct value *v)
{
	size_t count = (size_t)cJSON_GetArraySize(node);
	struct member *members = arena_alloc(arena, count * sizeof(*members));
	size_t i = 0;
	for (const cJSON *child = node->child; child && i < count; child = child->next) {
		const char *key = child->string ? child->string : "";
		members[i].key = arena_strndup(arena, key, strlen(key));
		members[i].value = copy_value(arena, child);
		i++;
	}
	v->kind = VALUE_OBJECT;
	v->object.members = members;
	v->object.count = i;
	return v;
}

static const struct value *copy_value(struct arena *arena, const cJSON *node)
{
	struct value *v = arena_alloc(arena, sizeof(*v));
	memset(v, 0, sizeof(*v));
	if (cJSON_IsBool(node)) {
		v->kind = VALUE_BOOL;
		v->boolean = cJSON_IsTrue(node);
	} else if (cJSON_IsNumber(node)) {
		v->kind = VALUE_NUMBER;
		v->number = node->valuedouble;
	} else if (cJSON_IsString(node)) {
		size_t len = strlen(node->valuestring);
		v->kind = VALUE_STRING;
		v->string.text = arena_strndup(arena, node->valuestring, len);
		v->string.length = len;
	} else if (cJSON_IsArray(node)) {
		return copy_array(arena, node, v);
	} else if (cJSON_IsObject(node)) {
		return copy_object(arena, node, v);
	} else {
		v->kind = VALUE_NULL;
	}
	return v;
}

static void syntax_error(const char *text, size_t len, const char *origin, size_t offset,
			 const char *message, struct diag_list *diags)
{
	struct text_pos pos = json_text_pos(text, len, offset);
	diag_add(diags, DIAG_ERROR, origin, pos.line, pos.column, NULL, "%s", message);
}

/* The line of the value at `pointer` in a JSON text; 0 when unknown (or text is NULL). */
static int line_of(const char *text, size_t len, const char *pointer)
{
	size_t offset;
	if (!text || !json_locate(text, len, pointer, &offset, NULL)) {
		return 0;
	}
	return json_text_pos(text, len, offset).line;
}

static bool read_provenance(struct snapshot *snap, const char *text, size_t len,
			    const char *origin, const char *timestamp_path, struct diag_list *diags)
{
	bool ok = true;
	const struct value *seq = value_member(snap->root, "seq");
	if (seq) {
		if (seq->kind != VALUE_NUMBER || seq->number < 0 || seq->number > 9.0e15 ||
		    floor(seq->number) != seq->number) {
			diag_add(diags, DIAG_ERROR, origin, line_of(text, len, "/seq"), 0, "/seq",
				 "must be a non-negative integer, got %s", value_kind_name(seq->kind));
			ok = false;
		} else {
			snap->has_seq = true;
			snap->seq = (long long)seq->number;
		}
	}
	const struct value *generated = timestamp_path ? path_lookup(snap->root, timestamp_path)
						       : NULL;
	if (generated) {
		double t;
		char pointer[512];
		snprintf(pointer, sizeof(pointer), "%s%s", timestamp_path[0] == '/' ? "" : "/",
			 timestamp_path);
		if (generated->kind != VALUE_STRING ||
		    !time_parse_iso8601(generated->string.text, SNAPSHOT_DEFAULT_UTC_OFFSET, &t)) {
			diag_add(diags, DIAG_ERROR, origin, line_of(text, len, pointer), 0, pointer,
				 "must be an RFC 3339 time such as \"2026-11-25T09:00:00+09:00\"");
			ok = false;
		} else {
			snap->generated_at = t;
		}
	}
	return ok;
}

struct snapshot *snapshot_parse(const char *text, size_t len, const char *origin,
				const char *source, const char *timestamp_path, double fetched_at,
				struct diag_list *diags)
{
	size_t offset;
	const char *message;
	if (len > SNAPSHOT_MAX_BYTES) {
		diag_add(diags, DIAG_ERROR, origin, 0, 0, NULL, "document is larger than %u bytes",
			 SNAPSHOT_MAX_BYTES);
		return NULL;
	}
	if (!json_check_syntax(text, len, &offset, &message)) {
		syntax_error(text, len, origin, offset, message, diags);
		return NULL;
	}
	cJSON *doc = cJSON_ParseWithLength(text, len);
	if (!doc) {
		/* The scanner accepted it, so only cJSON's own limits remain (nesting depth). */
		diag_add(diags, DIAG_ERROR, origin, 0, 0, NULL, "document too complex to parse");
		return NULL;
	}
	if (!cJSON_IsObject(doc)) {
		diag_add(diags, DIAG_ERROR, origin, 1, 1, NULL,
			 "a snapshot must be a JSON object, got %s",
			 cJSON_IsArray(doc) ? "an array" : "a single value");
		cJSON_Delete(doc);
		return NULL;
	}
	struct snapshot *snap = snapshot_create(source);
	snap->root = copy_value(&snap->arena, doc);
	snap->fetched_at = fetched_at;
	cJSON_Delete(doc);
	if (!read_provenance(snap, text, len, origin, timestamp_path, diags)) {
		snapshot_unref(snap);
		return NULL;
	}
	return snap;
}

static struct snapshot *parse_tabular(const char *text, size_t len, const char *origin,
				      const struct source_config *config, double fetched_at,
				      struct diag_list *diags)
{
	const char *utf8;
	size_t utf8_len;
	char *owned;
	if (!doc_text_decode(text, len, config->encoding, origin, &utf8, &utf8_len, &owned,
			     diags)) {
		return NULL;
	}
	struct snapshot *snap = snapshot_create(config->name);
	const struct value *root = config->format == SOURCE_FORMAT_CSV
					   ? csv_parse(&snap->arena, utf8, utf8_len, origin, diags)
					   : xml_parse(&snap->arena, utf8, utf8_len, origin, diags);
	free(owned);
	if (!root) {
		snapshot_unref(snap);
		return NULL;
	}
	snap->root = root;
	snap->fetched_at = fetched_at;
	/* No JSON text to find lines in: provenance errors name the path only. */
	if (!read_provenance(snap, NULL, 0, origin, config->timestamp, diags)) {
		snapshot_unref(snap);
		return NULL;
	}
	return snap;
}

struct snapshot *snapshot_parse_source(const char *text, size_t len, const char *origin,
				       const struct source_config *config, double fetched_at,
				       struct diag_list *diags)
{
	if (config->format == SOURCE_FORMAT_JSON) {
		return snapshot_parse(text, len, origin, config->name, config->timestamp,
				      fetched_at, diags);
	}
	if (len > SNAPSHOT_MAX_BYTES) {
		diag_add(diags, DIAG_ERROR, origin, 0, 0, NULL, "document is larger than %u bytes",
			 SNAPSHOT_MAX_BYTES);
		return NULL;
	}
	return parse_tabular(text, len, origin, config, fetched_at, diags);
}
