#include "feed/mqtt.h"

#include "feed/http.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <math.h>
#include <mosquitto.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Who touches what:
 *   - url, name, credentials, limits, callbacks: written in create, read-only afterwards.
 *   - mosq: the client's thread drives it; destroy calls mosquitto_disconnect on it from the
 *     owner's thread to wake the loop (safe: mosquitto_threaded_set marks it shared).
 *   - failure_run, refused, acknowledged, subscribed, rng: the client's thread only.
 *   - stop, delivered: under lock; `wake` signals a change of either.
 */

#define BACKOFF_FIRST 1.0 // seconds before the first reconnect
#define BACKOFF_CAP 30.0  // seconds at most between attempts
#define JITTER 0.2        // ±20%: walls that lost one broker together do not return together
#define LOOP_WAIT_MS 1000 // mosquitto_loop's longest wait (it is woken for stop anyway)

struct mqtt_client {
	struct mosquitto *mosq;     // owned
	struct source_mqtt_url url; // owned
	char *name;                 // owned: the source's name
	char *username;             // owned: as written, ${ENV} expanded at each connect; NULL
	char *password;             // owned: likewise; NULL: none
	char *ca_file;              // owned: mqtts CA bundle; NULL: the system's
	int keepalive;              // seconds
	double connect_timeout;     // seconds from connect to the broker's CONNACK
	size_t max_bytes;
	size_t source;
	struct mqtt_callbacks cb;

	pthread_t thread;
	bool started;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;                  // under lock
	unsigned long delivered;    // under lock: documents and failures handed over
	unsigned failure_run;       // thread: failures since the last good subscription
	int refused;                // thread: the current attempt's CONNACK refusal; 0: none
	bool acknowledged;          // thread: the current attempt's CONNACK came
	bool subscribed;            // thread: the current connection's SUBACK came
	uint64_t rng;               // thread: jitter state
};

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

/* mosquitto_lib_init is not thread-safe; cleanup is left to process exit like curl's. */
static void init_lib(void)
{
	mosquitto_lib_init();
}

double mqtt_backoff(unsigned failures)
{
	unsigned n = failures > 1 ? (failures - 1 < 16 ? failures - 1 : 16) : 0;
	return fmin(ldexp(BACKOFF_FIRST, (int)n), BACKOFF_CAP);
}

