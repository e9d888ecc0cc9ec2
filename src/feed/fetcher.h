#ifndef CITYWALL_FEED_FETCHER_H
#define CITYWALL_FEED_FETCHER_H

/*
 * Fetching sources in the background. One worker thread drives every source through libcurl's
 * multi interface, so a hanging server delays nobody else and the render loop never waits on
 * the network. A finished document is parsed and validated on the worker (a picture is
 * decoded on a second thread of its own, so a slow one delays no other source), then the new
 * immutable snapshot is handed over under a mutex and the owner is woken (wake callback);
 * the main thread takes it between frames.
 *
 * Last good survives everything: any failure (connection, HTTP status, truncated or invalid
 * document, size overrun, wrong types) keeps the previous snapshot, is recorded in the
 * source's status and logged once per distinct reason. Each good document is also written to
 * the cache folder atomically, and read back at start so a restarted wall shows its last
 * picture at once.
 */

#include <stdbool.h>
#include <stddef.h>

#include "model/snapshot.h"
#include "model/source.h"

enum source_state {
	SOURCE_PENDING, // nothing fetched yet (a cached snapshot may be shown)
	SOURCE_OK,      // the last fetch succeeded (200 or 304)
	SOURCE_FAILING, // the last fetch failed; the last good snapshot stays
};

struct source_status {
	enum source_state state;
	bool from_cache;           // the current snapshot was read from the cache folder
	double last_ok_at;         // epoch s of the last successful fetch (200 or 304); NAN: never
	double data_time;          // epoch s the current data was produced; NAN: no data
	/* Seconds the current document's own time was ahead of its fetch (it then ages from the
	 * fetch: snapshot_parse.c); 0: none. */
	double clock_skew;
	bool has_seq;
	long long seq;             // the current snapshot's seq
	char last_error[256];      // why the last fetch failed; "" when it did not
	/* The current document breaks bindings that an earlier one satisfied: their tiles keep
	 * their last good values. Cleared by a document that breaks nothing. */
	bool degraded;
	size_t broken_count;       // bindings broken (degraded only)
	char broken[256];          // the first few: "/air/pm10 (missing), /x (a string "점검중")"
	double error_since;        // epoch s of the first failure in the current run; NAN: none
	unsigned long generation;  // grows with every new snapshot (not with 304s)
	unsigned long fetches;     // transfers finished (any outcome)
	unsigned long not_modified; // 304 answers
	unsigned long parses;      // documents parsed (good or bad)
	unsigned long failures;    // failed fetches
};

/*
 * What the layout makes of a candidate document of one source, filled by a source_check_fn:
 * how many of the source's bindings it satisfies, and which of those that `whole` (the last
 * document that broke nothing; NULL: none yet) satisfied it breaks.
 */
struct source_verdict {
	size_t bindings;     // bindings to the source (values the widgets can check)
	size_t usable;       // of them, satisfied by the candidate
	size_t broken;       // satisfied by `whole` but not by the candidate
	char paths[256];     // the broken ones (or, when none is usable, the unusable ones): the first few
};

/* Judges `candidate` for source `source`. Called on the fetch thread; must be thread-safe. */
typedef void (*source_check_fn)(void *ctx, size_t source, const struct snapshot *candidate,
				const struct snapshot *whole, struct source_verdict *out);

struct fetcher;

/*
 * Values derived from sources (app/derived.h): called after source `source` got a document
 * (new, or confirmed by a 304), or with FETCHER_ALL_SOURCES from fetcher_derive_all, on the
 * thread that fetched it, to publish a pseudo-source's snapshot with fetcher_publish. `now`
 * is the fetcher's wall clock. Calls never overlap.
 */
typedef void (*source_derive_fn)(void *ctx, struct fetcher *fetcher, size_t source, double now);

#define FETCHER_ALL_SOURCES ((size_t)-1)

