"""The register and the hours ledger: what each outcome credits, the alerts to the case
worker, one outcome per booking even when two people save at once, corrections (a reason,
a reversal and a new credit; never an edit), an append-only ledger in minutes, credit
beyond the order's hours recorded as not counted, the hours-complete and ending-soon
alerts exactly once, the facilitator's view (own sessions only, and only what they need),
and the case worker's timeline, whose totals equal the ledger."""

import html
import re
import sqlite3
import threading

from tests.integration.harness import (ADMIN, CASE_WORKER, COORDINATOR, FACILITATOR, Client,
                                       ServerTestCase)
from tests.integration.sessions_support import (
    NOT_ACTIVE, NOT_FOUND, add_session, add_user, book, book_ok, cancel, counted, eml_for,
    ledger, london_date, london_text, max_outbox, minutes_text, new_client, outbox,
    refusal_of, register_form, register_lines, save_register, server_now, settle, staff,
    summary_value)

DAY = 86400
FACILITATOR_2 = "facilitator2@demo.cairn.scot"
SAVED_RE = re.compile(r"^/register/(\d+)\?saved=1$")
CONFLICT = ("Someone else recorded this while you had the page open. Check their outcome, "
            "then change it if it is wrong")
NEEDS_REASON = "This was recorded already. To change it, give the reason for the correction"


