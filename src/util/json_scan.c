#include "util/json_scan.h"

#include "util/strutil.h"

#include <stdint.h>
#include <string.h>

/*
 * The duplicate-key check re-scans the earlier members of an object for every new key, which
 * costs keys * object size; past this many keys it stops, so a hostile object with 100k keys
 * costs at most this many passes over its text instead of 100k.
 */
#define MAX_CHECKED_KEYS 1000

static const char msg_eof[] = "unexpected end of file";
static const char msg_value[] = "expected a value";
static const char msg_after_member[] = "expected ',' or '}' after an object member";
static const char msg_after_element[] = "expected ',' or ']' after an array element";
static const char msg_key[] = "expected a string as object key";
static const char msg_colon[] = "expected ':' after object key";
static const char msg_trailing_brace[] = "trailing comma before '}'";
static const char msg_trailing_bracket[] = "trailing comma before ']'";
static const char msg_unterminated[] = "unterminated string";
static const char msg_control[] = "control character in string (use \\n, \\t, ...)";
static const char msg_escape[] = "invalid escape in string";
static const char msg_u_escape[] = "invalid \\u escape in string";
static const char msg_utf8[] = "invalid UTF-8 in string";
static const char msg_number[] = "invalid number";
static const char msg_literal[] = "invalid literal (expected true, false or null)";
static const char msg_after_value[] = "unexpected text after the JSON value";
static const char msg_duplicate[] = "duplicate key";
static const char msg_depth[] = "nesting too deep";
static const char msg_nul[] = "unexpected NUL byte";

struct frame {
	size_t members; // offset just past the opening bracket: where the key re-scan starts
	unsigned keys;
	bool object;
};

struct scan {
	const unsigned char *s;
	size_t len;
	size_t pos;
	size_t err_pos;
	const char *err;
	bool check_keys;
	int depth;
	struct frame stack[JSON_SCAN_MAX_DEPTH];
};

/* What the iterative parser expects next. */
enum state {
	VALUE,
	FIRST_ELEMENT,
	FIRST_MEMBER,
	MEMBER,
	AFTER_VALUE,
};

static void scan_init(struct scan *sc, const char *text, size_t len, bool check_keys)
{
	sc->s = (const unsigned char *)text;
	sc->len = text ? len : 0;
	sc->pos = 0;
	sc->err_pos = 0;
	sc->err = NULL;
	sc->check_keys = check_keys;
	sc->depth = 0;
}

static bool fail(struct scan *sc, size_t at, const char *message)
{
	// A NUL byte is never valid JSON and usually means a binary or corrupted file: say that
	// rather than what the grammar wanted at that spot.
	if (at < sc->len && sc->s[at] == 0) {
		message = msg_nul;
	}
	sc->err_pos = at;
	sc->err = message;
	return false;
}

static bool is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_word_byte(unsigned char c)
{
	return is_alpha(c) || is_digit(c) || c == '_';
}


static bool at_end(const struct scan *sc)
{
	return sc->pos >= sc->len;
}

static void skip_ws(struct scan *sc)
{
	while (sc->pos < sc->len && is_ws(sc->s[sc->pos])) {
		sc->pos++;
	}
}

/* ---- strings ---- */

/*
 * Length of the well-formed UTF-8 sequence at p (lead byte >= 0x80), 0 when it is malformed
 * (overlong, surrogate, beyond U+10FFFF, bad continuation), -1 when the text ends inside a
 * sequence that was well-formed so far. The ranges are those of RFC 3629's table.
 */
static int utf8_sequence(const unsigned char *p, size_t avail)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xBF;
	int n;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		lo = c == 0xE0 ? 0xA0 : 0x80;
		hi = c == 0xED ? 0x9F : 0xBF;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		lo = c == 0xF0 ? 0x90 : 0x80;
		hi = c == 0xF4 ? 0x8F : 0xBF;
	} else {
		return 0;
	}
	for (int i = 1; i < n; i++) {
		if ((size_t)i >= avail) {
			return -1;
		}
		if (p[i] < lo || p[i] > hi) {
			return 0;
		}
		lo = 0x80;
		hi = 0xBF;
	}
	return n;
}

