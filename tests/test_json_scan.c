#include "../tests/check.h"

#include "util/json_scan.h"

#include <stdlib.h>

/* A literal and its length, so that documents may hold NUL bytes. */
#define DOC(s) s, sizeof(s) - 1

/*
 * Every document is copied into a heap block of exactly its length (no terminating NUL), so
 * that a read past the end is caught by AddressSanitizer instead of landing on the literal's
 * terminator.
 */
static char *exact_copy(const char *text, size_t len)
{
	char *copy = malloc(len ? len : 1);
	if (!copy) {
		abort();
	}
	memcpy(copy, text, len);
	return copy;
}

static bool check_exact(const char *text, size_t len, size_t *offset, const char **message)
{
	char *copy = exact_copy(text, len);
	bool ok = json_check_syntax(copy, len, offset, message);
	free(copy);
	return ok;
}

/* ---- json_text_pos ---- */

struct pos_case {
	const char *text;
	size_t len;
	size_t offset;
	int line, column;
};

static const struct pos_case pos_cases[] = {
	{DOC(""), 0, 1, 1},
	{DOC("abc"), 0, 1, 1},
	{DOC("abc"), 2, 1, 3},
	{DOC("abc"), 3, 1, 4},
	{DOC("abc"), 100, 1, 4}, // clamps
	{DOC("ab\ncd"), 2, 1, 3},
	{DOC("ab\ncd"), 3, 2, 1},
	{DOC("ab\ncd"), 4, 2, 2},
	{DOC("ab\n\n\nx"), 5, 4, 1},
	{DOC("\xea\xb0\x80\xeb\x82\x98\xeb\x8b\xa4x"), 6, 1, 3}, // 가나|다x
	{DOC("\xea\xb0\x80\xeb\x82\x98\xeb\x8b\xa4x"), 9, 1, 4},
	{DOC("\xea\xb0\x80x"), 1, 1, 2}, // inside a character: counts its lead byte
	{DOC("ab\r\ncd"), 2, 1, 3},      // the CR of a CRLF
	{DOC("ab\r\ncd"), 3, 1, 3},      // its LF: same column as in an LF file
	{DOC("ab\r\ncd"), 4, 2, 1},
	{DOC("ab\r\ncd"), 5, 2, 2},
	{DOC("a\rb"), 3, 1, 4}, // a lone CR is no line break
	{DOC("\t\tx"), 2, 1, 3},
};

static void text_pos_table(void)
{
	for (size_t i = 0; i < sizeof(pos_cases) / sizeof(pos_cases[0]); i++) {
		const struct pos_case *c = &pos_cases[i];
		char *copy = exact_copy(c->text, c->len);
		struct text_pos pos = json_text_pos(copy, c->len, c->offset);
		free(copy);
		if (pos.line != c->line || pos.column != c->column) {
			printf("# pos case %zu: offset %zu: expected %d:%d, got %d:%d\n", i,
			       c->offset, c->line, c->column, pos.line, pos.column);
			check_failures_in_case++;
		}
	}
}

static void text_pos_null(void)
{
	struct text_pos pos = json_text_pos(NULL, 0, 10);
	CHECK_INT(pos.line, 1);
	CHECK_INT(pos.column, 1);
}

/* ---- broken documents ---- */

struct broken_case {
	const char *text;
	size_t len;
	const char *message;
	int line, column;
};

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
static const char msg_nul[] = "unexpected NUL byte";

