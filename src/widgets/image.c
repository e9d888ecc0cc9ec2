/*
 * image: placeholder until the widget is written (see the issue on widgets / maps).
 */

#include "widgets/widget.h"

#include "render/draw.h"
#include "util/xmalloc.h"

#include <stdlib.h>

static const struct option_spec image_options[] = {
	{.key = "title", .type = OPT_STRING, .default_text = "", .help = "label of the tile"},
	{0},
};

struct image_widget {
	const struct tile *tile; // borrowed
};

static void *image_create(const struct tile *tile)
{
	struct image_widget *w = xcalloc(1, sizeof(*w));
	w->tile = tile;
	return w;
}

static void image_destroy(void *self)
{
	free(self);
}

static bool image_bind(void *self, const struct binding_values *values)
{
	return false;
}

static void image_draw(void *self, cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
		      double now)
{
	draw_card(cr, r, ctx->theme, ctx->theme->tile);
}

const struct widget_impl widget_image = {
	.spec = {
		.name = "image",
		.options = image_options,
		.help = "placeholder",
	},
	.create = image_create,
	.bind = image_bind,
	.draw = image_draw,
	.destroy = image_destroy,
};
