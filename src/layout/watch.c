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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Quiet time after the last event before a save counts as done. */
#define SETTLE_MS 40
/*
 * File times come from the kernel's coarse clock, up to a tick (4-10 ms) behind
 * clock_gettime(): a file written just after `since` may carry a time a little before it.
 */
#define MTIME_SLACK 0.010

struct file_watch {
	int inotify_fd;         // owned
	int control_pipe[2];    // owned: 'x' on [1] ends the thread, 'p' counts as a save
	pthread_t thread;
	bool started;
	pthread_mutex_t lock;   // guards names and count (the thread reads, set_files writes)
	char **names;           // owned: base names of the watched files
	size_t count;
	int *folders;           // owned: inotify watch descriptors of their folders
	size_t folder_count;
	void (*changed)(void *ctx);
	void *ctx;              // borrowed
};

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static bool is_watched(struct file_watch *w, const char *name)
{
	bool found = false;
	pthread_mutex_lock(&w->lock);
	for (size_t i = 0; i < w->count && !found; i++) {
		found = strcmp(w->names[i], name) == 0;
	}
	pthread_mutex_unlock(&w->lock);
	return found;
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
	struct pollfd fds[2] = {{w->inotify_fd, POLLIN, 0}, {w->control_pipe[0], POLLIN, 0}};
	bool pending = false;
	for (;;) {
		int ready = poll(fds, 2, pending ? SETTLE_MS : -1);
		if (ready < 0 && errno != EINTR) {
			break;
		}
		char c = 0;
		if (ready > 0 && fds[1].revents && (read(w->control_pipe[0], &c, 1) != 1 || c == 'x')) {
			break;
		}
		if (c == 'p') {
			pending = true; /* settles like any other save */
		} else if (ready > 0 && fds[0].revents) {
			pending |= drain(w);
		} else if (ready == 0 && pending) {
			pending = false;
			w->changed(w->ctx);
		}
	}
	return NULL;
}

/* Watches the folder of `file`; returns its watch descriptor, or -1 with a message. */
static int add_folder(struct file_watch *w, const char *file, char *err, size_t err_size)
{
	char *dir = path_dirname(file);
	int wd = inotify_add_watch(w->inotify_fd, dir,
				   IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE);
	if (wd < 0) {
		snprintf(err, err_size, "cannot watch %s: %s", dir, strerror(errno));
	}
	free(dir);
	return wd;
}

static bool contains(const int *list, size_t count, int value)
{
	for (size_t i = 0; i < count; i++) {
		if (list[i] == value) {
			return true;
		}
	}
	return false;
}

double file_watch_clock(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Saved between `since` and now. A file dated after now was not saved in that window: the
 * wall clock was stepped back since it was written (or the file came from another machine).
 * Counted as a save, it would make every reload start the next one, for as long as the step.
 */
static bool modified_since(const char *file, double since)
{
	struct stat st;
	if (stat(file, &st) != 0) {
		return false;
	}
	double mtime = (double)st.st_mtim.tv_sec + (double)st.st_mtim.tv_nsec / 1e9;
	return mtime >= since - MTIME_SLACK && mtime <= file_watch_clock() + MTIME_SLACK;
}

bool file_watch_set_files(struct file_watch *w, const char *const *files, size_t count,
			  double since, char *err, size_t err_size)
{
	/* Folders first (adding a watched one again is harmless), so no event falls between. */
	int *folders = xcalloc(count + 1, sizeof(*folders));
	size_t folder_count = 0;
	bool ok = true;
	for (size_t i = 0; i < count; i++) {
		int wd = add_folder(w, files[i], err, err_size);
		ok &= wd >= 0;
		if (wd >= 0 && !contains(folders, folder_count, wd)) {
			folders[folder_count++] = wd;
		}
	}
	for (size_t i = 0; i < w->folder_count; i++) {
		if (!contains(folders, folder_count, w->folders[i])) {
			inotify_rm_watch(w->inotify_fd, w->folders[i]);
		}
	}
	free(w->folders);
	w->folders = folders;
	w->folder_count = folder_count;

	char **names = xcalloc(count + 1, sizeof(*names));
	for (size_t i = 0; i < count; i++) {
		names[i] = xstrdup(base_name(files[i]));
	}
	pthread_mutex_lock(&w->lock);
	char **old = w->names;
	size_t old_count = w->count;
	w->names = names;
	w->count = count;
	pthread_mutex_unlock(&w->lock);
	for (size_t i = 0; i < old_count; i++) {
		free(old[i]);
	}
	free(old);

	bool raced = false;
	for (size_t i = 0; i < count && !raced; i++) {
		raced = modified_since(files[i], since);
	}
	if (raced && write(w->control_pipe[1], "p", 1) != 1) {
		/* A full pipe already holds a wake-up. */
	}
	return ok;
}

struct file_watch *file_watch_create(const char *const *files, size_t count, double since,
				     void (*changed)(void *ctx), void *ctx, char *err,
				     size_t err_size)
{
	struct file_watch *w = xcalloc(1, sizeof(*w));
	w->changed = changed;
	w->ctx = ctx;
	w->control_pipe[0] = w->control_pipe[1] = -1;
	pthread_mutex_init(&w->lock, NULL);
	w->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->inotify_fd < 0 || pipe(w->control_pipe) != 0) {
		snprintf(err, err_size, "cannot watch files: %s", strerror(errno));
		file_watch_destroy(w);
		return NULL;
	}
	if (!file_watch_set_files(w, files, count, since, err, err_size)) {
		file_watch_destroy(w);
		return NULL;
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
	if (w->started && write(w->control_pipe[1], "x", 1) == 1) {
		pthread_join(w->thread, NULL);
	}
	if (w->control_pipe[1] >= 0) {
		close(w->control_pipe[1]);
	}
	if (w->control_pipe[0] >= 0) {
		close(w->control_pipe[0]);
	}
	if (w->inotify_fd >= 0) {
		close(w->inotify_fd);
	}
	for (size_t i = 0; i < w->count; i++) {
		free(w->names[i]);
	}
	free(w->names);
	free(w->folders);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
