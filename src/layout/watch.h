#ifndef CITYWALL_LAYOUT_WATCH_H
#define CITYWALL_LAYOUT_WATCH_H

/*
 * Watching layout files for saves (inotify). Editors save in many ways — write in place,
 * write a temporary file and rename it over, delete and recreate — so the folders are watched
 * and events are filtered by file name. A burst of events (one save is often three) is
 * collapsed into one call after a short quiet time.
 *
 * One watcher lives as long as the program: a reload changes its list of files in place, so
 * a save that arrives while the previous one is being reloaded is never lost.
 */

#include <stdbool.h>
#include <stddef.h>

struct file_watch;

/*
 * Starts watching `files` (copied). `changed(ctx)` is called on the watcher's own thread
 * after a save settles. `since` is as for file_watch_set_files() (INFINITY: nothing raced).
 * Returns NULL with a message on failure.
 */
struct file_watch *file_watch_create(const char *const *files, size_t count, double since,
				     void (*changed)(void *ctx), void *ctx, char *err,
				     size_t err_size);

/*
 * Replaces the list of watched files (after a reload: includes come and go) without losing
 * events already seen. A file modified at or after `since` (file_watch_clock(), taken before
 * the files were read) counts as a save too: it may have been written between the read and
 * this call, in a folder that was not watched yet. Returns false with a message when a folder
 * cannot be watched (the others still are).
 */
bool file_watch_set_files(struct file_watch *watch, const char *const *files, size_t count,
			  double since, char *err, size_t err_size);

/* The clock of file modification times (epoch seconds), for file_watch_set_files(). */
double file_watch_clock(void);

/* Stops the thread and frees everything; NULL is a no-op. */
void file_watch_destroy(struct file_watch *watch);

#endif
