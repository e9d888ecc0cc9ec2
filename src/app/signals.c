#include "app/signals.h"

#include "util/xmalloc.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct signal_thread {
	pthread_t thread;
	atomic_bool stopping;
	void (*on_signal)(int signo, void *ctx);
	void *ctx; // borrowed
};

static void operator_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGQUIT);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGUSR1);
	sigaddset(set, SIGUSR2);
}

void signals_block(void)
{
	sigset_t set;
	operator_signals(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void *signal_thread_main(void *arg)
{
	struct signal_thread *t = arg;
	sigset_t set;
	operator_signals(&set);
	for (;;) {
		int signo;
		if (sigwait(&set, &signo) != 0) {
			continue;
		}
		if (atomic_load(&t->stopping)) {
			break;
		}
		t->on_signal(signo, t->ctx);
	}
	return NULL;
}

struct signal_thread *signals_start(void (*on_signal)(int signo, void *ctx), void *ctx,
				    char *err, size_t err_size)
{
	struct signal_thread *t = xcalloc(1, sizeof(*t));
	t->on_signal = on_signal;
	t->ctx = ctx;
	atomic_init(&t->stopping, false);
	int rc = pthread_create(&t->thread, NULL, signal_thread_main, t);
	if (rc != 0) {
		snprintf(err, err_size, "cannot start the signal thread: %s", strerror(rc));
		free(t);
		return NULL;
	}
	return t;
}

void signals_stop(struct signal_thread *t)
{
	if (!t) {
		return;
	}
	atomic_store(&t->stopping, true);
	/* A signal of the set aimed at the thread ends its sigwait; the flag says it is ours. */
	pthread_kill(t->thread, SIGHUP);
	pthread_join(t->thread, NULL);
	free(t);
}

const char *signals_name(int signo)
{
	switch (signo) {
	case SIGTERM:
		return "SIGTERM";
	case SIGINT:
		return "SIGINT";
	case SIGQUIT:
		return "SIGQUIT";
	case SIGHUP:
		return "SIGHUP";
	case SIGUSR1:
		return "SIGUSR1";
	case SIGUSR2:
		return "SIGUSR2";
	default:
		return "a signal";
	}
}

bool signals_stops(int signo)
{
	return signo == SIGTERM || signo == SIGINT || signo == SIGQUIT;
}
