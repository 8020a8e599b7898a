"""The integration harness: runs the real cairn binary on loopback and talks HTTP to it.

Only the standard library and Debian's python3-aiosmtpd. Nothing here talks to anything
but 127.0.0.1.

    server = Server(); server.start()      # migrate, demo-data, serve, wait for /healthz
    c = Client(server); c.sign_in(CASE_WORKER)
    r = c.post_form("/referrals/new", referral_fields(), page=c.get("/referrals/new"))
    server.stop()                          # SIGTERM; exit code 0; no sanitizer reports
"""

import calendar
import datetime
import email
import email.policy
import html
import html.parser
import http.client
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("CAIRN_BIN") or os.path.join(ROOT, "build", "cairn-san")

DEMO_PASSWORD = "cairn-demo-password"
ADMIN = "admin@demo.cairn.scot"
COORDINATOR = "coordinator@demo.cairn.scot"
CASE_WORKER = "caseworker@demo.cairn.scot"          # Glasgow City
CASE_WORKER_FIFE = "caseworker.fife@demo.cairn.scot"  # Fife
FACILITATOR = "facilitator@demo.cairn.scot"
LEAD = "lead@demo.cairn.scot"                       # authority lead, Glasgow City

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_RE = re.compile(r"^R-[%s]{4}-[%s]{4}$" % (REFERENCE_ALPHABET, REFERENCE_ALPHABET))

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error",
                   "ThreadSanitizer", "SUMMARY: UndefinedBehaviorSanitizer")

# Every table a referral writes to.
REFERRAL_TABLES = ("client", "court_order", "referral", "task", "invitation", "outbox")


def free_port():
    """A port nothing listens on right now (the kernel's pick)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout=20.0, interval=0.05, message="condition"):
    """Polls predicate until it returns something truthy; returns that or fails."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.1fs waiting for %s" % (timeout, message))
        time.sleep(interval)


def run_cli(*args, stdin=None, timeout=60, cwd=None):
    """Runs `cairn ARGS...`; returns the CompletedProcess with text stdout and stderr.
    A command still running after timeout seconds is killed and fails the test."""
    try:
        return subprocess.run([BIN, *args], input=stdin if stdin is not None else "",
                              capture_output=True, text=True, timeout=timeout,
                              cwd=cwd or ROOT)
    except subprocess.TimeoutExpired as e:
        raise AssertionError("cairn %s was still running after %ss (stderr: %s)"
                             % (" ".join(args), timeout, e.stderr)) from None


def assert_no_sanitizer_report(text, what="cairn"):
    for mark in SANITIZER_MARKS:
        if mark in text:
            raise AssertionError("%s reported %r:\n%s" % (what, mark, text[-6000:]))


# ---- the server ------------------------------------------------------------------------

