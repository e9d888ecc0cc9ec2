/*
 * The expression language's lexer and recursive-descent parser (grammar: docs/derive.md).
 * Nodes go into one array, capped in count and depth, so a hostile layout cannot make the
 * parser or the evaluator recurse or allocate without bound.
 */

#include "derive/derive_internal.h"

#include "util/strutil.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const derive_function_names[] = {
	"count", "sum", "mean", "median", "p90", "min", "max", "ratio", "today", "now", NULL,
};

static const struct {
	const char *name;
	enum agg_kind kind;
	bool condition; // the argument is a condition (count's is optional)
} aggregates[] = {
	{"count", AGG_COUNT, true}, {"sum", AGG_SUM, false},       {"mean", AGG_MEAN, false},
	{"median", AGG_MEDIAN, false}, {"p90", AGG_P90, false},    {"min", AGG_MIN, false},
	{"max", AGG_MAX, false},     {"ratio", AGG_RATIO, true},
};

enum token_kind { T_END, T_NUMBER, T_STRING, T_NAME, T_QUOTED, T_PUNCT };

struct token {
	enum token_kind kind;
	size_t start, len; // in the text
	double num;        // T_NUMBER (seconds for durations)
	bool duration;
	char punct[3];     // T_PUNCT: "==", "(", ...
};

struct parser {
	const char *text;
	size_t len;
	size_t pos;         // next byte to lex
	struct token tok;   // the current token
	enum derive_role role;
	struct derive_expr *e;
	size_t strings_used, strings_size;
	int depth;
	int in_aggregate;   // > 0 inside an aggregate's argument
	struct derive_error *err;
	bool failed;
};

static void fail(struct parser *p, size_t offset, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct parser *p, size_t offset, const char *fmt, ...)
{
	if (p->failed) {
		return;
	}
	p->failed = true;
	p->err->offset = offset;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err->message, sizeof(p->err->message), fmt, ap);
	va_end(ap);
}

/* ---- lexer ---- */

static bool name_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool name_char(unsigned char c)
{
	return name_start(c) || (c >= '0' && c <= '9');
}

static double unit_seconds(char unit)
{
	switch (unit) {
	case 's':
		return 1;
	case 'm':
		return 60;
	case 'h':
		return 3600;
	case 'd':
		return 86400;
	default:
		return 0;
	}
}

/* A number, or a duration: digits, an optional fraction, an optional unit s/m/h/d. */
static void lex_number(struct parser *p, struct token *t)
{
	const char *s = p->text;
	size_t i = p->pos;
	while (i < p->len && s[i] >= '0' && s[i] <= '9') {
		i++;
	}
	if (i < p->len && s[i] == '.') {
		i++;
		while (i < p->len && s[i] >= '0' && s[i] <= '9') {
			i++;
		}
	}
	char buf[64];
	size_t n = i - p->pos;
	if (n >= sizeof(buf)) {
		fail(p, p->pos, "number too long");
		return;
	}
	memcpy(buf, s + p->pos, n);
	buf[n] = '\0';
	t->kind = T_NUMBER;
	t->num = strtod(buf, NULL);
	if (i < p->len && name_char((unsigned char)s[i])) {
		size_t u = i;
		while (i < p->len && name_char((unsigned char)s[i])) {
			i++;
		}
		double unit = i - u == 1 ? unit_seconds(s[u]) : 0;
		if (unit == 0) {
			fail(p, u, "unknown unit \"%.*s\" after %s (durations: 30s, 5m, 1h, 2d)",
			     (int)(i - u), s + u, buf);
			return;
		}
		t->num *= unit;
		t->duration = true;
	}
	p->pos = i;
}

/* 'text' or "text" (\\ and \' \" escapes), or `a field name`. */
static void lex_quoted(struct parser *p, struct token *t)
{
	char quote = p->text[p->pos];
	size_t i = p->pos + 1;
	while (i < p->len && p->text[i] != quote) {
		i += p->text[i] == '\\' && i + 1 < p->len ? 2 : 1;
	}
	if (i >= p->len) {
		fail(p, p->pos, "unclosed %s", quote == '`' ? "`field name`" : "string");
		return;
	}
	t->kind = quote == '`' ? T_QUOTED : T_STRING;
	p->pos = i + 1;
}

