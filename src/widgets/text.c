/*
 * text: a line of static or bound text — the board's title, a section heading, a note.
 * Bound text that is missing falls back to the static text.
 */

#include "widgets/widget.h"

#include "layout/options.h"
#include "render/draw.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum align { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT };
enum role { ROLE_TITLE, ROLE_HEADING, ROLE_BODY, ROLE_MUTED };

static const char *const align_choices[] = {
	[ALIGN_LEFT] = "left", [ALIGN_CENTER] = "center", [ALIGN_RIGHT] = "right", NULL,
};
static const char *const role_choices[] = {
	[ROLE_TITLE] = "title", [ROLE_HEADING] = "heading", [ROLE_BODY] = "body",
	[ROLE_MUTED] = "muted", NULL,
};

/* The options, filled once at create (options_fill); texts borrowed from the tile. */
struct text_opts {
	const char *text;
	int role;  // enum role
	int align; // enum align
	double size;
	bool card;
};

static const struct option_spec text_options[] = {
	{.key = "text", OPT_FIELD(OPT_STRING, struct text_opts, text), .default_text = "",
	 .help = "the text"},
	{.key = "value", .type = OPT_BINDING,
	 .help = "path of a text or number shown instead of \"text\" when present"},
	{.key = "role", OPT_FIELD(OPT_ENUM, struct text_opts, role), .choices = role_choices,
	 .default_text = "body", .help = "title and heading use the title font; muted is dimmer"},
	{.key = "align", OPT_FIELD(OPT_ENUM, struct text_opts, align), .choices = align_choices,
	 .default_text = "left"},
	{.key = "size", OPT_FIELD(OPT_NUMBER, struct text_opts, size), OPT_RANGE(0, 1000),
	 .default_number = 0, .help = "em size in virtual units; 0: fit the tile height"},
	{.key = "card", OPT_FIELD(OPT_BOOL, struct text_opts, card), .default_number = 0,
	 .help = "draw the tile's card behind the text"},
	{0},
};

struct text_widget {
	const struct tile *tile; // borrowed
	struct text_opts o;
	char *bound;             // owned: the bound text, NULL when unbound or missing
};

static void *text_create(const struct tile *tile)
{
	struct text_widget *t = xcalloc(1, sizeof(*t));
	t->tile = tile;
	options_fill(&tile->options, &t->o);
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

static enum text_align text_align_of(int align)
{
	switch (align) {
	case ALIGN_CENTER:
		return TEXT_ALIGN_CENTER;
	case ALIGN_RIGHT:
		return TEXT_ALIGN_RIGHT;
	default:
		return TEXT_ALIGN_LEFT;
	}
}

static void text_draw_widget(void *self, cairo_t *cr, const struct rect *r,
			     const struct widget_ctx *ctx, double now)
{
	const struct text_widget *t = self;
	const struct text_opts *o = &t->o;
	const struct theme *theme = ctx->theme;
	if (o->card) {
		draw_card(cr, r, theme, theme->tile);
	}
	bool titled = o->role == ROLE_TITLE || o->role == ROLE_HEADING;
	struct color color = o->role == ROLE_MUTED ? theme->muted : theme->text;
	double size = o->size;
	bool fit = size <= 0;
	if (fit) {
		size = r->h * (titled ? 0.5 : 0.4);
	}
	size *= titled ? theme->title_scale : theme->label_scale;
	enum text_align align = text_align_of(o->align);
	double pad = o->card ? clampd(r->h * 0.15, 4, 32) : 0;
	double x = align == TEXT_ALIGN_LEFT    ? r->x + pad
		   : align == TEXT_ALIGN_RIGHT ? r->x + r->w - pad
					       : r->x + r->w / 2;
	struct text_style style =
		draw_text_style(titled ? theme->title_font : theme->font, titled, size, color, align);
	const char *text = t->bound ? t->bound : o->text;
	if (fit) {
		/* An automatic size shrinks to fit (to a point); a designer's size is kept. */
		style.size = draw_fit_size(ctx->text, cr, &style, text, r->w - 2 * pad, 0.4);
	}
	struct text_extents e = text_measure(ctx->text, cr, &style, text);
	/* Centre the line box vertically: baseline sits half the ink height below the middle. */
	double baseline = r->y + r->h / 2 + (e.ascent - e.descent) / 2;
	text_draw(ctx->text, cr, &style, x, baseline, r->w - 2 * pad, text);
}

/* The line itself: headings and labels are part of what a reader of the list needs. */
static bool text_describe(void *self, double now, char *buf, size_t size)
{
	const struct text_widget *t = self;
	const char *text = t->bound ? t->bound : t->o.text;
	snprintf(buf, size, "%s", text);
	return text[0] != '\0';
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
	.describe = text_describe,
	.stale_palette = true,
};
