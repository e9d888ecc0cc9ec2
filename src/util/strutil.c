#include "util/strutil.h"

#include "util/xmalloc.h"

#include <string.h>

#define MAX_EDIT_LEN 64

size_t str_edit_distance(const char *a, const char *b)
{
	/* Optimal string alignment: a swap of two neighbours ("titel") is one edit, as typos are. */
	size_t la = strlen(a), lb = strlen(b);
	la = la > MAX_EDIT_LEN ? MAX_EDIT_LEN : la;
	lb = lb > MAX_EDIT_LEN ? MAX_EDIT_LEN : lb;
	size_t d[MAX_EDIT_LEN + 1][MAX_EDIT_LEN + 1];
	for (size_t i = 0; i <= la; i++) {
		d[i][0] = i;
	}
	for (size_t j = 0; j <= lb; j++) {
		d[0][j] = j;
	}
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = d[i - 1][j - 1] + cost;
			if (d[i - 1][j] + 1 < best) {
				best = d[i - 1][j] + 1;
			}
			if (d[i][j - 1] + 1 < best) {
				best = d[i][j - 1] + 1;
			}
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best) {
				best = d[i - 2][j - 2] + 1;
			}
			d[i][j] = best;
		}
	}
	return d[la][lb];
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

int hex_digit_value(int c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

char *str_copy_capped(const char *s, size_t max)
{
	static const char ellipsis[] = "\xE2\x80\xA6";
	size_t len = strlen(s);
	if (len <= max) {
		return xstrdup(s);
	}
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80) {
		max--;
	}
	char *out = xmalloc(max + sizeof(ellipsis));
	memcpy(out, s, max);
	memcpy(out + max, ellipsis, sizeof(ellipsis));
	return out;
}
