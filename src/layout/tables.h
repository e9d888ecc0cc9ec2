#ifndef CITYWALL_LAYOUT_TABLES_H
#define CITYWALL_LAYOUT_TABLES_H

/* Option tables of the layout format itself (NULL-key terminated). */

#include "layout/options.h"

extern const struct option_spec layout_root_options[];
extern const struct option_spec layout_canvas_options[];
extern const struct option_spec layout_grid_options[];
extern const struct option_spec layout_screen_options[];       // "screen"
extern const struct option_spec layout_theme_options[];
extern const struct option_spec layout_states_options[];       // theme.states: one key per state
extern const struct option_spec layout_state_color_options[];  // theme.states.STATE
extern const struct option_spec layout_tile_options[];         // keys every tile has
extern const struct option_spec layout_detail_options[];       // a tile's "detail"
extern const struct option_spec layout_source_options[];       // a source (and an object "feed")
extern const struct option_spec layout_timestamp_options[];    // a source's "timestamp" object
extern const struct option_spec layout_page_options[];         // an element of "pages"
extern const struct option_spec layout_group_grid_options[];   // a group's "grid"
extern const struct option_spec layout_include_options[];      // a file named in "include"
extern const struct option_spec layout_theme_scale_options[];  // theme.scale
extern const struct option_spec layout_derive_options[];       // a member of "derive"
extern const struct option_spec layout_emergency_options[];    // "emergency"
extern const struct option_spec layout_schedule_options[];     // an entry of "schedule"

#endif
