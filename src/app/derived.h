#ifndef CITYWALL_APP_DERIVED_H
#define CITYWALL_APP_DERIVED_H

/*
 * Derived values at run time: the fetcher's derive hook. When a source that a "derive" member
 * reads gets a document, every derived value is computed again on that (fetch) thread, never
 * on the render thread, into one snapshot of the "derived" pseudo-source:
 *
 *   {"golden": 0.889, "golden_by_district": {"강남구": 0.92, ...}, "neighbour_help": 12,
 *    "records": {"golden": 9, ...}, "rejected": {"golden": 1, ...}}
 *
 * handed to the board like any source's. Its data time is the oldest of its inputs', so a
 * derived value turns stale with the data it was made from.
 */

#include "feed/fetcher.h"
#include "layout/layout.h"
#include "util/diag.h"

/* A source_derive_fn; `ctx` is the layout (const struct layout *), borrowed. */
void derived_update(void *ctx, struct fetcher *fetcher, size_t source, double now);

/*
 * The derived values of `layout` computed from the given snapshots (one per layout source,
 * NULL where there is none) at `now`: the pseudo-source's snapshot, or NULL when no input has
 * data yet. For tests and benchmarks; derived_update uses it.
 */
struct snapshot *derived_compute(const struct layout *layout, struct snapshot *const *inputs,
				 const double *data_times, double now);

/*
 * --check: where a derive member reads a local JSON, CSV or XML file, the fields its
 * expressions name must be fields of its records; adds an error with the expression's line
 * and column and a "did you mean" for each that is not. Other sources are not read.
 */
/*
 * Writes the root of the derived snapshot `snap` (NULL: none computed, written as null) as JSON
 * to `path`, atomically: what the wall drew, for tests to hold against an independent check.
 * False with err filled when it cannot be written.
 */
bool derived_dump(const struct snapshot *snap, const char *path, char *err, size_t err_size);

/*
 * A local file source's document as the fetcher would read it (a new reference, for --check);
 * NULL when the source is not a file or cannot be read.
 */
struct snapshot *derived_read_local(const struct source_config *config);

void derived_check_fields(const struct layout *layout, struct diag_list *diags);

#endif
