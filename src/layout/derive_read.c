/*
 * The "derive" section: each member names a value computed from a source's records
 * (src/derive/). Expressions are checked here, when the layout loads, so a typo is a layout
 * error with its line and column — counted inside the JSON string, through its escapes and
 * through "${param}" substitutions — never a blank tile at run time.
 */

#include "layout/derive_read.h"

#include "layout/sources_parse.h"
#include "layout/tables.h"

#include "model/path.h"
#include "util/json_scan.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Figures every derived value has besides its own: "derived:/rejected/golden". */
static const char *const figure_names[] = {"records", "rejected", NULL};

#define MAX_DERIVES 64
#define MAX_TIMES 16
#define MAX_SUBSTITUTIONS 64

/* ---- positions inside an expression's string ---- */

/* Bytes a JSON escape starting at raw[0] == '\\' decodes to, and its raw length. */
static size_t escape_bytes(const char *raw, size_t avail, size_t *raw_len)
{
	if (avail < 2 || raw[1] != 'u') {
		*raw_len = 2;
		return 1;
	}
	*raw_len = 6;
	unsigned code = (unsigned)strtoul((char[5]){raw[2], raw[3], raw[4], raw[5], 0}, NULL, 16);
	if (code >= 0xd800 && code < 0xdc00 && avail >= 12 && raw[6] == '\\' && raw[7] == 'u') {
		*raw_len = 12; // a surrogate pair: one 4-byte character
		return 4;
	}
	return code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
}

/* The line and column of byte `offset` of the decoded string whose value is at `pointer`. */
static struct text_pos string_pos(const struct parse_ctx *ctx, const char *pointer, size_t offset)
{
	size_t at;
	if (!ctx->text || !json_locate(ctx->text, ctx->len, pointer, &at, NULL)) {
		return (struct text_pos){0, 0};
	}
	size_t i = at + 1, decoded = 0;
	while (i < ctx->len && ctx->text[i] != '"' && decoded < offset) {
		size_t raw = 1, bytes = 1;
		if (ctx->text[i] == '\\') {
			bytes = escape_bytes(ctx->text + i, ctx->len - i, &raw);
		}
		decoded += bytes;
		i += raw;
	}
	return json_text_pos(ctx->text, ctx->len, i);
}

/* ---- ${param} substitution, keeping where each piece came from ---- */

struct substitution {
	size_t out_start, out_end; // in the expanded text
	size_t in_start, in_end;   // the "${name}" in the text as written
};

struct expansion {
	char *text; // owned
	struct substitution subs[MAX_SUBSTITUTIONS];
	size_t count;
};

/* Maps an offset in the expanded text back to the text as written. */
static size_t written_offset(const struct expansion *x, size_t offset)
{
	long shift = 0;
	for (size_t i = 0; i < x->count; i++) {
		const struct substitution *s = &x->subs[i];
		if (offset >= s->out_start && offset < s->out_end) {
			return s->in_start;
		}
		if (offset >= s->out_end) {
			shift += (long)(s->in_end - s->in_start) - (long)(s->out_end - s->out_start);
		}
	}
	return (size_t)((long)offset + shift);
}

static char *param_text(const cJSON *value)
{
	if (cJSON_IsString(value)) {
		return xstrdup(value->valuestring);
	}
	if (cJSON_IsNumber(value)) {
		return xasprintf("%g", value->valuedouble);
	}
	return NULL;
}

static void report_at(struct parse_ctx *ctx, const char *pointer, size_t offset,
		      const char *message)
{
	if (ctx->reported >= PARSE_MAX_DIAGS) {
		ctx->suppressed++;
		return;
	}
	ctx->reported++;
	struct text_pos pos = string_pos(ctx, pointer, offset);
	diag_add(ctx->diags, DIAG_ERROR, ctx->file, pos.line, pos.column, pointer, "%s", message);
}

/*
 * Expands "${name}" with params' member `name` (text, or a number written with %g), or else
 * the layout's own "params", as tile templates do; an unclosed "${" stays as it is. False
 * after reporting an unknown name.
 */
