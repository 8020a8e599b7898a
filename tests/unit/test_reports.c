/* Unit tests of the weekly report's rules: domain/iso_week (ISO 8601 weeks and their
 * London bounds), domain/weekly_report (flags), report/table's CSV (RFC 4180, formula
 * neutralisation, byte-order mark, CRLF) and XLSX writers, and report_hours_text. */
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "domain/civil_date.h"
#include "domain/iso_week.h"
#include "domain/london_time.h"
#include "domain/weekly_report.h"
#include "report/table.h"
#include "unit.h"

static struct civil_date date(const char *iso)
{
	struct civil_date d = {0, 0, 0};
	CHECK_INT(civil_date_parse(iso, &d), 0);
	return d;
}

static void test_week_parse(void)
{
	struct iso_week w = {0, 0};
	CHECK_INT(iso_week_parse("2026-W48", &w), 0);
	CHECK_INT(w.year, 2026);
	CHECK_INT(w.week, 48);
	CHECK_INT(iso_week_parse(" 2026-w01 ", &w), 0);
	CHECK_INT(w.year, 2026);
	CHECK_INT(w.week, 1);
	/* 2026 begins on a Thursday, so it has 53 weeks; 2027 (a Friday) has 52. */
	CHECK_INT(iso_week_parse("2026-W53", &w), 0);
	CHECK_INT(w.week, 53);
	CHECK_INT(iso_week_parse("2020-W53", &w), 0);
	CHECK_INT(iso_week_parse("2015-W53", &w), 0);

	struct iso_week kept = {1999, 7};
	const char *bad[] = {"2027-W53", "2025-W53", "2026-W54", "2026-W00", "2026-W0",
			     "2026-W100", "2026-W5",  "2026W48",  "2026-48",  "26-W48",
			     "2026-X48",  "2026-W48x", "1899-W10", "2201-W10", "",
			     "garbage",   "<script>alert(1)</script>", "2026-W4 8", "2026-W-1",
			     "\xff\xfe-W01"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct iso_week t = kept;
		int rc = iso_week_parse(bad[i], &t);
		if (rc != -1)
			fprintf(stderr, "iso_week_parse accepted \"%s\"\n", bad[i]);
		CHECK_INT(rc, -1);
		CHECK_INT(t.year, 1999); /* *out untouched */
		CHECK_INT(t.week, 7);
	}
	CHECK_INT(iso_week_parse(NULL, &w), -1);
	CHECK_INT(iso_week_parse("1900-W01", &w), 0);
	CHECK_INT(iso_week_parse("2200-W01", &w), 0);
}

static void test_week_format(void)
{
	char s[ISO_WEEK_TEXT_MAX];
	iso_week_format((struct iso_week){2026, 48}, s);
	CHECK_STR(s, "2026-W48");
	iso_week_format((struct iso_week){2025, 1}, s);
	CHECK_STR(s, "2025-W01");
	iso_week_format((struct iso_week){2026, 53}, s);
	CHECK_STR(s, "2026-W53");
	/* Round trip through parse. */
	struct iso_week w;
	CHECK_INT(iso_week_parse("2020-W09", &w), 0);
	iso_week_format(w, s);
	CHECK_STR(s, "2020-W09");
}

static void check_week_of(const char *iso, int year, int week)
{
	struct iso_week w = iso_week_of(date(iso));
	if (w.year != year || w.week != week)
		fprintf(stderr, "iso_week_of(%s) = %d-W%02d, expected %d-W%02d\n", iso, w.year,
			w.week, year, week);
	CHECK_INT(w.year, year);
	CHECK_INT(w.week, week);
}

static void test_week_of(void)
{
	check_week_of("2024-12-30", 2025, 1); /* a Monday in December starts next year's W01 */
	check_week_of("2024-12-29", 2024, 52);
	check_week_of("2021-01-03", 2020, 53); /* a Sunday in January ends last year's W53 */
	check_week_of("2021-01-04", 2021, 1);
	check_week_of("2026-10-19", 2026, 43);
	check_week_of("2026-10-25", 2026, 43);
	check_week_of("2026-10-26", 2026, 44);
	check_week_of("2026-11-26", 2026, 48);
	check_week_of("2026-12-31", 2026, 53);
	check_week_of("2027-01-03", 2026, 53);
	check_week_of("2027-01-04", 2027, 1);
	check_week_of("2026-01-01", 2026, 1);
	check_week_of("2025-12-29", 2026, 1);
	check_week_of("2028-01-01", 2027, 52);
}

