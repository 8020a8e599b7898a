"""Graceful shutdown: on SIGTERM the requests already in progress are answered, the process
exits 0, and nothing new is accepted meanwhile."""

import signal
import socket
import threading
import time
import unittest
import urllib.parse

from tests.integration.harness import (CASE_WORKER, DEMO_PASSWORD, Client, Server,
                                       referral_fields, reference_from_location, status_of,
                                       wait_until)


def read_all(sock, timeout=30):
    sock.settimeout(timeout)
    chunks = []
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    except (ConnectionResetError, socket.timeout):
        pass
    finally:
        sock.close()
    return b"".join(chunks)


def post_bytes(client, path, fields):
    body = urllib.parse.urlencode(fields).encode()
    head = ("POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nCookie: %s\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n"
            "Connection: close\r\n\r\n" % (path, client.server.port, client.cookie_header(),
                                           len(body))).encode()
    return head + body


class ShutdownTests(unittest.TestCase):

    def setUp(self):
        self.server = Server(name="shutdown")
        self.server.start()

    def tearDown(self):
        self.server.cleanup()

    def test_sigterm_finishes_requests_in_progress(self):
        cw = Client(self.server)
        cw.sign_in(CASE_WORKER)
        visitor = Client(self.server)
        sign_in_page = visitor.get("/sign-in").page

        # Three referrals whose bodies are half sent, and a sign-in (the slowest thing the
        # server does) sent whole, all in progress when the signal comes.
        forms = []
        for _ in range(3):
            fields = referral_fields()
            fields.update(cw.get("/referrals/new").page.hidden)
            forms.append((fields, post_bytes(cw, "/referrals/new", fields)))
        socks = []
        for _, data in forms:
            s = socket.create_connection(("127.0.0.1", self.server.port), timeout=30)
            cut = len(data) - 40
            s.sendall(data[:cut])
            socks.append((s, data[cut:]))
        sign_in = post_bytes(visitor, "/sign-in", {"csrf_token": sign_in_page.hidden["csrf_token"],
                                                   "email": CASE_WORKER,
                                                   "password": DEMO_PASSWORD})
        time.sleep(0.3)  # the server has accepted the connections and read the headers
        s_in = socket.create_connection(("127.0.0.1", self.server.port), timeout=30)
        s_in.sendall(sign_in)
        time.sleep(0.05)

        proc = self.server.proc
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        self.assertIsNone(proc.poll(), "cairn exited with requests still in progress")

        # New connections are no longer taken while the old ones finish.
        refused = False
        try:
            probe = socket.create_connection(("127.0.0.1", self.server.port), timeout=2)
            probe.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            refused = status_of(read_all(probe, timeout=1)) is None
        except OSError:
            refused = True
        self.assertTrue(refused, "a new request was served after SIGTERM")

        for s, rest in socks:
            s.sendall(rest)
        answers = [read_all(s) for s, _ in socks]
        answer_in = read_all(s_in)
        self.assertEqual([status_of(a) for a in answers], [303, 303, 303],
                         [a[:80] for a in answers])
        self.assertEqual(status_of(answer_in), 303, answer_in[:200])
        self.assertIn(b"cairn_session=", answer_in)

        self.assertEqual(self.server.stop(timeout=30), 0)
        for (fields, _), answer in zip(forms, answers):
            location = [l for l in answer.split(b"\r\n") if l.lower().startswith(b"location:")]
            reference = reference_from_location(location[0].split(b":", 1)[1].strip().decode())
            self.assertEqual(self.server.scalar(
                "SELECT reference FROM referral WHERE form_token = ?", (fields["form_token"],)),
                reference)

    def test_sigterm_while_busy(self):
        # Ten threads making referrals; SIGTERM in the middle. Every answered referral is
        # stored, every request gets an answer or a refused connection (never half an
        # answer), and the process exits 0.
        cw = Client(self.server)
        cw.sign_in(CASE_WORKER)
        results = []
        lock = threading.Lock()
        stop = threading.Event()

        def work():
            c = cw.copy()
            while not stop.is_set():
                try:
                    page = c.get("/referrals/new")
                    r = c.post_form("/referrals/new", referral_fields(), page=page)
                except OSError:
                    return  # the server has gone: refused or closed before an answer
                with lock:
                    results.append((page.page.hidden["form_token"], r.status, r.location))

        threads = [threading.Thread(target=work) for _ in range(10)]
        for t in threads:
            t.start()
        wait_until(lambda: len(results) >= 10, timeout=20, message="some referrals")
        self.server.proc.send_signal(signal.SIGTERM)
        proc = self.server.proc
        try:
            proc.wait(timeout=30)
        finally:
            stop.set()
            for t in threads:
                t.join(30)
        self.assertEqual(self.server.stop(), 0)
        self.assertTrue(results)
        for token, status, location in results:
            self.assertEqual(status, 303)
            self.assertEqual(
                self.server.scalar("SELECT reference FROM referral WHERE form_token = ?",
                                   (token,)), reference_from_location(location))
