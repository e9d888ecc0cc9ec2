#ifndef CITYWALL_MODEL_SNAPSHOT_H
#define CITYWALL_MODEL_SNAPSHOT_H

/*
 * One source's document at one moment: an immutable value tree plus provenance. Snapshots are
 * reference-counted: the feed hands a new one over, the board keeps the current and previous
 * ones, and the last unref frees the arena with the whole tree.
 */

#include <stdatomic.h>
#include <stdbool.h>

#include "model/value.h"
#include "util/arena.h"

/*
 * A decoded picture (image sources): premultiplied ARGB32 in cairo's native layout, one
 * uint32 per pixel in native byte order (0xAARRGGBB), rows `stride` bytes apart. The stride is
 * width * 4, which is what cairo_format_stride_for_width gives for ARGB32 (model/ and feed/ do
 * not include cairo). Immutable once the snapshot is handed over.
 */
struct image_data {
	int width, height, stride;
	unsigned char *pixels; // owned (malloc)
};

struct snapshot {
	atomic_int refs;
	struct arena arena;       // owned: the value tree and its strings
	const struct value *root; // arena
	char *source;             // owned: name of the source ("default" for a lone feed)
	bool has_seq;
	long long seq;            // the document's sequence number, when it has one
	double generated_at;      // the document's own timestamp (epoch s), NAN when absent
	double fetched_at;        // when citywall read it (epoch s)
	/* The document's "display_at" (epoch s): walls hold it until then, so that every node of
	 * one wall switches in the same frame; NAN: show at once. */
	double display_at;
	/* Seconds the document's own time was ahead of fetched_at beyond the source's tolerance
	 * (generated_at is then clamped to fetched_at); 0: its clock agrees with ours. */
	double clock_skew;
	struct image_data *image; // owned (malloc); NULL unless the source is an image source
};

/* A display_at further ahead of the fetch than this (seconds) is refused as clock trouble. */
#define SNAPSHOT_DISPLAY_AT_MAX_AHEAD 60.0

/* A new snapshot with one reference and a null root. */
struct snapshot *snapshot_create(const char *source);
struct snapshot *snapshot_ref(struct snapshot *snapshot);
/* Drops a reference; frees at zero. NULL is a no-op. */
void snapshot_unref(struct snapshot *snapshot);

/* Frees a picture and its pixels; NULL is a no-op. */
void image_data_free(struct image_data *image);

/* When the data was produced: the document's timestamp if it has one, else the fetch time. */
double snapshot_data_time(const struct snapshot *snapshot);

#endif