static void check_monday(int year, int week, const char *iso)
{
	char s[11];
	civil_date_iso(iso_week_monday((struct iso_week){year, week}), s);
	CHECK_STR(s, iso);
}

static void test_week_monday_add(void)
{
	check_monday(2026, 1, "2025-12-29");
	check_monday(2026, 43, "2026-10-19");
	check_monday(2026, 53, "2026-12-28");
	check_monday(2025, 1, "2024-12-30");
	check_monday(2020, 53, "2020-12-28");
	check_monday(2027, 1, "2027-01-04");
	struct iso_week w = iso_week_add((struct iso_week){2026, 53}, 1);
	CHECK_INT(w.year, 2027);
	CHECK_INT(w.week, 1);
	w = iso_week_add((struct iso_week){2027, 1}, -1);
	CHECK_INT(w.year, 2026);
	CHECK_INT(w.week, 53);
	w = iso_week_add((struct iso_week){2025, 52}, 1);
	CHECK_INT(w.year, 2026);
	CHECK_INT(w.week, 1);
	w = iso_week_add((struct iso_week){2026, 43}, 0);
	CHECK_INT(w.week, 43);
	/* Every Monday of a span maps back to its own week. */
	for (int64_t d = civil_date_to_days(date("2019-12-30"));
	     d < civil_date_to_days(date("2031-01-06")); d += 7) {
		struct civil_date mon = civil_date_from_days(d);
		struct iso_week ww = iso_week_of(mon);
		CHECK_INT(civil_date_to_days(iso_week_monday(ww)), d);
		CHECK_INT(civil_date_to_days(iso_week_monday(iso_week_add(ww, 1))), d + 7);
	}
}

static void test_week_bounds(void)
{
	int64_t from, to;
	/* 2026-W43: Monday 19 October 00:00 BST (18 October 23:00 UTC) to Monday 26 October
	 * 00:00 GMT; the clocks went back on Sunday 25 October, so the week is 169 hours. */
	iso_week_bounds((struct iso_week){2026, 43}, &from, &to);
	CHECK_INT(from, 1792364400); /* 2026-10-18T23:00:00Z */
	CHECK_INT(to, 1792972800);   /* 2026-10-26T00:00:00Z */
	CHECK_INT(to - from, 169 * 3600);
	/* 2026-W13 has the spring change (Sunday 29 March): 167 hours. */
	iso_week_bounds((struct iso_week){2026, 13}, &from, &to);
	CHECK_INT(to - from, 167 * 3600);
	CHECK_INT(from, 1774224000); /* 2026-03-23T00:00:00Z (GMT) */
	/* A winter week: 168 hours, Monday midnight UTC. */
	iso_week_bounds((struct iso_week){2026, 48}, &from, &to);
	CHECK_INT(to - from, 168 * 3600);
	CHECK_INT(from, 1795392000); /* 2026-11-23T00:00:00Z */
	/* A summer week starts at 23:00 UTC on the Sunday. */
	iso_week_bounds((struct iso_week){2026, 30}, &from, &to);
	CHECK_INT(to - from, 168 * 3600);
	CHECK_INT(london_offset_seconds(from), 3600);
	struct civil_date d = london_date(from);
	char s[11];
	civil_date_iso(d, s);
	CHECK_STR(s, "2026-07-20");
	/* Consecutive weeks meet. */
	int64_t from2, to2;
	iso_week_bounds((struct iso_week){2026, 44}, &from2, &to2);
	CHECK_INT(from2, 1792972800);
	CHECK_INT(to2 - from2, 168 * 3600);
	iso_week_bounds((struct iso_week){2026, 53}, &from, &to);
	iso_week_bounds((struct iso_week){2027, 1}, &from2, &to2);
	CHECK_INT(from2, to);
}

static struct weekly_line line(int activity, int done, int missed, const char *complete_by)
{
	struct weekly_line l;
	memset(&l, 0, sizeof(l));
	l.activity_minutes = activity;
	l.done_minutes = done;
	l.missed = missed;
	l.complete_by = complete_by;
	l.flags = 99;
	l.left_minutes = -7;
	return l;
}

