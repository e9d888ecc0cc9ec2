/*
 * image: a picture from an image source (a CCTV still, a radar map), fitted to the tile —
 * contain (letterboxed in the background colour), cover (cropped to fill) or fill (stretched) —
 * with an optional title and its capture time ("14:02:05 촬영") over it. The source refreshes
 * the picture in the background; a failed fetch keeps the last good one (the fetcher does),
 * the board greys it out with an "as of" badge once it is older than the source's max_age, and
 * before the first picture the tile says so ("영상 없음").
 *
 * With "nearest_to" instead of "source" the tile shows the camera nearest the leading alert of
 * an alert list (layout/nearest.h chooses, on every bind), captioned with the camera's name
 * and distance ("구로구청 앞 · 0.8 km"); with no alert it says its no-data text.
 *
 * The pixels are the snapshot's own (decoded on the fetch thread): the widget keeps a
 * reference to the snapshot it shows and wraps its pixels in a cairo surface without copying.
 * Scaling a large picture with a good filter costs milliseconds, so the scaled picture is kept
 * at device resolution and reused until the picture, the tile's size or the scale changes.
 */

#include "widgets/widget.h"

#include "layout/nearest.h"
#include "layout/options.h"
#include "render/draw.h"
#include "util/log.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum fit { FIT_CONTAIN, FIT_COVER, FIT_FILL };

static const char *const fit_choices[] = {
	[FIT_CONTAIN] = "contain", [FIT_COVER] = "cover", [FIT_FILL] = "fill", NULL,
};

/* The options, filled once at create (options_fill); texts borrowed from the tile. */
struct image_opts {
	int fit; // enum fit
	const char *title;
	bool show_time;
	struct color background;
	const char *timezone;
	const char *nodata_text;
	int rank;
};

static const struct option_spec image_options[] = {
	{.key = "source", .type = OPT_BINDING,
	 .help = "the image source, as \"cam1:\" (a source with \"type\": \"image\"); or "
		 "\"nearest_to\""},
	{.key = "nearest_to", .type = OPT_BINDING,
	 .help = "instead of \"source\": an alert list (\"safety:/alerts\"); the tile shows "
		 "the camera nearest its leading alert, with the camera's name and distance"},
	{.key = "rank", OPT_FIELD(OPT_INT, struct image_opts, rank), OPT_RANGE(1, NEAREST_MAX),
	 .default_number = 1,
	 .help = "with nearest_to: 1 shows the nearest camera, 2 the second nearest, …"},
	{.key = "among", .type = OPT_NESTED,
	 .help = "with nearest_to: the cameras to choose from, [\"cctv1\", \"cctv2\"]; "
		 "default: every image source with \"lat\" and \"lon\""},
	{.key = "fit", OPT_FIELD(OPT_ENUM, struct image_opts, fit), .choices = fit_choices,
	 .default_text = "contain",
	 .help = "contain: whole picture, letterboxed; cover: fill the tile, cropped; fill: "
		 "stretched"},
	{.key = "title", OPT_FIELD(OPT_STRING, struct image_opts, title), .default_text = "",
	 .help = "label over the top-left corner"},
	{.key = "show_time", OPT_FIELD(OPT_BOOL, struct image_opts, show_time), .default_number = 1,
	 .help = "capture time over the bottom-left corner, e.g. \"14:02:05 촬영\""},
	{.key = "background", OPT_FIELD(OPT_COLOR, struct image_opts, background),
	 .default_text = "#000000",
	 .help = "colour of the letterbox bars around a contained picture"},
	{.key = "timezone", OPT_FIELD(OPT_STRING, struct image_opts, timezone),
	 .default_text = "Asia/Seoul", .help = "IANA time zone of the capture time"},
	{.key = "nodata_text", OPT_FIELD(OPT_STRING, struct image_opts, nodata_text),
	 .default_text = "영상 없음 · No image", .help = "shown before the first picture arrives"},
	{0},
};

/* The picture scaled for one device-pixel rectangle; reused while the key stays the same. */
struct scaled {
	cairo_surface_t *surface; // owned; NULL: none
	const struct image_data *image; // borrowed: what it was made from
	struct irect area;        // device pixels it covers (the visible part of the picture)
	double dst[4];            // the whole picture's device rectangle (x, y, w, h)
	struct budget *budget;    // borrowed: what `bytes` are charged to; NULL: none charged
	size_t bytes;
};

