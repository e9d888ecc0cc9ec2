/* Layout files: valid ones parse into the right tree; broken ones give exact messages. */

#include "check.h"

#include "layout/bind.h"
#include "layout/layout.h"
#include "layout/scales.h"
#include "layout/template.h"
#include "widgets/widget.h"

#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Parses `text` as "t.json"; returns every diagnostic, one per line (caller frees). */
static char *parse_messages(const char *text, struct layout **out)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct layout *layout = layout_parse(text, strlen(text), "t.json", widget_specs(), &diags);
	size_t cap = 1, len = 0;
	char *all = calloc(1, 1);
	for (size_t i = 0; i < diags.count; i++) {
		char *line = diag_format(&diags.items[i]);
		cap += strlen(line) + 1;
		all = realloc(all, cap);
		len += (size_t)sprintf(all + len, "%s%s", i ? "\n" : "", line);
		free(line);
	}
	diag_list_finish(&diags);
	if (out) {
		*out = layout;
	} else {
		layout_destroy(layout);
	}
	return all;
}

static const char *valid =
	"{\n"
	"  \"title\": \"서울\",\n"
	"  \"feed\": \"snap.json\",\n"
	"  \"canvas\": {\"width\": 1000, \"height\": 500},\n"
	"  \"grid\": {\"columns\": 4, \"rows\": 2, \"gap\": 10, \"margin\": 20},\n"
	"  \"theme\": {\"background\": \"#102030\", \"font\": \"NanumGothic\",\n"
	"            \"states\": {\"bad\": {\"fill\": \"#400000\"}}},\n"
	"  \"tiles\": [\n"
	"    {\"id\": \"pm10\", \"widget\": \"kpi\", \"cell\": [0, 0], \"span\": [2, 1],\n"
	"     \"title\": \"미세먼지\", \"value\": \"air/pm10\", \"unit\": \"㎍/㎥\",\n"
	"     \"thresholds\": [{\"from\": 0, \"state\": \"good\"}, {\"from\": 81, \"state\": \"bad\"}]},\n"
	"    {\"widget\": \"clock\", \"cell\": [3, 1]}\n"
	"  ]\n"
	"}\n";

static void valid_layout(void)
{
	struct layout *layout;
	char *messages = parse_messages(valid, &layout);
	CHECK_STR(messages, "");
	free(messages);
	CHECK(layout != NULL);
	if (!layout) {
		return;
	}
	CHECK_STR(layout->title, "서울");
	CHECK_STR(layout->sources[0].url, "snap.json");
	CHECK_STR(layout->sources[0].name, "default");
	CHECK_STR(layout->timezone, "Asia/Seoul");
	CHECK_NEAR(layout->width, 1000, 0);
	CHECK_INT(layout->grid.columns, 4);
	CHECK_INT(layout->tile_count, 2);
	const struct tile *pm10 = layout_find_tile(layout, "pm10");
	CHECK(pm10 != NULL);
	/* cell width (1000 - 40 - 30) / 4 = 232.5; height (500 - 40 - 10) / 2 = 225 */
	CHECK_NEAR(pm10->rect.x, 20, 1e-9);
	CHECK_NEAR(pm10->rect.y, 20, 1e-9);
	CHECK_NEAR(pm10->rect.w, 475, 1e-9);
	CHECK_NEAR(pm10->rect.h, 225, 1e-9);
	CHECK_STR(option_text(&pm10->options, "unit"), "㎍/㎥");
	CHECK_INT(option_number(&pm10->options, "decimals"), -1); /* default */
	const struct thresholds *t = option_get(&pm10->options, "thresholds")->thresholds;
	CHECK(t && t->count == 2);
	CHECK_INT(thresholds_state(t, 80.9), STATE_GOOD);
	CHECK_INT(thresholds_state(t, 81), STATE_BAD);
	CHECK_INT(thresholds_state(t, -5), STATE_GOOD);
	const struct tile *clock = layout_find_tile(layout, "tile-1");
	CHECK(clock != NULL);
	CHECK_NEAR(clock->rect.x, 20 + 3 * 242.5, 1e-9);
	CHECK_STR(option_text(&clock->options, "timezone"), "Asia/Seoul");
	CHECK_NEAR(layout->theme.background.b, 0x30 / 255.0, 1e-9);
	CHECK_NEAR(layout->theme.states[STATE_BAD].fill.r, 0x40 / 255.0, 1e-9);
	layout_destroy(layout);
}

static void categorical_thresholds(void)
{
	const char *text =
		"{\"tiles\": [{\"id\": \"g\", \"widget\": \"kpi\", \"cell\": [0, 0], \"title\": \"x\",\n"
		" \"value\": \"grade\", \"thresholds\": [{\"equals\": \"좋음\", \"state\": \"good\"},\n"
		"  {\"equals\": \"보통\", \"state\": \"moderate\"}, {\"equals\": \"나쁨\", \"state\": \"bad\"},\n"
		"  {\"equals\": \"매우나쁨\", \"state\": \"very_bad\"}, {\"from\": 0, \"state\": \"good\"},\n"
		"  {\"from\": 81, \"state\": \"bad\"}]}]}";
	struct layout *layout;
	char *messages = parse_messages(text, &layout);
	CHECK_STR(messages, "");
	free(messages);
	if (!layout) {
		return;
	}
	const struct thresholds *t =
		option_get(&layout_find_tile(layout, "g")->options, "thresholds")->thresholds;
	CHECK(thresholds_categorical(t));
	CHECK_INT(thresholds_state_text(t, "나쁨"), STATE_BAD);
	CHECK_INT(thresholds_state_text(t, "매우나쁨"), STATE_VERY_BAD);
	CHECK_INT(thresholds_state_text(t, "점검중"), STATE_NORMAL);
	CHECK_INT(thresholds_state(t, 90), STATE_BAD);
	CHECK_INT(thresholds_state(t, 10), STATE_GOOD);
	layout_destroy(layout);
}

/* A tile's "thresholds" may name a scale: the layout's own first, then a built-in one. */
static void named_scales(void)
{
	const char *text =
		"{\"scales\": {\"pm10\": [{\"from\": 0, \"state\": \"good\", \"label\": \"맑음\"},\n"
		"   {\"from\": 50, \"state\": \"bad\", \"label\": \"탁함\", \"color\": \"#ff0000\"}]},\n"
		" \"tiles\": [{\"id\": \"a\", \"widget\": \"kpi\", \"cell\": [0, 0], \"title\": \"x\",\n"
		"   \"value\": \"v\", \"thresholds\": \"pm10\"},\n"
		"  {\"id\": \"b\", \"widget\": \"bar\", \"cell\": [1, 0],\n"
		"   \"value\": \"roads\", \"thresholds\": \"topis_road\"},\n"
		"  {\"id\": \"c\", \"widget\": \"kpi\", \"cell\": [2, 0], \"title\": \"x\",\n"
		"   \"value\": \"v\", \"thresholds\": \"topis_idx\"}]}";
	struct layout *layout;
	char *messages = parse_messages(text, &layout);
	CHECK_STR(messages, "");
	free(messages);
	if (!layout) {
		return;
	}
	/* The layout's "pm10" shadows the built-in one: its steps, words and colour. */
	const struct thresholds *own =
		option_get(&layout_find_tile(layout, "a")->options, "thresholds")->thresholds;
	CHECK(own && own->count == 2);
	const struct threshold *step = thresholds_step(own, 60);
	CHECK(step && step->state == STATE_BAD && strcmp(step->label, "탁함") == 0);
	CHECK(step && step->has_color && step->color.r == 1 && step->color.g == 0);
	step = thresholds_step(own, 10);
	CHECK(step && strcmp(step->label, "맑음") == 0 && !step->has_color);
	/* The built-in TOPIS arterial scale: 23.4 km/h is 서행, not green. */
	const struct thresholds *road =
		option_get(&layout_find_tile(layout, "b")->options, "thresholds")->thresholds;
	CHECK_INT(thresholds_state(road, 23.4), STATE_MODERATE);
	step = thresholds_step(road, 23.4);
	CHECK(step && strcmp(step->label, "서행") == 0 && step->has_color);
	CHECK_INT(thresholds_state(road, 14.9), STATE_BAD);
	CHECK_INT(thresholds_state(road, 25), STATE_GOOD);
	const struct thresholds *idx =
		option_get(&layout_find_tile(layout, "c")->options, "thresholds")->thresholds;
	CHECK_INT(thresholds_state_text(idx, "정체"), STATE_BAD);
	step = thresholds_step_text(idx, "원활");
	CHECK(step && step->state == STATE_GOOD && strcmp(step->label, "원활") == 0);
	layout_destroy(layout);
}