/* The code unit of the \u escape at s[at] (a backslash before 'u'), or -1 after an error. */
static long read_u_escape(struct scan *sc, size_t at, size_t open)
{
	long unit = 0;
	for (size_t i = at + 2; i < at + 6; i++) {
		if (i >= sc->len) {
			fail(sc, open, msg_unterminated);
			return -1;
		}
		int digit = hex_digit_value((unsigned char)sc->s[i]);
		if (digit < 0) {
			fail(sc, sc->s[i] == 0 ? i : at, msg_u_escape);
			return -1;
		}
		unit = unit * 16 + digit;
	}
	return unit;
}

/*
 * Checks the \u escape at s[at]; returns its length (6, or 12 for a surrogate pair), 0 after
 * an error. RFC 8259 lets unpaired surrogates through its grammar, but they cannot become
 * UTF-8 and cJSON refuses them, so they are reported here where a line can be given.
 */
static size_t scan_u_escape(struct scan *sc, size_t at, size_t open)
{
	long unit = read_u_escape(sc, at, open);
	if (unit < 0) {
		return 0;
	}
	if (unit < 0xD800 || unit > 0xDFFF) {
		return 6;
	}
	if (unit >= 0xDC00) {
		fail(sc, at, msg_u_escape);
		return 0;
	}
	size_t next = at + 6;
	if (next < sc->len && sc->s[next] != '\\') {
		fail(sc, at, msg_u_escape);
		return 0;
	}
	if (next + 1 >= sc->len) {
		fail(sc, open, msg_unterminated);
		return 0;
	}
	if (sc->s[next + 1] != 'u') {
		fail(sc, at, msg_u_escape);
		return 0;
	}
	long low = read_u_escape(sc, next, open);
	if (low < 0) {
		return 0;
	}
	if (low < 0xDC00 || low > 0xDFFF) {
		fail(sc, at, msg_u_escape);
		return 0;
	}
	return 12;
}

/* Checks the escape at s[at] (a backslash); returns its length, 0 after an error. */
static size_t scan_escape(struct scan *sc, size_t at, size_t open)
{
	if (at + 1 >= sc->len) {
		fail(sc, open, msg_unterminated);
		return 0;
	}
	switch (sc->s[at + 1]) {
	case '"':
	case '\\':
	case '/':
	case 'b':
	case 'f':
	case 'n':
	case 'r':
	case 't':
		return 2;
	case 'u':
		return scan_u_escape(sc, at, open);
	case 0:
		fail(sc, at + 1, msg_nul);
		return 0;
	default:
		fail(sc, at, msg_escape);
		return 0;
	}
}

/* Scans the string whose opening quote is at sc->pos and moves past its closing quote. */
static bool scan_string(struct scan *sc)
{
	size_t open = sc->pos;
	size_t i = open + 1;
	while (i < sc->len) {
		unsigned char c = sc->s[i];
		size_t n = 1;
		if (c == '"') {
			sc->pos = i + 1;
			return true;
		}
		if (c == '\\') {
			n = scan_escape(sc, i, open);
		} else if (c < 0x20) {
			return fail(sc, i, msg_control);
		} else if (c >= 0x80) {
			int u = utf8_sequence(sc->s + i, sc->len - i);
			if (u < 0) {
				return fail(sc, open, msg_unterminated);
			}
			if (u == 0) {
				return fail(sc, i, msg_utf8);
			}
			n = (size_t)u;
		}
		if (n == 0) {
			return false;
		}
		i += n;
	}
	return fail(sc, open, msg_unterminated);
}

/* ---- numbers and literals ---- */

static size_t skip_digits(const struct scan *sc, size_t i)
{
	while (i < sc->len && is_digit(sc->s[i])) {
		i++;
	}
	return i;
}

/* Bytes that would glue onto a number and make it a different, malformed token ("01", "1x"). */
static bool continues_number(unsigned char c)
{
	return is_word_byte(c) || c == '.' || c == '+' || c == '-';
}

