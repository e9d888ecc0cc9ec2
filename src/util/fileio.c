#include "util/fileio.h"

#include "util/xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads `f` to its end; closes it either way. */
static bool read_stream(FILE *f, const char *path, size_t max_bytes, char **out, size_t *out_len,
			char *err, size_t err_size)
{
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
	return read_stream(f, path, max_bytes, out, out_len, err, err_size);
}

/* "" for a regular file, else what it is instead. */
static const char *irregular_kind(mode_t mode)
{
	if (S_ISREG(mode)) {
		return "";
	}
	if (S_ISDIR(mode)) {
		return "a directory";
	}
	if (S_ISFIFO(mode)) {
		return "a FIFO";
	}
	if (S_ISSOCK(mode)) {
		return "a socket";
	}
	if (S_ISCHR(mode)) {
		return "a character device";
	}
	return S_ISBLK(mode) ? "a block device" : "a special file";
}

static bool refuse_irregular(const char *path, mode_t mode, char *err, size_t err_size)
{
	const char *kind = irregular_kind(mode);
	if (!kind[0]) {
		return false;
	}
	if (S_ISDIR(mode)) {
		snprintf(err, err_size, "%s is a directory", path);
	} else {
		snprintf(err, err_size, "%s is %s, not a regular file", path, kind);
	}
	return true;
}

int file_open_regular(const char *path, char *err, size_t err_size)
{
	/* stat first, so that a device is never even opened; fstat after, against a swap. */
	struct stat st;
	if (stat(path, &st) == 0 && refuse_irregular(path, st.st_mode, err, err_size)) {
		return -1;
	}
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		snprintf(err, err_size, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(err, err_size, "cannot read %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (refuse_irregular(path, st.st_mode, err, err_size)) {
		close(fd);
		return -1;
	}
	int flags = fcntl(fd, F_GETFL);
	if (flags >= 0) {
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	}
	return fd;
}

bool file_read_regular(const char *path, size_t max_bytes, char **out, size_t *out_len,
		       char *err, size_t err_size)
{
	int fd = file_open_regular(path, err, err_size);
	if (fd < 0) {
		return false;
	}
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		snprintf(err, err_size, "cannot read %s: %s", path, strerror(errno));
		close(fd);
		return false;
	}
	return read_stream(f, path, max_bytes, out, out_len, err, err_size);
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
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
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
	return file_write_atomic_mode(path, data, len, 0600, err, err_size);
}

static bool write_atomic(const char *path, const void *data, size_t len, mode_t mode,
			 bool durable, char *err, size_t err_size)
{
	char *dir = path_dirname(path);
	const char *slash = strrchr(path, '/');
	char *temp = xasprintf("%s/.%s" FILE_TEMP_MARK "XXXXXX", dir, slash ? slash + 1 : path);
	bool ok = false;
	int fd = mkstemp(temp);
	if (fd >= 0) {
		fcntl(fd, F_SETFD, FD_CLOEXEC); // a child we start must not hold it
	}
	if (fd < 0) {
		snprintf(err, err_size, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	bool written = (mode == 0600 || fchmod(fd, mode) == 0) && write_all(fd, data, len) &&
		       (!durable || fsync(fd) == 0);
	int saved = errno;
	if (close(fd) != 0 && written) {
		written = false;
		saved = errno;
	}
	/* Messages name `path`: the temporary name differs every time, and would defeat
	 * log_once (a full disk would log a line per attempt). */
	if (!written) {
		snprintf(err, err_size, "cannot write %s: %s", path, strerror(saved));
	} else if (rename(temp, path) != 0) {
		snprintf(err, err_size, "cannot replace %s: %s", path, strerror(errno));
	} else {
		ok = !durable || sync_dir(dir, err, err_size);
	}
	if (!ok) {
		saved = errno;
		unlink(temp);
		errno = saved; // the cause, for callers that sort failures by it
	}
out:
	free(temp);
	free(dir);
	return ok;
}

bool file_write_atomic_mode(const char *path, const void *data, size_t len, mode_t mode,
			    char *err, size_t err_size)
{
	return write_atomic(path, data, len, mode, true, err, err_size);
}

bool file_replace_often(const char *path, const void *data, size_t len, mode_t mode, char *err,
			size_t err_size)
{
	return write_atomic(path, data, len, mode, false, err, err_size);
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
