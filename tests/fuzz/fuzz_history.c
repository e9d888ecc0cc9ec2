/*
 * libFuzzer target for the history record (model/history.c): the input is a history file as
 * the cache keeps it ("CWHISTORY 1\n", series and points), read under a limit chosen by the
 * input's size (a count or a window). When it is accepted, the history is serialised, read
 * again and serialised once more: the two texts must be the same (the round trip is exact).
 * Everything is freed, so LeakSanitizer catches leaks.
 *
 * Contracts checked besides the sanitizers: NULL comes with a reason; an accepted history
 * keeps its bounds (series and points per series), every series' times ascend strictly and
 * every point is finite; the serialised form reads back.
 */

#include "model/history.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct history_limit limits[] = {
	{.count = 2}, {.count = 10}, {.count = HISTORY_MAX_POINTS}, {.window = 60},
	{.window = 86400}, {.window = HISTORY_MAX_WINDOW},
};

static void contract_failed(const char *what)
{
	fprintf(stderr, "fuzz_history: contract broken: %s\n", what);
	abort();
}

static void check_series(const struct history *h, const char *path)
{
	const struct history_series *s = history_find(h, path);
	if (!s) {
		contract_failed("a serialised series is not found by its path");
	}
	if (s->count > HISTORY_MAX_POINTS + 2) {
		contract_failed("a series holds more points than its bound");
	}
	for (size_t i = 0; i < s->count; i++) {
		if (!isfinite(s->points[i].t) || !isfinite(s->points[i].v)) {
			contract_failed("a point is not finite");
		}
		if (i > 0 && !(s->points[i - 1].t < s->points[i].t)) {
			contract_failed("times do not ascend strictly");
		}
	}
}

/* Walks the serialised text's "S <len> <path>" lines to find every series by its path. */
static void check_all_series(const struct history *h, const char *text, size_t len)
{
	size_t series = 0;
	const char *p = text;
	const char *end = text + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol) {
			break;
		}
		if (p[0] == 'S' && p[1] == ' ') {
			char *after = NULL;
			unsigned long n = strtoul(p + 2, &after, 10);
			if (!after || *after != ' ' || after + 1 + n > end) {
				contract_failed("a serialised series line is malformed");
			}
			char *path = strndup(after + 1, n);
			if (!path) {
				return;
			}
			check_series(h, path);
			free(path);
			series++;
			eol = memchr(after + 1 + n, '\n', (size_t)(end - (after + 1 + n)));
			if (!eol) {
				break;
			}
		}
		p = eol + 1;
	}
	if (series != history_series_count(h)) {
		contract_failed("the serialised text does not list every series");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 20) {
		return 0;
	}
	struct history_limit limit = limits[size % (sizeof(limits) / sizeof(limits[0]))];
	char err[256] = "";
	struct history *h = history_parse((const char *)data, size, limit, err, sizeof(err));
	if (!h) {
		if (err[0] == '\0') {
			contract_failed("refused without a reason");
		}
		return 0;
	}
	if (history_series_count(h) > HISTORY_MAX_SERIES) {
		contract_failed("more series than HISTORY_MAX_SERIES");
	}
	size_t len = 0;
	char *text = history_serialize(h, &len);
	check_all_series(h, text, len);
	struct history *again = history_parse(text, len, limit, err, sizeof(err));
	if (!again) {
		fprintf(stderr, "fuzz_history: %s\n", err);
		contract_failed("a serialised history does not read back");
	}
	size_t len2 = 0;
	char *text2 = history_serialize(again, &len2);
	if (len != len2 || memcmp(text, text2, len) != 0) {
		contract_failed("the round trip changed the history");
	}
	free(text2);
	free(text);
	history_destroy(again);
	history_destroy(h);
	return 0;
}