/* RFC 8259: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static bool scan_number(struct scan *sc)
{
	size_t i = sc->pos;
	if (sc->s[i] == '-') {
		i++;
	}
	if (i < sc->len && sc->s[i] == '0') {
		i++;
	} else if (i < sc->len && sc->s[i] >= '1' && sc->s[i] <= '9') {
		i = skip_digits(sc, i);
	} else {
		return fail(sc, i, msg_number);
	}
	if (i < sc->len && sc->s[i] == '.') {
		i++;
		if (i >= sc->len || !is_digit(sc->s[i])) {
			return fail(sc, i, msg_number);
		}
		i = skip_digits(sc, i);
	}
	if (i < sc->len && (sc->s[i] == 'e' || sc->s[i] == 'E')) {
		i++;
		if (i < sc->len && (sc->s[i] == '+' || sc->s[i] == '-')) {
			i++;
		}
		if (i >= sc->len || !is_digit(sc->s[i])) {
			return fail(sc, i, msg_number);
		}
		i = skip_digits(sc, i);
	}
	if (i < sc->len && continues_number(sc->s[i])) {
		return fail(sc, i, msg_number);
	}
	sc->pos = i;
	return true;
}

static bool word_is(const struct scan *sc, const char *word)
{
	size_t n = strlen(word), end = sc->pos + n;
	return sc->len - sc->pos >= n && memcmp(sc->s + sc->pos, word, n) == 0 &&
	       (end == sc->len || !is_word_byte(sc->s[end]));
}

/* Scans true/false/null at sc->pos, which holds a letter. */
static bool scan_word(struct scan *sc)
{
	// JavaScript habits: these are numbers to whoever wrote them, so say "number".
	if (word_is(sc, "NaN") || word_is(sc, "Infinity")) {
		return fail(sc, sc->pos, msg_number);
	}
	unsigned char c = sc->s[sc->pos];
	const char *literal = c == 't' ? "true" : c == 'f' ? "false" : c == 'n' ? "null" : NULL;
	if (!literal) {
		return fail(sc, sc->pos, msg_literal);
	}
	size_t i = sc->pos;
	for (; *literal; literal++, i++) {
		if (i >= sc->len || sc->s[i] != (unsigned char)*literal) {
			return fail(sc, i, msg_literal);
		}
	}
	if (i < sc->len && is_word_byte(sc->s[i])) {
		return fail(sc, i, msg_literal);
	}
	sc->pos = i;
	return true;
}

static bool scan_scalar(struct scan *sc)
{
	unsigned char c = sc->s[sc->pos];
	if (c == '"') {
		return scan_string(sc);
	}
	if (c == '-' || is_digit(c)) {
		return scan_number(sc);
	}
	if (c == '+' || c == '.') {
		return fail(sc, sc->pos, msg_number);
	}
	if (is_alpha(c)) {
		return scan_word(sc);
	}
	return fail(sc, sc->pos, msg_value);
}

/* ---- duplicate keys ---- */

/*
 * The raw_* walkers move through text the parser has already accepted, which is why they can
 * skip blindly; `end` still bounds every read.
 */
static size_t raw_skip_ws(const unsigned char *s, size_t i, size_t end)
{
	while (i < end && is_ws(s[i])) {
		i++;
	}
	return i;
}

/* Returns the offset just past the closing quote of the string opening at s[i]. */
static size_t raw_string_end(const unsigned char *s, size_t i, size_t end)
{
	for (i++; i < end; i++) {
		if (s[i] == '\\') {
			i++;
		} else if (s[i] == '"') {
			return i + 1;
		}
	}
	return end;
}

static size_t raw_skip_value(const unsigned char *s, size_t i, size_t end)
{
	if (i >= end) {
		return end;
	}
	if (s[i] == '"') {
		return raw_string_end(s, i, end);
	}
	if (s[i] != '{' && s[i] != '[') {
		while (i < end && !is_ws(s[i]) && s[i] != ',' && s[i] != '}' && s[i] != ']') {
			i++;
		}
		return i;
	}
	int depth = 0;
	while (i < end) {
		unsigned char c = s[i];
		if (c == '"') {
			i = raw_string_end(s, i, end);
			continue;
		}
		i++;
		if (c == '{' || c == '[') {
			depth++;
		} else if ((c == '}' || c == ']') && --depth == 0) {
			return i;
		}
	}
	return end;
}

