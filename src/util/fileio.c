#include "util/fileio.h"

#include "util/xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

static bool write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			return false;
		}
		data += n;
		len -= (size_t)n;
	}
	return true;
}

/* Makes a rename in `dir` itself durable. */
static bool sync_dir(const char *dir, char *err, size_t err_size)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0 || fsync(fd) != 0) {
		snprintf(err, err_size, "cannot sync %s: %s", dir, strerror(errno));
		if (fd >= 0) {
			close(fd);
		}
		return false;
	}
	close(fd);
	return true;
}

bool file_write_atomic(const char *path, const void *data, size_t len, char *err,
		       size_t err_size)
{
	char *dir = path_dirname(path);
	const char *slash = strrchr(path, '/');
	char *temp = xasprintf("%s/.%s.XXXXXX", dir, slash ? slash + 1 : path);
	bool ok = false;
	int fd = mkstemp(temp);
	if (fd < 0) {
		snprintf(err, err_size, "cannot create a file in %s: %s", dir, strerror(errno));
		goto out;
	}
	bool written = write_all(fd, data, len) && fsync(fd) == 0;
	int saved = errno;
	if (close(fd) != 0 && written) {
		written = false;
		saved = errno;
	}
	if (!written) {
		snprintf(err, err_size, "cannot write %s: %s", temp, strerror(saved));
	} else if (rename(temp, path) != 0) {
		snprintf(err, err_size, "cannot rename %s to %s: %s", temp, path, strerror(errno));
	} else {
		ok = sync_dir(dir, err, err_size);
	}
	if (!ok) {
		unlink(temp);
	}
out:
	free(temp);
	free(dir);
	return ok;
}

bool dir_create_all(const char *path, char *err, size_t err_size)
{
	char *copy = xstrdup(path);
	bool ok = true;
	for (char *p = copy + 1; ok; p++) {
		bool end = *p == '\0';
		if (*p != '/' && !end) {
			continue;
		}
		*p = '\0';
		struct stat st;
		if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
			snprintf(err, err_size, "cannot create %s: %s", copy, strerror(errno));
			ok = false;
		} else if (stat(copy, &st) != 0 || !S_ISDIR(st.st_mode)) {
			snprintf(err, err_size, "cannot create %s: not a directory", copy);
			ok = false;
		}
		if (end) {
			break;
		}
		*p = '/';
	}
	free(copy);
	return ok;
}
