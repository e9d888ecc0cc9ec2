#include "render/text.h"

#include "render/fonts.h"
#include "render/text_cache.h"
#include "render/utf8.h"
#include "util/log.h"
#include "util/xmalloc.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <limits.h>
#include <pthread.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * A line goes through three caches, each keeping the one below it cheap to miss:
 *   faces   (family, bold)      -> fontconfig's file and index (fonts.c)
 *   fonts   (face, pixel size)  -> open TTF_Font; LRU (fonts.c)
 *   lines   (family, bold, px, text) -> A8 mask; LRU under a byte budget (text_cache.c)
 * A steady frame only hashes its strings and paints masks.
 */

enum {
	// Beyond this a single glyph bitmap is megabytes; a layout asking for it is a bug.
	MAX_PIXEL_SIZE = 2048,
	// pixman's limit for image surfaces.
	MAX_MASK_SIDE = 32767,
};

#define DEFAULT_FALLBACK_FAMILY "DejaVu Sans"
#define DEFAULT_BUDGET_BYTES ((size_t)64 << 20)
/*
 * A line nobody holds and not drawn for this long is dropped as new lines come. The board's
 * tiles and its operator strip hold the lines they last painted (text_hold), on every page of
 * a round, so what goes is what no screen shows any more: the clock's past seconds, the
 * figures and fault messages a feed replaced. Without holds the limit had to outlast a round
 * of pages (180 s), and a live feed with faults at 7680x2160 kept the 16.6 MB budget full of
 * them; now 3-7 MB. Unheld lines drawn again and again (a label redrawn in place, a value
 * measured for its fit) stay while they are drawn.
 */
#define LINE_IDLE_SECONDS 5.0
#define ELLIPSIS "\xE2\x80\xA6"

/*
 * Safe for the board's drawing threads with two locks. TTF_Font, FreeType faces and HarfBuzz
 * fonts are not thread-safe, so shaping and rasterising a line takes `fonts_lock`, one line at a
 * time; a cached line only takes `lock` for a lookup, and its mask is painted with no lock held
 * (cairo reads a shared source surface safely). A steady board rasterises nothing, so the
 * threads meet only on the short cache lock. Per-thread fonts would rasterise in parallel too,
 * but double the open fonts and their glyph caches for the one moment a new layout appears.
 */
struct text_engine {
	pthread_mutex_t lock;       // guards lines and shortened
	pthread_mutex_t fonts_lock; // guards fonts and every TTF_Font they hold
	struct fonts *fonts;        // owned
	char *fallback_family;      // owned
	struct text_cache lines;    // owns every line it holds
	unsigned long shortened;    // lines drawn with an ellipsis
	struct text_probe *probe;   // borrowed; NULL: none (guarded by lock)
};

/* ---- runs: split by font (fallback per code point) and by script (for shaping) ---- */

/*
 * SDL_ttf 2.20 hands HarfBuzz HB_SCRIPT_UNKNOWN unless told otherwise, and then fonts such as
 * DejaVu Sans lose their Latin kerning ("AV", "To"); Hangul shapes the same either way. So each
 * run gets the script of its letters; digits, spaces and punctuation join their neighbours.
 */
static const char *script_of(uint32_t cp)
{
	if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
	    (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
	    (cp >= 0x1E00 && cp <= 0x1EFF)) {
		return "Latn";
	}
	if ((cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3130 && cp <= 0x318F) ||
	    (cp >= 0xA960 && cp <= 0xA97F) || (cp >= 0xAC00 && cp <= 0xD7FF)) {
		return "Hang";
	}
	if ((cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF)) {
		return "Hani";
	}
	if (cp >= 0x3040 && cp <= 0x30FF) {
		return "Kana";
	}
	if (cp >= 0x370 && cp <= 0x3FF) {
		return "Grek";
	}
	if (cp >= 0x400 && cp <= 0x4FF) {
		return "Cyrl";
	}
	return NULL; // common: takes the script of its run
}

struct run {
	size_t start, len;  // bytes of the line's text
	TTF_Font *font;     // borrowed from the open-font cache
	const char *script; // static string; NULL until a letter decides it
};

struct run_list {
	struct run *items; // owned
	size_t count, cap;
};

static void push_run(struct run_list *runs, struct run run)
{
	if (runs->count == runs->cap) {
		runs->cap = runs->cap ? runs->cap * 2 : 8;
		runs->items = xrealloc(runs->items, runs->cap * sizeof(*runs->items));
	}
	runs->items[runs->count++] = run;
}

