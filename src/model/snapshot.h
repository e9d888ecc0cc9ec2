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

struct snapshot {
	atomic_int refs;
	struct arena arena;       // owned: the value tree and its strings
	const struct value *root; // arena
	char *source;             // owned: name of the source ("default" for a lone feed)
	bool has_seq;
	long long seq;            // the document's sequence number, when it has one
	double generated_at;      // the document's own timestamp (epoch s), NAN when absent
	double fetched_at;        // when citywall read it (epoch s)
};

/* A new snapshot with one reference and a null root. */
struct snapshot *snapshot_create(const char *source);
struct snapshot *snapshot_ref(struct snapshot *snapshot);
/* Drops a reference; frees at zero. NULL is a no-op. */
void snapshot_unref(struct snapshot *snapshot);

/* When the data was produced: the document's timestamp if it has one, else the fetch time. */
double snapshot_data_time(const struct snapshot *snapshot);

#endif
