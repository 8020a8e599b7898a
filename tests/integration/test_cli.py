"""The command line: help for every command, a one-line reason and a non-zero exit for
every bad option, and `cairn user add` making an account that can sign in."""

import os
import shutil
import socket
import tempfile
import unittest

from tests.integration.harness import (Client, ServerTestCase, assert_no_sanitizer_report,
                                       free_port, run_cli)


class HelpTests(unittest.TestCase):

    def assert_help(self, args, *mentions):
        r = run_cli(*args)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("usage: cairn", r.stdout)
        for m in mentions:
            self.assertIn(m, r.stdout)
        self.assertEqual(r.stderr, "")

    def test_help(self):
        self.assert_help(["--help"], "serve", "migrate", "demo-data", "user add")
        self.assert_help(["-h"], "serve")
        self.assert_help(["serve", "--help"], "--db", "--listen", "--mail-dir", "--smtp",
                         "--base-url", "--mail-retry", "SIGTERM")
        self.assert_help(["migrate", "--help"], "--db")
        self.assert_help(["demo-data", "--help"], "--db")
        self.assert_help(["user", "add", "--help"], "--email", "--name", "--role",
                         "--authority", "--password-stdin")

    def test_no_command(self):
        r = run_cli()
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("usage: cairn", r.stderr)