static const char *const puncts[] = {"==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/",
				     "(", ")", "[", "]", ",", "."};

static void lex_punct(struct parser *p, struct token *t)
{
	for (size_t k = 0; k < sizeof(puncts) / sizeof(puncts[0]); k++) {
		size_t n = strlen(puncts[k]);
		if (p->pos + n <= p->len && memcmp(p->text + p->pos, puncts[k], n) == 0) {
			t->kind = T_PUNCT;
			memcpy(t->punct, puncts[k], n + 1);
			p->pos += n;
			return;
		}
	}
	unsigned char c = (unsigned char)p->text[p->pos];
	if (c == '=') {
		fail(p, p->pos, "'=' is not a comparison: write '=='");
	} else if (c == '&' || c == '|' || c == '!') {
		fail(p, p->pos, "unexpected '%c': write and, or, not", c);
	} else if (c == '$' ) {
		fail(p, p->pos, "unexpected '$': \"${name}\" needs a parameter in \"params\"");
	} else if (c < 0x20 || c == 0x7f) {
		fail(p, p->pos, "unexpected control character 0x%02x", c);
	} else {
		fail(p, p->pos, "unexpected character '%c'", c);
	}
}

static void next(struct parser *p)
{
	while (p->pos < p->len && strchr(" \t\r\n", p->text[p->pos])) {
		p->pos++;
	}
	struct token t = {.start = p->pos};
	if (p->failed || p->pos >= p->len) {
		t.kind = T_END;
	} else {
		unsigned char c = (unsigned char)p->text[p->pos];
		if (c >= '0' && c <= '9') {
			lex_number(p, &t);
		} else if (name_start(c)) {
			while (p->pos < p->len && name_char((unsigned char)p->text[p->pos])) {
				p->pos++;
			}
			t.kind = T_NAME;
		} else if (c == '\'' || c == '"' || c == '`') {
			lex_quoted(p, &t);
		} else {
			lex_punct(p, &t);
		}
	}
	t.len = p->pos - t.start;
	if (p->failed) {
		t.kind = T_END;
	}
	p->tok = t;
}

static bool is_punct(const struct parser *p, const char *punct)
{
	return p->tok.kind == T_PUNCT && strcmp(p->tok.punct, punct) == 0;
}

static bool is_word(const struct parser *p, const char *word)
{
	return p->tok.kind == T_NAME && p->tok.len == strlen(word) &&
	       memcmp(p->text + p->tok.start, word, p->tok.len) == 0;
}

static bool accept(struct parser *p, const char *punct)
{
	if (is_punct(p, punct)) {
		next(p);
		return true;
	}
	return false;
}

static bool accept_word(struct parser *p, const char *word)
{
	if (is_word(p, word)) {
		next(p);
		return true;
	}
	return false;
}

/* "')'", "\"foo\"", "the end": the current token for messages. */
static void describe(const struct parser *p, char *buf, size_t size)
{
	if (p->tok.kind == T_END) {
		snprintf(buf, size, "the end");
	} else {
		snprintf(buf, size, "\"%.*s\"", (int)(p->tok.len > 40 ? 40 : p->tok.len),
			 p->text + p->tok.start);
	}
}

static void expect(struct parser *p, const char *punct, const char *what)
{
	if (accept(p, punct)) {
		return;
	}
	char got[64];
	describe(p, got, sizeof(got));
	fail(p, p->tok.start, "expected '%s' %s, got %s", punct, what, got);
}

/* ---- nodes ---- */

static int add_node(struct parser *p, enum node_op op, size_t offset)
{
	if (p->failed) {
		return -1;
	}
	if (p->e->count >= DERIVE_MAX_NODES) {
		fail(p, offset, "expression too long (more than %d parts)", DERIVE_MAX_NODES);
		return -1;
	}
	struct node *n = &p->e->nodes[p->e->count];
	*n = (struct node){.op = (uint8_t)op, .a = -1, .b = -1, .slot = -1, .offset = offset};
	return p->e->count++;
}

static int binary(struct parser *p, enum node_op op, int a, int b, size_t offset)
{
	int n = add_node(p, op, offset);
	if (n >= 0) {
		p->e->nodes[n].a = a;
		p->e->nodes[n].b = b;
	}
	return n;
}

