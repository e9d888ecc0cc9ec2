/*
 * Text engine tests: real fonts (fonts-nanum, fonts-dejavu-core) and cairo image surfaces, no
 * display. Pixels are checked on RGB24 canvases filled black and drawn in colour.
 */
#include "render/text.h"
#include "render/text_cache.h"
#include "render/utf8.h"

#include "check.h"

#include <cairo.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KOREAN "서울 디지털 시민시장실"
#define LONG_TEXT "서울특별시 도시데이터 통합 관제 대시보드: 실시간 교통, 환경, 안전 지표 " \
		  "모니터링"

static struct text_engine *new_engine(size_t budget)
{
	char err[256] = "";
	struct text_engine *engine = text_engine_create(NULL, budget, err, sizeof(err));
	if (!engine) {
		printf("# text_engine_create: %s\n", err);
	}
	return engine;
}

static struct text_style style_of(const char *family, double size, enum text_align align)
{
	return (struct text_style){
		.family = family, .size = size, .rgba = {1, 1, 1, 1}, .align = align};
}

struct canvas {
	cairo_surface_t *surface; // owned
	cairo_t *cr;              // owned
};

/* A black RGB24 canvas of w x h device pixels, scaled by `scale`. */
static struct canvas canvas_new(int w, int h, double scale)
{
	struct canvas c;
	c.surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	c.cr = cairo_create(c.surface);
	cairo_set_source_rgb(c.cr, 0, 0, 0);
	cairo_paint(c.cr);
	cairo_scale(c.cr, scale, scale);
	return c;
}

static void canvas_free(struct canvas *c)
{
	cairo_destroy(c->cr);
	cairo_surface_destroy(c->surface);
}

static uint32_t pixel(cairo_surface_t *s, int x, int y)
{
	const unsigned char *data = cairo_image_surface_get_data(s);
	size_t stride = (size_t)cairo_image_surface_get_stride(s);
	const uint32_t *row = (const uint32_t *)(data + (size_t)y * stride);
	return row[x] & 0xFFFFFF;
}

/* Bounds of the non-black pixels (x1, y1 exclusive) and how many there are. */
struct box {
	int x0, y0, x1, y1;
	long ink;
};

static struct box ink_in(cairo_surface_t *s, int rx0, int ry0, int rx1, int ry1)
{
	cairo_surface_flush(s);
	struct box b = {.x0 = rx1, .y0 = ry1, .x1 = rx0, .y1 = ry0, .ink = 0};
	for (int y = ry0; y < ry1; y++) {
		for (int x = rx0; x < rx1; x++) {
			if (pixel(s, x, y)) {
				b.ink++;
				b.x0 = x < b.x0 ? x : b.x0;
				b.y0 = y < b.y0 ? y : b.y0;
				b.x1 = x + 1 > b.x1 ? x + 1 : b.x1;
				b.y1 = y + 1 > b.y1 ? y + 1 : b.y1;
			}
		}
	}
	return b;
}

static struct box ink(cairo_surface_t *s)
{
	return ink_in(s, 0, 0, cairo_image_surface_get_width(s), cairo_image_surface_get_height(s));
}

static bool same_pixels(cairo_surface_t *a, cairo_surface_t *b)
{
	cairo_surface_flush(a);
	cairo_surface_flush(b);
	int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			if (pixel(a, x, y) != pixel(b, x, y)) {
				return false;
			}
		}
	}
	return true;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = s ? strlen(s) : 0, m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void test_font_file(void)
{
	struct text_engine *e = new_engine(0);
	CHECK(e != NULL);
	if (!e) {
		return;
	}
	const char *bold = text_engine_font_file(e, "NanumGothic", true);
	CHECK(ends_with(bold, "/NanumGothicBold.ttf"));
	CHECK(ends_with(text_engine_font_file(e, "NanumGothic", false), "/NanumGothic.ttf"));
	CHECK(ends_with(text_engine_font_file(e, "NanumSquare", true), "/NanumSquareB.ttf"));
	CHECK(ends_with(text_engine_font_file(e, "DejaVu Sans", false), "/DejaVuSans.ttf"));
	CHECK(text_engine_font_file(e, NULL, false) == NULL);
	// Asked again: the same answer, from the engine's own memory.
	CHECK(text_engine_font_file(e, "NanumGothic", true) == bold);
	text_engine_destroy(e);
	text_engine_destroy(NULL);
}

static void test_missing_fallback(void)
{
	char err[256] = "";
	struct text_engine *e = text_engine_create("No Such Family Qzx", 0, err, sizeof(err));
	CHECK(e == NULL);
	CHECK(strstr(err, "No Such Family Qzx") != NULL);
	text_engine_destroy(e);
}

static void test_scale(void)
{
	struct text_engine *e = new_engine(0);
	if (!e) {
		CHECK(e != NULL);
		return;
	}
	struct text_style style = style_of("NanumGothic", 40, TEXT_ALIGN_LEFT);
	struct canvas c1 = canvas_new(800, 120, 1), c2 = canvas_new(1600, 240, 2);
	struct text_extents x1 = text_measure(e, c1.cr, &style, KOREAN);
	struct text_extents x2 = text_measure(e, c2.cr, &style, KOREAN);
	printf("# scale 1: %.2f x (%.2f + %.2f); scale 2: %.2f x (%.2f + %.2f) user units\n",
	       x1.width, x1.ascent, x1.descent, x2.width, x2.ascent, x2.descent);
	CHECK(x1.width > 300 && x1.width < 600);
	CHECK_NEAR(x2.width / x1.width, 1.0, 0.03);
	CHECK_NEAR(x2.ascent / x1.ascent, 1.0, 0.05);
	CHECK(text_engine_stats(e).entries == 2); // one line per device pixel size

	// Painted 1:1 in device pixels, so the ink height shows the rasterised pixel size.
	text_draw(e, c1.cr, &style, 10, 80, 0, KOREAN);
	text_draw(e, c2.cr, &style, 10, 80, 0, KOREAN);
	struct box b1 = ink(c1.surface), b2 = ink(c2.surface);
	double ratio = (double)(b2.y1 - b2.y0) / (double)(b1.y1 - b1.y0);
	printf("# ink height %d px at scale 1, %d px at scale 2\n", b1.y1 - b1.y0, b2.y1 - b2.y0);
	CHECK(b1.ink > 0 && b2.ink > 0);
	CHECK_NEAR(ratio, 2.0, 0.15);
	CHECK_NEAR((double)(b2.x1 - b2.x0) / (double)(b1.x1 - b1.x0), 2.0, 0.1);
	canvas_free(&c1);
	canvas_free(&c2);
	text_engine_destroy(e);
}