/* Whether a member from `i` up to the key at s[key..key_end) has the same raw name. */
static bool key_seen_before(const unsigned char *s, size_t i, size_t key, size_t key_end)
{
	size_t n = key_end - key;
	while ((i = raw_skip_ws(s, i, key)) < key) {
		size_t end = raw_string_end(s, i, key);
		if (end - i == n && memcmp(s + i, s + key, n) == 0) {
			return true;
		}
		i = raw_skip_ws(s, end, key) + 1; // past the ':'
		i = raw_skip_value(s, raw_skip_ws(s, i, key), key);
		i = raw_skip_ws(s, i, key) + 1; // past the ','
	}
	return false;
}

/* The key whose opening quote is at `key` has just been scanned (sc->pos is past it). */
static bool check_duplicate(struct scan *sc, size_t key)
{
	struct frame *f = &sc->stack[sc->depth - 1];
	f->keys++;
	if (!sc->check_keys || f->keys == 1 || f->keys > MAX_CHECKED_KEYS) {
		return true;
	}
	if (key_seen_before(sc->s, f->members, key, sc->pos)) {
		return fail(sc, key, msg_duplicate);
	}
	return true;
}

/* ---- structure ---- */

static char closer(const struct frame *f)
{
	return f->object ? '}' : ']';
}

static void close_container(struct scan *sc, enum state *state)
{
	sc->depth--;
	sc->pos++;
	*state = AFTER_VALUE;
}

static bool step_value(struct scan *sc, enum state *state)
{
	skip_ws(sc);
	if (at_end(sc)) {
		return fail(sc, sc->len, msg_eof);
	}
	unsigned char c = sc->s[sc->pos];
	if (c != '{' && c != '[') {
		*state = AFTER_VALUE;
		return scan_scalar(sc);
	}
	if (sc->depth >= JSON_SCAN_MAX_DEPTH) {
		return fail(sc, sc->pos, msg_depth);
	}
	sc->pos++;
	sc->stack[sc->depth++] = (struct frame){.members = sc->pos, .keys = 0, .object = c == '{'};
	*state = c == '{' ? FIRST_MEMBER : FIRST_ELEMENT;
	return true;
}

/* Just after '[' or '{': the container may close at once. */
static bool step_first(struct scan *sc, enum state *state)
{
	const struct frame *f = &sc->stack[sc->depth - 1];
	skip_ws(sc);
	if (!at_end(sc) && sc->s[sc->pos] == closer(f)) {
		close_container(sc, state);
	} else {
		*state = f->object ? MEMBER : VALUE;
	}
	return true;
}

/* An object member's name and colon; the value follows in state VALUE. */
static bool step_member(struct scan *sc, enum state *state)
{
	skip_ws(sc);
	if (at_end(sc)) {
		return fail(sc, sc->len, msg_eof);
	}
	size_t key = sc->pos;
	if (sc->s[key] != '"') {
		return fail(sc, key, msg_key);
	}
	if (!scan_string(sc) || !check_duplicate(sc, key)) {
		return false;
	}
	skip_ws(sc);
	if (at_end(sc)) {
		return fail(sc, sc->len, msg_eof);
	}
	if (sc->s[sc->pos] != ':') {
		return fail(sc, sc->pos, msg_colon);
	}
	sc->pos++;
	*state = VALUE;
	return true;
}

/* After a value inside a container: a comma or the closing bracket. */
static bool step_after(struct scan *sc, enum state *state)
{
	const struct frame *f = &sc->stack[sc->depth - 1];
	skip_ws(sc);
	if (at_end(sc)) {
		return fail(sc, sc->len, msg_eof);
	}
	unsigned char c = sc->s[sc->pos];
	if (c == (unsigned char)closer(f)) {
		close_container(sc, state);
		return true;
	}
	if (c != ',') {
		return fail(sc, sc->pos, f->object ? msg_after_member : msg_after_element);
	}
	size_t comma = sc->pos++;
	skip_ws(sc);
	if (!at_end(sc) && sc->s[sc->pos] == closer(f)) {
		// Point at the comma: that is what has to go, and it is often on the line before.
		return fail(sc, comma, f->object ? msg_trailing_brace : msg_trailing_bracket);
	}
	*state = f->object ? MEMBER : VALUE;
	return true;
}

