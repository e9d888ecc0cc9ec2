#include "layout/options.h"

#include "layout/scales.h"

#include "model/path.h"
#include "util/fileio.h"
#include "util/json_scan.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THRESHOLDS 32

static int line_of(struct parse_ctx *ctx, const char *pointer, bool at_key)
{
	size_t value_offset, key_offset;
	if (!ctx->text) {
		return 0;
	}
	if (!json_locate(ctx->text, ctx->len, pointer, &value_offset, &key_offset)) {
		size_t n = ctx->alias_from ? strlen(ctx->alias_from) : 0;
		if (!n || strncmp(pointer, ctx->alias_from, n) != 0) {
			return 0;
		}
		char *aliased = xasprintf("%s%s", ctx->alias_to, pointer + n);
		bool found = json_locate(ctx->text, ctx->len, aliased, &value_offset, &key_offset);
		free(aliased);
		if (!found) {
			return 0;
		}
	}
	return json_text_pos(ctx->text, ctx->len, at_key ? key_offset : value_offset).line;
}

static void report(struct parse_ctx *ctx, enum diag_severity severity, const char *pointer,
		   bool at_key, const char *fmt, va_list ap)
{
	if (ctx->reported >= PARSE_MAX_DIAGS) {
		ctx->suppressed++;
		return;
	}
	ctx->reported++;
	char *message = xvasprintf(fmt, ap);
	diag_add(ctx->diags, severity, ctx->file, line_of(ctx, pointer, at_key), 0, pointer, "%s",
		 message);
	free(message);
}

void parse_error(struct parse_ctx *ctx, const char *pointer, bool at_key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(ctx, DIAG_ERROR, pointer, at_key, fmt, ap);
	va_end(ap);
}

void parse_warning(struct parse_ctx *ctx, const char *pointer, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(ctx, DIAG_WARNING, pointer, false, fmt, ap);
	va_end(ap);
}

char *pointer_join(const char *base, const char *key)
{
	size_t extra = 0;
	for (const char *k = key; *k; k++) {
		extra += *k == '~' || *k == '/';
	}
	char *out = xmalloc(strlen(base) + 1 + strlen(key) + extra + 1);
	char *o = out + sprintf(out, "%s/", base);
	for (const char *k = key; *k; k++) {
		if (*k == '~' || *k == '/') {
			*o++ = '~';
			*o++ = *k == '~' ? '0' : '1';
		} else {
			*o++ = *k;
		}
	}
	*o = '\0';
	return out;
}

char *pointer_index(const char *base, size_t index)
{
	return xasprintf("%s/%zu", base, index);
}

size_t option_table_size(const struct option_spec *specs)
{
	size_t n = 0;
	while (specs && specs[n].key) {
		n++;
	}
	return n;
}

const char *json_type_name(const cJSON *node)
{
	if (!node) {
		return "nothing";
	}
	if (cJSON_IsString(node)) {
		return "a string";
	}
	if (cJSON_IsNumber(node)) {
		return "a number";
	}
	if (cJSON_IsBool(node)) {
		return "a boolean";
	}
	if (cJSON_IsArray(node)) {
		return "an array";
	}
	if (cJSON_IsObject(node)) {
		return "an object";
	}
	return "null";
}

static void set_defaults(struct option_set *set)
{
	for (size_t i = 0; i < set->count; i++) {
		const struct option_spec *spec = &set->specs[i];
		struct option_value *v = &set->values[i];
		v->number = spec->default_number;
		v->pair[0] = spec->default_pair[0];
		v->pair[1] = spec->default_pair[1];
		if (spec->default_text) {
			v->text = xstrdup(spec->default_text);
			if (spec->type == OPT_COLOR) {
				color_parse(spec->default_text, &v->color);
			}
		}
	}
}

static bool check_range(struct parse_ctx *ctx, const struct option_spec *spec,
			const char *pointer, double v)
{
	if (spec->has_range && (v < spec->min || v > spec->max)) {
		parse_error(ctx, pointer, false, "must be in [%g, %g], got %g", spec->min, spec->max,
			    v);
		return false;
	}
	return true;
}

