#include "domain/civil_date.h"

#include <stdio.h>
#include <string.h>

/* Far longer than any date anyone types; stops pathological input early. */
#define CIVIL_DATE_TEXT_MAX 32

#define YEAR_MIN 1900
#define YEAR_MAX 2200

static const char *const month_names[12] = {
	"January", "February", "March",     "April",   "May",      "June",
	"July",    "August",   "September", "October", "November", "December",
};

static const char *const weekday_names[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
};

static int is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int civil_date_days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && is_leap(year))
		return 29;
	return days[month - 1];
}

int civil_date_valid(int year, int month, int day)
{
	return day >= 1 && day <= civil_date_days_in_month(year, month);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Reads up to max digits at *p into *value; returns how many were read. At most four
 * digits are accepted by callers, so the value cannot overflow. */
static int read_digits(const char **p, const char *end, int max, int *value)
{
	int n = 0, v = 0;
	while (*p < end && **p >= '0' && **p <= '9') {
		if (n == max)
			return max + 1;
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	*value = v;
	return n;
}

/* A separator is one of / - . or a run of spaces; both separators in a date must match so
 * "23/03-1989" is refused as a likely typo rather than guessed at. */
static int read_separator(const char **p, const char *end, char *sep)
{
	if (*p >= end)
		return -1;
	char c = **p;
	if (c != '/' && c != '-' && c != '.' && c != ' ')
		return -1;
	if (*sep != '\0' && c != *sep)
		return -1;
	*sep = c;
	(*p)++;
	if (c == ' ')
		while (*p < end && **p == ' ')
			(*p)++;
	return 0;
}

/* strlen that stops counting past max; strnlen is POSIX, not C17. */
static size_t bounded_len(const char *s, size_t max)
{
	size_t n = 0;
	while (n <= max && s[n] != '\0')
		n++;
	return n;
}

int civil_date_parse(const char *text, struct civil_date *out)
{
	if (text == NULL)
		return -1;
	size_t len = bounded_len(text, CIVIL_DATE_TEXT_MAX);
	if (len > CIVIL_DATE_TEXT_MAX)
		return -1;
	const char *p = text, *end = text + len;
	while (p < end && is_space(*p))
		p++;
	while (end > p && is_space(end[-1]))
		end--;

	int a, b, c, na, nb, nc;
	char sep = '\0';
	na = read_digits(&p, end, 4, &a);
	if (na == 0 || na > 4 || na == 3 || read_separator(&p, end, &sep) < 0)
		return -1;
	nb = read_digits(&p, end, 2, &b);
	if (nb == 0 || nb > 2 || read_separator(&p, end, &sep) < 0)
		return -1;
	nc = read_digits(&p, end, 4, &c);
	if (nc == 0 || nc > 4 || p != end)
		return -1;

	struct civil_date d;
	if (na == 4) {
		/* ISO order only with dashes, as a date input or another system would send it. */
		if (sep != '-' || nc > 2)
			return -1;
		d = (struct civil_date){a, b, c};
	} else {
		if (nc != 4)
			return -1;
		d = (struct civil_date){c, b, a};
	}
	if (d.year < YEAR_MIN || d.year > YEAR_MAX || !civil_date_valid(d.year, d.month, d.day))
		return -1;
	*out = d;
	return 0;
}

/* Howard Hinnant's days_from_civil: counts in 400-year eras starting on 1 March so the
 * leap day falls at the end of each year. */
int64_t civil_date_to_days(struct civil_date d)
{
	int64_t y = (int64_t)d.year - (d.month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = d.month > 2 ? d.month - 3 : d.month + 9;
	int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Hinnant's civil_from_days, the inverse of the above. */
struct civil_date civil_date_from_days(int64_t days)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	return (struct civil_date){(int)(y + (m <= 2)), (int)m, (int)d};
}

int civil_date_weekday(struct civil_date d)
{
	/* 1970-01-01 was a Thursday. */
	int64_t w = (civil_date_to_days(d) + 4) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

struct civil_date civil_date_add_months(struct civil_date d, int months)
{
	int64_t index = (int64_t)d.year * 12 + (d.month - 1) + months;
	int64_t year = index >= 0 ? index / 12 : (index - 11) / 12;
	struct civil_date r;
	r.year = (int)year;
	r.month = (int)(index - year * 12) + 1;
	int last = civil_date_days_in_month(r.year, r.month);
	r.day = d.day > last ? last : d.day;
	return r;
}

int civil_date_compare(struct civil_date a, struct civil_date b)
{
	if (a.year != b.year)
		return a.year < b.year ? -1 : 1;
	if (a.month != b.month)
		return a.month < b.month ? -1 : 1;
	if (a.day != b.day)
		return a.day < b.day ? -1 : 1;
	return 0;
}

/* Writes n decimal digits of v, zero-padded; the fixed-size formats below cannot then
 * overflow their 11 bytes whatever the fields hold. */
static void put_digits(char *out, int n, int v)
{
	unsigned u = v < 0 ? 0u : (unsigned)v;
	for (int i = n - 1; i >= 0; i--) {
		out[i] = (char)('0' + u % 10);
		u /= 10;
	}
}

void civil_date_iso(struct civil_date d, char out[11])
{
	put_digits(out, 4, d.year);
	out[4] = '-';
	put_digits(out + 5, 2, d.month);
	out[7] = '-';
	put_digits(out + 8, 2, d.day);
	out[10] = '\0';
}

void civil_date_uk(struct civil_date d, char out[11])
{
	put_digits(out, 2, d.day);
	out[2] = '/';
	put_digits(out + 3, 2, d.month);
	out[5] = '/';
	put_digits(out + 6, 4, d.year);
	out[10] = '\0';
}

void civil_date_long(struct civil_date d, char *out, size_t n)
{
	if (n == 0)
		return;
	snprintf(out, n, "%d %s %d", d.day, civil_date_month_name(d.month), d.year);
}

const char *civil_date_month_name(int month)
{
	if (month < 1 || month > 12)
		return "";
	return month_names[month - 1];
}

const char *civil_date_weekday_name(int weekday)
{
	if (weekday < 0 || weekday > 6)
		return "";
	return weekday_names[weekday];
}
