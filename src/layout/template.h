#ifndef CITYWALL_LAYOUT_TEMPLATE_H
#define CITYWALL_LAYOUT_TEMPLATE_H

/*
 * Template parameters (private to layout/): "${name}" in a template's strings is replaced by
 * the tile's "with" value, in one pass, within a budget per layout. Layouts are edited all day
 * and may come from anywhere, so what a template can expand to is capped: a small file must not
 * be able to make gigabytes of tiles or minutes of work.
 */

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * Per layout: at most 8 MiB of text made by templates (each tile's copy of its template, keys
 * and strings after substitution, 8 bytes per other value) and 100,000 substitutions. A real
 * wall (62 districts x a dozen keys) makes a few hundred kilobytes.
 */
#define TEMPLATE_MAX_OUTPUT ((size_t)8 * 1024 * 1024)
#define TEMPLATE_MAX_SUBSTITUTIONS ((size_t)100000)

struct template_budget {
	size_t output;        // bytes of template-made text so far
	size_t substitutions; // "${name}" replaced so far
};

enum template_result {
	TEMPLATE_OK,
	TEMPLATE_TOO_LONG,  // the output cap would be passed
	TEMPLATE_TOO_MANY,  // the substitution cap would be passed
};

/* Called for each "${name}" whose name `with` does not give as a string or number. */
typedef void template_missing_fn(void *ctx, const char *name);

/*
 * Expands every "${name}" of `text` with `with`'s member `name` (a string, or a number written
 * with %g); a missing one is reported to `missing` (may be NULL) and expands to nothing. An
 * unclosed "${" is kept as it is. Time and memory are linear in the input and output. Charges
 * the growth and the substitutions to `budget`. On TEMPLATE_OK *out is the new string (the
 * caller frees it); otherwise *out is NULL and the budget is left as it was.
 */
enum template_result template_expand(const char *text, const cJSON *with,
				     struct template_budget *budget,
				     template_missing_fn *missing, void *ctx, char **out);

/* What a copy of `node` costs the output budget: its keys and strings, 8 bytes per value. */
size_t template_size(const cJSON *node);

#endif
