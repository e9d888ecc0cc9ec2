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
 * "1,234,567.9". Non-finite values and magnitudes past 10^18 (a million 조: no real figure, and
 * longer than a tile's buffer) give "—", the text of no data; so do the other formats.
 * Negative zero prints as "0".
 */
void format_number(double value, int decimals, bool thousands, char *buf, size_t size);

/*
 * A change against a previous value: "▲ 3.2", "▼ 1,200", or "0" when equal after rounding
 * (decimals as for format_number). Returns the sign of the rounded delta (-1, 0, 1).
 */
int format_delta(double delta, int decimals, bool thousands, char *buf, size_t size);

/*
 * When something happened, as a short label in `zone`: "14:02" on the day of `now`, "11/24 14:02"
 * on another day. Returns false when the zone is unknown (the label is then in UTC).
 */
bool format_time_of_day(double t, double now, const char *zone, char *buf, size_t size);

/*
 * "14:02 기준" ("as of 14:02") for data produced at `data_time`, in time zone `zone`, seen at
 * `now`; from another calendar day (in `zone`) it carries the date: "2021-05-11 15:00 기준".
 * NAN, or a time more than 100 years from `now`, gives "—".
 */
void format_as_of(double data_time, const char *zone, double now, char *buf, size_t size);

/* How old data is: "45초 전" under a minute, else "12분 전" (whole minutes); "—" if absurd. */
void format_age(double age, char *buf, size_t size);

/*
 * Value formats as layouts name them ("format": "korean", ...): how one number becomes the text
 * a tile shows. docs/widgets/kpi-formats.md is the designer's reference.
 */
enum value_format {
	VALUE_FORMAT_NUMBER,         // 1,234,567.9
	VALUE_FORMAT_KOREAN,         // 380억 5,272만
	VALUE_FORMAT_KOREAN_COMPACT, // 380.5억
	VALUE_FORMAT_PERCENT,        // the value is already in percent: 88.9 → 88.9%
	VALUE_FORMAT_RATIO,          // the value is a ratio: 0.889 → 88.9%
	VALUE_FORMAT_DURATION,       // seconds: 300 → 5:00, 3725 → 1:02:05
	VALUE_FORMAT_RELATIVE,       // a time against now: 방금, 3분 전, 2시간 전, 어제, 11월 23일
};

/* The formats' names in enum order, NULL-terminated: the choices of a "format" option. */
extern const char *const format_names[];

/* The format called `name`; false (out unchanged) when there is none. */
bool format_from_name(const char *name, enum value_format *out);

struct format_style {
	enum value_format format;
	int decimals;     // FORMAT_AUTO_DECIMALS or 0..9: number, percent, ratio, korean_compact,
			  // and korean below 10,000; duration and relative have none
	bool thousands;   // commas every three digits, in every format that prints digits
	const char *zone; // borrowed: relative's zone for "어제" and dates; NULL or "": UTC
};

/*
 * Korean large-number units, two of them, the lower one rounded: 38,052,716,845 →
 * "380억 5,272만", 12,345 → "1만 2,345", 100,000,000 → "1억". Below 10,000 as format_number.
 */
void format_korean(double value, int decimals, bool thousands, char *buf, size_t size);

/*
 * The largest Korean unit with a fraction: 38,052,716,845 → "380.5억", 12,345 → "1.2만".
 * FORMAT_AUTO_DECIMALS: one digit, dropped when it is 0 ("1만"). Below 10,000 as format_number.
 */
void format_korean_compact(double value, int decimals, bool thousands, char *buf, size_t size);

/* A percentage already in percent: 88.9 → "88.9%" (decimals as for format_number). */
void format_percent(double percent, int decimals, bool thousands, char *buf, size_t size);

/*
 * Seconds as "m:ss" under an hour, else "h:mm:ss": 300 → "5:00", 3725 → "1:02:05". Not finite
 * or longer than 100 years: "—".
 */
void format_duration(double seconds, char *buf, size_t size);

/*
 * `then` (epoch s) seen at `now`: under a minute either way "방금", then "3분 전" / "3분 후",
 * "2시간 전" / "2시간 후" under a day, then by calendar day in `zone`: "어제" / "내일", the date
 * this year "11월 23일", else "2025년 11월 23일". Counts round down. NAN, infinities and times more
 * than 100 years from `now` give "—".
 */
void format_relative(double then, double now, const char *zone, char *buf, size_t size);

/*
 * When format_relative(then, ...) next changes its text after `now` (always > now); INFINITY
 * when it shows "—".
 */
double format_relative_next_change(double then, double now, const char *zone);

/*
 * A time as feeds send it: RFC 3339 / ISO 8601 ("2026-11-25T09:00:00+09:00", "2026-08-11
 * 17:30") or Seoul's compact forms ("202105111500", "20260811174000", "20260811 1740");
 * text without a zone is Seoul time. False when it is none of these.
 */
bool format_parse_time(const char *text, double *out_epoch);

/* `value` in `style`; `now` is used by relative only (then `value` is the epoch time). */
void format_value(const struct format_style *style, double value, double now, char *buf,
		  size_t size);

/*
 * A change in `style`: "▲ 1.2만", "▼ 0:30", "▲ 1.5%p" (percent and ratio changes are
 * percentage points). Returns the sign as format_delta. Relative has no change: "" and 0. A
 * change the format shows as "—" is "—" and 0 (no arrow).
 */
int format_value_delta(const struct format_style *style, double delta, char *buf, size_t size);

#endif
