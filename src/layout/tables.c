/*
 * The option tables of a layout file's own objects (root, canvas, grid, theme, tile, source).
 * The parser checks files against them, and the JSON Schema is generated from them, so the
 * two cannot disagree. Widgets declare their tables next to their code.
 */

#include "layout/tables.h"

#include "model/source.h"

static const char *const status_strip_choices[] = {"auto", "always", "never", NULL};
static const char *const source_type_choices[] = {"json", "image", NULL};
static const char *const source_format_choices[] = {"json", "csv", "xml", NULL};
static const char *const source_encoding_choices[] = {"auto", "utf-8", "cp949", "euc-kr", NULL};

const struct option_spec layout_root_options[] = {
	{.key = "$schema", .type = OPT_STRING, .help = "JSON Schema of this file, for editors"},
	{.key = "version", .type = OPT_INT, OPT_RANGE(1, 1), .default_number = 1,
	 .help = "layout format version"},
	{.key = "title", .type = OPT_STRING, .help = "name of the board, for window titles"},
	{.key = "feed", .type = OPT_NESTED,
	 .help = "the default source: a snapshot URL or file (relative to this file), or a "
		 "source object; --feed overrides its URL"},
	{.key = "sources", .type = OPT_NESTED,
	 .help = "named sources: {\"air\": {\"url\": ..., \"interval\": 10, \"max_age\": 300}}"},
	{.key = "timezone", .type = OPT_STRING, .default_text = "Asia/Seoul",
	 .help = "IANA time zone of \"as of\" times on stale tiles and the status strip"},
	{.key = "status_strip", .type = OPT_ENUM, .choices = status_strip_choices,
	 .default_text = "auto",
	 .help = "the feed status strip: auto (while something is wrong), always or never"},
	{.key = "canvas", .type = OPT_NESTED, .help = "size of the board in virtual units"},
	{.key = "screen", .type = OPT_NESTED,
	 .help = "the physical screen and its viewing distance, for --check's legibility rule: "
		 "{\"width_mm\": 3630, \"height_mm\": 1670, \"distance_m\": 4}"},
	{.key = "grid", .type = OPT_NESTED, .help = "columns, rows, gap and margin"},
	{.key = "theme", .type = OPT_NESTED,
	 .help = "a theme name (dark, light, high_contrast, or one of \"themes\") or object"},
	{.key = "tiles", .type = OPT_NESTED,
	 .help = "the tiles (with \"pages\": the tiles shown on every page)"},
	{.key = "pages", .type = OPT_NESTED,
	 .help = "pages shown in turn: [{\"id\", \"title\", \"duration\", \"tiles\"}]"},
	{.key = "templates", .type = OPT_NESTED,
	 .help = "named tile definitions; a tile says \"template\" and fills ${params} \"with\""},
	{.key = "include", .type = OPT_NESTED,
	 .help = "files whose \"templates\" and \"themes\" this layout uses"},
	{.key = "themes", .type = OPT_NESTED,
	 .help = "named themes; \"theme\" picks one by name"},
	{.key = "scales", .type = OPT_NESTED,
	 .help = "named state scales: {\"NAME\": [steps]}; a tile's \"thresholds\": \"NAME\" "
		 "uses one (before the built-in pm10, topis_road, ...: docs/layouts.md)"},
	{.key = "derive", .type = OPT_NESTED,
	 .help = "values computed from a source's records, bound as \"derived:/NAME\" "
		 "(docs/derive.md)"},
	{.key = "emergency", .type = OPT_NESTED,
	 .help = "a page shown while an alert list holds an alert at or above a level: "
		 "{\"alerts\": \"safety:/alerts\", \"min_level\": \"warning\", \"page\": "
		 "\"incident\"} (docs/emergency.md)"},
	{.key = "schedule", .type = OPT_NESTED,
	 .help = "pages and themes by weekday and time of day: [{\"page\": \"commute\", "
		 "\"days\": \"mon-fri\", \"from\": \"07:00\", \"to\": \"09:00\"}, "
		 "{\"theme\": \"night\", \"from\": \"22:00\", \"to\": \"06:00\"}]"},
	{.key = "params", .type = OPT_NESTED,
	 .help = "values of ${name} in tiles and derive, set once: {\"limit\": \"5m\", "
		 "\"target\": 90}"},
	{.key = "interactive", .type = OPT_BOOL, .default_number = 0,
	 .help = "taps, clicks and arrow keys open tiles' detail panels (docs/interaction.md); "
		 "off: input is ignored"},
	{.key = "detail_idle_s", .type = OPT_NUMBER, OPT_RANGE(1, 3600), .default_number = 30,
	 .help = "seconds without input after which an open detail panel closes"},
	{0},
};

