/*
 * trend: placeholder until the widget is written (see the issue on widgets / maps).
 */

#include "widgets/widget.h"

#include "render/draw.h"
#include "util/xmalloc.h"

#include <stdlib.h>

static const struct option_spec trend_options[] = {
	{.key = "title", .type = OPT_STRING, .default_text = "", .help = "label of the tile"},
	{0},
};

struct trend_widget {
	const struct tile *tile; // borrowed
};

static void *trend_create(const struct tile *tile)
{
	struct trend_widget *w = xcalloc(1, sizeof(*w));
	w->tile = tile;
	return w;
}

static void trend_destroy(void *self)
{
	free(self);
}

static bool trend_bind(void *self, const struct binding_values *values)
{
	return false;
}

static void trend_draw(void *self, cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
		      double now)
{
	draw_card(cr, r, ctx->theme, ctx->theme->tile);
}

const struct widget_impl widget_trend = {
	.spec = {
		.name = "trend",
		.options = trend_options,
		.help = "placeholder",
	},
	.create = trend_create,
	.bind = trend_bind,
	.draw = trend_draw,
	.destroy = trend_destroy,
};
