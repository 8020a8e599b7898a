"""Session feedback (issue 5, part 2): a client answers about a session they attended, from
their home page or the emailed link, once per booking; nobody else can, and a session not
attended cannot be answered."""

import re
import urllib.parse

from tests.integration.harness import (CASE_WORKER, CASE_WORKER_FIFE, COORDINATOR, FACILITATOR,
                                       LEAD, Client, ServerTestCase, wait_until)
from tests.integration.sessions_support import (NOT_FOUND, add_session, eml_for, new_client,
                                                outbox, save_register, server_now, settle, staff)

GOOD = {"knowledge": "yes", "apply": "no", "rating": "4",
        "comment": "Useful, thank you.\r\nMore on budgeting please."}


class FeedbackTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.facilitator = staff(cls.server, FACILITATOR)

    # -- arranging: a session held two days ago, booked by each client, register taken --

    def held_session(self, people, outcomes, days_ago=2, topic="Digital skills"):
        """A session that started days_ago, booked by each person (inserted directly: the
        booking form refuses sessions that have started) and its register taken through the
        facilitator's form. Returns the booking ids."""
        starts = server_now(self.server) - days_ago * 86400
        sid = add_session(self.server, starts, topic=topic)
        ids = []
        for p in people:
            ids.append(self.server.sql(
                "INSERT INTO booking(session_id, client_id, order_id, status, created_at) "
                "VALUES (?, ?, ?, 'booked', ?) RETURNING id",
                (sid, p.client_id, p.order_id, starts - 3 * 86400))[0][0])
        marks = {}
        for bid, outcome in zip(ids, outcomes):
            marks[bid] = {"outcome": outcome, "minutes": 60 if outcome == "attended_part" else None,
                          "reason": "Illness" if outcome == "absence_accepted" else None,
                          "note": "Left after ten minutes" if outcome == "failed_to_comply"
                          else None}
        r = save_register(self.facilitator, sid, marks)
        self.assertEqual(r.status, 303, r.text[:2000])
        return ids

    def answers(self, booking_id):
        return self.server.sql("SELECT * FROM feedback WHERE booking_id = ?", (booking_id,))

    # -- the journey ----------------------------------------------------------------------

    def test_client_answers_from_home_page_once(self):
        jo = new_client(self.server, staff(self.server, CASE_WORKER))
        [bid] = self.held_session([jo], ["attended"])
        home = jo.http.get("/")
        self.assertEqual(home.status, 200)
        self.assertIn("How was your session?", home.text)
        self.assertIn('href="/feedback/%d"' % bid, home.text)

        page = jo.http.get("/feedback/%d" % bid)
        self.assertEqual(page.status, 200)
        # Short questions, each a fieldset with a legend, radios in the design system's pattern.
        self.assertEqual(page.text.count("<legend>"), 3)
        for q in ("Did the session improve your knowledge?",
                  "Do you intend to use what you learned?", "How would you rate the session?"):
            self.assertIn("<legend>%s</legend>" % q, page.text)
        self.assertEqual(len(re.findall(r'class="ds_radio__input" type="radio"', page.text)), 9)

        r = jo.http.post_form("/feedback/%d" % bid, GOOD, page=page)
        self.assertEqual(r.status, 303, r.text[:1500])
        self.assertEqual(r.location, "/feedback/%d?saved=1" % bid)
        [row] = self.answers(bid)
        self.assertEqual((row["knowledge_improved"], row["will_apply"], row["rating"],
                          row["comment"]), (1, 0, 4, GOOD["comment"]))
        done = jo.http.get(r.location)
        self.assertEqual(done.status, 200)
        self.assertIn("Thank you for your feedback", done.text)

        # The same form sent again (a double click, a second tab): one answer, the first.
        again = jo.http.post_form("/feedback/%d" % bid, dict(GOOD, knowledge="no", rating="1"),
                                  page=page)
        self.assertEqual(again.status, 409)
        self.assertIn("You have already answered", again.text)
        [row] = self.answers(bid)
        self.assertEqual((row["knowledge_improved"], row["rating"]), (1, 4))
        # Answered sessions leave the home page's list; the page shows the answers.
        self.assertNotIn('href="/feedback/%d"' % bid, jo.http.get("/").text)
        self.assertIn("You have already answered", jo.http.get("/feedback/%d" % bid).text)

    def test_attended_part_can_be_answered(self):
        ann = new_client(self.server, staff(self.server, CASE_WORKER))
        [bid] = self.held_session([ann], ["attended_part"])
        r = ann.http.post_form("/feedback/%d" % bid, GOOD)
        self.assertEqual(r.status, 303, r.text[:1500])
        self.assertEqual(len(self.answers(bid)), 1)

    def test_only_the_bookings_own_client(self):
        cw = staff(self.server, CASE_WORKER)
        owner, other = new_client(self.server, cw), new_client(self.server, cw)
        [bid] = self.held_session([owner], ["attended"])
        page = owner.http.get("/feedback/%d" % bid)
        self.assertEqual(other.http.get("/feedback/%d" % bid).status, 404)
        # Another client posting with their own valid form token.
        token = other.http.csrf_token("/")
        r = other.http.post("/feedback/%d" % bid, dict(GOOD, csrf_token=token))
        self.assertEqual(r.status, 404)
        self.assertEqual(self.answers(bid), [])
        # Staff cannot open or answer it: the page is the client's alone.
        for who in (CASE_WORKER, COORDINATOR, LEAD, FACILITATOR):
            self.assertEqual(staff(self.server, who).get("/feedback/%d" % bid).status, 404, who)
        # Signed out: sign in first, then back to the page.
        r = Client(self.server).get("/feedback/%d" % bid)
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location, "/sign-in?next=" + urllib.parse.quote("/feedback/%d" % bid,
                                                                          safe=""))
        self.assertEqual(owner.http.post_form("/feedback/%d" % bid, GOOD, page=page).status, 303)

    def test_not_attended_cannot_be_answered(self):
        cw = staff(self.server, CASE_WORKER_FIFE)
        people = [new_client(self.server, cw) for _ in range(3)]
        ids = self.held_session(people, ["did_not_attend", "absence_accepted",
                                         "failed_to_comply"])
        for p, bid in zip(people, ids):
            self.assertEqual(p.http.get("/feedback/%d" % bid).status, 404)
            self.assertIn("There is nothing to answer", p.http.get("/feedback/%d" % bid).text)
            token = p.http.csrf_token("/")
            r = p.http.post("/feedback/%d" % bid, dict(GOOD, csrf_token=token))
            self.assertEqual(r.status, 404)
            self.assertEqual(self.answers(bid), [])
            self.assertNotIn("/feedback/%d" % bid, p.http.get("/").text)
        # A booking with no register yet, and one that does not exist.
        starts = server_now(self.server) - 86400
        sid = add_session(self.server, starts)
        [[bid]] = self.server.sql(
            "INSERT INTO booking(session_id, client_id, order_id, status, created_at) "
            "VALUES (?, ?, ?, 'booked', ?) RETURNING id",
            (sid, people[0].client_id, people[0].order_id, starts - 86400))
        self.assertEqual(people[0].http.get("/feedback/%d" % bid).status, 404)
        self.assertEqual(people[0].http.get("/feedback/99999999").status, 404)
        self.assertEqual(people[0].http.get("/feedback/abc").status, 404)

    def test_a_corrected_register_decides(self):
        """Attended, then corrected to did not attend: no longer answerable."""
        cw = staff(self.server, CASE_WORKER)
        p = new_client(self.server, cw)
        starts = server_now(self.server) - 86400
        sid = add_session(self.server, starts)
        [[bid]] = self.server.sql(
            "INSERT INTO booking(session_id, client_id, order_id, status, created_at) "
            "VALUES (?, ?, ?, 'booked', ?) RETURNING id",
            (sid, p.client_id, p.order_id, starts - 86400))
        self.assertEqual(save_register(self.facilitator, sid, {bid: {"outcome": "attended"}}).status, 303)
        self.assertEqual(p.http.get("/feedback/%d" % bid).status, 200)
        r = save_register(self.facilitator, sid, {bid: {"outcome": "did_not_attend",
                                                        "correction": "Was not there"}})
        self.assertEqual(r.status, 303, r.text[:1500])
        self.assertEqual(p.http.get("/feedback/%d" % bid).status, 404)

    # -- bad input ------------------------------------------------------------------------

    def test_bad_input_changes_nothing(self):
        p = new_client(self.server, staff(self.server, CASE_WORKER))
        [bid] = self.held_session([p], ["attended"])
        path = "/feedback/%d" % bid
        cases = [
            ({}, {"knowledge-yes", "apply-yes", "rating-1"}),
            (dict(GOOD, knowledge="maybe"), {"knowledge-yes"}),
            (dict(GOOD, apply="1"), {"apply-yes"}),
            (dict(GOOD, rating="6"), {"rating-1"}),
            (dict(GOOD, rating="0"), {"rating-1"}),
            (dict(GOOD, rating="4.5"), {"rating-1"}),
            (dict(GOOD, rating="' OR 1=1 --"), {"rating-1"}),
            (dict(GOOD, comment="x" * 1001), {"comment"}),
        ]
        for fields, bad in cases:
            r = p.http.post_form(path, fields)
            self.assertEqual(r.status, 400, fields)
            self.assertEqual({f for f, _ in r.page.summary}, bad, fields)
            self.assertTrue(r.page.title.startswith("Error:"), r.page.title)
            self.assertEqual(self.answers(bid), [])
        # What was typed is kept (escaped) so it need not be typed again.
        r = p.http.post_form(path, dict(GOOD, rating="9", comment="<b>bold</b>"))
        self.assertIn("&lt;b&gt;bold&lt;/b&gt;", r.text)
        self.assertIn('value="yes" checked', r.text)
        # 1,000 characters (not bytes) is allowed: 1,000 two-byte letters.
        # Invalid UTF-8 is refused before any handler.
        token = p.http.csrf_token(path)
        r = p.http.post(path, b"csrf_token=" + token.encode() +
                        b"&knowledge=yes&apply=yes&rating=5&comment=%C3%28")
        self.assertEqual(r.status, 400)
        self.assertEqual(self.answers(bid), [])
        # Without the form's token.
        r = p.http.post(path, dict(GOOD))
        self.assertEqual(r.status, 403)
        self.assertEqual(self.answers(bid), [])
        # Script and SQL text is stored as text and shown escaped.
        evil = "<script>alert(1)</script>'; DROP TABLE feedback; --"
        r = p.http.post_form(path, dict(GOOD, comment="é" * 990 + evil[:10]))
        self.assertEqual(r.status, 303, r.text[:1500])
        self.assertEqual(self.answers(bid)[0]["comment"], "é" * 990 + evil[:10])
        p2 = new_client(self.server, staff(self.server, CASE_WORKER))
        [bid2] = self.held_session([p2], ["attended"])
        r = p2.http.post_form("/feedback/%d" % bid2, dict(GOOD, comment=evil))
        self.assertEqual(r.status, 303)
        shown = p2.http.get("/feedback/%d" % bid2).text
        self.assertNotIn("<script>alert", shown)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", shown)
        self.assertEqual(self.answers(bid2)[0]["comment"], evil)

    # -- the email ------------------------------------------------------------------------

    def test_request_emailed_once_per_attended_booking(self):
        cw = staff(self.server, CASE_WORKER)
        people = [new_client(self.server, cw) for _ in range(3)]
        ids = self.held_session(people, ["attended", "attended_part", "did_not_attend"],
                                days_ago=1)
        settle(self.server)
        settle(self.server)

        def sent():
            return {r["recipient"]: r for r in outbox(self.server, "feedback_request")
                    if r["recipient"] in {p.email for p in people}}
        rows = wait_until(lambda: len(sent()) == 2 and sent(), message="two feedback requests")
        self.assertEqual(set(rows), {people[0].email, people[1].email})
        for p, bid in zip(people[:2], ids[:2]):
            m = rows[p.email]
            self.assertEqual(m["subject"], "How was your session?")
            self.assertIn("%s/feedback/%d" % (self.server.base_url, bid), m["body"])
            self.assertIn("Hello %s" % p.first_name, m["body"])
            self.assertEqual(self.server.scalar(
                "SELECT count(*) FROM feedback_request WHERE booking_id = ?", (bid,)), 1)
            msg = eml_for(self.server, m["id"])
            self.assertIn("/feedback/%d" % bid, msg.get_body().get_content())
        # More passes of the scheduler, and a restart: still once each.
        self.server.stop()
        self.server.start()
        self.facilitator = staff(self.server, FACILITATOR)
        type(self).facilitator = self.facilitator
        settle(self.server)
        settle(self.server)
        for p in people:
            n = len([r for r in outbox(self.server, "feedback_request") if r["recipient"] == p.email])
            self.assertEqual(n, 1 if p is not people[2] else 0, p.email)
        # The link works for the client once signed in.
        self.assertEqual(people[0].http.get("/feedback/%d" % ids[0]).status, 200)
