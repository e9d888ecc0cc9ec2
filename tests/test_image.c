/*
 * Image sources and the image widget: JPEG and PNG decoding (colours, premultiplication,
 * truncated and garbage data, decompression bombs, size limits), image snapshots, fetching
 * pictures through the real fetcher from a file:// URL and a loopback HTTP server (python3's
 * http.server in a temp folder) with picture swaps and breakage, the cache, layout bindings
 * ("cam1:"), and the widget on a real board: contain / cover / fill, the last good picture
 * after the source breaks, "no image" before the first one. Test pictures are made here, at
 * run time, with libjpeg and libpng.
 */

#include "check.h"

#include "app/screenshot.h"
#include "app/wall.h"
#include "feed/fetcher.h"
#include "feed/image_decode.h"
#include "layout/layout.h"
#include "model/path.h"
#include "compose/board.h"
#include "util/log.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"
#include "widgets/widget.h"

#include "image_helpers.h"

#include <cairo.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AT 1795564800.0 // 2026-11-25T00:00:00Z, the fixed "now" of these tests

/* ---- cases: decoding ---- */

static void check_quadrants(const struct image_data *img, int tolerance)
{
	CHECK_INT(img->width, 32);
	CHECK_INT(img->height, 32);
	CHECK_INT(img->stride, cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, 32));
	CHECK(near_rgb(image_pixel(img, 4, 4), 255, 0, 0, tolerance));
	CHECK(near_rgb(image_pixel(img, 27, 4), 0, 255, 0, tolerance));
	CHECK(near_rgb(image_pixel(img, 4, 27), 0, 0, 255, tolerance));
	CHECK(near_rgb(image_pixel(img, 27, 27), 255, 255, 255, tolerance));
	CHECK_INT(image_pixel(img, 4, 4).a, 255);
	CHECK_INT(image_pixel(img, 27, 27).a, 255);
}

static void decode_png(void)
{
	struct bytes png = make_png(32, 32, quadrants);
	char err[256] = "";
	CHECK_STR(image_sniff(png.data, png.len), "image/png");
	struct image_data *img = image_decode(png.data, png.len, 0, err, sizeof(err));
	CHECK(img != NULL);
	if (img) {
		check_quadrants(img, 0);
	}
	image_data_free(img);
	bytes_free(&png);
}

static void decode_png_premultiplied(void)
{
	/* Straight (255, 128, 0) at alpha 128 is (128, 64, 0) premultiplied; alpha 0 is all 0. */
	unsigned char rgba[] = {255, 128, 0, 128, 10, 20, 30, 0,
				40, 80, 120, 255, 255, 255, 255, 1};
	struct bytes png = make_png_rgba(2, 2, rgba, true);
	char err[256] = "";
	struct image_data *img = image_decode(png.data, png.len, 0, err, sizeof(err));
	CHECK(img != NULL);
	if (img) {
		struct argb p = image_pixel(img, 0, 0);
		CHECK_INT(p.a, 128);
		CHECK_INT(p.r, 128);
		CHECK_INT(p.g, 64);
		CHECK_INT(p.b, 0);
		p = image_pixel(img, 1, 0);
		CHECK(p.a == 0 && p.r == 0 && p.g == 0 && p.b == 0);
		CHECK(near_rgb(image_pixel(img, 0, 1), 40, 80, 120, 0));
		p = image_pixel(img, 1, 1);
		CHECK(p.a == 1 && p.r == 1 && p.g == 1 && p.b == 1);
	}
	image_data_free(img);
	bytes_free(&png);
}

/* Interlaced and 16-bit PNGs, through the progressive reader row by row. */
static void decode_png_interlaced_16bit(void)
{
	char err[256] = "";
	struct bytes png = make_png_full(32, 32, quadrants, 8, PNG_COLOR_TYPE_RGB, true);
	struct image_data *img = image_decode(png.data, png.len, 0, err, sizeof(err));
	CHECK(img != NULL);
	if (img) {
		check_quadrants(img, 0);
	}
	image_data_free(img);
	bytes_free(&png);

	png = make_png_full(32, 32, quadrants, 16, PNG_COLOR_TYPE_RGBA, true);
	img = image_decode(png.data, png.len, 0, err, sizeof(err));
	CHECK(img != NULL);
	if (img) {
		check_quadrants(img, 0);
	}
	image_data_free(img);
	bytes_free(&png);

	png = make_png_full(16, 8, yellowish, 16, PNG_COLOR_TYPE_GRAY_ALPHA, false);
	img = image_decode(png.data, png.len, 0, err, sizeof(err));
	CHECK(img && near_rgb(image_pixel(img, 3, 3), 250, 250, 250, 0));
	CHECK(img && image_pixel(img, 3, 3).a == 255);
	image_data_free(img);
	bytes_free(&png);
}

static void decode_jpeg(void)
{
	struct bytes jpeg = make_jpeg(32, 32, quadrants);
	char err[256] = "";
	CHECK_STR(image_sniff(jpeg.data, jpeg.len), "image/jpeg");
	struct image_data *img = image_decode(jpeg.data, jpeg.len, 0, err, sizeof(err));
	CHECK(img != NULL);
	if (img) {
		check_quadrants(img, 8); // lossy, but flat blocks at quality 95 stay close
	}
	image_data_free(img);
	bytes_free(&jpeg);

	jpeg = make_jpeg_space(32, 32, quadrants, JCS_RGB, true);
	img = image_decode(jpeg.data, jpeg.len, 0, err, sizeof(err));
	CHECK(img != NULL);
	if (img) {
		check_quadrants(img, 8);
	}
	image_data_free(img);
	bytes_free(&jpeg);

	struct bytes grey = make_jpeg_space(16, 8, yellowish, JCS_GRAYSCALE, false);
	img = image_decode(grey.data, grey.len, 0, err, sizeof(err));
	CHECK(img && near_rgb(image_pixel(img, 3, 3), 250, 250, 250, 3));
	CHECK(img && image_pixel(img, 3, 3).a == 255);
	image_data_free(img);
	bytes_free(&grey);

	/* CMYK: 100% magenta and yellow is red; 50% black halves it. */
	struct bytes cmyk = make_cmyk_jpeg(0, 255, 255, 0);
	img = image_decode(cmyk.data, cmyk.len, 0, err, sizeof(err));
	CHECK(img && near_rgb(image_pixel(img, 4, 4), 255, 0, 0, 3));
	image_data_free(img);
	bytes_free(&cmyk);
	cmyk = make_cmyk_jpeg(0, 0, 0, 128);
	img = image_decode(cmyk.data, cmyk.len, 0, err, sizeof(err));
	CHECK(img && near_rgb(image_pixel(img, 4, 4), 127, 127, 127, 3));
	image_data_free(img);
	bytes_free(&cmyk);
}

