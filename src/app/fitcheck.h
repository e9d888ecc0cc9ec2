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

/*
 * With the layout's "screen", the same drawing also measures each tile's smallest text (its
 * cap height, render/text.h text_probe) and adds an error where it is below the least height
 * legible from screen.distance_m: h = 2·d·tan(θ/2) with θ = 16 arc minutes (ISO 9241-303).
 * This is that h in millimetres for a distance in metres.
 */
double fitcheck_min_height_mm(double distance_m);

#endif