static const struct broken_case broken_cases[] = {
	// premature end
	{DOC(""), msg_eof, 1, 1},
	{DOC("  \n\t "), msg_eof, 2, 3},
	{DOC("[1, 2"), msg_eof, 1, 6},
	{DOC("{\"a\": 1,\n  \"b\": "), msg_eof, 2, 8},
	{DOC("{\"a\""), msg_eof, 1, 5},
	{DOC("[\"a\"\n"), msg_eof, 2, 1},
	{DOC("[\r\n1,\r\n"), msg_eof, 3, 1},
	// structure
	{DOC("]"), msg_value, 1, 1},
	{DOC("[1, @]"), msg_value, 1, 5},
	{DOC("[1,}"), msg_value, 1, 4},
	{DOC("[1,,2]"), msg_value, 1, 4},
	{DOC("[}"), msg_value, 1, 2},
	{DOC("{\"a\":}"), msg_value, 1, 6},
	{DOC("{\"a\":[}"), msg_value, 1, 7},
	{DOC("'a'"), msg_value, 1, 1},
	{DOC("\xef\xbb\xbf{}"), msg_value, 1, 1}, // a byte order mark is not white space
	{DOC("{\"a\": 1 \"b\": 2}"), msg_after_member, 1, 9},
	// {"이름": "서울" "x": 1}
	{DOC("{\"\xec\x9d\xb4\xeb\xa6\x84\": \"\xec\x84\x9c\xec\x9a\xb8\" \"x\": 1}"),
	 msg_after_member, 1, 13},
	{DOC("[1 2]"), msg_after_element, 1, 4},
	{DOC("[1,\n  2\n  3]"), msg_after_element, 3, 3},
	{DOC("{1: 2}"), msg_key, 1, 2},
	{DOC("{]"), msg_key, 1, 2},
	{DOC("{\"a\":1,]"), msg_key, 1, 8},
	{DOC("{\"a\" 1}"), msg_colon, 1, 6},
	{DOC("{\r\n  \"a\": 1,\r\n  \"b\" 2\r\n}"), msg_colon, 3, 7},
	{DOC("{\"a\": 1,}"), msg_trailing_brace, 1, 8},
	{DOC("{\n  \"a\": 1,\n}"), msg_trailing_brace, 2, 9},
	{DOC("[1,\n 2,\n]"), msg_trailing_bracket, 2, 3},
	{DOC("{\n\t\"a\": [1, 2,]\n}"), msg_trailing_bracket, 2, 12},
	{DOC("{} {}"), msg_after_value, 1, 4},
	{DOC("1 2"), msg_after_value, 1, 3},
	{DOC("{\"a\":1}}"), msg_after_value, 1, 8},
	{DOC("[1,2]x"), msg_after_value, 1, 6},
	// strings
	{DOC("\"abc"), msg_unterminated, 1, 1},
	{DOC("[\n  \"abc"), msg_unterminated, 2, 3},
	{DOC("[\"a\\"), msg_unterminated, 1, 2},
	{DOC("[\"\\u12"), msg_unterminated, 1, 2},
	{DOC("\"\xe4\xb8"), msg_unterminated, 1, 1}, // text ends inside a character
	{DOC("{\"key\": \"value\n\"}"), msg_control, 1, 15},
	{DOC("[\"a\tb\"]"), msg_control, 1, 4},
	{DOC("[\"\x1f\"]"), msg_control, 1, 3},
	{DOC("[\"a\\qb\"]"), msg_escape, 1, 4},
	{DOC("[\"\\x41\"]"), msg_escape, 1, 3},
	{DOC("[\"\\u12G4\"]"), msg_u_escape, 1, 3},
	{DOC("\"\\u12\""), msg_u_escape, 1, 2},
	{DOC("[\"\\uD800\"]"), msg_u_escape, 1, 3},              // lone high surrogate
	{DOC("[\"\\uDC00\"]"), msg_u_escape, 1, 3},              // lone low surrogate
	{DOC("[\"\\uDC00\\uDC00\"]"), msg_u_escape, 1, 3},      // low + low
	{DOC("[\"\\uD83D\\u0041\"]"), msg_u_escape, 1, 3},       // high + non-low
	{DOC("[\"\\u00e9\\uD83D\"]"), msg_u_escape, 1, 9},       // high at the end
	{DOC("[\"\\uD83D\\uDEx0\"]"), msg_u_escape, 1, 9},       // bad digits in the low half
	{DOC("[\"\xc0\xaf\"]"), msg_utf8, 1, 3},                 // overlong '/'
	{DOC("[\"\xe0\x80\xaf\"]"), msg_utf8, 1, 3},             // overlong, 3 bytes
	{DOC("[\"\xf0\x80\x80\xaf\"]"), msg_utf8, 1, 3},         // overlong, 4 bytes
	{DOC("[\"\xed\xa0\x80\"]"), msg_utf8, 1, 3},             // UTF-8 encoded surrogate
	{DOC("[\"\xf4\x90\x80\x80\"]"), msg_utf8, 1, 3},         // U+110000
	{DOC("[\"\x80\"]"), msg_utf8, 1, 3},                     // stray continuation byte
	{DOC("[\"\xe4\xb8\"]"), msg_utf8, 1, 3},                 // truncated by the quote
	{DOC("[\"\xea\xb0\x80\xeb\x82\x98\xff\"]"), msg_utf8, 1, 5}, // ["가나<FF>"]
	// numbers
	{DOC("01"), msg_number, 1, 2},
	{DOC("-01"), msg_number, 1, 3},
	{DOC("[-]"), msg_number, 1, 3},
	{DOC("-"), msg_number, 1, 2},
	{DOC("+1"), msg_number, 1, 1},
	{DOC(".5"), msg_number, 1, 1},
	{DOC("[1.]"), msg_number, 1, 4},
	{DOC("1."), msg_number, 1, 3},
	{DOC("[1e]"), msg_number, 1, 4},
	{DOC("1e+"), msg_number, 1, 4},
	{DOC("1.5.3"), msg_number, 1, 4},
	{DOC("[1x]"), msg_number, 1, 3},
	{DOC("0x10"), msg_number, 1, 2},
	{DOC("NaN"), msg_number, 1, 1},
	{DOC("[Infinity]"), msg_number, 1, 2},
	{DOC("[-Infinity]"), msg_number, 1, 3},
	// literals
	{DOC("[tru]"), msg_literal, 1, 5},
	{DOC("nul"), msg_literal, 1, 4},
	{DOC("[True]"), msg_literal, 1, 2},
	{DOC("{\"a\": yes}"), msg_literal, 1, 7},
	{DOC("truex"), msg_literal, 1, 5},
	{DOC("[nan]"), msg_literal, 1, 3},
	// msg_duplicate keys
	{DOC("{\"a\": 1, \"a\": 2}"), msg_duplicate, 1, 10},
	{DOC("{\n  \"a\": {\"a\": 1},\n  \"b\": 2,\n  \"a\": 3\n}"), msg_duplicate, 4, 3},
	{DOC("{\"a\":\"}\\\"{\",\"b\":[\"]\"],\"a\":1}"), msg_duplicate, 1, 23},
	{DOC("[{\"x\": 1}, {\"y\": [], \"y\": {}}]"), msg_duplicate, 1, 22},
	{DOC("{\"a\":\"\\\"\", \"a\":1}"), msg_duplicate, 1, 12}, // {"a":"\"", "a":1}
	// {"b":"\"", "a":1, "a":2}: the escaped quote sits in a value the re-scan must skip
	{DOC("{\"b\":\"\\\"\", \"a\":1, \"a\":2}"), msg_duplicate, 1, 19},
	{DOC("{\"\xec\x84\x9c\xec\x9a\xb8\": 1,\r\n \"\xec\x84\x9c\xec\x9a\xb8\": 2}"),
	 msg_duplicate, 2, 2},
	// NUL bytes
	{DOC("[1,\0 2]"), msg_nul, 1, 4},
	{DOC("\"a\0b\""), msg_nul, 1, 3},
	{DOC("{}\0"), msg_nul, 1, 3},
	{DOC("1\0"), msg_nul, 1, 2},
	{DOC("tr\0e"), msg_nul, 1, 3},
	{DOC("\"\\\0\""), msg_nul, 1, 3},
	{DOC("\"\\u0\0\"\""), msg_nul, 1, 5},
	{DOC("\0"), msg_nul, 1, 1},
	{DOC("{\"a\":1,\0}"), msg_nul, 1, 8},
};

