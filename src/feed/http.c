#include "feed/http.h"

#include "util/fileio.h"
#include "util/xmalloc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#ifndef CITYWALL_VERSION
#define CITYWALL_VERSION "dev"
#endif

#define MAX_REDIRECTS 3L

/* ---- request headers ---- */

/* libcurl's only failure here is out of memory: the program-wide policy is to abort. */
static struct curl_slist *append_header(struct curl_slist *list, const char *line)
{
	struct curl_slist *grown = curl_slist_append(list, line);
	if (!grown) {
		fprintf(stderr, "citywall: out of memory\n");
		abort();
	}
	return grown;
}

static bool has_line_break(const char *s)
{
	return strpbrk(s, "\r\n") != NULL;
}

static bool header_name_ok(const char *name)
{
	if (!name[0]) {
		return false;
	}
	for (const char *p = name; *p; p++) {
		if (*p <= ' ' || *p == ':' || *p == 0x7f) {
			return false;
		}
	}
	return true;
}

static bool env_name_ok(const char *name, size_t len)
{
	if (len == 0 || isdigit((unsigned char)name[0])) {
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		if (!isalnum((unsigned char)name[i]) && name[i] != '_') {
			return false;
		}
	}
	return true;
}

struct strbuf {
	char *data; // owned
	size_t len, cap;
};

static void strbuf_add(struct strbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->data = xrealloc(b->data, b->cap);
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

char *http_expand_env(const char *text, char *err, size_t err_size)
{
	struct strbuf out = {0};
	strbuf_add(&out, "", 0);
	for (const char *p = text; *p;) {
		if (p[0] != '$' || p[1] != '{') {
			strbuf_add(&out, p, 1);
			p++;
			continue;
		}
		const char *name = p + 2, *end = strchr(name, '}');
		size_t name_len = end ? (size_t)(end - name) : 0;
		if (!end || !env_name_ok(name, name_len)) {
			snprintf(err, err_size, "malformed ${...} reference (expected ${NAME})");
			free(out.data);
			return NULL;
		}
		char *var = xstrndup(name, name_len);
		const char *value = getenv(var);
		if (!value) {
			snprintf(err, err_size, "environment variable %s is not set", var);
			free(var);
			free(out.data);
			return NULL;
		}
		free(var);
		strbuf_add(&out, value, strlen(value));
		p = end + 1;
	}
	return out.data;
}

/* A source header with its ${VAR}s expanded, as a raw header line the caller owns. */
static char *source_header_line(const struct source_header *h, char *err, size_t err_size)
{
	if (!header_name_ok(h->name)) {
		snprintf(err, err_size, "header \"%s\": not a valid header name", h->name);
		return NULL;
	}
	char why[160];
	char *value = http_expand_env(h->value, why, sizeof(why));
	if (!value) {
		snprintf(err, err_size, "header %s: %s", h->name, why);
		return NULL;
	}
	if (has_line_break(value)) {
		/* It could smuggle in a header; the value is a secret, never to be printed. */
		snprintf(err, err_size, "header %s: the value contains a line break", h->name);
		free(value);
		return NULL;
	}
	/* "Name:" would tell libcurl to drop the header; "Name;" sends it with an empty value. */
	char *line = value[0] ? xasprintf("%s: %s", h->name, value) : xasprintf("%s;", h->name);
	free(value);
	return line;
}

static struct curl_slist *conditional_headers(struct curl_slist *list,
					      const struct http_request *request)
{
	/* Validators come from our own header capture or the cache's meta file: refuse line
	 * breaks anyway, as a hand-edited meta file could hold them. */
	if (request->etag && request->etag[0] && !has_line_break(request->etag)) {
		char *line = xasprintf("If-None-Match: %s", request->etag);
		list = append_header(list, line);
		free(line);
	}
	if (request->last_modified && request->last_modified[0] &&
	    !has_line_break(request->last_modified)) {
		char *line = xasprintf("If-Modified-Since: %s", request->last_modified);
		list = append_header(list, line);
		free(line);
	}
	return list;
}

static bool build_headers(struct http_transfer *t, const struct http_request *request,
			  char *err, size_t err_size)
{
	const struct source_config *source = request->source;
	bool own_accept = false;
	for (size_t i = 0; i < source->header_count; i++) {
		own_accept |= strcasecmp(source->headers[i].name, "Accept") == 0;
	}
	if (!own_accept) {
		t->headers = append_header(t->headers, "Accept: application/json");
	}
	t->headers = conditional_headers(t->headers, request);
	for (size_t i = 0; i < source->header_count; i++) {
		char *line = source_header_line(&source->headers[i], err, err_size);
		if (!line) {
			return false;
		}
		t->headers = append_header(t->headers, line);
		free(line);
	}
	return true;
}

/* ---- response capture ---- */

static bool body_wanted(struct http_transfer *t)
{
	long status = 0;
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	/* Error pages are not documents: drop them, but keep reading so the connection can be
	 * reused (the transfer's timeout bounds a long one). */
	return status == 200 || status == 0;
}

static size_t on_body(char *data, size_t size, size_t count, void *user)
{
	struct http_transfer *t = user;
	size_t n = size * count;
	if (!body_wanted(t)) {
		return n;
	}
	/* CURLOPT_MAXFILESIZE only sees a Content-Length: chunked and compressed bodies are
	 * capped here (after decompression, so a small gzip bomb is refused too). */
	if (n > t->max_bytes - t->len) {
		t->too_big = true;
		return 0;
	}
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 16384;
		while (cap < t->len + n + 1) {
			cap *= 2;
		}
		if (cap > t->max_bytes + 1) {
			cap = t->max_bytes + 1;
		}
		t->body = xrealloc(t->body, cap);
		t->cap = cap;
	}
	memcpy(t->body + t->len, data, n);
	t->len += n;
	return n;
}