/* Draws KOREAN with `align` at (x, 150) and checks the ink lies in the measured box. */
static void check_bounds(struct text_engine *e, enum text_align align, double x, double scale)
{
	struct canvas c = canvas_new((int)(1000 * scale), (int)(300 * scale), scale);
	struct text_style style = style_of("NanumGothic", 40, align);
	struct text_extents ext = text_measure(e, c.cr, &style, KOREAN);
	double drawn = text_draw(e, c.cr, &style, x, 150, 0, KOREAN);
	CHECK_NEAR(drawn, ext.width, 1e-9);
	double f = align == TEXT_ALIGN_CENTER ? 0.5 : align == TEXT_ALIGN_RIGHT ? 1.0 : 0.0;
	double left = (x - f * ext.width) * scale, right = (x + (1 - f) * ext.width) * scale;
	double top = (150 - ext.ascent) * scale, bottom = (150 + ext.descent) * scale;
	struct box b = ink(c.surface);
	CHECK(b.ink > 1000);
	// One device pixel of slack for snapping the origin to whole pixels.
	CHECK(b.x0 >= left - 1);
	CHECK(b.x1 <= right + 1);
	CHECK(b.y0 >= top - 1);
	CHECK(b.y1 <= bottom + 1);
	// And the box is not just loose: the ink spans most of the measured width.
	CHECK(b.x1 - b.x0 >= 0.9 * (right - left));
	if (check_failures_in_case) {
		printf("# align %d scale %g: ink [%d,%d)x[%d,%d), box [%g,%g]x[%g,%g]\n", align,
		       scale, b.x0, b.x1, b.y0, b.y1, left, right, top, bottom);
	}
	canvas_free(&c);
}

static void test_bounds_and_alignment(void)
{
	struct text_engine *e = new_engine(0);
	if (!e) {
		CHECK(e != NULL);
		return;
	}
	check_bounds(e, TEXT_ALIGN_LEFT, 50, 1);
	check_bounds(e, TEXT_ALIGN_CENTER, 500, 1);
	check_bounds(e, TEXT_ALIGN_RIGHT, 950, 1);
	check_bounds(e, TEXT_ALIGN_CENTER, 500, 2);
	check_bounds(e, TEXT_ALIGN_RIGHT, 950, 1.5);
	text_engine_destroy(e);
}

/* The baseline lands on y exactly, at any scale, and mixing in fallback glyphs moves nothing. */
static void test_baseline(void)
{
	struct text_engine *e = new_engine(0);
	if (!e) {
		CHECK(e != NULL);
		return;
	}
	const double scales[] = {1, 2, 1.5};
	for (size_t i = 0; i < 3; i++) {
		double k = scales[i];
		int baseline = (int)(100 * k), bottom = (int)(200 * k);
		struct canvas c = canvas_new((int)(600 * k), bottom, k);
		struct text_style dejavu = style_of("DejaVu Sans", 40, TEXT_ALIGN_LEFT);
		struct text_style nanum = style_of("NanumGothic", 40, TEXT_ALIGN_LEFT);
		// DejaVu's "H" sits on the baseline (NanumGothic's Latin dips a few pixels); "Ẫ"
		// rises above the font's ascent, which makes SDL_ttf grow its surface upwards.
		text_draw(e, c.cr, &dejavu, 10, 100, 0, "HẪH");
		double tall = text_measure(e, c.cr, &dejavu, "HẪH").ascent;
		CHECK(tall > text_measure(e, c.cr, &dejavu, "HHH").ascent);
		int h_end = (int)((10 + text_measure(e, c.cr, &dejavu, "H").width) * k) - 1;
		struct box h = ink_in(c.surface, 0, 0, h_end, bottom);
		CHECK_INT(h.y1, baseline);
		CHECK(h.y1 - h.y0 > 25 * k);

		// Nanum "H", then "H✓H" where the ✓ comes from DejaVu: the Hs line up.
		text_draw(e, c.cr, &nanum, 200, 100, 0, "H");
		text_draw(e, c.cr, &nanum, 300, 100, 0, "H✓H");
		int first_end = (int)((300 + text_measure(e, c.cr, &nanum, "H").width) * k);
		int last_start = (int)((300 + text_measure(e, c.cr, &nanum, "H✓").width) * k) + 1;
		struct box alone = ink_in(c.surface, (int)(200 * k), 0, (int)(290 * k), bottom);
		struct box first = ink_in(c.surface, (int)(300 * k), 0, first_end, bottom);
		struct box last = ink_in(c.surface, last_start, 0, (int)(600 * k), bottom);
		CHECK(alone.ink > 0 && first.ink > 0 && last.ink > 0);
		CHECK_INT(first.y0, alone.y0);
		CHECK_INT(first.y1, alone.y1);
		CHECK_INT(last.y1, alone.y1);
		CHECK(alone.y1 >= baseline && alone.y1 <= baseline + 4 * k);
		canvas_free(&c);
	}
	text_engine_destroy(e);
}