struct fetcher_options {
	const struct source_config *sources; // borrowed during create (copied)
	size_t source_count;
	const char *cache_dir;       // borrowed during create; NULL: no last-good cache
	/* The one wall clock (epoch s): fetch times and data times come from it. NULL: the
	 * system's real-time clock. Poll scheduling uses the monotonic clock either way. */
	double (*now)(void *ctx);
	void *clock_ctx;
	/* Called on the worker or the image thread after a source's snapshot or status changed
	 * (by fetcher_fetch_all_once: on its caller's thread), never with the fetcher's lock
	 * held. */
	void (*wake)(void *ctx);
	void *wake_ctx;
	/*
	 * Optional: the layout's judgement of each new document (not of image sources). A document
	 * that satisfies none of a source's bindings is refused like an invalid one; one that
	 * breaks some is shown (its tiles keep their last good values), reported degraded and not
	 * written to the cache, which keeps the last document that broke nothing.
	 */
	source_check_fn check;
	void *check_ctx;
	source_derive_fn derive; // optional
	void *derive_ctx;
};

struct fetcher;

/*
 * Creates the fetcher and reads each source's cached last good document (a corrupt cache file
 * is logged and ignored). Does not start fetching. Returns NULL with a message on failure.
 */
struct fetcher *fetcher_create(const struct fetcher_options *options, char *err,
			       size_t err_size);
/*
 * Replaces the document check (a reloaded layout). When it returns, no call of the old one is
 * running or will start, so the old context may be freed.
 */
void fetcher_set_check(struct fetcher *fetcher, source_check_fn check, void *ctx);
/* Replaces the derive hook as fetcher_set_check replaces the check. */
void fetcher_set_derive(struct fetcher *fetcher, source_derive_fn derive, void *ctx);
/* Runs the derive hook now for every source, on the calling thread (start-up, reload). */
void fetcher_derive_all(struct fetcher *fetcher);
/*
 * Hands `snapshot` (a reference the fetcher takes) to source `index` as a new document, as a
 * fetch would, and wakes the owner: how derived values reach the board. Thread-safe.
 */
void fetcher_publish(struct fetcher *fetcher, size_t index, struct snapshot *snapshot);
/* Starts the worker thread (and the image thread when a source is an image source). */
bool fetcher_start(struct fetcher *fetcher, char *err, size_t err_size);
/* Fetches every source once, now, on the calling thread (for --screenshot). */
void fetcher_fetch_all_once(struct fetcher *fetcher);
/* Asks the worker to poll source `index` at once (tests, operator action). */
void fetcher_poll_now(struct fetcher *fetcher, size_t index);
/* Stops and joins the worker (aborting transfers) and the image thread (ending a decode under
 * way), frees everything; NULL is a no-op. */
void fetcher_destroy(struct fetcher *fetcher);

/*
 * Tests: while held, the image thread waits before decoding each picture (fetcher_destroy
 * still returns); fetcher_images_waiting() is true while it waits there with one in hand.
 */
void fetcher_hold_images(struct fetcher *fetcher, bool hold);
bool fetcher_images_waiting(struct fetcher *fetcher);

size_t fetcher_source_count(const struct fetcher *fetcher);
const struct source_config *fetcher_source(const struct fetcher *fetcher, size_t index);

/*
 * The current snapshot of source `index` as a new reference (NULL when there is none), and
 * its status. Thread-safe.
 */
struct snapshot *fetcher_snapshot(struct fetcher *fetcher, size_t index,
				  struct source_status *status);

/*
 * History records (feed/store.h: NAME.history). The text read at create for source `index`
 * (caller frees; NULL when there is none, or it was taken): its owner parses it, and a
 * damaged one was already refused with a message. Main thread.
 */
char *fetcher_take_history(struct fetcher *fetcher, size_t index, size_t *len);
/*
 * Hands a history's text to the worker, which writes NAME.history (the render thread never
 * writes files); a text not yet written is replaced by a newer one. Takes `text` (malloc'ed).
 * Without a cache folder it is dropped. fetcher_destroy writes what is still pending.
 */
void fetcher_save_history(struct fetcher *fetcher, size_t index, char *text, size_t len);

const char *source_state_name(enum source_state state);

#endif
