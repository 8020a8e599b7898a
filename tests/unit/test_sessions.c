/* Unit tests of the rules behind sessions, booking, the register and the hours ledger:
 * domain/ledger, domain/booking_rules, domain/ics, and the start times coordinators type. */
#include <string.h>

#include "core/buf.h"
#include "domain/booking_rules.h"
#include "domain/civil_date.h"
#include "domain/ics.h"
#include "domain/ledger.h"
#include "domain/london_time.h"
#include "handlers/schedule.h"
#include "unit.h"

static void test_outcomes(void)
{
	CHECK_INT(ledger_outcome_parse("attended"), OUTCOME_ATTENDED);
	CHECK_INT(ledger_outcome_parse("did_not_attend"), OUTCOME_DID_NOT_ATTEND);
	CHECK_INT(ledger_outcome_parse("Attended"), OUTCOME_NONE);
	CHECK_INT(ledger_outcome_parse(""), OUTCOME_NONE);
	CHECK_INT(ledger_outcome_parse(NULL), OUTCOME_NONE);
	CHECK_STR(ledger_outcome_name(OUTCOME_ABSENCE_ACCEPTED), "absence_accepted");
	CHECK_STR(ledger_outcome_label(OUTCOME_FAILED_TO_COMPLY), "Attended but failed to comply");
	CHECK(ledger_outcome_alerts(OUTCOME_DID_NOT_ATTEND));
	CHECK(ledger_outcome_alerts(OUTCOME_FAILED_TO_COMPLY));
	CHECK(!ledger_outcome_alerts(OUTCOME_ATTENDED));
	CHECK(!ledger_outcome_alerts(OUTCOME_ABSENCE_ACCEPTED));
}

static void test_credit(void)
{
	CHECK_INT(ledger_credit_minutes(OUTCOME_ATTENDED, 120, 0), 120);
	CHECK_INT(ledger_credit_minutes(OUTCOME_ATTENDED, 120, 30), 120);
	CHECK_INT(ledger_credit_minutes(OUTCOME_ATTENDED_PART, 120, 45), 45);
	CHECK_INT(ledger_credit_minutes(OUTCOME_ATTENDED_PART, 120, 500), 120);
	CHECK_INT(ledger_credit_minutes(OUTCOME_ATTENDED_PART, 120, -5), 0);
	/* Failing to comply credits nothing unless the facilitator credits part. */
	CHECK_INT(ledger_credit_minutes(OUTCOME_FAILED_TO_COMPLY, 120, 0), 0);
	CHECK_INT(ledger_credit_minutes(OUTCOME_FAILED_TO_COMPLY, 120, 60), 60);
	CHECK_INT(ledger_credit_minutes(OUTCOME_DID_NOT_ATTEND, 120, 60), 0);
	CHECK_INT(ledger_credit_minutes(OUTCOME_ABSENCE_ACCEPTED, 120, 60), 0);
}

static void test_counted(void)
{
	/* Credit beyond the order's other activity hours is not counted. */
	CHECK_INT(ledger_counted(120, 600, 0), 120);
	CHECK_INT(ledger_counted(120, 600, 540), 60);
	CHECK_INT(ledger_counted(120, 600, 600), 0);
	CHECK_INT(ledger_counted(120, 600, 700), 0);
	CHECK_INT(ledger_counted(0, 600, 0), 0);
	CHECK_INT(ledger_counted(-120, 600, 0), 0);
}

static void test_format_minutes(void)
{
	char s[48];
	ledger_format_minutes(0, s, sizeof(s));
	CHECK_STR(s, "0 hours");
	ledger_format_minutes(1, s, sizeof(s));
	CHECK_STR(s, "1 minute");
	ledger_format_minutes(45, s, sizeof(s));
	CHECK_STR(s, "45 minutes");
	ledger_format_minutes(60, s, sizeof(s));
	CHECK_STR(s, "1 hour");
	ledger_format_minutes(90, s, sizeof(s));
	CHECK_STR(s, "1 hour 30 minutes");
	ledger_format_minutes(24 * 60 + 1, s, sizeof(s));
	CHECK_STR(s, "24 hours 1 minute");
	ledger_format_minutes(-120, s, sizeof(s));
	CHECK_STR(s, "minus 2 hours");
}

static struct booking_facts ok_facts(void)
{
	struct booking_facts f = {
		.now = 1000, .starts_at = 5000, .capacity = 12, .booked = 3, .order_active = 1,
		.hours_left_minutes = 600, .upcoming_minutes = 120,
	};
	return f;
}

