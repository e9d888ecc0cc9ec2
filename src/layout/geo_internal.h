#ifndef CITYWALL_LAYOUT_GEO_INTERNAL_H
#define CITYWALL_LAYOUT_GEO_INTERNAL_H

/* What geo.c (parsing, references, assets) and geo_measure.c share; private to them. */

#include "layout/geo.h"

#include <stddef.h>

/* Grows *array (of `size`-byte items) so that index `count` fits. */
void *geo_grow(void *array, size_t *cap, size_t count, size_t size);

/* Bounds, projection, areas and label points of a freshly parsed geometry (in that order). */
void geo_measure(struct geo *geo);

#endif
