"""The weekly report (issue 5): one line per client with an active order in an ISO week.

One crafted week, the week the clocks go back next year (2027-W43, Monday 25 to Sunday 31
October 2027, when run in 2026), lived through with the server's clock moved forward by
CAIRN_TIME_OFFSET (a negative offset counts as none, so the week must be ahead): referrals
and bookings on the Monday a week before, a register that week, the week's registers and
corrections on the Sunday night after the clock change, and a late correction in the week
after. Every figure expected below is worked out by hand from what the test did (see the
plan in build), never by asking Cairn's database the same question Cairn asks it. The
page, the CSV and the XLSX must show those figures and agree cell by cell, and
`cairn report weekly` must write the same CSV byte for byte.
"""

import csv
import datetime
import html.parser
import io
import os
import subprocess
import time
import unittest
import urllib.parse

from tests.integration.harness import (BIN, CASE_WORKER_FIFE, COORDINATOR, FACILITATOR, LEAD,
                                       Client, Server)
from tests.integration.sessions_support import (LONDON, UTC, add_session, add_user, book_ok,
                                                cancel, london_text, new_client,
                                                save_register, session_for)



def utc(text):
    """'2027-10-31 23:20' (UTC) as seconds."""
    return int(datetime.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(
        tzinfo=UTC).timestamp())


def iso_week(d):
    y, w, _ = d.isocalendar()
    return "%d-W%02d" % (y, w)


def at_utc(d, hhmm):
    return utc("%s %s" % (d.isoformat(), hhmm))


# The server's clock can only be moved forward, so the week is next year's: the one with
# the last Sunday of October in it (the clocks go back at 01:00 UTC that day).
YEAR = datetime.date.today().year + 1
SUNDAY = max(datetime.date(YEAR, 10, d) for d in range(25, 32)
             if datetime.date(YEAR, 10, d).weekday() == 6)
MONDAY = SUNDAY - datetime.timedelta(days=6)
DAY = datetime.timedelta(days=1)
WEEK = iso_week(MONDAY)
WEEK_BEFORE = iso_week(MONDAY - 7 * DAY)
WEEK_AFTER = iso_week(MONDAY + 7 * DAY)
WEEK_EMPTY = iso_week(MONDAY + 49 * DAY)  # mid December: no sessions in or after it

# The server's clock in each phase (UTC); London is BST (UTC+1) until SUNDAY 01:00 UTC.
PHASE_REFER = at_utc(MONDAY - 7 * DAY, "08:00")   # Monday of the week before, 09:00 BST
PHASE_W42 = at_utc(MONDAY - 5 * DAY, "12:00")     # its Wednesday, after S42
PHASE_SUNDAY = at_utc(SUNDAY, "23:20")            # the Sunday, 23:20 GMT: still the week
PHASE_LATE = at_utc(SUNDAY + 2 * DAY, "12:00")    # Tuesday of the week after

HEADINGS = ["Last name", "First name", "Date of birth", "Case reference",
            "Court order reference", "Cairn order reference", "Sessions booked this week",
            "Sessions attended this week", "Sessions missed this week",
            "Absences accepted this week", "Hours credited this week", "Hours done",
            "Hours left", "Complete by", "Next booking", "Flags", "Case worker",
            "Local authority"]

WEEK_ERROR = "Enter a week that exists, like 2026-W48"
AUTHORITY_ERROR = "Choose a local authority from the list"


