/*
 * The fetcher's push sources (MQTT): each runs on its client's thread (feed/mqtt.h), which
 * alone writes that source's cache files and `whole`. Apart from the worker because nothing
 * here is polled: the broker delivers, and a message is judged like a fetched body.
 */

#include "feed/fetcher_internal.h"

#include "feed/image_decode.h"
#include "feed/mqtt.h"

#include <stdio.h>
#include <string.h>

/*
 * A message of a push source: judged like a fetched body (seq, the layout's check), published,
 * cached. Runs on the source's client thread, which alone writes its cache files and `whole`.
 * A picture is decoded right here: the thread serves this source only.
 */
static void push_document(void *ctx, size_t index, const char *body, size_t len)
{
	struct fetcher *f = ctx;
	struct slot *s = &f->slots[index];
	double now = f->now(f->clock_ctx);
	struct result r = {.kind = RESULT_FAILED, .parsed = true, .retry_after = -1};
	if (s->config.type == SOURCE_IMAGE) {
		r.snapshot = image_snapshot(body, len, s->config.name, fetcher_max_bytes(s), "",
					    now, r.message, sizeof(r.message));
	} else {
		fetcher_accept_document(f, s, body, len, &r, now);
	}
	if (!r.snapshot && strncmp(r.message, "bad payload", 11) != 0) {
		/* The connection is fine: say that it was the message that was refused. */
		char why[sizeof(r.message)];
		snprintf(why, sizeof(why), "bad payload: %.240s", r.message);
		memcpy(r.message, why, sizeof(why));
	}
	r.kind = r.snapshot ? RESULT_NEW : RESULT_FAILED;
	struct snapshot *whole =
		r.kind == RESULT_NEW && r.verdict.broken == 0 ? snapshot_ref(r.snapshot) : NULL;
	fetcher_publish_status(f, s, &r, now);
	fetcher_keep_whole(f, s, whole, body, len, "", "", now);
}

/* The broker is down, refused us, or a message was refused unread (client thread). */
static void push_failure(void *ctx, size_t index, const char *message)
{
	struct fetcher *f = ctx;
	struct result r = {.kind = RESULT_FAILED, .retry_after = -1};
	snprintf(r.message, sizeof(r.message), "%s", message);
	fetcher_publish_status(f, &f->slots[index], &r, f->now(f->clock_ctx));
}

struct mqtt_client *fetcher_push_create(struct fetcher *f, struct slot *s, char *err,
					size_t err_size)
{
	struct mqtt_callbacks cb = {.document = push_document, .failure = push_failure, .ctx = f};
	return mqtt_client_create(&s->config, (size_t)(s - f->slots), &cb, err, err_size);
}

bool fetcher_push_start(struct fetcher *f, char *err, size_t err_size)
{
	for (size_t i = 0; i < f->count; i++) {
		if (f->slots[i].mqtt && !mqtt_client_start(f->slots[i].mqtt, err, err_size)) {
			return false;
		}
	}
	return true;
}

/*
 * fetcher_fetch_all_once: what each broker holds now (its retained message, or why not),
 * waiting at most the source's timeout. The clients stay subscribed until destroy.
 */
void fetcher_take_retained(struct fetcher *f)
{
	char err[256];
	for (size_t i = 0; i < f->count; i++) {
		if (f->slots[i].mqtt && !mqtt_client_start(f->slots[i].mqtt, err, sizeof(err))) {
			push_failure(f, i, err);
		}
	}
	for (size_t i = 0; i < f->count; i++) {
		struct slot *s = &f->slots[i];
		if (s->mqtt && !mqtt_client_wait_first(s->mqtt, s->config.timeout)) {
			push_failure(f, i, "no retained message within the source's timeout");
		}
	}
}
