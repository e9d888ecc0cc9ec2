#include "layout/scales.h"

#include "util/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The built-in scales. Numbers and words are the city's and the ministry's (sources in
 * docs/layouts.md, "Scales"); where the source names a colour but no hex value, the hex is
 * ours, picked so that the steps stay apart in lightness under the common colour-vision
 * deficiencies (the green leans blue, the red leans orange), and the word is always drawn
 * beside the colour.
 */
#define TOPIS_GREEN 0x14b37d
#define TOPIS_YELLOW 0xf2c21b
#define TOPIS_RED 0xe8412c
#define AIR_BLUE 0x3b8cf0
#define AIR_GREEN 0x14b37d
#define AIR_YELLOW 0xf2c21b
#define AIR_RED 0xe8412c

struct builtin_step {
	double from;        // numeric steps
	const char *equals; // categorical steps; NULL for numeric
	enum state state;
	const char *label;
	unsigned rgb;
};

struct builtin_scale {
	const char *name;
	struct builtin_step steps[8]; // ends at the first step without a label
};

#define AIR_NUMERIC(a, b, c)                                                                     \
	{                                                                                        \
		{0, NULL, STATE_GOOD, "좋음", AIR_BLUE},                                        \
		{a, NULL, STATE_MODERATE, "보통", AIR_GREEN},                                   \
		{b, NULL, STATE_BAD, "나쁨", AIR_YELLOW},                                       \
		{c, NULL, STATE_VERY_BAD, "매우나쁨", AIR_RED},                                 \
	}

static const struct builtin_scale builtins[] = {
	/* TOPIS, arterial roads (일반도로), km/h: red ≤ 15, yellow 15–25, green ≥ 25 (2016). */
	{"topis_road",
	 {
		 {0, NULL, STATE_BAD, "정체", TOPIS_RED},
		 {15, NULL, STATE_MODERATE, "서행", TOPIS_YELLOW},
		 {25, NULL, STATE_GOOD, "원활", TOPIS_GREEN},
	 }},
	/* TOPIS, urban expressways (도시고속도로), km/h: red ≤ 30, yellow 30–50, green ≥ 50. */
	{"topis_expressway",
	 {
		 {0, NULL, STATE_BAD, "정체", TOPIS_RED},
		 {30, NULL, STATE_MODERATE, "서행", TOPIS_YELLOW},
		 {50, NULL, STATE_GOOD, "원활", TOPIS_GREEN},
	 }},
	/* The words citydata sends as ROAD_TRAFFIC_IDX and TOPIS as IDX. */
	{"topis_idx",
	 {
		 {0, "원활", STATE_GOOD, "원활", TOPIS_GREEN},
		 {0, "서행", STATE_MODERATE, "서행", TOPIS_YELLOW},
		 {0, "정체", STATE_BAD, "정체", TOPIS_RED},
	 }},
	/* Korea's fine-dust grades (µg/m³, since 27 March 2018) and the CAI's index bands. */
	{"pm10", AIR_NUMERIC(31, 81, 151)},
	{"pm25", AIR_NUMERIC(16, 36, 76)},
	{"cai", AIR_NUMERIC(51, 101, 251)},
	/* The grade words of AirKorea and citydata (PM10_INDEX, AIR_IDX, IDEX_NM). */
	{"air_grade",
	 {
		 {0, "좋음", STATE_GOOD, "좋음", AIR_BLUE},
		 {0, "보통", STATE_MODERATE, "보통", AIR_GREEN},
		 {0, "나쁨", STATE_BAD, "나쁨", AIR_YELLOW},
		 {0, "매우나쁨", STATE_VERY_BAD, "매우나쁨", AIR_RED},
		 {0, "매우 나쁨", STATE_VERY_BAD, "매우 나쁨", AIR_RED},
	 }},
	/* citydata's AREA_CONGEST_LVL in the colours the service itself sends. */
	{"congestion",
	 {
		 {0, "여유", STATE_GOOD, "여유", 0x00d369},
		 {0, "보통", STATE_MODERATE, "보통", 0xffb100},
		 {0, "약간 붐빔", STATE_BAD, "약간 붐빔", 0xff8040},
		 {0, "붐빔", STATE_VERY_BAD, "붐빔", 0xdd1f3d},
	 }},
};

#define BUILTIN_COUNT (sizeof(builtins) / sizeof(builtins[0]))

const char *const scales_builtin_names[] = {
	"topis_road", "topis_expressway", "topis_idx", "pm10", "pm25", "cai", "air_grade",
	"congestion", NULL,
};

static struct color rgb(unsigned hexcode)
{
	return (struct color){((hexcode >> 16) & 0xff) / 255.0, ((hexcode >> 8) & 0xff) / 255.0,
			      (hexcode & 0xff) / 255.0, 1};
}

