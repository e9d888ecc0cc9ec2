#ifndef CITYWALL_APP_HEALTH_H
#define CITYWALL_APP_HEALTH_H

/*
 * The health endpoint: a tiny HTTP/1.0 server on its own thread that answers GET /health with
 * the status document (app/status.h), POST /emergency?state=on|off|auto by handing the mode
 * to the main loop, and anything else with 404. The main loop renders the
 * document and hands over a copy (under a mutex); the server never touches wall state, so a
 * slow or hostile client delays nobody but itself: one request at a time, 1 s to send it,
 * 4 kB at most. It has no authentication, so it listens on loopback only.
 */

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct health;

struct health_address {
	struct sockaddr_storage addr;
	socklen_t len;
};

/*
 * Parses "PORT" (127.0.0.1), "ADDR:PORT" or "[IPV6]:PORT"; "localhost" is 127.0.0.1. Refuses
 * an address that is not loopback. Returns false with a message.
 */
bool health_parse_address(const char *text, struct health_address *out, char *err,
			  size_t err_size);

/* Listens and starts serving; NULL with a message when the address cannot be bound. */
struct health *health_start(const struct health_address *address, char *err, size_t err_size);
/* Stops the server (waits for a request in progress, at most its timeout); NULL is a no-op. */
void health_stop(struct health *health);

/* Replaces the document served (copied). Called from the main loop. */
void health_publish(struct health *health, const char *json);
/*
 * Lets operators switch emergency mode: POST /emergency?state=on|off|auto calls `fn(mode,
 * ctx)` (enum emergency_mode) on the server's thread; it must only hand the mode over.
 * Without a handler the request is answered 404.
 */
void health_on_emergency(struct health *health, void (*fn)(int mode, void *ctx), void *ctx);

/* The port listened on (the one chosen when the address gave 0). */
int health_port(const struct health *health);

#endif
