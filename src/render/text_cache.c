#include "render/text_cache.h"

#include "util/xmalloc.h"

#include <stdlib.h>
#include <string.h>

enum { INITIAL_BUCKETS = 64 };

static uint32_t fnv1a(uint32_t h, const void *data, size_t size)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < size; i++) {
		h = (h ^ p[i]) * 16777619u;
	}
	return h;
}

static uint32_t line_hash(const char *family, bool bold, int px, const char *text)
{
	uint32_t h = 2166136261u;
	// The NUL after the family keeps ("ab", "c…") and ("a", "bc…") apart.
	h = fnv1a(h, family, strlen(family) + 1);
	unsigned char b = bold;
	h = fnv1a(h, &b, 1);
	h = fnv1a(h, &px, sizeof(px));
	return fnv1a(h, text, strlen(text));
}

static bool line_is(const struct text_line *line, uint32_t hash, const char *family, bool bold,
		    int px, const char *text)
{
	return line->hash == hash && line->px == px && line->bold == bold &&
	       strcmp(line->text, text) == 0 && strcmp(line->family, family) == 0;
}

static void line_free(struct text_line *line)
{
	if (line->mask) {
		cairo_surface_destroy(line->mask);
	}
	free(line->family);
	free(line->text);
	free(line);
}

static void lru_unlink(struct text_cache *cache, struct text_line *line)
{
	if (line->newer) {
		line->newer->older = line->older;
	} else {
		cache->newest = line->older;
	}
	if (line->older) {
		line->older->newer = line->newer;
	} else {
		cache->oldest = line->newer;
	}
	line->newer = line->older = NULL;
}

static void lru_push_newest(struct text_cache *cache, struct text_line *line)
{
	line->older = cache->newest;
	line->newer = NULL;
	if (cache->newest) {
		cache->newest->newer = line;
	} else {
		cache->oldest = line;
	}
	cache->newest = line;
}

static void bucket_remove(struct text_cache *cache, struct text_line *line)
{
	struct text_line **it = &cache->buckets[line->hash & (cache->bucket_count - 1)];
	while (*it != line) {
		it = &(*it)->chain;
	}
	*it = line->chain;
}

/* A line still held elsewhere leaves the cache now and is freed by its last holder's put. */
static void evict(struct text_cache *cache, struct text_line *line)
{
	for (size_t i = 0; line->transient && i < TEXT_CACHE_TRANSIENT; i++) {
		if (cache->transient[i] == line) {
			cache->transient[i] = NULL;
		}
	}
	lru_unlink(cache, line);
	bucket_remove(cache, line);
	cache->stats.bytes -= line->bytes;
	cache->stats.entries--;
	line->cached = false;
	if (line->refs == 0) {
		line_free(line);
	}
}

static void evict_oldest(struct text_cache *cache)
{
	evict(cache, cache->oldest);
}

/*
 * The LRU list is in order of use, so the idle lines are the oldest ones. A line someone
 * holds (a tile on show, or a thread painting it) is in use: it moves to the newest end, so
 * the next calls do not walk the hundreds a board holds, and is idle from its release on.
 */
static void drop_idle(struct text_cache *cache, double now)
{
	struct text_line *line = cache->oldest;
	while (cache->idle_max > 0 && line && now - line->used_at > cache->idle_max) {
		struct text_line *newer = line->newer;
		if (line->refs == 0) {
			evict(cache, line);
		} else {
			lru_unlink(cache, line);
			line->used_at = now;
			lru_push_newest(cache, line);
		}
		line = newer;
	}
}

static void grow_buckets(struct text_cache *cache)
{
	size_t count = cache->bucket_count * 2;
	struct text_line **buckets = xcalloc(count, sizeof(*buckets));
	for (struct text_line *l = cache->newest; l; l = l->older) {
		struct text_line **head = &buckets[l->hash & (count - 1)];
		l->chain = *head;
		*head = l;
	}
	free(cache->buckets);
	cache->buckets = buckets;
	cache->bucket_count = count;
}