/*
 * Scans one value (after optional white space) and stops just past it. Iterative: nesting
 * lives in sc->stack, so hostile input cannot exhaust the C stack.
 */
static bool parse_value(struct scan *sc)
{
	int floor = sc->depth;
	enum state state = VALUE;
	for (;;) {
		bool ok = false;
		switch (state) {
		case VALUE:
			ok = step_value(sc, &state);
			break;
		case FIRST_ELEMENT:
		case FIRST_MEMBER:
			ok = step_first(sc, &state);
			break;
		case MEMBER:
			ok = step_member(sc, &state);
			break;
		case AFTER_VALUE:
			ok = step_after(sc, &state);
			break;
		}
		if (!ok) {
			return false;
		}
		if (state == AFTER_VALUE && sc->depth == floor) {
			return true;
		}
	}
}

/* ---- public: positions and syntax ---- */

struct text_pos json_text_pos(const char *text, size_t len, size_t offset)
{
	const unsigned char *s = (const unsigned char *)text;
	struct text_pos pos = {1, 1};
	if (!text || offset > len) {
		offset = text ? len : 0;
	}
	for (size_t i = 0; i < offset; i++) {
		if (s[i] == '\n') {
			pos.line++;
			pos.column = 1;
		} else if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') {
			// Part of a CRLF: a CRLF file then reports the columns an LF file would.
		} else if ((s[i] & 0xC0) != 0x80) {
			pos.column++;
		}
	}
	return pos;
}

bool json_check_syntax(const char *text, size_t len, size_t *error_offset, const char **message)
{
	struct scan sc;
	scan_init(&sc, text, len, true);
	if (parse_value(&sc)) {
		skip_ws(&sc);
		if (at_end(&sc)) {
			return true;
		}
		fail(&sc, sc.pos, msg_after_value);
	}
	if (error_offset) {
		*error_offset = sc.err_pos;
	}
	if (message) {
		*message = sc.err;
	}
	return false;
}

/* ---- public: JSON pointers ---- */

/* An RFC 6901 pointer: empty, or "/"-separated segments where '~' is followed by 0 or 1. */
static bool pointer_valid(const char *p)
{
	if (*p != '\0' && *p != '/') {
		return false;
	}
	for (; *p; p++) {
		if (*p == '~' && p[1] != '0' && p[1] != '1') {
			return false;
		}
	}
	return true;
}

/* The next byte of the segment at *p with ~0 and ~1 decoded, or -1 at its end. */
static int segment_byte(const char **p)
{
	unsigned char c = (unsigned char)**p;
	if (c == '\0' || c == '/') {
		return -1;
	}
	(*p)++;
	if (c != '~') {
		return c;
	}
	c = (unsigned char)**p;
	(*p)++;
	return c == '0' ? '~' : '/';
}

/* Decodes the content of a member name, already validated by scan_string, byte by byte. */
struct key_reader {
	const unsigned char *p;
	const unsigned char *end;
	unsigned char buf[4];
	int have;
	int next;
};

static unsigned hex4(const unsigned char *p)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		v = v * 16 + (unsigned)hex_digit_value((unsigned char)p[i]);
	}
	return v;
}

