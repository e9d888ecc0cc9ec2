/*
 * The fetcher's worker: scheduling polls, driving transfers through libcurl's multi handle,
 * turning a finished one into a published result, and the fetcher's life and queries. The
 * shared state and who touches what are in fetcher_internal.h; pictures, push sources and the
 * cache files have files of their own.
 */

#include "feed/fetcher_internal.h"

#include "feed/http.h"
#include "feed/image_worker.h"
#include "feed/mqtt.h"
#include "feed/snapshot_parse.h"
#include "util/diag.h"
#include "util/log.h"
#include "util/timefmt.h"
#include "util/xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIN_BACKOFF_CAP 60.0 // seconds: the back-off cap is max(this, 10 * interval)
#define JITTER 0.2           // ±20% on back-off delays
#define MAX_WAIT_MS 60000    // the worker re-examines its schedule at least this often

/* ---- small helpers ---- */

static double wall_now(void *ctx)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* splitmix64: small, good enough for jitter, and private to this fetcher. */
static double random_unit(struct fetcher *f)
{
	uint64_t z = (f->rng += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0;
}

static double interval_of(const struct slot *s)
{
	return s->config.interval > 0 ? s->config.interval : SOURCE_DEFAULT_INTERVAL;
}

/* Seconds to wait after the failure_run-th failure in a row: interval * 2^n, capped, ±20%. */
static double backoff_delay(struct fetcher *f, const struct slot *s, long retry_after)
{
	double interval = interval_of(s);
	double cap = fmax(MIN_BACKOFF_CAP, 10.0 * interval);
	if (retry_after >= 0) {
		/* The server said when; jitter would only make us early or late for it. */
		return fmin((double)retry_after, cap);
	}
	unsigned n = s->failure_run < 30 ? s->failure_run : 30;
	double delay = fmin(ldexp(interval, (int)n), cap);
	/* Jitter after the cap, so that walls that failed together do not retry together. */
	return delay * (1.0 - JITTER + 2.0 * JITTER * random_unit(f));
}

size_t fetcher_max_bytes(const struct slot *s)
{
	return s->config.max_bytes ? s->config.max_bytes : SOURCE_DEFAULT_MAX_BYTES;
}

void fetcher_back_off(struct fetcher *f, struct slot *s, long retry_after)
{
	s->failure_run++;
	s->next_poll = time_monotonic() + backoff_delay(f, s, retry_after);
}

void fetcher_poll_in_interval(struct slot *s)
{
	s->next_poll = time_monotonic() + interval_of(s);
}

static void wake(struct fetcher *f)
{
	if (f->wake) {
		f->wake(f->wake_ctx);
	}
}

/* ---- publishing results ---- */

/* Applies a result to the slot's status; returns the snapshot to unref after unlocking. */
static struct snapshot *apply_locked(struct slot *s, struct result *r, double now)
{
	struct source_status *st = &s->status;
	struct snapshot *old = NULL;
	st->fetches++;
	st->parses += r->parsed;
	if (r->kind == RESULT_FAILED) {
		if (st->state != SOURCE_FAILING || isnan(st->error_since)) {
			st->error_since = now;
		}
		st->state = SOURCE_FAILING;
		st->failures++;
		snprintf(st->last_error, sizeof(st->last_error), "%s", r->message);
		return NULL;
	}
	st->state = SOURCE_OK;
	st->last_ok_at = now;
	st->last_error[0] = '\0';
	st->error_since = NAN;
	if (r->kind == RESULT_NEW) {
		st->degraded = r->verdict.broken > 0;
		st->broken_count = r->verdict.broken;
		snprintf(st->broken, sizeof(st->broken), "%s", st->degraded ? r->verdict.paths : "");
	}
	if (r->kind == RESULT_SAME) {
		st->not_modified++;
		/* Without a time of its own, a document is as fresh as the last answer vouching for it. */
		if (s->snapshot && isnan(s->snapshot->generated_at)) {
			st->data_time = now;
		}
		return NULL;
	}
	old = s->snapshot;
	s->snapshot = r->snapshot;
	r->snapshot = NULL;
	st->from_cache = false;
	st->data_time = snapshot_data_time(s->snapshot);
	st->clock_skew = s->snapshot->clock_skew;
	st->has_seq = s->snapshot->has_seq;
	st->seq = s->snapshot->seq;
	st->generation++;
	return old;
}

/*
 * A clock skew is logged once while it lasts (a document with a sane time clears it). In
 * whole minutes: every fetch measures it a second or so differently.
 */
static void log_clock_skew(struct slot *s, double skew)
{
	char *key = xasprintf("%s:clock-skew", s->log_key);
	if (skew > 0) {
		log_once(LOG_WARN, key, "feed %s: clock skew — data dated %.0f min ahead of this "
			 "wall's clock; aged from its fetch time", s->config.name, round(skew / 60));
	} else {
		log_once_clear(key);
	}
	free(key);
}

static void log_result(struct slot *s, const struct result *r, bool was_failing)
{
	if (r->kind == RESULT_FAILED) {
		log_once(LOG_ERROR, s->log_key, "feed %s: %s", s->config.name, r->message);
		return;
	}
	if (was_failing) {
		log_info("feed %s: recovered", s->config.name);
	}
	log_once_clear(s->log_key);
	if (r->kind != RESULT_NEW) {
		return;
	}
	char *key = xasprintf("%s:degraded", s->log_key);
	if (r->verdict.broken) {
		log_once(LOG_WARN, key, "feed %s: degraded — %zu value%s broken, kept at their last "
			 "good: %s", s->config.name, r->verdict.broken,
			 r->verdict.broken == 1 ? "" : "s", r->verdict.paths);
	} else {
		log_once_clear(key);
	}
	free(key);
}

static void schedule(struct fetcher *f, struct slot *s, const struct result *r)
{
	if (r->kind == RESULT_FAILED) {
		fetcher_back_off(f, s, r->retry_after);
	} else {
		s->failure_run = 0;
		fetcher_poll_in_interval(s);
	}
}

void fetcher_publish_status(struct fetcher *f, struct slot *s, struct result *r, double now)
{
	pthread_mutex_lock(&f->lock);
	bool was_failing = s->status.state == SOURCE_FAILING;
	struct snapshot *old = apply_locked(s, r, now);
	double skew = s->status.clock_skew;
	pthread_mutex_unlock(&f->lock);
	/* The last reference may be ours: free the old tree outside the lock. */
	snapshot_unref(old);
	snapshot_unref(r->snapshot);
	r->snapshot = NULL;
	log_result(s, r, was_failing);
	log_clock_skew(s, skew);
	wake(f);
}

static void publish(struct fetcher *f, struct slot *s, struct result *r, double now)
{
	schedule(f, s, r);
	fetcher_publish_status(f, s, r, now);
}

/* ---- finishing a transfer ---- */

/* A body turned into a snapshot by the source's type; NULL with a message in r on failure. */
static struct snapshot *decode_body(const struct slot *s, const char *body, size_t len,
				    struct result *r, double now)
{
	struct diag_list diags;
	diag_list_init(&diags);
	struct snapshot *snap = snapshot_parse_source(body, len, s->config.url, &s->config, now,
						      &diags);
	if (!snap) {
		char *text = diags.count ? diag_format_bare(&diags.items[0]) : NULL;
		snprintf(r->message, sizeof(r->message), "%s", text ? text : "invalid document");
		free(text);
	}
	diag_list_finish(&diags);
	return snap;
}

/*
 * A seq lower than the current one's is an old document (a stale replica, a replayed
 * response) unless its data is newer: then the feed restarted and counts from 1 again.
 * Returns false with a message in r for an old one.
 */
static bool seq_acceptable(struct fetcher *f, struct slot *s, const struct snapshot *next,
			   struct result *r)
{
	pthread_mutex_lock(&f->lock);
	const struct snapshot *current = s->snapshot;
	bool back = current && current->has_seq && next->has_seq && next->seq < current->seq;
	long long was = back ? current->seq : 0;
	bool newer = back && snapshot_data_time(next) > snapshot_data_time(current);
	pthread_mutex_unlock(&f->lock);
	if (!back) {
		return true;
	}
	if (newer) {
		log_info("feed %s restarted (seq %lld → %lld)", s->config.name, was, next->seq);
		return true;
	}
	snprintf(r->message, sizeof(r->message), "seq went backwards: %lld after %lld", next->seq,
		 was);
	return false;
}

/*
 * The layout's judgement of a new document: refused when it satisfies none of the source's
 * bindings (valid JSON holding none of the bound paths would blank every tile and replace the
 * cached good document); otherwise its verdict says what it breaks.
 */
static bool judge(struct fetcher *f, struct slot *s, struct result *r)
{
	pthread_mutex_lock(&f->check_lock);
	if (f->check && s->config.type != SOURCE_IMAGE) {
		f->check(f->check_ctx, (size_t)(s - f->slots), r->snapshot, s->whole, &r->verdict);
	}
	pthread_mutex_unlock(&f->check_lock);
	const struct source_verdict *v = &r->verdict;
	if (v->bindings == 0 || v->usable > 0) {
		return true;
	}
	snprintf(r->message, sizeof(r->message),
		 "the document holds none of the %zu value%s the layout binds: %.160s", v->bindings,
		 v->bindings == 1 ? "" : "s", v->paths);
	return false;
}

void fetcher_accept_document(struct fetcher *f, struct slot *s, const char *body, size_t len,
			     struct result *r, double now)
{
	r->snapshot = decode_body(s, body, len, r, now);
	if (r->snapshot && (!seq_acceptable(f, s, r->snapshot, r) || !judge(f, s, r))) {
		snapshot_unref(r->snapshot);
		r->snapshot = NULL;
	}
}

static void parse_body(struct fetcher *f, struct slot *s, const struct http_transfer *t,
		       struct result *r, double now)
{
	r->parsed = true;
	fetcher_accept_document(f, s, t->body, t->len, r, now);
	if (r->snapshot) {
		r->kind = RESULT_NEW;
		/* Only a document we accepted may be validated later: keeping the validators of a
		 * rejected one would turn its next poll into a 304 "success". */
		memcpy(s->etag, t->etag, sizeof(s->etag));
		memcpy(s->last_modified, t->last_modified, sizeof(s->last_modified));
	} else {
		r->kind = RESULT_FAILED;
	}
}

/* Derived values follow their inputs; under check_lock so that the hook can be replaced. */
static void run_derive(struct fetcher *f, size_t source, double now)
{
	pthread_mutex_lock(&f->check_lock);
	if (f->derive) {
		f->derive(f->derive_ctx, f, source, now);
	}
	pthread_mutex_unlock(&f->check_lock);
}

static bool has_snapshot(struct fetcher *f, struct slot *s)
{
	pthread_mutex_lock(&f->lock);
	bool has = s->snapshot != NULL;
	pthread_mutex_unlock(&f->lock);
	return has;
}

static void finish_transfer(struct fetcher *f, struct slot *s, CURLcode code)
{
	struct http_transfer *t = s->transfer;
	s->transfer = NULL;
	struct result r = {.kind = RESULT_FAILED, .retry_after = -1};
	enum http_outcome outcome = http_transfer_result(t, code, r.message, sizeof(r.message));
	double now = f->now(f->clock_ctx);
	if (outcome == HTTP_BODY && s->config.type == SOURCE_IMAGE) {
		fetcher_hand_image(f, s, t, now);
		http_transfer_destroy(t);
		return;
	}
	if (outcome == HTTP_BODY) {
		parse_body(f, s, t, &r, now);
	} else if (outcome == HTTP_NOT_MODIFIED) {
		r.kind = RESULT_SAME;
		if (!has_snapshot(f, s)) {
			/* Cannot happen with our own validators; be safe with odd servers. */
			r.kind = RESULT_FAILED;
			snprintf(r.message, sizeof(r.message), "HTTP 304 with no document to keep");
			s->etag[0] = s->last_modified[0] = '\0';
		}
	} else {
		r.retry_after = t->retry_after;
	}
	/* A document that broke bindings is shown, but the cache keeps the last whole one. */
	struct snapshot *whole =
		r.kind == RESULT_NEW && r.verdict.broken == 0 ? snapshot_ref(r.snapshot) : NULL;
	publish(f, s, &r, now);
	/* After the hand-over: the board need not wait for an fsync. */
	fetcher_keep_whole(f, s, whole, t->body, t->len, t->etag, t->last_modified, now);
	if (r.kind != RESULT_FAILED) {
		run_derive(f, (size_t)(s - f->slots), now);
	}
	http_transfer_destroy(t);
}

/* ---- driving transfers ---- */

static void start_transfer(struct fetcher *f, struct slot *s, CURLM *multi)
{
	struct http_request request = {
		.source = &s->config,
		.url = s->url,
		.etag = s->etag,
		.last_modified = s->last_modified,
	};
	struct result r = {.kind = RESULT_FAILED, .retry_after = -1};
	s->transfer = http_transfer_create(&request, r.message, sizeof(r.message));
	if (s->transfer) {
		curl_easy_setopt(s->transfer->easy, CURLOPT_PRIVATE, (void *)s);
		CURLMcode code = curl_multi_add_handle(multi, s->transfer->easy);
		if (code == CURLM_OK) {
			return;
		}
		snprintf(r.message, sizeof(r.message), "cannot start a transfer: %s",
			 curl_multi_strerror(code));
		http_transfer_destroy(s->transfer);
		s->transfer = NULL;
	}
	/* A request that cannot be made is a failed fetch like any other. */
	publish(f, s, &r, f->now(f->clock_ctx));
}

static void collect_finished(struct fetcher *f, CURLM *multi)
{
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(multi, &left))) {
		if (msg->msg != CURLMSG_DONE) {
			continue;
		}
		CURL *easy = msg->easy_handle;
		CURLcode code = msg->data.result; // msg is invalid after remove_handle
		char *private = NULL;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, &private);
		curl_multi_remove_handle(multi, easy);
		finish_transfer(f, (struct slot *)(void *)private, code);
	}
}

