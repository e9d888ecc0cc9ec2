#ifndef CITYWALL_RENDER_FORMAT_H
#define CITYWALL_RENDER_FORMAT_H

/*
 * Numbers as the wall shows them. Pure functions into caller buffers: no locale, so the
 * picture does not depend on the machine's settings.
 */

#include <stdbool.h>
#include <stddef.h>

#define FORMAT_AUTO_DECIMALS (-1)

/*
 * Formats `value` with `decimals` digits after the point (FORMAT_AUTO_DECIMALS: none for whole
 * numbers, else one) and, when `thousands`, a comma every three digits: 1234567.891 with 1 →
 * "1,234,567.9". Non-finite values give "—". Negative zero prints as "0".
 */
void format_number(double value, int decimals, bool thousands, char *buf, size_t size);

/*
 * A change against a previous value: "▲ 3.2", "▼ 1,200", or "0" when equal after rounding
 * (decimals as for format_number). Returns the sign of the rounded delta (-1, 0, 1).
 */
int format_delta(double delta, int decimals, bool thousands, char *buf, size_t size);

/*
 * "14:02 기준" ("as of 14:02") for data produced at `data_time`, in time zone `zone`, seen at
 * `now`; older than a day it carries the date: "11/24 14:02 기준". NAN gives "—".
 */
void format_as_of(double data_time, const char *zone, double now, char *buf, size_t size);

#endif
