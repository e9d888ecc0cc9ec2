/*
 * The live-feed fetcher against tools/feedsim, a simulated feed server on loopback: first
 * fetch, conditional GET, every fault kind (last good stays, the error is named and logged
 * once, the source recovers), back-off, the last-good cache, file sources, header variables.
 * Waits poll the fetcher's status against a deadline; nothing relies on a fixed sleep.
 */

#include "check.h"

#include "feed/fetcher.h"
#include "feed/http.h"
#include "feed/store.h"
#include "model/path.h"
#include "model/source.h"
#include "util/log.h"
#include "util/xmalloc.h"

#include <arpa/inet.h>
#include <cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/resource.h>

#include "util/fileio.h"

#define WAIT_S 6.0 // generous: a hanging fetch takes 1.5 s, valgrind slows everything down

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap(double seconds)
{
	struct timespec ts = {.tv_sec = (time_t)seconds,
			      .tv_nsec = (long)((seconds - (double)(time_t)seconds) * 1e9)};
	nanosleep(&ts, NULL);
}

/* ---- the simulator ---- */

struct sim {
	pid_t pid;
	int port;
	char base[64]; // "http://127.0.0.1:PORT"
};

static struct sim sim;     // the one most cases use
static const char *sim_tls_cert; // set: the next sim_start serves https with this PEM
static CURL *control_easy; // keep-alive connection for /control
static const char *control_ca; // CA file for an https simulator's /control

static bool read_listen_line(int fd, struct sim *s)
{
	char line[256];
	size_t len = 0;
	double deadline = mono() + 20.0;
	while (len + 1 < sizeof(line) && mono() < deadline) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 200) <= 0) {
			continue;
		}
		ssize_t n = read(fd, line + len, 1);
		if (n <= 0) {
			return false;
		}
		if (line[len] == '\n') {
			break;
		}
		len++;
	}
	line[len] = '\0';
	const char *at = strstr(line, "://127.0.0.1:");
	if (!at || sscanf(at, "://127.0.0.1:%d", &s->port) != 1) {
		return false;
	}
	snprintf(s->base, sizeof(s->base), "%s://127.0.0.1:%d", strstr(line, "https:") ? "https"
			 : "http", s->port);
	return true;
}

static void exec_sim(int out_fd)
{
#ifdef __linux__
	/* Dies with us even when a sanitizer aborts the test. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
	dup2(out_fd, STDOUT_FILENO);
	const char *root = getenv("CITYWALL_SOURCE_ROOT");
	char *path = xasprintf("%s/tools/feedsim", root ? root : ".");
	if (sim_tls_cert) {
		execlp("python3", "python3", path, "--port", "0", "--seed", "1", "--tick", "1",
		       "--quiet", "--tls-cert", sim_tls_cert, (char *)NULL);
	}
	execlp("python3", "python3", path, "--port", "0", "--seed", "1", "--tick", "1", "--quiet",
	       (char *)NULL);
	_exit(127);
}

static bool sim_start(struct sim *s)
{
	int fds[2];
	if (pipe(fds) != 0) {
		return false;
	}
	fflush(NULL);
	s->pid = fork();
	if (s->pid == 0) {
		close(fds[0]);
		exec_sim(fds[1]);
	}
	close(fds[1]);
	bool ok = s->pid > 0 && read_listen_line(fds[0], s);
	close(fds[0]);
	return ok;
}

static void sim_stop(struct sim *s)
{
	if (s->pid <= 0) {
		return;
	}
	kill(s->pid, SIGTERM);
	double deadline = mono() + 5.0;
	while (waitpid(s->pid, NULL, WNOHANG) == 0) {
		if (mono() > deadline) {
			kill(s->pid, SIGKILL);
			waitpid(s->pid, NULL, 0);
			break;
		}
		nap(0.02);
	}
	s->pid = 0;
}

static size_t collect(char *data, size_t size, size_t count, void *user)
{
	struct { char *text; size_t len; } *buf = user;
	buf->text = xrealloc(buf->text, buf->len + size * count + 1);
	memcpy(buf->text + buf->len, data, size * count);
	buf->len += size * count;
	buf->text[buf->len] = '\0';
	return size * count;
}

/* GET (post == false) or POST `url`; returns the body (caller frees) or NULL unless 200. */
static char *sim_request(const char *url, bool post)
{
	struct { char *text; size_t len; } buf = {NULL, 0};
	curl_easy_reset(control_easy);
	curl_easy_setopt(control_easy, CURLOPT_URL, url);
	curl_easy_setopt(control_easy, CURLOPT_TIMEOUT, 5L);
	curl_easy_setopt(control_easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(control_easy, CURLOPT_ACCEPT_ENCODING, "");
	if (control_ca) {
		curl_easy_setopt(control_easy, CURLOPT_CAINFO, control_ca);
	}
	curl_easy_setopt(control_easy, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(control_easy, CURLOPT_WRITEDATA, &buf);
	if (post) {
		curl_easy_setopt(control_easy, CURLOPT_POSTFIELDS, "");
	}
	long status = 0;
	if (curl_easy_perform(control_easy) != CURLE_OK ||
	    curl_easy_getinfo(control_easy, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK ||
	    status != 200) {
		free(buf.text);
		return NULL;
	}
	return buf.text ? buf.text : xstrdup("");
}

static bool control_at(const struct sim *s, const char *query)
{
	char *url = xasprintf("%s/control?%s", s->base, query);
	char *body = sim_request(url, true);
	free(url);
	bool ok = body != NULL;
	if (!ok) {
		printf("# POST /control?%s failed\n", query);
	}
	free(body);
	return ok;
}

static bool control(const char *query)
{
	return control_at(&sim, query);
}

/* A number from GET /control, e.g. ("counters", "traffic", "requests") or ("tick", "seq"). */
static long sim_number(const char *group, const char *name, const char *field)
{
	char *url = xasprintf("%s/control", sim.base);
	char *body = sim_request(url, false);
	free(url);
	cJSON *doc = body ? cJSON_Parse(body) : NULL;
	free(body);
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(doc, group);
	item = cJSON_GetObjectItemCaseSensitive(item, name);
	if (field) {
		item = cJSON_GetObjectItemCaseSensitive(item, field);
	}
	long value = cJSON_IsNumber(item) ? (long)item->valuedouble : -1;
	cJSON_Delete(doc);
	return value;
}

static long sim_seq(void)
{
	return sim_number("tick", "seq", NULL);
}

static long sim_requests(const char *feed)
{
	return sim_number("counters", feed, "requests");
}

/* ---- captured log ---- */

static int log_fd = -1;    // stderr now goes to this file
static int real_stderr = -1;
static char log_path[64];

/* The file is kept until the end, so a crash (a sanitizer report) leaves it to read. */
static void capture_stderr(void)
{
	snprintf(log_path, sizeof(log_path), "/tmp/citywall-test-feed-log-XXXXXX");
	log_fd = mkstemp(log_path);
	if (log_fd < 0) {
		return;
	}
	printf("# stderr is captured in %s until the end\n", log_path);
	fflush(stderr);
	real_stderr = dup(STDERR_FILENO);
	dup2(log_fd, STDERR_FILENO);
}

/* Puts stderr back and replays what was logged, so meson's log still shows it. */
static void release_stderr(void)
{
	if (log_fd < 0) {
		return;
	}
	fflush(stderr);
	dup2(real_stderr, STDERR_FILENO);
	lseek(log_fd, 0, SEEK_SET);
	char buf[4096];
	ssize_t n;
	while ((n = read(log_fd, buf, sizeof(buf))) > 0) {
		if (write(STDERR_FILENO, buf, (size_t)n) != n) {
			break;
		}
	}
	close(log_fd);
	close(real_stderr);
	unlink(log_path);
	log_fd = real_stderr = -1;
}

static long log_mark(void)
{
	struct stat st;
	return log_fd >= 0 && fstat(log_fd, &st) == 0 ? (long)st.st_size : 0;
}

/* What was logged since `mark` (caller frees). */
static char *log_since(long mark)
{
	long end = log_mark();
	char *text = xcalloc(1, (size_t)(end - mark) + 1);
	if (log_fd >= 0 && end > mark) {
		ssize_t n = pread(log_fd, text, (size_t)(end - mark), mark);
		text[n > 0 ? n : 0] = '\0';
	}
	return text;
}

/* Lines logged since `mark` that contain both a and b. */
static int log_count(long mark, const char *a, const char *b)
{
	char *text = log_since(mark);
	int count = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		count += strstr(line, a) && strstr(line, b);
	}
	free(text);
	return count;
}

/* ---- fetchers ---- */

static atomic_int wakes;

static void count_wake(void *ctx)
{
	atomic_fetch_add(&wakes, 1);
}

static void source_init(struct source_config *c, const char *name, const char *url)
{
	*c = (struct source_config){
		.name = xstrdup(name),
		.url = xstrdup(url),
		.interval = 0.2,
		.max_age = 60,
		.timeout = 1.5,
		.connect_timeout = 1.0,
		.max_bytes = 4u * 1024 * 1024,
		.timestamp = xstrdup("generated_at"),
		.clock_tolerance = INFINITY, // feedsim keeps a clock of its own
	};
}

static struct fetcher *make_fetcher(struct source_config *sources, size_t count,
				    const char *cache_dir)
{
	struct fetcher_options options = {
		.sources = sources,
		.source_count = count,
		.cache_dir = cache_dir,
		.wake = count_wake,
	};
	char err[256] = "";
	struct fetcher *f = fetcher_create(&options, err, sizeof(err));
	if (!f) {
		printf("# fetcher_create: %s\n", err);
	}
	for (size_t i = 0; i < count; i++) {
		source_config_finish(&sources[i]);
	}
	return f;
}

/* A fetcher of one feedsim feed, started. */
static struct fetcher *feed_fetcher(const char *feed, const char *cache_dir)
{
	struct source_config c;
	char *url = xasprintf("%s/feeds/%s.json", sim.base, feed);
	source_init(&c, feed, url);
	free(url);
	struct fetcher *f = make_fetcher(&c, 1, cache_dir);
	char err[256];
	if (f && !fetcher_start(f, err, sizeof(err))) {
		printf("# fetcher_start: %s\n", err);
		fetcher_destroy(f);
		f = NULL;
	}
	return f;
}

/* What a wait asks for; zero fields ask for nothing. */
struct want {
	bool check_state;
	enum source_state state;
	unsigned long fetches, generation, not_modified; // at least
};

static bool wait_status(struct fetcher *f, size_t index, struct want w, double seconds,
			struct source_status *out)
{
	double deadline = mono() + seconds;
	for (;;) {
		snapshot_unref(fetcher_snapshot(f, index, out));
		bool ok = (!w.check_state || out->state == w.state) && out->fetches >= w.fetches &&
			  out->generation >= w.generation && out->not_modified >= w.not_modified;
		if (ok) {
			return true;
		}
		if (mono() > deadline) {
			printf("# waited %.1f s: state %s, fetches %lu, generation %lu, 304s %lu, "
			       "error \"%s\"\n", seconds, source_state_name(out->state),
			       out->fetches, out->generation, out->not_modified, out->last_error);
			return false;
		}
		nap(0.01);
	}
}

static bool wait_ok(struct fetcher *f, size_t index, struct source_status *out)
{
	return wait_status(f, index, (struct want){.check_state = true, .state = SOURCE_OK,
						   .generation = 1}, WAIT_S, out);
}

static bool wait_seq(struct fetcher *f, size_t index, long long seq, struct source_status *out)
{
	double deadline = mono() + WAIT_S;
	for (;;) {
		snapshot_unref(fetcher_snapshot(f, index, out));
		if (out->seq == seq) {
			return true;
		}
		if (mono() > deadline) {
			printf("# waited for seq %lld, have %lld\n", seq, out->seq);
			return false;
		}
		nap(0.01);
	}
}

static char *temp_dir(void)
{
	char path[] = "/tmp/citywall-test-feed-XXXXXX";
	return xstrdup(mkdtemp(path) ? path : "/tmp");
}

static void remove_tree(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0) {
		printf("# could not remove %s\n", dir);
	}
	free(cmd);
}

static bool file_exists(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct stat st;
	bool ok = stat(path, &st) == 0;
	free(path);
	return ok;
}

static void write_file(const char *path, const char *text)
{
	char *temp = xasprintf("%s.tmp", path);
	FILE *f = fopen(temp, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
		rename(temp, path);
	}
	free(temp);
}

/* A local port nobody listens on (bound once, then released). */
static int dead_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int port = 0;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0) {
		port = ntohs(a.sin_port);
	}
	close(fd);
	return port;
}