static void start_due(struct fetcher *f, CURLM *multi)
{
	double now = time_monotonic();
	for (size_t i = 0; i < f->count; i++) {
		struct slot *s = &f->slots[i];
		if (s->transfer || !s->url || s->mqtt) {
			continue; // a pending poll request waits for this transfer to end
		}
		if (atomic_exchange(&s->poll_requested, false) || now >= s->next_poll) {
			start_transfer(f, s, multi);
		}
	}
}

/* Milliseconds until the next idle source is due; libcurl shortens it for its own timers. */
static int wait_ms(struct fetcher *f)
{
	double now = time_monotonic(), wait = MAX_WAIT_MS / 1000.0;
	for (size_t i = 0; i < f->count; i++) {
		struct slot *s = &f->slots[i];
		if (s->transfer || !s->url || s->mqtt) {
			continue;
		}
		if (atomic_load(&s->poll_requested)) {
			return 0;
		}
		wait = fmin(wait, s->next_poll - now);
	}
	return wait <= 0 ? 0 : (int)ceil(wait * 1000.0);
}

static void abort_transfers(struct fetcher *f)
{
	for (size_t i = 0; i < f->count; i++) {
		struct slot *s = &f->slots[i];
		if (s->transfer) {
			curl_multi_remove_handle(f->multi, s->transfer->easy);
			http_transfer_destroy(s->transfer);
			s->transfer = NULL;
		}
	}
}