/* The main font keeps what neither font has, so it draws its .notdef box. */
static TTF_Font *font_for(uint32_t cp, TTF_Font *main, TTF_Font *fallback)
{
	if (!fallback || fallback == main || TTF_GlyphIsProvided32(main, cp)) {
		return main;
	}
	return TTF_GlyphIsProvided32(fallback, cp) ? fallback : main;
}

static void split_runs(const char *text, TTF_Font *main, TTF_Font *fallback,
		       struct run_list *runs)
{
	size_t len;
	for (size_t at = 0; text[at]; at += len) {
		uint32_t cp = utf8_decode((const unsigned char *)text + at, &len);
		TTF_Font *font = font_for(cp, main, fallback);
		const char *script = script_of(cp);
		struct run *last = runs->count ? &runs->items[runs->count - 1] : NULL;
		bool same = last && last->font == font &&
			    (!script || !last->script || strcmp(script, last->script) == 0);
		if (same) {
			last->len += len;
			last->script = last->script ? last->script : script;
		} else {
			struct run run = {.start = at, .len = len, .font = font, .script = script};
			push_run(runs, run);
		}
	}
}

/* ---- rasterising ---- */

struct run_image {
	SDL_Surface *surface; // owned; NULL when the run has no width or is not drawn
	int width;            // px the run advances the line
	int baseline;         // rows from the surface top to the baseline
};

/*
 * SDL_ttf puts the baseline at TTF_FontAscent() rows from the top, unless a glyph rises above
 * the ascent: then the surface grows upwards by that much. It does not say so, so we find the
 * tallest glyph ourselves, as SDL_ttf does (bitmap top of each glyph, no vertical offsets).
 */
static int run_baseline(TTF_Font *font, const char *text)
{
	int ascent = TTF_FontAscent(font);
	int top = ascent;
	size_t len;
	for (const unsigned char *p = (const unsigned char *)text; *p; p += len) {
		int maxy;
		uint32_t cp = utf8_decode(p, &len);
		if (TTF_GlyphMetrics32(font, cp, NULL, NULL, NULL, &maxy, NULL) != 0) {
			continue;
		}
		top = maxy > top ? maxy : top;
	}
	return top;
}

/*
 * Shapes and renders one run. `room` is how many pixels the mask has left: a run past it is only
 * measured, so a runaway line never allocates a surface the mask could not hold anyway.
 */
static struct run_image render_run(const struct run *run, const char *text, int room)
{
	struct run_image image = {0};
	TTF_SetFontScriptName(run->font, run->script ? run->script : "Latn");
	int h = 0;
	if (TTF_SizeUTF8(run->font, text, &image.width, &h) != 0 || image.width <= 0) {
		image.width = 0;
		return image; // only zero-width characters
	}
	if (image.width > room) {
		return image;
	}
	static const SDL_Color white = {255, 255, 255, 255};
	SDL_Surface *surface = TTF_RenderUTF8_Blended(run->font, text, white);
	if (surface && surface->format->format != SDL_PIXELFORMAT_ARGB8888) {
		SDL_Surface *argb = SDL_ConvertSurfaceFormat(surface, SDL_PIXELFORMAT_ARGB8888, 0);
		SDL_FreeSurface(surface);
		surface = argb;
	}
	if (!surface) {
		log_once(LOG_WARN, "text: render", "cannot render text: %s", TTF_GetError());
		return image;
	}
	image.surface = surface;
	image.width = surface->w;
	image.baseline = run_baseline(run->font, text);
	return image;
}

/* Copies the alpha of an ARGB8888 surface into the A8 mask at (x0, y0). */
static void copy_alpha(SDL_Surface *surface, unsigned char *mask, int stride, int x0, int y0)
{
	if (SDL_MUSTLOCK(surface) && SDL_LockSurface(surface) != 0) {
		return;
	}
	for (int y = 0; y < surface->h; y++) {
		size_t offset = (size_t)y * (size_t)surface->pitch;
		const Uint32 *src = (const Uint32 *)((const Uint8 *)surface->pixels + offset);
		unsigned char *dst = mask + (size_t)(y0 + y) * (size_t)stride + (size_t)x0;
		for (int x = 0; x < surface->w; x++) {
			dst[x] = (unsigned char)(src[x] >> 24);
		}
	}
	if (SDL_MUSTLOCK(surface)) {
		SDL_UnlockSurface(surface);
	}
}

