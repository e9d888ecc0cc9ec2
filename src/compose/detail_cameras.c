/*
 * A marker's nearest cameras (docs/interaction.md#marker-or-cluster): the layout's image
 * sources with a position ("type": "image", "lat", "lon"; the ones nearest_to chooses among,
 * layout/nearest.h), by great-circle distance from the marker, listed in its panel, and the
 * nearest one's still drawn there. The still is the source's current snapshot, already
 * decoded in memory: the panel still shows in the next frame.
 */

#include "compose/detail.h"

#include "compose/board.h"
#include "layout/nearest.h"
#include "render/draw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct camera {
	size_t source;
	double km;
};

/* The DETAIL_CAMERAS nearest image sources with a position, nearest first; how many. */
static size_t nearest_cameras(const struct layout *layout, double lat, double lon,
			      struct camera *out)
{
	size_t n = 0;
	for (size_t i = 0; i < layout->source_count; i++) {
		const struct source_config *s = &layout->sources[i];
		if (s->type != SOURCE_IMAGE || !s->has_position) {
			continue;
		}
		struct camera cam = {i, nearest_distance_km(lat, lon, s->lat, s->lon)};
		/* Insertion into the short sorted list; equal distances keep file order. */
		size_t at = n < DETAIL_CAMERAS ? n : DETAIL_CAMERAS;
		while (at > 0 && out[at - 1].km > cam.km) {
			if (at < DETAIL_CAMERAS) {
				out[at] = out[at - 1];
			}
			at--;
		}
		if (at < DETAIL_CAMERAS) {
			out[at] = cam;
			n += n < DETAIL_CAMERAS;
		}
	}
	return n;
}

static void format_km(double km, char *buf, size_t size)
{
	if (km < 1) {
		snprintf(buf, size, "%.0f m", km * 1000);
	} else {
		snprintf(buf, size, "%.1f km", km);
	}
}

void detail_fill_cameras(const struct board *board, const struct layout *layout, double lat,
			 double lon, struct detail_content *c)
{
	struct camera cams[DETAIL_CAMERAS];
	size_t n = nearest_cameras(layout, lat, lon, cams);
	for (size_t i = 0; i < n && c->line_count < DETAIL_MAX_LINES; i++) {
		const struct source_config *s = &layout->sources[cams[i].source];
		char km[32];
		format_km(cams[i].km, km, sizeof(km));
		snprintf(c->lines[c->line_count++], DETAIL_LINE, "CCTV %s · %s",
			 s->title ? s->title : s->name, km);
	}
	if (n == 0) {
		return;
	}
	const struct snapshot *snap = board_source_current(board, cams[0].source);
	c->still = snap ? snap->image : NULL;
	const struct source_config *s = &layout->sources[cams[0].source];
	snprintf(c->still_title, sizeof(c->still_title), "%s", s->title ? s->title : s->name);
}

void detail_draw_still(cairo_t *cr, struct text_engine *text, const struct theme *theme,
		       const struct rect *box, const struct detail_content *c)
{
	const struct image_data *img = c->still;
	double size = clampd(box->h * 0.07, 10, 32);
	struct rect frame = {box->x, box->y, box->w, box->h - size * 1.6};
	if (!img || img->width <= 0 || img->height <= 0 || frame.h <= 0) {
		return;
	}
	cairo_surface_t *s = cairo_image_surface_create_for_data(
		img->pixels, CAIRO_FORMAT_ARGB32, img->width, img->height, img->stride);
	if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
		/* Fitted whole (contain), at the frame's top: the camera's picture, not a crop. */
		double k = fmin(frame.w / img->width, frame.h / img->height);
		double w = img->width * k, h = img->height * k;
		cairo_save(cr);
		cairo_translate(cr, frame.x + (frame.w - w) / 2, frame.y);
		cairo_scale(cr, k, k);
		cairo_set_source_surface(cr, s, 0, 0);
		cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
		cairo_paint(cr);
		cairo_restore(cr);
		struct text_style style = draw_text_style(theme->font, false, size, theme->muted,
							  TEXT_ALIGN_CENTER);
		text_draw(text, cr, &style, frame.x + frame.w / 2, frame.y + h + size * 1.2,
			  frame.w, c->still_title);
	}
	cairo_surface_destroy(s);
}
