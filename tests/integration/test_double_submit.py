"""A double-clicked Send referral: the same form sent twice, or ten times at once, makes one
referral, and every answer points at it."""

import threading

from tests.integration.harness import (CASE_WORKER, Client, ServerTestCase, referral_fields,
                                       reference_from_location)


class DoubleSubmitTests(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cw = Client(cls.server)
        cls.cw.sign_in(CASE_WORKER)

    def form(self):
        page = self.cw.get("/referrals/new").page
        fields = referral_fields()
        fields.update(page.hidden)
        return fields

    def assert_one_referral(self, form_token, before):
        after = self.server.counts()
        self.assertEqual({k: after[k] - before[k] for k in after},
                         {"client": 1, "court_order": 1, "referral": 1, "task": 1,
                          "invitation": 1, "outbox": 2})
        self.assertEqual(self.server.scalar("SELECT count(*) FROM referral WHERE form_token = ?",
                                            (form_token,)), 1)

    def test_sent_twice(self):
        fields = self.form()
        before = self.server.counts()
        first = self.cw.post("/referrals/new", fields)
        second = self.cw.post("/referrals/new", fields)
        self.assertEqual((first.status, second.status), (303, 303))
        self.assertEqual(first.location, second.location)
        reference_from_location(first.location)
        self.assert_one_referral(fields["form_token"], before)
        self.assertEqual(self.cw.get(second.location).status, 200)

    def test_sent_ten_times_at_once(self):
        fields = self.form()
        before = self.server.counts()
        start = threading.Barrier(10)
        answers = [None] * 10

        def send(i):
            c = self.cw.copy()
            start.wait()
            try:
                answers[i] = c.post("/referrals/new", fields)
            except Exception as e:  # recorded, and failed on below
                answers[i] = e

        threads = [threading.Thread(target=send, args=(i,)) for i in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual([a.status if hasattr(a, "status") else repr(a) for a in answers],
                         [303] * 10)
        self.assertEqual(len({a.location for a in answers}), 1)
        self.assert_one_referral(fields["form_token"], before)

    def test_corrected_after_an_error_is_still_one_referral(self):
        fields = self.form()
        before = self.server.counts()
        bad = dict(fields, unpaid_hours="abc")
        r = self.cw.post("/referrals/new", bad)
        self.assertEqual(r.status, 400)
        self.assertEqual(r.page.hidden["form_token"], fields["form_token"])
        r1 = self.cw.post("/referrals/new", dict(fields, **r.page.hidden))
        r2 = self.cw.post("/referrals/new", dict(fields, **r.page.hidden))
        self.assertEqual((r1.status, r2.status), (303, 303))
        self.assertEqual(r1.location, r2.location)
        self.assert_one_referral(fields["form_token"], before)

    def test_two_forms_are_two_referrals(self):
        before = self.server.counts()
        a, b = self.form(), self.form()
        ra = self.cw.post("/referrals/new", a)
        rb = self.cw.post("/referrals/new", b)
        self.assertEqual((ra.status, rb.status), (303, 303))
        self.assertNotEqual(ra.location, rb.location)
        self.assertEqual(self.server.counts()["referral"], before["referral"] + 2)