static void compose_mask(struct text_line *line, struct run_image *images, size_t count)
{
	if (line->width <= 0) {
		return;
	}
	if (line->width > MAX_MASK_SIDE || line->ascent + line->descent > MAX_MASK_SIDE) {
		// No sizes in the message: ellipsis tries several such prefixes; say it once.
		log_once(LOG_WARN, "text: too long",
			 "a text line over %d px is measured, not drawn", MAX_MASK_SIDE);
		return;
	}
	cairo_surface_t *mask = cairo_image_surface_create(CAIRO_FORMAT_A8, line->width,
							   line->ascent + line->descent);
	if (cairo_surface_status(mask) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(mask);
		return;
	}
	cairo_surface_flush(mask);
	unsigned char *data = cairo_image_surface_get_data(mask);
	int stride = cairo_image_surface_get_stride(mask);
	int x = 0;
	for (size_t i = 0; i < count; i++) {
		if (images[i].surface) {
			copy_alpha(images[i].surface, data, stride, x,
				   line->ascent - images[i].baseline);
		}
		x += images[i].width;
	}
	cairo_surface_mark_dirty(mask);
	line->mask = mask;
}

/*
 * Fills the line's metrics and, when it is at most `room` device pixels wide, its mask; a wider
 * line is only measured (its runs shaped, not rendered: SDL_ttf sizes a rendered run by the same
 * measure) and marked unrendered. INFINITY: no room to keep to. On failure leaves an empty
 * line (draws nothing). The caller holds fonts_lock.
 */
static void rasterise(struct text_engine *engine, struct text_line *line, double room)
{
	TTF_Font *main = fonts_open(engine->fonts, line->family, line->bold, line->px);
	TTF_Font *fallback =
		fonts_open(engine->fonts, engine->fallback_family, line->bold, line->px);
	main = main ? main : fallback;
	if (!main) {
		return;
	}
	line->ascent = TTF_FontAscent(main);
	line->descent = -TTF_FontDescent(main);

	/* Whole pixels: a line of `limit` pixels or fewer fits a room of `room`. */
	int limit = room < MAX_MASK_SIDE ? (int)floor(room) : MAX_MASK_SIDE;
	struct run_list runs = {0};
	split_runs(line->text, main, fallback, &runs);
	struct run_image *images = xcalloc(runs.count ? runs.count : 1, sizeof(*images));
	char *buf = xmalloc(strlen(line->text) + 1);
	for (size_t i = 0; i < runs.count; i++) {
		memcpy(buf, line->text + runs.items[i].start, runs.items[i].len);
		buf[runs.items[i].len] = '\0';
		images[i] = render_run(&runs.items[i], buf, limit - line->width);
		// Saturates: a runaway line only has to stay wider than any mask.
		const struct run_image *image = &images[i];
		line->width = image->width > INT_MAX - line->width ? INT_MAX
								   : line->width + image->width;
		if (image->surface) {
			int below = image->surface->h - image->baseline;
			int above = image->baseline;
			line->ascent = above > line->ascent ? above : line->ascent;
			line->descent = below > line->descent ? below : line->descent;
		}
	}
	line->unrendered = line->width > limit && limit < MAX_MASK_SIDE;
	if (!line->unrendered) {
		compose_mask(line, images, runs.count);
	}
	for (size_t i = 0; i < runs.count; i++) {
		SDL_FreeSurface(images[i].surface);
	}
	free(images);
	free(buf);
	free(runs.items);
}

/* ---- engine ---- */

static void set_err(char *err, size_t err_size, const char *message, const char *detail)
{
	if (err && err_size) {
		snprintf(err, err_size, "%s%s", message, detail ? detail : "");
	}
}

/* Fails when the fallback family is missing: fontconfig would quietly hand us another one. */
static bool check_fallback(struct text_engine *engine, char *err, size_t err_size)
{
	bool substituted;
	const char *file =
		fonts_file(engine->fonts, engine->fallback_family, false, &substituted);
	if (!file || substituted) {
		char *msg = xasprintf("fallback font family \"%s\" not found",
				      engine->fallback_family);
		set_err(err, err_size, msg, NULL);
		free(msg);
		return false;
	}
	if (!fonts_open(engine->fonts, engine->fallback_family, false, 16)) {
		set_err(err, err_size, "cannot open fallback font ", file);
		return false;
	}
	return true;
}