/* Copies text into the expression's strings, unescaping a quoted string's \x escapes. */
static const char *keep_text(struct parser *p, const char *s, size_t n, bool unescape,
			     size_t *out_len)
{
	char *out = p->e->strings + p->strings_used;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (unescape && s[i] == '\\' && i + 1 < n) {
			i++;
		}
		out[o++] = s[i];
	}
	out[o] = '\0';
	p->strings_used += o + 1;
	*out_len = o;
	return out;
}

static int parse_or(struct parser *p);

static bool enter(struct parser *p)
{
	if (++p->depth > DERIVE_MAX_DEPTH) {
		fail(p, p->tok.start, "expression nested too deeply (more than %d levels)",
		     DERIVE_MAX_DEPTH);
		return false;
	}
	return true;
}

static int agg_index(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(aggregates) / sizeof(aggregates[0]); i++) {
		if (strlen(aggregates[i].name) == len && memcmp(aggregates[i].name, name, len) == 0) {
			return (int)i;
		}
	}
	return -1;
}

static int parse_aggregate(struct parser *p, int which, size_t offset, bool called)
{
	const char *name = aggregates[which].name;
	if (p->role == DERIVE_CONDITION) {
		fail(p, offset, "aggregate %s() in a condition: \"where\" tests one record at a "
		     "time; aggregates belong in \"value\"", name);
		return -1;
	}
	if (p->in_aggregate) {
		fail(p, offset, "%s() inside another aggregate: aggregates do not nest", name);
		return -1;
	}
	if (p->e->agg_count >= DERIVE_MAX_AGGREGATES) {
		fail(p, offset, "more than %d aggregates in one value", DERIVE_MAX_AGGREGATES);
		return -1;
	}
	int n = add_node(p, N_AGG, offset);
	int arg = -1;
	if (called && !is_punct(p, ")")) {
		p->in_aggregate++;
		arg = parse_or(p);
		p->in_aggregate--;
		expect(p, ")", "after the argument");
	} else if (called) {
		next(p);
	}
	bool optional = aggregates[which].kind == AGG_COUNT;
	if (!p->failed && arg < 0 && !optional) {
		fail(p, offset, "%s() needs %s: %s(%s)", name,
		     aggregates[which].condition ? "a condition" : "a value", name,
		     aggregates[which].condition ? "arrived - dispatched <= 5m" : "delay");
		return -1;
	}
	if (n < 0 || p->failed) {
		return -1;
	}
	struct node *node = &p->e->nodes[n];
	node->agg = (uint8_t)aggregates[which].kind;
	node->a = arg;
	node->slot = p->e->agg_count;
	p->e->aggs[p->e->agg_count++] = n;
	return n;
}

static void unknown_function(struct parser *p, const char *name, size_t len, size_t offset)
{
	char word[64];
	snprintf(word, sizeof(word), "%.*s", (int)(len < 63 ? len : 63), name);
	const char *suggestion = str_closest(word, derive_function_names, sizeof(*derive_function_names),
						sizeof(derive_function_names) / sizeof(*derive_function_names));
	if (suggestion) {
		fail(p, offset, "unknown function \"%s\" (did you mean \"%s\"?)", word, suggestion);
	} else {
		fail(p, offset, "unknown function \"%s\" (functions: count, sum, mean, median, p90, "
		     "min, max, ratio, today, now)", word);
	}
}

/* name(...): an aggregate, today() or now(). */
static int parse_call(struct parser *p, const char *name, size_t len, size_t offset)
{
	int which = agg_index(name, len);
	if (which >= 0) {
		return parse_aggregate(p, which, offset, true);
	}
	bool today = len == 5 && memcmp(name, "today", 5) == 0;
	bool now = len == 3 && memcmp(name, "now", 3) == 0;
	if (!today && !now) {
		unknown_function(p, name, len, offset);
		return -1;
	}
	expect(p, ")", today ? "after today(" : "after now(");
	return add_node(p, today ? N_TODAY : N_NOW, offset);
}