/* Decoding must fail with a message containing `want`. */
static void expect_refused(const void *data, size_t len, size_t max_bytes, const char *want)
{
	char err[256] = "";
	struct image_data *img = image_decode(data, len, max_bytes, err, sizeof(err));
	CHECK(img == NULL);
	image_data_free(img);
	if (!strstr(err, want)) {
		printf("# error \"%s\" does not contain \"%s\"\n", err, want);
		CHECK(false);
	}
}

static void truncated_jpeg(void)
{
	struct bytes jpeg = make_jpeg(64, 64, quadrants);
	/* Cut in the middle of the scan: libjpeg would warn and pad with grey; we refuse. */
	expect_refused(jpeg.data, jpeg.len * 2 / 3, 0, "JPEG: Premature end of JPEG file");
	/* Everything but the end marker: the rows are all there, the file is still cut. */
	expect_refused(jpeg.data, jpeg.len - 2, 0, "JPEG: Premature end of JPEG file");
	/* Cut inside the header. */
	expect_refused(jpeg.data, 40, 0, "JPEG: ");
	bytes_free(&jpeg);

	struct bytes png = make_png(64, 64, quadrants);
	expect_refused(png.data, png.len - 20, 0, "PNG: ");
	bytes_free(&png);
}

static void garbage(void)
{
	unsigned char junk[300];
	uint32_t state = 12345;
	for (size_t i = 0; i < sizeof(junk); i++) {
		state = state * 1103515245u + 12345u;
		junk[i] = (unsigned char)(state >> 16);
	}
	junk[0] = 'x'; // not by chance a JPEG or PNG start
	expect_refused(junk, sizeof(junk), 0, "not a JPEG or PNG image (300 bytes)");
	expect_refused(junk, 0, 0, "not a JPEG or PNG image (0 bytes)");
	/* The right magic, then nonsense. */
	junk[0] = 0xff, junk[1] = 0xd8, junk[2] = 0xff;
	expect_refused(junk, sizeof(junk), 0, "JPEG: ");
	memcpy(junk, "\x89PNG\r\n\x1a\n", 8);
	expect_refused(junk, sizeof(junk), 0, "PNG: ");
	/* JSON sent to an image source. */
	const char *json = "{\"seq\": 1}";
	expect_refused(json, strlen(json), 0, "not a JPEG or PNG image");
}

static void bombs(void)
{
	/* Passing means nothing was allocated: 100000^2 pixels is 40 GB, which xmalloc would
	 * abort on (or the sanitizer report) before any message could be written. */
	unsigned char png[64];
	size_t len = bomb_png(png, 100000, 100000);
	expect_refused(png, len, 0, "image of 100000 x 100000 pixels exceeds the limit");
	len = bomb_png(png, 16000, 16000); // each side allowed, 256 Mpx in all is not
	expect_refused(png, len, 0, "image of 16000 x 16000 pixels exceeds the limit");
	len = bomb_png(png, 64, 64); // within limits: refused for its missing data instead
	expect_refused(png, len, 0, "PNG: ");

	/* A real JPEG whose frame header is patched to claim 60000 x 60000. */
	struct bytes jpeg = make_jpeg(16, 16, quadrants);
	for (size_t i = 0; i + 9 < jpeg.len; i++) {
		if (jpeg.data[i] == 0xff && jpeg.data[i + 1] == 0xc0) { // SOF0
			jpeg.data[i + 5] = 0xea, jpeg.data[i + 6] = 0x60; // height 60000
			jpeg.data[i + 7] = 0xea, jpeg.data[i + 8] = 0x60; // width 60000
			break;
		}
	}
	expect_refused(jpeg.data, jpeg.len, 0, "image of 60000 x 60000 pixels exceeds the limit");
	bytes_free(&jpeg);

	/* Thousands of valid progressive scans: a CPU bomb, stopped by counting scans. */
	jpeg = make_many_scans_jpeg();
	double start = mono();
	expect_refused(jpeg.data, jpeg.len, 0, "JPEG: more than 1000 progressive scans");
	printf("# %zu-byte JPEG of 2112 scans refused in %.3f s\n", jpeg.len, mono() - start);
	bytes_free(&jpeg);
}

/* Refused fast: prints how long it took (timing is reported, never asserted). */
static void expect_bomb(const struct bytes *b, const char *what, const char *want)
{
	double start = mono();
	expect_refused(b->data, b->len, 0, want);
	printf("# %s: %zu bytes refused in %.1f ms\n", what, b->len, (mono() - start) * 1000);
}

/*
 * How a 1 MB PNG inflated to 1 GB past the pixel limit, one generated file per way (256 MiB
 * here, to keep the test quick; the shape is the same). Each decoded for seconds on the fetch
 * thread before.
 */