struct image_widget {
	const struct tile *tile;    // borrowed
	struct image_opts o;
	struct snapshot *snapshot;  // owned reference: the picture shown; NULL: none
	cairo_surface_t *source;    // owned: wraps snapshot->image->pixels (no copy)
	struct scaled scaled;
	char caption[192]; // nearest_to: the camera chosen and its distance; "": none
	char log_key[96];
};

static void *image_create(const struct tile *tile)
{
	struct image_widget *w = xcalloc(1, sizeof(*w));
	w->tile = tile;
	options_fill(&tile->options, &w->o);
	snprintf(w->log_key, sizeof(w->log_key), "widget:%s", tile->id);
	return w;
}

static void drop_scaled(struct image_widget *w)
{
	if (w->scaled.surface) {
		cairo_surface_destroy(w->scaled.surface);
	}
	budget_release(w->scaled.budget, BUDGET_IMAGES, w->scaled.bytes);
	memset(&w->scaled, 0, sizeof(w->scaled));
}

static void drop_picture(struct image_widget *w)
{
	drop_scaled(w);
	if (w->source) {
		cairo_surface_destroy(w->source);
		w->source = NULL;
	}
	snapshot_unref(w->snapshot);
	w->snapshot = NULL;
}

static void image_destroy(void *self)
{
	struct image_widget *w = self;
	if (w) {
		drop_picture(w);
		free(w);
	}
}

/* A surface over the snapshot's pixels, or NULL (logged) when cairo cannot take them. */
static cairo_surface_t *wrap_pixels(struct image_widget *w, const struct image_data *image)
{
	if (cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, image->width) != image->stride) {
		log_once(LOG_ERROR, w->log_key, "tile %s: picture stride %d is not cairo's",
			 w->tile->id, image->stride);
		return NULL;
	}
	cairo_surface_t *s = cairo_image_surface_create_for_data(
		image->pixels, CAIRO_FORMAT_ARGB32, image->width, image->height, image->stride);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		log_once(LOG_ERROR, w->log_key, "tile %s: cannot show a %d x %d picture: %s",
			 w->tile->id, image->width, image->height,
			 cairo_status_to_string(cairo_surface_status(s)));
		cairo_surface_destroy(s);
		return NULL;
	}
	return s;
}

static void capture_text(const struct image_widget *w, char *buf, size_t size);

/* "구로구청 앞 · 0.8 km": the camera chosen and how far it is from the alert. */
static void format_caption(const struct tile *tile, const struct binding_values *values,
			   char *buf, size_t size)
{
	buf[0] = '\0';
	if (values->chosen < 0) {
		return;
	}
	const char *name = tile->nearest->candidates[values->chosen].title;
	double km = values->chosen_km;
	snprintf(buf, size, km < 9.95 ? "%s · %.1f km" : "%s · %.0f km", name, km);
}

/* The snapshot bound: the source's, or the chosen camera's (NULL: none chosen, or none yet). */
static const struct snapshot *bound_snapshot(const struct image_widget *w,
					     const struct binding_values *values)
{
	const struct tile_nearest *n = w->tile->nearest;
	if (!n) {
		return binding_snapshot(values, "source");
	}
	size_t slot = n->first + (size_t)values->chosen;
	return values->chosen >= 0 && slot < values->count ? values->snapshots[slot] : NULL;
}

static bool image_bind(void *self, const struct binding_values *values)
{
	struct image_widget *w = self;
	struct binding_values kept;
	if (w->tile->nearest && binding_held(values, "nearest_to")) {
		/* The newest alert document broke the list and the board keeps the last good one:
		 * choose by that one, as the tile's "as of" badge says. */
		kept = *values;
		nearest_choose(w->tile, &kept);
		values = &kept;
	}
	char caption[sizeof(w->caption)] = "";
	if (w->tile->nearest) {
		format_caption(w->tile, values, caption, sizeof(caption));
	}
	bool moved = strcmp(caption, w->caption) != 0;
	snprintf(w->caption, sizeof(w->caption), "%s", caption);
	const struct snapshot *snap = bound_snapshot(w, values);
	if (snap && !snap->image) {
		log_once(LOG_WARN, w->log_key,
			 "tile %s: source %s has no picture (declare it with \"type\": \"image\")",
			 w->tile->id, snap->source);
		snap = NULL;
	}
	if (snap == w->snapshot) {
		return moved;
	}
	drop_picture(w);
	if (snap) {
		/* Snapshots are immutable but counted: taking a reference is not a change. */
		w->snapshot = snapshot_ref((struct snapshot *)snap);
		w->source = wrap_pixels(w, snap->image);
		if (w->source) {
			log_once_clear(w->log_key);
		}
	}
	return true;
}

