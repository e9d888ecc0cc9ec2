/* ppoll(): a timeout finer than poll()'s milliseconds, for frame deadlines. */
#define _GNU_SOURCE

#include "display/events.h"

#include "display/window.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef CITYWALL_XSHM
#include <SDL_syswm.h>
#include <X11/Xlib.h>
#include <poll.h>
#include <sys/eventfd.h>
#endif

/*
 * SDL does some upkeep only when it pumps (on X11, resetting the screen saver it was told to
 * keep off every 30 s): a wall with nothing to read still lets it pump this often.
 */
#define PUMP_PERIOD 1.0

struct event_wait {
#ifdef CITYWALL_XSHM
	Display *display; // borrowed: SDL's connection; NULL: SDL waits (not X11)
	int wake_fd;      // owned eventfd, or -1
	double next_pump; // monotonic
#else
	int unused;
#endif
};

static bool take_queued(SDL_Event *ev)
{
	return SDL_PeepEvents(ev, 1, SDL_GETEVENT, SDL_FIRSTEVENT, SDL_LASTEVENT) > 0;
}

/* SDL's own wait: it pumps X events on every call and every wake-up. */
static bool sdl_wait(double seconds, SDL_Event *ev)
{
	if (isinf(seconds)) {
		return SDL_WaitEvent(ev) != 0;
	}
	return SDL_WaitEventTimeout(ev, seconds <= 0 ? 0 : (int)ceil(seconds * 1000)) != 0;
}

#ifdef CITYWALL_XSHM
static Display *sdl_x11_display(SDL_Window *window)
{
	SDL_SysWMinfo info;
	SDL_VERSION(&info.version);
	if (window == NULL || !SDL_GetWindowWMInfo(window, &info) ||
	    info.subsystem != SDL_SYSWM_X11) {
		return NULL;
	}
	return info.info.x11.display;
}

struct event_wait *event_wait_create(SDL_Window *window)
{
	struct event_wait *wait = xcalloc(1, sizeof(*wait));
	wait->wake_fd = -1;
	if (!window_own_x11_paths()) {
		return wait;
	}
	wait->display = sdl_x11_display(window);
	if (wait->display != NULL) {
		wait->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (wait->wake_fd < 0) {
			wait->display = NULL;
		}
	}
	return wait;
}

void event_wait_destroy(struct event_wait *wait)
{
	if (wait == NULL) {
		return;
	}
	if (wait->wake_fd >= 0) {
		close(wait->wake_fd);
	}
	free(wait);
}

void event_wait_wake(struct event_wait *wait)
{
	if (wait != NULL && wait->wake_fd >= 0) {
		uint64_t one = 1;
		ssize_t n = write(wait->wake_fd, &one, sizeof(one));
		(void)n; // a full counter (2^64 - 2 rings) is already a wake-up
	}
}

static void pump(struct event_wait *wait, double now)
{
	SDL_PumpEvents();
	wait->next_pump = now + PUMP_PERIOD;
}

/* Sleeps until SDL's connection is readable, a thread rang, or `seconds` passed. */
static bool sleep_on_fds(struct event_wait *wait, double seconds)
{
	struct pollfd fds[2] = {
		{.fd = ConnectionNumber(wait->display), .events = POLLIN},
		{.fd = wait->wake_fd, .events = POLLIN},
	};
	struct timespec timeout = {(time_t)seconds,
				   (long)((seconds - floor(seconds)) * 1e9)};
	int ready = ppoll(fds, 2, &timeout, NULL);
	if (ready > 0 && (fds[1].revents & POLLIN)) {
		uint64_t count;
		ssize_t n = read(wait->wake_fd, &count, sizeof(count));
		(void)n; // only the reset matters
	}
	return ready > 0 || (ready < 0 && errno == EINTR);
}

bool event_wait_next(struct event_wait *wait, double seconds, SDL_Event *ev)
{
	if (wait->display == NULL) {
		return sdl_wait(seconds, ev);
	}
	double now = time_monotonic();
	double deadline = now + (seconds > 0 ? seconds : 0);
	for (;;) {
		if (take_queued(ev)) {
			return true;
		}
		/* Events Xlib already read (a round trip reads them) poll() cannot see. */
		if (XEventsQueued(wait->display, QueuedAlready) > 0 || now >= wait->next_pump) {
			pump(wait, now);
			if (take_queued(ev)) {
				return true;
			}
		}
		if (now >= deadline) {
			return false;
		}
		bool woken = sleep_on_fds(wait, fmin(deadline, wait->next_pump) - now);
		now = time_monotonic();
		if (woken) {
			pump(wait, now);
		}
	}
}

const char *event_wait_describe(const struct event_wait *wait)
{
	return wait->display ? "ppoll" : "SDL";
}
#else
struct event_wait *event_wait_create(SDL_Window *window)
{
	return xcalloc(1, sizeof(struct event_wait));
}

void event_wait_destroy(struct event_wait *wait)
{
	free(wait);
}

void event_wait_wake(struct event_wait *wait)
{
}

bool event_wait_next(struct event_wait *wait, double seconds, SDL_Event *ev)
{
	return sdl_wait(seconds, ev);
}

const char *event_wait_describe(const struct event_wait *wait)
{
	return "SDL";
}
#endif

bool event_wait_poll(struct event_wait *wait, SDL_Event *ev)
{
	return take_queued(ev);
}