struct text_engine *text_engine_create(const char *fallback_family, size_t cache_budget_bytes,
				       char *err, size_t err_size)
{
	// TTF_Init counts its callers, so each engine takes and later drops one reference and
	// never pulls FreeType from under another user of SDL_ttf.
	if (TTF_Init() != 0) {
		set_err(err, err_size, "TTF_Init failed: ", TTF_GetError());
		return NULL;
	}
	struct fonts *fonts = fonts_create();
	if (!fonts) {
		TTF_Quit();
		set_err(err, err_size, "cannot load the fontconfig configuration", NULL);
		return NULL;
	}
	struct text_engine *engine = xcalloc(1, sizeof(*engine));
	pthread_mutex_init(&engine->lock, NULL);
	pthread_mutex_init(&engine->fonts_lock, NULL);
	engine->fonts = fonts;
	engine->fallback_family =
		xstrdup(fallback_family ? fallback_family : DEFAULT_FALLBACK_FAMILY);
	text_cache_init(&engine->lines,
			cache_budget_bytes ? cache_budget_bytes : DEFAULT_BUDGET_BYTES);
	text_cache_set_idle(&engine->lines, LINE_IDLE_SECONDS);
	if (!check_fallback(engine, err, err_size)) {
		text_engine_destroy(engine);
		return NULL;
	}
	return engine;
}

void text_engine_destroy(struct text_engine *engine)
{
	if (!engine) {
		return;
	}
	text_cache_fini(&engine->lines);
	fonts_destroy(engine->fonts);
	free(engine->fallback_family);
	pthread_mutex_destroy(&engine->fonts_lock);
	pthread_mutex_destroy(&engine->lock);
	free(engine);
	if (TTF_WasInit()) {
		TTF_Quit();
	}
}

struct text_stats text_engine_stats(const struct text_engine *engine)
{
	if (!engine) {
		return (struct text_stats){0};
	}
	/* The lock is not part of the engine's value: taking it changes nothing that is read. */
	pthread_mutex_t *lock = (pthread_mutex_t *)&engine->lock;
	pthread_mutex_lock(lock);
	struct text_stats stats = engine->lines.stats;
	stats.shortened = engine->shortened;
	pthread_mutex_unlock(lock);
	return stats;
}

const char *text_engine_font_file(struct text_engine *engine, const char *family, bool bold)
{
	if (!engine || !family) {
		return NULL;
	}
	pthread_mutex_lock(&engine->fonts_lock);
	const char *file = fonts_file(engine->fonts, family, bold, NULL);
	pthread_mutex_unlock(&engine->fonts_lock);
	return file;
}

/* ---- measuring and drawing ---- */

struct scale {
	double x, y; // device px per user unit
};

/* Assumes no rotation or skew: the wall only scales and translates. */
static bool read_scale(cairo_t *cr, struct scale *scale)
{
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		return false;
	}
	double xx = 1, xy = 0, yx = 0, yy = 1;
	cairo_user_to_device_distance(cr, &xx, &xy);
	cairo_user_to_device_distance(cr, &yx, &yy);
	scale->x = hypot(xx, xy);
	scale->y = hypot(yx, yy);
	return isfinite(scale->x) && isfinite(scale->y) && scale->x > 1e-9 && scale->y > 1e-9;
}

/* Device pixel size for the style, or 0 when nothing should be drawn. */
static int pixel_size(double size, double scale_y)
{
	double px = size * scale_y;
	if (!(px > 0) || !isfinite(px)) {
		return 0;
	}
	if (px > MAX_PIXEL_SIZE) {
		log_once(LOG_WARN, "text: size", "text size %.0f px is over the %d px limit",
			 px, MAX_PIXEL_SIZE);
		return 0;
	}
	long rounded = lround(px);
	return rounded < 1 ? 1 : (int)rounded;
}

/* What a call needs to find its line: the key and the context's scale. */
struct request {
	const char *family; // borrowed
	bool bold;
	bool transient;
	int px;
	struct scale scale;
};

static bool make_request(cairo_t *cr, const struct text_engine *engine,
			 const struct text_style *style, struct request *req)
{
	if (!cr || !style || !read_scale(cr, &req->scale)) {
		return false;
	}
	req->px = pixel_size(style->size, req->scale.y);
	req->family = style->family ? style->family : engine->fallback_family;
	req->bold = style->bold;
	req->transient = style->transient;
	return req->px > 0;
}