static void png_inflation_bombs(void)
{
	/* One pixel, then 256 MiB of zeros in the image data: libpng's simplified API inflated it
	 * all after the last row; the progressive reader stops after one row's worth. */
	struct bytes z = zlib_zeros(256);
	CHECK_INT(inflated_size(z.data, z.len), 256u << 20); // the bomb is real
	struct bytes b = png_start(1, 1, 8, PNG_COLOR_TYPE_RGBA, false);
	png_finish(&b, &z);
	expect_bomb(&b, "1 x 1 PNG with 256 MiB of image data",
		    "PNG: more image data than the 1 x 1 pixels of its header");
	bytes_free(&b);
	/* The same in one IDAT chunk: longer than libpng allows for the header's rows. */
	b = png_start(1, 1, 8, PNG_COLOR_TYPE_RGBA, false);
	png_put_chunk(&b, "IDAT", z.data, z.len);
	png_put_chunk(&b, "IEND", "", 0);
	expect_bomb(&b, "1 x 1 PNG with 256 MiB of image data in one chunk",
		    "PNG: more image data than the 1 x 1 pixels of its header");
	bytes_free(&b);

	/* Compressed text and a colour profile of 256 MiB in all: skipped unread. */
	struct bytes small = zlib_zeros(1), pixel = {0};
	bytes_append(&pixel, "\x78\x9c\x63\x60\x00\x02\x00\x00\x05\x00\x01", 11); // 5 zeros
	CHECK_INT(inflated_size(pixel.data, pixel.len), 5);
	const char *kinds[] = {"zTXt", "iTXt", "iCCP"};
	for (size_t k = 0; k < 3; k++) {
		b = png_start(1, 1, 8, PNG_COLOR_TYPE_RGBA, false);
		struct bytes chunk = {0};
		bytes_append(&chunk, k == 1 ? "key\0\1\0\0\0" : "key\0\0", k == 1 ? 8 : 5);
		bytes_append(&chunk, k == 2 ? z.data : small.data, k == 2 ? z.len : small.len);
		for (int i = 0; i < (k == 2 ? 1 : 256); i++) {
			png_put_chunk(&b, kinds[k], chunk.data, chunk.len);
		}
		png_finish(&b, &pixel);
		char *what = xasprintf("%s chunks of 256 MiB in all", kinds[k]);
		double start = mono();
		char err[256] = "";
		struct image_data *img = image_decode(b.data, b.len, 0, err, sizeof(err));
		printf("# %s: %zu bytes, decoded in %.1f ms\n", what, b.len,
		       (mono() - start) * 1000);
		CHECK(img && img->width == 1 && image_pixel(img, 0, 0).a == 0);
		image_data_free(img);
		free(what);
		bytes_free(&chunk);
		bytes_free(&b);
	}
	bytes_free(&small);
	bytes_free(&pixel);
	bytes_free(&z);

	/* 16-bit samples: 36 Mpx is within the pixel limit, but its data inflates to 288 MB. */
	b = png_start(6000, 6000, 16, PNG_COLOR_TYPE_RGBA, false);
	struct bytes none = {0};
	png_finish(&b, &none);
	expect_bomb(&b, "6000 x 6000 PNG of 16-bit RGBA",
		    "PNG: 6000 x 6000 pixels of 4 x 16 bits inflate to 288006000 bytes, "
		    "more than the limit of 161000000");
	bytes_free(&b);
	/* Interlacing adds a filter byte to every row of every pass. */
	b = png_start(5200, 5200, 16, PNG_COLOR_TYPE_RGB, true);
	png_finish(&b, &none);
	expect_bomb(&b, "5200 x 5200 interlaced PNG of 16-bit RGB",
		    "PNG: 5200 x 5200 pixels of 3 x 16 bits, interlaced, inflate to ");
	expect_refused(b.data, b.len, 0, "more than the limit of 161000000");
	bytes_free(&b);
}

/* A stop request ends a decode between rows, with its own message. */
static void decode_stops(void)
{
	atomic_bool stop;
	atomic_init(&stop, true);
	char err[256] = "";
	struct bytes png = make_png(64, 64, quadrants), jpeg = make_jpeg(64, 64, quadrants);
	struct bytes prog = make_jpeg_space(64, 64, quadrants, JCS_RGB, true);
	CHECK(image_decode_until(png.data, png.len, 0, &stop, err, sizeof(err)) == NULL);
	CHECK_STR(err, "decoding stopped");
	CHECK(image_decode_until(jpeg.data, jpeg.len, 0, &stop, err, sizeof(err)) == NULL);
	CHECK_STR(err, "JPEG: decoding stopped");
	CHECK(image_decode_until(prog.data, prog.len, 0, &stop, err, sizeof(err)) == NULL);
	CHECK_STR(err, "JPEG: decoding stopped");
	atomic_store(&stop, false);
	struct image_data *img = image_decode_until(png.data, png.len, 0, &stop, err, sizeof(err));
	CHECK(img != NULL);
	image_data_free(img);
	bytes_free(&png);
	bytes_free(&jpeg);
	bytes_free(&prog);
}

/* Found by fuzz_image: a second run of IDAT chunks after another chunk decoded the header
 * again, and the first picture leaked (LeakSanitizer in the unit and render suites). */
static void png_split_idat_no_leak(void)
{
	struct bytes pixels = {0}, b = png_start(8, 8, 8, PNG_COLOR_TYPE_RGB, false);
	unsigned char raw[8 * 25] = {0};
	uLongf len = compressBound(sizeof(raw));
	pixels.data = xmalloc(len);
	compress(pixels.data, &len, raw, sizeof(raw));
	pixels.len = len;
	png_put_chunk(&b, "sRGB", "\0", 1);
	png_put_chunk(&b, "IDAT", pixels.data, pixels.len);
	png_put_chunk(&b, "sRGB", "\0", 1);
	png_finish(&b, &pixels);
	expect_refused(b.data, b.len, 0, "PNG: ");
	bytes_free(&b);
	bytes_free(&pixels);
}