/* Waits for network activity, a due poll or a wakeup. */
static void wait_for_work(struct fetcher *f)
{
	CURLMcode code = curl_multi_poll(f->multi, NULL, 0, wait_ms(f), NULL);
	if (code != CURLM_OK) {
		/* Should not happen; if it does, do not spin on it. */
		log_once(LOG_ERROR, "fetcher:poll", "fetcher: %s", curl_multi_strerror(code));
		struct timespec pause = {.tv_nsec = 100 * 1000 * 1000};
		nanosleep(&pause, NULL);
	}
}

static void *worker_main(void *arg)
{
	struct fetcher *f = arg;
	while (!atomic_load(&f->stop)) {
		fetcher_write_histories(f);
		fetcher_take_image_verdicts(f);
		start_due(f, f->multi);
		int running = 0;
		curl_multi_perform(f->multi, &running);
		collect_finished(f, f->multi);
		if (atomic_load(&f->stop)) {
			break;
		}
		wait_for_work(f);
	}
	abort_transfers(f);
	return NULL;
}

static bool any_busy(const struct fetcher *f)
{
	for (size_t i = 0; i < f->count; i++) {
		if (f->slots[i].transfer) {
			return true;
		}
	}
	return false;
}

void fetcher_fetch_all_once(struct fetcher *f)
{
	if (f->started) {
		/* Two threads on one multi handle would corrupt it. */
		log_error("fetcher: fetch_all_once called while the worker runs; ignored");
		return;
	}
	for (size_t i = 0; i < f->count; i++) {
		if (!f->slots[i].transfer && f->slots[i].url && !f->slots[i].mqtt) {
			start_transfer(f, &f->slots[i], f->multi);
		}
	}
	fetcher_take_retained(f);
	while (any_busy(f)) {
		int running = 0;
		curl_multi_perform(f->multi, &running);
		collect_finished(f, f->multi);
		if (any_busy(f)) {
			curl_multi_poll(f->multi, NULL, 0, 1000, NULL);
		}
	}
}