class Server:
    """One cairn process on 127.0.0.1, with its own temporary folder and database.

    mail: "dir" (write .eml files into self.mail_dir) or "smtp" (deliver to smtp_port).
    The database and folder survive stop()/kill() so the server can be started again on
    the same data; cleanup() removes them.
    """

    def __init__(self, mail="dir", smtp_port=None, env=None, name="cairn"):
        self.tmp = tempfile.mkdtemp(prefix="cairn-it-%s-" % name)
        self.db = os.path.join(self.tmp, "cairn.db")
        self.mail_dir = os.path.join(self.tmp, "mail")
        self.mail = mail
        self.smtp_port = smtp_port
        self.env = dict(env or {})
        self.port = free_port()
        self.proc = None
        self.runs = 0
        self.stderr_path = None
        self._migrated = False

    @property
    def base_url(self):
        return "http://127.0.0.1:%d" % self.port

    def _prepare_db(self):
        for args in (("migrate", "--db", self.db), ("demo-data", "--db", self.db)):
            r = run_cli(*args)
            if r.returncode != 0:
                raise AssertionError("cairn %s failed (%d): %s" % (args[0], r.returncode,
                                                                  r.stderr))
            assert_no_sanitizer_report(r.stderr, "cairn " + args[0])
        self._migrated = True

    def command(self):
        cmd = [BIN, "serve", "--db", self.db, "--listen", "127.0.0.1:%d" % self.port,
               "--base-url", self.base_url, "--mail-retry", "1", "--quiet"]
        if self.mail == "smtp":
            cmd += ["--smtp", "smtp://127.0.0.1:%d" % self.smtp_port]
        else:
            cmd += ["--mail-dir", self.mail_dir]
        return cmd

    def start(self, env=None, wait=True):
        if not self._migrated:
            self._prepare_db()
        if env is not None:
            self.env = dict(env)
        self.runs += 1
        self.stderr_path = os.path.join(self.tmp, "serve-%d.stderr" % self.runs)
        full_env = dict(os.environ)
        full_env.update(self.env)
        self._stderr_file = open(self.stderr_path, "w")
        self.proc = subprocess.Popen(self.command(), stdout=subprocess.DEVNULL,
                                     stderr=self._stderr_file, env=full_env, cwd=self.tmp)
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout=20.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("cairn serve exited with %d before it was ready:\n%s"
                                     % (self.proc.returncode, self.stderr()))
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                resp = conn.getresponse()
                resp.read()
                conn.close()
                if resp.status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError("cairn serve did not answer /healthz within %.0fs:\n%s"
                             % (timeout, self.stderr()))

    def stderr(self):
        if self.stderr_path is None or not os.path.exists(self.stderr_path):
            return ""
        with open(self.stderr_path, errors="replace") as f:
            return f.read()

    def all_stderr(self):
        out = []
        for i in range(1, self.runs + 1):
            p = os.path.join(self.tmp, "serve-%d.stderr" % i)
            if os.path.exists(p):
                with open(p, errors="replace") as f:
                    out.append(f.read())
        return "\n".join(out)

    def stop(self, timeout=30.0):
        """SIGTERM; returns the exit code after checking it is 0 and that stderr holds no
        sanitizer report."""
        if self.proc is None:
            return None
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            self._stderr_file.close()
            raise AssertionError("cairn serve did not stop within %.0fs of SIGTERM:\n%s"
                                 % (timeout, self.stderr()))
        self._stderr_file.close()
        text = self.stderr()
        assert_no_sanitizer_report(text, "cairn serve")
        if rc != 0:
            raise AssertionError("cairn serve exited with %d after SIGTERM:\n%s" % (rc, text))
        return rc

    def kill(self):
        """SIGKILL: the process gets no chance to tidy up."""
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        proc.kill()
        proc.wait()
        self._stderr_file.close()
        assert_no_sanitizer_report(self.stderr(), "cairn serve (before SIGKILL)")

    def cleanup(self):
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None
            self._stderr_file.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- the database, read (and occasionally arranged) by tests directly --

    def sql(self, query, args=()):
        """All rows of one statement, as sqlite3.Row; commits if it wrote."""
        conn = sqlite3.connect(self.db, timeout=10)
        try:
            conn.row_factory = sqlite3.Row
            rows = conn.execute(query, args).fetchall()
            conn.commit()
            return rows
        finally:
            conn.close()

    def scalar(self, query, args=()):
        rows = self.sql(query, args)
        return rows[0][0] if rows else None

    def counts(self, tables=REFERRAL_TABLES):
        """Rows in each table a referral writes to. For the outbox, only the two kinds of
        message a referral sends: the scheduler adds others (reminders, orders ending
        soon) in the background at any time."""
        out = {}
        for t in tables:
            if t == "outbox":
                out[t] = self.scalar("SELECT count(*) FROM outbox WHERE kind IN "
                                     "('referral_confirmation', 'invitation')")
            else:
                out[t] = self.scalar("SELECT count(*) FROM %s" % t)
        return out

    def user_id(self, email_address):
        return self.scalar("SELECT id FROM user WHERE email = ?", (email_address,))

    # -- mail written to the mail folder --

    def eml_files(self):
        if not os.path.isdir(self.mail_dir):
            return []
        return sorted(f for f in os.listdir(self.mail_dir) if f.endswith(".eml"))

    def read_eml(self, name):
        with open(os.path.join(self.mail_dir, name), "rb") as f:
            return email.message_from_bytes(f.read(), policy=email.policy.default)


