/* civil_date: calendar dates with no time zone (dates of birth, order dates), proleptic
 * Gregorian, for years 0..9999. */
#ifndef CAIRN_CIVIL_DATE_H
#define CAIRN_CIVIL_DATE_H
#include <stddef.h>
#include <stdint.h>

struct civil_date {
	int year, month, day; /* month 1..12, day 1..31 */
};

/* Room for civil_date_long's longest output ("30 September 2026") with its NUL. */
#define CIVIL_DATE_LONG_MAX 32

/* Reads a date as typed in the UK: "23/03/1989", "23/3/1989", "23-03-1989", "23.03.1989",
 * "23 3 1989" or ISO "1989-03-23", with optional surrounding spaces; the year must have 4
 * digits and lie in 1900..2200 and the date must exist. Fills *out (the caller's) and
 * returns 0, or returns -1 leaving *out untouched. */
int civil_date_parse(const char *text, struct civil_date *out);

/* 1 if year-month-day is a date that exists, 0 if not. */
int civil_date_valid(int year, int month, int day);

/* Days in the month (28..31), or 0 for a month outside 1..12. */
int civil_date_days_in_month(int year, int month);

/* Days since 1970-01-01 (negative before it) of a valid date. */
int64_t civil_date_to_days(struct civil_date d);
struct civil_date civil_date_from_days(int64_t days);

/* Day of the week of a valid date, 0 for Sunday to 6 for Saturday. */
int civil_date_weekday(struct civil_date d);

/* Adds (or with a negative count subtracts) whole months, clamping the day to the end of
 * the resulting month: 30 November + 3 months is 28 or 29 February. */
struct civil_date civil_date_add_months(struct civil_date d, int months);

/* Negative, zero or positive as a is before, the same as, or after b. */
int civil_date_compare(struct civil_date a, struct civil_date b);

/* Write into the caller's buffer: "1989-03-23", "23/03/1989" and "23 March 1989"
 * (civil_date_long truncates to fit n, always NUL-terminating when n > 0). */
void civil_date_iso(struct civil_date d, char out[11]);
void civil_date_uk(struct civil_date d, char out[11]);
void civil_date_long(struct civil_date d, char *out, size_t n);

/* English name of month 1..12 ("March"), or "" outside that range; static storage. */
const char *civil_date_month_name(int month);

/* English name of weekday 0 (Sunday) .. 6 ("Monday"), or ""; static storage. */
const char *civil_date_weekday_name(int weekday);

#endif
