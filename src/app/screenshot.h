#ifndef CITYWALL_APP_SCREENSHOT_H
#define CITYWALL_APP_SCREENSHOT_H

#include <stdbool.h>
#include <stddef.h>

#include "app/wall.h"

/*
 * Draws one frame of `wall` at width x height into an offscreen cairo surface — the same board
 * code the window uses — and writes it as PNG. Returns false with a message on failure.
 */
bool screenshot_write(struct wall *wall, int width, int height, const char *png_path, char *err,
		      size_t err_size);

#endif