/* Built-in scales hold the published bands (docs/layouts.md cites them). */
static void builtin_scales_bands(void)
{
	struct {
		const char *name;
		double value;
		enum state state;
		const char *label;
	} cases[] = {
		{"pm10", 30, STATE_GOOD, "좋음"},   {"pm10", 31, STATE_MODERATE, "보통"},
		{"pm10", 80, STATE_MODERATE, "보통"}, {"pm10", 81, STATE_BAD, "나쁨"},
		{"pm10", 151, STATE_VERY_BAD, "매우나쁨"}, {"pm25", 15, STATE_GOOD, "좋음"},
		{"pm25", 16, STATE_MODERATE, "보통"}, {"pm25", 36, STATE_BAD, "나쁨"},
		{"pm25", 76, STATE_VERY_BAD, "매우나쁨"}, {"cai", 50, STATE_GOOD, "좋음"},
		{"cai", 101, STATE_BAD, "나쁨"},     {"cai", 251, STATE_VERY_BAD, "매우나쁨"},
		{"topis_expressway", 29, STATE_BAD, "정체"},
		{"topis_expressway", 30, STATE_MODERATE, "서행"},
		{"topis_expressway", 50, STATE_GOOD, "원활"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct thresholds *t = scales_lookup(NULL, cases[i].name);
		const struct threshold *step = thresholds_step(t, cases[i].value);
		CHECK(step && step->state == cases[i].state && strcmp(step->label, cases[i].label) == 0);
		free(t);
	}
	CHECK(scales_lookup(NULL, "pm100") == NULL);
}

static void feed_is_relative_to_layout(void)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct layout *layout = layout_parse(valid, strlen(valid), "layouts/wall/t.json",
					     widget_specs(), &diags);
	CHECK_STR(layout ? layout->sources[0].url : NULL, "layouts/wall/snap.json");
	layout_destroy(layout);
	diag_list_finish(&diags);
}

static void bindings_resolve(void)
{
	struct layout *layout;
	free(parse_messages(valid, &layout));
	const struct tile *pm10 = layout_find_tile(layout, "pm10");
	struct binding_values b;
	struct source_data none[2] = {{.data_time = NAN}, {.data_time = NAN}};
	layout_bind_tile(pm10, none, &b);
	CHECK_INT(b.count, 1);
	CHECK_STR(b.keys[0], "value");
	CHECK(binding_current(&b, "value") == NULL);
	CHECK(binding_current(&b, "previous") == NULL);
	layout_destroy(layout);
}

struct broken {
	const char *name;
	const char *text;
	const char *messages;
};

#define TILE_HEAD "{\"tiles\": [\n"
#define PAGE_1 "{\"tiles\": []}"
#define PAGES_8 PAGE_1 "," PAGE_1 "," PAGE_1 "," PAGE_1 "," PAGE_1 "," PAGE_1 "," PAGE_1 "," PAGE_1
#define PAGES_65 PAGES_8 "," PAGES_8 "," PAGES_8 "," PAGES_8 "," PAGES_8 "," PAGES_8 "," PAGES_8 \
	"," PAGES_8 "," PAGE_1

