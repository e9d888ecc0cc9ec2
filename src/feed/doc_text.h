#ifndef CITYWALL_FEED_DOC_TEXT_H
#define CITYWALL_FEED_DOC_TEXT_H

/*
 * What the CSV and XML readers share: turning a body into UTF-8 text (Seoul's bulk files come
 * as UTF-8 or as CP949, the Windows superset of EUC-KR), and the one rule by which a cell or
 * an element's text becomes a number.
 */

#include <stdbool.h>
#include <stddef.h>

#include "model/source.h"
#include "util/diag.h"

/* Whether data[0..len) is valid UTF-8 (no overlong forms, surrogates or code points > U+10FFFF). */
bool doc_text_valid_utf8(const char *data, size_t len);

/*
 * Decodes data[0..len) into UTF-8 without a leading byte order mark: with SOURCE_ENCODING_AUTO
 * valid UTF-8 is taken as it is and anything else is converted from CP949; UTF8 insists on
 * valid UTF-8; CP949 always converts. NUL bytes are refused (they cannot be in a value's text).
 * On success returns true and sets *out, *out_len: either a pointer into `data` (*owned NULL)
 * or a new NUL-terminated buffer that *owned also points to and the caller frees. On failure
 * adds an error with the line and column of the offending byte to `diags` and returns false.
 */
bool doc_text_decode(const char *data, size_t len, enum source_encoding encoding,
		     const char *origin, const char **out, size_t *out_len, char **owned,
		     struct diag_list *diags);

/*
 * The plain-number rule of CSV cells and XML text: text[0..len) is a number when it is written
 * exactly as -?(0|[1-9][0-9]*)(\.[0-9]+)? and a double holds it exactly enough: an integer
 * up to 2^53 in magnitude, or a decimal fraction of at most 15 significant digits. Leading
 * zeros ("0331", "01012"), signs '+', exponents, spaces, thousands separators and longer
 * digit strings (link ids past 2^53) are not numbers, so codes keep every digit as text.
 * `out` may be NULL to ask only whether the text is a number.
 */
bool doc_text_plain_number(const char *text, size_t len, double *out);

#endif
