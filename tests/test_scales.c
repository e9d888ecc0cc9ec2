/*
 * Named scales on a real board: one state of one scale is one colour in every widget — the
 * kpi's stripe and value, the bar, the map's district and its legend swatch — and it is the
 * scale's own colour (TOPIS' yellow for 서행), not the theme's. A rate under its target is
 * never drawn in its step's good-looking colour.
 */

#include "check.h"

#include "compose/board.h"
#include "feed/snapshot_parse.h"
#include "layout/layout.h"
#include "layout/scales.h"
#include "util/xmalloc.h"
#include "widgets/widget.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 1795564800.0 /* 2026-11-25T09:00:00+09:00 */

struct rig {
	struct layout *layout;
	struct text_engine *text;
	struct board *board;
	cairo_surface_t *frame;
};

static bool rig_open(struct rig *r, const char *text)
{
	memset(r, 0, sizeof(*r));
	struct diag_list diags;
	diag_list_init(&diags);
	r->layout = layout_parse(text, strlen(text), "scales.json", widget_specs(), &diags);
	for (size_t i = 0; i < diags.count; i++) {
		char *line = diag_format(&diags.items[i]);
		printf("# layout: %s\n", line);
		free(line);
	}
	diag_list_finish(&diags);
	char err[256];
	r->text = text_engine_create(NULL, 0, err, sizeof(err));
	if (!r->layout || !r->text) {
		return false;
	}
	r->board = board_create(r->layout, r->text);
	int w = (int)r->layout->width, h = (int)r->layout->height;
	r->frame = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	board_set_viewport(r->board, w, h);
	return true;
}

static void rig_close(struct rig *r)
{
	if (r->frame) {
		cairo_surface_destroy(r->frame);
	}
	board_destroy(r->board);
	text_engine_destroy(r->text);
	layout_destroy(r->layout);
}

static void rig_show(struct rig *r, const char *json)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct snapshot *s = snapshot_parse(json, strlen(json), "test", "default", "generated_at",
					    T0, &diags);
	diag_list_finish(&diags);
	CHECK(s != NULL);
	board_set_snapshot(r->board, 0, s, T0);
	snapshot_unref(s);
	size_t n;
	board_invalidate_all(r->board);
	board_draw(r->board, r->frame, T0, &n);
	cairo_surface_flush(r->frame);
}

static uint32_t rgb_of(struct color c)
{
	return (uint32_t)lround(c.r * 255) << 16 | (uint32_t)lround(c.g * 255) << 8 |
	       (uint32_t)lround(c.b * 255);
}

static uint32_t pixel(const struct rig *r, int x, int y)
{
	const unsigned char *data = cairo_image_surface_get_data(r->frame);
	int stride = cairo_image_surface_get_stride(r->frame);
	return ((const uint32_t *)(data + (size_t)y * (size_t)stride))[x] & 0xffffff;
}

/* Pixels of exactly `color` inside tile `id`. */
static size_t count_in_tile(const struct rig *r, const char *id, uint32_t color)
{
	const struct rect *t = &layout_find_tile(r->layout, id)->rect;
	size_t n = 0;
	for (int y = (int)t->y; y < (int)(t->y + t->h); y++) {
		for (int x = (int)t->x; x < (int)(t->x + t->w); x++) {
			n += pixel(r, x, y) == color;
		}
	}
	return n;
}

/* The colour of scale `name`'s step that `value` falls in. */
static uint32_t step_color(const char *name, double value)
{
	struct thresholds *t = scales_lookup(NULL, name);
	const struct threshold *step = thresholds_step(t, value);
	uint32_t c = step && step->has_color ? rgb_of(step->color) : 0;
	free(t);
	return c;
}

static const char *const topis_board =
	"{\"canvas\": {\"width\": 1600, \"height\": 500},\n"
	" \"grid\": {\"columns\": 4, \"rows\": 1, \"gap\": 10, \"margin\": 10},\n"
	" \"tiles\": [\n"
	"  {\"id\": \"kpi\", \"widget\": \"kpi\", \"cell\": [0, 0], \"title\": \"도심 통행속도\",\n"
	"   \"value\": \"roads/city\", \"unit\": \"km/h\", \"thresholds\": \"topis_road\"},\n"
	"  {\"id\": \"bar\", \"widget\": \"bar\", \"cell\": [1, 0], \"title\": \"간선도로\",\n"
	"   \"value\": \"roads/links\", \"unit\": \"km/h\", \"thresholds\": \"topis_road\"},\n"
	"  {\"id\": \"map\", \"widget\": \"map\", \"cell\": [2, 0], \"span\": [2, 1],\n"
	"   \"values\": \"roads/districts\", \"value_field\": \"speed\", \"labels\": \"none\",\n"
	"   \"thresholds\": \"topis_road\"}]}";

