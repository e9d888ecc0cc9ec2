#ifndef CITYWALL_LAYOUT_WATCH_H
#define CITYWALL_LAYOUT_WATCH_H

/*
 * Watching layout files for saves (inotify). Editors save in many ways — write in place,
 * write a temporary file and rename it over, delete and recreate — so the folders are watched
 * and events are filtered by file name. A burst of events (one save is often three) is
 * collapsed into one call after a short quiet time.
 */

#include <stdbool.h>
#include <stddef.h>

struct file_watch;

/*
 * Starts watching `files` (copied). `changed(ctx)` is called on the watcher's own thread
 * after a save settles. Returns NULL with a message on failure.
 */
struct file_watch *file_watch_create(const char *const *files, size_t count,
				     void (*changed)(void *ctx), void *ctx, char *err,
				     size_t err_size);
/* Stops the thread and frees everything; NULL is a no-op. */
void file_watch_destroy(struct file_watch *watch);

#endif