/* The idle limit's clock: monotonic, and no part of any picture. */
static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The cached line for the request, held until release_line(); NULL on a miss. */
static struct text_line *cached_line(struct text_engine *engine, const struct request *req,
				     const char *text)
{
	pthread_mutex_lock(&engine->lock);
	struct text_line *line =
		text_cache_find(&engine->lines, req->family, req->bold, req->px, text,
				now_seconds());
	pthread_mutex_unlock(&engine->lock);
	return line;
}

/*
 * `text` in the request's font, rasterised (only measured when wider than `room` device
 * pixels), in no cache: the caller owns the reference.
 */
static struct text_line *shaped_line(struct text_engine *engine, const struct request *req,
				     const char *text, double room)
{
	struct text_line *line = text_cache_line_new(req->family, req->bold, req->px, text);
	pthread_mutex_lock(&engine->fonts_lock);
	rasterise(engine, line, room);
	pthread_mutex_unlock(&engine->fonts_lock);
	return line;
}

/* A cache miss: shaped_line() offered to the cache, held until release_line(). */
static struct text_line *new_line(struct text_engine *engine, const struct request *req,
				  const char *text, double room)
{
	struct text_line *line = shaped_line(engine, req, text, room);
	line->transient = req->transient;
	pthread_mutex_lock(&engine->lock);
	line = text_cache_add(&engine->lines, line, now_seconds());
	pthread_mutex_unlock(&engine->lock);
	return line;
}

static void release_line(struct text_engine *engine, struct text_line *line)
{
	pthread_mutex_lock(&engine->lock);
	text_cache_put(line);
	pthread_mutex_unlock(&engine->lock);
}

/*
 * The cached line for the request, rasterising it on a miss, held until release_line(). A line
 * bigger than the whole budget is not cached: the caller gets it for one use. Two threads
 * missing the same line both rasterise it; the cache keeps the first.
 */
static struct text_line *request_line(struct text_engine *engine, const struct request *req,
				      const char *text)
{
	struct text_line *line = cached_line(engine, req, text);
	if (line && line->unrendered) {
		release_line(engine, line); // measured only: its ascent and descent are not known
		line = NULL;
	}
	return line ? line : new_line(engine, req, text, INFINITY);
}

/* This thread's hold: each drawing thread draws one tile at a time. */
static _Thread_local struct text_hold *current_hold;

struct text_hold *text_hold_begin(struct text_hold *hold)
{
	struct text_hold *previous = current_hold;
	current_hold = hold;
	return previous;
}

void text_hold_end(struct text_hold *previous)
{
	current_hold = previous;
}

void text_hold_release(struct text_engine *engine, struct text_hold *hold)
{
	if (engine && hold->count > 0) {
		pthread_mutex_lock(&engine->lock);
		for (size_t i = 0; i < hold->count; i++) {
			text_cache_put(hold->lines[i]);
		}
		pthread_mutex_unlock(&engine->lock);
	}
	free(hold->lines);
	*hold = (struct text_hold){0};
}

/* Done painting `line`: the current hold keeps its reference, else it is given back. */
static void painted_line(struct text_engine *engine, struct text_line *line)
{
	struct text_hold *hold = current_hold;
	if (!hold) {
		release_line(engine, line);
		return;
	}
	for (size_t i = 0; i < hold->count; i++) {
		if (hold->lines[i] == line) {
			release_line(engine, line); // drawn twice (a shadow): one reference is enough
			return;
		}
	}
	if (hold->count == hold->capacity) {
		hold->capacity = hold->capacity ? 2 * hold->capacity : 8;
		hold->lines = xrealloc(hold->lines, hold->capacity * sizeof(*hold->lines));
	}
	hold->lines[hold->count++] = line;
}

static double user_width(const struct text_line *line, const struct request *req)
{
	return line->width / req->scale.x;
}

struct text_extents text_measure(struct text_engine *engine, cairo_t *cr,
				 const struct text_style *style, const char *utf8)
{
	struct text_extents extents = {0};
	struct request req;
	if (!engine || !make_request(cr, engine, style, &req)) {
		return extents;
	}
	const char *text = utf8 ? utf8 : "";
	char *clean = utf8_sanitize(text, NULL);
	struct text_line *line = request_line(engine, &req, clean ? clean : text);
	extents.width = user_width(line, &req);
	extents.ascent = line->ascent / req.scale.y;
	extents.descent = line->descent / req.scale.y;
	release_line(engine, line);
	free(clean);
	return extents;
}

