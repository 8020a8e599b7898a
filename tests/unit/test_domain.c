/* Unit tests for src/domain: dates, London time, hours rules, references, referrals. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/pool.h"
#include "domain/civil_date.h"
#include "domain/hours_rules.h"
#include "domain/london_time.h"
#include "domain/reference.h"
#include "domain/referral_rules.h"
#include "unit.h"

static struct civil_date date(int y, int m, int d)
{
	return (struct civil_date){y, m, d};
}

/* 1 if text parses to exactly y-m-d. */
static int parses_to(const char *text, int y, int m, int d)
{
	struct civil_date out = {0, 0, 0};
	return civil_date_parse(text, &out) == 0 && out.year == y && out.month == m && out.day == d;
}

static int rejects(const char *text)
{
	struct civil_date out = {7, 7, 7};
	return civil_date_parse(text, &out) == -1 && out.year == 7 && out.month == 7 &&
	       out.day == 7;
}

static void test_civil_date_parse(void)
{
	CHECK(parses_to("23/03/1989", 1989, 3, 23));
	CHECK(parses_to("23/3/1989", 1989, 3, 23));
	CHECK(parses_to("3/3/1989", 1989, 3, 3));
	CHECK(parses_to("23-03-1989", 1989, 3, 23));
	CHECK(parses_to("23.03.1989", 1989, 3, 23));
	CHECK(parses_to("23 3 1989", 1989, 3, 23));
	CHECK(parses_to("23 03 1989", 1989, 3, 23));
	CHECK(parses_to("23  3  1989", 1989, 3, 23));
	CHECK(parses_to("1989-03-23", 1989, 3, 23));
	CHECK(parses_to("1989-3-23", 1989, 3, 23));
	CHECK(parses_to("  23/03/1989\t", 1989, 3, 23));
	CHECK(parses_to(" 1989-03-23 ", 1989, 3, 23));
	CHECK(parses_to("01/01/1900", 1900, 1, 1));
	CHECK(parses_to("31/12/2200", 2200, 12, 31));

	/* Leap years: every fourth, not centuries, but every fourth century. */
	CHECK(parses_to("29/02/2024", 2024, 2, 29));
	CHECK(parses_to("29/02/2000", 2000, 2, 29));
	CHECK(rejects("29/02/2025"));
	CHECK(rejects("29/02/1900"));
	CHECK(rejects("29/02/2100"));
	CHECK(rejects("31/02/2026"));
	CHECK(rejects("30/02/2024"));
	CHECK(rejects("31/04/2026"));
	CHECK(rejects("31/06/2026"));
	CHECK(parses_to("31/07/2026", 2026, 7, 31));
	CHECK(rejects("00/01/2026"));
	CHECK(rejects("01/00/2026"));
	CHECK(rejects("01/13/2026"));
	CHECK(rejects("32/01/2026"));
	CHECK(rejects("2026-02-30"));

	/* Everything else. */
	CHECK(rejects(NULL));
	CHECK(rejects(""));
	CHECK(rejects("   "));
	CHECK(rejects("23/03/89"));
	CHECK(rejects("23/03/1899"));
	CHECK(rejects("01/01/2201"));
	CHECK(rejects("23/03/19890"));
	CHECK(rejects("123/03/1989"));
	CHECK(rejects("23/003/1989"));
	CHECK(rejects("23/03-1989"));
	CHECK(rejects("23//03/1989"));
	CHECK(rejects("23/03/1989x"));
	CHECK(rejects("23/03/1989 x"));
	CHECK(rejects("x23/03/1989"));
	CHECK(rejects("23/Mar/1989"));
	CHECK(rejects("twenty-third"));
	CHECK(rejects("1989/03/23"));
	CHECK(rejects("1989-03-2023"));
	CHECK(rejects("-1/03/1989"));
	CHECK(rejects("+1/03/1989"));
	CHECK(rejects("23/03"));
	CHECK(rejects("23/03/"));
	CHECK(rejects("99999999999999999999/1/2000"));
	CHECK(rejects("1/1/99999999999999999999"));
	CHECK(rejects("23/03/1989/1"));
	CHECK(rejects("23\n03\n1989"));
}

