/*
 * text: a line of static or bound text — the board's title, a section heading, a note.
 * Bound text that is missing falls back to the static text.
 */

#include "widgets/widget.h"

#include "layout/options.h"
#include "render/draw.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const align_choices[] = {"left", "center", "right", NULL};
static const char *const role_choices[] = {"title", "heading", "body", "muted", NULL};

static const struct option_spec text_options[] = {
	{.key = "text", .type = OPT_STRING, .default_text = "", .help = "the text"},
	{.key = "value", .type = OPT_BINDING,
	 .help = "path of a text or number shown instead of \"text\" when present"},
	{.key = "role", .type = OPT_ENUM, .choices = role_choices, .default_text = "body",
	 .help = "title and heading use the title font; muted is dimmer"},
	{.key = "align", .type = OPT_ENUM, .choices = align_choices, .default_text = "left"},
	{.key = "size", .type = OPT_NUMBER, OPT_RANGE(0, 1000), .default_number = 0,
	 .help = "em size in virtual units; 0: fit the tile height"},
	{.key = "card", .type = OPT_BOOL, .default_number = 0,
	 .help = "draw the tile's card behind the text"},
	{0},
};

struct text_widget {
	const struct tile *tile; // borrowed
	char *bound;             // owned: the bound text, NULL when unbound or missing
};

static void *text_create(const struct tile *tile)
{
	struct text_widget *t = xcalloc(1, sizeof(*t));
	t->tile = tile;
	return t;
}

static void text_destroy(void *self)
{
	struct text_widget *t = self;
	free(t->bound);
	free(t);
}

static char *value_text(const struct value *v)
{
	double number;
	if (v && v->kind == VALUE_NUMBER && value_number(v, &number)) {
		return xasprintf("%g", number);
	}
	const char *s = value_string(v);
	return s ? xstrdup(s) : NULL;
}

static bool text_bind(void *self, const struct binding_values *values)
{
	struct text_widget *t = self;
	char *next = value_text(binding_current(values, "value"));
	bool changed = (next == NULL) != (t->bound == NULL) ||
		       (next && strcmp(next, t->bound) != 0);
	free(t->bound);
	t->bound = next;
	return changed;
}

static enum text_align parse_align(const char *align)
{
	if (strcmp(align, "center") == 0) {
		return TEXT_ALIGN_CENTER;
	}
	return strcmp(align, "right") == 0 ? TEXT_ALIGN_RIGHT : TEXT_ALIGN_LEFT;
}

static void text_draw_widget(void *self, cairo_t *cr, const struct rect *r,
			     const struct widget_ctx *ctx, double now)
{
	const struct text_widget *t = self;
	const struct option_set *o = &t->tile->options;
	const struct theme *theme = ctx->theme;
	if (option_bool(o, "card")) {
		draw_card(cr, r, theme, theme->tile);
	}
	const char *role = option_text(o, "role");
	bool titled = strcmp(role, "title") == 0 || strcmp(role, "heading") == 0;
	struct color color = strcmp(role, "muted") == 0 ? theme->muted : theme->text;
	double size = option_number(o, "size");
	bool fit = size <= 0;
	if (fit) {
		size = r->h * (titled ? 0.5 : 0.4);
	}
	size *= titled ? theme->title_scale : theme->label_scale;
	enum text_align align = parse_align(option_text(o, "align"));
	double pad = option_bool(o, "card") ? clampd(r->h * 0.15, 4, 32) : 0;
	double x = align == TEXT_ALIGN_LEFT    ? r->x + pad
		   : align == TEXT_ALIGN_RIGHT ? r->x + r->w - pad
					       : r->x + r->w / 2;
	struct text_style style =
		draw_text_style(titled ? theme->title_font : theme->font, titled, size, color, align);
	const char *text = t->bound ? t->bound : option_text(o, "text");
	if (fit) {
		/* An automatic size shrinks to fit (to a point); a designer's size is kept. */
		style.size = draw_fit_size(ctx->text, cr, &style, text, r->w - 2 * pad, 0.4);
	}
	struct text_extents e = text_measure(ctx->text, cr, &style, text);
	/* Centre the line box vertically: baseline sits half the ink height below the middle. */
	double baseline = r->y + r->h / 2 + (e.ascent - e.descent) / 2;
	text_draw(ctx->text, cr, &style, x, baseline, r->w - 2 * pad, text);
}

static bool text_usable(const struct tile *tile, const char *key, const struct value *v)
{
	return v->kind != VALUE_ARRAY && v->kind != VALUE_OBJECT;
}

const struct widget_impl widget_text = {
	.spec = {
		.name = "text",
		.options = text_options,
		.help = "a line of static or bound text",
	},
	.create = text_create,
	.bind = text_bind,
	.draw = text_draw_widget,
	.destroy = text_destroy,
	.usable = text_usable,
	.stale_palette = true,
};
