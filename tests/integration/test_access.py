"""Who may see a client: their own authority's case workers and lead, coordinators and
administrators; nobody else (404, as if there were no such client). Every staff view of a
client page writes exactly one audit row: who, what, when."""

import time

from tests.integration.harness import (ADMIN, CASE_WORKER, CASE_WORKER_FIFE, COORDINATOR,
                                       FACILITATOR, LEAD, Client, ServerTestCase,
                                       make_referral, reference_from_location)


class AccessTests(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {}
        for who in (CASE_WORKER, CASE_WORKER_FIFE, FACILITATOR, LEAD, COORDINATOR, ADMIN):
            c = Client(cls.server)
            c.sign_in(who)
            cls.users[who] = c
        # A Glasgow client and a Fife client.
        r, _ = make_referral(cls.users[CASE_WORKER], last_name="Glasgow")
        assert r.status == 303, r.text
        cls.reference = reference_from_location(r.location)
        cls.client_id = cls.server.scalar("SELECT client_id FROM referral WHERE reference = ?",
                                          (cls.reference,))
        r, _ = make_referral(cls.users[CASE_WORKER_FIFE], last_name="Fife")
        assert r.status == 303, r.text
        cls.fife_reference = reference_from_location(r.location)
        cls.fife_client_id = cls.server.scalar(
            "SELECT client_id FROM referral WHERE reference = ?", (cls.fife_reference,))

    def audit_count(self):
        return self.server.scalar("SELECT count(*) FROM audit")

    def assert_not_found(self, r):
        self.assertEqual(r.status, 404)
        self.assertEqual(r.page.h1, "Page not found")
        self.assertNotIn("Glasgow", r.page.h1)
        self.assertNotIn(self.reference, r.text)

    def test_case_worker_of_another_authority_gets_404(self):
        fife = self.users[CASE_WORKER_FIFE]
        before = self.audit_count()
        self.assert_not_found(fife.get("/clients/%d" % self.client_id))
        self.assert_not_found(fife.get("/referrals/%s" % self.reference))
        self.assertEqual(self.audit_count(), before, "a refused view is not a view")
        # The same answer as for a client that does not exist.
        self.assertEqual(fife.get("/clients/999999").status, 404)
        # And the other way round.
        glasgow = self.users[CASE_WORKER]
        self.assertEqual(glasgow.get("/clients/%d" % self.fife_client_id).status, 404)
        self.assertEqual(glasgow.get("/referrals/%s" % self.fife_reference).status, 404)
        self.assertEqual(self.users[LEAD].get("/clients/%d" % self.fife_client_id).status, 404)
        # Their own, they see.
        self.assertEqual(fife.get("/clients/%d" % self.fife_client_id).status, 200)

    def test_facilitator_sees_no_client_pages(self):
        f = self.users[FACILITATOR]
        before = self.audit_count()
        for path in ("/clients/%d" % self.client_id, "/clients/%d" % self.fife_client_id,
                     "/referrals/%s" % self.reference, "/referrals/new", "/referrals",
                     "/admin/outbox"):
            with self.subTest(path=path):
                self.assert_not_found(f.get(path))
        self.assertEqual(self.audit_count(), before)

    def test_staff_who_may_see_the_client(self):
        for who in (CASE_WORKER, LEAD, COORDINATOR, ADMIN):
            with self.subTest(who=who):
                r = self.users[who].get("/clients/%d" % self.client_id)
                self.assertEqual(r.status, 200)
                self.assertIn(self.reference, r.text)
                self.assertEqual(r.page.h1.split()[-1], "Glasgow")

    def test_only_case_workers_make_referrals_and_only_admins_see_the_outbox(self):
        for who in (LEAD, COORDINATOR, ADMIN, FACILITATOR):
            with self.subTest(who=who):
                self.assertEqual(self.users[who].get("/referrals/new").status, 404)
                page = self.users[who].get("/")
                before = self.server.counts()
                r = self.users[who].post_form("/referrals/new", {"first_name": "X"}, page=page)
                self.assertEqual(r.status, 404)
                self.assertEqual(self.server.counts(), before)
        for who in (CASE_WORKER, LEAD, COORDINATOR, FACILITATOR):
            with self.subTest(who=who):
                self.assertEqual(self.users[who].get("/admin/outbox").status, 404)
                self.assertEqual(self.users[who].get("/admin/outbox/1").status, 404)
        self.assertEqual(self.users[ADMIN].get("/admin/outbox").status, 200)

    def test_signed_out_visitors_are_sent_to_sign_in(self):
        anon = Client(self.server)
        before = self.audit_count()
        for path in ("/clients/%d" % self.client_id, "/referrals/%s" % self.reference,
                     "/admin/outbox"):
            with self.subTest(path=path):
                r = anon.get(path)
                self.assertEqual(r.status, 303)
                self.assertTrue(r.location.startswith("/sign-in?next="))
                self.assertNotIn(self.reference, r.text)
        self.assertEqual(self.audit_count(), before)

    def test_odd_client_ids(self):
        c = self.users[COORDINATOR]
        for path in ("/clients/0", "/clients/-1", "/clients/abc", "/clients/1x",
                     "/clients/99999999999999999999", "/clients/%d.0" % self.client_id):
            with self.subTest(path=path):
                self.assertEqual(c.get(path).status, 404)

    def test_each_view_writes_one_audit_row(self):
        for who in (CASE_WORKER, LEAD, COORDINATOR, ADMIN, CASE_WORKER):
            with self.subTest(who=who):
                uid = self.server.user_id(who)
                last = self.server.scalar("SELECT coalesce(max(id), 0) FROM audit")
                t0 = int(time.time())
                r = self.users[who].get("/clients/%d" % self.client_id)
                t1 = int(time.time())
                self.assertEqual(r.status, 200)
                rows = self.server.sql("SELECT * FROM audit WHERE id > ?", (last,))
                self.assertEqual(len(rows), 1, [dict(x) for x in rows])
                row = rows[0]
                self.assertEqual(row["user_id"], uid)
                self.assertEqual(row["action"], "view_client")
                self.assertEqual(row["subject_type"], "client")
                self.assertEqual(row["subject_id"], self.client_id)
                self.assertTrue(t0 - 1 <= row["at"] <= t1 + 1, (t0, row["at"], t1))
                self.assertEqual(row["address"], "127.0.0.1")

    def test_viewing_the_referral_confirmation_is_audited(self):
        last = self.server.scalar("SELECT coalesce(max(id), 0) FROM audit")
        r = self.users[CASE_WORKER].get("/referrals/%s" % self.reference)
        self.assertEqual(r.status, 200)
        rows = self.server.sql("SELECT * FROM audit WHERE id > ?", (last,))
        self.assertEqual([(x["user_id"], x["subject_type"], x["subject_id"]) for x in rows],
                         [(self.server.user_id(CASE_WORKER), "client", self.client_id)])
