#ifndef CITYWALL_RENDER_FONT_FILE_H
#define CITYWALL_RENDER_FONT_FILE_H

/*
 * A font file as an SDL_RWops for SDL_ttf, read with pread() through a few cached blocks.
 *
 * Why: SDL_ttf hands FreeType a stream that seeks and reads the file for every glyph it loads
 * (over stdio: an lseek, then a read that fills a buffer the next seek drops). A kpi's fit
 * tries several sizes, each size change empties SDL_ttf's glyph cache, and the bench board at
 * 1080p made some 640 such system calls a second, 0.1% of a core. The glyphs a wall shows are
 * few and lie in a few blocks: served from memory they cost no system call. The blocks are a
 * bounded cache (FONT_FILE_BLOCKS of FONT_FILE_BLOCK_BYTES per open font), not the file.
 */

#include <SDL.h>
#include <stdbool.h>

#define FONT_FILE_BLOCK_BYTES 4096
#define FONT_FILE_BLOCKS 8

/*
 * Opens `path` for reading. The returned stream owns the file and its blocks; SDL_RWclose()
 * (or SDL_ttf, given freesrc) frees them. NULL when the file cannot be opened (SDL_GetError
 * says why).
 */
SDL_RWops *font_file_open(const char *path);

/* What a stream read: calls to its read(), and the pread()s they took. */
struct font_file_stats {
	unsigned long reads;
	unsigned long preads;
};

/* False when `rw` is not a font_file_open() stream. */
bool font_file_stats(SDL_RWops *rw, struct font_file_stats *out);

#endif