static bool expand(struct parse_ctx *ctx, const char *text, const cJSON *params,
		   const cJSON *layout_params, const char *pointer, struct expansion *x)
{
	size_t len = strlen(text), cap = len + 1, used = 0;
	x->text = xmalloc(cap);
	x->count = 0;
	for (size_t i = 0; i < len;) {
		const char *close = text[i] == '$' && text[i + 1] == '{' ? strchr(text + i, '}') : NULL;
		if (!close) {
			x->text[used++] = text[i++];
			continue;
		}
		char *name = xstrndup(text + i + 2, (size_t)(close - text - i - 2));
		const cJSON *given = cJSON_GetObjectItemCaseSensitive(params, name);
		char *value = param_text(given ? given
					       : cJSON_GetObjectItemCaseSensitive(layout_params, name));
		if (!value || x->count == MAX_SUBSTITUTIONS) {
			char *message = value ? xasprintf("more than %d ${...} in one expression",
							  MAX_SUBSTITUTIONS)
					      : xasprintf("unknown parameter \"%s\": \"params\" "
							  "(the member's or the layout's) gives none of that "
							  "name", name);
			report_at(ctx, pointer, i, message);
			free(message);
			free(name);
			free(value);
			return false;
		}
		size_t n = strlen(value);
		cap += n;
		x->text = xrealloc(x->text, cap);
		x->subs[x->count++] = (struct substitution){used, used + n, i,
							    (size_t)(close - text) + 1};
		memcpy(x->text + used, value, n);
		used += n;
		i = (size_t)(close - text) + 1;
		free(name);
		free(value);
	}
	x->text[used] = '\0';
	return true;
}

/* ---- one member of "derive" ---- */

static void add_field_refs(struct parse_ctx *ctx, struct layout_derive *d,
			   const struct derive_expr *e, const struct expansion *x,
			   const char *pointer)
{
	size_t n = derive_expr_field_count(e);
	d->fields = xrealloc(d->fields, (d->field_count + n + 1) * sizeof(*d->fields));
	for (size_t i = 0; i < n; i++) {
		size_t offset;
		const char *name = derive_expr_field(e, i, &offset);
		struct text_pos pos = string_pos(ctx, pointer, written_offset(x, offset));
		d->fields[d->field_count++] = (struct derive_field_ref){
			.name = xstrdup(name), .pointer = xstrdup(pointer),
			.line = pos.line, .column = pos.column};
	}
}

/* Compiles expression `key` of the member; NULL after reporting (or when absent). */
static struct derive_expr *compile(struct parse_ctx *ctx, const cJSON *node, const char *key,
				   enum derive_role role, const char *base,
				   const cJSON *layout_params, struct layout_derive *d, bool *ok)
{
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(node, key);
	if (!cJSON_IsString(text)) {
		return NULL;
	}
	char *pointer = pointer_join(base, key);
	struct expansion x = {0};
	struct derive_expr *e = NULL;
	if (expand(ctx, text->valuestring, cJSON_GetObjectItemCaseSensitive(node, "params"),
		   layout_params, pointer, &x)) {
		struct derive_error err;
		e = derive_parse(x.text, role, &err);
		if (e) {
			add_field_refs(ctx, d, e, &x, pointer);
		} else {
			report_at(ctx, pointer, written_offset(&x, err.offset), err.message);
		}
	}
	*ok &= e != NULL;
	free(x.text);
	free(pointer);
	return e;
}

static bool read_params(struct parse_ctx *ctx, const cJSON *params, const char *base)
{
	if (!params) {
		return true;
	}
	char *pointer = pointer_join(base, "params");
	bool ok = cJSON_IsObject(params);
	if (!ok) {
		parse_error(ctx, pointer, false, "must be an object of names to text or numbers");
	}
	for (const cJSON *p = ok ? params->child : NULL; p; p = p->next) {
		if (!cJSON_IsString(p) && !cJSON_IsNumber(p)) {
			char *at = pointer_join(pointer, p->string);
			parse_error(ctx, at, false, "a parameter is text or a number, got %s",
				    json_type_name(p));
			free(at);
			ok = false;
		}
	}
	free(pointer);
	return ok;
}

