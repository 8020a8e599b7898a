"""Durability: eight case workers send referrals as fast as they can, the server is killed
with SIGKILL in the middle, and started again on the same database. Every referral that was
answered with 303 must be there, whole; every outbox message must then be delivered."""

import os
import sys
import threading
import time
import unittest

from tests.integration.harness import (CASE_WORKER, Client, Server, referral_fields,
                                       reference_from_location, wait_until)

THREADS = 8
RUN_SECONDS = 3.0
KILL_AFTER_SECONDS = 1.5


class DurabilityTests(unittest.TestCase):

    def setUp(self):
        self.server = Server(name="durability")
        self.server.start()

    def tearDown(self):
        self.server.cleanup()

    def test_kill_9_loses_no_acknowledged_referral(self):
        cw = Client(self.server)
        cw.sign_in(CASE_WORKER)
        # Demo data may hold referrals already: only those made here are counted.
        first = self.server.scalar("SELECT coalesce(max(id), 0) FROM referral")
        answered = []    # (form_token, reference) for every 303
        unanswered = []  # form tokens sent with no answer (the kill came first)
        other = []       # any other status: a failure
        lock = threading.Lock()
        deadline = time.monotonic() + RUN_SECONDS

        def work():
            c = cw.copy()
            while time.monotonic() < deadline:
                try:
                    page = c.get("/referrals/new")
                except OSError:
                    return
                token = page.page.hidden.get("form_token")
                try:
                    r = c.post_form("/referrals/new", referral_fields(), page=page)
                except OSError:
                    with lock:
                        unanswered.append(token)
                    return
                with lock:
                    if r.status == 303:
                        answered.append((token, reference_from_location(r.location)))
                    else:
                        other.append((token, r.status, r.text[:300]))

        threads = [threading.Thread(target=work) for _ in range(THREADS)]
        for t in threads:
            t.start()
        time.sleep(KILL_AFTER_SECONDS)
        self.server.kill()
        killed_at = len(answered)
        for t in threads:
            t.join(30)
        self.assertEqual(other, [])
        self.assertGreater(killed_at, 0, "no referral was made before the kill")

        self.server.start()
        self.assertEqual(self.server.scalar("PRAGMA integrity_check"), "ok")
        stored = {row[0]: row[1] for row in self.server.sql(
            "SELECT form_token, reference FROM referral WHERE id > ?", (first,))}
        lost = [(t, ref) for t, ref in answered if stored.get(t) != ref]
        stored_unanswered = sum(1 for t in unanswered if t in stored)

        # Each referral is whole: client, order, task, invitation and two messages.
        whole = self.server.scalar(
            "SELECT count(*) FROM referral r JOIN client c ON c.id = r.client_id "
            "JOIN court_order o ON o.id = r.order_id AND o.client_id = c.id "
            "WHERE (SELECT count(*) FROM task WHERE referral_id = r.id) = 1 "
            "AND (SELECT count(*) FROM invitation WHERE client_id = c.id) = 1 "
            "AND r.id > ?", (first,))

        # After the restart the sender delivers everything, including what was waiting.
        wait_until(lambda: self.server.scalar(
            "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0,
            timeout=20, interval=0.2, message="every outbox message delivered")
        delivered = self.server.scalar("SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL")
        all_messages = self.server.scalar("SELECT count(*) FROM outbox")
        eml = self.server.eml_files()
        ids = {int(n.split("-")[0]) for n in eml}

        print("\n  durability: %d referrals answered 303 (%d before the kill), %d requests "
              "unanswered (%d of them stored anyway), %d referrals in the database, "
              "lost %d; %d outbox messages, %d delivered, %d .eml files"
              % (len(answered), killed_at, len(unanswered), stored_unanswered, len(stored),
                 len(lost), all_messages, delivered, len(eml)), file=sys.stderr)

        self.assertEqual(lost, [], "referrals acknowledged with 303 but not stored")
        self.assertEqual(whole, len(stored), "a referral was stored in part")
        incomplete = [dict(x) for x in self.server.sql(
            "SELECT r.id, r.reference, r.created_at, c.email, "
            "(SELECT count(*) FROM outbox m WHERE m.kind = 'referral_confirmation' "
            " AND m.subject = 'Referral ' || r.reference || ' received') AS confirmations, "
            "(SELECT count(*) FROM outbox m WHERE m.kind = 'invitation' "
            " AND m.recipient = c.email) AS invitations "
            "FROM referral r JOIN client c ON c.id = r.client_id "
            "WHERE r.id > ? AND (confirmations <> 1 OR invitations <> 1)", (first,))]
        self.assertEqual(incomplete, [], "referrals without their two messages")
        self.assertEqual(delivered, all_messages)
        self.assertEqual(ids, {row[0] for row in self.server.sql("SELECT id FROM outbox")})
        # A message cut off mid-write by the kill was written again and renamed.
        self.assertEqual([n for n in os.listdir(self.server.mail_dir) if n.endswith(".tmp")],
                         [])
        self.server.stop()
