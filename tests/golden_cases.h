#ifndef CITYWALL_TESTS_GOLDEN_CASES_H
#define CITYWALL_TESTS_GOLDEN_CASES_H

/*
 * The golden-image cases (tests/golden/cases.txt, then tests/golden/cases.d/NAME.txt in name
 * order): layout x snapshot x size x time, read by the golden test and by the test that draws
 * each with one and with several drawing threads.
 */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct golden_case {
	char name[128], layout[512], feed[512], time[64];
	int width, height;
};

static inline const char *source_root(void)
{
	const char *root = getenv("CITYWALL_SOURCE_ROOT");
	return root ? root : ".";
}

static inline const char *build_root(void)
{
	const char *root = getenv("CITYWALL_BUILD_ROOT");
	return root ? root : ".";
}

static inline size_t read_case_file(const char *path, struct golden_case *cases, size_t max)
{
	char line[2048];
	FILE *f = fopen(path, "r");
	if (!f) {
		printf("# cannot open %s\n", path);
		return 0;
	}
	size_t n = 0;
	while (n < max && fgets(line, sizeof(line), f)) {
		struct golden_case *c = &cases[n];
		if (line[0] == '#' || line[0] == '\n') {
			continue;
		}
		if (sscanf(line, "%127s %511s %511s %dx%d %63s", c->name, c->layout, c->feed,
			   &c->width, &c->height, c->time) == 6) {
			n++;
		}
	}
	fclose(f);
	return n;
}

static inline int compare_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The case's feed as wall_options takes it: the path under the source root, and a named
 * source's feed ("dispatch=tests/data/...") keeps its name before the root.
 */
static inline void case_feed_path(const struct golden_case *c, char *out, size_t size)
{
	const char *eq = strchr(c->feed, '=');
	const char *path = eq && !memchr(c->feed, '/', (size_t)(eq - c->feed)) ? eq + 1 : c->feed;
	snprintf(out, size, "%.*s%s/%s", (int)(path - c->feed), c->feed, source_root(), path);
}

/* tests/golden/cases.txt, then every .txt file in tests/golden/cases.d in name order. */
static inline size_t read_cases(struct golden_case *cases, size_t max)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/golden/cases.txt", source_root());
	size_t n = read_case_file(path, cases, max);
	snprintf(path, sizeof(path), "%s/tests/golden/cases.d", source_root());
	DIR *dir = opendir(path);
	char *names[256];
	size_t count = 0;
	for (struct dirent *e; dir && (e = readdir(dir)) && count < 256;) {
		size_t len = strlen(e->d_name);
		if (len > 4 && strcmp(e->d_name + len - 4, ".txt") == 0) {
			names[count++] = strdup(e->d_name);
		}
	}
	if (dir) {
		closedir(dir);
	}
	qsort(names, count, sizeof(names[0]), compare_names);
	for (size_t i = 0; i < count; i++) {
		char file[4400];
		snprintf(file, sizeof(file), "%s/%s", path, names[i]);
		n += read_case_file(file, cases + n, max - n);
		free(names[i]);
	}
	return n;
}

#endif
