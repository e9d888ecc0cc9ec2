#include "app/health.h"

#include "app/clock.h"
#include "app/emergency.h"
#include "util/log.h"
#include "util/xmalloc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A request is a line and a few headers; anything longer is not a health check. */
#define REQUEST_MAX 4096
/* How long a client may take to send its request, and to take the answer. */
#define CLIENT_TIMEOUT_S 1.0

struct health {
	int listen_fd;         // owned
	int stop_pipe[2];      // owned: writing to [1] ends the thread
	pthread_t thread;
	pthread_mutex_t lock;  // guards document
	char *document;        // owned: the JSON served
	int port;
	void (*on_emergency)(int mode, void *ctx); // guarded by lock; NULL: none
	void *emergency_ctx;                       // borrowed
};

static bool parse_port(const char *text, int *port)
{
	char *end;
	long v = strtol(text, &end, 10);
	if (end == text || *end != '\0' || v < 0 || v > 65535) {
		return false;
	}
	*port = (int)v;
	return true;
}

static bool is_loopback(const struct health_address *a)
{
	if (a->addr.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)&a->addr;
		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&a->addr;
	return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
}

/* Fills `out` from a host ("localhost", IPv4 or IPv6 text) and a port. */
static bool make_address(const char *host, int port, struct health_address *out)
{
	*out = (struct health_address){0};
	struct sockaddr_in *in = (struct sockaddr_in *)&out->addr;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&out->addr;
	if (strcmp(host, "localhost") == 0) {
		host = "127.0.0.1";
	}
	if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		out->len = sizeof(*in);
		return true;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		out->len = sizeof(*in6);
		return true;
	}
	return false;
}

bool health_parse_address(const char *text, struct health_address *out, char *err,
			  size_t err_size)
{
	int port;
	if (parse_port(text, &port)) {
		return make_address("127.0.0.1", port, out);
	}
	char host[64];
	const char *colon = text[0] == '[' ? strstr(text, "]:") : strrchr(text, ':');
	const char *host_start = text[0] == '[' ? text + 1 : text;
	size_t host_len = colon ? (size_t)(colon - host_start) : 0;
	const char *port_text = colon ? colon + (text[0] == '[' ? 2 : 1) : "";
	if (!colon || host_len == 0 || host_len >= sizeof(host) || !parse_port(port_text, &port)) {
		snprintf(err, err_size, "--health: \"%s\" is not PORT or ADDRESS:PORT", text);
		return false;
	}
	memcpy(host, host_start, host_len);
	host[host_len] = '\0';
	if (!make_address(host, port, out)) {
		snprintf(err, err_size, "--health: \"%s\" is not an IP address", host);
		return false;
	}
	if (!is_loopback(out)) {
		snprintf(err, err_size,
			 "--health: %s is not a loopback address (the endpoint has no "
			 "authentication; put a proxy in front of it to share it)",
			 host);
		return false;
	}
	return true;
}

/* Waits for `events` on fd until `deadline` (monotonic); false on timeout or stop. */
static bool wait_client(struct health *h, int fd, short events, double deadline)
{
	double left = deadline - clock_monotonic();
	if (left <= 0) {
		return false;
	}
	struct pollfd fds[2] = {{fd, events, 0}, {h->stop_pipe[0], POLLIN, 0}};
	int ready = poll(fds, 2, (int)ceil(left * 1000));
	return ready > 0 && !fds[1].revents && fds[0].revents;
}

/* Reads the request head; its length, or -1 when the client was too slow, closed or too long. */
static ssize_t read_request(struct health *h, int fd, char *buf, size_t size, double deadline)
{
	size_t len = 0;
	while (len + 1 < size) {
		if (!wait_client(h, fd, POLLIN, deadline)) {
			return -1;
		}
		ssize_t n = recv(fd, buf + len, size - 1 - len, 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
			continue;
		}
		if (n <= 0) {
			return -1;
		}
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n")) {
			return (ssize_t)len;
		}
	}
	return -1;
}

static void send_all(struct health *h, int fd, const char *data, size_t len, double deadline)
{
	while (len > 0 && wait_client(h, fd, POLLOUT, deadline)) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
		if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
			continue;
		}
		if (n <= 0) {
			return;
		}
		data += n;
		len -= (size_t)n;
	}
}

static bool is_health_request(const char *request)
{
	if (strncmp(request, "GET /health", 11) != 0) {
		return false;
	}
	char after = request[11];
	return after == ' ' || after == '?' || after == '\r' || after == '\n';
}

/*
 * POST /emergency?state=on|off|auto: hands the mode to the main loop. Returns false when the
 * request is not one; else the status and body of the answer.
 */
static bool emergency_request(struct health *h, const char *request, const char **status,
			      char **body)
{
	if (strncmp(request, "POST /emergency", 15) != 0 ||
	    (request[15] != '?' && request[15] != ' ')) {
		return false;
	}
	char state[8] = "";
	const char *q = request[15] == '?' ? strstr(request, "state=") : NULL;
	const char *end = request + 5 + strcspn(request + 5, " \r\n"); // the target's end
	if (q && q < end) {
		size_t len = strcspn(q + 6, "& \r\n");
		if (len < sizeof(state)) {
			memcpy(state, q + 6, len);
			state[len] = '\0';
		}
	}
	enum emergency_mode mode;
	pthread_mutex_lock(&h->lock);
	void (*fn)(int, void *) = h->on_emergency;
	void *ctx = h->emergency_ctx;
	pthread_mutex_unlock(&h->lock);
	if (!fn) {
		*status = "404 Not Found";
		*body = xstrdup("{\"error\": \"not found; try GET /health\"}");
	} else if (!emergency_mode_parse(state, &mode)) {
		*status = "400 Bad Request";
		*body = xstrdup("{\"error\": \"state must be on, off or auto\"}");
	} else {
		fn((int)mode, ctx);
		*status = "202 Accepted";
		*body = xasprintf("{\"emergency\": \"%s\"}", emergency_mode_names[mode]);
	}
	return true;
}