static void test_civil_date_arithmetic(void)
{
	CHECK_INT(civil_date_to_days(date(1970, 1, 1)), 0);
	CHECK_INT(civil_date_to_days(date(1969, 12, 31)), -1);
	CHECK_INT(civil_date_to_days(date(2000, 3, 1)), 11017);
	CHECK_INT(civil_date_to_days(date(1989, 3, 23)), 7021);
	CHECK_INT(civil_date_to_days(date(2026, 3, 29)), 20541);
	CHECK_INT(civil_date_to_days(date(2026, 10, 25)), 20751);

	/* Every day from 1600 to 2400 survives the round trip and follows the one before. */
	int round_trip_ok = 1;
	int64_t first = civil_date_to_days(date(1600, 1, 1));
	int64_t last = civil_date_to_days(date(2400, 12, 31));
	struct civil_date prev = civil_date_from_days(first - 1);
	for (int64_t z = first; z <= last; z++) {
		struct civil_date d = civil_date_from_days(z);
		if (!civil_date_valid(d.year, d.month, d.day) || civil_date_to_days(d) != z ||
		    civil_date_compare(prev, d) >= 0)
			round_trip_ok = 0;
		prev = d;
	}
	CHECK(round_trip_ok);

	CHECK(civil_date_valid(2024, 2, 29));
	CHECK(!civil_date_valid(2023, 2, 29));
	CHECK(!civil_date_valid(2026, 0, 1));
	CHECK(!civil_date_valid(2026, 1, 0));
	CHECK_INT(civil_date_days_in_month(2024, 2), 29);
	CHECK_INT(civil_date_days_in_month(2026, 2), 28);
	CHECK_INT(civil_date_days_in_month(2026, 13), 0);

	CHECK_INT(civil_date_weekday(date(2026, 3, 30)), 1);
	CHECK_INT(civil_date_weekday(date(2026, 3, 29)), 0);
	CHECK_INT(civil_date_weekday(date(1969, 12, 31)), 3);

	struct civil_date d = civil_date_add_months(date(2025, 11, 30), 3);
	CHECK(civil_date_compare(d, date(2026, 2, 28)) == 0);
	d = civil_date_add_months(date(2027, 11, 30), 3);
	CHECK(civil_date_compare(d, date(2028, 2, 29)) == 0);
	d = civil_date_add_months(date(2026, 1, 31), 1);
	CHECK(civil_date_compare(d, date(2026, 2, 28)) == 0);
	d = civil_date_add_months(date(2026, 8, 31), 1);
	CHECK(civil_date_compare(d, date(2026, 9, 30)) == 0);
	d = civil_date_add_months(date(2026, 3, 31), -1);
	CHECK(civil_date_compare(d, date(2026, 2, 28)) == 0);
	d = civil_date_add_months(date(2026, 12, 15), 1);
	CHECK(civil_date_compare(d, date(2027, 1, 15)) == 0);
	d = civil_date_add_months(date(2026, 1, 15), -1);
	CHECK(civil_date_compare(d, date(2025, 12, 15)) == 0);
	d = civil_date_add_months(date(2026, 3, 30), -60);
	CHECK(civil_date_compare(d, date(2021, 3, 30)) == 0);
	d = civil_date_add_months(date(2024, 2, 29), 12);
	CHECK(civil_date_compare(d, date(2025, 2, 28)) == 0);
	d = civil_date_add_months(date(2026, 5, 10), 0);
	CHECK(civil_date_compare(d, date(2026, 5, 10)) == 0);

	CHECK(civil_date_compare(date(2026, 1, 1), date(2025, 12, 31)) > 0);
	CHECK(civil_date_compare(date(2026, 1, 1), date(2026, 1, 2)) < 0);
	CHECK(civil_date_compare(date(2026, 2, 1), date(2026, 1, 31)) > 0);
	CHECK_INT(civil_date_compare(date(2026, 1, 1), date(2026, 1, 1)), 0);
}

static void test_civil_date_format(void)
{
	char s[11], l[CIVIL_DATE_LONG_MAX];
	civil_date_iso(date(1989, 3, 23), s);
	CHECK_STR(s, "1989-03-23");
	civil_date_uk(date(1989, 3, 23), s);
	CHECK_STR(s, "23/03/1989");
	civil_date_uk(date(2026, 1, 5), s);
	CHECK_STR(s, "05/01/2026");
	civil_date_long(date(1989, 3, 23), l, sizeof(l));
	CHECK_STR(l, "23 March 1989");
	civil_date_long(date(2026, 9, 1), l, sizeof(l));
	CHECK_STR(l, "1 September 2026");
	civil_date_long(date(2026, 9, 1), l, 6);
	CHECK_STR(l, "1 Sep");
	CHECK_STR(civil_date_month_name(12), "December");
	CHECK_STR(civil_date_month_name(0), "");
	CHECK_STR(civil_date_weekday_name(0), "Sunday");
}

/* UTC seconds of a UTC wall time. */
static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
	return civil_date_to_days(date(y, mo, d)) * 86400 + h * 3600 + mi * 60 + s;
}

static void test_london_offsets(void)
{
	/* Spring forward: 01:00 UTC on Sunday 29 March 2026. */
	CHECK_INT(london_offset_seconds(utc(2026, 3, 29, 0, 59, 59)), 0);
	CHECK_INT(london_offset_seconds(utc(2026, 3, 29, 1, 0, 0)), 3600);
	CHECK_INT(london_offset_seconds(utc(2026, 3, 28, 12, 0, 0)), 0);
	/* Fall back: 01:00 UTC on Sunday 25 October 2026. */
	CHECK_INT(london_offset_seconds(utc(2026, 10, 25, 0, 59, 59)), 3600);
	CHECK_INT(london_offset_seconds(utc(2026, 10, 25, 1, 0, 0)), 0);
	CHECK_INT(london_offset_seconds(utc(2026, 7, 1, 12, 0, 0)), 3600);
	CHECK_INT(london_offset_seconds(utc(2026, 12, 31, 23, 59, 59)), 0);
	CHECK_INT(london_offset_seconds(utc(2026, 1, 1, 0, 0, 0)), 0);
	/* Other years, including one where the last Sunday is the 31st. */
	CHECK_INT(london_offset_seconds(utc(2024, 3, 31, 0, 59, 59)), 0);
	CHECK_INT(london_offset_seconds(utc(2024, 3, 31, 1, 0, 0)), 3600);
	CHECK_INT(london_offset_seconds(utc(2027, 3, 28, 1, 0, 0)), 3600);
	CHECK_INT(london_offset_seconds(utc(2027, 10, 31, 0, 59, 59)), 3600);
	CHECK_INT(london_offset_seconds(utc(2027, 10, 31, 1, 0, 0)), 0);

	struct civil_date d = london_date(utc(2026, 6, 30, 23, 30, 0));
	CHECK(civil_date_compare(d, date(2026, 7, 1)) == 0);
	d = london_date(utc(2026, 12, 31, 23, 30, 0));
	CHECK(civil_date_compare(d, date(2026, 12, 31)) == 0);
	d = london_date(utc(2026, 3, 28, 23, 59, 59));
	CHECK(civil_date_compare(d, date(2026, 3, 28)) == 0);
	d = london_date(utc(1969, 12, 31, 23, 0, 0));
	CHECK(civil_date_compare(d, date(1969, 12, 31)) == 0);
}

