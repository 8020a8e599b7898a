/* london_time: Europe/London wall-clock time without tzdata. British Summer Time (UTC+1)
 * runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
 * October, the rule in force since 1996; times before then are shown by the same rule. */
#ifndef CAIRN_LONDON_TIME_H
#define CAIRN_LONDON_TIME_H
#include <stddef.h>
#include <stdint.h>

#include "domain/civil_date.h"

/* Room for london_format's longest output ("Wednesday 30 September 2026, 12:00pm"). */
#define LONDON_FORMAT_MAX 64
/* Room for london_format_time's output ("12:00pm"). */
#define LONDON_TIME_MAX 8

/* 3600 while British Summer Time is in force at that instant, 0 otherwise. */
int london_offset_seconds(int64_t utc_seconds);

/* The calendar date on a London wall at that instant. */
struct civil_date london_date(int64_t utc_seconds);

/* Write "Monday 30 March 2026, 6:00pm" and "6:00pm" (12-hour, "12:00pm" for noon,
 * "12:00am" for midnight) into the caller's buffer, truncating to fit n and always
 * NUL-terminating when n > 0. */
void london_format(int64_t utc_seconds, char *out, size_t n);
void london_format_time(int64_t utc_seconds, char *out, size_t n);

/* Converts London wall time (hour 0..23, minute 0..59) on a valid date to UTC into the
 * caller's *utc_out. Returns -1 for a time that does not exist (01:00-01:59 on the day the
 * clocks go forward) or out-of-range fields; in the repeated hour when the clocks go back
 * it picks the first (BST) occurrence. */
int london_to_utc(struct civil_date d, int hour, int minute, int64_t *utc_out);

#endif
