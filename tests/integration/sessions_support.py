"""Shared helpers for the issue 4 tests (sessions, booking, the register, the hours ledger).

Builds on harness.py: clients made through the referral form, invitations accepted over
HTTP, sessions inserted straight into the database where the UI would refuse (a session
that has already started, or starts in a few minutes), and readers for the outbox, the
.eml files, the .ics attachments and the register form.
"""

import base64
import concurrent.futures
import datetime
import hashlib
import re
import secrets
import sqlite3
import time
import types
import zoneinfo

from tests.integration.harness import (CASE_WORKER, DEMO_PASSWORD, FACILITATOR, Client,
                                       invitation_path, make_referral, reference_from_location,
                                       referral_fields, run_cli, wait_until)

LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = datetime.timezone.utc
CLIENT_PASSWORD = "a long client password"
STOPPED = "This link has stopped working"
NOT_FOUND = "Page not found"

FULL = "This session is full. Choose another session."
STARTED = "This session has already started, so it cannot be booked. Choose another session."
ALREADY = "You have already booked this session."
OVERLAP = ("You have another session booked at the same time. Cancel that one first, or "
           "choose another session.")
HOURS_BOOKED = ("You have already booked enough sessions to finish your hours. You can book "
                "more if you cancel one, or after your next session.")
NOT_ACTIVE = ("You cannot book sessions at the moment because your order is not active or "
              "your hours are done. Contact your case worker if this is wrong.")

BOOKED_RE = re.compile(r"^/bookings/(\d+)\?booked=1$")


# ---- time -------------------------------------------------------------------------------

def offset_of(server):
    return int(server.env.get("CAIRN_TIME_OFFSET", "0") or 0)


def server_now(server):
    """The server's clock: the real one moved on by CAIRN_TIME_OFFSET."""
    return int(time.time()) + offset_of(server)


def london_date(server, days=0):
    t = datetime.datetime.fromtimestamp(server_now(server) + days * 86400, LONDON)
    return t.date()


def london_text(utc_seconds):
    """What the pages show for a time: "Sunday 21 March 2027, 6:00pm"."""
    t = datetime.datetime.fromtimestamp(utc_seconds, LONDON)
    hour12 = t.hour % 12 or 12
    return "%s %d %s %d, %d:%02d%s" % (t.strftime("%A"), t.day, t.strftime("%B"), t.year,
                                       hour12, t.minute, "am" if t.hour < 12 else "pm")


def minutes_text(minutes):
    """The pages' way of writing a number of minutes (ledger_format_minutes)."""
    sign = "minus " if minutes < 0 else ""
    minutes = abs(minutes)
    h, m = divmod(minutes, 60)
    hs = "%d hour%s" % (h, "" if h == 1 else "s")
    ms = "%d minute%s" % (m, "" if m == 1 else "s")
    if h and m:
        return sign + hs + " " + ms
    if h:
        return sign + hs
    if m:
        return sign + ms
    return "0 hours"


# ---- people -----------------------------------------------------------------------------

def session_for(server, user_id):
    """A signed-in browser for user_id without a password check: a session row made as
    the server makes them (the SHA-256 of a 43-character token). Used where a test needs
    many signed-in clients quickly; sign-in itself is tested with the real form."""
    token = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
    assert len(token) == 43
    now = server_now(server)
    server.sql("INSERT INTO session(token_digest, user_id, created_at, last_seen_at) "
               "VALUES (?, ?, ?, ?)", (hashlib.sha256(token.encode()).hexdigest(), user_id,
                                       now, now))
    c = Client(server)
    c.cookies["cairn_session"] = token
    return c


def staff(server, email_address, password=DEMO_PASSWORD):
    c = Client(server)
    c.sign_in(email_address, password)
    return c


def invitation_token_path(server, email_address):
    body = server.scalar("SELECT body FROM outbox WHERE kind = 'invitation' AND recipient = ? "
                         "ORDER BY id DESC LIMIT 1", (email_address,))
    if body is None:
        raise AssertionError("no invitation in the outbox for %s" % email_address)
    return invitation_path(body)


