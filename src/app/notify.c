#include "app/notify.h"

#include "util/log.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>

void notify_init(struct service_notify *n)
{
	*n = (struct service_notify){.watchdog_interval = INFINITY,
				     .active = getenv("NOTIFY_SOCKET") != NULL};
	uint64_t usec = 0;
	if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
		/* Half the timeout, as sd_watchdog_enabled(3) advises: one late wake is forgiven. */
		n->watchdog_interval = (double)usec / 2e6;
		log_info("systemd watchdog: pinging every %.1f s", n->watchdog_interval);
	}
}

void notify_finish(struct service_notify *n)
{
	free(n->status);
	*n = (struct service_notify){.watchdog_interval = INFINITY};
}

void notify_ready(struct service_notify *n)
{
	if (!n->ready) {
		n->ready = true;
		sd_notify(0, "READY=1");
	}
}

void notify_watchdog(struct service_notify *n, double now)
{
	if (isinf(n->watchdog_interval) || now < n->next_watchdog) {
		return;
	}
	sd_notify(0, "WATCHDOG=1");
	n->next_watchdog = now + n->watchdog_interval;
}

void notify_status(struct service_notify *n, const char *line)
{
	if (n->status && strcmp(n->status, line) == 0) {
		return;
	}
	free(n->status);
	n->status = xstrdup(line);
	sd_notifyf(0, "STATUS=%s", line);
}

void notify_stopping(struct service_notify *n)
{
	sd_notify(0, "STOPPING=1");
}
