"""The impact dashboard (issue 5, part 3): figures for a period and area checked against
values this test computes itself from the base tables (referrals, bookings, the register,
the hours ledger, feedback) with Python's own Europe/London rules, for a crafted data set
with events either side of month and week boundaries and of both clock changes; a local
authority lead's restriction to their own authority; the CSV; bad input."""

import csv
import datetime
import io
import random
import re
import secrets
import zoneinfo

from tests.integration.harness import (ADMIN, CASE_WORKER, CASE_WORKER_FIFE, COORDINATOR,
                                       FACILITATOR, LEAD, Client, ServerTestCase)
from tests.integration.sessions_support import (add_session, new_client, save_register,
                                                server_now, staff)

LONDON = zoneinfo.ZoneInfo("Europe/London")
ATTENDED = ("attended", "attended_part")
OUTCOMES = ("attended", "attended", "attended", "attended_part", "did_not_attend",
            "absence_accepted", "failed_to_comply")
TOPICS = ("Digital skills", "Dealing with conflict", "Benefits and budgeting")


def utc(y, m, d, hh=0, mm=0):
    return int(datetime.datetime(y, m, d, hh, mm, tzinfo=datetime.timezone.utc).timestamp())


def london_day(t):
    return datetime.datetime.fromtimestamp(t, LONDON).date()


def london_midnight(d):
    return int(datetime.datetime(d.year, d.month, d.day, tzinfo=LONDON).timestamp())


# ---- the figures, computed independently ------------------------------------------------

class Oracle:
    """Reads the base tables once; answers each figure for a span of London days."""

    def __init__(self, server):
        q = server.sql
        self.referrals = q("SELECT client_id, case_worker_id, authority_id, created_at "
                           "FROM referral")
        self.bookings = q("SELECT b.id, b.created_at, c.authority_id, g.starts_at, g.topic_id "
                          "FROM booking b JOIN client c ON c.id = b.client_id "
                          "JOIN group_session g ON g.id = b.session_id")
        by_booking = {b["id"]: b for b in self.bookings}
        entries = q("SELECT id, booking_id, outcome, supersedes_id FROM register_entry")
        superseded = {e["supersedes_id"] for e in entries if e["supersedes_id"]}
        self.current = [(by_booking[e["booking_id"]], e["outcome"]) for e in entries
                        if e["id"] not in superseded]
        topic_of_entry = {e["id"]: by_booking[e["booking_id"]]["topic_id"] for e in entries}
        self.ledger = [(l["at"], l["authority_id"], l["counted_minutes"],
                        topic_of_entry.get(l["register_entry_id"]))
                       for l in q("SELECT l.at, l.counted_minutes, l.register_entry_id, "
                                  "c.authority_id FROM hours_ledger l "
                                  "JOIN court_order o ON o.id = l.order_id "
                                  "JOIN client c ON c.id = o.client_id")]
        self.feedback = [(by_booking[f["booking_id"]], f["knowledge_improved"], f["will_apply"])
                         for f in q("SELECT * FROM feedback")]
        self.topics = q("SELECT id, name FROM topic ORDER BY name")

    def figures(self, first, last, area=None):
        """first, last: dates, both included; area: an authority id or None for all."""
        lo, hi = london_midnight(first), london_midnight(last + datetime.timedelta(days=1))

        def inside(day):
            return first <= day <= last

        def mine(a):
            return area is None or a == area
        refs = [r for r in self.referrals if lo <= r["created_at"] < hi and mine(r["authority_id"])]
        outcomes = [o for b, o in self.current
                    if inside(london_day(b["starts_at"])) and mine(b["authority_id"])]
        answers = [(k, a) for b, k, a in self.feedback
                   if inside(london_day(b["starts_at"])) and mine(b["authority_id"])]
        ledger = [x for x in self.ledger if inside(london_day(x[0])) and mine(x[1])]
        f = {
            "clients": len({r["client_id"] for r in refs}),
            "case_workers": len({r["case_worker_id"] for r in refs}),
            "authorities": len({r["authority_id"] for r in refs}),
            "bookings": sum(1 for b in self.bookings
                            if inside(london_day(b["created_at"])) and mine(b["authority_id"])),
            "minutes": sum(x[2] for x in ledger),
            "outcomes": len(outcomes),
            "attended": sum(1 for o in outcomes if o in ATTENDED),
            "feedback": len(answers),
            "knowledge": sum(k for k, _ in answers),
            "apply": sum(a for _, a in answers),
        }
        f["topics"] = {t["name"]: sum(x[2] for x in ledger if x[3] == t["id"])
                       for t in self.topics}
        return f


