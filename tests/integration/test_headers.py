"""Security headers on every page, pages without inline script or style, and static files
under a versioned path with year-long caching."""

import re

from tests.integration.harness import (ADMIN, CASE_WORKER, Client, ServerTestCase,
                                       make_referral, reference_from_location)

REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin",
                     "strict-origin-when-cross-origin"}


def csp_directives(value):
    out = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = words[1:]
    return out


class HeaderTests(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.anon = Client(cls.server)
        cls.cw = Client(cls.server)
        cls.cw.sign_in(CASE_WORKER)
        cls.admin = Client(cls.server)
        cls.admin.sign_in(ADMIN)
        r, _ = make_referral(cls.cw)
        cls.confirmation = r.location
        cls.client_id = cls.server.scalar("SELECT client_id FROM referral WHERE reference = ?",
                                          (reference_from_location(r.location),))
        cls.message_id = cls.server.scalar("SELECT min(id) FROM outbox")

    def responses(self):
        """(what, response) for pages of every kind, good and bad."""
        a, cw, admin = self.anon, self.cw, self.admin
        out = [
            ("start", a.get("/")),
            ("sign-in", a.get("/sign-in")),
            ("healthz", a.get("/healthz")),
            ("404", a.get("/nope")),
            ("405", a.request("DELETE", "/sign-in")),
            ("400", a.get("/?x=%zz")),
            ("403", a.post("/sign-in", {"email": "x"})),
            ("redirect", a.get("/referrals")),
            ("failed sign-in", a.post_form("/sign-in", {"email": "x@example.com",
                                                        "password": "wrong-password"})),
            ("start signed in", cw.get("/")),
            ("my referrals", cw.get("/referrals")),
            ("referral form", cw.get("/referrals/new")),
            ("referral errors", cw.post_form("/referrals/new", {"first_name": ""})),
            ("confirmation", cw.get(self.confirmation)),
            ("client", cw.get("/clients/%d" % self.client_id)),
            ("outbox", admin.get("/admin/outbox")),
            ("message", admin.get("/admin/outbox/%d" % self.message_id)),
            ("413", a.post("/sign-in", "x=" + "y" * 70000)),
            ("invitation 404", a.get("/invitations/nonsense")),
        ]
        return out

    def test_security_headers_on_every_page(self):
        for what, r in self.responses():
            with self.subTest(what, status=r.status):
                csp = r.header("Content-Security-Policy")
                self.assertTrue(csp, "no Content-Security-Policy")
                self.assertNotIn("unsafe-inline", csp)
                self.assertNotIn("unsafe-eval", csp)
                d = csp_directives(csp)
                self.assertEqual(d.get("frame-ancestors"), ["'none'"])
                self.assertIn(d.get("default-src"), (["'none'"], ["'self'"]))
                for directive in ("script-src", "style-src"):
                    sources = d.get(directive, d.get("default-src"))
                    self.assertNotIn("*", sources)
                    self.assertFalse([s for s in sources if s.startswith(("http:", "https:",
                                                                          "data:"))],
                                     directive)
                self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
                self.assertIn(r.header("Referrer-Policy"), REFERRER_POLICIES)
                if r.header("Content-Type") and "text/html" in r.header("Content-Type"):
                    self.assertIn("no-store", r.header("Cache-Control") or "",
                                  "pages may hold personal data: never cached")

    def test_pages_have_no_inline_script_or_style(self):
        for what, r in self.responses():
            if "text/html" not in (r.header("Content-Type") or ""):
                continue
            with self.subTest(what):
                for tag in re.findall(r"<script\b[^>]*>(.*?)</script>", r.text, re.S):
                    self.assertEqual(tag.strip(), "", "inline script")
                for attrs in re.findall(r"<script\b([^>]*)>", r.text):
                    self.assertIn("src=", attrs)
                self.assertNotRegex(r.text, r"<style\b")
                self.assertNotRegex(r.text, r"\sstyle=")
                self.assertNotRegex(r.text, r"\son[a-z]+=")
                self.assertNotIn("javascript:", r.text)

    def static_paths(self):
        page = self.anon.get("/sign-in").text
        paths = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
        self.assertTrue(paths)
        return paths

    def test_static_files_are_versioned_and_cached_for_a_year(self):
        paths = self.static_paths()
        kinds = {p.rsplit(".", 1)[1] for p in paths}
        self.assertEqual(kinds, {"css", "js"})
        for path in paths:
            with self.subTest(path=path):
                self.assertRegex(path, r"^/static/[0-9A-Za-z._-]+/.+")
                r = self.anon.get(path)
                self.assertEqual(r.status, 200)
                self.assertGreater(len(r.body), 100)
                cache = r.header("Cache-Control")
                self.assertIn("max-age=31536000", cache)
                self.assertNotIn("no-store", cache)
                self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
                ctype = r.header("Content-Type")
                self.assertTrue(ctype.startswith("text/css" if path.endswith(".css")
                                                 else "text/javascript"), ctype)
                self.assertEqual(r.header_all("Set-Cookie"), [], "no cookies on static files")
                head = self.anon.request("HEAD", path)
                self.assertEqual(head.status, 200)
                self.assertEqual(head.body, b"")

    def test_static_paths_do_not_escape_the_static_folder(self):
        version = self.static_paths()[0].split("/")[2]
        for path in ("/static/%s/missing.css" % version,
                     "/static/%s/../migrations/001_foundation.sql" % version,
                     "/static/%s/%%2e%%2e/migrations/001_foundation.sql" % version,
                     "/static/%s/../templates/layout.html" % version,
                     "/static/%s//etc/passwd" % version):
            with self.subTest(path=path):
                r = self.anon.get(path)
                self.assertIn(r.status, (400, 404))
                self.assertNotIn("CREATE TABLE", r.text)
                self.assertNotIn("{{", r.text)
