/*
 * The JSON Schema of layout files, built from the option tables (layout/tables.c and each
 * widget's table) that the validator reads files against. Draft-07: VS Code's JSON language
 * service and Debian's python3-jsonschema both implement it fully (if/then included).
 *
 * The tables say what type each key has; what they cannot say is the shape of OPT_NESTED
 * keys, which their parsers (layout_parse.c, sources_parse.c, tiles_parse.c) read by hand:
 * nested_rules below describes those, one line per key. A nested key it does not know, and an
 * option type this file does not know yet, become {} (anything), so that a new table entry
 * never breaks the build, only leaves that key to `citywall --check`.
 */

#include "layout/schema.h"

#include "layout/tables.h"
#include "util/xmalloc.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIALECT "http://json-schema.org/draft-07/schema#"

/* color_parse(): '#' and 3, 6 or 8 hex digits. */
#define COLOR_PATTERN "^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$"
/*
 * path_check(): an optional leading '/', then non-empty segments. Loose on purpose: a
 * "source:" prefix is part of the first segment, and whether the source exists is the
 * validator's business.
 */
#define BINDING_PATTERN "^/?[^/]+(/[^/]+)*$"
/* source_name_valid(). */
#define SOURCE_NAME_PATTERN "^[A-Za-z0-9_-]{1,64}$"
/*
 * read_headers(): names without ':', space, CR or LF; values without CR or LF. Written as
 * "must not contain" because a Python "$" also matches before a final newline.
 */
#define HEADER_NAME_FORBIDDEN "[: \\r\\n]"
#define HEADER_VALUE_FORBIDDEN "[\\r\\n]"

static cJSON *object_schema(const struct option_spec *table, const char *help,
			    bool zero_defaults);

static cJSON *typed(const char *type)
{
	cJSON *s = cJSON_CreateObject();
	cJSON_AddStringToObject(s, "type", type);
	return s;
}

static cJSON *ref(const char *definition)
{
	char *target = xasprintf("#/definitions/%s", definition);
	cJSON *s = cJSON_CreateObject();
	cJSON_AddStringToObject(s, "$ref", target);
	free(target);
	return s;
}

/* Draft-07 ignores the siblings of "$ref", so a reference that gets notes moves into allOf. */
static cJSON *annotatable(cJSON *s)
{
	if (!cJSON_GetObjectItemCaseSensitive(s, "$ref")) {
		return s;
	}
	cJSON *outer = cJSON_CreateObject();
	cJSON_AddItemToArray(cJSON_AddArrayToObject(outer, "allOf"), s);
	return outer;
}

static cJSON *anything(const char *why)
{
	cJSON *s = cJSON_CreateObject();
	cJSON_AddStringToObject(s, "$comment", why);
	return s;
}

static cJSON *strings(const char *const *items)
{
	cJSON *list = cJSON_CreateArray();
	for (size_t i = 0; items && items[i]; i++) {
		cJSON_AddItemToArray(list, cJSON_CreateString(items[i]));
	}
	return list;
}

static void add_range(cJSON *s, const struct option_spec *spec)
{
	if (spec->has_range) {
		cJSON_AddNumberToObject(s, "minimum", spec->min);
		cJSON_AddNumberToObject(s, "maximum", spec->max);
	}
}

/* `message`: what VS Code says instead of quoting the pattern (its "patternErrorMessage"). */
static cJSON *patterned(const char *pattern, const char *message)
{
	cJSON *s = typed("string");
	cJSON_AddStringToObject(s, "pattern", pattern);
	cJSON_AddStringToObject(s, "patternErrorMessage", message);
	return s;
}

/* A number, or "${name}": a number of the layout's "params" (tiles_parse.c). */
static cJSON *or_param(cJSON *number)
{
	cJSON *s = cJSON_CreateObject();
	cJSON *any = cJSON_AddArrayToObject(s, "anyOf");
	cJSON_AddItemToArray(any, number);
	cJSON_AddItemToArray(any, ref("param"));
	return s;
}

static cJSON *pair_schema(const struct option_spec *spec)
{
	cJSON *s = typed("array");
	cJSON *item = typed("integer");
	add_range(item, spec);
	cJSON_AddItemToObject(s, "items", item);
	cJSON_AddNumberToObject(s, "minItems", 2);
	cJSON_AddNumberToObject(s, "maxItems", 2);
	return s;
}

