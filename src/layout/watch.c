#include "layout/watch.h"

#include "util/fileio.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

/* Quiet time after the last event before a save counts as done. */
#define SETTLE_MS 40

struct file_watch {
	int inotify_fd;         // owned
	int stop_pipe[2];       // owned: writing to [1] ends the thread
	pthread_t thread;
	bool started;
	char **names;           // owned: base names of the watched files
	size_t count;
	void (*changed)(void *ctx);
	void *ctx;              // borrowed
};

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static bool is_watched(const struct file_watch *w, const char *name)
{
	for (size_t i = 0; i < w->count; i++) {
		if (strcmp(w->names[i], name) == 0) {
			return true;
		}
	}
	return false;
}

/* Reads what inotify has; true when one of our files was touched. */
static bool drain(struct file_watch *w)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool ours = false;
	ssize_t n;
	while ((n = read(w->inotify_fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			ours |= ev->len > 0 && is_watched(w, ev->name);
			p += sizeof(*ev) + ev->len;
		}
	}
	return ours;
}

static void *watch_thread(void *arg)
{
	struct file_watch *w = arg;
	struct pollfd fds[2] = {{w->inotify_fd, POLLIN, 0}, {w->stop_pipe[0], POLLIN, 0}};
	bool pending = false;
	for (;;) {
		int ready = poll(fds, 2, pending ? SETTLE_MS : -1);
		if (ready < 0 && errno != EINTR) {
			break;
		}
		if (fds[1].revents) {
			break;
		}
		if (ready > 0 && fds[0].revents) {
			pending |= drain(w);
		} else if (ready == 0 && pending) {
			pending = false;
			w->changed(w->ctx);
		}
	}
	return NULL;
}

static bool add_folder(struct file_watch *w, const char *file, char *err, size_t err_size)
{
	char *dir = path_dirname(file);
	int wd = inotify_add_watch(w->inotify_fd, dir,
				   IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE);
	if (wd < 0) {
		snprintf(err, err_size, "cannot watch %s: %s", dir, strerror(errno));
	}
	free(dir);
	return wd >= 0;
}

struct file_watch *file_watch_create(const char *const *files, size_t count,
				     void (*changed)(void *ctx), void *ctx, char *err,
				     size_t err_size)
{
	struct file_watch *w = xcalloc(1, sizeof(*w));
	w->changed = changed;
	w->ctx = ctx;
	w->stop_pipe[0] = w->stop_pipe[1] = -1;
	w->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->inotify_fd < 0 || pipe(w->stop_pipe) != 0) {
		snprintf(err, err_size, "cannot watch files: %s", strerror(errno));
		file_watch_destroy(w);
		return NULL;
	}
	w->names = xcalloc(count + 1, sizeof(*w->names));
	for (size_t i = 0; i < count; i++) {
		w->names[w->count++] = xstrdup(base_name(files[i]));
		if (!add_folder(w, files[i], err, err_size)) {
			file_watch_destroy(w);
			return NULL;
		}
	}
	if (pthread_create(&w->thread, NULL, watch_thread, w) != 0) {
		snprintf(err, err_size, "cannot start the file watcher");
		file_watch_destroy(w);
		return NULL;
	}
	w->started = true;
	return w;
}

void file_watch_destroy(struct file_watch *w)
{
	if (!w) {
		return;
	}
	if (w->started && write(w->stop_pipe[1], "x", 1) == 1) {
		pthread_join(w->thread, NULL);
	}
	if (w->stop_pipe[1] >= 0) {
		close(w->stop_pipe[1]);
	}
	if (w->stop_pipe[0] >= 0) {
		close(w->stop_pipe[0]);
	}
	if (w->inotify_fd >= 0) {
		close(w->inotify_fd);
	}
	for (size_t i = 0; i < w->count; i++) {
		free(w->names[i]);
	}
	free(w->names);
	free(w);
}