static const struct broken broken_cases[] = {
	{"syntax: missing comma", "{\"tiles\": [\n  {\"widget\": \"clock\" \"cell\": [0, 0]}\n]}",
	 "t.json:2:22: error: expected ',' or '}' after an object member"},
	{"syntax: trailing comma", "{\"tiles\": [],\n}", "t.json:1:13: error: trailing comma before '}'"},
	{"syntax: empty file", "", "t.json:1:1: error: unexpected end of file"},
	{"root not an object", "[1]", "t.json:1: /: must be an object, got an array"},
	{"tiles missing", "{}", "t.json:1: /: missing required key \"tiles\" (or \"pages\")"},
	{"unknown root key with suggestion", "{\"tiles\": [], \"titel\": \"x\"}",
	 "t.json:1: /titel: unknown key \"titel\" (did you mean \"title\"?)"},
	{"unknown key without suggestion", "{\"tiles\": [], \"colour\": 1}",
	 "t.json:1: /colour: unknown key \"colour\""},
	{"tiles not an array", "{\"tiles\": {}}",
	 "t.json:1: /tiles: must be an array of tiles (at most 2000 in all)"},
	{"unknown widget", TILE_HEAD "{\"widget\": \"kpl\", \"cell\": [0, 0]}]}",
	 "t.json:2: /tiles/0/widget: unknown widget \"kpl\" (did you mean \"kpi\"?)"},
	{"unknown widget far from any", TILE_HEAD "{\"widget\": \"weather\", \"cell\": [0, 0]}]}",
	 "t.json:2: /tiles/0/widget: unknown widget \"weather\" (known: kpi, text, clock, group, trend, bar, gauge, table, ticker, image, alert, status, map, pages)"},
	{"missing widget", TILE_HEAD "{\"cell\": [0, 0]}]}",
	 "t.json:2: /tiles/0: missing required key \"widget\""},
	{"missing required option", TILE_HEAD "{\"widget\": \"kpi\", \"cell\": [0, 0], \"title\": \"x\"}]}",
	 "t.json:2: /tiles/0: missing required key \"value\""},
	{"option of the wrong type",
	 TILE_HEAD "{\"widget\": \"kpi\", \"cell\": [0, 0], \"title\": 5, \"value\": \"a\"}]}",
	 "t.json:2: /tiles/0/title: must be a string, got a number"},
	{"unknown widget option with suggestion",
	 TILE_HEAD "{\"widget\": \"kpi\", \"cell\": [0, 0], \"title\": \"x\", \"value\": \"a\",\n"
		   " \"unti\": \"%\"}]}",
	 "t.json:3: /tiles/0/unti: unknown key \"unti\" (did you mean \"unit\"?)"},
	{"number out of range",
	 TILE_HEAD "{\"widget\": \"kpi\", \"cell\": [0, 0], \"title\": \"x\", \"value\": \"a\",\n"
		   " \"decimals\": 9}]}",
	 "t.json:3: /tiles/0/decimals: must be in [-1, 6], got 9"},
	{"not a whole number",
	 TILE_HEAD "{\"widget\": \"kpi\", \"cell\": [0, 0], \"title\": \"x\", \"value\": \"a\",\n"
		   " \"decimals\": 1.5}]}",
	 "t.json:3: /tiles/0/decimals: must be a whole number, got 1.5"},
	{"bad enum", TILE_HEAD "{\"widget\": \"text\", \"cell\": [0, 0], \"align\": \"middle\"}]}",
	 "t.json:2: /tiles/0/align: must be one of \"left\", \"center\", \"right\", got \"middle\""},
	{"bad boolean", TILE_HEAD "{\"widget\": \"clock\", \"cell\": [0, 0], \"seconds\": \"yes\"}]}",
	 "t.json:2: /tiles/0/seconds: must be true or false, got a string"},
	{"bad cell", TILE_HEAD "{\"widget\": \"clock\", \"cell\": [0]}]}",
	 "t.json:2: /tiles/0/cell: must be a pair of whole numbers such as [1, 2]"},
	{"negative cell", TILE_HEAD "{\"widget\": \"clock\", \"cell\": [0, -1]}]}",
	 "t.json:2: /tiles/0/cell/1: must be in [0, 199], got -1"},
	{"tile outside the grid", TILE_HEAD "{\"widget\": \"clock\", \"cell\": [11, 0], \"span\": [2, 1]}]}",
	 "t.json:2: /tiles/0/cell: tile at [11, 0] spanning [2, 1] does not fit the 12 x 8 grid"},
	{"overlapping tiles",
	 TILE_HEAD "{\"id\": \"a\", \"widget\": \"clock\", \"cell\": [0, 0], \"span\": [2, 2]},\n"
		   "{\"id\": \"b\", \"widget\": \"clock\", \"cell\": [1, 1]}]}",
	 "t.json:3: /tiles/1: tile \"b\" overlaps tile \"a\" (/tiles/0)"},
	{"duplicate ids",
	 TILE_HEAD "{\"id\": \"a\", \"widget\": \"clock\", \"cell\": [0, 0]},\n"
		   "{\"id\": \"a\", \"widget\": \"clock\", \"cell\": [1, 0]}]}",
	 "t.json:3: /tiles/1/id: duplicate tile id \"a\" (also /tiles/0)"},
	{"bad colour", "{\"tiles\": [], \"theme\": {\"background\": \"navy\"}}",
	 "t.json:1: /theme/background: \"navy\" is not a colour (expected \"#rrggbb\" or \"#rrggbbaa\")"},
	{"unknown state in theme", "{\"tiles\": [], \"theme\": {\"states\": {\"great\": {}}}}",
	 "t.json:1: /theme/states/great: unknown key \"great\""},
	{"grid too small for its margins",
	 "{\"tiles\": [], \"canvas\": {\"width\": 100, \"height\": 100}, \"grid\": {\"margin\": 60}}",
	 "t.json:1: /grid: margins and gaps leave no room for 12 x 8 cells on a 100 x 100 canvas"},
	{"thresholds not ascending",
	 TILE_HEAD "{\"widget\": \"kpi\", \"cell\": [0, 0], \"title\": \"x\", \"value\": \"a\",\n"
		   " \"thresholds\": [{\"from\": 10, \"state\": \"good\"},\n"
		   "                {\"from\": 5, \"state\": \"bad\"}]}]}",
	 "t.json:4: /tiles/0/thresholds/1/from: steps must ascend: 5 follows 10"},
	{"threshold with unknown state",
	 TILE_HEAD "{\"widget\": \"kpi\", \"cell\": [0, 0], \"title\": \"x\", \"value\": \"a\",\n"
		   " \"thresholds\": [{\"from\": 10, \"state\": \"awful\"}]}]}",
	 "t.json:3: /tiles/0/thresholds/0/state: unknown state \"awful\" (expected \"good\", "
	 "\"moderate\", \"bad\", \"very_bad\" or \"normal\")"},
	{"threshold step malformed",
	 TILE_HEAD "{\"widget\": \"kpi\", \"cell\": [0, 0], \"title\": \"x\", \"value\": \"a\",\n"
		   " \"thresholds\": [10]}]}",
	 "t.json:3: /tiles/0/thresholds/0: must be an object {\"from\": number, \"state\": name} or "
	 "{\"equals\": text, \"state\": name}, with an optional \"label\" and \"color\""},
	{"threshold step with both from and equals",
	 TILE_HEAD "{\"widget\": \"kpi\", \"cell\": [0, 0], \"title\": \"x\", \"value\": \"a\",\n"
		   " \"thresholds\": [{\"from\": 1, \"equals\": \"x\", \"state\": \"good\"}]}]}",
	 "t.json:3: /tiles/0/thresholds/0: must be an object {\"from\": number, \"state\": name} or "
	 "{\"equals\": text, \"state\": name}, with an optional \"label\" and \"color\""},
	{"unknown scale",
	 TILE_HEAD "{\"widget\": \"kpi\", \"cell\": [0, 0], \"title\": \"x\", \"value\": \"a\",\n"
		   " \"thresholds\": \"pm100\"}]}",
	 "t.json:3:16: /tiles/0/thresholds: unknown scale \"pm100\" (scales: \"topis_road\", "
	 "\"topis_expressway\", \"topis_idx\", \"pm10\", \"pm25\", \"cai\", \"air_grade\", "
	 "\"congestion\")"},
	{"unknown scale lists the layout's own",
	 "{\"scales\": {\"speed\": [{\"from\": 0, \"state\": \"bad\"}]},\n"
	 " \"tiles\": [{\"widget\": \"kpi\", \"cell\": [0, 0], \"title\": \"x\", \"value\": \"a\",\n"
	 " \"thresholds\": \"sped\"}]}",
	 "t.json:3:16: /tiles/0/thresholds: unknown scale \"sped\" (scales: \"speed\", "
	 "\"topis_road\", \"topis_expressway\", \"topis_idx\", \"pm10\", \"pm25\", \"cai\", "
	 "\"air_grade\", \"congestion\")"},
	{"scale step with a bad colour",
	 "{\"scales\": {\"speed\": [{\"from\": 0, \"state\": \"bad\", \"color\": \"red\"}]},\n"
	 " \"tiles\": []}",
	 "t.json:1: /scales/speed/0/color: must be a colour (\"#rrggbb\" or \"#rrggbbaa\")"},
	{"binding with an empty segment",
	 TILE_HEAD "{\"widget\": \"kpi\", \"cell\": [0, 0], \"title\": \"x\", \"value\": \"air//pm10\"}]}",
	 "t.json:2: /tiles/0/value: empty segment in value path \"air//pm10\""},
	{"version unsupported", "{\"tiles\": [], \"version\": 2}",
	 "t.json:1: /version: must be in [1, 1], got 2"},
	{"unknown source in a binding",
	 "{\"sources\": {\"air\": {\"url\": \"http://x/air.json\"}},\n"
	 " \"tiles\": [{\"widget\": \"text\", \"cell\": [0, 0], \"value\": \"aer:pm10\"}]}",
	 "t.json:2: /tiles/0/value: binding names source \"aer\", which the layout does not declare "
	 "(did you mean \"air\"?)"},
	{"source prefix without sources",
	 "{\"tiles\": [{\"widget\": \"text\", \"cell\": [0, 0], \"value\": \"air:pm10\"}]}",
	 "t.json:1: /tiles/0/value: binding names source \"air\", but the layout declares no "
	 "\"sources\""},
	{"unprefixed binding with named sources and no feed",
	 "{\"sources\": {\"air\": {\"url\": \"http://x/air.json\"}},\n"
	 " \"tiles\": [{\"widget\": \"text\", \"cell\": [0, 0], \"value\": \"pm10\"}]}",
	 "t.json:2: /tiles/0/value: binding has no source: write \"air:pm10\" (sources: air)"},
	{"bad source name", "{\"tiles\": [], \"sources\": {\"a ir\": {\"url\": \"x\"}}}",
	 "t.json:1: /sources/a ir: source name \"a ir\" must be 1 to 64 letters, digits, '_' or '-'"},
	{"default is reserved", "{\"tiles\": [], \"sources\": {\"default\": {\"url\": \"x\"}}}",
	 "t.json:1: /sources/default: \"default\" is the \"feed\" key's source; give this one its "
	 "own name"},
	{"source without url", "{\"tiles\": [], \"sources\": {\"air\": {\"interval\": 5}}}",
	 "t.json:1: /sources/air: missing required key \"url\""},
	{"source interval out of range",
	 "{\"tiles\": [], \"sources\": {\"air\": {\"url\": \"x\", \"interval\": 0}}}",
	 "t.json:1: /sources/air/interval: must be in [0.05, 86400], got 0"},
	{"bad header", "{\"tiles\": [], \"sources\": {\"air\": {\"url\": \"x\",\n"
		       " \"headers\": {\"X-Key\": 5}}}}",
	 "t.json:2: /sources/air/headers/X-Key: must be a string, and the header a single name"},
	{"mqtt source without topic",
	 "{\"tiles\": [], \"sources\": {\"air\": {\"url\": \"mqtt://broker:1883\"}}}",
	 "t.json:1: /sources/air/url: mqtt://broker:1883: names no topic (expected "
	 "mqtt://host[:port]/topic)"},
	{"mqtt topic filter, bad port, headers",
	 "{\"tiles\": [], \"sources\": {\"a\": {\"url\": \"mqtt://b/city/#\"},\n"
	 " \"b\": {\"url\": \"mqtts://b:99999/x\", \"headers\": {\"X\": \"y\"}}}}",
	 "t.json:1: /sources/a/url: mqtt://b/city/#: a topic filter (+ or #) is not a source: name "
	 "one topic whose retained message is the snapshot\n"
	 "t.json:2: /sources/b/url: mqtts://b:99999/x: expected mqtt://host[:port]/topic\n"
	 "t.json:2: /sources/b/headers: an mqtt:// source sends no HTTP headers: use \"username\" "
	 "and \"password\""},
	{"username on an http source",
	 "{\"tiles\": [], \"sources\": {\"air\": {\"url\": \"http://x\", \"username\": \"u\"}}}",
	 "t.json:1: /sources/air/username: applies to mqtt:// sources (HTTP sources send "
	 "credentials in \"headers\")"},
	{"timestamp object: unknown key, bad directive, unknown zone",
	 "{\"tiles\": [], \"sources\": {\"air\": {\"url\": \"x\", \"timestamp\": {\n"
	 " \"path\": \"RealtimeCityAir/row/0/MSRDT\",\n \"format\": \"%Y%m%d%I%M\",\n"
	 " \"timezone\": \"Asia/Seould\",\n \"zone\": \"UTC\"}}}}",
	 "t.json:5: /sources/air/timestamp/zone: unknown key \"zone\"\n"
	 "t.json:3: /sources/air/timestamp/format: unknown directive \"%I\" at offset 6 (known: %Y "
	 "%m %d %H %M %S %z %%)\n"
	 "t.json:4: /sources/air/timestamp/timezone: unknown time zone \"Asia/Seould\" (an IANA "
	 "name such as \"Asia/Seoul\", from /usr/share/zoneinfo)"},
	{"timestamp object without path, format without year",
	 "{\"tiles\": [], \"sources\": {\"air\": {\"url\": \"x\",\n"
	 " \"timestamp\": {\"format\": \"%m%d\"}},\n"
	 " \"b\": {\"url\": \"y\", \"timestamp\": {\"path\": \"t\",\n \"format\": \"%H:%M\"}},\n"
	 " \"c\": {\"url\": \"z\", \"timestamp\": 5},\n"
	 " \"d\": {\"url\": \"w\", \"clock_tolerance\": -1}}}",
	 "t.json:2: /sources/air/timestamp: missing required key \"path\"\n"
	 "t.json:2: /sources/air/timestamp/format: a format needs %Y (the year) to name a time\n"
	 "t.json:4: /sources/b/timestamp/format: a format needs %Y (the year) to name a time\n"
	 "t.json:5: /sources/c/timestamp: must be a value path or {\"path\": ..., \"format\": ..., "
	 "\"timezone\": ...}\n"
	 "t.json:6: /sources/d/clock_tolerance: must be in [0, 86400], got -1"},
	{"unknown source format", "{\"tiles\": [], \"sources\": {\"air\": {\"url\": \"x\",\n"
				  " \"format\": \"yaml\"}}}",
	 "t.json:2: /sources/air/format: must be one of \"json\", \"csv\", \"xml\", got \"yaml\""},
	{"unknown source encoding", "{\"tiles\": [], \"sources\": {\"air\": {\"url\": \"x\",\n"
				    " \"format\": \"csv\", \"encoding\": \"latin1\"}}}",
	 "t.json:2: /sources/air/encoding: must be one of \"auto\", \"utf-8\", \"cp949\", "
	 "\"euc-kr\", got \"latin1\""},
	{"encoding on a JSON source", "{\"tiles\": [], \"sources\": {\"air\": {\"url\": \"x\",\n"
				      " \"encoding\": \"cp949\"}}}",
	 "t.json:2: /sources/air/encoding: \"encoding\" applies to \"format\": \"csv\" and "
	 "\"xml\"; JSON is always UTF-8"},
	{"format on an image source", "{\"tiles\": [], \"sources\": {\"cam\": {\"url\": \"x\",\n"
				      " \"type\": \"image\", \"format\": \"csv\"}}}",
	 "t.json:2: /sources/cam/format: an image source has no \"format\" (the bytes tell JPEG "
	 "from PNG)"},
	{"bad status strip", "{\"tiles\": [], \"status_strip\": \"sometimes\"}",
	 "t.json:1: /status_strip: must be one of \"auto\", \"always\", \"never\", got \"sometimes\""},
	{"feed of the wrong type", "{\"tiles\": [], \"feed\": 5}",
	 "t.json:1: /feed: must be a URL or a source object {\"url\": ...}"},
	{"feed object with a bad key", "{\"tiles\": [], \"feed\": {\"url\": \"x\", \"max_aeg\": 5}}",
	 "t.json:1: /feed/max_aeg: unknown key \"max_aeg\" (did you mean \"max_age\"?)"},
	{"area that is not a rectangle",
	 "{\"grid\": {\"columns\": 2, \"rows\": 2, \"areas\": [\"a b\", \"b b\"]}, \"tiles\": []}",
	 "t.json:1: /grid/areas: area \"b\" is not a rectangle"},
	{"areas row with the wrong number of cells",
	 "{\"grid\": {\"columns\": 2, \"rows\": 2, \"areas\": [\"a a a\", \"b b\"]}, \"tiles\": []}",
	 "t.json:1: /grid/areas/0: row 0 names 3 cells, the grid has 2 columns"},
	{"areas of the wrong length",
	 "{\"grid\": {\"columns\": 2, \"rows\": 2, \"areas\": [\"a a\"]}, \"tiles\": []}",
	 "t.json:1: /grid/areas: must be an array of 2 strings, one per grid row, naming each cell"},
	{"unknown area",
	 "{\"grid\": {\"columns\": 2, \"rows\": 1, \"areas\": [\"map kpi\"]},\n"
	 " \"tiles\": [{\"widget\": \"clock\", \"area\": \"mpa\"}]}",
	 "t.json:2: /tiles/0/area: the grid (/grid) has no area \"mpa\""},
	{"tile without cell or area", TILE_HEAD "{\"widget\": \"clock\"}]}",
	 "t.json:2: /tiles/0: needs \"cell\" or \"area\" to be placed"},
	{"unknown template",
	 "{\"templates\": {\"pm10\": {\"widget\": \"clock\"}},\n"
	 " \"tiles\": [{\"template\": \"pm01\", \"cell\": [0, 0]}]}",
	 "t.json:2: /tiles/0/template: unknown template \"pm01\" (did you mean \"pm10\"?)"},
	{"template parameter not given",
	 "{\"templates\": {\"pm10\": {\"widget\": \"kpi\", \"title\": \"${name}\", \"value\": \"a/${code}\"}},\n"
	 " \"tiles\": [{\"template\": \"pm10\", \"with\": {\"name\": \"x\"}, \"cell\": [0, 0]}]}",
	 "t.json:2: /tiles/0: template parameter \"code\" is not given in \"with\""},
	{"error in a key from a template has the template's line",
	 "{\"templates\": {\"t\": {\"widget\": \"kpi\", \"title\": \"x\", \"value\": \"a\",\n"
	 "  \"decimals\": 9}},\n"
	 " \"tiles\": [{\"template\": \"t\", \"cell\": [0, 0]}]}",
	 "t.json:2: /tiles/0/decimals: must be in [-1, 6], got 9"},
	{"group too deep",
	 "{\"tiles\": [{\"widget\": \"group\", \"cell\": [0, 0], \"span\": [12, 8], \"tiles\": [\n"
	 " {\"widget\": \"group\", \"cell\": [0, 0], \"tiles\": [{\"widget\": \"group\", \"cell\": [0, 0], \"tiles\": [\n"
	 " {\"widget\": \"group\", \"cell\": [0, 0], \"tiles\": [{\"widget\": \"group\", \"cell\": [0, 0]}]}]}]}]}]}",
	 "t.json:3: /tiles/0/tiles/0/tiles/0/tiles/0/tiles/0: groups nest at most 4 deep"},
	{"child outside its group's grid",
	 "{\"tiles\": [{\"widget\": \"group\", \"cell\": [0, 0], \"span\": [6, 4],\n"
	 " \"grid\": {\"columns\": 2, \"rows\": 2}, \"tiles\": [{\"widget\": \"clock\", \"cell\": [2, 0]}]}]}",
	 "t.json:2: /tiles/0/tiles/0/cell: tile at [2, 0] spanning [1, 1] does not fit the 2 x 2 grid"},
	{"children overlapping inside a group",
	 "{\"tiles\": [{\"widget\": \"group\", \"cell\": [0, 0], \"span\": [6, 4], \"tiles\": [\n"
	 " {\"id\": \"a\", \"widget\": \"clock\", \"cell\": [0, 0], \"span\": [2, 1]},\n"
	 " {\"id\": \"b\", \"widget\": \"clock\", \"cell\": [1, 0]}]}]}",
	 "t.json:3: /tiles/0/tiles/1: tile \"b\" overlaps tile \"a\" (/tiles/0/tiles/0)"},
	{"page without tiles", "{\"pages\": [{\"id\": \"p\"}]}",
	 "t.json:1: /pages/0: missing required key \"tiles\""},
	{"pages_empty_object_no_double_free", "{\"pages\": {}}",
	 "t.json:1: /pages: must be an array of 1 to 64 pages, got an object"},
#define TWO_PAGES "\"pages\": [{\"id\": \"city\", \"tiles\": []}, {\"id\": \"incident\", \"tiles\": []}]"
	{"emergency page unknown", "{" TWO_PAGES ",\n\"emergency\": {\"alerts\": \"a\", \"page\": \"incidnt\"}}",
	 "t.json:2: /emergency/page: unknown page \"incidnt\" (did you mean \"incident\"?)"},
	{"emergency level unknown", "{" TWO_PAGES ",\n\"emergency\": {\"alerts\": \"a\", \"page\": \"incident\", "
	 "\"min_level\": \"high\"}}",
	 "t.json:2: /emergency/min_level: must be one of \"info\", \"caution\", \"warning\", \"danger\", got \"high\""},
	{"schedule time malformed", "{" TWO_PAGES ",\n\"schedule\": [{\"page\": \"incident\", \"from\": \"7:00\", "
	 "\"to\": \"09:00\"}]}",
	 "t.json:2: /schedule/0/from: must be a time of day \"HH:MM\" (00:00 to 24:00), got \"7:00\""},
	{"schedule days malformed", "{" TWO_PAGES ",\n\"schedule\": [{\"theme\": \"night\", \"days\": \"weekdays\", "
	 "\"from\": \"22:00\", \"to\": \"06:00\"}]}",
	 "t.json:2: /schedule/0/days: must be days such as \"mon-fri\", \"sat,sun\" or \"mon-sun\", got \"weekdays\""},
	{"schedule entry without page or theme", "{" TWO_PAGES ",\n\"schedule\": [{\"from\": \"22:00\", \"to\": \"06:00\"}]}",
	 "t.json:2: /schedule/0: a schedule entry names a \"page\" or a \"theme\""},
	{"schedule theme unknown", "{" TWO_PAGES ",\n\"schedule\": [{\"theme\": \"nihgt\", \"from\": \"22:00\", "
	 "\"to\": \"06:00\"}]}",
	 "t.json:2: /schedule/0/theme: unknown theme \"nihgt\" (themes: \"dark\", \"night\", \"light\", \"day\", \"high_contrast\")"},
	{"every page special", "{" TWO_PAGES ",\n\"emergency\": {\"alerts\": \"a\", \"page\": \"incident\"},\n"
	 "\"schedule\": [{\"page\": \"city\", \"from\": \"07:00\", \"to\": \"09:00\"}]}",
	 "t.json:1: /pages: every page is shown only by an alert or a schedule: at least one page must be left for the rotation"},
	{"pages_empty_array_no_double_free", "{\"pages\": []}",
	 "t.json:1: /pages: must be an array of 1 to 64 pages, got 0"},
	{"pages_65_no_double_free", "{\"tiles\": [],\n \"pages\": [" PAGES_65 "]}",
	 "t.json:2: /pages: must be an array of 1 to 64 pages, got 65"},
	{"page duration out of range", "{\"pages\": [{\"duration\": 0, \"tiles\": []}]}",
	 "t.json:1: /pages/0/duration: must be in [1, 86400], got 0"},
	{"page tile overlapping a tile shown on every page",
	 "{\"tiles\": [{\"id\": \"clock\", \"widget\": \"clock\", \"cell\": [0, 0]}],\n"
	 " \"pages\": [{\"tiles\": [{\"id\": \"x\", \"widget\": \"clock\", \"cell\": [0, 0]}]}]}",
	 "t.json:2: /pages/0/tiles/0: tile \"x\" overlaps tile \"clock\" (/tiles/0)"},
	{"unknown theme name", "{\"tiles\": [], \"theme\": \"sepia\"}",
	 "t.json:1: /theme: unknown theme \"sepia\" (themes: \"dark\", \"night\", \"light\", \"day\", "
	 "\"high_contrast\")"},
	{"unknown base theme",
	 "{\"tiles\": [], \"themes\": {\"mine\": {\"base\": \"noir\"}}, \"theme\": \"mine\"}",
	 "t.json:1: /themes/mine/base: unknown theme \"noir\" (themes: \"dark\", \"night\", \"light\", "
	 "\"day\", \"high_contrast\", \"mine\")"},
	{"themes in a cycle",
	 "{\"tiles\": [], \"themes\": {\"a\": {\"base\": \"b\"}, \"b\": {\"base\": \"a\"}}, \"theme\": \"a\"}",
	 "t.json:1: /themes/a: themes build on each other more than 4 deep"},
	{"theme scale out of range", "{\"tiles\": [], \"theme\": {\"scale\": {\"title\": 9}}}",
	 "t.json:1: /theme/scale/title: must be in [0.5, 3], got 9"},
	{"include of a missing file", "{\"tiles\": [], \"include\": [\"nope.json\"]}",
	 "t.json:1: /include/0: cannot open nope.json: No such file or directory"},
	{"every error is reported, not only the first",
	 "{\"tiles\": [\n"
	 "{\"widget\": \"clock\", \"cell\": [0, 0], \"seconds\": 1},\n"
	 "{\"widget\": \"clock\", \"cell\": [1, 0], \"label\": 2}]}",
	 "t.json:2: /tiles/0/seconds: must be true or false, got a number\n"
	 "t.json:3: /tiles/1/label: must be a string, got a number"},
};

