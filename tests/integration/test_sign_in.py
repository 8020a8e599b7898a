"""Signing in and out: the right password, a wrong one, an unknown account, where next=
may send you, the session cookie and what signing out does to the session."""

import urllib.parse

from tests.integration.harness import (CASE_WORKER, COORDINATOR, DEMO_PASSWORD, Client,
                                       ServerTestCase)

NOT_RIGHT = "The email address or password is not right. Check them and try again"


def cookie_attrs(set_cookie):
    parts = [p.strip() for p in set_cookie.split(";")]
    name, _, value = parts[0].partition("=")
    return name, value, [p.lower() for p in parts[1:]]


class SignInTests(ServerTestCase):

    def session_cookie_headers(self, response):
        return [h for h in response.header_all("Set-Cookie") if h.startswith("cairn_session=")]

    def test_right_password_signs_in_with_a_safe_cookie(self):
        c = Client(self.server)
        r = c.sign_in(CASE_WORKER)
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location, "/")
        [set_cookie] = self.session_cookie_headers(r)
        name, token, attrs = cookie_attrs(set_cookie)
        self.assertEqual(name, "cairn_session")
        self.assertGreaterEqual(len(token), 32, "a session token must be long and random")
        self.assertIn("httponly", attrs)
        self.assertIn("samesite=lax", attrs)
        self.assertIn("path=/", attrs)
        self.assertNotIn("secure", attrs, "plain http: a Secure cookie would never come back")
        # The database keeps a digest of the token, never the token itself.
        uid = self.server.user_id(CASE_WORKER)
        digests = [row[0] for row in self.server.sql(
            "SELECT token_digest FROM session WHERE user_id = ?", (uid,))]
        self.assertTrue(digests)
        self.assertNotIn(token, digests)
        home = c.get("/")
        self.assertEqual(home.status, 200)
        self.assertIn("You are signed in as Kirsty Caseworker", home.text)
        self.assertEqual(c.get("/referrals").status, 200)

    def test_each_sign_in_gets_a_new_token(self):
        a, b = Client(self.server), Client(self.server)
        a.sign_in(COORDINATOR)
        b.sign_in(COORDINATOR)
        self.assertNotEqual(a.cookies["cairn_session"], b.cookies["cairn_session"])

    def test_visitor_cookie_is_http_only_and_lax(self):
        r = Client(self.server).get("/sign-in")
        [visitor] = [h for h in r.header_all("Set-Cookie") if h.startswith("cairn_visitor=")]
        _, _, attrs = cookie_attrs(visitor)
        self.assertIn("httponly", attrs)
        self.assertIn("samesite=lax", attrs)

    def test_wrong_password_and_unknown_email_get_the_same_answer(self):
        before = self.server.scalar("SELECT count(*) FROM sign_in_failure")
        wrong = Client(self.server).sign_in(COORDINATOR, "not-the-password", expect=400)
        unknown = Client(self.server).sign_in("nobody@demo.cairn.scot", DEMO_PASSWORD,
                                              expect=400)
        for r, typed in ((wrong, COORDINATOR), (unknown, "nobody@demo.cairn.scot")):
            self.assertEqual(r.status, 400)
            self.assertEqual(r.page.summary, [("email", NOT_RIGHT)])
            self.assertEqual(r.page.field_errors, {"email": NOT_RIGHT})
            self.assertTrue(r.page.title.startswith("Error:"), r.page.title)
            self.assertEqual(r.page.value("email"), typed, "the email typed is kept")
            self.assertEqual(r.page.value("password"), "", "a password is never echoed")
            self.assertNotIn(DEMO_PASSWORD, r.text)
            self.assertFalse(self.session_cookie_headers(r))
        # Apart from the address typed, the two pages are the same page.
        self.assertEqual(wrong.text.replace(COORDINATOR, "X").count("<"),
                         unknown.text.replace("nobody@demo.cairn.scot", "X").count("<"))
        self.assertEqual(self.server.scalar("SELECT count(*) FROM sign_in_failure"), before + 2)

    def test_missing_email_or_password(self):
        c = Client(self.server)
        for fields in ({"email": "", "password": DEMO_PASSWORD},
                       {"email": CASE_WORKER, "password": ""}, {}):
            with self.subTest(fields=fields):
                r = c.post_form("/sign-in", fields, page=c.get("/sign-in"))
                self.assertEqual(r.status, 400)
                self.assertEqual(r.page.summary,
                                 [("email", "Enter your email address and password")])

    def test_email_is_not_case_sensitive(self):
        r = Client(self.server).sign_in(CASE_WORKER.upper())
        self.assertEqual(r.status, 303)

    def test_next_goes_to_a_local_path(self):
        c = Client(self.server)
        r = c.sign_in(CASE_WORKER, next_path="/referrals/new")
        self.assertEqual(r.location, "/referrals/new")
        self.assertEqual(c.get(r.location).status, 200)

    def test_next_never_leaves_the_site(self):
        unsafe = ["//evil.example/", "https://evil.example/", "http://evil.example",
                  "/\\evil.example", "\\\\evil.example", "/\\/evil.example",
                  "javascript:alert(1)", "evil.example", "/ /evil.example", "/\t/evil.example",
                  ""]
        c = Client(self.server)
        for n in unsafe:
            with self.subTest(next=n):
                r = c.post_form("/sign-in", {"email": CASE_WORKER, "password": DEMO_PASSWORD,
                                             "next": n}, page=c.get("/sign-in"))
                self.assertEqual(r.status, 303)
                self.assertEqual(r.location, "/")
                # Signed in now: sign out again for the next round.
                self.assertEqual(c.sign_out().status, 303)

    def test_sign_in_page_carries_only_safe_next(self):
        c = Client(self.server)
        ok = c.get("/sign-in?next=" + urllib.parse.quote("/clients/1", safe=""))
        self.assertEqual(ok.page.hidden["next"], "/clients/1")
        for n in ("//evil.example", "https://evil.example/x", "/\\evil.example"):
            with self.subTest(next=n):
                r = c.get("/sign-in?next=" + urllib.parse.quote(n, safe=""))
                self.assertEqual(r.status, 200)
                self.assertEqual(r.page.hidden["next"], "/")

    def test_signed_out_visitor_is_sent_to_sign_in_and_back(self):
        c = Client(self.server)
        r = c.get("/referrals/new")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location, "/sign-in?next=%2Freferrals%2Fnew")
        page = c.get(r.location)
        self.assertEqual(page.page.hidden["next"], "/referrals/new")
        done = c.post_form("/sign-in", {"email": CASE_WORKER, "password": DEMO_PASSWORD},
                           page=page)
        self.assertEqual(done.status, 303)
        self.assertEqual(done.location, "/referrals/new")

    def test_signed_in_user_visiting_sign_in_goes_home(self):
        c = Client(self.server)
        c.sign_in(COORDINATOR)
        r = c.get("/sign-in")
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location, "/")

    def test_sign_out_ends_the_session_on_the_server(self):
        c = Client(self.server)
        c.sign_in(CASE_WORKER)
        old_cookies = dict(c.cookies)
        uid = self.server.user_id(CASE_WORKER)
        sessions = self.server.scalar("SELECT count(*) FROM session WHERE user_id = ?", (uid,))
        r = c.sign_out()
        self.assertEqual(r.status, 303)
        self.assertEqual(r.location, "/")
        [cleared] = [h for h in r.header_all("Set-Cookie") if h.startswith("cairn_session=")]
        name, value, attrs = cookie_attrs(cleared)
        self.assertEqual(value, "")
        self.assertIn("max-age=0", attrs)
        self.assertNotIn("cairn_session", c.cookies)
        self.assertEqual(self.server.scalar(
            "SELECT count(*) FROM session WHERE user_id = ?", (uid,)), sessions - 1)
        # Someone who kept a copy of the cookie gets nothing from it.
        replay = Client(self.server)
        replay.cookies = old_cookies
        r = replay.get("/referrals")
        self.assertEqual(r.status, 303)
        self.assertTrue(r.location.startswith("/sign-in"))
        self.assertNotIn("You are signed in", replay.get("/").text)

    def test_sign_out_needs_the_csrf_token(self):
        c = Client(self.server)
        c.sign_in(COORDINATOR)
        r = c.post("/sign-out", {"csrf_token": "forged"})
        self.assertEqual(r.status, 403)
        self.assertIn("You are signed in as Callum Coordinator", c.get("/").text)

    def test_a_made_up_session_cookie_is_no_session(self):
        c = Client(self.server)
        c.cookies["cairn_session"] = "A" * 43
        r = c.get("/referrals")
        self.assertEqual(r.status, 303)
        self.assertTrue(r.location.startswith("/sign-in"))