/* `text` cut to `bytes`, trailing blanks dropped, then "…"; the caller owns the result. */
static char *with_ellipsis(const char *text, size_t bytes)
{
	while (bytes > 0 && (text[bytes - 1] == ' ' || text[bytes - 1] == '\t')) {
		bytes--;
	}
	char *out = xmalloc(bytes + sizeof(ELLIPSIS));
	memcpy(out, text, bytes);
	memcpy(out + bytes, ELLIPSIS, sizeof(ELLIPSIS));
	return out;
}

static bool prefix_fits(struct text_engine *engine, const struct request *req, const char *text,
			size_t bytes, double max_width)
{
	char *candidate = with_ellipsis(text, bytes);
	struct text_line *line = shaped_line(engine, req, candidate, 0); // measured, thrown away
	bool fits = user_width(line, req) <= max_width;
	text_cache_put(line);
	free(candidate);
	return fits;
}

/*
 * The bytes of the longest character-boundary prefix of `text` that fits with "…" after it;
 * SIZE_MAX when not even "…" fits. Width grows with the prefix, so a binary search over
 * boundaries needs log2(n) measurements; only the line chosen is rasterised.
 */
static size_t ellipsis_prefix(struct text_engine *engine, const struct request *req,
			      const char *text, double max_width)
{
	size_t count = 0, len;
	size_t *bounds = xmalloc((strlen(text) + 1) * sizeof(*bounds));
	for (size_t at = 0;; at += len) {
		bounds[count++] = at;
		if (!text[at]) {
			break;
		}
		utf8_decode((const unsigned char *)text + at, &len);
	}
	// bounds[0..count-1]: 0, after the 1st character, ..., strlen(text).
	size_t result = SIZE_MAX;
	if (prefix_fits(engine, req, text, 0, max_width)) {
		size_t lo = 0, hi = count - 1; // fits(lo); the whole text (hi) does not
		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;
			if (prefix_fits(engine, req, text, bounds[mid], max_width)) {
				lo = mid;
			} else {
				hi = mid;
			}
		}
		result = bounds[lo];
	}
	free(bounds);
	return result;
}

/*
 * `text` (the text of the held `line`, too wide) cut to `max_width` with "…", as a new string
 * (caller owns); NULL when not even "…" fits. The cut is kept on the line: a tile drawn again
 * does not search again.
 */
static char *ellipsize(struct text_engine *engine, const struct request *req,
		       struct text_line *line, const char *text, double max_width)
{
	double room = max_width * req->scale.x;
	pthread_mutex_lock(&engine->lock);
	bool known = line->cut_width == room;
	size_t bytes = line->cut_bytes;
	pthread_mutex_unlock(&engine->lock);
	if (!known) {
		bytes = ellipsis_prefix(engine, req, text, max_width);
		pthread_mutex_lock(&engine->lock);
		line->cut_width = room;
		line->cut_bytes = bytes;
		pthread_mutex_unlock(&engine->lock);
	}
	return bytes == SIZE_MAX ? NULL : with_ellipsis(text, bytes);
}

/*
 * The line for `text` as text_draw() needs it: rendered when it fits `max_width` (or there is
 * none), else only measured, so a line too wide to show is never rasterised whole. Held.
 */
static struct text_line *line_to_draw(struct text_engine *engine, const struct request *req,
				      const char *text, double max_width)
{
	struct text_line *line = cached_line(engine, req, text);
	bool fits = line && (max_width <= 0 || user_width(line, req) <= max_width);
	if (line && !(line->unrendered && fits)) {
		return line;
	}
	if (line) {
		release_line(engine, line); // measured only, and now it must be shown
	}
	return new_line(engine, req, text, max_width > 0 ? max_width * req->scale.x : INFINITY);
}