static struct thresholds *builtin_copy(const struct builtin_scale *b)
{
	size_t n = 0;
	while (n < sizeof(b->steps) / sizeof(b->steps[0]) && b->steps[n].label) {
		n++;
	}
	struct thresholds *t = xcalloc(1, sizeof(*t) + n * sizeof(t->items[0]));
	t->count = n;
	for (size_t i = 0; i < n; i++) {
		const struct builtin_step *s = &b->steps[i];
		struct threshold *step = &t->items[i];
		step->categorical = s->equals != NULL;
		step->from = s->from;
		snprintf(step->equals, sizeof(step->equals), "%s", s->equals ? s->equals : "");
		step->state = s->state;
		snprintf(step->label, sizeof(step->label), "%s", s->label);
		step->has_color = true;
		step->color = rgb(s->rgb);
	}
	return t;
}

static struct thresholds *thresholds_copy(const struct thresholds *t)
{
	size_t size = sizeof(*t) + t->count * sizeof(t->items[0]);
	struct thresholds *copy = xmalloc(size);
	memcpy(copy, t, size);
	return copy;
}

struct thresholds *scales_lookup(const struct layout_scales *layout, const char *name)
{
	for (size_t i = 0; layout && i < layout->count; i++) {
		if (strcmp(layout->names[i], name) == 0) {
			return thresholds_copy(layout->steps[i]);
		}
	}
	for (size_t i = 0; i < BUILTIN_COUNT; i++) {
		if (strcmp(builtins[i].name, name) == 0) {
			return builtin_copy(&builtins[i]);
		}
	}
	return NULL;
}

static char *append_name(char *list, const char *name)
{
	char *next = xasprintf("%s%s\"%s\"", list, list[0] ? ", " : "", name);
	free(list);
	return next;
}

char *scales_names(const struct layout_scales *layout)
{
	char *list = xstrdup("");
	for (size_t i = 0; layout && i < layout->count; i++) {
		list = append_name(list, layout->names[i]);
	}
	for (size_t i = 0; i < BUILTIN_COUNT; i++) {
		bool shadowed = false;
		for (size_t k = 0; layout && k < layout->count; k++) {
			shadowed |= strcmp(layout->names[k], builtins[i].name) == 0;
		}
		if (!shadowed) {
			list = append_name(list, builtins[i].name);
		}
	}
	return list;
}

bool scales_read(struct parse_ctx *ctx, const cJSON *node, struct layout_scales *out)
{
	*out = (struct layout_scales){0};
	if (!node) {
		return true;
	}
	if (!cJSON_IsObject(node)) {
		parse_error(ctx, "/scales", false, "must be an object of names to steps");
		return false;
	}
	size_t n = (size_t)cJSON_GetArraySize(node);
	out->names = xcalloc(n ? n : 1, sizeof(*out->names));
	out->steps = xcalloc(n ? n : 1, sizeof(*out->steps));
	bool ok = true;
	for (const cJSON *item = node->child; item; item = item->next) {
		char *p = pointer_join("/scales", item->string);
		struct thresholds *t = NULL;
		if (options_read_steps(ctx, item, p, &t)) {
			out->names[out->count] = xstrdup(item->string);
			out->steps[out->count++] = t;
		} else {
			ok = false;
		}
		free(p);
	}
	return ok;
}

void scales_finish(struct layout_scales *scales)
{
	for (size_t i = 0; i < scales->count; i++) {
		free(scales->names[i]);
		free(scales->steps[i]);
	}
	free(scales->names);
	free(scales->steps);
	*scales = (struct layout_scales){0};
}

static struct color mix(struct color a, struct color b, double t)
{
	return (struct color){a.r * t + b.r * (1 - t), a.g * t + b.g * (1 - t),
			      a.b * t + b.b * (1 - t), 1};
}

struct scale_look scale_look(const struct theme *theme, const struct threshold *step,
			     enum state state)
{
	state = state < STATE_COUNT ? state : STATE_NODATA;
	struct scale_look look = {
		.state = state,
		.fill = theme->states[state].fill,
		.accent = theme->states[state].accent,
		.label = "",
	};
	if (!step || step->state != state) {
		return look;
	}
	if (step->has_color) {
		/* The card is tinted as the theme's state fills are: a fifth of the colour. */
		look.accent = step->color;
		look.fill = mix(step->color, theme->tile, 0.2);
	}
	look.label = step->label;
	return look;
}

const struct threshold *thresholds_step(const struct thresholds *t, double value)
{
	const struct threshold *found = NULL;
	for (size_t i = 0; t && i < t->count; i++) {
		const struct threshold *step = &t->items[i];
		if (step->categorical) {
			continue;
		}
		if (!found || step->from <= value) {
			found = step;
		}
		if (step->from > value) {
			break;
		}
	}
	return found;
}

const struct threshold *thresholds_step_text(const struct thresholds *t, const char *text)
{
	for (size_t i = 0; t && text && i < t->count; i++) {
		if (t->items[i].categorical && strcmp(t->items[i].equals, text) == 0) {
			return &t->items[i];
		}
	}
	return NULL;
}