static void test_derive(void)
{
	struct civil_date sunday = date("2026-10-25");
	struct weekly_line l = line(600, 120, 0, "2027-01-31");
	weekly_line_derive(&l, sunday);
	CHECK_INT(l.left_minutes, 480);
	CHECK_INT(l.flags, 0);

	l = line(600, 120, 2, "2027-01-31");
	weekly_line_derive(&l, sunday);
	CHECK_INT(l.flags, WEEKLY_MISSED);

	/* Due soon: completion on or before Sunday + 14 days with hours left. */
	l = line(600, 120, 0, "2026-11-08");
	weekly_line_derive(&l, sunday);
	CHECK_INT(l.flags, WEEKLY_DUE_SOON);
	l = line(600, 120, 0, "2026-11-09");
	weekly_line_derive(&l, sunday);
	CHECK_INT(l.flags, 0);
	l = line(600, 120, 0, "2026-10-19");
	weekly_line_derive(&l, sunday);
	CHECK_INT(l.flags, WEEKLY_DUE_SOON);
	l = line(600, 599, 1, "2026-10-30");
	weekly_line_derive(&l, sunday);
	CHECK_INT(l.left_minutes, 1);
	CHECK_INT(l.flags, WEEKLY_MISSED | WEEKLY_DUE_SOON);

	/* Hours complete: never due soon, even with the date near. */
	l = line(600, 600, 0, "2026-10-30");
	weekly_line_derive(&l, sunday);
	CHECK_INT(l.left_minutes, 0);
	CHECK_INT(l.flags, WEEKLY_HOURS_COMPLETE);
	l = line(600, 650, 1, "2027-03-01");
	weekly_line_derive(&l, sunday);
	CHECK_INT(l.left_minutes, 0);
	CHECK_INT(l.flags, WEEKLY_HOURS_COMPLETE | WEEKLY_MISSED);

	/* No or unreadable completion date: never due soon. */
	l = line(600, 0, 0, NULL);
	weekly_line_derive(&l, sunday);
	CHECK_INT(l.left_minutes, 600);
	CHECK_INT(l.flags, 0);
	l = line(600, 0, 0, "soon");
	weekly_line_derive(&l, sunday);
	CHECK_INT(l.flags, 0);

	CHECK_STR(weekly_flags_text(0), "");
	CHECK_STR(weekly_flags_text(WEEKLY_MISSED), "Missed this week");
	CHECK_STR(weekly_flags_text(WEEKLY_MISSED | WEEKLY_DUE_SOON),
		  "Missed this week; Completion due within 14 days");
	CHECK_STR(weekly_flags_text(WEEKLY_HOURS_COMPLETE), "Hours complete");
	CHECK_STR(weekly_flags_text(7),
		  "Missed this week; Completion due within 14 days; Hours complete");
}

static void check_hours(int minutes, const char *text)
{
	char s[16];
	report_hours_text(minutes, s);
	CHECK_STR(s, text);
}

static void test_hours_text(void)
{
	check_hours(0, "0.00");
	check_hours(20, "0.33");
	check_hours(40, "0.67");
	check_hours(90, "1.50");
	check_hours(60, "1.00");
	check_hours(1, "0.02");
	check_hours(-30, "-0.50");
	check_hours(-20, "-0.33");
	check_hours(6000, "100.00");
	check_hours(2147483647, "35791394.12");
	check_hours(-2147483647 - 1, "-35791394.13");
}

/* A small table for the CSV and XLSX writers. */
struct row {
	const char *text;
	long long number;
	int minutes;
	const char *date;
	int64_t at;
};

static const char *const headings[] = {"Name", "Count", "Hours", "Date", "When", "Empty"};

static void cell(const void *ctx, size_t r, size_t c, struct report_cell *out)
{
	const struct row *row = (const struct row *)ctx + r;
	switch (c) {
	case 0:
		out->kind = CELL_TEXT;
		out->text = row->text;
		break;
	case 1:
		out->kind = CELL_INT;
		out->number = row->number;
		break;
	case 2:
		out->kind = CELL_HOURS;
		out->number = row->minutes;
		break;
	case 3:
		out->kind = CELL_DATE;
		civil_date_parse(row->date, &out->date);
		break;
	case 4:
		out->kind = row->at ? CELL_DATETIME : CELL_EMPTY;
		out->utc = row->at;
		break;
	default:
		out->kind = CELL_EMPTY;
		break;
	}
}

