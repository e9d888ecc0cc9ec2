#include "layout/theme.h"

#include "util/strutil.h"
#include "util/xmalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const state_names[STATE_COUNT] = {
	[STATE_NORMAL] = "normal",
	[STATE_GOOD] = "good",
	[STATE_MODERATE] = "moderate",
	[STATE_BAD] = "bad",
	[STATE_VERY_BAD] = "very_bad",
	[STATE_NODATA] = "nodata",
};

const char *state_name(enum state state)
{
	return state < STATE_COUNT ? state_names[state] : "?";
}

bool state_parse(const char *name, enum state *out)
{
	/* "nodata" is the board's own verdict on a value, not something thresholds may assign. */
	for (int i = 0; i < STATE_NODATA; i++) {
		if (strcmp(name, state_names[i]) == 0) {
			*out = (enum state)i;
			return true;
		}
	}
	return false;
}

bool color_parse(const char *text, struct color *out)
{
	if (!text || text[0] != '#') {
		return false;
	}
	size_t len = strlen(text + 1);
	int v[8];
	for (size_t i = 0; i < len && i < 8; i++) {
		if ((v[i] = hex_digit_value((unsigned char)text[1 + i])) < 0) {
			return false;
		}
	}
	switch (len) {
	case 3:
		*out = (struct color){v[0] * 17 / 255.0, v[1] * 17 / 255.0, v[2] * 17 / 255.0, 1};
		return true;
	case 6:
	case 8:
		*out = (struct color){
			(v[0] * 16 + v[1]) / 255.0,
			(v[2] * 16 + v[3]) / 255.0,
			(v[4] * 16 + v[5]) / 255.0,
			len == 8 ? (v[6] * 16 + v[7]) / 255.0 : 1,
		};
		return true;
	default:
		return false;
	}
}

static struct color rgb(unsigned hexcode)
{
	return (struct color){
		((hexcode >> 16) & 0xff) / 255.0,
		((hexcode >> 8) & 0xff) / 255.0,
		(hexcode & 0xff) / 255.0,
		1,
	};
}

const char *const theme_builtin_names[] = {"dark", "night", "light", "day", "high_contrast",
					   NULL};

static void set_states(struct theme *theme, const unsigned fills[STATE_COUNT],
		       const unsigned accents[STATE_COUNT])
{
	for (int i = 0; i < STATE_COUNT; i++) {
		theme->states[i] = (struct state_colors){rgb(fills[i]), rgb(accents[i])};
	}
}

void theme_init_default(struct theme *theme)
{
	/*
	 * A dark wall: light text on deep blue. The state accents are the Okabe-Ito colours
	 * (sky blue good, bluish green moderate, orange bad, vermillion very bad), chosen to stay
	 * apart under the common colour-vision deficiencies; the stripe, the grade words and the
	 * numbers carry the state too, so colour is never the only cue.
	 */
	*theme = (struct theme){
		.background = rgb(0x070b14),
		.tile = rgb(0x111a2b),
		.tile_border = rgb(0x1e2a40),
		.text = rgb(0xeef3fb),
		.muted = rgb(0x8b9ab3),
		.accent = rgb(0x56b4e9),
		.corner_radius = 10,
		.font = xstrdup("NanumGothic"),
		.title_font = xstrdup("NanumSquare"),
		.title_scale = 1,
		.value_scale = 1,
		.label_scale = 1,
	};
	static const unsigned fills[STATE_COUNT] = {0x111a2b, 0x0c2a42, 0x0b3329,
						    0x3d2a05, 0x45170c, 0x1a1d24};
	static const unsigned accents[STATE_COUNT] = {0xeef3fb, 0x56b4e9, 0x22c08f,
						      0xe69f00, 0xff6a3d, 0x7d8596};
	set_states(theme, fills, accents);
}

static void init_light(struct theme *theme)
{
	theme_init_default(theme);
	theme->background = rgb(0xeef1f6);
	theme->tile = rgb(0xffffff);
	theme->tile_border = rgb(0xd3dae5);
	theme->text = rgb(0x172033);
	theme->muted = rgb(0x5a6980);
	theme->accent = rgb(0x0072b2);
	static const unsigned fills[STATE_COUNT] = {0xffffff, 0xe1f0fb, 0xddf3ea,
						    0xfdf0d5, 0xfde4da, 0xeceef2};
	static const unsigned accents[STATE_COUNT] = {0x172033, 0x0072b2, 0x007a58,
						      0xa86a00, 0xc4420b, 0x7d8596};
	set_states(theme, fills, accents);
}

static void init_high_contrast(struct theme *theme)
{
	/* For reading across a hall: black, white, saturated accents, bigger print. */
	theme_init_default(theme);
	theme->background = rgb(0x000000);
	theme->tile = rgb(0x000000);
	theme->tile_border = rgb(0xffffff);
	theme->text = rgb(0xffffff);
	theme->muted = rgb(0xe0e0e0);
	theme->accent = rgb(0xffd400);
	theme->corner_radius = 4;
	theme->title_scale = 1.15;
	theme->value_scale = 1.1;
	theme->label_scale = 1.2;
	static const unsigned fills[STATE_COUNT] = {0x000000, 0x002a4d, 0x00331f,
						    0x3d2e00, 0x4d0f00, 0x1a1a1a};
	static const unsigned accents[STATE_COUNT] = {0xffffff, 0x7cc8ff, 0x3df0a8,
						      0xffd400, 0xff7a50, 0xbdbdbd};
	set_states(theme, fills, accents);
}

bool theme_init_builtin(struct theme *theme, const char *name)
{
	struct theme next;
	if (strcmp(name, "dark") == 0 || strcmp(name, "night") == 0) {
		theme_init_default(&next);
	} else if (strcmp(name, "light") == 0 || strcmp(name, "day") == 0) {
		init_light(&next);
	} else if (strcmp(name, "high_contrast") == 0) {
		init_high_contrast(&next);
	} else {
		return false;
	}
	theme_finish(theme);
	*theme = next;
	return true;
}

void theme_finish(struct theme *theme)
{
	free(theme->font);
	free(theme->title_font);
	theme->font = theme->title_font = NULL;
}