/* ---- cases: fetching ---- */

static void first_fetch(void)
{
	static const char *feeds[] = {"city", "air", "traffic", "safety"};
	CHECK(control("fault=none&advance=1")); // pin: the fetcher and we see the same document
	long seq = sim_seq();
	struct source_config sources[4];
	for (size_t i = 0; i < 4; i++) {
		char *url = xasprintf("%s/feeds/%s.json", sim.base, feeds[i]);
		source_init(&sources[i], feeds[i], url);
		free(url);
	}
	atomic_store(&wakes, 0);
	struct fetcher *f = make_fetcher(sources, 4, NULL);
	char err[256];
	CHECK(f && fetcher_start(f, err, sizeof(err)));
	for (size_t i = 0; f && i < 4; i++) {
		struct source_status st;
		CHECK(wait_ok(f, i, &st));
		struct snapshot *snap = fetcher_snapshot(f, i, &st);
		CHECK(snap != NULL);
		CHECK(st.has_seq);
		CHECK_INT(st.seq, seq);
		CHECK(!st.from_cache);
		CHECK(isfinite(st.last_ok_at));
		CHECK(isnan(st.error_since));
		CHECK_STR(st.last_error, "");
		if (snap) {
			CHECK_INT(snap->seq, seq);
			CHECK(isfinite(snap->generated_at));
			CHECK_NEAR(st.data_time, snap->generated_at, 0);
			CHECK_STR(snap->source, feeds[i]);
		}
		if (snap && i == 0) {
			/* Korean text through gzip and the value tree intact. */
			CHECK_STR(value_string(path_lookup(snap->root, "air/districts/11680/name")),
				  "강남구");
		}
		snapshot_unref(snap);
	}
	CHECK(atomic_load(&wakes) >= 4);
	fetcher_destroy(f);
}

