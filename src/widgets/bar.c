/*
 * bar: placeholder until the widget is written (see the issue on widgets / maps).
 */

#include "widgets/widget.h"

#include "render/draw.h"
#include "util/xmalloc.h"

#include <stdlib.h>

static const struct option_spec bar_options[] = {
	{.key = "title", .type = OPT_STRING, .default_text = "", .help = "label of the tile"},
	{0},
};

struct bar_widget {
	const struct tile *tile; // borrowed
};

static void *bar_create(const struct tile *tile)
{
	struct bar_widget *w = xcalloc(1, sizeof(*w));
	w->tile = tile;
	return w;
}

static void bar_destroy(void *self)
{
	free(self);
}

static bool bar_bind(void *self, const struct binding_values *values)
{
	return false;
}

static void bar_draw(void *self, cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
		      double now)
{
	draw_card(cr, r, ctx->theme, ctx->theme->tile);
}

const struct widget_impl widget_bar = {
	.spec = {
		.name = "bar",
		.options = bar_options,
		.help = "placeholder",
	},
	.create = bar_create,
	.bind = bar_bind,
	.draw = bar_draw,
	.destroy = bar_destroy,
};
