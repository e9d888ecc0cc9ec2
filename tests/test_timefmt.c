/*
 * Time zones from TZif files (util/timefmt.c, util/tzif.c): real zones around their changes,
 * the footer rule past the last transition, POSIX TZ strings, malformed files refused, and
 * the environment left alone (the fetch thread's libcurl reads it at any time).
 */

#include "check.h"

#include "util/timefmt.h"
#include "util/tzif.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

#define SEOUL_TZIF "/usr/share/zoneinfo/Asia/Seoul"

struct expect {
	const char *zone;
	double epoch;
	const char *local; // "YYYY-MM-DD HH:MM:SS"
	int isdst;
	long gmtoff;
	const char *abbr;
};

static void check_local(const struct expect *e, const struct tm *tm)
{
	char buf[96];
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d %02d:%02d:%02d", tm->tm_year + 1900,
		 tm->tm_mon + 1, tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec);
	if (strcmp(buf, e->local) != 0 || tm->tm_isdst != e->isdst || tm->tm_gmtoff != e->gmtoff) {
		printf("# %s at %.0f: expected %s dst %d %+ld, got %s dst %d %+ld\n", e->zone,
		       e->epoch, e->local, e->isdst, e->gmtoff, buf, tm->tm_isdst,
		       (long)tm->tm_gmtoff);
		check_failures_in_case++;
	}
	if (e->abbr) {
		CHECK_STR(tm->tm_zone, e->abbr);
	}
}

static void check_table(const struct expect *table, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		struct tm tm;
		memset(&tm, 0x55, sizeof(tm));
		CHECK(time_in_zone(table[i].epoch, table[i].zone, &tm));
		check_local(&table[i], &tm);
	}
}

static void seoul(void)
{
	static const struct expect table[] = {
		{"Asia/Seoul", 1795564800, "2026-11-25 09:00:00", 0, 32400, "KST"},
		{"Asia/Seoul", 1795564800.75, "2026-11-25 09:00:00", 0, 32400, "KST"},
		// Summer time of the 1988 Olympics, the last transition in the file.
		{"Asia/Seoul", 583718400, "1988-07-01 10:00:00", 1, 36000, "KDT"},
		// Far past the last transition: the footer "KST-9" decides.
		{"Asia/Seoul", 4102444800, "2100-01-01 09:00:00", 0, 32400, "KST"},
	};
	check_table(table, sizeof(table) / sizeof(table[0]));
	struct tm tm;
	CHECK(time_in_zone(1795564800, "Asia/Seoul", &tm));
	CHECK_INT(tm.tm_wday, 3); // Wednesday
	CHECK_INT(tm.tm_yday, 328);
}

static void utc(void)
{
	static const struct expect table[] = {
		{"UTC", 1795564800, "2026-11-25 00:00:00", 0, 0, NULL},
		{"Etc/UTC", 1795564800, "2026-11-25 00:00:00", 0, 0, "UTC"},
		{"", -1, "1969-12-31 23:59:59", 0, 0, NULL},
	};
	check_table(table, sizeof(table) / sizeof(table[0]));
	struct tm tm;
	CHECK(time_in_zone(0, NULL, &tm));
	CHECK_INT(tm.tm_year, 70);
}

static void new_york_dst(void)
{
	static const struct expect table[] = {
		{"America/New_York", 1772953199, "2026-03-08 01:59:59", 0, -18000, "EST"},
		{"America/New_York", 1772953200, "2026-03-08 03:00:00", 1, -14400, "EDT"},
		{"America/New_York", 1793512799, "2026-11-01 01:59:59", 1, -14400, "EDT"},
		{"America/New_York", 1793512800, "2026-11-01 01:00:00", 0, -18000, "EST"},
		// Past the transitions in the file: the footer's M3.2.0,M11.1.0.
		{"America/New_York", 4118126400, "2100-07-01 08:00:00", 1, -14400, "EDT"},
	};
	check_table(table, sizeof(table) / sizeof(table[0]));
}

static void london(void)
{
	static const struct expect table[] = {
		{"Europe/London", 1774745999, "2026-03-29 00:59:59", 0, 0, "GMT"},
		{"Europe/London", 1774746000, "2026-03-29 02:00:00", 1, 3600, "BST"},
		{"Europe/London", 1792889999, "2026-10-25 01:59:59", 1, 3600, "BST"},
		{"Europe/London", 1792890000, "2026-10-25 01:00:00", 0, 0, "GMT"},
		{"Europe/London", -315619200, "1960-01-01 00:00:00", 0, 0, "GMT"},
	};
	check_table(table, sizeof(table) / sizeof(table[0]));
}

