#include "app/fitcheck.h"

#include "app/derived.h"
#include "compose/board.h"
#include "util/fileio.h"
#include "util/json_scan.h"

#include "util/xmalloc.h"

#include <stdlib.h>

#include <cairo.h>
#include <math.h>

/* ISO 9241-303's least character height, in minutes of arc (docs/legibility.md). */
#define LEGIBLE_ARC_MINUTES 16.0

/* A moment inside page `page` of the rotation. */
static double page_time(const struct layout *layout, size_t page)
{
	double t = 0;
	for (size_t i = 0; i < page; i++) {
		t += layout->pages[i].duration;
	}
	return t + 0.5;
}

/* The line of a tile in the layout file (0 when it cannot be read or found). */
static int tile_line(const char *text, size_t len, const char *pointer)
{
	size_t offset;
	if (!text || !json_locate(text, len, pointer, &offset, NULL)) {
		return 0;
	}
	return json_text_pos(text, len, offset).line;
}

double fitcheck_min_height_mm(double distance_m)
{
	double theta = LEGIBLE_ARC_MINUTES / 60.0 * M_PI / 180.0;
	return 2.0 * distance_m * 1000.0 * tan(theta / 2.0);
}

/* Keeps the smaller of two probes of one tile (pages draw a tile more than once). */
static void keep_smaller(struct text_probe *kept, const struct text_probe *probe)
{
	if (probe->px > 0 && (kept->px == 0 || probe->cap_px < kept->cap_px)) {
		*kept = *probe;
	}
}

/* An error for each tile whose smallest text is below what can be read from the distance. */
static void check_legible(const struct layout *layout, const struct text_probe *smallest,
			  const char *source, size_t len, struct diag_list *diags)
{
	const struct layout_screen *screen = &layout->screen;
	/* The board keeps its proportions on the screen (render/board.c), so the tighter side sets
	 * the scale. The check draws at canvas size: a device pixel is a layout unit. */
	double mm_per_px = fmin(screen->width_mm / layout->width, screen->height_mm / layout->height);
	double min_mm = fitcheck_min_height_mm(screen->distance_m);
	for (size_t i = 0; i < layout->tile_count; i++) {
		const struct tile *tile = &layout->tiles[i];
		double mm = smallest[i].cap_px * mm_per_px;
		if (smallest[i].px == 0 || mm >= min_mm) {
			continue;
		}
		diag_add(diags, DIAG_ERROR, layout->file, tile_line(source, len, tile->pointer), 0,
			 tile->pointer,
			 "text \"%s\" of tile \"%s\" is %.1f mm tall (cap height, %d px type); "
			 "%.1f mm is the least legible from %g m (ISO 9241-303: 16 arc minutes)",
			 smallest[i].text, tile->id, mm, smallest[i].px, min_mm, screen->distance_m);
	}
}

/*
 * The derived values of the local documents `docs` (one per source, NULL where none), so
 * that a tile bound to "derived:" draws as on the wall: a bar's "+N more" takes room from its
 * title. Computed at the newest time the documents give for themselves (before
 * derived_read_local's clamp to its fetch at 0), so "in last 24h" is the day before the data.
 */
static void load_derived(const struct layout *layout, struct board *board,
			 struct snapshot *const *docs)
{
	if (layout->derived_source < 0) {
		return;
	}
	double now = NAN;
	for (size_t s = 0; s < layout->source_count; s++) {
		if (docs[s] && !isnan(docs[s]->generated_at)) {
			double t = docs[s]->generated_at + docs[s]->clock_skew;
			now = isnan(now) ? t : fmax(now, t);
		}
	}
	now = isnan(now) ? 0 : now;
	/* The documents' data times only date the derived snapshot, which the check never ages. */
	double *times = xcalloc(layout->source_count + 1, sizeof(*times));
	for (size_t s = 0; s < layout->source_count; s++) {
		times[s] = now;
	}
	struct snapshot *snap = derived_compute(layout, docs, times, now);
	if (snap) {
		board_set_snapshot(board, (size_t)layout->derived_source, snap, NAN);
		snapshot_unref(snap);
	}
	free(times);
}