static void answer(struct health *h, int fd, const char *request, double deadline)
{
	char *body;
	const char *status = "200 OK";
	if (emergency_request(h, request, &status, &body)) {
		/* answered: the main loop applies the mode before its next frame */
	} else if (is_health_request(request)) {
		pthread_mutex_lock(&h->lock);
		body = xstrdup(h->document ? h->document : "{}");
		pthread_mutex_unlock(&h->lock);
	} else {
		status = "404 Not Found";
		body = xstrdup("{\"error\": \"not found; try GET /health\"}");
	}
	size_t body_len = strlen(body);
	char *response = xasprintf("HTTP/1.0 %s\r\nContent-Type: application/json\r\n"
				   "Content-Length: %zu\r\nCache-Control: no-store\r\n"
				   "Connection: close\r\n\r\n%s",
				   status, body_len, body);
	send_all(h, fd, response, strlen(response), deadline);
	free(response);
	free(body);
}

static void serve_client(struct health *h, int fd)
{
	char request[REQUEST_MAX + 1];
	double deadline = clock_monotonic() + CLIENT_TIMEOUT_S;
	if (read_request(h, fd, request, sizeof(request), deadline) < 0) {
		/* Too slow, gone or too long: it gets nothing, the next client gets its turn. */
		return;
	}
	answer(h, fd, request, clock_monotonic() + CLIENT_TIMEOUT_S);
}

static void *serve_thread(void *arg)
{
	struct health *h = arg;
	struct pollfd fds[2] = {{h->listen_fd, POLLIN, 0}, {h->stop_pipe[0], POLLIN, 0}};
	for (;;) {
		if (poll(fds, 2, -1) < 0 && errno != EINTR) {
			break;
		}
		if (fds[1].revents) {
			break;
		}
		if (!fds[0].revents) {
			continue;
		}
		int fd = accept(h->listen_fd, NULL, NULL);
		if (fd >= 0 && fcntl(fd, F_SETFL, O_NONBLOCK) == 0) {
			serve_client(h, fd);
		}
		if (fd >= 0) {
			close(fd);
		}
	}
	return NULL;
}

static bool listen_on(struct health *h, const struct health_address *a, char *err,
		      size_t err_size)
{
	h->listen_fd = socket(a->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int one = 1;
	if (h->listen_fd < 0 ||
	    setsockopt(h->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(h->listen_fd, (const struct sockaddr *)&a->addr, a->len) != 0 ||
	    listen(h->listen_fd, 8) != 0) {
		char host[INET6_ADDRSTRLEN] = "?";
		const void *ip = a->addr.ss_family == AF_INET
					 ? (const void *)&((const struct sockaddr_in *)&a->addr)->sin_addr
					 : (const void *)&((const struct sockaddr_in6 *)&a->addr)->sin6_addr;
		inet_ntop(a->addr.ss_family, ip, host, sizeof(host));
		snprintf(err, err_size, "cannot listen on %s port %d: %s", host,
			 ntohs(((const struct sockaddr_in *)&a->addr)->sin_port), strerror(errno));
		return false;
	}
	struct sockaddr_storage bound;
	socklen_t len = sizeof(bound);
	getsockname(h->listen_fd, (struct sockaddr *)&bound, &len);
	h->port = ntohs(((const struct sockaddr_in *)&bound)->sin_port);
	return true;
}

struct health *health_start(const struct health_address *address, char *err, size_t err_size)
{
	struct health *h = xcalloc(1, sizeof(*h));
	h->listen_fd = h->stop_pipe[0] = h->stop_pipe[1] = -1;
	pthread_mutex_init(&h->lock, NULL);
	if (!listen_on(h, address, err, err_size)) {
		health_stop(h);
		return NULL;
	}
	if (pipe(h->stop_pipe) != 0 || pthread_create(&h->thread, NULL, serve_thread, h) != 0) {
		snprintf(err, err_size, "cannot start the health endpoint: %s", strerror(errno));
		if (h->stop_pipe[1] >= 0) {
			close(h->stop_pipe[1]);
			h->stop_pipe[1] = -1;
		}
		health_stop(h);
		return NULL;
	}
	return h;
}

void health_stop(struct health *h)
{
	if (!h) {
		return;
	}
	/* The pipe exists only once the thread runs (see health_start). */
	if (h->stop_pipe[1] >= 0 && write(h->stop_pipe[1], "x", 1) == 1) {
		pthread_join(h->thread, NULL);
	}
	int fds[] = {h->stop_pipe[0], h->stop_pipe[1], h->listen_fd};
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (fds[i] >= 0) {
			close(fds[i]);
		}
	}
	free(h->document);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

void health_publish(struct health *h, const char *json)
{
	char *copy = xstrdup(json);
	pthread_mutex_lock(&h->lock);
	char *old = h->document;
	h->document = copy;
	pthread_mutex_unlock(&h->lock);
	free(old);
}

void health_on_emergency(struct health *h, void (*fn)(int mode, void *ctx), void *ctx)
{
	pthread_mutex_lock(&h->lock);
	h->on_emergency = fn;
	h->emergency_ctx = ctx;
	pthread_mutex_unlock(&h->lock);
}

int health_port(const struct health *h)
{
	return h->port;
}