static void unknown_zones(void)
{
	static const char *const names[] = {
		"Mars/Olympus", "../../etc/passwd", "/etc/localtime", "Asia/../Asia/Seoul",
		"Asia//Seoul", "Asia/Seoul ", "Asia", ".", "Asia/Seoul\n",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct tm tm;
		bool ok = time_in_zone(1795564800, names[i], &tm);
		if (ok) {
			printf("# \"%s\" accepted\n", names[i]);
		}
		CHECK(!ok);
		CHECK_INT(tm.tm_hour, 0); // UTC
		CHECK_INT(tm.tm_mday, 25);
	}
	// Asked twice: the remembered answer is the same.
	struct tm tm;
	CHECK(!time_in_zone(0, "Mars/Olympus", &tm));
}

/* 1900..2100 every 7 hours and a bit against the C library, for zones with odd histories. */
static void matches_libc(void)
{
	static const char *const names[] = {
		"Asia/Seoul", "America/New_York", "Europe/London", "Australia/Sydney",
		"Asia/Kolkata", "America/Sao_Paulo", "Pacific/Chatham", "Africa/Casablanca",
	};
	const char *saved = getenv("TZ");
	char *copy = saved ? strdup(saved) : NULL;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		setenv("TZ", names[i], 1); // the test's own comparison; time_in_zone never does this
		tzset();
		int mismatches = 0;
		for (int64_t t = -2208988800; t < 4102444800 && mismatches < 3; t += 25247) {
			struct tm ours, libc;
			time_t tt = (time_t)t;
			localtime_r(&tt, &libc);
			CHECK(time_in_zone((double)t, names[i], &ours));
			if (ours.tm_hour != libc.tm_hour || ours.tm_mday != libc.tm_mday ||
			    ours.tm_min != libc.tm_min || ours.tm_isdst != libc.tm_isdst ||
			    ours.tm_gmtoff != libc.tm_gmtoff) {
				printf("# %s at %lld: ours %02d:%02d dst %d %+ld, libc %02d:%02d "
				       "dst %d %+ld\n", names[i], (long long)t, ours.tm_hour,
				       ours.tm_min, ours.tm_isdst, (long)ours.tm_gmtoff,
				       libc.tm_hour, libc.tm_min, libc.tm_isdst,
				       (long)libc.tm_gmtoff);
				mismatches++;
				check_failures_in_case++;
			}
		}
	}
	if (copy) {
		setenv("TZ", copy, 1);
	} else {
		unsetenv("TZ");
	}
	tzset();
	free(copy);
}

static void posix_strings(void)
{
	static const struct {
		const char *tz;
		int64_t t;
		int hour, isdst;
	} good[] = {
		{"KST-9", 1795564800, 9, 0},
		{"<+0330>-3:30", 1795564800, 3, 0},
		{"EST5EDT,M3.2.0,M11.1.0", 1772953200, 3, 1},
		{"EST5EDT", 1772953200, 3, 1}, // no rule: the US one
		{"EST5EDT,M3.2.0,M11.1.0", 1793512800, 1, 0},
		// Southern hemisphere: summer time spans the new year.
		{"AEST-10AEDT,M10.1.0,M4.1.0/3", 1767225600, 11, 1}, // 2026-01-01
		{"AEST-10AEDT,M10.1.0,M4.1.0/3", 1782864000, 10, 0}, // 2026-07-01
		{"IST-1GMT0,M10.5.0,M3.5.0/1", 1782864000, 1, 0},    // negative DST (Ireland)
		{"XXX3YYY,J60/-1,300/25", 1782864000, 22, 1},        // extended rule times
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct tz_zone *z = tz_zone_from_posix(good[i].tz);
		if (!z) {
			printf("# \"%s\" refused\n", good[i].tz);
			CHECK(z != NULL);
			continue;
		}
		struct tm tm;
		tz_zone_local(z, good[i].t, &tm);
		if (tm.tm_hour != good[i].hour || tm.tm_isdst != good[i].isdst) {
			printf("# \"%s\": hour %d dst %d, expected %d dst %d\n", good[i].tz,
			       tm.tm_hour, tm.tm_isdst, good[i].hour, good[i].isdst);
			check_failures_in_case++;
		}
		tz_zone_destroy(z);
	}
	static const char *const bad[] = {
		"", "K-9", "KST", "KST-", "KST-9x", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.2.0",
		"EST5EDT,M3.6.0,M11.1.0", "EST5EDT,J0,J365", "<AB>5", "<KST-9", "KST99",
		"EST5EDT,M3.2.0/200,M11.1.0",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tz_zone *z = tz_zone_from_posix(bad[i]);
		if (z) {
			printf("# \"%s\" accepted\n", bad[i]);
		}
		CHECK(z == NULL);
		tz_zone_destroy(z);
	}
	CHECK(tz_zone_from_posix(NULL) == NULL);
}

static unsigned char *read_seoul(size_t *size)
{
	FILE *f = fopen(SEOUL_TZIF, "rb");
	CHECK(f != NULL);
	if (!f) {
		return NULL;
	}
	unsigned char *data = malloc(65536);
	*size = fread(data, 1, 65536, f);
	fclose(f);
	return data;
}

