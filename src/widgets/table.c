/*
 * table: placeholder until the widget is written (see the issue on widgets / maps).
 */

#include "widgets/widget.h"

#include "render/draw.h"
#include "util/xmalloc.h"

#include <stdlib.h>

static const struct option_spec table_options[] = {
	{.key = "title", .type = OPT_STRING, .default_text = "", .help = "label of the tile"},
	{0},
};

struct table_widget {
	const struct tile *tile; // borrowed
};

static void *table_create(const struct tile *tile)
{
	struct table_widget *w = xcalloc(1, sizeof(*w));
	w->tile = tile;
	return w;
}

static void table_destroy(void *self)
{
	free(self);
}

static bool table_bind(void *self, const struct binding_values *values)
{
	return false;
}

static void table_draw(void *self, cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
		      double now)
{
	draw_card(cr, r, ctx->theme, ctx->theme->tile);
}

const struct widget_impl widget_table = {
	.spec = {
		.name = "table",
		.options = table_options,
		.help = "placeholder",
	},
	.create = table_create,
	.bind = table_bind,
	.draw = table_draw,
	.destroy = table_destroy,
};