static void test_ellipsis(void)
{
	struct text_engine *e = new_engine(0);
	if (!e) {
		CHECK(e != NULL);
		return;
	}
	struct canvas c = canvas_new(1600, 100, 1);
	struct text_style style = style_of("NanumGothic", 24, TEXT_ALIGN_LEFT);
	double full = text_measure(e, c.cr, &style, LONG_TEXT).width;
	double w = text_draw(e, c.cr, &style, 10, 50, 200, LONG_TEXT);
	printf("# full %.1f, shortened to %.1f of 200\n", full, w);
	CHECK(full > 400);
	CHECK(w <= 200);
	CHECK(w < full);
	// The longest prefix: one more character (at most ~24 px) would not fit.
	CHECK(w > 200 - 2 * 24);
	struct box b = ink(c.surface);
	CHECK(b.ink > 0);
	CHECK(b.x0 >= 10 - 1 && b.x1 <= 10 + 200 + 1);
	canvas_free(&c);

	// Far wider than any mask can be (32767 px; 1,000 characters at 48 px): shortened all
	// the same.
	char *huge = malloc(3000 * 3 + 1);
	for (int i = 0; i < 3000; i++) {
		memcpy(huge + 3 * i, "가", 3);
	}
	huge[3000 * 3] = '\0';
	c = canvas_new(1600, 100, 1);
	struct text_style big = style_of("NanumGothic", 48, TEXT_ALIGN_LEFT);
	CHECK(text_measure(e, c.cr, &big, huge).width > 32767);
	w = text_draw(e, c.cr, &big, 10, 50, 300, huge);
	CHECK(w <= 300 && w > 300 - 2 * 48);
	b = ink(c.surface);
	CHECK(b.ink > 0 && b.x1 <= 10 + 300 + 1);
	free(huge);
	canvas_free(&c);

	// Wide enough: drawn whole.
	c = canvas_new(1600, 100, 1);
	CHECK_NEAR(text_draw(e, c.cr, &style, 10, 50, full + 1, LONG_TEXT), full, 1e-9);
	canvas_free(&c);

	// Not even "…" fits: nothing.
	c = canvas_new(400, 100, 1);
	CHECK_NEAR(text_draw(e, c.cr, &style, 10, 50, 3, LONG_TEXT), 0, 0);
	CHECK_INT(ink(c.surface).ink, 0);
	canvas_free(&c);

	// Exactly the longest prefix that fits: five "a" and the "…".
	c = canvas_new(400, 100, 1);
	struct text_style latin = style_of("DejaVu Sans", 24, TEXT_ALIGN_LEFT);
	double five = text_measure(e, c.cr, &latin, "aaaaa…").width;
	CHECK(five < text_measure(e, c.cr, &latin, "aaaaaa…").width);
	CHECK_NEAR(text_draw(e, c.cr, &latin, 10, 50, five, "aaaaaaaaaaaaaaaaaaaa"), five, 1e-9);

	// Trailing blanks of the prefix go before the "…": "ab …" never appears.
	double ab = text_measure(e, c.cr, &latin, "ab…").width;
	double ab_space = text_measure(e, c.cr, &latin, "ab …").width;
	CHECK(text_measure(e, c.cr, &latin, "ab c…").width > ab_space + 1);
	double got = text_draw(e, c.cr, &latin, 10, 50, ab_space + 0.5, "ab cdefghij");
	CHECK_NEAR(got, ab, 1e-9);
	canvas_free(&c);
	text_engine_destroy(e);
}

static void test_cache(void)
{
	struct text_engine *e = new_engine(0);
	if (!e) {
		CHECK(e != NULL);
		return;
	}
	struct canvas c = canvas_new(800, 100, 1);
	struct text_style style = style_of("NanumGothic", 40, TEXT_ALIGN_LEFT);
	text_draw(e, c.cr, &style, 10, 60, 0, KOREAN);
	struct text_stats s = text_engine_stats(e);
	CHECK_INT(s.misses, 1);
	CHECK_INT(s.hits, 0);
	CHECK_INT(s.entries, 1);
	CHECK(s.bytes > 0);
	text_draw(e, c.cr, &style, 10, 60, 0, KOREAN);
	s = text_engine_stats(e);
	CHECK_INT(s.misses, 1);
	CHECK_INT(s.hits, 1);

	// Colour is applied when painting: the same entry serves red.
	style.rgba[1] = style.rgba[2] = 0;
	text_draw(e, c.cr, &style, 10, 60, 0, KOREAN);
	s = text_engine_stats(e);
	CHECK_INT(s.misses, 1);
	CHECK_INT(s.hits, 2);
	CHECK_INT(s.entries, 1);

	// Measuring the drawn line is a hit too.
	text_measure(e, c.cr, &style, KOREAN);
	CHECK_INT(text_engine_stats(e).hits, 3);

	// A new size, weight, family or text is a new entry.
	style.size = 41;
	text_draw(e, c.cr, &style, 10, 60, 0, KOREAN);
	style.bold = true;
	text_draw(e, c.cr, &style, 10, 60, 0, KOREAN);
	style.family = "NanumSquare";
	text_draw(e, c.cr, &style, 10, 60, 0, KOREAN);
	text_draw(e, c.cr, &style, 10, 60, 0, KOREAN " ");
	s = text_engine_stats(e);
	CHECK_INT(s.misses, 5);
	CHECK_INT(s.entries, 5);
	CHECK_INT(s.hits, 3);
	canvas_free(&c);
	text_engine_destroy(e);
}

/* The key compares the whole text: two lines whose hashes collide stay apart. */
static void test_hash_collision(void)
{
	struct text_engine *e = new_engine(0);
	if (!e) {
		CHECK(e != NULL);
		return;
	}
	struct canvas c = canvas_new(400, 100, 1);
	struct text_style style = style_of("DejaVu Sans", 20, TEXT_ALIGN_LEFT);
	// FNV-1a of (family, bold, px, text) is the same for these two (found by brute force).
	double a = text_measure(e, c.cr, &style, "k71651").width;
	double b = text_measure(e, c.cr, &style, "k153788").width;
	CHECK(b > a);
	struct text_stats s = text_engine_stats(e);
	CHECK_INT(s.misses, 2);
	CHECK_INT(s.hits, 0);
	CHECK_INT(s.entries, 2);
	CHECK_NEAR(text_measure(e, c.cr, &style, "k71651").width, a, 0);
	CHECK_INT(text_engine_stats(e).hits, 1);
	canvas_free(&c);
	text_engine_destroy(e);
}

