#ifndef CITYWALL_APP_INPUT_SCRIPT_H
#define CITYWALL_APP_INPUT_SCRIPT_H

/*
 * --input-script FILE: input events pushed into SDL's own queue at set delays, as a touch
 * screen, a mouse or a keyboard would deliver them (the tests' way to touch a window under
 * Xvfb, which has no touch device). One event a line, '#' starts a comment:
 *
 *   DELAY finger down|move|up ID X Y   a finger (ID a small number) at device pixel X, Y
 *   DELAY mouse down|move|up X Y       the left button, at window pixel X, Y
 *   DELAY key NAME                     escape, return, left, right, up, down, q
 *
 * DELAY is seconds after the previous line (the first: after the first frame is on screen).
 */

#include <SDL.h>
#include <stdbool.h>
#include <stddef.h>

struct input_script;

/* Reads FILE; NULL with the reason (and its line) in err. */
struct input_script *input_script_load(const char *path, char *err, size_t err_size);
void input_script_destroy(struct input_script *script);

/* Starts the clock at monotonic time `now` (the first frame is on screen). */
void input_script_start(struct input_script *script, double now);
/*
 * Pushes every event due at monotonic `now` (fingers over a `width` x `height` window).
 * Returns the monotonic time the next one is due; INFINITY when none is left or not started.
 */
double input_script_run(struct input_script *script, double now, int width, int height);

#endif