/* Copies the value of header `name` from a raw header line into out, trimmed. */
static void capture_header(const char *line, size_t len, const char *name, char *out,
			   size_t out_size)
{
	size_t name_len = strlen(name);
	if (len <= name_len || line[name_len] != ':' || strncasecmp(line, name, name_len) != 0) {
		return;
	}
	const char *value = line + name_len + 1, *end = line + len;
	while (value < end && (*value == ' ' || *value == '\t')) {
		value++;
	}
	while (end > value && isspace((unsigned char)end[-1])) {
		end--;
	}
	size_t value_len = (size_t)(end - value);
	/* A cut validator would never match: better none than a wrong one. */
	if (value_len >= out_size) {
		out[0] = '\0';
		return;
	}
	memcpy(out, value, value_len);
	out[value_len] = '\0';
}

static size_t on_header(char *data, size_t size, size_t count, void *user)
{
	struct http_transfer *t = user;
	size_t n = size * count;
	t->header_bytes += n;
	if (t->header_bytes > HTTP_HEADER_MAX_BYTES) {
		t->header_too_big = true;
		return 0;
	}
	if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		/* A new response (after a redirect or a 100 Continue): only the last one counts. */
		t->etag[0] = '\0';
		t->last_modified[0] = '\0';
		t->location[0] = '\0';
		t->len = 0;
	}
	capture_header(data, n, "etag", t->etag, sizeof(t->etag));
	capture_header(data, n, "last-modified", t->last_modified, sizeof(t->last_modified));
	capture_header(data, n, "location", t->location, sizeof(t->location));
	return n;
}

/* ---- setup ---- */

static long millis(double seconds, double fallback)
{
	double s = seconds > 0 ? seconds : fallback;
	return (long)(s * 1000.0 + 0.5);
}

static void set_limits(struct http_transfer *t, const struct source_config *source)
{
	CURL *e = t->easy;
	t->timeout = source->timeout > 0 ? source->timeout : SOURCE_DEFAULT_TIMEOUT;
	t->connect_timeout = source->connect_timeout > 0 ? source->connect_timeout
							 : SOURCE_DEFAULT_CONNECT_TIMEOUT;
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, millis(t->timeout, SOURCE_DEFAULT_TIMEOUT));
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
			 millis(t->connect_timeout, SOURCE_DEFAULT_CONNECT_TIMEOUT));
	t->max_bytes = source->max_bytes ? source->max_bytes : SOURCE_DEFAULT_MAX_BYTES;
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)t->max_bytes);
}