static void not_modified(void)
{
	CHECK(control("fault=none&advance=1"));
	struct fetcher *f = feed_fetcher("city", NULL);
	struct source_status st;
	CHECK(f && wait_ok(f, 0, &st));
	if (!f) {
		return;
	}
	struct snapshot *before = fetcher_snapshot(f, 0, &st);
	unsigned long parses = st.parses, generation = st.generation;
	unsigned long nm = st.not_modified, fetches = st.fetches;
	long sim_304 = sim_number("counters", "city", "304");
	int wakes_before = atomic_load(&wakes);
	for (int i = 1; i <= 4; i++) {
		fetcher_poll_now(f, 0);
		CHECK(wait_status(f, 0, (struct want){.fetches = fetches + (unsigned long)i},
				  WAIT_S, &st));
	}
	CHECK(wait_status(f, 0, (struct want){.not_modified = nm + 4}, WAIT_S, &st));
	struct snapshot *after = fetcher_snapshot(f, 0, &st);
	CHECK(after == before);
	CHECK_INT(st.parses, parses);
	CHECK_INT(st.generation, generation);
	CHECK_INT(st.state, SOURCE_OK);
	CHECK(sim_number("counters", "city", "304") >= sim_304 + 4);
	CHECK(atomic_load(&wakes) >= wakes_before + 4); // a 304 still refreshes the overlay
	snapshot_unref(before);
	snapshot_unref(after);
	fetcher_destroy(f);
}

/* ---- cases: faults ---- */

struct fault_run {
	struct fetcher *f;
	struct snapshot *good; // the last good snapshot (a reference)
	struct source_status good_status;
	long mark;
};

/* A fetcher on `feed` with one good document, then the fault switched on. */
static bool fault_begin(struct fault_run *run, const char *feed, const char *fault)
{
	*run = (struct fault_run){0};
	if (!control("fault=none&advance=1")) {
		return false;
	}
	run->f = feed_fetcher(feed, NULL);
	if (!run->f || !wait_ok(run->f, 0, &run->good_status)) {
		return false;
	}
	run->good = fetcher_snapshot(run->f, 0, &run->good_status);
	run->mark = log_mark();
	char *query = xasprintf("fault=%s&feed=%s", fault, feed);
	/* The fault first, then a new document: no poll can see the new one in good shape. */
	bool ok = control(query) && control("advance=1");
	free(query);
	return ok;
}

/* Checks that the last good snapshot survived. */
static void check_kept(struct fault_run *run, const struct source_status *st)
{
	struct snapshot *now = fetcher_snapshot(run->f, 0, NULL);
	CHECK(now == run->good);
	snapshot_unref(now);
	CHECK_INT(st->state, SOURCE_FAILING);
	CHECK_INT(st->generation, run->good_status.generation);
	CHECK_INT(st->seq, run->good_status.seq);
	CHECK(isfinite(st->error_since));
	CHECK(isfinite(st->last_ok_at));
}

/* fault=none: the next poll brings the new document and clears the error. */
static void check_recovery(struct fault_run *run, const char *feed)
{
	struct source_status st;
	CHECK(control("fault=none"));
	fetcher_poll_now(run->f, 0);
	CHECK(wait_status(run->f, 0, (struct want){.check_state = true, .state = SOURCE_OK,
						   .generation = run->good_status.generation + 1},
			  WAIT_S, &st));
	CHECK_INT(st.seq, run->good_status.seq + 1);
	CHECK(isnan(st.error_since));
	CHECK_STR(st.last_error, "");
	char *line = xasprintf("feed %s: recovered", feed);
	CHECK(log_count(run->mark, line, "") == 1);
	free(line);
}

static void fault_end(struct fault_run *run)
{
	snapshot_unref(run->good);
	fetcher_destroy(run->f);
	control("fault=none");
}

static void run_fault(const char *fault, const char *expect)
{
	const char *feed = "traffic";
	struct fault_run run;
	CHECK(fault_begin(&run, feed, fault));
	struct source_status st = run.good_status;
	unsigned long fetches = st.fetches, failures = st.failures;
	CHECK(run.f && wait_status(run.f, 0, (struct want){.check_state = true,
							   .state = SOURCE_FAILING}, WAIT_S, &st));
	if (!run.f || st.state != SOURCE_FAILING) {
		fault_end(&run);
		return;
	}
	if (!strstr(st.last_error, expect)) {
		printf("# last_error \"%s\" lacks \"%s\"\n", st.last_error, expect);
		CHECK(false);
	}
	check_kept(&run, &st);
	CHECK_INT(st.failures, failures + 1);
	double since = st.error_since;
	if (strcmp(fault, "http503") == 0) {
		/* Retry-After: 5 beats the 0.4 s back-off: no poll comes soon. */
		nap(1.0);
		snapshot_unref(fetcher_snapshot(run.f, 0, &st));
		CHECK_INT(st.failures, failures + 1);
	}
	/* A second failure of the same kind: still one log line. */
	fetches = st.fetches;
	fetcher_poll_now(run.f, 0);
	CHECK(wait_status(run.f, 0, (struct want){.fetches = fetches + 1}, WAIT_S, &st));
	check_kept(&run, &st);
	CHECK_NEAR(st.error_since, since, 0);
	char *prefix = xasprintf("feed %s: ", feed);
	int lines = log_count(run.mark, prefix, expect);
	if (lines != 1) {
		printf("# \"%s...%s\" logged %d times\n", prefix, expect, lines);
		CHECK(false);
	}
	free(prefix);
	check_recovery(&run, feed);
	fault_end(&run);
}

