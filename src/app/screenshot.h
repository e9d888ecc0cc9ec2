#ifndef CITYWALL_APP_SCREENSHOT_H
#define CITYWALL_APP_SCREENSHOT_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "app/wall.h"

/*
 * Draws one frame of `wall` at width x height into an offscreen cairo surface — the same board
 * code the window uses — and writes it as PNG (screenshot_save). Returns false with a message
 * on failure.
 */
bool screenshot_write(struct wall *wall, int width, int height, const char *png_path, char *err,
		      size_t err_size);

/*
 * Writes `surface` as PNG to `png_path` atomically: into a temporary file in the same folder
 * (".NAME.XXXXXX"), renamed over the path once complete, so a reader (the citizens' view, a
 * script) sees the old picture or the new one, never a part. The file is readable by all
 * (0644): screenshots are what a public wall shows. Returns false with a message; the path is
 * then untouched.
 */
bool screenshot_save(cairo_surface_t *surface, const char *png_path, char *err, size_t err_size);

/*
 * Encodes `surface` as PNG into the open file `fd` (streamed: an 8K frame is 66 MB before
 * compression), makes it readable by all and fsyncs it. `name` is the file's name for the
 * message. Returns false with a message.
 */
bool screenshot_encode(cairo_surface_t *surface, int fd, const char *name, char *err,
		       size_t err_size);

#endif
