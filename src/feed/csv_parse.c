#include "feed/csv_parse.h"

#include "feed/doc_text.h"
#include "util/xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cell {
	const char *text; // arena, NUL-terminated
	size_t len;
};

struct reader {
	const char *text; // borrowed: the whole document
	size_t len, pos;
	int line;          // of pos, from 1
	size_t line_start; // offset of the first byte of that line
	const char *origin; // borrowed
	struct diag_list *diags; // borrowed
	struct arena *arena; // borrowed: where cell texts go
	char *field; // owned: the field being read (quotes undone)
	size_t field_len, field_cap;
	struct cell *cells; // owned: every cell read so far, row after row
	size_t count, cap;
};

enum record { RECORD_READ, RECORD_NONE, RECORD_ERROR };

static int column_of(const struct reader *r, size_t offset)
{
	int column = 1;
	for (size_t i = r->line_start; i < offset && i < r->len; i++) {
		column += ((unsigned char)r->text[i] & 0xC0) != 0x80;
	}
	return column;
}

static void fail(struct reader *r, int line, int column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void fail(struct reader *r, int line, int column, const char *fmt, ...)
{
	char message[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	diag_add(r->diags, DIAG_ERROR, r->origin, line, column, NULL, "%s", message);
}

static void append(struct reader *r, char c)
{
	if (r->field_len + 1 >= r->field_cap) {
		r->field_cap = r->field_cap ? r->field_cap * 2 : 256;
		r->field = xrealloc(r->field, r->field_cap);
	}
	r->field[r->field_len++] = c;
}

/* Consumes a line end at pos (LF, CRLF or a lone CR) if there is one. */
static bool take_line_end(struct reader *r)
{
	if (r->pos >= r->len || (r->text[r->pos] != '\n' && r->text[r->pos] != '\r')) {
		return false;
	}
	if (r->text[r->pos] == '\r' && r->pos + 1 < r->len && r->text[r->pos + 1] == '\n') {
		r->pos++;
	}
	r->pos++;
	r->line++;
	r->line_start = r->pos;
	return true;
}

static bool read_quoted(struct reader *r)
{
	int open_line = r->line, open_column = column_of(r, r->pos);
	r->pos++;
	for (;;) {
		if (r->pos >= r->len) {
			fail(r, open_line, open_column, "quoted field is never closed");
			return false;
		}
		char c = r->text[r->pos];
		if (c == '"') {
			if (r->pos + 1 < r->len && r->text[r->pos + 1] == '"') {
				append(r, '"');
				r->pos += 2;
				continue;
			}
			r->pos++;
			break;
		}
		append(r, c);
		r->pos++;
		if (c == '\n' || (c == '\r' && (r->pos >= r->len || r->text[r->pos] != '\n'))) {
			r->line++;
			r->line_start = r->pos;
		}
	}
	if (r->pos < r->len && !strchr(",\r\n", r->text[r->pos])) {
		fail(r, r->line, column_of(r, r->pos),
		     "expected ',' or a line end after the closing quote");
		return false;
	}
	return true;
}

static bool read_plain(struct reader *r)
{
	size_t end = r->pos;
	while (end < r->len) {
		char c = r->text[end];
		if (c == ',' || c == '\n' || c == '\r') {
			break;
		}
		if (c == '"') {
			fail(r, r->line, column_of(r, end),
			     "'\"' inside an unquoted field: quote the whole field and double the "
			     "quote (\"a \"\"b\"\"\")");
			return false;
		}
		end++;
	}
	/* Most fields are plain: one copy instead of a byte at a time. */
	size_t n = end - r->pos;
	if (r->field_len + n + 1 > r->field_cap) {
		r->field_cap = (r->field_len + n + 1) * 2;
		r->field = xrealloc(r->field, r->field_cap);
	}
	memcpy(r->field + r->field_len, r->text + r->pos, n);
	r->field_len += n;
	r->pos = end;
	return true;
}

static void add_cell(struct reader *r)
{
	if (r->count == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->cells = xrealloc(r->cells, r->cap * sizeof(*r->cells));
	}
	r->cells[r->count++] = (struct cell){
		.text = arena_strndup(r->arena, r->field ? r->field : "", r->field_len),
		.len = r->field_len,
	};
}

/*
 * Reads one record onto r->cells; *fields says how many fields it has, of which the first
 * `max` (the header's count for rows) are kept. *line is the line the record starts on.
 */
static enum record read_record(struct reader *r, size_t max, size_t *fields, int *line)
{
	while (take_line_end(r)) {
		/* blank line */
	}
	if (r->pos >= r->len) {
		return RECORD_NONE;
	}
	*line = r->line;
	*fields = 0;
	for (;;) {
		r->field_len = 0;
		bool ok = r->pos < r->len && r->text[r->pos] == '"' ? read_quoted(r) : read_plain(r);
		if (!ok) {
			return RECORD_ERROR;
		}
		/* Fields past `max` are counted, not kept: the caller names the problem. */
		if (++*fields <= max) {
			if (r->count >= CSV_MAX_CELLS) {
				fail(r, r->line, 0, "more than %u cells (rows x columns)",
				     CSV_MAX_CELLS);
				return RECORD_ERROR;
			}
			add_cell(r);
		}
		if (r->pos < r->len && r->text[r->pos] == ',') {
			r->pos++;
			continue;
		}
		take_line_end(r);
		return RECORD_READ;
	}
}

/* Column names from the header cells: "colN" for empty ones; NULL after an error. */
static const char **column_names(struct reader *r, size_t columns, int line)
{
	const char **names = arena_alloc(r->arena, columns * sizeof(*names));
	for (size_t c = 0; c < columns; c++) {
		char generated[32];
		names[c] = r->cells[c].text;
		if (r->cells[c].len == 0) {
			snprintf(generated, sizeof(generated), "col%zu", c + 1);
			names[c] = arena_strndup(r->arena, generated, strlen(generated));
		}
		for (size_t k = 0; k < c; k++) {
			if (strcmp(names[k], names[c]) == 0) {
				fail(r, line, 0, "column %zu repeats the name \"%s\" of column %zu", c + 1,
				     names[c], k + 1);
				return NULL;
			}
		}
	}
	return names;
}

static bool column_numeric(const struct reader *r, size_t column, size_t columns)
{
	for (size_t i = columns + column; i < r->count; i += columns) {
		if (r->cells[i].len > 0 &&
		    !doc_text_plain_number(r->cells[i].text, r->cells[i].len, NULL)) {
			return false;
		}
	}
	return true;
}

static void cell_value(const struct cell *cell, bool numeric, struct value *v)
{
	if (cell->len == 0) {
		v->kind = VALUE_NULL;
	} else if (numeric && doc_text_plain_number(cell->text, cell->len, &v->number)) {
		v->kind = VALUE_NUMBER;
	} else {
		v->kind = VALUE_STRING;
		v->string.text = cell->text;
		v->string.length = cell->len;
	}
}

static const struct value *build_tree(struct reader *r, const char **names, size_t columns)
{
	bool *numeric = xcalloc(columns, sizeof(*numeric));
	for (size_t c = 0; c < columns; c++) {
		numeric[c] = column_numeric(r, c, columns);
	}
	size_t rows = r->count / columns - 1;
	const struct value **items = arena_alloc(r->arena, (rows ? rows : 1) * sizeof(*items));
	for (size_t i = 0; i < rows; i++) {
		const struct cell *cells = &r->cells[(i + 1) * columns];
		struct value *values = arena_alloc(r->arena, columns * sizeof(*values));
		struct member *members = arena_alloc(r->arena, columns * sizeof(*members));
		memset(values, 0, columns * sizeof(*values));
		for (size_t c = 0; c < columns; c++) {
			cell_value(&cells[c], numeric[c], &values[c]);
			members[c] = (struct member){.key = names[c], .value = &values[c]};
		}
		struct value *row = arena_alloc(r->arena, sizeof(*row));
		*row = (struct value){.kind = VALUE_OBJECT,
				      .object = {.members = members, .count = columns}};
		items[i] = row;
	}
	free(numeric);
	struct value *array = arena_alloc(r->arena, sizeof(*array));
	*array = (struct value){.kind = VALUE_ARRAY, .array = {.items = items, .count = rows}};
	struct member *member = arena_alloc(r->arena, sizeof(*member));
	*member = (struct member){.key = "rows", .value = array};
	struct value *root = arena_alloc(r->arena, sizeof(*root));
	*root = (struct value){.kind = VALUE_OBJECT, .object = {.members = member, .count = 1}};
	return root;
}

static const struct value *parse(struct reader *r)
{
	size_t columns, fields;
	int line;
	enum record got = read_record(r, CSV_MAX_COLUMNS, &columns, &line);
	if (got == RECORD_NONE) {
		fail(r, 1, 0, "empty CSV document: the first line must name the columns");
	} else if (got == RECORD_READ && columns > CSV_MAX_COLUMNS) {
		fail(r, line, 0, "more than %u columns", CSV_MAX_COLUMNS);
	}
	if (got != RECORD_READ || columns > CSV_MAX_COLUMNS) {
		return NULL;
	}
	const char **names = column_names(r, columns, line);
	size_t rows = 0;
	while (names && (got = read_record(r, columns, &fields, &line)) == RECORD_READ) {
		if (fields != columns) {
			fail(r, line, 0, "this row has %zu field%s, the header has %zu", fields,
			     fields == 1 ? "" : "s", columns);
			return NULL;
		}
		if (++rows > CSV_MAX_ROWS) {
			fail(r, line, 0, "more than %u rows", CSV_MAX_ROWS);
			return NULL;
		}
	}
	return names && got == RECORD_NONE ? build_tree(r, names, columns) : NULL;
}

const struct value *csv_parse(struct arena *arena, const char *text, size_t len,
			      const char *origin, struct diag_list *diags)
{
	struct reader r = {
		.text = text,
		.len = len,
		.line = 1,
		.origin = origin,
		.diags = diags,
		.arena = arena,
	};
	const struct value *root = parse(&r);
	free(r.field);
	free(r.cells);
	return root;
}