/* "times": {"name": ["date field", "time field"]} or {"name": "field"}. */
static bool read_times(struct parse_ctx *ctx, const cJSON *times, const char *base,
		       struct derive_def *def)
{
	if (!times) {
		return true;
	}
	char *pointer = pointer_join(base, "times");
	bool ok = cJSON_IsObject(times) && cJSON_GetArraySize(times) <= MAX_TIMES;
	if (!ok) {
		parse_error(ctx, pointer, false, "must be an object of at most %d names to a field "
			    "or [date field, time field]", MAX_TIMES);
	}
	def->times = xcalloc(MAX_TIMES, sizeof(*def->times));
	for (const cJSON *t = ok ? times->child : NULL; t; t = t->next) {
		const cJSON *first = cJSON_IsArray(t) ? cJSON_GetArrayItem(t, 0) : t;
		const cJSON *second = cJSON_IsArray(t) ? cJSON_GetArrayItem(t, 1) : NULL;
		bool pair = cJSON_IsArray(t) && cJSON_GetArraySize(t) == 2 &&
			    cJSON_IsString(first) && cJSON_IsString(second);
		if (!pair && !cJSON_IsString(t)) {
			char *at = pointer_join(pointer, t->string);
			parse_error(ctx, at, false, "must be a field name, or [date field, time field] "
				    "such as [\"출동일자\", \"출동시각\"]");
			free(at);
			ok = false;
			continue;
		}
		struct derive_time *out = &def->times[def->time_count++];
		out->name = xstrdup(t->string);
		out->date = xstrdup(first->valuestring);
		out->clock = pair ? xstrdup(second->valuestring) : NULL;
	}
	free(pointer);
	return ok;
}

/* "from": "source:/path" naming a JSON source other than "derived". */
static bool read_from(struct parse_ctx *ctx, const struct layout *layout, const char *from,
		      const char *base, struct layout_derive *d)
{
	char *pointer = pointer_join(base, "from");
	bool ok = sources_resolve_binding(ctx, layout, from, pointer, &d->source, &d->path);
	if (ok && layout->sources[d->source].type == SOURCE_IMAGE) {
		parse_error(ctx, pointer, false, "source \"%s\" is a picture: it has no records",
			    layout->sources[d->source].name);
		ok = false;
	}
	if (ok) {
		char err[256];
		d->compiled = path_compile(d->path, err, sizeof(err));
		ok = d->compiled != NULL;
	}
	free(pointer);
	return ok;
}

static bool name_ok(struct parse_ctx *ctx, const char *name, const char *pointer)
{
	for (const char *const *f = figure_names; *f; f++) {
		if (strcmp(name, *f) == 0) {
			parse_error(ctx, pointer, true, "\"%s\" is reserved: \"derived:/%s/NAME\" is "
				    "a figure of each derived value", name, name);
			return false;
		}
	}
	if (!source_name_valid(name)) {
		parse_error(ctx, pointer, true, "derived value name \"%s\" must be 1 to 64 letters, "
			    "digits, '_' or '-'", name);
		return false;
	}
	return true;
}

/* "group_by": a field or day(FIELD), with the position of a mistake in it. */
static bool read_group_by(struct parse_ctx *ctx, const char *text, const char *base,
			  struct derive_def *def)
{
	if (!text) {
		return true;
	}
	struct derive_error err;
	if (derive_parse_group(text, &def->group_by, &def->group_by_day, &err)) {
		return true;
	}
	char *pointer = pointer_join(base, "group_by");
	report_at(ctx, pointer, err.offset, err.message);
	free(pointer);
	return false;
}