static void max_bytes(void)
{
	struct bytes png = make_png(32, 32, quadrants);
	char want[128];
	snprintf(want, sizeof(want), "image of %zu bytes is larger than max_bytes (%zu)", png.len,
		 png.len - 1);
	expect_refused(png.data, png.len, png.len - 1, want);
	char err[256];
	struct image_data *img = image_decode(png.data, png.len, png.len, err, sizeof(err));
	CHECK(img != NULL); // exactly max_bytes is fine
	image_data_free(img);
	bytes_free(&png);
}

static const char *root_string(const struct snapshot *s, const char *key)
{
	return value_string(path_lookup(s->root, key));
}

static void snapshots(void)
{
	struct bytes jpeg = make_jpeg(48, 16, quadrants);
	char err[256] = "";
	/* Last-Modified is the capture time. */
	struct snapshot *s = image_snapshot(jpeg.data, jpeg.len, "cam1", 0,
					    "Tue, 24 Nov 2026 23:59:30 GMT", AT, err, sizeof(err));
	CHECK(s && s->image && s->image->width == 48 && s->image->height == 16);
	if (s) {
		double n = 0;
		CHECK(value_number(path_lookup(s->root, "width"), &n) && n == 48);
		CHECK(value_number(path_lookup(s->root, "height"), &n) && n == 16);
		CHECK(value_number(path_lookup(s->root, "bytes"), &n) && n == (double)jpeg.len);
		CHECK_STR(root_string(s, "content_type"), "image/jpeg");
		CHECK_STR(root_string(s, "captured_at"), "2026-11-24T23:59:30Z");
		CHECK_NEAR(snapshot_data_time(s), AT - 30, 0);
		CHECK_STR(s->source, "cam1");
	}
	snapshot_unref(s);
	/* Without one, the fetch time; one from the future is clamped to it. */
	const char *modified[] = {NULL, "", "not a date", "Wed, 25 Nov 2026 00:10:00 GMT"};
	for (size_t i = 0; i < 4; i++) {
		s = image_snapshot(jpeg.data, jpeg.len, "cam1", 0, modified[i], AT, err,
				   sizeof(err));
		CHECK(s && snapshot_data_time(s) == AT);
		CHECK(s && strcmp(root_string(s, "captured_at"), "2026-11-25T00:00:00Z") == 0);
		snapshot_unref(s);
	}
	s = image_snapshot(jpeg.data, 10, "cam1", 0, NULL, AT, err, sizeof(err));
	CHECK(s == NULL && strstr(err, "Premature end"));
	bytes_free(&jpeg);
}

static double fixed_now(void *ctx)
{
	return *(const double *)ctx;
}

static double clock_at = AT;

static struct fetcher *image_fetcher(const char *name, const char *url, size_t max,
				     const char *cache_dir)
{
	struct source_config c = {
		.name = xstrdup(name),
		.url = xstrdup(url),
		.interval = 60,
		.max_age = 60,
		.timeout = 5,
		.connect_timeout = 2,
		.max_bytes = max,
		.timestamp = xstrdup("generated_at"),
		.type = SOURCE_IMAGE,
	};
	struct fetcher_options options = {
		.sources = &c,
		.source_count = 1,
		.cache_dir = cache_dir,
		.now = fixed_now,
		.clock_ctx = &clock_at,
	};
	char err[256] = "";
	struct fetcher *f = fetcher_create(&options, err, sizeof(err));
	if (!f) {
		printf("# fetcher_create: %s\n", err);
	}
	source_config_finish(&c);
	return f;
}

/* The current snapshot (a new reference) and status of the fetcher's only source. */
static struct snapshot *current(struct fetcher *f, struct source_status *st)
{
	return fetcher_snapshot(f, 0, st);
}

static bool has_error(const struct source_status *st, const char *want)
{
	bool ok = st->state == SOURCE_FAILING && strstr(st->last_error, want);
	if (!ok) {
		printf("# state %s, error \"%s\", wanted \"%s\"\n", source_state_name(st->state),
		       st->last_error, want);
	}
	return ok;
}

static void fetch_file(void)
{
	char *dir = temp_dir();
	char *path = xasprintf("%s/cam.img", dir);
	struct bytes a = make_png(32, 32, quadrants), b = make_jpeg(200, 100, halves);
	write_bytes(path, a.data, a.len, 0);
	struct fetcher *f = image_fetcher("cam", path, 4u << 20, NULL);
	struct source_status st;
	fetcher_fetch_all_once(f);
	struct snapshot *first = current(f, &st);
	CHECK(first && first->image && st.state == SOURCE_OK && st.generation == 1);
	CHECK(first && near_rgb(image_pixel(first->image, 27, 4), 0, 255, 0, 0));
	CHECK_NEAR(st.data_time, AT, 0); // file:// has no Last-Modified: the fetch time

	write_bytes(path, b.data, b.len, 0); // the camera's next picture
	fetcher_fetch_all_once(f);
	struct snapshot *second = current(f, &st);
	CHECK(second && second != first && second->image && second->image->width == 200);
	CHECK(second && near_rgb(image_pixel(second->image, 150, 50), 255, 0, 0, 8));
	CHECK_INT(st.generation, 2);

	/* Broken pictures: the last good one stays, the reason is named. */
	write_bytes(path, "<html>502 Bad Gateway</html>", 28, 0);
	fetcher_fetch_all_once(f);
	struct snapshot *kept = current(f, &st);
	CHECK(kept == second);
	CHECK(has_error(&st, "not a JPEG or PNG image (28 bytes)"));
	snapshot_unref(kept);
	write_bytes(path, b.data, b.len / 2, 0);
	fetcher_fetch_all_once(f);
	kept = current(f, &st);
	CHECK(kept == second && has_error(&st, "JPEG: Premature end of JPEG file"));
	CHECK_INT(st.generation, 2);
	snapshot_unref(kept);
	fetcher_destroy(f);

	/* Over max_bytes: the transfer itself is refused. */
	f = image_fetcher("cam", path, 1024, NULL);
	write_bytes(path, b.data, b.len, 0);
	fetcher_fetch_all_once(f);
	kept = current(f, &st);
	CHECK(kept == NULL && has_error(&st, "larger than 1024 bytes"));
	fetcher_destroy(f);

	snapshot_unref(first);
	snapshot_unref(second);
	bytes_free(&a);
	bytes_free(&b);
	remove_tree(dir);
	free(path);
	free(dir);
}

