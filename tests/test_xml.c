/*
 * XML sources (feed/xml_parse.c): elements, attributes, repeated elements and "row" arrays,
 * mixed content, the numeric rule per value, CP949 documents, refused DOCTYPEs and entities,
 * caps, exact error messages with line and column, the real TOPIS and OpenAPI-error samples in
 * shared/data/samples through selectors (skipped when absent), and an XML file source through
 * the fetcher keeping its last good snapshot.
 */

#include "check.h"
#include "source_checks.h"

#include "feed/fetcher.h"
#include "feed/snapshot_parse.h"
#include "feed/xml_parse.h"
#include "model/path.h"
#include "util/diag.h"
#include "util/fileio.h"
#include "util/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static struct snapshot *parse_enc(const char *text, size_t len, enum source_encoding encoding)
{
	struct source_config c = {
		.name = "xml",
		.format = SOURCE_FORMAT_XML,
		.encoding = encoding,
		.timestamp = "generated_at",
	};
	return parse_as(text, len, &c, "t.xml");
}

static struct snapshot *parse(const char *text)
{
	return parse_enc(text, strlen(text), SOURCE_ENCODING_AUTO);
}

#define CHECK_KIND(snap, path, expected)                                                  \
	do {                                                                              \
		const struct value *v_ = at(snap, path);                                  \
		CHECK_STR(v_ ? value_kind_name(v_->kind) : "absent", expected);           \
	} while (0)

static size_t count_of(const struct snapshot *snap, const char *path)
{
	const struct value *v = at(snap, path);
	return v && v->kind == VALUE_ARRAY ? v->array.count : (size_t)-1;
}

/* ---- the tree ---- */

