/*
 * status: placeholder until the widget is written (see the issue on widgets / maps).
 */

#include "widgets/widget.h"

#include "render/draw.h"
#include "util/xmalloc.h"

#include <stdlib.h>

static const struct option_spec status_options[] = {
	{.key = "title", .type = OPT_STRING, .default_text = "", .help = "label of the tile"},
	{0},
};

struct status_widget {
	const struct tile *tile; // borrowed
};

static void *status_create(const struct tile *tile)
{
	struct status_widget *w = xcalloc(1, sizeof(*w));
	w->tile = tile;
	return w;
}

static void status_destroy(void *self)
{
	free(self);
}

static bool status_bind(void *self, const struct binding_values *values)
{
	return false;
}

static void status_draw(void *self, cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
		      double now)
{
	draw_card(cr, r, ctx->theme, ctx->theme->tile);
}

const struct widget_impl widget_status = {
	.spec = {
		.name = "status",
		.options = status_options,
		.help = "placeholder",
	},
	.create = status_create,
	.bind = status_bind,
	.draw = status_draw,
	.destroy = status_destroy,
};
