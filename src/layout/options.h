#ifndef CITYWALL_LAYOUT_OPTIONS_H
#define CITYWALL_LAYOUT_OPTIONS_H

/*
 * Declared options, checked by one generic validator (mpv's options tables, redis'
 * static_configs[]). Every object in a layout file (the root, canvas, grid, theme, each tile)
 * is described by a table of option_spec; widgets declare theirs next to their drawing code.
 * The validator reports unknown keys with a "did you mean", wrong types and out-of-range
 * values, each with its JSON path and line, and fills in defaults, so widgets never see an
 * unchecked value.
 */

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "layout/theme.h"
#include "util/diag.h"

enum option_type {
	OPT_STRING,     // any text
	OPT_NUMBER,     // finite number, optionally ranged
	OPT_INT,        // integer, optionally ranged
	OPT_BOOL,
	OPT_COLOR,      // "#rrggbb"
	OPT_ENUM,       // one of `choices`
	OPT_BINDING,    // a value path into the snapshot
	OPT_THRESHOLDS, // [{"from": n, "state": "good"}, ...] ascending, or {"equals": "좋음", ...};
	                // or the name of a scale ("pm10": layout/scales.h)
	OPT_INT_PAIR,   // [a, b] integers, optionally ranged
	OPT_NESTED,     // an object or array that the caller reads itself
	OPT_ASSET,      // a file named relative to the layout, loaded at layout load by `load`
	OPT_OBJECT_LIST, // [{...}, ...]: each object read against the sub-table `fields`
	OPT_OBJECT,     // {...}: one object read against the sub-table `fields` (option_object)
};

/* OPT_OBJECT_LIST without OPT_RANGE takes 0 to this many objects. */
#define OPTION_LIST_MAX 64

struct option_spec {
	const char *key;            // NULL ends a table
	enum option_type type;
	bool has_range;
	double min, max;            // inclusive, when has_range
	const char *const *choices; // OPT_ENUM: NULL-terminated
	const char *default_text;   // STRING, ENUM, COLOR, BINDING default; NULL: unset
	double default_number;      // NUMBER, INT, BOOL default
	int default_pair[2];        // INT_PAIR default
	bool required;
	const char *help;           // one line, for docs and the schema
	/*
	 * OPT_ASSET: reads the file at `path` (already resolved against the layout's folder) into
	 * a new object in *asset; false with a message in err. Runs when the layout loads, so a
	 * broken asset is a layout error with its line, never a drawing-time surprise.
	 */
	bool (*load)(const char *path, void **asset, char *err, size_t err_size);
	void (*unload)(void *asset);
	/*
	 * OPT_OBJECT_LIST (and OPT_OBJECT): the table every object of the array is read against (the same checks,
	 * defaults and messages as a tile's own keys). OPT_RANGE bounds the number of objects.
	 * Bindings inside the objects are checked for form only: they are not resolved against
	 * sources, so use OPT_STRING for keys that name a member of bound data.
	 */
	const struct option_spec *fields;
	/*
	 * Where options_fill writes the value in a widget's options struct: 1 + the member's
	 * offset, 0 for none. Set only through OPT_FIELD, which also sets `type` and checks the
	 * member's C type against it.
	 */
	size_t offset;
	size_t set_offset; // OPT_SET: 1 + the offset of a bool told whether the key was given
};

#define OPT_RANGE(lo, hi) .has_range = true, .min = (lo), .max = (hi)

/* The objects of an OPT_OBJECT_LIST (borrowed from the option set), as options_fill gives them. */
struct option_list {
	const struct option_set *items; // borrowed; NULL when count is 0
	size_t count;
};

/*
 * The C type options_fill writes for each option type, as a pointer to it (for OPT_FIELD's
 * check). Texts and tables are borrowed from the option set, which the layout owns and which
 * outlives every widget instance. OPT_ENUM is the index of the value in `choices`, so widgets
 * compare with their own enum constants; OPT_OBJECT is the object's set, NULL when unset.
 * OPT_NESTED has none: its caller reads the JSON itself.
 */