static void set_security(struct http_transfer *t, const struct source_config *source)
{
	CURL *e = t->easy;
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https,file");
	/*
	 * A server must not be able to redirect us to file:///etc/..., nor an https feed down to
	 * plain http. libcurl sends custom headers (an API key) on to whatever host a redirect
	 * names, so a source with headers follows no redirect at all: a 3xx is then an error.
	 */
	bool secure = source->url && strncasecmp(source->url, "https:", 6) == 0;
	t->secure = secure;
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, secure ? "https" : "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, source->header_count ? 0L : 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, MAX_REDIRECTS);
	/* Never turned off: a feed with a bad certificate is a failing feed. */
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (source->ca_file && source->ca_file[0]) {
		curl_easy_setopt(e, CURLOPT_CAINFO, source->ca_file);
	}
}

static void set_callbacks(struct http_transfer *t)
{
	CURL *e = t->easy;
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
}

static void set_identity(struct http_transfer *t)
{
	char agent[128];
	snprintf(agent, sizeof(agent), "citywall/" CITYWALL_VERSION " (libcurl/%s)",
		 curl_version_info(CURLVERSION_NOW)->version);
	curl_easy_setopt(t->easy, CURLOPT_USERAGENT, agent); // libcurl copies strings
	/* "": every encoding this libcurl decodes (gzip, deflate here). */
	curl_easy_setopt(t->easy, CURLOPT_ACCEPT_ENCODING, "");
	/* Signals belong to the main thread; timeouts are the multi handle's business. */
	curl_easy_setopt(t->easy, CURLOPT_NOSIGNAL, 1L);
}

/* The local path of a file:// URL (caller frees), NULL when it names another host. */
static char *file_url_path(CURL *easy, const char *url)
{
	const char *rest = url + strlen("file://");
	if (strncasecmp(rest, "localhost/", 10) == 0) {
		rest += strlen("localhost");
	}
	if (rest[0] != '/') {
		return NULL;
	}
	int len = 0;
	char *decoded = curl_easy_unescape(easy, rest, 0, &len);
	if (!decoded) {
		return NULL;
	}
	char *path = memchr(decoded, '\0', (size_t)len) ? NULL : xstrdup(decoded);
	curl_free(decoded);
	return path;
}

/*
 * A file source is opened here, and refused unless it is a regular file: libcurl would open a
 * FIFO with a blocking open() and wait for a writer forever (no timeout covers it), and read
 * a directory as an empty document. libcurl then reads the very file we checked, through
 * /proc/self/fd, so that it cannot be swapped for a FIFO in between.
 */
static bool open_file_source(struct http_transfer *t, const struct http_request *request,
			     char *url, size_t url_size, char *err, size_t err_size)
{
	if (strncasecmp(request->url, "file://", 7) != 0) {
		return true;
	}
	char *path = file_url_path(t->easy, request->url);
	if (!path) {
		return true; // libcurl reports what is wrong with it
	}
	/* Messages name the location as the layout or --feed gave it, when it was a path. */
	const char *given = request->source->url;
	const char *shown = given && !strstr(given, "://") ? given : path;
	char why[512];
	t->file_fd = file_open_regular(path, why, sizeof(why));
	if (t->file_fd < 0 && strncmp(why, path, strlen(path)) == 0) {
		snprintf(err, err_size, "%s%s", shown, why + strlen(path)); // "... is a FIFO, ..."
		free(path);
		return false;
	}
	t->file_path = path;
	if (t->file_fd >= 0 && access("/proc/self/fd", X_OK) == 0) {
		snprintf(url, url_size, "file:///proc/self/fd/%d", t->file_fd);
	}
	/* Not opened (missing, no permission): libcurl tries and its message says why. */
	return true;
}

struct http_transfer *http_transfer_create(const struct http_request *request, char *err,
					   size_t err_size)
{
	struct http_transfer *t = xcalloc(1, sizeof(*t));
	t->retry_after = -1;
	t->file_fd = -1;
	t->easy = curl_easy_init();
	if (!t->easy) {
		snprintf(err, err_size, "cannot create a libcurl handle");
		free(t);
		return NULL;
	}
	char file_url[64] = "";
	if (!build_headers(t, request, err, err_size) ||
	    !open_file_source(t, request, file_url, sizeof(file_url), err, err_size)) {
		http_transfer_destroy(t);
		return NULL;
	}
	curl_easy_setopt(t->easy, CURLOPT_URL, file_url[0] ? file_url : request->url);
	curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->headers);
	set_limits(t, request->source);
	set_security(t, request->source);
	set_callbacks(t);
	set_identity(t);
	return t;
}

