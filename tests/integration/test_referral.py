"""The referral happy path: what one Send referral stores, the confirmation, the defaults
for other activity hours and the completion date, references, My referrals, and the two
messages in the outbox and the mail folder."""

import re
import time

from tests.integration.harness import (CASE_WORKER, CASE_WORKER_FIFE, REFERENCE_ALPHABET,
                                       REFERENCE_RE, Client, ServerTestCase, add_months,
                                       default_order_date, invitation_path, make_referral,
                                       reference_from_location, referral_fields, uk,
                                       wait_until)

ORDER_REFERENCE_RE = re.compile(r"^O-[%s]{4}-[%s]{4}$" % (REFERENCE_ALPHABET,
                                                            REFERENCE_ALPHABET))


class ReferralTests(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client = Client(cls.server)
        cls.client.sign_in(CASE_WORKER)

    def referral_row(self, reference):
        rows = self.server.sql(
            "SELECT r.*, o.reference AS order_reference, o.court_reference, o.imposed_on, "
            "o.unpaid_hours, o.activity_minutes, o.complete_by, o.client_id AS order_client "
            "FROM referral r JOIN court_order o ON o.id = r.order_id WHERE r.reference = ?",
            (reference,))
        self.assertEqual(len(rows), 1, reference)
        return rows[0]

    def test_happy_path_stores_everything_once(self):
        before = self.server.counts()
        max_outbox = self.server.scalar("SELECT coalesce(max(id), 0) FROM outbox")
        t0 = int(time.time())
        r, f = make_referral(self.client, first_name="Morag", mobile="07700 900123",
                             access_needs="Uses a screen reader",
                             group_notes="Prefers evening groups")
        t1 = int(time.time())
        self.assertEqual(r.status, 303, r.text[:3000])
        reference = reference_from_location(r.location)
        self.assertRegex(reference, REFERENCE_RE)

        after = self.server.counts()
        self.assertEqual({k: after[k] - before[k] for k in after},
                         {"client": 1, "court_order": 1, "referral": 1, "task": 1,
                          "invitation": 1, "outbox": 2})

        row = self.referral_row(reference)
        glasgow = self.server.scalar("SELECT id FROM local_authority WHERE name = 'Glasgow City'")
        self.assertEqual(row["case_worker_id"], self.server.user_id(CASE_WORKER))
        self.assertEqual(row["authority_id"], glasgow)
        self.assertEqual(row["status"], "sent")
        self.assertEqual(row["case_reference"], f["case_reference"])
        self.assertEqual(row["court_reference"], f["order_reference"])
        self.assertEqual(row["client_id"], row["order_client"])
        self.assertRegex(row["order_reference"], ORDER_REFERENCE_RE)
        self.assertEqual(row["imposed_on"], default_order_date().isoformat())
        self.assertEqual(row["unpaid_hours"], 120)
        self.assertEqual(row["activity_minutes"], 36 * 60)
        self.assertTrue(t0 - 1 <= row["created_at"] <= t1 + 1)

        [client] = self.server.sql("SELECT * FROM client WHERE id = ?", (row["client_id"],))
        self.assertEqual(client["first_name"], "Morag")
        self.assertEqual(client["last_name"], f["last_name"])
        self.assertEqual(client["date_of_birth"], "1989-03-23")
        self.assertEqual(client["email"], f["email"])
        self.assertEqual(client["mobile"], "07700900123")
        self.assertEqual(client["authority_id"], glasgow)
        self.assertEqual(client["access_needs"], "Uses a screen reader")
        self.assertEqual(client["group_notes"], "Prefers evening groups")

        [task] = self.server.sql("SELECT * FROM task WHERE referral_id = ?", (row["id"],))
        self.assertEqual((task["kind"], task["status"]), ("welcome_call", "open"))

        [inv] = self.server.sql("SELECT * FROM invitation WHERE client_id = ?",
                                (row["client_id"],))
        self.assertIsNone(inv["used_at"])
        self.assertEqual(inv["expires_at"] - inv["created_at"], 14 * 24 * 60 * 60)

        messages = self.server.sql(
            "SELECT * FROM outbox WHERE id > ? AND kind IN ('referral_confirmation', "
            "'invitation') ORDER BY id", (max_outbox,))
        by_kind = {m["kind"]: m for m in messages}
        self.assertEqual(set(by_kind), {"referral_confirmation", "invitation"})
        self.assertEqual(by_kind["referral_confirmation"]["recipient"], CASE_WORKER)
        self.assertIn(reference, by_kind["referral_confirmation"]["subject"])
        self.assertIn(reference, by_kind["referral_confirmation"]["body"])
        self.assertEqual(by_kind["invitation"]["recipient"], f["email"])
        # The invitation's token is stored only as a digest.
        token = invitation_path(by_kind["invitation"]["body"]).rsplit("/", 1)[1]
        self.assertNotIn(token, inv["token_digest"])

        # The confirmation page.
        page = self.client.get(r.location)
        self.assertEqual(page.status, 200)
        self.assertEqual(page.page.h1, "Referral sent")
        self.assertIn(reference, page.text)
        self.assertIn(row["order_reference"], page.text)
        self.assertIn("/clients/%d" % row["client_id"], page.page.links)
        self.assertIn("Morag has been sent an invitation", page.text)

        # Both messages are delivered to the mail folder within a couple of seconds.
        ids = [m["id"] for m in messages]
        wait_until(lambda: all(any(n.startswith("%06d-" % i) for n in self.server.eml_files())
                               for i in ids), timeout=5, message="two .eml files")
        # The sender marks a pass's messages sent together, after writing their files.
        wait_until(lambda: all(s["sent_at"] for s in self.server.sql(
            "SELECT sent_at FROM outbox WHERE id IN (?, ?)", tuple(ids))), timeout=5,
            message="both messages marked sent")
        sent = self.server.sql("SELECT sent_at, attempts FROM outbox WHERE id IN (?, ?)",
                               tuple(ids))
        self.assertTrue(all(s["sent_at"] and s["attempts"] == 1 for s in sent), sent)
        emails = {n.split("-", 1)[1]: self.server.read_eml(n) for n in self.server.eml_files()
                  if int(n.split("-")[0]) in ids}
        conf = emails["referral_confirmation.eml"]
        self.assertEqual(conf["To"], CASE_WORKER)
        self.assertIn(reference, conf["Subject"])
        self.assertIn(reference, conf.get_content())
        inv_mail = emails["invitation.eml"]
        self.assertEqual(inv_mail["To"], f["email"])
        self.assertIn(self.server.base_url + "/invitations/", inv_mail.get_content())

    def test_confirmation_page_takes_the_reference_however_typed(self):
        r, _ = make_referral(self.client)
        reference = reference_from_location(r.location)
        for typed in (reference.lower(), reference.replace("-", ""), reference[2:]):
            with self.subTest(typed=typed):
                page = self.client.get("/referrals/" + typed)
                self.assertEqual(page.status, 200)
                self.assertIn(reference, page.text)
        self.assertEqual(self.client.get("/referrals/R-2222-2222").status, 404)
        self.assertEqual(self.client.get("/referrals/R-0000-OOOO").status, 404)

    def test_activity_hours_and_completion_date_defaults(self):
        # (unpaid hours, default other activity hours, months to complete)
        cases = [(20, 6, 3), (33, 9, 3), (100, 30, 3), (101, 30, 6), (120, 36, 6),
                 (299, 89, 6), (300, 90, 6)]
        imposed = default_order_date()
        mid_month = imposed.replace(day=15)
        for unpaid, activity, months in cases:
            for order_date in (imposed, mid_month):
                with self.subTest(unpaid=unpaid, order_date=order_date):
                    r, _ = make_referral(self.client, unpaid_hours=str(unpaid),
                                         order_date=uk(order_date))
                    self.assertEqual(r.status, 303, r.page.summary)
                    row = self.referral_row(reference_from_location(r.location))
                    self.assertEqual(row["unpaid_hours"], unpaid)
                    self.assertEqual(row["activity_minutes"], activity * 60)
                    self.assertEqual(row["complete_by"],
                                     add_months(order_date, months).isoformat())

    def test_values_given_are_kept(self):
        complete_by = add_months(default_order_date(), 4)
        r, _ = make_referral(self.client, unpaid_hours="120", activity_hours="36",
                             complete_by=uk(complete_by))
        self.assertEqual(r.status, 303, r.page.summary)
        row = self.referral_row(reference_from_location(r.location))
        self.assertEqual(row["activity_minutes"], 36 * 60)
        self.assertEqual(row["complete_by"], complete_by.isoformat())
        r, _ = make_referral(self.client, unpaid_hours="120", activity_hours="1")
        self.assertEqual(r.status, 303, r.page.summary)
        self.assertEqual(self.referral_row(reference_from_location(r.location))
                         ["activity_minutes"], 60)

    def test_dates_and_spacing_people_type(self):
        r, f = make_referral(self.client, first_name="  Mòrag  ", last_name="Ó Briain",
                             date_of_birth="29/02/2000", email="  spaced@example.com ",
                             mobile="+44 7700 900982",
                             order_date=default_order_date().strftime("%d-%m-%Y"))
        self.assertEqual(r.status, 303, r.page.summary)
        row = self.referral_row(reference_from_location(r.location))
        [client] = self.server.sql("SELECT * FROM client WHERE id = ?", (row["client_id"],))
        self.assertEqual(client["first_name"], "Mòrag")
        self.assertEqual(client["last_name"], "Ó Briain")
        self.assertEqual(client["date_of_birth"], "2000-02-29")
        self.assertEqual(client["email"], "spaced@example.com")
        self.assertEqual(client["mobile"], "07700900982")
        self.assertIn("Mòrag", self.client.get(r.location).text)

    def test_mobile_only_client_gets_no_invitation(self):
        before = self.server.counts()
        r, f = make_referral(self.client, email="", mobile="07700 900456")
        self.assertEqual(r.status, 303, r.page.summary)
        after = self.server.counts()
        self.assertEqual({k: after[k] - before[k] for k in after},
                         {"client": 1, "court_order": 1, "referral": 1, "task": 1,
                          "invitation": 0, "outbox": 1})
        page = self.client.get(r.location)
        self.assertIn("has no email address", page.text)

    def test_references_use_only_the_unambiguous_alphabet(self):
        for _ in range(8):
            r, _ = make_referral(self.client)
            self.assertEqual(r.status, 303)
        refs = self.server.sql("SELECT r.reference, o.reference FROM referral r "
                               "JOIN court_order o ON o.id = r.order_id")
        self.assertGreaterEqual(len(refs), 8)
        for referral_ref, order_ref in refs:
            self.assertRegex(referral_ref, REFERENCE_RE)
            self.assertRegex(order_ref, ORDER_REFERENCE_RE)
            for c in "01IOL":
                self.assertNotIn(c, referral_ref[2:] + order_ref[2:])
        all_refs = [x for pair in refs for x in pair]
        self.assertEqual(len(all_refs), len(set(all_refs)))

    def test_my_referrals_lists_mine_only(self):
        r, f = make_referral(self.client, last_name="Listed")
        reference = reference_from_location(r.location)
        row = self.referral_row(reference)
        mine = self.client.get("/referrals")
        self.assertEqual(mine.status, 200)
        self.assertEqual(mine.page.h1, "My referrals")
        self.assertIn(reference, mine.text)
        self.assertIn("/clients/%d" % row["client_id"], mine.page.links)
        self.assertIn("sent", mine.text)
        fife = Client(self.server)
        fife.sign_in(CASE_WORKER_FIFE)
        theirs = fife.get("/referrals")
        self.assertEqual(theirs.status, 200)
        self.assertNotIn(reference, theirs.text)
        self.assertIn("You have not made any referrals yet", theirs.text)

    def test_client_page_shows_referral_and_order(self):
        r, f = make_referral(self.client, unpaid_hours="150", activity_hours="40")
        reference = reference_from_location(r.location)
        row = self.referral_row(reference)
        page = self.client.get("/clients/%d" % row["client_id"])
        self.assertEqual(page.status, 200)
        self.assertEqual(page.page.h1, "Morag %s" % f["last_name"])
        for text in (reference, row["order_reference"], f["order_reference"],
                     f["case_reference"], f["email"], "Glasgow City", "Kirsty Caseworker",
                     "150", "40", "23 March 1989"):
            self.assertIn(text, page.text)

    def test_form_page(self):
        page = self.client.get("/referrals/new")
        self.assertEqual(page.status, 200)
        self.assertEqual(page.page.h1, "Make a referral")
        self.assertEqual(len(page.page.hidden["form_token"]), 43)
        self.assertTrue(page.page.hidden["csrf_token"])
        for field in referral_fields():
            self.assertIn(field, page.page.inputs.keys() | page.page.textareas.keys(), field)
        self.assertIn("At most 30% of the unpaid work hours", page.text)
        # A fresh form each time: each is one referral.
        self.assertNotEqual(page.page.hidden["form_token"],
                            self.client.get("/referrals/new").page.hidden["form_token"])


class AuthorityCapTests(ServerTestCase):
    """The other activity cap is a setting per installation and per local authority."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client = Client(cls.server)
        cls.client.sign_in(CASE_WORKER)

    def set_cap(self, installation=None, glasgow=None):
        if installation is not None:
            self.server.sql("UPDATE setting SET value = ? WHERE key = "
                            "'other_activity_cap_percent'", (str(installation),))
        self.server.sql("UPDATE local_authority SET other_activity_cap_percent = ? "
                        "WHERE name = 'Glasgow City'", (glasgow,))

    def tearDown(self):
        self.set_cap(installation=30, glasgow=None)

    def activity_minutes(self, r):
        self.assertEqual(r.status, 303, r.page.summary)
        return self.server.scalar(
            "SELECT o.activity_minutes FROM referral r JOIN court_order o ON o.id = r.order_id "
            "WHERE r.reference = ?", (reference_from_location(r.location),))

    def test_installation_setting(self):
        self.set_cap(installation=50)
        self.assertIn("At most 50%", self.client.get("/referrals/new").text)
        r, _ = make_referral(self.client, unpaid_hours="100")
        self.assertEqual(self.activity_minutes(r), 50 * 60)

    def test_authority_setting_wins(self):
        self.set_cap(installation=50, glasgow=20)
        r, _ = make_referral(self.client, unpaid_hours="100")
        self.assertEqual(self.activity_minutes(r), 20 * 60)
        r, _ = make_referral(self.client, unpaid_hours="100", activity_hours="21")
        self.assertEqual(r.status, 400)
        self.assertEqual(r.page.field_errors["activity_hours"],
                         "Other activity hours must be 20 or fewer (20% of the unpaid work "
                         "hours)")

    def test_no_other_activity_allowed(self):
        self.set_cap(glasgow=0)
        before = self.server.counts()
        r, _ = make_referral(self.client, unpaid_hours="100")
        self.assertEqual(r.status, 400)
        self.assertEqual(r.page.field_errors["activity_hours"],
                         "No other activity hours are allowed for an order of 100 hours")
        self.assertEqual(self.server.counts(), before)
