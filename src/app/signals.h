#ifndef CITYWALL_APP_SIGNALS_H
#define CITYWALL_APP_SIGNALS_H

/*
 * Operators' signals, taken on one thread with sigwait() instead of in handlers: a handler may
 * interrupt SDL or malloc anywhere, a thread may call anything. The signals are blocked in
 * every thread (signals_block() before any thread starts: threads inherit the mask), and the
 * signal thread hands each one to the main loop (an SDL event, a pipe).
 *
 *   SIGTERM, SIGINT, SIGQUIT  stop cleanly (exit 0)
 *   SIGHUP                    reload the layout
 *   SIGUSR1                   write what is on screen to the screen file
 *   SIGUSR2                   emergency mode: force on when not shown, cancel when shown
 *   SIGPIPE                   ignored (a closed socket is an error value, not a death)
 */

#include <stdbool.h>
#include <stddef.h>

struct signal_thread;

/* Blocks the operators' signals in the calling thread and ignores SIGPIPE. */
void signals_block(void);

/*
 * Starts the thread; `on_signal(signo, ctx)` runs on it for each signal. Signals that came
 * before are delivered now. Returns NULL with a message on failure.
 */
struct signal_thread *signals_start(void (*on_signal)(int signo, void *ctx), void *ctx,
				    char *err, size_t err_size);
/* Stops the thread (no more calls); NULL is a no-op. The signals stay blocked. */
void signals_stop(struct signal_thread *thread);

/* "SIGTERM" etc. */
const char *signals_name(int signo);
/* True for the signals that stop the program. */
bool signals_stops(int signo);

#endif