static void fetch_http(void)
{
	char *dir = temp_dir();
	char *path = xasprintf("%s/cam1.jpg", dir);
	struct bytes a = make_jpeg(32, 32, quadrants), b = make_png(200, 100, halves);
	write_bytes(path, a.data, a.len, AT - 120);
	struct server server = {0};
	CHECK(server_start(&server, dir));
	char *url = xasprintf("http://127.0.0.1:%d/cam1.jpg", server.port);
	struct fetcher *f = image_fetcher("cam1", url, 4u << 20, NULL);
	struct source_status st;

	fetcher_fetch_all_once(f);
	struct snapshot *first = current(f, &st);
	CHECK(first && first->image && near_rgb(image_pixel(first->image, 4, 27), 0, 0, 255, 8));
	CHECK_NEAR(st.data_time, AT - 120, 0); // Last-Modified: when the camera took it
	CHECK(first && strcmp(root_string(first, "captured_at"), "2026-11-24T23:58:00Z") == 0);
	/* Unchanged: a conditional GET answers 304 and nothing is decoded again. */
	fetcher_fetch_all_once(f);
	snapshot_unref(current(f, &st));
	CHECK_INT(st.not_modified, 1);
	CHECK_INT(st.generation, 1);
	CHECK_INT(st.parses, 1);

	write_bytes(path, b.data, b.len, AT - 60); // swapped (the name says nothing of the type)
	fetcher_fetch_all_once(f);
	struct snapshot *second = current(f, &st);
	CHECK(second && second != first && second->image->width == 200);
	CHECK(second && near_rgb(image_pixel(second->image, 20, 50), 0, 255, 0, 0));
	CHECK(second && strcmp(root_string(second, "content_type"), "image/png") == 0);
	CHECK_NEAR(st.data_time, AT - 60, 0);

	write_bytes(path, a.data, a.len - 100, AT - 30);
	fetcher_fetch_all_once(f);
	struct snapshot *kept = current(f, &st);
	CHECK(kept == second && has_error(&st, "JPEG: Premature end of JPEG file"));
	CHECK_NEAR(st.data_time, AT - 60, 0);
	snapshot_unref(kept);

	fetcher_destroy(f);
	server_stop(&server);
	snapshot_unref(first);
	snapshot_unref(second);
	bytes_free(&a);
	bytes_free(&b);
	remove_tree(dir);
	free(url);
	free(path);
	free(dir);
}

static bool wait_generation(struct fetcher *f, unsigned long generation)
{
	double deadline = mono() + 10;
	struct source_status st;
	while (mono() < deadline) {
		snapshot_unref(current(f, &st));
		if (st.generation >= generation) {
			return true;
		}
		nap(0.01);
	}
	printf("# generation %lu, wanted %lu (error \"%s\")\n", st.generation, generation,
	       st.last_error);
	return false;
}

static void fetch_background(void)
{
	char *dir = temp_dir();
	char *path = xasprintf("%s/cam.png", dir);
	struct bytes a = make_png(32, 32, quadrants), b = make_png(200, 100, halves);
	write_bytes(path, a.data, a.len, 0);
	struct fetcher *f = image_fetcher("cam", path, 4u << 20, NULL);
	char err[256];
	CHECK(fetcher_start(f, err, sizeof(err)));
	CHECK(wait_generation(f, 1));
	write_bytes(path, b.data, b.len, 0);
	fetcher_poll_now(f, 0); // the interval is a minute: only this brings the new picture
	CHECK(wait_generation(f, 2));
	struct source_status st;
	struct snapshot *s = current(f, &st);
	CHECK(s && s->image && s->image->width == 200);
	snapshot_unref(s);
	fetcher_destroy(f);
	bytes_free(&a);
	bytes_free(&b);
	remove_tree(dir);
	free(path);
	free(dir);
}

static void cache_restart(void)
{
	char *dir = temp_dir();
	char *cache = xasprintf("%s/cache", dir);
	char *path = xasprintf("%s/cam.jpg", dir);
	struct bytes a = make_jpeg(32, 32, quadrants);
	write_bytes(path, a.data, a.len, 0);
	struct fetcher *f = image_fetcher("cam", path, 4u << 20, cache);
	fetcher_fetch_all_once(f);
	fetcher_destroy(f);

	/* The camera is down when the wall restarts: the cached picture is there at once. */
	write_bytes(path, "oops\n", 5, 0);
	clock_at = AT + 300;
	f = image_fetcher("cam", path, 4u << 20, cache);
	struct source_status st;
	struct snapshot *s = current(f, &st);
	CHECK(s && s->image && st.from_cache);
	CHECK(s && near_rgb(image_pixel(s->image, 4, 4), 255, 0, 0, 8));
	CHECK_NEAR(st.data_time, AT, 0); // when it was fetched, not when it was read back
	snapshot_unref(s);
	fetcher_fetch_all_once(f);
	s = current(f, &st);
	CHECK(s && s->image && has_error(&st, "not a JPEG or PNG image (5 bytes)"));
	snapshot_unref(s);
	fetcher_destroy(f);
	clock_at = AT;
	bytes_free(&a);
	remove_tree(dir);
	free(path);
	free(cache);
	free(dir);
}

/* ---- cases: layouts ---- */