static cJSON *steps_schema(void)
{
	cJSON *s = typed("array");
	cJSON_AddItemToObject(s, "items", ref("thresholdStep"));
	cJSON_AddNumberToObject(s, "minItems", 1);
	return s;
}

/* Steps, or the name of a scale (the layout's "scales" or a built-in one). */
static cJSON *thresholds_schema(void)
{
	cJSON *s = cJSON_CreateObject();
	cJSON *any = cJSON_AddArrayToObject(s, "anyOf");
	cJSON_AddItemToArray(any, steps_schema());
	cJSON *name = typed("string");
	cJSON_AddStringToObject(name, "description",
				"a scale's name: one of the layout's \"scales\" or a built-in "
				"one (pm10, pm25, cai, air_grade, topis_road, topis_expressway, "
				"topis_idx, congestion); citywall --check knows which exist");
	cJSON_AddItemToArray(any, name);
	return s;
}

/* ---- OPT_NESTED keys: their shapes as the parsers read them ---- */

static cJSON *source_or_url_schema(void)
{
	cJSON *s = cJSON_CreateObject();
	cJSON *any = cJSON_AddArrayToObject(s, "anyOf");
	cJSON_AddItemToArray(any, typed("string"));
	cJSON_AddItemToArray(any, ref("source"));
	return s;
}

/* An object of names to `definition`s, the names matching `pattern` (NULL: any). */
static cJSON *named(const char *pattern, cJSON *definition)
{
	cJSON *s = typed("object");
	if (pattern) {
		cJSON_AddStringToObject(cJSON_AddObjectToObject(s, "propertyNames"), "pattern",
					pattern);
	}
	cJSON_AddItemToObject(s, "additionalProperties", definition);
	return s;
}

static cJSON *sources_schema(void)
{
	cJSON *s = named(SOURCE_NAME_PATTERN, ref("source"));
	cJSON *names = cJSON_GetObjectItemCaseSensitive(s, "propertyNames");
	cJSON_AddStringToObject(names, "patternErrorMessage",
				"a source name: 1 to 64 letters, digits, '_' or '-'");
	/* "default" is the name of the "feed" key's source. */
	cJSON_AddStringToObject(cJSON_AddObjectToObject(names, "not"), "const", "default");
	return s;
}

static cJSON *forbidding(const char *type, const char *pattern)
{
	cJSON *s = type ? typed(type) : cJSON_CreateObject();
	cJSON_AddStringToObject(cJSON_AddObjectToObject(s, "not"), "pattern", pattern);
	return s;
}

static cJSON *headers_schema(void)
{
	cJSON *s = typed("object");
	cJSON_AddItemToObject(s, "propertyNames", forbidding(NULL, HEADER_NAME_FORBIDDEN));
	cJSON_AddItemToObject(s, "additionalProperties",
			      forbidding("string", HEADER_VALUE_FORBIDDEN));
	return s;
}

/* read_timestamp(): a value path, or {"path", "format", "timezone"}. */
static cJSON *timestamp_schema(void)
{
	cJSON *s = cJSON_CreateObject();
	cJSON *any = cJSON_AddArrayToObject(s, "anyOf");
	cJSON *path = typed("string");
	cJSON_AddStringToObject(path, "pattern", BINDING_PATTERN);
	cJSON_AddItemToArray(any, path);
	cJSON_AddItemToArray(any, object_schema(layout_timestamp_options, NULL, true));
	return s;
}

static cJSON *array_of(cJSON *items)
{
	cJSON *s = typed("array");
	cJSON_AddItemToObject(s, "items", items);
	return s;
}

static cJSON *strings_schema(void)
{
	return array_of(typed("string"));
}

static cJSON *canvas_schema(void)
{
	return object_schema(layout_canvas_options, NULL, true);
}

static cJSON *screen_schema(void)
{
	return object_schema(layout_screen_options, NULL, true);
}

static cJSON *grid_schema(void)
{
	return object_schema(layout_grid_options, NULL, true);
}

static cJSON *group_grid_schema(void)
{
	return object_schema(layout_group_grid_options, NULL, true);
}

static cJSON *theme_scale_schema(void)
{
	return object_schema(layout_theme_scale_options, NULL, true);
}

