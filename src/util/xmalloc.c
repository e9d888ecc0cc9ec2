#include "util/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *check(void *ptr, size_t size)
{
	if (ptr == NULL && size != 0) {
		fprintf(stderr, "citywall: out of memory (%zu bytes)\n", size);
		abort();
	}
	return ptr;
}

void *xmalloc(size_t size)
{
	return check(malloc(size ? size : 1), size);
}

void *xcalloc(size_t count, size_t size)
{
	return check(calloc(count ? count : 1, size ? size : 1), count * size);
}

void *xrealloc(void *ptr, size_t size)
{
	return check(realloc(ptr, size ? size : 1), size);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *copy = xmalloc(n + 1);
	memcpy(copy, s, n);
	copy[n] = '\0';
	return copy;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	/* Most messages are short: one pass into a stack buffer, a second only when it overflows. */
	char small[256];
	va_list again;
	va_copy(again, ap);
	int len = vsnprintf(small, sizeof(small), fmt, ap);
	if (len < 0) {
		va_end(again);
		return xstrdup("");
	}
	if ((size_t)len < sizeof(small)) {
		va_end(again);
		return xstrndup(small, (size_t)len);
	}
	char *out = xmalloc((size_t)len + 1);
	vsnprintf(out, (size_t)len + 1, fmt, again);
	va_end(again);
	return out;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *out = xvasprintf(fmt, ap);
	va_end(ap);
	return out;
}