static void test_budget(void)
{
	const size_t budget = 64 << 10;
	struct text_engine *e = new_engine(budget);
	if (!e) {
		CHECK(e != NULL);
		return;
	}
	struct canvas c = canvas_new(800, 100, 1);
	struct text_style style = style_of("NanumGothic", 24, TEXT_ALIGN_LEFT);
	char text[64];
	size_t worst = 0;
	for (int i = 0; i < 200; i++) {
		snprintf(text, sizeof(text), "줄 %d: 서울 %d", i, i * 7);
		text_draw(e, c.cr, &style, 10, 60, 0, text);
		size_t bytes = text_engine_stats(e).bytes;
		worst = bytes > worst ? bytes : worst;
	}
	struct text_stats s = text_engine_stats(e);
	printf("# budget %zu: %zu entries, %zu bytes (most %zu)\n", budget, s.entries, s.bytes,
	       worst);
	CHECK(worst <= budget);
	CHECK_INT(s.misses, 200);
	CHECK(s.entries > 1 && s.entries < 200);
	// The newest line survived eviction; the oldest did not.
	text_draw(e, c.cr, &style, 10, 60, 0, text);
	CHECK_INT(text_engine_stats(e).hits, 1);
	text_draw(e, c.cr, &style, 10, 60, 0, "줄 0: 서울 0");
	CHECK_INT(text_engine_stats(e).misses, 201);
	canvas_free(&c);
	text_engine_destroy(e);

	// A line bigger than the whole budget is still drawn, just not kept.
	e = new_engine(1000);
	c = canvas_new(800, 100, 1);
	CHECK(text_draw(e, c.cr, &style, 10, 60, 0, KOREAN) > 0);
	CHECK(ink(c.surface).ink > 0);
	s = text_engine_stats(e);
	CHECK(s.bytes <= 1000);
	CHECK_INT(s.entries, 0);
	canvas_free(&c);
	text_engine_destroy(e);
}

static void test_fallback(void)
{
	struct text_engine *e = new_engine(0);
	if (!e) {
		CHECK(e != NULL);
		return;
	}
	struct canvas c = canvas_new(400, 100, 1);
	struct text_style nanum = style_of("NanumGothic", 40, TEXT_ALIGN_LEFT);
	double whole = text_measure(e, c.cr, &nanum, "✓ 정상").width;
	double rest = text_measure(e, c.cr, &nanum, " 정상").width;
	CHECK(whole > rest + 10);
	text_draw(e, c.cr, &nanum, 20, 60, 0, "✓ 정상");
	struct box mark = ink_in(c.surface, 20, 0, 20 + (int)(whole - rest), 100);
	CHECK(mark.ink > 50);
	canvas_free(&c);

	// NanumGothic has no ✓: the mark drawn for it is DejaVu Sans's, pixel for pixel.
	struct text_style dejavu = style_of("DejaVu Sans", 40, TEXT_ALIGN_LEFT);
	struct canvas a = canvas_new(200, 100, 1), b = canvas_new(200, 100, 1);
	double wa = text_draw(e, a.cr, &nanum, 20, 60, 0, "✓");
	double wb = text_draw(e, b.cr, &dejavu, 20, 60, 0, "✓");
	CHECK_NEAR(wa, wb, 1e-9);
	CHECK(ink(a.surface).ink > 50);
	CHECK(same_pixels(a.surface, b.surface));
	canvas_free(&a);
	canvas_free(&b);
	text_engine_destroy(e);
}

static void test_latin_kerning(void)
{
	struct text_engine *e = new_engine(0);
	if (!e) {
		CHECK(e != NULL);
		return;
	}
	struct canvas c = canvas_new(100, 100, 1);
	struct text_style dejavu = style_of("DejaVu Sans", 40, TEXT_ALIGN_LEFT);
	// The same glyphs; only "AVAV…" has kerned pairs, if HarfBuzz applies Latin kerning.
	double kerned = text_measure(e, c.cr, &dejavu, "AVAVAVAV").width;
	double plain = text_measure(e, c.cr, &dejavu, "AAAAVVVV").width;
	printf("# AVAVAVAV %.0f, AAAAVVVV %.0f\n", kerned, plain);
	CHECK(kerned + 6 < plain);
	canvas_free(&c);
	text_engine_destroy(e);
}

static void test_invalid_utf8(void)
{
	struct text_engine *e = new_engine(0);
	if (!e) {
		CHECK(e != NULL);
		return;
	}
	struct canvas c = canvas_new(400, 100, 1);
	struct text_style style = style_of("NanumGothic", 30, TEXT_ALIGN_LEFT);
	double w = text_draw(e, c.cr, &style, 10, 60, 0, "\xff\xfe abc");
	CHECK(ink(c.surface).ink > 0);
	CHECK(w > text_measure(e, c.cr, &style, " abc").width + 10);
	CHECK_NEAR(w, text_measure(e, c.cr, &style, "\uFFFD\uFFFD abc").width, 1e-9);
	// Truncated, overlong and surrogate sequences: one U+FFFD per bad byte.
	CHECK_NEAR(text_measure(e, c.cr, &style, "a\xe2\x80").width,
		   text_measure(e, c.cr, &style, "a\uFFFD\uFFFD").width, 1e-9);
	CHECK_NEAR(text_measure(e, c.cr, &style, "\xc0\xaf").width,
		   text_measure(e, c.cr, &style, "\uFFFD\uFFFD").width, 1e-9);
	CHECK_NEAR(text_measure(e, c.cr, &style, "\xed\xa0\x80").width,
		   text_measure(e, c.cr, &style, "\uFFFD\uFFFD\uFFFD").width, 1e-9);
	// Ellipsis on a cleaned line cuts between characters, not inside the U+FFFD.
	CHECK(text_draw(e, c.cr, &style, 10, 60, 40, "\xff\xfe\xff\xfe\xff\xfe\xff") <= 40);
	canvas_free(&c);
	text_engine_destroy(e);
}