/* A theme is named (built-in or from "themes") or written out. */
static cJSON *theme_or_name_schema(void)
{
	cJSON *s = cJSON_CreateObject();
	cJSON *any = cJSON_AddArrayToObject(s, "anyOf");
	cJSON_AddItemToArray(any, typed("string"));
	cJSON_AddItemToArray(any, ref("theme"));
	return s;
}

static cJSON *themes_schema(void)
{
	return named(NULL, ref("theme"));
}

static cJSON *scales_schema(void)
{
	return named(NULL, steps_schema());
}

/*
 * Template values may hold "${param}" in any string, so a template is checked only after
 * substitution, by citywall --check; here it is any object.
 */
static cJSON *templates_schema(void)
{
	return named(NULL, typed("object"));
}

/* substitute(): a parameter is text or a number. */
static cJSON *with_schema(void)
{
	cJSON *value = cJSON_CreateObject();
	const char *types[] = {"string", "number"};
	cJSON_AddItemToObject(value, "type", cJSON_CreateStringArray(types, 2));
	return named(NULL, value);
}

static cJSON *states_schema(void)
{
	return object_schema(layout_states_options, NULL, false);
}

static cJSON *state_colors_schema(void)
{
	return ref("stateColors");
}

static cJSON *tiles_schema(void)
{
	return array_of(ref("tile"));
}

static cJSON *pages_schema(void)
{
	cJSON *s = array_of(object_schema(layout_page_options, NULL, true));
	cJSON_AddNumberToObject(s, "minItems", 1);
	return s;
}

/* react.c: "emergency" an object; "schedule" a list of entries, a page's also one entry. */
static cJSON *emergency_schema(void)
{
	return object_schema(layout_emergency_options, NULL, true);
}

static cJSON *schedule_schema(void)
{
	return array_of(object_schema(layout_schedule_options, NULL, true));
}

static cJSON *page_schedule_schema(void)
{
	cJSON *s = cJSON_CreateObject();
	cJSON *any = cJSON_AddArrayToObject(s, "anyOf");
	cJSON_AddItemToArray(any, object_schema(layout_schedule_options, NULL, true));
	cJSON_AddItemToArray(any, schedule_schema());
	return s;
}

/* sources_parse.c read_history(): a duration or a count of readings. */
static cJSON *history_schema(void)
{
	cJSON *s = cJSON_CreateObject();
	cJSON *any = cJSON_AddArrayToObject(s, "anyOf");
	cJSON_AddItemToArray(any, patterned("^([0-9]+(\\.[0-9]+)?|\\.[0-9]+)[smhd]$",
					    "a duration: \"24h\", \"30m\", \"90s\", \"7d\""));
	cJSON *count = typed("integer");
	cJSON_AddNumberToObject(count, "minimum", 2);
	cJSON_AddNumberToObject(count, "maximum", HISTORY_MAX_POINTS);
	cJSON_AddItemToArray(any, count);
	return s;
}

/* derive_read.c: names to definitions; "times" maps names to a field or [date, time]. */
static cJSON *derive_schema(void)
{
	cJSON *s = named(SOURCE_NAME_PATTERN, ref("derive"));
	cJSON *names = cJSON_GetObjectItemCaseSensitive(s, "propertyNames");
	const char *reserved[] = {"records", "rejected"};
	cJSON_AddItemToObject(cJSON_AddObjectToObject(names, "not"), "enum",
			      cJSON_CreateStringArray(reserved, 2));
	return s;
}

static cJSON *derive_params_schema(void)
{
	return with_schema();
}

static cJSON *derive_times_schema(void)
{
	cJSON *one = cJSON_CreateObject();
	cJSON *any = cJSON_AddArrayToObject(one, "anyOf");
	cJSON_AddItemToArray(any, typed("string"));
	cJSON *pair = array_of(typed("string"));
	cJSON_AddNumberToObject(pair, "minItems", 2);
	cJSON_AddNumberToObject(pair, "maxItems", 2);
	cJSON_AddItemToArray(any, pair);
	return named(NULL, one);
}

static cJSON *derive_fields_schema(void)
{
	cJSON *list = array_of(typed("string"));
	cJSON_AddNumberToObject(list, "minItems", 1);
	cJSON_AddNumberToObject(list, "maxItems", 32);
	return list;
}

