#ifndef CITYWALL_MODEL_XYLIST_H
#define CITYWALL_MODEL_XYLIST_H

/*
 * XYLIST: the polyline of a road link in Seoul's real-time city data (citydata
 * ROAD_TRAFFIC_STTS, "XYLIST": "126.97938_37.57014|126.97989_37.57015"), WGS84 lon_lat pairs
 * joined by '|'. The text comes from a feed, so anything may arrive: a pair that is not two
 * finite numbers, or lies outside the given bounds, is skipped and counted; empty pieces (a
 * trailing '|') are ignored; text and point counts are bounded.
 */

#include <stdbool.h>
#include <stddef.h>

/* A pair is at most this long ("126.9793805233784241_37.5701494116837509" is 41). */
#define XYLIST_MAX_PAIR 64
/* Points kept per link; the rest are counted as cut (a real link has a few dozen). */
#define XYLIST_MAX_POINTS 2000
/* Text read per link; the rest is counted as cut, once. */
#define XYLIST_MAX_BYTES (64 * 1024)

struct xylist_point {
	double lon, lat;
};

/* Pairs outside [min, max] on either axis are skipped as "outside". */
struct xylist_bounds {
	double min_lon, min_lat, max_lon, max_lat;
};

/* What one or more parses skipped; added to, never reset, by xylist_parse. */
struct xylist_tally {
	size_t kept;    // points written
	size_t bad;     // pieces that are not "number_number" with finite numbers
	size_t outside; // good pairs outside the bounds
	size_t cut;     // pieces past XYLIST_MAX_POINTS, plus one when the text was too long
};

/*
 * Parses text[0..len) (no NUL needed) into out[0..max), max at most XYLIST_MAX_POINTS;
 * `bounds` NULL: no bounds. Returns the number of points written; the tally says what was
 * skipped. Never reads past len, never allocates.
 */
size_t xylist_parse(const char *text, size_t len, const struct xylist_bounds *bounds,
		    struct xylist_point *out, size_t max, struct xylist_tally *tally);

#endif