static const char *const alert_level_choices[] = {"info", "caution", "warning", "danger", NULL};

const struct option_spec layout_emergency_options[] = {
	{.key = "alerts", .type = OPT_STRING, .required = true,
	 .help = "the alert list, a binding such as \"safety:/alerts\" (records with a level, "
		 "as the alert widget reads them)"},
	{.key = "min_level", .type = OPT_ENUM, .choices = alert_level_choices,
	 .default_text = "warning", .help = "the least level that shows the page"},
	{.key = "page", .type = OPT_STRING, .required = true,
	 .help = "the id of the page shown (a station's layout names its own)"},
	{.key = "level_field", .type = OPT_STRING, .default_text = "level",
	 .help = "member of each record with its level"},
	{.key = "title_field", .type = OPT_STRING, .default_text = "title",
	 .help = "member of each record with its title, announced on the operator strip"},
	{0},
};

const struct option_spec layout_schedule_options[] = {
	{.key = "page", .type = OPT_STRING,
	 .help = "the id of the page shown in the window (not in a page's own schedule)"},
	{.key = "theme", .type = OPT_STRING,
	 .help = "a theme (built-in or of \"themes\") applied over the layout's in the window"},
	{.key = "days", .type = OPT_STRING, .default_text = "mon-sun",
	 .help = "the days the window starts on: \"mon-fri\", \"sat,sun\", \"mon-sun\""},
	{.key = "from", .type = OPT_STRING, .required = true,
	 .help = "start, local time \"HH:MM\" in the layout's timezone"},
	{.key = "to", .type = OPT_STRING, .required = true,
	 .help = "end, \"HH:MM\" (not included); before \"from\": the next day's"},
	{0},
};

const struct option_spec layout_derive_options[] = {
	{.key = "from", .type = OPT_STRING, .required = true,
	 .help = "the records: a binding such as \"dispatch:/rows\" (an array, or an object "
		 "whose members are the records)"},
	{.key = "where", .type = OPT_STRING,
	 .help = "a condition a record must meet, e.g. \"arrived != null and dispatched >= "
		 "today()\""},
	{.key = "value", .type = OPT_STRING,
	 .help = "what to compute, e.g. \"ratio(arrived - dispatched <= 5m)\"; without it the "
		 "member is a list of the records (sort, limit, fields)"},
	{.key = "group_by", .type = OPT_STRING,
	 .help = "a field: the value becomes an object of its values to figures; \"day(FIELD)\": "
		 "a daily series of a time's local days, for a trend"},
	{.key = "sort", .type = OPT_STRING,
	 .help = "a list's order: a field, ascending (\"dispatched\"), or descending "
		 "(\"-dispatched\")"},
	{.key = "limit", .type = OPT_INT, OPT_RANGE(1, 1000), .default_number = 100,
	 .help = "a list's records at most"},
	{.key = "fields", .type = OPT_NESTED,
	 .help = "the members a listed record keeps: [\"id\", \"district\", \"dispatched\"] "
		 "(declared times as ISO 8601 text); absent: all"},
	{.key = "params", .type = OPT_NESTED,
	 .help = "values of ${name} in where and value: {\"limit\": \"5m\"}"},
	{.key = "times", .type = OPT_NESTED,
	 .help = "times made of fields: {\"dispatched\": [\"출동일자\", \"출동시각\"]} (date "
		 "and time of day) or {\"dispatched\": \"field\"}"},
	{0},
};