/* The label over the top-left corner: the title, and the camera chosen. */
static void label_text(const struct image_widget *w, char *buf, size_t size)
{
	const char *title = w->o.title;
	snprintf(buf, size, "%s%s%s", title, title[0] && w->caption[0] ? " · " : "", w->caption);
}

/*
 * In words: "구로구청 앞 · 0.8 km · 14:02:05 촬영", or the no-data text. The same texts
 * the picture carries.
 */
static bool image_describe(void *self, double now, char *buf, size_t size)
{
	(void)now;
	struct image_widget *w = self;
	char label[256], when[64] = "";
	label_text(w, label, sizeof(label));
	if (w->source && w->o.show_time && !isnan(snapshot_data_time(w->snapshot))) {
		capture_text(w, when, sizeof(when));
	}
	const char *rest = w->source ? when : w->o.nodata_text;
	snprintf(buf, size, "%s%s%s", label, label[0] && rest[0] ? " · " : "", rest);
	return buf[0] != '\0';
}

/* An alert list is an array (an empty one says "no alert"); a picture source is any snapshot. */
static bool image_usable(const struct tile *tile, const char *key, const struct value *v)
{
	(void)tile;
	return strcmp(key, "nearest_to") != 0 || v->kind == VALUE_ARRAY;
}

/* "source" or "nearest_to", one of them; "rank" and "among" only with "nearest_to". */
static bool image_check(struct parse_ctx *ctx, const struct layout *layout,
			const struct tile *tile)
{
	(void)layout;
	bool source = option_get(&tile->options, "source")->set;
	bool nearest = option_get(&tile->options, "nearest_to")->set;
	if (source == nearest) {
		parse_error(ctx, tile->pointer, false, source
			    ? "\"source\" and \"nearest_to\" both given: a tile shows one or the "
			      "other"
			    : "missing required key \"source\" (or \"nearest_to\")");
		return false;
	}
	const char *keys[] = {"rank", "among"};
	for (size_t i = 0; i < 2 && !nearest; i++) {
		if (option_get(&tile->options, keys[i])->set) {
			char *p = pointer_join(tile->pointer, keys[i]);
			parse_error(ctx, p, true, "\"%s\" goes with \"nearest_to\"", keys[i]);
			free(p);
			return false;
		}
	}
	return true;
}

/* ---- geometry ---- */

/* Where the whole picture goes inside `box` (user units) for the tile's fit. */
static struct rect fit_rect(enum fit fit, const struct rect *box, int width, int height)
{
	if (fit == FIT_FILL) {
		return *box;
	}
	double sx = box->w / width, sy = box->h / height;
	double s = fit == FIT_COVER ? fmax(sx, sy) : fmin(sx, sy);
	double w = width * s, h = height * s;
	return (struct rect){box->x + (box->w - w) / 2, box->y + (box->h - h) / 2, w, h};
}

/* A user-space rectangle in device pixels (the board only scales and translates). */
static void to_device(cairo_t *cr, const struct rect *r, double out[4])
{
	double x0 = r->x, y0 = r->y, x1 = r->x + r->w, y1 = r->y + r->h;
	cairo_user_to_device(cr, &x0, &y0);
	cairo_user_to_device(cr, &x1, &y1);
	out[0] = fmin(x0, x1);
	out[1] = fmin(y0, y1);
	out[2] = fabs(x1 - x0);
	out[3] = fabs(y1 - y0);
}