class ServerTestCase(unittest.TestCase):
    """One server for the whole class (started in setUpClass, stopped cleanly after)."""

    server_options = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = Server(name=cls.__name__, **cls.server_options)
        try:
            cls.server.start()
        except Exception:
            cls.server.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            cls.server.stop()
        finally:
            cls.server.cleanup()
            super().tearDownClass()


# ---- HTTP --------------------------------------------------------------------------------

class Response:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers  # list of (name, value)
        self.body = body        # bytes
        self._page = None

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def header_all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def location(self):
        return self.header("Location")

    @property
    def page(self):
        if self._page is None:
            self._page = Page(self.text)
        return self._page

    def __repr__(self):
        return "<Response %d %s>" % (self.status, self.text[:200])


class Client:
    """A browser without JavaScript: a cookie jar, GET, form POST. Thread-safe enough to
    share one session between threads (each request has its own connection)."""

    def __init__(self, server, origin=None):
        self.server = server
        self.cookies = {}
        self.cookie_headers = []  # every Set-Cookie seen, raw
        self.origin = origin
        self.lock = threading.Lock()

    def copy(self):
        c = Client(self.server, self.origin)
        c.cookies = dict(self.cookies)
        return c

    def cookie_header(self):
        with self.lock:
            return "; ".join("%s=%s" % kv for kv in self.cookies.items())

    def _store_cookies(self, headers):
        for k, v in headers:
            if k.lower() != "set-cookie":
                continue
            with self.lock:
                self.cookie_headers.append(v)
                first = v.split(";", 1)[0]
                name, _, value = first.partition("=")
                attrs = v.lower()
                if value == "" or re.search(r"max-age=0(;|$)", attrs):
                    self.cookies.pop(name.strip(), None)
                else:
                    self.cookies[name.strip()] = value.strip()

    def request(self, method, path, body=None, headers=None, timeout=30):
        hdrs = {}
        cookie = self.cookie_header()
        if cookie:
            hdrs["Cookie"] = cookie
        hdrs.update(headers or {})
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=hdrs)
            resp = conn.getresponse()
            data = resp.read()
            r = Response(resp.status, resp.reason, resp.getheaders(), data)
        finally:
            conn.close()
        self._store_cookies(r.headers)
        return r

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, fields, headers=None, origin=None):
        """fields: dict or list of pairs, form-encoded; or bytes/str sent as they are."""
        if isinstance(fields, (bytes, str)):
            body = fields.encode() if isinstance(fields, str) else fields
        else:
            body = urllib.parse.urlencode(fields).encode()
        hdrs = {"Content-Type": "application/x-www-form-urlencoded"}
        origin = origin if origin is not None else self.origin
        if origin:
            hdrs["Origin"] = origin
        hdrs.update(headers or {})
        return self.request("POST", path, body=body, headers=hdrs)

    def post_form(self, path, fields, page=None, **kw):
        """Posts fields with the hidden inputs (csrf_token, form_token...) of page, which
        defaults to a fresh GET of path."""
        if page is None:
            page = self.get(path)
        if isinstance(page, Response):
            page = page.page
        data = dict(page.form_hidden(path))
        data.update(fields)
        return self.post(path, data, **kw)

    def csrf_token(self, path="/"):
        return self.get(path).page.hidden["csrf_token"]

    def sign_in(self, email_address, password=DEMO_PASSWORD, next_path=None, expect=303):
        page = self.get("/sign-in").page
        fields = {"email": email_address, "password": password}
        if next_path is not None:
            fields["next"] = next_path
        r = self.post_form("/sign-in", fields, page=page)
        if expect is not None and r.status != expect:
            raise AssertionError("sign-in of %s gave %d, not %d: %s"
                                 % (email_address, r.status, expect, r.text[:2000]))
        return r

    def sign_out(self):
        return self.post_form("/sign-out", {}, page=self.get("/"))


