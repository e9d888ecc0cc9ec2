/*
 * citywall-derive-bench: what derived values cost on the fetch thread. Builds N dispatch
 * records (default 100,000) shaped like the golden-time feed — ISO 8601 times, 25 districts,
 * 24 stations, some missing and some impossible arrivals, a third of them yesterday's — and
 * times each definition of the golden-time panel over them, as the fetch thread computes them
 * after every document. Timing lives here, never in pass/fail tests.
 *
 *   citywall-derive-bench [--records N] [--runs N]
 */

#include "derive/derive.h"
#include "feed/snapshot_parse.h"
#include "util/diag.h"
#include "util/stats.h"
#include "util/xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOW 1795564800.0 // 2026-11-25T09:00:00+09:00

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* CPU time of this thread: what the computation costs, whatever else the machine runs. */
static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static const char *const districts[] = {
	"종로구", "중구", "용산구", "성동구", "광진구", "동대문구", "중랑구", "성북구", "강북구",
	"도봉구", "노원구", "은평구", "서대문구", "마포구", "양천구", "강서구", "구로구", "금천구",
	"영등포구", "동작구", "관악구", "서초구", "강남구", "송파구", "강동구",
};

static void iso(char *buf, size_t size, long seconds_before_now)
{
	time_t t = (time_t)NOW - seconds_before_now + 9 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%S+09:00", &tm);
}

static char *records_json(size_t n)
{
	size_t cap = n * 256 + 64, used = 0;
	char *text = xmalloc(cap);
	used += (size_t)snprintf(text, cap, "{\"rows\": [");
	unsigned seed = 12345;
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		long before = (long)(seed % (48 * 3600)); // today and yesterday
		long delay = 60 + (long)((seed >> 8) % 540);
		char dispatched[40], arrived[48];
		iso(dispatched, sizeof(dispatched), before);
		if (i % 50 == 0) {
			snprintf(arrived, sizeof(arrived), "null"); // missing
		} else {
			char t[40];
			iso(t, sizeof(t), before - (i % 97 == 0 ? -120 : delay)); // some impossible
			snprintf(arrived, sizeof(arrived), "\"%s\"", t);
		}
		int d = (int)((seed >> 4) % 25), s = (int)((seed >> 12) % 24);
		int helper = (seed >> 16) % 5 == 0 ? (s + 1) % 24 : s;
		used += (size_t)snprintf(text + used, cap - used,
					 "%s{\"id\": %zu, \"district\": \"%s\", \"responsible\": "
					 "\"S%02d\", \"arrived_by\": \"S%02d\", \"dispatched\": \"%s\", "
					 "\"arrived\": %s}",
					 i ? "," : "", i, districts[d], s, helper, dispatched, arrived);
	}
	snprintf(text + used, cap - used, "]}");
	return text;
}

struct bench_def {
	const char *name, *where, *value, *group_by;
};

static const struct bench_def defs[] = {
	{"golden", "arrived != null and dispatched >= today()",
	 "ratio(arrived - dispatched <= 5m)", NULL},
	{"golden_by_district", "arrived != null", "ratio(arrived - dispatched <= 5m)", "district"},
	{"neighbour_help", NULL, "count(arrived_by != responsible)", NULL},
	{"p90_by_district", "dispatched in today", "p90(arrived - dispatched)", "district"},
};

int main(int argc, char **argv)
{
	size_t n = 100000;
	int runs = 10;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--records") == 0 && i + 1 < argc) {
			n = strtoul(argv[++i], NULL, 10);
		} else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
			runs = atoi(argv[++i]);
		} else {
			fprintf(stderr, "usage: citywall-derive-bench [--records N] [--runs N]\n");
			return 2;
		}
	}
	char *text = records_json(n);
	struct diag_list diags;
	diag_list_init(&diags);
	double t0 = now_ms();
	struct snapshot *snap = snapshot_parse(text, strlen(text), "bench", "dispatch", NULL, NOW,
					       &diags);
	double parse_ms = now_ms() - t0;
	diag_list_finish(&diags);
	free(text);
	if (!snap) {
		fprintf(stderr, "citywall-derive-bench: the generated document did not parse\n");
		return 1;
	}
	const struct value *rows = value_member(snap->root, "rows");
	printf("%zu records (document parsed in %.1f ms, not counted below)\n", n, parse_ms);
	printf("%-20s %8s %8s %8s %8s  %s\n", "value", "p50 ms", "max ms", "cpu p50", "runs",
	       "result");
	double total = 0, total_cpu = 0;
	for (size_t d = 0; d < sizeof(defs) / sizeof(defs[0]); d++) {
		struct derive_error err;
		struct derive_def def = {.name = xstrdup(defs[d].name), .zone = xstrdup("Asia/Seoul")};
		def.where = defs[d].where ? derive_parse(defs[d].where, DERIVE_CONDITION, &err) : NULL;
		def.value = derive_parse(defs[d].value, DERIVE_VALUE, &err);
		def.group_by = defs[d].group_by ? xstrdup(defs[d].group_by) : NULL;
		struct samples s = {0}, cpu = {0};
		char result[64] = "";
		for (int r = 0; r < runs; r++) {
			struct arena arena;
			arena_init(&arena);
			struct derive_stats stats;
			double start = now_ms(), start_cpu = cpu_ms();
			const struct value *v = derive_compute(&def, rows, NOW, &arena, &stats);
			samples_add(&s, now_ms() - start);
			samples_add(&cpu, cpu_ms() - start_cpu);
			if (v->kind == VALUE_NUMBER) {
				snprintf(result, sizeof(result), "%.4g (rejected %zu)", v->number,
					 stats.rejected);
			} else {
				snprintf(result, sizeof(result), "%zu groups (rejected %zu)",
					 stats.groups, stats.rejected);
			}
			arena_finish(&arena);
		}
		total += samples_percentile(&s, 50);
		total_cpu += samples_percentile(&cpu, 50);
		printf("%-20s %8.2f %8.2f %8.2f %8d  %s\n", defs[d].name, samples_percentile(&s, 50),
		       samples_percentile(&s, 100), samples_percentile(&cpu, 50), runs, result);
		samples_finish(&s);
		samples_finish(&cpu);
		derive_def_finish(&def);
	}
	printf("%-20s %8.2f %8s %8.2f\n", "all four", total, "", total_cpu);
	snapshot_unref(snap);
	return 0;
}
