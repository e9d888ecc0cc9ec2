#ifndef CITYWALL_APP_SOURCE_CHECK_H
#define CITYWALL_APP_SOURCE_CHECK_H

/*
 * The layout's judgement of a new document of one source (a source_check_fn for the fetcher):
 * each tile binding to the source is evaluated against the document and asked of its widget
 * whether it can show the value (widget_binding_usable). Pure: reads only the immutable layout
 * and snapshots, so it runs on the fetch thread.
 */

#include "feed/fetcher.h"
#include "layout/layout.h"

/* `ctx` is the layout (const struct layout *), borrowed for as long as the fetcher uses it. */
void source_check_layout(void *ctx, size_t source, const struct snapshot *candidate,
			 const struct snapshot *whole, struct source_verdict *out);

#endif
