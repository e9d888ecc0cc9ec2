#include "model/history.h"

#include "util/xmalloc.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "CWHISTORY 1\n"
#define PATH_MAX_BYTES 4096

struct history {
	struct history_limit limit;
	struct history_series *series; // owned, series_count of them
	size_t series_count;
	unsigned long revision;
};

struct history *history_create(struct history_limit limit)
{
	struct history *h = xcalloc(1, sizeof(*h));
	h->limit = limit;
	return h;
}

static void series_finish(struct history_series *s)
{
	free(s->path);
	free(s->points);
	*s = (struct history_series){0};
}

void history_destroy(struct history *history)
{
	if (!history) {
		return;
	}
	for (size_t i = 0; i < history->series_count; i++) {
		series_finish(&history->series[i]);
	}
	free(history->series);
	free(history);
}

/*
 * The bucket width of a window: three points fewer than the maximum, so that the buckets a
 * window touches (at most N - 2), the one point kept at or before its start and a newest point
 * sharing its bucket with the one before never exceed HISTORY_MAX_POINTS.
 */
static double bucket_width(double window)
{
	return window / (HISTORY_MAX_POINTS - 3);
}

static void drop_first(struct history_series *s)
{
	memmove(s->points, s->points + 1, (s->count - 1) * sizeof(*s->points));
	s->count--;
}

/* Appends p (newer than every point) and drops what the limit no longer keeps. */
static void series_append(struct history_series *s, struct history_limit limit,
			  struct history_point p)
{
	if (limit.count == 0 && s->count >= 2) {
		double width = bucket_width(limit.window);
		/* The newest point shared its bucket with the one before: only kept as the newest. */
		if (floor(s->points[s->count - 1].t / width) ==
		    floor(s->points[s->count - 2].t / width)) {
			s->count--;
		}
	}
	/* Room for one more than either limit keeps; the trim below brings it back. */
	size_t capacity = limit.count ? limit.count + 1 : HISTORY_MAX_POINTS + 1;
	if (!s->points) {
		s->points = xcalloc(capacity, sizeof(*s->points));
	}
	s->points[s->count++] = p;
	if (limit.count) {
		while (s->count > limit.count) {
			drop_first(s);
		}
		return;
	}
	/* One point at or before the window's start stays: "vs" the window's length needs it. */
	double start = p.t - limit.window;
	while (s->count >= 2 && s->points[1].t <= start) {
		drop_first(s);
	}
	while (s->count > HISTORY_MAX_POINTS) {
		drop_first(s); // unreachable by the arithmetic above; a guard for the bound
	}
}

static struct history_series *find(const struct history *h, const char *path)
{
	for (size_t i = 0; i < h->series_count; i++) {
		if (strcmp(h->series[i].path, path) == 0) {
			return &h->series[i];
		}
	}
	return NULL;
}

bool history_record(struct history *history, const char *path, double t, double v)
{
	if (!isfinite(t) || !isfinite(v)) {
		return false;
	}
	struct history_series *s = find(history, path);
	if (!s) {
		if (history->series_count >= HISTORY_MAX_SERIES) {
			return false;
		}
		history->series = xrealloc(history->series,
					   (history->series_count + 1) * sizeof(*history->series));
		s = &history->series[history->series_count++];
		*s = (struct history_series){.path = xstrdup(path)};
	}
	if (s->count && t <= s->points[s->count - 1].t) {
		return false; // not a new reading: the same data time again, or an older document
	}
	series_append(s, history->limit, (struct history_point){t, v});
	history->revision++;
	return true;
}

void history_set_limit(struct history *history, struct history_limit limit)
{
	struct history_limit old = history->limit;
	history->limit = limit;
	if (old.count == limit.count && old.window == limit.window) {
		return;
	}
	/* Replaying the points under the new limit keeps exactly what it would have kept. */
	for (size_t i = 0; i < history->series_count; i++) {
		struct history_series *s = &history->series[i];
		struct history_series next = {.path = s->path};
		for (size_t j = 0; j < s->count; j++) {
			series_append(&next, limit, s->points[j]);
		}
		free(s->points);
		*s = next;
	}
	history->revision++;
}

struct history_limit history_get_limit(const struct history *history)
{
	return history->limit;
}

const struct history_series *history_find(const struct history *history, const char *path)
{
	return history ? find(history, path) : NULL;
}

size_t history_series_count(const struct history *history)
{
	return history->series_count;
}

size_t history_point_count(const struct history *history)
{
	size_t n = 0;
	for (size_t i = 0; i < history->series_count; i++) {
		n += history->series[i].count;
	}
	return n;
}

unsigned long history_revision(const struct history *history)
{
	return history->revision;
}

/* Index of the first point later than t (binary search: points ascend). */
static size_t first_after(const struct history_series *s, double t)
{
	size_t lo = 0, hi = s->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->points[mid].t <= t) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

const struct history_point *history_at_or_before(const struct history_series *series, double t)
{
	if (!series || isnan(t)) {
		return NULL;
	}
	size_t i = first_after(series, t);
	return i > 0 ? &series->points[i - 1] : NULL;
}

const struct history_point *history_before(const struct history_series *series, double t)
{
	if (!series || isnan(t)) {
		return NULL;
	}
	size_t i = first_after(series, t);
	while (i > 0 && series->points[i - 1].t >= t) {
		i--;
	}
	return i > 0 ? &series->points[i - 1] : NULL;
}

