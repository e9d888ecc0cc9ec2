#include "model/path.h"

#include "util/xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum step_kind {
	STEP_KEY,    // an object member; a bare decimal is also an index on arrays
	STEP_INDEX,  // "[N]": an array element only
	STEP_ANY,    // "*" or "[*]": every member or element
	STEP_FILTER, // "[k=v,...]": the records that match
};

struct condition {
	char *key;    // owned
	char *text;   // owned: the value as written, quotes and escapes removed
	size_t text_len;
	bool numeric; // the text is a number, `number`
	double number;
};

struct step {
	enum step_kind kind;
	char *key;      // owned: STEP_KEY
	size_t key_len;
	bool may_index; // STEP_KEY written as a bare decimal
	size_t index;   // STEP_INDEX, or STEP_KEY when may_index
	struct condition *conds; // owned: STEP_FILTER
	size_t cond_count;
};

struct path {
	char *text;          // owned
	struct step *steps;  // owned
	size_t count;
};

/* ---- compiling ---- */

struct parser {
	const char *text; // borrowed: the whole path, for messages
	size_t pos;       // byte offset of the next character
	struct path *path;
	char *err;        // borrowed
	size_t err_size;
	bool failed;
};

/* 1-based position of byte `offset`, counted in UTF-8 characters as a designer sees them. */
static size_t char_position(const char *text, size_t offset)
{
	size_t n = 1;
	for (size_t i = 0; i < offset && text[i]; i++) {
		n += ((unsigned char)text[i] & 0xC0) != 0x80;
	}
	return n;
}

__attribute__((format(printf, 3, 4))) static void fail(struct parser *ps, size_t offset,
						       const char *fmt, ...)
{
	if (ps->failed) {
		return;
	}
	ps->failed = true;
	char what[192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->err_size, "%s at character %zu in \"%s\"", what,
		 char_position(ps->text, offset), ps->text);
}

static char peek(const struct parser *ps)
{
	return ps->text[ps->pos];
}

/*
 * Reads a word up to the first unquoted, unescaped character of `stops` (or the end) into a
 * new string. *literal is set when any part of it was quoted or escaped: such a word is never
 * the wildcard or an index.
 */
static char *read_word(struct parser *ps, const char *stops, size_t *len, bool *literal)
{
	const char *t = ps->text;
	char *out = xmalloc(strlen(t + ps->pos) + 1);
	size_t n = 0;
	*literal = false;
	while (t[ps->pos] && !strchr(stops, t[ps->pos])) {
		char c = t[ps->pos];
		if (c == '\\') {
			if (!t[ps->pos + 1]) {
				fail(ps, ps->pos, "nothing to escape after '\\'");
				break;
			}
			out[n++] = t[ps->pos + 1];
			ps->pos += 2;
			*literal = true;
		} else if (c == '"') {
			size_t open = ps->pos++;
			while (t[ps->pos] && t[ps->pos] != '"') {
				if (t[ps->pos] == '\\' && t[ps->pos + 1]) {
					ps->pos++;
				}
				out[n++] = t[ps->pos++];
			}
			if (!t[ps->pos]) {
				fail(ps, open, "unclosed '\"'");
				break;
			}
			ps->pos++;
			*literal = true;
		} else {
			out[n++] = c;
			ps->pos++;
		}
	}
	out[n] = '\0';
	*len = n;
	return out;
}

