#ifndef CITYWALL_UTIL_TZIF_H
#define CITYWALL_UTIL_TZIF_H

/*
 * Time zones read from TZif files (RFC 8536, /usr/share/zoneinfo/ZONE) into an immutable table,
 * so that converting a time never touches the process environment (TZ) or the C library's
 * global time-zone state. Internal to util/timefmt.c; public for its tests.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct tz_zone;

/*
 * Reads and validates the TZif file at `path` (version 1, or the 64-bit data and the footer TZ
 * string of version 2 and later). Returns a zone the caller owns (tz_zone_destroy), or NULL
 * with a message in err for a missing, short, inconsistent or otherwise malformed file.
 */
struct tz_zone *tz_zone_load(const char *path, char *err, size_t err_size);

/* The same for a TZif image in memory; `what` names it in messages. */
struct tz_zone *tz_zone_parse(const unsigned char *data, size_t size, const char *what, char *err,
			      size_t err_size);

/*
 * A zone from a POSIX TZ string such as "KST-9" or "EST5EDT,M3.2.0,M11.1.0" alone (the form of
 * a TZif footer). Returns NULL when the string is not one of the forms understood.
 */
struct tz_zone *tz_zone_from_posix(const char *text);

/* Breaks `t` down in the zone (tm_isdst and tm_gmtoff set). Safe from any thread. */
void tz_zone_local(const struct tz_zone *zone, int64_t t, struct tm *out);

/* Frees the zone; NULL is a no-op. */
void tz_zone_destroy(struct tz_zone *zone);

#endif
