#ifndef CITYWALL_APP_TOUCH_H
#define CITYWALL_APP_TOUCH_H

/*
 * Touch, mouse and keyboard drill-down (docs/interaction.md), for layouts with
 * "interactive": true: a tap (or click) opens the detail panel of the tile, or the part of it,
 * under it; a long press opens the whole tile's; a tap outside the panel or on its close
 * button closes it, and so does an idle time ("detail_idle_s") and emergency mode (the board's
 * rule). A tap on a tab of the mode bar (widget "pages") shows that page, held until the idle
 * time; two fingers zoom a map (touch_zoom.h). Arrow keys move a focus ring between tiles,
 * Enter opens (on the mode bar: the next page), Escape closes. Gestures are
 * timed on the monotonic clock: they are the operator's, not part of the frame's inputs.
 */

#include <SDL.h>
#include <stdbool.h>

#include "app/touch_zoom.h"
#include "app/wall.h"

/* A press held this long without moving is a long press (s). */
#define TOUCH_LONG_PRESS 0.6
/* A press that moves farther than this share of the screen's shorter side is no tap. */
#define TOUCH_SLOP 0.03

struct touch_input {
	bool down;            // a press (the left button or one finger) is held
	bool mouse;           // ... by the mouse; else by finger `finger`
	SDL_FingerID finger;
	int fingers;          // fingers down now; two or more is a pinch, never a tap
	bool moved;           // the press went beyond the slop
	double x, y;          // device pixels where it went down
	double at;            // monotonic time it went down
	double last_input;    // monotonic time of the last input, for the idle close
	double tap_at;        // monotonic time of the last tap, for the double tap
	double tap_x, tap_y;  // device pixels of the last tap
	bool tap_zoomed;      // ... which was on a zoomed map
	struct touch_pinch pinch;
};

void touch_init(struct touch_input *t);

/*
 * Handles `ev` if it is input (mouse, finger, key); returns true when it was taken. Escape
 * is taken only while a panel is open (else it is the loop's: quit). `scale_x`/`scale_y` map
 * window coordinates to the frame buffer's device pixels; `width`/`height` are its size.
 */
bool touch_handle(struct touch_input *t, struct wall *wall, const SDL_Event *ev, double scale_x,
		  double scale_y, int width, int height, double now);

/*
 * Long presses and the idle close that are due at monotonic `now`; after the idle time also
 * the mode bar's choice goes back to the rotation and zoomed maps to their whole view.
 */
void touch_tick(struct touch_input *t, struct wall *wall, double now);
/* The monotonic time touch_tick has something to do; INFINITY: never. */
double touch_deadline(const struct touch_input *t, const struct wall *wall);

#endif
