#ifndef CITYWALL_LAYOUT_SOURCES_PARSE_H
#define CITYWALL_LAYOUT_SOURCES_PARSE_H

/* Reading a layout's "feed" and "sources" into layout->sources (private to layout/). */

#include <cJSON.h>
#include <stdbool.h>

#include "layout/layout.h"
#include "layout/options.h"

/*
 * Fills layout->sources: [0] is "default", from root's "feed" (a URL string, or an object like
 * any source; absent: no URL), then every member of root's "sources". Relative file paths are
 * resolved against the layout's folder. Reports problems to ctx; returns false if any.
 */
bool sources_read(struct parse_ctx *ctx, const cJSON *root, struct layout *layout);

/*
 * Splits a binding "name:path" (or "path": the default source) and checks both parts.
 * On success sets *source and *path (owned by the caller); else reports at `pointer`.
 */
bool sources_resolve_binding(struct parse_ctx *ctx, const struct layout *layout,
			     const char *binding, const char *pointer, size_t *source,
			     char **path);

#endif