static void broken_table(void)
{
	for (size_t i = 0; i < sizeof(broken_cases) / sizeof(broken_cases[0]); i++) {
		const struct broken_case *c = &broken_cases[i];
		size_t offset = (size_t)-1;
		const char *message = NULL;
		int before = check_failures_in_case;
		CHECK(!check_exact(c->text, c->len, &offset, &message));
		CHECK_STR(message, c->message);
		CHECK(offset <= c->len);
		struct text_pos pos = json_text_pos(c->text, c->len, offset);
		CHECK_INT(pos.line, c->line);
		CHECK_INT(pos.column, c->column);
		if (check_failures_in_case != before) {
			printf("#   in broken case %zu (offset %zu)\n", i, offset);
		}
	}
}

/* Every message of the contract appears in the table above. */
static void broken_table_covers_messages(void)
{
	static const char *const messages[] = {
		msg_eof, msg_value, msg_after_member, msg_after_element, msg_key, msg_colon,
		msg_trailing_brace, msg_trailing_bracket, msg_unterminated, msg_control,
		msg_escape, msg_u_escape, msg_utf8, msg_number, msg_literal, msg_after_value,
		msg_duplicate, msg_nul,
	};
	for (size_t m = 0; m < sizeof(messages) / sizeof(messages[0]); m++) {
		bool found = false;
		for (size_t i = 0; i < sizeof(broken_cases) / sizeof(broken_cases[0]); i++) {
			found = found || broken_cases[i].message == messages[m];
		}
		if (!found) {
			printf("# no broken case for \"%s\"\n", messages[m]);
			check_failures_in_case++;
		}
	}
}

