/*
 * CSV sources (feed/csv_parse.c, feed/doc_text.c): every RFC 4180 rule, the numeric-column
 * rule, encodings (CP949 written as escaped bytes), exact error messages with lines, the real
 * 119 dispatch excerpt in shared/data/samples read through selectors (skipped when the folder
 * is absent), and a CSV file source through the fetcher: a broken file keeps the last good
 * snapshot and names its line; the on-disk cache is read back as CSV.
 */

#include "check.h"
#include "source_checks.h"

#include "feed/csv_parse.h"
#include "feed/doc_text.h"
#include "feed/fetcher.h"
#include "feed/snapshot_parse.h"
#include "model/path.h"
#include "util/diag.h"
#include "util/fileio.h"
#include "util/log.h"
#include "util/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static struct source_config config_of(enum source_encoding encoding, const char *timestamp)
{
	return (struct source_config){
		.name = "csv",
		.format = SOURCE_FORMAT_CSV,
		.encoding = encoding,
		.timestamp = (char *)timestamp,
		.clock_tolerance = INFINITY, // fetched "at 5 s": no clock check
	};
}

/* Parses `len` bytes of text as CSV; NULL with the first message in last_error. */
static struct snapshot *parse_enc(const char *text, size_t len, enum source_encoding encoding)
{
	struct source_config c = config_of(encoding, NULL);
	return parse_as(text, len, &c, "t.csv");
}

static struct snapshot *parse(const char *text)
{
	return parse_enc(text, strlen(text), SOURCE_ENCODING_AUTO);
}

#define CHECK_NULL(snap, path)                                                            \
	do {                                                                              \
		const struct value *v_ = at(snap, path);                                  \
		CHECK(v_ && v_->kind == VALUE_NULL);                                      \
	} while (0)

static size_t row_count(const struct snapshot *snap)
{
	const struct value *rows = at(snap, "rows");
	return rows && rows->kind == VALUE_ARRAY ? rows->array.count : (size_t)-1;
}

/* ---- the document ---- */

static void csv_rows_by_column_name(void)
{
	struct snapshot *s = parse("station,calls,avg_min\n중랑소방서,12,6.5\n노원소방서,,7\n");
	CHECK(s != NULL);
	CHECK_INT(row_count(s), 2);
	CHECK_TEXT(s, "rows/0/station", "중랑소방서");
	CHECK_NUMBER(s, "rows/0/calls", 12);
	CHECK_NUMBER(s, "rows/0/avg_min", 6.5);
	CHECK_NULL(s, "rows/1/calls");
	CHECK_NUMBER(s, "rows/1/avg_min", 7);
	CHECK_INT(s ? s->root->object.count : 0, 1); // {"rows": [...]} and nothing else
	CHECK_TEXT(s, "rows[station=노원소방서]/station", "노원소방서");
	snapshot_unref(s);
}

static void csv_rfc4180_quoting(void)
{
	struct snapshot *s = parse("name,note,n\r\n"
				   "\"Seoul, Jung-gu\",\"say \"\"hi\"\"\",\"1\"\r\n"
				   "\"two\nlines\",\"crlf\r\ninside\",2\r\n"
				   "\"\",plain,3");
	CHECK(s != NULL);
	CHECK_INT(row_count(s), 3);
	CHECK_TEXT(s, "rows/0/name", "Seoul, Jung-gu");
	CHECK_TEXT(s, "rows/0/note", "say \"hi\"");
	CHECK_NUMBER(s, "rows/0/n", 1); // quoting does not make a number text
	CHECK_TEXT(s, "rows/1/name", "two\nlines");
	CHECK_TEXT(s, "rows/1/note", "crlf\r\ninside");
	CHECK_NULL(s, "rows/2/name");
	CHECK_NUMBER(s, "rows/2/n", 3);
	snapshot_unref(s);
}

static void csv_bom_blank_lines_and_lone_cr(void)
{
	struct snapshot *s = parse("\xEF\xBB\xBF" "id,v\n\n1,a\r\n\r\n2,b\r3,c\n\n");
	CHECK(s != NULL);
	CHECK_INT(row_count(s), 3);
	CHECK_NUMBER(s, "rows/0/id", 1); // the BOM is not part of the first name
	CHECK_TEXT(s, "rows/1/v", "b");
	CHECK_TEXT(s, "rows/2/v", "c");
	snapshot_unref(s);
	s = parse("only,header\n");
	CHECK_INT(row_count(s), 0);
	snapshot_unref(s);
}