static void test_london_format(void)
{
	char s[LONDON_FORMAT_MAX], t[LONDON_TIME_MAX];
	london_format(utc(2026, 3, 30, 17, 0, 0), s, sizeof(s));
	CHECK_STR(s, "Monday 30 March 2026, 6:00pm");
	london_format(utc(2026, 1, 5, 12, 0, 0), s, sizeof(s));
	CHECK_STR(s, "Monday 5 January 2026, 12:00pm");
	london_format(utc(2026, 1, 5, 0, 0, 0), s, sizeof(s));
	CHECK_STR(s, "Monday 5 January 2026, 12:00am");
	/* Midnight in summer is 23:00 UTC the day before. */
	london_format(utc(2026, 6, 30, 23, 0, 0), s, sizeof(s));
	CHECK_STR(s, "Wednesday 1 July 2026, 12:00am");
	london_format(utc(2026, 9, 30, 11, 5, 0), s, sizeof(s));
	CHECK_STR(s, "Wednesday 30 September 2026, 12:05pm");
	london_format(utc(2026, 10, 25, 0, 30, 0), s, sizeof(s));
	CHECK_STR(s, "Sunday 25 October 2026, 1:30am");
	london_format(utc(2026, 10, 25, 1, 30, 0), s, sizeof(s));
	CHECK_STR(s, "Sunday 25 October 2026, 1:30am");
	london_format(utc(2026, 3, 30, 17, 0, 0), s, 7);
	CHECK_STR(s, "Monday");

	london_format_time(utc(2026, 3, 30, 17, 0, 0), t, sizeof(t));
	CHECK_STR(t, "6:00pm");
	london_format_time(utc(2026, 1, 5, 12, 0, 0), t, sizeof(t));
	CHECK_STR(t, "12:00pm");
	london_format_time(utc(2026, 1, 5, 0, 0, 0), t, sizeof(t));
	CHECK_STR(t, "12:00am");
	london_format_time(utc(2026, 1, 5, 0, 59, 59), t, sizeof(t));
	CHECK_STR(t, "12:59am");
	london_format_time(utc(2026, 1, 5, 11, 59, 0), t, sizeof(t));
	CHECK_STR(t, "11:59am");
	london_format_time(utc(2026, 1, 5, 23, 9, 0), t, sizeof(t));
	CHECK_STR(t, "11:09pm");
	london_format_time(utc(2026, 1, 5, 13, 0, 0), t, sizeof(t));
	CHECK_STR(t, "1:00pm");
}

static void test_london_to_utc(void)
{
	int64_t u = 0;
	/* The spring gap: 01:00-01:59 on 29 March 2026 never happens in London. */
	CHECK_INT(london_to_utc(date(2026, 3, 29), 0, 59, &u), 0);
	CHECK_INT(u, utc(2026, 3, 29, 0, 59, 0));
	CHECK_INT(london_to_utc(date(2026, 3, 29), 1, 0, &u), -1);
	CHECK_INT(london_to_utc(date(2026, 3, 29), 1, 30, &u), -1);
	CHECK_INT(london_to_utc(date(2026, 3, 29), 1, 59, &u), -1);
	CHECK_INT(london_to_utc(date(2026, 3, 29), 2, 0, &u), 0);
	CHECK_INT(u, utc(2026, 3, 29, 1, 0, 0));
	CHECK_INT(london_to_utc(date(2026, 3, 30), 18, 0, &u), 0);
	CHECK_INT(u, utc(2026, 3, 30, 17, 0, 0));

	/* The repeated autumn hour: 01:00-01:59 on 25 October 2026 happens twice; the first
	 * (BST) one is chosen. */
	CHECK_INT(london_to_utc(date(2026, 10, 25), 0, 59, &u), 0);
	CHECK_INT(u, utc(2026, 10, 24, 23, 59, 0));
	CHECK_INT(london_to_utc(date(2026, 10, 25), 1, 0, &u), 0);
	CHECK_INT(u, utc(2026, 10, 25, 0, 0, 0));
	CHECK_INT(london_to_utc(date(2026, 10, 25), 1, 30, &u), 0);
	CHECK_INT(u, utc(2026, 10, 25, 0, 30, 0));
	CHECK_INT(london_to_utc(date(2026, 10, 25), 1, 59, &u), 0);
	CHECK_INT(u, utc(2026, 10, 25, 0, 59, 0));
	CHECK_INT(london_to_utc(date(2026, 10, 25), 2, 0, &u), 0);
	CHECK_INT(u, utc(2026, 10, 25, 2, 0, 0));
	CHECK_INT(london_to_utc(date(2026, 1, 5), 0, 0, &u), 0);
	CHECK_INT(u, utc(2026, 1, 5, 0, 0, 0));

	CHECK_INT(london_to_utc(date(2026, 1, 5), 24, 0, &u), -1);
	CHECK_INT(london_to_utc(date(2026, 1, 5), -1, 0, &u), -1);
	CHECK_INT(london_to_utc(date(2026, 1, 5), 10, 60, &u), -1);
	CHECK_INT(london_to_utc(date(2026, 2, 30), 10, 0, &u), -1);

	/* Every minute of both change days converts back to the wall time it came from. */
	int consistent = 1;
	for (int64_t t = utc(2026, 3, 28, 0, 0, 0); t < utc(2026, 3, 31, 0, 0, 0); t += 60)
		if (london_to_utc(london_date(t),
				  (int)((t + london_offset_seconds(t)) % 86400 / 3600),
				  (int)((t + london_offset_seconds(t)) % 3600 / 60), &u) != 0 ||
		    u != t)
			consistent = 0;
	CHECK(consistent);
	int first_wins = 1;
	for (int64_t t = utc(2026, 10, 24, 0, 0, 0); t < utc(2026, 10, 27, 0, 0, 0); t += 60) {
		int64_t local = t + london_offset_seconds(t);
		if (london_to_utc(london_date(t), (int)(local % 86400 / 3600),
				  (int)(local % 3600 / 60), &u) != 0)
			first_wins = 0;
		/* In the repeated hour the GMT instant maps back to the BST one, an hour
		 * earlier; everywhere else the round trip is exact. */
		else if (u != t && !(t >= utc(2026, 10, 25, 1, 0, 0) &&
				     t < utc(2026, 10, 25, 2, 0, 0) && u == t - 3600))
			first_wins = 0;
	}
	CHECK(first_wins);
}