static bool read_number(struct parse_ctx *ctx, const struct option_spec *spec, const cJSON *node,
			const char *pointer, struct option_value *out)
{
	if (!cJSON_IsNumber(node)) {
		parse_error(ctx, pointer, false, "must be a number, got %s", json_type_name(node));
		return false;
	}
	double v = node->valuedouble;
	if (spec->type == OPT_INT && floor(v) != v) {
		parse_error(ctx, pointer, false, "must be a whole number, got %g", v);
		return false;
	}
	if (!check_range(ctx, spec, pointer, v)) {
		return false;
	}
	out->number = v;
	return true;
}

static bool read_pair(struct parse_ctx *ctx, const struct option_spec *spec, const cJSON *node,
		      const char *pointer, struct option_value *out)
{
	if (!cJSON_IsArray(node) || cJSON_GetArraySize(node) != 2 ||
	    !cJSON_IsNumber(node->child) || !cJSON_IsNumber(node->child->next) ||
	    floor(node->child->valuedouble) != node->child->valuedouble ||
	    floor(node->child->next->valuedouble) != node->child->next->valuedouble) {
		parse_error(ctx, pointer, false, "must be a pair of whole numbers such as [1, 2]");
		return false;
	}
	for (int i = 0; i < 2; i++) {
		double v = cJSON_GetArrayItem(node, i)->valuedouble;
		char *item = pointer_index(pointer, (size_t)i);
		bool ok = check_range(ctx, spec, item, v);
		free(item);
		if (!ok) {
			return false;
		}
		out->pair[i] = (int)v;
	}
	return true;
}

static char *choices_list(const char *const *choices)
{
	char *list = xstrdup("");
	for (size_t i = 0; choices[i]; i++) {
		char *next = xasprintf("%s%s\"%s\"", list, i ? ", " : "", choices[i]);
		free(list);
		list = next;
	}
	return list;
}

static bool read_text(struct parse_ctx *ctx, const struct option_spec *spec, const cJSON *node,
		      const char *pointer, struct option_value *out)
{
	if (!cJSON_IsString(node)) {
		parse_error(ctx, pointer, false, "must be a string, got %s", json_type_name(node));
		return false;
	}
	const char *s = node->valuestring;
	char err[256];
	if (spec->type == OPT_COLOR && !color_parse(s, &out->color)) {
		parse_error(ctx, pointer, false,
			    "\"%s\" is not a colour (expected \"#rrggbb\" or \"#rrggbbaa\")", s);
		return false;
	}
	if (spec->type == OPT_BINDING && !path_check(s, err, sizeof(err))) {
		parse_error(ctx, pointer, false, "%s", err);
		return false;
	}
	if (spec->type == OPT_ENUM) {
		size_t i = 0;
		while (spec->choices[i] && strcmp(spec->choices[i], s) != 0) {
			i++;
		}
		if (!spec->choices[i]) {
			char *list = choices_list(spec->choices);
			parse_error(ctx, pointer, false, "must be one of %s, got \"%s\"", list, s);
			free(list);
			return false;
		}
	}
	free(out->text);
	out->text = xstrdup(s);
	return true;
}

/* A step's keys besides "from"/"equals" and "state": its own word and colour. */
static bool read_step_extras(struct parse_ctx *ctx, const cJSON *item, const char *pointer,
			     struct threshold *step)
{
	const cJSON *label = cJSON_GetObjectItemCaseSensitive(item, "label");
	const cJSON *color = cJSON_GetObjectItemCaseSensitive(item, "color");
	bool ok = true;
	if (label && (!cJSON_IsString(label) || strlen(label->valuestring) >= sizeof(step->label))) {
		char *p = pointer_join(pointer, "label");
		parse_error(ctx, p, false, "must be a word of at most %zu bytes",
			    sizeof(step->label) - 1);
		free(p);
		ok = false;
	} else if (label) {
		snprintf(step->label, sizeof(step->label), "%s", label->valuestring);
	}
	if (color && (!cJSON_IsString(color) || !color_parse(color->valuestring, &step->color))) {
		char *p = pointer_join(pointer, "color");
		parse_error(ctx, p, false, "must be a colour (\"#rrggbb\" or \"#rrggbbaa\")");
		free(p);
		ok = false;
	}
	step->has_color = ok && color;
	return ok;
}

