/* iso_week: ISO 8601 weeks ("2026-W48"), Monday to Sunday, as the weekly report counts
 * them, and their bounds on a London wall. */
#ifndef CAIRN_ISO_WEEK_H
#define CAIRN_ISO_WEEK_H
#include <stdint.h>

#include "domain/civil_date.h"

/* Room for "2026-W48" and its NUL. */
#define ISO_WEEK_TEXT_MAX 9

struct iso_week {
	int year, week; /* week 1..52 or 53 */
};

/* Reads "2026-W48" (also lower-case w, surrounding spaces); the year 1900..2200 and a week
 * the year has (53 only in long years). 0, or -1 leaving *out untouched. */
int iso_week_parse(const char *text, struct iso_week *out);
void iso_week_format(struct iso_week w, char out[ISO_WEEK_TEXT_MAX]);
/* The week a date falls in (30 December 2024 is in 2025-W01). */
struct iso_week iso_week_of(struct civil_date d);
/* The week's Monday. */
struct civil_date iso_week_monday(struct iso_week w);
/* The week before or after. */
struct iso_week iso_week_add(struct iso_week w, int weeks);
/* The week's bounds in UTC: Monday 00:00 to the next Monday 00:00, London time (a week
 * with a clock change is an hour shorter or longer). */
void iso_week_bounds(struct iso_week w, int64_t *from_utc, int64_t *to_utc);

#endif