static void broken_layouts(void)
{
	for (size_t i = 0; i < sizeof(broken_cases) / sizeof(broken_cases[0]); i++) {
		struct layout *layout;
		char *messages = parse_messages(broken_cases[i].text, &layout);
		if (strcmp(messages, broken_cases[i].messages) != 0) {
			printf("# case: %s\n", broken_cases[i].name);
		}
		CHECK_STR(messages, broken_cases[i].messages);
		CHECK(layout == NULL);
		layout_destroy(layout);
		free(messages);
	}
}

static void sources_and_prefixed_bindings(void)
{
	const char *text =
		"{\"feed\": \"snap.json\",\n"
		" \"sources\": {\"air\": {\"url\": \"http://127.0.0.1:9/feeds/air.json\",\n"
		"   \"interval\": 5, \"max_age\": 60, \"timestamp\": \"meta/time\",\n"
		"   \"headers\": {\"X-Api-Key\": \"${SEOUL_API_KEY}\"}},\n"
		"   \"local\": {\"url\": \"data/local.json\"}},\n"
		" \"tiles\": [{\"id\": \"k\", \"widget\": \"kpi\", \"cell\": [0, 0], \"title\": \"x\",\n"
		"   \"value\": \"air:/districts/11680/pm10\", \"previous\": \"old/pm10\"}]}\n";
	struct diag_list diags;
	diag_list_init(&diags);
	struct layout *layout = layout_parse(text, strlen(text), "layouts/t.json", widget_specs(),
					     &diags);
	CHECK_INT(diags.count, 0);
	CHECK(layout != NULL);
	if (!layout) {
		diag_list_finish(&diags);
		return;
	}
	CHECK_INT(layout->source_count, 3);
	CHECK_STR(layout->sources[0].name, "default");
	CHECK_STR(layout->sources[0].url, "layouts/snap.json");
	CHECK_INT(layout_find_source(layout, "air"), 1);
	const struct source_config *air = &layout->sources[1];
	CHECK_STR(air->url, "http://127.0.0.1:9/feeds/air.json");
	CHECK_NEAR(air->interval, 5, 0);
	CHECK_NEAR(air->max_age, 60, 0);
	CHECK_STR(air->timestamp, "meta/time");
	CHECK_INT(air->header_count, 1);
	CHECK_STR(air->headers[0].value, "${SEOUL_API_KEY}");
	CHECK_STR(layout->sources[2].url, "layouts/data/local.json");
	layout_destroy(layout);
	const char *object_feed = "{\"feed\": {\"url\": \"s.json\", \"max_age\": 30},"
				  " \"tiles\": []}";
	layout = layout_parse(object_feed, strlen(object_feed), "l/t.json", widget_specs(), &diags);
	CHECK(layout && layout->sources[0].max_age == 30);
	CHECK_STR(layout ? layout->sources[0].url : NULL, "l/s.json");
	layout_destroy(layout);
	layout = layout_parse(text, strlen(text), "layouts/t.json", widget_specs(), &diags);
	CHECK_NEAR(layout->sources[2].max_age, 300, 0);
	const struct tile *k = layout_find_tile(layout, "k");
	CHECK_INT(k->binding_count, 2);
	CHECK_STR(k->bindings[0].key, "value");
	CHECK_INT(k->bindings[0].source, 1);
	CHECK_STR(k->bindings[0].path, "/districts/11680/pm10");
	CHECK_INT(k->bindings[1].source, 0);
	CHECK_STR(k->bindings[1].path, "old/pm10");
	layout_destroy(layout);
	diag_list_finish(&diags);
}

