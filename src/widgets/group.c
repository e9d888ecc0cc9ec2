/*
 * group: a panel with a title and its own sub-grid of tiles ("대기환경" holding PM10, PM2.5 and
 * a trend). The layout places the children inside the group; this widget draws the panel and
 * its title band, and the board draws it again under a child whenever the child redraws.
 */

#include "widgets/widget.h"

#include "layout/options.h"
#include "render/draw.h"
#include "util/xmalloc.h"

#include <stdlib.h>

/* The options, filled once at create (options_fill); texts borrowed from the tile. */
struct group_opts {
	const char *title;
	bool card;
};

static const struct option_spec group_options[] = {
	{.key = "title", OPT_FIELD(OPT_STRING, struct group_opts, title), .default_text = "",
	 .help = "title of the panel"},
	{.key = "card", OPT_FIELD(OPT_BOOL, struct group_opts, card), .default_number = 1,
	 .help = "draw the panel's card"},
	{.key = "grid", .type = OPT_NESTED,
	 .help = "the panel's own grid: columns, rows, gap, padding, areas"},
	{.key = "tiles", .type = OPT_NESTED, .help = "the tiles inside the panel"},
	{0},
};

struct group_widget {
	const struct tile *tile; // borrowed
	struct group_opts o;
};

static void *group_create(const struct tile *tile)
{
	struct group_widget *g = xcalloc(1, sizeof(*g));
	g->tile = tile;
	options_fill(&tile->options, &g->o);
	return g;
}

static void group_destroy(void *self)
{
	free(self);
}

static bool group_bind(void *self, const struct binding_values *values)
{
	return false;
}

static void group_draw(void *self, cairo_t *cr, const struct rect *r,
		       const struct widget_ctx *ctx, double now)
{
	const struct group_widget *g = self;
	const struct theme *theme = ctx->theme;
	const char *title = g->o.title;
	if (g->o.card) {
		struct color panel = theme->tile;
		panel.a *= 0.55; /* lighter than a tile, so the tiles inside stand out */
		draw_card(cr, r, theme, panel);
	}
	if (!title[0]) {
		return;
	}
	double band = group_title_band(r);
	double size = band * 0.5 * theme->title_scale;
	struct text_style style =
		draw_text_style(theme->title_font, true, size, theme->text, TEXT_ALIGN_LEFT);
	double pad = band * 0.35;
	text_draw(ctx->text, cr, &style, r->x + pad, r->y + band * 0.5 + size * 0.36,
		  r->w - 2 * pad, title);
}

const struct widget_impl widget_group = {
	.spec = {
		.name = "group",
		.options = group_options,
		.help = "a titled panel with its own grid of tiles",
	},
	.create = group_create,
	.bind = group_bind,
	.draw = group_draw,
	.destroy = group_destroy,
	.stale_palette = true,
};
