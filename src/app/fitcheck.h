#ifndef CITYWALL_APP_FITCHECK_H
#define CITYWALL_APP_FITCHECK_H

#include "layout/layout.h"
#include "render/text.h"
#include "util/diag.h"

/*
 * Draws every tile of `layout` once at its canvas size (every page, no data) and adds a
 * warning for each tile whose text had to be shortened with "…": a designer's title that is
 * too long for its tile shows up in --check, not first on the wall.
 */
void fitcheck_layout(const struct layout *layout, struct text_engine *text,
		     struct diag_list *diags);

#endif