const struct option_spec layout_canvas_options[] = {
	{.key = "width", .type = OPT_NUMBER, OPT_RANGE(16, 32768), .default_number = 1920},
	{.key = "height", .type = OPT_NUMBER, OPT_RANGE(16, 32768), .default_number = 1080},
	{0},
};

const struct option_spec layout_screen_options[] = {
	{.key = "width_mm", .type = OPT_NUMBER, OPT_RANGE(10, 100000), .required = true,
	 .help = "width of the picture on the screen, millimetres"},
	{.key = "height_mm", .type = OPT_NUMBER, OPT_RANGE(10, 100000), .required = true,
	 .help = "height of the picture on the screen, millimetres"},
	{.key = "distance_m", .type = OPT_NUMBER, OPT_RANGE(0.1, 1000), .required = true,
	 .help = "the farthest distance the board is read from, metres"},
	{0},
};

const struct option_spec layout_grid_options[] = {
	{.key = "areas", .type = OPT_NESTED,
	 .help = "one string per row naming each cell; tiles use \"area\": name"},
	{.key = "columns", .type = OPT_INT, OPT_RANGE(1, 200), .default_number = 12},
	{.key = "rows", .type = OPT_INT, OPT_RANGE(1, 200), .default_number = 8},
	{.key = "gap", .type = OPT_NUMBER, OPT_RANGE(0, 1000), .default_number = 12},
	{.key = "margin", .type = OPT_NUMBER, OPT_RANGE(0, 1000), .default_number = 24},
	{0},
};

const struct option_spec layout_theme_options[] = {
	{.key = "background", .type = OPT_COLOR},
	{.key = "tile", .type = OPT_COLOR},
	{.key = "tile_border", .type = OPT_COLOR},
	{.key = "text", .type = OPT_COLOR},
	{.key = "muted", .type = OPT_COLOR},
	{.key = "accent", .type = OPT_COLOR},
	{.key = "font", .type = OPT_STRING},
	{.key = "title_font", .type = OPT_STRING},
	{.key = "corner_radius", .type = OPT_NUMBER, OPT_RANGE(0, 200)},
	{.key = "states", .type = OPT_NESTED},
	{.key = "base", .type = OPT_STRING,
	 .help = "theme this one starts from: dark, light, high_contrast or one of \"themes\""},
	{.key = "scale", .type = OPT_NESTED,
	 .help = "size factors by role: {\"title\": 1.2, \"value\": 1, \"label\": 1.2}"},
	{0},
};

const struct option_spec layout_theme_scale_options[] = {
	{.key = "title", .type = OPT_NUMBER, OPT_RANGE(0.5, 3), .default_number = 1},
	{.key = "value", .type = OPT_NUMBER, OPT_RANGE(0.5, 3), .default_number = 1},
	{.key = "label", .type = OPT_NUMBER, OPT_RANGE(0.5, 3), .default_number = 1},
	{0},
};

const struct option_spec layout_states_options[] = {
	{.key = "normal", .type = OPT_NESTED},
	{.key = "good", .type = OPT_NESTED},
	{.key = "moderate", .type = OPT_NESTED},
	{.key = "bad", .type = OPT_NESTED},
	{.key = "very_bad", .type = OPT_NESTED},
	{.key = "nodata", .type = OPT_NESTED},
	{0},
};

const struct option_spec layout_state_color_options[] = {
	{.key = "fill", .type = OPT_COLOR},
	{.key = "accent", .type = OPT_COLOR},
	{0},
};