static struct layout *parse_layout(const char *text, struct diag_list *diags)
{
	return layout_parse(text, strlen(text), "image.json", widget_specs(), diags);
}

/* Parsing `text` fails with a message containing `want`. */
static void expect_layout_error(const char *text, const char *want)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct layout *layout = parse_layout(text, &diags);
	CHECK(layout == NULL);
	bool found = false;
	for (size_t i = 0; i < diags.count; i++) {
		char *line = diag_format(&diags.items[i]);
		found |= strstr(line, want) != NULL;
		printf("# %s\n", line);
		free(line);
	}
	CHECK(found);
	layout_destroy(layout);
	diag_list_finish(&diags);
}

#define SOURCES \
	"\"sources\": {\"cam1\": {\"url\": \"cam1.jpg\", \"type\": \"image\"}, " \
	"\"air\": {\"url\": \"air.json\"}}, "

static void layout_bindings(void)
{
	const char *good = "{" SOURCES "\"tiles\": ["
			   "{\"widget\": \"image\", \"cell\": [0, 0], \"source\": \"cam1:\"},"
			   "{\"widget\": \"kpi\", \"cell\": [1, 0], \"title\": \"w\", "
			   "\"value\": \"cam1:/width\"}]}";
	struct diag_list diags;
	diag_list_init(&diags);
	struct layout *layout = parse_layout(good, &diags);
	CHECK(layout != NULL);
	if (layout) {
		long cam = layout_find_source(layout, "cam1");
		CHECK(cam > 0 && layout->sources[cam].type == SOURCE_IMAGE);
		CHECK(layout->sources[layout_find_source(layout, "air")].type == SOURCE_JSON);
		CHECK_STR(layout->tiles[0].bindings[0].path, "");
		CHECK_INT(layout->tiles[0].bindings[0].source, cam);
		CHECK_STR(option_text(&layout->tiles[0].options, "fit"), "contain");
	}
	layout_destroy(layout);
	diag_list_finish(&diags);

	/* The layout's own feed may be the image source. */
	layout = parse_layout("{\"feed\": {\"url\": \"cam.jpg\", \"type\": \"image\"}, "
			      "\"tiles\": [{\"widget\": \"image\", \"cell\": [0, 0], "
			      "\"source\": \"default:\"}]}", &diags);
	CHECK(layout && layout->sources[0].type == SOURCE_IMAGE);
	layout_destroy(layout);
	diag_list_finish(&diags);

	/* A JSON source has no picture to bind as a whole. */
	expect_layout_error("{" SOURCES "\"tiles\": [{\"widget\": \"image\", \"cell\": [0, 0], "
			    "\"source\": \"air:\"}]}",
			    "/tiles/0/source: empty value path: only a source with \"type\": "
			    "\"image\" is bound as a whole (\"air:\")");
	expect_layout_error("{\"sources\": {\"c\": {\"url\": \"c.jpg\", \"type\": \"video\"}}, "
			    "\"tiles\": []}",
			    "/sources/c/type");
	expect_layout_error("{" SOURCES "\"tiles\": [{\"widget\": \"image\", \"cell\": [0, 0], "
			    "\"source\": \"cam1:\", \"fit\": \"stretch\"}]}",
			    "/tiles/0/fit");
	expect_layout_error("{" SOURCES "\"tiles\": [{\"widget\": \"image\", \"cell\": [0, 0]}]}",
			    "source");
}

/* ---- cases: the widget ---- */

static struct argb surface_pixel(cairo_surface_t *s, int x, int y)
{
	cairo_surface_flush(s);
	return pixel_of(cairo_image_surface_get_data(s), cairo_image_surface_get_stride(s), x, y);
}

/* A board of one image tile covering a 200 x 200 canvas, drawn at `size` pixels square. */
struct fixture {
	struct layout *layout;
	struct text_engine *text;
	struct board *board;
	cairo_surface_t *surface;
	size_t source;
};

static bool fixture_open(struct fixture *fx, const char *fit, int size)
{
	char *text = xasprintf(
		"{\"canvas\": {\"width\": 200, \"height\": 200},"
		" \"grid\": {\"columns\": 1, \"rows\": 1, \"gap\": 0, \"margin\": 0},"
		" \"sources\": {\"cam\": {\"url\": \"cam.png\", \"type\": \"image\"}},"
		" \"tiles\": [{\"id\": \"cam\", \"widget\": \"image\", \"cell\": [0, 0],"
		" \"source\": \"cam:\", \"fit\": \"%s\", \"background\": \"#0000ff\","
		" \"show_time\": false}]}", fit);
	struct diag_list diags;
	diag_list_init(&diags);
	char err[256];
	*fx = (struct fixture){0};
	fx->layout = parse_layout(text, &diags);
	fx->text = text_engine_create(NULL, 0, err, sizeof(err));
	free(text);
	diag_list_finish(&diags);
	if (!fx->layout || !fx->text) {
		printf("# fixture: no layout or text engine (%s)\n", err);
		return false;
	}
	fx->source = (size_t)layout_find_source(fx->layout, "cam");
	fx->board = board_create(fx->layout, fx->text);
	board_set_viewport(fx->board, size, size);
	fx->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, size, size);
	return true;
}

static void fixture_draw(struct fixture *fx)
{
	size_t count;
	board_draw(fx->board, fx->surface, AT, &count);
}

static void fixture_close(struct fixture *fx)
{
	board_destroy(fx->board);
	text_engine_destroy(fx->text);
	layout_destroy(fx->layout);
	if (fx->surface) {
		cairo_surface_destroy(fx->surface);
	}
}

/* A 200 x 100 picture, left half green and right half red, as a PNG source's snapshot. */
static struct snapshot *halves_snapshot(void)
{
	struct bytes png = make_png(200, 100, halves);
	char err[256];
	struct snapshot *s = image_snapshot(png.data, png.len, "cam", 0, NULL, AT, err,
					    sizeof(err));
	bytes_free(&png);
	return s;
}

