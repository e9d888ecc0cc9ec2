#ifndef CITYWALL_FEED_XML_PARSE_H
#define CITYWALL_FEED_XML_PARSE_H

/*
 * XML documents (TOPIS traffic feeds, Seoul's OpenAPI errors) → the value tree bindings read,
 * built in one streaming pass of expat:
 *
 *   <TrafficInfo><RESULT><CODE>INFO-000</CODE></RESULT>      {"TrafficInfo": {
 *     <row><link_id>1220003800</link_id>                →      "RESULT": {"CODE": "INFO-000"},
 *          <prcs_spd>89</prcs_spd></row>                       "row": [{"link_id": 1220003800,
 *   </TrafficInfo>                                                       "prcs_spd": 89}]}}
 *
 * The root is an object with one member, the document element. An element with only text
 * becomes that text (trimmed of surrounding white space; empty is null; a number when it
 * follows doc_text_plain_number, so "0331" and 20-digit ids stay text); attributes become
 * members "@name" (their values follow the same rule); children become members in document
 * order, an element name repeated under one parent becomes an array, and elements named
 * "row" are always an array, even alone (TrafficInfo/row/0/prcs_spd). The text of an element
 * that has children or attributes goes to "#text". Comments, processing instructions and
 * namespaces are ignored (names stay as written, "soap:Body").
 *
 * Untrusted input: a DOCTYPE is refused (so no entity can be declared: billion-laughs and
 * external-entity safe), and nesting and node counts are capped. Errors carry line and column.
 */

#include <stddef.h>

#include "model/value.h"
#include "util/arena.h"
#include "util/diag.h"

#define XML_MAX_DEPTH 64          // nested elements; selectors take at most 64 steps anyway
#define XML_MAX_NODES 1000000     // elements and attributes in one document

/*
 * Parses UTF-8 text[0..len) (doc_text_decode has converted it; the document's own encoding
 * declaration is ignored) into a tree allocated in `arena`. Returns the root object, or NULL
 * after adding one error with line and column to `diags`; `origin` names the document.
 */
const struct value *xml_parse(struct arena *arena, const char *text, size_t len,
			      const char *origin, struct diag_list *diags);

#endif