/* ---- creation ---- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_code;

/*
 * curl_global_init is not guaranteed thread-safe (it initialises OpenSSL): citywall creates
 * its fetcher on the main thread before it starts any other thread, and the once-guard keeps
 * a second fetcher (tests) from repeating it. curl_global_cleanup is left to process exit, as
 * other parts of the program may still use libcurl.
 */
static void init_curl(void)
{
	curl_init_code = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static bool check_sources(const struct fetcher_options *o, char *err, size_t err_size)
{
	for (size_t i = 0; i < o->source_count; i++) {
		const struct source_config *c = &o->sources[i];
		if (!c->name) {
			snprintf(err, err_size, "source %zu has no name", i);
			return false;
		}
		if (o->cache_dir && !source_name_valid(c->name)) {
			snprintf(err, err_size, "source name \"%s\" cannot name a cache file "
				 "(use letters, digits, '_' and '-')", c->name);
			return false;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(o->sources[j].name, c->name) == 0) {
				snprintf(err, err_size, "source \"%s\" is declared twice", c->name);
				return false;
			}
		}
	}
	return true;
}

static bool init_slot(struct fetcher *f, struct slot *s, const struct source_config *config,
		      char *err, size_t err_size)
{
	source_config_copy(&s->config, config);
	s->log_key = xasprintf("feed:%s", config->name);
	atomic_init(&s->poll_requested, false);
	s->status = (struct source_status){
		.state = SOURCE_PENDING,
		.last_ok_at = NAN,
		.data_time = NAN,
		.error_since = NAN,
	};
	char why[256];
	if (!config->url || !config->url[0]) {
		/* A layout without "feed" still has its default source: it is simply never polled. */
		return true;
	}
	if (source_url_is_mqtt(config->url)) {
		s->mqtt = fetcher_push_create(f, s, err, err_size);
		if (!s->mqtt) {
			return false;
		}
		s->url = xstrdup(config->url);
	} else {
		s->url = http_url_for(config->url, why, sizeof(why));
	}
	if (!s->url) {
		snprintf(err, err_size, "source %s: %s", config->name, why);
		return false;
	}
	if (f->cache_dir) {
		fetcher_load_cached(f, s);
	}
	return true;
}