static void csv_numeric_columns(void)
{
	/* The 119 export writes times without leading zeros (331 is 00:03:31): numbers. A code
	 * column with leading zeros stays text in every row, even where a cell alone would pass. */
	struct snapshot *s = parse("time,code,mixed,id,big,neg,frac,exp,plus,space,dec\n"
				   "331,01012,5,20211122103M01526,9007199254740993,-5,0.5,1e5,+5, 5,1.\n"
				   "104800,11680,x,1,9007199254740992,0,37.566535,2,6,6,2\n"
				   ",,,,,,,,,,\n");
	CHECK(s != NULL);
	CHECK_NUMBER(s, "rows/0/time", 331);
	CHECK_NUMBER(s, "rows/1/time", 104800);
	CHECK_NULL(s, "rows/2/time");
	CHECK_TEXT(s, "rows/0/code", "01012");
	CHECK_TEXT(s, "rows/1/code", "11680");
	CHECK_TEXT(s, "rows/0/mixed", "5");
	CHECK_TEXT(s, "rows/0/id", "20211122103M01526");
	CHECK_TEXT(s, "rows/1/id", "1");
	CHECK_TEXT(s, "rows/0/big", "9007199254740993"); // past 2^53: a double would change it
	CHECK_TEXT(s, "rows/1/big", "9007199254740992");
	CHECK_NUMBER(s, "rows/0/neg", -5);
	CHECK_NUMBER(s, "rows/1/neg", 0);
	CHECK_NUMBER(s, "rows/1/frac", 37.566535);
	CHECK_TEXT(s, "rows/0/exp", "1e5");
	CHECK_TEXT(s, "rows/0/plus", "+5");
	CHECK_TEXT(s, "rows/0/space", " 5");
	CHECK_TEXT(s, "rows/0/dec", "1.");
	snapshot_unref(s);
}