static bool read_threshold_step(struct parse_ctx *ctx, const cJSON *item, const char *pointer,
				struct threshold *step)
{
	const cJSON *from = cJSON_GetObjectItemCaseSensitive(item, "from");
	const cJSON *equals = cJSON_GetObjectItemCaseSensitive(item, "equals");
	const cJSON *state = cJSON_GetObjectItemCaseSensitive(item, "state");
	bool numeric = cJSON_IsNumber(from) && !equals;
	bool categorical = cJSON_IsString(equals) && !from &&
			   strlen(equals->valuestring) < sizeof(step->equals);
	int extras = !!cJSON_GetObjectItemCaseSensitive(item, "label") +
		     !!cJSON_GetObjectItemCaseSensitive(item, "color");
	if (!cJSON_IsObject(item) || !(numeric || categorical) || !cJSON_IsString(state) ||
	    cJSON_GetArraySize(item) != 2 + extras) {
		parse_error(ctx, pointer, false,
			    "must be an object {\"from\": number, \"state\": name} or "
			    "{\"equals\": text, \"state\": name}, with an optional \"label\" "
			    "and \"color\"");
		return false;
	}
	step->categorical = categorical;
	if (categorical) {
		snprintf(step->equals, sizeof(step->equals), "%s", equals->valuestring);
	}
	if (!state_parse(state->valuestring, &step->state)) {
		char *p = pointer_join(pointer, "state");
		parse_error(ctx, p, false,
			    "unknown state \"%s\" (expected \"good\", \"moderate\", \"bad\", "
			    "\"very_bad\" or \"normal\")",
			    state->valuestring);
		free(p);
		return false;
	}
	step->from = numeric ? from->valuedouble : 0;
	return read_step_extras(ctx, item, pointer, step);
}

/* The last numeric step before index `i`, or NULL. */
static const struct threshold *previous_numeric(const struct thresholds *t, size_t i)
{
	while (i-- > 0) {
		if (!t->items[i].categorical) {
			return &t->items[i];
		}
	}
	return NULL;
}

bool options_read_steps(struct parse_ctx *ctx, const cJSON *node, const char *pointer,
			struct thresholds **out)
{
	int count = cJSON_GetArraySize(node);
	if (!cJSON_IsArray(node) || count < 1 || count > MAX_THRESHOLDS) {
		parse_error(ctx, pointer, false, "must be an array of 1 to %d steps, or a scale's name",
			    MAX_THRESHOLDS);
		return false;
	}
	struct thresholds *t = xcalloc(1, sizeof(*t) + (size_t)count * sizeof(t->items[0]));
	t->count = 0;
	bool ok = true;
	for (const cJSON *item = node->child; item; item = item->next) {
		char *p = pointer_index(pointer, t->count);
		struct threshold *step = &t->items[t->count];
		const struct threshold *before;
		if (!read_threshold_step(ctx, item, p, step)) {
			ok = false;
		} else if (!step->categorical && (before = previous_numeric(t, t->count)) &&
			   step->from <= before->from) {
			char *from = pointer_join(p, "from");
			parse_error(ctx, from, false, "steps must ascend: %g follows %g", step->from,
				    before->from);
			free(from);
			ok = false;
		}
		free(p);
		t->count++;
	}
	if (!ok) {
		free(t);
		return false;
	}
	*out = t;
	return true;
}

/*
 * An unknown scale's name, at its line and column: the name is what the designer mistyped,
 * so the message points at it and lists what there is.
 */
static void unknown_scale(struct parse_ctx *ctx, const char *name, const char *pointer)
{
	size_t value_offset, key_offset;
	struct text_pos pos = {0, 0};
	if (ctx->text && json_locate(ctx->text, ctx->len, pointer, &value_offset, &key_offset)) {
		pos = json_text_pos(ctx->text, ctx->len, value_offset);
	}
	if (ctx->reported >= PARSE_MAX_DIAGS) {
		ctx->suppressed++;
		return;
	}
	ctx->reported++;
	char *names = scales_names(ctx->scales);
	diag_add(ctx->diags, DIAG_ERROR, ctx->file, pos.line, pos.column, pointer,
		 "unknown scale \"%s\" (scales: %s)", name, names);
	free(names);
}