static bool is_blue(struct argb p)
{
	return near_rgb(p, 0, 0, 255, 2);
}

static void widget_contain(void)
{
	struct fixture fx;
	struct snapshot *snap = halves_snapshot();
	if (fixture_open(&fx, "contain", 200) && snap) {
		board_set_snapshot(fx.board, fx.source, snap, AT);
		fixture_draw(&fx);
		/* 2:1 in a square: the picture spans rows 50.5..149.5, blue bars above, below. */
		CHECK(is_blue(surface_pixel(fx.surface, 100, 20)));
		CHECK(is_blue(surface_pixel(fx.surface, 100, 48)));
		CHECK(near_rgb(surface_pixel(fx.surface, 50, 53), 0, 255, 0, 4));
		CHECK(near_rgb(surface_pixel(fx.surface, 150, 100), 255, 0, 0, 4));
		CHECK(near_rgb(surface_pixel(fx.surface, 150, 147), 255, 0, 0, 4));
		CHECK(is_blue(surface_pixel(fx.surface, 100, 152)));
		CHECK(is_blue(surface_pixel(fx.surface, 100, 190)));
	}
	fixture_close(&fx);
	snapshot_unref(snap);
}

static void widget_cover_fill(void)
{
	struct fixture fx;
	struct snapshot *snap = halves_snapshot();
	if (fixture_open(&fx, "cover", 200) && snap) {
		board_set_snapshot(fx.board, fx.source, snap, AT);
		fixture_draw(&fx);
		/* Twice the size, centred: the middle half of the picture fills the tile. */
		CHECK(near_rgb(surface_pixel(fx.surface, 60, 4), 0, 255, 0, 4));
		CHECK(near_rgb(surface_pixel(fx.surface, 60, 196), 0, 255, 0, 4));
		CHECK(near_rgb(surface_pixel(fx.surface, 140, 4), 255, 0, 0, 4));
		CHECK(near_rgb(surface_pixel(fx.surface, 140, 196), 255, 0, 0, 4));
	}
	fixture_close(&fx);
	if (fixture_open(&fx, "fill", 200) && snap) {
		board_set_snapshot(fx.board, fx.source, snap, AT);
		fixture_draw(&fx);
		CHECK(near_rgb(surface_pixel(fx.surface, 20, 10), 0, 255, 0, 4));
		CHECK(near_rgb(surface_pixel(fx.surface, 20, 190), 0, 255, 0, 4));
		CHECK(near_rgb(surface_pixel(fx.surface, 180, 10), 255, 0, 0, 4));
		CHECK(near_rgb(surface_pixel(fx.surface, 180, 190), 255, 0, 0, 4));
	}
	fixture_close(&fx);
	snapshot_unref(snap);
}

/* A one-pixel checkerboard eight times too large must come out even grey, not as moiré. */
static void widget_downscale(void)
{
	struct fixture fx;
	struct bytes png = make_png(1600, 1600, checkerboard);
	char err[256];
	struct snapshot *snap = image_snapshot(png.data, png.len, "cam", 0, NULL, AT, err,
					       sizeof(err));
	if (fixture_open(&fx, "fill", 200) && snap) {
		board_set_snapshot(fx.board, fx.source, snap, AT);
		fixture_draw(&fx);
		int worst = 0;
		for (int y = 10; y < 190; y += 7) {
			for (int x = 10; x < 190; x += 3) {
				struct argb p = surface_pixel(fx.surface, x, y);
				int d = abs(p.r - 128);
				worst = d > worst ? d : worst;
			}
		}
		printf("# worst distance from grey: %d\n", worst);
		CHECK(worst <= 4);
	}
	fixture_close(&fx);
	snapshot_unref(snap);
	bytes_free(&png);
}

/* bind() straight on the widget: true only when the picture changes. */
static void check_bind(const struct tile *tile, struct snapshot *snap)
{
	const struct widget_impl *impl = widget_find("image");
	void *w = impl->create(tile);
	struct snapshot *other = halves_snapshot();
	struct snapshot *json = snapshot_create("cam"); // a source without a picture
	struct binding_values v = {.count = 1, .keys = {"source"}, .snapshots = {snap}};
	CHECK(impl->bind(w, &v));
	CHECK(!impl->bind(w, &v));
	v.snapshots[0] = other;
	CHECK(impl->bind(w, &v));
	v.snapshots[0] = json;
	CHECK(impl->bind(w, &v)); // to "no image"
	v.snapshots[0] = NULL;
	CHECK(!impl->bind(w, &v));
	/* The widget's reference keeps the picture alive after everyone else let go. */
	v.snapshots[0] = other;
	CHECK(impl->bind(w, &v));
	impl->destroy(w);
	snapshot_unref(json);
	snapshot_unref(other);
}

static void widget_scaled(void)
{
	struct fixture fx;
	struct snapshot *snap = halves_snapshot();
	if (fixture_open(&fx, "contain", 400) && snap) {
		board_set_snapshot(fx.board, fx.source, snap, AT);
		/* First at scale 1 into the top-left quarter, then the picture is scaled again. */
		board_set_viewport(fx.board, 200, 200);
		fixture_draw(&fx);
		CHECK(is_blue(surface_pixel(fx.surface, 100, 20)));
		CHECK(near_rgb(surface_pixel(fx.surface, 150, 100), 255, 0, 0, 4));
		board_set_viewport(fx.board, 400, 400);
		fixture_draw(&fx);
		/* Scale 2: bars above row 101, the picture's halves meet at column 200. */
		CHECK(is_blue(surface_pixel(fx.surface, 200, 40)));
		CHECK(is_blue(surface_pixel(fx.surface, 200, 98)));
		CHECK(near_rgb(surface_pixel(fx.surface, 196, 104), 0, 255, 0, 4));
		CHECK(near_rgb(surface_pixel(fx.surface, 204, 296), 255, 0, 0, 4));
		CHECK(is_blue(surface_pixel(fx.surface, 200, 302)));
		CHECK(!board_is_dirty(fx.board));
		/* The same picture again changes nothing; a new one redraws. */
		board_set_snapshot(fx.board, fx.source, snap, AT);
		CHECK(!board_is_dirty(fx.board));
		struct snapshot *next = halves_snapshot();
		board_set_snapshot(fx.board, fx.source, next, AT + 5);
		CHECK(board_is_dirty(fx.board));
		snapshot_unref(next);
		check_bind(&fx.layout->tiles[0], snap);
	}
	fixture_close(&fx);
	snapshot_unref(snap);
}