static void test_empty_and_bad_input(void)
{
	struct text_engine *e = new_engine(0);
	if (!e) {
		CHECK(e != NULL);
		return;
	}
	struct canvas c = canvas_new(400, 100, 1);
	struct text_style style = style_of("NanumGothic", 30, TEXT_ALIGN_LEFT);
	CHECK_NEAR(text_draw(e, c.cr, &style, 10, 60, 0, ""), 0, 0);
	CHECK_NEAR(text_draw(e, c.cr, &style, 10, 60, 0, NULL), 0, 0);
	struct text_extents empty = text_measure(e, c.cr, &style, "");
	CHECK_NEAR(empty.width, 0, 0);
	CHECK(empty.ascent > 20 && empty.descent > 3);
	struct text_extents null = text_measure(e, c.cr, &style, NULL);
	CHECK_NEAR(null.ascent, empty.ascent, 0);

	const double bad_sizes[] = {0, -5, NAN, INFINITY, 1e9};
	for (size_t i = 0; i < sizeof(bad_sizes) / sizeof(bad_sizes[0]); i++) {
		style.size = bad_sizes[i];
		CHECK_NEAR(text_draw(e, c.cr, &style, 10, 60, 0, "abc"), 0, 0);
		CHECK_NEAR(text_measure(e, c.cr, &style, "abc").width, 0, 0);
	}
	style.size = 0.2; // rounds to 0 px: drawn at the 1 px minimum
	CHECK(text_measure(e, c.cr, &style, "abc").ascent > 0);
	style.size = 30;
	CHECK_NEAR(text_draw(NULL, c.cr, &style, 10, 60, 0, "abc"), 0, 0);
	CHECK_NEAR(text_draw(e, NULL, &style, 10, 60, 0, "abc"), 0, 0);
	CHECK_NEAR(text_draw(e, c.cr, NULL, 10, 60, 0, "abc"), 0, 0);
	CHECK_NEAR(text_draw(e, c.cr, &style, NAN, 60, 0, "abc"), text_measure(e, c.cr, &style,
		   "abc").width, 1e-9);
	CHECK_INT(ink(c.surface).ink, 0);

	// A family fontconfig does not know is substituted, not fatal.
	style.family = "No Such Font Zq";
	CHECK(text_draw(e, c.cr, &style, 10, 60, 0, "abc 가나다") > 0);
	CHECK(ink(c.surface).ink > 0);
	CHECK(text_engine_font_file(e, "No Such Font Zq", false) != NULL);
	// NULL family means the fallback family.
	style.family = NULL;
	CHECK(text_measure(e, c.cr, &style, "abc").width > 0);
	canvas_free(&c);
	text_engine_destroy(e);
}

static void test_colour_and_pixel_snap(void)
{
	struct text_engine *e = new_engine(0);
	if (!e) {
		CHECK(e != NULL);
		return;
	}
	struct text_style style = style_of("NanumGothic", 30, TEXT_ALIGN_LEFT);
	style.rgba[1] = style.rgba[2] = 0; // red
	struct canvas a = canvas_new(400, 100, 1), b = canvas_new(400, 100, 1);
	text_draw(e, a.cr, &style, 10, 60, 0, KOREAN);
	text_draw(e, b.cr, &style, 10.3, 59.8, 0, KOREAN);
	// Snapped to the same whole pixels: not resampled, not shifted by a fraction.
	CHECK(same_pixels(a.surface, b.surface));
	bool red_only = true;
	uint32_t brightest = 0;
	for (int y = 0; y < 100; y++) {
		for (int x = 0; x < 400; x++) {
			uint32_t p = pixel(a.surface, x, y);
			red_only = red_only && (p & 0x00FFFF) == 0;
			brightest = p > brightest ? p : brightest;
		}
	}
	CHECK(red_only);
	CHECK(brightest >= 0xF00000);
	// The caller's source survives the draw.
	cairo_set_source_rgb(a.cr, 0, 0, 1);
	text_draw(e, a.cr, &style, 10, 60, 0, KOREAN);
	double r, g, bl, al;
	cairo_pattern_get_rgba(cairo_get_source(a.cr), &r, &g, &bl, &al);
	CHECK(r == 0 && bl == 1);
	canvas_free(&a);
	canvas_free(&b);
	text_engine_destroy(e);
}

static size_t code_points(const char *s)
{
	size_t n = 0, len;
	for (const unsigned char *p = (const unsigned char *)s; *p; p += len, n++) {
		utf8_decode(p, &len);
	}
	return n;
}

/* `base` then `count` copies of `mark`, in a new string. */
static char *flood(const char *base, const char *mark, size_t count)
{
	size_t b = strlen(base), m = strlen(mark);
	char *out = malloc(b + m * count + 1);
	memcpy(out, base, b);
	for (size_t i = 0; i < count; i++) {
		memcpy(out + b + i * m, mark, m);
	}
	out[b + m * count] = '\0';
	return out;
}

/*
 * "a" and 50,000 combining accents once froze the render thread for 20 s (HarfBuzz shaping one
 * cluster of 50,001 code points): marks past 8 in a row are dropped before shaping.
 */
static void text_combining_flood_capped(void)
{
	/* Within the scan bound: only the marks go. */
	char *few = flood("a", "\u0301", 20);
	bool cut = true;
	char *clean = utf8_sanitize(few, &cut);
	CHECK(clean != NULL && !cut);
	CHECK_INT(clean ? code_points(clean) : 0, 1 + UTF8_MAX_MARKS);
	char *expected = flood("a", "\u0301", UTF8_MAX_MARKS);
	CHECK_STR(clean, expected);
	free(expected);
	free(clean);
	free(few);
	/* Each base character gets its own 8; other blocks of marks count the same. */
	char *two = flood("e", "\u20D7", 12), *tail = flood("가", "\u1DC0", 12);
	char *both = malloc(strlen(two) + strlen(tail) + 1);
	sprintf(both, "%s%s", two, tail);
	clean = utf8_sanitize(both, NULL);
	CHECK_INT(clean ? code_points(clean) : 0, 2 + 2 * UTF8_MAX_MARKS);
	free(clean);
	free(both);
	free(two);
	free(tail);

	/* The flood itself (200 kB): cut at the scan bound as well, with "…". */
	char *attack = flood("a", "\u0301", 50000);
	CHECK_INT(strlen(attack), 1 + 2 * 50000);
	clean = utf8_sanitize(attack, &cut);
	expected = flood("a", "\u0301", UTF8_MAX_MARKS);
	char *with_ellipsis = malloc(strlen(expected) + 4);
	sprintf(with_ellipsis, "%s…", expected);
	CHECK_STR(clean, with_ellipsis);
	CHECK(cut);
	free(clean);

	struct text_engine *e = new_engine(0);
	if (!e) {
		CHECK(e != NULL);
	} else {
		struct canvas c = canvas_new(400, 100, 1);
		struct text_style style = style_of("DejaVu Sans", 30, TEXT_ALIGN_LEFT);
		double w = text_draw(e, c.cr, &style, 10, 60, 0, attack);
		CHECK(w > 0);
		CHECK_NEAR(w, text_measure(e, c.cr, &style, with_ellipsis).width, 1e-9);
		CHECK(ink(c.surface).ink > 0);
		CHECK_INT(text_engine_stats(e).shortened, 1);
		canvas_free(&c);
		text_engine_destroy(e);
	}
	free(with_ellipsis);
	free(expected);
	free(attack);
}

