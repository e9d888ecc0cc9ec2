#include "app/clock.h"

#include <time.h>

static double read_clock(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

double clock_now(const struct wall_clock *clock)
{
	return clock->fixed ? clock->at : read_clock(CLOCK_REALTIME);
}

double clock_monotonic(void)
{
	return read_clock(CLOCK_MONOTONIC);
}