#define FAULT_CASE(kind, expect)            \
	static void fault_##kind(void)      \
	{                                   \
		run_fault(#kind, expect);   \
	}

FAULT_CASE(http500, "HTTP 500")
FAULT_CASE(http404, "HTTP 404")
FAULT_CASE(http503, "HTTP 503")
FAULT_CASE(truncated, "truncated response")
FAULT_CASE(invalid_json, "/feeds/traffic.json:")
FAULT_CASE(bad_seq, "/seq: must be a non-negative integer")
FAULT_CASE(empty, "empty response")
FAULT_CASE(huge, "response larger than 4194304 bytes")
FAULT_CASE(huge_chunked, "response larger than 4194304 bytes")
FAULT_CASE(reset, "connection reset")
FAULT_CASE(hang, "timed out after 1.5 s")
FAULT_CASE(slow_drip, "timed out after 1.5 s")
FAULT_CASE(huge_header, "response header too large (over 65536 bytes)")
FAULT_CASE(redirect_file, "redirect to file:///etc/passwd refused (redirects may go to http "
			  "and https only)")

/* A self-signed certificate for 127.0.0.1 in `dir` (cert and key in one PEM); NULL: none. */
static char *make_cert(const char *dir)
{
	char *pem = xasprintf("%s/feedsim.pem", dir);
	char *cmd = xasprintf("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "
			      "/CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '%s/k' "
			      "-out '%s/c' >/dev/null 2>&1 && cat '%s/c' '%s/k' > '%s'", dir, dir,
			      dir, dir, pem);
	bool ok = system(cmd) == 0;
	free(cmd);
	if (!ok) {
		free(pem);
		return NULL;
	}
	return pem;
}

/* An https source redirected to plain http is refused, and the message says so. */
static void https_redirect_to_http(void)
{
	char *dir = temp_dir();
	char *pem = make_cert(dir);
	if (!pem) {
		printf("# SKIP no openssl to make a certificate\n");
		remove_tree(dir);
		free(dir);
		return;
	}
	struct sim tls = {0};
	sim_tls_cert = pem;
	CHECK(sim_start(&tls));
	sim_tls_cert = NULL;
	CHECK(strncmp(tls.base, "https://", 8) == 0);
	struct source_config c;
	char *url = xasprintf("%s/feeds/air.json", tls.base);
	source_init(&c, "air", url);
	free(c.ca_file);
	c.ca_file = xstrdup(pem);
	struct fetcher *f = make_fetcher(&c, 1, NULL);
	struct source_status st;
	if (f) {
		fetcher_fetch_all_once(f);
	}
	snapshot_unref(f ? fetcher_snapshot(f, 0, &st) : NULL);
	CHECK_INT(st.state, SOURCE_OK); // TLS itself works
	control_ca = pem;
	CHECK(control_at(&tls, "fault=redirect_http"));
	control_ca = NULL;
	if (f) {
		fetcher_fetch_all_once(f);
	}
	snapshot_unref(f ? fetcher_snapshot(f, 0, &st) : NULL);
	CHECK_INT(st.state, SOURCE_FAILING);
	char *expect = xasprintf("an https source may not be redirected to http (http://%s/feeds/"
				 "air.json)", tls.base + strlen("https://"));
	CHECK_STR(st.last_error, expect);
	free(expect);
	fetcher_destroy(f);
	sim_stop(&tls);
	free(url);
	free(pem);
	remove_tree(dir);
	free(dir);
}

/* Finds a member path that holds a number in `before` and a string in `after`. */
static bool number_became_string(const struct value *before, const struct value *after)
{
	if (!before || !after) {
		return false;
	}
	if (before->kind == VALUE_NUMBER) {
		return after->kind == VALUE_STRING;
	}
	if (before->kind != VALUE_OBJECT || after->kind != VALUE_OBJECT) {
		return false;
	}
	for (size_t i = 0; i < before->object.count; i++) {
		const struct member *m = &before->object.members[i];
		if (strcmp(m->key, "seq") != 0 &&
		    number_became_string(m->value, value_member(after, m->key))) {
			return true;
		}
	}
	return false;
}

/* The fetcher checks documents, not values: "점검중" where a number was is the board's call. */
static void fault_wrong_types(void)
{
	struct fault_run run;
	CHECK(fault_begin(&run, "traffic", "wrong_types"));
	struct source_status st;
	CHECK(run.f && wait_status(run.f, 0, (struct want){.generation =
								   run.good_status.generation + 1},
				   WAIT_S, &st));
	CHECK_INT(st.state, SOURCE_OK);
	CHECK_INT(st.seq, run.good_status.seq + 1);
	struct snapshot *now = run.f ? fetcher_snapshot(run.f, 0, NULL) : NULL;
	CHECK(now && run.good);
	if (now && run.good) {
		CHECK(number_became_string(run.good->root, now->root));
		const struct value *was = path_lookup(run.good->root, "speed/all");
		const struct value *is = path_lookup(now->root, "speed/all");
		CHECK(was && was->kind == VALUE_NUMBER);
		CHECK(is && is->kind == VALUE_STRING);
	}
	snapshot_unref(now);
	fault_end(&run);
}

/* An hour-old document is accepted with its own time: staleness is judged by the board. */
static void fault_old(void)
{
	struct fault_run run;
	CHECK(fault_begin(&run, "traffic", "old"));
	struct source_status st;
	CHECK(run.f && wait_status(run.f, 0, (struct want){.generation =
								   run.good_status.generation + 1},
				   WAIT_S, &st));
	CHECK_INT(st.state, SOURCE_OK);
	/* One tick later, one hour earlier. */
	CHECK_NEAR(st.data_time, run.good_status.data_time + 1 - 3600, 0.5);
	fault_end(&run);
}

/* A failing source is polled less and less often: interval * 2^n ± 20%. */
static void backoff(void)
{
	CHECK(control("fault=none") && control("fault=http500&feed=air"));
	struct fetcher *f = feed_fetcher("air", NULL);
	struct source_status st;
	double at[3] = {0};
	long first = 0;
	for (unsigned long n = 0; f && n < 3; n++) {
		CHECK(wait_status(f, 0, (struct want){.fetches = n + 1}, WAIT_S, &st));
		at[n] = mono();
		if (n == 0) {
			first = sim_requests("air");
		}
	}
	long requests = sim_requests("air") - first; // the 2nd and 3rd poll
	double gap1 = at[1] - at[0], gap2 = at[2] - at[1];
	printf("# gaps %.2f s, %.2f s; %ld requests in %.2f s\n", gap1, gap2, requests,
	       at[2] - at[0]);
	CHECK(gap1 > 0.25 && gap1 < 0.75); // 0.4 s ± 20%, plus slack for a loaded machine
	CHECK(gap2 > 0.55 && gap2 < 1.4);  // 0.8 s ± 20%
	CHECK(gap2 > gap1);
	CHECK(requests <= 3);             // at the 0.2 s interval it would have been ~6
	CHECK_INT(st.state, SOURCE_FAILING);
	CHECK(strstr(st.last_error, "HTTP 500") != NULL);
	fetcher_destroy(f);
	control("fault=none");
}

/* Stopping does not wait for a hanging server. */
static void destroy_while_hanging(void)
{
	CHECK(control("fault=none") && control("fault=hang&feed=safety"));
	long before = sim_requests("safety");
	struct fetcher *f = feed_fetcher("safety", NULL);
	double deadline = mono() + WAIT_S;
	while (f && sim_requests("safety") == before && mono() < deadline) {
		nap(0.02);
	}
	CHECK(sim_requests("safety") > before);
	double t0 = mono();
	fetcher_destroy(f);
	double took = mono() - t0;
	printf("# destroy took %.3f s\n", took);
	CHECK(took < 0.5);
	control("fault=none");
}

/* ---- cases: the cache ---- */

static void cache_written(void)
{
	CHECK(control("fault=none&advance=1"));
	char *dir = temp_dir();
	char *sub = xasprintf("%s/a/b", dir); // created on demand
	struct fetcher *f = feed_fetcher("city", sub);
	struct source_status st;
	CHECK(f && wait_ok(f, 0, &st));
	fetcher_destroy(f);
	CHECK(file_exists(sub, "city.cache"));
	CHECK(file_exists(sub, "lock"));
	CHECK(!file_exists(sub, "city.json"));
	CHECK(!file_exists(sub, "city.meta.json"));
	char *url = xasprintf("%s/feeds/city.json", sim.base);
	struct store_entry e;
	char err[512];
	CHECK_INT(store_load(sub, "city", url, 1u << 22, &e, err, sizeof(err)), STORE_LOADED);
	/* Stored decoded, validators of the gzip variant (so gzip was asked for and used). */
	CHECK(e.body && e.body[0] == '{');
	CHECK(strstr(e.etag, "-gz\"") != NULL);
	CHECK(e.last_modified[0] != '\0');
	CHECK(e.fetched_at > 0);
	store_entry_finish(&e);
	char *cmd = xasprintf("ls -a '%s' | grep -c '^\\.city' > /dev/null", sub);
	CHECK(system(cmd) != 0); // no temporary files left behind
	free(cmd);
	free(url);
	remove_tree(dir);
	free(sub);
	free(dir);
}

/* A restarted wall shows its last picture before the first fetch, even with the feed down. */
static void cache_restart(void)
{
	struct sim other = {0};
	CHECK(sim_start(&other));
	char *dir = temp_dir();
	char *url = xasprintf("%s/feeds/air.json", other.base);
	struct source_config c;
	source_init(&c, "air", url);
	struct fetcher *f = make_fetcher(&c, 1, dir);
	CHECK(f != NULL);
	if (f) {
		fetcher_fetch_all_once(f); // synchronous, the --screenshot way
	}
	struct source_status st;
	struct snapshot *first = f ? fetcher_snapshot(f, 0, &st) : NULL;
	CHECK(first != NULL);
	CHECK_INT(st.state, SOURCE_OK);
	long seq = st.seq;
	fetcher_destroy(f);
	sim_stop(&other); // the same URL now has nobody listening

	source_init(&c, "air", url);
	f = make_fetcher(&c, 1, dir);
	struct snapshot *cached = f ? fetcher_snapshot(f, 0, &st) : NULL;
	CHECK(cached != NULL);
	CHECK(st.from_cache);
	CHECK_INT(st.state, SOURCE_PENDING);
	CHECK_INT(st.seq, seq);
	CHECK(first && cached && value_equal(first->root, cached->root));
	CHECK_NEAR(st.data_time, first ? first->generated_at : 0, 0);
	if (f) {
		fetcher_fetch_all_once(f);
	}
	struct snapshot *after = f ? fetcher_snapshot(f, 0, &st) : NULL;
	CHECK_INT(st.state, SOURCE_FAILING);
	CHECK_STR(st.last_error, "connection refused");
	CHECK(after == cached);
	CHECK(st.from_cache);
	snapshot_unref(first);
	snapshot_unref(cached);
	snapshot_unref(after);
	fetcher_destroy(f);
	remove_tree(dir);
	free(dir);
	free(url);
}

/* A fetcher (not started) on a dead URL with what `dir` holds for "city". */
static struct snapshot *cached_for(const char *dir, const char *url, long *mark)
{
	*mark = log_mark();
	struct source_config c;
	source_init(&c, "city", url);
	struct fetcher *f = make_fetcher(&c, 1, dir);
	CHECK(f != NULL);
	struct source_status st;
	struct snapshot *snap = f ? fetcher_snapshot(f, 0, &st) : NULL;
	CHECK_INT(st.state, SOURCE_PENDING);
	CHECK(!st.from_cache || snap);
	fetcher_destroy(f);
	return snap;
}

/* Rewrites `path` through `edit`, which may change its bytes and length. */
static void edit_file(const char *path, void (*edit)(char *data, size_t *len))
{
	char *data = NULL, err[256];
	size_t len = 0;
	if (!file_read_all(path, 1u << 24, &data, &len, err, sizeof(err))) {
		printf("# %s\n", err);
		return;
	}
	edit(data, &len);
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(data, 1, len, f);
		fclose(f);
	}
	free(data);
}

