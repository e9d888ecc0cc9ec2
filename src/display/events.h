#ifndef CITYWALL_DISPLAY_EVENTS_H
#define CITYWALL_DISPLAY_EVENTS_H

/*
 * Waiting for the frame loop's next event. On X11 the loop sleeps in one ppoll() on SDL's X
 * connection and an eventfd the other threads ring, and asks SDL to pump X events only when
 * the connection has something (or once a second, for SDL's own upkeep): a ticker's frame
 * wakes once and reads nothing. SDL_WaitEventTimeout pumps on every call and every wake-up,
 * some twenty reads of an empty socket a frame. Elsewhere SDL waits as before.
 *
 * Events from other threads: SDL_PushEvent, then event_wait_wake().
 */

#include <SDL.h>
#include <stdbool.h>

struct event_wait;

/* For the windows of this process (`window`: any of them, borrowed). Never NULL. */
struct event_wait *event_wait_create(SDL_Window *window);
void event_wait_destroy(struct event_wait *wait);

/* Any thread: an event was pushed into SDL's queue; the waiting loop looks at it now. */
void event_wait_wake(struct event_wait *wait);

/*
 * The next event, waiting at most `seconds` (INFINITY: until one comes). False: none came.
 */
bool event_wait_next(struct event_wait *wait, double seconds, SDL_Event *ev);

/* The next event already queued, without waiting or reading the X connection again. */
bool event_wait_poll(struct event_wait *wait, SDL_Event *ev);

/* "ppoll" or "SDL": for the debug log. */
const char *event_wait_describe(const struct event_wait *wait);

#endif
