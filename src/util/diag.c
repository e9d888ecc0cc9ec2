#include "util/diag.h"

#include "util/xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void diag_list_init(struct diag_list *list)
{
	*list = (struct diag_list){0};
}

static void diag_finish(struct diag *d)
{
	free(d->file);
	free(d->pointer);
	free(d->message);
}

void diag_list_finish(struct diag_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		diag_finish(&list->items[i]);
	}
	free(list->items);
	diag_list_init(list);
}

static struct diag *append(struct diag_list *list)
{
	if (list->count == list->capacity) {
		list->capacity = list->capacity ? list->capacity * 2 : 8;
		list->items = xrealloc(list->items, list->capacity * sizeof(*list->items));
	}
	return &list->items[list->count++];
}

void diag_list_take(struct diag_list *to, struct diag_list *from)
{
	for (size_t i = 0; i < from->count; i++) {
		*append(to) = from->items[i];
	}
	free(from->items);
	diag_list_init(from);
}

void diag_add(struct diag_list *list, enum diag_severity severity, const char *file, int line,
	      int column, const char *pointer, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *message = xvasprintf(fmt, ap);
	va_end(ap);
	*append(list) = (struct diag){
		.severity = severity,
		.file = file ? xstrdup(file) : NULL,
		.line = line,
		.column = column,
		.pointer = pointer ? xstrdup(pointer) : NULL,
		.message = message,
	};
}

size_t diag_count(const struct diag_list *list, enum diag_severity severity)
{
	size_t n = 0;
	for (size_t i = 0; i < list->count; i++) {
		n += list->items[i].severity == severity;
	}
	return n;
}

static char *format(const struct diag *d, bool labelled)
{
	char place[64] = "";
	if (d->line > 0 && d->column > 0) {
		snprintf(place, sizeof(place), ":%d:%d", d->line, d->column);
	} else if (d->line > 0) {
		snprintf(place, sizeof(place), ":%d", d->line);
	}
	const char *severity = !labelled ? ""
			       : d->severity == DIAG_ERROR ? "error: " : "warning: ";
	if (!d->file) {
		return xasprintf("%s%s", severity, d->message);
	}
	const char *file = d->file;
	if (d->pointer) {
		/* Semantic: the JSON path leads; only warnings are labelled, as errors are the norm. */
		return xasprintf("%s%s: %s: %s%s", file, place, d->pointer[0] ? d->pointer : "/",
				 d->severity == DIAG_WARNING ? severity : "", d->message);
	}
	return xasprintf("%s%s: %s%s", file, place, severity, d->message);
}

char *diag_format(const struct diag *d)
{
	return format(d, true);
}

char *diag_format_bare(const struct diag *d)
{
	return format(d, false);
}
