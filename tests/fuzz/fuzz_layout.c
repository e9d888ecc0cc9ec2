/*
 * libFuzzer target for layout/layout_parse.c (and options.c, theme.c): parses the input as a
 * layout file against the real widget table, formats every diagnostic and frees everything, so
 * LeakSanitizer catches leaks on the error paths too.
 *
 * Contracts checked besides the sanitizers: NULL comes with at least one error, a layout comes
 * with none, every tile has an id and a widget, is found by its id, lies inside its grid and
 * has a non-empty rectangle inside the canvas.
 */

#include "layout/layout.h"
#include "util/diag.h"
#include "widgets/widget.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void contract_failed(const char *what)
{
	fprintf(stderr, "fuzz_layout: contract broken: %s\n", what);
	abort();
}

static void check_layout(const struct layout *layout)
{
	if (!(layout->width > 0) || !(layout->height > 0) || layout->grid.columns < 1 ||
	    layout->grid.rows < 1) {
		contract_failed("canvas or grid without a size");
	}
	for (size_t i = 0; i < layout->tile_count; i++) {
		const struct tile *t = &layout->tiles[i];
		if (!t->id || !t->pointer || !t->widget) {
			contract_failed("tile without id, pointer or widget");
		}
		if (!layout_find_tile(layout, t->id)) {
			contract_failed("layout_find_tile does not find a tile by its id");
		}
		if (t->column < 0 || t->row < 0 || t->column_span < 1 || t->row_span < 1 ||
		    t->column + t->column_span > layout->grid.columns ||
		    t->row + t->row_span > layout->grid.rows) {
			contract_failed("tile outside its grid");
		}
		if (!isfinite(t->rect.x) || !isfinite(t->rect.y) || !isfinite(t->rect.w) ||
		    !isfinite(t->rect.h)) {
			contract_failed("tile rectangle is not finite");
		}
		/* Every cell is at least one unit wide, and the grid lies inside the canvas. */
		double slack = 1e-6 * (layout->width + layout->height);
		if (!(t->rect.w > 0) || !(t->rect.h > 0) || t->rect.x < -slack || t->rect.y < -slack ||
		    t->rect.x + t->rect.w > layout->width + slack ||
		    t->rect.y + t->rect.h > layout->height + slack) {
			contract_failed("tile rectangle empty or outside the canvas");
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct layout *layout =
		layout_parse((const char *)data, size, "fuzz.json", widget_specs(), &diags);
	size_t errors = diag_count(&diags, DIAG_ERROR);
	if (!layout && errors == 0) {
		contract_failed("layout_parse returned NULL without an error");
	}
	if (layout && errors > 0) {
		contract_failed("layout_parse returned a layout with errors");
	}
	for (size_t i = 0; i < diags.count; i++) {
		free(diag_format(&diags.items[i]));
	}
	if (layout) {
		check_layout(layout);
	}
	layout_destroy(layout);
	diag_list_finish(&diags);
	return 0;
}
