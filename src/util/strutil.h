#ifndef CITYWALL_UTIL_STRUTIL_H
#define CITYWALL_UTIL_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Edit distance between a and b (insert, delete, substitute), capped at 64 characters each. */
size_t str_edit_distance(const char *a, const char *b);

/*
 * The candidate closest to `word` when it is close enough to be a likely typo ("titel" →
 * "title"), else NULL. `candidates` is a NULL-terminated array or a stride walk: candidate i is
 * *(const char **)((const char *)candidates + i * stride) for i < count.
 */
const char *str_closest(const char *word, const void *candidates, size_t stride, size_t count);

bool str_starts_with(const char *s, const char *prefix);

/*
 * A copy of `s` (the caller owns it) of at most `max` bytes, cut at a UTF-8 character boundary
 * and ended with "…" when it was longer: bounds what a widget keeps of a feed's text.
 */
char *str_copy_capped(const char *s, size_t max);

/* The value of hexadecimal digit c (0-9, a-f, A-F), or -1. */
int hex_digit_value(int c);

#endif