/* Paints the mask at whole device pixels so it is never resampled. */
static void paint_line(cairo_t *cr, const struct text_line *line, const struct text_style *style,
		       double x, double y)
{
	if (!line->mask) {
		return;
	}
	double dx = x, dy = y;
	cairo_user_to_device(cr, &dx, &dy);
	double shift = style->align == TEXT_ALIGN_CENTER  ? line->width / 2.0
		       : style->align == TEXT_ALIGN_RIGHT ? line->width
							  : 0.0;
	double left = floor(dx - shift + 0.5);
	double top = floor(dy + 0.5) - line->ascent;
	if (!isfinite(left) || !isfinite(top) || fabs(left) > 1e9 || fabs(top) > 1e9) {
		return;
	}
	double rgba[4];
	for (int i = 0; i < 4; i++) {
		double c = style->rgba[i];
		rgba[i] = !(c > 0) ? 0 : c > 1 ? 1 : c; // NaN counts as 0
	}
	cairo_save(cr);
	cairo_identity_matrix(cr);
	cairo_set_source_rgba(cr, rgba[0], rgba[1], rgba[2], rgba[3]);
	cairo_mask_surface(cr, line->mask, left, top);
	cairo_restore(cr);
}

/* The cap height of the request's font: the top of "H" above the baseline, device pixels. */
static double cap_height(struct text_engine *engine, const struct request *req)
{
	int maxy = 0;
	pthread_mutex_lock(&engine->fonts_lock);
	TTF_Font *font = fonts_open(engine->fonts, req->family, req->bold, req->px);
	if (!font || TTF_GlyphMetrics32(font, 'H', NULL, NULL, NULL, &maxy, NULL) != 0) {
		maxy = (int)lround(req->px * 0.7); // a typical sans serif's cap height
	}
	pthread_mutex_unlock(&engine->fonts_lock);
	return maxy;
}

static bool blank(const char *text)
{
	return text[strspn(text, " \t")] == '\0';
}

/* Keeps the line in the probe when it is the smallest drawn since the probe was set. */
static void probe_line(struct text_engine *engine, const struct request *req, const char *text)
{
	pthread_mutex_lock(&engine->lock);
	bool probing = engine->probe != NULL;
	pthread_mutex_unlock(&engine->lock);
	if (!probing || blank(text)) {
		return;
	}
	double cap = cap_height(engine, req);
	pthread_mutex_lock(&engine->lock);
	struct text_probe *probe = engine->probe;
	if (probe && (probe->px == 0 || cap < probe->cap_px)) {
		probe->px = req->px;
		probe->cap_px = cap;
		size_t n = strlen(text);
		bool cut = n >= sizeof(probe->text);
		if (cut) {
			n = sizeof(probe->text) - sizeof(ELLIPSIS);
			while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80) {
				n--; // not inside a character: the text is valid UTF-8 here
			}
		}
		memcpy(probe->text, text, n);
		snprintf(probe->text + n, sizeof(probe->text) - n, "%s", cut ? ELLIPSIS : "");
	}
	pthread_mutex_unlock(&engine->lock);
}

void text_engine_set_probe(struct text_engine *engine, struct text_probe *probe)
{
	pthread_mutex_lock(&engine->lock);
	engine->probe = probe;
	pthread_mutex_unlock(&engine->lock);
}

double text_draw(struct text_engine *engine, cairo_t *cr, const struct text_style *style,
		 double x, double y, double max_width, const char *utf8)
{
	struct request req;
	if (!engine || !make_request(cr, engine, style, &req)) {
		return 0;
	}
	const char *text = utf8 ? utf8 : "";
	bool cut;
	char *clean = utf8_sanitize(text, &cut);
	text = clean ? clean : text;
	struct text_line *line = line_to_draw(engine, &req, text, max_width);
	bool too_wide = max_width > 0 && user_width(line, &req) > max_width;
	probe_line(engine, &req, text);
	char *shortened = NULL;
	if (cut || too_wide) {
		pthread_mutex_lock(&engine->lock);
		engine->shortened++;
		pthread_mutex_unlock(&engine->lock);
	}
	if (too_wide) {
		shortened = ellipsize(engine, &req, line, text, max_width);
		release_line(engine, line);
		line = NULL;
		if (shortened) {
			line = request_line(engine, &req, shortened);
		}
	}
	double width = 0;
	if (line) {
		paint_line(cr, line, style, x, y);
		width = user_width(line, &req);
		painted_line(engine, line);
	}
	free(shortened);
	free(clean);
	return width;
}

void text_engine_set_cache_budget(struct text_engine *engine, size_t bytes)
{
	pthread_mutex_lock(&engine->lock);
	text_cache_set_budget(&engine->lines, bytes);
	pthread_mutex_unlock(&engine->lock);
}
