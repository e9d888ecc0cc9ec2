/*
 * Shared by the tests of text sources (CSV, XML): parse a document as a source would and look
 * at what came out. Include after check.h.
 */
#ifndef CITYWALL_TESTS_SOURCE_CHECKS_H
#define CITYWALL_TESTS_SOURCE_CHECKS_H

#include "feed/snapshot_parse.h"
#include "model/path.h"
#include "util/diag.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static char last_error[512]; // the first message of the last parse_as(); "" when none

/* Parses `len` bytes of `text` as source `c` would (named `origin` in messages). */
static struct snapshot *parse_as(const char *text, size_t len, const struct source_config *c,
				 const char *origin)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct snapshot *snap = snapshot_parse_source(text, len, origin, c, 0, &diags);
	last_error[0] = '\0';
	if (diags.count) {
		char *line = diag_format(&diags.items[0]);
		snprintf(last_error, sizeof(last_error), "%s", line);
		free(line);
	}
	CHECK(snap != NULL || diags.count > 0);
	diag_list_finish(&diags);
	return snap;
}

static const struct value *at(const struct snapshot *snap, const char *path)
{
	return snap ? path_lookup(snap->root, path) : NULL;
}

#define CHECK_TEXT(snap, path, expected)                                                  \
	do {                                                                              \
		const struct value *v_ = at(snap, path);                                  \
		CHECK(v_ && v_->kind == VALUE_STRING);                                    \
		CHECK_STR(v_ && v_->kind == VALUE_STRING ? v_->string.text : NULL, expected); \
	} while (0)

#define CHECK_NUMBER(snap, path, expected)                                                \
	do {                                                                              \
		const struct value *v_ = at(snap, path);                                  \
		CHECK(v_ && v_->kind == VALUE_NUMBER);                                    \
		CHECK_NEAR(v_ && v_->kind == VALUE_NUMBER ? v_->number : NAN, expected, 0); \
	} while (0)

#endif
