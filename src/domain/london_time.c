#include "domain/london_time.h"

#include <string.h>

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

/* The last year's summer time, per thread: a page formats tens of times, mostly in one or
 * two years, and working the year out and its two last Sundays was a third of each format
 * (callgrind, bench/run). */
static _Thread_local struct {
	int64_t from, to;    /* the UTC year [from, to) these are for; from == to: none yet */
	int64_t start, end;  /* summer time, UTC */
} summer_cache;

int london_offset_seconds(int64_t utc_seconds)
{
	if (utc_seconds < summer_cache.from || utc_seconds >= summer_cache.to) {
		int year = civil_date_from_days(floor_div(utc_seconds, DAY_SECONDS)).year;
		struct civil_date jan1 = {year, 1, 1}, next = {year + 1, 1, 1};
		summer_cache.from = civil_date_to_days(jan1) * DAY_SECONDS;
		summer_cache.to = civil_date_to_days(next) * DAY_SECONDS;
		/* Both changes happen at 01:00 UTC, so the year of the UTC instant is the right one. */
		summer_cache.start = last_sunday(year, 3) * DAY_SECONDS + HOUR_SECONDS;
		summer_cache.end = last_sunday(year, 10) * DAY_SECONDS + HOUR_SECONDS;
	}
	return utc_seconds >= summer_cache.start && utc_seconds < summer_cache.end ? HOUR_SECONDS : 0;
}

struct civil_date london_date(int64_t utc_seconds)
{
	int64_t local = utc_seconds + london_offset_seconds(utc_seconds);
	return civil_date_from_days(floor_div(local, DAY_SECONDS));
}

/* Written by hand instead of with snprintf: a list page formats 50 times, and snprintf's
 * format parsing was an eighth of My referrals' instructions (callgrind, bench/run). Each
 * text is built whole in a buffer big enough for any date, then cut to fit out and always
 * NUL-terminated, as snprintf's. */
#define TEXT_MAX 80

static char *put_text(char *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

static char *put_int(char *p, int64_t v, int min_digits)
{
	if (v >= 0 && v < 100 && min_digits <= 2) {
		/* A day, an hour or a minute: most numbers written. */
		if (v >= 10 || min_digits == 2)
			*p++ = (char)('0' + v / 10);
		*p++ = (char)('0' + v % 10);
		return p;
	}
	char digits[24];
	int n = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		digits[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u || n < min_digits);
	if (v < 0)
		*p++ = '-';
	while (n)
		*p++ = digits[--n];
	return p;
}

static void put_out(char *out, size_t n, const char *text, const char *end)
{
	size_t len = (size_t)(end - text);
	if (len >= n)
		len = n - 1;
	memcpy(out, text, len);
	out[len] = '\0';
}

/* Writes the 12-hour time of day of a London-local second count. */
static char *format_clock(int64_t local, char *p)
{
	int64_t second_of_day = local - floor_div(local, DAY_SECONDS) * DAY_SECONDS;
	int hour = (int)(second_of_day / HOUR_SECONDS);
	int minute = (int)(second_of_day % HOUR_SECONDS / 60);
	int hour12 = hour % 12 == 0 ? 12 : hour % 12;
	p = put_int(p, hour12, 1);
	*p++ = ':';
	p = put_int(p, minute, 2);
	*p++ = hour < 12 ? 'a' : 'p';
	*p++ = 'm';
	return p;
}

void london_format_time(int64_t utc_seconds, char *out, size_t n)
{
	if (n == 0)
		return;
	char text[TEXT_MAX];
	char *end = format_clock(utc_seconds + london_offset_seconds(utc_seconds), text);
	put_out(out, n, text, end);
}

void london_format(int64_t utc_seconds, char *out, size_t n)
{
	if (n == 0)
		return;
	int64_t local = utc_seconds + london_offset_seconds(utc_seconds);
	struct civil_date d = civil_date_from_days(floor_div(local, DAY_SECONDS));
	char text[TEXT_MAX], *p = text;
	p = put_text(p, civil_date_weekday_name(civil_date_weekday(d)));
	*p++ = ' ';
	p = put_int(p, d.day, 1);
	*p++ = ' ';
	p = put_text(p, civil_date_month_name(d.month));
	*p++ = ' ';
	p = put_int(p, d.year, 1);
	*p++ = ',';
	*p++ = ' ';
	p = format_clock(local, p);
	put_out(out, n, text, p);
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