static int parse_field(struct parser *p, size_t offset)
{
	/* Dotted names are one token sequence: a.b.c (no spaces needed or allowed around '.'). */
	size_t start = p->tok.start, end = p->tok.start + p->tok.len;
	next(p);
	while (is_punct(p, ".") && p->tok.start == end) {
		next(p);
		if (p->tok.kind != T_NAME || p->tok.start != end + 1) {
			fail(p, end + 1, "expected a member name after '.'");
			return -1;
		}
		end = p->tok.start + p->tok.len;
		next(p);
	}
	if (p->in_aggregate == 0 && p->role == DERIVE_VALUE) {
		fail(p, offset, "field \"%.*s\" outside an aggregate: a value is computed from all "
		     "records (write sum(%.*s), mean(%.*s), ...)", (int)(end - start),
		     p->text + start, (int)(end - start), p->text + start, (int)(end - start),
		     p->text + start);
		return -1;
	}
	int n = add_node(p, N_FIELD, offset);
	if (n >= 0) {
		struct node *node = &p->e->nodes[n];
		node->text = keep_text(p, p->text + start, end - start, false, &node->len);
		p->e->fields[p->e->field_count++] = n;
	}
	return n;
}

static int parse_name(struct parser *p)
{
	const char *name = p->text + p->tok.start;
	size_t len = p->tok.len, offset = p->tok.start;
	if (accept_word(p, "null")) {
		return add_node(p, N_NULL, offset);
	}
	if (is_word(p, "true") || is_word(p, "false")) {
		int n = add_node(p, N_BOOL, offset);
		if (n >= 0) {
			p->e->nodes[n].num = is_word(p, "true");
		}
		next(p);
		return n;
	}
	static const char *const reserved[] = {"and", "or", "not", "in", "last", NULL};
	for (const char *const *r = reserved; *r; r++) {
		if (is_word(p, *r)) {
			fail(p, offset, "expected a value, got \"%s\"", *r);
			return -1;
		}
	}
	/* Look past the name: "(" makes it a call. */
	size_t save = p->pos;
	struct token name_tok = p->tok;
	next(p);
	if (is_punct(p, "(")) {
		next(p);
		return parse_call(p, name, len, offset);
	}
	p->pos = save;
	p->tok = name_tok;
	int which = agg_index(name, len);
	if (which >= 0 && aggregates[which].kind == AGG_COUNT) {
		next(p);
		return parse_aggregate(p, which, offset, false); // bare "count"
	}
	return parse_field(p, offset);
}

static int parse_primary(struct parser *p)
{
	size_t offset = p->tok.start;
	if (p->tok.kind == T_NUMBER) {
		int n = add_node(p, N_NUMBER, offset);
		if (n >= 0) {
			p->e->nodes[n].num = p->tok.num;
		}
		next(p);
		return n;
	}
	if (p->tok.kind == T_STRING || p->tok.kind == T_QUOTED) {
		bool field = p->tok.kind == T_QUOTED;
		if (field && p->in_aggregate == 0 && p->role == DERIVE_VALUE) {
			fail(p, offset, "field %.*s outside an aggregate: a value is computed from all "
			     "records", (int)p->tok.len, p->text + offset);
			return -1;
		}
		int n = add_node(p, field ? N_FIELD : N_STRING, offset);
		if (n >= 0) {
			struct node *node = &p->e->nodes[n];
			node->text = keep_text(p, p->text + offset + 1, p->tok.len - 2, true,
					       &node->len);
			node->quoted = field;
			if (field) {
				p->e->fields[p->e->field_count++] = n;
			}
		}
		next(p);
		return n;
	}
	if (p->tok.kind == T_NAME) {
		return parse_name(p);
	}
	if (accept(p, "(")) {
		int n = parse_or(p);
		expect(p, ")", "to close '('");
		return n;
	}
	char got[64];
	describe(p, got, sizeof(got));
	fail(p, offset, "expected a value, got %s", got);
	return -1;
}

static int parse_unary(struct parser *p)
{
	if (!enter(p)) {
		return -1;
	}
	size_t offset = p->tok.start;
	int n;
	if (accept(p, "-")) {
		n = binary(p, N_NEG, parse_unary(p), -1, offset);
	} else {
		n = parse_primary(p);
	}
	p->depth--;
	return n;
}

