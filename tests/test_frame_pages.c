/*
 * display/frame_pages.c: the pages of a shared frame that no put read for a while are given
 * back to the kernel (they read as zeros after), the pages put lately keep their pixels, a
 * page is given back once, and a put of the whole frame makes it whole again.
 */

#include "check.h"

#include "display/frame_pages.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define WIDTH 1024 /* one row is one 4 KiB page (x86-64) */
#define HEIGHT 64

static uint32_t pixel(const unsigned char *base, int x, int y)
{
	uint32_t v;
	memcpy(&v, base + ((size_t)y * WIDTH + (size_t)x) * 4, 4);
	return v;
}

static void paint(unsigned char *base, uint32_t v)
{
	for (size_t i = 0; i < (size_t)WIDTH * HEIGHT; i++) {
		memcpy(base + i * 4, &v, 4);
	}
}

static void idle_pages_given_back(void)
{
	size_t bytes = (size_t)WIDTH * HEIGHT * 4;
	/* Shared memory, as the XShm segment is: giving a page back frees what backs it. */
	unsigned char *base = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
				   -1, 0);
	CHECK(base != MAP_FAILED);
	if (base == MAP_FAILED) {
		return;
	}
	struct frame_pages pages;
	frame_pages_init(&pages, base, WIDTH * 4, HEIGHT);
	paint(base, 0x11223344u);
	SDL_Rect all = {0, 0, WIDTH, HEIGHT};
	frame_pages_put(&pages, &all, 1, WIDTH, HEIGHT, 100.0);
	CHECK(!pages.partial);
	/* Rows 10-19 put again later, partly: their pages are read lately. */
	SDL_Rect later = {100, 10, 50, 10};
	frame_pages_put(&pages, &later, 1, WIDTH, HEIGHT, 108.0);
	CHECK_INT((int)frame_pages_release(&pages, 104.0, 5.0), 0); // nothing idle for 5 s yet
	CHECK(!pages.partial);
	size_t released = frame_pages_release(&pages, 110.0, 5.0);
	CHECK_INT((int)released, (int)(bytes - 10 * WIDTH * 4));
	CHECK(pages.partial);
	CHECK(pixel(base, 0, 0) == 0);            // given back: zeros
	CHECK(pixel(base, 5, HEIGHT - 1) == 0);
	CHECK(pixel(base, 0, 10) == 0x11223344u); // the same page as the later put: kept
	CHECK(pixel(base, 120, 15) == 0x11223344u);
	CHECK(pixel(base, WIDTH - 1, 19) == 0x11223344u);
	/* The two pages read above came back into memory (as zeros): given back again. */
	CHECK_INT((int)frame_pages_release(&pages, 111.0, 5.0), 2 * (int)sysconf(_SC_PAGESIZE));
	/* Drawn and put whole again: whole, and idle again 5 s later. */
	paint(base, 0x55667788u);
	frame_pages_put(&pages, &all, 1, WIDTH, HEIGHT, 120.0);
	CHECK(!pages.partial);
	CHECK(pixel(base, 0, 0) == 0x55667788u);
	CHECK_INT((int)frame_pages_release(&pages, 126.0, 5.0), (int)bytes);
	CHECK(pages.partial);
	frame_pages_free(&pages);
	munmap(base, bytes);
}

static const struct check_case cases[] = {
	{"frame_pages: idle pages given back, lately put ones kept, a whole put makes it whole",
	 idle_pages_given_back},
};

int main(void)
{
	return check_run(cases, sizeof(cases) / sizeof(cases[0]));
}
