"""Times and calendars: a weekly series scheduled across the spring clock change keeps its
London wall time (in the database, on the pages, in the .ics files, parsed with
python3-icalendar); booking and cancelling send an email with an .ics attachment (the
cancellation has the same UID and STATUS:CANCELLED); the schedule form refuses dates
that do not exist and times in the spring-forward gap; the joining link is shown only to
the booked client from 15 minutes before the start; the day-before reminder goes exactly
once per booking, across restarts (CAIRN_TIME_OFFSET moves the server's clock)."""

import datetime
import re

from tests.integration.harness import (CASE_WORKER, COORDINATOR, FACILITATOR, ServerTestCase,
                                       wait_until)
from tests.integration.sessions_support import (
    UTC, add_session, as_utc, book_ok, calendar_part, cancel, eml_for, london_text,
    max_outbox, new_client, outbox, parse_ics, server_now, session_for, settle, staff,
    summary_value, topic_id)

DAY = 86400


def last_sunday(year, month):
    d = datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
    return d - datetime.timedelta(days=(d.weekday() + 1) % 7)


def next_change(month, after):
    """The next last-Sunday-of-month clock change at least four weeks after `after`."""
    year = after.year
    while last_sunday(year, month) < after + datetime.timedelta(days=28):
        year += 1
    return last_sunday(year, month)


def utc(d, hour, minute=0):
    return int(datetime.datetime(d.year, d.month, d.day, hour, minute, tzinfo=UTC).timestamp())


def uk(d):
    return d.strftime("%d/%m/%Y")


