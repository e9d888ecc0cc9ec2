#ifndef CITYWALL_UTIL_STATS_H
#define CITYWALL_UTIL_STATS_H

/* Frame-time statistics: a growing list of samples and its percentiles. */

#include <stddef.h>

struct samples {
	double *values; // owned
	size_t count, capacity;
};

void samples_add(struct samples *s, double value);
/* The p-th percentile (0..100, nearest rank) of the samples; NAN when there are none. */
double samples_percentile(const struct samples *s, double p);
void samples_finish(struct samples *s);

#endif
