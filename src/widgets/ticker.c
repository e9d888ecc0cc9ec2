/*
 * ticker: placeholder until the widget is written (see the issue on widgets / maps).
 */

#include "widgets/widget.h"

#include "render/draw.h"
#include "util/xmalloc.h"

#include <stdlib.h>

static const struct option_spec ticker_options[] = {
	{.key = "title", .type = OPT_STRING, .default_text = "", .help = "label of the tile"},
	{0},
};

struct ticker_widget {
	const struct tile *tile; // borrowed
};

static void *ticker_create(const struct tile *tile)
{
	struct ticker_widget *w = xcalloc(1, sizeof(*w));
	w->tile = tile;
	return w;
}

static void ticker_destroy(void *self)
{
	free(self);
}

static bool ticker_bind(void *self, const struct binding_values *values)
{
	return false;
}

static void ticker_draw(void *self, cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
		      double now)
{
	draw_card(cr, r, ctx->theme, ctx->theme->tile);
}

const struct widget_impl widget_ticker = {
	.spec = {
		.name = "ticker",
		.options = ticker_options,
		.help = "placeholder",
	},
	.create = ticker_create,
	.bind = ticker_bind,
	.draw = ticker_draw,
	.destroy = ticker_destroy,
};