def hours2(minutes):
    hundredths = half_up(abs(minutes) * 100, 60)
    return "%s%d.%02d" % ("-" if minutes < 0 else "", hundredths // 100, hundredths % 100)


def half_up(numerator, denominator):
    """numerator / denominator rounded to the nearest whole number, halves up."""
    return (2 * numerator + denominator) // (2 * denominator)


def share1(part, whole):
    """A percentage with one decimal."""
    if whole == 0:
        return ""
    tenths = half_up(part * 1000, whole)
    return "%d.%d" % (tenths // 10, tenths % 10)


def percent(part, whole):
    return half_up(part * 100, whole)


def weeks(first, last):
    """Monday-to-Sunday weeks from first to last, the first and last cut to the period."""
    out, d = [], first
    while d <= last:
        end = min(d + datetime.timedelta(days=6 - d.weekday()), last)
        out.append((d, end))
        d = end + datetime.timedelta(days=1)
    return out


def csv_rows(r):
    """The CSV's rows, checking the encoding and line ends on the way."""
    assert r.body.startswith(b"\xef\xbb\xbf"), r.body[:20]
    text = r.body[3:].decode("utf-8")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", ""), "a bare LF"
    return list(csv.reader(io.StringIO(text, newline="")))


def summary_list(text):
    return dict(re.findall(r'<span class="ds_summary-list__key">(.*?)</span>'
                           r'<span class="ds_summary-list__value">(.*?)</span>', text))


def grouped(n):
    return "{:,}".format(n)


# ---- the crafted data set -----------------------------------------------------------------

class Crafted:
    """Clients, orders and referrals in Glasgow City and Fife; sessions, bookings, register
    entries (one corrected), ledger credits (one reversed) and answers, written straight
    into the tables as the application would have, at chosen times."""

    def __init__(self, server):
        self.server = server
        self.n = 0
        self.fac = server.user_id(FACILITATOR)

    def client(self, authority, case_worker, created_at):
        s = self.server
        self.n += 1
        cid = s.sql("INSERT INTO client(authority_id, first_name, last_name, date_of_birth, "
                    "created_at) VALUES (?, 'Dash', ?, '1990-01-01', ?) RETURNING id",
                    (authority, "Client%d" % self.n, created_at))[0][0]
        oid = s.sql("INSERT INTO court_order(client_id, reference, court_reference, imposed_on, "
                    "unpaid_hours, activity_minutes, complete_by, created_at) VALUES "
                    "(?, ?, 'COURT', '2025-01-01', 100, 1800, '2027-12-31', ?) RETURNING id",
                    (cid, "O-DASH-%s" % secrets.token_hex(4), created_at))[0][0]
        s.sql("INSERT INTO referral(reference, client_id, order_id, case_worker_id, authority_id, "
              "status, form_token, created_at) VALUES (?, ?, ?, ?, ?, 'active', ?, ?)",
              ("R-DASH-%s" % secrets.token_hex(4), cid, oid, case_worker, authority,
               secrets.token_hex(8), created_at))
        return cid, oid

    def booking(self, client, starts_at, created_at, outcome=None, topic="Digital skills",
                minutes=120, answer=None):
        """answer: (knowledge, apply) or None."""
        s = self.server
        cid, oid = client
        sid = add_session(s, starts_at, minutes=minutes, topic=topic)
        bid = s.sql("INSERT INTO booking(session_id, client_id, order_id, status, created_at) "
                    "VALUES (?, ?, ?, 'booked', ?) RETURNING id", (sid, cid, oid, created_at))[0][0]
        if outcome is None:
            return bid, None
        recorded = starts_at + minutes * 60 + 600
        given = minutes // 2 if outcome == "attended_part" else (minutes if outcome == "attended" else 0)
        eid = s.sql("INSERT INTO register_entry(booking_id, outcome, minutes, reason, note, "
                    "recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    (bid, outcome, given, "Ill" if outcome == "absence_accepted" else None,
                     "Left" if outcome == "failed_to_comply" else None, self.fac, recorded))[0][0]
        if given:
            s.sql("INSERT INTO hours_ledger(order_id, kind, minutes, counted_minutes, "
                  "register_entry_id, recorded_by, at) VALUES (?, 'attendance', ?, ?, ?, ?, ?)",
                  (oid, given, given, eid, self.fac, recorded))
        if answer is not None:
            s.sql("INSERT INTO feedback(booking_id, knowledge_improved, will_apply, rating, "
                  "answered_at) VALUES (?, ?, ?, 4, ?)", (bid, answer[0], answer[1], recorded + 3600))
        return bid, eid

    def correct(self, client, entry_id, booking_id, outcome, at):
        """A register correction: a new entry superseding the old, the ledger reversal and
        the new credit, as the register does."""
        s = self.server
        cid, oid = client
        eid = s.sql("INSERT INTO register_entry(booking_id, outcome, minutes, supersedes_id, "
                    "correction_reason, recorded_by, recorded_at) VALUES (?, ?, ?, ?, "
                    "'Corrected', ?, ?) RETURNING id",
                    (booking_id, outcome, 120 if outcome == "attended" else 0, entry_id,
                     self.fac, at))[0][0]
        for old in s.sql("SELECT * FROM hours_ledger WHERE register_entry_id = ?", (entry_id,)):
            s.sql("INSERT INTO hours_ledger(order_id, kind, minutes, counted_minutes, "
                  "register_entry_id, reverses_id, reason, recorded_by, at) VALUES "
                  "(?, 'reversal', ?, ?, ?, ?, 'Corrected', ?, ?)",
                  (oid, -old["minutes"], -old["counted_minutes"], eid, old["id"], self.fac, at))
        if outcome in ATTENDED:
            s.sql("INSERT INTO hours_ledger(order_id, kind, minutes, counted_minutes, "
                  "register_entry_id, recorded_by, at) VALUES (?, 'attendance', 120, 120, ?, ?, ?)",
                  (oid, eid, self.fac, at))
        return eid


class DashboardTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.glasgow = s.scalar("SELECT id FROM local_authority WHERE name = 'Glasgow City'")
        cls.fife = s.scalar("SELECT id FROM local_authority WHERE name = 'Fife'")
        cw_g, cw_f = s.user_id(CASE_WORKER), s.user_id(CASE_WORKER_FIFE)
        c = Crafted(s)
        rng = random.Random(5)
        people = []
        # Referred across the year, in both authorities.
        for i in range(16):
            glasgow = i % 3 != 0
            made = utc(2025, 10, 3) + rng.randrange(0, 330 * 86400)
            people.append(c.client(cls.glasgow if glasgow else cls.fife, cw_g if glasgow else cw_f,
                                   made))
        # Sessions through the year: mixed outcomes and answers, three topics.
        for k in range(70):
            who = people[k % len(people)]
            starts = utc(2025, 10, 2, 9) + rng.randrange(0, 360 * 86400)
            outcome = rng.choice(OUTCOMES + (None,))
            answer = (rng.random() < 0.8, rng.random() < 0.9) if outcome in ATTENDED and \
                rng.random() < 0.7 else None
            c.booking(who, starts, starts - rng.randrange(3600, 9 * 86400), outcome,
                      topic=TOPICS[k % 3], answer=answer)
        p = people[1]
        # Either side of London midnight at the end of April (BST): 23:30 UTC on 30 April is
        # 00:30 on 1 May in London.
        c.booking(p, utc(2026, 4, 30, 22, 30), utc(2026, 4, 30, 23, 30), "attended",
                  answer=(1, 1))
        c.booking(p, utc(2026, 4, 30, 21, 0), utc(2026, 4, 30, 22, 59), "attended_part",
                  answer=(0, 1))
        # The night the clocks went back (26 October 2025, 01:00 UTC) and forward (29 March
        # 2026, 01:00 UTC), and weeks either side (Sunday 22:30 UTC / 23:30 UTC).
        c.booking(p, utc(2025, 10, 26, 0, 30), utc(2025, 10, 25, 23, 30), "attended",
                  answer=(1, 0))
        c.booking(p, utc(2026, 3, 29, 23, 30), utc(2026, 3, 22, 23, 30), "did_not_attend")
        c.booking(p, utc(2026, 3, 29, 22, 30), utc(2026, 3, 29, 0, 30), "attended")
        # A corrected register (attended -> did not attend) and one the other way.
        bid, eid = c.booking(people[2], utc(2026, 2, 10, 10), utc(2026, 2, 1), "attended")
        c.correct(people[2], eid, bid, "did_not_attend", utc(2026, 3, 2, 9))
        bid, eid = c.booking(people[3], utc(2026, 6, 10, 10), utc(2026, 6, 1), "did_not_attend")
        c.correct(people[3], eid, bid, "attended", utc(2026, 6, 12, 9))
        cls.oracle = Oracle(s)
        cls.admin = staff(s, ADMIN)
        cls.lead = staff(s, LEAD)

    # -- helpers ------------------------------------------------------------------------------

    def check_csv(self, r, buckets, area, area_name):
        self.assertEqual(r.status, 200, r.text[:1500])
        self.assertTrue(r.header("Content-Type").startswith("text/csv; charset=utf-8"))
        self.assertIn("attachment;", r.header("Content-Disposition"))
        rows = csv_rows(r)
        head = rows[0]
        topics = [t["name"] for t in self.oracle.topics]
        self.assertEqual(head[:14], ["Area", "From", "To", "Clients referred", "Bookings made",
                                     "Hours completed", "Local authorities using the service",
                                     "Case workers referring", "Feedback answers",
                                     "Knowledge improved (%)", "Intend to apply (%)",
                                     "Register outcomes", "Attended or attended part",
                                     "Attendance rate (%)"])
        self.assertEqual(len(rows), len(buckets) + 2)
        for row in rows:
            self.assertEqual(len(row), 14 + len(topics))
        for row, (first, last) in zip(rows[1:], buckets + [(buckets[0][0], buckets[-1][1])]):
            f = self.oracle.figures(first, last, area)
            what = "%s %s..%s" % (area_name, first, last)
            expected = [area_name, first.isoformat(), last.isoformat(), str(f["clients"]),
                        str(f["bookings"]), hours2(f["minutes"]), str(f["authorities"]),
                        str(f["case_workers"]), str(f["feedback"]),
                        share1(f["knowledge"], f["feedback"]), share1(f["apply"], f["feedback"]),
                        str(f["outcomes"]), str(f["attended"]),
                        share1(f["attended"], f["outcomes"])]
            self.assertEqual(row[:14], expected, what)
            by_topic = dict(zip(head[14:], row[14:]))
            for name in topics:
                key = ("'" + name if name[0] in "=+-@" else name) + " (hours)"
                self.assertEqual(by_topic[key], hours2(f["topics"][name]), (what, name))
        return rows

    # -- the figures ----------------------------------------------------------------------------

    def test_year_by_month_all_of_scotland(self):
        r = self.admin.get("/dashboard?from=1/10/2025&to=30/09/2026&area=all")
        self.assertEqual(r.status, 200)
        months = []
        d = datetime.date(2025, 10, 1)
        for _ in range(12):
            nxt = (d.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
            months.append((d, nxt - datetime.timedelta(days=1)))
            d = nxt
        f = self.oracle.figures(datetime.date(2025, 10, 1), datetime.date(2026, 9, 30))
        # The crafted set is big enough to mean something in every measure.
        for key in ("clients", "bookings", "minutes", "outcomes", "attended", "feedback"):
            self.assertGreater(f[key], 5, key)
        shown = summary_list(r.text)
        self.assertEqual(shown["Clients referred"], grouped(f["clients"]))
        self.assertEqual(shown["Bookings made"], grouped(f["bookings"]))
        self.assertEqual(shown["Case workers referring"], grouped(f["case_workers"]))
        self.assertEqual(shown["Local authorities using the service"], grouped(f["authorities"]))
        self.assertEqual(shown["Attendance rate"], "%d%% (%s of %s)" % (
            percent(f["attended"], f["outcomes"]), grouped(f["attended"]),
            grouped(f["outcomes"])))
        self.assertEqual(shown["Feedback: knowledge improved"], "%d%% (%s of %s)" % (
            percent(f["knowledge"], f["feedback"]), grouped(f["knowledge"]),
            grouped(f["feedback"])))
        # One chart per measure, each an accessible SVG with a summary and a table.
        self.assertEqual(r.text.count("<svg "), 9)
        self.assertEqual(r.text.count('role="img"'), 9)
        self.assertEqual(r.text.count("<title id="), 9)
        self.assertEqual(r.text.count('<table class="ds_table">'), 9)
        self.assertNotIn("style=", r.text.split("<main", 1)[1])
        self.assertIn("Attendance rate</strong>: of the bookings for sessions held in the period",
                      r.text)
        # Twelve columns in each chart over time.
        first_chart = r.text.split("<svg ", 2)[1]
        self.assertEqual(first_chart.count('<rect class="cairn-chart__bar"'), 12)
        csv_r = self.admin.get("/dashboard.csv?from=2025-10-01&to=2026-09-30&area=all")
        rows = self.check_csv(csv_r, months, None, "All of Scotland")
        # The XLSX holds the same figures, read back by a real reader: dates as dates,
        # counts, hours and percentages as numbers.
        import openpyxl
        x = self.admin.get("/dashboard.xlsx?from=2025-10-01&to=2026-09-30&area=all")
        self.assertEqual(x.status, 200)
        self.assertTrue(x.body.startswith(b"PK"))
        sheet = openpyxl.load_workbook(io.BytesIO(x.body)).active
        cells = [list(r) for r in sheet.iter_rows(values_only=True)]
        self.assertEqual([str(v) for v in cells[0]], rows[0])
        self.assertEqual(len(cells), len(rows))
        for got, want in zip(cells[1:], rows[1:]):
            for v, w in zip(got, want):
                if isinstance(v, datetime.datetime):
                    self.assertEqual(v.date().isoformat(), w)
                elif isinstance(v, (int, float)):
                    self.assertEqual("%.*f" % (len(w.split(".")[1]) if "." in w else 0, v), w)
                else:
                    self.assertEqual(v or "", w)

    def test_weeks_across_the_spring_clock_change_in_one_authority(self):
        spring = weeks(datetime.date(2026, 3, 16), datetime.date(2026, 4, 12))
        self.assertEqual(len(spring), 4)
        r = self.admin.get("/dashboard?from=16/03/2026&to=12/04/2026&area=%d" % self.glasgow)
        self.assertEqual(r.status, 200)
        self.assertIn("by week", r.text)
        self.assertIn("Week from 23 March 2026", r.text)
        rows = self.check_csv(self.admin.get("/dashboard.csv?from=2026-03-16&to=2026-04-12&area=%d"
                                             % self.glasgow), spring, self.glasgow, "Glasgow City")
        # The booking made at 00:30 on Monday 30 March London time (23:30 UTC on the 29th)
        # counts in the week from 30 March, not the week before.
        self.assertGreaterEqual(int(rows[3][4]), 1)

    def test_part_months_and_a_single_day(self):
        buckets = [(datetime.date(2026, 4, 15), datetime.date(2026, 4, 30)),
                   (datetime.date(2026, 5, 1), datetime.date(2026, 5, 31)),
                   (datetime.date(2026, 6, 1), datetime.date(2026, 6, 30)),
                   (datetime.date(2026, 7, 1), datetime.date(2026, 7, 20))]
        self.check_csv(self.admin.get("/dashboard.csv?from=15/04/2026&to=20/07/2026"), buckets,
                       None, "All of Scotland")
        one = [(datetime.date(2026, 5, 1), datetime.date(2026, 5, 1))]
        rows = self.check_csv(self.admin.get("/dashboard.csv?from=2026-05-01&to=2026-05-01"),
                              one, None, "All of Scotland")
        # 1 May in London: the two bookings made at 23:30 UTC on 30 April and later.
        self.assertGreaterEqual(int(rows[1][4]), 1)

    def test_coordinator_sees_it_too(self):
        c = staff(self.server, COORDINATOR)
        r = c.get("/dashboard?area=%d" % self.fife)
        self.assertEqual(r.status, 200)
        self.assertIn("Fife", r.text)
        self.assertIn('href="/dashboard"', c.get("/").text)

    # -- who may see what ---------------------------------------------------------------------

    def test_lead_sees_only_their_authority(self):
        period = "from=01/10/2025&to=30/09/2026"
        own = self.oracle.figures(datetime.date(2025, 10, 1), datetime.date(2026, 9, 30),
                                  self.glasgow)
        everyone = self.oracle.figures(datetime.date(2025, 10, 1), datetime.date(2026, 9, 30))
        self.assertNotEqual(own["bookings"], everyone["bookings"])
        for query in ("", "&area=all", "&area=%d" % self.fife, "&area=%d" % self.glasgow,
                      "&area=999", "&area=abc"):
            r = self.lead.get("/dashboard?" + period + query)
            self.assertEqual(r.status, 200, query)
            self.assertNotIn('<select class="ds_select" id="area"', r.text)
            self.assertIn("Glasgow City", r.page.title + r.text)
            shown = summary_list(r.text)
            self.assertEqual(shown["Bookings made"], grouped(own["bookings"]), query)
            self.assertEqual(shown["Clients referred"], grouped(own["clients"]), query)
            self.assertEqual(shown["Local authorities using the service"], "1", query)
            csv_r = self.lead.get("/dashboard.csv?from=2025-10-01&to=2025-10-31" + query)
            october = weeks(datetime.date(2025, 10, 1), datetime.date(2025, 10, 31))
            self.assertEqual(len(october), 5)
            rows = self.check_csv(csv_r, october, self.glasgow, "Glasgow City")
            self.assertEqual({row[0] for row in rows[1:]}, {"Glasgow City"})
        self.assertIn('href="/dashboard"', self.lead.get("/").text)

    def test_other_roles_get_not_found(self):
        for who in (CASE_WORKER, FACILITATOR):
            c = staff(self.server, who)
            self.assertEqual(c.get("/dashboard").status, 404, who)
            self.assertEqual(c.get("/dashboard.csv").status, 404, who)
            self.assertNotIn('href="/dashboard"', c.get("/").text)
        client = new_client(self.server, staff(self.server, CASE_WORKER))
        self.assertEqual(client.http.get("/dashboard").status, 404)
        self.assertEqual(client.http.get("/dashboard.csv").status, 404)
        r = Client(self.server).get("/dashboard.csv")
        self.assertEqual(r.status, 303)
        self.assertTrue(r.location.startswith("/sign-in?next="))

    # -- bad input ------------------------------------------------------------------------------

    def test_bad_input(self):
        cases = [
            ("from=31/02/2026&to=30/09/2026", {"from"}, "Enter a real date for the start"),
            ("from=01/10/2025&to=29/02/2026", {"to"}, "Enter a real date for the end"),
            ("from=yesterday", {"from"}, "Enter a real date"),
            ("from=1/10/2026&to=1/9/2026", {"to"}, "on or after its start"),
            ("from=1/1/2019&to=1/1/2026", {"to"}, "5 years or less"),
            ("area=999", {"area"}, "Choose an area from the list"),
            ("area=1%20OR%201=1", {"area"}, "Choose an area from the list"),
            ("from=%3Cscript%3Ealert(1)%3C/script%3E", {"from"}, "Enter a real date"),
        ]
        for query, fields, message in cases:
            r = self.admin.get("/dashboard?" + query)
            self.assertEqual(r.status, 400, query)
            self.assertEqual({f for f, _ in r.page.summary}, fields, query)
            self.assertIn(message, r.text, query)
            self.assertTrue(r.page.title.startswith("Error:"), query)
            self.assertNotIn("<svg", r.text)
            self.assertNotIn("<script>alert", r.text)
            r = self.admin.get("/dashboard.csv?" + query)
            self.assertEqual(r.status, 400, query)
            self.assertFalse(r.body.startswith(b"\xef\xbb\xbf"))
        r = self.admin.get("/dashboard?from=%C3%28")
        self.assertEqual(r.status, 400)

    def test_csv_neutralises_formulas(self):
        """A topic a coordinator named like a formula is text in the spreadsheet."""
        name = '=HYPERLINK("http://example.org/x","click")'
        self.server.sql("INSERT INTO topic(name) VALUES (?)", (name,))
        try:
            r = self.admin.get("/dashboard.csv?from=2026-01-01&to=2026-01-31")
            self.assertEqual(r.status, 200)
            raw = r.body.decode("utf-8-sig").split("\r\n")[0]
            self.assertIn('"\'=HYPERLINK(""http://example.org/x"",""click"") (hours)"', raw)
            head = csv_rows(r)[0]
            self.assertIn("'" + name + " (hours)", head)
            self.assertFalse([h for h in head if h[:1] in ("=", "+", "-", "@")])
        finally:
            self.server.sql("DELETE FROM topic WHERE name = ?", (name,))

    def test_changes_show_at_once(self):
        """An answer given through the page counts straight away (the triggers)."""
        total_before = int(csv_rows(self.admin.get("/dashboard.csv"))[-1][8])
        p = new_client(self.server, staff(self.server, CASE_WORKER))
        now = server_now(self.server)
        sid = add_session(self.server, now - 2 * 86400)
        [[bid]] = self.server.sql(
            "INSERT INTO booking(session_id, client_id, order_id, status, created_at) VALUES "
            "(?, ?, ?, 'booked', ?) RETURNING id", (sid, p.client_id, p.order_id, now - 3 * 86400))
        fac = staff(self.server, FACILITATOR)
        self.assertEqual(save_register(fac, sid, {bid: {"outcome": "attended"}}).status, 303)
        r = p.http.post_form("/feedback/%d" % bid, {"knowledge": "yes", "apply": "yes",
                                                    "rating": "5"})
        self.assertEqual(r.status, 303)
        self.assertEqual(int(csv_rows(self.admin.get("/dashboard.csv"))[-1][8]), total_before + 1)
