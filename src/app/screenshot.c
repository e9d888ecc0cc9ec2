#include "app/screenshot.h"

#include "util/fileio.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool screenshot_write(struct wall *wall, int width, int height, const char *png_path, char *err,
		      size_t err_size)
{
	cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		snprintf(err, err_size, "cannot create a %dx%d image: %s", width, height,
			 cairo_status_to_string(cairo_surface_status(surface)));
		cairo_surface_destroy(surface);
		return false;
	}
	double now = clock_now(&wall->clock);
	board_set_viewport(wall->board, width, height);
	board_advance(wall->board, now);
	board_invalidate_all(wall->board);
	size_t count;
	board_draw(wall->board, surface, now, &count);
	bool ok = screenshot_save(surface, png_path, err, err_size);
	cairo_surface_destroy(surface);
	return ok;
}

struct png_sink {
	int fd;
	int error; // errno of the first failed write
};

static cairo_status_t write_chunk(void *closure, const unsigned char *data, unsigned int len)
{
	struct png_sink *sink = closure;
	while (len > 0) {
		ssize_t n = write(sink->fd, data, len);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			sink->error = n < 0 ? errno : EIO;
			return CAIRO_STATUS_WRITE_ERROR;
		}
		data += n;
		len -= (unsigned int)n;
	}
	return CAIRO_STATUS_SUCCESS;
}

bool screenshot_encode(cairo_surface_t *surface, int fd, const char *temp, char *err,
		       size_t err_size)
{
	/* Streamed, not via a buffer: an 8K frame is 66 MB before compression. */
	struct png_sink sink = {.fd = fd};
	cairo_status_t status = cairo_surface_write_to_png_stream(surface, write_chunk, &sink);
	if (status != CAIRO_STATUS_SUCCESS) {
		snprintf(err, err_size, "cannot write %s: %s", temp,
			 sink.error ? strerror(sink.error) : cairo_status_to_string(status));
		return false;
	}
	if (fchmod(fd, 0644) != 0 || fsync(fd) != 0) {
		snprintf(err, err_size, "cannot write %s: %s", temp, strerror(errno));
		return false;
	}
	return true;
}

bool screenshot_save(cairo_surface_t *surface, const char *png_path, char *err, size_t err_size)
{
	char *dir = path_dirname(png_path);
	const char *slash = strrchr(png_path, '/');
	char *temp = xasprintf("%s/.%s.XXXXXX", dir, slash ? slash + 1 : png_path);
	bool ok = false;
	int fd = mkstemp(temp);
	if (fd < 0) {
		snprintf(err, err_size, "cannot write %s: cannot create a file in %s: %s", png_path,
			 dir, strerror(errno));
		goto out;
	}
	ok = screenshot_encode(surface, fd, temp, err, err_size);
	if (close(fd) != 0 && ok) {
		snprintf(err, err_size, "cannot write %s: %s", temp, strerror(errno));
		ok = false;
	}
	if (ok && rename(temp, png_path) != 0) {
		snprintf(err, err_size, "cannot rename %s to %s: %s", temp, png_path,
			 strerror(errno));
		ok = false;
	}
	if (!ok) {
		unlink(temp);
	}
out:
	free(temp);
	free(dir);
	return ok;
}