static void tear(char *data, size_t *len)
{
	*len -= 5; // a write cut short
}

static void shorten(char *data, size_t *len)
{
	*len = 10;
}

static void garble(char *data, size_t *len)
{
	data[*len - 3] ^= 0x20; // one flipped bit in the body
}

static void damage_version(char *data, size_t *len)
{
	data[8] = 9;
}

/* Saves a good record, damages it, and checks the fetcher refuses it with `expect`. */
static void check_refused(const char *dir, const char *url, void (*edit)(char *, size_t *),
			  const char *expect)
{
	const char *good = "{\"seq\": 3}";
	char err[512];
	long mark;
	CHECK(store_save(dir, "city", url, good, strlen(good), 1e9, NULL, NULL, err, sizeof(err)));
	char *path = xasprintf("%s/city.cache", dir);
	edit_file(path, edit);
	struct snapshot *snap = cached_for(dir, url, &mark);
	CHECK(snap == NULL);
	int lines = log_count(mark, "ignoring cache file", expect);
	if (lines != 1) {
		char *text = log_since(mark);
		printf("# wanted one line with \"%s\", got: %s\n", expect, text);
		free(text);
	}
	CHECK_INT(lines, 1);
	snapshot_unref(snap);
	free(path);
}

static void cache_corrupt(void)
{
	char *dir = temp_dir();
	/* Never fetched (the fetcher is not started); fixed, so the record's size is too. */
	char *url = xstrdup("http://127.0.0.1:9/feeds/city.json");
	char err[512];
	long mark;
	const char *bad = "{\"seq\": 3, \"generated_at\": tru";
	CHECK(store_save(dir, "city", url, bad, strlen(bad), 1e9, NULL, NULL, err, sizeof(err)));
	struct snapshot *snap = cached_for(dir, url, &mark);
	CHECK(snap == NULL);
	CHECK_INT(log_count(mark, "ignoring cache file", "/city.cache:1:"), 1);
	snapshot_unref(snap);
	check_refused(dir, url, tear, "/city.cache: 176 bytes where its header announces 181 (a "
				      "torn write?)");
	check_refused(dir, url, shorten, "/city.cache: not a citywall cache record (shorter than "
					 "its header)");
	check_refused(dir, url, garble, "/city.cache: checksum mismatch (a damaged record)");
	check_refused(dir, url, damage_version, "/city.cache: cache record format 9, this "
						"citywall reads 1");
	/* Not a record at all, and not even a file. */
	char *path = xasprintf("%s/city.cache", dir);
	write_file(path, "{\"seq\": 4}");
	snap = cached_for(dir, url, &mark);
	CHECK(snap == NULL);
	CHECK_INT(log_count(mark, "ignoring cache file", "not a citywall cache record"), 1);
	unlink(path);
	CHECK(mkfifo(path, 0644) == 0);
	snap = cached_for(dir, url, &mark); // returns: a FIFO is never opened for reading
	CHECK(snap == NULL);
	CHECK_INT(log_count(mark, "ignoring cache file", "city.cache is a FIFO, not a regular "
							 "file"), 1);
	free(path);
	remove_tree(dir);
	free(dir);
	free(url);
}

static void cache_other_url(void)
{
	char *dir = temp_dir();
	char *url = xasprintf("http://127.0.0.1:%d/feeds/city.json", dead_port());
	const char *doc = "{\"seq\": 3}";
	char err[512];
	CHECK(store_save(dir, "city", "http://example.invalid/city.json", doc, strlen(doc), 1e9,
			 "\"x\"", NULL, err, sizeof(err)));
	long mark;
	struct snapshot *snap = cached_for(dir, url, &mark);
	CHECK(snap == NULL);
	CHECK_INT(log_count(mark, "ignoring cache file", "cached from http://example.invalid"), 1);
	snapshot_unref(snap);
	/* The same files for the right URL are used. */
	CHECK(store_save(dir, "city", url, doc, strlen(doc), 1e9, "\"x\"", NULL, err, sizeof(err)));
	snap = cached_for(dir, url, &mark);
	CHECK(snap && snap->has_seq && snap->seq == 3);
	CHECK(snap && snap->fetched_at == 1e9);
	snapshot_unref(snap);
	CHECK(!store_save(dir, "../evil", url, doc, strlen(doc), 1e9, NULL, NULL, err,
			  sizeof(err)));
	CHECK(!source_name_valid("a/b") && !source_name_valid("") && !source_name_valid(".."));
	CHECK(source_name_valid("air_quality-2"));
	remove_tree(dir);
	free(dir);
	free(url);
}

/* The two files of earlier versions are not read, and go once a record is written. */
static void cache_old_pair_ignored(void)
{
	char *dir = temp_dir();
	char *url = xasprintf("http://127.0.0.1:%d/feeds/city.json", dead_port());
	char *body = xasprintf("%s/city.json", dir), *meta = xasprintf("%s/city.meta.json", dir);
	write_file(body, "{\"seq\": 3}");
	char *meta_text = xasprintf("{\"url\": \"%s\", \"fetched_at_epoch\": 1e9}", url);
	write_file(meta, meta_text);
	long mark;
	struct snapshot *snap = cached_for(dir, url, &mark);
	CHECK(snap == NULL);
	CHECK_INT(log_count(mark, "cache", ""), 0); // not an error: simply nothing cached
	char err[512];
	CHECK(store_save(dir, "city", url, "{\"seq\": 5}", 10, 1e9, NULL, NULL, err, sizeof(err)));
	CHECK(!file_exists(dir, "city.json"));
	CHECK(!file_exists(dir, "city.meta.json"));
	snap = cached_for(dir, url, &mark);
	CHECK(snap && snap->seq == 5);
	snapshot_unref(snap);
	free(meta_text);
	free(meta);
	free(body);
	remove_tree(dir);
	free(dir);
	free(url);
}