/*
 * Gives the board the documents of the layout's local file sources and the values derived
 * from them, so the check draws what the wall draws (change lines, units, badges, a bar's
 * count of the rest), and warns of each binding whose path such a document does not hold: the
 * tile would say "no data" on the wall.
 */
static void load_local_sources(const struct layout *layout, struct board *board,
			       const char *source, size_t len, struct diag_list *diags)
{
	struct snapshot **docs = xcalloc(layout->source_count + 1, sizeof(*docs));
	for (size_t s = 0; s < layout->source_count; s++) {
		struct snapshot *snap = derived_read_local(&layout->sources[s]);
		if (!snap) {
			continue;
		}
		docs[s] = snap;
		for (size_t i = 0; i < layout->tile_count; i++) {
			const struct tile *tile = &layout->tiles[i];
			for (size_t j = 0; j < tile->binding_count; j++) {
				const struct tile_binding *b = &tile->bindings[j];
				if (b->source == s && !path_eval_first(b->compiled, snap->root)) {
					diag_add(diags, DIAG_WARNING, layout->file,
						 tile_line(source, len, tile->pointer), 0,
						 tile->pointer,
						 "%s of tile \"%s\": %s has no value at %s",
						 b->key, tile->id, layout->sources[s].url, b->path);
				}
			}
		}
		board_set_snapshot(board, s, snap, NAN);
	}
	load_derived(layout, board, docs);
	for (size_t s = 0; s < layout->source_count; s++) {
		snapshot_unref(docs[s]);
	}
	free(docs);
}

void fitcheck_layout(const struct layout *layout, struct text_engine *text,
		     struct diag_list *diags)
{
	char *source = NULL, err[256];
	size_t len = 0;
	if (!file_read_all(layout->file, LAYOUT_MAX_BYTES, &source, &len, err, sizeof(err))) {
		source = NULL;
	}
	int width = (int)ceil(layout->width), height = (int)ceil(layout->height);
	cairo_surface_t *frame = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
	struct board *board = board_create(layout, text);
	board_set_viewport(board, width, height);
	struct text_probe *smallest = xcalloc(layout->tile_count + 1, sizeof(*smallest));
	load_local_sources(layout, board, source, len, diags);
	for (size_t page = 0; page < layout->page_count; page++) {
		double now = page_time(layout, page);
		size_t n;
		board_advance(board, now);
		board_draw(board, frame, now, &n);
		for (size_t i = 0; i < layout->tile_count; i++) {
			const struct tile *tile = &layout->tiles[i];
			if (tile->page >= 0 && (size_t)tile->page != page) {
				continue;
			}
			unsigned long before = text_engine_stats(text).shortened;
			struct text_probe probe = {0};
			text_engine_set_probe(text, &probe);
			board_invalidate_tile(board, i);
			/* Widgets keep static layers (a map's names) keyed by the device transform:
			 * a pixel's shift makes them draw their text again, for the probe. */
			cairo_surface_set_device_offset(frame, 1, 0);
			board_draw(board, frame, now, &n);
			cairo_surface_set_device_offset(frame, 0, 0);
			text_engine_set_probe(text, NULL);
			keep_smaller(&smallest[i], &probe);
			if (text_engine_stats(text).shortened > before &&
			    (tile->page >= 0 || page == 0)) {
				diag_add(diags, DIAG_WARNING, layout->file,
					 tile_line(source, len, tile->pointer), 0, tile->pointer,
					 "text of tile \"%s\" does not fit at %dx%d and is shortened "
					 "with \"…\"",
					 tile->id, width, height);
			}
		}
	}
	if (layout->screen.declared) {
		check_legible(layout, smallest, source, len, diags);
	}
	free(smallest);
	board_destroy(board);
	cairo_surface_destroy(frame);
	free(source);
}