static void test_hours_rules(void)
{
	CHECK_INT(hours_rules_level(0), 0);
	CHECK_INT(hours_rules_level(19), 0);
	CHECK_INT(hours_rules_level(20), 1);
	CHECK_INT(hours_rules_level(100), 1);
	CHECK_INT(hours_rules_level(101), 2);
	CHECK_INT(hours_rules_level(300), 2);
	CHECK_INT(hours_rules_level(301), 0);
	CHECK_INT(hours_rules_level(-20), 0);

	CHECK_INT(hours_rules_activity_cap(20, 30), 6);
	CHECK_INT(hours_rules_activity_cap(100, 30), 30);
	CHECK_INT(hours_rules_activity_cap(101, 30), 30);
	CHECK_INT(hours_rules_activity_cap(300, 30), 90);
	CHECK_INT(hours_rules_activity_cap(33, 30), 9);
	CHECK_INT(hours_rules_activity_cap(120, 30), 36);
	CHECK_INT(hours_rules_activity_cap(120, 0), 0);
	CHECK_INT(hours_rules_activity_cap(120, 100), 120);
	CHECK_INT(hours_rules_activity_cap(-1, 30), 0);
	CHECK_INT(hours_rules_activity_cap(300, -5), 0);

	struct civil_date d = hours_rules_default_complete_by(date(2026, 3, 2), 20);
	CHECK(civil_date_compare(d, date(2026, 6, 2)) == 0);
	d = hours_rules_default_complete_by(date(2026, 3, 2), 100);
	CHECK(civil_date_compare(d, date(2026, 6, 2)) == 0);
	d = hours_rules_default_complete_by(date(2026, 3, 2), 101);
	CHECK(civil_date_compare(d, date(2026, 9, 2)) == 0);
	d = hours_rules_default_complete_by(date(2026, 3, 2), 300);
	CHECK(civil_date_compare(d, date(2026, 9, 2)) == 0);
	d = hours_rules_default_complete_by(date(2025, 11, 30), 50);
	CHECK(civil_date_compare(d, date(2026, 2, 28)) == 0);
	d = hours_rules_default_complete_by(date(2027, 8, 31), 200);
	CHECK(civil_date_compare(d, date(2028, 2, 29)) == 0);
	d = hours_rules_default_complete_by(date(2026, 12, 31), 200);
	CHECK(civil_date_compare(d, date(2027, 6, 30)) == 0);
}

/* 1 if s is prefix-XXXX-XXXX with only alphabet characters after the prefix. */
static int well_formed(const char *s, const char *prefix)
{
	size_t plen = strlen(prefix);
	if (strlen(s) != plen + 10 || strncmp(s, prefix, plen) != 0 || s[plen] != '-' ||
	    s[plen + 5] != '-')
		return 0;
	for (size_t i = plen + 1; i < plen + 10; i++) {
		if (i == plen + 5)
			continue;
		if (strchr(REFERENCE_ALPHABET, s[i]) == NULL || strchr("0O1IL", s[i]) != NULL)
			return 0;
	}
	return 1;
}

