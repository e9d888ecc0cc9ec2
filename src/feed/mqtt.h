#ifndef CITYWALL_FEED_MQTT_H
#define CITYWALL_FEED_MQTT_H

/*
 * A push source: one MQTT subscription (libmosquitto) whose topic's retained message is the
 * source's current snapshot document. Each client runs on a thread of its own that connects,
 * subscribes, hands every message to its owner and, when the connection fails or ends,
 * reports why and reconnects after a back-off with jitter. The owner turns messages into
 * snapshots exactly as it does fetched HTTP bodies (feed/fetcher_push.c); nothing here parses.
 *
 * Why a thread per client rather than the fetch thread's curl_multi_poll: libmosquitto's
 * connect (name lookup, TCP connect, TLS handshake) blocks, so on the fetch thread one
 * unreachable broker would delay every HTTP source; and libmosquitto's own loop thread
 * (mosquitto_loop_start) gives up for good on some errors (a failed name lookup), reconnects
 * without telling us why each attempt failed and without jitter. Our thread drives
 * mosquitto_loop() and owns the reconnect policy, so the status names every reason.
 */

#include <stdbool.h>
#include <stddef.h>

#include "model/source.h"

struct mqtt_callbacks {
	/* A message on the topic (retained or live): `body` is NUL-terminated, borrowed for the
	 * call. Called on the client's thread. */
	void (*document)(void *ctx, size_t source, const char *body, size_t len);
	/* The connection failed, was refused or lost, or a message was refused before parsing
	 * (too large, empty): `message` says why in one stable line. Client's thread. */
	void (*failure)(void *ctx, size_t source, const char *message);
	void *ctx; // borrowed
};

struct mqtt_client;

/*
 * Creates the client of source `source` (config borrowed during the call: url, username,
 * password, ca_file, interval as the keep-alive, max_bytes). Does not connect. Returns NULL
 * with a message in err when the URL is not a usable MQTT URL.
 */
struct mqtt_client *mqtt_client_create(const struct source_config *config, size_t source,
				       const struct mqtt_callbacks *callbacks, char *err,
				       size_t err_size);
/* Starts the client's thread, which connects at once; a started client stays as it is. */
bool mqtt_client_start(struct mqtt_client *client, char *err, size_t err_size);
/*
 * Waits until the client has handed over a document or reported a failure, or `seconds`
 * passed; returns whether anything came (for --screenshot, which takes what the broker holds
 * now). The client must have been started.
 */
bool mqtt_client_wait_first(struct mqtt_client *client, double seconds);
/* Disconnects, joins the thread and frees everything; NULL is a no-op. */
void mqtt_client_destroy(struct mqtt_client *client);

/* The reconnect delay after the n-th failure in a row (1 s doubling to 30 s), before jitter. */
double mqtt_backoff(unsigned failures);

#endif
