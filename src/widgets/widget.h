#ifndef CITYWALL_WIDGETS_WIDGET_H
#define CITYWALL_WIDGETS_WIDGET_H

/*
 * The widget function table. One widget per file, each exporting one `const struct
 * widget_impl`; registry.c lists them. Widgets know cairo, the theme and the text engine;
 * nothing of SDL, curl or JSON. Their options are declared in `spec` and checked by the layout
 * validator before create() ever runs, so create() cannot fail; create() fills the widget's
 * options struct once with options_fill (docs/widgets/writing-widgets.md).
 */

#include <cairo.h>
#include <stdbool.h>

#include "layout/bind.h"
#include "layout/layout.h"
#include "render/budget.h"
#include "render/text.h"
#include "util/geom.h"

struct widget_ctx {
	struct text_engine *text;  // borrowed
	const struct theme *theme; // borrowed
	struct budget *budget;     // borrowed: what caches charge; NULL grants everything
	/* Width (virtual units, from the tile's right edge) of the age or "기준" badge the board
	 * puts in the tile's bottom right corner after the widget; 0: none. A kpi's change line
	 * stops short of it. */
	double corner_badge;
	/* The layout's pages and the page on screen (the mode bar, widget "pages"). */
	const struct layout *layout; // borrowed
	size_t page;
	/*
	 * The frame is shown one to one on a screen that can move its own pixels, and nothing is
	 * drawn over this tile: animate() may move them there (widget_damage.move) instead of
	 * writing them.
	 */
	bool screen_moves;
};

/* What an animate() changed, in device pixels. */
struct widget_damage {
	struct irect put[2]; // frame pixels it wrote, to be shown; empty ones are ignored
	/*
	 * Screen pixels to move before `put` is shown (only under ctx->screen_moves). The frame
	 * does not hold them moved: the widget owes it them until settle().
	 */
	struct screen_move move;
};

/* What a point of a tile hits inside it (widget_impl.hit): a district, a marker, a row, a bar. */
enum widget_part_kind {
	WIDGET_PART_NONE,     // the tile as a whole
	WIDGET_PART_DISTRICT, // a map district: key is its code
	WIDGET_PART_MARKER,   // a map marker: index is its record
	WIDGET_PART_CLUSTER,  // a map cluster of markers: index is its first record
	WIDGET_PART_ROW,      // a table row: index is the record
	WIDGET_PART_BAR,      // a bar: index is the bar
	WIDGET_PART_PAGE,     // a tab of the mode bar: index is its page
};

struct widget_part {
	enum widget_part_kind kind;
	long index;     // the record, row or bar; -1: none
	char key[64];   // a district's code; "" when none
	char label[96]; // what the part is called on screen (a district's name, a row's first cell)
};

struct widget_impl {
	struct widget_spec spec;
	/* A new instance for `tile` (borrowed: the layout outlives its instances). */
	void *(*create)(const struct tile *tile);
	/* New data arrived: keep what is needed (copy it), return true if the picture changed. */
	bool (*bind)(void *self, const struct binding_values *values);
	/* Draws into `r` (virtual units; the tile's background is already painted). */
	void (*draw)(void *self, cairo_t *cr, const struct rect *r, const struct widget_ctx *ctx,
		     double now);
	/* The next time the picture changes by itself (a clock tick); INFINITY if never. NULL: never. */
	double (*next_deadline)(void *self, double now);
	/*
	 * Optional: brings the picture up to `now`, and to what bind() kept since, in place (the
	 * frame still holds what draw() left, nothing was drawn over it; the board calls it for a
	 * dirty tile whose look, stale or not, is unchanged). Fills *damage (zeroed by the
	 * caller) with what it changed and returns true; false when it cannot (draw() runs
	 * instead). The result must be what draw() at `now` would give, pixel for pixel: a crawl
	 * copies its window instead of drawing text (or moves it on the screen), a map draws only
	 * the districts whose values changed.
	 */
	bool (*animate)(void *self, cairo_t *cr, const struct rect *r,
			const struct widget_ctx *ctx, double now, struct widget_damage *damage);
	/*
	 * Optional, with animate()'s moves: writes into the frame what the screen shows, the
	 * pixels animate() moved there and owes. The board calls it before anything reads the
	 * frame there or draws over it (a screenshot, a whole put, a tile drawn whole, the
	 * operator's strip).
	 */
	void (*settle)(void *self, cairo_t *cr, const struct widget_ctx *ctx);
	void (*destroy)(void *self);
	/*
	 * Whether `v`, bound to option `key` of `tile`, is something the widget can show (a
	 * number for a kpi, a list for a table). A new document is judged by it: a binding it
	 * breaks keeps its last good value on screen, and a document that breaks every binding
	 * of its source is refused. Pure and thread-safe (the fetch thread calls it). NULL: any
	 * value but null.
	 */
	bool (*usable)(const struct tile *tile, const char *key, const struct value *v);
	/*
	 * Optional: the text the tile shows at `now`, as words for people who cannot see it (the
	 * citizens' page lists it for screen readers): "35 µg/m³ ▲ 3 1시간 전 대비". Written with
	 * the same formatting as draw(), so the list says what the picture says. Returns false
	 * when the picture has no text worth listing. NULL: the tile is listed by its title only.
	 */
	bool (*describe)(void *self, double now, char *buf, size_t size);
	/*
	 * Every colour the widget draws comes from ctx->theme (no pictures, no literal colours,
	 * nothing drawn once and kept across themes): a stale tile is then drawn with the board's
	 * grey theme instead of being greyed pixel by pixel afterwards, and costs what a fresh
	 * one does.
	 */
	bool stale_palette;
	/*
	 * Optional: which part of the tile drawn in `r` (virtual units, as draw() had it) holds
	 * the point (x, y) (virtual units). Fills *part and returns true when a part is hit;
	 * false leaves the tile as a whole (part->kind WIDGET_PART_NONE). Pure: reads what the
	 * last bind() and draw() kept. NULL: tiles have no parts.
	 */
	bool (*hit)(void *self, const struct rect *r, double x, double y, struct widget_part *part);
	/*
	 * Optional: the lines a detail panel shows for `part` (label: value), at most `max`,
	 * each written into lines[i] (size `size`). Returns how many.
	 */
	size_t (*part_lines)(void *self, const struct widget_part *part, char (*lines)[160],
			     size_t max);
	/* Drawn from the page on screen (widget_ctx.page): the board redraws it when it turns. */
	bool page_bound;
};

/* widgets/pages.c: the rectangle of the tab showing `page` at the last draw; false: none. */
bool pages_tab_rect(const void *self, size_t page, struct rect *out);

/* Whether `v` is usable for binding `key` of `tile` (see widget_impl.usable); NULL is not. */
bool widget_binding_usable(const struct tile *tile, const char *key, const struct value *v);

/* The widget called `name`, or NULL. */
const struct widget_impl *widget_find(const char *name);
/* All widgets' specs, NULL-terminated: what the layout validator checks tiles against. */
const struct widget_spec *const *widget_specs(void);

#endif
