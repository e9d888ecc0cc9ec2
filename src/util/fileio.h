#ifndef CITYWALL_UTIL_FILEIO_H
#define CITYWALL_UTIL_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Reads a whole file into a NUL-terminated buffer the caller owns (*out, *out_len without the
 * NUL). Files larger than max_bytes are refused. On failure returns false and writes a message
 * such as "cannot open layouts/x.json: No such file or directory" into err.
 */
bool file_read_all(const char *path, size_t max_bytes, char **out, size_t *out_len, char *err,
		   size_t err_size);

/*
 * Opens `path` for reading only when it is a regular file: a FIFO would block the reader
 * forever, a device or a socket is never a document. The check is made on the descriptor
 * (opened with O_NONBLOCK, which is then cleared), so the file cannot be swapped between a
 * check and the open. Returns the descriptor (close-on-exec; the caller closes it), or -1
 * with a message such as "feeds/x.json is a FIFO, not a regular file".
 */
int file_open_regular(const char *path, char *err, size_t err_size);

/* file_read_all for regular files only (see file_open_regular). */
bool file_read_regular(const char *path, size_t max_bytes, char **out, size_t *out_len,
		       char *err, size_t err_size);

/*
 * Replaces `path` with data[0..len) so that readers see the old or the new file, never a part:
 * writes a temporary file in the same folder, fsyncs it, renames it over `path`, and fsyncs the
 * folder so the rename survives a power cut. The temporary file is called ".NAME.tmp-XXXXXX"
 * (see FILE_TEMP_MARK), so that what a killed process left behind can be recognised. Returns
 * false with a message on failure; the message names `path`, never the temporary file, so the
 * same failure gives the same text every time (what log_once needs).
 */
#define FILE_TEMP_MARK ".tmp-"

bool file_write_atomic(const char *path, const void *data, size_t len, char *err,
		       size_t err_size);

/* file_write_atomic with the file's permissions (file_write_atomic: 0600, private). */
bool file_write_atomic_mode(const char *path, const void *data, size_t len, mode_t mode,
			    char *err, size_t err_size);

/*
 * file_write_atomic_mode without the two fsyncs, for a document rewritten every few seconds
 * (the status file, every 2 s): readers still see the old or the new file, never a part, but a power
 * cut may lose the last writes, which the next one replaces. Two fsyncs every two seconds
 * would wear a kiosk's flash for nothing.
 */
bool file_replace_often(const char *path, const void *data, size_t len, mode_t mode, char *err,
			size_t err_size);

/* Creates `path` and its missing parents (mode 0755). Returns false with a message on failure. */
bool dir_create_all(const char *path, char *err, size_t err_size);

/* The directory part of a path ("." when there is none); the caller owns the result. */
char *path_dirname(const char *path);

/* `path` resolved against directory `base` unless it is absolute or a URL; caller owns it. */
char *path_resolve(const char *base, const char *path);

#endif
