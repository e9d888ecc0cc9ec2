#ifndef CITYWALL_TESTS_CHECK_H
#define CITYWALL_TESTS_CHECK_H

/*
 * A minimal TAP test harness: each test program lists its cases in a table, runs them and
 * prints "ok N - name" / "not ok N - name" lines that meson's TAP protocol reads. A failed
 * CHECK prints what was expected and what came, and the case goes on (all failures shown).
 */

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct check_case {
	const char *name;
	void (*run)(void);
};

static int check_failures_in_case;

#define CHECK(cond)                                                                     \
	do {                                                                            \
		if (!(cond)) {                                                          \
			printf("# %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
			check_failures_in_case++;                                       \
		}                                                                       \
	} while (0)

/* Prints a string for a TAP diagnostic: line breaks shown as \n so every line stays a comment. */
static inline void check_print_escaped(const char *s)
{
	if (!s) {
		fputs("(null)", stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '\n') {
			fputs("\\n", stdout);
		} else {
			putchar(*s);
		}
	}
	putchar('"');
}

#define CHECK_STR(actual, expected)                                                      \
	do {                                                                             \
		const char *a_ = (actual), *e_ = (expected);                             \
		if (!(a_ == e_ || (a_ && e_ && strcmp(a_, e_) == 0))) {                  \
			printf("# %s:%d: %s\n#   expected: ", __FILE__, __LINE__, #actual); \
			check_print_escaped(e_);                                         \
			printf("\n#   actual:   ");                                       \
			check_print_escaped(a_);                                         \
			printf("\n");                                                    \
			check_failures_in_case++;                                        \
		}                                                                        \
	} while (0)

#define CHECK_INT(actual, expected)                                                      \
	do {                                                                             \
		long long a_ = (long long)(actual), e_ = (long long)(expected);          \
		if (a_ != e_) {                                                          \
			printf("# %s:%d: %s\n#   expected: %lld\n#   actual:   %lld\n",     \
			       __FILE__, __LINE__, #actual, e_, a_);                     \
			check_failures_in_case++;                                        \
		}                                                                        \
	} while (0)

#define CHECK_NEAR(actual, expected, tolerance)                                          \
	do {                                                                             \
		double a_ = (actual), e_ = (expected);                                   \
		if (!(fabs(a_ - e_) <= (tolerance))) {                                   \
			printf("# %s:%d: %s\n#   expected: %g (+-%g)\n#   actual:   %g\n",  \
			       __FILE__, __LINE__, #actual, e_, (double)(tolerance), a_); \
			check_failures_in_case++;                                        \
		}                                                                        \
	} while (0)

/* Runs every case; returns the process exit status (0 when all passed). */
static inline int check_run(const struct check_case *cases, size_t count)
{
	int failed = 0;
	printf("1..%zu\n", count);
	for (size_t i = 0; i < count; i++) {
		check_failures_in_case = 0;
		cases[i].run();
		bool ok = check_failures_in_case == 0;
		failed += !ok;
		printf("%s %zu - %s\n", ok ? "ok" : "not ok", i + 1, cases[i].name);
		fflush(stdout);
	}
	return failed ? 1 : 0;
}

#define CHECK_MAIN(cases) \
	int main(void) { return check_run(cases, sizeof(cases) / sizeof(cases[0])); }

#endif
