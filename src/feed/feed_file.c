#include "feed/feed_file.h"

#include "feed/snapshot_parse.h"
#include "util/fileio.h"
#include "util/strutil.h"
#include "util/xmalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static char *percent_decode(const char *s, char *err, size_t err_size)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;
	for (; *s; s++) {
		if (*s != '%') {
			*o++ = *s;
			continue;
		}
		int hi = hex_digit(s[1]), lo = hi < 0 ? -1 : hex_digit(s[2]);
		if (lo < 0 || (hi == 0 && lo == 0)) {
			snprintf(err, err_size, "bad percent-escape in file URL");
			free(out);
			return NULL;
		}
		*o++ = (char)(hi * 16 + lo);
		s += 2;
	}
	*o = '\0';
	return out;
}

char *feed_file_path(const char *location, char *err, size_t err_size)
{
	const char *scheme_end = strstr(location, "://");
	if (!scheme_end) {
		return xstrdup(location);
	}
	if (!str_starts_with(location, "file://")) {
		snprintf(err, err_size, "unsupported feed URL \"%s\" (expected a file or file:// URL)",
			 location);
		return NULL;
	}
	const char *rest = location + strlen("file://");
	if (str_starts_with(rest, "localhost/")) {
		rest += strlen("localhost");
	}
	if (rest[0] != '/') {
		snprintf(err, err_size, "file URL \"%s\" must name an absolute path", location);
		return NULL;
	}
	return percent_decode(rest, err, err_size);
}

struct snapshot *feed_file_load(const char *location, const char *source, double now,
				struct diag_list *diags)
{
	char err[512];
	char *path = feed_file_path(location, err, sizeof(err));
	if (!path) {
		diag_add(diags, DIAG_ERROR, location, 0, 0, NULL, "%s", err);
		return NULL;
	}
	char *text;
	size_t len;
	if (!file_read_all(path, SNAPSHOT_MAX_BYTES, &text, &len, err, sizeof(err))) {
		diag_add(diags, DIAG_ERROR, NULL, 0, 0, NULL, "%s", err);
		free(path);
		return NULL;
	}
	struct snapshot *snap = snapshot_parse(text, len, path, source, "generated_at", now, diags);
	free(text);
	free(path);
	return snap;
}