static bool read_thresholds(struct parse_ctx *ctx, const cJSON *node, const char *pointer,
			    struct option_value *out)
{
	struct thresholds *t = NULL;
	if (cJSON_IsString(node)) {
		t = scales_lookup(ctx->scales, node->valuestring);
		if (!t) {
			unknown_scale(ctx, node->valuestring, pointer);
			return false;
		}
	} else if (!options_read_steps(ctx, node, pointer, &t)) {
		return false;
	}
	free(out->thresholds);
	out->thresholds = t;
	return true;
}

static bool read_asset(struct parse_ctx *ctx, const struct option_spec *spec, const cJSON *node,
		       const char *pointer, struct option_value *out)
{
	if (!cJSON_IsString(node)) {
		parse_error(ctx, pointer, false, "must be a file name, got %s", json_type_name(node));
		return false;
	}
	char *dir = path_dirname(ctx->file ? ctx->file : ".");
	char *path = path_resolve(dir, node->valuestring);
	free(dir);
	char err[512] = "";
	void *asset = NULL;
	bool ok = spec->load && spec->load(path, &asset, err, sizeof(err));
	if (!ok) {
		parse_error(ctx, pointer, false, "%s", err[0] ? err : "cannot load");
	} else {
		if (out->asset && spec->unload) {
			spec->unload(out->asset);
		}
		out->asset = asset;
		free(out->text);
		out->text = path;
		path = NULL;
	}
	free(path);
	return ok;
}

static void free_items(struct option_set *items, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		option_set_finish(&items[i]);
	}
	free(items);
}

/*
 * An array of objects, each read against spec->fields as a tile is against its widget's table;
 * every item's problems are reported before giving up.
 */
static bool read_object_list(struct parse_ctx *ctx, const struct option_spec *spec,
			     const cJSON *node, const char *pointer, struct option_value *out)
{
	double lo = spec->has_range ? spec->min : 0;
	double hi = spec->has_range ? spec->max : OPTION_LIST_MAX;
	if (!cJSON_IsArray(node)) {
		parse_error(ctx, pointer, false, "must be an array of objects, got %s",
			    json_type_name(node));
		return false;
	}
	int count = cJSON_GetArraySize(node);
	if (count < lo || count > hi) {
		parse_error(ctx, pointer, false, "must hold %g to %g objects, got %d", lo, hi, count);
		return false;
	}
	struct option_set *items = xcalloc(count ? (size_t)count : 1, sizeof(*items));
	const struct option_spec *const fields[] = {spec->fields};
	bool ok = true;
	size_t n = 0;
	for (const cJSON *item = node->child; item; item = item->next, n++) {
		char *p = pointer_index(pointer, n);
		ok = options_read(ctx, item, p, fields, &items[n], 1) && ok;
		free(p);
	}
	if (!ok) {
		free_items(items, n);
		return false;
	}
	free_items(out->items, out->item_count);
	out->items = items;
	out->item_count = n;
	return true;
}

/* One object read against spec->fields, kept as a list of one. */
static bool read_object(struct parse_ctx *ctx, const struct option_spec *spec, const cJSON *node,
			const char *pointer, struct option_value *out)
{
	if (!cJSON_IsObject(node)) {
		parse_error(ctx, pointer, false, "must be an object, got %s", json_type_name(node));
		return false;
	}
	struct option_set *item = xcalloc(1, sizeof(*item));
	const struct option_spec *const fields[] = {spec->fields};
	if (!options_read(ctx, node, pointer, fields, item, 1)) {
		free_items(item, 1);
		return false;
	}
	free_items(out->items, out->item_count);
	out->items = item;
	out->item_count = 1;
	return true;
}

static bool read_value(struct parse_ctx *ctx, const struct option_spec *spec, const cJSON *node,
		       const char *pointer, struct option_value *out)
{
	switch (spec->type) {
	case OPT_NUMBER:
	case OPT_INT:
		return read_number(ctx, spec, node, pointer, out);
	case OPT_BOOL:
		if (!cJSON_IsBool(node)) {
			parse_error(ctx, pointer, false, "must be true or false, got %s",
				    json_type_name(node));
			return false;
		}
		out->number = cJSON_IsTrue(node);
		return true;
	case OPT_STRING:
	case OPT_COLOR:
	case OPT_ENUM:
	case OPT_BINDING:
		return read_text(ctx, spec, node, pointer, out);
	case OPT_THRESHOLDS:
		return read_thresholds(ctx, node, pointer, out);
	case OPT_INT_PAIR:
		return read_pair(ctx, spec, node, pointer, out);
	case OPT_NESTED:
		return true;
	case OPT_ASSET:
		return read_asset(ctx, spec, node, pointer, out);
	case OPT_OBJECT_LIST:
		return read_object_list(ctx, spec, node, pointer, out);
	case OPT_OBJECT:
		return read_object(ctx, spec, node, pointer, out);
	}
	return false;
}