/* A list's "sort", "limit" and "fields"; none of them goes with "value". */
static bool read_list(struct parse_ctx *ctx, const cJSON *node, const struct option_set *set,
		      const char *base, struct derive_def *def)
{
	const char *sort = option_text(set, "sort");
	const cJSON *fields = cJSON_GetObjectItemCaseSensitive(node, "fields");
	bool value = cJSON_GetObjectItemCaseSensitive(node, "value") != NULL;
	def->limit = (size_t)option_number(set, "limit");
	if (value && (sort || fields || cJSON_GetObjectItemCaseSensitive(node, "limit"))) {
		parse_error(ctx, base, true, "\"sort\", \"limit\" and \"fields\" make a list of "
			    "records: a member with \"value\" is one figure and takes none of them");
		return false;
	}
	if (!value && option_text(set, "group_by")) {
		parse_error(ctx, base, true, "\"group_by\" needs a \"value\" to compute per group");
		return false;
	}
	bool ok = true;
	struct derive_error err;
	if (sort && !derive_parse_sort(sort, &def->sort, &def->sort_descending, &err)) {
		char *pointer = pointer_join(base, "sort");
		report_at(ctx, pointer, err.offset, err.message);
		free(pointer);
		ok = false;
	}
	if (!fields) {
		return ok;
	}
	char *pointer = pointer_join(base, "fields");
	int n = cJSON_GetArraySize(fields);
	bool shape = cJSON_IsArray(fields) && n >= 1 && n <= DERIVE_MAX_FIELDS;
	for (const cJSON *f = shape ? fields->child : NULL; f; f = f->next) {
		shape &= cJSON_IsString(f) && f->valuestring[0] != '\0';
	}
	if (!shape) {
		parse_error(ctx, pointer, false, "must be a list of 1 to %d field names",
			    DERIVE_MAX_FIELDS);
		ok = false;
	} else {
		def->fields = xcalloc((size_t)n, sizeof(*def->fields));
		for (const cJSON *f = fields->child; f; f = f->next) {
			def->fields[def->field_count++] = xstrdup(f->valuestring);
		}
	}
	free(pointer);
	return ok;
}

static bool read_member(struct parse_ctx *ctx, const cJSON *node, const char *pointer,
			const cJSON *layout_params, struct layout *layout,
			struct layout_derive *d)
{
	struct option_set set = {0};
	const struct option_spec *tables[] = {layout_derive_options};
	bool ok = options_read(ctx, node, pointer, tables, &set, 1);
	d->def.name = xstrdup(node->string);
	d->def.zone = xstrdup(layout->timezone);
	if (ok) {
		ok &= read_group_by(ctx, option_text(&set, "group_by"), pointer, &d->def);
		ok &= read_list(ctx, node, &set, pointer, &d->def);
		ok &= read_from(ctx, layout, option_text(&set, "from"), pointer, d);
		ok &= read_params(ctx, cJSON_GetObjectItemCaseSensitive(node, "params"), pointer);
		ok &= read_times(ctx, cJSON_GetObjectItemCaseSensitive(node, "times"), pointer,
				 &d->def);
	}
	if (ok) {
		d->def.where = compile(ctx, node, "where", DERIVE_CONDITION, pointer, layout_params,
				       d, &ok);
		d->def.value = compile(ctx, node, "value", DERIVE_VALUE, pointer, layout_params, d,
				       &ok);
	}
	option_set_finish(&set);
	return ok;
}

/* The pseudo-source: no URL (never fetched); as stale as the least patient of its inputs. */
static void add_derived_source(struct layout *layout)
{
	double max_age = INFINITY, show_age_after = INFINITY;
	for (size_t i = 0; i < layout->derive_count; i++) {
		const struct source_config *in = &layout->sources[layout->derives[i].source];
		max_age = fmin(max_age, in->max_age);
		show_age_after = fmin(show_age_after, in->show_age_after);
	}
	layout->sources = xrealloc(layout->sources,
				   (layout->source_count + 1) * sizeof(*layout->sources));
	layout->sources[layout->source_count] = (struct source_config){
		.name = xstrdup(LAYOUT_DERIVED_SOURCE),
		.interval = SOURCE_DEFAULT_INTERVAL,
		.max_age = isfinite(max_age) ? max_age : SOURCE_DEFAULT_MAX_AGE,
		.timeout = SOURCE_DEFAULT_TIMEOUT,
		.connect_timeout = SOURCE_DEFAULT_CONNECT_TIMEOUT,
		.max_bytes = SOURCE_DEFAULT_MAX_BYTES,
		.clock_tolerance = SOURCE_DEFAULT_CLOCK_TOLERANCE,
		.show_age_after = isfinite(show_age_after) ? show_age_after : 0,
	};
	layout->derived_source = (long)layout->source_count++;
}

