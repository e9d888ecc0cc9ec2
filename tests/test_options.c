/*
 * Typed options: options_fill writes each option of a validated set into its OPT_FIELD member
 * (every type, given and defaulted), sets OPT_SET flags, and leaves other bytes alone; every
 * widget's table writes each member at most once.
 */

#include "check.h"

#include "layout/options.h"
#include "widgets/widget.h"

#include <stdlib.h>
#include <string.h>

enum mode { MODE_SLOW, MODE_FAST, MODE_OFF };

static const char *const mode_choices[] = {
	[MODE_SLOW] = "slow", [MODE_FAST] = "fast", [MODE_OFF] = "off", NULL,
};

struct item_opts {
	const char *name;
	int weight;
};

struct all_opts {
	const char *text;
	const char *path;
	double number;
	bool number_set;
	int count;
	bool flag;
	int mode;
	struct color color;
	bool color_set;
	const struct thresholds *steps;
	int pair[2];
	void *asset;
	struct option_list items;
	const struct option_set *object;
	int untouched; // no option writes it
};

static const struct option_spec item_fields[] = {
	{.key = "name", OPT_FIELD(OPT_STRING, struct item_opts, name), .default_text = "?"},
	{.key = "weight", OPT_FIELD(OPT_INT, struct item_opts, weight), .default_number = 1},
	{0},
};

/* The asset is the path it was read from, so the test sees what was loaded. */
static bool load_path(const char *path, void **asset, char *err, size_t err_size)
{
	*asset = strdup(path);
	return true;
}

static const struct option_spec all_fields[] = {
	{.key = "text", OPT_FIELD(OPT_STRING, struct all_opts, text), .default_text = "기본"},
	{.key = "path", OPT_FIELD(OPT_BINDING, struct all_opts, path)},
	{.key = "number", OPT_FIELD(OPT_NUMBER, struct all_opts, number),
	 OPT_SET(struct all_opts, number_set), .default_number = 2.5},
	{.key = "count", OPT_FIELD(OPT_INT, struct all_opts, count), OPT_RANGE(-5, 50),
	 .default_number = -1},
	{.key = "flag", OPT_FIELD(OPT_BOOL, struct all_opts, flag), .default_number = 1},
	{.key = "mode", OPT_FIELD(OPT_ENUM, struct all_opts, mode), .choices = mode_choices,
	 .default_text = "fast"},
	{.key = "color", OPT_FIELD(OPT_COLOR, struct all_opts, color),
	 OPT_SET(struct all_opts, color_set), .default_text = "#336699"},
	{.key = "steps", OPT_FIELD(OPT_THRESHOLDS, struct all_opts, steps)},
	{.key = "pair", OPT_FIELD(OPT_INT_PAIR, struct all_opts, pair), .default_pair = {3, 4}},
	{.key = "asset", OPT_FIELD(OPT_ASSET, struct all_opts, asset), .load = load_path,
	 .unload = free},
	{.key = "items", OPT_FIELD(OPT_OBJECT_LIST, struct all_opts, items), .fields = item_fields},
	{.key = "object", OPT_FIELD(OPT_OBJECT, struct all_opts, object), .fields = item_fields},
	{.key = "nested", .type = OPT_NESTED},
	{0},
};

/* Reads `json` against all_fields into *set; returns the diagnostics' count. */
static size_t read_set(const char *json, struct option_set *set)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct parse_ctx ctx = {.file = "/layouts/t.json", .text = json, .len = strlen(json),
				.diags = &diags};
	cJSON *root = cJSON_Parse(json);
	const struct option_spec *const tables[] = {all_fields};
	options_read(&ctx, root, "", tables, set, 1);
	cJSON_Delete(root);
	size_t count = diags.count;
	for (size_t i = 0; i < diags.count; i++) {
		char *line = diag_format(&diags.items[i]);
		printf("# %s\n", line);
		free(line);
	}
	diag_list_finish(&diags);
	return count;
}

