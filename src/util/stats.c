#include "util/stats.h"

#include "util/xmalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void samples_add(struct samples *s, double value)
{
	if (s->count == s->capacity) {
		s->capacity = s->capacity ? s->capacity * 2 : 256;
		s->values = xrealloc(s->values, s->capacity * sizeof(*s->values));
	}
	s->values[s->count++] = value;
}

static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

size_t stats_rank_index(size_t n, double p)
{
	double rank = ceil(p / 100.0 * (double)n);
	size_t index = rank < 1 ? 0 : (size_t)rank - 1;
	return index < n ? index : n - 1;
}

double samples_percentile(const struct samples *s, double p)
{
	if (s->count == 0) {
		return NAN;
	}
	double *sorted = xmalloc(s->count * sizeof(*sorted));
	memcpy(sorted, s->values, s->count * sizeof(*sorted));
	qsort(sorted, s->count, sizeof(*sorted), compare);
	double v = sorted[stats_rank_index(s->count, p)];
	free(sorted);
	return v;
}

void samples_finish(struct samples *s)
{
	free(s->values);
	*s = (struct samples){0};
}
