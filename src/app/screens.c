#include "app/screens.h"

#include "display/window.h"
#include "util/log.h"

#include <stdio.h>
#include <string.h>

/* The displays to open: --display's list, else one (the default display or --display N). */
static size_t display_count(const struct cli_options *options)
{
	size_t n = options->canvas.display_count;
	return n > 1 ? n : options->canvas.part_count > 1 ? options->canvas.part_count : 1;
}

static int display_of(const struct cli_options *options, size_t i)
{
	const struct canvas_spec *c = &options->canvas;
	return i < c->display_count ? c->displays[i] : c->display_count ? c->displays[0]
									 : options->display;
}

/* Where window i goes: side by side from its display's top-left when several share it. */
static void place(struct window_options *wo, const struct cli_options *options, size_t i,
		  const struct screens *screens)
{
	wo->placed = true;
	wo->x = 0;
	wo->y = 0;
	for (size_t j = 0; j < i; j++) {
		if (display_of(options, j) == display_of(options, i)) {
			int w;
			SDL_GetWindowSize(screens->items[j].window, &w, NULL);
			wo->x += w;
		}
	}
}

static struct irect viewport_in_frame(const struct cli_options *options, size_t i)
{
	const struct canvas_spec *c = &options->canvas;
	if (c->part_count < 2) {
		return (struct irect){0, 0, 0, 0};
	}
	struct irect bounds = viewport_bounds(c), p = viewport_part(c, i);
	return (struct irect){p.x - bounds.x, p.y - bounds.y, p.w, p.h};
}

bool screens_open(struct screens *screens, const struct cli_options *options,
		  const char *title, char *err, size_t err_size)
{
	*screens = (struct screens){0};
	size_t count = display_count(options);
	for (size_t i = 0; i < count; i++) {
		struct screen *s = &screens->items[i];
		s->source = viewport_in_frame(options, i);
		bool own_size = !irect_empty(s->source);
		struct window_options wo = {
			.title = title,
			.width = own_size ? s->source.w : options->size_set ? options->width : CLI_WINDOW_WIDTH,
			.height = own_size ? s->source.h : options->size_set ? options->height : CLI_WINDOW_HEIGHT,
			.fullscreen = options->fullscreen,
			.display_index = display_of(options, i),
			.resizable = true,
			.hide_cursor_when_fullscreen = true,
		};
		if (count > 1) {
			place(&wo, options, i, screens);
		}
		s->window = window_create(&wo, options->present, err, err_size);
		if (!s->window) {
			return false;
		}
		screens->count = i + 1;
		s->present = present_create(s->window, options->present, options->vsync, err,
					    err_size);
		if (!s->present) {
			return false;
		}
		log_info("window %zu on display %d: presenting through %s", i,
			 wo.display_index < 0 ? 0 : wo.display_index, present_describe(s->present));
	}
	if (count > 1 && options->canvas.part_count > 1) {
		struct irect b = viewport_bounds(&options->canvas);
		screens->own = cairo_image_surface_create(CAIRO_FORMAT_RGB24, b.w, b.h);
		if (cairo_surface_status(screens->own) != CAIRO_STATUS_SUCCESS) {
			snprintf(err, err_size, "cannot draw a %dx%d frame for %zu windows", b.w,
				 b.h, count);
			return false;
		}
	}
	return true;
}

void screens_close(struct screens *screens)
{
	for (size_t i = 0; i < screens->count; i++) {
		struct screen *s = &screens->items[i];
		cairo_surface_destroy(s->target);
		present_destroy(s->present);
		window_destroy(s->window);
	}
	cairo_surface_destroy(screens->own);
	*screens = (struct screens){0};
}

cairo_surface_t *screens_frame(const struct screens *screens)
{
	return screens->own ? screens->own : screens->items[0].target;
}

bool screens_attach(struct screens *screens, size_t index, char *err, size_t err_size)
{
	struct screen *s = &screens->items[index];
	cairo_surface_destroy(s->target);
	struct frame_buffer fb = present_frame(s->present);
	s->target = cairo_image_surface_create_for_data(fb.pixels, CAIRO_FORMAT_RGB24, fb.width,
							fb.height, fb.stride);
	if (cairo_surface_status(s->target) != CAIRO_STATUS_SUCCESS) {
		snprintf(err, err_size, "cannot draw into a %dx%d frame buffer", fb.width,
			 fb.height);
		return false;
	}
	return true;
}

long screens_find(const struct screens *screens, Uint32 window_id)
{
	for (size_t i = 0; i < screens->count; i++) {
		if (SDL_GetWindowID(screens->items[i].window) == window_id) {
			return (long)i;
		}
	}
	return -1;
}

/* What screen s shows of the board's frame, in the frame's pixels. */
static struct irect source_of(const struct screens *screens, const struct screen *s)
{
	if (!irect_empty(s->source)) {
		return s->source;
	}
	cairo_surface_t *frame = screens_frame(screens);
	return (struct irect){0, 0, cairo_image_surface_get_width(frame),
			      cairo_image_surface_get_height(frame)};
}