#define OPT_CTYPE_PTR_OPT_STRING      const char **
#define OPT_CTYPE_PTR_OPT_BINDING     const char **
#define OPT_CTYPE_PTR_OPT_NUMBER      double *
#define OPT_CTYPE_PTR_OPT_INT         int *
#define OPT_CTYPE_PTR_OPT_BOOL        bool *
#define OPT_CTYPE_PTR_OPT_ENUM        int *
#define OPT_CTYPE_PTR_OPT_COLOR       struct color *
#define OPT_CTYPE_PTR_OPT_THRESHOLDS  const struct thresholds **
#define OPT_CTYPE_PTR_OPT_INT_PAIR    int (*)[2]
#define OPT_CTYPE_PTR_OPT_ASSET       void **
#define OPT_CTYPE_PTR_OPT_OBJECT_LIST struct option_list *
#define OPT_CTYPE_PTR_OPT_OBJECT      const struct option_set **

/*
 * 1 + offsetof(T, m), provided member m of T has C type `ptr`'s target: comparing pointers of
 * distinct types is a warning (an error under -Werror) in both gcc and clang. The comparison
 * sits in sizeof, so it is never evaluated.
 */
#define OPT_OFFSET_CHECKED(ptr, T, m) (1 + offsetof(T, m) + 0 * sizeof((ptr)0 == &((T *)0)->m))

/*
 * An option of type `type` (OPT_STRING, ...) that options_fill writes to member `m` of struct
 * `T`: `{.key = "better", OPT_FIELD(OPT_ENUM, struct kpi_options, better), .choices = ...}`.
 * A member of the wrong C type, or a misspelt one, does not compile.
 */
