#include "util/log.h"

#include "util/xmalloc.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum log_level threshold = LOG_INFO;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* log_once() memory: a short list, since there are only a few sources of repeated errors. */
struct once_entry {
	char *key;     // owned
	char *message; // owned
	struct once_entry *next;
};
static struct once_entry *once_list;

static const char *level_name(enum log_level level)
{
	switch (level) {
	case LOG_DEBUG:
		return "debug";
	case LOG_INFO:
		return "info";
	case LOG_WARN:
		return "warning";
	case LOG_ERROR:
		return "error";
	}
	return "?";
}

void log_set_level(enum log_level level)
{
	threshold = level;
}

static unsigned long errors; // LOG_ERROR messages emitted, guarded by lock

static void emit(enum log_level level, const char *message)
{
	errors += level == LOG_ERROR;
	if (level < threshold) {
		return;
	}
	fprintf(stderr, "citywall: %s: %s\n", level_name(level), message);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *message = xvasprintf(fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&lock);
	emit(level, message);
	pthread_mutex_unlock(&lock);
	free(message);
}

unsigned long log_error_count(void)
{
	pthread_mutex_lock(&lock);
	unsigned long n = errors;
	pthread_mutex_unlock(&lock);
	return n;
}

static struct once_entry **find(const char *key)
{
	struct once_entry **it = &once_list;
	while (*it && strcmp((*it)->key, key) != 0) {
		it = &(*it)->next;
	}
	return it;
}

bool log_once(enum log_level level, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *message = xvasprintf(fmt, ap);
	va_end(ap);

	pthread_mutex_lock(&lock);
	struct once_entry **slot = find(key);
	bool repeated = *slot && strcmp((*slot)->message, message) == 0;
	if (!repeated) {
		if (!*slot) {
			*slot = xcalloc(1, sizeof(**slot));
			(*slot)->key = xstrdup(key);
		}
		free((*slot)->message);
		(*slot)->message = xstrdup(message);
		emit(level, message);
	}
	pthread_mutex_unlock(&lock);
	free(message);
	return !repeated;
}

static void forget(struct once_entry **slot)
{
	struct once_entry *gone = *slot;
	*slot = gone->next;
	free(gone->key);
	free(gone->message);
	free(gone);
}

void log_once_clear(const char *key)
{
	pthread_mutex_lock(&lock);
	struct once_entry **slot = find(key);
	if (*slot) {
		forget(slot);
	}
	pthread_mutex_unlock(&lock);
}

void log_once_clear_prefix(const char *prefix)
{
	size_t len = strlen(prefix);
	pthread_mutex_lock(&lock);
	struct once_entry **it = &once_list;
	while (*it) {
		if (strncmp((*it)->key, prefix, len) == 0) {
			forget(it);
		} else {
			it = &(*it)->next;
		}
	}
	pthread_mutex_unlock(&lock);
}

void log_finish(void)
{
	pthread_mutex_lock(&lock);
	while (once_list) {
		forget(&once_list);
	}
	pthread_mutex_unlock(&lock);
}