static void fill_every_type_given(void)
{
	const char *json =
		"{\"text\": \"서울\", \"path\": \"air:pm10\", \"number\": 7.25, \"count\": 42,"
		" \"flag\": false, \"mode\": \"off\", \"color\": \"#ff8000\","
		" \"steps\": [{\"from\": 0, \"state\": \"good\"},"
		"           {\"from\": 81, \"state\": \"bad\"}],"
		" \"pair\": [-2, 9], \"asset\": \"maps/gu.json\","
		" \"items\": [{\"name\": \"a\", \"weight\": 5}, {\"name\": \"b\"}],"
		" \"object\": {\"weight\": 7}, \"nested\": {\"anything\": [1]}}";
	struct option_set set = {0};
	CHECK_INT(read_set(json, &set), 0);
	struct all_opts o;
	memset(&o, 0x5a, sizeof(o));
	options_fill(&set, &o);
	CHECK_STR(o.text, "서울");
	CHECK_STR(o.path, "air:pm10");
	CHECK_NEAR(o.number, 7.25, 0);
	CHECK(o.number_set);
	CHECK_INT(o.count, 42);
	CHECK(!o.flag);
	CHECK_INT(o.mode, MODE_OFF);
	CHECK_NEAR(o.color.r, 1, 1e-9);
	CHECK_NEAR(o.color.g, 128 / 255.0, 1e-9);
	CHECK_NEAR(o.color.b, 0, 1e-9);
	CHECK(o.color_set);
	CHECK(o.steps && o.steps->count == 2);
	CHECK_INT(thresholds_state(o.steps, 90), STATE_BAD);
	CHECK_INT(o.pair[0], -2);
	CHECK_INT(o.pair[1], 9);
	CHECK_STR(o.asset, "/layouts/maps/gu.json");
	CHECK_INT(o.items.count, 2);
	struct item_opts items[2];
	for (size_t i = 0; i < o.items.count && i < 2; i++) {
		options_fill(&o.items.items[i], &items[i]);
	}
	CHECK_STR(items[0].name, "a");
	CHECK_INT(items[0].weight, 5);
	CHECK_STR(items[1].name, "b");
	CHECK_INT(items[1].weight, 1);
	CHECK(o.object != NULL);
	struct item_opts object = {0};
	if (o.object) {
		options_fill(o.object, &object);
	}
	CHECK_STR(object.name, "?");
	CHECK_INT(object.weight, 7);
	/* options_fill writes fields, and nothing else. */
	int sentinel;
	memset(&sentinel, 0x5a, sizeof(sentinel));
	CHECK_INT(o.untouched, sentinel);
	/* The pointers are borrowed from the set, not copies. */
	CHECK(o.text == option_text(&set, "text"));
	option_set_finish(&set);
}

static void fill_defaults(void)
{
	struct option_set set = {0};
	CHECK_INT(read_set("{}", &set), 0);
	struct all_opts o;
	memset(&o, 0x5a, sizeof(o));
	options_fill(&set, &o);
	CHECK_STR(o.text, "기본");
	CHECK(o.path == NULL);
	CHECK_NEAR(o.number, 2.5, 0);
	CHECK(!o.number_set);
	CHECK_INT(o.count, -1);
	CHECK(o.flag);
	CHECK_INT(o.mode, MODE_FAST); // the default's index in choices
	CHECK_NEAR(o.color.r, 0x33 / 255.0, 1e-9);
	CHECK_NEAR(o.color.b, 0x99 / 255.0, 1e-9);
	CHECK(!o.color_set);
	CHECK(o.steps == NULL);
	CHECK_INT(o.pair[0], 3);
	CHECK_INT(o.pair[1], 4);
	CHECK(o.asset == NULL);
	CHECK_INT(o.items.count, 0);
	CHECK(o.items.items == NULL);
	CHECK(o.object == NULL);
	option_set_finish(&set);
}

/* A key given with the default's value is still "given": OPT_SET says what the file said. */
static void fill_set_flag_given_as_default(void)
{
	struct option_set set = {0};
	CHECK_INT(read_set("{\"number\": 2.5, \"mode\": \"slow\"}", &set), 0);
	struct all_opts o = {0};
	options_fill(&set, &o);
	CHECK(o.number_set);
	CHECK_NEAR(o.number, 2.5, 0);
	CHECK_INT(o.mode, MODE_SLOW); // index 0: not confused with "unset"
	CHECK(!o.color_set);
	option_set_finish(&set);
}

static bool overlaps(const struct option_spec *a, const struct option_spec *b)
{
	return (a->offset && a->offset == b->offset) ||
	       (a->set_offset && a->set_offset == b->set_offset);
}

/*
 * Every widget's tables: no two options write the same member, a field never comes with
 * OPT_NESTED (which has no C type), and an enum's field has choices to index.
 */
static void widget_tables_write_distinct_fields(void)
{
	size_t fields = 0;
	for (const struct widget_spec *const *w = widget_specs(); *w; w++) {
		const struct option_spec *t = (*w)->options;
		for (size_t i = 0; t[i].key; i++) {
			fields += t[i].offset != 0;
			if (t[i].offset && (t[i].type == OPT_NESTED ||
					    (t[i].type == OPT_ENUM && !t[i].choices))) {
				printf("# %s.%s: a field of no C type\n", (*w)->name, t[i].key);
				CHECK(false);
			}
			for (size_t j = 0; j < i; j++) {
				if (overlaps(&t[i], &t[j])) {
					printf("# %s: %s and %s write one field\n", (*w)->name,
					       t[j].key, t[i].key);
					CHECK(false);
				}
			}
		}
	}
	CHECK(fields > 100); // the widgets read their options through fields
}

static const struct check_case cases[] = {
	{"options_fill: every type, given", fill_every_type_given},
	{"options_fill: every type, defaults", fill_defaults},
	{"options_fill: OPT_SET for a key given with the default's value",
	 fill_set_flag_given_as_default},
	{"widget tables write distinct fields", widget_tables_write_distinct_fields},
};

CHECK_MAIN(cases)
