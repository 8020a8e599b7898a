/* Rules the Open Referral UK API and importer share. */
#include "domain/oruk.h"

#include <stdio.h>
#include <string.h>

#include "domain/civil_date.h"

void oruk_uuid_lower(const char *s, char out[ORUK_UUID_LEN + 1])
{
	for (int i = 0; i < ORUK_UUID_LEN; i++)
		out[i] = s[i] >= 'A' && s[i] <= 'F' ? (char)(s[i] - 'A' + 'a') : s[i];
	out[ORUK_UUID_LEN] = '\0';
}

/* n digits at s as a number, or -1 when any is not a digit. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int oruk_datetime_parse(const char *text, int date_alone, int64_t *utc)
{
	if (text == NULL)
		return -1;
	int y = digits(text, 4), mo = -1, d = -1;
	if (y >= 0 && text[4] == '-')
		mo = digits(text + 5, 2);
	if (mo >= 0 && text[7] == '-')
		d = digits(text + 8, 2);
	if (d < 0 || !civil_date_valid(y, mo, d))
		return -1;
	int64_t days = civil_date_to_days((struct civil_date){y, mo, d});
	if (text[10] == '\0') {
		if (!date_alone)
			return -1;
		*utc = days * 86400;
		return 0;
	}
	if (text[10] != 'T' && text[10] != 't')
		return -1;
	const char *t = text + 11;
	int h = digits(t, 2), mi = -1, se = -1;
	if (h >= 0 && t[2] == ':')
		mi = digits(t + 3, 2);
	if (mi >= 0 && t[5] == ':')
		se = digits(t + 6, 2);
	/* 60 is a leap second, which RFC 3339 allows; it counts as the next second. */
	if (se < 0 || h > 23 || mi > 59 || se > 60)
		return -1;
	const char *z = t + 8;
	if (*z == '.') {
		z++;
		int n = 0;
		while (*z >= '0' && *z <= '9' && n < 9) {
			z++;
			n++;
		}
		if (n == 0)
			return -1;
	}
	int offset_s = 0;
	if ((z[0] == 'Z' || z[0] == 'z') && z[1] == '\0') {
		offset_s = 0;
	} else if ((z[0] == '+' || z[0] == '-') && z[3] == ':' && z[6] == '\0') {
		int oh = digits(z + 1, 2), om = digits(z + 4, 2);
		if (oh < 0 || om < 0 || oh > 23 || om > 59)
			return -1;
		offset_s = (oh * 60 + om) * 60 * (z[0] == '-' ? -1 : 1);
	} else {
		return -1;
	}
	*utc = days * 86400 + h * 3600 + mi * 60 + se - offset_s;
	return 0;
}

void oruk_datetime_format(int64_t utc, char out[ORUK_DATETIME_MAX])
{
	int64_t days = utc / 86400, secs = utc % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	struct civil_date d = civil_date_from_days(days);
	/* Each field reduced to its width, so the text always fits. */
	snprintf(out, ORUK_DATETIME_MAX, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)d.year % 10000u,
		 (unsigned)d.month % 100u, (unsigned)d.day % 100u, (unsigned)(secs / 3600) % 100u,
		 (unsigned)(secs / 60 % 60), (unsigned)(secs % 60));
}

void oruk_page_make(int64_t total_items, int per_page, int64_t page, int64_t size,
		    struct oruk_page *out)
{
	out->total_items = total_items;
	out->total_pages = per_page > 0 ? (total_items + per_page - 1) / per_page : 0;
	out->page_number = page;
	out->size = size;
	out->first_page = page == 1;
	out->last_page = page >= out->total_pages;
	out->empty = size == 0;
}
