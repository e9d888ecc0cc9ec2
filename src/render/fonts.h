#ifndef CITYWALL_RENDER_FONTS_H
#define CITYWALL_RENDER_FONTS_H

/*
 * Fonts for the text engine (private to render/): a family name and weight become a file
 * through fontconfig, and a file and pixel size become an open TTF_Font.
 *   faces   (family, bold)      -> fontconfig's file and index; asked once per family
 *   fonts   (face, pixel size)  -> open TTF_Font, one per face, set to the size asked;
 *                                  LRU of faces; each font holds its own FreeType face,
 *                                  HarfBuzz font and SDL_ttf's cache of rendered glyphs
 * The caller keeps SDL_ttf initialised (TTF_Init) from fonts_create() until after
 * fonts_destroy(). Not thread-safe: the engine calls it under its fonts lock.
 */

#include <SDL_ttf.h>
#include <stdbool.h>

struct fonts;

/* Loads a private fontconfig configuration; NULL when fontconfig cannot load one. */
struct fonts *fonts_create(void);
/* Closes every open font and frees the faces and the configuration; NULL is a no-op. */
void fonts_destroy(struct fonts *fonts);

/*
 * The file fontconfig chose for (family, bold), asking it the first time; NULL if none. The
 * string lives as long as `fonts`. When `substituted` is not NULL it says whether fontconfig
 * answered with another family, which only the first asking learns (and which is logged then).
 */
const char *fonts_file(struct fonts *fonts, const char *family, bool bold, bool *substituted);

/*
 * An open font for (family, bold) at `px` pixels, from a bounded LRU of open faces; NULL when
 * there is no file or it cannot be opened (logged once per file). Borrowed: valid until a later
 * fonts_open() evicts it, which the font just returned survives for at least one more call,
 * and at `px` until a later fonts_open() asks the same face at another size.
 */
TTF_Font *fonts_open(struct fonts *fonts, const char *family, bool bold, int px);

#endif
