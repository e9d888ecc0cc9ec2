#include "util/strutil.h"

#include <string.h>

#define MAX_EDIT_LEN 64

size_t str_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	la = la > MAX_EDIT_LEN ? MAX_EDIT_LEN : la;
	lb = lb > MAX_EDIT_LEN ? MAX_EDIT_LEN : lb;
	size_t row[MAX_EDIT_LEN + 1];
	for (size_t j = 0; j <= lb; j++) {
		row[j] = j;
	}
	for (size_t i = 1; i <= la; i++) {
		size_t diagonal = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t above = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = diagonal + cost;
			if (above + 1 < best) {
				best = above + 1;
			}
			if (row[j - 1] + 1 < best) {
				best = row[j - 1] + 1;
			}
			row[j] = best;
			diagonal = above;
		}
	}
	return row[lb];
}

const char *str_closest(const char *word, const void *candidates, size_t stride, size_t count)
{
	const char *best = NULL;
	size_t best_distance = (size_t)-1;
	for (size_t i = 0; i < count; i++) {
		const char *c = *(const char *const *)((const char *)candidates + i * stride);
		if (!c) {
			break;
		}
		size_t d = str_edit_distance(word, c);
		if (d < best_distance) {
			best_distance = d;
			best = c;
		}
	}
	/* A third of the word's length, at least one edit: close enough to be a typo. */
	size_t allowed = strlen(word) / 3;
	if (allowed < 1) {
		allowed = 1;
	}
	return best_distance <= allowed ? best : NULL;
}

bool str_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}