#define OPT_FIELD(type_, T, m) \
	.type = type_, .offset = OPT_OFFSET_CHECKED(OPT_CTYPE_PTR_##type_, T, m)

/* Also tells bool member `m` of `T` whether the key was given (for "no target" and the like). */
#define OPT_SET(T, m) .set_offset = OPT_OFFSET_CHECKED(bool *, T, m)

/*
 * One step: a numeric range start ("from": the value takes the state of the last step whose
 * `from` it reaches) or a category ("equals": a text value such as the air grade "나쁨" or
 * the congestion level "붐빔" takes this state). A subject's scale adds its own word and
 * colour for the step (TOPIS' "서행" in yellow), drawn instead of the theme's state colour.
 */
struct threshold {
	bool categorical;
	double from;     // numeric steps
	char equals[64]; // categorical steps: the text, NUL-terminated
	enum state state;
	char label[48];  // the word shown beside the colour; "" for none
	bool has_color;
	struct color color; // the subject's own colour for the step, when has_color
};

struct thresholds {
	size_t count;
	struct threshold items[]; // ascending `from`
};

struct option_set;
struct layout_scales;

struct option_value {
	bool set;                      // given in the file; otherwise the default
	double number;                 // NUMBER, INT, BOOL (0 or 1)
	int pair[2];                   // INT_PAIR
	char *text;                    // owned: STRING, ENUM, BINDING, COLOR as written
	struct color color;            // COLOR
	struct thresholds *thresholds; // owned: THRESHOLDS, NULL when unset
	void *asset;                   // owned through spec->unload: ASSET, NULL when unset
	struct option_set *items;      // owned: OBJECT_LIST, one set per object; NULL when unset
	size_t item_count;             // OBJECT_LIST
};

/* The values of one object read against one table; values[i] belongs to specs[i]. */
struct option_set {
	const struct option_spec *specs; // borrowed (static tables)
	struct option_value *values;     // owned
	size_t count;
};

/* Where a document came from, for messages with lines. */
struct parse_ctx {
	const char *file;         // borrowed: name used in messages
	const char *text;         // borrowed: the whole document
	size_t len;
	struct diag_list *diags;  // borrowed: where errors go
	size_t reported;          // diagnostics added through this context
	size_t suppressed;        // diagnostics past PARSE_MAX_DIAGS, only counted
	/* borrowed: a pointer prefix not found in the text is looked for under alias_to instead
	 * (keys a tile took from its template are written in the template). */
	const char *alias_from;
	const char *alias_to;
	/* borrowed: the layout's own named scales, which "thresholds": "NAME" looks up first */
	const struct layout_scales *scales;
};

/*
 * Finding a diagnostic's line scans the document, so an endless list of errors (a file of
 * 5,000 unknown keys) would cost time quadratic in the file's size; past this many only a
 * count is kept.
 */
#define PARSE_MAX_DIAGS 100

void parse_error(struct parse_ctx *ctx, const char *pointer, bool at_key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void parse_warning(struct parse_ctx *ctx, const char *pointer, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "/tiles" + "3" → "/tiles/3", escaping '~' and '/' in the key; the caller owns the result. */
char *pointer_join(const char *base, const char *key);
char *pointer_index(const char *base, size_t index);

size_t option_table_size(const struct option_spec *specs);

/* "a string", "an array", ... for messages; "nothing" for NULL. */
const char *json_type_name(const cJSON *node);

/*
 * Reads `object` (a JSON object at `pointer`) against several tables at once (e.g. the keys all
 * tiles share and a widget's own): each key must belong to one of them. Fills sets[i] for
 * specs_list[i] with defaults first. Reports every problem to ctx; returns false if any.
 */
bool options_read(struct parse_ctx *ctx, const cJSON *object, const char *pointer,
		  const struct option_spec *const *specs_list, struct option_set *sets, size_t nsets);
void option_set_finish(struct option_set *set);
/*
 * Reads an array of threshold steps at `pointer` into a new *out (the caller frees it);
 * false after reporting to ctx. A name is not accepted here: a scale is steps.
 */
bool options_read_steps(struct parse_ctx *ctx, const cJSON *node, const char *pointer,
			struct thresholds **out);
/* The loaded asset of option `key` (borrowed from the set), or NULL. */
void *option_asset(const struct option_set *set, const char *key);

/*
 * The objects of OPT_OBJECT_LIST option `key` (borrowed from the set; NULL with *count 0 when
 * unset); read each like a tile's own set (widgets: options_fill into a struct per object).
 */
const struct option_set *option_items(const struct option_set *set, const char *key,
				      size_t *count);

/*
 * Look-ups by key, for the layout's own parsing. Widgets read fields filled by options_fill
 * instead, once at create; nothing that draws looks a key up.
 * The value for `key` (which must be in the table: asking for another is a bug and aborts).
 */
const struct option_value *option_get(const struct option_set *set, const char *key);
/* The object of OPT_OBJECT option `key` (borrowed from the set), or NULL when unset. */
const struct option_set *option_object(const struct option_set *set, const char *key);

/*
 * Writes every option of `set` (validated, defaults filled in) that has an OPT_FIELD into the
 * struct at `dst`, and each OPT_SET flag; other bytes of `dst` are left alone. Pointers written
 * are borrowed from `set`. Call it once when a widget instance is made, so that drawing reads
 * fields instead of looking keys up.
 */
void options_fill(const struct option_set *set, void *dst);

const char *option_text(const struct option_set *set, const char *key);
double option_number(const struct option_set *set, const char *key);
bool option_bool(const struct option_set *set, const char *key);

/*
 * The state a number falls in under `t`: that of the last numeric step whose `from` is <=
 * value (a value below every step takes the first step's state). NORMAL without numeric steps.
 */
enum state thresholds_state(const struct thresholds *t, double value);
/*
 * `state` held against a target: a value that misses it (below it when higher is better,
 * above it otherwise) is at best BAD, whatever the thresholds said — a rate under its target
 * is never drawn in a good-looking colour. Other states pass through.
 */
enum state state_against_target(enum state state, double value, double target,
				bool higher_is_better);
/* The state of the categorical step equal to `text`; NORMAL when none is. */
enum state thresholds_state_text(const struct thresholds *t, const char *text);
/* Whether `t` has categorical steps (then text values are meaningful). */
bool thresholds_categorical(const struct thresholds *t);

#endif
