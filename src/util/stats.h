#ifndef CITYWALL_UTIL_STATS_H
#define CITYWALL_UTIL_STATS_H

/* Frame-time statistics: a growing list of samples and its percentiles. */

#include <stddef.h>

struct samples {
	double *values; // owned
	size_t count, capacity;
};

void samples_add(struct samples *s, double value);
/* Where the p-th percentile (0..100) of n > 0 sorted values is: the nearest rank, 0-based. */
size_t stats_rank_index(size_t n, double p);
/* The p-th percentile (0..100, nearest rank) of the samples; NAN when there are none. */
double samples_percentile(const struct samples *s, double p);
void samples_finish(struct samples *s);

#endif
