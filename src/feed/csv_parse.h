#ifndef CITYWALL_FEED_CSV_PARSE_H
#define CITYWALL_FEED_CSV_PARSE_H

/*
 * CSV documents (the 119 dispatch log, Seoul's bulk files) → the value tree bindings read:
 *
 *   구급보고서번호,소방서명,신고시각        {"rows": [{"구급보고서번호": "20211122103M01526",
 *   20211122103M01526,중랑소방서,104800  →            "소방서명": "중랑소방서", "신고시각": 104800},
 *   20211111105M00771,,331                           {..., "소방서명": null, "신고시각": 331}]}
 *
 * RFC 4180: the first record names the columns; fields are separated by ',' and records by LF
 * or CRLF (a lone CR counts too); a field in double quotes may hold commas, line breaks and
 * doubled quotes (""). Blank lines are skipped. An empty header cell is named "colN" (N the
 * column, from 1); a repeated name is an error, as are a row whose field count differs from
 * the header's, a quote inside an unquoted field, text after a closing quote and an
 * unterminated quote, each with its line (and column). Empty cells are null. A column is
 * numeric when every non-empty cell in it follows doc_text_plain_number (so 331, 104800 and
 * 20210330 are numbers while a column holding "01012" or "20211122103M01526" keeps all its
 * cells as text); quoting does not change that.
 */

#include <stddef.h>

#include "model/value.h"
#include "util/arena.h"
#include "util/diag.h"

#define CSV_MAX_COLUMNS 1000
#define CSV_MAX_ROWS 200000
#define CSV_MAX_CELLS 2000000 // rows x columns: about 100 MB of value tree at most

/*
 * Parses UTF-8 text[0..len) (no byte order mark: doc_text_decode takes it off) into a tree
 * allocated in `arena`. Returns the root object, or NULL after adding one error with the
 * line (and column where it means something) to `diags`; `origin` names the document.
 */
const struct value *csv_parse(struct arena *arena, const char *text, size_t len,
			      const char *origin, struct diag_list *diags);

#endif