struct nested_rule {
	const struct option_spec *table; // borrowed: the table declaring the key; NULL: a widget's
	const char *widget;              // with table NULL: the widget whose table declares it
	const char *key;                 // NULL: every OPT_NESTED key of the table
	cJSON *(*build)(void);
};

static const struct nested_rule nested_rules[] = {
	{layout_root_options, NULL, "feed", source_or_url_schema},
	{layout_root_options, NULL, "sources", sources_schema},      // name → source
	{layout_root_options, NULL, "canvas", canvas_schema},
	{layout_root_options, NULL, "grid", grid_schema},
	{layout_root_options, NULL, "theme", theme_or_name_schema},
	{layout_root_options, NULL, "themes", themes_schema},        // name → theme
	{layout_root_options, NULL, "scales", scales_schema},        // name → steps
	{layout_root_options, NULL, "templates", templates_schema},  // name → partial tile
	{layout_root_options, NULL, "include", strings_schema},      // file names
	{layout_root_options, NULL, "tiles", tiles_schema},
	{layout_root_options, NULL, "pages", pages_schema},
	{layout_page_options, NULL, "tiles", tiles_schema},
	{layout_grid_options, NULL, "areas", strings_schema},        // one string per row
	{layout_group_grid_options, NULL, "areas", strings_schema},
	{layout_theme_options, NULL, "states", states_schema},       // one object per state
	{layout_theme_options, NULL, "scale", theme_scale_schema},
	{layout_states_options, NULL, NULL, state_colors_schema},    // fill and accent
	{layout_tile_options, NULL, "with", with_schema},            // template parameters
	{layout_source_options, NULL, "headers", headers_schema},    // header name → value
	{layout_source_options, NULL, "timestamp", timestamp_schema}, // path or {path, format}
	{layout_source_options, NULL, "history", history_schema},    // a duration or a count
	{layout_root_options, NULL, "derive", derive_schema},        // name → derived value
	{layout_derive_options, NULL, "params", derive_params_schema},
	{layout_derive_options, NULL, "times", derive_times_schema},
	{layout_root_options, NULL, "emergency", emergency_schema},
	{layout_root_options, NULL, "schedule", schedule_schema},
	{layout_page_options, NULL, "schedule", page_schedule_schema},
	{layout_derive_options, NULL, "fields", derive_fields_schema},
	{layout_root_options, NULL, "params", derive_params_schema},
	{layout_root_options, NULL, "screen", screen_schema},
	{NULL, "group", "grid", group_grid_schema},                  // tiles_parse.c read_group()
	{NULL, "group", "tiles", tiles_schema},
};

/* `widget`: the widget whose table `table` is, or NULL for the layout's own tables. */
static cJSON *nested_schema(const struct option_spec *table, const char *widget,
			    const char *key)
{
	for (size_t i = 0; i < sizeof(nested_rules) / sizeof(nested_rules[0]); i++) {
		const struct nested_rule *rule = &nested_rules[i];
		bool owner = rule->table ? rule->table == table
					 : widget && strcmp(rule->widget, widget) == 0;
		if (owner && (!rule->key || strcmp(rule->key, key) == 0)) {
			return rule->build();
		}
	}
	return anything("read by its own code, which the schema generator does not describe "
			"yet: anything passes here; citywall --check validates it");
}

/* ---- One option ---- */

/* Where a table belongs, for the nested rules. */
struct owner {
	const struct option_spec *table; // borrowed
	const char *widget;              // borrowed: the widget's name, NULL for layout tables
	bool zero_defaults;              // the table's zero numbers are real defaults
};

static void fill_object(cJSON *s, const struct owner *owner);

/* OPT_OBJECT_LIST: an array of objects, each with exactly the keys of `fields`. */
static cJSON *object_list_schema(const struct option_spec *spec, const char *widget)
{
	struct owner fields = {spec->fields, widget, true};
	cJSON *item = cJSON_CreateObject();
	fill_object(item, &fields);
	cJSON *s = array_of(item);
	cJSON_AddNumberToObject(s, "minItems", spec->has_range ? spec->min : 0);
	cJSON_AddNumberToObject(s, "maxItems", spec->has_range ? spec->max : OPTION_LIST_MAX);
	return s;
}