static double random_unit(struct mqtt_client *c)
{
	uint64_t z = (c->rng += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0;
}

static bool stopping(struct mqtt_client *c)
{
	pthread_mutex_lock(&c->lock);
	bool stop = c->stop;
	pthread_mutex_unlock(&c->lock);
	return stop;
}

static void delivered(struct mqtt_client *c)
{
	pthread_mutex_lock(&c->lock);
	c->delivered++;
	pthread_cond_broadcast(&c->wake);
	pthread_mutex_unlock(&c->lock);
}

static void fail(struct mqtt_client *c, const char *message)
{
	c->cb.failure(c->cb.ctx, c->source, message);
	delivered(c);
}

/* ---- libmosquitto's callbacks (on the client's thread, inside mosquitto_loop) ---- */

static void on_connect(struct mosquitto *mosq, void *ctx, int rc)
{
	struct mqtt_client *c = ctx;
	c->acknowledged = true;
	if (rc != 0) {
		c->refused = rc;
		return;
	}
	/* QoS 1: the broker resends what we did not acknowledge; retained comes first. */
	int sub = mosquitto_subscribe(mosq, NULL, c->url.topic, 1);
	if (sub != MOSQ_ERR_SUCCESS) {
		c->refused = -sub;
	}
}

static void on_subscribe(struct mosquitto *mosq, void *ctx, int mid, int count,
			 const int *granted)
{
	struct mqtt_client *c = ctx;
	if (count >= 1 && granted[0] == 0x80) {
		c->refused = -MOSQ_ERR_ACL_DENIED;
		return;
	}
	c->subscribed = true;
	c->failure_run = 0;
}

static void on_message(struct mosquitto *mosq, void *ctx, const struct mosquitto_message *msg)
{
	struct mqtt_client *c = ctx;
	if (!msg->topic || strcmp(msg->topic, c->url.topic) != 0) {
		return;
	}
	char why[256];
	size_t len = msg->payloadlen > 0 ? (size_t)msg->payloadlen : 0;
	if (len == 0) {
		/* An empty retained message is how a publisher deletes the retained one. */
		fail(c, "bad payload: an empty message (the retained snapshot was cleared)");
		return;
	}
	if (len > c->max_bytes) {
		snprintf(why, sizeof(why), "bad payload: a message of %zu bytes, larger than %zu",
			 len, c->max_bytes);
		fail(c, why);
		return;
	}
	char *body = xmalloc(len + 1);
	memcpy(body, msg->payload, len);
	body[len] = '\0';
	c->cb.document(c->cb.ctx, c->source, body, len);
	free(body);
	delivered(c);
}

/* ---- connecting ---- */

/* A CONNACK refusal (rc > 0) or a refused subscription (rc < 0) in one stable line. */
static void refusal_text(const struct mqtt_client *c, int rc, char *why, size_t size)
{
	if (rc == 4 || rc == 5) {
		snprintf(why, size, "auth failure: broker %s:%d refused the connection: %s",
			 c->url.host, c->url.port, mosquitto_connack_string(rc));
	} else if (rc > 0) {
		snprintf(why, size, "connection refused by broker %s:%d: %s", c->url.host,
			 c->url.port, mosquitto_connack_string(rc));
	} else if (rc == -MOSQ_ERR_ACL_DENIED) {
		snprintf(why, size, "auth failure: broker %s:%d refused the subscription to %s",
			 c->url.host, c->url.port, c->url.topic);
	} else {
		snprintf(why, size, "cannot subscribe to %s: %s", c->url.topic,
			 mosquitto_strerror(-rc));
	}
}

/* Why a connect or a loop returned `rc`; errno as libmosquitto left it. */
static void error_text(const struct mqtt_client *c, int rc, int err, bool was_connected,
		       char *why, size_t size)
{
	if (rc == MOSQ_ERR_ERRNO && err == ECONNREFUSED) {
		snprintf(why, size, "broker down: %s:%d refused the connection", c->url.host,
			 c->url.port);
	} else if (was_connected && (rc == MOSQ_ERR_CONN_LOST || rc == MOSQ_ERR_ERRNO ||
				     rc == MOSQ_ERR_NO_CONN || rc == MOSQ_ERR_KEEPALIVE)) {
		snprintf(why, size, "broker down: connection to %s:%d lost", c->url.host,
			 c->url.port);
	} else if (rc == MOSQ_ERR_EAI) {
		snprintf(why, size, "broker unreachable: cannot resolve %s", c->url.host);
	} else if (rc == MOSQ_ERR_TLS) {
		snprintf(why, size, "TLS with broker %s:%d failed", c->url.host, c->url.port);
	} else if (rc == MOSQ_ERR_ERRNO) {
		snprintf(why, size, "broker unreachable: %s:%d: %s", c->url.host, c->url.port,
			 strerror(err));
	} else {
		snprintf(why, size, "broker %s:%d: %s (libmosquitto error %d)", c->url.host,
			 c->url.port, mosquitto_strerror(rc), rc);
	}
}

/* Sets the credentials, expanding ${ENV} now (a rotated secret takes effect on reconnect). */
static bool set_credentials(struct mqtt_client *c, char *why, size_t size)
{
	if (!c->username) {
		return true;
	}
	char err[256];
	char *user = http_expand_env(c->username, err, sizeof(err));
	char *password = user && c->password ? http_expand_env(c->password, err, sizeof(err))
					     : NULL;
	bool ok = user && (password || !c->password);
	if (ok) {
		ok = mosquitto_username_pw_set(c->mosq, user, password) == MOSQ_ERR_SUCCESS;
		snprintf(err, sizeof(err), "cannot set the MQTT credentials");
	}
	if (!ok) {
		snprintf(why, size, "%s", err);
	}
	free(user);
	free(password);
	return ok;
}

/*
 * One connection, from connect to its end; `why` says how it ended.
 *
 * Why connect_async: mosquitto_connect blocks in connect(2), and a broker whose packets are
 * dropped (a firewall, a dead route) holds it for the kernel's SYN retries, about two
 * minutes, during which neither a stop (a layout reload, SIGTERM: the owner joins this
 * thread) nor our own connect_timeout can act. Asynchronously the socket connects inside
 * mosquitto_loop, which a stop wakes and which returns to check the deadline.
 */
static void run_connection(struct mqtt_client *c, char *why, size_t size)
{
	c->refused = 0;
	c->acknowledged = false;
	c->subscribed = false;
	if (!set_credentials(c, why, size)) {
		return;
	}
	errno = 0;
	int rc = mosquitto_connect_async(c->mosq, c->url.host, c->url.port, c->keepalive);
	if (rc != MOSQ_ERR_SUCCESS) {
		error_text(c, rc, errno, false, why, size);
		return;
	}
	double start = time_monotonic();
	double deadline = start + c->connect_timeout;
	while (!stopping(c)) {
		int wait_ms = LOOP_WAIT_MS;
		if (!c->acknowledged) {
			double left_ms = (deadline - time_monotonic()) * 1e3;
			wait_ms = (int)fmin(LOOP_WAIT_MS, fmax(1, left_ms));
		}
		errno = 0;
		rc = mosquitto_loop(c->mosq, wait_ms, 1);
		if (c->refused) {
			refusal_text(c, c->refused, why, size);
			break;
		}
		/* Before the CONNACK a keep-alive falling due says only that there is no answer. */
		bool unanswered = !c->acknowledged && (rc == MOSQ_ERR_CONN_PENDING ||
						      rc == MOSQ_ERR_KEEPALIVE);
		if (rc != MOSQ_ERR_SUCCESS && !unanswered) {
			error_text(c, rc, errno, c->acknowledged, why, size);
			break;
		}
		double now = time_monotonic();
		if (!c->acknowledged && (now >= deadline || rc == MOSQ_ERR_KEEPALIVE)) {
			snprintf(why, size, "broker unreachable: no answer from %s:%d within %.1f s",
				 c->url.host, c->url.port, now - start);
			break;
		}
	}
	mosquitto_disconnect(c->mosq);
}

/* The CLOCK_MONOTONIC time `seconds` from now, for pthread_cond_timedwait on c->wake. */
static struct timespec monotonic_after(double seconds)
{
	struct timespec until;
	double secs = time_monotonic() + seconds;
	until.tv_sec = (time_t)secs;
	until.tv_nsec = (long)((secs - floor(secs)) * 1e9);
	return until;
}

static void sleep_backoff(struct mqtt_client *c)
{
	double delay = mqtt_backoff(c->failure_run) * (1.0 - JITTER + 2.0 * JITTER * random_unit(c));
	struct timespec until = monotonic_after(delay);
	pthread_mutex_lock(&c->lock);
	while (!c->stop) {
		if (pthread_cond_timedwait(&c->wake, &c->lock, &until) == ETIMEDOUT) {
			break;
		}
	}
	pthread_mutex_unlock(&c->lock);
}

static void *client_main(void *arg)
{
	struct mqtt_client *c = arg;
	while (!stopping(c)) {
		char why[320] = "";
		run_connection(c, why, sizeof(why));
		if (stopping(c)) {
			break;
		}
		c->failure_run++;
		fail(c, why[0] ? why : "broker closed the connection");
		sleep_backoff(c);
	}
	return NULL;
}

/* ---- the client ---- */

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static bool setup_mosquitto(struct mqtt_client *c, char *err, size_t err_size)
{
	/* A random client id and a clean session: the retained message is the state. */
	c->mosq = mosquitto_new(NULL, true, c);
	if (!c->mosq) {
		snprintf(err, err_size, "source %s: cannot create an MQTT client: %s", c->name,
			 strerror(errno));
		return false;
	}
	mosquitto_threaded_set(c->mosq, true);
	mosquitto_connect_callback_set(c->mosq, on_connect);
	mosquitto_subscribe_callback_set(c->mosq, on_subscribe);
	mosquitto_message_callback_set(c->mosq, on_message);
	if (!c->url.tls) {
		return true;
	}
	int rc = mosquitto_tls_set(c->mosq, c->ca_file, c->ca_file ? NULL : "/etc/ssl/certs", NULL,
				   NULL, NULL);
	if (rc != MOSQ_ERR_SUCCESS) {
		snprintf(err, err_size, "source %s: cannot set up TLS: %s", c->name,
			 mosquitto_strerror(rc));
		return false;
	}
	return true;
}

struct mqtt_client *mqtt_client_create(const struct source_config *config, size_t source,
				       const struct mqtt_callbacks *callbacks, char *err,
				       size_t err_size)
{
	pthread_once(&lib_once, init_lib);
	struct mqtt_client *c = xcalloc(1, sizeof(*c));
	char why[320];
	if (!source_mqtt_url_parse(config->url, &c->url, why, sizeof(why))) {
		snprintf(err, err_size, "source %s: %s", config->name, why);
		free(c);
		return NULL;
	}
	c->name = xstrdup(config->name);
	c->username = dup_or_null(config->username);
	c->password = dup_or_null(config->password);
	c->ca_file = dup_or_null(config->ca_file);
	double interval = config->interval > 0 ? config->interval : SOURCE_DEFAULT_INTERVAL;
	c->keepalive = (int)fmin(fmax(ceil(interval), 5), 65535);
	c->connect_timeout = config->connect_timeout > 0 ? config->connect_timeout
							 : SOURCE_DEFAULT_CONNECT_TIMEOUT;
	c->max_bytes = config->max_bytes ? config->max_bytes : SOURCE_DEFAULT_MAX_BYTES;
	c->source = source;
	c->cb = *callbacks;
	pthread_mutex_init(&c->lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&c->wake, &attr);
	pthread_condattr_destroy(&attr);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	c->rng = ((uint64_t)ts.tv_sec << 30) ^ (uint64_t)ts.tv_nsec ^ (uint64_t)(uintptr_t)c;
	if (!setup_mosquitto(c, err, err_size)) {
		mqtt_client_destroy(c);
		return NULL;
	}
	return c;
}

bool mqtt_client_start(struct mqtt_client *c, char *err, size_t err_size)
{
	if (c->started) {
		return true;
	}
	int rc = pthread_create(&c->thread, NULL, client_main, c);
	if (rc != 0) {
		snprintf(err, err_size, "source %s: cannot start the MQTT thread: %s", c->name,
			 strerror(rc));
		return false;
	}
	c->started = true;
	return true;
}

bool mqtt_client_wait_first(struct mqtt_client *c, double seconds)
{
	struct timespec until = monotonic_after(seconds);
	pthread_mutex_lock(&c->lock);
	while (c->delivered == 0) {
		if (pthread_cond_timedwait(&c->wake, &c->lock, &until) == ETIMEDOUT) {
			break;
		}
	}
	bool got = c->delivered > 0;
	pthread_mutex_unlock(&c->lock);
	return got;
}

void mqtt_client_destroy(struct mqtt_client *c)
{
	if (!c) {
		return;
	}
	if (c->started) {
		pthread_mutex_lock(&c->lock);
		c->stop = true;
		pthread_cond_broadcast(&c->wake);
		pthread_mutex_unlock(&c->lock);
		/* Wakes mosquitto_loop at once (its wait is bounded by LOOP_WAIT_MS anyway). */
		mosquitto_disconnect(c->mosq);
		pthread_join(c->thread, NULL);
	}
	mosquitto_destroy(c->mosq);
	source_mqtt_url_finish(&c->url);
	free(c->name);
	free(c->username);
	free(c->password);
	free(c->ca_file);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->wake);
	free(c);
}