class BadOptionTests(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cairn-it-cli-")
        self.db = os.path.join(self.tmp, "c.db")
        self.port = free_port()
        self.listen = "127.0.0.1:%d" % self.port

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def assert_refused(self, args, stdin="", contains=None):
        r = run_cli(*args, stdin=stdin, timeout=20, cwd=self.tmp)
        assert_no_sanitizer_report(r.stderr, "cairn " + " ".join(args))
        self.assertNotEqual(r.returncode, 0, "accepted: cairn %s" % " ".join(args))
        lines = r.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, "want one line of reason, got:\n%s" % r.stderr)
        self.assertTrue(lines[0].startswith("cairn"), lines[0])
        if contains:
            self.assertIn(contains, lines[0])
        return lines[0]

    def serve(self, *extra):
        return ["serve", "--db", self.db, "--listen", self.listen, "--mail-dir",
                os.path.join(self.tmp, "mail"), *extra]

    def test_bad_commands_and_options(self):
        cases = [
            (["frobnicate"], "frobnicate"),
            (["serve", "--bogus"], "--bogus"),
            (["serve", "--db"], "--db"),
            (["serve", "--db", self.db], "--listen"),
            (["serve", "--listen", self.listen], "--db"),
            (["serve", "--db", self.db, "--listen", "nope"], "--listen"),
            (["serve", "--db", self.db, "--listen", "127.0.0.1:0"], "--listen"),
            (["serve", "--db", self.db, "--listen", "127.0.0.1:70000"], "--listen"),
            (["serve", "--db", self.db, "--listen", "127.0.0.1:80x"], "--listen"),
            (self.serve()[:3] + ["--listen", "localhost:%d" % self.port] + self.serve()[5:],
             "localhost"),
            (self.serve("--smtp", "smtp://127.0.0.1:25"), "not both"),
            (self.serve("--base-url", "http://127.0.0.1:8080/"), "--base-url"),
            (self.serve("--mail-retry", "0"), "--mail-retry"),
            (self.serve("--mail-retry", "abc"), "--mail-retry"),
            (self.serve("--threads", "999"), "--threads"),
            (self.serve("--threads", "-1"), "--threads"),
            (self.serve("--threads", "abc"), "--threads"),
            (["serve", "--db", os.path.join(self.tmp, "no", "such", "dir.db"), "--listen",
              self.listen, "--mail-dir", self.tmp], "database"),
            (["migrate"], "--db"),
            (["migrate", "--bogus"], "--bogus"),
            (["migrate", "--db", os.path.join(self.tmp, "no", "such", "dir.db")], "database"),
            (["demo-data"], "--db"),
            (["demo-data", "--db", self.db, "--bogus"], "--bogus"),
            (["user", "frob"], "frob"),
            (["user", "add"], "required"),
            (["user", "add", "--db", self.db, "--email", "a@example.com", "--name", "A",
              "--role", "case_worker", "--authority", "Glasgow City"], "--password-stdin"),
        ]
        for args, mention in cases:
            with self.subTest(args=" ".join(args)):
                self.assert_refused(args, contains=mention)

    def user_add(self, *extra, email="new@example.com", role="case_worker"):
        return ["user", "add", "--db", self.db, "--email", email, "--name", "New Person",
                "--role", role, *extra, "--password-stdin"]

    def test_bad_accounts(self):
        self.assertEqual(run_cli("migrate", "--db", self.db).returncode, 0)
        pw = "a-good-long-password\n"
        self.assert_refused(self.user_add("--authority", "Glasgow City", role="client"),
                            stdin=pw, contains="client")
        self.assert_refused(self.user_add("--authority", "Glasgow City", role="wizard"),
                            stdin=pw, contains="wizard")
        self.assert_refused(self.user_add(), stdin=pw, contains="--authority")
        self.assert_refused(self.user_add("--authority", "Atlantis"), stdin=pw,
                            contains="Atlantis")
        self.assert_refused(self.user_add("--authority", "Fife", email="not-an-email"),
                            stdin=pw)
        self.assert_refused(self.user_add("--authority", "Fife"), stdin="short\n",
                            contains="10 characters")
        self.assert_refused(self.user_add("--authority", "Fife"), stdin="",
                            contains="10 characters")
        r = run_cli(*self.user_add("--authority", "Fife"), stdin=pw)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_refused(self.user_add("--authority", "Fife"), stdin=pw,
                            contains="already")
        self.assert_refused(self.user_add("--authority", "Fife", email="NEW@example.com"),
                            stdin=pw, contains="already")

    def test_port_in_use(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", self.port))
            s.listen()
            r = run_cli(*self.serve(), timeout=20, cwd=self.tmp)
        assert_no_sanitizer_report(r.stderr)
        self.assertEqual(r.returncode, 1)
        # libmicrohttpd says why first; cairn's own reason is the last line.
        self.assertIn("in use", r.stderr.strip().splitlines()[-1])


class UserAddTests(ServerTestCase):

    def test_added_user_can_sign_in(self):
        password = "a password of my own"
        r = run_cli("user", "add", "--db", self.server.db, "--email", "mhairi@example.com",
                    "--name", "Mhairi MacLeod", "--role", "case_worker", "--authority",
                    "fife", "--password-stdin", stdin=password + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("mhairi@example.com", r.stdout)
        self.assertNotIn(password, r.stdout + r.stderr)
        [row] = self.server.sql("SELECT u.role, a.name, u.password_hash FROM user u "
                                "JOIN local_authority a ON a.id = u.authority_id "
                                "WHERE u.email = 'mhairi@example.com'")
        self.assertEqual((row[0], row[1]), ("case_worker", "Fife"))
        self.assertTrue(row[2].startswith("$argon2id$"))

        c = Client(self.server)
        c.sign_in("mhairi@example.com", password)
        self.assertIn("Mhairi MacLeod", c.get("/").text)
        self.assertEqual(c.get("/referrals/new").status, 200)
        Client(self.server).sign_in("mhairi@example.com", "not my password", expect=400)

    def test_administrator_needs_no_authority(self):
        r = run_cli("user", "add", "--db", self.server.db, "--email", "root@example.com",
                    "--name", "Root", "--role", "administrator", "--password-stdin",
                    stdin="another long password\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        c = Client(self.server)
        c.sign_in("root@example.com", "another long password")
        self.assertEqual(c.get("/admin/outbox").status, 200)

    def test_a_second_server_on_the_same_port_is_refused(self):
        other = os.path.join(self.server.tmp, "other.db")
        r = run_cli("serve", "--db", other, "--listen", "127.0.0.1:%d" % self.server.port,
                    "--mail-dir", os.path.join(self.server.tmp, "other-mail"), "--quiet",
                    timeout=20)
        self.assertEqual(r.returncode, 1)
        self.assertIn("in use", r.stderr.strip().splitlines()[-1])
        # And the first one still answers, with its own data.
        self.assertEqual(Client(self.server).get("/healthz").status, 200)