/* 5,000 unknown keys: reported up to a limit, quickly (once this took seconds per reload). */
/* "timestamp" as an object, "clock_tolerance" and "show_age_after" with their defaults. */
static void source_time_keys(void)
{
	const char *text =
		"{\"timezone\": \"Asia/Seoul\", \"sources\": {\n"
		" \"air\": {\"url\": \"a.json\", \"max_age\": 600, \"timestamp\": {\n"
		"   \"path\": \"RealtimeCityAir/row/0/MSRDT\", \"format\": \"%Y%m%d%H%M\",\n"
		"   \"timezone\": \"America/New_York\"}, \"clock_tolerance\": 30},\n"
		" \"b\": {\"url\": \"b.json\", \"timestamp\": {\"path\": \"t\"},"
		" \"show_age_after\": 0},\n"
		" \"c\": {\"url\": \"c.json\", \"timestamp\": \"meta/time\", \"show_age_after\": 45}},\n"
		" \"tiles\": []}\n";
	struct diag_list diags;
	diag_list_init(&diags);
	struct layout *layout = layout_parse(text, strlen(text), "t.json", widget_specs(), &diags);
	CHECK_INT(diags.count, 0);
	CHECK(layout != NULL);
	if (layout) {
		const struct source_config *air = &layout->sources[1], *b = &layout->sources[2];
		const struct source_config *c = &layout->sources[3];
		CHECK_STR(air->timestamp, "RealtimeCityAir/row/0/MSRDT");
		CHECK_STR(air->timestamp_format, "%Y%m%d%H%M");
		CHECK_STR(air->timestamp_zone, "America/New_York");
		CHECK_NEAR(air->clock_tolerance, 30, 0);
		CHECK_NEAR(air->show_age_after, 300, 0); // half of max_age
		CHECK_STR(b->timestamp, "t");
		CHECK(b->timestamp_format == NULL);
		CHECK_STR(b->timestamp_zone, "Asia/Seoul"); // the layout's
		CHECK_NEAR(b->clock_tolerance, 120, 0);
		CHECK_NEAR(b->show_age_after, 0, 0);
		CHECK_STR(c->timestamp, "meta/time");
		CHECK_NEAR(c->show_age_after, 45, 0);
		CHECK_STR(layout->sources[0].timestamp, "generated_at");
	}
	layout_destroy(layout);
	diag_list_finish(&diags);
}