static int utf8_encode(uint32_t cp, unsigned char *buf)
{
	if (cp < 0x80) {
		buf[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		buf[0] = (unsigned char)(0xC0 | (cp >> 6));
		buf[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		buf[0] = (unsigned char)(0xE0 | (cp >> 12));
		buf[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		buf[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	buf[0] = (unsigned char)(0xF0 | (cp >> 18));
	buf[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	buf[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	buf[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* r->p is just past "\u"; scan_string guaranteed the digits and any low surrogate. */
static int key_u_escape(struct key_reader *r)
{
	uint32_t cp = hex4(r->p);
	r->p += 4;
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4(r->p + 2) - 0xDC00);
		r->p += 6;
	}
	r->have = utf8_encode(cp, r->buf);
	r->next = 1;
	return r->buf[0];
}

static int key_byte(struct key_reader *r)
{
	if (r->next < r->have) {
		return r->buf[r->next++];
	}
	if (r->p >= r->end) {
		return -1;
	}
	unsigned char c = *r->p++;
	if (c != '\\') {
		return c;
	}
	c = *r->p++;
	switch (c) {
	case 'b':
		return '\b';
	case 'f':
		return '\f';
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	case 'u':
		return key_u_escape(r);
	default:
		return c; // '"', '\\' and '/' stand for themselves
	}
}

/* Compares the string at s[key..key_end) (quotes included) with the pointer segment. */
static bool key_matches(const unsigned char *s, size_t key, size_t key_end, const char *segment)
{
	struct key_reader r = {.p = s + key + 1, .end = s + key_end - 1, .have = 0, .next = 0};
	for (;;) {
		int a = key_byte(&r), b = segment_byte(&segment);
		if (a != b) {
			return false;
		}
		if (a < 0) {
			return true;
		}
	}
}

/* An array index segment: decimal without leading zeros ("-", past the end, names nothing). */
static bool parse_index(const char *segment, size_t *index)
{
	size_t v = 0;
	const char *p = segment;
	for (; *p && *p != '/'; p++) {
		if (!is_digit((unsigned char)*p) || (p > segment && segment[0] == '0')) {
			return false;
		}
		size_t d = (size_t)(*p - '0');
		if (v > (SIZE_MAX - d) / 10) {
			return false;
		}
		v = v * 10 + d;
	}
	*index = v;
	return p > segment;
}

/* sc->pos is at '{': moves to the value of the first member named `segment`. */
/* Skips the value at sc->pos and the comma after it; false when no comma follows. */
static bool skip_past_comma(struct scan *sc)
{
	if (!parse_value(sc)) {
		return false;
	}
	skip_ws(sc);
	if (at_end(sc) || sc->s[sc->pos] != ',') {
		return false;
	}
	sc->pos++;
	return true;
}

static bool find_member(struct scan *sc, const char *segment, size_t *key)
{
	sc->pos++;
	for (;;) {
		skip_ws(sc);
		if (at_end(sc) || sc->s[sc->pos] != '"') {
			return false;
		}
		size_t k = sc->pos;
		if (!scan_string(sc)) {
			return false;
		}
		bool match = key_matches(sc->s, k, sc->pos, segment);
		skip_ws(sc);
		if (at_end(sc) || sc->s[sc->pos] != ':') {
			return false;
		}
		sc->pos++;
		skip_ws(sc);
		if (match) {
			*key = k;
			return true;
		}
		if (!skip_past_comma(sc)) {
			return false;
		}
	}
}

/* sc->pos is at '[': moves to the element named by `segment`. */
static bool find_element(struct scan *sc, const char *segment, size_t *key)
{
	size_t index;
	if (!parse_index(segment, &index)) {
		return false;
	}
	sc->pos++;
	for (size_t i = 0;; i++) {
		skip_ws(sc);
		if (i == index) {
			*key = sc->pos;
			return true;
		}
		if (!skip_past_comma(sc)) {
			return false;
		}
	}
}

/* Steps from the value at sc->pos into its child named by `segment`. */
static bool enter(struct scan *sc, const char *segment, size_t *key)
{
	skip_ws(sc);
	if (at_end(sc) || sc->depth >= JSON_SCAN_MAX_DEPTH) {
		return false;
	}
	unsigned char c = sc->s[sc->pos];
	sc->depth++;
	if (c == '{') {
		return find_member(sc, segment, key);
	}
	if (c == '[') {
		return find_element(sc, segment, key);
	}
	return false;
}

bool json_locate(const char *text, size_t len, const char *pointer, size_t *value_offset,
		 size_t *key_offset)
{
	if (!pointer || !pointer_valid(pointer)) {
		return false;
	}
	// Duplicates are json_check_syntax's business; here the first match simply wins.
	struct scan sc;
	scan_init(&sc, text, len, false);
	skip_ws(&sc);
	size_t key = sc.pos;
	const char *segment = pointer;
	while (*segment == '/') {
		segment++;
		if (!enter(&sc, segment, &key)) {
			return false;
		}
		segment += strcspn(segment, "/");
	}
	// The value itself must be well-formed too: an offset into garbage would mislead.
	size_t value = sc.pos;
	if (!parse_value(&sc)) {
		return false;
	}
	if (value_offset) {
		*value_offset = value;
	}
	if (key_offset) {
		*key_offset = key;
	}
	return true;
}
