"""Clients who would rather not keep a password: the invitation lets them choose sign-in
links; a link is emailed each time, works once, and stops working after an hour. Used
and expired invitation links have stopped working too (the clock is moved on with
CAIRN_TIME_OFFSET and the server restarted on the same database)."""

import re

from tests.integration.harness import (CASE_WORKER, COORDINATOR, Client, ServerTestCase)
from tests.integration.sessions_support import (CLIENT_PASSWORD, STOPPED, eml_for,
                                                invitation_token_path, new_client, outbox,
                                                staff)

LINK_RE = re.compile(r"http://127\.0\.0\.1:\d+(/sign-in/link/([A-Za-z0-9_-]{43}))\b")


class SignInLinkTests(ServerTestCase):

    def ask_for_link(self, email_address):
        """Asks for a sign-in link; returns the path in the email (or None if none sent)."""
        visitor = Client(self.server)
        after = self.server.scalar("SELECT coalesce(max(id), 0) FROM outbox")
        r = visitor.post_form("/sign-in/link", {"email": email_address})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.page.h1, "Check your email")
        self.assertIn("If %s has an account" % email_address, r.text)
        rows = outbox(self.server, "sign_in_link", email_address, after)
        if not rows:
            return None
        [row] = rows
        msg = eml_for(self.server, row["id"])
        self.assertEqual(msg["To"], email_address)
        return LINK_RE.search(msg.get_content()).group(1)

    def use(self, path, who=None):
        who = who or Client(self.server)
        page = who.get(path)
        self.assertEqual(page.status, 200)
        return who, who.post_form(path, {}, page=page)

    def assert_stopped(self, r):
        self.assertEqual(r.status, 404)
        self.assertEqual(r.page.h1, STOPPED)
        self.assertNotIn("cairn_session=", " ".join(r.header_all("Set-Cookie")).replace(
            "cairn_session=;", ""))

    def link_rows(self, user_id):
        return self.server.sql("SELECT * FROM sign_in_link WHERE user_id = ?", (user_id,))

    def test_sign_in_links_work_once_and_expire(self):
        cw = staff(self.server, CASE_WORKER)
        p = new_client(self.server, cw, None, first_name="Linky")
        invitation = invitation_token_path(self.server, p.email)
        visitor = Client(self.server)
        page = visitor.get(invitation)
        self.assertIn('name="choice" value="link"', page.text)
        r = visitor.post_form(invitation, {"choice": "link"}, page=page)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.page.h1, "Your account is set up")
        self.assertIn("ask for a link", r.text)
        [user] = self.server.sql("SELECT * FROM user WHERE client_id = ?", (p.client_id,))
        self.assertEqual((user["role"], user["sign_in_by_link"], user["password_hash"]),
                         ("client", 1, ""))
        # The invitation is used up, whichever way it is tried again.
        self.assert_stopped(Client(self.server).get(invitation))
        for fields in ({"choice": "link"}, {"password": CLIENT_PASSWORD,
                                            "password_again": CLIENT_PASSWORD}):
            c = Client(self.server)
            r = c.post_form(invitation, fields, page=c.get("/sign-in"))
            self.assert_stopped(r)
        self.assertEqual(self.server.scalar("SELECT password_hash FROM user WHERE id = ?",
                                            (user["id"],)), "")
        self.assertEqual(self.server.scalar("SELECT count(*) FROM user WHERE client_id = ?",
                                            (p.client_id,)), 1)
        # No password works for them.
        c = Client(self.server)
        c.sign_in(p.email, CLIENT_PASSWORD, expect=400)

        # A link by email: opening it does not use it (mail scanners open links)...
        path = self.ask_for_link(p.email)
        self.assertIsNotNone(path)
        token = path.rsplit("/", 1)[1]
        [row] = self.link_rows(user["id"])
        self.assertNotIn(token, row["token_digest"])
        self.assertEqual(row["expires_at"] - row["created_at"], 3600)
        for _ in range(2):
            self.assertEqual(Client(self.server).get(path).status, 200)
        self.assertIsNone(self.link_rows(user["id"])[0]["used_at"])
        # ...pressing Sign in does, once.
        browser, r = self.use(path)
        self.assertEqual((r.status, r.location), (303, "/"))
        home = browser.get("/")
        self.assertEqual(home.page.h1, "Hello Linky")
        self.assertIsNotNone(self.link_rows(user["id"])[0]["used_at"])
        _, r = self.use(path)
        self.assert_stopped(r)
        # Made-up and altered tokens.
        for bad in ("nonsense", "A" * 43, token[:-1] + ("A" if token[-1] != "A" else "B"),
                    token + "A"):
            _, r = self.use("/sign-in/link/" + bad)
            self.assert_stopped(r)

        # Only clients get links; unknown addresses get the same page and no email.
        self.assertIsNone(self.ask_for_link(COORDINATOR))
        self.assertIsNone(self.ask_for_link("nobody-%s@example.com" % p.client_id))
        r = Client(self.server).post_form("/sign-in/link", {"email": "not an address"})
        self.assertEqual(r.status, 400)
        self.assertEqual(r.page.summary, [("email", "Enter your email address, like "
                                                    "name@example.com")])

        # A link asked for now, and a fresh invitation not yet used.
        stale = self.ask_for_link(p.email)
        q = new_client(self.server, cw, None)
        q_invitation = invitation_token_path(self.server, q.email)

        # An hour and a minute later the link has stopped working; the invitation has not.
        self.server.stop()
        self.server.start(env={"CAIRN_TIME_OFFSET": "3660"})
        _, r = self.use(stale)
        self.assert_stopped(r)
        self.assertEqual(self.server.scalar("SELECT count(*) FROM sign_in_link WHERE "
                                            "user_id = ? AND used_at IS NULL", (user["id"],)), 1)
        # A new link works (so the refusal above was the expiry).
        browser, r = self.use(self.ask_for_link(p.email))
        self.assertEqual(r.status, 303)
        self.assertEqual(browser.get("/").page.h1, "Hello Linky")
        self.assertEqual(Client(self.server).get(q_invitation).status, 200)

        # 15 days on, the invitation has stopped working too, and makes no account.
        self.server.stop()
        self.server.start(env={"CAIRN_TIME_OFFSET": str(15 * 86400)})
        self.assert_stopped(Client(self.server).get(q_invitation))
        for fields in ({"choice": "link"}, {"password": CLIENT_PASSWORD,
                                            "password_again": CLIENT_PASSWORD}):
            c = Client(self.server)
            self.assert_stopped(c.post_form(q_invitation, fields, page=c.get("/sign-in")))
        self.assertIsNone(self.server.scalar("SELECT id FROM user WHERE client_id = ?",
                                             (q.client_id,)))
        self.assertIsNone(self.server.scalar("SELECT used_at FROM invitation WHERE client_id = ?",
                                             (q.client_id,)))
