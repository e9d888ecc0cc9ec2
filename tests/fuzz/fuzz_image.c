/*
 * libFuzzer target for image_decode (JPEG and PNG bytes from an untrusted camera server), and
 * image_snapshot's value tree. Checks the documented contract: a picture within the limits
 * with a consistent stride, or NULL with a one-line message.
 */

#include "feed/image_decode.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256] = "";
	struct image_data *img = image_decode(data, size, 0, err, sizeof(err));
	if (img) {
		if (img->width <= 0 || img->height <= 0 || img->width > IMAGE_MAX_SIDE ||
		    img->height > IMAGE_MAX_SIDE || img->stride != img->width * 4 ||
		    (uint64_t)img->width * (uint64_t)img->height > IMAGE_MAX_PIXELS) {
			abort();
		}
		/* Every pixel is premultiplied: no colour above its alpha. */
		for (int y = 0; y < img->height; y++) {
			const uint32_t *row = (const uint32_t *)(const void *)(img->pixels +
									      (size_t)y * (size_t)img->stride);
			for (int x = 0; x < img->width; x++) {
				uint32_t p = row[x], a = p >> 24;
				if (((p >> 16) & 0xff) > a || ((p >> 8) & 0xff) > a || (p & 0xff) > a) {
					abort();
				}
			}
		}
		image_data_free(img);
	} else if (!err[0] || strchr(err, '\n')) {
		abort(); // refused without a message, or with more than one line
	}
	struct snapshot *snap = image_snapshot(data, size, "cam", 0, "Tue, 24 Nov 2026 23:59:30 GMT",
					       1795564800.0, err, sizeof(err));
	if ((snap != NULL) != (img != NULL)) {
		abort(); // the same bytes must give the same verdict
	}
	snapshot_unref(snap);
	return 0;
}