static void insert(struct text_cache *cache, struct text_line *line)
{
	while (cache->oldest && cache->stats.bytes + line->bytes > cache->budget) {
		evict_oldest(cache);
	}
	if (cache->stats.entries + 1 > cache->bucket_count) {
		grow_buckets(cache);
	}
	if (line->transient) {
		struct text_line **slot = &cache->transient[cache->transient_next];
		if (*slot) {
			evict(cache, *slot);
		}
		*slot = line;
		cache->transient_next = (cache->transient_next + 1) % TEXT_CACHE_TRANSIENT;
	}
	struct text_line **head = &cache->buckets[line->hash & (cache->bucket_count - 1)];
	line->chain = *head;
	*head = line;
	lru_push_newest(cache, line);
	line->cached = true;
	cache->stats.bytes += line->bytes;
	cache->stats.entries++;
}

void text_cache_init(struct text_cache *cache, size_t budget_bytes)
{
	*cache = (struct text_cache){.budget = budget_bytes, .bucket_count = INITIAL_BUCKETS};
	cache->buckets = xcalloc(cache->bucket_count, sizeof(*cache->buckets));
}

void text_cache_set_budget(struct text_cache *cache, size_t budget_bytes)
{
	cache->budget = budget_bytes;
	while (cache->oldest && cache->stats.bytes > cache->budget) {
		evict_oldest(cache);
	}
}

void text_cache_set_idle(struct text_cache *cache, double seconds)
{
	cache->idle_max = seconds > 0 ? seconds : 0;
}

void text_cache_fini(struct text_cache *cache)
{
	while (cache->oldest) {
		evict_oldest(cache);
	}
	free(cache->buckets);
	cache->buckets = NULL;
}

static struct text_line *lookup(struct text_cache *cache, uint32_t hash, const char *family,
				bool bold, int px, const char *text, double now)
{
	for (struct text_line *l = cache->buckets[hash & (cache->bucket_count - 1)]; l;
	     l = l->chain) {
		if (line_is(l, hash, family, bold, px, text)) {
			lru_unlink(cache, l);
			lru_push_newest(cache, l);
			l->used_at = now;
			l->refs++;
			return l;
		}
	}
	return NULL;
}

struct text_line *text_cache_find(struct text_cache *cache, const char *family, bool bold,
				  int px, const char *text, double now)
{
	struct text_line *line = lookup(cache, line_hash(family, bold, px, text), family, bold,
					px, text, now);
	if (line) {
		cache->stats.hits++;
	} else {
		cache->stats.misses++;
	}
	return line;
}

struct text_line *text_cache_line_new(const char *family, bool bold, int px, const char *text)
{
	struct text_line *line = xcalloc(1, sizeof(*line));
	line->family = xstrdup(family);
	line->bold = bold;
	line->px = px;
	line->text = xstrdup(text);
	line->hash = line_hash(family, bold, px, text);
	line->refs = 1;
	return line;
}

struct text_line *text_cache_add(struct text_cache *cache, struct text_line *line, double now)
{
	struct text_line *twin =
		lookup(cache, line->hash, line->family, line->bold, line->px, line->text, now);
	if (twin && twin->unrendered && !line->unrendered) {
		evict(cache, twin); // only measured: the rendered line takes its place
		text_cache_put(twin);
		twin = NULL;
	}
	if (twin) {
		line_free(line);
		return twin;
	}
	// Count the key and bookkeeping too: otherwise endless empty lines would be free.
	line->bytes = sizeof(*line) + strlen(line->family) + strlen(line->text) + 2;
	if (line->mask) {
		line->bytes += (size_t)cairo_image_surface_get_stride(line->mask) *
			       (size_t)cairo_image_surface_get_height(line->mask);
	}
	drop_idle(cache, now);
	line->used_at = now;
	if (line->bytes <= cache->budget) {
		insert(cache, line);
	}
	return line;
}

void text_cache_put(struct text_line *line)
{
	if (line && --line->refs == 0 && !line->cached) {
		line_free(line);
	}
}
