#ifndef CITYWALL_APP_CLOCK_H
#define CITYWALL_APP_CLOCK_H

/*
 * The one clock the whole program reads: wall-clock time, or a fixed instant (--at) so that
 * tests and screenshots are reproducible. Frame timing uses clock_monotonic() instead, which
 * never jumps when NTP corrects the wall clock.
 */

#include <stdbool.h>

struct wall_clock {
	bool fixed;
	double at; // epoch s, when fixed
};

double clock_now(const struct wall_clock *clock);
/* Seconds on a monotonic clock, for durations. */
double clock_monotonic(void);

#endif