void http_transfer_destroy(struct http_transfer *transfer)
{
	if (!transfer) {
		return;
	}
	if (transfer->easy) {
		curl_easy_cleanup(transfer->easy);
	}
	curl_slist_free_all(transfer->headers);
	if (transfer->file_fd >= 0) {
		close(transfer->file_fd);
	}
	free(transfer->file_path);
	free(transfer->body);
	free(transfer);
}

/* ---- classification ---- */

static void too_big_message(const struct http_transfer *t, char *message, size_t size)
{
	snprintf(message, size, "response larger than %zu bytes", t->max_bytes);
}

static void timeout_message(const struct http_transfer *t, char *message, size_t size)
{
	/* Not CURLINFO_CONNECT_TIME: it is 0 on a reused connection too. A request that was
	 * never sent means connecting (or the TLS handshake) ran out of time. */
	long request_bytes = 0;
	curl_easy_getinfo(t->easy, CURLINFO_REQUEST_SIZE, &request_bytes);
	if (request_bytes == 0) {
		snprintf(message, size, "connect timed out after %.1f s", t->connect_timeout);
	} else {
		snprintf(message, size, "timed out after %.1f s", t->timeout);
	}
}

static long os_errno(const struct http_transfer *t)
{
	long e = 0;
	curl_easy_getinfo(t->easy, CURLINFO_OS_ERRNO, &e);
	return e;
}

static const char *curl_text(const struct http_transfer *t, CURLcode code)
{
	return t->error[0] ? t->error : curl_easy_strerror(code);
}

static void connect_message(const struct http_transfer *t, CURLcode code, char *message,
			    size_t size)
{
	switch (os_errno(t)) {
	case ECONNREFUSED:
		snprintf(message, size, "connection refused");
		break;
	case EHOSTUNREACH:
	case ENETUNREACH:
		snprintf(message, size, "host unreachable");
		break;
	default:
		snprintf(message, size, "cannot connect: %s", curl_text(t, code));
		break;
	}
}

static void io_message(const struct http_transfer *t, CURLcode code, char *message, size_t size)
{
	if (os_errno(t) == ECONNRESET || strstr(t->error, "reset by peer")) {
		snprintf(message, size, "connection reset");
	} else {
		snprintf(message, size, "%s", curl_text(t, code));
	}
}

static void truncated_message(const struct http_transfer *t, char *message, size_t size)
{
	/* libcurl's text: "transfer closed with 1234 bytes remaining to read" or, for chunked
	 * bodies, "transfer closed with outstanding read data remaining". */
	char detail[CURL_ERROR_SIZE];
	snprintf(detail, sizeof(detail), "%s", t->error[0] ? t->error : "closed early");
	char *tail = strstr(detail, " to read");
	if (tail) {
		*tail = '\0';
	}
	snprintf(message, size, "truncated response (%s)", detail);
}

static void file_message(const struct http_transfer *t, CURLcode code, char *message,
			 size_t size)
{
	const char *prefix = "Couldn't open file ";
	if (t->file_path && t->file_fd >= 0) {
		snprintf(message, size, "cannot read file %s: %s", t->file_path, curl_text(t, code));
	} else if (strncmp(t->error, prefix, strlen(prefix)) == 0) {
		snprintf(message, size, "cannot open file %s", t->error + strlen(prefix));
	} else {
		snprintf(message, size, "cannot read file: %s", curl_text(t, code));
	}
}

static void header_message(char *message, size_t size)
{
	snprintf(message, size, "response header too large (over %u bytes)", HTTP_HEADER_MAX_BYTES);
}

/* A refused scheme: the source's own, or one a redirect led to (that is the usual case). */
static void scheme_message(const struct http_transfer *t, char *message, size_t size)
{
	bool redirected = t->location[0] && t->status >= 300 && t->status < 400;
	if (redirected && t->secure && strncasecmp(t->location, "http:", 5) == 0) {
		snprintf(message, size, "an https source may not be redirected to http (%s)",
			 t->location);
	} else if (redirected) {
		snprintf(message, size, "redirect to %s refused (redirects may go to %s only)",
			 t->location, t->secure ? "https" : "http and https");
	} else {
		snprintf(message, size, "unsupported URL scheme (allowed: http, https, file)");
	}
}

