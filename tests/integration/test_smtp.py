"""Outbox delivery over SMTP to a real server on loopback (Debian's aiosmtpd), including
a retry after the SMTP server was down."""

import html
import json
import unittest

from tests.integration.harness import (ADMIN, CASE_WORKER, Client, Server, SmtpSink,
                                       free_port, invitation_path, make_referral,
                                       reference_from_location, wait_until)


def healthz(client):
    r = client.get("/healthz")
    assert r.status == 200, r
    return json.loads(r.text)


class SmtpDeliveryTests(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.sink = SmtpSink().start()
        cls.server = Server(mail="smtp", smtp_port=cls.sink.port, name="smtp")
        try:
            cls.server.start()
        except Exception:
            cls.sink.stop()
            cls.server.cleanup()
            raise
        cls.client = Client(cls.server)
        cls.client.sign_in(CASE_WORKER)

    @classmethod
    def tearDownClass(cls):
        try:
            cls.server.stop()
        finally:
            cls.server.cleanup()
            cls.sink.stop()

    def test_both_messages_are_delivered(self):
        r, f = make_referral(self.client, first_name="Mòrag", last_name="Ó Briain")
        self.assertEqual(r.status, 303)
        reference = reference_from_location(r.location)
        wait_until(lambda: self.sink.to(f["email"]) and
                   any(reference in m[2]["Subject"] for m in self.sink.to(CASE_WORKER)),
                   timeout=10, message="both messages at the SMTP server")

        [(mail_from, rcpts, invitation)] = self.sink.to(f["email"])
        self.assertEqual(mail_from, "cairn@localhost")
        self.assertEqual(rcpts, [f["email"]])
        self.assertEqual(invitation["To"], f["email"])
        self.assertEqual(invitation["Subject"], "Your invitation to Cairn")
        self.assertIn("cairn@localhost", invitation["From"])
        self.assertTrue(invitation["Message-ID"])
        self.assertTrue(invitation["Date"])
        body = invitation.get_content()
        self.assertIn("Hello Mòrag,", body)
        path = invitation_path(body)
        self.assertEqual(Client(self.server).get(path).status, 200)

        [confirmation] = [m for m in self.sink.to(CASE_WORKER)
                          if reference in m[2]["Subject"]]
        self.assertIn(reference, confirmation[2].get_content())
        self.assertIn("Mòrag Ó Briain", confirmation[2].get_content())

        # The sender marks a pass's messages sent together, after delivering them.
        wait_until(lambda: healthz(self.client)["outbox_pending"] == 0, timeout=5,
                   message="the messages marked sent")
        rows = self.server.sql("SELECT * FROM outbox WHERE recipient IN (?, ?) AND "
                               "(body LIKE ? OR recipient = ?)",
                               (f["email"], CASE_WORKER, "%" + reference + "%", f["email"]))
        self.assertEqual(len(rows), 2)
        for row in rows:
            self.assertIsNotNone(row["sent_at"])
            self.assertEqual(row["attempts"], 1)
            self.assertIsNone(row["last_error"])
        self.assertEqual(healthz(self.client)["outbox_pending"], 0)

    def test_each_message_is_delivered_once(self):
        before = len(self.sink.received())
        for _ in range(3):
            r, _ = make_referral(self.client)
            self.assertEqual(r.status, 303)
        wait_until(lambda: len(self.sink.received()) >= before + 6, timeout=10,
                   message="six messages")
        wait_until(lambda: healthz(self.client)["outbox_pending"] == 0, timeout=5,
                   message="outbox emptied")
        # One SMTP delivery for each message in the outbox, whatever its kind.
        wait_until(lambda: len(self.sink.received()) == self.server.scalar(
            "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL"), timeout=5,
            message="as many deliveries as messages")
        ids = [m[2]["Message-ID"] for m in self.sink.received()]
        self.assertEqual(len(ids), len(set(ids)))


class SmtpRetryTests(unittest.TestCase):

    def setUp(self):
        self.smtp_port = free_port()  # nothing listens here yet
        self.sink = None
        self.server = Server(mail="smtp", smtp_port=self.smtp_port, name="smtp-retry")
        self.server.start()

    def tearDown(self):
        try:
            self.server.stop()
        finally:
            self.server.cleanup()
            if self.sink:
                self.sink.stop()

    def test_retry_after_the_server_was_down(self):
        client = Client(self.server)
        client.sign_in(CASE_WORKER)
        r, f = make_referral(client)
        self.assertEqual(r.status, 303)

        def both_failed():
            rows = self.server.sql("SELECT * FROM outbox WHERE kind IN "
                                   "('referral_confirmation', 'invitation')")
            return len(rows) == 2 and all(x["attempts"] >= 1 and x["last_error"] and
                                          x["sent_at"] is None for x in rows) and rows
        rows = wait_until(both_failed, timeout=10, message="failed delivery attempts")
        for row in rows:
            self.assertIn("SMTP", row["last_error"])
            self.assertGreater(row["next_attempt_at"], row["created_at"])
        # The two, and the demo client's "How was your session?" about the session the demo
        # data has them attend (queued at start, undelivered too).
        requests = self.server.scalar("SELECT count(*) FROM outbox WHERE kind = 'feedback_request'")
        self.assertEqual(requests, 1)
        self.assertEqual(healthz(client)["outbox_pending"], 2 + requests)
        admin = Client(self.server)
        admin.sign_in(ADMIN)
        outbox = admin.get("/admin/outbox")
        self.assertEqual(outbox.status, 200)
        self.assertIn("Waiting to retry", outbox.text)
        detail = admin.get("/admin/outbox/%d" % rows[0]["id"])
        self.assertIn(rows[0]["last_error"], html.unescape(detail.text))

        # The SMTP server comes back.
        self.sink = SmtpSink(port=self.smtp_port).start()
        wait_until(lambda: len(self.sink.received()) >= 2, timeout=15,
                   message="both messages after the SMTP server came back")
        wait_until(lambda: all(x["sent_at"] for x in self.server.sql("SELECT * FROM outbox")),
                   timeout=5, message="outbox rows marked sent")
        self.assertEqual(len(self.sink.to(f["email"])), 1)
        self.assertEqual(len([m for m in self.sink.to(CASE_WORKER)
                              if "Referral" in m[2]["Subject"]]), 1)
        for row in self.server.sql("SELECT * FROM outbox WHERE id IN (?, ?)",
                                   tuple(x["id"] for x in rows)):
            self.assertIsNone(row["last_error"])
            self.assertGreaterEqual(row["attempts"], 2)
        self.assertEqual(healthz(client)["outbox_pending"], 0)
        self.assertIn("Sent", admin.get("/admin/outbox").text)
