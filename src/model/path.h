#ifndef CITYWALL_MODEL_PATH_H
#define CITYWALL_MODEL_PATH_H

/*
 * Value paths: how a binding names a value in a snapshot, e.g. "air/districts/11680/pm10".
 * Segments are separated by '/', a leading '/' is optional; a segment is an object key, or a
 * decimal index when the value there is an array ("stations/0/name").
 */

#include <stdbool.h>
#include <stddef.h>

#include "model/value.h"

/* The value at `path` below `root`, or NULL when any segment is missing. */
const struct value *path_lookup(const struct value *root, const char *path);

/* Checks the path's form; on error returns false with a message in err. */
bool path_check(const char *path, char *err, size_t err_size);

#endif
