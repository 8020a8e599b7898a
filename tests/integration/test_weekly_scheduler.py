"""The weekly report by email (issue 5): from Monday 07:00 London time, each case worker
with clients in last week's report gets one message with the report as a CSV file, once
per case worker per week (also across restarts); a new installation starts with the week
it first runs in; a case worker whose referral was made after the week ended gets nothing
for that week.

The server's clock is moved forward with CAIRN_TIME_OFFSET (it cannot go back) and the
server restarted on the same database to step through the days. The weeks are next
year's: W10 and W11 in March (GMT), W20 and W21 in May (BST).
"""

import datetime
import os
import time
import unittest

from tests.integration.harness import FACILITATOR, Server, wait_until
from tests.integration.sessions_support import (LONDON, UTC, add_session, add_user, book_ok,
                                                eml_for, new_client, save_register,
                                                session_for, settle)


def at_utc(d, hhmm):
    return int(datetime.datetime.strptime("%s %s" % (d.isoformat(), hhmm),
                                          "%Y-%m-%d %H:%M").replace(tzinfo=UTC).timestamp())


def long_date(d):
    return "%d %s %d" % (d.day, d.strftime("%B"), d.year)


YEAR = datetime.date.today().year + 1
DAY = datetime.timedelta(days=1)
W10 = datetime.date.fromisocalendar(YEAR, 10, 1)   # its Monday
W11 = W10 + 7 * DAY
W20 = datetime.date.fromisocalendar(YEAR, 20, 1)
W21 = W20 + 7 * DAY
W10_TEXT, W11_TEXT, W20_TEXT = ("%d-W%02d" % (YEAR, w) for w in (10, 11, 20))


class Clocked:
    """A server whose clock is set on each (re)start."""

    def __init__(self, name):
        self.server = Server(name=name, env={})

    def at(self, when):
        if self.server.proc is not None:
            self.server.stop()
        self.server.start(env={"CAIRN_TIME_OFFSET": str(when - int(time.time()))})
        return self.server

    def close(self):
        try:
            self.server.stop()
        finally:
            self.server.cleanup()


def setting(server, name):
    rows = server.sql("SELECT value FROM setting WHERE key = ?", (name,))
    return rows[0][0] if rows else None


def weekly_messages(server):
    return server.sql("SELECT * FROM outbox WHERE kind = 'weekly_report' ORDER BY id")


