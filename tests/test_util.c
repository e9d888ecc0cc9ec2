/* Utilities: time parsing, edit distance, diagnostics' text, percentiles. */

#include "check.h"

#include "util/diag.h"
#include "util/fileio.h"
#include "util/stats.h"
#include "util/strutil.h"
#include "util/timefmt.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void iso_times(void)
{
	static const struct {
		const char *text;
		bool ok;
		double epoch;
	} cases[] = {
		{"2026-11-25T09:00:00+09:00", true, 1795564800},
		{"2026-11-25T00:00:00Z", true, 1795564800},
		{"2026-11-25T00:00:00.250Z", true, 1795564800.25},
		{"2026-11-25 09:00", true, 1795564800}, /* Seoul open-data style: local KST */
		{"2026-11-25T09:00:00+0900", true, 1795564800},
		{"2026-11-24T19:00:00-05:00", true, 1795564800},
		{"2026-02-30T00:00:00Z", false, 0},
		{"2026-11-25", false, 0},
		{"2026-11-25T24:00:00Z", false, 0},
		{"2026-11-25T09:00:00+09:00 trailing", false, 0},
		{"yesterday", false, 0},
		{"", false, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double t = -1;
		bool ok = time_parse_iso8601(cases[i].text, 9 * 3600, &t);
		CHECK_INT(ok, cases[i].ok);
		if (ok && cases[i].ok) {
			CHECK_NEAR(t, cases[i].epoch, 1e-6);
		}
	}
}

static void zones(void)
{
	struct tm tm;
	CHECK(time_in_zone(1795564800, "Asia/Seoul", &tm));
	CHECK_INT(tm.tm_hour, 9);
	CHECK_INT(tm.tm_wday, 3); /* Wednesday */
	CHECK(time_in_zone(1795564800, "UTC", &tm));
	CHECK_INT(tm.tm_hour, 0);
	CHECK(!time_in_zone(1795564800, "Mars/Olympus", &tm));
	CHECK_INT(tm.tm_hour, 0);
	CHECK(!time_in_zone(1795564800, "../../etc/passwd", &tm));
	char buf[32];
	time_format_utc(1795564800, buf, sizeof(buf));
	CHECK_STR(buf, "2026-11-25T00:00:00Z");
}

static void edit_distance(void)
{
	CHECK_INT(str_edit_distance("title", "title"), 0);
	CHECK_INT(str_edit_distance("titel", "title"), 1);
	CHECK_INT(str_edit_distance("kitten", "sitting"), 3);
	CHECK_INT(str_edit_distance("", "abc"), 3);
	static const char *const words[] = {"title", "value", "unit", "thresholds", NULL};
	CHECK_STR(str_closest("valeu", words, sizeof(words[0]), 4), "value");
	CHECK_STR(str_closest("treshold", words, sizeof(words[0]), 4), "thresholds");
	CHECK(str_closest("colour", words, sizeof(words[0]), 4) == NULL);
}

static void diagnostics(void)
{
	struct diag_list list;
	diag_list_init(&list);
	diag_add(&list, DIAG_ERROR, "a.json", 12, 7, NULL, "expected %s", "a value");
	diag_add(&list, DIAG_ERROR, "a.json", 14, 0, "/tiles/3/span", "bad span");
	diag_add(&list, DIAG_WARNING, "a.json", 20, 0, "/tiles/5/title", "too long");
	diag_add(&list, DIAG_ERROR, NULL, 0, 0, NULL, "cannot open x");
	diag_add(&list, DIAG_ERROR, "a.json", 0, 0, "", "root problem");
	static const char *const expected[] = {
		"a.json:12:7: error: expected a value",
		"a.json:14: /tiles/3/span: bad span",
		"a.json:20: /tiles/5/title: warning: too long",
		"error: cannot open x",
		"a.json: /: root problem",
	};
	CHECK_INT(list.count, 5);
	for (size_t i = 0; i < list.count; i++) {
		char *text = diag_format(&list.items[i]);
		CHECK_STR(text, expected[i]);
		free(text);
	}
	CHECK_INT(diag_count(&list, DIAG_ERROR), 4);
	CHECK_INT(diag_count(&list, DIAG_WARNING), 1);
	diag_list_finish(&list);
}

static void percentiles(void)
{
	struct samples s = {0};
	CHECK(samples_percentile(&s, 50) != samples_percentile(&s, 50)); /* NaN when empty */
	for (int i = 100; i >= 1; i--) {
		samples_add(&s, i);
	}
	CHECK_NEAR(samples_percentile(&s, 50), 50, 0);
	CHECK_NEAR(samples_percentile(&s, 95), 95, 0);
	CHECK_NEAR(samples_percentile(&s, 100), 100, 0);
	CHECK_NEAR(samples_percentile(&s, 0), 1, 0);
	samples_finish(&s);
}

static void atomic_files(void)
{
	const char *build = getenv("CITYWALL_BUILD_ROOT");
	char dir[4096], path[4200], err[256];
	snprintf(dir, sizeof(dir), "%s/util-test/a/b", build ? build : ".");
	CHECK(dir_create_all(dir, err, sizeof(err)));
	CHECK(dir_create_all(dir, err, sizeof(err))); /* again: already there */
	snprintf(path, sizeof(path), "%s/status.json", dir);
	CHECK(file_write_atomic(path, "{\"a\": 1}", 8, err, sizeof(err)));
	CHECK(file_write_atomic(path, "{}", 2, err, sizeof(err)));
	char *text = NULL;
	size_t len = 0;
	CHECK(file_read_all(path, 100, &text, &len, err, sizeof(err)));
	CHECK_STR(text, "{}");
	free(text);
	CHECK(!file_read_all(path, 1, &text, &len, err, sizeof(err)));
	CHECK(strstr(err, "is larger than 1 bytes") != NULL);
	CHECK(!file_write_atomic("/nonexistent-dir/x.json", "x", 1, err, sizeof(err)));
	CHECK_STR(err, "cannot write /nonexistent-dir/x.json: No such file or directory");
	remove(path);

	/* Replaced often (not synced): the same whole-file replacement, with the mode asked. */
	CHECK(file_replace_often(path, "{\"b\": 2}", 8, 0644, err, sizeof(err)));
	CHECK(file_replace_often(path, "{\"b\": 3}", 8, 0644, err, sizeof(err)));
	CHECK(file_read_all(path, 100, &text, &len, err, sizeof(err)));
	CHECK_STR(text, "{\"b\": 3}");
	free(text);
	struct stat st;
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644);
	DIR *folder = opendir(dir);
	int entries = 0;
	for (struct dirent *e; folder && (e = readdir(folder));) {
		entries += e->d_name[0] != '.' || strstr(e->d_name, FILE_TEMP_MARK) != NULL;
	}
	if (folder) {
		closedir(folder);
	}
	CHECK_INT(entries, 1); /* status.json, no temporary file left */
	CHECK(!file_replace_often("/nonexistent-dir/x.json", "x", 1, 0600, err, sizeof(err)));
	CHECK_STR(err, "cannot write /nonexistent-dir/x.json: No such file or directory");
	remove(path);
}

static const struct check_case cases[] = {
	{"atomic file writes and folders", atomic_files},
	{"ISO 8601 times", iso_times},
	{"time zones", zones},
	{"edit distance and suggestions", edit_distance},
	{"diagnostic lines", diagnostics},
	{"percentiles", percentiles},
};

CHECK_MAIN(cases)