static const char traffic[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<TrafficInfo>\n"
	"  <list_total_count>2</list_total_count>\n"
	"  <RESULT><CODE>INFO-000</CODE><MESSAGE> 정상 처리되었습니다 </MESSAGE></RESULT>\n"
	"  <row><link_id>1170001600</link_id><prcs_spd>31.5</prcs_spd><road/></row>\n"
	"  <row><link_id>01170001601</link_id><prcs_spd>0</prcs_spd><road>올림픽대로</road></row>\n"
	"</TrafficInfo>\n";

static void xml_elements_become_members(void)
{
	struct snapshot *s = parse(traffic);
	CHECK(s != NULL);
	CHECK_INT(s ? s->root->object.count : 0, 1);
	CHECK_NUMBER(s, "TrafficInfo/list_total_count", 2);
	CHECK_TEXT(s, "TrafficInfo/RESULT/CODE", "INFO-000");
	CHECK_TEXT(s, "TrafficInfo/RESULT/MESSAGE", "정상 처리되었습니다"); // trimmed
	CHECK_INT(count_of(s, "TrafficInfo/row"), 2);
	CHECK_NUMBER(s, "TrafficInfo/row/0/link_id", 1170001600);
	CHECK_TEXT(s, "TrafficInfo/row/1/link_id", "01170001601"); // a code keeps its zero
	CHECK_NUMBER(s, "TrafficInfo/row/0/prcs_spd", 31.5);
	CHECK_NUMBER(s, "TrafficInfo/row/1/prcs_spd", 0);
	CHECK_KIND(s, "TrafficInfo/row/0/road", "null"); // empty element
	CHECK_TEXT(s, "TrafficInfo/row[road=올림픽대로]/link_id", "01170001601");
	snapshot_unref(s);
}

static void xml_row_always_an_array(void)
{
	struct snapshot *s = parse("<a><row><v>1</v></row><item>x</item></a>");
	CHECK_KIND(s, "a/row", "array");
	CHECK_INT(count_of(s, "a/row"), 1);
	CHECK_NUMBER(s, "a/row/0/v", 1);
	CHECK_KIND(s, "a/item", "string"); // other single elements are not arrays
	snapshot_unref(s);
	s = parse("<row>5</row>");
	CHECK_INT(count_of(s, "row"), 1);
	CHECK_NUMBER(s, "row/0", 5);
	snapshot_unref(s);
}

static void xml_repeated_names_keep_first_order(void)
{
	struct snapshot *s = parse("<a><x>1</x><y>2</y><x>3</x><z/><x>4</x></a>");
	CHECK(s != NULL);
	const struct value *a = at(s, "a");
	CHECK(a && a->kind == VALUE_OBJECT && a->object.count == 3);
	if (a && a->kind == VALUE_OBJECT && a->object.count == 3) {
		CHECK_STR(a->object.members[0].key, "x");
		CHECK_STR(a->object.members[1].key, "y");
		CHECK_STR(a->object.members[2].key, "z");
	}
	CHECK_INT(count_of(s, "a/x"), 3);
	CHECK_NUMBER(s, "a/x/0", 1);
	CHECK_NUMBER(s, "a/x/1", 3);
	CHECK_NUMBER(s, "a/x/2", 4);
	snapshot_unref(s);
}

static void xml_attributes_and_mixed_text(void)
{
	struct snapshot *s = parse("<m id=\"0042\" n=\"7\" e=\"\">\n  lead <b>bold</b> tail\n</m>"
				   "<!-- a comment --><?pi ignored?>");
	CHECK(s != NULL);
	CHECK_TEXT(s, "m/@id", "0042");
	CHECK_NUMBER(s, "m/@n", 7);
	CHECK_KIND(s, "m/@e", "null");
	CHECK_TEXT(s, "m/b", "bold");
	CHECK_TEXT(s, "m/#text", "lead  tail");
	snapshot_unref(s);
	/* Attributes only, and an attribute with text: text goes to "#text". */
	s = parse("<speed unit=\"km/h\">89</speed>");
	CHECK_TEXT(s, "speed/@unit", "km/h");
	CHECK_NUMBER(s, "speed/#text", 89);
	snapshot_unref(s);
	s = parse("<a><![CDATA[<b>&x]]> &amp; &#xC911;</a>");
	CHECK_TEXT(s, "a", "<b>&x & 중");
	snapshot_unref(s);
}

/* Found by fuzz_xml (UBSan): an element with attributes and no children sorted a NULL list. */
static void xml_attributes_only_element_no_null_sort(void)
{
	struct snapshot *s = parse("<soap:Envelope xmlns:soap=\"x\"><soap:Body>"
				   "<x a=\"1\" b=\"x\"/></soap:Body></soap:Envelope>");
	CHECK_NUMBER(s, "soap:Envelope/soap:Body/x/@a", 1);
	CHECK_TEXT(s, "soap:Envelope/soap:Body/x/@b", "x");
	CHECK_TEXT(s, "soap:Envelope/@xmlns:soap", "x");
	const struct value *x = at(s, "soap:Envelope/soap:Body/x");
	CHECK_INT(x && x->kind == VALUE_OBJECT ? x->object.count : 0, 2);
	snapshot_unref(s);
}

static void xml_long_ids_stay_text(void)
{
	struct snapshot *s = parse("<r><id>1220003800</id><big>9007199254740993</big>"
				   "<max>9007199254740992</max><d>1.</d><e>1e3</e></r>");
	CHECK_NUMBER(s, "r/id", 1220003800);
	CHECK_TEXT(s, "r/big", "9007199254740993");
	CHECK_NUMBER(s, "r/max", 9007199254740992.0);
	CHECK_TEXT(s, "r/d", "1.");
	CHECK_TEXT(s, "r/e", "1e3");
	snapshot_unref(s);
}

static void xml_cp949_document(void)
{
	/* <?xml version="1.0" encoding="EUC-KR"?><r><구>강남구</구></r> in CP949. */
	static const char doc[] = "<?xml version=\"1.0\" encoding=\"EUC-KR\"?>"
				  "<r><\xB1\xB8>\xB0\xAD\xB3\xB2\xB1\xB8</\xB1\xB8></r>";
	struct snapshot *s = parse_enc(doc, sizeof(doc) - 1, SOURCE_ENCODING_AUTO);
	CHECK_TEXT(s, "r/구", "강남구");
	snapshot_unref(s);
	s = parse_enc(doc, sizeof(doc) - 1, SOURCE_ENCODING_CP949);
	CHECK_TEXT(s, "r/구", "강남구");
	snapshot_unref(s);
	s = parse_enc(doc, sizeof(doc) - 1, SOURCE_ENCODING_UTF8);
	CHECK(s == NULL);
	CHECK_STR(last_error, "t.xml:1:44: error: invalid UTF-8; a CP949 or EUC-KR file needs "
			      "\"encoding\": \"cp949\" (byte 0xB1)");
}

/* ---- refused documents ---- */

static void xml_errors_name_line_and_column(void)
{
	static const struct {
		const char *text;
		const char *message;
	} cases[] = {
		{"", "t.xml:1:1: error: XML: no element found"},
		{"<a>\n  <b>1</c>\n</a>", "t.xml:2:9: error: XML: mismatched tag"},
		{"<a>\n<b x=1/></a>", "t.xml:2:6: error: XML: not well-formed (invalid token)"},
		{"<a/><b/>", "t.xml:1:5: error: XML: junk after document element"},
		{"<a>&nbsp;</a>", "t.xml:1:4: error: XML: undefined entity"},
		{"<a>\n  <b>", "t.xml:2:6: error: XML: no element found"},
		{"<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
		 " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n]>\n"
		 "<lolz>&lol2;</lolz>",
		 "t.xml:2:16: error: a DOCTYPE is not accepted (no DTDs or entities in feed "
		 "documents)"},
		{"<!DOCTYPE r SYSTEM \"file:///etc/passwd\"><r/>",
		 "t.xml:1:40: error: a DOCTYPE is not accepted (no DTDs or entities in feed "
		 "documents)"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct snapshot *s = parse(cases[i].text);
		CHECK(s == NULL);
		CHECK_STR(last_error, cases[i].message);
		snapshot_unref(s);
	}
}

static void xml_depth_and_node_caps(void)
{
	char *deep = xmalloc(8 * (XML_MAX_DEPTH + 2) + 1);
	size_t n = 0;
	for (int i = 0; i <= XML_MAX_DEPTH; i++) {
		n += (size_t)sprintf(deep + n, "<a>");
	}
	deep[n] = '\0';
	struct snapshot *s = parse(deep);
	CHECK(s == NULL);
	CHECK_STR(last_error, "t.xml:1:193: error: elements nested deeper than 64");
	free(deep);

	char *wide = xmalloc(4 * (size_t)XML_MAX_NODES + 16);
	n = (size_t)sprintf(wide, "<r>");
	for (size_t i = 1; i < XML_MAX_NODES; i++) {
		memcpy(wide + n, "<a/>", 4);
		n += 4;
	}
	n += (size_t)sprintf(wide + n, "</r>");
	s = parse_enc(wide, n, SOURCE_ENCODING_UTF8);
	CHECK(s != NULL); // exactly XML_MAX_NODES elements
	CHECK_INT(count_of(s, "r/a"), XML_MAX_NODES - 1);
	snapshot_unref(s);
	memcpy(wide + n - 4, "<a/></r>", 8);
	s = parse_enc(wide, n + 4, SOURCE_ENCODING_UTF8);
	CHECK(s == NULL);
	CHECK_STR(last_error, "t.xml:1:4000000: error: more than 1000000 elements and attributes");
	free(wide);
}

/* ---- the real samples ---- */

static char *read_sample(const char *name, size_t *len)
{
	const char *root = getenv("CITYWALL_SOURCE_ROOT");
	char path[4096], err[512];
	snprintf(path, sizeof(path), "%s/../shared/data/samples/%s", root ? root : ".", name);
	char *text = NULL;
	if (!file_read_all(path, 1 << 20, &text, len, err, sizeof(err))) {
		printf("# SKIP %s: %s\n", name, err);
		return NULL;
	}
	return text;
}

static void xml_real_topis_and_error_samples(void)
{
	size_t len;
	char *text = read_sample("seoul-topis-trafficinfo-sample.xml", &len);
	if (text) {
		struct snapshot *s = parse_enc(text, len, SOURCE_ENCODING_AUTO);
		CHECK_NUMBER(s, "TrafficInfo/row/0/prcs_spd", 89);
		CHECK_NUMBER(s, "TrafficInfo/row/0/prcs_trv_time", 121);
		CHECK_NUMBER(s, "TrafficInfo/row/0/link_id", 1220003800);
		CHECK_TEXT(s, "TrafficInfo/RESULT/CODE", "INFO-000");
		CHECK_TEXT(s, "TrafficInfo/RESULT/MESSAGE", "정상 처리되었습니다");
		snapshot_unref(s);
		free(text);
	}
	text = read_sample("seoul-openapi-error-sample.xml", &len);
	if (text) {
		struct snapshot *s = parse_enc(text, len, SOURCE_ENCODING_AUTO);
		CHECK_TEXT(s, "RESULT/CODE", "INFO-100");
		CHECK_TEXT(s, "RESULT/MESSAGE", "인증키가 유효하지 않습니다.");
		snapshot_unref(s);
		free(text);
	}
}

/* ---- through the fetcher ---- */

static void xml_source_keeps_last_good(void)
{
	char dir[] = "/tmp/citywall-test-xml-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[256];
	snprintf(path, sizeof(path), "%s/traffic.xml", dir);
	FILE *f = fopen(path, "w");
	fputs(traffic, f);
	fclose(f);
	struct source_config c = {
		.name = "traffic",
		.url = path,
		.interval = 10,
		.max_age = 60,
		.timeout = 5,
		.connect_timeout = 5,
		.max_bytes = 1 << 20,
		.timestamp = "generated_at",
		.format = SOURCE_FORMAT_XML,
	};
	struct fetcher_options o = {.sources = &c, .source_count = 1};
	char err[256];
	struct fetcher *fe = fetcher_create(&o, err, sizeof(err));
	CHECK(fe != NULL);
	struct source_status st;
	fetcher_fetch_all_once(fe);
	struct snapshot *s = fetcher_snapshot(fe, 0, &st);
	CHECK_INT(st.state, SOURCE_OK);
	CHECK_NUMBER(s, "TrafficInfo/row/0/prcs_spd", 31.5);
	snapshot_unref(s);

	f = fopen(path, "w");
	fputs("<TrafficInfo>\n<row><prcs_spd>40</prcs_spd>\n</TrafficInfo>\n", f);
	fclose(f);
	fetcher_fetch_all_once(fe);
	s = fetcher_snapshot(fe, 0, &st);
	CHECK_INT(st.state, SOURCE_FAILING);
	char expected[512];
	snprintf(expected, sizeof(expected), "%s:3:3: XML: mismatched tag", path);
	CHECK_STR(st.last_error, expected);
	CHECK_NUMBER(s, "TrafficInfo/row/0/prcs_spd", 31.5);
	snapshot_unref(s);
	fetcher_destroy(fe);
	remove(path);
	rmdir(dir);
}

#define CASE(fn) {#fn, fn}

static const struct check_case cases[] = {
	CASE(xml_elements_become_members),
	CASE(xml_row_always_an_array),
	CASE(xml_repeated_names_keep_first_order),
	CASE(xml_attributes_and_mixed_text),
	CASE(xml_attributes_only_element_no_null_sort),
	CASE(xml_long_ids_stay_text),
	CASE(xml_cp949_document),
	CASE(xml_errors_name_line_and_column),
	CASE(xml_depth_and_node_caps),
	CASE(xml_real_topis_and_error_samples),
	CASE(xml_source_keeps_last_good),
};

CHECK_MAIN(cases)