static cJSON *option_schema(const struct owner *owner, const struct option_spec *spec)
{
	cJSON *s;
	switch (spec->type) {
	case OPT_STRING:
	case OPT_ASSET:
		return typed("string");
	case OPT_NUMBER:
	case OPT_INT:
		s = typed(spec->type == OPT_INT ? "integer" : "number");
		add_range(s, spec);
		return or_param(s);
	case OPT_BOOL:
		return typed("boolean");
	case OPT_COLOR:
		return patterned(COLOR_PATTERN, "a colour: \"#rgb\", \"#rrggbb\" or \"#rrggbbaa\"");
	case OPT_ENUM:
		s = typed("string");
		cJSON_AddItemToObject(s, "enum", strings(spec->choices));
		return s;
	case OPT_BINDING:
		return patterned(BINDING_PATTERN,
				 "a value path such as \"air/city/pm10\" or \"air:/city/pm10\"");
	case OPT_THRESHOLDS:
		return thresholds_schema();
	case OPT_INT_PAIR:
		return pair_schema(spec);
	case OPT_NESTED:
		return nested_schema(owner->table, owner->widget, spec->key);
	case OPT_OBJECT_LIST:
		return object_list_schema(spec, owner->widget);
	case OPT_OBJECT:
		s = cJSON_CreateObject(); // fill_object says "type": "object"
		fill_object(s, &(struct owner){spec->fields, owner->widget, true});
		return s;
	default:
		/* A type added to options.h after this file: never a build break, only a gap. */
		break;
	}
	char *why = xasprintf("option type %d is not described by the schema generator yet: "
			      "anything passes here; citywall --check validates it",
			      (int)spec->type);
	s = anything(why);
	free(why);
	return s;
}

static bool in_range(const struct option_spec *spec, double v)
{
	return !spec->has_range || (v >= spec->min && v <= spec->max);
}

/* [0, 0] is also what a pair without a default looks like (a "cell" placed by "area"). */
static cJSON *pair_default(const struct option_spec *spec)
{
	const int *pair = spec->default_pair;
	bool zero = pair[0] == 0 && pair[1] == 0;
	return !zero && in_range(spec, pair[0]) && in_range(spec, pair[1])
		       ? cJSON_CreateIntArray(pair, 2)
		       : NULL;
}

/* The default the validator fills in, or NULL. Numbers have no "unset" marker. */
static cJSON *default_value(const struct option_spec *spec, bool zero_defaults)
{
	if (spec->required) {
		return NULL;
	}
	switch (spec->type) {
	case OPT_STRING:
	case OPT_COLOR:
	case OPT_ENUM:
	case OPT_BINDING:
	case OPT_ASSET:
		return spec->default_text ? cJSON_CreateString(spec->default_text) : NULL;
	case OPT_BOOL:
		return zero_defaults ? cJSON_CreateBool(spec->default_number != 0) : NULL;
	case OPT_NUMBER:
	case OPT_INT:
		return zero_defaults && in_range(spec, spec->default_number)
			       ? cJSON_CreateNumber(spec->default_number)
			       : NULL;
	case OPT_INT_PAIR:
		return zero_defaults ? pair_default(spec) : NULL;
	default:
		return NULL;
	}
}

static cJSON *described_option(const struct owner *owner, const struct option_spec *spec)
{
	cJSON *s = option_schema(owner, spec);
	cJSON *def = default_value(spec, owner->zero_defaults);
	if (spec->help || def) {
		s = annotatable(s);
	}
	if (spec->help) {
		cJSON_AddStringToObject(s, "description", spec->help);
	}
	if (def) {
		cJSON_AddItemToObject(s, "default", def);
	}
	return s;
}

/* ---- Objects ---- */

static void add_properties(cJSON *props, cJSON *required, const struct owner *owner)
{
	for (size_t i = 0; owner->table && owner->table[i].key; i++) {
		const struct option_spec *spec = &owner->table[i];
		if (cJSON_GetObjectItemCaseSensitive(props, spec->key)) {
			continue; /* as in options_read(), the first table declaring a key has it */
		}
		cJSON_AddItemToObject(props, spec->key, described_option(owner, spec));
		if (spec->required) {
			cJSON_AddItemToArray(required, cJSON_CreateString(spec->key));
		}
	}
}

static bool has_key(const struct option_spec *table, const char *key)
{
	for (size_t i = 0; table[i].key; i++) {
		if (strcmp(table[i].key, key) == 0) {
			return true;
		}
	}
	return false;
}