static void test_reference(void)
{
	CHECK_INT(strlen(REFERENCE_ALPHABET), 31);
	CHECK(strpbrk(REFERENCE_ALPHABET, "0O1IL") == NULL);

	char r[REFERENCE_MAX], n[REFERENCE_MAX];
	const unsigned char zeros[8] = {0};
	reference_format(zeros, "R", r, sizeof(r));
	CHECK_STR(r, "R-2222-2222");
	const unsigned char ones[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	reference_format(ones, "R", r, sizeof(r));
	CHECK(well_formed(r, "R"));

	/* Many pseudo-random inputs: all well formed, every character used, and each one
	 * read back through normalise from the ways people type it. */
	uint64_t state = 0x9e3779b97f4a7c15u;
	int all_ok = 1, seen[256] = {0};
	for (int i = 0; i < 20000; i++) {
		unsigned char bytes[8];
		for (int k = 0; k < 8; k++) {
			state = state * 6364136223846793005u + 1442695040888963407u;
			bytes[k] = (unsigned char)(state >> 56);
		}
		reference_format(bytes, "R", r, sizeof(r));
		if (!well_formed(r, "R"))
			all_ok = 0;
		for (const char *p = r + 2; *p; p++)
			seen[(unsigned char)*p] = 1;

		char typed[32];
		size_t t = 0;
		for (const char *p = r; *p; p++)
			if (*p != '-')
				typed[t++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		typed[t] = '\0';
		if (reference_normalise(typed, "R", n, sizeof(n)) != 0 || strcmp(n, r) != 0)
			all_ok = 0;
		if (reference_normalise(typed + 1, "R", n, sizeof(n)) != 0 || strcmp(n, r) != 0)
			all_ok = 0;
		if (reference_normalise(r, "R", n, sizeof(n)) != 0 || strcmp(n, r) != 0)
			all_ok = 0;
	}
	CHECK(all_ok);
	int all_used = 1;
	for (const char *a = REFERENCE_ALPHABET; *a; a++)
		if (!seen[(unsigned char)*a])
			all_used = 0;
	CHECK(all_used);

	CHECK_INT(reference_normalise("r-7k3m-9qxt", "R", n, sizeof(n)), 0);
	CHECK_STR(n, "R-7K3M-9QXT");
	CHECK_INT(reference_normalise("  R 7K3M 9QXT ", "R", n, sizeof(n)), 0);
	CHECK_STR(n, "R-7K3M-9QXT");
	CHECK_INT(reference_normalise("7k3m9qxt", "R", n, sizeof(n)), 0);
	CHECK_STR(n, "R-7K3M-9QXT");
	CHECK_INT(reference_normalise("ord-7k3m-9qxt", "ORD", n, sizeof(n)), 0);
	CHECK_STR(n, "ORD-7K3M-9QXT");
	CHECK_INT(reference_normalise("7k3m-9qxt", "", n, sizeof(n)), 0);
	CHECK_STR(n, "7K3M-9QXT");

	CHECK_INT(reference_normalise("R-7K3M-9QX0", "R", n, sizeof(n)), -1);
	CHECK_STR(n, "");
	CHECK_INT(reference_normalise("R-7K3M-9QXO", "R", n, sizeof(n)), -1);
	CHECK_INT(reference_normalise("R-7K3M-9QX1", "R", n, sizeof(n)), -1);
	CHECK_INT(reference_normalise("R-7K3M-9QXI", "R", n, sizeof(n)), -1);
	CHECK_INT(reference_normalise("R-7K3M-9QXL", "R", n, sizeof(n)), -1);
	CHECK_INT(reference_normalise("R-7K3M-9QX", "R", n, sizeof(n)), -1);
	CHECK_INT(reference_normalise("r 7k3m 9qx", "R", n, sizeof(n)), -1);
	CHECK_INT(reference_normalise("R-7K3M-9QXTT", "R", n, sizeof(n)), -1);
	/* Without a separator an R may be the reference's own first character. */
	CHECK_INT(reference_normalise("R7K3M9QX", "R", n, sizeof(n)), 0);
	CHECK_STR(n, "R-R7K3-M9QX");
	CHECK_INT(reference_normalise("X-7K3M-9QXT", "R", n, sizeof(n)), -1);
	CHECK_INT(reference_normalise("R-7K3M-9QX!", "R", n, sizeof(n)), -1);
	CHECK_INT(reference_normalise("R-7K3M-9Q\xc3\xa9", "R", n, sizeof(n)), -1);
	CHECK_INT(reference_normalise("", "R", n, sizeof(n)), -1);
	CHECK_INT(reference_normalise(NULL, "R", n, sizeof(n)), -1);
	CHECK_INT(reference_normalise("R-7K3M-9QXT", "R", n, 11), -1);
	CHECK_INT(reference_normalise("R-7K3M-9QXT", "R", n, 12), 0);
	reference_format(zeros, "R", r, 11);
	CHECK_STR(r, "");
}

/* A referral that passes, checked on Monday 30 March 2026. */
static struct referral_fields good_referral(void)
{
	struct referral_fields f = {
		.first_name = "  Jamie ",
		.last_name = "O'Neill",
		.date_of_birth = "23/03/1989",
		.email = " jamie@example.com ",
		.mobile = "+44 7700 900982",
		.case_reference = "",
		.order_reference = "CPO/2026/0042",
		.order_date = "02/03/2026",
		.unpaid_hours = "120",
		.activity_hours = "",
		.complete_by = "",
		.access_needs = NULL,
		.group_notes = "  ",
		.consent = "yes",
	};
	return f;
}

static const struct civil_date today = {2026, 3, 30};

struct outcome {
	int rc;
	size_t count;
	struct field_error errors[REFERRAL_MAX_ERRORS];
	struct referral_valid valid;
};

static struct outcome run(struct pool *pool, const struct referral_fields *f)
{
	struct outcome o;
	memset(&o, 0, sizeof(o));
	o.rc = referral_rules_check(pool, f, 30, today, &o.valid, o.errors, REFERRAL_MAX_ERRORS,
				    &o.count);
	return o;
}

/* 1 if the referral fails with exactly one error, on field with message. */
static int fails_with(struct pool *pool, const struct referral_fields *f, const char *field,
		      const char *message)
{
	struct outcome o = run(pool, f);
	if (o.rc != -1 || o.count != 1 || strcmp(o.errors[0].field, field) != 0 ||
	    strcmp(o.errors[0].message, message) != 0) {
		fprintf(stderr, "  got rc %d, %zu errors", o.rc, o.count);
		if (o.count > 0)
			fprintf(stderr, ", first %s: %s", o.errors[0].field, o.errors[0].message);
		fprintf(stderr, "\n");
		return 0;
	}
	return 1;
}

static int passes(struct pool *pool, const struct referral_fields *f)
{
	struct outcome o = run(pool, f);
	if (o.rc != 0 || o.count != 0) {
		fprintf(stderr, "  got rc %d, %zu errors, first %s: %s\n", o.rc, o.count,
			o.count ? o.errors[0].field : "", o.count ? o.errors[0].message : "");
		return 0;
	}
	return 1;
}

static void test_referral_valid(struct pool *pool)
{
	struct referral_fields f = good_referral();
	struct outcome o = run(pool, &f);
	CHECK_INT(o.rc, 0);
	CHECK_INT(o.count, 0);
	CHECK_STR(o.valid.first_name, "Jamie");
	CHECK_STR(o.valid.last_name, "O'Neill");
	CHECK_STR(o.valid.email, "jamie@example.com");
	CHECK_STR(o.valid.mobile, "07700900982");
	CHECK(o.valid.case_reference == NULL);
	CHECK_STR(o.valid.order_reference, "CPO/2026/0042");
	CHECK(o.valid.access_needs == NULL);
	CHECK(o.valid.group_notes == NULL);
	CHECK(civil_date_compare(o.valid.dob, date(1989, 3, 23)) == 0);
	CHECK(civil_date_compare(o.valid.order_date, date(2026, 3, 2)) == 0);
	CHECK_INT(o.valid.unpaid_hours, 120);
	CHECK_INT(o.valid.level, 2);
	CHECK_INT(o.valid.activity_hours, 36);
	CHECK(civil_date_compare(o.valid.complete_by, date(2026, 9, 2)) == 0);

	/* Level 1 defaults, trimmed hours, entered values kept, email alone. */
	f.unpaid_hours = " 20 ";
	f.mobile = "";
	f.case_reference = " CF-1234 ";
	f.access_needs = "Needs a hearing loop";
	o = run(pool, &f);
	CHECK_INT(o.rc, 0);
	CHECK_INT(o.valid.level, 1);
	CHECK_INT(o.valid.activity_hours, 6);
	CHECK(civil_date_compare(o.valid.complete_by, date(2026, 6, 2)) == 0);
	CHECK(o.valid.mobile == NULL);
	CHECK_STR(o.valid.case_reference, "CF-1234");
	CHECK_STR(o.valid.access_needs, "Needs a hearing loop");

	f = good_referral();
	f.email = NULL;
	f.mobile = "07700 900 982";
	f.activity_hours = "10";
	f.complete_by = "1/12/2026";
	o = run(pool, &f);
	CHECK_INT(o.rc, 0);
	CHECK(o.valid.email == NULL);
	CHECK_STR(o.valid.mobile, "07700900982");
	CHECK_INT(o.valid.activity_hours, 10);
	CHECK(civil_date_compare(o.valid.complete_by, date(2026, 12, 1)) == 0);

	/* Markup is just text here; escaping is the template's job. */
	f = good_referral();
	f.first_name = "<script>alert(1)</script>";
	f.group_notes = "\"><img src=x onerror=alert(1)>";
	o = run(pool, &f);
	CHECK_INT(o.rc, 0);
	CHECK_STR(o.valid.first_name, "<script>alert(1)</script>");
	CHECK_STR(o.valid.group_notes, "\"><img src=x onerror=alert(1)>");

	/* Boundaries that pass. */
	f = good_referral();
	f.unpaid_hours = "300";
	f.activity_hours = "90";
	CHECK(passes(pool, &f));
	f.unpaid_hours = "100";
	f.activity_hours = "30";
	CHECK(passes(pool, &f));
	f.activity_hours = "1";
	CHECK(passes(pool, &f));
	f = good_referral();
	f.order_date = "30/03/2026";
	CHECK(passes(pool, &f));
	f.order_date = "30/03/2021";
	CHECK(passes(pool, &f));
	f.order_date = "2026-03-02";
	f.complete_by = "03/03/2026";
	CHECK(passes(pool, &f));
	f = good_referral();
	f.date_of_birth = "30/03/2014";
	CHECK(passes(pool, &f));
	f.date_of_birth = "30/03/1906";
	CHECK(passes(pool, &f));
	f = good_referral();
	f.email = "a.b+c@mail.example.co.uk";
	CHECK(passes(pool, &f));
}

/* Someone born on 29 February turns 12 on 1 March in a common year and on 29 February in
 * a leap year. */
static void test_referral_leap_birthday(struct pool *pool)
{
	struct referral_fields f = good_referral();
	f.date_of_birth = "29/02/2012";
	f.order_date = "01/01/2023";
	struct civil_date days[] = {date(2024, 2, 28), date(2024, 2, 29), date(2025, 2, 28),
				    date(2023, 3, 1), date(2023, 2, 28)};
	int expected[] = {-1, 0, 0, -1, -1};
	for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
		struct field_error errors[REFERRAL_MAX_ERRORS];
		struct referral_valid v;
		size_t count = 0;
		int rc = referral_rules_check(pool, &f, 30, days[i], &v, errors,
					      REFERRAL_MAX_ERRORS, &count);
		CHECK_INT(rc, expected[i]);
		if (rc == -1) {
			CHECK_INT(count, 1);
			CHECK_STR(errors[0].message, "The client must be at least 12 years old");
		}
	}
}

static void test_referral_errors(struct pool *pool)
{
	struct referral_fields f;
	char long_name[202], max_name[201], long_notes[2002];

	f = good_referral();
	f.first_name = "   ";
	CHECK(fails_with(pool, &f, "first_name", "Enter the client's first name"));
	f = good_referral();
	f.last_name = NULL;
	CHECK(fails_with(pool, &f, "last_name", "Enter the client's last name"));
	memset(long_name, 'a', 101);
	long_name[101] = '\0';
	f = good_referral();
	f.first_name = long_name;
	CHECK(fails_with(pool, &f, "first_name", "First name must be 100 characters or fewer"));
	f = good_referral();
	f.last_name = long_name;
	CHECK(fails_with(pool, &f, "last_name", "Last name must be 100 characters or fewer"));
	long_name[100] = '\0';
	CHECK(passes(pool, &f));
	/* Length is in characters: 100 two-byte letters are fine, 101 are not. */
	for (int i = 0; i < 100; i++)
		memcpy(max_name + 2 * i, "\xc3\xa9", 2);
	max_name[200] = '\0';
	f.last_name = max_name;
	CHECK(passes(pool, &f));
	memcpy(long_name, max_name, 200);
	long_name[200] = 'e';
	long_name[201] = '\0';
	f.last_name = long_name;
	CHECK(fails_with(pool, &f, "last_name", "Last name must be 100 characters or fewer"));

	f = good_referral();
	f.date_of_birth = "";
	CHECK(fails_with(pool, &f, "date_of_birth", "Enter the client's date of birth"));
	f.date_of_birth = "31/02/2026";
	CHECK(fails_with(pool, &f, "date_of_birth",
			 "Enter a real date of birth, for example 23/03/1989"));
	f.date_of_birth = "23/03/89";
	CHECK(fails_with(pool, &f, "date_of_birth",
			 "Enter a real date of birth, for example 23/03/1989"));
	f.date_of_birth = "30/03/2026";
	CHECK(fails_with(pool, &f, "date_of_birth", "Date of birth must be in the past"));
	f.date_of_birth = "01/01/2030";
	CHECK(fails_with(pool, &f, "date_of_birth", "Date of birth must be in the past"));
	f.date_of_birth = "31/03/2014";
	CHECK(fails_with(pool, &f, "date_of_birth", "The client must be at least 12 years old"));
	f.date_of_birth = "29/03/1905";
	CHECK(fails_with(pool, &f, "date_of_birth", "The client must be 120 years old or younger"));

	f = good_referral();
	f.email = " ";
	f.mobile = NULL;
	CHECK(fails_with(pool, &f, "email", "Enter an email address or a mobile number"));
	static const char *const bad_emails[] = {
		"jamie",
		"jamie@",
		"@example.com",
		"jamie@example",
		"jamie@@example.com",
		"ja mie@example.com",
		"jamie@example.com.",
		"jamie@.example.com",
		"jamie@example..com",
		"a@b@example.com",
		"Jamie <jamie@example.com>",
		"jamie@example.com,x@example.com",
		"jamie@exa\nmple.com",
	};
	f = good_referral();
	for (size_t i = 0; i < sizeof(bad_emails) / sizeof(bad_emails[0]); i++) {
		f.email = bad_emails[i];
		if (!fails_with(pool, &f, "email",
				"Enter an email address in the correct format, like "
				"name@example.com")) {
			fprintf(stderr, "  for email \"%s\"\n", bad_emails[i]);
			CHECK(0);
		}
	}
	char long_email[300];
	memset(long_email, 'a', 255);
	memcpy(long_email + 255 - 12, "@example.com", 12);
	long_email[255] = '\0';
	f.email = long_email;
	CHECK(fails_with(pool, &f, "email", "Email address must be 254 characters or fewer"));
	f.email = long_email + 1;
	CHECK(passes(pool, &f));

	static const char *const bad_mobiles[] = {
		"0123",           "01234 567890",     "07700 90098",
		"077009009821",   "+44 07700 900982", "447700900982",
		"07700-900982",   "07700 900982 ext", "+1 555 0100",
		"++447700900982", "07700+900982",
	};
	f = good_referral();
	for (size_t i = 0; i < sizeof(bad_mobiles) / sizeof(bad_mobiles[0]); i++) {
		f.mobile = bad_mobiles[i];
		if (!fails_with(pool, &f, "mobile",
				"Enter a UK mobile number, like 07700 900982 or +44 7700 900982")) {
			fprintf(stderr, "  for mobile \"%s\"\n", bad_mobiles[i]);
			CHECK(0);
		}
	}
	f.mobile = "0123";
	CHECK(fails_with(pool, &f, "mobile",
			 "Enter a UK mobile number, like 07700 900982 or +44 7700 900982"));

	f = good_referral();
	memset(long_name, 'x', 51);
	long_name[51] = '\0';
	f.case_reference = long_name;
	CHECK(fails_with(pool, &f, "case_reference",
			 "Case reference must be 50 characters or fewer"));
	f = good_referral();
	f.order_reference = long_name;
	CHECK(fails_with(pool, &f, "order_reference",
			 "Court order reference must be 50 characters or fewer"));
	long_name[50] = '\0';
	CHECK(passes(pool, &f));
	f.order_reference = "";
	CHECK(fails_with(pool, &f, "order_reference", "Enter the court order reference"));

	f = good_referral();
	f.order_date = NULL;
	CHECK(fails_with(pool, &f, "order_date", "Enter the date the order was imposed"));
	f.order_date = "31/02/2026";
	CHECK(fails_with(pool, &f, "order_date",
			 "Enter a real date the order was imposed, for example 30/03/2026"));
	f.order_date = "31/03/2026";
	CHECK(fails_with(pool, &f, "order_date",
			 "The date the order was imposed must be today or in the past"));
	f.order_date = "29/03/2021";
	CHECK(fails_with(pool, &f, "order_date",
			 "The date the order was imposed must be within the last 5 years"));

	static const char *const not_numbers[] = {"abc", "20.5", "+20", "020",
						  "2 0", "1e2",  "-",   "20h"};
	f = good_referral();
	for (size_t i = 0; i < sizeof(not_numbers) / sizeof(not_numbers[0]); i++) {
		f.unpaid_hours = not_numbers[i];
		if (!fails_with(pool, &f, "unpaid_hours",
				"Unpaid work hours must be a whole number, like 120")) {
			fprintf(stderr, "  for hours \"%s\"\n", not_numbers[i]);
			CHECK(0);
		}
	}
	static const char *const out_of_range[] = {"0", "19", "301", "-5", "99999999999999999999"};
	for (size_t i = 0; i < sizeof(out_of_range) / sizeof(out_of_range[0]); i++) {
		f.unpaid_hours = out_of_range[i];
		if (!fails_with(pool, &f, "unpaid_hours",
				"Unpaid work hours must be between 20 and 300")) {
			fprintf(stderr, "  for hours \"%s\"\n", out_of_range[i]);
			CHECK(0);
		}
	}
	f.unpaid_hours = "0";
	CHECK(fails_with(pool, &f, "unpaid_hours", "Unpaid work hours must be between 20 and 300"));
	f.unpaid_hours = "301";
	CHECK(fails_with(pool, &f, "unpaid_hours", "Unpaid work hours must be between 20 and 300"));
	f.unpaid_hours = "abc";
	CHECK(fails_with(pool, &f, "unpaid_hours",
			 "Unpaid work hours must be a whole number, like 120"));
	f.unpaid_hours = "";
	CHECK(fails_with(pool, &f, "unpaid_hours", "Enter the unpaid work hours imposed"));

	f = good_referral();
	f.unpaid_hours = "100";
	f.activity_hours = "31";
	CHECK(fails_with(
		pool, &f, "activity_hours",
		"Other activity hours must be 30 or fewer (30% of the unpaid work hours)"));
	f.unpaid_hours = "120";
	f.activity_hours = "37";
	CHECK(fails_with(
		pool, &f, "activity_hours",
		"Other activity hours must be 36 or fewer (30% of the unpaid work hours)"));
	f.activity_hours = "0";
	CHECK(fails_with(pool, &f, "activity_hours", "Other activity hours must be 1 or more"));
	f.activity_hours = "ten";
	CHECK(fails_with(pool, &f, "activity_hours",
			 "Other activity hours must be a whole number, like 36"));
	/* A cap of 1% leaves nothing for a 20-hour order. */
	f = good_referral();
	f.unpaid_hours = "20";
	struct outcome o;
	memset(&o, 0, sizeof(o));
	o.rc = referral_rules_check(pool, &f, 1, today, &o.valid, o.errors, REFERRAL_MAX_ERRORS,
				    &o.count);
	CHECK_INT(o.rc, -1);
	CHECK_INT(o.count, 1);
	CHECK_STR(o.errors[0].field, "activity_hours");

	f = good_referral();
	f.complete_by = "31/02/2026";
	CHECK(fails_with(
		pool, &f, "complete_by",
		"Enter a real date the order must be completed by, for example 30/06/2026"));
	f.complete_by = "02/03/2026";
	CHECK(fails_with(pool, &f, "complete_by",
			 "The completion date must be after the date the order was imposed"));
	f.complete_by = "01/01/2026";
	CHECK(fails_with(pool, &f, "complete_by",
			 "The completion date must be after the date the order was imposed"));

	f = good_referral();
	memset(long_notes, 'n', 2001);
	long_notes[2001] = '\0';
	f.access_needs = long_notes;
	CHECK(fails_with(pool, &f, "access_needs",
			 "Access needs must be 2000 characters or fewer"));
	f = good_referral();
	f.group_notes = long_notes;
	CHECK(fails_with(pool, &f, "group_notes",
			 "Information about group participation must be 2000 characters or fewer"));
	long_notes[2000] = '\0';
	CHECK(passes(pool, &f));

	f = good_referral();
	f.consent = NULL;
	CHECK(fails_with(pool, &f, "consent", "Confirm that the client has agreed to be referred"));
	f.consent = "no";
	CHECK(fails_with(pool, &f, "consent", "Confirm that the client has agreed to be referred"));
	f.consent = "YES";
	CHECK(fails_with(pool, &f, "consent", "Confirm that the client has agreed to be referred"));
}

static void test_referral_empty_form(struct pool *pool)
{
	struct referral_fields f;
	memset(&f, 0, sizeof(f));
	struct outcome o = run(pool, &f);
	static const char *const expected[] = {
		"first_name",      "last_name",  "date_of_birth", "email",
		"order_reference", "order_date", "unpaid_hours",  "consent",
	};
	CHECK_INT(o.rc, -1);
	CHECK_INT(o.count, sizeof(expected) / sizeof(expected[0]));
	for (size_t i = 0; i < o.count && i < sizeof(expected) / sizeof(expected[0]); i++)
		CHECK_STR(o.errors[i].field, expected[i]);

	/* Everything wrong at once still comes back in form order, one error a field. */
	char long_notes[2002];
	memset(long_notes, 'n', 2001);
	long_notes[2001] = '\0';
	struct referral_fields bad = {
		"",         "",    "31/02/2026", "x@",         "0123",     long_notes, "",
		"tomorrow", "abc", "-1",         "not a date", long_notes, long_notes, "",
	};
	o = run(pool, &bad);
	static const char *const all[] = {
		"first_name",   "last_name",      "date_of_birth",   "email",
		"mobile",       "case_reference", "order_reference", "order_date",
		"unpaid_hours", "activity_hours", "complete_by",     "access_needs",
		"group_notes",  "consent",
	};
	CHECK_INT(o.rc, -1);
	CHECK_INT(o.count, REFERRAL_MAX_ERRORS);
	for (size_t i = 0; i < o.count && i < REFERRAL_MAX_ERRORS; i++)
		CHECK_STR(o.errors[i].field, all[i]);

	/* A short array still reports failure. */
	struct field_error two[2];
	struct referral_valid v;
	size_t count = 99;
	CHECK_INT(referral_rules_check(pool, &bad, 30, today, &v, two, 2, &count), -1);
	CHECK_INT(count, 2);
	CHECK_STR(two[1].field, "last_name");
	CHECK_INT(referral_rules_check(pool, &bad, 30, today, &v, NULL, 0, &count), -1);
	CHECK_INT(count, 0);
}

int main(void)
{
	test_civil_date_parse();
	test_civil_date_arithmetic();
	test_civil_date_format();
	test_london_offsets();
	test_london_format();
	test_london_to_utc();
	test_hours_rules();
	test_reference();

	struct pool *pool = pool_new();
	test_referral_valid(pool);
	test_referral_errors(pool);
	test_referral_leap_birthday(pool);
	test_referral_empty_form(pool);
	pool_free(pool);

	return unit_finish("test_domain");
}