class WeeklySchedulerTests(unittest.TestCase):

    def setUp(self):
        self.c = Clocked("weekly-sched")
        self.addCleanup(self.c.close)

    def test_once_per_case_worker_per_week_from_monday_seven(self):
        n = str(os.getpid())
        # Wednesday of W10, 12:00: the installation's first run.
        s = self.c.at(at_utc(W10 + 2 * DAY, "12:00"))
        wait_until(lambda: setting(s, "weekly_report_from"), message="weekly_report_from")
        self.assertEqual(setting(s, "weekly_report_from"), W10_TEXT)
        emails = {k: "sched.%s.%s@example.gov.uk" % (k, n) for k in ("one", "two", "none",
                                                                     "late")}
        ids = {k: add_user(s, e, "case_worker", "Worker %s" % k.title(),
                           authority="Glasgow City") for k, e in emails.items()}
        one, two = session_for(s, ids["one"]), session_for(s, ids["two"])
        fields = {"order_date": "01/03/%d" % YEAR, "activity_hours": "36"}
        a = new_client(s, one, "fast", first_name="Ann", last_name="Sched" + n, **fields)
        b = new_client(s, one, "fast", first_name="Ben", last_name="Sched" + n, **fields)
        c = new_client(s, two, "fast", first_name="Cat", last_name="Sched" + n, **fields)
        # Ann books Thursday of W10 10:00 (GMT) and attends it.
        sid = add_session(s, at_utc(W10 + 3 * DAY, "10:00"))
        booking = book_ok(a, sid)
        # And Wednesday of W12: a next booking for W10's and W11's reports.
        next_at = at_utc(W11 + 9 * DAY, "10:00")
        book_ok(a, add_session(s, next_at))
        # Sunday evening of W10: the register.
        s = self.c.at(at_utc(W10 + 6 * DAY, "20:00"))
        fac = session_for(s, s.user_id(FACILITATOR))
        r = save_register(fac, sid, {booking: {"outcome": "attended"}})
        self.assertEqual(r.status, 303, r.page.summary)

        # Monday of W11, 06:55: not yet. A referral made now (after W10 ended) for "late".
        s = self.c.at(at_utc(W11, "06:55"))
        late = session_for(s, ids["late"])
        new_client(s, late, "fast", first_name="Dan", last_name="Sched" + n, **fields)
        settle(s)  # a whole pass of the sender (and so of the scheduler) has run
        self.assertEqual(weekly_messages(s), [])
        self.assertEqual(s.scalar("SELECT count(*) FROM weekly_report_sent"), 0)

        # 07:05: the W10 reports go out.
        s = self.c.at(at_utc(W11, "07:05"))

        def mine():
            return [m for m in weekly_messages(s) if m["recipient"] in emails.values()]
        wait_until(lambda: len(mine()) >= 2, timeout=30, message="two weekly reports")
        settle(s)
        msgs = mine()
        self.assertEqual(sorted(m["recipient"] for m in msgs),
                         sorted([emails["one"], emails["two"]]))
        # No one gets two; every message is for W10.
        everyone = weekly_messages(s)
        self.assertEqual(len({m["recipient"] for m in everyone}), len(everyone))
        for m in everyone:
            with self.subTest(recipient=m["recipient"]):
                self.assertEqual(m["subject"], "Your weekly report: week " + W10_TEXT)
                self.assertEqual(m["attachment_name"], "cairn-weekly-%s.csv" % W10_TEXT)
                self.assertEqual(m["attachment_type"], "text/csv; charset=utf-8")
                # The attachment is what that case worker downloads for the week.
                http = session_for(s, s.user_id(m["recipient"]))
                r = http.get("/reports/weekly.csv?week=" + W10_TEXT)
                self.assertEqual(r.status, 200)
                self.assertEqual(m["attachment"].encode("utf-8"), r.body)
                self.assertGreater(r.body.count(b"\r\n"), 1, "a report with no clients")
        [m1] = [m for m in msgs if m["recipient"] == emails["one"]]
        csv_text = m1["attachment"]
        self.assertEqual(csv_text.count("\r\n"), 3)  # headings, Ann, Ben
        self.assertIn("Sched%s,Ann,1989-03-23," % n, csv_text)
        ann = [line for line in csv_text.split("\r\n") if ",Ann," in line][0].split(",")
        self.assertEqual(ann[6:13], ["1", "1", "0", "0", "2.00", "2.00", "34.00"])
        self.assertEqual(ann[14], datetime.datetime.fromtimestamp(next_at, LONDON)
                         .strftime("%Y-%m-%d %H:%M"))
        body = " ".join(m1["body"].split())
        self.assertIn("Hello Worker One", body)
        self.assertIn("week %s (Monday %s to Sunday %s)" % (W10_TEXT, long_date(W10),
                                                             long_date(W10 + 6 * DAY)), body)
        self.assertIn("2 clients with an active order", body)
        self.assertIn("/reports/weekly?week=" + W10_TEXT, body)
        # Delivered with the CSV attached.
        msg = eml_for(s, m1["id"], timeout=30)
        [part] = [p for p in msg.iter_attachments() if p.get_filename()
                  == "cairn-weekly-%s.csv" % W10_TEXT]
        self.assertEqual(part.get_content_type(), "text/csv")
        self.assertEqual(part.get_payload(decode=True), csv_text.encode("utf-8"))
        sent = s.sql("SELECT case_worker_id, week FROM weekly_report_sent WHERE "
                     "case_worker_id IN (?, ?, ?, ?) ORDER BY case_worker_id",
                     tuple(ids.values()))
        self.assertEqual([tuple(x) for x in sent], sorted([(ids["one"], W10_TEXT),
                                                           (ids["two"], W10_TEXT)]))

        # A restart a few minutes later sends nothing again.
        before = len(weekly_messages(s))
        s = self.c.at(at_utc(W11, "07:12"))
        settle(s)
        self.assertEqual(len(weekly_messages(s)), before)
        # Nor does the rest of the week.
        s = self.c.at(at_utc(W11 + 6 * DAY, "23:30"))
        settle(s)
        self.assertEqual(len(weekly_messages(s)), before)

        # Monday of W12 07:01 (GMT): W11's, now for "late" too (its referral was made in W11).
        s = self.c.at(at_utc(W11 + 7 * DAY, "07:01"))
        wait_until(lambda: len(mine()) >= 5, timeout=30, message="W11's weekly reports")
        settle(s)
        w11 = [m for m in mine() if m["subject"].endswith(W11_TEXT)]
        self.assertEqual(sorted(m["recipient"] for m in w11),
                         sorted([emails["one"], emails["two"], emails["late"]]))
        self.assertEqual(len(mine()), 5)
        self.assertNotIn(emails["none"], [m["recipient"] for m in weekly_messages(s)])
        self.assertEqual(c.first_name, "Cat")
        self.assertEqual(b.first_name, "Ben")

    def test_a_new_installation_starts_with_the_week_it_first_runs_in(self):
        # First run on Monday of W20 at 06:55 London (05:55 UTC, BST): the week it runs in is
        # W20. W19 ended before the installation existed, so its reports are not to be sent
        # at 07:00 (scheduler.c: "The first week to report on: the first the installation
        # ran for").
        s = self.c.at(at_utc(W20, "05:55"))
        wait_until(lambda: setting(s, "weekly_report_from"), message="weekly_report_from")
        self.assertEqual(setting(s, "weekly_report_from"), W20_TEXT)
        settle(s)
        self.assertEqual(weekly_messages(s), [])

    def thursday_installation(self, with_session):
        """A Fife case worker with one client, on an installation first run on the Thursday
        of W20. Returns (server, the worker's email, the client)."""
        s = self.c.at(at_utc(W20 + 3 * DAY, "12:00"))
        wait_until(lambda: setting(s, "weekly_report_from"), message="weekly_report_from")
        self.assertEqual(setting(s, "weekly_report_from"), W20_TEXT)
        email_address = "sched.thu.%d@example.gov.uk" % os.getpid()
        uid = add_user(s, email_address, "case_worker", "Thursday Worker", authority="Fife")
        p = new_client(s, session_for(s, uid), "fast", order_date="01/05/%d" % YEAR)
        if with_session:
            book_ok(p, add_session(s, at_utc(W21 + 3 * DAY, "09:00")))
        return s, email_address, p

    def test_a_thursday_installation_sends_its_first_reports_the_next_monday(self):
        s, email_address, _ = self.thursday_installation(with_session=True)
        # Monday of W21 06:58 BST (05:58 UTC): not yet; 07:00 BST: W20's.
        s = self.c.at(at_utc(W21, "05:58"))
        settle(s)
        self.assertEqual([m for m in weekly_messages(s) if m["recipient"] == email_address],
                         [])
        s = self.c.at(at_utc(W21, "06:00"))
        wait_until(lambda: [m for m in weekly_messages(s) if m["recipient"] == email_address],
                   timeout=30, message="the Thursday worker's report")
        [m] = [m for m in weekly_messages(s) if m["recipient"] == email_address]
        self.assertEqual(m["subject"], "Your weekly report: week " + W20_TEXT)

    def test_a_week_with_no_sessions_anywhere_is_still_reported(self):
        # No session at all on this installation: the report has the client's line with
        # nothing booked, and the server carries on.
        s, email_address, p = self.thursday_installation(with_session=False)
        s = self.c.at(at_utc(W21, "06:05"))
        wait_until(lambda: [m for m in weekly_messages(s) if m["recipient"] == email_address]
                   or s.proc.poll() is not None, timeout=30, message="the report")
        self.assertIsNone(s.proc.poll(), "the server stopped:\n" + s.stderr()[-3000:])
        [m] = [m for m in weekly_messages(s) if m["recipient"] == email_address]
        lines = m["attachment"].split("\r\n")
        self.assertEqual(len(lines), 3)  # headings, the client, ""
        row = lines[1].split(",")
        self.assertEqual(row[:2], [p.last_name, p.first_name])
        self.assertEqual(row[6:13], ["0", "0", "0", "0", "0.00", "0.00", row[12]])
        self.assertEqual(row[14], "")


if __name__ == "__main__":
    unittest.main()