/*
 * Adds "required" (taking `required`), nothing when it is empty. A tile made from a template
 * gets its missing keys from the template, so on tiles the list holds only without one.
 */
static void add_required(cJSON *s, cJSON *required, bool unless_template)
{
	if (cJSON_GetArraySize(required) == 0) {
		cJSON_Delete(required);
		return;
	}
	if (!unless_template) {
		cJSON_AddItemToObject(s, "required", required);
		return;
	}
	const char *template[] = {"template"};
	cJSON_AddItemToObject(cJSON_AddObjectToObject(s, "if"), "required",
			      cJSON_CreateStringArray(template, 1));
	cJSON_AddItemToObject(cJSON_AddObjectToObject(s, "else"), "required", required);
}

/* Adds the keys of an object whose keys are exactly those of the owner's table. */
static void fill_object(cJSON *s, const struct owner *owner)
{
	cJSON_AddStringToObject(s, "type", "object");
	cJSON *props = cJSON_AddObjectToObject(s, "properties");
	cJSON *required = cJSON_CreateArray();
	add_properties(props, required, owner);
	add_required(s, required, false);
	cJSON_AddFalseToObject(s, "additionalProperties");
}

static cJSON *object_schema(const struct option_spec *table, const char *help,
			    bool zero_defaults)
{
	cJSON *s = cJSON_CreateObject();
	if (help) {
		cJSON_AddStringToObject(s, "description", help);
	}
	struct owner owner = {table, NULL, zero_defaults};
	fill_object(s, &owner);
	return s;
}

/* ---- Tiles: the keys all tiles have, and per widget (chosen by "widget") its own ---- */

static bool templated_tiles(void)
{
	return has_key(layout_tile_options, "template");
}

static char *widget_definition_name(const struct widget_spec *widget)
{
	return xasprintf("widget-%s", widget->name);
}

/* A tile of one widget: its own keys, plus the common ones (checked by "tile") allowed. */
static cJSON *widget_definition(const struct widget_spec *widget)
{
	cJSON *s = cJSON_CreateObject();
	if (widget->help) {
		cJSON_AddStringToObject(s, "description", widget->help);
	}
	cJSON_AddStringToObject(s, "type", "object");
	cJSON *props = cJSON_AddObjectToObject(s, "properties");
	for (size_t i = 0; layout_tile_options[i].key; i++) {
		cJSON_AddTrueToObject(props, layout_tile_options[i].key);
	}
	cJSON *required = cJSON_CreateArray();
	struct owner owner = {widget->options, widget->name, true};
	add_properties(props, required, &owner);
	add_required(s, required, templated_tiles());
	cJSON_AddFalseToObject(s, "additionalProperties");
	return s;
}

static cJSON *widget_case(const struct widget_spec *widget)
{
	cJSON *when = cJSON_CreateObject();
	cJSON *is = cJSON_AddObjectToObject(cJSON_AddObjectToObject(when, "properties"), "widget");
	cJSON_AddStringToObject(is, "const", widget->name);
	const char *key[] = {"widget"};
	cJSON_AddItemToObject(when, "required", cJSON_CreateStringArray(key, 1));
	cJSON *c = cJSON_CreateObject();
	cJSON_AddItemToObject(c, "if", when);
	char *name = widget_definition_name(widget);
	cJSON_AddItemToObject(c, "then", ref(name));
	free(name);
	return c;
}

/* The "widget" key: one of the known names, each with its help for completion lists. */
static void add_widget_choices(cJSON *widget_key, const struct widget_spec *const *widgets)
{
	cJSON *names = cJSON_CreateArray();
	cJSON *helps = cJSON_CreateArray();
	for (size_t i = 0; widgets[i]; i++) {
		const char *help = widgets[i]->help ? widgets[i]->help : "";
		cJSON_AddItemToArray(names, cJSON_CreateString(widgets[i]->name));
		cJSON_AddItemToArray(helps, cJSON_CreateString(help));
	}
	cJSON_AddItemToObject(widget_key, "enum", names);
	cJSON_AddItemToObject(widget_key, "enumDescriptions", helps); // VS Code's extension
}

/*
 * Unknown keys are flagged by the widget's definition, which knows all its keys; a tile whose
 * widget comes from a template is left open (its keys depend on the template).
 */