def raw_http(port, data, timeout=10.0, read=True):
    """Sends bytes on a fresh connection; returns what came back before the server closed
    it or the timeout passed (b"" when the connection was reset or closed silently)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    chunks = []
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        if not read:
            return s
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        while True:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        if read:
            s.close()
    return b"".join(chunks)


def status_of(raw):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", raw)
    return int(m.group(1)) if m else None


# ---- pages -------------------------------------------------------------------------------

class Page(html.parser.HTMLParser):
    """What a test needs from a page: hidden inputs, form values, the error summary, the
    errors next to fields, the h1 and title."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.hidden = {}      # hidden inputs of the whole page, the first of each name
        self.forms = []       # {"action", "method", "hidden"} in page order
        self.inputs = {}      # id or name -> attrs dict, of inputs and textareas
        self.textareas = {}   # id -> text
        self.summary = []     # (field, message) in the error summary
        self.field_errors = {}  # field -> message shown next to it
        self.h1 = ""
        self.title = ""
        self.links = []
        self._stack = []      # (tag, capture-kind, key)
        self._in_summary = 0
        self._capture = None  # [kind, key, parts]
        self._depth_div = 0
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        cls = a.get("class", "").split()
        if tag == "div":
            self._depth_div += 1
            if "ds_error-summary" in cls:
                self._in_summary = self._depth_div
        if tag == "form":
            self.forms.append({"action": a.get("action", ""),
                               "method": a.get("method", "get").lower(), "hidden": {}})
        if tag == "input":
            key = a.get("id") or a.get("name")
            if a.get("type") == "hidden" and "name" in a:
                self.hidden.setdefault(a["name"], a.get("value", ""))
                if self.forms:
                    self.forms[-1]["hidden"].setdefault(a["name"], a.get("value", ""))
            if key:
                self.inputs[key] = a
        elif tag == "a":
            self.links.append(a.get("href", ""))
            if self._in_summary and a.get("href", "").startswith("#"):
                self._capture = ["summary", a["href"][1:], []]
        elif tag == "p" and "ds_question__error-message" in cls:
            fid = a.get("id", "")
            self._capture = ["field", fid[:-len("-error")] if fid.endswith("-error") else fid, []]
        elif tag == "textarea":
            self.inputs[a.get("id") or a.get("name")] = a
            self._capture = ["textarea", a.get("id") or a.get("name"), []]
        elif tag == "h1":
            self._capture = ["h1", None, []]
        elif tag == "title":
            self._capture = ["title", None, []]

    def handle_endtag(self, tag):
        if tag == "div":
            if self._in_summary == self._depth_div:
                self._in_summary = 0
            self._depth_div -= 1
        cap = self._capture
        if cap is None:
            return
        kind, key, parts = cap
        text = "".join(parts)
        ends = {"summary": "a", "field": "p", "textarea": "textarea", "h1": "h1",
                "title": "title"}
        if ends[kind] != tag:
            return
        self._capture = None
        if kind == "summary":
            self.summary.append((key, " ".join(text.split())))
        elif kind == "field":
            t = " ".join(text.split())
            if t.startswith("Error: "):
                t = t[len("Error: "):]
            self.field_errors[key] = t
        elif kind == "textarea":
            # The HTML spec drops one newline straight after <textarea>.
            self.textareas[key] = text[1:] if text.startswith("\n") else text
        elif kind == "h1":
            self.h1 = " ".join(text.split())
        elif kind == "title":
            self.title = " ".join(text.split())

    def handle_data(self, data):
        if self._capture is not None:
            self._capture[2].append(data)

    def form_hidden(self, action):
        """The hidden inputs of the first form that posts to action (the page's main form:
        later ones are alternatives, such as 'email me a link instead')."""
        for f in self.forms:
            if f["action"] == action and f["method"] == "post":
                return f["hidden"]
        return self.hidden

    def value(self, field):
        """What a form field holds as the browser would see it."""
        if field in self.textareas:
            return self.textareas[field]
        a = self.inputs.get(field)
        if a is None:
            return None
        if a.get("type") == "checkbox":
            return a.get("value", "on") if "checked" in a else None
        return a.get("value", "")