static bool find_spec(struct option_set *sets, size_t nsets, const char *key, size_t *set_index,
		      size_t *spec_index)
{
	for (size_t s = 0; s < nsets; s++) {
		for (size_t i = 0; i < sets[s].count; i++) {
			if (strcmp(sets[s].specs[i].key, key) == 0) {
				*set_index = s;
				*spec_index = i;
				return true;
			}
		}
	}
	return false;
}

static const char *closest_key(struct option_set *sets, size_t nsets, const char *key)
{
	const char *best = NULL;
	size_t best_distance = (size_t)-1;
	for (size_t s = 0; s < nsets; s++) {
		const char *c = str_closest(key, &sets[s].specs[0].key, sizeof(struct option_spec),
					    sets[s].count);
		size_t d = c ? str_edit_distance(key, c) : (size_t)-1;
		if (c && d < best_distance) {
			best = c;
			best_distance = d;
		}
	}
	return best;
}

static void unknown_key(struct parse_ctx *ctx, struct option_set *sets, size_t nsets,
			const char *key, const char *pointer)
{
	const char *suggestion = closest_key(sets, nsets, key);
	if (suggestion) {
		parse_error(ctx, pointer, true, "unknown key \"%s\" (did you mean \"%s\"?)", key,
			    suggestion);
	} else {
		parse_error(ctx, pointer, true, "unknown key \"%s\"", key);
	}
}

static bool check_required(struct parse_ctx *ctx, const cJSON *object, const char *pointer,
			   struct option_set *sets, size_t nsets)
{
	bool ok = true;
	for (size_t s = 0; s < nsets; s++) {
		for (size_t i = 0; i < sets[s].count; i++) {
			const char *key = sets[s].specs[i].key;
			if (sets[s].specs[i].required &&
			    !cJSON_GetObjectItemCaseSensitive(object, key)) {
				parse_error(ctx, pointer, false, "missing required key \"%s\"", key);
				ok = false;
			}
		}
	}
	return ok;
}

bool options_read(struct parse_ctx *ctx, const cJSON *object, const char *pointer,
		  const struct option_spec *const *specs_list, struct option_set *sets, size_t nsets)
{
	for (size_t s = 0; s < nsets; s++) {
		sets[s].specs = specs_list[s];
		sets[s].count = option_table_size(specs_list[s]);
		sets[s].values = xcalloc(sets[s].count, sizeof(struct option_value));
		set_defaults(&sets[s]);
	}
	if (!cJSON_IsObject(object)) {
		parse_error(ctx, pointer, false, "must be an object, got %s", json_type_name(object));
		return false;
	}
	bool ok = true;
	for (const cJSON *item = object->child; item; item = item->next) {
		char *p = pointer_join(pointer, item->string);
		size_t s, i;
		if (!find_spec(sets, nsets, item->string, &s, &i)) {
			unknown_key(ctx, sets, nsets, item->string, p);
			ok = false;
		} else if (read_value(ctx, &sets[s].specs[i], item, p, &sets[s].values[i])) {
			sets[s].values[i].set = true;
		} else {
			ok = false;
		}
		free(p);
	}
	return check_required(ctx, object, pointer, sets, nsets) && ok;
}

void option_set_finish(struct option_set *set)
{
	for (size_t i = 0; i < set->count && set->values; i++) {
		free(set->values[i].text);
		free(set->values[i].thresholds);
		free_items(set->values[i].items, set->values[i].item_count);
		if (set->values[i].asset && set->specs[i].unload) {
			set->specs[i].unload(set->values[i].asset);
		}
	}
	free(set->values);
	*set = (struct option_set){0};
}

