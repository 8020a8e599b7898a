"""Booking under the rules of SPEC.md section 3: only for an active order, only before the
session starts, never beyond capacity (also under 50 concurrent requests), never two
overlapping sessions for one client, never when the client's hours left are already
booked; cancelling only before the start frees the place. Clients see only their own
bookings; staff cannot use the client pages; odd ids get 404."""

import datetime
import html
import re
import threading

from tests.integration.harness import (ADMIN, CASE_WORKER, COORDINATOR, FACILITATOR, Client,
                                       ServerTestCase)
from tests.integration.sessions_support import (
    ALREADY, FULL, HOURS_BOOKED, LONDON, NOT_ACTIVE, NOT_FOUND, OVERLAP, STARTED, add_session,
    book, book_ok, booked_rows, booking_id_of, cancel, london_date, max_outbox, new_client,
    new_clients, outbox, refusal_of, server_now, staff, summary_value, topic_id)

DAY = 86400


class BookingTests(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cw = staff(cls.server, CASE_WORKER)
        # Test sessions start on whole hours ten days or more ahead, at times of day the
        # demo's sessions never use (5am to 8am London), so no client's are near theirs.
        now = server_now(cls.server)
        cls.base = now - now % 3600 + 10 * DAY
        cls.slot = 0
        cls.slot_lock = threading.Lock()

    def next_start(self):
        """A start time no other test in this class uses: whole days apart."""
        with self.slot_lock:
            BookingTests.slot += 1
            return self.base + self.slot * DAY

    def client(self, **over):
        return new_client(self.server, self.cw, "fast", **over)

    def assert_refused(self, r, message):
        """Refused with the message in the error summary, next to the Book button."""
        self.assertEqual(r.status, 409, r.text[:1500])
        self.assertEqual(r.page.summary, [("book", message)])
        self.assertIn(message, r.text)

    # -- capacity ---------------------------------------------------------------------

    def test_fifty_concurrent_bookings_for_twelve_places(self):
        people = new_clients(self.server, self.cw, 50)
        sid = add_session(self.server, self.next_start(), capacity=12)
        path = "/sessions/%d" % sid
        forms = []
        for p in people:
            page = p.http.get(path)
            self.assertEqual(page.status, 200)
            self.assertIn('action="%s/book"' % path, page.text)
            forms.append(page.page.hidden["csrf_token"])
        after = max_outbox(self.server)

        start = threading.Barrier(len(people))
        answers = [None] * len(people)

        def send(i):
            start.wait()
            try:
                answers[i] = people[i].http.post(path + "/book", {"csrf_token": forms[i]})
            except Exception as e:  # recorded, and failed on below
                answers[i] = e

        threads = [threading.Thread(target=send, args=(i,)) for i in range(len(people))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        errors = [a for a in answers if isinstance(a, Exception)]
        self.assertEqual(errors, [])

        booked = [(people[i], booking_id_of(a)) for i, a in enumerate(answers)
                  if a.status == 303]
        refused = [a for a in answers if a.status != 303]
        self.assertEqual(len(booked), 12, [a.status for a in answers])
        self.assertEqual(len(refused), 38)
        for r in refused:
            self.assert_refused(r, FULL)
        self.assertEqual(booked_rows(self.server, sid), 12)
        rows = self.server.sql("SELECT id, client_id FROM booking WHERE session_id = ?", (sid,))
        self.assertEqual(sorted((r["id"], r["client_id"]) for r in rows),
                         sorted((b, p.client_id) for p, b in booked))
        # Each booking was confirmed by email to its client, and nobody else was.
        mails = outbox(self.server, "booking_confirmation", after=after)
        self.assertEqual(sorted(m["recipient"] for m in mails),
                         sorted(p.email for p, _ in booked))
        # Everyone now sees it full; the winners see their booking.
        winners = [x for x, _ in booked]
        loser = next(p for p in people if p not in winners)
        self.assertEqual(summary_value(loser.http.get(path).text, "Places left"), "0")
        item = re.search(r'<a href="%s">.*?</li>' % path, loser.http.get("/sessions").text,
                         re.S).group(0)
        self.assertIn("Full", item)
        self.assertNotIn("Booked", item)
        item = re.search(r'<a href="%s">.*?</li>' % path, winners[0].http.get("/sessions").text,
                         re.S).group(0)
        self.assertIn("Booked", item)
        self.assert_refused(book(loser, sid), FULL)
        self.assertEqual(booked_rows(self.server, sid), 12)

    def test_cancelled_place_is_freed(self):
        a, b = self.client(), self.client()
        sid = add_session(self.server, self.next_start(), capacity=1)
        booking = book_ok(a, sid)
        self.assert_refused(book(b, sid), FULL)
        r = cancel(a, booking)
        self.assertEqual((r.status, r.location), (303, "/bookings/%d" % booking))
        page = a.http.get(r.location)
        self.assertIn("You cancelled this booking", page.text)
        self.assertNotIn('action="/bookings/%d/cancel"' % booking, page.text)
        row = self.server.sql("SELECT * FROM booking WHERE id = ?", (booking,))[0]
        self.assertEqual(row["status"], "cancelled")
        self.assertIsNotNone(row["cancelled_at"])
        # The place is free again: b takes it, and a cannot have it back.
        book_ok(b, sid)
        self.assert_refused(book(a, sid), FULL)
        self.assertEqual(booked_rows(self.server, sid), 1)
        # Cancelling twice is refused and changes nothing.
        r = cancel(a, booking)
        self.assertEqual(r.status, 409)
        self.assertEqual(r.page.h1, "This booking cannot be cancelled")
        self.assertEqual(self.server.scalar("SELECT cancelled_at FROM booking WHERE id = ?",
                                            (booking,)), row["cancelled_at"])

    # -- time ---------------------------------------------------------------------------

    def test_booking_after_the_start_is_refused(self):
        p = self.client()
        now = server_now(self.server)
        started = add_session(self.server, now - 300)
        page = p.http.get("/sessions/%d" % started)
        self.assertEqual(page.status, 200)
        self.assertIn("This session has started, so it cannot be booked.", page.text)
        self.assertNotIn("/book", page.text)
        # Sent anyway (an old form): refused, nothing stored.
        r = p.http.post("/sessions/%d/book" % started,
                        {"csrf_token": p.http.get("/").page.hidden["csrf_token"]})
        self.assert_refused(r, STARTED)
        self.assertEqual(booked_rows(self.server, started), 0)
        # A session starting at the very moment, and one that has ended, likewise.
        for start in (now - 3 * 3600, now - 1):
            sid = add_session(self.server, start)
            r = p.http.post("/sessions/%d/book" % sid,
                            {"csrf_token": p.http.get("/").page.hidden["csrf_token"]})
            self.assert_refused(r, STARTED)
            self.assertEqual(booked_rows(self.server, sid), 0)
        # A minute before the start, it can still be booked.
        soon = add_session(self.server, server_now(self.server) + 90)
        book_ok(p, soon)

    def test_cancelling_only_before_the_start(self):
        p = self.client()
        sid = add_session(self.server, self.next_start())
        booking = book_ok(p, sid)
        # The session starts (moved in the database, as time passing would).
        self.server.sql("UPDATE group_session SET starts_at = ? WHERE id = ?",
                        (server_now(self.server) - 60, sid))
        page = p.http.get("/bookings/%d" % booking)
        self.assertEqual(page.status, 200)
        self.assertNotIn('action="/bookings/%d/cancel"' % booking, page.text)
        after = max_outbox(self.server)
        r = cancel(p, booking)
        self.assertEqual(r.status, 409)
        self.assertEqual(r.page.h1, "This booking cannot be cancelled")
        row = self.server.sql("SELECT status, cancelled_at FROM booking WHERE id = ?",
                              (booking,))[0]
        self.assertEqual((row["status"], row["cancelled_at"]), ("booked", None))
        self.assertEqual(outbox(self.server, "booking_cancelled", after=after), [])

    # -- overlaps, double booking, hours ----------------------------------------------

    def test_overlapping_sessions_are_refused(self):
        p = self.client()
        t = self.next_start()
        a = add_session(self.server, t, minutes=120)
        overlaps_end = add_session(self.server, t + 3600, minutes=120)
        overlaps_start = add_session(self.server, t - 1800, minutes=60)
        inside = add_session(self.server, t + 1800, minutes=30)
        after_it = add_session(self.server, t + 7200, minutes=120)      # starts as a ends
        before_it = add_session(self.server, t - 7200, minutes=120)     # ends as a starts
        booking = book_ok(p, a)
        for sid in (overlaps_end, overlaps_start, inside):
            with self.subTest(session=sid):
                self.assert_refused(book(p, sid), OVERLAP)
                self.assertEqual(booked_rows(self.server, sid), 0)
        book_ok(p, after_it)
        book_ok(p, before_it)
        # Another client is not affected by p's bookings.
        book_ok(self.client(), overlaps_end)
        # Once a is cancelled, the overlapping one can be booked.
        self.assertEqual(cancel(p, booking).status, 303)
        book_ok(p, inside)
        # overlaps_end (t+1h to t+3h) still overlaps after_it (t+2h to t+4h).
        self.assert_refused(book(p, overlaps_end), OVERLAP)

    def test_double_booking_the_same_session(self):
        p = self.client()
        sid = add_session(self.server, self.next_start())
        booking = book_ok(p, sid)
        self.assert_refused(book(p, sid), ALREADY)
        page = p.http.get("/sessions/%d" % sid)
        self.assertIn('href="/bookings/%d"' % booking, page.text)
        # Ten at once from the same client: still one booking.
        q = self.client()
        sid2 = add_session(self.server, self.next_start())
        token = q.http.get("/sessions/%d" % sid2).page.hidden["csrf_token"]
        start = threading.Barrier(10)
        answers = [None] * 10

        def send(i):
            start.wait()
            answers[i] = q.http.post("/sessions/%d/book" % sid2, {"csrf_token": token})

        threads = [threading.Thread(target=send, args=(i,)) for i in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        self.assertEqual(sorted(a.status for a in answers), [303] + [409] * 9)
        for a in answers:
            if a.status == 409:
                self.assertEqual(refusal_of(a), ALREADY)
        self.assertEqual(booked_rows(self.server, sid2), 1)
        self.assertEqual(booked_rows(self.server, sid), 1)

    def test_not_when_hours_left_are_already_booked(self):
        # 3 hours of other activity: two 2-hour sessions cover them; a third is refused.
        p = self.client(unpaid_hours="20", activity_hours="3")
        self.assertEqual(p.activity_minutes, 180)
        s1, s2, s3 = (add_session(self.server, self.next_start()) for _ in range(3))
        b1 = book_ok(p, s1)
        book_ok(p, s2)
        self.assert_refused(book(p, s3), HOURS_BOOKED)
        self.assertEqual(booked_rows(self.server, s3), 0)
        # Cancelling one makes room again.
        self.assertEqual(cancel(p, b1).status, 303)
        book_ok(p, s3)
        # 2 hours: one 2-hour session, and no more.
        q = self.client(unpaid_hours="20", activity_hours="2")
        book_ok(q, s1)
        self.assert_refused(book(q, s2), HOURS_BOOKED)

    def test_only_for_an_active_order(self):
        yesterday = london_date(self.server, -1).isoformat()
        today = london_date(self.server).isoformat()
        sid = add_session(self.server, self.next_start())
        # Past its completion date.
        p = self.client()
        self.server.sql("UPDATE court_order SET complete_by = ? WHERE id = ?",
                        (yesterday, p.order_id))
        self.assert_refused(book(p, sid), NOT_ACTIVE)
        # Due today: still active.
        self.server.sql("UPDATE court_order SET complete_by = ? WHERE id = ?",
                        (today, p.order_id))
        book_ok(p, sid)
        # A withdrawn or completed referral.
        for status in ("withdrawn", "completed"):
            with self.subTest(status=status):
                q = self.client()
                self.server.sql("UPDATE referral SET status = ? WHERE id = ?",
                                (status, q.referral_id))
                self.assert_refused(book(q, sid), NOT_ACTIVE)
        # Welcomed and active referrals book.
        for status in ("welcomed", "active"):
            with self.subTest(status=status):
                q = self.client()
                self.server.sql("UPDATE referral SET status = ? WHERE id = ?",
                                (status, q.referral_id))
                book_ok(q, sid)
        self.assertEqual(booked_rows(self.server, sid), 3)

    # -- who sees what ------------------------------------------------------------------

    def test_clients_see_only_their_own_bookings(self):
        a, b = self.client(), self.client()
        sid = add_session(self.server, self.next_start())
        booking = book_ok(a, sid)
        self.assertEqual(a.http.get("/bookings/%d" % booking).status, 200)
        for path in ("/bookings/%d" % booking, "/bookings/%d/calendar.ics" % booking):
            with self.subTest(path=path):
                r = b.http.get(path)
                self.assertEqual(r.status, 404)
                self.assertEqual(r.page.h1, NOT_FOUND)
        r = b.http.post("/bookings/%d/cancel" % booking,
                        {"csrf_token": b.http.get("/").page.hidden["csrf_token"]})
        self.assertEqual(r.status, 404)
        self.assertEqual(self.server.scalar("SELECT status FROM booking WHERE id = ?",
                                            (booking,)), "booked")
        # b's home does not list a's booking; a's does.
        self.assertNotIn("/bookings/%d" % booking, b.http.get("/").text)
        self.assertIn("/bookings/%d" % booking, a.http.get("/").text)
        # Signed out: sent to sign in.
        r = Client(self.server).get("/bookings/%d" % booking)
        self.assertEqual(r.status, 303)
        self.assertTrue(r.location.startswith("/sign-in?next="))

    def test_staff_cannot_use_client_pages(self):
        p = self.client()
        sid = add_session(self.server, self.next_start())
        booking = book_ok(p, sid)
        for who in (CASE_WORKER, COORDINATOR, FACILITATOR, ADMIN):
            with self.subTest(who=who):
                s = staff(self.server, who)
                token = s.get("/").page.hidden["csrf_token"]
                for path in ("/sessions", "/sessions/%d" % sid, "/bookings/%d" % booking,
                             "/bookings/%d/calendar.ics" % booking):
                    self.assertEqual(s.get(path).status, 404, path)
                self.assertEqual(s.post("/sessions/%d/book" % sid,
                                        {"csrf_token": token}).status, 404)
                self.assertEqual(s.post("/bookings/%d/cancel" % booking,
                                        {"csrf_token": token}).status, 404)
        self.assertEqual(booked_rows(self.server, sid), 1)
        self.assertEqual(self.server.scalar("SELECT status FROM booking WHERE id = ?",
                                            (booking,)), "booked")

    def test_odd_and_unknown_ids(self):
        p = self.client()
        sid = add_session(self.server, self.next_start())
        token = p.http.get("/").page.hidden["csrf_token"]
        before = self.server.scalar("SELECT count(*) FROM booking")
        for bad in ("999999999", "99999999999999999999999999", "9223372036854775807",
                    "9223372036854775808", "0", "-1", "abc", "1x", "%d.0" % sid, "0x10",
                    "%20" + str(sid), "1e3"):
            with self.subTest(id=bad):
                for path in ("/sessions/%s" % bad, "/bookings/%s" % bad,
                             "/bookings/%s/calendar.ics" % bad):
                    r = p.http.get(path)
                    self.assertEqual(r.status, 404, path)
                    self.assertEqual(r.page.h1, NOT_FOUND)
                for path in ("/sessions/%s/book" % bad, "/bookings/%s/cancel" % bad):
                    r = p.http.post(path, {"csrf_token": token})
                    self.assertEqual(r.status, 404, path)
        self.assertEqual(self.server.scalar("SELECT count(*) FROM booking"), before)
        # A booking without the form's token is refused too.
        r = p.http.post("/sessions/%d/book" % sid, {})
        self.assertEqual(r.status, 403)
        self.assertEqual(booked_rows(self.server, sid), 0)

    # -- the list and its filters -----------------------------------------------------

    def listed(self, p, query=""):
        text = p.http.get("/sessions" + query).text
        return [int(x) for x in re.findall(r'<h3 class="cairn-session__title">'
                                           r'<a href="/sessions/(\d+)">', text)], text

    def expected(self, now, keep):
        rows = self.server.sql("SELECT g.id, g.starts_at, g.topic_id FROM group_session g "
                               "WHERE g.starts_at >= ? AND g.starts_at < ? "
                               "ORDER BY g.starts_at, g.id", (now, now + 56 * DAY))
        return [r["id"] for r in rows if keep(r)]

    def test_the_list_comes_a_hundred_at_a_time(self):
        p = self.client()
        self.server.sql("INSERT INTO topic(name) VALUES ('Paging test topic')")
        tid = topic_id(self.server, "Paging test topic")
        start = self.next_start() + 3600
        ids = [add_session(self.server, start + i * 60, minutes=15, topic="Paging test topic")
               for i in range(130)]
        # Other tests of this class list every session: take these away afterwards.
        self.addCleanup(self.server.sql, "DELETE FROM group_session WHERE topic_id = ?", (tid,))
        got, text = self.listed(p, "?topic=%d" % tid)
        self.assertEqual(got, ids[:100])
        self.assertIn("130 sessions that match", text)
        m = re.search(r'<a href="(/sessions\?[^"]*page=2)">Later sessions</a>', text)
        self.assertIsNotNone(m, "a link to the later sessions")
        got, text = self.listed(p, html.unescape(m.group(1))[len("/sessions"):])
        self.assertEqual(got, ids[100:])
        self.assertNotIn("Later sessions", text)

    def test_list_and_filters(self):
        p = self.client()
        # An evening and a Saturday morning session of a topic of their own.
        self.server.sql("INSERT INTO topic(name) VALUES ('Filter test topic')")
        t = self.next_start()
        d = datetime.datetime.fromtimestamp(t, LONDON).date()
        while d.weekday() != 5:
            d += datetime.timedelta(days=1)
        saturday = int(datetime.datetime(d.year, d.month, d.day, 10, 0, tzinfo=LONDON).timestamp())
        wednesday_evening = int(datetime.datetime(d.year, d.month, d.day, 19, 0,
                                                  tzinfo=LONDON).timestamp()) - 3 * DAY
        mine = [add_session(self.server, saturday, topic="Filter test topic"),
                add_session(self.server, wednesday_evening, topic="Filter test topic")]
        now = server_now(self.server)

        def local(r):
            return datetime.datetime.fromtimestamp(r["starts_at"], LONDON)

        def stable(ids):  # leave out sessions starting within the next minutes
            starts = dict((r["id"], r["starts_at"]) for r in self.server.sql(
                "SELECT id, starts_at FROM group_session"))
            return [i for i in ids if starts[i] > now + 600]

        got, text = self.listed(p)
        self.assertEqual(stable(got), stable(self.expected(now, lambda r: True)))
        self.assertGreaterEqual(len(got), 36, "the demo's sessions and these")
        tid = topic_id(self.server, "Filter test topic")
        got, text = self.listed(p, "?topic=%d" % tid)
        self.assertEqual(got, [mine[1], mine[0]], "in order of start")
        self.assertIn("2 sessions that match", text)
        got, _ = self.listed(p, "?day=Saturday")
        self.assertEqual(stable(got), stable(self.expected(now, lambda r: local(r).weekday() == 5)))
        self.assertIn(mine[0], got)
        self.assertNotIn(mine[1], got)
        got, _ = self.listed(p, "?day=Wednesday&topic=%d" % tid)
        self.assertEqual(got, [mine[1]])
        got, text = self.listed(p, "?when=evenings-weekends")
        self.assertEqual(stable(got), stable(self.expected(
            now, lambda r: local(r).hour >= 17 or local(r).weekday() >= 5)))
        self.assertTrue(set(mine) <= set(got))
        self.assertIn("Evening", text)
        self.assertIn("Weekend", text)
        # Mornings on weekdays are left out.
        got_all, _ = self.listed(p)
        weekday_mornings = self.expected(now, lambda r: local(r).hour < 17 and local(r).weekday() < 5)
        self.assertTrue(weekday_mornings)
        self.assertFalse(set(weekday_mornings) & set(got))
        # Unknown filters are ignored, not errors.
        r = p.http.get("/sessions?topic=abc&day=Someday&when=never")
        self.assertEqual(r.status, 200)