# ---- referrals -------------------------------------------------------------------------

_counter = [0]
_counter_lock = threading.Lock()


def unique():
    with _counter_lock:
        _counter[0] += 1
        return "%d%d" % (os.getpid(), _counter[0])


def today_utc():
    # London's date is never behind UTC's, so a date valid "today or earlier" in UTC is
    # valid for the server, which checks against Europe/London.
    return datetime.datetime.now(datetime.timezone.utc).date()


def uk(d):
    return d.strftime("%d/%m/%Y")


def add_months(d, months):
    m = d.month - 1 + months
    y = d.year + m // 12
    m = m % 12 + 1
    return datetime.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def default_order_date():
    """The 1st of the month before last: in the past, within 5 years, and with no
    end-of-month ambiguity when months are added."""
    t = today_utc()
    return add_months(datetime.date(t.year, t.month, 1), -2)


def referral_fields(**over):
    n = unique()
    f = {
        "first_name": "Morag",
        "last_name": "Test%s" % n,
        "date_of_birth": "23/03/1989",
        "email": "client%s@example.com" % n,
        "mobile": "",
        "case_reference": "CF-%s" % n,
        "order_reference": "HCJ/%s" % n,
        "order_date": uk(default_order_date()),
        "unpaid_hours": "120",
        "activity_hours": "",
        "complete_by": "",
        "access_needs": "",
        "group_notes": "",
        "consent": "yes",
    }
    for k, v in over.items():
        if v is None:
            f.pop(k, None)
        else:
            f[k] = v
    return f


def make_referral(client, **over):
    """Posts a valid referral (with overrides); returns (response, fields)."""
    fields = referral_fields(**over)
    r = client.post_form("/referrals/new", fields)
    return r, fields


def reference_from_location(location):
    m = re.match(r"^/referrals/(R-[0-9A-Z]{4}-[0-9A-Z]{4})$", location or "")
    if not m:
        raise AssertionError("not a referral confirmation address: %r" % location)
    return m.group(1)


INVITATION_RE = re.compile(r"(http://127\.0\.0\.1:\d+)(/invitations/([A-Za-z0-9_-]+))")


def invitation_path(body):
    m = INVITATION_RE.search(body)
    if not m:
        raise AssertionError("no invitation link in:\n%s" % body)
    return m.group(2)


# ---- SMTP --------------------------------------------------------------------------------

class SmtpSink:
    """An aiosmtpd server on 127.0.0.1 that keeps every message it is given."""

    def __init__(self, port=None):
        from aiosmtpd.controller import Controller
        self.port = port or free_port()
        self.messages = []  # (mail_from, [rcpt], email.message.EmailMessage)
        self.lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                msg = email.message_from_bytes(envelope.original_content or envelope.content,
                                               policy=email.policy.default)
                with sink.lock:
                    sink.messages.append((envelope.mail_from, list(envelope.rcpt_tos), msg))
                return "250 Message accepted for delivery"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port,
                                     ready_timeout=10)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    def received(self):
        with self.lock:
            return list(self.messages)

    def to(self, address):
        return [m for m in self.received() if address in m[1]]
