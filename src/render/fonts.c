#include "render/fonts.h"

#include "render/font_file.h"
#include "util/log.h"
#include "util/xmalloc.h"

#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * One open font per face, resized to the size asked (TTF_SetFontSize). A TTF_Font holds its
 * own FreeType face (tables, autohinter globals), HarfBuzz font and glyph cache: one per
 * (face, size) held 25 fonts of 5 faces on the bench board at 8K, and the heap was 11.6 MB
 * where it is 6.6 MB now. A resize drops SDL_ttf's glyph cache, which only serves the lines
 * still to be rasterised: every drawn line is kept as a mask by the text cache. The glyphs
 * come out the same, as opening a font sets its size the same way (test_text checks it).
 * Each open font reads its file through FONT_FILE_BLOCKS cached blocks (font_file.h): 32 KiB
 * a font, 256 KiB at most, for no system call per glyph loaded again.
 */
enum { MAX_OPEN_FONTS = 8 };

/* fontconfig's answer for one (family, weight); kept for the lifetime of `struct fonts`. */
struct face {
	char *family; // owned; as asked
	bool bold;
	char *file;    // owned; NULL when fontconfig offered nothing
	int index;     // face index inside file (collections, variable instances)
	bool embolden; // the family has no bold face: fontconfig asks for synthetic bold
	struct face *next; // owned
};

struct open_font {
	const struct face *face; // borrowed from fonts->faces
	int px;             // the size the font is set to now
	TTF_Font *font;     // owned; NULL when the slot is free
	unsigned long used; // fonts->tick of the last use, for LRU
};

struct fonts {
	FcConfig *fc;       // owned: private, so destroy can free what fontconfig loaded
	struct face *faces; // owned list
	struct open_font slots[MAX_OPEN_FONTS];
	unsigned long tick;
};

/* ---- fontconfig ---- */

/* fontconfig compares families ignoring case and blanks; so must we to spot substitution. */
static bool same_family(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ') {
			a++;
		}
		while (*b == ' ') {
			b++;
		}
		char ca = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
		char cb = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
		if (ca != cb) {
			return false;
		}
		if (!ca) {
			return true;
		}
		a++;
		b++;
	}
}

/* True when any of the match's family names (fonts list localised ones too) is `family`. */
static bool match_has_family(FcPattern *match, const char *family)
{
	FcChar8 *name;
	for (int i = 0; FcPatternGetString(match, FC_FAMILY, i, &name) == FcResultMatch; i++) {
		if (same_family((const char *)name, family)) {
			return true;
		}
	}
	return false;
}

static void note_substitution(const struct face *face, FcPattern *match)
{
	FcChar8 *got = NULL;
	FcPatternGetString(match, FC_FAMILY, 0, &got);
	char key[160];
	snprintf(key, sizeof(key), "text: font family %s", face->family);
	log_once(LOG_WARN, key,
		 "font family \"%s\" is not installed; fontconfig substitutes \"%s\" (%s)",
		 face->family, got ? (const char *)got : "?", face->file);
}