static int parse_product(struct parser *p)
{
	int a = parse_unary(p);
	while (!p->failed && (is_punct(p, "*") || is_punct(p, "/"))) {
		enum node_op op = is_punct(p, "*") ? N_MUL : N_DIV;
		size_t offset = p->tok.start;
		next(p);
		a = binary(p, op, a, parse_unary(p), offset);
	}
	return a;
}

static int parse_sum(struct parser *p)
{
	int a = parse_product(p);
	while (!p->failed && (is_punct(p, "+") || is_punct(p, "-"))) {
		enum node_op op = is_punct(p, "+") ? N_ADD : N_SUB;
		size_t offset = p->tok.start;
		next(p);
		int b = parse_product(p);
		a = binary(p, op, a, b, offset);
		if (a >= 0 && op == N_SUB) {
			const struct node *nodes = p->e->nodes;
			p->e->nodes[a].field_pair = nodes[nodes[a].a].op == N_FIELD &&
						    nodes[nodes[a].b].op == N_FIELD;
		}
	}
	return a;
}

/* [literal, ...]: numbers, durations, strings, true, false. */
static int parse_list(struct parser *p, int subject, size_t offset, bool negate)
{
	int n = binary(p, N_IN, subject, -1, offset);
	if (n < 0) {
		return -1;
	}
	int first = p->e->count, count = 0;
	if (!accept(p, "]")) {
		do {
			size_t at = p->tok.start;
			bool negative = accept(p, "-");
			int item = parse_primary(p);
			if (item < 0) {
				return -1;
			}
			struct node *it = &p->e->nodes[item];
			if (it->op != N_NUMBER && it->op != N_STRING && it->op != N_BOOL) {
				fail(p, at, "a list after \"in\" holds numbers, durations and strings");
				return -1;
			}
			if (negative && it->op != N_NUMBER) {
				fail(p, at, "'-' before a value that is not a number");
				return -1;
			}
			it->num = negative ? -it->num : it->num;
			if (++count > DERIVE_MAX_LIST) {
				fail(p, at, "more than %d items after \"in\"", DERIVE_MAX_LIST);
				return -1;
			}
		} while (accept(p, ","));
		expect(p, "]", "to close the list");
	}
	struct node *node = &p->e->nodes[n];
	node->list = first;
	node->count = count;
	node->negate = negate;
	return n;
}

/* x in [...], x in last 1h, x in today (each also "not in"). */
static int parse_in(struct parser *p, int subject, size_t offset, bool negate)
{
	if (accept(p, "[")) {
		return parse_list(p, subject, offset, negate);
	}
	if (accept_word(p, "today")) {
		int n = binary(p, N_IN_TODAY, subject, -1, offset);
		if (n >= 0) {
			p->e->nodes[n].negate = negate;
		}
		return n;
	}
	if (accept_word(p, "last")) {
		if (p->tok.kind != T_NUMBER || !p->tok.duration || !(p->tok.num > 0)) {
			fail(p, p->tok.start, "expected a duration after \"last\" (last 1h, last 30d)");
			return -1;
		}
		int n = binary(p, N_IN_LAST, subject, -1, offset);
		if (n >= 0) {
			p->e->nodes[n].num = p->tok.num;
			p->e->nodes[n].negate = negate;
		}
		next(p);
		return n;
	}
	char got[64];
	describe(p, got, sizeof(got));
	fail(p, p->tok.start, "expected '[', \"last\" or \"today\" after \"in\", got %s", got);
	return -1;
}

static const struct {
	const char *punct;
	enum node_op op;
} comparisons[] = {
	{"==", N_EQ}, {"!=", N_NE}, {"<", N_LT}, {"<=", N_LE}, {">", N_GT}, {">=", N_GE},
};