static void csv_of(const struct row *rows, size_t n, struct buf *b)
{
	struct report_table t = {
		.title = "Test",
		.ncols = 6,
		.nrows = n,
		.headings = headings,
		.cell = cell,
		.ctx = rows,
	};
	buf_init(b);
	report_csv(&t, b);
	buf_putc(b, '\0');
}

static void check_csv_row(const char *text, const char *field)
{
	struct row r = {text, 1, 60, "2026-10-25", 0};
	struct buf b;
	csv_of(&r, 1, &b);
	const char *head = "\xEF\xBB\xBFName,Count,Hours,Date,When,Empty\r\n";
	CHECK(strncmp(b.data, head, strlen(head)) == 0);
	char want[256];
	snprintf(want, sizeof(want), "%s%s,1,1.00,2026-10-25,,\r\n", head, field);
	if (strcmp(b.data, want) != 0)
		fprintf(stderr, "CSV of [%s]:\n%s\nexpected:\n%s\n", text, b.data, want);
	CHECK_STR(b.data, want);
	buf_free(&b);
}

static void test_csv(void)
{
	check_csv_row("Smith", "Smith");
	check_csv_row("Smith, John", "\"Smith, John\"");
	check_csv_row("say \"hi\"", "\"say \"\"hi\"\"\"");
	check_csv_row("two\r\nlines", "\"two\r\nlines\"");
	check_csv_row("one\nline", "\"one\nline\"");
	check_csv_row("", "");
	check_csv_row("Zo\xc3\xab", "Zo\xc3\xab");
	/* Formula neutralisation: a leading ' (and quotes, as the field then differs). */
	check_csv_row("=1+2", "\"'=1+2\"");
	check_csv_row("+44 141", "\"'+44 141\"");
	check_csv_row("-5", "\"'-5\"");
	check_csv_row("@SUM(A1)", "\"'@SUM(A1)\"");
	check_csv_row("\tx", "\"'\tx\"");
	check_csv_row("=HYPERLINK(\"http://x\",\"a,b\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"a,b\"\")\"");
	/* Only a leading character makes a formula. */
	check_csv_row("a=b", "a=b");
	check_csv_row("O'Neil-Smith", "O'Neil-Smith");

	/* Several rows: every line ends CRLF, datetimes in London time, negative hours. */
	struct row rows[] = {
		{"Ann", 3, -30, "2024-02-29", 1792969200}, /* 2026-10-25T23:00Z, 23:00 GMT */
		{"Bob", 0, 20, "2026-10-19", 1792443600},  /* 2026-10-19T21:00Z, 22:00 BST */
	};
	struct buf b;
	csv_of(rows, 2, &b);
	CHECK_STR(b.data, "\xEF\xBB\xBFName,Count,Hours,Date,When,Empty\r\n"
			  "Ann,3,-0.50,2024-02-29,2026-10-25 23:00,\r\n"
			  "Bob,0,0.33,2026-10-19,2026-10-19 22:00,\r\n");
	/* No bare LF outside a quoted field. */
	for (size_t i = 0; b.data[i]; i++)
		if (b.data[i] == '\n')
			CHECK(i > 0 && b.data[i - 1] == '\r');
	buf_free(&b);

	/* An empty table is the heading row alone. */
	csv_of(rows, 0, &b);
	CHECK_STR(b.data, "\xEF\xBB\xBFName,Count,Hours,Date,When,Empty\r\n");
	buf_free(&b);
}

static void test_xlsx(void)
{
	struct row rows[] = {
		{"=cmd|' /C calc'!A0", 2, 90, "2026-10-25", 1792969200},
		{"Zo\xc3\xab \"Q\", R", 0, 0, "2000-01-01", 0},
	};
	struct report_table t = {
		.title = "Weekly report",
		.ncols = 6,
		.nrows = 2,
		.headings = headings,
		.cell = cell,
		.ctx = rows,
	};
	struct buf b;
	buf_init(&b);
	struct err e;
	memset(&e, 0, sizeof(e));
	CHECK_INT(report_xlsx(&t, &b, &e), 0);
	CHECK(b.len > 1000);
	CHECK(b.len >= 4 && memcmp(b.data, "PK\x03\x04", 4) == 0);
	buf_free(&b);
}

int main(void)
{
	test_week_parse();
	test_week_format();
	test_week_of();
	test_week_monday_add();
	test_week_bounds();
	test_derive();
	test_hours_text();
	test_csv();
	test_xlsx();
	return unit_finish("test_reports");
}
