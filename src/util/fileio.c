#include "util/fileio.h"

#include "util/xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool file_read_all(const char *path, size_t max_bytes, char **out, size_t *out_len, char *err,
		   size_t err_size)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, err_size, "cannot open %s: %s", path, strerror(errno));
		return false;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, err_size, "cannot read %s: is a directory", path);
		fclose(f);
		return false;
	}
	size_t cap = 4096, len = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (len + 1 >= cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (len > max_bytes) {
			snprintf(err, err_size, "%s is larger than %zu bytes", path, max_bytes);
			goto fail;
		}
		if (n == 0) {
			break;
		}
	}
	if (ferror(f)) {
		snprintf(err, err_size, "cannot read %s: %s", path, strerror(errno));
		goto fail;
	}
	fclose(f);
	buf[len] = '\0';
	*out = buf;
	*out_len = len;
	return true;
fail:
	fclose(f);
	free(buf);
	return false;
}

char *path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash) {
		return xstrdup(".");
	}
	if (slash == path) {
		return xstrdup("/");
	}
	return xstrndup(path, (size_t)(slash - path));
}

char *path_resolve(const char *base, const char *path)
{
	if (path[0] == '/' || strstr(path, "://") || !base || strcmp(base, ".") == 0) {
		return xstrdup(path);
	}
	return xasprintf("%s/%s", base, path);
}