const struct option_spec layout_detail_options[] = {
	{.key = "department", .type = OPT_STRING, .help = "the department responsible"},
	{.key = "contact", .type = OPT_STRING,
	 .help = "the person to call and their number (from the layout, never from the feed)"},
	{.key = "definition", .type = OPT_STRING, .help = "what the figure measures"},
	{0},
};

const struct option_spec layout_tile_options[] = {
	{.key = "id", .type = OPT_STRING, .help = "unique name of the tile"},
	{.key = "widget", .type = OPT_STRING, .required = true, .help = "what the tile shows"},
	{.key = "cell", .type = OPT_INT_PAIR, OPT_RANGE(0, 199),
	 .help = "[column, row] of the top-left cell, counted from 0"},
	{.key = "area", .type = OPT_STRING, .help = "a named area of the grid, instead of cell"},
	{.key = "template", .type = OPT_STRING, .help = "the template this tile is made from"},
	{.key = "with", .type = OPT_NESTED, .help = "values of the template's ${params}"},
	{.key = "span", .type = OPT_INT_PAIR, OPT_RANGE(1, 200), .default_pair = {1, 1},
	 .help = "[columns, rows] the tile covers"},
	{.key = "detail", .type = OPT_OBJECT, .fields = layout_detail_options,
	 .help = "what the tile's detail panel says besides its data: {\"department\", "
		 "\"contact\", \"definition\"} (docs/interaction.md)"},
	{0},
};

const struct option_spec layout_source_options[] = {
	{.key = "url", .type = OPT_STRING, .required = true,
	 .help = "http://, https:// or file:// URL, a file path relative to the layout, or "
		 "mqtt://host[:port]/topic (mqtts:// with TLS): the topic's retained message"},
	{.key = "interval", .type = OPT_NUMBER, OPT_RANGE(0.05, 86400),
	 .default_number = SOURCE_DEFAULT_INTERVAL,
	 .help = "seconds between polls (mqtt: the keep-alive, at least 5)"},
	{.key = "max_age", .type = OPT_NUMBER, OPT_RANGE(1, 31536000),
	 .default_number = SOURCE_DEFAULT_MAX_AGE,
	 .help = "seconds after which the data is shown as stale"},
	{.key = "timeout", .type = OPT_NUMBER, OPT_RANGE(0.1, 600),
	 .default_number = SOURCE_DEFAULT_TIMEOUT, .help = "seconds a fetch may take in all"},
	{.key = "connect_timeout", .type = OPT_NUMBER, OPT_RANGE(0.1, 120),
	 .default_number = SOURCE_DEFAULT_CONNECT_TIMEOUT, .help = "seconds to connect"},
	{.key = "max_bytes", .type = OPT_INT, OPT_RANGE(1024, 1073741824),
	 .default_number = SOURCE_DEFAULT_MAX_BYTES, .help = "largest document accepted"},
	{.key = "timestamp", .type = OPT_NESTED,
	 .help = "the document's own time: a value path (default generated_at), or {\"path\", "
		 "\"format\", \"timezone\"}; absent in the document: the fetch time counts"},
	{.key = "clock_tolerance", .type = OPT_NUMBER, OPT_RANGE(0, 86400),
	 .default_number = SOURCE_DEFAULT_CLOCK_TOLERANCE,
	 .help = "seconds a document's time may be ahead of this wall's clock; beyond, it ages "
		 "from its fetch and the source reports a clock skew"},
	/* The default depends on max_age (sources_parse.c): -1, outside the range, says "none". */
	{.key = "show_age_after", .type = OPT_NUMBER, OPT_RANGE(0, 31536000), .default_number = -1,
	 .help = "seconds of age after which tiles show \"N분 전\" (default: half of max_age; "
		 "0: never)"},
	{.key = "ca_file", .type = OPT_STRING, .help = "CA bundle for https (default: the system's)"},
	{.key = "username", .type = OPT_STRING,
	 .help = "MQTT user name; ${NAME} takes the value of environment variable NAME"},
	{.key = "password", .type = OPT_STRING,
	 .help = "MQTT password; ${NAME} takes the value of environment variable NAME"},
	{.key = "headers", .type = OPT_NESTED,
	 .help = "request headers; ${NAME} takes the value of environment variable NAME"},
	{.key = "type", .type = OPT_ENUM, .choices = source_type_choices, .default_text = "json",
	 .help = "json: a snapshot document; image: a JPEG or PNG picture (a CCTV still)"},
	{.key = "format", .type = OPT_ENUM, .choices = source_format_choices, .default_text = "json",
	 .help = "how the document is written: json, csv (rows/N/column) or xml (elements)"},
	{.key = "encoding", .type = OPT_ENUM, .choices = source_encoding_choices,
	 .default_text = "auto",
	 .help = "CSV and XML text: auto (UTF-8 when valid, else CP949), utf-8, cp949 or euc-kr"},
	{.key = "history", .type = OPT_NESTED,
	 .help = "readings of bound numbers to keep, for trends and change lines: a duration "
		 "(\"24h\", \"30m\", \"7d\") or a count of readings (2 to 1440); none when absent"},
	{.key = "lat", .type = OPT_NUMBER, OPT_RANGE(-90, 90),
	 .help = "latitude of the source (a camera), degrees; with \"lon\": image tiles with "
		 "\"nearest_to\" choose among sources by distance"},
	{.key = "lon", .type = OPT_NUMBER, OPT_RANGE(-180, 180),
	 .help = "longitude of the source (a camera), degrees; with \"lat\""},
	{.key = "title", .type = OPT_STRING,
	 .help = "the source's name for people, e.g. a camera's place \"구로구청 앞\" (shown by "
		 "image tiles with \"nearest_to\")"},
	{0},
};

