#ifndef CITYWALL_UTIL_DATATIME_H
#define CITYWALL_UTIL_DATATIME_H

/*
 * A document's own time, in the forms the city writes it. Seoul's APIs send local times
 * without a zone and in compact forms ("202105111500" for 2021-05-11 15:00 KST), sometimes as
 * JSON numbers; a layout may name a format for anything else. Parsing is by hand and
 * locale-free: the same text gives the same time on every machine.
 *
 * Formats are a strptime-like subset: %Y (4 digits), %m %d %H %M %S (2 digits each), %z (Z or
 * +hh[:mm] / -hh[:mm]), %% (a '%'), and any other character matching itself. Fields a format
 * leaves out are the start of their period (month and day 1, time 00:00:00). A format must
 * name %Y.
 */

#include <stdbool.h>
#include <stddef.h>

/*
 * Whether `format` is one datatime_parse understands. On false, err says which directive is
 * wrong ("unknown directive %q at offset 4", "needs %Y").
 */
bool datatime_format_check(const char *format, char *err, size_t err_size);

/*
 * Parses `text`. With a format (not NULL) the whole text must match it. Without one the
 * built-in forms are tried: RFC 3339 and "YYYY-MM-DD HH:MM[:SS]" (time_parse_iso8601), and
 * the compact "YYYYMMDDHHMM", "YYYYMMDDHHMMSS" and "YYYYMMDD". Text without a zone is local
 * time in the IANA zone `zone` (NULL or "": UTC). Returns false when the text is not such a
 * time (or names an impossible date, such as 31 February).
 */
bool datatime_parse_text(const char *text, const char *format, const char *zone, double *out);

/*
 * A time sent as a JSON number. With a format, or when its digits form a valid compact date
 * (8, 12 or 14 digits: 20210511, 202105111500, 20210511150000), the number's decimal digits
 * are parsed as text; otherwise it is epoch seconds, or milliseconds above 1e11 (seconds past
 * the year 5138). Returns false for non-integral compact numbers and non-finite values.
 */
bool datatime_parse_number(double number, const char *format, const char *zone, double *out);

/* Whether `zone` names a zone citywall can read (NULL, "" and "UTC" always can). */
bool datatime_zone_known(const char *zone);

#endif