/* ---- cases: the whole wall ---- */

static cairo_surface_t *shoot(struct wall *wall, const char *dir)
{
	char *png = xasprintf("%s/shot.png", dir);
	char err[256];
	CHECK(screenshot_write(wall, 400, 300, png, err, sizeof(err)));
	cairo_surface_t *s = cairo_image_surface_create_from_png(png);
	free(png);
	return s;
}

static void check_shot(struct wall *wall, const char *dir, int x, int y, int r, int g, int b,
		       int tolerance)
{
	cairo_surface_t *s = shoot(wall, dir);
	CHECK(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS &&
	      near_rgb(surface_pixel(s, x, y), r, g, b, tolerance));
	cairo_surface_destroy(s);
}

static const char *wall_layout =
	"{\"canvas\": {\"width\": 400, \"height\": 300},"
	" \"grid\": {\"columns\": 1, \"rows\": 1, \"gap\": 0, \"margin\": 0},"
	" \"status_strip\": \"never\", \"feed\": \"empty.json\","
	" \"sources\": {\"cam\": {\"url\": \"cam.png\", \"type\": \"image\", \"max_age\": 60}},"
	" \"tiles\": [{\"id\": \"cam\", \"widget\": \"image\", \"cell\": [0, 0],"
	" \"source\": \"cam:\", \"fit\": \"fill\", \"title\": \"광화문 CCTV\"}]}";

static void wall_end_to_end(void)
{
	char *dir = temp_dir();
	char *layout = xasprintf("%s/wall.json", dir), *cam = xasprintf("%s/cam.png", dir);
	write_bytes(layout, wall_layout, strlen(wall_layout), 0);
	char *empty = xasprintf("%s/empty.json", dir);
	write_bytes(empty, "{}", 2, 0);
	free(empty);
	struct wall wall;
	struct wall_options options = {.layout_file = layout,
				       .clock = {.fixed = true, .at = AT}};
	if (!wall_open(&wall, &options)) {
		CHECK(false);
		goto out;
	}
	/* No picture yet: the tile's "no image" card, in the no-data colour. */
	wall_fetch_once(&wall);
	struct color nodata = wall.layout->theme.states[STATE_NODATA].fill;
	check_shot(&wall, dir, 390, 150, (int)lround(nodata.r * 255), (int)lround(nodata.g * 255),
		   (int)lround(nodata.b * 255), 2);

	struct bytes png = make_png(200, 100, halves);
	write_bytes(cam, png.data, png.len, 0);
	wall_fetch_once(&wall);
	check_shot(&wall, dir, 300, 150, 255, 0, 0, 4);
	check_shot(&wall, dir, 100, 150, 0, 255, 0, 4);

	/* The camera breaks: the last good picture stays. */
	write_bytes(cam, png.data, png.len / 2, 0);
	wall_fetch_once(&wall);
	check_shot(&wall, dir, 300, 150, 255, 0, 0, 4);

	/* Past max_age the board greys it out (its "as of" badge sits bottom right). */
	wall.clock.at = AT + 120;
	cairo_surface_t *s = shoot(&wall, dir);
	struct argb p = surface_pixel(s, 300, 150);
	CHECK(abs(p.r - p.g) < 16 && abs(p.g - p.b) < 16 && p.r < 200);
	cairo_surface_destroy(s);
	wall_close(&wall);
	bytes_free(&png);
out:
	remove_tree(dir);
	free(cam);
	free(layout);
	free(dir);
}

static const struct check_case cases[] = {
	{"decode PNG: colours, stride", decode_png},
	{"decode PNG: straight alpha becomes premultiplied", decode_png_premultiplied},
	{"decode JPEG: colours, progressive, greyscale, CMYK", decode_jpeg},
	{"truncated JPEG and PNG are errors", truncated_jpeg},
	{"garbage bytes are errors", garbage},
	{"decompression bombs are refused before allocating", bombs},
	{"PNG inflation bombs: trailing data, text, profiles, 16-bit, interlaced", png_inflation_bombs},
	{"decode PNG: interlaced, 16-bit", decode_png_interlaced_16bit},
	{"a stop request ends a decode", decode_stops},
	{"png_split_idat_no_leak", png_split_idat_no_leak},
	{"over max_bytes is refused", max_bytes},
	{"image snapshots: root object, capture time", snapshots},
	{"fetch from a file: swap, break, last good stays", fetch_file},
	{"fetch over HTTP: Last-Modified, 304, swap, truncated", fetch_http},
	{"fetch in the background: poll now", fetch_background},
	{"cache: a restarted wall shows the last picture", cache_restart},
	{"layout: \"cam1:\" binds an image source", layout_bindings},
	{"widget: contain letterboxes in the background colour", widget_contain},
	{"widget: cover fills the tile, fill stretches", widget_cover_fill},
	{"widget: scaled board, bind keeps the picture", widget_scaled},
	{"widget: large reductions do not alias", widget_downscale},
	{"widget: no image yet, then the picture, and it stays", wall_end_to_end},
};

CHECK_MAIN(cases)
