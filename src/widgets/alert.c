/*
 * alert: placeholder until the widget is written (see the issue on widgets / maps).
 */

#include "widgets/widget.h"

#include "render/draw.h"
#include "util/xmalloc.h"

#include <stdlib.h>

static const struct option_spec alert_options[] = {
	{.key = "title", .type = OPT_STRING, .default_text = "", .help = "label of the tile"},
	{0},
};

struct alert_widget {
	const struct tile *tile; // borrowed
};

static void *alert_create(const struct tile *tile)
{
	struct alert_widget *w = xcalloc(1, sizeof(*w));
	w->tile = tile;
	return w;
}

static void alert_destroy(void *self)
{
	free(self);
}

static bool alert_bind(void *self, const struct binding_values *values)
{
	return false;
}

static void alert_draw(void *self, cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
		      double now)
{
	draw_card(cr, r, ctx->theme, ctx->theme->tile);
}

const struct widget_impl widget_alert = {
	.spec = {
		.name = "alert",
		.options = alert_options,
		.help = "placeholder",
	},
	.create = alert_create,
	.bind = alert_bind,
	.draw = alert_draw,
	.destroy = alert_destroy,
};
