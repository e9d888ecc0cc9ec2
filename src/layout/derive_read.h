#ifndef CITYWALL_LAYOUT_DERIVE_READ_H
#define CITYWALL_LAYOUT_DERIVE_READ_H

/* Reading a layout's "derive" section into layout->derives (private to layout/). */

#include <cJSON.h>
#include <stdbool.h>

#include "layout/layout.h"
#include "layout/options.h"

/*
 * Reads root's "derive" after the sources: compiles every expression (errors carry the line
 * and column inside the expression's string) and adds the "derived" pseudo-source that
 * bindings name. Reports problems to ctx; returns false if any.
 */
bool derive_read(struct parse_ctx *ctx, const cJSON *root, struct layout *layout);

/*
 * A binding into the "derived" pseudo-source must name one of the derived values (or the
 * "records" and "rejected" figures); reports at `pointer` and returns false otherwise.
 */
bool derive_check_binding(struct parse_ctx *ctx, const struct layout *layout, const char *path,
			  const char *pointer);

#endif
