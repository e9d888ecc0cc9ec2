/*
 * What --publish writes besides pixels: latest.json (the picture's seq and times, and the
 * tiles' text for the citizens' page and its screen readers) and the label drawn into the
 * picture's corner. Runs on the main thread, which owns the board and its widgets.
 */

#include "app/publish.h"

#include "render/draw.h"
#include "render/format.h"
#include "util/timefmt.h"

#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* `t` broken down in `zone`, with its UTC offset in seconds (UTC when the zone is unknown). */
static struct tm zoned(double t, const char *zone, long *offset)
{
	struct tm tm;
	if (!time_in_zone(t, zone, &tm)) {
		time_in_zone(t, NULL, &tm);
		tm.tm_gmtoff = 0;
	}
	*offset = tm.tm_gmtoff;
	return tm;
}

/* `t` in the layout's zone with its offset: compact for file names, else RFC 3339. */
static void zoned_text(double t, const char *zone, bool compact, char *buf, size_t size)
{
	long off;
	struct tm tm = zoned(t, zone, &off);
	long a = labs(off);
	const char *format = compact ? "%04d%02d%02dT%02d%02d%02d%c%02ld%02ld"
				     : "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld";
	snprintf(buf, size, format, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

void publish_compact_time(double t, const char *zone, char *buf, size_t size)
{
	zoned_text(t, zone, true, buf, size);
}

/* RFC 3339 in the layout's zone: "2026-12-06T13:15:02+09:00", what people in Seoul read. */
static void local_time(double t, const char *zone, char *buf, size_t size)
{
	zoned_text(t, zone, false, buf, size);
}

static void add_time(cJSON *obj, const char *key, double t, const char *zone)
{
	char buf[64];
	if (isnan(t)) {
		cJSON_AddNullToObject(obj, key);
		return;
	}
	local_time(t, zone, buf, sizeof(buf));
	cJSON_AddStringToObject(obj, key, buf);
}

/* The oldest data time of the sources with data (NAN: none has any). */
static double oldest_data_time(struct wall *wall)
{
	double oldest = NAN;
	for (size_t i = 0; i < wall->layout->source_count; i++) {
		struct source_status st;
		struct snapshot *snap = fetcher_snapshot(wall->fetcher, i, &st);
		snapshot_unref(snap);
		if (wall->layout->sources[i].url && !isnan(st.data_time) &&
		    (isnan(oldest) || st.data_time < oldest)) {
			oldest = st.data_time;
		}
	}
	return oldest;
}

static cJSON *sources_json(struct wall *wall, double now)
{
	const char *zone = wall->layout->timezone;
	cJSON *list = cJSON_CreateArray();
	for (size_t i = 0; i < wall->layout->source_count; i++) {
		const struct source_config *config = &wall->layout->sources[i];
		if (!config->url) {
			continue;
		}
		struct source_status st;
		struct snapshot *snap = fetcher_snapshot(wall->fetcher, i, &st);
		snapshot_unref(snap);
		cJSON *obj = cJSON_CreateObject();
		cJSON_AddStringToObject(obj, "name", config->name);
		add_time(obj, "data_time", st.data_time, zone);
		char as_of[64];
		format_as_of(st.data_time, zone, now, as_of, sizeof(as_of));
		cJSON_AddStringToObject(obj, "as_of", as_of);
		cJSON_AddBoolToObject(obj, "stale", board_source_stale(wall->board, i));
		cJSON_AddBoolToObject(obj, "failing", st.state == SOURCE_FAILING);
		const struct snapshot *shown = board_source_current(wall->board, i);
		if (shown && shown->has_seq) {
			cJSON_AddNumberToObject(obj, "seq", (double)shown->seq);
		} else {
			cJSON_AddNullToObject(obj, "seq");
		}
		cJSON_AddItemToArray(list, obj);
	}
	return list;
}

/* A tile's "title" option, or "" for widgets without one (a clock, a plain text). */
static const char *tile_title(const struct tile *tile)
{
	for (const struct option_spec *o = tile->widget->options; o && o->key; o++) {
		if (strcmp(o->key, "title") == 0) {
			return option_text(&tile->options, "title");
		}
	}
	return "";
}

/*
 * The tiles on screen, in layout order (the order a designer reads them in): id, widget,
 * title, the text they show ("text": null when a widget draws no text worth listing: a chart
 * says its numbers only in pixels), and whether it is stale with its "as of".
 */
static cJSON *tiles_json(struct wall *wall, double now)
{
	const struct layout *layout = wall->layout;
	cJSON *list = cJSON_CreateArray();
	for (size_t i = 0; i < layout->tile_count; i++) {
		const struct tile *tile = &layout->tiles[i];
		if (!board_tile_visible(wall->board, i) || strcmp(tile->widget->name, "group") == 0) {
			continue;
		}
		char text[1024];
		bool described = board_tile_describe(wall->board, i, now, text, sizeof(text));
		const char *title = tile_title(tile);
		if (!described && !title[0]) {
			continue; // nothing a reader could be told
		}
		cJSON *obj = cJSON_CreateObject();
		cJSON_AddStringToObject(obj, "id", tile->id);
		cJSON_AddStringToObject(obj, "widget", tile->widget->name);
		cJSON_AddStringToObject(obj, "title", title);
		if (described) {
			cJSON_AddStringToObject(obj, "text", text);
		} else {
			cJSON_AddNullToObject(obj, "text");
		}
		bool stale = board_tile_stale(wall->board, i);
		cJSON_AddBoolToObject(obj, "stale", stale);
		double data_time = board_tile_data_time(wall->board, i);
		if ((stale || board_tile_holding(wall->board, i)) && !isnan(data_time)) {
			char as_of[64];
			format_as_of(data_time, layout->timezone, now, as_of, sizeof(as_of));
			cJSON_AddStringToObject(obj, "as_of", as_of);
		} else {
			cJSON_AddNullToObject(obj, "as_of");
		}
		cJSON_AddItemToArray(list, obj);
	}
	return list;
}

char *publish_document(struct wall *wall, long long seq, double now, const char *image,
		       int width, int height)
{
	const struct layout *layout = wall->layout;
	cJSON *root = cJSON_CreateObject();
	cJSON_AddNumberToObject(root, "seq", (double)seq);
	add_time(root, "generated_at", now, layout->timezone);
	cJSON_AddNumberToObject(root, "generated_at_epoch", floor(now));
	add_time(root, "data_time", oldest_data_time(wall), layout->timezone);
	cJSON_AddStringToObject(root, "timezone", layout->timezone ? layout->timezone : "UTC");
	cJSON_AddStringToObject(root, "latest", "latest.png");
	if (image) {
		cJSON_AddStringToObject(root, "image", image);
	} else {
		cJSON_AddNullToObject(root, "image");
	}
	cJSON_AddNumberToObject(root, "width", width);
	cJSON_AddNumberToObject(root, "height", height);
	cJSON_AddNumberToObject(root, "every_s", wall->publish.every);
	cJSON_AddStringToObject(root, "title", layout->title ? layout->title : "citywall");
	cJSON_AddItemToObject(root, "sources", sources_json(wall, now));
	cJSON_AddItemToObject(root, "tiles", tiles_json(wall, now));
	char *text = cJSON_Print(root);
	cJSON_Delete(root);
	return text;
}

void publish_label_text(struct wall *wall, long long seq, double now, char *buf, size_t size)
{
	const char *zone = wall->layout->timezone;
	long off;
	struct tm tm = zoned(now, zone, &off);
	char as_of[64];
	format_as_of(oldest_data_time(wall), zone, now, as_of, sizeof(as_of));
	snprintf(buf, size, "#%lld · %04d-%02d-%02d %02d:%02d:%02d · 데이터 %s", seq,
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 as_of);
}

void publish_draw_label(struct wall *wall, cairo_surface_t *image, const char *label)
{
	const struct theme *theme = &wall->layout->theme;
	int width = cairo_image_surface_get_width(image);
	int height = cairo_image_surface_get_height(image);
	/* Small but legible where the page shows it scaled down: 1.4% of the height, >= 12 px. */
	double size = fmax(12, height * 0.014);
	cairo_t *cr = cairo_create(image);
	struct text_style style = draw_text_style(theme->font, true, size,
						  (struct color){1, 1, 1, 1}, TEXT_ALIGN_RIGHT);
	double w = text_measure(wall->text, cr, &style, label).width;
	double pad = size * 0.45;
	struct rect plate = {width - w - 3 * pad, pad, w + 2 * pad, size * 1.6};
	draw_rounded_rect(cr, &plate, size * 0.3);
	cairo_set_source_rgba(cr, 0, 0, 0, 0.72);
	cairo_fill(cr);
	text_draw(wall->text, cr, &style, plate.x + plate.w - pad, plate.y + plate.h / 2 + size * 0.36,
		  0, label);
	cairo_destroy(cr);
	cairo_surface_flush(image);
}