/* ---- text form ---- */

struct buffer {
	char *data;
	size_t len, capacity;
};

static void append(struct buffer *b, const char *text, size_t len)
{
	if (b->len + len + 1 > b->capacity) {
		b->capacity = (b->len + len + 1) * 2;
		b->data = xrealloc(b->data, b->capacity);
	}
	memcpy(b->data + b->len, text, len);
	b->len += len;
	b->data[b->len] = '\0';
}

char *history_serialize(const struct history *history, size_t *len)
{
	struct buffer b = {0};
	append(&b, MAGIC, strlen(MAGIC));
	char line[96];
	for (size_t i = 0; i < history->series_count; i++) {
		const struct history_series *s = &history->series[i];
		int n = snprintf(line, sizeof(line), "S %zu ", strlen(s->path));
		append(&b, line, (size_t)n);
		append(&b, s->path, strlen(s->path));
		append(&b, "\n", 1);
		for (size_t j = 0; j < s->count; j++) {
			/* %.17g: a double read back is the same double. */
			n = snprintf(line, sizeof(line), "%.17g %.17g\n", s->points[j].t,
				     s->points[j].v);
			append(&b, line, (size_t)n);
		}
	}
	*len = b.len;
	return b.data;
}

struct reader {
	const char *p, *end; // the text, NUL-terminated at end
	int line;
	char *err;
	size_t err_size;
};

static bool fail(struct reader *r, const char *what)
{
	snprintf(r->err, r->err_size, "line %d: %s", r->line, what);
	return false;
}

/* A finite number followed by `stop`. */
static bool read_number(struct reader *r, char stop, double *out)
{
	char *after;
	errno = 0;
	*out = strtod(r->p, &after);
	if (after == r->p || *after != stop || errno == ERANGE || !isfinite(*out) ||
	    isspace((unsigned char)r->p[0])) {
		return fail(r, "expected a finite number");
	}
	r->p = after + 1;
	return true;
}

static bool read_series_head(struct reader *r, struct history *h, struct history_series **out)
{
	char *after;
	errno = 0;
	unsigned long long n = strtoull(r->p + 2, &after, 10);
	if (r->p[1] != ' ' || !(r->p[2] >= '0' && r->p[2] <= '9') || *after != ' ' ||
	    n == 0 || n > PATH_MAX_BYTES || (size_t)(r->end - after - 1) < n + 1 ||
	    after[1 + n] != '\n' || memchr(after + 1, '\0', n)) {
		return fail(r, "a series line must be \"S <bytes> <path>\"");
	}
	char *path = xstrndup(after + 1, n);
	if (find(h, path) || h->series_count >= HISTORY_MAX_SERIES) {
		free(path);
		return fail(r, "a repeated series, or too many");
	}
	h->series = xrealloc(h->series, (h->series_count + 1) * sizeof(*h->series));
	*out = &h->series[h->series_count++];
	**out = (struct history_series){.path = path};
	r->p = after + 1 + n + 1;
	return true;
}

static bool read_point(struct reader *r, struct history *h, struct history_series *s,
		       size_t *read)
{
	struct history_point p;
	if (!s) {
		return fail(r, "a point before any series");
	}
	if (!read_number(r, ' ', &p.t) || !read_number(r, '\n', &p.v)) {
		return false;
	}
	if (s->count && p.t <= s->points[s->count - 1].t) {
		return fail(r, "points out of time order");
	}
	if (++*read > HISTORY_MAX_POINTS) {
		return fail(r, "more points in a series than any limit keeps");
	}
	series_append(s, h->limit, p);
	return true;
}

static bool read_all(struct reader *r, struct history *h)
{
	size_t magic = strlen(MAGIC);
	if ((size_t)(r->end - r->p) < magic || memcmp(r->p, MAGIC, magic) != 0) {
		return fail(r, "not a citywall history (\"" "CWHISTORY 1" "\" expected)");
	}
	r->p += magic;
	r->line = 2;
	struct history_series *s = NULL;
	size_t read = 0;
	for (; r->p < r->end; r->line++) {
		bool ok;
		if (r->p[0] == 'S') {
			ok = read_series_head(r, h, &s);
			read = 0;
		} else {
			ok = read_point(r, h, s, &read);
		}
		if (!ok) {
			return false;
		}
	}
	return true;
}

struct history *history_parse(const char *text, size_t len, struct history_limit limit,
			      char *err, size_t err_size)
{
	/* A NUL-terminated copy: strtod must not read past the text. */
	char *copy = xmalloc(len + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	struct reader r = {.p = copy, .end = copy + len, .line = 1, .err = err,
			   .err_size = err_size};
	struct history *h = history_create(limit);
	bool ok = read_all(&r, h);
	free(copy);
	if (!ok) {
		history_destroy(h);
		return NULL;
	}
	return h;
}

bool history_parse_duration(const char *text, double *seconds)
{
	char *after;
	if (!text || !((text[0] >= '0' && text[0] <= '9') || text[0] == '.')) {
		return false;
	}
	errno = 0;
	double n = strtod(text, &after);
	if (after == text || errno == ERANGE || !isfinite(n) || n <= 0 || after[0] == '\0' ||
	    after[1] != '\0') {
		return false;
	}
	static const struct {
		char unit;
		double seconds;
	} units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (after[0] == units[i].unit) {
			*seconds = n * units[i].seconds;
			return true;
		}
	}
	return false;
}