static void seed_rng(struct fetcher *f)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	f->rng = ((uint64_t)ts.tv_sec << 30) ^ (uint64_t)ts.tv_nsec ^ (uint64_t)(uintptr_t)f;
}

struct fetcher *fetcher_create(const struct fetcher_options *options, char *err,
			       size_t err_size)
{
	pthread_once(&curl_once, init_curl);
	if (curl_init_code != CURLE_OK) {
		snprintf(err, err_size, "cannot initialise libcurl: %s",
			 curl_easy_strerror(curl_init_code));
		return NULL;
	}
	if (!check_sources(options, err, err_size)) {
		return NULL;
	}
	struct fetcher *f = xcalloc(1, sizeof(*f));
	pthread_mutex_init(&f->lock, NULL);
	pthread_mutex_init(&f->check_lock, NULL);
	f->check = options->check;
	f->check_ctx = options->check_ctx;
	f->derive = options->derive;
	f->derive_ctx = options->derive_ctx;
	atomic_init(&f->stop, false);
	f->now = options->now ? options->now : wall_now;
	f->clock_ctx = options->clock_ctx;
	f->wake = options->wake;
	f->wake_ctx = options->wake_ctx;
	f->cache_dir = options->cache_dir ? fetcher_claim_cache(options->cache_dir) : NULL;
	seed_rng(f);
	f->multi = curl_multi_init();
	f->images = fetcher_images_create(f, options);
	f->slots = xcalloc(options->source_count ? options->source_count : 1, sizeof(*f->slots));
	bool ok = f->multi != NULL;
	if (!ok) {
		snprintf(err, err_size, "cannot create a libcurl multi handle");
	}
	for (size_t i = 0; ok && i < options->source_count; i++) {
		ok = init_slot(f, &f->slots[i], &options->sources[i], err, err_size);
		f->count = i + 1; // what to free if this one failed half-way
	}
	if (!ok) {
		fetcher_destroy(f);
		return NULL;
	}
	return f;
}

