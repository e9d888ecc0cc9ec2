#ifndef CITYWALL_FEED_IMAGE_DECODE_H
#define CITYWALL_FEED_IMAGE_DECODE_H

/*
 * Pictures of image sources (CCTV stills): JPEG (libjpeg-turbo) and PNG (libpng) bytes →
 * premultiplied ARGB32 in cairo's native layout (struct image_data, model/snapshot.h). Runs on
 * the fetcher's image thread (feed/image_worker.h), so neither the render loop nor the other
 * sources wait for a picture; a stop flag checked per row ends a long decode at once.
 *
 * Everything an untrusted server can send is refused with a one-line message, never a crash:
 * bodies over the source's max_bytes, dimensions past IMAGE_MAX_SIDE or IMAGE_MAX_PIXELS (read
 * from the header before any pixel memory is allocated, so a "decompression bomb" of a few
 * bytes claiming 100000 x 100000 costs nothing), PNG pixel data that would inflate past
 * IMAGE_MAX_DATA_BYTES (16-bit samples; also computed from the header) or past the rows its
 * header declares (a 1 MB file of one pixel and 1 GB of zeros is refused after one row), PNG
 * text, colour-profile and unknown chunks (skipped unread, never inflated), truncated or
 * corrupt data (libjpeg's
 * "Premature end of JPEG file" warning counts as an error), progressive JPEGs with absurd scan
 * counts, and anything that is neither format. The format is told by the bytes, never by the
 * server's Content-Type. EXIF orientation and embedded colour profiles are ignored: pixels are
 * shown as stored and taken as sRGB.
 */

#include <stdatomic.h>
#include <stddef.h>

#include "model/snapshot.h"

#define IMAGE_MAX_SIDE 16384                  // pixels per side (cairo's own limit is 32767)
#define IMAGE_MAX_PIXELS (40u * 1000 * 1000) // 40 Mpx: 160 MB decoded; an 8K frame is 33 Mpx
#define IMAGE_MAX_JPEG_SCANS 1000            // progressive scans; real files have about 10
/* PNG pixel data inflated, as the header declares it: 4 bytes a pixel like the decoded
 * picture (16-bit RGBA is 8), plus room for the filter byte of every row of every pass. */
#define IMAGE_MAX_DATA_BYTES (4ull * IMAGE_MAX_PIXELS + 1000 * 1000)

/* "image/jpeg" or "image/png" when the bytes start like one, else NULL. */
const char *image_sniff(const void *data, size_t len);

/*
 * Decodes data[0..len) (JPEG or PNG). Returns a picture the caller owns (image_data_free), or
 * NULL with a message in err ("JPEG: Premature end of JPEG file", "not a JPEG or PNG image",
 * "image of 100000 x 100000 pixels exceeds the limit of ..."). `max_bytes` 0 means no size
 * limit beyond the pixel limits.
 */
struct image_data *image_decode(const void *data, size_t len, size_t max_bytes, char *err,
				size_t err_size);
/* The same, ending early with "decoding stopped" once *stop is true (checked per row, and per
 * iMCU row while libjpeg reads a progressive file's scans); stop NULL: never. */
struct image_data *image_decode_until(const void *data, size_t len, size_t max_bytes,
				      const atomic_bool *stop, char *err, size_t err_size);

/*
 * An image source's snapshot for a fetched body: the decoded picture plus a root object
 *   {"width": 1280, "height": 720, "captured_at": "2026-11-25T00:00:00Z",
 *    "content_type": "image/jpeg", "bytes": 183211}
 * so bindings, the status strip and staleness work as for JSON sources. The capture time is
 * the response's Last-Modified (an HTTP date; NULL or "" when absent), which becomes the
 * snapshot's generated_at, clamped to the fetch time (a picture is not from the future);
 * without one it is the fetch time and generated_at stays NAN. Returns a snapshot with one
 * reference, or NULL with a message in err.
 */
struct snapshot *image_snapshot(const void *body, size_t len, const char *source,
				size_t max_bytes, const char *last_modified, double fetched_at,
				char *err, size_t err_size);
/* image_snapshot with a stop flag, as image_decode_until. */
struct snapshot *image_snapshot_until(const void *body, size_t len, const char *source,
				      size_t max_bytes, const char *last_modified,
				      double fetched_at, const atomic_bool *stop, char *err,
				      size_t err_size);

#endif
