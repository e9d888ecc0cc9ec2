#ifndef CITYWALL_RENDER_TEXT_H
#define CITYWALL_RENDER_TEXT_H

/*
 * Text for the wall: Korean and English lines shaped and rasterised by SDL2_ttf (HarfBuzz in
 * Debian's build), fonts found by family name through fontconfig, with a fallback family for
 * code points the main font lacks (NanumGothic has no "✓", DejaVu Sans has).
 *
 * Sizes and positions are in the cairo context's user units (layout units); the engine reads
 * the context's scale, rasterises at the device pixel size so text stays crisp at any scale,
 * and caches each rasterised line as an A8 mask keyed by (family, weight, pixel size, text).
 * Colour is applied when the mask is painted, so one cached line serves every colour, and a
 * steady frame re-rasterises nothing. Measuring and drawing may run on several threads at once
 * (the board's drawing threads, each with its own cairo context); creating, destroying and
 * fitting the cache to the screen belong to one thread.
 *
 * Feed text is untrusted, so every string is bounded before it is measured or shaped, here at
 * the entry points and so for every widget: invalid UTF-8 becomes U+FFFD, combining marks past
 * 8 after a base character are dropped (a cluster of thousands takes HarfBuzz seconds), and a
 * line keeps at most 1,000 code points (of at most 64 KiB of input), then "…" (render/utf8.h).
 */

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

struct text_engine;

enum text_align { TEXT_ALIGN_LEFT, TEXT_ALIGN_CENTER, TEXT_ALIGN_RIGHT };

struct text_style {
	const char *family; // borrowed; fontconfig family name such as "NanumSquare"
	bool bold;
	double size;      // em size in user units (1 unit = 1 px at scale 1)
	double rgba[4];   // straight (not premultiplied) colour, each 0..1
	enum text_align align;
	// The line will not be drawn again once its moment is past (a clock's time): the cache
	// keeps only the newest few such lines, not minutes of them.
	bool transient;
};

/* Extents of a line in user units; y grows downwards, ascent and descent are positive. */
struct text_extents {
	double width;
	double ascent;
	double descent;
};

struct text_stats {
	unsigned long hits;     // lines served from the cache
	unsigned long misses;   // lines rasterised
	size_t bytes;           // mask memory held now
	size_t entries;
	unsigned long shortened; // lines drawn shortened with "…" (--check warns about them)
};

/*
 * Creates an engine (calls TTF_Init if needed). `fallback_family` may be NULL for
 * "DejaVu Sans". `cache_budget_bytes` bounds the mask cache (least recently used lines are
 * dropped first); 0 picks 64 MiB. Returns NULL and writes a message into err on failure.
 */
struct text_engine *text_engine_create(const char *fallback_family, size_t cache_budget_bytes,
				       char *err, size_t err_size);
/* Frees every cached line and font; NULL is a no-op. */
void text_engine_destroy(struct text_engine *engine);

/*
 * Measures `utf8` as text_draw() would draw it (bounded as above, but not shortened to a
 * width), in user units of `cr`. Invalid UTF-8 is drawn and measured with U+FFFD in place of
 * the bad bytes.
 */
struct text_extents text_measure(struct text_engine *engine, cairo_t *cr,
				 const struct text_style *style, const char *utf8);

/*
 * Draws one line with its baseline at y. x is the left edge, centre or right edge according to
 * style->align. When max_width > 0 and the line is wider, it is shortened at a character
 * boundary and ends with "…". Returns the width drawn, in user units. A line shortened either
 * way (to max_width or to the length bound) counts in text_stats.shortened.
 */
double text_draw(struct text_engine *engine, cairo_t *cr, const struct text_style *style,
		 double x, double y, double max_width, const char *utf8);

/* Cache counters, for tests and the benchmark. */
struct text_stats text_engine_stats(const struct text_engine *engine);

/*
 * The smallest line drawn while a probe is set, measured by its font's cap height: the height
 * of "H" (its glyph's top above the baseline), which is what ISO 9241-303 calls character
 * height; Hangul syllables in the bundled fonts stand taller than it, so it is the strict one.
 * --check's legibility rule reads it per tile (app/fitcheck.c).
 */
struct text_probe {
	int px;         // em size of the smallest line, device pixels; 0: nothing drawn yet
	double cap_px;  // its cap height, device pixels
	char text[96];  // the line; a longer one cut at a character boundary, with "…"
};

/*
 * Records into `probe` (borrowed until set again; NULL stops) every line text_draw() draws
 * from now on, keeping the one with the smallest cap height. Blank lines do not count.
 */
void text_engine_set_probe(struct text_engine *engine, struct text_probe *probe);

/* The file fontconfig chose for a family (for --version and diagnostics); NULL if none. */
const char *text_engine_font_file(struct text_engine *engine, const char *family, bool bold);

/*
 * A new byte budget for the line cache (least recently used lines are dropped to fit). The
 * board sets it from the output size (render/budget.h), so memory follows the screen instead
 * of the hours a wall has run.
 */
void text_engine_set_cache_budget(struct text_engine *engine, size_t bytes);

/*
 * The lines a drawing painted, kept in the cache for as long as that drawing may be on show:
 * the board gives each tile one, so what the cache keeps beyond a short idle time is what the
 * screen (or a page of its round) shows, not the last minutes' replaced figures. Each entry is
 * one reference; the cache passes held lines over when it drops idle ones.
 *   struct text_hold drawn = {0};
 *   struct text_hold *outer = text_hold_begin(&drawn);
 *   <draw>;
 *   text_hold_end(outer);
 *   text_hold_release(engine, &tile->lines); tile->lines = drawn;
 */
struct text_hold {
	struct text_line **lines; // owned array; each line one reference, given back by release
	size_t count, capacity;
};

/*
 * From now on this thread's text_draw() keeps the lines it paints in `hold` (NULL: keeps none,
 * as before any begin). Returns the hold that was current, for text_hold_end().
 */
struct text_hold *text_hold_begin(struct text_hold *hold);
/* Makes `previous` (from text_hold_begin) current again on this thread. */
void text_hold_end(struct text_hold *previous);
/* Gives back every line of `hold` (the cache may drop them once idle) and empties it. */
void text_hold_release(struct text_engine *engine, struct text_hold *hold);

#endif