def new_client(server, case_worker, sign_in="password", **over):
    """A client referred by case_worker (a signed-in Client) through the referral form.

    sign_in: "password" accepts the invitation with a password and signs in with the
    sign-in form; "fast" accepts it choosing sign-in links and gets a session row made
    directly (no Argon2, for tests that need dozens of clients); None leaves the
    invitation unaccepted. Returns a namespace with ids, the referral fields and .http
    (the client's browser, or None)."""
    r, f = make_referral(case_worker, **over)
    if r.status != 303:
        raise AssertionError("referral refused (%d): %s" % (r.status, r.page.summary))
    reference = reference_from_location(r.location)
    [row] = server.sql("SELECT r.id, r.client_id, r.order_id, o.activity_minutes, o.complete_by "
                       "FROM referral r JOIN court_order o ON o.id = r.order_id "
                       "WHERE r.reference = ?", (reference,))
    p = types.SimpleNamespace(reference=reference, referral_id=row["id"],
                              client_id=row["client_id"], order_id=row["order_id"],
                              activity_minutes=row["activity_minutes"],
                              complete_by=row["complete_by"], email=f["email"],
                              first_name=f["first_name"], last_name=f["last_name"],
                              fields=f, http=None, user_id=None)
    if sign_in is None:
        return p
    path = invitation_token_path(server, f["email"])
    visitor = Client(server)
    if sign_in == "fast":
        r = visitor.post_form(path, {"choice": "link"})
    else:
        r = visitor.post_form(path, {"password": CLIENT_PASSWORD,
                                     "password_again": CLIENT_PASSWORD})
    if r.status != 200:
        raise AssertionError("invitation not accepted (%d): %s" % (r.status, r.text[:1500]))
    p.user_id = server.scalar("SELECT id FROM user WHERE client_id = ?", (p.client_id,))
    if sign_in == "fast":
        p.http = session_for(server, p.user_id)
    else:
        p.http = Client(server)
        p.http.sign_in(p.email, CLIENT_PASSWORD)
    return p


def new_clients(server, case_worker, n, workers=4, **over):
    """n clients made in parallel, each with a session ("fast" sign-in)."""
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(new_client, server, case_worker, "fast", **over)
                   for _ in range(n)]
        return [f.result() for f in futures]


def add_user(server, email_address, role, name, password=DEMO_PASSWORD, authority=None):
    args = ["user", "add", "--db", server.db, "--email", email_address, "--name", name,
            "--role", role, "--password-stdin"]
    if authority:
        args += ["--authority", authority]
    r = run_cli(*args, stdin=password + "\n")
    if r.returncode != 0:
        raise AssertionError("cairn user add failed (%d): %s" % (r.returncode, r.stderr))
    return server.user_id(email_address)


# ---- sessions and bookings --------------------------------------------------------------

def topic_id(server, name="Digital skills"):
    return server.scalar("SELECT id FROM topic WHERE name = ?", (name,))


def add_session(server, starts_at, minutes=120, capacity=12, facilitator=FACILITATOR,
                topic="Digital skills", link=None):
    """A session inserted straight into the database (the schedule form refuses starts in
    the past). starts_at: UTC seconds. Returns its id."""
    fid = server.user_id(facilitator)
    link = link or "https://meet.example.org/it-%s" % secrets.token_hex(6)
    conn = sqlite3.connect(server.db, timeout=10)
    try:
        cur = conn.execute(
            "INSERT INTO group_session(topic_id, starts_at, minutes, capacity, facilitator_id, "
            "joining_link, series, created_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)",
            (topic_id(server, topic), int(starts_at), minutes, capacity, fid, link,
             server_now(server)))
        conn.commit()
        return cur.lastrowid
    finally:
        conn.close()


def session_link(server, session_id):
    return server.scalar("SELECT joining_link FROM group_session WHERE id = ?", (session_id,))


def book(person, session_id):
    """Opens the session page and presses Book; returns the response."""
    path = "/sessions/%d" % session_id
    page = person.http.get(path)
    if page.status != 200:
        return page
    return person.http.post_form(path + "/book", {}, page=page)


def booking_id_of(r):
    m = BOOKED_RE.match(r.location or "")
    if r.status != 303 or not m:
        raise AssertionError("not booked (%d %s): %s" % (r.status, r.location,
                                                        refusal_of(r) or r.text[:1500]))
    return int(m.group(1))


def book_ok(person, session_id):
    return booking_id_of(book(person, session_id))


def refusal_of(r):
    """The message in the error summary of a refused booking, or None."""
    return r.page.summary[0][1] if r.page.summary else None


def cancel(person, booking_id):
    path = "/bookings/%d" % booking_id
    page = person.http.get(path)
    if page.status != 200:
        return page
    return person.http.post_form(path + "/cancel", {}, page=page)