/* A decimal array index as paths always wrote them: no sign, no leading zero, 9 digits. */
static bool parse_index(const char *s, size_t len, size_t *out)
{
	if (len == 0 || len > 9 || (len > 1 && s[0] == '0')) {
		return false;
	}
	size_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return false;
		}
		v = v * 10 + (size_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

/* A new step, written at byte `at`; NULL (and the message) past PATH_MAX_STEPS. */
static struct step *add_step(struct parser *ps, enum step_kind kind, size_t at)
{
	struct path *p = ps->path;
	if (p->count == PATH_MAX_STEPS) {
		fail(ps, at, "more than %d steps", PATH_MAX_STEPS);
		return NULL;
	}
	p->steps = xrealloc(p->steps, (p->count + 1) * sizeof(*p->steps));
	struct step *s = &p->steps[p->count++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	return s;
}

static void add_condition(struct step *s, char *key, char *text, size_t text_len)
{
	s->conds = xrealloc(s->conds, (s->cond_count + 1) * sizeof(*s->conds));
	struct condition *c = &s->conds[s->cond_count++];
	c->key = key;
	c->text = text;
	c->text_len = text_len;
	/* The same reading of numbers as values get, so "63" and 63 agree both ways. */
	struct value as_value = {.kind = VALUE_STRING, .string = {text, text_len}};
	c->numeric = value_number(&as_value, &c->number);
}

/* "[N]" or "[*]" when the bracket holds just that; false (nothing consumed) otherwise. */
static bool index_bracket(struct parser *ps, size_t open)
{
	const char *t = ps->text + ps->pos;
	if (t[0] == '*' && t[1] == ']') {
		ps->pos += 2;
		add_step(ps, STEP_ANY, open);
		return true;
	}
	size_t digits = strspn(t, "0123456789");
	if (digits == 0 || t[digits] != ']') {
		return false;
	}
	size_t index;
	if (digits > 1 && t[0] == '0') {
		fail(ps, open + 1, "index with a leading zero");
	} else if (!parse_index(t, digits, &index)) {
		fail(ps, open + 1, "index longer than 9 digits");
	} else {
		struct step *s = add_step(ps, STEP_INDEX, open);
		if (s) {
			s->index = index;
		}
	}
	ps->pos += digits + 1;
	return true;
}

/* After a filter's key, at what should be its '='. */
static void expect_equals(struct parser *ps, const struct step *s, size_t open, size_t key_at,
			  bool empty_key)
{
	if (!peek(ps)) {
		fail(ps, open, "unclosed '['");
	} else if (peek(ps) == '[') {
		fail(ps, ps->pos, "unexpected '['");
	} else if (empty_key) {
		fail(ps, key_at, "empty key in filter");
	} else if (peek(ps) == '=') {
		return;
	} else if (s->cond_count == 0) {
		fail(ps, open, "expected an index, '*' or key=value in '[...]'");
	} else {
		fail(ps, ps->pos, "expected '=' after the key in filter");
	}
}

/* After a filter's value, at what should be ',' or ']'. */
static void expect_value_end(struct parser *ps, const struct step *s, size_t open,
			     size_t key_at)
{
	if (!peek(ps)) {
		fail(ps, open, "unclosed '['");
	} else if (peek(ps) == '=' || peek(ps) == '[') {
		fail(ps, ps->pos, "unexpected '%c' in filter value (quote it: \"...\")", peek(ps));
	} else if (s->cond_count == PATH_MAX_CONDITIONS) {
		fail(ps, key_at, "more than %d conditions in one filter", PATH_MAX_CONDITIONS);
	}
}

/* One "key=value" of a filter; false when the filter is broken (ps has the message). */
static bool parse_condition(struct parser *ps, struct step *s, size_t open)
{
	static const char stops[] = "=,[]";
	size_t key_at = ps->pos, key_len, text_len = 0;
	bool literal;
	char *key = read_word(ps, stops, &key_len, &literal);
	char *text = NULL;
	if (!ps->failed) {
		expect_equals(ps, s, open, key_at, key_len == 0 && !literal);
	}
	if (!ps->failed) {
		ps->pos++;
		text = read_word(ps, stops, &text_len, &literal);
	}
	if (!ps->failed) {
		expect_value_end(ps, s, open, key_at);
	}
	if (ps->failed) {
		free(key);
		free(text);
		return false;
	}
	add_condition(s, key, text, text_len);
	return true;
}

/* One "[...]" suffix starting at '['. */
static void parse_bracket(struct parser *ps)
{
	size_t open = ps->pos++;
	if (!peek(ps)) {
		fail(ps, open, "unclosed '['");
		return;
	}
	if (peek(ps) == ']') {
		fail(ps, open, "empty '[]'");
		return;
	}
	if (index_bracket(ps, open)) {
		return;
	}
	struct step *s = add_step(ps, STEP_FILTER, open);
	while (s && parse_condition(ps, s, open)) {
		if (peek(ps) == ']') {
			ps->pos++;
			return;
		}
		ps->pos++; // ','
	}
}

static void name_step(struct parser *ps, char *name, size_t len, bool literal, size_t at)
{
	if (!literal && strcmp(name, "*") == 0) {
		free(name);
		add_step(ps, STEP_ANY, at);
		return;
	}
	struct step *s = add_step(ps, STEP_KEY, at);
	if (!s) {
		free(name);
		return;
	}
	s->key = name;
	s->key_len = len;
	s->may_index = !literal && parse_index(name, len, &s->index);
}

/* One segment between slashes: an optional name, then any "[...]" suffixes. */
static void parse_segment(struct parser *ps)
{
	size_t at = ps->pos, len;
	bool literal;
	char *name = read_word(ps, "/[]", &len, &literal);
	if (ps->failed) {
		free(name);
		return;
	}
	bool has_name = len > 0 || literal;
	if (has_name) {
		name_step(ps, name, len, literal, at);
	} else {
		free(name);
	}
	size_t brackets = 0;
	while (!ps->failed && peek(ps) == '[') {
		parse_bracket(ps);
		brackets++;
	}
	if (ps->failed) {
		return;
	}
	if (peek(ps) == ']') {
		fail(ps, ps->pos, "unexpected ']'");
	} else if (peek(ps) && peek(ps) != '/') {
		fail(ps, ps->pos, "unexpected text after ']'");
	} else if (!has_name && brackets == 0) {
		/* Worded as before selectors existed: layouts and tests quote it. */
		ps->failed = true;
		snprintf(ps->err, ps->err_size, "empty segment in value path \"%s\"", ps->text);
	}
}

struct path *path_compile(const char *text, char *err, size_t err_size)
{
	char scratch[8];
	if (!err || err_size == 0) {
		err = scratch;
		err_size = sizeof(scratch);
	}
	err[0] = '\0';
	struct path *p = xcalloc(1, sizeof(*p));
	p->text = xstrdup(text ? text : "");
	struct parser ps = {.text = p->text, .path = p, .err = err, .err_size = err_size};
	if (peek(&ps) == '/') {
		ps.pos++;
	}
	while (!ps.failed && peek(&ps)) {
		parse_segment(&ps);
		if (!ps.failed && peek(&ps) == '/') {
			ps.pos++;
			if (!peek(&ps)) {
				parse_segment(&ps); // "a/": the empty last segment
			}
		}
	}
	if (ps.failed) {
		path_free(p);
		return NULL;
	}
	return p;
}

void path_free(struct path *path)
{
	if (!path) {
		return;
	}
	for (size_t i = 0; i < path->count; i++) {
		struct step *s = &path->steps[i];
		free(s->key);
		for (size_t c = 0; c < s->cond_count; c++) {
			free(s->conds[c].key);
			free(s->conds[c].text);
		}
		free(s->conds);
	}
	free(path->steps);
	free(path->text);
	free(path);
}

const char *path_text(const struct path *path)
{
	return path ? path->text : "";
}

/* ---- evaluating ---- */

struct eval {
	const struct value **out; // borrowed: caller's array of `max`
	size_t max;
	size_t count;
	size_t visits;
};

static bool condition_holds(const struct condition *c, const struct value *record)
{
	const struct value *v = value_member(record, c->key);
	double number;
	if (c->numeric && value_number(v, &number)) {
		return number == c->number;
	}
	if (v && v->kind == VALUE_STRING) {
		return v->string.length == c->text_len && memcmp(v->string.text, c->text,
								  c->text_len) == 0;
	}
	if (v && v->kind == VALUE_BOOL) {
		return strcmp(c->text, v->boolean ? "true" : "false") == 0;
	}
	return false;
}

static bool record_matches(const struct step *s, const struct value *v)
{
	if (v->kind != VALUE_OBJECT) {
		return false;
	}
	for (size_t i = 0; i < s->cond_count; i++) {
		if (!condition_holds(&s->conds[i], v)) {
			return false;
		}
	}
	return true;
}

static bool walk(const struct path *p, size_t i, const struct value *v, struct eval *e);

/* Walks the rest of the path from each child of `v` in order; false: stop everything. */
static bool each_child(const struct path *p, size_t i, const struct value *v, struct eval *e,
		       const struct step *filter)
{
	size_t n = v->kind == VALUE_ARRAY ? v->array.count
		   : v->kind == VALUE_OBJECT ? v->object.count : 0;
	for (size_t k = 0; k < n; k++) {
		const struct value *child = v->kind == VALUE_ARRAY ? v->array.items[k]
								  : v->object.members[k].value;
		if (filter && !record_matches(filter, child)) {
			continue;
		}
		if (!walk(p, i + 1, child, e)) {
			return false;
		}
	}
	return true;
}

static const struct value *key_step(const struct step *s, const struct value *v)
{
	if (v->kind == VALUE_OBJECT) {
		return value_member_n(v, s->key, s->key_len);
	}
	if (v->kind == VALUE_ARRAY && s->may_index && s->index < v->array.count) {
		return v->array.items[s->index];
	}
	return NULL;
}

static bool walk(const struct path *p, size_t i, const struct value *v, struct eval *e)
{
	if (!v) {
		return true; // this branch leads nowhere; siblings may still match
	}
	if (++e->visits > PATH_VISIT_LIMIT) {
		return false;
	}
	if (i == p->count) {
		e->out[e->count++] = v;
		return e->count < e->max;
	}
	const struct step *s = &p->steps[i];
	switch (s->kind) {
	case STEP_KEY:
		return walk(p, i + 1, key_step(s, v), e);
	case STEP_INDEX:
		return walk(p, i + 1,
			    v->kind == VALUE_ARRAY && s->index < v->array.count
				    ? v->array.items[s->index]
				    : NULL,
			    e);
	case STEP_ANY:
		return each_child(p, i, v, e, NULL);
	case STEP_FILTER:
		if (v->kind == VALUE_ARRAY) {
			return each_child(p, i, v, e, s);
		}
		return record_matches(s, v) ? walk(p, i + 1, v, e) : true;
	}
	return true;
}

size_t path_eval_all(const struct path *path, const struct value *root,
		     const struct value **out, size_t max)
{
	if (!path || !root || !out || max == 0) {
		return 0;
	}
	struct eval e = {.out = out, .max = max};
	walk(path, 0, root, &e);
	return e.count;
}

const struct value *path_eval_first(const struct path *path, const struct value *root)
{
	const struct value *first = NULL;
	return path_eval_all(path, root, &first, 1) ? first : NULL;
}

const struct value *path_lookup(const struct value *root, const char *path)
{
	struct path *p = path_compile(path, NULL, 0);
	const struct value *v = path_eval_first(p, root);
	path_free(p);
	return v;
}

size_t path_select(const struct value *root, const char *path, const struct value **out,
		   size_t max)
{
	struct path *p = path_compile(path, NULL, 0);
	size_t n = path_eval_all(p, root, out, max);
	path_free(p);
	return n;
}

bool path_check(const char *path, char *err, size_t err_size)
{
	struct path *p = path_compile(path, err, err_size);
	if (!p) {
		return false;
	}
	bool empty = p->count == 0;
	path_free(p);
	if (empty) {
		snprintf(err, err_size, "empty value path");
		return false;
	}
	return true;
}
