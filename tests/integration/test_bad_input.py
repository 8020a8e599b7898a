"""Bad input at the HTTP boundary: oversized bodies and headers, malformed percent-encoding,
invalid UTF-8, control characters, forged or missing CSRF tokens, foreign origins, unknown
routes and methods. Each gets a clear status, nothing is stored, and the server carries on."""

import http.client
import urllib.parse

from tests.integration.harness import (CASE_WORKER, DEMO_PASSWORD, Client, ServerTestCase,
                                       raw_http, referral_fields, status_of)

PROBLEM = "There is a problem with your request"
EXPIRED = "Your form has expired"


class BadInputTests(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cw = Client(cls.server)
        cls.cw.sign_in(CASE_WORKER)

    def setUp(self):
        self.before = self.server.counts()

    def assert_nothing_stored(self):
        self.assertEqual(self.server.counts(), self.before)

    def assert_alive(self):
        r = Client(self.server).get("/healthz")
        self.assertEqual(r.status, 200)
        self.assertIn('"status":"ok"', r.text)

    def signed_in_form(self):
        """A valid referral with this session's tokens, as urlencoded text."""
        page = self.cw.get("/referrals/new").page
        fields = dict(referral_fields())
        fields["csrf_token"] = page.hidden["csrf_token"]
        fields["form_token"] = page.hidden["form_token"]
        return fields

    # -- sizes --

    def test_body_over_64_kib_is_413(self):
        fields = self.signed_in_form()
        fields["access_needs"] = "x" * (65 * 1024)
        r = self.cw.post("/referrals/new", fields)
        self.assertEqual(r.status, 413)
        self.assertIn("The form sent was too large", r.text)
        self.assert_nothing_stored()
        c = Client(self.server)
        page = c.get("/sign-in").page
        r = c.post("/sign-in", {"csrf_token": page.hidden["csrf_token"], "email": CASE_WORKER,
                                "password": "p" * (100 * 1024)})
        self.assertEqual(r.status, 413)
        self.assert_alive()

    def test_chunked_body_over_64_kib_is_413(self):
        fields = self.signed_in_form()
        body = urllib.parse.urlencode(fields).encode()
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        conn.putrequest("POST", "/referrals/new")
        conn.putheader("Cookie", self.cw.cookie_header())
        conn.putheader("Content-Type", "application/x-www-form-urlencoded")
        conn.putheader("Transfer-Encoding", "chunked")
        conn.endheaders()
        chunks = [body] + [b"&group_notes=" + b"y" * 8192] * 10
        for chunk in chunks:
            conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        conn.send(b"0\r\n\r\n")
        resp = conn.getresponse()
        resp.read()
        conn.close()
        self.assertEqual(resp.status, 413)
        self.assert_nothing_stored()

    def test_body_just_under_the_limit_is_read(self):
        fields = self.signed_in_form()
        fields["access_needs"] = "x" * (60 * 1024)
        r = self.cw.post("/referrals/new", fields)
        self.assertEqual(r.status, 400)
        self.assertEqual(r.page.field_errors["access_needs"],
                         "Access needs must be 2000 characters or fewer")
        self.assert_nothing_stored()

    def test_header_too_large_is_refused_and_the_server_carries_on(self):
        for request in (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 40960 +
                        b"\r\n\r\n",
                        b"GET /" + b"a" * 40960 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                        b"".join(b"X-H%d: v\r\n" % i for i in range(5000)) + b"\r\n"):
            with self.subTest(request=request[:30]):
                raw = raw_http(self.server.port, request)
                self.assertIn(status_of(raw), (None, 414, 431),
                              "refused with 431 or a closed connection, got %r" % raw[:100])
                if status_of(raw) is None:
                    self.assertEqual(raw, b"")
                self.assert_alive()

    def test_too_many_fields_is_400(self):
        c = Client(self.server)
        page = c.get("/sign-in").page
        pairs = [("csrf_token", page.hidden["csrf_token"]), ("email", CASE_WORKER),
                 ("password", DEMO_PASSWORD)] + [("f%d" % i, "v") for i in range(2000)]
        r = c.post("/sign-in", pairs)
        self.assertEqual(r.status, 400)
        self.assertNotIn("cairn_session", c.cookies)

    # -- encoding --

    def test_malformed_percent_encoding_in_the_address(self):
        c = Client(self.server)
        for path in ("/referrals%zz", "/sign-in?next=%zz", "/sign-in?next=%4", "/?a=%",
                     "/?a=%g0", "/%", "/%4"):
            with self.subTest(path=path):
                r = c.get(path)
                self.assertEqual(r.status, 400)
                self.assertEqual(r.page.h1, PROBLEM)
        self.assert_alive()

    def test_invalid_utf8_and_control_characters_in_the_address(self):
        c = Client(self.server)
        for enc in ("%ff", "%c0%af", "%ed%a0%80", "%f4%90%80%80", "%e2%82", "%01", "%00",
                    "%7f", "%c2%80", "%1b"):
            for path in ("/?q=" + enc, "/clients/" + enc, "/invitations/x" + enc):
                with self.subTest(path=path):
                    r = c.get(path)
                    self.assertEqual(r.status, 400)
                    self.assertEqual(r.page.h1, PROBLEM)
        raw = raw_http(self.server.port, b"GET /\xff\xfe HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       b"Connection: close\r\n\r\n")
        self.assertIn(status_of(raw), (400, None))
        self.assert_alive()

    def test_bad_encoding_in_a_form_body(self):
        bad = ["%zz", "%4", "%", "%ff", "%c0%af", "%ed%a0%80", "%01", "%00", "%7f", "%c2%9b"]
        for enc in bad:
            with self.subTest(enc=enc):
                fields = self.signed_in_form()
                body = urllib.parse.urlencode(fields) + "&first_name=" + enc
                r = self.cw.post("/referrals/new", body)
                self.assertEqual(r.status, 400)
                self.assertEqual(r.page.h1, PROBLEM)
                # The field's name can be as bad as its value.
                body = urllib.parse.urlencode(fields) + "&" + enc + "=x"
                self.assertEqual(self.cw.post("/referrals/new", body).status, 400)
        fields = self.signed_in_form()
        raw_body = urllib.parse.urlencode(fields).encode() + b"&last_name=\xff\xfe"
        self.assertEqual(self.cw.post("/referrals/new", raw_body).status, 400)
        self.assert_nothing_stored()
        # Line breaks and tabs are text, not control characters.
        fields = self.signed_in_form()
        fields["access_needs"] = "one\r\ntwo\tthree"
        r = self.cw.post("/referrals/new", fields)
        self.assertEqual(r.status, 303)

    def test_form_must_be_urlencoded(self):
        c = Client(self.server)
        page = c.get("/sign-in").page
        body = "csrf_token=%s&email=%s&password=%s" % (page.hidden["csrf_token"], CASE_WORKER,
                                                        DEMO_PASSWORD)
        for ctype in ("text/plain", "multipart/form-data; boundary=x", "application/json"):
            with self.subTest(ctype=ctype):
                r = c.post("/sign-in", body, headers={"Content-Type": ctype})
                self.assertEqual(r.status, 415)
                self.assertNotIn("cairn_session", c.cookies)

    def test_a_bad_cookie_header_is_no_cookie(self):
        for cookie in ("cairn_session=\x01\x02", "=; ;;", "a" * 3000,
                       "; ".join("c%d=v" % i for i in range(100))):
            with self.subTest(cookie=cookie[:20]):
                r = Client(self.server).get("/referrals", headers={"Cookie": cookie})
                self.assertEqual(r.status, 303)
        r = raw_http(self.server.port, b"GET / HTTP/1.1\r\nHost: x\r\nCookie: a=\xff\xfe\r\n"
                     b"Connection: close\r\n\r\n")
        self.assertEqual(status_of(r), 200)

    # -- CSRF and origin --

    def test_missing_or_wrong_csrf_token_is_403(self):
        fields = self.signed_in_form()
        other = Client(self.server)
        other.sign_in(CASE_WORKER)
        someone_elses = other.get("/referrals/new").page.hidden["csrf_token"]
        for token in (None, "", "x", fields["csrf_token"][:-1], fields["csrf_token"] + "x",
                      someone_elses):
            with self.subTest(token=token):
                f = dict(fields)
                if token is None:
                    del f["csrf_token"]
                else:
                    f["csrf_token"] = token
                r = self.cw.post("/referrals/new", f)
                self.assertEqual(r.status, 403)
                self.assertEqual(r.page.h1, EXPIRED)
        self.assert_nothing_stored()
        # The right one works (so the 403s above were the token).
        self.assertEqual(self.cw.post("/referrals/new", fields).status, 303)

    def test_sign_in_needs_the_visitor_csrf_token(self):
        a, b = Client(self.server), Client(self.server)
        token_b = b.get("/sign-in").page.hidden["csrf_token"]
        a.get("/sign-in")
        for token in (None, "nonsense", token_b):
            with self.subTest(token=token):
                f = {"email": CASE_WORKER, "password": DEMO_PASSWORD}
                if token is not None:
                    f["csrf_token"] = token
                r = a.post("/sign-in", f)
                self.assertEqual(r.status, 403)
                self.assertNotIn("cairn_session", a.cookies)
        # Without any visitor cookie at all.
        r = Client(self.server).post("/sign-in", {"csrf_token": token_b, "email": CASE_WORKER,
                                                  "password": DEMO_PASSWORD})
        self.assertEqual(r.status, 403)

    def test_foreign_origin_is_403(self):
        for origin in ("http://evil.example", "null", self.server.base_url + ".evil.example",
                       "http://127.0.0.1:%d" % (self.server.port + 1)):
            with self.subTest(origin=origin):
                r = self.cw.post("/referrals/new", self.signed_in_form(), origin=origin)
                self.assertEqual(r.status, 403)
        self.assert_nothing_stored()
        r = self.cw.post("/referrals/new", self.signed_in_form(), origin=self.server.base_url)
        self.assertEqual(r.status, 303)

    # -- routes and methods --

    def test_unknown_route_is_404(self):
        c = Client(self.server)
        for path in ("/nope", "/referrals/new/extra", "/admin", "/clients", "/static",
                     "/static/", "/.env", "/sign-in/"):
            with self.subTest(path=path):
                r = c.get(path)
                self.assertEqual(r.status, 404)
                self.assertEqual(r.page.h1, "Page not found")

    def test_wrong_method_is_405(self):
        c = Client(self.server)
        for method, path in (("DELETE", "/sign-in"), ("PUT", "/referrals/new"), ("POST", "/"),
                             ("POST", "/healthz"), ("PATCH", "/clients/1"),
                             ("POST", "/referrals")):
            with self.subTest(method=method, path=path):
                r = c.request(method, path, body=b"",
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
                self.assertEqual(r.status, 405)
                self.assertTrue(r.header("Allow"))
        self.assertEqual(c.request("HEAD", "/healthz").status, 200)
        self.assert_nothing_stored()
