#ifndef CITYWALL_UTIL_LOG_H
#define CITYWALL_UTIL_LOG_H

/*
 * Logging to stderr with a level and a monotonic timestamp. log_once() remembers a key and
 * stays quiet while the same key is repeated with the same message, so a failing feed polled
 * every second is logged once, not once per poll (swaybar's status_error idea).
 */

#include <stdbool.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Logs unless the last message under `key` was the same text; returns true when it logged. */
bool log_once(enum log_level level, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Forgets `key`, so that the next failure is logged again (call on recovery). */
void log_once_clear(const char *key);
/* Forgets every key that starts with `prefix` (a source's keys, one per cause). */
void log_once_clear_prefix(const char *prefix);
/*
 * Errors logged so far (log_once's repeats that stayed quiet not counted): --check counts
 * those its drawing logs (a map whose bundled cartogram is missing) with the layout's own.
 */
unsigned long log_error_count(void);
/* Frees the memory of log_once(); for leak checkers at exit. */
void log_finish(void);

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
