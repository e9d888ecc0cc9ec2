#include "util/arena.h"

#include "util/xmalloc.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE (64 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t size, used;
	alignas(max_align_t) unsigned char data[];
};

void arena_init(struct arena *arena)
{
	*arena = (struct arena){0};
}

void arena_finish(struct arena *arena)
{
	while (arena->chunks) {
		struct arena_chunk *next = arena->chunks->next;
		free(arena->chunks);
		arena->chunks = next;
	}
	arena->used_bytes = 0;
}

void *arena_alloc(struct arena *arena, size_t size)
{
	const size_t align = alignof(max_align_t);
	size = (size + align - 1) & ~(align - 1);
	struct arena_chunk *chunk = arena->chunks;
	if (!chunk || chunk->size - chunk->used < size) {
		size_t capacity = size > CHUNK_SIZE / 4 ? size : CHUNK_SIZE;
		chunk = xmalloc(sizeof(*chunk) + capacity);
		chunk->size = capacity;
		chunk->used = 0;
		/* A big one-off block goes behind the current chunk so that its free space stays usable. */
		if (capacity != CHUNK_SIZE && arena->chunks) {
			chunk->next = arena->chunks->next;
			arena->chunks->next = chunk;
		} else {
			chunk->next = arena->chunks;
			arena->chunks = chunk;
		}
	}
	void *p = chunk->data + chunk->used;
	chunk->used += size;
	arena->used_bytes += size;
	return p;
}

char *arena_strndup(struct arena *arena, const char *s, size_t n)
{
	char *copy = arena_alloc(arena, n + 1);
	memcpy(copy, s, n);
	copy[n] = '\0';
	return copy;
}