def booked_rows(server, session_id):
    return server.scalar("SELECT count(*) FROM booking WHERE session_id = ? AND "
                         "status = 'booked'", (session_id,))


# ---- the outbox, mail and calendars -----------------------------------------------------

def max_outbox(server):
    return server.scalar("SELECT coalesce(max(id), 0) FROM outbox")


def outbox(server, kind=None, recipient=None, after=0):
    q = "SELECT * FROM outbox WHERE id > ?"
    args = [after]
    if kind:
        q += " AND kind = ?"
        args.append(kind)
    if recipient:
        q += " AND recipient = ?"
        args.append(recipient)
    return server.sql(q + " ORDER BY id", args)


def eml_for(server, outbox_id, timeout=20):
    """The delivered .eml of an outbox row, waiting for the sender."""
    prefix = "%06d-" % outbox_id

    def find():
        for name in server.eml_files():
            if name.startswith(prefix):
                return name
        return None
    name = wait_until(find, timeout=timeout, message="the .eml of outbox message %d" % outbox_id)
    return server.read_eml(name)


def calendar_part(msg):
    """(content type, bytes) of the one text/calendar attachment of an email."""
    parts = [p for p in msg.iter_attachments() if p.get_content_type() == "text/calendar"]
    if len(parts) != 1:
        raise AssertionError("expected one calendar attachment, found %d in %s"
                             % (len(parts), [p.get_content_type() for p in msg.iter_parts()]))
    return parts[0], parts[0].get_payload(decode=True)


def parse_ics(data):
    """The VEVENTs of an iCalendar file, parsed by python3-icalendar."""
    import icalendar
    cal = icalendar.Calendar.from_ical(data)
    return cal, [c for c in cal.walk("VEVENT")]


def as_utc(value):
    """A DTSTART/DTEND value (a datetime with the file's time zone) in UTC."""
    dt = value.dt
    if dt.tzinfo is None:
        raise AssertionError("floating time in the calendar: %r" % dt)
    return dt.astimezone(UTC)


# ---- the register -----------------------------------------------------------------------

def register_lines(page):
    """booking id -> (index, seen entry id) of the register form on page."""
    lines = {}
    for name, value in page.hidden.items():
        m = re.match(r"^booking_(\d+)$", name)
        if m:
            i = int(m.group(1))
            lines[int(value)] = (i, page.hidden.get("seen_%d" % i, "0"))
    return lines


def register_form(page, marks):
    """The fields of a register POST: every line as drawn (booking_N, seen_N), and for the
    bookings in marks ({booking_id: {"outcome": ..., "minutes": ..., ...}}) their values."""
    fields = {"csrf_token": page.hidden["csrf_token"]}
    lines = register_lines(page)
    for booking_id, (i, seen) in lines.items():
        fields["booking_%d" % i] = str(booking_id)
        fields["seen_%d" % i] = seen
    for booking_id, values in marks.items():
        if booking_id not in lines:
            raise AssertionError("booking %d is not on the register" % booking_id)
        i = lines[booking_id][0]
        for k, v in values.items():
            if v is not None:
                fields["%s_%d" % (k, i)] = str(v)
    return fields


def save_register(http, session_id, marks, page=None):
    path = "/register/%d" % session_id
    if page is None:
        page = http.get(path)
        if page.status != 200:
            return page
    return http.post(path, register_form(page.page, marks))


# ---- the ledger -------------------------------------------------------------------------

def ledger(server, order_id):
    return server.sql("SELECT * FROM hours_ledger WHERE order_id = ? ORDER BY id", (order_id,))


def counted(server, order_id):
    return server.scalar("SELECT coalesce(sum(counted_minutes), 0) FROM hours_ledger "
                         "WHERE order_id = ?", (order_id,))


def summary_value(text, key):
    """The value beside a key in a ds_summary-list."""
    m = re.search(r'<span class="ds_summary-list__key">%s</span>'
                  r'<span class="ds_summary-list__value">(.*?)</span>' % re.escape(key), text)
    return m.group(1) if m else None


def settle(server):
    """Waits for a whole pass of the background sender, which runs the scheduler (reminders,
    orders ending soon) before it delivers: a referral's invitation is delivered only by a
    pass that started after it was written."""
    cw = staff(server, CASE_WORKER)
    fields = referral_fields()
    r = cw.post_form("/referrals/new", fields)
    if r.status != 303:
        raise AssertionError("settle: referral refused: %s" % r.page.summary)
    [m] = outbox(server, "invitation", fields["email"])
    eml_for(server, m["id"])
