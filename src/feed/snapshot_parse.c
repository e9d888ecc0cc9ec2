#include "feed/snapshot_parse.h"

#include "feed/csv_parse.h"
#include "feed/doc_text.h"
#include "feed/xml_parse.h"
#include "model/path.h"
#include "util/datatime.h"
#include "util/json_scan.h"

#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Zone-less times in documents are Seoul time, as Seoul's open-data APIs send them. */
#define DEFAULT_ZONE "Asia/Seoul"

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

/* How a source reads its document's own time (NULL: as a lone snapshot_parse does). */
struct time_rule {
	const char *path;   // NULL: the document has no time of its own
	const char *format; // NULL: the built-in forms
	const char *zone;   // zone-less times; NULL: UTC
	double tolerance;   // seconds ahead of the fetch a time may be; INFINITY: any
};

static bool read_seq(struct snapshot *snap, const char *text, size_t len, const char *origin,
		     struct diag_list *diags)
{
	const struct value *seq = value_member(snap->root, "seq");
	if (!seq) {
		return true;
	}
	if (seq->kind != VALUE_NUMBER || seq->number < 0 || seq->number > 9.0e15 ||
	    floor(seq->number) != seq->number) {
		diag_add(diags, DIAG_ERROR, origin, line_of(text, len, "/seq"), 0, "/seq",
			 "must be a non-negative integer, got %s", value_kind_name(seq->kind));
		return false;
	}
	snap->has_seq = true;
	snap->seq = (long long)seq->number;
	return true;
}

static bool parse_time_value(const struct value *v, const struct time_rule *rule, double *out)
{
	if (v->kind == VALUE_STRING) {
		return datatime_parse_text(v->string.text, rule->format, rule->zone, out);
	}
	return v->kind == VALUE_NUMBER && datatime_parse_number(v->number, rule->format, rule->zone,
								 out);
}

/*
 * A document dated ahead of its fetch comes from a clock that is wrong (ours or the
 * feed's): believed, it would keep its data fresh for as long as the skew. It ages from its
 * fetch instead, and the skew is kept for the status.
 */
static void check_clock(struct snapshot *snap, double tolerance)
{
	double ahead = snap->generated_at - snap->fetched_at;
	if (ahead > tolerance) {
		snap->clock_skew = ahead;
		snap->generated_at = snap->fetched_at;
	}
}

/*
 * "display_at": when to show the document (RFC 3339 or epoch seconds). Far ahead of our clock
 * it is clock trouble (the origin's or ours), and holding the document that long would freeze
 * the wall: refused.
 */
static bool read_display_at(struct snapshot *snap, const char *text, size_t len,
			    const char *origin, const char *zone, struct diag_list *diags)
{
	const struct value *v = value_member(snap->root, "display_at");
	if (!v || v->kind == VALUE_NULL) {
		return true;
	}
	struct time_rule rule = {.zone = zone};
	double t;
	if (!parse_time_value(v, &rule, &t)) {
		diag_add(diags, DIAG_ERROR, origin, line_of(text, len, "/display_at"), 0, "/display_at",
			 "must be a time such as \"2026-11-25T09:00:00+09:00\" or epoch seconds");
		return false;
	}
	if (t - snap->fetched_at > SNAPSHOT_DISPLAY_AT_MAX_AHEAD) {
		diag_add(diags, DIAG_ERROR, origin, line_of(text, len, "/display_at"), 0, "/display_at",
			 "%.0f s ahead of this wall's clock (at most %.0f): clock trouble at the "
			 "origin or here", t - snap->fetched_at, SNAPSHOT_DISPLAY_AT_MAX_AHEAD);
		return false;
	}
	snap->display_at = t;
	return true;
}

static bool read_provenance(struct snapshot *snap, const char *text, size_t len,
			    const char *origin, const struct time_rule *rule, struct diag_list *diags)
{
	bool ok = read_seq(snap, text, len, origin, diags);
	ok &= read_display_at(snap, text, len, origin, rule->zone, diags);
	const struct value *generated = rule->path ? path_lookup(snap->root, rule->path) : NULL;
	if (!generated) {
		return ok;
	}
	double t;
	if (!parse_time_value(generated, rule, &t)) {
		char pointer[512];
		snprintf(pointer, sizeof(pointer), "%s%s", rule->path[0] == '/' ? "" : "/",
			 rule->path);
		if (rule->format) {
			diag_add(diags, DIAG_ERROR, origin, line_of(text, len, pointer), 0, pointer,
				 "must be a time written as \"%s\"", rule->format);
		} else {
			diag_add(diags, DIAG_ERROR, origin, line_of(text, len, pointer), 0, pointer,
				 "must be a time such as \"2026-11-25T09:00:00+09:00\", "
				 "\"202611250900\" or epoch seconds");
		}
		return false;
	}
	snap->generated_at = t;
	check_clock(snap, rule->tolerance);
	return ok;
}

static struct snapshot *parse_json(const char *text, size_t len, const char *origin,
				   const char *source, const struct time_rule *rule,
				   double fetched_at, struct diag_list *diags);

struct snapshot *snapshot_parse(const char *text, size_t len, const char *origin,
				const char *source, const char *timestamp_path, double fetched_at,
				struct diag_list *diags)
{
	struct time_rule rule = {timestamp_path, NULL, DEFAULT_ZONE, INFINITY};
	return parse_json(text, len, origin, source, &rule, fetched_at, diags);
}

static struct time_rule source_rule(const struct source_config *config)
{
	return (struct time_rule){config->timestamp, config->timestamp_format,
				  config->timestamp_zone, config->clock_tolerance};
}

static struct snapshot *parse_json(const char *text, size_t len, const char *origin,
				   const char *source, const struct time_rule *rule,
				   double fetched_at, struct diag_list *diags)
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
	if (!read_provenance(snap, text, len, origin, rule, diags)) {
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
	struct time_rule rule = source_rule(config);
	if (!read_provenance(snap, NULL, 0, origin, &rule, diags)) {
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
		struct time_rule rule = source_rule(config);
		return parse_json(text, len, origin, config->name, &rule, fetched_at, diags);
	}
	if (len > SNAPSHOT_MAX_BYTES) {
		diag_add(diags, DIAG_ERROR, origin, 0, 0, NULL, "document is larger than %u bytes",
			 SNAPSHOT_MAX_BYTES);
		return NULL;
	}
	return parse_tabular(text, len, origin, config, fetched_at, diags);
}
