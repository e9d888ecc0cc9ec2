#include "app/screenshot.h"

#include <cairo.h>
#include <stdio.h>

bool screenshot_write(struct wall *wall, int width, int height, const char *png_path, char *err,
		      size_t err_size)
{
	cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		snprintf(err, err_size, "cannot create a %dx%d image: %s", width, height,
			 cairo_status_to_string(cairo_surface_status(surface)));
		cairo_surface_destroy(surface);
		return false;
	}
	double now = clock_now(&wall->clock);
	board_set_viewport(wall->board, width, height);
	board_advance(wall->board, now);
	board_invalidate_all(wall->board);
	size_t count;
	board_draw(wall->board, surface, now, &count);
	cairo_status_t status = cairo_surface_write_to_png(surface, png_path);
	cairo_surface_destroy(surface);
	if (status != CAIRO_STATUS_SUCCESS) {
		snprintf(err, err_size, "cannot write %s: %s", png_path,
			 cairo_status_to_string(status));
		return false;
	}
	return true;
}