static void cache_stale_temps_removed(void)
{
	char *dir = temp_dir();
	static const char *const stale[] = {".city.cache.tmp-a1B2c3", ".air.cache.tmp-XXXXXX",
					    ".city.json.Qw3rTy", ".city.meta.json.Zx9vBn"};
	for (size_t i = 0; i < 4; i++) {
		char *path = xasprintf("%s/%s", dir, stale[i]);
		write_file(path, "half a");
		free(path);
	}
	char *keep = xasprintf("%s/.keep", dir);
	write_file(keep, "not ours");
	long mark;
	char *url = xasprintf("http://127.0.0.1:%d/feeds/city.json", dead_port());
	snapshot_unref(cached_for(dir, url, &mark));
	for (size_t i = 0; i < 4; i++) {
		CHECK(!file_exists(dir, stale[i]));
	}
	CHECK(file_exists(dir, ".keep"));
	char *line = xasprintf("cache folder %s: removed 4 temporary files of an interrupted save",
			       dir);
	CHECK_INT(log_count(mark, line, ""), 1);
	free(line);
	free(url);
	free(keep);
	remove_tree(dir);
	free(dir);
}

/* A child process that claims `dir` and holds it until its pipe closes. */
static pid_t hold_cache(const char *dir, int *release)
{
	int ready[2], hold[2];
	if (pipe(ready) != 0 || pipe(hold) != 0) {
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		close(ready[0]);
		close(hold[1]);
		char err[512], c;
		bool ok = store_claim(dir, NULL, err, sizeof(err));
		if (write(ready[1], ok ? "y" : "n", 1) != 1 || read(hold[0], &c, 1) < 0) {
			_exit(1);
		}
		_exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	char c = 'n';
	if (pid < 0 || read(ready[0], &c, 1) != 1 || c != 'y') {
		printf("# the holder could not claim %s\n", dir);
	}
	close(ready[0]);
	*release = hold[1];
	return pid;
}

/* A second wall on the same folder says so once and runs without a cache. */
static void cache_second_instance(void)
{
	char *dir = temp_dir();
	char *url = xasprintf("http://127.0.0.1:%d/feeds/city.json", dead_port());
	char err[512];
	CHECK(store_save(dir, "city", url, "{\"seq\": 5}", 10, 1e9, NULL, NULL, err, sizeof(err)));
	int release = -1;
	pid_t holder = hold_cache(dir, &release);
	CHECK(holder > 0);
	long mark = 0;
	for (int i = 0; i < 2; i++) {
		long m;
		struct snapshot *snap = cached_for(dir, url, &m);
		CHECK(snap == NULL); // the record is there, but not ours to use
		snapshot_unref(snap);
		mark = i == 0 ? m : mark;
	}
	char *line = xasprintf("citywall: warning: cache folder %s is in use by another citywall "
			       "(pid %ld); running without a cache", dir, (long)holder);
	CHECK_INT(log_count(mark, line, ""), 1);
	char buf[256];
	CHECK(!store_claim(dir, NULL, buf, sizeof(buf)));
	close(release);
	waitpid(holder, NULL, 0);
	/* Once the other one is gone the folder is ours. */
	CHECK(store_claim(dir, NULL, buf, sizeof(buf)));
	free(line);
	remove_tree(dir);
	free(dir);
	free(url);
}

/* Body number k of the kill loop: 40..400 KB, so that writes take a while. */
static char *kill_body(long k, size_t *len)
{
	size_t pad = 40000 + (size_t)(k * 7919 % 360000);
	char *body = xmalloc(pad + 64);
	int n = snprintf(body, 64, "{\"seq\": %ld, \"pad\": \"", k);
	memset(body + n, 'a' + (char)(k % 26), pad);
	memcpy(body + n + pad, "\"}", 3);
	*len = (size_t)n + pad + 2;
	return body;
}

static void save_forever(const char *dir, const char *url, int ready)
{
	char err[512];
	for (long k = 1;; k++) {
		size_t len;
		char *body = kill_body(k, &len);
		if (!store_save(dir, "city", url, body, len, 1e9 + (double)k, NULL, NULL, err,
				sizeof(err))) {
			_exit(1);
		}
		free(body);
		if (k == 1 && write(ready, "y", 1) != 1) {
			_exit(1);
		}
	}
}

/* After any kill, the record is one of the bodies written, whole. */
static bool record_whole(const char *dir, const char *url)
{
	struct store_entry e;
	char err[512];
	if (store_load(dir, "city", url, 1u << 22, &e, err, sizeof(err)) != STORE_LOADED) {
		printf("# after a kill: %s\n", err);
		return false;
	}
	long k = -1;
	sscanf(e.body, "{\"seq\": %ld", &k);
	size_t len = 0;
	char *want = k >= 0 ? kill_body(k, &len) : NULL;
	bool ok = want && len == e.len && memcmp(want, e.body, len) == 0 &&
		  e.fetched_at == 1e9 + (double)k;
	free(want);
	store_entry_finish(&e);
	return ok;
}

static size_t count_temps(const char *dir)
{
	char *cmd = xasprintf("ls -a '%s' | grep -c -- '\\.cache\\.tmp-'", dir);
	FILE *p = popen(cmd, "r");
	size_t n = 0;
	if (p && fscanf(p, "%zu", &n) != 1) {
		n = 0;
	}
	if (p) {
		pclose(p);
	}
	free(cmd);
	return n;
}

/* kill -9 at random points of a save loop: each time the record is the old or the new one. */
static void cache_kill_loop(void)
{
	const char *env = getenv("CITYWALL_KILL_LOOPS");
	int loops = env ? atoi(env) : 30;
	char *dir = temp_dir();
	char *url = xasprintf("http://127.0.0.1:%d/feeds/city.json", dead_port());
	uint64_t rng = 42; // the delays repeat from run to run; where they land cannot
	int whole = 0, stale = 0;
	for (int i = 0; i < loops; i++) {
		int ready[2];
		CHECK(pipe(ready) == 0);
		fflush(NULL);
		pid_t pid = fork();
		if (pid == 0) {
			close(ready[0]);
			save_forever(dir, url, ready[1]);
		}
		close(ready[1]);
		char c;
		CHECK(read(ready[0], &c, 1) == 1); // one record is whole: kill after that
		close(ready[0]);
		rng = rng * 6364136223846793005u + 1442695040888963407u;
		nap((double)(rng >> 33) / (double)(1u << 31) * 0.03); // 0..30 ms
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		whole += record_whole(dir, url);
		stale += count_temps(dir) > 0;
	}
	printf("# %d kills: %d whole records after them; %d left a temporary file\n", loops, whole,
	       stale);
	CHECK_INT(whole, loops);
	/* The next start clears what the kills left. */
	long mark;
	snapshot_unref(cached_for(dir, url, &mark));
	CHECK_INT(count_temps(dir), 0);
	remove_tree(dir);
	free(dir);
	free(url);
}

/* A full disk (here: a file size limit) is logged once per cause and names the record. */
static void cache_full_disk(void)
{
	char *dir = temp_dir();
	char *doc = xasprintf("%s/doc.json", dir);
	char *cache = xasprintf("%s/cache", dir);
	int out[2];
	CHECK(pipe(out) == 0); // not a file: the size limit would cut the log too
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		close(out[0]);
		dup2(out[1], STDERR_FILENO);
		signal(SIGXFSZ, SIG_IGN); // writes past the limit fail with EFBIG instead
		struct source_config c;
		source_init(&c, "city", doc);
		struct fetcher *f = make_fetcher(&c, 1, cache);
		struct rlimit limit = {.rlim_cur = 40, .rlim_max = 40};
		setrlimit(RLIMIT_FSIZE, &limit); // after the claim and the log file's first line
		for (int i = 1; f && i <= 4; i++) {
			char *text = xasprintf("{\"seq\": %d}", i);
			write_file(doc, text); // 12 bytes: under the limit
			free(text);
			fetcher_fetch_all_once(f);
		}
		fetcher_destroy(f);
		_exit(0);
	}
	close(out[1]);
	char *text = xcalloc(1, 65536);
	size_t len = 0;
	ssize_t n;
	while (len < 65535 && (n = read(out[0], text + len, 65535 - len)) > 0) {
		len += (size_t)n;
	}
	close(out[0]);
	int status = 0;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	char *line = xasprintf("citywall: warning: feed city: cannot update the cache: cannot "
			       "write %s/city.cache: File too large\n", cache);
	CHECK_STR(text, line);
	CHECK_INT(count_temps(cache), 0);
	free(line);
	free(text);
	free(cache);
	free(doc);
	remove_tree(dir);
	free(dir);
}