static int parse_comparison(struct parser *p)
{
	int a = parse_sum(p);
	size_t offset = p->tok.start;
	if (p->failed) {
		return -1;
	}
	if (is_word(p, "not") || is_word(p, "in")) {
		bool negate = accept_word(p, "not");
		if (!accept_word(p, "in")) {
			fail(p, p->tok.start, "expected \"in\" after \"not\"");
			return -1;
		}
		return parse_in(p, a, offset, negate);
	}
	for (size_t i = 0; i < sizeof(comparisons) / sizeof(comparisons[0]); i++) {
		if (!is_punct(p, comparisons[i].punct)) {
			continue;
		}
		enum node_op op = comparisons[i].op;
		next(p);
		int b = parse_sum(p);
		if (b < 0) {
			return -1;
		}
		bool a_null = p->e->nodes[a].op == N_NULL, b_null = p->e->nodes[b].op == N_NULL;
		if ((a_null || b_null) && op != N_EQ && op != N_NE) {
			fail(p, offset, "null is only compared with == or !=");
			return -1;
		}
		if (a_null || b_null) {
			/* A null check: x == null, null != x. */
			return binary(p, op == N_EQ ? N_IS_NULL : N_NOT_NULL, a_null ? b : a, -1,
				      offset);
		}
		return binary(p, op, a, b, offset);
	}
	return a;
}

static int parse_not(struct parser *p)
{
	if (!enter(p)) {
		return -1;
	}
	size_t offset = p->tok.start;
	int n = accept_word(p, "not") ? binary(p, N_NOT, parse_not(p), -1, offset)
				      : parse_comparison(p);
	p->depth--;
	return n;
}

static int parse_and(struct parser *p)
{
	int a = parse_not(p);
	while (!p->failed && is_word(p, "and")) {
		size_t offset = p->tok.start;
		next(p);
		a = binary(p, N_AND, a, parse_not(p), offset);
	}
	return a;
}

static int parse_or(struct parser *p)
{
	if (!enter(p)) {
		return -1;
	}
	int a = parse_and(p);
	while (!p->failed && is_word(p, "or")) {
		size_t offset = p->tok.start;
		next(p);
		a = binary(p, N_OR, a, parse_and(p), offset);
	}
	p->depth--;
	return a;
}

struct derive_expr *derive_parse(const char *text, enum derive_role role,
				 struct derive_error *err)
{
	*err = (struct derive_error){0};
	size_t len = strlen(text);
	if (len > DERIVE_MAX_TEXT) {
		err->offset = DERIVE_MAX_TEXT;
		snprintf(err->message, sizeof(err->message),
			 "expression longer than %d bytes", DERIVE_MAX_TEXT);
		return NULL;
	}
	struct derive_expr *e = xcalloc(1, sizeof(*e));
	e->nodes = xcalloc(DERIVE_MAX_NODES, sizeof(*e->nodes));
	e->strings = xmalloc(len + DERIVE_MAX_NODES + 1);
	e->fields = xcalloc(DERIVE_MAX_NODES, sizeof(*e->fields));
	e->aggs = xcalloc(DERIVE_MAX_AGGREGATES, sizeof(*e->aggs));
	struct parser p = {.text = text, .len = len, .role = role, .e = e, .err = err};
	next(&p);
	if (p.tok.kind == T_END && !p.failed) {
		fail(&p, 0, "empty expression");
	}
	e->root = parse_or(&p);
	if (!p.failed && p.tok.kind != T_END) {
		char got[64];
		describe(&p, got, sizeof(got));
		fail(&p, p.tok.start, "expected an operator or the end, got %s", got);
	}
	if (p.failed || e->root < 0) {
		if (!p.failed) {
			fail(&p, 0, "not an expression");
		}
		derive_expr_free(e);
		return NULL;
	}
	return e;
}

void derive_expr_free(struct derive_expr *expr)
{
	if (!expr) {
		return;
	}
	free(expr->nodes);
	free(expr->strings);
	free(expr->fields);
	free(expr->aggs);
	free(expr);
}

size_t derive_expr_field_count(const struct derive_expr *expr)
{
	return expr ? (size_t)expr->field_count : 0;
}

const char *derive_expr_field(const struct derive_expr *expr, size_t i, size_t *offset)
{
	const struct node *n = &expr->nodes[expr->fields[i]];
	if (offset) {
		*offset = n->offset;
	}
	return n->text;
}

bool derive_parse_duration(const char *text, double *seconds)
{
	char *end;
	if (!text || !((text[0] >= '0' && text[0] <= '9') || text[0] == '.')) {
		return false;
	}
	double v = strtod(text, &end);
	double unit = end[0] == '\0' ? 1 : end[1] == '\0' ? unit_seconds(end[0]) : 0;
	if (unit == 0 || !isfinite(v)) {
		return false;
	}
	*seconds = v * unit;
	return true;
}
