#ifndef CITYWALL_LAYOUT_SCALES_H
#define CITYWALL_LAYOUT_SCALES_H

/*
 * Named state scales: the steps of one subject (TOPIS road speeds, Korea's PM10 grades, ...)
 * with the subject's own words and colours, so that every widget showing it — kpi, bar, map,
 * legend, gauge, table — draws one state in one colour with one word. A widget's
 * "thresholds" may name one: the layout's root "scales" first, then the built-in ones here
 * (docs/layouts.md lists them with their sources).
 */

#include <stddef.h>

#include "layout/options.h"
#include "layout/theme.h"

/* The layout's own scales, read once from its root "scales"; parse_ctx borrows them. */
struct layout_scales {
	size_t count;
	char **names;                  // owned
	struct thresholds **steps;     // owned, one per name
};

/*
 * Reads `node` (the root "scales" object, or NULL) into *out, reporting each bad scale under
 * /scales/NAME; returns false if any was bad (the good ones are kept).
 */
bool scales_read(struct parse_ctx *ctx, const cJSON *node, struct layout_scales *out);
void scales_finish(struct layout_scales *scales);

/*
 * A copy of the scale `name` (the caller owns it): the layout's own when `layout` has one of
 * that name, else the built-in one; NULL when neither has.
 */
struct thresholds *scales_lookup(const struct layout_scales *layout, const char *name);

/* "\"cai\", \"pm10\", ...": every name scales_lookup knows, for messages; the caller frees. */
char *scales_names(const struct layout_scales *layout);

/* The built-in scale names, NULL-terminated (for docs and the schema). */
extern const char *const scales_builtin_names[];

/*
 * How a judged value looks: its state, and the step's own colour and word where the value's
 * state is the step's (a rate held against its target may have been marked down from the
 * step's "good" to "bad": then it takes the theme's "bad", never the step's green).
 */
struct scale_look {
	enum state state;
	struct color fill;   // tile background
	struct color accent; // value, stripe, bar, district
	const char *label;   // borrowed from the step: the word beside the colour; "" for none
};

struct scale_look scale_look(const struct theme *theme, const struct threshold *step,
			     enum state state);

/* The step a number falls in (as thresholds_state judges it), or NULL without numeric steps. */
const struct threshold *thresholds_step(const struct thresholds *t, double value);
/* The categorical step equal to `text`, or NULL. */
const struct threshold *thresholds_step_text(const struct thresholds *t, const char *text);

#endif