static cJSON *tile_schema(const struct widget_spec *const *widgets)
{
	cJSON *s = cJSON_CreateObject();
	cJSON_AddStringToObject(s, "description", "one widget placed on the grid");
	cJSON_AddStringToObject(s, "type", "object");
	cJSON *props = cJSON_AddObjectToObject(s, "properties");
	cJSON *required = cJSON_CreateArray();
	struct owner owner = {layout_tile_options, NULL, true};
	add_properties(props, required, &owner);
	cJSON *widget_key = cJSON_GetObjectItemCaseSensitive(props, "widget");
	if (widget_key) {
		add_widget_choices(widget_key, widgets);
	}
	cJSON *cases = cJSON_AddArrayToObject(s, "allOf");
	cJSON *own = cJSON_CreateObject();
	add_required(own, required, templated_tiles());
	cJSON_AddItemToArray(cases, own);
	for (size_t i = 0; widgets[i]; i++) {
		cJSON_AddItemToArray(cases, widget_case(widgets[i]));
	}
	return s;
}

/* ---- Threshold steps ---- */

static cJSON *step_variant(const char *key, const char *type, const char *help)
{
	cJSON *s = typed("object");
	cJSON *props = cJSON_AddObjectToObject(s, "properties");
	cJSON *bound = typed(type);
	cJSON_AddStringToObject(bound, "description", help);
	bound = strcmp(type, "number") == 0 ? or_param(bound) : bound;
	cJSON_AddItemToObject(props, key, bound);
	cJSON_AddItemToObject(props, "state", ref("state"));
	cJSON *label = typed("string");
	cJSON_AddStringToObject(label, "description", "the word drawn beside the colour (\"서행\")");
	cJSON_AddItemToObject(props, "label", label);
	cJSON_AddItemToObject(props, "color",
			      patterned(COLOR_PATTERN, "the subject's own colour for this step, "
						       "instead of the theme's state colour"));
	const char *required[] = {key, "state"};
	cJSON_AddItemToObject(s, "required", cJSON_CreateStringArray(required, 2));
	cJSON_AddFalseToObject(s, "additionalProperties");
	return s;
}

/* Numeric steps ({"from"}), and categorical ones ({"equals"}) for text values. */
static cJSON *threshold_step_schema(void)
{
	cJSON *s = cJSON_CreateObject();
	cJSON_AddStringToObject(s, "description",
				"one step; numeric steps must ascend by \"from\" "
				"(checked by citywall --check)");
	cJSON *any = cJSON_AddArrayToObject(s, "anyOf");
	cJSON_AddItemToArray(any, step_variant("from", "number",
					       "values from this one up to the next step's"));
	cJSON_AddItemToArray(any, step_variant("equals", "string",
					       "a category: values equal to this text"));
	return s;
}

/* The states a step may name: those state_parse() accepts, every state but NODATA. */
static cJSON *state_schema(void)
{
	cJSON *s = typed("string");
	cJSON *names = cJSON_AddArrayToObject(s, "enum");
	for (int i = 0; i < STATE_NODATA; i++) {
		cJSON_AddItemToArray(names, cJSON_CreateString(state_name((enum state)i)));
	}
	return s;
}

/* ---- The whole document ---- */

static cJSON *definitions(const struct widget_spec *const *widgets)
{
	cJSON *defs = cJSON_CreateObject();
	cJSON_AddItemToObject(defs, "source",
			      object_schema(layout_source_options, "where snapshots come from",
					    true));
	/* Theme keys left out keep the base theme, so their zero "defaults" are no defaults. */
	cJSON_AddItemToObject(defs, "theme",
			      object_schema(layout_theme_options, "colours, fonts and sizes",
					    false));
	cJSON_AddItemToObject(defs, "stateColors",
			      object_schema(layout_state_color_options,
					    "the card's background and the value's colour in a "
					    "state",
					    false));
	cJSON_AddItemToObject(defs, "derive",
			      object_schema(layout_derive_options,
					    "a value computed from a source's records "
					    "(docs/derive.md)", true));
	cJSON_AddItemToObject(defs, "state", state_schema());
	cJSON_AddItemToObject(defs, "param",
			      patterned("^\\$\\{[^}]+\\}$",
					"a number, or \"${name}\" of the layout's \"params\""));
	cJSON_AddItemToObject(defs, "thresholdStep", threshold_step_schema());
	cJSON_AddItemToObject(defs, "tile", tile_schema(widgets));
	for (size_t i = 0; widgets[i]; i++) {
		char *name = widget_definition_name(widgets[i]);
		cJSON_AddItemToObject(defs, name, widget_definition(widgets[i]));
		free(name);
	}
	return defs;
}