/* Writes data to a temporary file and loads it; returns whether it was accepted. */
static bool load_bytes(const unsigned char *data, size_t size, char *err, size_t err_size)
{
	char path[] = "/tmp/citywall-tzif-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK(write(fd, data, size) == (ssize_t)size);
	close(fd);
	struct tz_zone *z = tz_zone_load(path, err, err_size);
	unlink(path);
	bool ok = z != NULL;
	tz_zone_destroy(z);
	return ok;
}

static void malformed_files(void)
{
	size_t size = 0;
	unsigned char *seoul = read_seoul(&size);
	if (!seoul) {
		return;
	}
	char err[256] = "";
	CHECK(load_bytes(seoul, size, err, sizeof(err))); // the original is fine
	CHECK(!load_bytes(seoul, 0, err, sizeof(err)));
	CHECK(strstr(err, "shorter than a TZif header") != NULL);

	unsigned char *copy = malloc(size);
	struct {
		const char *what;
		size_t offset; // patched byte; SIZE_MAX: truncate instead
		unsigned char value;
		size_t keep;
		const char *message;
	} cases[] = {
		{"bad magic", 0, 'X', 0, "no \"TZif\" magic"},
		{"bad version", 4, '1', 0, "unknown TZif version"},
		{"half the file", SIZE_MAX, 0, 0, "cut short"},
		{"no footer", SIZE_MAX, 0, 1, "no footer"},
		{"footer cut", SIZE_MAX, 0, 2, "footer not terminated"},
		{"bad footer", 1, 'Q', 0, "footer TZ string not understood"},
		{"zero types", 20 + 4 * 4 + 3, 0, 0, "no local time types"},
		{"huge transition count", 20 + 3 * 4, 0x7f, 0, "implausibly large counts"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(copy, seoul, size);
		size_t n = size;
		if (cases[i].offset == SIZE_MAX) {
			n = cases[i].keep ? size - (cases[i].keep == 1 ? 7 : 1) : size / 2;
		} else if (cases[i].offset == 1) {
			copy[size - 2] = cases[i].value; // "KST-9" becomes "KST-Q"
		} else {
			copy[cases[i].offset] = cases[i].value;
		}
		err[0] = '\0';
		bool ok = load_bytes(copy, n, err, sizeof(err));
		if (ok || !strstr(err, cases[i].message)) {
			printf("# %s: accepted %d, message \"%s\"\n", cases[i].what, ok, err);
			check_failures_in_case++;
		}
	}
	CHECK(!tz_zone_load("/nonexistent/zone", err, sizeof(err)));
	CHECK(strstr(err, "/nonexistent/zone") != NULL);
	free(copy);
	free(seoul);
}

static void environment_untouched(void)
{
	static const char *const names[] = {"Asia/Seoul", "Europe/London", "America/New_York",
					    "Australia/Sydney", "Mars/Olympus", "UTC"};
	for (int round = 0; round < 2; round++) {
		if (round == 0) {
			setenv("TZ", "Europe/Paris", 1);
		} else {
			unsetenv("TZ");
		}
		char **env_before = environ;
		const char *tz_before = getenv("TZ");
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			struct tm tm;
			time_in_zone(1795564800 + (double)i * 86400 * 50, names[i], &tm);
		}
		CHECK(environ == env_before);
		CHECK(getenv("TZ") == tz_before);
		if (round == 0) {
			CHECK_STR(getenv("TZ"), "Europe/Paris");
		}
	}
	setenv("TZ", "UTC", 1);
}

static void *convert_many(void *arg)
{
	const char *zone = arg;
	int wrong = 0;
	for (int i = 0; i < 20000; i++) {
		struct tm tm;
		time_in_zone(1795564800 + i * 60.0, zone, &tm);
		int expected = (strcmp(zone, "Asia/Seoul") == 0 ? 9 : 19) * 60 + i; // minutes
		expected = ((expected % 1440) + 1440) % 1440;
		wrong += tm.tm_hour * 60 + tm.tm_min != expected;
	}
	return (void *)(intptr_t)wrong;
}

static void threads(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, convert_many, "Asia/Seoul");
	pthread_create(&b, NULL, convert_many, "America/New_York");
	void *ra, *rb;
	pthread_join(a, &ra);
	pthread_join(b, &rb);
	CHECK_INT((intptr_t)ra, 0);
	CHECK_INT((intptr_t)rb, 0);
}

static const struct check_case cases[] = {
	{"Asia/Seoul, with its 1988 summer time and the KST-9 footer", seoul},
	{"UTC", utc},
	{"America/New_York around both DST changes of 2026 and in 2100", new_york_dst},
	{"Europe/London around both changes", london},
	{"unknown or unsafe zone names: false, UTC", unknown_zones},
	{"1900..2100 agrees with the C library", matches_libc},
	{"POSIX TZ strings", posix_strings},
	{"malformed TZif files are refused", malformed_files},
	{"the environment's TZ is never modified", environment_untouched},
	{"two threads convert at once", threads},
};

int main(void)
{
	return check_run(cases, sizeof(cases) / sizeof(cases[0]));
}
