#ifndef CITYWALL_UTIL_ARENA_H
#define CITYWALL_UTIL_ARENA_H

/*
 * A bump allocator: many small allocations that die together. A snapshot's whole value tree
 * lives in one arena, so swapping a snapshot out is one arena_finish() instead of a tree walk.
 */

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *chunks; // owned, newest first
	size_t used_bytes;          // sum of requested sizes, for statistics
};

void arena_init(struct arena *arena);
void arena_finish(struct arena *arena);
/* Memory aligned for any type; lives until arena_finish(). Never returns NULL. */
void *arena_alloc(struct arena *arena, size_t size);
char *arena_strndup(struct arena *arena, const char *s, size_t n);

#endif
