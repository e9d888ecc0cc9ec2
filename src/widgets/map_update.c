/*
 * A map whose district values changed, drawn again only where the change shows
 * (widget_impl.animate). A district a second used to redraw and upload the whole map: at
 * 7680x2160 the bench board's map is 3.6 million pixels, and its repaint was the largest part
 * of a steady wall's CPU after the crawl. Here the device box of what changed (the districts'
 * fills, their old and new labels) is drawn by the same map_draw, clipped to it: the frame
 * gets the bytes a whole draw would give there, and only the box is uploaded.
 *
 * Only when that is certain, else the board draws the whole tile (return false):
 *   - nothing but district values changed since the last draw (no markers, links, zoom, status,
 *     ages, colour range; the same transform, rectangle and theme);
 *   - the legend's entries are the same (no data, stale, missing);
 *   - no label of an unchanged district moved (the greedy placement lets one name push another);
 *   - the box lies inside the card's opaque interior, so what is under the box before drawing
 *     is the card's colour, as it is under a whole draw.
 */

#include "widgets/map_internal.h"

#include "util/xmalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Around a label's box, in its em size: the halo's offset, descenders, the value line's ink. */
#define LABEL_MARGIN 0.35

static const struct map_label *label_of(const struct map_label *labels, size_t n, size_t feature)
{
	for (size_t i = 0; i < n; i++) {
		if (labels[i].feature == feature) {
			return &labels[i];
		}
	}
	return NULL;
}

static bool same_label(const struct map_label *a, const struct map_label *b)
{
	return a->size == b->size && a->box.x == b->box.x && a->box.y == b->box.y &&
	       a->box.w == b->box.w && a->box.h == b->box.h;
}

static void grow(double box[4], double x, double y)
{
	box[0] = fmin(box[0], x), box[1] = fmin(box[1], y);
	box[2] = fmax(box[2], x), box[3] = fmax(box[3], y);
}

/* Grows the device box by a label's box (user units) and its margin. */
static void add_label(cairo_t *cr, const struct map_label *l, double box[4])
{
	double m = l->size * LABEL_MARGIN;
	double x0 = l->box.x - m, y0 = l->box.y - m;
	double x1 = l->box.x + l->box.w + m, y1 = l->box.y + l->box.h + m;
	cairo_user_to_device(cr, &x0, &y0);
	cairo_user_to_device(cr, &x1, &y1);
	grow(box, x0, y0);
	grow(box, x1, y1);
}

/*
 * Places the labels again for the new values. False when a district whose value did not
 * change lost, gained or moved its label; else grows `box` by the old and new labels of the
 * districts that changed.
 */
static bool labels_settled(struct map *m, cairo_t *cr, const struct widget_ctx *ctx,
			   double box[4])
{
	size_t old_count = m->label_count;
	struct map_label *old = xcalloc(old_count ? old_count : 1, sizeof(*old));
	memcpy(old, m->labels, old_count * sizeof(*old));
	map_place_labels(m, cr, ctx->text, &m->view, ctx->theme);
	bool settled = true;
	for (size_t i = 0; i < old_count && settled; i++) {
		const struct map_label *now = label_of(m->labels, m->label_count, old[i].feature);
		if (m->changed[old[i].feature]) {
			add_label(cr, &old[i], box);
		} else {
			settled = now && same_label(&old[i], now);
		}
	}
	for (size_t i = 0; i < m->label_count && settled; i++) {
		const struct map_label *l = &m->labels[i];
		if (m->changed[l->feature]) {
			add_label(cr, l, box);
		} else {
			settled = label_of(old, old_count, l->feature) != NULL;
		}
	}
	free(old);
	return settled;
}

/* Whether device box `a` lies where the card is its plain colour (not its border or corners). */
static bool inside_card(cairo_t *cr, const struct rect *r, const struct theme *theme,
			struct irect a)
{
	double inset = 1 + theme->corner_radius;
	double x0 = r->x + inset, y0 = r->y + inset;
	double x1 = r->x + r->w - inset, y1 = r->y + r->h - inset;
	cairo_user_to_device(cr, &x0, &y0);
	cairo_user_to_device(cr, &x1, &y1);
	return theme->tile.a >= 1 && a.x >= x0 && a.y >= y0 && a.x + a.w <= x1 && a.y + a.h <= y1;
}

static bool unchanged_view(const struct map *m, const cairo_matrix_t *matrix,
			   const struct rect *r, const struct theme *theme)
{
	return m->drawn && !m->whole && m->zoom.k == 1 && m->marker_count == 0 &&
	       m->links.count == 0 && theme == m->drawn_theme && r->x == m->drawn_rect.x &&
	       r->y == m->drawn_rect.y && r->w == m->drawn_rect.w && r->h == m->drawn_rect.h &&
	       memcmp(matrix, &m->drawn_matrix, sizeof(*matrix)) == 0;
}

bool map_update_in_place(void *self, cairo_t *cr, const struct rect *r,
			 const struct widget_ctx *ctx, double now, struct widget_damage *damage)
{
	struct map *m = self;
	cairo_matrix_t matrix;
	cairo_get_matrix(cr, &matrix);
	if (!m->geo || !unchanged_view(m, &matrix, r, ctx->theme)) {
		return false;
	}
	map_update_stale(m, now);
	if (map_legend_key(m) != m->drawn_legend) {
		return false;
	}
	double box[4];
	if (!map_changed_box(cr, m, &m->view, box)) {
		box[0] = box[1] = INFINITY, box[2] = box[3] = -INFINITY;
	}
	if (!labels_settled(m, cr, ctx, box)) {
		return false;
	}
	if (!(box[2] >= box[0] && box[3] >= box[1])) {
		return true; // nothing changed: *damage stays empty
	}
	/* Two pixels more: anti-aliased edges and the outlines stroked over them. */
	struct irect area = {(int)floor(box[0]) - 2, (int)floor(box[1]) - 2, 0, 0};
	area.w = (int)ceil(box[2]) + 2 - area.x;
	area.h = (int)ceil(box[3]) + 2 - area.y;
	if (!inside_card(cr, r, ctx->theme, area)) {
		return false;
	}
	cairo_save(cr);
	cairo_identity_matrix(cr);
	cairo_rectangle(cr, area.x, area.y, area.w, area.h);
	cairo_clip(cr);
	cairo_set_matrix(cr, &matrix);
	m->labels_placed = true; // by labels_settled, for this very view
	widget_map.draw(self, cr, r, ctx, now);
	m->labels_placed = false;
	cairo_restore(cr);
	damage->put[0] = area;
	return true;
}

void map_note_drawn(struct map *m, cairo_t *cr, const struct rect *r, const struct theme *theme,
		    const cairo_matrix_t *matrix)
{
	m->drawn = true;
	m->whole = false;
	m->drawn_matrix = *matrix;
	m->drawn_rect = *r;
	m->drawn_theme = theme;
	m->drawn_legend = map_legend_key(m);
}
