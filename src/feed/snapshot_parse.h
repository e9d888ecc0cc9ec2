#ifndef CITYWALL_FEED_SNAPSHOT_PARSE_H
#define CITYWALL_FEED_SNAPSHOT_PARSE_H

/*
 * Snapshot documents (JSON) → immutable snapshots. A snapshot document is a JSON object; its
 * optional members "seq" (a non-negative integer that grows with every new document) and
 * "generated_at" (an RFC 3339 time) give its provenance. Everything else is data for bindings.
 */

#include <stddef.h>

#include "model/snapshot.h"
#include "util/diag.h"

#define SNAPSHOT_MAX_BYTES (64u * 1024 * 1024)

/*
 * Parses text[0..len). `origin` names the document in messages (a file or URL), `source` is
 * the source name stored in the snapshot. Returns a snapshot with one reference, or NULL after
 * adding at least one error to `diags` (syntax errors carry line and column).
 */
struct snapshot *snapshot_parse(const char *text, size_t len, const char *origin,
				const char *source, double fetched_at, struct diag_list *diags);

#endif