/* Whole device pixels touched by both rectangles (x, y, w, h arrays). */
static struct irect visible_pixels(const double a[4], const double b[4])
{
	double x0 = fmax(a[0], b[0]), y0 = fmax(a[1], b[1]);
	double x1 = fmin(a[0] + a[2], b[0] + b[2]), y1 = fmin(a[1] + a[3], b[1] + b[3]);
	struct irect r = {(int)floor(x0), (int)floor(y0), 0, 0};
	r.w = x1 > x0 ? (int)ceil(x1) - r.x : 0;
	r.h = y1 > y0 ? (int)ceil(y1) - r.y : 0;
	return r;
}

/* ---- drawing ---- */

/* The 2x2 box average of a premultiplied ARGB32 surface (odd edges repeat their last pixel). */
static cairo_surface_t *halve(cairo_surface_t *src)
{
	int w = cairo_image_surface_get_width(src), h = cairo_image_surface_get_height(src);
	int nw = (w + 1) / 2, nh = (h + 1) / 2;
	cairo_surface_t *out = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, nw, nh);
	cairo_surface_flush(src);
	const unsigned char *in = cairo_image_surface_get_data(src);
	unsigned char *px = cairo_image_surface_get_data(out);
	int in_stride = cairo_image_surface_get_stride(src);
	int out_stride = cairo_image_surface_get_stride(out);
	for (int y = 0; y < nh; y++) {
		int y1 = 2 * y + 1 < h ? 2 * y + 1 : 2 * y;
		const uint32_t *r0 = (const void *)(in + (size_t)(2 * y) * (size_t)in_stride);
		const uint32_t *r1 = (const void *)(in + (size_t)y1 * (size_t)in_stride);
		uint32_t *o = (void *)(px + (size_t)y * (size_t)out_stride);
		for (int x = 0; x < nw; x++) {
			int x0 = 2 * x, x1 = 2 * x + 1 < w ? 2 * x + 1 : 2 * x;
			/* Two channels per add: four bytes sum to at most 1020, which fits 16 bits. */
			uint32_t rb = (r0[x0] & 0xff00ffu) + (r0[x1] & 0xff00ffu) +
				      (r1[x0] & 0xff00ffu) + (r1[x1] & 0xff00ffu);
			uint32_t ag = ((r0[x0] >> 8) & 0xff00ffu) + ((r0[x1] >> 8) & 0xff00ffu) +
				      ((r1[x0] >> 8) & 0xff00ffu) + ((r1[x1] >> 8) & 0xff00ffu);
			o[x] = (((rb + 0x20002u) >> 2) & 0xff00ffu) |
			       ((((ag + 0x20002u) >> 2) & 0xff00ffu) << 8);
		}
	}
	cairo_surface_mark_dirty(out);
	return out;
}

/*
 * Scales the picture once into a surface of `area` device pixels: halvings by 2x2 box averages
 * (a mipmap; exact for premultiplied pixels) while the picture is over 1.5 times too large,
 * then bilinear for the rest, which at a factor of 1.5 or less neither aliases nor blurs. That
 * is the quality of cairo's GOOD filter at a fraction of the cost, and it runs on the render
 * thread when a picture arrives: measured for a 4K still, GOOD alone took 124 ms into a 400 px
 * tile and 241 ms into a 2000 px one; this takes 18 and 32 ms.
 */
static cairo_surface_t *scale_picture(cairo_surface_t *source, const struct image_data *image,
				      struct irect area, const double dst[4])
{
	cairo_surface_t *src = cairo_surface_reference(source);
	int sw = image->width, sh = image->height;
	while (sw > 1.5 * dst[2] + 2 && sh > 1.5 * dst[3] + 2) {
		cairo_surface_t *smaller = halve(src);
		cairo_surface_destroy(src);
		src = smaller;
		sw = cairo_image_surface_get_width(src);
		sh = cairo_image_surface_get_height(src);
	}
	cairo_surface_t *out = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, area.w, area.h);
	cairo_t *c = cairo_create(out);
	cairo_translate(c, dst[0] - area.x, dst[1] - area.y);
	cairo_scale(c, dst[2] / sw, dst[3] / sh);
	cairo_set_source_surface(c, src, 0, 0);
	cairo_pattern_t *p = cairo_get_source(c);
	/* PAD keeps the edges from fading into the transparent outside. */
	cairo_pattern_set_filter(p, CAIRO_FILTER_BILINEAR);
	cairo_pattern_set_extend(p, CAIRO_EXTEND_PAD);
	cairo_rectangle(c, 0, 0, sw, sh);
	cairo_fill(c);
	cairo_destroy(c);
	cairo_surface_destroy(src);
	return out;
}