class CalendarTests(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cw = staff(cls.server, CASE_WORKER)
        cls.coordinator = staff(cls.server, COORDINATOR)
        cls.facilitator_id = cls.server.user_id(FACILITATOR)

    def schedule(self, **over):
        fields = {"topic": str(topic_id(self.server, "Benefits and budgeting")),
                  "date": "", "start": "18:00", "minutes": "120", "capacity": "10",
                  "facilitator": str(self.facilitator_id),
                  "joining_link": "https://meet.example.org/series-%d" % server_now(self.server),
                  "weeks": "1"}
        fields.update(over)
        return self.coordinator.post_form("/schedule/new", fields), fields

    def session_count(self):
        return self.server.scalar("SELECT count(*) FROM group_session")

    # -- the clock change -----------------------------------------------------------------

    def test_weekly_series_across_the_spring_clock_change(self):
        change = next_change(3, datetime.date.today())      # 28 March 2027, seen from 2026
        first = change - datetime.timedelta(days=7)           # the Sunday before
        link = "https://meet.example.org/spring-%d" % server_now(self.server)
        r, _ = self.schedule(date=uk(first), start="18:00", weeks="3", joining_link=link)
        self.assertEqual((r.status, r.location), (303, "/schedule?added=3"), r.page.summary)
        rows = self.server.sql("SELECT * FROM group_session WHERE joining_link = ? "
                               "ORDER BY starts_at", (link,))
        self.assertEqual(len(rows), 3)
        self.assertTrue(rows[0]["series"])
        self.assertEqual({x["series"] for x in rows}, {rows[0]["series"]})
        days = [first + datetime.timedelta(days=7 * k) for k in range(3)]
        # 18:00 GMT is 18:00Z; 18:00 BST is 17:00Z, on the day of the change and after.
        self.assertEqual([x["starts_at"] for x in rows],
                         [utc(days[0], 18), utc(days[1], 17), utc(days[2], 17)])

        p = new_client(self.server, self.cw, "password")
        after = max_outbox(self.server)
        bookings = [book_ok(p, x["id"]) for x in rows]
        mails = outbox(self.server, "booking_confirmation", p.email, after)
        self.assertEqual(len(mails), 3)
        uids, confirmed = [], []
        for k, (row, booking, mail) in enumerate(zip(rows, bookings, mails)):
            with self.subTest(week=k):
                shown = london_text(row["starts_at"])
                self.assertTrue(shown.endswith(", 6:00pm"), shown)
                self.assertIn(days[k].strftime("%B"), shown)
                # The pages: the session, the booking, the client's home.
                page = p.http.get("/sessions/%d" % row["id"])
                self.assertEqual(summary_value(page.text, "When"), shown + " to 8:00pm")
                page = p.http.get("/bookings/%d" % booking)
                self.assertEqual(summary_value(page.text, "When"), shown)
                self.assertIn(shown, p.http.get("/").text)
                # The email and its calendar file.
                msg = eml_for(self.server, mail["id"])
                self.assertIn(shown, msg["Subject"])
                self.assertIn(shown, msg.get_body(("plain",)).get_content())
                part, data = calendar_part(msg)
                self.assertEqual(part.get_filename(), "session.ics")
                self.assertEqual(part.get_param("method"), "REQUEST")
                ev = self.check_event(data, row, "CONFIRMED", "REQUEST")
                uids.append(str(ev["UID"]))
                confirmed.append(ev)
                # The download parses to the same event.
                r = p.http.get("/bookings/%d/calendar.ics" % booking)
                self.assertEqual(r.status, 200)
                self.assertTrue(r.header("Content-Type").startswith("text/calendar"))
                self.assertIn("attachment", r.header("Content-Disposition"))
                ev2 = self.check_event(r.body, row, "CONFIRMED", "REQUEST")
                self.assertEqual(str(ev2["UID"]), uids[-1])
        self.assertEqual(len(set(uids)), 3, "one UID per session booked")
        # Every web address in the email and its calendar file works for the client.
        msg = eml_for(self.server, mails[0]["id"])
        _, data = calendar_part(msg)
        text = msg.get_body(("plain",)).get_content() + data.decode().replace("\r\n ", "")
        urls = set(re.findall(r"http://127\.0\.0\.1:\d+(/[^\s\\,;]*)", text))
        self.assertGreaterEqual(len(urls), 2, urls)
        for path in urls:
            self.assertEqual(p.http.get(path).status, 200, path)

        # Cancelling the one on the day of the change: an .ics with the same UID, cancelled.
        after = max_outbox(self.server)
        self.assertEqual(cancel(p, bookings[1]).status, 303)
        [mail] = outbox(self.server, "booking_cancelled", p.email, after)
        msg = eml_for(self.server, mail["id"])
        self.assertIn(london_text(rows[1]["starts_at"]), msg["Subject"])
        part, data = calendar_part(msg)
        self.assertEqual(part.get_param("method"), "CANCEL")
        ev = self.check_event(data, rows[1], "CANCELLED", "CANCEL")
        self.assertEqual(str(ev["UID"]), uids[1])
        self.assertGreater(int(ev.get("SEQUENCE", 0)), int(confirmed[1].get("SEQUENCE", 0)),
                           "a cancellation supersedes the booking")
        r = p.http.get("/bookings/%d/calendar.ics" % bookings[1])
        self.assertEqual(str(self.check_event(r.body, rows[1], "CANCELLED", "CANCEL")["UID"]),
                         uids[1])

        # Booking it again: the new invitation must not be taken as older than the
        # cancellation by a calendar (same UID needs a higher SEQUENCE; or a new UID).
        # (The server counts revisions by the second; a person takes longer than that to
        # cancel and book again.)
        cancelled_at = self.server.scalar("SELECT cancelled_at FROM booking WHERE id = ?",
                                          (bookings[1],))
        wait_until(lambda: server_now(self.server) > cancelled_at, timeout=3,
                   message="the next second")
        after = max_outbox(self.server)
        again = book_ok(p, rows[1]["id"])
        self.assertNotEqual(again, bookings[1])
        [mail] = outbox(self.server, "booking_confirmation", p.email, after)
        _, data = calendar_part(eml_for(self.server, mail["id"]))
        ev3 = self.check_event(data, rows[1], "CONFIRMED", "REQUEST")
        if str(ev3["UID"]) == uids[1]:
            self.assertGreater(int(ev3.get("SEQUENCE", 0)), int(ev.get("SEQUENCE", 0)),
                               "a rebooking with the cancelled event's UID needs a higher SEQUENCE")

    def check_event(self, data, row, status, method):
        """Parses an .ics file; checks its one event against the session row; returns it."""
        text = data.decode("utf-8")
        self.assertTrue(text.startswith("BEGIN:VCALENDAR\r\n"), text[:100])
        for line in text.split("\r\n"):
            self.assertLessEqual(len(line.encode()), 75, line)
        cal, events = parse_ics(data)
        self.assertEqual(str(cal["METHOD"]), method)
        self.assertEqual(str(cal["VERSION"]), "2.0")
        self.assertEqual(len(events), 1)
        ev = events[0]
        start, end = ev["DTSTART"], ev["DTEND"]
        self.assertEqual(start.params.get("TZID"), "Europe/London")
        # 18:00 wall time in London, whatever the offset that day.
        self.assertEqual((start.dt.hour, start.dt.minute), (18, 0))
        self.assertEqual(as_utc(start), datetime.datetime.fromtimestamp(row["starts_at"], UTC))
        self.assertEqual(as_utc(end) - as_utc(start), datetime.timedelta(minutes=row["minutes"]))
        # The file's own VTIMEZONE gives the same instant as the tz database.
        [vtz] = cal.walk("VTIMEZONE")
        self.assertEqual(str(vtz["TZID"]), "Europe/London")
        own = vtz.to_tz()
        naive = start.dt.replace(tzinfo=None)
        self.assertEqual(own.localize(naive).astimezone(UTC),
                         datetime.datetime.fromtimestamp(row["starts_at"], UTC))
        self.assertEqual(str(ev["STATUS"]), status)
        self.assertIn("Benefits and budgeting", str(ev["SUMMARY"]))
        self.assertTrue(str(ev["UID"]))
        self.assertNotIn(row["joining_link"], text, "the joining link is not in the file")
        return ev

    def test_weekly_series_across_the_autumn_clock_change(self):
        change = next_change(10, datetime.date.today())
        first = change - datetime.timedelta(days=7)
        link = "https://meet.example.org/autumn-%d" % server_now(self.server)
        r, _ = self.schedule(date=uk(first), start="6pm", weeks="2", joining_link=link)
        self.assertEqual(r.status, 303, r.page.summary)
        rows = self.server.sql("SELECT starts_at, id FROM group_session WHERE joining_link = ? "
                               "ORDER BY starts_at", (link,))
        self.assertEqual([x["starts_at"] for x in rows], [utc(first, 17), utc(change, 18)])
        p = new_client(self.server, self.cw, "fast")
        for x in rows:
            page = p.http.get("/sessions/%d" % x["id"])
            self.assertTrue(summary_value(page.text, "When").endswith(", 6:00pm to 8:00pm"))
        # 01:30 on the day the clocks go back happens twice: the first (BST) is taken.
        r, _ = self.schedule(date=uk(change), start="01:30", joining_link=link + "-b")
        self.assertEqual(r.status, 303, r.page.summary)
        self.assertEqual(self.server.scalar("SELECT starts_at FROM group_session WHERE "
                                            "joining_link = ?", (link + "-b",)),
                         utc(change, 0, 30))

    # -- the schedule form's refusals -----------------------------------------------------

    def test_schedule_refuses_bad_input(self):
        spring = next_change(3, datetime.date.today())
        yesterday = datetime.date.today() - datetime.timedelta(days=1)
        future = uk(datetime.date.today() + datetime.timedelta(days=30))
        cases = [
            ({"date": "31/02/2027"}, "date", "Enter a real date, for example 07/12/2026"),
            ({"date": "29/02/2027"}, "date", "Enter a real date, for example 07/12/2026"),
            ({"date": "tomorrow"}, "date", "Enter a real date, for example 07/12/2026"),
            ({"date": ""}, "date", "Enter a real date, for example 07/12/2026"),
            ({"date": uk(spring), "start": "01:30"}, "start",
             "That time does not exist on that day, when the clocks go forward. "
             "Choose another time"),
            ({"date": uk(spring), "start": "1:00am"}, "start",
             "That time does not exist on that day, when the clocks go forward. "
             "Choose another time"),
            ({"date": uk(yesterday)}, "date", "The session must start in the future"),
            ({"start": "25:00"}, "start", "Enter a start time, for example 18:00 or 6pm"),
            ({"start": "18:60"}, "start", "Enter a start time, for example 18:00 or 6pm"),
            ({"start": "evening"}, "start", "Enter a start time, for example 18:00 or 6pm"),
            ({"minutes": "abc"}, "minutes", "Enter the length in minutes, from 15 to 480"),
            ({"minutes": "-5"}, "minutes", "Enter the length in minutes, from 15 to 480"),
            ({"minutes": "9999"}, "minutes", "Enter the length in minutes, from 15 to 480"),
            ({"minutes": "99999999999999999999"}, "minutes",
             "Enter the length in minutes, from 15 to 480"),
            ({"capacity": "0"}, "capacity", "Enter the number of places, from 1 to 100"),
            ({"capacity": "101"}, "capacity", "Enter the number of places, from 1 to 100"),
            ({"weeks": "0"}, "weeks", "Enter how many weeks, from 1 (just this once) to 26"),
            ({"weeks": "27"}, "weeks", "Enter how many weeks, from 1 (just this once) to 26"),
            ({"joining_link": "http://meet.example.org/x"}, "joining_link",
             "Enter the joining link, starting https://"),
            ({"joining_link": "javascript:alert(1)"}, "joining_link",
             "Enter the joining link, starting https://"),
            ({"joining_link": "https://a.b/\"><script>"}, "joining_link",
             "Enter the joining link, starting https://"),
            ({"topic": "999999"}, "topic", "Choose a topic"),
            ({"topic": "abc"}, "topic", "Choose a topic"),
            ({"facilitator": str(self.server.user_id(CASE_WORKER))}, "facilitator",
             "Choose a facilitator"),
        ]
        before = self.session_count()
        for over, field, message in cases:
            with self.subTest(**over):
                fields = {"date": future}
                fields.update(over)
                r, _ = self.schedule(**fields)
                self.assertEqual(r.status, 400, r.text[:500])
                self.assertTrue(r.page.title.startswith("Error: "), r.page.title)
                self.assertIn((field, message), r.page.summary)
                self.assertEqual(self.session_count(), before)
        # Several wrong at once: each explained, nothing stored.
        r, _ = self.schedule(date="31/02/2027", minutes="abc", capacity="-1")
        self.assertEqual(r.status, 400)
        self.assertEqual({f for f, _ in r.page.summary}, {"date", "minutes", "capacity"})
        self.assertEqual(self.session_count(), before)
        # Only coordinators and administrators schedule.
        for who in (CASE_WORKER, FACILITATOR):
            s = staff(self.server, who)
            self.assertEqual(s.get("/schedule/new").status, 404)
            r = s.post("/schedule/new", {"csrf_token": s.get("/").page.hidden["csrf_token"],
                                         "date": future, "start": "18:00"})
            self.assertEqual(r.status, 404)
        self.assertEqual(self.session_count(), before)

    # -- the joining link -------------------------------------------------------------

    def test_joining_link_only_for_the_booked_client_from_15_minutes_before(self):
        now = server_now(self.server)
        p, q, r = (new_client(self.server, self.cw, "fast") for _ in range(3))
        soon = add_session(self.server, now + 10 * 60)       # inside the window
        later = add_session(self.server, now + 20 * 60)      # not yet
        soon_link = self.server.scalar("SELECT joining_link FROM group_session WHERE id = ?",
                                       (soon,))
        later_link = self.server.scalar("SELECT joining_link FROM group_session WHERE id = ?",
                                        (later,))
        b_soon = book_ok(p, soon)
        b_later = book_ok(r, later)  # (it overlaps `soon`)
        page = p.http.get("/bookings/%d" % b_soon).text
        self.assertIn('href="%s"' % soon_link, page)
        self.assertIn("Join now", page)
        page = r.http.get("/bookings/%d" % b_later).text
        self.assertNotIn(later_link, page)
        self.assertNotIn("Join now", page)
        self.assertIn("The link to join will be here from %s."
                      % london_text(now + 20 * 60 - 15 * 60), page)
        # Not on the session pages, the list or the home page, for anyone.
        for who in (p, q, r):
            for path in ("/sessions/%d" % soon, "/sessions", "/"):
                self.assertNotIn(soon_link, who.http.get(path).text, path)
        # Not to another client, even one booked on the same session after cancelling.
        self.assertEqual(q.http.get("/bookings/%d" % b_soon).status, 404)
        q_booking = book_ok(q, soon)
        self.assertIn(soon_link, q.http.get("/bookings/%d" % q_booking).text)
        self.assertEqual(cancel(q, q_booking).status, 303)
        page = q.http.get("/bookings/%d" % q_booking).text
        self.assertIn("You cancelled this booking", page)
        self.assertNotIn(soon_link, page)
        self.assertNotIn("Join now", page)
        # Nor to staff, nor in any email.
        self.assertNotIn(soon_link, staff(self.server, FACILITATOR).get("/facilitator/sessions").text)
        for row in outbox(self.server, recipient=p.email):
            self.assertNotIn(soon_link, row["body"])
            self.assertNotIn(soon_link, row["attachment"] or "")
        # During the session the link is still there; after its end it is gone.
        ongoing = add_session(self.server, now - 60 * 60, minutes=120)
        ended = add_session(self.server, now - 3 * 3600, minutes=120)
        for sid in (ongoing, ended):
            self.server.sql("INSERT INTO booking(session_id, client_id, order_id, created_at) "
                            "VALUES (?, ?, ?, ?)", (sid, p.client_id, p.order_id, now - DAY))
        b_ongoing, b_ended = (self.server.scalar(
            "SELECT id FROM booking WHERE session_id = ? AND client_id = ?", (sid, p.client_id))
            for sid in (ongoing, ended))
        link = self.server.scalar("SELECT joining_link FROM group_session WHERE id = ?",
                                  (ongoing,))
        self.assertIn(link, p.http.get("/bookings/%d" % b_ongoing).text)
        link = self.server.scalar("SELECT joining_link FROM group_session WHERE id = ?",
                                  (ended,))
        self.assertNotIn(link, p.http.get("/bookings/%d" % b_ended).text)


class ReminderTests(ServerTestCase):
    """The server is restarted with its clock moved on, twice."""

    def reminders(self, booking_id):
        return [m for m in outbox(self.server, "reminder")
                if re.search(r"/bookings/%d\b" % booking_id, m["body"])]

    def settle(self):
        settle(self.server)

    def ours(self, *people):
        """The reminders to these clients: the demo data's sessions can fall within a day
        too, depending on the hour the test runs."""
        emails = {p.email for p in people}
        return [m for m in outbox(self.server, "reminder") if m["recipient"] in emails]

    def test_reminder_goes_once_and_the_joining_link_appears_on_time(self):
        cw = staff(self.server, CASE_WORKER)
        p = new_client(self.server, cw, "fast")
        q = new_client(self.server, cw, "fast")
        now = server_now(self.server)
        offset1 = int(2.5 * DAY)
        tomorrow = add_session(self.server, now + 3 * DAY)                   # due at offset1
        cancelled = add_session(self.server, now + 3 * DAY + 3 * 3600)       # cancelled: never
        today = add_session(self.server, now + 10 * 3600)                    # booked < 24h ahead
        next_week = add_session(self.server, now + 5 * DAY)                  # not yet due
        join = add_session(self.server, now + offset1 + 25 * 60, minutes=60)  # joining link
        link = self.server.scalar("SELECT joining_link FROM group_session WHERE id = ?", (join,))
        b = {name: book_ok(p, sid) for name, sid in
             (("tomorrow", tomorrow), ("cancelled", cancelled), ("today", today),
              ("next_week", next_week), ("join", join))}
        self.assertEqual(cancel(p, b["cancelled"]).status, 303)
        q_join = book_ok(q, join)
        self.assertEqual(cancel(q, q_join).status, 303)
        # Booked less than a day ahead: the confirmation is the reminder.
        self.assertIsNotNone(self.server.scalar("SELECT reminder_at FROM booking WHERE id = ?",
                                                (b["today"],)))
        self.settle()
        self.assertEqual(self.ours(p, q), [])
        self.assertNotIn(link, p.http.get("/bookings/%d" % b["join"]).text)

        # 2.5 days on: "tomorrow" is within a day, and its reminder goes.
        self.server.stop()
        self.server.start(env={"CAIRN_TIME_OFFSET": str(offset1)})
        wait_until(lambda: self.reminders(b["tomorrow"]), timeout=30,
                   message="the reminder for the session tomorrow")
        self.settle()
        [reminder] = self.reminders(b["tomorrow"])
        self.assertEqual(reminder["recipient"], p.email)
        self.assertIn(london_text(now + 3 * DAY), reminder["subject"])
        self.assertIn("tomorrow", reminder["body"])
        self.assertIsNotNone(self.server.scalar("SELECT reminder_at FROM booking WHERE id = ?",
                                                (b["tomorrow"],)))
        msg = eml_for(self.server, reminder["id"])
        self.assertEqual(msg["To"], p.email)
        self.assertIn("/bookings/%d" % b["tomorrow"], msg.get_content())
        # Only that one: not the cancelled booking, not the one booked on the day, not
        # next week's, and the join session (25 minutes ahead) was booked days ago, so its
        # reminder went too.
        self.assertEqual(self.reminders(b["cancelled"]), [])
        self.assertEqual(self.reminders(b["today"]), [])
        self.assertEqual(self.reminders(b["next_week"]), [])
        self.assertEqual(len(self.reminders(b["join"])), 1)
        self.assertEqual(self.reminders(q_join), [])
        self.assertEqual(len(self.ours(p, q)), 2)
        # The joining link: 25 minutes before the start, not yet.
        p.http = session_for(self.server, p.user_id)
        q.http = session_for(self.server, q.user_id)
        page = p.http.get("/bookings/%d" % b["join"]).text
        self.assertNotIn(link, page)
        self.assertIn("The link to join will be here from", page)

        # 17 minutes later (8 minutes before the start): no second reminder, and the link.
        self.server.stop()
        self.server.start(env={"CAIRN_TIME_OFFSET": str(offset1 + 17 * 60)})
        self.settle()
        self.assertEqual(len(self.reminders(b["tomorrow"])), 1)
        self.assertEqual(len(self.reminders(b["join"])), 1)
        self.assertEqual(len(self.ours(p, q)), 2)
        p.http = session_for(self.server, p.user_id)
        q.http = session_for(self.server, q.user_id)
        page = p.http.get("/bookings/%d" % b["join"]).text
        self.assertIn('href="%s"' % link, page)
        self.assertNotIn(link, q.http.get("/bookings/%d" % q_join).text, "cancelled")
        self.assertEqual(q.http.get("/bookings/%d" % b["join"]).status, 404)
        self.assertNotIn(link, q.http.get("/sessions/%d" % join).text)