bool fetcher_start(struct fetcher *f, char *err, size_t err_size)
{
	if (f->started) {
		snprintf(err, err_size, "the fetcher is already running");
		return false;
	}
	if (f->images && !f->images_async) {
		if (!image_worker_start(f->images, err, err_size)) {
			return false;
		}
		f->images_async = true;
	}
	if (!fetcher_push_start(f, err, err_size)) {
		return false;
	}
	int rc = pthread_create(&f->thread, NULL, worker_main, f);
	if (rc != 0) {
		snprintf(err, err_size, "cannot start the fetch thread: %s", strerror(rc));
		return false;
	}
	f->started = true;
	return true;
}

void fetcher_set_check(struct fetcher *f, source_check_fn check, void *ctx)
{
	pthread_mutex_lock(&f->check_lock);
	f->check = check;
	f->check_ctx = ctx;
	pthread_mutex_unlock(&f->check_lock);
}

void fetcher_set_derive(struct fetcher *f, source_derive_fn derive, void *ctx)
{
	pthread_mutex_lock(&f->check_lock);
	f->derive = derive;
	f->derive_ctx = ctx;
	pthread_mutex_unlock(&f->check_lock);
}

void fetcher_derive_all(struct fetcher *f)
{
	run_derive(f, FETCHER_ALL_SOURCES, f->now(f->clock_ctx));
}

void fetcher_publish(struct fetcher *f, size_t index, struct snapshot *snapshot)
{
	struct result r = {.kind = RESULT_NEW, .snapshot = snapshot, .retry_after = -1};
	fetcher_publish_status(f, &f->slots[index], &r, f->now(f->clock_ctx));
}

void fetcher_poll_now(struct fetcher *f, size_t index)
{
	if (index >= f->count) {
		return;
	}
	atomic_store(&f->slots[index].poll_requested, true);
	curl_multi_wakeup(f->multi);
}

void fetcher_destroy(struct fetcher *f)
{
	if (!f) {
		return;
	}
	if (f->started) {
		atomic_store(&f->stop, true);
		curl_multi_wakeup(f->multi);
		pthread_join(f->thread, NULL);
	}
	for (size_t i = 0; i < f->count; i++) {
		mqtt_client_destroy(f->slots[i].mqtt); // joins its thread: none publishes any more
		f->slots[i].mqtt = NULL;
	}
	/* After the worker (which submits to it), before the multi handle (which it wakes). */
	image_worker_destroy(f->images);
	/* A clean exit saves the history handed over last, on this thread now that none runs. */
	if (f->cache_dir) {
		fetcher_write_histories(f);
	}
	if (f->multi) {
		abort_transfers(f);
		curl_multi_cleanup(f->multi);
	}
	for (size_t i = 0; i < f->count; i++) {
		struct slot *s = &f->slots[i];
		snapshot_unref(s->snapshot);
		snapshot_unref(s->whole);
		source_config_finish(&s->config);
		free(s->url);
		free(s->log_key);
		free(s->history_loaded);
		free(s->history_pending);
	}
	free(f->slots);
	free(f->cache_dir);
	pthread_mutex_destroy(&f->lock);
	pthread_mutex_destroy(&f->check_lock);
	free(f);
}

/* ---- queries ---- */

size_t fetcher_source_count(const struct fetcher *f)
{
	return f->count;
}

const struct source_config *fetcher_source(const struct fetcher *f, size_t index)
{
	return index < f->count ? &f->slots[index].config : NULL;
}

struct snapshot *fetcher_snapshot(struct fetcher *f, size_t index,
				  struct source_status *status)
{
	if (index >= f->count) {
		if (status) {
			*status = (struct source_status){
				.last_ok_at = NAN, .data_time = NAN, .error_since = NAN};
		}
		return NULL;
	}
	struct slot *s = &f->slots[index];
	pthread_mutex_lock(&f->lock);
	struct snapshot *snap = snapshot_ref(s->snapshot);
	if (status) {
		*status = s->status;
	}
	pthread_mutex_unlock(&f->lock);
	return snap;
}

const char *source_state_name(enum source_state state)
{
	switch (state) {
	case SOURCE_PENDING:
		return "pending";
	case SOURCE_OK:
		return "ok";
	case SOURCE_FAILING:
		return "failing";
	}
	return "?";
}