static void error_flood_is_capped(void)
{
	size_t cap = 5000 * 16 + 64, len = 0;
	char *text = malloc(cap);
	len += (size_t)sprintf(text + len, "{\"tiles\": []");
	for (int i = 0; i < 5000; i++) {
		len += (size_t)sprintf(text + len, ", \"k%d\": 0", i);
	}
	sprintf(text + len, "}");
	struct diag_list diags;
	diag_list_init(&diags);
	struct layout *layout = layout_parse(text, strlen(text), "flood.json", widget_specs(),
					     &diags);
	CHECK(layout == NULL);
	CHECK_INT(diags.count, PARSE_MAX_DIAGS + 1);
	char *last = diag_format(&diags.items[diags.count - 1]);
	CHECK_STR(last, "flood.json: error: 4900 more errors not shown");
	free(last);
	diag_list_finish(&diags);
	free(text);
}

/* Live reload watches the layout, its includes and the files its tiles load. */
static void watched_files(void)
{
	const char *root = getenv("CITYWALL_SOURCE_ROOT");
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/layouts/lang-groups.json", root ? root : ".");
	struct diag_list diags;
	diag_list_init(&diags);
	struct layout *layout = layout_load(path, widget_specs(), &diags);
	CHECK(layout != NULL);
	CHECK_INT(layout ? layout->file_count : 0, 2);
	CHECK(layout && strstr(layout->files[1], "includes/lang-templates.json") != NULL);
	layout_destroy(layout);
	const char *text = "{\"tiles\": [{\"widget\": \"map\", \"cell\": [0, 0],\n"
			   " \"geojson\": \"../assets/seoul-cartogram.geojson\"}]}";
	snprintf(path, sizeof(path), "%s/docs/x.json", root ? root : ".");
	layout = layout_parse(text, strlen(text), path, widget_specs(), &diags);
	CHECK(layout != NULL);
	CHECK_INT(layout ? layout->file_count : 0, 2);
	CHECK(layout && strstr(layout->files[1], "assets/seoul-cartogram.geojson") != NULL);
	layout_destroy(layout);
	diag_list_finish(&diags);
}