const struct option_value *option_get(const struct option_set *set, const char *key)
{
	for (size_t i = 0; i < set->count; i++) {
		if (strcmp(set->specs[i].key, key) == 0) {
			return &set->values[i];
		}
	}
	fprintf(stderr, "citywall: bug: option \"%s\" is not declared\n", key);
	abort();
}

void *option_asset(const struct option_set *set, const char *key)
{
	return option_get(set, key)->asset;
}

const struct option_set *option_items(const struct option_set *set, const char *key,
				      size_t *count)
{
	const struct option_value *v = option_get(set, key);
	*count = v->item_count;
	return v->items;
}

const struct option_set *option_object(const struct option_set *set, const char *key)
{
	const struct option_value *v = option_get(set, key);
	return v->item_count ? v->items : NULL;
}

/* The index of `text` in `choices`; 0 (the validator let nothing else through) when absent. */
static int choice_index(const char *const *choices, const char *text)
{
	for (int i = 0; choices && text && choices[i]; i++) {
		if (strcmp(choices[i], text) == 0) {
			return i;
		}
	}
	return 0;
}

static void fill_value(const struct option_spec *spec, const struct option_value *v, void *field)
{
	switch (spec->type) {
	case OPT_STRING:
	case OPT_BINDING:
		*(const char **)field = v->text;
		break;
	case OPT_NUMBER:
		*(double *)field = v->number;
		break;
	case OPT_INT:
		*(int *)field = (int)v->number;
		break;
	case OPT_BOOL:
		*(bool *)field = v->number != 0;
		break;
	case OPT_ENUM:
		*(int *)field = choice_index(spec->choices, v->text);
		break;
	case OPT_COLOR:
		*(struct color *)field = v->color;
		break;
	case OPT_THRESHOLDS:
		*(const struct thresholds **)field = v->thresholds;
		break;
	case OPT_INT_PAIR:
		memcpy(field, v->pair, sizeof(v->pair));
		break;
	case OPT_ASSET:
		*(void **)field = v->asset;
		break;
	case OPT_OBJECT_LIST:
		*(struct option_list *)field = (struct option_list){v->items, v->item_count};
		break;
	case OPT_OBJECT:
		*(const struct option_set **)field = v->item_count ? v->items : NULL;
		break;
	case OPT_NESTED:
		break; // OPT_FIELD has no C type for it
	}
}

void options_fill(const struct option_set *set, void *dst)
{
	char *base = dst;
	for (size_t i = 0; i < set->count; i++) {
		const struct option_spec *spec = &set->specs[i];
		if (spec->offset) {
			fill_value(spec, &set->values[i], base + spec->offset - 1);
		}
		if (spec->set_offset) {
			*(bool *)(base + spec->set_offset - 1) = set->values[i].set;
		}
	}
}

const char *option_text(const struct option_set *set, const char *key)
{
	return option_get(set, key)->text;
}

double option_number(const struct option_set *set, const char *key)
{
	return option_get(set, key)->number;
}

bool option_bool(const struct option_set *set, const char *key)
{
	return option_get(set, key)->number != 0;
}

enum state thresholds_state(const struct thresholds *t, double value)
{
	enum state state = STATE_NORMAL;
	bool first = true;
	for (size_t i = 0; t && i < t->count; i++) {
		const struct threshold *step = &t->items[i];
		if (step->categorical) {
			continue;
		}
		if (first || step->from <= value) {
			state = step->state;
		}
		if (step->from > value) {
			break;
		}
		first = false;
	}
	return state;
}

enum state state_against_target(enum state state, double value, double target,
				bool higher_is_better)
{
	bool misses = higher_is_better ? value < target : value > target;
	bool looks_fine = state == STATE_NORMAL || state == STATE_GOOD || state == STATE_MODERATE;
	return misses && looks_fine ? STATE_BAD : state;
}

enum state thresholds_state_text(const struct thresholds *t, const char *text)
{
	for (size_t i = 0; t && text && i < t->count; i++) {
		if (t->items[i].categorical && strcmp(t->items[i].equals, text) == 0) {
			return t->items[i].state;
		}
	}
	return STATE_NORMAL;
}

bool thresholds_categorical(const struct thresholds *t)
{
	for (size_t i = 0; t && i < t->count; i++) {
		if (t->items[i].categorical) {
			return true;
		}
	}
	return false;
}
