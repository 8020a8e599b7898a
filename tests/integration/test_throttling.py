"""Throttling of failed sign-ins: per account (5 in 15 minutes) and per address (50)."""

import time

from tests.integration.harness import (ADMIN, COORDINATOR, DEMO_PASSWORD, FACILITATOR, LEAD,
                                       Client, ServerTestCase)

TOO_MANY = "There have been too many attempts to sign in. Wait 15 minutes, then try again"
NOT_RIGHT = "The email address or password is not right. Check them and try again"


class ThrottlingTests(ServerTestCase):

    def assert_throttled(self, r):
        self.assertEqual(r.status, 429, r.text[:500])
        self.assertEqual(r.page.summary, [("email", TOO_MANY)])
        self.assertEqual(r.header("Retry-After"), "900")
        self.assertFalse([h for h in r.header_all("Set-Cookie")
                          if h.startswith("cairn_session=")])

    def test_sixth_attempt_is_refused_even_with_the_right_password(self):
        c = Client(self.server)
        for i in range(5):
            r = c.sign_in(LEAD, "wrong-password-%d" % i, expect=400)
            self.assertEqual(r.page.summary, [("email", NOT_RIGHT)], "attempt %d" % (i + 1))
        self.assert_throttled(c.sign_in(LEAD, DEMO_PASSWORD, expect=None))
        # However the address is written.
        self.assert_throttled(c.sign_in(LEAD.upper(), DEMO_PASSWORD, expect=None))
        self.assertEqual(c.get("/referrals").status, 303, "still signed out")
        # Another account from the same address is not held up.
        self.assertEqual(Client(self.server).sign_in(COORDINATOR).status, 303)

    def test_unknown_accounts_are_throttled_alike(self):
        c = Client(self.server)
        for _ in range(5):
            c.sign_in("ghost@demo.cairn.scot", "whatever-password", expect=400)
        self.assert_throttled(c.sign_in("ghost@demo.cairn.scot", "whatever-password",
                                        expect=None))

    def test_failures_older_than_15_minutes_do_not_count(self):
        old = int(time.time()) - 16 * 60
        for _ in range(5):
            self.server.sql("INSERT INTO sign_in_failure(email, address, at) VALUES (?, ?, ?)",
                            (FACILITATOR, "127.0.0.1", old))
        r = Client(self.server).sign_in(FACILITATOR)
        self.assertEqual(r.status, 303)

    def test_one_address_is_throttled_after_50_failures(self):
        now = int(time.time())
        have = self.server.scalar(
            "SELECT count(*) FROM sign_in_failure WHERE address = '127.0.0.1' AND at > ?",
            (now - 15 * 60,))
        first = self.server.scalar("SELECT coalesce(max(id), 0) FROM sign_in_failure")
        for i in range(max(0, 50 - have)):
            self.server.sql("INSERT INTO sign_in_failure(email, address, at) VALUES (?, ?, ?)",
                            ("spray%d@example.com" % i, "127.0.0.1", now))
        try:
            self.assert_throttled(Client(self.server).sign_in(ADMIN, expect=None))
        finally:
            self.server.sql("DELETE FROM sign_in_failure WHERE id > ?", (first,))
        self.assertEqual(Client(self.server).sign_in(ADMIN).status, 303)
