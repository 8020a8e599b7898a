"""Script tags and SQL in every text field: stored exactly as typed, shown escaped on every
page that shows them, and never run as SQL."""

from tests.integration.harness import (ADMIN, CASE_WORKER, COORDINATOR, Client, ServerTestCase,
                                       make_referral, reference_from_location,
                                       referral_fields)

SCRIPT = "<script>alert(1)</script>"
RAW_MARKERS = ("<script>alert", "<img src=x", "<svg/onload", "<b>bold", "\"><i>")

TEXT_FIELDS = {
    "first_name": "<script>alert(1)</script>",
    "last_name": "Robert'); DROP TABLE client;--",
    "case_reference": "<script>alert(3)</script>",
    "order_reference": "1' OR '1'='1",
    "access_needs": "<img src=x onerror=alert(4)>\n<script>alert(5)</script>",
    "group_notes": "\"><i>x</i>'; DELETE FROM referral; --<svg/onload=alert(6)>",
}
# The same again with the roles of the fields swapped, so every field carries both.
SWAPPED = {
    "first_name": "x'; DROP TABLE referral; --",
    "last_name": "<script>alert(7)</script><b>bold</b>",
    "case_reference": "'; DELETE FROM outbox; --",
    "order_reference": "<script>alert(8)</script>",
    "access_needs": "Robert'); DROP TABLE court_order;--",
    "group_notes": "<script>alert(9)</script>",
}
TABLES = ("client", "court_order", "referral", "task", "invitation", "outbox", "user",
          "session", "audit")


class EscapingTests(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client = Client(cls.server)
        cls.client.sign_in(CASE_WORKER)
        cls.admin = Client(cls.server)
        cls.admin.sign_in(ADMIN)

    def assert_escaped(self, response, where):
        self.assertEqual(response.status, 200, where)
        self.assertIn("&lt;script&gt;", response.text, where)
        for raw in RAW_MARKERS:
            self.assertNotIn(raw, response.text, "%s shows %r unescaped" % (where, raw))
        # The layout's own script tag is the only one, and it has a src.
        self.assertEqual(response.text.count("<script"), 1, where)

    def stored(self, reference):
        [row] = self.server.sql(
            "SELECT c.*, r.case_reference, o.court_reference, r.client_id "
            "FROM referral r JOIN client c ON c.id = r.client_id "
            "JOIN court_order o ON o.id = r.order_id WHERE r.reference = ?", (reference,))
        return row

    def check_payloads(self, payloads, email):
        tables_before = {t: self.server.scalar("SELECT count(*) FROM %s" % t) for t in TABLES}
        r, f = make_referral(self.client, email=email, **payloads)
        self.assertEqual(r.status, 303, r.page.summary)
        reference = reference_from_location(r.location)

        # Stored as typed; every table is still there and only grew.
        row = self.stored(reference)
        self.assertEqual(row["first_name"], payloads["first_name"])
        self.assertEqual(row["last_name"], payloads["last_name"])
        self.assertEqual(row["case_reference"], payloads["case_reference"])
        self.assertEqual(row["court_reference"], payloads["order_reference"])
        self.assertEqual(row["access_needs"], payloads["access_needs"])
        self.assertEqual(row["group_notes"], payloads["group_notes"])
        self.assertEqual(row["email"], email)
        for t in TABLES:
            self.assertGreaterEqual(self.server.scalar("SELECT count(*) FROM %s" % t),
                                    tables_before[t], t)

        # Shown escaped wherever it is shown, to each who may see it.
        self.assert_escaped(self.client.get(r.location), "confirmation page")
        self.assert_escaped(self.client.get("/referrals"), "My referrals")
        client_page = self.client.get("/clients/%d" % row["client_id"])
        self.assert_escaped(client_page, "client page")
        # Round trip: what the browser shows is exactly what was typed.
        self.assertEqual(client_page.page.h1,
                         " ".join((payloads["first_name"] + " " + payloads["last_name"])
                                  .split()))
        coordinator = Client(self.server)
        coordinator.sign_in(COORDINATOR)
        self.assert_escaped(coordinator.get("/clients/%d" % row["client_id"]),
                            "client page (coordinator)")

        # And in the outbox pages, whose bodies hold the names.
        ids = [m[0] for m in self.server.sql(
            "SELECT id FROM outbox WHERE body LIKE ? ORDER BY id", ("%" + reference + "%",))]
        self.assertTrue(ids)
        self.assertEqual(self.admin.get("/admin/outbox").status, 200)
        for i in ids:
            page = self.admin.get("/admin/outbox/%d" % i)
            self.assertEqual(page.status, 200)
            for raw in RAW_MARKERS:
                self.assertNotIn(raw, page.text)
        return row

    def test_script_and_sql_in_every_text_field(self):
        self.check_payloads(TEXT_FIELDS, "o'brien+test@example.com")

    def test_swapped_payloads(self):
        self.check_payloads(SWAPPED, "x'or'1'='1@example.com")

    def test_error_page_echoes_input_escaped(self):
        fields = referral_fields(unpaid_hours="<script>alert(10)</script>",
                                 activity_hours="\"><script>alert(11)</script>",
                                 date_of_birth="'><img src=x onerror=alert(12)>",
                                 mobile="<b>bold</b>", **TEXT_FIELDS)
        before = self.server.counts()
        r = self.client.post_form("/referrals/new", fields)
        self.assertEqual(r.status, 400)
        self.assertEqual(self.server.counts(), before)
        for raw in RAW_MARKERS + ("\"><script", "'><img"):
            self.assertNotIn(raw, r.text)
        self.assertIn("&lt;script&gt;", r.text)
        self.assertEqual(r.text.count("<script"), 1)
        for name, typed in fields.items():
            if name != "consent":
                self.assertEqual(r.page.value(name), typed, name)

    def test_sign_in_page_echoes_email_escaped(self):
        r = Client(self.server).sign_in("\"><script>alert(13)</script>@example.com",
                                        "whatever-password", expect=400)
        self.assertNotIn("<script>alert", r.text)
        self.assertIn("&lt;script&gt;", r.text)
        self.assertEqual(r.page.value("email"), "\"><script>alert(13)</script>@example.com")