static void missing_file(void)
{
	struct diag_list diags;
	diag_list_init(&diags);
	CHECK(layout_load("/nonexistent.json", widget_specs(), &diags) == NULL);
	char *line = diag_format(&diags.items[0]);
	CHECK_STR(line, "error: cannot open /nonexistent.json: No such file or directory");
	free(line);
	diag_list_finish(&diags);
}

static void bundled_layouts_are_valid(void)
{
	const char *root = getenv("CITYWALL_SOURCE_ROOT");
	char path[4096];
	snprintf(path, sizeof(path), "%s/layouts/demo.json", root ? root : ".");
	struct diag_list diags;
	diag_list_init(&diags);
	struct layout *layout = layout_load(path, widget_specs(), &diags);
	CHECK(layout != NULL);
	CHECK_INT(diags.count, 0);
	CHECK(layout && layout->tile_count >= 12);
	layout_destroy(layout);
	diag_list_finish(&diags);
}

/* Parses text as if it were a file in `dir`, so relative paths resolve as in the docs. */
static char *parse_messages_in(const char *text, const char *dir)
{
	char file[4200];
	snprintf(file, sizeof(file), "%s/example.json", dir);
	struct diag_list diags;
	diag_list_init(&diags);
	struct layout *layout = layout_parse(text, strlen(text), file, widget_specs(), &diags);
	char *all = calloc(1, 1);
	size_t len = 0;
	for (size_t i = 0; i < diags.count; i++) {
		char *line = diag_format(&diags.items[i]);
		all = realloc(all, len + strlen(line) + 2);
		len += (size_t)sprintf(all + len, "%s%s", i ? "\n" : "", line);
		free(line);
	}
	diag_list_finish(&diags);
	layout_destroy(layout);
	return all;
}

/* Checks every ```json block of one Markdown file; returns how many there were. */
static int check_markdown_examples(const char *path, const char *dir)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		return 0;
	}
	static char doc[1 << 17], block[1 << 17];
	size_t len = fread(doc, 1, sizeof(doc) - 1, f);
	doc[len] = '\0';
	fclose(f);
	int examples = 0;
	for (const char *p = strstr(doc, "```json\n"); p; p = strstr(p, "```json\n")) {
		p += strlen("```json\n");
		const char *end = strstr(p, "```");
		if (!end) {
			break;
		}
		size_t n = (size_t)(end - p);
		memcpy(block, p, n);
		block[n] = '\0';
		char *messages = parse_messages_in(block, dir);
		if (messages[0]) {
			printf("# in %s, example %d\n", path, examples + 1);
		}
		CHECK_STR(messages, "");
		free(messages);
		examples++;
		p = end + 3;
	}
	return examples;
}

/* Every ```json block of docs/layouts.md and of the pages in docs/widgets validates. */
static void docs_examples_validate(void)
{
	const char *root = getenv("CITYWALL_SOURCE_ROOT");
	root = root ? root : ".";
	char dir[4096], path[8300];
	snprintf(dir, sizeof(dir), "%s/docs", root);
	snprintf(path, sizeof(path), "%s/layouts.md", dir);
	int examples = check_markdown_examples(path, dir);
	CHECK(examples >= 2);
	char widgets[4200];
	snprintf(widgets, sizeof(widgets), "%s/widgets", dir);
	DIR *d = opendir(widgets);
	for (struct dirent *e; d && (e = readdir(d));) {
		size_t n = strlen(e->d_name);
		if (n > 3 && strcmp(e->d_name + n - 3, ".md") == 0) {
			snprintf(path, sizeof(path), "%s/%s", widgets, e->d_name);
			check_markdown_examples(path, widgets);
		}
	}
	if (d) {
		closedir(d);
	}
}

/* A layout whose template "t" is a text tile with `text`, used by `tiles` tiles with `with`. */
static char *template_layout(const char *text, size_t tiles, const char *with)
{
	size_t cap = strlen(text) + tiles * (strlen(with) + 96) + 256, len = 0;
	char *out = malloc(cap);
	len += (size_t)sprintf(out, "{\"templates\": {\"t\": {\"widget\": \"text\", \"text\": \"%s\"}},"
				    "\n \"tiles\": [", text);
	for (size_t i = 0; i < tiles; i++) {
		len += (size_t)sprintf(out + len, "%s\n  {\"id\": \"t%zu\", \"template\": \"t\", "
						  "\"with\": %s, \"cell\": [%zu, %zu]}",
				       i ? "," : "", i, with, i % 12, i / 12);
	}
	sprintf(out + len, "]}");
	return out;
}