static bool same_key(const struct scaled *s, const struct image_data *image, struct irect area,
		     const double dst[4])
{
	return s->surface && s->image == image && memcmp(&s->area, &area, sizeof(area)) == 0 &&
	       memcmp(s->dst, dst, sizeof(s->dst)) == 0;
}

/*
 * Paints the picture into `box` (the clip is already set to it). The scaled picture is kept
 * while the images budget allows; else it is scaled for this draw only.
 */
static void draw_picture(struct image_widget *w, cairo_t *cr, const struct rect *box,
			 struct budget *budget)
{
	const struct image_data *image = w->snapshot->image;
	struct rect dst = fit_rect(w->o.fit, box, image->width, image->height);
	double dst_dev[4], box_dev[4];
	to_device(cr, &dst, dst_dev);
	to_device(cr, box, box_dev);
	struct irect area = visible_pixels(dst_dev, box_dev);
	if (irect_empty(area)) {
		return;
	}
	if (!same_key(&w->scaled, image, area, dst_dev)) {
		drop_scaled(w);
		w->scaled = (struct scaled){
			.surface = scale_picture(w->source, image, area, dst_dev),
			.image = image,
			.area = area,
		};
		memcpy(w->scaled.dst, dst_dev, sizeof(dst_dev));
		size_t bytes = (size_t)cairo_image_surface_get_stride(w->scaled.surface) *
			       (size_t)area.h;
		if (budget_charge(budget, BUDGET_IMAGES, bytes)) {
			w->scaled.budget = budget;
			w->scaled.bytes = bytes;
		}
	}
	cairo_save(cr);
	cairo_identity_matrix(cr); // the clip stays where it was set, in device space
	cairo_set_source_surface(cr, w->scaled.surface, area.x, area.y);
	cairo_paint(cr);
	cairo_restore(cr);
	if (budget && !w->scaled.budget) {
		drop_scaled(w);
	}
}

/* A line of white text on a dark pill, for labels over a picture of any brightness. */
static void draw_label(cairo_t *cr, const struct widget_ctx *ctx, double x, double baseline,
		       double size, double max_width, const char *text)
{
	const struct theme *theme = ctx->theme;
	struct text_style style = draw_text_style(theme->font, true, size,
						  (struct color){1, 1, 1, 1}, TEXT_ALIGN_LEFT);
	/* Shrink a little before cutting: a time with an ellipsis says nothing. */
	style.size = draw_fit_size(ctx->text, cr, &style, text, max_width - size * 0.8, 0.7);
	double pad = size * 0.4;
	double width = fmin(text_measure(ctx->text, cr, &style, text).width, max_width - 2 * pad);
	if (width <= 0) {
		return;
	}
	struct rect pill = {x, baseline - size * 1.15, width + 2 * pad, size * 1.6};
	draw_rounded_rect(cr, &pill, size * 0.3);
	cairo_set_source_rgba(cr, 0, 0, 0, 0.6);
	cairo_fill(cr);
	text_draw(ctx->text, cr, &style, x + pad, baseline, width, text);
}

