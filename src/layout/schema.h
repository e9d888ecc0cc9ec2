#ifndef CITYWALL_LAYOUT_SCHEMA_H
#define CITYWALL_LAYOUT_SCHEMA_H

/*
 * The JSON Schema (draft-07) of layout files, generated from the same option tables the
 * validator checks files against (layout/tables.h and every widget's table), so that editors
 * (VS Code and others) complete keys and flag errors exactly as `citywall --check` would.
 * The schema is looser than the validator only where JSON Schema cannot say it: ascending
 * threshold steps, tiles that overlap or leave the grid, unique tile ids, bindings naming a
 * declared source, assets that load.
 */

#include "layout/layout.h"

/*
 * The schema for a layout whose tiles use `widgets` (NULL-terminated), pretty-printed with a
 * final newline; the same tables always give the same bytes. The caller frees the result.
 */
char *layout_schema_json(const struct widget_spec *const *widgets);

#endif
