/*
 * The fetcher's image thread: pictures are decoded off the fetch thread, so a held (or slow)
 * decode delays no JSON source; a decompression bomb fetched in the background is refused
 * with its reason while the last good picture stays; fetcher_destroy returns while a decode
 * is held. The image thread's barrier (fetcher_hold_images) makes this deterministic: tests
 * wait for states with generous timeouts and never sleep a fixed time.
 */

#include "check.h"

#include "feed/fetcher.h"
#include "feed/image_decode.h"
#include "util/xmalloc.h"

/* image_helpers.h is test_image.c's; this file uses a part of it. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "image_helpers.h"
#pragma GCC diagnostic pop

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AT 1795564800.0 // 2026-11-25T00:00:00Z, the fixed "now" of these tests

static double clock_at = AT;

static double fixed_now(void *ctx)
{
	return *(const double *)ctx;
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

/* Sources "cam" (an image, `cam`) and "air" (a JSON document, `air`), both polled hourly. */
static struct fetcher *two_source_fetcher(const char *cam, const char *air)
{
	struct source_config c[2] = {
		{.name = "cam", .url = (char *)cam, .interval = 3600, .max_age = 60, .timeout = 5,
		 .connect_timeout = 2, .max_bytes = 4u << 20, .type = SOURCE_IMAGE},
		{.name = "air", .url = (char *)air, .interval = 3600, .max_age = 60, .timeout = 5,
		 .connect_timeout = 2, .max_bytes = 4u << 20, .type = SOURCE_JSON},
	};
	struct fetcher_options options = {.sources = c, .source_count = 2, .now = fixed_now,
					  .clock_ctx = &clock_at};
	char err[256] = "";
	struct fetcher *f = fetcher_create(&options, err, sizeof(err));
	if (!f) {
		printf("# fetcher_create: %s\n", err);
	}
	return f;
}

/* Waits (generously, never a fixed time) for source `index` to reach `generation`. */
static bool wait_source(struct fetcher *f, size_t index, unsigned long generation)
{
	double deadline = mono() + 20;
	struct source_status st;
	while (mono() < deadline) {
		snapshot_unref(fetcher_snapshot(f, index, &st));
		if (st.generation >= generation) {
			return true;
		}
		nap(0.005);
	}
	printf("# source %zu: generation %lu, wanted %lu\n", index, st.generation, generation);
	return false;
}

static bool wait_held(struct fetcher *f)
{
	double deadline = mono() + 20;
	while (mono() < deadline && !fetcher_images_waiting(f)) {
		nap(0.005);
	}
	return fetcher_images_waiting(f);
}

/* While the image thread is held before decoding, a JSON source's new document still comes. */
static void image_thread_does_not_delay_json(void)
{
	char *dir = temp_dir();
	char *cam = xasprintf("%s/cam.png", dir), *air = xasprintf("%s/air.json", dir);
	struct bytes png = make_png(200, 100, halves);
	write_bytes(cam, png.data, png.len, 0);
	write_bytes(air, "{\"seq\": 1}", 10, 0);
	struct fetcher *f = two_source_fetcher(cam, air);
	char err[256];
	fetcher_hold_images(f, true);
	CHECK(fetcher_start(f, err, sizeof(err)));
	CHECK(wait_held(f)); // the picture is fetched, its decode waits at the barrier
	CHECK(wait_source(f, 1, 1));
	write_bytes(air, "{\"seq\": 2}", 10, 0);
	fetcher_poll_now(f, 1);
	CHECK(wait_source(f, 1, 2));
	struct source_status st;
	struct snapshot *s = fetcher_snapshot(f, 1, &st);
	CHECK(s && st.has_seq && st.seq == 2);
	snapshot_unref(s);
	s = fetcher_snapshot(f, 0, &st);
	CHECK(s == NULL && st.generation == 0 && fetcher_images_waiting(f)); // still held
	snapshot_unref(s);

	fetcher_hold_images(f, false);
	CHECK(wait_source(f, 0, 1));
	s = fetcher_snapshot(f, 0, &st);
	CHECK(s && s->image && s->image->width == 200 && st.state == SOURCE_OK);
	snapshot_unref(s);
	fetcher_destroy(f);
	bytes_free(&png);
	remove_tree(dir);
	free(cam);
	free(air);
	free(dir);
}

/* A bomb through the threads: refused with its reason, the last good picture stays. */
static void image_thread_refuses_bomb(void)
{
	char *dir = temp_dir();
	char *cam = xasprintf("%s/cam.png", dir), *air = xasprintf("%s/air.json", dir);
	struct bytes png = make_png(32, 32, quadrants);
	write_bytes(cam, png.data, png.len, 0);
	write_bytes(air, "{\"seq\": 1}", 10, 0);
	struct fetcher *f = two_source_fetcher(cam, air);
	char err[256];
	CHECK(fetcher_start(f, err, sizeof(err)));
	CHECK(wait_source(f, 0, 1));
	struct source_status st;
	struct snapshot *good = fetcher_snapshot(f, 0, &st);

	struct bytes z = zlib_zeros(64), bomb = png_start(1, 1, 8, PNG_COLOR_TYPE_RGBA, false);
	png_finish(&bomb, &z);
	write_bytes(cam, bomb.data, bomb.len, 0);
	fetcher_poll_now(f, 0);
	double deadline = mono() + 20;
	do {
		snapshot_unref(fetcher_snapshot(f, 0, &st));
		nap(0.005);
	} while (st.failures == 0 && mono() < deadline);
	struct snapshot *kept = fetcher_snapshot(f, 0, &st);
	CHECK(kept == good && st.generation == 1);
	CHECK(has_error(&st, "PNG: more image data than the 1 x 1 pixels of its header"));
	snapshot_unref(kept);
	snapshot_unref(good);
	fetcher_destroy(f);
	bytes_free(&z);
	bytes_free(&bomb);
	bytes_free(&png);
	remove_tree(dir);
	free(cam);
	free(air);
	free(dir);
}

/* fetcher_destroy returns while a decode is held (and so also mid-decode: same stop flag). */
static void image_thread_destroy_while_held(void)
{
	char *dir = temp_dir();
	char *cam = xasprintf("%s/cam.jpg", dir), *air = xasprintf("%s/air.json", dir);
	struct bytes jpeg = make_jpeg(64, 64, quadrants);
	write_bytes(cam, jpeg.data, jpeg.len, 0);
	write_bytes(air, "{\"seq\": 1}", 10, 0);
	struct fetcher *f = two_source_fetcher(cam, air);
	char err[256];
	fetcher_hold_images(f, true);
	CHECK(fetcher_start(f, err, sizeof(err)));
	CHECK(wait_held(f));
	fetcher_destroy(f); // a hang here fails the test by meson's timeout
	CHECK(true);
	bytes_free(&jpeg);
	remove_tree(dir);
	free(cam);
	free(air);
	free(dir);
}

static const struct check_case cases[] = {
	{"a held decode does not delay a JSON source", image_thread_does_not_delay_json},
	{"a PNG bomb is refused, the last good picture stays", image_thread_refuses_bomb},
	{"fetcher_destroy returns during a held decode", image_thread_destroy_while_held},
};

CHECK_MAIN(cases)
