#ifndef CITYWALL_RENDER_TEXT_CACHE_H
#define CITYWALL_RENDER_TEXT_CACHE_H

/*
 * The text engine's cache of rasterised lines (private to render/): A8 masks keyed by
 * (family, bold, pixel size, text), least recently used dropped first under a byte budget,
 * and lines idle longer than a time limit dropped as new ones come, unless someone holds them
 * (a tile on show: text_hold in text.h): most lines a live wall draws are drawn for one
 * second or one value (the clock's seconds, the figures a feed replaced), and without the
 * limit they filled the budget within minutes. Lines their caller calls transient (a clock's
 * time) are dropped sooner: only the newest TEXT_CACHE_TRANSIENT of them are kept (at
 * 7680x2160 a clock's time is a 170 KB mask a second). A line too wide for its room is kept
 * measured only (`unrendered`, no mask), with the ellipsis found for it.
 * It knows nothing of fonts: on a miss the caller makes the line, fills it and offers it back.
 *   line = text_cache_find(..., now);
 *   if (!line) { line = text_cache_line_new(...); <fill mask and metrics>;
 *                line = text_cache_add(..., line, now); }
 *   <use line>; text_cache_put(line);
 * The cache is not thread-safe: the engine calls it under its lock. A line is held by
 * reference from find or line_new until put, so a line dropped from the cache while another
 * thread still paints it is freed by that thread's put, not under it.
 */

#include "render/text.h"

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { TEXT_CACHE_TRANSIENT = 2 };

/* One rasterised line: the cache entry and, when over budget, a one-shot value. */
struct text_line {
	char *family; // owned
	bool bold;
	int px;
	char *text; // owned; sanitised UTF-8
	uint32_t hash;
	cairo_surface_t *mask;    // owned; NULL when nothing is inked or rasterising failed
	int width;                // device px
	int ascent;               // device px above the baseline (mask rows above it)
	int descent;              // device px below the baseline
	size_t bytes;             // what this entry costs against the budget
	double used_at;           // `now` of the last find or add that returned it
	bool transient;           // set before add: kept among the newest transient lines only
	bool unrendered;          // set before add: measured only (too wide to show), no mask;
				  // a rendered line of the same key replaces it when added
	double cut_width;         // the most device px its ellipsis was last found for; 0: none
	size_t cut_bytes;         // that ellipsis' prefix bytes; SIZE_MAX: not even "…" fits
	bool cached;              // false: owned by its holders, freed by the last text_cache_put()
	unsigned refs;            // holders between find/line_new and put (the cache is not one)
	struct text_line *chain;  // borrowed: next in the same hash bucket
	struct text_line *newer;  // borrowed: LRU neighbour, towards cache->newest
	struct text_line *older;  // borrowed: LRU neighbour, towards cache->oldest
};

struct text_cache {
	struct text_line **buckets; // owned array; the lines in it are owned through the LRU list
	size_t bucket_count;        // power of two
	struct text_line *newest;   // owned (with every line reachable through ->older)
	struct text_line *oldest;   // borrowed
	size_t budget;              // bytes
	double idle_max;            // seconds a line may go unused; 0: no limit
	struct text_line *transient[TEXT_CACHE_TRANSIENT]; // borrowed: the newest transient lines
	size_t transient_next;      // the ring's slot the next transient line takes
	struct text_stats stats;
};

void text_cache_init(struct text_cache *cache, size_t budget_bytes);
/* A new budget; lines over it are dropped, least recently used first. */
void text_cache_set_budget(struct text_cache *cache, size_t budget_bytes);
/*
 * Lines not found for longer than `seconds` are dropped when a line is added; 0 (the default)
 * keeps them until the budget needs their room.
 */
void text_cache_set_idle(struct text_cache *cache, double seconds);
/* Frees every cached line and the buckets. */
void text_cache_fini(struct text_cache *cache);

/*
 * The cached line for the key, now the most recently used and held by the caller (put it);
 * NULL on a miss. Counts either. `now`: seconds on a monotonic clock, for the idle limit.
 */
struct text_line *text_cache_find(struct text_cache *cache, const char *family, bool bold,
				  int px, const char *text, double now);

/*
 * A new uncached line for the key with no mask and zero metrics, for the caller to fill; held
 * by the caller.
 */
struct text_line *text_cache_line_new(const char *family, bool bold, int px, const char *text);

/*
 * Costs a filled line from line_new and caches it, dropping the lines idle longer than the
 * limit at `now` and the oldest lines to make room, and returns the line its holder should use: when another thread cached the same key while this
 * one was rasterising, that line (held; `line` is freed), else `line`. A line bigger than the
 * whole budget stays uncached: its holder gets it for one use.
 */
struct text_line *text_cache_add(struct text_cache *cache, struct text_line *line, double now);

/* Done with a held line: frees it when the cache does not hold it and nobody else does. NULL is a no-op. */
void text_cache_put(struct text_line *line);

#endif