/*
 * Copies the frame's rectangle r (frame pixels, inside the screen's source) into the screen's
 * buffer and returns where it landed there. At the same size a copy by whole pixels; else
 * scaled, with a pixel more around for the filter.
 */
static struct irect copy_part(const struct screens *screens, struct screen *s, struct irect r)
{
	struct irect src = source_of(screens, s);
	int w = cairo_image_surface_get_width(s->target);
	int h = cairo_image_surface_get_height(s->target);
	double kx = (double)w / src.w, ky = (double)h / src.h;
	struct irect out = {(int)((r.x - src.x) * kx) - 1, (int)((r.y - src.y) * ky) - 1,
			    (int)(r.w * kx) + 3, (int)(r.h * ky) + 3};
	if (kx == 1 && ky == 1) {
		out = (struct irect){r.x - src.x, r.y - src.y, r.w, r.h};
	}
	out = irect_intersect(out, (struct irect){0, 0, w, h});
	cairo_t *cr = cairo_create(s->target);
	cairo_rectangle(cr, out.x, out.y, out.w, out.h);
	cairo_clip(cr);
	cairo_scale(cr, kx, ky);
	cairo_set_source_surface(cr, screens_frame(screens), -src.x, -src.y);
	cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
	cairo_paint(cr);
	cairo_destroy(cr);
	cairo_surface_flush(s->target);
	return out;
}

bool screens_can_move(const struct screens *screens)
{
	return screens->count == 1 && screens->own == NULL &&
	       present_can_move(screens->items[0].present);
}

bool screens_can_hold(const struct screens *screens)
{
	return screens_can_move(screens) && present_can_hold(screens->items[0].present);
}

size_t screens_release_idle(struct screens *screens)
{
	if (!screens_can_move(screens)) {
		return 0; // other screens' frames are copied from the board's whole
	}
	return present_release_idle(screens->items[0].present);
}

void screens_keep_frame_for(struct screens *screens, double seconds)
{
	for (size_t i = 0; i < screens->count; i++) {
		present_keep_frame_for(screens->items[i].present, seconds);
	}
}

bool screens_frame_whole(struct screens *screens)
{
	bool whole = true;
	for (size_t i = 0; i < screens->count; i++) {
		whole &= present_frame_whole(screens->items[i].present);
	}
	return whole;
}

void screens_flush(struct screens *screens)
{
	for (size_t i = 0; i < screens->count; i++) {
		present_flush(screens->items[i].present);
	}
}

bool screens_frame_free(struct screens *screens)
{
	bool free = true;
	for (size_t i = 0; i < screens->count; i++) {
		free &= present_frame_free(screens->items[i].present);
	}
	return free;
}

bool screens_present(struct screens *screens, double at, const struct irect *damage,
		     size_t count, const struct screen_move *moves, size_t nmoves, char *err, size_t err_size)
{
	cairo_surface_flush(screens_frame(screens));
	if (nmoves > 0 || screens_can_hold(screens)) {
		if (nmoves > 0 && !screens_can_move(screens)) {
			snprintf(err, err_size, "screens: moves on a screen that cannot move pixels");
			return false;
		}
		return present_update_at(screens->items[0].present, at, moves, (int)nmoves, damage,
					 (int)count, err, err_size);
	}
	bool ok = true;
	for (size_t i = 0; i < screens->count; i++) {
		struct screen *s = &screens->items[i];
		if (s->target == screens_frame(screens)) {
			ok &= present_rects(s->present, damage, (int)count, err, err_size);
			continue;
		}
		struct irect shown[2 * VIEWPORT_MAX + 64];
		size_t n = 0;
		struct irect src = source_of(screens, s);
		for (size_t j = 0; j < count; j++) {
			struct irect r = irect_intersect(damage[j], src);
			if (irect_empty(r)) {
				continue;
			}
			struct irect out = copy_part(screens, s, r);
			if (n < sizeof(shown) / sizeof(shown[0])) {
				shown[n++] = out;
			} else {
				shown[n - 1] = irect_union(shown[n - 1], out);
			}
		}
		ok &= present_rects(s->present, shown, (int)n, err, err_size);
	}
	return ok;
}

bool screens_take_lost(struct screens *screens)
{
	bool lost = false;
	for (size_t i = 0; i < screens->count; i++) {
		lost |= present_take_lost(screens->items[i].present);
	}
	return lost;
}

void screens_wait_idle(struct screens *screens)
{
	for (size_t i = 0; i < screens->count; i++) {
		present_wait_idle(screens->items[i].present);
	}
}

bool screens_present_whole(struct screens *screens, size_t index, char *err, size_t err_size)
{
	struct screen *s = &screens->items[index];
	struct frame_buffer fb = present_frame(s->present);
	struct irect all = {0, 0, fb.width, fb.height};
	return present_rects(s->present, &all, 1, err, err_size);
}
