#ifndef CITYWALL_FEED_HTTP_H
#define CITYWALL_FEED_HTTP_H

/*
 * One fetch of one source on a libcurl easy handle: every option a fetch needs (allowed
 * protocols, redirects, timeouts, the size cap, TLS verification, conditional GET, the
 * source's own headers), capture of the body and of the validators (ETag, Last-Modified), and
 * the outcome classified into one stable, human-readable message ("HTTP 500", "timed out
 * after 1.5 s", "response larger than 4194304 bytes"). The same failure gives the same text
 * on every poll, which is what lets log_once() log it once. Nothing here blocks: the fetcher's
 * multi handle drives the easy handle.
 */

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>

#include "model/source.h"

enum http_outcome {
	HTTP_BODY,         // a document arrived (HTTP 200, or a file was read): parse it
	HTTP_NOT_MODIFIED, // HTTP 304: the document the validators came from is still current
	HTTP_FAILED,       // anything else; the message says what
};

struct http_request {
	const struct source_config *source; // borrowed: timeouts, size limit, CA file, headers
	const char *url;           // borrowed: what to fetch (see http_url_for)
	const char *etag;          // borrowed; NULL or "": no If-None-Match
	const char *last_modified; // borrowed; NULL or "": no If-Modified-Since
};

struct http_transfer {
	CURL *easy;                  // owned
	char *body;                  // owned; NUL-terminated once http_transfer_result ran
	size_t len, cap;             // bytes in body, bytes allocated
	size_t max_bytes;            // a longer body aborts the transfer
	bool too_big;                // the write callback refused the body for its size
	char etag[256];              // ETag of the final response; "" when absent or too long
	char last_modified[128];     // Last-Modified of the final response; "" likewise
	long status;                 // HTTP status of the final response; 0 for file://
	long retry_after;            // seconds a 503 or 429 asked for; -1: none
	double timeout;              // the source's limits, for messages
	double connect_timeout;
	struct curl_slist *headers;  // owned: request headers (libcurl keeps only a pointer)
	size_t header_bytes;         // response header bytes seen (all responses)
	bool header_too_big;         // the header callback refused a header over the limit
	bool secure;                 // the source is https (a redirect to http is refused)
	char location[512];          // Location of the last response; "" when none or too long
	int file_fd;                 // owned: a file source, opened and checked; -1 otherwise
	char *file_path;             // owned: its path, for messages; NULL otherwise
	char error[CURL_ERROR_SIZE]; // libcurl's own message (CURLOPT_ERRORBUFFER)
};

/* Response headers beyond this many bytes fail the fetch ("response header too large"). */
#define HTTP_HEADER_MAX_BYTES (64u * 1024)

/*
 * Creates a transfer for `request`, ready for curl_multi_add_handle(). Returns NULL with a
 * message in err when the request cannot be made (a header names an unset environment
 * variable, a header value holds a line break, a file source is not a regular file: a FIFO
 * would block the fetch forever); such a message never contains a header value.
 */
struct http_transfer *http_transfer_create(const struct http_request *request, char *err,
					   size_t err_size);

/*
 * Classifies a finished transfer (`code` from CURLMSG_DONE) and fills status and retry_after.
 * On HTTP_FAILED `message` says why in one line; otherwise it is "".
 */
enum http_outcome http_transfer_result(struct http_transfer *transfer, CURLcode code,
				       char *message, size_t message_size);

/* Frees the transfer and its easy handle (which must no longer be in a multi); NULL: no-op. */
void http_transfer_destroy(struct http_transfer *transfer);

/*
 * What to hand libcurl for a source's location: URLs as they are, a plain file path (no "://")
 * as an absolute, percent-encoded file:// URL (relative paths are taken from the current
 * directory now). The caller owns the result; NULL with a message in err on failure.
 */
char *http_url_for(const char *location, char *err, size_t err_size);

/*
 * `text` with each ${NAME} replaced by the environment variable NAME (read now). Returns a
 * string the caller owns, or NULL with a message naming the variable (never a value) when one
 * is not set or the reference is malformed. A '$' not followed by '{' stays as it is.
 */
char *http_expand_env(const char *text, char *err, size_t err_size);

#endif