static void error_message(const struct http_transfer *t, CURLcode code, char *message,
			  size_t size)
{
	switch (code) {
	case CURLE_OPERATION_TIMEDOUT:
		timeout_message(t, message, size);
		return;
	case CURLE_COULDNT_CONNECT:
		connect_message(t, code, message, size);
		return;
	case CURLE_FILESIZE_EXCEEDED:
		too_big_message(t, message, size);
		return;
	case CURLE_WRITE_ERROR:
		if (t->too_big) {
			too_big_message(t, message, size);
			return;
		}
		if (t->header_too_big) {
			header_message(message, size);
			return;
		}
		break;
	case CURLE_PARTIAL_FILE:
		truncated_message(t, message, size);
		return;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		io_message(t, code, message, size);
		return;
	case CURLE_GOT_NOTHING:
		snprintf(message, size, "connection closed without a response");
		return;
	case CURLE_UNSUPPORTED_PROTOCOL:
		scheme_message(t, message, size);
		return;
	case CURLE_OUT_OF_MEMORY:
		/* What libcurl 7.88 returns for a header line over its own 100 KiB limit. */
		if (t->len == 0) {
			header_message(message, size);
			return;
		}
		break;
	case CURLE_FILE_COULDNT_READ_FILE:
		file_message(t, code, message, size);
		return;
	case CURLE_TOO_MANY_REDIRECTS:
		snprintf(message, size, "more than %ld redirects", MAX_REDIRECTS);
		return;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CACERT_BADFILE:
		snprintf(message, size, "TLS: %s", curl_text(t, code));
		return;
	default:
		break;
	}
	snprintf(message, size, "%s", curl_text(t, code));
}

static bool is_file_transfer(const struct http_transfer *t)
{
	const char *scheme = NULL;
	curl_easy_getinfo(t->easy, CURLINFO_SCHEME, &scheme);
	return scheme && strcasecmp(scheme, "file") == 0;
}

static void read_retry_after(struct http_transfer *t)
{
	curl_off_t seconds = 0;
	t->retry_after = -1;
	if ((t->status == 503 || t->status == 429) &&
	    curl_easy_getinfo(t->easy, CURLINFO_RETRY_AFTER, &seconds) == CURLE_OK && seconds > 0) {
		t->retry_after = seconds > 86400 ? 86400 : (long)seconds;
	}
}

enum http_outcome http_transfer_result(struct http_transfer *t, CURLcode code, char *message,
				       size_t message_size)
{
	message[0] = '\0';
	if (!t->body) {
		t->body = xmalloc(1);
		t->cap = 1;
	}
	t->body[t->len] = '\0'; // the callback always leaves room for it
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &t->status);
	read_retry_after(t);
	if (code != CURLE_OK) {
		error_message(t, code, message, message_size);
		return HTTP_FAILED;
	}
	if (t->status == 304) {
		return HTTP_NOT_MODIFIED;
	}
	if (t->status != 200 && !(t->status == 0 && is_file_transfer(t))) {
		snprintf(message, message_size, "HTTP %ld", t->status);
		return HTTP_FAILED;
	}
	if (t->len == 0) {
		snprintf(message, message_size, "empty response");
		return HTTP_FAILED;
	}
	return HTTP_BODY;
}

/* ---- file paths ---- */

static bool unreserved(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
}

static void add_encoded(struct strbuf *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (unreserved(*p)) {
			strbuf_add(out, (const char *)p, 1);
		} else {
			char hex[4];
			snprintf(hex, sizeof(hex), "%%%02X", *p);
			strbuf_add(out, hex, 3);
		}
	}
}

char *http_url_for(const char *location, char *err, size_t err_size)
{
	if (strstr(location, "://")) {
		return xstrdup(location);
	}
	if (!location[0]) {
		snprintf(err, err_size, "empty feed location");
		return NULL;
	}
	struct strbuf out = {0};
	strbuf_add(&out, "file://", 7);
	if (location[0] != '/') {
		char cwd[4096];
		if (!getcwd(cwd, sizeof(cwd))) {
			snprintf(err, err_size, "cannot resolve %s: %s", location, strerror(errno));
			free(out.data);
			return NULL;
		}
		add_encoded(&out, cwd);
		strbuf_add(&out, "/", 1);
	}
	add_encoded(&out, location);
	return out.data;
}