static void messages_read_well(void)
{
	size_t offset;
	const char *message = NULL;
	CHECK(!check_exact(DOC("\"a\nb\""), &offset, &message));
	CHECK_STR(message, "control character in string (use \\n, \\t, ...)");
	CHECK(message && strstr(message, "use \\n, \\t") != NULL); // a backslash, then 'n'
	CHECK(!check_exact(DOC("\"\\u\""), &offset, &message));
	CHECK(message && strstr(message, "invalid \\u escape") == message);
}

/* Success leaves the out parameters alone; NULL out parameters are fine on failure. */
static void out_parameters(void)
{
	size_t offset = 42;
	const char *message = "untouched";
	CHECK(check_exact(DOC("[]"), &offset, &message));
	CHECK_INT(offset, 42);
	CHECK_STR(message, "untouched");
	CHECK(!check_exact(DOC("[,]"), NULL, NULL));
	CHECK(!json_check_syntax(NULL, 0, &offset, &message));
	CHECK_STR(message, "unexpected end of file");
	CHECK_INT(offset, 0);
}

/* ---- valid documents ---- */

struct valid_case {
	const char *text;
	size_t len;
};

static const struct valid_case valid_cases[] = {
	{DOC("0")},
	{DOC("-0")},
	{DOC("1e-7")},
	{DOC("0.5E+3")},
	{DOC("-12.5e10")},
	{DOC("1E400")},
	{DOC("[0,-0.0,10,1e5,2E-0]")},
	{DOC("[]")},
	{DOC("{}")},
	{DOC(" \t\r\n{ } \r\n")},
	{DOC("[ ]")},
	{DOC("\"\"")},
	{DOC("true")},
	{DOC("false")},
	{DOC("null")},
	{DOC("[true,false,null]")},
	{DOC("{\"a\":{\"b\":[1,{\"c\":null}]}}")},
	{DOC("\"\\uD83D\\uDE00\"")},
	{DOC("\"\\u00e9\\u00E9\\/\\\\\\\"\\b\\f\\n\\r\\t\"")},
	{DOC("\"\\u0000\"")},
	{DOC("\"\xec\x84\x9c\xec\x9a\xb8 \xeb\x82\xa0\xec\x94\xa8 "
	     "\xe2\x98\x80 \xf0\x9f\x98\x80\"")},
	{DOC("{\"\xec\x9d\xb4\xeb\xa6\x84\": \"\xec\x84\x9c\xec\x9a\xb8\", "
	     "\"\xec\x9d\xb8\xea\xb5\xac\": 9668465}")},
	{DOC("\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf\"")},
	{DOC("\"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"")}, // U+10000 and U+10FFFF
	{DOC("{\"a\":1,\"b\":1}")},
	{DOC("{\"a\": {\"a\": 1}}")},            // same name, different objects
	{DOC("[{\"a\":1},{\"a\":2}]")},
	{DOC("{\"a\":1,\"ab\":2,\"b\":3,\"\":4}")}, // prefixes are not duplicates
	{DOC("{\"a\\\"\":1,\"a\":2}")},
	{DOC("{\"a\":\"x\\\",\\\"b\",\"b\":1}")}, // {"a":"x\",\"b","b":1}
	{DOC("\"\x7f\"")},
	{DOC("{\"a\":\"}{][\",\"b\":\"\\\"\",\"c\":[\"]\",{\"a\":[]}],\"d\":1}")},
	{DOC("{\r\n  \"name\": \"wall\",\r\n  \"tiles\": [1, 2]\r\n}\r\n")},
};

static void valid_table(void)
{
	for (size_t i = 0; i < sizeof(valid_cases) / sizeof(valid_cases[0]); i++) {
		size_t offset = 0;
		const char *message = NULL;
		if (!check_exact(valid_cases[i].text, valid_cases[i].len, &offset, &message)) {
			printf("# valid case %zu rejected at %zu: %s\n", i, offset, message);
			check_failures_in_case++;
		}
	}
}

/* ---- nesting and hostile sizes ---- */

/* depth times open, then `middle`, then the matching closers. */
static char *nested(int depth, const char *open, const char *middle, size_t *len)
{
	size_t o = strlen(open), m = strlen(middle);
	char *s = malloc((size_t)depth * (o + 1) + m + 1);
	if (!s) {
		abort();
	}
	size_t n = 0;
	for (int i = 0; i < depth; i++, n += o) {
		memcpy(s + n, open, o);
	}
	memcpy(s + n, middle, m);
	n += m;
	for (int i = depth - 1; i >= 0; i--) {
		s[n++] = open[0] == '[' ? ']' : '}';
	}
	*len = n;
	return s;
}

static void deep_nesting_allowed(void)
{
	size_t len, offset = 0;
	const char *message = NULL;
	char *s = nested(JSON_SCAN_MAX_DEPTH, "[", "1", &len);
	CHECK(json_check_syntax(s, len, &offset, &message));
	free(s);
	s = nested(JSON_SCAN_MAX_DEPTH, "{\"a\":", "[]", &len);
	CHECK(!json_check_syntax(s, len, &offset, &message)); // 200 objects + 1 array
	CHECK_STR(message, "nesting too deep");
	free(s);
	s = nested(JSON_SCAN_MAX_DEPTH, "{\"a\":", "0", &len);
	CHECK(json_check_syntax(s, len, &offset, &message));
	free(s);
}

static void too_deep(void)
{
	size_t len, offset = 0;
	const char *message = NULL;
	char *s = nested(JSON_SCAN_MAX_DEPTH + 1, "[", "", &len);
	CHECK(!json_check_syntax(s, len, &offset, &message));
	CHECK_STR(message, "nesting too deep");
	CHECK_INT(offset, JSON_SCAN_MAX_DEPTH);
	free(s);
}

static void hostile_brackets(void)
{
	size_t len = 100000, offset = 0;
	const char *message = NULL;
	char *s = malloc(len);
	if (!s) {
		abort();
	}
	memset(s, '[', len);
	CHECK(!json_check_syntax(s, len, &offset, &message));
	CHECK_STR(message, "nesting too deep");
	struct text_pos pos = json_text_pos(s, len, offset);
	CHECK_INT(pos.line, 1);
	CHECK_INT(pos.column, JSON_SCAN_MAX_DEPTH + 1);
	size_t value = 0;
	CHECK(!json_locate(s, len, "", &value, NULL));
	CHECK(!json_locate(s, len, "/0/0/0", &value, NULL));
	free(s);
}

/* {"k0":0,"k1":1,...} with `count` keys; key number `dup` (if not -1) repeats "k0". */
static char *many_keys(int count, int dup, size_t *len)
{
	char *s = malloc((size_t)count * 32 + 2);
	if (!s) {
		abort();
	}
	size_t n = 0;
	s[n++] = '{';
	for (int i = 0; i < count; i++) {
		n += (size_t)sprintf(s + n, "%s\"k%d\":%d", i ? "," : "", i == dup ? 0 : i, i);
	}
	s[n++] = '}';
	*len = n;
	return s;
}

static void many_keys_complete(void)
{
	size_t len, offset = 0;
	const char *message = NULL;
	char *s = many_keys(5000, -1, &len);
	CHECK(json_check_syntax(s, len, &offset, &message));
	size_t value = 0;
	CHECK(json_locate(s, len, "/k4999", &value, NULL));
	CHECK(value + 5 <= len && memcmp(s + value, "4999}", 5) == 0);
	free(s);
	s = many_keys(100000, -1, &len);
	CHECK(json_check_syntax(s, len, &offset, &message));
	free(s);
}

/* The check covers the first 1000 keys of an object and stops after that. */
static void duplicate_check_bound(void)
{
	size_t len, offset = 0;
	const char *message = NULL;
	char *s = many_keys(5000, 999, &len);
	CHECK(!json_check_syntax(s, len, &offset, &message));
	CHECK_STR(message, "duplicate key");
	CHECK(offset < len && memcmp(s + offset, "\"k0\":999", 8) == 0);
	free(s);
	s = many_keys(5000, 1000, &len);
	CHECK(json_check_syntax(s, len, &offset, &message));
	free(s);
}

/* Every prefix and every single-byte change of a document: no crash, sane offsets. */
static void mutations(void)
{
	static const char doc[] = "{\"a\": [1, -2.5e3, \"x\\u00e9\\n\xec\x84\x9c\"], \"b\": "
				  "{\"c\": true, \"d\": null}, \"e\": \"\\uD83D\\uDE00\"}";
	static const unsigned char bytes[] = {0, '"', '\\', '{', '}', '[', ']', ',', ':', 'u',
					      '0', 0x80, 0xC0, 0xED, 0xF4, 0xFF, ' '};
	size_t len = sizeof(doc) - 1, offset;
	const char *message;
	for (size_t n = 0; n < len; n++) {
		offset = (size_t)-1;
		message = NULL;
		if (check_exact(doc, n, &offset, &message) || offset > n || !message) {
			printf("# prefix %zu: accepted or bad offset %zu\n", n, offset);
			check_failures_in_case++;
		}
		char *copy = exact_copy(doc, n);
		size_t value;
		json_locate(copy, n, "/b/d", &value, NULL);
		json_locate(copy, n, "/a/3", &value, NULL);
		free(copy);
	}
	CHECK(check_exact(doc, len, &offset, &message));
	char *copy = exact_copy(doc, len);
	for (size_t i = 0; i < len; i++) {
		for (size_t b = 0; b < sizeof(bytes); b++) {
			char saved = copy[i];
			copy[i] = (char)bytes[b];
			offset = (size_t)-1;
			message = NULL;
			if (!json_check_syntax(copy, len, &offset, &message) &&
			    (offset > len || !message)) {
				printf("# mutation %zu/%zu: offset %zu\n", i, b, offset);
				check_failures_in_case++;
			}
			size_t value;
			json_locate(copy, len, "/e", &value, NULL);
			copy[i] = saved;
		}
	}
	free(copy);
}

/* ---- json_locate ---- */

static const char layout[] = "{\n"                                               // 1
			     "  \"name\": \"city\",\n"                           // 2
			     "  \"tiles\": [\n"                                  // 3
			     "    {\"span\": 2, \"id\": \"a\"},\n"               // 4
			     "    {\"span\": [1, 2], \"a/b\": 1, \"m~n\": 2}\n" // 5
			     "  ],\n"                                            // 6
			     "  \"caf\\u00e9\": true,\n"                         // 7
			     "  \"sl\\/ash\": 3,\n"                              // 8
			     "  \"emoji\\uD83D\\uDE00\": 4,\n"                   // 9
			     "  \"dup\": 1,\n"                                   // 10
			     "  \"dup\": 2,\n"                                   // 11
			     "  \"\": 5,\n"                                      // 12
			     "  \"tab\\t\": [[], [[7]]]\n"                       // 13
			     "}\n";

struct locate_case {
	const char *pointer;
	int key_line, key_column;
	int value_line, value_column;
};

static const struct locate_case locate_cases[] = {
	{"", 1, 1, 1, 1},
	{"/name", 2, 3, 2, 11},
	{"/tiles", 3, 3, 3, 12},
	{"/tiles/0", 4, 5, 4, 5},
	{"/tiles/0/span", 4, 6, 4, 14},
	{"/tiles/0/id", 4, 17, 4, 23},
	{"/tiles/1", 5, 5, 5, 5},
	{"/tiles/1/span", 5, 6, 5, 14},
	{"/tiles/1/span/1", 5, 18, 5, 18},
	{"/tiles/1/a~1b", 5, 22, 5, 29},
	{"/tiles/1/m~0n", 5, 32, 5, 39},
	{"/caf\xc3\xa9", 7, 3, 7, 16},
	{"/sl~1ash", 8, 3, 8, 14},
	{"/emoji\xf0\x9f\x98\x80", 9, 3, 9, 24},
	{"/dup", 10, 3, 10, 10}, // the first of two wins
	{"/", 12, 3, 12, 7},
	{"/tab\t/1", 13, 17, 13, 17},
	{"/tab\t/1/0/0", 13, 19, 13, 19},
};

static void locate_table(void)
{
	size_t len = sizeof(layout) - 1;
	char *copy = exact_copy(layout, len);
	for (size_t i = 0; i < sizeof(locate_cases) / sizeof(locate_cases[0]); i++) {
		const struct locate_case *c = &locate_cases[i];
		size_t value = (size_t)-1, key = (size_t)-1;
		if (!json_locate(copy, len, c->pointer, &value, &key)) {
			printf("# locate \"%s\": not found\n", c->pointer);
			check_failures_in_case++;
			continue;
		}
		struct text_pos k = json_text_pos(copy, len, key);
		struct text_pos v = json_text_pos(copy, len, value);
		if (k.line != c->key_line || k.column != c->key_column ||
		    v.line != c->value_line || v.column != c->value_column) {
			printf("# locate \"%s\": expected key %d:%d value %d:%d, got %d:%d %d:%d\n",
			       c->pointer, c->key_line, c->key_column, c->value_line,
			       c->value_column, k.line, k.column, v.line, v.column);
			check_failures_in_case++;
		}
	}
	free(copy);
}

static void locate_exact_offsets(void)
{
	size_t len = sizeof(layout) - 1, value = 0, key = 0;
	CHECK(json_locate(layout, len, "/name", &value, &key));
	CHECK_INT(key, 4);
	CHECK_INT(value, 12);
	CHECK(memcmp(layout + value, "\"city\"", 6) == 0);
	CHECK(json_locate(layout, len, "/tiles/1/span/0", &value, &key));
	CHECK_INT(key, value);
	CHECK(layout[value] == '1' && layout[value + 1] == ',');
	CHECK(json_locate(DOC("  [10, 20]  "), "", &value, &key));
	CHECK_INT(value, 2);
	CHECK_INT(key, 2);
	CHECK(json_locate(DOC("  [10, 20]  "), "/1", &value, NULL));
	CHECK_INT(value, 7);
	CHECK(json_locate(DOC("  [10, 20]  "), "/0", NULL, &key));
	CHECK_INT(key, 3);
	CHECK(json_locate(DOC("{\"a\":{\"\\\"\\\\\":[0]}}"), "/a/\"\\/0", &value, NULL));
	CHECK_INT(value, 14);
	CHECK(json_locate(DOC("{\"\\b\\f\\n\\r\\t\\\"\\\\\\/x\": 7}"),
			  "/\b\f\n\r\t\"\\~1x", &value, NULL));
	CHECK_INT(value, 22);
}

static void locate_missing(void)
{
	static const char *const pointers[] = {
		"/nope", "/tiles/2", "/tiles/01", "/tiles/-", "/tiles/x", "/tiles/",
		"/name/0", "/tiles/0/span/0", "name", "/caf", "/cafe", "/caf\\u00e9",
		"/sl/ash", "/tiles/1/a/b", "/tiles/1/m~n", "/tiles/1/m~2n", "/tiles/0/SPAN",
		"/tiles/99999999999999999999999", "//", "/tiles/0/span ", "/dup/0", "/tab",
		"/tab\\t",
	};
	size_t len = sizeof(layout) - 1;
	char *copy = exact_copy(layout, len);
	for (size_t i = 0; i < sizeof(pointers) / sizeof(pointers[0]); i++) {
		size_t value = 77, key = 77;
		if (json_locate(copy, len, pointers[i], &value, &key) || value != 77 || key != 77) {
			printf("# locate \"%s\": found or touched the outputs\n", pointers[i]);
			check_failures_in_case++;
		}
	}
	CHECK(!json_locate(copy, len, NULL, NULL, NULL));
	free(copy);
}

struct malformed_case {
	const char *text;
	size_t len;
	const char *pointer;
};

static const struct malformed_case malformed_cases[] = {
	{DOC(""), ""},
	{DOC("   "), ""},
	{DOC("{\"a\" 1}"), "/a"},
	{DOC("{\"x\": [1,,2], \"a\": 1}"), "/a"},
	{DOC("{\"x\": [1,2 \"a\": 1}"), "/a"},
	{DOC("[1, 2"), "/5"},
	{DOC("[1, 2,]"), "/2"},
	{DOC("[]"), "/0"},
	{DOC("{\"a\": tru}"), "/a"},
	{DOC("{\"a\": \"x"), "/a"},
	{DOC("{\"a\xff\": 1, \"b\": 2}"), "/b"},
	{DOC("{\"a\": \"\\q\", \"b\": 2}"), "/b"},
	{DOC("{\"a\": 1,}"), "/b"},
	{DOC("{\"a\": 1 \"b\": 2}"), "/b"},
	{DOC("{\"a\"\0: 1}"), "/a"},
	{DOC("{\"a\": "), "/a"},
	{DOC("{\"a\": {"), "/a/b"},
	{DOC("["), "/0"},
	{DOC("1 2"), "/0"},
};

static void locate_malformed(void)
{
	for (size_t i = 0; i < sizeof(malformed_cases) / sizeof(malformed_cases[0]); i++) {
		const struct malformed_case *c = &malformed_cases[i];
		char *copy = exact_copy(c->text, c->len);
		size_t value;
		if (json_locate(copy, c->len, c->pointer, &value, NULL)) {
			printf("# malformed case %zu: found \"%s\" at %zu\n", i, c->pointer, value);
			check_failures_in_case++;
		}
		free(copy);
	}
}

/* Members before the target need only be well-formed; what follows it is not looked at. */
static void locate_stops_at_value(void)
{
	size_t value = 0;
	CHECK(json_locate(DOC("{\"a\": [1, {\"b\": null}], \"c\": 1, \"c\": ]"), "/a/1/b", &value,
			  NULL));
	CHECK_INT(value, 16);
	CHECK(json_locate(DOC("{\"x\": {\"d\": 1, \"d\": 2}, \"a\": 3}"), "/a", &value, NULL));
	CHECK_INT(value, 29);
}

static void locate_depth(void)
{
	size_t len, value = 0;
	char *s = nested(JSON_SCAN_MAX_DEPTH, "[", "5", &len);
	char pointer[2 * JSON_SCAN_MAX_DEPTH + 3];
	for (int i = 0; i < JSON_SCAN_MAX_DEPTH; i++) {
		memcpy(pointer + 2 * i, "/0", 2);
	}
	pointer[2 * JSON_SCAN_MAX_DEPTH] = '\0';
	CHECK(json_locate(s, len, pointer, &value, NULL));
	CHECK_INT(value, JSON_SCAN_MAX_DEPTH);
	free(s);
	s = nested(JSON_SCAN_MAX_DEPTH + 1, "[", "5", &len);
	CHECK(!json_locate(s, len, pointer, &value, NULL)); // the target [5] is one level too deep
	strcat(pointer, "/0");
	CHECK(!json_locate(s, len, pointer, &value, NULL));
	free(s);
}

static const struct check_case cases[] = {
	{"text_pos: lines, UTF-8 columns, CRLF, clamping", text_pos_table},
	{"text_pos: NULL text", text_pos_null},
	{"syntax: broken documents give message and line:column", broken_table},
	{"syntax: every message has a broken case", broken_table_covers_messages},
	{"syntax: messages read as the user sees them", messages_read_well},
	{"syntax: out parameters", out_parameters},
	{"syntax: valid documents pass", valid_table},
	{"syntax: nesting up to the limit passes", deep_nesting_allowed},
	{"syntax: nesting past the limit fails", too_deep},
	{"syntax: 100000 '[' fail without a crash", hostile_brackets},
	{"syntax: objects with 5000 and 100000 keys complete", many_keys_complete},
	{"syntax: duplicate check bound at 1000 keys", duplicate_check_bound},
	{"syntax and locate: prefixes and mutations", mutations},
	{"locate: keys and values by line:column", locate_table},
	{"locate: exact offsets", locate_exact_offsets},
	{"locate: missing members and bad pointers", locate_missing},
	{"locate: malformed text", locate_malformed},
	{"locate: stops at the value", locate_stops_at_value},
	{"locate: depth limit", locate_depth},
};

CHECK_MAIN(cases)