static void test_booking_rules(void)
{
	struct booking_facts f = ok_facts();
	CHECK_INT(booking_rules_check(&f), BOOKING_OK);
	f = ok_facts();
	f.order_active = 0;
	CHECK_INT(booking_rules_check(&f), BOOKING_ORDER_NOT_ACTIVE);
	f = ok_facts();
	f.hours_left_minutes = 0;
	CHECK_INT(booking_rules_check(&f), BOOKING_ORDER_NOT_ACTIVE);
	f = ok_facts();
	f.now = f.starts_at;
	CHECK_INT(booking_rules_check(&f), BOOKING_STARTED);
	f = ok_facts();
	f.already_booked = 1;
	CHECK_INT(booking_rules_check(&f), BOOKING_ALREADY);
	f = ok_facts();
	f.booked = 12;
	CHECK_INT(booking_rules_check(&f), BOOKING_FULL);
	f.booked = 11;
	CHECK_INT(booking_rules_check(&f), BOOKING_OK);
	f = ok_facts();
	f.overlaps = 1;
	CHECK_INT(booking_rules_check(&f), BOOKING_OVERLAP);
	/* Never when the hours left are already booked. */
	f = ok_facts();
	f.upcoming_minutes = 600;
	CHECK_INT(booking_rules_check(&f), BOOKING_HOURS_BOOKED);
	f.upcoming_minutes = 599;
	CHECK_INT(booking_rules_check(&f), BOOKING_OK);
	for (int r = BOOKING_OK; r <= BOOKING_HOURS_BOOKED; r++)
		CHECK(strlen(booking_rules_message((enum booking_refusal)r)) > 5);
}

static int64_t at(int y, int m, int d, int hour, int minute)
{
	int64_t t = 0;
	CHECK_INT(london_to_utc((struct civil_date){y, m, d}, hour, minute, &t), 0);
	return t;
}

static void test_evening_weekend(void)
{
	/* Thursday 26 November 2026 (GMT) and Thursday 4 June 2026 (BST). */
	CHECK(!booking_rules_is_evening(at(2026, 11, 26, 16, 59)));
	CHECK(booking_rules_is_evening(at(2026, 11, 26, 17, 0)));
	CHECK(booking_rules_is_evening(at(2026, 6, 4, 18, 30)));
	CHECK(!booking_rules_is_evening(at(2026, 6, 4, 10, 0)));
	CHECK(!booking_rules_is_weekend(at(2026, 11, 27, 23, 30)));
	CHECK(booking_rules_is_weekend(at(2026, 11, 28, 0, 30)));
	CHECK(booking_rules_is_weekend(at(2026, 11, 29, 23, 30)));
	/* 00:30 on a Monday in summer is 23:30 UTC on the Sunday: still a weekday in London. */
	CHECK(!booking_rules_is_weekend(at(2026, 6, 8, 0, 30)));
}

static int contains(const struct buf *b, const char *s)
{
	return b->data && strstr(b->data, s) != NULL;
}