const struct option_spec layout_timestamp_options[] = {
	{.key = "path", .type = OPT_BINDING, .required = true,
	 .help = "value path of the document's own time"},
	{.key = "format", .type = OPT_STRING,
	 .help = "how it is written: %Y %m %d %H %M %S %z %% and literal characters (default: "
		 "RFC 3339, \"YYYY-MM-DD HH:MM[:SS]\", YYYYMMDDHHMM, YYYYMMDDHHMMSS, YYYYMMDD or "
		 "epoch seconds)"},
	{.key = "timezone", .type = OPT_STRING,
	 .help = "IANA zone of times written without one (default: the layout's timezone)"},
	{0},
};

const struct option_spec layout_page_options[] = {
	{.key = "id", .type = OPT_STRING, .help = "name of the page"},
	{.key = "title", .type = OPT_STRING, .help = "title of the page"},
	{.key = "duration", .type = OPT_NUMBER, OPT_RANGE(1, 86400), .default_number = 20,
	 .help = "seconds the page is shown before the next one"},
	{.key = "tiles", .type = OPT_NESTED, .required = true, .help = "the page's own tiles"},
	{.key = "schedule", .type = OPT_NESTED,
	 .help = "when the page shows instead of the rotation: {\"days\", \"from\", \"to\"} "
		 "or a list of them"},
	{0},
};

const struct option_spec layout_group_grid_options[] = {
	{.key = "columns", .type = OPT_INT, OPT_RANGE(1, 100), .default_number = 2},
	{.key = "rows", .type = OPT_INT, OPT_RANGE(1, 100), .default_number = 2},
	{.key = "gap", .type = OPT_NUMBER, OPT_RANGE(0, 500), .default_number = 8},
	{.key = "padding", .type = OPT_NUMBER, OPT_RANGE(0, 500), .default_number = 10},
	{.key = "areas", .type = OPT_NESTED,
	 .help = "one string per row naming each cell; tiles use \"area\": name"},
	{0},
};

const struct option_spec layout_include_options[] = {
	{.key = "$schema", .type = OPT_STRING},
	{.key = "templates", .type = OPT_NESTED, .help = "named tile definitions"},
	{.key = "themes", .type = OPT_NESTED, .help = "named themes"},
	{0},
};