/* A fetcher (not started) of a file source; the file's content changes under it. */
static struct fetcher *file_fetcher(const char *path)
{
	struct source_config c;
	source_init(&c, "seqs", path);
	return make_fetcher(&c, 1, NULL);
}

static struct source_status fetch_doc(struct fetcher *f, const char *path, const char *doc)
{
	struct source_status st = {0};
	write_file(path, doc);
	if (f) {
		fetcher_fetch_all_once(f);
		snapshot_unref(fetcher_snapshot(f, 0, &st));
	}
	return st;
}

static void seq_backwards_refused(void)
{
	char *dir = temp_dir();
	char *path = xasprintf("%s/seqs.json", dir);
	struct fetcher *f = file_fetcher(path);
	long mark = log_mark();
	struct source_status st = fetch_doc(f, path, "{\"seq\": 1234, \"generated_at\": "
						     "\"2026-11-25T09:00:00+09:00\"}");
	CHECK_INT(st.state, SOURCE_OK);
	/* Lower seq, same or older data time: an old document. */
	st = fetch_doc(f, path, "{\"seq\": 17, \"generated_at\": \"2026-11-25T09:00:00+09:00\"}");
	CHECK_INT(st.state, SOURCE_FAILING);
	CHECK_STR(st.last_error, "seq went backwards: 17 after 1234");
	CHECK_INT(st.seq, 1234);
	CHECK_INT(st.generation, 1);
	st = fetch_doc(f, path, "{\"seq\": 17, \"generated_at\": \"2026-11-25T08:00:00+09:00\"}");
	CHECK_STR(st.last_error, "seq went backwards: 17 after 1234");
	CHECK_INT(log_count(mark, "feed seqs: seq went backwards: 17 after 1234", ""), 1);
	/* The same seq again is no step back. */
	st = fetch_doc(f, path, "{\"seq\": 1234, \"generated_at\": \"2026-11-25T09:00:00+09:00\"}");
	CHECK_INT(st.state, SOURCE_OK);
	fetcher_destroy(f);
	remove_tree(dir);
	free(path);
	free(dir);
}

static void seq_restart_accepted(void)
{
	char *dir = temp_dir();
	char *path = xasprintf("%s/seqs.json", dir);
	struct fetcher *f = file_fetcher(path);
	long mark = log_mark();
	fetch_doc(f, path, "{\"seq\": 1234, \"generated_at\": \"2026-11-25T09:00:00+09:00\"}");
	struct source_status st = fetch_doc(f, path, "{\"seq\": 17, \"generated_at\": "
						     "\"2026-11-25T09:00:05+09:00\"}");
	CHECK_INT(st.state, SOURCE_OK);
	CHECK_INT(st.seq, 17);
	CHECK_INT(st.generation, 2);
	st = fetch_doc(f, path, "{\"seq\": 18, \"generated_at\": \"2026-11-25T09:00:10+09:00\"}");
	CHECK_INT(st.seq, 18);
	CHECK_INT(log_count(mark, "citywall: info: feed seqs restarted (seq 1234 → 17)", ""), 1);
	CHECK_INT(log_count(mark, "restarted", ""), 1);
	fetcher_destroy(f);
	remove_tree(dir);
	free(path);
	free(dir);
}

/* feedsim's clock set back: seq and generated_at both go back, the document is refused. */
static void seq_backwards_feedsim(void)
{
	CHECK(control("fault=none&tick=50"));
	struct source_config c;
	char *url = xasprintf("%s/feeds/safety.json", sim.base);
	source_init(&c, "safety", url);
	struct fetcher *f = make_fetcher(&c, 1, NULL);
	struct source_status st;
	if (f) {
		fetcher_fetch_all_once(f);
	}
	snapshot_unref(f ? fetcher_snapshot(f, 0, &st) : NULL);
	CHECK_INT(st.seq, 51);
	CHECK(control("tick=40"));
	if (f) {
		fetcher_fetch_all_once(f);
	}
	snapshot_unref(f ? fetcher_snapshot(f, 0, &st) : NULL);
	CHECK_INT(st.state, SOURCE_FAILING);
	CHECK_STR(st.last_error, "seq went backwards: 41 after 51");
	CHECK_INT(st.seq, 51);
	fetcher_destroy(f);
	control("tick=auto");
	free(url);
}

/* ---- cases: files and headers ---- */

static void file_sources(void)
{
	char *dir = temp_dir();
	char *path = xasprintf("%s/feed doc.json", dir);
	write_file(path, "{\"seq\": 7, \"generated_at\": \"2026-11-25T09:00:00+09:00\"}");
	char *url = xasprintf("file://%s/feed%%20doc.json", dir);
	char *missing = xasprintf("%s/missing.json", dir);
	struct source_config c[3];
	source_init(&c[0], "url", url);
	source_init(&c[1], "path", path);
	source_init(&c[2], "missing", missing);
	struct fetcher *f = make_fetcher(c, 3, NULL);
	char err[256];
	CHECK(f && fetcher_start(f, err, sizeof(err)));
	struct source_status st;
	for (size_t i = 0; f && i < 2; i++) {
		CHECK(wait_ok(f, i, &st));
		CHECK_INT(st.seq, 7);
		CHECK_NEAR(st.data_time, 1795564800.0, 0);
	}
	CHECK(f && wait_status(f, 2, (struct want){.check_state = true, .state = SOURCE_FAILING},
			       WAIT_S, &st));
	printf("# missing file: %s\n", st.last_error);
	CHECK(strstr(st.last_error, "missing.json") != NULL);
	write_file(path, "{\"seq\": 8}");
	for (size_t i = 0; f && i < 2; i++) {
		fetcher_poll_now(f, i);
		CHECK(wait_seq(f, i, 8, &st));
		CHECK_INT(st.state, SOURCE_OK);
	}
	fetcher_destroy(f);
	char *rel = http_url_for("feeds/x y.json", err, sizeof(err));
	CHECK(rel && strncmp(rel, "file:///", 8) == 0 && strstr(rel, "/feeds/x%20y.json"));
	free(rel);
	remove_tree(dir);
	free(missing);
	free(url);
	free(path);
	free(dir);
}

