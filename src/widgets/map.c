/*
 * map: placeholder until the widget is written (see the issue on widgets / maps).
 */

#include "widgets/widget.h"

#include "render/draw.h"
#include "util/xmalloc.h"

#include <stdlib.h>

static const struct option_spec map_options[] = {
	{.key = "title", .type = OPT_STRING, .default_text = "", .help = "label of the tile"},
	{0},
};

struct map_widget {
	const struct tile *tile; // borrowed
};

static void *map_create(const struct tile *tile)
{
	struct map_widget *w = xcalloc(1, sizeof(*w));
	w->tile = tile;
	return w;
}

static void map_destroy(void *self)
{
	free(self);
}

static bool map_bind(void *self, const struct binding_values *values)
{
	return false;
}

static void map_draw(void *self, cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
		      double now)
{
	draw_card(cr, r, ctx->theme, ctx->theme->tile);
}

const struct widget_impl widget_map = {
	.spec = {
		.name = "map",
		.options = map_options,
		.help = "placeholder",
	},
	.create = map_create,
	.bind = map_bind,
	.draw = map_draw,
	.destroy = map_destroy,
};
