/*
 * render/font_file.c: a font file read through a few cached blocks gives the file's bytes at
 * every offset and length (across blocks, at the end, past it, in reads long enough to go
 * straight to the file), reads the same glyph's bytes again without a system call, and opens
 * a real font for SDL_ttf.
 */

#include "check.h"

#include "render/font_file.h"

#include <SDL_ttf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FILE_BYTES (10 * FONT_FILE_BLOCK_BYTES + 123)

static unsigned char expected[FILE_BYTES];
static char path[64];

/* A file of FILE_BYTES bytes, each different from its neighbours; false when unwritable. */
static bool write_file(void)
{
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < FILE_BYTES; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		expected[i] = (unsigned char)x;
	}
	snprintf(path, sizeof(path), "/tmp/citywall-font-file-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0) {
		return false;
	}
	bool ok = write(fd, expected, FILE_BYTES) == FILE_BYTES;
	close(fd);
	return ok;
}

/* A stream over a freshly written test file; NULL (and a failed check) when there is none. */
static SDL_RWops *open_test_file(void)
{
	CHECK(write_file());
	SDL_RWops *rw = font_file_open(path);
	CHECK(rw != NULL);
	return rw;
}

/* Reads `count` bytes at `at` and checks them against the file; the bytes read. */
static size_t read_check(SDL_RWops *rw, Sint64 at, size_t count)
{
	static unsigned char buf[FILE_BYTES + 100];
	CHECK(SDL_RWseek(rw, at, RW_SEEK_SET) == at);
	size_t n = SDL_RWread(rw, buf, 1, count);
	size_t left = at < FILE_BYTES ? (size_t)(FILE_BYTES - at) : 0;
	CHECK_INT((long)n, (long)(count < left ? count : left));
	CHECK(n == 0 || memcmp(buf, expected + at, n) == 0);
	CHECK(SDL_RWtell(rw) == at + (Sint64)n);
	return n;
}

static void reads_the_file(void)
{
	SDL_RWops *rw = open_test_file();
	if (!rw) {
		return;
	}
	CHECK(SDL_RWsize(rw) == FILE_BYTES);
	read_check(rw, 0, 10);
	read_check(rw, FONT_FILE_BLOCK_BYTES - 5, 10);             // across two blocks
	read_check(rw, 3 * FONT_FILE_BLOCK_BYTES + 7, 1);
	read_check(rw, FILE_BYTES - 4, 100);                       // short at the end
	read_check(rw, FILE_BYTES, 10);                            // at the end: nothing
	read_check(rw, FILE_BYTES + 50, 10);                       // past it: nothing
	read_check(rw, 100, 3 * FONT_FILE_BLOCK_BYTES);            // straight to the file
	read_check(rw, 0, FILE_BYTES);                             // the whole file
	/* Objects of 4 bytes: whole ones only, as stdio's fread. */
	uint32_t words[3];
	CHECK(SDL_RWseek(rw, FILE_BYTES - 10, RW_SEEK_SET) == FILE_BYTES - 10);
	CHECK_INT((long)SDL_RWread(rw, words, 4, 3), 2);
	CHECK(SDL_RWseek(rw, -6, RW_SEEK_END) == FILE_BYTES - 6);
	CHECK(SDL_RWseek(rw, 2, RW_SEEK_CUR) == FILE_BYTES - 4);
	CHECK(SDL_RWseek(rw, -1, RW_SEEK_SET) < 0);
	/* Pseudo-random reads of glyph-sized pieces, checked byte for byte. */
	uint32_t x = 88172645u;
	for (int i = 0; i < 2000; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		read_check(rw, (Sint64)(x % (FILE_BYTES + 40)), 1 + (x >> 20) % 700);
	}
	CHECK(SDL_RWwrite(rw, words, 1, 1) == 0);
	CHECK(SDL_RWclose(rw) == 0);
	unlink(path);
}

/* A glyph read again (a size change drops SDL_ttf's cache) costs no pread. */
static void same_bytes_read_again_from_memory(void)
{
	SDL_RWops *rw = open_test_file();
	if (!rw) {
		return;
	}
	unsigned char buf[300];
	struct font_file_stats before, after;
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			CHECK(font_file_stats(rw, &before));
		}
		for (Sint64 at = 1000; at < 1000 + 5 * FONT_FILE_BLOCK_BYTES; at += 3000) {
			SDL_RWseek(rw, at, RW_SEEK_SET);
			CHECK_INT((long)SDL_RWread(rw, buf, 1, sizeof(buf)), (long)sizeof(buf));
		}
	}
	CHECK(font_file_stats(rw, &after));
	printf("# %lu reads, %lu preads\n", after.reads, after.preads);
	CHECK(after.reads > before.reads);
	CHECK_INT((long)after.preads, (long)before.preads);
	SDL_RWops *other = SDL_RWFromConstMem(buf, 1);
	CHECK(!font_file_stats(other, &after));
	SDL_RWclose(other);
	SDL_RWclose(rw);
	unlink(path);
	CHECK(font_file_open("/nonexistent/font.ttf") == NULL);
	CHECK(strstr(SDL_GetError(), "/nonexistent/font.ttf") != NULL);
}

/* SDL_ttf opens a real font through it and measures text as from the file's name. */
static void opens_a_real_font(void)
{
	const char *font = "/usr/share/fonts/truetype/nanum/NanumGothic.ttf";
	if (access(font, R_OK) != 0) {
		printf("# %s missing: not checked\n", font);
		return;
	}
	CHECK(TTF_Init() == 0);
	TTF_Font *a = TTF_OpenFontIndexRW(font_file_open(font), 1, 20, 0);
	TTF_Font *b = TTF_OpenFont(font, 20);
	CHECK(a != NULL && b != NULL);
	if (a && b) {
		int wa = 0, ha = 0, wb = 0, hb = 0;
		CHECK(TTF_SizeUTF8(a, "서울 11,300건", &wa, &ha) == 0);
		CHECK(TTF_SizeUTF8(b, "서울 11,300건", &wb, &hb) == 0);
		CHECK(wa > 0 && wa == wb && ha == hb);
		CHECK(TTF_SetFontSize(a, 31) == 0 && TTF_SetFontSize(b, 31) == 0);
		CHECK(TTF_SizeUTF8(a, "서울 11,300건", &wa, &ha) == 0);
		CHECK(TTF_SizeUTF8(b, "서울 11,300건", &wb, &hb) == 0);
		CHECK(wa == wb && ha == hb);
	}
	TTF_CloseFont(a);
	TTF_CloseFont(b);
	TTF_Quit();
}

static const struct check_case cases[] = {
	{"font_file reads the file's bytes at every offset and length", reads_the_file},
	{"font_file serves bytes read before from its blocks", same_bytes_read_again_from_memory},
	{"font_file opens a real font for SDL_ttf", opens_a_real_font},
};

CHECK_MAIN(cases)
