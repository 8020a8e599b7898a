#include "domain/iso_week.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "domain/london_time.h"

/* Monday of week 1: the week with 4 January in it. */
static int64_t week_one_monday(int year)
{
	struct civil_date jan4 = {year, 1, 4};
	int wd = civil_date_weekday(jan4); /* 0 Sunday */
	int from_monday = (wd + 6) % 7;
	return civil_date_to_days(jan4) - from_monday;
}

static int weeks_in_year(int year)
{
	return (int)((week_one_monday(year + 1) - week_one_monday(year)) / 7);
}

int iso_week_parse(const char *text, struct iso_week *out)
{
	if (text == NULL)
		return -1;
	while (*text == ' ')
		text++;
	int year = 0, week = 0, i = 0;
	for (; i < 4; i++) {
		if (!isdigit((unsigned char)text[i]))
			return -1;
		year = year * 10 + (text[i] - '0');
	}
	if (text[4] != '-' || (text[5] != 'W' && text[5] != 'w'))
		return -1;
	const char *p = text + 6;
	int digits = 0;
	for (; isdigit((unsigned char)*p) && digits < 3; p++, digits++)
		week = week * 10 + (*p - '0');
	if (digits != 2)
		return -1;
	while (*p == ' ')
		p++;
	if (*p != '\0' || year < 1900 || year > 2200 || week < 1 || week > weeks_in_year(year))
		return -1;
	out->year = year;
	out->week = week;
	return 0;
}

void iso_week_format(struct iso_week w, char out[ISO_WEEK_TEXT_MAX])
{
	unsigned year = (unsigned)w.year % 10000u, week = (unsigned)w.week % 100u;
	snprintf(out, ISO_WEEK_TEXT_MAX, "%04u-W%02u", year, week);
}

struct iso_week iso_week_of(struct civil_date d)
{
	int64_t days = civil_date_to_days(d);
	int year = d.year + 1;
	while (days < week_one_monday(year))
		year--;
	struct iso_week w = {year, (int)((days - week_one_monday(year)) / 7) + 1};
	return w;
}

struct civil_date iso_week_monday(struct iso_week w)
{
	return civil_date_from_days(week_one_monday(w.year) + (int64_t)(w.week - 1) * 7);
}

struct iso_week iso_week_add(struct iso_week w, int weeks)
{
	return iso_week_of(civil_date_from_days(civil_date_to_days(iso_week_monday(w)) +
						(int64_t)weeks * 7));
}

void iso_week_bounds(struct iso_week w, int64_t *from_utc, int64_t *to_utc)
{
	struct civil_date mon = iso_week_monday(w);
	struct civil_date next = civil_date_from_days(civil_date_to_days(mon) + 7);
	/* Midnight always exists in London: the clocks change at 01:00 and 02:00. */
	if (london_to_utc(mon, 0, 0, from_utc) != 0 || london_to_utc(next, 0, 0, to_utc) != 0)
		abort();
}
