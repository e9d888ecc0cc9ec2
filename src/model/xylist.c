/*
 * XYLIST parsing (see xylist.h). Each piece is copied into a small buffer so that strtod
 * never runs past the piece, and checked character by character first: strtod would also
 * take "nan", "inf", hex floats and leading blanks of other kinds, none of which a
 * coordinate is.
 */

#include "model/xylist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool number_char(char c)
{
	return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
}

/* One decimal number filling buf exactly (blanks around it allowed), finite. */
static bool read_number(const char *buf, double *out)
{
	while (*buf == ' ') {
		buf++;
	}
	if (!*buf) {
		return false;
	}
	char *end;
	*out = strtod(buf, &end);
	while (*end == ' ') {
		end++;
	}
	return end != buf && *end == '\0' && isfinite(*out);
}

/* "lon_lat" (piece[0..len), len < XYLIST_MAX_PAIR) → a point. */
static bool read_pair(const char *piece, size_t len, struct xylist_point *p)
{
	char buf[XYLIST_MAX_PAIR];
	size_t split = len;
	for (size_t i = 0; i < len; i++) {
		char c = piece[i];
		if (c == '_' && split == len) {
			split = i;
		} else if (!number_char(c) && c != ' ') {
			return false;
		}
	}
	if (split == len) {
		return false;
	}
	memcpy(buf, piece, split);
	buf[split] = '\0';
	if (!read_number(buf, &p->lon)) {
		return false;
	}
	memcpy(buf, piece + split + 1, len - split - 1);
	buf[len - split - 1] = '\0';
	return read_number(buf, &p->lat);
}

static bool inside(const struct xylist_bounds *b, const struct xylist_point *p)
{
	return !b || (p->lon >= b->min_lon && p->lon <= b->max_lon && p->lat >= b->min_lat &&
		      p->lat <= b->max_lat);
}

static bool blank(const char *piece, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (piece[i] != ' ') {
			return false;
		}
	}
	return true;
}

size_t xylist_parse(const char *text, size_t len, const struct xylist_bounds *bounds,
		    struct xylist_point *out, size_t max, struct xylist_tally *tally)
{
	if (max > XYLIST_MAX_POINTS) {
		max = XYLIST_MAX_POINTS;
	}
	if (len > XYLIST_MAX_BYTES) {
		len = XYLIST_MAX_BYTES;
		tally->cut++;
	}
	size_t n = 0;
	for (size_t start = 0; start <= len && text;) {
		const char *bar = memchr(text + start, '|', len - start);
		size_t end = bar ? (size_t)(bar - text) : len;
		const char *piece = text + start;
		size_t piece_len = end - start;
		start = end + 1;
		if (blank(piece, piece_len)) {
			continue;
		}
		struct xylist_point p;
		if (n == max) {
			tally->cut++;
		} else if (piece_len >= XYLIST_MAX_PAIR || !read_pair(piece, piece_len, &p)) {
			tally->bad++;
		} else if (!inside(bounds, &p)) {
			tally->outside++;
		} else {
			out[n++] = p;
		}
	}
	tally->kept += n;
	return n;
}
