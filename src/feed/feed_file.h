#ifndef CITYWALL_FEED_FEED_FILE_H
#define CITYWALL_FEED_FEED_FILE_H

/*
 * Snapshots from local files: a plain path or a file:// URL (percent-escapes decoded).
 */

#include <stdbool.h>
#include <stddef.h>

#include "model/snapshot.h"
#include "util/diag.h"

/*
 * Turns `location` (a path or file:// URL) into a file path the caller owns; returns NULL with
 * a message in err for other schemes or malformed URLs.
 */
char *feed_file_path(const char *location, char *err, size_t err_size);

/* Reads and parses a snapshot file. Returns NULL after adding errors to diags. */
struct snapshot *feed_file_load(const char *location, const char *source, double now,
				struct diag_list *diags);

#endif
