#ifndef CITYWALL_APP_NOTIFY_H
#define CITYWALL_APP_NOTIFY_H

/*
 * Telling systemd how the wall is (sd_notify): READY=1 once the first frame is on screen,
 * WATCHDOG=1 from the render loop, STATUS= one line of source states, STOPPING=1 at exit.
 * Outside systemd (no $NOTIFY_SOCKET) every call does nothing.
 */

#include <stdbool.h>

struct service_notify {
	bool active;              // started by systemd ($NOTIFY_SOCKET set)
	double watchdog_interval; // s between WATCHDOG=1 pings; INFINITY: no watchdog
	double next_watchdog;     // monotonic time the next ping is due
	bool ready;               // READY=1 sent
	char *status;             // owned: the last STATUS= sent
};

/* Reads $WATCHDOG_USEC (sd_watchdog_enabled): pings are due every half of it. */
void notify_init(struct service_notify *n);
void notify_finish(struct service_notify *n);

/* READY=1 (once). */
void notify_ready(struct service_notify *n);
/* WATCHDOG=1 when one is due at monotonic time `now`. */
void notify_watchdog(struct service_notify *n, double now);
/* STATUS=line, when it differs from the last one sent. */
void notify_status(struct service_notify *n, const char *line);
/* STOPPING=1 */
void notify_stopping(struct service_notify *n);

#endif