/* A FIFO would block the fetch (and --screenshot) forever; a directory is no document. */
static void file_not_regular(void)
{
	char *dir = temp_dir();
	char *fifo = xasprintf("%s/x.json", dir), *sub = xasprintf("%s/d.json", dir);
	CHECK(mkfifo(fifo, 0644) == 0);
	CHECK(mkdir(sub, 0755) == 0);
	char *fifo_url = xasprintf("file://%s", fifo);
	struct source_config c[3];
	source_init(&c[0], "fifo", fifo);
	source_init(&c[1], "fifo_url", fifo_url);
	source_init(&c[2], "dir", sub);
	long mark = log_mark();
	struct fetcher *f = make_fetcher(c, 3, NULL);
	if (f) {
		fetcher_fetch_all_once(f); // returns: nothing waits for a writer
	}
	char *expect[3] = {xasprintf("%s is a FIFO, not a regular file", fifo),
			   xasprintf("%s is a FIFO, not a regular file", fifo),
			   xasprintf("%s is a directory", sub)};
	for (size_t i = 0; f && i < 3; i++) {
		struct source_status st;
		snapshot_unref(fetcher_snapshot(f, i, &st));
		CHECK_INT(st.state, SOURCE_FAILING);
		CHECK_STR(st.last_error, expect[i]);
		CHECK_INT(log_count(mark, "citywall: error: feed ", expect[i]), i < 2 ? 2 : 1);
		free(expect[i]);
	}
	fetcher_destroy(f);
	free(fifo_url);
	free(sub);
	free(fifo);
	remove_tree(dir);
	free(dir);
}

static void env_headers(void)
{
	char err[256];
	setenv("CITYWALL_TEST_KEY", "s3cret", 1);
	unsetenv("CITYWALL_TEST_UNSET");
	char *v = http_expand_env("Bearer ${CITYWALL_TEST_KEY}; $5 ${CITYWALL_TEST_KEY}", err,
				  sizeof(err));
	CHECK_STR(v, "Bearer s3cret; $5 s3cret");
	free(v);
	CHECK(http_expand_env("${CITYWALL_TEST_UNSET}", err, sizeof(err)) == NULL);
	CHECK_STR(err, "environment variable CITYWALL_TEST_UNSET is not set");
	CHECK(http_expand_env("x ${CITYWALL_TEST_KEY", err, sizeof(err)) == NULL);
	CHECK(http_expand_env("${1A}", err, sizeof(err)) == NULL);

	char *url = xasprintf("%s/feeds/safety.json", sim.base);
	struct source_config c[2];
	const char *values[2] = {"Bearer ${CITYWALL_TEST_KEY}", "${CITYWALL_TEST_UNSET}"};
	for (size_t i = 0; i < 2; i++) {
		source_init(&c[i], i ? "unset" : "set", url);
		c[i].headers = xcalloc(1, sizeof(*c[i].headers));
		c[i].headers[0] = (struct source_header){xstrdup("X-Api-Key"), xstrdup(values[i])};
		c[i].header_count = 1;
	}
	long mark = log_mark();
	struct fetcher *f = make_fetcher(c, 2, NULL);
	if (f) {
		fetcher_fetch_all_once(f);
	}
	struct source_status st;
	snapshot_unref(f ? fetcher_snapshot(f, 0, &st) : NULL);
	CHECK_INT(st.state, SOURCE_OK);
	snapshot_unref(f ? fetcher_snapshot(f, 1, &st) : NULL);
	CHECK_INT(st.state, SOURCE_FAILING);
	CHECK_STR(st.last_error, "header X-Api-Key: environment variable CITYWALL_TEST_UNSET is "
				 "not set");
	CHECK_INT(log_count(mark, "feed unset: ", "CITYWALL_TEST_UNSET is not set"), 1);
	CHECK_INT(log_count(mark, "s3cret", ""), 0);
	fetcher_destroy(f);
	free(url);
}

static void api_edges(void)
{
	struct source_config c;
	source_init(&c, "city", "/nonexistent/city.json");
	struct fetcher *f = make_fetcher(&c, 1, NULL);
	char err[256];
	CHECK(f && fetcher_start(f, err, sizeof(err)));
	CHECK(f && !fetcher_start(f, err, sizeof(err)));
	long mark = log_mark();
	if (f) {
		fetcher_fetch_all_once(f); // refused while the worker runs
		fetcher_poll_now(f, 5);    // out of range: ignored
	}
	CHECK_INT(log_count(mark, "fetch_all_once", "ignored"), 1);
	struct source_status st;
	CHECK(f && fetcher_snapshot(f, 9, &st) == NULL);
	CHECK_INT(fetcher_source_count(f), 1);
	CHECK_STR(fetcher_source(f, 0)->name, "city");
	CHECK_STR(source_state_name(SOURCE_FAILING), "failing");
	fetcher_destroy(f);
	fetcher_destroy(NULL);

	struct source_config twice[2];
	source_init(&twice[0], "a", "/x");
	source_init(&twice[1], "a", "/y");
	CHECK(make_fetcher(twice, 2, NULL) == NULL);
	struct source_config unsafe;
	source_init(&unsafe, "a/b", "/x");
	CHECK(make_fetcher(&unsafe, 1, "/tmp") == NULL);
}

/* ---- runner ---- */

#define CASE(fn) {#fn, fn}

static const struct check_case cases[] = {
	CASE(first_fetch),
	CASE(not_modified),
	CASE(fault_http500),
	CASE(fault_http404),
	CASE(fault_http503),
	CASE(fault_truncated),
	CASE(fault_invalid_json),
	CASE(fault_bad_seq),
	CASE(fault_empty),
	CASE(fault_huge),
	CASE(fault_huge_chunked),
	CASE(fault_reset),
	CASE(fault_hang),
	CASE(fault_slow_drip),
	CASE(fault_huge_header),
	CASE(fault_redirect_file),
	CASE(https_redirect_to_http),
	CASE(fault_wrong_types),
	CASE(fault_old),
	CASE(backoff),
	CASE(destroy_while_hanging),
	CASE(cache_written),
	CASE(cache_restart),
	CASE(cache_corrupt),
	CASE(cache_other_url),
	CASE(cache_old_pair_ignored),
	CASE(cache_stale_temps_removed),
	CASE(cache_second_instance),
	CASE(cache_kill_loop),
	CASE(cache_full_disk),
	CASE(seq_backwards_refused),
	CASE(seq_restart_accepted),
	CASE(seq_backwards_feedsim),
	CASE(file_sources),
	CASE(file_not_regular),
	CASE(env_headers),
	CASE(api_edges),
};

/* check_run with a timing line per case. */
static int run_cases(void)
{
	size_t count = sizeof(cases) / sizeof(cases[0]);
	int failed = 0;
	double total = mono();
	printf("1..%zu\n", count);
	for (size_t i = 0; i < count; i++) {
		check_failures_in_case = 0;
		double t0 = mono();
		cases[i].run();
		bool ok = check_failures_in_case == 0;
		failed += !ok;
		printf("# %s: %.2f s\n", cases[i].name, mono() - t0);
		printf("%s %zu - %s\n", ok ? "ok" : "not ok", i + 1, cases[i].name);
		fflush(stdout);
	}
	printf("# total %.2f s\n", mono() - total);
	return failed ? 1 : 0;
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	curl_global_init(CURL_GLOBAL_DEFAULT); // before any thread, as citywall does
	control_easy = curl_easy_init();
	if (!sim_start(&sim)) {
		printf("Bail out! cannot start tools/feedsim (set CITYWALL_SOURCE_ROOT)\n");
		sim_stop(&sim);
		return 1;
	}
	capture_stderr();
	int rc = run_cases();
	release_stderr();
	sim_stop(&sim);
	curl_easy_cleanup(control_easy);
	curl_global_cleanup();
	log_finish();
	return rc;
}