/* Fills face->file/index/embolden; leaves file NULL when fontconfig has no answer. */
static void query_fontconfig(FcConfig *fc, struct face *face, bool *substituted)
{
	*substituted = false;
	FcPattern *pattern = FcPatternCreate();
	// FcPatternAddString rather than FcNameParse: family names may hold '-' or ':'.
	FcPatternAddString(pattern, FC_FAMILY, (const FcChar8 *)face->family);
	FcPatternAddInteger(pattern, FC_WEIGHT, face->bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
	FcConfigSubstitute(fc, pattern, FcMatchPattern);
	FcDefaultSubstitute(pattern);
	FcResult result;
	FcPattern *match = FcFontMatch(fc, pattern, &result);
	FcPatternDestroy(pattern);
	if (!match) {
		return;
	}
	FcChar8 *file;
	if (FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch) {
		face->file = xstrdup((const char *)file);
		if (FcPatternGetInteger(match, FC_INDEX, 0, &face->index) != FcResultMatch) {
			face->index = 0;
		}
		FcBool embolden = FcFalse;
		FcPatternGetBool(match, FC_EMBOLDEN, 0, &embolden);
		face->embolden = embolden;
		*substituted = !match_has_family(match, face->family);
		if (*substituted) {
			note_substitution(face, match);
		}
	}
	FcPatternDestroy(match);
}

/* The face for (family, bold), asking fontconfig the first time; never NULL. */
static struct face *resolve_face(struct fonts *fonts, const char *family, bool bold,
				 bool *substituted)
{
	bool dummy;
	substituted = substituted ? substituted : &dummy;
	for (struct face *f = fonts->faces; f; f = f->next) {
		if (f->bold == bold && strcmp(f->family, family) == 0) {
			*substituted = false; // already reported when it was first asked
			return f;
		}
	}
	struct face *f = xcalloc(1, sizeof(*f));
	f->family = xstrdup(family);
	f->bold = bold;
	query_fontconfig(fonts->fc, f, substituted);
	f->next = fonts->faces;
	fonts->faces = f;
	return f;
}

static void free_faces(struct face *f)
{
	while (f) {
		struct face *next = f->next;
		free(f->family);
		free(f->file);
		free(f);
		f = next;
	}
}

/* ---- open fonts ---- */

static TTF_Font *open_ttf(const struct face *face, int px)
{
	// At 72 dpi (SDL_ttf's default) a point is a pixel. Read through a few cached blocks
	// (font_file.h): the same glyphs are loaded again after every size change.
	SDL_RWops *file = font_file_open(face->file);
	TTF_Font *font = file ? TTF_OpenFontIndexRW(file, 1, px, face->index) : NULL;
	if (!font) {
		char key[160];
		snprintf(key, sizeof(key), "text: open %s", face->file);
		log_once(LOG_WARN, key, "cannot open font %s (face %d) at %d px: %s", face->file,
			 face->index, px, TTF_GetError());
		return NULL;
	}
	// Light hinting (FreeType's autohinter, vertical only) gave the crispest Hangul at
	// 13-16 px: NORMAL runs NanumGothic's own hints, which leave many vertical strokes
	// straddling two grey pixels; NONE blurs the horizontal ones.
	TTF_SetFontHinting(font, TTF_HINTING_LIGHT);
	TTF_SetFontKerning(font, 1);
	TTF_SetFontDirection(font, TTF_DIRECTION_LTR);
	if (face->embolden) {
		TTF_SetFontStyle(font, TTF_STYLE_BOLD);
	}
	return font;
}

/* The slot holding `face`'s font, else the free or least recently used slot. */
static struct open_font *find_slot(struct fonts *fonts, const struct face *face)
{
	struct open_font *victim = &fonts->slots[0];
	for (size_t i = 0; i < MAX_OPEN_FONTS; i++) {
		struct open_font *slot = &fonts->slots[i];
		if (slot->font && slot->face == face) {
			return slot;
		}
		if (!slot->font) {
			victim = slot;
		} else if (victim->font && slot->used < victim->used) {
			victim = slot;
		}
	}
	return victim;
}

static TTF_Font *get_font(struct fonts *fonts, const struct face *face, int px)
{
	if (!face->file) {
		return NULL;
	}
	struct open_font *slot = find_slot(fonts, face);
	if (slot->font && slot->face == face) {
		if (slot->px != px && TTF_SetFontSize(slot->font, px) != 0) {
			char key[160];
			snprintf(key, sizeof(key), "text: size %s", face->file);
			log_once(LOG_WARN, key, "cannot set font %s (face %d) to %d px: %s",
				 face->file, face->index, px, TTF_GetError());
			// The font is left at a size of FreeType's choosing: open it afresh.
			TTF_CloseFont(slot->font);
			*slot = (struct open_font){0};
			return NULL;
		}
		slot->px = px;
		slot->used = ++fonts->tick;
		return slot->font;
	}
	TTF_Font *font = open_ttf(face, px);
	if (!font) {
		return NULL;
	}
	if (slot->font) {
		TTF_CloseFont(slot->font);
	}
	*slot = (struct open_font){.face = face, .px = px, .font = font, .used = ++fonts->tick};
	return font;
}

static void close_fonts(struct fonts *fonts)
{
	for (size_t i = 0; i < MAX_OPEN_FONTS; i++) {
		if (fonts->slots[i].font) {
			TTF_CloseFont(fonts->slots[i].font);
		}
		fonts->slots[i] = (struct open_font){0};
	}
}

/* ---- interface ---- */

struct fonts *fonts_create(void)
{
	FcConfig *fc = FcInitLoadConfigAndFonts();
	if (!fc) {
		return NULL;
	}
	struct fonts *fonts = xcalloc(1, sizeof(*fonts));
	fonts->fc = fc;
	return fonts;
}

void fonts_destroy(struct fonts *fonts)
{
	if (!fonts) {
		return;
	}
	close_fonts(fonts);
	free_faces(fonts->faces);
	// No FcFini(): cairo and others share fontconfig's global state; dropping our private
	// configuration frees what we loaded.
	FcConfigDestroy(fonts->fc);
	free(fonts);
}

const char *fonts_file(struct fonts *fonts, const char *family, bool bold, bool *substituted)
{
	return resolve_face(fonts, family, bold, substituted)->file;
}

TTF_Font *fonts_open(struct fonts *fonts, const char *family, bool bold, int px)
{
	return get_font(fonts, resolve_face(fonts, family, bold, NULL), px);
}
