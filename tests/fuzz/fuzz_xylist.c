/*
 * libFuzzer target for model/xylist.c: the input is one XYLIST text (not NUL-terminated, as
 * xylist_parse takes it), parsed with Seoul's bounds, without bounds, and into a small
 * buffer.
 *
 * Contracts checked besides the sanitizers: no more points than asked for, every point
 * finite and inside the bounds when bounds are given, and every non-empty piece accounted
 * for exactly once (kept, bad, outside or cut), plus one "cut" when the text was too long.
 */

#include "model/xylist.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void contract_failed(const char *what)
{
	fprintf(stderr, "fuzz_xylist: contract broken: %s\n", what);
	abort();
}

/* Pieces between '|' that hold something other than blanks, within the read length. */
static size_t pieces(const char *text, size_t len)
{
	size_t n = 0;
	bool filled = false;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || text[i] == '|') {
			n += filled;
			filled = false;
		} else if (text[i] != ' ') {
			filled = true;
		}
	}
	return n;
}

static void run(const char *text, size_t size, const struct xylist_bounds *b, size_t max)
{
	static struct xylist_point out[XYLIST_MAX_POINTS];
	struct xylist_tally t = {0};
	size_t n = xylist_parse(text, size, b, out, max, &t);
	size_t limit = max < XYLIST_MAX_POINTS ? max : XYLIST_MAX_POINTS;
	if (n > limit || t.kept != n) {
		contract_failed("more points than asked for, or a wrong kept count");
	}
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(out[i].lon) || !isfinite(out[i].lat)) {
			contract_failed("a point that is not finite");
		}
		if (b && (out[i].lon < b->min_lon || out[i].lon > b->max_lon ||
			  out[i].lat < b->min_lat || out[i].lat > b->max_lat)) {
			contract_failed("a point outside the bounds");
		}
	}
	size_t read = size > XYLIST_MAX_BYTES ? XYLIST_MAX_BYTES : size;
	size_t want = pieces(text, read) + (size > XYLIST_MAX_BYTES);
	if (t.kept + t.bad + t.outside + t.cut != want) {
		contract_failed("pieces not accounted for exactly once");
	}
}

/*
 * Inputs are cut to this many bytes: the parse is one loop over the pieces, so a longer text
 * only repeats it, at a tenth of the executions a second; the byte limit itself
 * (XYLIST_MAX_BYTES) is held by tests/test_xylist.c.
 */
#define FUZZ_MAX_BYTES 2048

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_MAX_BYTES) {
		size = FUZZ_MAX_BYTES;
	}
	/* A copy of exactly `size` bytes: ASan catches any read past the end. */
	char *text = malloc(size ? size : 1);
	memcpy(text, data, size);
	static const struct xylist_bounds seoul = {126.7, 37.4, 127.3, 37.75};
	run(text, size, &seoul, XYLIST_MAX_POINTS);
	run(text, size, NULL, XYLIST_MAX_POINTS);
	run(text, size, &seoul, 3);
	free(text);
	return 0;
}
