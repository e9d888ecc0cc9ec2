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

void theme_init_default(struct theme *theme)
{
	/*
	 * A dark wall: light text on deep blue. State accents follow the order Korean air-quality
	 * boards use (blue good, green moderate, amber bad, red very bad), which also differs in
	 * lightness step by step, so the order survives red-green colour blindness.
	 */
	*theme = (struct theme){
		.background = rgb(0x070b14),
		.tile = rgb(0x111a2b),
		.tile_border = rgb(0x1e2a40),
		.text = rgb(0xeef3fb),
		.muted = rgb(0x8b9ab3),
		.accent = rgb(0x4cc3ff),
		.corner_radius = 10,
		.font = xstrdup("NanumGothic"),
		.title_font = xstrdup("NanumSquare"),
	};
	theme->states[STATE_NORMAL] = (struct state_colors){rgb(0x111a2b), rgb(0xeef3fb)};
	theme->states[STATE_GOOD] = (struct state_colors){rgb(0x0e2747), rgb(0x4ea8ff)};
	theme->states[STATE_MODERATE] = (struct state_colors){rgb(0x0d3326), rgb(0x3fd08f)};
	theme->states[STATE_BAD] = (struct state_colors){rgb(0x3f2c08), rgb(0xffb52e)};
	theme->states[STATE_VERY_BAD] = (struct state_colors){rgb(0x4a1216), rgb(0xff5a5a)};
	theme->states[STATE_NODATA] = (struct state_colors){rgb(0x1a1d24), rgb(0x7d8596)};
}

void theme_finish(struct theme *theme)
{
	free(theme->font);
	free(theme->title_font);
	theme->font = theme->title_font = NULL;
}
