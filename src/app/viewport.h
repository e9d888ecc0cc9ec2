#ifndef CITYWALL_APP_VIEWPORT_H
#define CITYWALL_APP_VIEWPORT_H

/*
 * One canvas over several screens and machines (--canvas, --viewport, --bezel, --display):
 * the command line's words for which part of the whole picture this process draws, and on
 * which displays. Every node of a wall is given the same canvas and its own part; the board
 * (compose/board.h, board_set_canvas) does the rest.
 *
 * Bezels: the frames between panels hide canvas pixels, so the picture stays geometrically
 * true across a gap (a line crossing it continues where it would). With --bezel PX a
 * viewport's X and Y count panel pixels only: the panel in column c = X / W starts PX * c
 * canvas pixels later (row r = Y / H: PX * r lower), so its right neighbour starts PX after
 * its own right edge, and those PX columns are drawn by nobody.
 */

#include <stdbool.h>
#include <stddef.h>

#include "util/geom.h"

#define VIEWPORT_MAX 8

struct canvas_spec {
	bool set;                          // --canvas given
	int width, height;                 // the whole canvas, device pixels
	int bezel;                         // --bezel: canvas pixels hidden between panels
	struct irect parts[VIEWPORT_MAX];  // --viewport X,Y,W,H[:X,Y,W,H...], as written
	size_t part_count;
	int displays[VIEWPORT_MAX];        // --display N[,N...]
	size_t display_count;
};

/* "X,Y,W,H[:X,Y,W,H...]" into spec->parts; false (message in err) when malformed. */
bool viewport_parse_list(const char *text, struct canvas_spec *spec, char *err,
			 size_t err_size);
/* "N[,N...]" (0..63 each) into spec->displays; false when malformed. */
bool viewport_parse_displays(const char *text, struct canvas_spec *spec, char *err,
			     size_t err_size);

/*
 * Checks the combination (a viewport needs a canvas and lies inside it once the bezels are
 * added; one viewport per display when there are several of each). False with a message.
 */
bool viewport_check(const struct canvas_spec *spec, char *err, size_t err_size);

/*
 * The smallest rectangle of the canvas holding every part (bezels added): what one process
 * showing several parts draws; the whole canvas without parts.
 */
struct irect viewport_bounds(const struct canvas_spec *spec);

/* Part `index` of the canvas in canvas pixels, bezels added; the whole canvas without parts. */
struct irect viewport_part(const struct canvas_spec *spec, size_t index);

#endif