class RegisterTests(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cw = staff(cls.server, CASE_WORKER)
        cls.facilitator = staff(cls.server, FACILITATOR)
        cls.coordinator = staff(cls.server, COORDINATOR)
        add_user(cls.server, FACILITATOR_2, "facilitator", "Second Facilitator")
        cls.facilitator_2 = staff(cls.server, FACILITATOR_2)
        now = server_now(cls.server)
        cls.future = now - now % 3600 + 10 * DAY
        cls.past = now - now % 3600 - 3 * 3600
        cls.slot = 0
        cls.lock = threading.Lock()

    def slot_no(self):
        with self.lock:
            RegisterTests.slot += 1
            return self.slot

    def held(self, people, minutes=120, facilitator=FACILITATOR):
        """A session the people booked, which has since taken place (booked while in the
        future, then moved into the past as time passing would). Returns (id, bookings)."""
        k = self.slot_no()
        sid = add_session(self.server, self.future + k * DAY, minutes=minutes,
                          facilitator=facilitator)
        bookings = [book_ok(p, sid) for p in people]
        self.server.sql("UPDATE group_session SET starts_at = ? WHERE id = ?",
                        (self.past - k * 4 * 3600, sid))
        return sid, bookings

    def client(self, **over):
        return new_client(self.server, self.cw, "fast", **over)

    def entries(self, booking_id):
        return self.server.sql("SELECT * FROM register_entry WHERE booking_id = ? ORDER BY id",
                               (booking_id,))

    def state(self):
        """Everything the register writes."""
        return (self.server.scalar("SELECT count(*) FROM register_entry"),
                self.server.scalar("SELECT count(*) FROM hours_ledger"),
                self.server.scalar("SELECT count(*) FROM outbox WHERE kind IN "
                                   "('did_not_attend', 'failed_to_comply', 'hours_complete')"),
                self.server.scalar("SELECT count(*) FROM order_alert"))

    def assert_saved(self, r, sid):
        self.assertEqual(r.status, 303, "%s %s" % (r.page.summary, r.text[:300]))
        self.assertEqual(SAVED_RE.match(r.location).group(1), str(sid))

    def assert_totals(self, p):
        """The client's home and the case worker's page both show what the ledger says."""
        total = counted(self.server, p.order_id)
        self.assertGreaterEqual(total, 0)
        self.assertLessEqual(total, p.activity_minutes)
        left = p.activity_minutes - total
        home = p.http.get("/").text
        if left:
            self.assertEqual(summary_value(home, "Hours done"), minutes_text(total))
            self.assertEqual(summary_value(home, "Hours left to do"), minutes_text(left))
        else:
            self.assertIn("Your hours are done", home)
        page = self.cw.get("/clients/%d" % p.client_id).text
        self.assertEqual(summary_value(page, "Hours done"), minutes_text(total))
        self.assertEqual(summary_value(page, "Hours left"), minutes_text(left))
        self.assertNotIn("minus", page)
        self.assertNotIn("minus", home)
        return total

    # -- outcomes -----------------------------------------------------------------------

    def test_each_outcome_credits_what_it_should_and_alerts(self):
        people = [self.client(first_name=n) for n in
                  ("Attended", "Part", "Disruptive", "Partcredit", "Absent", "Excused")]
        sid, bookings = self.held(people)
        a, part, ftc, ftc_part, dna, excused = bookings
        after = max_outbox(self.server)
        r = save_register(self.facilitator, sid, {
            a: {"outcome": "attended", "note": "Joined in well"},
            part: {"outcome": "attended_part", "minutes": "45"},
            ftc: {"outcome": "failed_to_comply", "note": "Camera off, not taking part"},
            ftc_part: {"outcome": "failed_to_comply", "minutes": "30",
                       "note": "Disruptive after the break"},
            dna: {"outcome": "did_not_attend"},
            excused: {"outcome": "absence_accepted", "reason": "Hospital appointment"},
        })
        self.assert_saved(r, sid)
        # (An attended entry keeps no minutes of its own: it credits the session's.)
        expected = {a: ("attended", 0, 120), part: ("attended_part", 45, 45),
                    ftc: ("failed_to_comply", 0, None), ftc_part: ("failed_to_comply", 30, 30),
                    dna: ("did_not_attend", 0, None), excused: ("absence_accepted", 0, None)}
        for p, booking in zip(people, bookings):
            with self.subTest(who=p.first_name):
                outcome, minutes, credit = expected[booking]
                [e] = self.entries(booking)
                self.assertEqual((e["outcome"], e["minutes"]), (outcome, minutes))
                self.assertEqual(e["recorded_by"], self.server.user_id(FACILITATOR))
                rows = ledger(self.server, p.order_id)
                if credit is None:
                    self.assertEqual(rows, [])
                else:
                    self.assertEqual([(x["kind"], x["minutes"], x["counted_minutes"],
                                       x["register_entry_id"]) for x in rows],
                                     [("attendance", credit, credit, e["id"])])
                self.assert_totals(p)
        self.assertEqual(self.entries(excused)[0]["reason"], "Hospital appointment")
        self.assertEqual(self.entries(a)[0]["note"], "Joined in well")
        # The booking page tells the client.
        page = people[0].http.get("/bookings/%d" % a).text
        self.assertIn("Attended: 2 hours counted", page)
        page = people[1].http.get("/bookings/%d" % part).text
        self.assertIn("Attended part: 45 minutes counted", page)
        # Alerts to the case worker, in the outbox at once: did not attend and both failures
        # to comply; nothing for the others.
        # (The attended clients' "How was your session?" emails, queued by the scheduler
        # meanwhile, are tested in test_feedback.py.)
        alerts = [m for m in outbox(self.server, after=after) if m["kind"] != "feedback_request"]
        self.assertEqual(sorted((m["kind"], m["recipient"]) for m in alerts),
                         [("did_not_attend", CASE_WORKER), ("failed_to_comply", CASE_WORKER),
                          ("failed_to_comply", CASE_WORKER)])
        [m] = [m for m in alerts if m["kind"] == "did_not_attend"]
        self.assertIn("Absent %s" % people[4].last_name, m["subject"])
        msg = eml_for(self.server, m["id"], timeout=5)
        self.assertEqual(msg["To"], CASE_WORKER)
        body = msg.get_content()
        self.assertIn("Did not attend", body)
        self.assertIn("/clients/%d" % people[4].client_id, body)
        ftc_bodies = [x["body"] for x in alerts if x["kind"] == "failed_to_comply"]
        self.assertTrue(any("Camera off, not taking part" in b for b in ftc_bodies))
        # The register shows what was recorded.
        page = self.facilitator.get(r.location)
        self.assertIn("Register saved", page.text)
        for label in ("Attended", "Attended part", "Attended but failed to comply",
                      "Did not attend", "Absence accepted"):
            self.assertIn('<span class="ds_tag">%s</span>' % label, page.text)
        # Saving the same again changes nothing and alerts nobody.
        before = self.state()
        r = save_register(self.facilitator, sid, {
            dna: {"outcome": "did_not_attend"}, a: {"outcome": "attended",
                                                    "note": "Joined in well"}})
        self.assert_saved(r, sid)
        self.assertEqual(self.state(), before)

    def test_bad_register_input_is_refused_and_stores_nothing(self):
        p, q = self.client(first_name="Bad"), self.client(first_name="Good")
        sid, (b, good) = self.held([p, q])
        cases = [
            ({"outcome": "maybe"}, "Choose what happened"),
            ({"outcome": "ATTENDED"}, "Choose what happened"),
            ({"outcome": "attended_part", "minutes": "abc"},
             "Enter the minutes attended, a whole number from 1 to 119"),
            ({"outcome": "attended_part", "minutes": "-5"},
             "Enter the minutes attended, a whole number from 1 to 119"),
            ({"outcome": "attended_part", "minutes": "9999"},
             "Enter the minutes attended, a whole number from 1 to 119"),
            ({"outcome": "attended_part", "minutes": "99999999999999999999"},
             "Enter the minutes attended, a whole number from 1 to 119"),
            ({"outcome": "attended_part", "minutes": "0"},
             "Enter the minutes attended, a whole number from 1 to 119"),
            ({"outcome": "attended_part", "minutes": "120"},
             "Enter the minutes attended, a whole number from 1 to 119"),
            ({"outcome": "attended_part"},
             "Enter the minutes attended, a whole number from 1 to 119"),
            ({"outcome": "attended_part", "minutes": "4.5"},
             "Enter the minutes attended, a whole number from 1 to 119"),
            ({"outcome": "failed_to_comply", "minutes": "abc", "note": "n"},
             "Enter the minutes to credit, a whole number from 0 to 120, or leave it blank"),
            ({"outcome": "failed_to_comply", "minutes": "-5", "note": "n"},
             "Enter the minutes to credit, a whole number from 0 to 120, or leave it blank"),
            ({"outcome": "failed_to_comply", "minutes": "9999", "note": "n"},
             "Enter the minutes to credit, a whole number from 0 to 120, or leave it blank"),
            ({"outcome": "failed_to_comply"}, "Say in the note how the client failed to comply"),
            ({"outcome": "absence_accepted"}, "Enter why the absence was accepted"),
            ({"outcome": "absence_accepted", "reason": "   "},
             "Enter why the absence was accepted"),
            ({"outcome": "attended", "note": "x" * 1001},
             "Notes and reasons must be 1,000 characters or fewer"),
        ]
        before = self.state()
        for values, message in cases:
            with self.subTest(**{k: v[:20] for k, v in values.items()}):
                # The good line is valid, but nothing is saved while another is wrong.
                r = save_register(self.facilitator, sid, {b: values,
                                                         good: {"outcome": "attended"}})
                self.assertEqual(r.status, 400, r.text[:300])
                self.assertIn("Bad %s.: %s" % (p.last_name[0], message),
                              [m for _, m in r.page.summary])
                self.assertIn(message, r.text)
                self.assertEqual(self.state(), before)
        # Fields from another session's register, or made up, change nothing either.
        other_sid, (other,) = self.held([self.client()])
        page = self.facilitator.get("/register/%d" % sid).page
        fields = register_form(page, {})
        fields.update({"booking_0": str(other), "seen_0": "0", "outcome_0": "attended"})
        for k in list(fields):
            if k.startswith(("booking_", "seen_")) and not k.endswith("_0"):
                del fields[k]
        self.facilitator.post("/register/%d" % sid, fields)
        fields["booking_0"] = "999999999"
        self.facilitator.post("/register/%d" % sid, fields)
        self.assertEqual(self.state(), before)
        self.assertEqual(self.entries(other), [])
        # Odd session ids.
        token = self.facilitator.get("/").page.hidden["csrf_token"]
        for bad in ("999999999", "99999999999999999999", "0", "-1", "abc"):
            with self.subTest(session=bad):
                self.assertEqual(self.facilitator.get("/register/%s" % bad).status, 404)
                self.assertEqual(self.facilitator.post("/register/%s" % bad, {
                    "csrf_token": token, "booking_0": str(b), "seen_0": "0",
                    "outcome_0": "attended"}).status, 404)
        self.assertEqual(self.state(), before)
        # And then the valid register saves.
        self.assert_saved(save_register(self.facilitator, sid, {
            b: {"outcome": "absence_accepted", "reason": "Court date"},
            good: {"outcome": "attended"}}), sid)
        self.assertEqual(counted(self.server, q.order_id), 120)

    # -- at once ------------------------------------------------------------------------

    def save_at_once(self, sid, marks_by_sender):
        """Each (client, marks) draws the register, then all send at the same moment."""
        forms = [(c, register_form(c.get("/register/%d" % sid).page, marks))
                 for c, marks in marks_by_sender]
        start = threading.Barrier(len(forms))
        answers = [None] * len(forms)

        def send(i):
            start.wait()
            try:
                answers[i] = forms[i][0].post("/register/%d" % sid, forms[i][1])
            except Exception as e:  # recorded, and failed on below
                answers[i] = e

        threads = [threading.Thread(target=send, args=(i,)) for i in range(len(forms))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        self.assertFalse([a for a in answers if isinstance(a, Exception)], answers)
        return answers

    def test_two_people_saving_the_same_register_at_once_credit_once(self):
        p = self.client()
        sid, (b,) = self.held([p])
        senders = [(self.facilitator, {b: {"outcome": "attended"}}),
                   (self.coordinator, {b: {"outcome": "attended"}})] * 4
        answers = self.save_at_once(sid, senders)
        for a in answers:
            self.assert_saved(a, sid)  # the same outcome: nothing to argue about
        self.assertEqual(len(self.entries(b)), 1)
        rows = ledger(self.server, p.order_id)
        self.assertEqual([(x["kind"], x["minutes"], x["counted_minutes"]) for x in rows],
                         [("attendance", 120, 120)])
        self.assert_totals(p)

    def test_two_people_saving_different_outcomes_at_once(self):
        p = self.client()
        sid, (b,) = self.held([p])
        after = max_outbox(self.server)
        senders = [(self.facilitator, {b: {"outcome": "attended"}}),
                   (self.coordinator, {b: {"outcome": "did_not_attend"}})] * 3
        answers = self.save_at_once(sid, senders)
        [e] = self.entries(b)
        won = e["outcome"]
        for (who, marks), a in zip(senders, answers):
            if marks[b]["outcome"] == won:
                self.assert_saved(a, sid)
            else:
                self.assertEqual(a.status, 409)
                self.assertIn(CONFLICT, a.text)
        rows = ledger(self.server, p.order_id)
        alerts = outbox(self.server, "did_not_attend", after=after)
        if won == "attended":
            self.assertEqual([(x["kind"], x["minutes"]) for x in rows], [("attendance", 120)])
            self.assertEqual(alerts, [])
        else:
            self.assertEqual(rows, [])
            self.assertEqual(len(alerts), 1)

    # -- corrections --------------------------------------------------------------------

    def test_corrections_need_a_reason_and_keep_the_ledger_right(self):
        p = self.client()
        sid, (b,) = self.held([p])
        self.assert_saved(save_register(self.facilitator, sid, {b: {"outcome": "attended"}}), sid)
        self.assertEqual(self.assert_totals(p), 120)
        [first] = self.entries(b)
        page = self.facilitator.get("/register/%d" % sid)
        self.assertEqual(register_lines(page.page)[b][1], str(first["id"]))
        self.assertIn('id="correction_0"', page.text)

        # A change without a reason: refused, nothing changes.
        before = self.state()
        r = save_register(self.facilitator, sid, {b: {"outcome": "attended_part",
                                                      "minutes": "60"}}, page=page)
        self.assertEqual(r.status, 409)
        self.assertIn(NEEDS_REASON, [m.split(": ", 1)[1] for _, m in r.page.summary])
        self.assertEqual(self.state(), before)
        r = save_register(self.facilitator, sid, {b: {"outcome": "attended_part", "minutes": "60",
                                                      "correction": "  "}}, page=page)
        self.assertEqual(r.status, 409)
        self.assertEqual(self.state(), before)

        # With a reason: a new entry superseding the first, a reversal and a new credit.
        r = save_register(self.facilitator, sid, {b: {"outcome": "attended_part", "minutes": "60",
                                                      "correction": "Left at the break"}},
                          page=page)
        self.assert_saved(r, sid)
        first_again, second = self.entries(b)
        self.assertEqual(dict(first_again), dict(first), "the first entry is never edited")
        self.assertEqual((second["outcome"], second["minutes"], second["supersedes_id"],
                          second["correction_reason"]),
                         ("attended_part", 60, first["id"], "Left at the break"))
        rows = ledger(self.server, p.order_id)
        self.assertEqual([(x["kind"], x["minutes"], x["counted_minutes"], x["reason"])
                          for x in rows],
                         [("attendance", 120, 120, None),
                          ("reversal", -120, -120, "Left at the break"),
                          ("attendance", 60, 60, "Left at the break")])
        self.assertEqual(rows[1]["reverses_id"], rows[0]["id"])
        self.assertEqual(self.assert_totals(p), 60)

        # A form drawn before the correction is stale: refused, nothing changes.
        before = self.state()
        r = save_register(self.facilitator, sid, {b: {"outcome": "did_not_attend",
                                                      "correction": "Was not there"}},
                          page=page)
        self.assertEqual(r.status, 409)
        self.assertIn(CONFLICT, r.text)
        self.assertEqual(self.state(), before)

        # Corrected to did not attend: reversed to nothing, and the case worker alerted.
        after = max_outbox(self.server)
        r = save_register(self.coordinator, sid, {b: {"outcome": "did_not_attend",
                                                      "correction": "Was not there"}})
        self.assert_saved(r, sid)
        self.assertEqual(self.assert_totals(p), 0)
        self.assertEqual(len(outbox(self.server, "did_not_attend", CASE_WORKER, after)), 1)
        # And back to attended.
        r = save_register(self.facilitator, sid, {b: {"outcome": "attended",
                                                      "correction": "Mixed up two names"}})
        self.assert_saved(r, sid)
        self.assertEqual(self.assert_totals(p), 120)
        self.assertEqual(len(self.entries(b)), 4)
        kinds = [(x["kind"], x["minutes"]) for x in ledger(self.server, p.order_id)]
        self.assertEqual(kinds, [("attendance", 120), ("reversal", -120), ("attendance", 60),
                                 ("reversal", -60), ("attendance", 120)])
        # The current outcome is the one nothing supersedes: the booking page agrees.
        self.assertIn("Attended: 2 hours counted", p.http.get("/bookings/%d" % b).text)

    def test_before_the_start_only_an_accepted_absence_can_be_recorded(self):
        p = self.client()
        sid = add_session(self.server, self.future + self.slot_no() * DAY)
        b = book_ok(p, sid)
        self.assertIn("has not started yet", self.facilitator.get("/register/%d" % sid).text)
        for outcome in ("attended", "did_not_attend", "failed_to_comply"):
            with self.subTest(outcome=outcome):
                fields = {"outcome": outcome}
                if outcome == "failed_to_comply":
                    fields["note"] = "disruptive"
                r = save_register(self.facilitator, sid, {b: fields})
                self.assertEqual(r.status, 400)
                self.assertIn("once the session has started", r.text)
        self.assertEqual(self.server.scalar(
            "SELECT count(*) FROM register_entry WHERE booking_id = ?", (b,)), 0)
        self.assertEqual(counted(self.server, p.order_id), 0)

    def test_a_booking_with_its_register_taken_cannot_be_cancelled(self):
        # An absence may be accepted before the start (the client phoned in), so a client
        # could still be before the start when their register line is recorded.
        p = self.client()
        sid = add_session(self.server, self.future + self.slot_no() * DAY)
        b = book_ok(p, sid)
        self.assert_saved(save_register(self.facilitator, sid, {
            b: {"outcome": "absence_accepted", "reason": "Hospital appointment"}}), sid)
        self.assertNotIn('action="/bookings/%d/cancel"' % b, p.http.get("/bookings/%d" % b).text)
        r = cancel(p, b)
        self.assertEqual(r.status, 409)
        self.assertEqual(self.server.scalar("SELECT status FROM booking WHERE id = ?", (b,)),
                         "booked")
        # The line stays on the register, where it can be corrected.
        self.assertIn(b, register_lines(self.facilitator.get("/register/%d" % sid).page))
        self.assertEqual(self.assert_totals(p), 0)

    def test_the_ledger_refuses_update_and_delete(self):
        p = self.client()
        sid, (b,) = self.held([p])
        self.assert_saved(save_register(self.facilitator, sid, {b: {"outcome": "attended"}}), sid)
        rows = [dict(x) for x in ledger(self.server, p.order_id)]
        self.assertEqual(len(rows), 1)
        for statement in ("UPDATE hours_ledger SET minutes = 600, counted_minutes = 600 "
                          "WHERE order_id = ?",
                          "UPDATE hours_ledger SET reason = 'edited' WHERE order_id = ?",
                          "DELETE FROM hours_ledger WHERE order_id = ?"):
            with self.subTest(statement=statement):
                conn = sqlite3.connect(self.server.db, timeout=10)
                try:
                    with self.assertRaises(sqlite3.DatabaseError) as cm:
                        conn.execute(statement, (p.order_id,))
                        conn.commit()
                    self.assertIn("append-only", str(cm.exception))
                finally:
                    conn.close()
        self.assertEqual([dict(x) for x in ledger(self.server, p.order_id)], rows)
        self.assertEqual(self.assert_totals(p), 120)

    # -- beyond the hours ---------------------------------------------------------------

    def test_credit_beyond_the_hours_is_not_counted_and_completion_alerts_once(self):
        # 3 hours of other activity, and two 2-hour sessions booked.
        p = self.client(unpaid_hours="20", activity_hours="3")
        s1, (b1,) = self.held([p])
        s2, (b2,) = self.held([p])
        after = max_outbox(self.server)
        self.assert_saved(save_register(self.facilitator, s1, {b1: {"outcome": "attended"}}), s1)
        self.assertEqual(outbox(self.server, "hours_complete", after=after), [])
        self.assert_saved(save_register(self.facilitator, s2, {b2: {"outcome": "attended"}}), s2)
        rows = ledger(self.server, p.order_id)
        self.assertEqual([(x["minutes"], x["counted_minutes"]) for x in rows],
                         [(120, 120), (120, 60)])
        self.assertEqual(self.assert_totals(p), 180)
        [alert] = outbox(self.server, "hours_complete", after=after)
        self.assertEqual(alert["recipient"], CASE_WORKER)
        self.assertIn(p.last_name, alert["subject"])
        eml_for(self.server, alert["id"])
        page = html.unescape(self.cw.get("/clients/%d" % p.client_id).text)
        self.assertEqual(summary_value(page, "Credited but not counted (over the order's hours)"),
                         "1 hour")
        self.assertIn("Hours credited: 2 hours, of which 1 hour not counted (over the order's "
                      "hours)", page)
        # Hours done: no more bookings.
        sid = add_session(self.server, self.future + self.slot_no() * DAY)
        r = book(p, sid)
        self.assertEqual(r.status, 409)
        self.assertEqual(refusal_of(r), NOT_ACTIVE)

        # Corrections down and back up again: never negative, never over, alerted once.
        self.assert_saved(save_register(self.facilitator, s1, {b1: {
            "outcome": "did_not_attend", "correction": "Wrong person ticked"}}), s1)
        self.assertEqual(self.assert_totals(p), 60)
        self.assert_saved(save_register(self.facilitator, s1, {b1: {
            "outcome": "attended", "correction": "It was them after all"}}), s1)
        self.assertEqual(self.assert_totals(p), 180)
        self.assert_saved(save_register(self.facilitator, s2, {b2: {
            "outcome": "attended_part", "minutes": "90", "correction": "Left early"}}), s2)
        self.assertEqual(self.assert_totals(p), 180)
        for x in ledger(self.server, p.order_id):
            self.assertLessEqual(abs(x["counted_minutes"]), abs(x["minutes"]))
        self.assertEqual(len(outbox(self.server, "hours_complete", after=after)), 1)
        self.assertEqual(self.server.scalar("SELECT count(*) FROM order_alert WHERE order_id = ? "
                                            "AND kind = 'hours_complete'", (p.order_id,)), 1)

    # -- who sees the register, and what ------------------------------------------------

    def test_a_facilitator_sees_only_their_own_registers(self):
        p = self.client()
        mine, (b,) = self.held([p])
        q = self.client()
        theirs, (b2,) = self.held([q], facilitator=FACILITATOR_2)
        listed = self.facilitator.get("/facilitator/sessions").text
        self.assertIn('href="/register/%d"' % mine, listed)
        self.assertNotIn('href="/register/%d"' % theirs, listed)
        listed = self.facilitator_2.get("/facilitator/sessions").text
        self.assertIn('href="/register/%d"' % theirs, listed)
        self.assertNotIn('href="/register/%d"' % mine, listed)

        before = self.state()
        r = self.facilitator_2.get("/register/%d" % mine)
        self.assertEqual((r.status, r.page.h1), (404, NOT_FOUND))
        self.assertNotIn(p.first_name, r.text)
        token = self.facilitator_2.get("/").page.hidden["csrf_token"]
        r = self.facilitator_2.post("/register/%d" % mine, {
            "csrf_token": token, "booking_0": str(b), "seen_0": "0", "outcome_0": "attended"})
        self.assertEqual(r.status, 404)
        self.assertEqual(self.facilitator.get("/register/%d" % theirs).status, 404)
        self.assertEqual(self.state(), before)
        # Coordinators and administrators see every register; case workers and clients none.
        for who in (COORDINATOR, ADMIN):
            self.assertEqual(staff(self.server, who).get("/register/%d" % mine).status, 200)
        for c in (self.cw, p.http):
            self.assertEqual(c.get("/register/%d" % mine).status, 404)
            self.assertEqual(c.get("/facilitator/sessions").status, 404)
            r = c.post("/register/%d" % mine, {
                "csrf_token": c.get("/").page.hidden["csrf_token"], "booking_0": str(b),
                "seen_0": "0", "outcome_0": "attended"})
            self.assertEqual(r.status, 404)
        self.assertEqual(self.state(), before)
        self.assertEqual(Client(self.server).get("/register/%d" % mine).status, 303)

    def test_the_register_shows_only_what_the_facilitator_needs(self):
        p = self.client(first_name="Eilidh", last_name="Macdonald-Rare", mobile="07700 900461",
                        date_of_birth="17/08/1979", access_needs="Needs captions on",
                        group_notes="Keep apart from the Tuesday group")
        sid, (b,) = self.held([p])
        r = self.facilitator.get("/register/%d" % sid)
        self.assertEqual(r.status, 200)
        text = r.text
        self.assertIn("Eilidh M.", text)
        self.assertIn("Needs captions on", text)
        self.assertIn("Keep apart from the Tuesday group", text)
        for secret in ("Macdonald", "Rare", p.email, "07700", "900461", "1979", "17/08",
                       "17 August", p.reference, p.fields["case_reference"],
                       p.fields["order_reference"]):
            self.assertNotIn(secret, text)
        # The list of sessions shows no names at all.
        self.assertNotIn("Eilidh", self.facilitator.get("/facilitator/sessions").text)
        # Viewing a register is audited.
        self.assertEqual(self.server.scalar(
            "SELECT count(*) FROM audit WHERE action = 'view_register' AND subject_id = ? "
            "AND user_id = ?", (sid, self.server.user_id(FACILITATOR))), 1)

    # -- the case worker's view ---------------------------------------------------------

    def test_timeline_and_totals_equal_the_ledger(self):
        p = self.client(first_name="Timeline")
        task = self.server.scalar("SELECT id FROM task WHERE referral_id = ?", (p.referral_id,))
        r = self.coordinator.post_form("/welcome-calls/%d" % task,
                                       {"outcome": "completed", "notes": "All fine"})
        self.assertEqual(r.status, 303)
        s1, (b1,) = self.held([p])
        s2, (b2,) = self.held([p])
        s3 = add_session(self.server, self.future + self.slot_no() * DAY)
        b3 = book_ok(p, s3)
        self.assertEqual(cancel(p, b3).status, 303)
        self.assert_saved(save_register(self.facilitator, s1, {b1: {"outcome": "attended"}}), s1)
        self.assert_saved(save_register(self.facilitator, s2, {b2: {
            "outcome": "attended_part", "minutes": "50"}}), s2)
        self.assert_saved(save_register(self.facilitator, s2, {b2: {
            "outcome": "attended_part", "minutes": "80", "correction": "Miscounted"}}), s2)

        page = self.cw.get("/clients/%d" % p.client_id)
        self.assertEqual(page.status, 200)
        items = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", x)).strip()
                 for x in re.findall(r"<li>(.*?)</li>",
                                     page.text.split('<ol class="cairn-timeline">')[1]
                                     .split("</ol>")[0], re.S)]
        starts = {sid: self.server.scalar("SELECT starts_at FROM group_session WHERE id = ?",
                                          (sid,)) for sid in (s1, s2, s3)}

        def has(text):
            return [i for i, x in enumerate(items) if text in x]

        self.assertTrue(has("Referred (%s)" % p.reference))
        self.assertTrue(has("Welcome call done: All fine"))
        self.assertTrue(has("Booked Digital skills on %s" % london_text(starts[s1])))
        self.assertTrue(has("Cancelled Digital skills on %s" % london_text(starts[s3])))
        self.assertTrue(has("Attended: session on %s" % london_text(starts[s1])))
        self.assertTrue(has("Attended part (50 minutes) the session on %s"
                            % london_text(starts[s2])))
        self.assertTrue(has("Attended part (1 hour 20 minutes) the session on %s: Miscounted"
                            % london_text(starts[s2])))
        self.assertTrue(has("Hours credited: 2 hours"))
        self.assertTrue(has("Hours reversed (a correction): 50 minutes: Miscounted"))
        self.assertTrue(has("Hours credited: 1 hour 20 minutes: Miscounted"))
        self.assertEqual(has("Referred")[0], 0, "the referral comes first")
        self.assertLess(has("Welcome call done")[0], has("Attended: session")[0])
        self.assertEqual(len([x for x in items if x]), len(items))
        total = self.assert_totals(p)
        self.assertEqual(total, 120 + 80)
        self.assertEqual(summary_value(page.text, "Hours done"), "3 hours 20 minutes")
        self.assertEqual(self.server.scalar("SELECT status FROM referral WHERE id = ?",
                                            (p.referral_id,)), "welcomed")


class EndingSoonTests(ServerTestCase):
    """Orders 14 days from their completion date with hours left: the case worker is told
    once, however often the server restarts, and when the date comes near later (the clock
    moved on by CAIRN_TIME_OFFSET)."""

    def alerts(self, p):
        return [m for m in outbox(self.server, "ending_soon")
                if re.search(r"/clients/%d\b" % p.client_id, m["body"])]

    def test_ending_soon_alert_once_across_restarts(self):
        cw = staff(self.server, CASE_WORKER)
        soon = new_client(self.server, cw, None,
                          complete_by=london_date(self.server, 13).strftime("%d/%m/%Y"))
        edge = new_client(self.server, cw, None,
                          complete_by=london_date(self.server, 14).strftime("%d/%m/%Y"))
        later = new_client(self.server, cw, None,
                           complete_by=london_date(self.server, 20).strftime("%d/%m/%Y"))
        # Withdrawn first, then brought near (the scheduler may run at any moment).
        withdrawn = new_client(self.server, cw, None,
                               complete_by=london_date(self.server, 60).strftime("%d/%m/%Y"))
        self.server.sql("UPDATE referral SET status = 'withdrawn' WHERE id = ?",
                        (withdrawn.referral_id,))
        self.server.sql("UPDATE court_order SET complete_by = ? WHERE id = ?",
                        (london_date(self.server, 10).isoformat(), withdrawn.order_id))
        settle(self.server)
        settle(self.server)
        [alert] = self.alerts(soon)
        self.assertEqual(alert["recipient"], CASE_WORKER)
        self.assertIn(soon.last_name, alert["subject"])
        self.assertIn("36 hours", alert["body"], "the hours left")
        eml_for(self.server, alert["id"])
        self.assertEqual(len(self.alerts(edge)), 1, "14 days away is soon")
        self.assertEqual(self.alerts(later), [])
        self.assertEqual(self.alerts(withdrawn), [])

        self.server.stop()
        self.server.start()
        settle(self.server)
        self.assertEqual(len(self.alerts(soon)), 1)
        self.assertEqual(len(self.alerts(edge)), 1)
        self.assertEqual(self.alerts(later), [])

        # A week on, `later` is 13 days away: its alert goes, and only once.
        self.server.stop()
        self.server.start(env={"CAIRN_TIME_OFFSET": str(7 * DAY)})
        settle(self.server)
        self.assertEqual(len(self.alerts(later)), 1)
        self.server.stop()
        self.server.start(env={"CAIRN_TIME_OFFSET": str(7 * DAY + 3600)})
        settle(self.server)
        for p in (soon, edge, later):
            self.assertEqual(len(self.alerts(p)), 1)
        self.assertEqual(self.alerts(withdrawn), [])
        self.assertEqual(self.server.scalar(
            "SELECT count(*) FROM order_alert WHERE kind = 'ending_soon' AND order_id IN "
            "(?, ?, ?, ?)", (soon.order_id, edge.order_id, later.order_id,
                             withdrawn.order_id)), 3)
