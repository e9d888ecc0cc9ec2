#ifndef CITYWALL_RENDER_BUDGET_H
#define CITYWALL_RENDER_BUDGET_H

/*
 * The memory budget: every cache of drawn pixels, in one place, with a byte budget that follows
 * the output size and not the hours a wall has run. For an output of P = width x height pixels:
 *
 *   text_lines    rasterised lines (A8 masks)      P bytes, 2..32 MiB (LRU: the oldest go)
 *   map_layers    maps' cached fills and outlines  2 P bytes, >= 2 MiB (refused: drawn direct)
 *   ticker_strips tickers' rendered crawls         4 P bytes, >= 16 MiB (refused: drawn direct)
 *   images        pictures scaled for their tile   2 P bytes, >= 2 MiB (refused: scaled per draw)
 *
 * The text engine's cache evicts by itself under the budget it is given (budget_fit); the
 * others charge what they allocate with budget_charge() and, when it is refused, draw without
 * the cache (slower, never wrong). The frame itself (P x 4 bytes, the window's own pixels) is
 * not a cache and is reported beside them.
 *
 * Charges are atomic: widgets may draw on several threads.
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "render/text.h"

enum budget_cache {
	BUDGET_TEXT_LINES,
	BUDGET_MAP_LAYERS,
	BUDGET_TICKER_STRIPS,
	BUDGET_IMAGES,
	BUDGET_CACHE_COUNT
};

struct budget {
	struct text_engine *text;                    // borrowed; NULL: no text cache to size
	int width, height;                           // the output, device pixels
	size_t limit[BUDGET_CACHE_COUNT];            // bytes
	atomic_size_t used[BUDGET_CACHE_COUNT];      // bytes charged now (text: read from engine)
	atomic_ulong refused[BUDGET_CACHE_COUNT];    // charges refused so far
};

/* One cache's figures, for the status document and tests. */
struct budget_usage {
	const char *name; // static: "text_lines", ...
	size_t limit;     // bytes
	size_t used;      // bytes
	unsigned long refused;
};

/* A budget for an output of no size yet (the smallest budgets); `text` may be NULL. */
void budget_init(struct budget *budget, struct text_engine *text);

/* Sets every limit for a width x height output and gives the text engine its share. */
void budget_fit(struct budget *budget, int width, int height);

/* What `cache` may hold for an output of width x height (the table above). */
size_t budget_limit_for(enum budget_cache cache, int width, int height);

/*
 * Charges `bytes` to `cache`: true when they fit its limit (the caller may keep them and must
 * budget_release() them when freed); false, counted as refused, when they do not (the caller
 * must not keep them). A NULL budget grants everything (tests and tools without a board).
 */
bool budget_charge(struct budget *budget, enum budget_cache cache, size_t bytes);
/* Gives back bytes charged earlier; NULL is a no-op. */
void budget_release(struct budget *budget, enum budget_cache cache, size_t bytes);

/* The figures of `cache` now. */
struct budget_usage budget_usage(const struct budget *budget, enum budget_cache cache);

/* Bytes of one frame of the output (4 per pixel): not a cache, but most of the memory. */
size_t budget_frame_bytes(const struct budget *budget);

#endif
