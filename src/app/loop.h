#ifndef CITYWALL_APP_LOOP_H
#define CITYWALL_APP_LOOP_H

#include "app/cli.h"
#include "app/wall.h"

/*
 * Opens the window and runs the frame loop until the window closes (or --frames is reached):
 * sleep until an event or the board's next deadline, redraw what is dirty, present only the
 * changed rectangles. Returns the process exit code.
 */
enum exit_code loop_run(struct wall *wall, const struct cli_options *options);

#endif