def hours(minutes):
    """Decimal hours to 2 places, worked out independently of report_hours_text."""
    sign = "-" if minutes < 0 else ""
    hundredths = (abs(minutes) * 100 + 30) // 60
    return "%s%d.%02d" % (sign, hundredths // 100, hundredths % 100)


def london_clock(utc_seconds):
    """London wall-clock time (Python's own tz database, not Cairn's rules)."""
    return datetime.datetime.fromtimestamp(utc_seconds, LONDON).replace(tzinfo=None)


def long_date(iso):
    d = datetime.date.fromisoformat(iso)
    return "%d %s %d" % (d.day, d.strftime("%B"), d.year)


class TableParser(html.parser.HTMLParser):
    """The rows of the report's table: each a list of cell texts (whitespace collapsed)."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.rows, self._row, self._cell, self._in_body = [], None, None, False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" | ")

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_body = False
        elif tag == "td" and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def read_csv(body):
    if not body.startswith(b"\xef\xbb\xbf"):
        raise AssertionError("no byte-order mark: %r" % body[:20])
    text = body[3:].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def read_xlsx(body):
    """(sheet title, rows of values); fails on any formula cell."""
    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(body), data_only=False)
    ws = wb.worksheets[0]
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                raise AssertionError("a formula in the workbook at %s: %r"
                                     % (cell.coordinate, cell.value))
    return ws.title, [list(r) for r in ws.iter_rows(values_only=True)]


def neutralised(text):
    """A text cell as the CSV must write it: a leading ' before = + - @ or a tab."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t") else text


class WeeklyReportTests(unittest.TestCase):

    @classmethod
    def at(cls, when):
        """(Re)starts the server with its clock at `when` (UTC seconds)."""
        if cls.server.proc is not None:
            cls.server.stop()
        cls.server.start(env={"CAIRN_TIME_OFFSET": str(when - int(time.time()))})

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = Server(name="weekly", env={})
        try:
            cls.build()
        except Exception:
            cls.server.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            cls.server.stop()
        finally:
            cls.server.cleanup()
            super().tearDownClass()

    @classmethod
    def signed_in(cls, user_id):
        return session_for(cls.server, user_id)

    @classmethod
    def build(cls):
        s = cls.server
        cls.at(PHASE_REFER)
        n = str(os.getpid())
        cls.cw_email = "weekly.cw%s@example.gov.uk" % n
        cls.cw2_email = "weekly.cw2.%s@example.gov.uk" % n
        cls.cw_id = add_user(s, cls.cw_email, "case_worker", "Wendy Weekly",
                             authority="Glasgow City")
        cls.cw2_id = add_user(s, cls.cw2_email, "case_worker", "Other Worker",
                              authority="Glasgow City")
        cls.glasgow = s.scalar("SELECT id FROM local_authority WHERE name = 'Glasgow City'")
        cls.fife = s.scalar("SELECT id FROM local_authority WHERE name = 'Fife'")
        cw = cls.signed_in(cls.cw_id)
        cw2 = cls.signed_in(cls.cw2_id)
        fife_cw = cls.signed_in(s.user_id(CASE_WORKER_FIFE))

        def client(worker, last, **over):
            fields = {"first_name": "Wk", "last_name": last + n, "order_date": "01/09/%d" % YEAR}
            fields.update(over)
            return new_client(s, worker, "fast", **fields)

        # Clients of Wendy (36 other activity hours = 2160 minutes unless said).
        cls.alpha = client(cw, "Alpha", activity_hours="36")
        cls.bravo = client(cw, "Bravo", activity_hours="36", first_name="Zo\u00eb")
        cls.charlie = client(cw, "Charlie", activity_hours="36",
                             case_reference='=SUM(1,2) "q"')  # a formula, in CSV
        cls.delta = client(cw, "Delta", activity_hours="3")            # 180 minutes
        cls.echo = client(cw, "Echo", activity_hours="36",
                          complete_by=(SUNDAY + 11 * DAY).strftime("%d/%m/%Y"))
        cls.foxtrot = client(cw, "Foxtrot", activity_hours="36")       # withdrawn later
        cls.golf = client(cw, "Golf", activity_hours="36",
                          complete_by=(MONDAY - DAY).strftime("%d/%m/%Y"))
        cls.hotel = client(cw, "Hotel", activity_hours="36", date_of_birth="29/02/1988",
                           case_reference="")
        # Another Glasgow case worker's client, and a Fife one.
        cls.india = client(cw2, "India", activity_hours="36")
        cls.juliet = client(fife_cw, "Juliet", activity_hours="36")
        for p in (cls.alpha, cls.bravo, cls.charlie, cls.delta, cls.echo, cls.foxtrot,
                  cls.golf, cls.hotel, cls.india, cls.juliet):
            p.order_reference = s.scalar("SELECT reference FROM court_order WHERE id = ?",
                                         (p.order_id,))

        # Sessions (London time; "W42" is the week before, "W43" the week, "W44" the week
        # after): S42 the Wednesday before, 10:00 BST; T1..T5 Monday to Friday of the week
        # at 10:00 BST; TSUN the Sunday 23:00 GMT (after the change, the week's last hour),
        # 60 minutes; NEXT the Monday after 10:00 GMT and NEXT2 the Thursday after.
        cls.s42 = add_session(s, at_utc(MONDAY - 5 * DAY, "09:00"))
        cls.t = [add_session(s, at_utc(MONDAY + i * DAY, "09:00")) for i in range(5)]
        t1, t2, t3, t4, t5 = cls.t
        cls.tsun = add_session(s, at_utc(SUNDAY, "23:00"), minutes=60)
        cls.next_at = at_utc(SUNDAY + DAY, "10:00")
        cls.next2_at = at_utc(SUNDAY + 4 * DAY, "10:00")
        cls.next = add_session(s, cls.next_at)
        cls.next2 = add_session(s, cls.next2_at)

        a, b, c, d, e, f, h = (cls.alpha, cls.bravo, cls.charlie, cls.delta, cls.echo,
                               cls.foxtrot, cls.hotel)
        cls.bk = {}
        for p, sessions in ((a, [cls.s42, t1, cls.tsun, cls.next2, cls.next]),
                            (b, [t1, t2, t3]), (c, [t1, t4]), (d, [t2, t3]), (e, [t5]),
                            (f, [t1]), (h, [cls.next2]), (cls.india, [t1]),
                            (cls.juliet, [t1])):
            for sid in sessions:
                cls.bk[(p.client_id, sid)] = book_ok(p, sid)
        # Alpha books T2 and cancels it: not counted.
        cancelled = book_ok(a, t2)
        r = cancel(a, cancelled)
        assert r.status == 303, r

        # W42: S42 taken; Alpha attended (120 minutes credited in W42).
        cls.at(PHASE_W42)
        fac = cls.signed_in(s.user_id(FACILITATOR))
        cls.save(fac, cls.s42, [(a, {"outcome": "attended"})])

        # Sunday night of W43, after the clock change: the week's registers.
        cls.at(PHASE_SUNDAY)
        fac = cls.signed_in(s.user_id(FACILITATOR))
        cls.save(fac, t1, [(a, {"outcome": "attended"}),
                           (b, {"outcome": "did_not_attend"}),
                           (c, {"outcome": "absence_accepted", "reason": "Hospital"}),
                           (f, {"outcome": "attended"}),
                           (cls.india, {"outcome": "attended"}),
                           (cls.juliet, {"outcome": "attended"})])
        cls.save(fac, t2, [(b, {"outcome": "failed_to_comply", "note": "Camera off"}),
                           (d, {"outcome": "attended"})])
        cls.save(fac, t3, [(b, {"outcome": "attended_part", "minutes": "45"}),
                           (d, {"outcome": "attended"})])   # 60 of its 120 counted
        cls.save(fac, t4, [(c, {"outcome": "did_not_attend"})])
        cls.save(fac, t5, [(e, {"outcome": "attended_part", "minutes": "20"})])
        cls.save(fac, cls.tsun, [(a, {"outcome": "attended"})])
        # Corrections made in W43: Alpha's W42 session (120 -> 60: -120 and +60 now), and
        # Bravo's T3 (45 -> 120: -45 and +120 now).
        cls.save(fac, cls.s42, [(a, {"outcome": "attended_part", "minutes": "60",
                                     "correction": "Left at the break"})])
        cls.save(fac, t3, [(b, {"outcome": "attended", "correction": "Stayed to the end"})])

        # W44: Charlie's T4 corrected from did not attend to attended (+120 in W44); Foxtrot's
        # referral withdrawn.
        cls.at(PHASE_LATE)
        fac = cls.signed_in(s.user_id(FACILITATOR))
        cls.save(fac, t4, [(c, {"outcome": "attended", "correction": "Register mixed up"})])
        s.sql("UPDATE referral SET status = 'withdrawn' WHERE id = ?", (f.referral_id,))

        # What Wendy's report for W43 must say, worked out from the above.
        # (last name, booked, attended, missed, absences, credited, done, left, next, flags)
        cls.expected = {
            # S42 +120 (W42); T1 +120, TSUN +60, S42 correction -120 +60 (all W43).
            a.client_id: (2, 2, 0, 0, 120, 240, 2160 - 240, cls.next_at, ""),
            # T1 DNA, T2 FTC (0), T3 45 then corrected to 120 in the week.
            b.client_id: (3, 1, 2, 0, 120, 120, 2040, None, "Missed this week"),
            # T1 absence; T4 now attended (corrected in W44: outcome current, hours W44).
            c.client_id: (2, 1, 0, 1, 0, 0, 2160, None, ""),
            # 120 + 120 credited, 180 counted: hours complete.
            d.client_id: (2, 2, 0, 0, 180, 180, 0, None, "Hours complete"),
            # 20 minutes; completes 11 November, 11 days after the Sunday.
            e.client_id: (1, 1, 0, 0, 20, 20, 2140, None, "Completion due within 14 days"),
            h.client_id: (0, 0, 0, 0, 0, 0, 2160, cls.next2_at, ""),
        }
        cls.india_expected = (1, 1, 0, 0, 120, 120, 2040, None, "")
        cls.mine = [a, b, c, d, e, h]
        cls.cw = cls.signed_in(cls.cw_id)

    @classmethod
    def save(cls, fac, sid, marks):
        by_booking = {cls.bk[(p.client_id, sid)]: v for p, v in marks}
        r = save_register(fac, sid, by_booking)
        if r.status != 303:
            raise AssertionError("register %d not saved (%d): %s" % (sid, r.status,
                                                                     r.page.summary))

    # -- helpers --------------------------------------------------------------------------

    def person(self, client_id):
        return {p.client_id: p for p in self.mine + [self.india, self.juliet,
                                                     self.foxtrot, self.golf]}[client_id]

    def expected_csv_row(self, p, figures, case_worker="Wendy Weekly"):
        booked, attended, missed, absent, credited, done, left, nxt, flags = figures
        f = p.fields
        complete_by = datetime.date.fromisoformat(p.complete_by).isoformat()
        dob = datetime.datetime.strptime(f["date_of_birth"], "%d/%m/%Y").date().isoformat()
        return [p.last_name, p.first_name, dob, neutralised(f["case_reference"]),
                f["order_reference"],
                p.order_reference, str(booked), str(attended), str(missed), str(absent),
                hours(credited), hours(done), hours(left), complete_by,
                london_clock(nxt).strftime("%Y-%m-%d %H:%M") if nxt else "", flags,
                case_worker, "Glasgow City"]

    def get_ok(self, http, path):
        r = http.get(path)
        self.assertEqual(r.status, 200, "%s: %s" % (path, r.text[:500]))
        return r

    def csv_rows(self, http, query):
        r = self.get_ok(http, "/reports/weekly.csv?" + query)
        self.assertEqual(r.header("Content-Type"), "text/csv; charset=utf-8")
        return r, read_csv(r.body)

    # -- the figures ----------------------------------------------------------------------

    def test_case_worker_csv_has_every_figure(self):
        r, rows = self.csv_rows(self.cw, "week=" + WEEK)
        self.assertIn('filename="cairn-weekly-%s.csv"' % WEEK, r.header("Content-Disposition"))
        self.assertEqual(r.header("Cache-Control"), "no-store")
        self.assertEqual(rows[0], HEADINGS)
        # CRLF after every record, including the last; no bare LF.
        body = r.body
        self.assertTrue(body.endswith(b"\r\n"))
        self.assertEqual(body.count(b"\n"), body.count(b"\r\n"))
        self.assertEqual(body.count(b"\r\n"), 1 + len(self.mine))
        want = sorted((self.expected_csv_row(self.person(cid), fig)
                       for cid, fig in self.expected.items()), key=lambda x: (x[0], x[1]))
        self.assertEqual(len(rows) - 1, len(want), [x[0] for x in rows[1:]])
        for got, exp in zip(rows[1:], want):
            with self.subTest(client=exp[0]):
                for h, g, e in zip(HEADINGS, got, exp):
                    self.assertEqual(g, e, "%s of %s" % (h, exp[0]))
        names = {x[0] for x in rows[1:]}
        for absent in (self.foxtrot, self.golf, self.india, self.juliet):
            self.assertNotIn(absent.last_name, names)

    def test_the_week_after_counts_the_late_correction(self):
        # Charlie's T4 correction was made in W44: credited there, and done by its end.
        _, rows = self.csv_rows(self.cw, "week=" + WEEK_AFTER)
        by_name = {x[0]: x for x in rows[1:]}
        c = by_name[self.charlie.last_name]
        self.assertEqual(c[6:13], ["0", "0", "0", "0", "2.00", "2.00", "34.00"])
        a = by_name[self.alpha.last_name]
        # Alpha: NEXT and NEXT2 booked in W44, not yet recorded.
        self.assertEqual(a[6:13], ["2", "0", "0", "0", "0.00", "4.00", "32.00"])
        self.assertEqual(a[14], "")
        # Foxtrot stays out (withdrawn); Golf's order ended before W44.
        self.assertNotIn(self.foxtrot.last_name, by_name)
        self.assertNotIn(self.golf.last_name, by_name)
        # W42: Alpha's S42, as it stood then: credited 120 (the reversal is in W43).
        _, rows = self.csv_rows(self.cw, "week=" + WEEK_BEFORE)
        by_name = {x[0]: x for x in rows[1:]}
        a = by_name[self.alpha.last_name]
        self.assertEqual(a[6:13], ["1", "1", "0", "0", "2.00", "2.00", "34.00"])
        self.assertEqual(a[14], "%s 10:00" % MONDAY.isoformat())  # T1, 10:00 BST
        # Golf's order (complete by the Sunday before) is in the week before.
        self.assertIn(self.golf.last_name, by_name)

    def test_zz_a_week_with_no_sessions_at_all(self):
        # (Named to run last: a server that fails this may have stopped.)
        # WEEK_EMPTY (in December): orders still active, but no session in or
        # after the week anywhere. Every line is there with nothing booked or credited.
        want = {self.alpha.last_name: 240, self.bravo.last_name: 120,
                self.charlie.last_name: 120, self.delta.last_name: 180,
                self.hotel.last_name: 0}
        for path in ("/reports/weekly", "/reports/weekly.csv", "/reports/weekly.xlsx"):
            with self.subTest(path=path):
                self.get_ok(self.cw, path + "?week=" + WEEK_EMPTY)
        _, rows = self.csv_rows(self.cw, "week=" + WEEK_EMPTY)
        self.assertEqual(sorted(x[0] for x in rows[1:]), sorted(want))
        for row in rows[1:]:
            with self.subTest(client=row[0]):
                done = want[row[0]]
                left = max(0, (180 if row[0] == self.delta.last_name else 2160) - done)
                self.assertEqual(row[6:15], ["0", "0", "0", "0", "0.00", hours(done),
                                             hours(left), row[13], ""])
        r = subprocess.run([BIN, "report", "weekly", "--db", self.server.db, "--week",
                            WEEK_EMPTY, "--case-worker", self.cw_email, "--format", "csv"],
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn(b"runtime error", r.stderr)

    def test_page_shows_the_same_figures(self):
        r = self.get_ok(self.cw, "/reports/weekly?week=" + WEEK)
        self.assertIn("Week %s: Monday %s to Sunday %s" % (WEEK, long_date(MONDAY.isoformat()),
                                                          long_date(SUNDAY.isoformat())), r.text)
        self.assertIn("6 clients with an active order (your clients): 1 missed a session "
                      "this week, 1 must complete within 14 days with hours left, 1 have "
                      "completed their hours.", " ".join(r.text.split()))
        rows = TableParser(r.text).rows
        self.assertEqual(len(rows), len(self.mine))
        by_name = {}
        for row in rows:
            by_name[row[0].split(" | ")[0]] = row
        for cid, fig in self.expected.items():
            p = self.person(cid)
            booked, attended, missed, absent, credited, done, left, nxt, flags = fig
            with self.subTest(client=p.last_name):
                row = by_name["%s %s" % (p.first_name, p.last_name)]
                dob = datetime.datetime.strptime(p.fields["date_of_birth"], "%d/%m/%Y")
                want = ["%s %s | %s" % (p.first_name, p.last_name, p.order_reference),
                        long_date(dob.date().isoformat()), p.fields["case_reference"],
                        p.fields["order_reference"], str(booked), str(attended), str(missed),
                        str(absent), hours(credited), hours(done), hours(left),
                        long_date(p.complete_by), london_text(nxt) if nxt else "None", flags]
                self.assertEqual(row, want)
        self.assertIn('href="/reports/weekly.csv?week=%s"' % WEEK, r.text)
        self.assertIn('href="/reports/weekly.xlsx?week=%s"' % WEEK, r.text)
        self.assertIn('href="/reports/weekly?week=%s"' % WEEK_BEFORE, r.text)
        self.assertIn('href="/reports/weekly?week=%s"' % WEEK_AFTER, r.text)

    def test_xlsx_agrees_with_csv_cell_by_cell(self):
        for who, query in ((self.cw, "week=" + WEEK),
                           (self.signed_in(self.server.user_id(LEAD)), "week=" + WEEK)):
            _, rows = self.csv_rows(who, query)
            r = self.get_ok(who, "/reports/weekly.xlsx?" + query)
            self.assertEqual(r.header("Content-Type"),
                             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            self.assertTrue(r.body.startswith(b"PK\x03\x04"))
            title, sheet = read_xlsx(r.body)
            self.assertEqual(title, "Weekly report")
            self.assertEqual(len(sheet), len(rows))
            self.assertEqual(list(sheet[0]), HEADINGS)
            for got, want in zip(sheet[1:], rows[1:]):
                for col, (h, x, c) in enumerate(zip(HEADINGS, got, want)):
                    with self.subTest(row=want[0], column=h):
                        if col in (2, 13):
                            self.assertIsInstance(x, datetime.datetime)
                            self.assertEqual(x.date().isoformat(), c)
                        elif col == 14:
                            if c == "":
                                self.assertIsNone(x)
                            else:
                                self.assertIsInstance(x, datetime.datetime)
                                self.assertEqual(x.strftime("%Y-%m-%d %H:%M"), c)
                        elif 6 <= col <= 9:
                            self.assertIsInstance(x, (int, float))
                            self.assertNotIsInstance(x, bool)
                            self.assertEqual(x, int(c))
                        elif 10 <= col <= 12:
                            self.assertIsInstance(x, (int, float))
                            self.assertEqual("%.2f" % (x + 1e-9), c)
                        else:
                            self.assertEqual(neutralised(x) if x is not None else "", c)
        # Exact hours in the workbook: Echo's 20 minutes are 1/3 of an hour.
        _, sheet = read_xlsx(self.get_ok(self.cw, "/reports/weekly.xlsx?week=" + WEEK).body)
        [echo] = [x for x in sheet if x[0] == self.echo.last_name]
        self.assertAlmostEqual(echo[10], 20 / 60, places=9)
        self.assertAlmostEqual(echo[12], 2140 / 60, places=9)

    def test_cli_writes_the_same_csv(self):
        web = self.get_ok(self.cw, "/reports/weekly.csv?week=" + WEEK).body
        r = subprocess.run([BIN, "report", "weekly", "--db", self.server.db, "--week", WEEK,
                            "--case-worker", self.cw_email, "--format", "csv"],
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, web)
        self.assertIn(("week %s, 6 clients" % WEEK).encode(), r.stderr)
        # The authority's, to a file, equals the lead's download.
        lead = self.signed_in(self.server.user_id(LEAD))
        web = self.get_ok(lead, "/reports/weekly.csv?week=" + WEEK).body
        out = os.path.join(self.server.tmp, "glasgow.csv")
        r = subprocess.run([BIN, "report", "weekly", "--db", self.server.db, "--week", WEEK,
                            "--authority", "Glasgow City", "--format", "csv", "--output", out],
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), web)
        # XLSX from the CLI reads back to the same cells as the web's.
        r = subprocess.run([BIN, "report", "weekly", "--db", self.server.db, "--week", WEEK,
                            "--case-worker", self.cw_email, "--format", "xlsx"],
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        web = self.get_ok(self.cw, "/reports/weekly.xlsx?week=" + WEEK).body
        self.assertEqual(read_xlsx(r.stdout), read_xlsx(web))
        # Bad CLI input: a clear message, exit 2.
        for args, message in ((["--week", "2027-W53"], b"--week wants an ISO week"),
                              (["--authority", "Atlantis"], b"no local authority"),
                              (["--case-worker", "nobody@example.com"], b"no case worker"),
                              (["--case-worker", self.cw_email, "--authority", "Fife"],
                               b"is not a case worker of Fife")):
            with self.subTest(args=args):
                r = subprocess.run([BIN, "report", "weekly", "--db", self.server.db,
                                    "--format", "csv", *args], capture_output=True, timeout=60)
                self.assertEqual(r.returncode, 2)
                self.assertIn(message, r.stderr)
                self.assertEqual(r.stdout, b"")

    # -- who sees what --------------------------------------------------------------------

    def test_lead_sees_their_authority_only(self):
        lead = self.signed_in(self.server.user_id(LEAD))
        r, rows = self.csv_rows(lead, "week=" + WEEK)
        self.assertIn('filename="cairn-weekly-%s-glasgow-city.csv"' % WEEK,
                      r.header("Content-Disposition"))
        by_name = {x[0]: x for x in rows[1:]}
        for cid, fig in self.expected.items():
            p = self.person(cid)
            self.assertEqual(by_name[p.last_name], self.expected_csv_row(p, fig))
        self.assertEqual(by_name[self.india.last_name],
                         self.expected_csv_row(self.india, self.india_expected, "Other Worker"))
        self.assertNotIn(self.juliet.last_name, by_name)
        self.assertNotIn(self.foxtrot.last_name, by_name)
        self.assertEqual({x[17] for x in rows[1:]}, {"Glasgow City"})
        page = self.get_ok(lead, "/reports/weekly?week=%s&authority=%d" % (WEEK, self.glasgow))
        self.assertIn("Other Worker", page.text)
        self.assertIn(self.india.last_name, page.text)
        for path in ("/reports/weekly", "/reports/weekly.csv", "/reports/weekly.xlsx"):
            with self.subTest(path=path):
                r = lead.get("%s?week=%s&authority=%d" % (path, WEEK, self.fife))
                self.assertEqual(r.status, 404)
                self.assertNotIn(self.juliet.last_name, r.text)

    def test_case_worker_sees_own_clients_whatever_authority_says(self):
        for authority in (self.fife, self.glasgow, 999999):
            with self.subTest(authority=authority):
                _, rows = self.csv_rows(self.cw, "week=%s&authority=%d" % (WEEK, authority))
                self.assertEqual(sorted(x[0] for x in rows[1:]),
                                 sorted(p.last_name for p in self.mine))
                page = self.get_ok(self.cw, "/reports/weekly?week=%s&authority=%d"
                                   % (WEEK, authority))
                self.assertNotIn(self.juliet.last_name, page.text)
                self.assertNotIn(self.india.last_name, page.text)
        # The other Glasgow case worker sees India only of these.
        _, rows = self.csv_rows(self.signed_in(self.cw2_id), "week=" + WEEK)
        self.assertEqual([x[0] for x in rows[1:]], [self.india.last_name])

    def test_coordinator_chooses_an_authority(self):
        co = self.signed_in(self.server.user_id(COORDINATOR))
        page = self.get_ok(co, "/reports/weekly?week=" + WEEK)
        self.assertIn('<select', page.text)
        self.assertEqual(TableParser(page.text).rows, [])
        r = co.get("/reports/weekly.csv?week=" + WEEK)
        self.assertEqual(r.status, 400)
        self.assertIn(AUTHORITY_ERROR, r.text)
        _, rows = self.csv_rows(co, "week=%s&authority=%d" % (WEEK, self.fife))
        self.assertIn(self.juliet.last_name, [x[0] for x in rows[1:]])
        self.assertEqual({x[17] for x in rows[1:]}, {"Fife"})

    def test_others_cannot_see_it(self):
        fac = self.signed_in(self.server.user_id(FACILITATOR))
        for path in ("/reports/weekly", "/reports/weekly.csv", "/reports/weekly.xlsx"):
            with self.subTest(path=path):
                q = "%s?week=%s&authority=%d" % (path, WEEK, self.glasgow)
                self.assertEqual(fac.get(q).status, 404)
                self.alpha.http = self.signed_in(self.alpha.user_id)
                self.assertEqual(self.alpha.http.get(q).status, 404)
                r = Client(self.server).get(q)
                self.assertIn(r.status, (302, 303))
                self.assertTrue(r.location.startswith("/sign-in?next="), r.location)
                self.assertNotIn(self.alpha.last_name, r.text)

    def test_each_view_is_audited_per_client(self):
        def audits():
            return self.server.sql("SELECT subject_id FROM audit WHERE user_id = ? AND "
                                   "action = 'weekly_report' AND subject_type = 'client' "
                                   "ORDER BY id",
                                   (self.cw_id,))
        want = sorted(p.client_id for p in self.mine)
        for path in ("/reports/weekly", "/reports/weekly.csv", "/reports/weekly.xlsx"):
            with self.subTest(path=path):
                before = len(audits())
                self.get_ok(self.cw, "%s?week=%s" % (path, WEEK))
                after = audits()
                self.assertEqual(sorted(x[0] for x in after[before:]), want)
        # A refused request reads nobody.
        before = len(audits())
        self.cw.get("/reports/weekly.csv?week=2026-W54")
        self.assertEqual(len(audits()), before)

    # -- bad input ------------------------------------------------------------------------

    def test_bad_input_is_refused_clearly(self):
        co = self.signed_in(self.server.user_id(COORDINATOR))
        bad_weeks = ["2026-W54", "2027-W53", "2026-W00", "garbage", "<script>alert(1)</script>",
                     WEEK + "' OR 1=1 --", "x" * 5000, "2026-W4\u00e9", "\ufffd\ufffd"]
        for week in bad_weeks:
            q = "week=" + urllib.parse.quote(week)
            for who, extra in ((self.cw, ""), (co, "&authority=%d" % self.glasgow)):
                with self.subTest(week=week[:30], who="cw" if who is self.cw else "co"):
                    r = who.get("/reports/weekly?" + q + extra)
                    self.assertEqual(r.status, 400, r.text[:300])
                    self.assertIn(WEEK_ERROR, [m for _, m in r.page.summary])
                    self.assertNotIn("<script>alert", r.text)
                    self.assertEqual(TableParser(r.text).rows, [])
                    for path in ("/reports/weekly.csv", "/reports/weekly.xlsx"):
                        r = who.get(path + "?" + q + extra)
                        self.assertEqual(r.status, 400)
                        self.assertIn(WEEK_ERROR, r.text)
                        self.assertNotIn("<script>alert", r.text)
        for authority in ("abc", "999999", "0", "-1", "1e3", "99999999999999999999999",
                          "<script>"):
            q = "week=%s&authority=%s" % (WEEK, urllib.parse.quote(authority))
            with self.subTest(authority=authority):
                r = co.get("/reports/weekly?" + q)
                self.assertEqual(r.status, 400, r.text[:300])
                self.assertIn(AUTHORITY_ERROR, [m for _, m in r.page.summary])
                self.assertEqual(TableParser(r.text).rows, [])
                for path in ("/reports/weekly.csv", "/reports/weekly.xlsx"):
                    r = co.get(path + "?" + q)
                    self.assertEqual(r.status, 400)
                    self.assertIn(AUTHORITY_ERROR, r.text)
        # A 53-week year's last week is a week.
        r = self.get_ok(self.cw, "/reports/weekly?week=2026-W53")
        self.assertIn("Monday 28 December 2026 to Sunday 3 January 2027", r.text)
        # The server is still well.
        self.assertEqual(Client(self.server).get("/healthz").status, 200)


if __name__ == "__main__":
    unittest.main()