static void csv_plain_number_rule(void)
{
	static const struct {
		const char *text;
		bool number;
		double value;
	} cases[] = {
		{"0", true, 0},
		{"-0.25", true, -0.25},
		{"89", true, 89},
		{"1220003800", true, 1220003800},
		{"9007199254740992", true, 9007199254740992.0},
		{"-9007199254740992", true, -9007199254740992.0},
		{"123456789012345.6", false, 0}, // 16 significant digits
		{"12345678901234.5", true, 12345678901234.5},
		{"0.000000000000001", true, 1e-15},
		{"00", false, 0},
		{"0331", false, 0},
		{"-", false, 0},
		{"", false, 0},
		{".5", false, 0},
		{"1,234", false, 0},
		{"0x10", false, 0},
		{"nan", false, 0},
		{"12345678901234567890", false, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double v = -1;
		bool got = doc_text_plain_number(cases[i].text, strlen(cases[i].text), &v);
		if (got != cases[i].number || (got && v != cases[i].value)) {
			printf("# \"%s\": %s %.17g\n", cases[i].text, got ? "number" : "text", v);
		}
		CHECK(got == cases[i].number);
		CHECK(!got || v == cases[i].value);
	}
}

static void csv_header_names(void)
{
	struct snapshot *s = parse("a,,c,\n1,2,3,4\n");
	CHECK(s != NULL);
	CHECK_NUMBER(s, "rows/0/col2", 2);
	CHECK_NUMBER(s, "rows/0/col4", 4);
	snapshot_unref(s);
}

/* ---- errors, with exact messages ---- */

static void csv_errors_name_the_line(void)
{
	static const struct {
		const char *text;
		const char *message;
	} cases[] = {
		{"", "t.csv:1: error: empty CSV document: the first line must name the columns"},
		{"\n\r\n", "t.csv:1: error: empty CSV document: the first line must name the columns"},
		{"a,b,a\n1,2,3\n", "t.csv:1: error: column 3 repeats the name \"a\" of column 1"},
		{"a,col3,\n", "t.csv:1: error: column 3 repeats the name \"col3\" of column 2"},
		{"a,b,c\n1,2,3\n4,5\n", "t.csv:3: error: this row has 2 fields, the header has 3"},
		{"a,b\n1,2\n\n1,2,3,4\n", "t.csv:4: error: this row has 4 fields, the header has 2"},
		{"a\n\"x\ny\",\n", "t.csv:2: error: this row has 2 fields, the header has 1"},
		{"a,b\n1,\"open\n2,3\n", "t.csv:2:3: error: quoted field is never closed"},
		{"a,b\n1,x\"y\"\n", "t.csv:2:4: error: '\"' inside an unquoted field: quote the whole "
				    "field and double the quote (\"a \"\"b\"\"\")"},
		{"a,b\n중구,\"x\"y\n", "t.csv:2:7: error: expected ',' or a line end after the "
				      "closing quote"},
		{"a,b\n1,2\0\n", "t.csv:2:4: error: NUL byte in the document (byte 0x00)"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = strlen(cases[i].text);
		if (strstr(cases[i].message, "NUL")) {
			len += 2;
		}
		struct snapshot *s = parse_enc(cases[i].text, len, SOURCE_ENCODING_AUTO);
		CHECK(s == NULL);
		CHECK_STR(last_error, cases[i].message);
		snapshot_unref(s);
	}
}

static void csv_limits(void)
{
	size_t columns = CSV_MAX_COLUMNS + 1;
	char *text = xmalloc(columns * 8 + 8);
	size_t n = 0;
	for (size_t c = 0; c < columns; c++) {
		n += (size_t)sprintf(text + n, "%sc%zu", c ? "," : "", c);
	}
	text[n++] = '\n';
	text[n] = '\0';
	struct snapshot *s = parse(text);
	CHECK(s == NULL);
	CHECK_STR(last_error, "t.csv:1: error: more than 1000 columns");
	free(text);

	/* One column, CSV_MAX_ROWS + 1 rows. */
	text = xmalloc(2 * (CSV_MAX_ROWS + 2) + 8);
	n = (size_t)sprintf(text, "v\n");
	for (size_t r = 0; r <= CSV_MAX_ROWS; r++) {
		text[n++] = '1';
		text[n++] = '\n';
	}
	text[n] = '\0';
	s = parse(text);
	CHECK(s == NULL);
	CHECK_STR(last_error, "t.csv:200002: error: more than 200000 rows");
	free(text);
}

/* ---- encodings ---- */

/* "소방서명,n\n중랑소방서,1\n똠,2\n" in CP949 (똠 is in CP949 but not in EUC-KR). */
static const char cp949_doc[] = "\xBC\xD2\xB9\xE6\xBC\xAD\xB8\xED,n\n"
				"\xC1\xDF\xB6\xFB\xBC\xD2\xB9\xE6\xBC\xAD,1\n"
				"\x8C\x63,2\n";

static void csv_cp949_detected_and_forced(void)
{
	static const enum source_encoding encodings[] = {SOURCE_ENCODING_AUTO,
							 SOURCE_ENCODING_CP949};
	for (size_t i = 0; i < 2; i++) {
		struct snapshot *s = parse_enc(cp949_doc, sizeof(cp949_doc) - 1, encodings[i]);
		CHECK(s != NULL);
		CHECK_TEXT(s, "rows/0/소방서명", "중랑소방서");
		CHECK_TEXT(s, "rows/1/소방서명", "똠");
		CHECK_NUMBER(s, "rows/1/n", 2);
		snapshot_unref(s);
	}
	struct snapshot *s = parse_enc(cp949_doc, sizeof(cp949_doc) - 1, SOURCE_ENCODING_UTF8);
	CHECK(s == NULL);
	CHECK_STR(last_error, "t.csv:1:1: error: invalid UTF-8; a CP949 or EUC-KR file needs "
			      "\"encoding\": \"cp949\" (byte 0xBC)");
	/* UTF-8 stays UTF-8 under auto; a stray byte that is not CP949 either is named. */
	s = parse_enc("a\n\xEC\xA4\x91\n", 6, SOURCE_ENCODING_AUTO);
	CHECK_TEXT(s, "rows/0/a", "중");
	snapshot_unref(s);
	s = parse_enc("a\nx\xFF\n", 5, SOURCE_ENCODING_AUTO);
	CHECK(s == NULL);
	CHECK_STR(last_error, "t.csv:2:2: error: neither UTF-8 nor CP949: invalid byte sequence "
			      "(byte 0xFF)");
	s = parse_enc("a\n\xC1", 3, SOURCE_ENCODING_CP949);
	CHECK(s == NULL);
	CHECK_STR(last_error, "t.csv:2:1: error: CP949 text ends inside a character (byte 0xC1)");
}

static void csv_timestamp_path(void)
{
	const char *text = "station,updated\n중랑,2026-11-25T09:00:00+09:00\n";
	struct diag_list diags;
	diag_list_init(&diags);
	struct source_config c = config_of(SOURCE_ENCODING_AUTO, "rows/0/updated");
	struct snapshot *s = snapshot_parse_source(text, strlen(text), "t.csv", &c, 5, &diags);
	CHECK(s != NULL);
	CHECK_NEAR(s ? s->generated_at : 0, 1795564800.0, 0);
	CHECK_STR(s ? s->source : NULL, "csv");
	snapshot_unref(s);
	c.timestamp = "rows/0/station";
	s = snapshot_parse_source(text, strlen(text), "t.csv", &c, 5, &diags);
	CHECK(s == NULL);
	char *line = diags.count ? diag_format(&diags.items[0]) : NULL;
	CHECK_STR(line, "t.csv: /rows/0/station: must be a time such as "
			"\"2026-11-25T09:00:00+09:00\", \"202611250900\" or epoch seconds");
	free(line);
	diag_list_finish(&diags);
}

/* ---- the real 119 dispatch excerpt ---- */

static void csv_real_119_excerpt(void)
{
	const char *root = getenv("CITYWALL_SOURCE_ROOT");
	char path[4096];
	snprintf(path, sizeof(path), "%s/../shared/data/samples/"
		 "seoul-119-ambulance-dispatch-excerpt.csv", root ? root : ".");
	char err[512];
	size_t len;
	char *text = NULL;
	if (!file_read_all(path, 1 << 20, &text, &len, err, sizeof(err))) {
		printf("# SKIP 119 excerpt: %s\n", err);
		return;
	}
	struct snapshot *s = parse_enc(text, len, SOURCE_ENCODING_AUTO);
	CHECK(s != NULL);
	CHECK_TEXT(s, "rows/0/소방서명", "중랑소방서");
	CHECK_INT(row_count(s), 20);
	const struct value *all[32];
	CHECK_INT(s ? path_select(s->root, "rows/*/소방서명", all, 32) : 0, 20);
	CHECK_TEXT(s, "rows/0/구급보고서번호", "20211122103M01526");
	CHECK_NUMBER(s, "rows/0/신고시각", 104800);
	CHECK_NUMBER(s, "rows/3/출동시각", 331); // 00:03:31, written without leading zeros
	CHECK_NUMBER(s, "rows/0/신고일자", 20210330);
	snapshot_unref(s);
	free(text);
}

/* ---- through the fetcher ---- */

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static struct fetcher *csv_fetcher(const char *path, const char *cache_dir)
{
	struct source_config c = {
		.name = "dispatch",
		.url = (char *)path,
		.interval = 10,
		.max_age = 60,
		.timeout = 5,
		.connect_timeout = 5,
		.max_bytes = 1 << 20,
		.timestamp = "generated_at",
		.format = SOURCE_FORMAT_CSV,
	};
	struct fetcher_options o = {.sources = &c, .source_count = 1, .cache_dir = cache_dir};
	char err[256];
	struct fetcher *f = fetcher_create(&o, err, sizeof(err));
	if (!f) {
		printf("# fetcher_create: %s\n", err);
	}
	return f;
}

static void csv_source_keeps_last_good(void)
{
	char dir[] = "/tmp/citywall-test-csv-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[256], cache[256];
	snprintf(path, sizeof(path), "%s/dispatch.csv", dir);
	snprintf(cache, sizeof(cache), "%s/cache", dir);
	write_text(path, "소방서명,건수\n중랑소방서,12\n노원소방서,9\n");
	struct fetcher *f = csv_fetcher(path, cache);
	CHECK(f != NULL);
	struct source_status st;
	fetcher_fetch_all_once(f);
	struct snapshot *s = fetcher_snapshot(f, 0, &st);
	CHECK_INT(st.state, SOURCE_OK);
	CHECK_NUMBER(s, "rows/1/건수", 9);
	snapshot_unref(s);

	/* A broken save: the status names file and line, the last good rows stay. */
	write_text(path, "소방서명,건수\n중랑소방서,12\n노원소방서\n");
	fetcher_fetch_all_once(f);
	s = fetcher_snapshot(f, 0, &st);
	CHECK_INT(st.state, SOURCE_FAILING);
	char expected[512];
	snprintf(expected, sizeof(expected), "%s:3: this row has 1 field, the header has 2",
		 path);
	CHECK_STR(st.last_error, expected);
	CHECK_NUMBER(s, "rows/1/건수", 9);
	snapshot_unref(s);
	fetcher_destroy(f);

	/* A restarted wall reads its cached CSV back as CSV. */
	f = csv_fetcher(path, cache);
	s = f ? fetcher_snapshot(f, 0, &st) : NULL;
	CHECK(st.from_cache);
	CHECK_TEXT(s, "rows/0/소방서명", "중랑소방서");
	snapshot_unref(s);
	fetcher_destroy(f);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
}

#define CASE(fn) {#fn, fn}

static const struct check_case cases[] = {
	CASE(csv_rows_by_column_name),
	CASE(csv_rfc4180_quoting),
	CASE(csv_bom_blank_lines_and_lone_cr),
	CASE(csv_numeric_columns),
	CASE(csv_plain_number_rule),
	CASE(csv_header_names),
	CASE(csv_errors_name_the_line),
	CASE(csv_limits),
	CASE(csv_cp949_detected_and_forced),
	CASE(csv_timestamp_path),
	CASE(csv_real_119_excerpt),
	CASE(csv_source_keeps_last_good),
};

CHECK_MAIN(cases)
