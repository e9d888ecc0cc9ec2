#include "app/fitcheck.h"

#include "compose/board.h"
#include "util/fileio.h"
#include "util/json_scan.h"

#include <stdlib.h>

#include <cairo.h>
#include <math.h>

/* A moment inside page `page` of the rotation. */
static double page_time(const struct layout *layout, size_t page)
{
	double t = 0;
	for (size_t i = 0; i < page; i++) {
		t += layout->pages[i].duration;
	}
	return t + 0.5;
}

/* The line of a tile in the layout file (0 when it cannot be read or found). */
static int tile_line(const char *text, size_t len, const char *pointer)
{
	size_t offset;
	if (!text || !json_locate(text, len, pointer, &offset, NULL)) {
		return 0;
	}
	return json_text_pos(text, len, offset).line;
}

void fitcheck_layout(const struct layout *layout, struct text_engine *text,
		     struct diag_list *diags)
{
	char *source = NULL, err[256];
	size_t len = 0;
	if (!file_read_all(layout->file, LAYOUT_MAX_BYTES, &source, &len, err, sizeof(err))) {
		source = NULL;
	}
	int width = (int)ceil(layout->width), height = (int)ceil(layout->height);
	cairo_surface_t *frame = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
	struct board *board = board_create(layout, text);
	board_set_viewport(board, width, height);
	for (size_t page = 0; page < layout->page_count; page++) {
		double now = page_time(layout, page);
		size_t n;
		board_advance(board, now);
		board_draw(board, frame, now, &n);
		for (size_t i = 0; i < layout->tile_count; i++) {
			const struct tile *tile = &layout->tiles[i];
			if (tile->page >= 0 && (size_t)tile->page != page) {
				continue;
			}
			unsigned long before = text_engine_stats(text).shortened;
			board_invalidate_tile(board, i);
			board_draw(board, frame, now, &n);
			if (text_engine_stats(text).shortened > before &&
			    (tile->page >= 0 || page == 0)) {
				diag_add(diags, DIAG_WARNING, layout->file,
					 tile_line(source, len, tile->pointer), 0, tile->pointer,
					 "text of tile \"%s\" does not fit at %dx%d and is shortened "
					 "with \"…\"",
					 tile->id, width, height);
			}
		}
	}
	board_destroy(board);
	cairo_surface_destroy(frame);
	free(source);
}
