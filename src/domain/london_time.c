#include "domain/london_time.h"

#define DAY_SECONDS 86400
#define HOUR_SECONDS 3600

/* Floor division, so instants before 1970 land on the right day. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* Days since the epoch of the last Sunday of the month. */
static int64_t last_sunday(int year, int month)
{
	struct civil_date last = {year, month, civil_date_days_in_month(year, month)};
	return civil_date_to_days(last) - civil_date_weekday(last);
}

int london_offset_seconds(int64_t utc_seconds)
{
	int year = civil_date_from_days(floor_div(utc_seconds, DAY_SECONDS)).year;
	/* Both changes happen at 01:00 UTC, so the year of the UTC instant is the right one. */
	int64_t start = last_sunday(year, 3) * DAY_SECONDS + HOUR_SECONDS;
	int64_t end = last_sunday(year, 10) * DAY_SECONDS + HOUR_SECONDS;
	return utc_seconds >= start && utc_seconds < end ? HOUR_SECONDS : 0;
}

struct civil_date london_date(int64_t utc_seconds)
{
	int64_t local = utc_seconds + london_offset_seconds(utc_seconds);
	return civil_date_from_days(floor_div(local, DAY_SECONDS));
}

/* A bounded writer instead of snprintf: a list page formats 50 times, and snprintf's format
 * parsing was an eighth of My referrals' instructions (callgrind, bench/run). Output is cut
 * to fit and always NUL-terminated, as snprintf's. */
struct text_out {
	char *p;
	size_t room; /* bytes left, counting the NUL's */
};

static void put_text(struct text_out *o, const char *s)
{
	while (*s && o->room > 1) {
		*o->p++ = *s++;
		o->room--;
	}
	*o->p = '\0';
}

static void put_int(struct text_out *o, int64_t v, int min_digits)
{
	char digits[24];
	int n = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		digits[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u || n < min_digits);
	if (v < 0)
		digits[n++] = '-';
	char text[24];
	for (int i = 0; i < n; i++)
		text[i] = digits[n - 1 - i];
	text[n] = '\0';
	put_text(o, text);
}

/* Writes the 12-hour time of day of a London-local second count. */
static void format_clock(int64_t local, struct text_out *o)
{
	int64_t second_of_day = local - floor_div(local, DAY_SECONDS) * DAY_SECONDS;
	int hour = (int)(second_of_day / HOUR_SECONDS);
	int minute = (int)(second_of_day % HOUR_SECONDS / 60);
	int hour12 = hour % 12 == 0 ? 12 : hour % 12;
	put_int(o, hour12, 1);
	put_text(o, ":");
	put_int(o, minute, 2);
	put_text(o, hour < 12 ? "am" : "pm");
}

void london_format_time(int64_t utc_seconds, char *out, size_t n)
{
	if (n == 0)
		return;
	struct text_out o = {out, n};
	*out = '\0';
	format_clock(utc_seconds + london_offset_seconds(utc_seconds), &o);
}

void london_format(int64_t utc_seconds, char *out, size_t n)
{
	if (n == 0)
		return;
	int64_t local = utc_seconds + london_offset_seconds(utc_seconds);
	struct civil_date d = civil_date_from_days(floor_div(local, DAY_SECONDS));
	struct text_out o = {out, n};
	*out = '\0';
	put_text(&o, civil_date_weekday_name(civil_date_weekday(d)));
	put_text(&o, " ");
	put_int(&o, d.day, 1);
	put_text(&o, " ");
	put_text(&o, civil_date_month_name(d.month));
	put_text(&o, " ");
	put_int(&o, d.year, 1);
	put_text(&o, ", ");
	format_clock(local, &o);
}

int london_to_utc(struct civil_date d, int hour, int minute, int64_t *utc_out)
{
	if (!civil_date_valid(d.year, d.month, d.day) || hour < 0 || hour > 23 || minute < 0 ||
	    minute > 59)
		return -1;
	int64_t local = civil_date_to_days(d) * DAY_SECONDS + hour * HOUR_SECONDS + minute * 60;
	/* Trying summer time first picks the earlier of the two instants in the repeated
	 * autumn hour; a wall time neither reading maps back to is in the spring gap. */
	int64_t summer = local - HOUR_SECONDS;
	if (london_offset_seconds(summer) == HOUR_SECONDS) {
		*utc_out = summer;
		return 0;
	}
	if (london_offset_seconds(local) == 0) {
		*utc_out = local;
		return 0;
	}
	return -1;
}
