#ifndef CITYWALL_LAYOUT_THEME_H
#define CITYWALL_LAYOUT_THEME_H

/*
 * A layout's theme: colours, fonts and shapes, as plain data. Parsed and checked with the
 * layout; render/ and widgets/ read it to draw.
 */

#include <stdbool.h>

struct color {
	double r, g, b, a; // straight alpha, 0..1
};

/*
 * The states a value can be in once thresholds are applied. NORMAL is a value without
 * thresholds; NODATA a value that is missing or of the wrong type.
 */
enum state {
	STATE_NORMAL,
	STATE_GOOD,
	STATE_MODERATE,
	STATE_BAD,
	STATE_VERY_BAD,
	STATE_NODATA,
	STATE_COUNT,
};

struct state_colors {
	struct color fill;   // tile background in this state
	struct color accent; // value text, stripe
};

struct theme {
	struct color background;
	struct color tile;
	struct color tile_border;
	struct color text;
	struct color muted;
	struct color accent;
	struct state_colors states[STATE_COUNT];
	char *font;       // owned: fontconfig family for all text
	char *title_font; // owned: family for titles and big numbers
	double corner_radius;
	/* Size factors by role, for distance viewing (1 = the widgets' own proportions). */
	double title_scale; // titles and labels above values
	double value_scale; // big numbers
	double label_scale; // small print: units, changes, dates
};

const char *state_name(enum state state);
/* Parses "good", "moderate", "bad", "very_bad", "normal"; false for anything else. */
bool state_parse(const char *name, enum state *out);

/* Parses "#rgb", "#rrggbb" or "#rrggbbaa". */
bool color_parse(const char *text, struct color *out);

/* The built-in dark theme every layout starts from; the caller owns the strings. */
void theme_init_default(struct theme *theme);
/*
 * Replaces *theme with the built-in theme `name`: "dark" (alias "night"), "light" (alias
 * "day") or "high_contrast". Returns false for other names (theme unchanged).
 */
bool theme_init_builtin(struct theme *theme, const char *name);
/* The built-in theme names, NULL-terminated, for messages. */
extern const char *const theme_builtin_names[];
void theme_finish(struct theme *theme);

#endif
