/* unit: a tiny test harness. Each CHECK counts a check and, on failure, prints file:line
 * and carries on so one run shows every failure; unit_finish() gives main's exit status. */
#ifndef CAIRN_UNIT_H
#define CAIRN_UNIT_H
#include <stdio.h>
#include <string.h>

static int unit_checks;
static int unit_failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		unit_checks++;                                                                     \
		if (!(cond)) {                                                                     \
			unit_failures++;                                                           \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);   \
		}                                                                                  \
	} while (0)

#define CHECK_INT(a, b)                                                                            \
	do {                                                                                       \
		long long unit_a_ = (long long)(a), unit_b_ = (long long)(b);                      \
		unit_checks++;                                                                     \
		if (unit_a_ != unit_b_) {                                                          \
			unit_failures++;                                                           \
			fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__,      \
				__LINE__, #a, unit_a_, #b, unit_b_);                               \
		}                                                                                  \
	} while (0)

/* NULL equals only NULL, so a missing string is reported rather than crashing. */
#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *unit_sa_ = (a), *unit_sb_ = (b);                                       \
		unit_checks++;                                                                     \
		if ((unit_sa_ == NULL || unit_sb_ == NULL) ? unit_sa_ != unit_sb_                  \
							   : strcmp(unit_sa_, unit_sb_) != 0) {    \
			unit_failures++;                                                           \
			fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__,        \
				__LINE__, #a, unit_sa_ ? unit_sa_ : "(null)",                      \
				unit_sb_ ? unit_sb_ : "(null)");                                   \
		}                                                                                  \
	} while (0)

/* Prints the tally; returns the exit status for main. */
static inline int unit_finish(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, unit_checks, unit_failures);
	return unit_failures != 0;
}

#endif