/* Real text is never touched: Hangul in conjoining jamo, accented Latin, a few marks. */
static void text_real_text_unchanged(void)
{
	const char *texts[] = {
		KOREAN, LONG_TEXT, "\u1100\u1161\u11A8 \u1112\u1161\u11AB",
		"Cafe\u0301 na\u0308ive \u1EC7", "\u0915\u094D\u0937\u093F", "x\u0302\u0323\u0307",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		bool cut = true;
		char *clean = utf8_sanitize(texts[i], &cut);
		CHECK(clean == NULL);
		CHECK(!cut);
		free(clean);
	}
	CHECK(utf8_is_mark(0x0301) && utf8_is_mark(0x1160) && utf8_is_mark(0x11FF));
	CHECK(utf8_is_mark(0x20D0) && utf8_is_mark(0xFE2F) && utf8_is_mark(0x1AB0));
	CHECK(!utf8_is_mark('a') && !utf8_is_mark(0x1100) && !utf8_is_mark(0xAC00));
	CHECK(!utf8_is_mark(0x115F) && !utf8_is_mark(0x0370) && !utf8_is_mark(0x3131));
}

/* A 3 MB feed title took 1.5 s to shape: a line keeps 1,000 code points, then "…". */
static void text_3mb_title_cut(void)
{
	size_t count = 1000 * 1000;
	char *title = flood("", "서울", count / 2);
	CHECK_INT(strlen(title), 3 * count);
	bool cut = false;
	char *clean = utf8_sanitize(title, &cut);
	CHECK(cut);
	CHECK_INT(clean ? code_points(clean) : 0, UTF8_MAX_CODE_POINTS + 1);
	CHECK(ends_with(clean, "울…"));
	CHECK(clean && strncmp(clean, "서울서울", strlen("서울서울")) == 0);
	/* Exactly at the cap: nothing to do. */
	title[3 * UTF8_MAX_CODE_POINTS] = '\0';
	CHECK(utf8_sanitize(title, &cut) == NULL && !cut);
	title[3 * UTF8_MAX_CODE_POINTS] = "서"[0];

	struct text_engine *e = new_engine(0);
	if (!e) {
		CHECK(e != NULL);
	} else {
		struct canvas c = canvas_new(800, 100, 1);
		struct text_style style = style_of("NanumGothic", 10, TEXT_ALIGN_LEFT);
		CHECK_NEAR(text_measure(e, c.cr, &style, title).width,
			   text_measure(e, c.cr, &style, clean).width, 1e-9);
		double w = text_draw(e, c.cr, &style, 10, 60, 700, title);
		CHECK(w > 600 && w <= 700);
		CHECK(ink(c.surface).ink > 0);
		canvas_free(&c);
		text_engine_destroy(e);
	}
	free(clean);
	free(title);
}

/*
 * Drawing threads share one engine: with a budget of a few lines, each thread's lines evict
 * those another is painting, and every canvas still comes out as drawn on one thread.
 */
enum { SHARED_THREADS = 4, SHARED_LINES = 40 };

struct shared_job {
	struct text_engine *engine;
	int thread;
	struct canvas canvas;
};

static void *draw_shared_lines(void *arg)
{
	struct shared_job *job = arg;
	struct text_style style = style_of("NanumGothic", 18, TEXT_ALIGN_LEFT);
	for (int k = 0; k < SHARED_LINES; k++) {
		char line[64];
		snprintf(line, sizeof(line), "줄 %d · line %d", (job->thread * 7 + k) % 50, k % 3);
		text_draw(job->engine, job->canvas.cr, &style, 4, 24 * (k + 1), k % 2 ? 150 : 0,
			  line);
	}
	cairo_surface_flush(job->canvas.surface);
	return NULL;
}

static void text_shared_by_threads_small_budget(void)
{
	struct text_engine *serial = new_engine(4096), *shared = new_engine(4096);
	if (!serial || !shared) {
		CHECK(false);
		text_engine_destroy(serial);
		text_engine_destroy(shared);
		return;
	}
	struct shared_job one[SHARED_THREADS], many[SHARED_THREADS];
	pthread_t threads[SHARED_THREADS];
	for (int t = 0; t < SHARED_THREADS; t++) {
		one[t] = (struct shared_job){serial, t, canvas_new(300, 24 * (SHARED_LINES + 1), 1)};
		many[t] = (struct shared_job){shared, t, canvas_new(300, 24 * (SHARED_LINES + 1), 1)};
		draw_shared_lines(&one[t]);
	}
	for (int t = 0; t < SHARED_THREADS; t++) {
		CHECK(pthread_create(&threads[t], NULL, draw_shared_lines, &many[t]) == 0);
	}
	for (int t = 0; t < SHARED_THREADS; t++) {
		pthread_join(threads[t], NULL);
	}
	for (int t = 0; t < SHARED_THREADS; t++) {
		cairo_surface_t *a = one[t].canvas.surface, *b = many[t].canvas.surface;
		size_t bytes = (size_t)cairo_image_surface_get_stride(a) *
			       (size_t)cairo_image_surface_get_height(a);
		CHECK(memcmp(cairo_image_surface_get_data(a), cairo_image_surface_get_data(b),
			     bytes) == 0);
		canvas_free(&one[t].canvas);
		canvas_free(&many[t].canvas);
	}
	struct text_stats stats = text_engine_stats(shared);
	CHECK(stats.bytes <= 4096);
	CHECK(stats.shortened == text_engine_stats(serial).shortened);
	text_engine_destroy(serial);
	text_engine_destroy(shared);
}

/*
 * One open font per face is resized to each size asked: a line drawn after the face served
 * other sizes (larger, smaller, the fallback's face too) has the pixels of a line drawn by a
 * fresh engine, whose font was opened at that size.
 */