static void test_ics(void)
{
	/* 6pm London either side of the spring clock change of 28 March 2027. */
	struct ics_event ev[2] = {
		{.uid = "session-1-client-2@cairn", .starts_at = at(2027, 3, 22, 18, 0), .minutes = 120,
		 .summary = "Cairn session: Dealing with conflict, calmly; really\\truly",
		 .description = "Line one\nLine two", .url = "https://cairn.example.org/sessions/1"},
		{.uid = "session-2-client-2@cairn", .starts_at = at(2027, 3, 29, 18, 0), .minutes = 90,
		 .summary = "Digital skills", .cancelled = 1, .sequence = 1},
	};
	CHECK_INT(ev[0].starts_at % 86400, 18 * 3600); /* GMT: 18:00Z */
	CHECK_INT(ev[1].starts_at % 86400, 17 * 3600); /* BST: 17:00Z */
	struct buf b;
	buf_init(&b);
	ics_write(&b, "REQUEST", ev, 2, at(2026, 11, 26, 12, 0));
	CHECK(strncmp(b.data, "BEGIN:VCALENDAR\r\n", 17) == 0);
	CHECK(contains(&b, "METHOD:REQUEST\r\n"));
	CHECK(contains(&b, "TZID:Europe/London\r\n"));
	CHECK(contains(&b, "DTSTART;TZID=Europe/London:20270322T180000\r\n"));
	CHECK(contains(&b, "DTEND;TZID=Europe/London:20270322T200000\r\n"));
	CHECK(contains(&b, "DTSTART;TZID=Europe/London:20270329T180000\r\n"));
	CHECK(contains(&b, "DTEND;TZID=Europe/London:20270329T193000\r\n"));
	CHECK(contains(&b, "DTSTAMP:20261126T120000Z\r\n"));
	CHECK(contains(&b, "SUMMARY:Cairn session: Dealing with conflict\\, calmly\\; really\\\\truly\r\n"));
	CHECK(contains(&b, "DESCRIPTION:Line one\\nLine two\r\n"));
	CHECK(contains(&b, "STATUS:CONFIRMED\r\n"));
	CHECK(contains(&b, "STATUS:CANCELLED\r\nEND:VEVENT"));
	CHECK(contains(&b, "SEQUENCE:1\r\n"));
	CHECK(contains(&b, "END:VCALENDAR\r\n"));
	/* Every line ends CRLF and is at most 75 octets. */
	size_t line = 0;
	int bare_lf = 0, too_long = 0;
	for (size_t i = 0; i < b.len; i++) {
		if (b.data[i] == '\n') {
			if (i == 0 || b.data[i - 1] != '\r')
				bare_lf = 1;
			if (line - 1 > 75)
				too_long = 1;
			line = 0;
		} else {
			line++;
		}
	}
	CHECK(!bare_lf);
	CHECK(!too_long);
	buf_free(&b);

	/* A long summary with multi-byte characters folds without splitting one. */
	char summary[400] = "Cairn session: ";
	for (int i = 0; i < 60; i++)
		strcat(summary, "é");
	struct ics_event one = {.uid = "u@cairn", .starts_at = at(2026, 12, 1, 10, 0), .minutes = 120,
				.summary = summary};
	buf_init(&b);
	ics_write(&b, "PUBLISH", &one, 1, 0);
	CHECK(contains(&b, "\r\n "));
	int split = 0;
	for (size_t i = 0; i + 3 < b.len; i++)
		if (b.data[i] == '\r' && b.data[i + 1] == '\n' && b.data[i + 2] == ' ' &&
		    ((unsigned char)b.data[i + 3] & 0xc0) == 0x80)
			split = 1;
	CHECK(!split);
	buf_free(&b);
}

static void test_parse_time(void)
{
	int h = -1, m = -1;
	CHECK_INT(schedule_parse_time("18:00", &h, &m), 0);
	CHECK_INT(h, 18);
	CHECK_INT(m, 0);
	CHECK_INT(schedule_parse_time("6pm", &h, &m), 0);
	CHECK_INT(h, 18);
	CHECK_INT(schedule_parse_time("6:30 PM", &h, &m), 0);
	CHECK_INT(h, 18);
	CHECK_INT(m, 30);
	CHECK_INT(schedule_parse_time("12am", &h, &m), 0);
	CHECK_INT(h, 0);
	CHECK_INT(schedule_parse_time("12pm", &h, &m), 0);
	CHECK_INT(h, 12);
	CHECK_INT(schedule_parse_time("0930", &h, &m), 0);
	CHECK_INT(h, 9);
	CHECK_INT(m, 30);
	CHECK_INT(schedule_parse_time("9.15", &h, &m), 0);
	CHECK_INT(m, 15);
	CHECK_INT(schedule_parse_time("24:00", &h, &m), -1);
	CHECK_INT(schedule_parse_time("13pm", &h, &m), -1);
	CHECK_INT(schedule_parse_time("0pm", &h, &m), -1);
	CHECK_INT(schedule_parse_time("10:60", &h, &m), -1);
	CHECK_INT(schedule_parse_time("10:5", &h, &m), -1);
	CHECK_INT(schedule_parse_time("noon", &h, &m), -1);
	CHECK_INT(schedule_parse_time("", &h, &m), -1);
	CHECK_INT(schedule_parse_time(NULL, &h, &m), -1);
	CHECK_INT(schedule_parse_time("123456789", &h, &m), -1);
	CHECK_INT(schedule_parse_time("18:00x", &h, &m), -1);
}

int main(void)
{
	test_outcomes();
	test_credit();
	test_counted();
	test_format_minutes();
	test_booking_rules();
	test_evening_weekend();
	test_ics();
	test_parse_time();
	return unit_finish("test_sessions");
}
