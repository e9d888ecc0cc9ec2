#ifndef CITYWALL_UTIL_XMALLOC_H
#define CITYWALL_UTIL_XMALLOC_H

/*
 * One out-of-memory policy for the whole program: an allocation that fails aborts with a
 * message. A wall that cannot allocate a few bytes cannot draw either, and checking every
 * small allocation would hide the real error handling (bad input) in noise.
 */

#include <stddef.h>
#include <stdarg.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a newly allocated formatted string; the caller owns it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