static void text_resized_font_same_pixels(void)
{
	struct text_engine *fresh = new_engine(0);
	struct text_engine *used = new_engine(0);
	if (!fresh || !used) {
		CHECK(fresh && used);
		text_engine_destroy(fresh);
		text_engine_destroy(used);
		return;
	}
	const char *text = KOREAN " Seoul 1,234.5 ▲ €";
	struct canvas other = canvas_new(1200, 200, 1);
	const double sizes[] = {40, 17, 61, 23.5};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct text_style st = style_of("NanumGothic", sizes[i], TEXT_ALIGN_LEFT);
		text_draw(used, other.cr, &st, 0, 100, 0, text);
		st.bold = true;
		text_draw(used, other.cr, &st, 0, 100, 0, text);
	}
	for (int bold = 0; bold < 2; bold++) {
		struct canvas a = canvas_new(800, 80, 1), b = canvas_new(800, 80, 1);
		struct text_style st = style_of("NanumGothic", 23, TEXT_ALIGN_LEFT);
		st.bold = bold;
		text_draw(fresh, a.cr, &st, 4, 50, 0, text);
		text_draw(used, b.cr, &st, 4, 50, 0, text);
		CHECK(ink(a.surface).ink > 500);
		CHECK(same_pixels(a.surface, b.surface));
		canvas_free(&a);
		canvas_free(&b);
	}
	canvas_free(&other);
	text_engine_destroy(fresh);
	text_engine_destroy(used);
}

static void add_line(struct text_cache *cache, const char *text, double now)
{
	text_cache_put(text_cache_add(cache, text_cache_line_new("NanumGothic", false, 20, text),
				      now));
}

static bool has_line(struct text_cache *cache, const char *text, double now)
{
	struct text_line *line = text_cache_find(cache, "NanumGothic", false, 20, text, now);
	text_cache_put(line);
	return line != NULL;
}

/*
 * Lines not drawn for longer than the idle limit go when a new line comes, however much of
 * the budget is free; a line drawn again meanwhile stays; no limit keeps them all.
 */
static void text_cache_idle_lines_dropped(void)
{
	struct text_cache cache;
	text_cache_init(&cache, (size_t)1 << 20);
	text_cache_set_idle(&cache, 180);
	add_line(&cache, "09:00:00", 0);
	add_line(&cache, "1,234", 100);
	CHECK(has_line(&cache, "09:00:00", 150));
	add_line(&cache, "09:03:20", 200);
	CHECK_INT(cache.stats.entries, 3);
	add_line(&cache, "09:04:50", 290); // "1,234" idle 190 s: dropped
	CHECK_INT(cache.stats.entries, 3);
	CHECK(!has_line(&cache, "1,234", 291));
	CHECK(has_line(&cache, "09:00:00", 292));
	// Finding alone drops nothing: a static board keeps its lines however long it stands.
	CHECK(has_line(&cache, "09:03:20", 5000));
	CHECK_INT(cache.stats.entries, 3);
	add_line(&cache, "09:05:00", 5001); // every other line idle over 180 s
	CHECK_INT(cache.stats.entries, 2);
	CHECK(has_line(&cache, "09:03:20", 5002));
	CHECK(has_line(&cache, "09:05:00", 5002));
	CHECK(cache.stats.bytes > 0 && cache.stats.bytes < 1024);
	text_cache_fini(&cache);

	text_cache_init(&cache, (size_t)1 << 20);
	add_line(&cache, "a", 0);
	add_line(&cache, "b", 1e6);
	CHECK_INT(cache.stats.entries, 2);
	text_cache_fini(&cache);
}

/* Only the newest TEXT_CACHE_TRANSIENT transient lines (a clock's times) stay; others stay too. */
static void text_cache_transient_lines_few(void)
{
	struct text_cache cache;
	text_cache_init(&cache, (size_t)1 << 20);
	add_line(&cache, "시각", 0);
	char text[32];
	for (int i = 0; i < TEXT_CACHE_TRANSIENT + 5; i++) {
		snprintf(text, sizeof(text), "09:00:%02d", i);
		struct text_line *line = text_cache_line_new("NanumGothic", false, 20, text);
		line->transient = true;
		// Held while the next ones come, as a drawing thread may: its put frees it.
		line = text_cache_add(&cache, line, i);
		add_line(&cache, i % 2 ? "1,234" : "5,678", i);
		text_cache_put(line);
	}
	CHECK_INT(cache.stats.entries, 3 + TEXT_CACHE_TRANSIENT);
	CHECK(has_line(&cache, "시각", 20));
	CHECK(!has_line(&cache, "09:00:04", 20)); // the newest TEXT_CACHE_TRANSIENT are 5 and on
	CHECK(has_line(&cache, "09:00:05", 20));
	snprintf(text, sizeof(text), "09:00:%02d", TEXT_CACHE_TRANSIENT + 4);
	CHECK(has_line(&cache, text, 20));
	// A transient line the budget drops leaves the ring too: no slot points at a freed line.
	text_cache_set_budget(&cache, 0);
	CHECK_INT(cache.stats.entries, 0);
	text_cache_set_budget(&cache, (size_t)1 << 20);
	for (int i = 0; i < 2 * TEXT_CACHE_TRANSIENT; i++) {
		snprintf(text, sizeof(text), "10:00:%02d", i);
		struct text_line *line = text_cache_line_new("NanumGothic", false, 20, text);
		line->transient = true;
		text_cache_put(text_cache_add(&cache, line, 30 + i));
	}
	CHECK_INT(cache.stats.entries, TEXT_CACHE_TRANSIENT);
	text_cache_fini(&cache);
}

/*
 * A line someone still holds (a tile on show) outlives the idle limit, however old; once given
 * back it goes with the next line added after the limit.
 */
static void text_cache_held_lines_outlive_idle(void)
{
	struct text_cache cache;
	text_cache_init(&cache, (size_t)1 << 20);
	text_cache_set_idle(&cache, 20);
	struct text_line *title =
		text_cache_add(&cache, text_cache_line_new("NanumGothic", false, 20, "대기질"), 0);
	add_line(&cache, "1,234", 0);
	add_line(&cache, "1,235", 30); // "1,234" idle 30 s, nobody holds it: dropped
	CHECK_INT(cache.stats.entries, 2);
	CHECK(!has_line(&cache, "1,234", 31));
	add_line(&cache, "1,236", 3600); // the held title, an hour idle, stays
	CHECK_INT(cache.stats.entries, 2);
	// ... as in use now: the next adds do not walk past it again for the idle limit.
	CHECK_NEAR(title->used_at, 3600, 0);
	CHECK(has_line(&cache, "1,236", 3601));
	text_cache_put(title);
	CHECK(has_line(&cache, "대기질", 3601)); // given back, but not idle yet
	add_line(&cache, "1,237", 3700);
	CHECK_INT(cache.stats.entries, 1);
	CHECK(!has_line(&cache, "대기질", 3701));
	text_cache_fini(&cache);
}