bool derive_read(struct parse_ctx *ctx, const cJSON *root, struct layout *layout)
{
	const cJSON *derive = cJSON_GetObjectItemCaseSensitive(root, "derive");
	long taken = layout_find_source(layout, LAYOUT_DERIVED_SOURCE);
	if (taken >= 0) {
		char *pointer = pointer_join("/sources", LAYOUT_DERIVED_SOURCE);
		parse_error(ctx, pointer, true, "\"%s\" is reserved for the values of \"derive\"; "
			    "give this source another name", LAYOUT_DERIVED_SOURCE);
		free(pointer);
		return false;
	}
	bool params_ok = read_params(ctx, cJSON_GetObjectItemCaseSensitive(root, "params"), "");
	if (!derive) {
		return params_ok;
	}
	if (!cJSON_IsObject(derive) || cJSON_GetArraySize(derive) > MAX_DERIVES) {
		parse_error(ctx, "/derive", false, "must be an object of at most %d names to "
			    "definitions", MAX_DERIVES);
		return false;
	}
	bool ok = params_ok;
	layout->derives = xcalloc((size_t)cJSON_GetArraySize(derive) + 1, sizeof(*layout->derives));
	for (const cJSON *node = derive->child; node; node = node->next) {
		char *pointer = pointer_join("/derive", node->string);
		if (name_ok(ctx, node->string, pointer)) {
			struct layout_derive *d = &layout->derives[layout->derive_count++];
			ok &= read_member(ctx, node, pointer,
					  cJSON_GetObjectItemCaseSensitive(root, "params"), layout, d);
		} else {
			ok = false;
		}
		free(pointer);
	}
	if (layout->derive_count) {
		add_derived_source(layout); // also after errors: bindings to it are checked
	}
	return ok;
}

static const char *derive_name(const void *items, size_t i)
{
	return ((const struct layout_derive *)items)[i].def.name;
}

static bool known_name(const struct layout *layout, const char *name, size_t len)
{
	for (size_t i = 0; i < layout->derive_count; i++) {
		const char *n = derive_name(layout->derives, i);
		if (strlen(n) == len && memcmp(n, name, len) == 0) {
			return true;
		}
	}
	return false;
}

static char *derive_names(const struct layout *layout)
{
	char *list = xstrdup("");
	for (size_t i = 0; i < layout->derive_count; i++) {
		char *next = xasprintf("%s%s%s", list, i ? ", " : "", derive_name(layout->derives, i));
		free(list);
		list = next;
	}
	return list;
}

bool derive_check_binding(struct parse_ctx *ctx, const struct layout *layout, const char *path,
			  const char *pointer)
{
	const char *s = path[0] == '/' ? path + 1 : path;
	size_t n = strcspn(s, "/[");
	bool figure = false;
	for (const char *const *f = figure_names; *f; f++) {
		figure |= strlen(*f) == n && memcmp(*f, s, n) == 0;
	}
	const char *name = s;
	if (figure && s[n] == '/') {
		name = s + n + 1; // "rejected/golden"
		n = strcspn(name, "/[");
	}
	if (known_name(layout, name, n)) {
		return true;
	}
	char *word = xstrndup(name, n);
	const char **names = xcalloc(layout->derive_count + 1, sizeof(*names));
	for (size_t i = 0; i < layout->derive_count; i++) {
		names[i] = derive_name(layout->derives, i);
	}
	const char *suggestion = str_closest(word, names, sizeof(*names), layout->derive_count);
	char *list = derive_names(layout);
	if (suggestion) {
		parse_error(ctx, pointer, false, "no derived value \"%s\" (did you mean \"%s\"?)",
			    word, suggestion);
	} else {
		parse_error(ctx, pointer, false, "no derived value \"%s\" (derive: %s)", word,
			    list[0] ? list : "none");
	}
	free(list);
	free(names);
	free(word);
	return false;
}