static const char *const topis_data =
	"{\"generated_at\": \"2026-11-25T09:00:00+09:00\", \"roads\": {\"city\": 23.4,\n"
	" \"links\": [{\"name\": \"강변북로\", \"value\": 23.4}, {\"name\": \"종로\", \"value\": 10},\n"
	"           {\"name\": \"올림픽대로\", \"value\": 40}],\n"
	" \"districts\": {\"11110\": {\"speed\": 23.4}}}}";

/* 23.4 km/h is TOPIS' 서행: the same yellow in the kpi, the bar, the map and its legend. */
static void one_state_one_colour_across_widgets(void)
{
	struct rig r;
	CHECK(rig_open(&r, topis_board));
	if (!r.board) {
		rig_close(&r);
		return;
	}
	rig_show(&r, topis_data);
	uint32_t yellow = step_color("topis_road", 23.4);
	uint32_t red = step_color("topis_road", 10);
	uint32_t green = step_color("topis_road", 40);
	CHECK(yellow && red && green && yellow != red && red != green);
	/* The kpi's stripe along its top edge. */
	const struct rect *k = &layout_find_tile(r.layout, "kpi")->rect;
	CHECK_INT(pixel(&r, (int)(k->x + k->w / 2), (int)k->y + 3), yellow);
	CHECK(count_in_tile(&r, "kpi", yellow) > 200);
	/* Each bar in its step's colour. */
	CHECK(count_in_tile(&r, "bar", yellow) > 200);
	CHECK(count_in_tile(&r, "bar", red) > 200);
	CHECK(count_in_tile(&r, "bar", green) > 200);
	/* Only 종로 has a speed: yellow; red and green come from the legend's swatches alone. */
	CHECK(count_in_tile(&r, "map", yellow) > 200);
	CHECK(count_in_tile(&r, "map", red) > 20);
	CHECK(count_in_tile(&r, "map", green) > 20);
	/* The theme's state colours are drawn nowhere: the scale's replace them. */
	const struct theme *theme = &r.layout->theme;
	const char *ids[] = {"kpi", "bar", "map"};
	for (size_t i = 0; i < 3; i++) {
		for (int s = STATE_GOOD; s <= STATE_VERY_BAD; s++) {
			size_t n = count_in_tile(&r, ids[i], rgb_of(theme->states[s].accent));
			if (n) {
				printf("# %s draws the theme's %s accent (%zu pixels)\n", ids[i],
				       state_name((enum state)s), n);
			}
			CHECK_INT(n, 0);
		}
	}
	rig_close(&r);
}

/* 88.9 % under a 90 % target: the theme's "bad", never the step's green "양호". */
static void under_target_is_never_the_steps_good_colour(void)
{
	struct rig r;
	CHECK(rig_open(&r,
		       "{\"canvas\": {\"width\": 400, \"height\": 300},\n"
		       " \"grid\": {\"columns\": 1, \"rows\": 1, \"gap\": 0, \"margin\": 0},\n"
		       " \"scales\": {\"rate\": [{\"from\": 0, \"state\": \"bad\", \"label\": \"미흡\"},\n"
		       "   {\"from\": 80, \"state\": \"good\", \"label\": \"양호\",\n"
		       "    \"color\": \"#00ff00\"}]},\n"
		       " \"tiles\": [{\"id\": \"k\", \"widget\": \"kpi\", \"cell\": [0, 0],\n"
		       "   \"title\": \"골든타임 도착률\", \"value\": \"rate\", \"unit\": \"%\",\n"
		       "   \"target\": 90, \"thresholds\": \"rate\"}]}"));
	if (!r.board) {
		rig_close(&r);
		return;
	}
	rig_show(&r, "{\"generated_at\": \"2026-11-25T09:00:00+09:00\", \"rate\": 88.9}");
	const struct rect *k = &layout_find_tile(r.layout, "k")->rect;
	CHECK_INT(pixel(&r, (int)(k->x + k->w / 2), (int)k->y + 3),
		  rgb_of(r.layout->theme.states[STATE_BAD].accent));
	CHECK_INT(count_in_tile(&r, "k", 0x00ff00), 0);
	/* Over the target it is the step's own green. */
	rig_show(&r, "{\"generated_at\": \"2026-11-25T09:00:00+09:00\", \"rate\": 91.2}");
	CHECK_INT(pixel(&r, (int)(k->x + k->w / 2), (int)k->y + 3), 0x00ff00);
	rig_close(&r);
}

static const struct check_case cases[] = {
	{"one state, one colour across kpi, bar, map and legend",
	 one_state_one_colour_across_widgets},
	{"under target is never the step's good colour",
	 under_target_is_never_the_steps_good_colour},
};

int main(void)
{
	return check_run(cases, sizeof(cases) / sizeof(cases[0]));
}