/*
 * text_draw() inside a hold keeps the painted line (once for a line drawn twice in a row),
 * outside keeps nothing; a held line the budget drops lives until the hold gives it back.
 */
static void text_hold_keeps_painted_lines(void)
{
	struct text_engine *e = new_engine(0);
	if (!e) {
		CHECK(e != NULL);
		return;
	}
	struct canvas c = canvas_new(800, 100, 1);
	struct text_style style = style_of("NanumGothic", 40, TEXT_ALIGN_LEFT);
	struct text_hold hold = {0};
	struct text_hold *outer = text_hold_begin(&hold);
	CHECK(outer == NULL);
	text_draw(e, c.cr, &style, 10, 60, 0, KOREAN);
	text_draw(e, c.cr, &style, 10, 60, 0, KOREAN);
	text_draw(e, c.cr, &style, 10, 60, 0, "1,234");
	text_measure(e, c.cr, &style, "measured only");
	struct text_hold *inner = text_hold_begin(NULL);
	text_draw(e, c.cr, &style, 10, 60, 0, "not held");
	text_hold_end(inner);
	text_hold_end(outer);
	text_draw(e, c.cr, &style, 10, 60, 0, "after the hold");
	CHECK_INT(hold.count, 2);
	CHECK_INT(text_engine_stats(e).entries, 5);
	// The budget drops every line; the held two stay readable until released (ASan checks).
	text_engine_set_cache_budget(e, 0);
	CHECK_INT(text_engine_stats(e).entries, 0);
	CHECK(hold.lines[0]->mask != NULL && hold.lines[1]->mask != NULL);
	text_hold_release(e, &hold);
	CHECK_INT(hold.count, 0);
	CHECK(hold.lines == NULL);
	canvas_free(&c);
	text_engine_destroy(e);
}

/*
 * A line too wide for its room is measured, never rasterised whole, and neither are the
 * ellipsis' candidates: the cache keeps the measure, the cut and the line drawn. Drawn again
 * it is all hits; drawn where it fits, the whole line is rasterised and takes the measure's
 * place, and its ellipsis for the old room is found again from it.
 */
static void text_too_wide_line_not_rasterised(void)
{
	struct text_engine *whole = new_engine(0), *cut = new_engine(0);
	if (!whole || !cut) {
		CHECK(whole && cut);
		text_engine_destroy(whole);
		text_engine_destroy(cut);
		return;
	}
	struct canvas c = canvas_new(1600, 100, 1), d = canvas_new(1600, 100, 1);
	struct text_style style = style_of("NanumGothic", 24, TEXT_ALIGN_LEFT);
	text_draw(whole, c.cr, &style, 10, 50, 0, LONG_TEXT);
	size_t whole_bytes = text_engine_stats(whole).bytes;
	double w = text_draw(cut, d.cr, &style, 10, 50, 200, LONG_TEXT);
	struct text_stats s = text_engine_stats(cut);
	printf("# whole line %zu bytes; measured and cut %zu bytes in %zu entries\n",
	       whole_bytes, s.bytes, s.entries);
	CHECK(w > 200 - 2 * 24 && w <= 200);
	CHECK_INT(s.entries, 2); // the measure and "…" line drawn
	CHECK(s.bytes < whole_bytes / 2);
	text_draw(cut, c.cr, &style, 10, 50, 200, LONG_TEXT);
	struct text_stats again = text_engine_stats(cut);
	CHECK_INT(again.misses, s.misses);
	CHECK_INT(again.hits, s.hits + 2);
	// Where it fits it is rasterised; the shortened pixels are the same as before.
	cairo_surface_t *before = cairo_surface_reference(d.surface);
	canvas_free(&d);
	d = canvas_new(1600, 100, 1);
	text_draw(cut, c.cr, &style, 10, 50, 0, LONG_TEXT);
	CHECK_INT(text_engine_stats(cut).entries, 2);
	CHECK(text_engine_stats(cut).bytes >= whole_bytes);
	CHECK_NEAR(text_draw(cut, d.cr, &style, 10, 50, 200, LONG_TEXT), w, 1e-9);
	CHECK(same_pixels(before, d.surface));
	cairo_surface_destroy(before);
	canvas_free(&c);
	canvas_free(&d);
	text_engine_destroy(whole);
	text_engine_destroy(cut);
}

static const struct check_case cases[] = {
	{"font file lookup", test_font_file},
	{"missing fallback family fails create", test_missing_fallback},
	{"measure at scale 1 and 2", test_scale},
	{"ink inside measured box, three alignments", test_bounds_and_alignment},
	{"baseline at y", test_baseline},
	{"ellipsis", test_ellipsis},
	{"hash collision keeps lines apart", test_hash_collision},
	{"cache hits, misses, colour sharing", test_cache},
	{"cache budget eviction", test_budget},
	{"fallback font per code point", test_fallback},
	{"latin kerning through harfbuzz", test_latin_kerning},
	{"invalid utf-8", test_invalid_utf8},
	{"empty and bad input", test_empty_and_bad_input},
	{"colour and pixel snapping", test_colour_and_pixel_snap},
	{"text_combining_flood_capped", text_combining_flood_capped},
	{"text_real_text_unchanged", text_real_text_unchanged},
	{"text_3mb_title_cut", text_3mb_title_cut},
	{"text_shared_by_threads_small_budget", text_shared_by_threads_small_budget},
	{"text_resized_font_same_pixels", text_resized_font_same_pixels},
	{"text_cache_idle_lines_dropped", text_cache_idle_lines_dropped},
	{"text_cache_transient_lines_few", text_cache_transient_lines_few},
	{"text_cache_held_lines_outlive_idle", text_cache_held_lines_outlive_idle},
	{"text_hold_keeps_painted_lines", text_hold_keeps_painted_lines},
	{"text_too_wide_line_not_rasterised", text_too_wide_line_not_rasterised},
};

CHECK_MAIN(cases)
