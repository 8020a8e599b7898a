"""The invitation link in the client's email: it works once and sets a password the client
can sign in with; used again, or after 14 days, it has stopped working."""

from tests.integration.harness import (CASE_WORKER, Client, ServerTestCase, invitation_path,
                                       make_referral, reference_from_location, wait_until)

STOPPED = "This link has stopped working"
TIME_OFFSET_15_DAYS = "1300000"


def invitation_for(server, email_address):
    """The path of the invitation link in the .eml file sent to email_address."""
    def find():
        for name in server.eml_files():
            if name.endswith("-invitation.eml"):
                msg = server.read_eml(name)
                if msg["To"] == email_address:
                    return invitation_path(msg.get_content())
        return None
    return wait_until(find, timeout=5, message="the invitation email to %s" % email_address)


class InvitationTests(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case_worker = Client(cls.server)
        cls.case_worker.sign_in(CASE_WORKER)

    def referral(self, **over):
        r, f = make_referral(self.case_worker, **over)
        self.assertEqual(r.status, 303)
        client_id = self.server.scalar("SELECT client_id FROM referral WHERE reference = ?",
                                       (reference_from_location(r.location),))
        return f, client_id, invitation_for(self.server, f["email"])

    def assert_stopped(self, r):
        self.assertEqual(r.status, 404)
        self.assertEqual(r.page.h1, STOPPED)
        self.assertFalse(r.page.inputs.get("password"))

    def test_link_works_once(self):
        f, client_id, path = self.referral(first_name="Ailsa")
        visitor = Client(self.server)
        page = visitor.get(path)
        self.assertEqual(page.status, 200)
        self.assertEqual(page.page.h1, "Set up your account")
        self.assertIn("Hello Ailsa", page.text)
        self.assertIn(f["email"], page.text)

        # Mistakes are explained and do not use the link up.
        r = visitor.post_form(path, {"password": "short", "password_again": "short"}, page=page)
        self.assertEqual(r.status, 400)
        self.assertEqual(r.page.summary,
                         [("password", "Choose a password of at least 10 characters")])
        r = visitor.post_form(path, {"password": "a long password one",
                                     "password_again": "a long password two"}, page=r)
        self.assertEqual(r.status, 400)
        self.assertEqual(r.page.field_errors,
                         {"password_again":
                          "The passwords do not match. Type the same password twice"})
        self.assertIsNone(self.server.scalar(
            "SELECT used_at FROM invitation WHERE client_id = ?", (client_id,)))
        self.assertIsNone(self.server.scalar("SELECT id FROM user WHERE client_id = ?",
                                             (client_id,)))

        password = "correct horse battery staple"
        r = visitor.post_form(path, {"password": password, "password_again": password},
                              page=r)
        self.assertEqual(r.status, 200, r.text[:2000])
        self.assertEqual(r.page.h1, "Your account is set up")
        self.assertIsNotNone(self.server.scalar(
            "SELECT used_at FROM invitation WHERE client_id = ?", (client_id,)))
        [user] = self.server.sql("SELECT * FROM user WHERE client_id = ?", (client_id,))
        self.assertEqual(user["role"], "client")
        self.assertEqual(user["email"], f["email"])
        self.assertTrue(user["password_hash"].startswith("$argon2id$"))
        self.assertNotIn(password, user["password_hash"])

        # The client can now sign in, and sees only their own start page.
        client = Client(self.server)
        client.sign_in(f["email"], password)
        home = client.get("/")
        self.assertEqual(home.status, 200)
        self.assertIn("Ailsa", home.text)
        self.assertIn('action="/sign-out"', home.text, "signed in")
        self.assertEqual(client.get("/clients/%d" % client_id).status, 404)
        self.assertEqual(client.get("/referrals/new").status, 404)
        self.assertIn("Set up", self.case_worker.get("/clients/%d" % client_id).text)

        # Used once: it has stopped working, for viewing and for sending.
        self.assert_stopped(visitor.get(path))
        hash_before = user["password_hash"]
        r = visitor.post_form(path, {"password": "someone else entirely",
                                     "password_again": "someone else entirely"},
                              page=visitor.get("/sign-in"))
        self.assert_stopped(r)
        self.assertEqual(self.server.scalar("SELECT password_hash FROM user WHERE client_id = ?",
                                            (client_id,)), hash_before)

    def test_made_up_links(self):
        _, _, path = self.referral()
        token = path.rsplit("/", 1)[1]
        c = Client(self.server)
        for bad in ("nonsense", "A" * 43, token[:-1] + ("A" if token[-1] != "A" else "B"),
                    token + "A", token.upper() if token.upper() != token else token.lower()):
            with self.subTest(token=bad):
                self.assert_stopped(c.get("/invitations/" + bad))
        # The real one still works after all that.
        self.assertEqual(c.get(path).status, 200)


class InvitationExpiryTests(ServerTestCase):
    """An invitation made now has stopped working 15 days later (the server is restarted on
    the same database with its clock moved on by CAIRN_TIME_OFFSET)."""

    def test_expired_link(self):
        cw = Client(self.server)
        cw.sign_in(CASE_WORKER)
        r, f = make_referral(cw)
        self.assertEqual(r.status, 303)
        client_id = self.server.scalar("SELECT client_id FROM referral WHERE reference = ?",
                                       (reference_from_location(r.location),))
        path = invitation_for(self.server, f["email"])
        self.assertEqual(Client(self.server).get(path).status, 200)
        old_cookies = dict(cw.cookies)

        self.server.stop()
        self.server.start(env={"CAIRN_TIME_OFFSET": TIME_OFFSET_15_DAYS})

        visitor = Client(self.server)
        r = visitor.get(path)
        self.assertEqual(r.status, 404)
        self.assertEqual(r.page.h1, STOPPED)
        r = visitor.post_form(path, {"password": "a long enough password",
                                     "password_again": "a long enough password"},
                              page=visitor.get("/sign-in"))
        self.assertEqual(r.status, 404)
        self.assertEqual(r.page.h1, STOPPED)
        self.assertIsNone(self.server.scalar(
            "SELECT used_at FROM invitation WHERE client_id = ?", (client_id,)))

        # The session from 15 days ago has ended too (12 hours at most).
        stale = Client(self.server)
        stale.cookies = old_cookies
        self.assertEqual(stale.get("/referrals/new").status, 303)

        # An invitation made at the new time works: the 404 above was the expiry.
        cw = Client(self.server)
        cw.sign_in(CASE_WORKER)
        r, f2 = make_referral(cw)
        self.assertEqual(r.status, 303)
        self.assertEqual(Client(self.server).get(invitation_for(self.server, f2["email"])).status,
                         200)