/* `count` copies of `piece` in a new string. */
static char *repeat(const char *piece, size_t count)
{
	size_t n = strlen(piece);
	char *out = malloc(n * count + 1);
	for (size_t i = 0; i < count; i++) {
		memcpy(out + i * n, piece, n);
	}
	out[n * count] = '\0';
	return out;
}

static void check_template_error(const char *text, size_t tiles, const char *with,
				 const char *expected)
{
	char *layout_text = template_layout(text, tiles, with);
	struct layout *layout;
	char *messages = parse_messages(layout_text, &layout);
	CHECK_STR(messages, expected);
	CHECK(layout == NULL);
	layout_destroy(layout);
	free(messages);
	free(layout_text);
}

/* 300,000 "${a}" once took minutes (each one copied the whole string so far). */
static void template_substitutions_capped(void)
{
	char *text = repeat("${a}", TEMPLATE_MAX_SUBSTITUTIONS + 1);
	check_template_error(text, 1, "{\"a\": \"x\"}",
			     "t.json:3: /tiles/0: templates make more than 100000 substitutions in "
			     "this layout");
	free(text);
	/* The cap is per layout: 60,000 in each of two tiles passes it at the second. */
	text = repeat("${a}", 60000);
	check_template_error(text, 2, "{\"a\": \"x\"}",
			     "t.json:4: /tiles/1: templates make more than 100000 substitutions in "
			     "this layout");
	free(text);
}

/* 100,000 "${a}" of a 30 kB value would make 3 GB. */
static void template_output_capped(void)
{
	char *text = repeat("${a}", 100000), *value = repeat("y", 30000);
	char *with = malloc(strlen(value) + 16);
	sprintf(with, "{\"a\": \"%s\"}", value);
	check_template_error(text, 1, with,
			     "t.json:3: /tiles/0: templates expand to more than 8 MiB (8388608 bytes) "
			     "in this layout");
	free(text);
	free(value);
	free(with);
	/* Copies count too: a 3 MB template used by three tiles. */
	text = repeat("z", 3000000);
	check_template_error(text, 3, "{}",
			     "t.json:5: /tiles/2: templates expand to more than 8 MiB (8388608 bytes) "
			     "in this layout");
	free(text);
}

/* Large but within the caps: 100,000 substitutions making 4 MB, and every copy correct. */
static void template_large_expansion_works(void)
{
	char *text = repeat("${a}", 50000);
	char *layout_text = template_layout(text, 2, "{\"a\": \"서울특별시 중구 세종대로 110 \"}");
	struct layout *layout;
	char *messages = parse_messages(layout_text, &layout);
	CHECK_STR(messages, "");
	CHECK(layout != NULL);
	for (size_t i = 0; layout && i < 2; i++) {
		const char *made = option_text(&layout->tiles[i].options, "text");
		size_t piece = strlen("서울특별시 중구 세종대로 110 ");
		CHECK_INT(made ? strlen(made) : 0, 50000 * piece);
		CHECK(made && strncmp(made, "서울특별시 중구", strlen("서울특별시 중구")) == 0);
		CHECK(made && !strstr(made, "${"));
	}
	layout_destroy(layout);
	free(messages);
	free(layout_text);
	free(text);
}

/*
 * The layout's "params": a tile's "${target}" of a number is that number (an option and a
 * threshold step), text params fill text, derive expressions take them when their own
 * "params" do not; a name given nowhere is an error. group_by and sort mistakes have positions.
 */
static void layout_params_fill_tiles_and_derive(void)
{
	const char *text =
		"{\"params\": {\"target\": 90, \"limit\": \"5m\", \"word\": \"도착률\"},\n"
		" \"sources\": {\"d\": {\"url\": \"d.json\"}},\n"
		" \"derive\": {\"g\": {\"from\": \"d:/rows\", \"value\": \"ratio(a - b <= ${limit})\"},\n"
		"   \"open\": {\"from\": \"d:/rows\", \"where\": \"a == null\", \"sort\": \"-b\","
		" \"limit\": 3, \"fields\": [\"id\"]}},\n"
		" \"tiles\": [{\"id\": \"k\", \"widget\": \"kpi\", \"cell\": [0, 0], \"title\": \"${word}\","
		" \"value\": \"derived:/g\", \"target\": \"${target}\","
		" \"thresholds\": [{\"from\": 0, \"state\": \"bad\"}, {\"from\": \"${target}\","
		" \"state\": \"good\"}]}]}";
	struct layout *layout;
	char *messages = parse_messages(text, &layout);
	CHECK_STR(messages, "");
	if (layout) {
		const struct option_set *o = &layout->tiles[0].options;
		CHECK_STR(option_text(o, "title"), "도착률");
		CHECK(option_number(o, "target") == 90);
		const struct option_value *t = option_get(o, "thresholds");
		CHECK(t && t->thresholds && t->thresholds->count == 2 &&
		      t->thresholds->items[1].from == 90);
		CHECK_INT(layout->derive_count, 2);
		CHECK(layout->derive_count == 2 && layout->derives[1].def.value == NULL &&
		      layout->derives[1].def.sort_descending && layout->derives[1].def.limit == 3);
	}
	layout_destroy(layout);
	free(messages);
	messages = parse_messages(
		"{\"sources\": {\"d\": {\"url\": \"d.json\"}},\n"
		" \"derive\": {\"g\": {\"from\": \"d:/rows\", \"group_by\": \"dya(t)\", \"value\": \"count\"},\n"
		"  \"h\": {\"from\": \"d:/rows\", \"value\": \"count\", \"limit\": 3}},\n"
		" \"tiles\": [{\"id\": \"x\", \"widget\": \"text\", \"cell\": [0, 0], \"text\": \"${nope}\"}],\n"
		" \"params\": {\"other\": 1}}", NULL);
	CHECK_STR(messages,
		  "t.json:2:51: /derive/g/group_by: unknown function \"dya\" in group_by (did "
		  "you mean \"day\": \"day(dispatched)\" groups by the local day)\n"
		  "t.json:3: /derive/h: \"sort\", \"limit\" and \"fields\" make a list of records: "
		  "a member with \"value\" is one figure and takes none of them\n"
		  "t.json:4: /tiles/0: parameter \"nope\" is not given in the layout's \"params\"");
	free(messages);
}

static const struct check_case cases[] = {
	{"docs examples validate", docs_examples_validate},
	{"a valid layout parses into the right tree", valid_layout},
	{"the feed is relative to the layout file", feed_is_relative_to_layout},
	{"categorical thresholds", categorical_thresholds},
	{"named scales", named_scales},
	{"built-in scales hold the published bands", builtin_scales_bands},
	{"bindings resolve to nothing without a snapshot", bindings_resolve},
	{"broken layouts give exact messages", broken_layouts},
	{"sources and source-prefixed bindings", sources_and_prefixed_bindings},
	{"source time keys: timestamp object, clock_tolerance, show_age_after", source_time_keys},
	{"a flood of errors is capped", error_flood_is_capped},
	{"template_substitutions_capped", template_substitutions_capped},
	{"template_output_capped", template_output_capped},
	{"template_large_expansion_works", template_large_expansion_works},
	{"layout params fill tiles and derive", layout_params_fill_tiles_and_derive},
	{"files watched for live reload", watched_files},
	{"a missing file", missing_file},
	{"the bundled demo layout is valid", bundled_layouts_are_valid},
};

CHECK_MAIN(cases)
