#ifndef CITYWALL_FEED_SNAPSHOT_PARSE_H
#define CITYWALL_FEED_SNAPSHOT_PARSE_H

/*
 * Snapshot documents → immutable snapshots. A snapshot document is a JSON object (or a CSV or
 * XML document, which snapshot_parse_source turns into the same value tree); its optional
 * member "seq" (a non-negative integer that grows with every new document) and its timestamp
 * (by default "generated_at", an RFC 3339 time; a source may name another path) give its
 * provenance. Everything else is data for bindings.
 */

#include <stddef.h>

#include "model/snapshot.h"
#include "model/source.h"
#include "util/diag.h"

#define SNAPSHOT_MAX_BYTES (64u * 1024 * 1024)

/* Times without a zone in documents are Seoul time, as Seoul's open-data APIs send them. */
#define SNAPSHOT_DEFAULT_UTC_OFFSET (9 * 3600)

/*
 * Parses text[0..len). `origin` names the document in messages (a file or URL), `source` is
 * the source name stored in the snapshot, `timestamp_path` the value path of the document's
 * own time (NULL: it has none; the data time is then the fetch time). A named timestamp that
 * is present but not a time is an error; an absent one is not. Returns a snapshot with one
 * reference, or NULL after adding at least one error to `diags` (syntax errors carry line and
 * column).
 */
struct snapshot *snapshot_parse(const char *text, size_t len, const char *origin,
				const char *source, const char *timestamp_path, double fetched_at,
				struct diag_list *diags);

/*
 * Parses a document of `config`'s source as its "format" says: JSON as snapshot_parse, CSV
 * (feed/csv_parse.h) and XML (feed/xml_parse.h) after decoding them by its "encoding". The
 * snapshot takes the source's name, and its timestamp path works as for JSON. Returns a
 * snapshot with one reference, or NULL after adding at least one error (with line, and column
 * where known) to `diags`.
 */
struct snapshot *snapshot_parse_source(const char *text, size_t len, const char *origin,
				       const struct source_config *config, double fetched_at,
				       struct diag_list *diags);

#endif