/* tiles_read(): a layout has "tiles", "pages" or both. */
static void add_tiles_or_pages(cJSON *root)
{
	if (!has_key(layout_root_options, "pages")) {
		return;
	}
	cJSON *any = cJSON_AddArrayToObject(root, "anyOf");
	const char *keys[] = {"tiles", "pages"};
	for (size_t i = 0; i < 2; i++) {
		cJSON *one = cJSON_CreateObject();
		cJSON_AddItemToObject(one, "required", cJSON_CreateStringArray(&keys[i], 1));
		cJSON_AddItemToArray(any, one);
	}
}

static cJSON *layout_schema(const struct widget_spec *const *widgets)
{
	cJSON *root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "$schema", DIALECT);
	cJSON_AddStringToObject(root, "$comment",
				"Generated from citywall's option tables by tools/gen-schema; do "
				"not edit: regenerate (docs/widgets/schema.md).");
	cJSON_AddStringToObject(root, "title", "citywall layout");
	cJSON_AddStringToObject(root, "description",
				"A video-wall layout: canvas, grid, theme, sources and tiles "
				"(docs/layouts.md).");
	struct owner owner = {layout_root_options, NULL, true};
	fill_object(root, &owner);
	add_tiles_or_pages(root);
	cJSON_AddItemToObject(root, "definitions", definitions(widgets));
	return root;
}

/* ---- Printing: two-space indents, short lists of plain values on one line ---- */

struct out {
	char *text; // owned
	size_t len, cap;
};

static void put(struct out *o, const char *s)
{
	size_t n = strlen(s);
	if (o->len + n + 1 > o->cap) {
		o->cap = (o->len + n + 1) * 2;
		o->text = xrealloc(o->text, o->cap);
	}
	memcpy(o->text + o->len, s, n + 1);
	o->len += n;
}

/* A scalar as JSON text: cJSON's own escaping and number format. */
static void put_scalar(struct out *o, const cJSON *node)
{
	char *text = cJSON_PrintUnformatted(node);
	if (!text) {
		fprintf(stderr, "citywall: out of memory printing the schema\n");
		abort();
	}
	put(o, text);
	free(text);
}

static void put_key(struct out *o, const char *key)
{
	cJSON *s = cJSON_CreateString(key);
	put_scalar(o, s);
	cJSON_Delete(s);
	put(o, ": ");
}

static bool is_container(const cJSON *node)
{
	return cJSON_IsArray(node) || cJSON_IsObject(node);
}

static bool flat_list(const cJSON *node)
{
	for (const cJSON *c = node->child; c; c = c->next) {
		if (is_container(c)) {
			return false;
		}
	}
	return cJSON_IsArray(node);
}

static void put_node(struct out *o, const cJSON *node, int depth)
{
	if (!is_container(node)) {
		put_scalar(o, node);
		return;
	}
	bool object = cJSON_IsObject(node);
	if (!node->child || flat_list(node)) {
		put(o, object ? "{" : "[");
		for (const cJSON *c = node->child; c; c = c->next) {
			put_scalar(o, c);
			put(o, c->next ? ", " : "");
		}
		put(o, object ? "}" : "]");
		return;
	}
	put(o, object ? "{\n" : "[\n");
	for (const cJSON *c = node->child; c; c = c->next) {
		for (int i = 0; i <= depth; i++) {
			put(o, "  ");
		}
		if (object) {
			put_key(o, c->string);
		}
		put_node(o, c, depth + 1);
		put(o, c->next ? ",\n" : "\n");
	}
	for (int i = 0; i < depth; i++) {
		put(o, "  ");
	}
	put(o, object ? "}" : "]");
}

char *layout_schema_json(const struct widget_spec *const *widgets)
{
	cJSON *root = layout_schema(widgets);
	struct out o = {0};
	put_node(&o, root, 0);
	put(&o, "\n");
	cJSON_Delete(root);
	return o.text;
}
