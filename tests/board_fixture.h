/*
 * A board under test, made from a layout written inline with ' for " (to keep test layouts
 * readable): the layout, a text engine, the board and a frame to draw into, all owned by the
 * fixture and freed by fx_close. For the unit tests that check widgets through the board, as
 * the wall draws them.
 */
#ifndef CITYWALL_TESTS_BOARD_FIXTURE_H
#define CITYWALL_TESTS_BOARD_FIXTURE_H

#include "compose/board.h"
#include "feed/snapshot_parse.h"
#include "layout/layout.h"
#include "render/text.h"
#include "util/diag.h"
#include "widgets/widget.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef T0
#define T0 1795564800.0 /* 2026-11-25T09:00:00+09:00, a multiple of 15 s */
#endif

/* `text` with every ' turned into "; the caller frees it. */
static inline char *unquote(const char *text)
{
	char *s = strdup(text);
	for (char *p = s; *p; p++) {
		*p = *p == '\'' ? '"' : *p;
	}
	return s;
}

struct fx {
	struct layout *layout;     // owned
	struct text_engine *text;  // owned
	struct board *board;       // owned
	cairo_surface_t *frame;    // owned: w x h
	cairo_surface_t *screen;   // owned: what a screen shown the frame's puts holds (or NULL)
	int w, h;
};

/*
 * A board of `tiles` (a JSON list, ' for ") on a w x h canvas (4 x 4 grid) drawn at `scale`;
 * `head` is more of the layout before them ("'feed': {...}, "), or "". The layout's
 * messages are printed as TAP comments.
 */
static inline bool fx_open_with(struct fx *f, int w, int h, double scale, const char *head,
				const char *tiles)
{
	size_t size = strlen(head) + strlen(tiles) + 200;
	char *layout = malloc(size);
	snprintf(layout, size,
		 "{%s'canvas': {'width': %d, 'height': %d}, 'grid': {'columns': 4, 'rows': 4, "
		 "'gap': 10, 'margin': 10}, 'tiles': %s}",
		 head, w, h, tiles);
	char *text = unquote(layout);
	free(layout);
	struct diag_list diags;
	diag_list_init(&diags);
	f->layout = layout_parse(text, strlen(text), "t.json", widget_specs(), &diags);
	for (size_t i = 0; i < diags.count; i++) {
		char *line = diag_format(&diags.items[i]);
		printf("# %s\n", line);
		free(line);
	}
	diag_list_finish(&diags);
	free(text);
	char err[256];
	f->text = text_engine_create(NULL, 0, err, sizeof(err));
	if (!f->layout || !f->text) {
		return false;
	}
	f->w = (int)lround(w * scale);
	f->h = (int)lround(h * scale);
	f->board = board_create(f->layout, f->text);
	board_set_viewport(f->board, f->w, f->h);
	f->frame = cairo_image_surface_create(CAIRO_FORMAT_RGB24, f->w, f->h);
	return true;
}

static inline void fx_close(struct fx *f)
{
	if (f->frame) {
		cairo_surface_destroy(f->frame);
	}
	if (f->screen) {
		cairo_surface_destroy(f->screen);
	}
	board_destroy(f->board);
	text_engine_destroy(f->text);
	layout_destroy(f->layout);
}

/* `json` (' for ") as the document of the layout's source, produced at T0. */
static inline void fx_data(struct fx *f, const char *json)
{
	char *text = unquote(json);
	struct diag_list diags;
	diag_list_init(&diags);
	struct snapshot *s = snapshot_parse(text, strlen(text), "test", "default", "generated_at",
					    T0, &diags);
	diag_list_finish(&diags);
	free(text);
	board_set_snapshot(f->board, 0, s, T0);
	snapshot_unref(s);
}

/* fx_open_with, then `json` as its source's document (fx_data); false when it did not open. */
static inline bool fx_open_data(struct fx *f, int w, int h, double scale, const char *head,
				const char *tiles, const char *json)
{
	bool ok = fx_open_with(f, w, h, scale, head, tiles);
	if (ok) {
		fx_data(f, json);
	}
	return ok;
}

#endif
