/*
 * pages: the mode bar — the layout's rotating pages as tabs, the one on screen highlighted
 * (the mayor's wall turns its map through six modes, one page each). On an interactive layout
 * a tap on a tab shows that page and holds it while there is input; after the idle time the
 * rotation takes over again (docs/interaction.md#the-mode-bar). Without "interactive" it is a
 * plain indicator of where the rotation is.
 *
 * The board hands the pages and the page on screen in the widget context, and redraws the
 * tile when the page turns (widget_impl.page_bound); the tabs' rectangles of the last draw are
 * kept for hit testing.
 */

#include "widgets/widget.h"

#include "layout/options.h"
#include "render/draw.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tabs drawn at most; pages past it are not offered. */
#define MAX_TABS 16

struct pages_opts {
	bool card;
};

static const struct option_spec pages_options[] = {
	{.key = "card", OPT_FIELD(OPT_BOOL, struct pages_opts, card), .default_number = 1,
	 .help = "draw the tile's card behind the tabs"},
	{0},
};

struct pages_widget {
	struct pages_opts o;
	struct rect tabs[MAX_TABS]; // the last draw's, virtual units
	size_t page_of[MAX_TABS];   // the page each tab shows
	char titles[MAX_TABS][96];
	size_t tab_count;
};

static void *pages_create(const struct tile *tile)
{
	struct pages_widget *w = xcalloc(1, sizeof(*w));
	options_fill(&tile->options, &w->o);
	return w;
}

static void pages_destroy(void *self)
{
	free(self);
}

static bool pages_bind(void *self, const struct binding_values *values)
{
	(void)self;
	(void)values;
	return false;
}

/* The rotating pages, in order: the emergency page and scheduled ones are no modes. */
static void collect_tabs(struct pages_widget *w, const struct layout *layout)
{
	w->tab_count = 0;
	for (size_t i = 0; layout && i < layout->page_count && w->tab_count < MAX_TABS; i++) {
		const struct page *p = &layout->pages[i];
		if (!p->rotates) {
			continue;
		}
		w->page_of[w->tab_count] = i;
		snprintf(w->titles[w->tab_count], sizeof(w->titles[0]), "%s",
			 p->title ? p->title : p->id);
		w->tab_count++;
	}
}

static void draw_tab(cairo_t *cr, const struct widget_ctx *ctx, const struct rect *tab,
		     const char *title, bool current)
{
	const struct theme *theme = ctx->theme;
	double line = fmax(1, tab->h * 0.04);
	struct rect r = {tab->x + line / 2, tab->y + line / 2, tab->w - line, tab->h - line};
	draw_rounded_rect(cr, &r, fmin(theme->corner_radius, r.h / 3));
	if (current) {
		draw_set_color(cr, theme->accent);
		cairo_fill(cr);
	} else {
		cairo_set_line_width(cr, line);
		draw_set_color(cr, theme->muted);
		cairo_stroke(cr);
	}
	double size = fmin(r.h * 0.42, r.w * 0.2);
	struct text_style style = draw_text_style(theme->font, current, size,
						  current ? theme->background : theme->text,
						  TEXT_ALIGN_CENTER);
	text_draw(ctx->text, cr, &style, r.x + r.w / 2, r.y + r.h / 2 + size * 0.36,
		  r.w - size * 0.6, title);
}

static void pages_draw(void *self, cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
		       double now)
{
	(void)now;
	struct pages_widget *w = self;
	if (w->o.card) {
		draw_card(cr, r, ctx->theme, ctx->theme->tile);
	}
	collect_tabs(w, ctx->layout);
	if (w->tab_count == 0) {
		return;
	}
	double pad = clampd(fmin(r->w, r->h) * 0.08, 2, 16), gap = pad * 0.75;
	double width = (r->w - 2 * pad - gap * (double)(w->tab_count - 1)) / (double)w->tab_count;
	for (size_t i = 0; i < w->tab_count; i++) {
		w->tabs[i] = (struct rect){r->x + pad + (double)i * (width + gap), r->y + pad, width,
					   r->h - 2 * pad};
		draw_tab(cr, ctx, &w->tabs[i], w->titles[i], w->page_of[i] == ctx->page);
	}
}

static bool pages_hit(void *self, const struct rect *r, double x, double y,
		      struct widget_part *part)
{
	(void)r;
	const struct pages_widget *w = self;
	for (size_t i = 0; i < w->tab_count; i++) {
		const struct rect *t = &w->tabs[i];
		if (x >= t->x && x < t->x + t->w && y >= t->y && y < t->y + t->h) {
			part->kind = WIDGET_PART_PAGE;
			part->index = (long)w->page_of[i];
			snprintf(part->label, sizeof(part->label), "%s", w->titles[i]);
			return true;
		}
	}
	return false;
}

static bool pages_describe(void *self, double now, char *buf, size_t size)
{
	(void)now;
	const struct pages_widget *w = self;
	size_t used = 0;
	for (size_t i = 0; i < w->tab_count && used < size; i++) {
		int n = snprintf(buf + used, size - used, "%s%s", i ? " · " : "", w->titles[i]);
		used += n > 0 ? (size_t)n : 0;
	}
	return w->tab_count > 0;
}

const struct widget_impl widget_pages = {
	.spec = {
		.name = "pages",
		.options = pages_options,
		.help = "the mode bar: the layout's rotating pages as tabs, the one on screen "
			"highlighted; tapping a tab shows that page (interactive layouts)",
	},
	.create = pages_create,
	.bind = pages_bind,
	.draw = pages_draw,
	.destroy = pages_destroy,
	.stale_palette = true,
	.hit = pages_hit,
	.describe = pages_describe,
	.page_bound = true,
};

/* The rectangle of the tab showing `page` at the last draw of `self`; false: none. */
bool pages_tab_rect(const void *self, size_t page, struct rect *out)
{
	const struct pages_widget *w = self;
	for (size_t i = 0; i < w->tab_count; i++) {
		if (w->page_of[i] == page) {
			*out = w->tabs[i];
			return true;
		}
	}
	return false;
}