static void capture_text(const struct image_widget *w, char *buf, size_t size)
{
	const char *zone = w->o.timezone;
	struct tm tm;
	if (!time_in_zone(snapshot_data_time(w->snapshot), zone, &tm)) {
		log_once(LOG_WARN, "image-zone", "unknown time zone \"%s\"; capture times in UTC",
			 zone);
	}
	snprintf(buf, size, "%02d:%02d:%02d 촬영", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static double label_size(const struct rect *r)
{
	return clampd(fmin(r->h * 0.07, r->w * 0.065), 12, 30);
}

static void draw_overlays(const struct image_widget *w, cairo_t *cr, const struct rect *box,
			  const struct widget_ctx *ctx)
{
	const struct image_opts *o = &w->o;
	double size = label_size(box);
	double margin = size * 0.5;
	char title[256];
	label_text(w, title, sizeof(title));
	if (title[0]) {
		draw_label(cr, ctx, box->x + margin, box->y + margin + size * 1.15, size,
			   box->w - 2 * margin, title);
	}
	if (o->show_time && !isnan(snapshot_data_time(w->snapshot))) {
		char text[64];
		capture_text(w, text, sizeof(text));
		/* Mostly the left half: the board's "as of" badge of a stale tile sits bottom
		 * right. */
		draw_label(cr, ctx, box->x + margin, box->y + box->h - margin - size * 0.45, size,
			   fmax(box->w * 0.55, fmin(box->w - 2 * margin, size * 9)) - margin,
			   text);
	}
}

/* A camera outline: says "picture" without words, in any language. */
static void draw_camera(cairo_t *cr, double cx, double cy, double size, struct color c)
{
	struct rect body = {cx - size * 0.5, cy - size * 0.3, size, size * 0.6};
	draw_rounded_rect(cr, &body, size * 0.1);
	cairo_move_to(cr, cx - size * 0.2, cy - size * 0.3);
	cairo_line_to(cr, cx - size * 0.12, cy - size * 0.42);
	cairo_line_to(cr, cx + size * 0.12, cy - size * 0.42);
	cairo_line_to(cr, cx + size * 0.2, cy - size * 0.3);
	cairo_new_sub_path(cr);
	cairo_arc(cr, cx, cy, size * 0.19, 0, 2 * M_PI);
	draw_set_color(cr, c);
	cairo_set_line_width(cr, fmax(size * 0.06, 1));
	cairo_stroke(cr);
}

static void draw_nodata(const struct image_widget *w, cairo_t *cr, const struct rect *r,
			const struct widget_ctx *ctx)
{
	const struct theme *theme = ctx->theme;
	const struct state_colors *colors = &theme->states[STATE_NODATA];
	const struct image_opts *o = &w->o;
	char label[256];
	label_text(w, label, sizeof(label));
	draw_card(cr, r, theme, colors->fill);
	double pad = clampd(fmin(r->w, r->h) * 0.08, 6, 40);
	double title_size = clampd(fmin(r->h * 0.1, r->w * 0.072), 11, 36);
	struct text_style title = draw_text_style(theme->font, false, title_size, theme->muted,
						  TEXT_ALIGN_LEFT);
	text_draw(ctx->text, cr, &title, r->x + pad, r->y + pad + title_size * 0.9,
		  r->w - 2 * pad, label);
	double icon = fmin(r->h * 0.22, r->w * 0.2);
	double cy = r->y + r->h * 0.5;
	draw_camera(cr, r->x + r->w / 2, cy, icon, colors->accent);
	struct text_style text = draw_text_style(theme->font, false,
						 clampd(fmin(r->h * 0.08, r->w * 0.06), 10, 40),
						 colors->accent, TEXT_ALIGN_CENTER);
	text_draw(ctx->text, cr, &text, r->x + r->w / 2, cy + icon * 0.5 + text.size * 1.3,
		  r->w - 2 * pad, o->nodata_text);
}

static void image_draw(void *self, cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
		       double now)
{
	struct image_widget *w = self;
	if (!w->source) {
		draw_nodata(w, cr, r, ctx);
		return;
	}
	const struct theme *theme = ctx->theme;
	draw_card(cr, r, theme, w->o.background);
	/* Inside the card's hairline border, with its rounded corners. */
	struct rect box = {r->x + 1, r->y + 1, r->w - 2, r->h - 2};
	cairo_save(cr);
	draw_rounded_rect(cr, &box, fmax(theme->corner_radius - 1, 0));
	cairo_clip(cr);
	draw_picture(w, cr, &box, ctx->budget);
	draw_overlays(w, cr, &box, ctx);
	cairo_restore(cr);
}

const struct widget_impl widget_image = {
	.spec = {
		.name = "image",
		.options = image_options,
		.help = "a picture from an image source (CCTV still): fitted, with capture time",
		.check = image_check,
	},
	.create = image_create,
	.bind = image_bind,
	.draw = image_draw,
	.destroy = image_destroy,
	.describe = image_describe,
	.usable = image_usable,
};
