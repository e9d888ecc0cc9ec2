/*
 * gauge: placeholder until the widget is written (see the issue on widgets / maps).
 */

#include "widgets/widget.h"

#include "render/draw.h"
#include "util/xmalloc.h"

#include <stdlib.h>

static const struct option_spec gauge_options[] = {
	{.key = "title", .type = OPT_STRING, .default_text = "", .help = "label of the tile"},
	{0},
};

struct gauge_widget {
	const struct tile *tile; // borrowed
};

static void *gauge_create(const struct tile *tile)
{
	struct gauge_widget *w = xcalloc(1, sizeof(*w));
	w->tile = tile;
	return w;
}

static void gauge_destroy(void *self)
{
	free(self);
}

static bool gauge_bind(void *self, const struct binding_values *values)
{
	return false;
}

static void gauge_draw(void *self, cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
		      double now)
{
	draw_card(cr, r, ctx->theme, ctx->theme->tile);
}

const struct widget_impl widget_gauge = {
	.spec = {
		.name = "gauge",
		.options = gauge_options,
		.help = "placeholder",
	},
	.create = gauge_create,
	.bind = gauge_bind,
	.draw = gauge_draw,
	.destroy = gauge_destroy,
};
