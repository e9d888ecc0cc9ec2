#ifndef CITYWALL_UTIL_DIAG_H
#define CITYWALL_UTIL_DIAG_H

/*
 * Diagnostics for designers and operators: every problem found in a layout or a feed document
 * becomes a value with a place, so that all of them can be reported at once, printed in the
 * compiler-like form editors understand, and shown on the operator overlay.
 *
 *   syntax:    layouts/demo.json:12:7: error: expected ',' or '}' after an object member
 *   semantic:  layouts/demo.json:14: /tiles/3/span: must fit in the 12x8 grid (...)
 *   warning:   layouts/demo.json:20: /tiles/5/title: warning: text does not fit its tile
 */

#include <stdbool.h>
#include <stddef.h>

enum diag_severity { DIAG_ERROR, DIAG_WARNING };

struct diag {
	enum diag_severity severity;
	char *file;    // owned; may be NULL
	int line;      // 0 when unknown
	int column;    // 0 when unknown or not meaningful (semantic errors)
	char *pointer; // owned; JSON pointer of the value concerned, NULL for syntax errors
	char *message; // owned
};

struct diag_list {
	struct diag *items; // owned
	size_t count, capacity;
};

void diag_list_init(struct diag_list *list);
void diag_list_finish(struct diag_list *list);
/* Moves every item of `from` to the end of `to`; `from` is left empty. */
void diag_list_take(struct diag_list *to, struct diag_list *from);

void diag_add(struct diag_list *list, enum diag_severity severity, const char *file, int line,
	      int column, const char *pointer, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

size_t diag_count(const struct diag_list *list, enum diag_severity severity);

/* The one-line text of a diagnostic, as printed; the caller owns it. */
char *diag_format(const struct diag *d);
/*
 * The same without the severity label ("file:2:21: expected ..."), for text that states the
 * severity itself — a log line says "citywall: error: " already. The caller owns it.
 */
char *diag_format_bare(const struct diag *d);

#endif
