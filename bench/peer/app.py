"""The peer that bench/run measures Cairn against: the same pages built the way such
services are commonly built, with Flask and Jinja2 under gunicorn (2 sync workers).

Honest by design: it reads the same SQLite file with the same queries as Cairn's SQLite
store, authenticates the same session cookie the same way (the SHA-256 of the token looked
up in the session table, with the same idle and absolute expiry, touched at most once a
minute), computes the same CSRF token (HMAC-SHA-256 of the session or visitor token under
the installation's key), sends the same security headers and renders the same HTML bytes
from Cairn's own template files. It caches no page and no query result; like any careful
Flask app it keeps one database connection per worker process (Python's sqlite3 keeps its
statements prepared).

Pages: GET /sign-in, GET / (signed out, staff, a client's home) and GET /referrals. What
a handler puts on a page is mirrored here by hand: when Cairn's handler for one of these
pages changes, change the peer to match (bench/run compares the bytes and leaves the peer
out of a figure whose page differs).
Environment: CAIRN_DB (the database), CAIRN_ASSET_VERSION (the version in static URLs,
which Cairn derives from its embedded files), CAIRN_TEMPLATES (default ../../templates).
"""
import base64
import hashlib
import hmac
import os
import re
import secrets
import sqlite3
import time
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from flask import Flask, g, make_response, redirect, render_template, request
from jinja2 import FunctionLoader

# As Cairn's referral_status_label (src/domain/records.c).
STATUS_LABELS = {"sent": "Sent", "welcomed": "Welcomed", "active": "Active",
                 "completed": "Completed", "withdrawn": "Withdrawn"}

DB_PATH = os.environ["CAIRN_DB"]
ASSET_VERSION = os.environ["CAIRN_ASSET_VERSION"]
SESSION_COOKIE = "cairn_session"
VISITOR_COOKIE = "cairn_visitor"
SESSION_IDLE_S = 30 * 60
SESSION_MAX_S = 12 * 60 * 60
TOKEN_LEN = 43
PER_PAGE = 50
LONDON = ZoneInfo("Europe/London")
ROLE_LABELS = {
    "administrator": "administrator",
    "coordinator": "coordinator",
    "case_worker": "case worker",
    "facilitator": "facilitator",
    "authority_lead": "local authority lead",
    "client": "client",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cache-Control": "no-store",
}

# The same SQL as Cairn's S_SESSION_USER, S_SESSION_TOUCH and S_REFERRALS_BY_CASE_WORKER.
SESSION_USER = (
    "SELECT u.id, u.email, u.name, u.role, coalesce(u.authority_id, 0), "
    "a.name, coalesce(u.client_id, 0), '', s.last_seen_at "
    "FROM session s JOIN user u ON u.id = s.user_id "
    "LEFT JOIN local_authority a ON a.id = u.authority_id "
    "WHERE s.token_digest = ?1 AND s.last_seen_at > ?2 AND s.created_at > ?3"
)
SESSION_TOUCH = "UPDATE session SET last_seen_at = ?2 WHERE token_digest = ?1"
REFERRALS_BY_CASE_WORKER = (
    "SELECT r.client_id, r.created_at, c.first_name, c.last_name, r.reference, "
    "r.case_reference, r.status "
    "FROM referral r JOIN client c ON c.id = r.client_id "
    "WHERE r.case_worker_id = ?1 "
    "ORDER BY r.created_at DESC, r.id DESC LIMIT ?2 OFFSET ?3"
)
# And Cairn's S_CLIENT_GET, O_HOURS and B_UPCOMING, for a client's home.
CLIENT_GET = (
    "SELECT c.id, c.authority_id, a.name, c.first_name, c.last_name, "
    "c.date_of_birth, c.email, c.mobile, c.access_needs, c.group_notes, c.created_at, "
    "EXISTS (SELECT 1 FROM user cu WHERE cu.client_id = c.id AND "
    "(cu.password_hash <> '' OR cu.sign_in_by_link)), "
    "r.id, r.reference, r.status, r.created_at, r.case_reference, o.reference, "
    "o.court_reference, o.activity_minutes, o.complete_by, r.case_worker_id, "
    "o.imposed_on, o.unpaid_hours, w.name, o.id "
    "FROM client c JOIN local_authority a ON a.id = c.authority_id "
    "JOIN referral r ON r.client_id = c.id JOIN court_order o ON o.id = r.order_id "
    "JOIN user w ON w.id = r.case_worker_id "
    "WHERE c.id = ?1 ORDER BY r.created_at DESC, r.id DESC LIMIT 1"
)
ORDER_HOURS = (
    "SELECT coalesce(sum(counted_minutes), 0), "
    "coalesce(sum(minutes - counted_minutes), 0) FROM hours_ledger WHERE order_id = ?1"
)
# Attended sessions without feedback (sqlite_impact.c, F_PENDING).
FEEDBACK_PENDING = (
    "SELECT b.id, g.starts_at, t.name FROM booking b "
    "JOIN group_session g ON g.id = b.session_id JOIN topic t ON t.id = g.topic_id "
    "JOIN register_entry e ON e.booking_id = b.id "
    "WHERE b.client_id = ?1 AND b.status = 'booked' AND "
    "e.outcome IN ('attended', 'attended_part') AND NOT EXISTS (SELECT 1 FROM "
    "register_entry x WHERE x.supersedes_id = e.id) AND "
    "NOT EXISTS (SELECT 1 FROM feedback f WHERE f.booking_id = b.id) "
    "ORDER BY g.starts_at DESC, b.id DESC LIMIT ?2"
)
BOOKINGS_UPCOMING = (
    "SELECT b.id, b.session_id, b.client_id, b.order_id, b.status, b.created_at, "
    "g.id, g.topic_id, t.name, g.starts_at, g.minutes, g.capacity, "
    "(SELECT count(*) FROM booking b2 WHERE b2.session_id = g.id AND b2.status = 'booked'), "
    "g.facilitator_id, f.name, g.joining_link, g.series, b.id, "
    "(SELECT e.outcome FROM register_entry e WHERE e.booking_id = b.id AND "
    "NOT EXISTS (SELECT 1 FROM register_entry x WHERE x.supersedes_id = e.id)), "
    "coalesce((SELECT sum(h.minutes) FROM hours_ledger h JOIN register_entry e "
    "ON e.id = h.register_entry_id WHERE e.booking_id = b.id), 0) "
    "FROM booking b JOIN group_session g ON g.id = b.session_id "
    "JOIN topic t ON t.id = g.topic_id JOIN user f ON f.id = g.facilitator_id "
    "WHERE b.client_id = ?1 AND b.status = 'booked' AND g.starts_at + g.minutes * 60 > ?2 "
    "ORDER BY g.starts_at, b.id LIMIT ?3"
)

# Cairn's own template files, turned into Jinja2 syntax when first loaded (so the peer
# renders the same markup as Cairn does today, with Jinja2 doing the work): {{name}},
# {{#if name}}, {{#unless name}}, {{else}}, {{#each name}}, {{> partial}}, {{yield}},
# {{url name}} and {{raw name}}. Inside {{#each}} a name is the item's (no page template of
# the peer's pages reads an outer name from inside a list; bench/run compares the bytes).
TEMPLATES = os.environ.get("CAIRN_TEMPLATES",
                           os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                        "templates"))
TAG = re.compile(r"\{\{(.*?)\}\}", re.S)


def jinja_source(text):
    out, blocks, pos = [], [], 0

    def ref(name):
        name = name.strip()
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"the peer cannot read the name {name!r}")
        loops = [b for b in blocks if b]
        return f'{loops[-1]}["{name}"]' if loops else name

    for m in TAG.finditer(text):
        literal = text[pos:m.start()]
        out.append(literal if "{%" not in literal and "{#" not in literal
                   else "{% raw %}" + literal + "{% endraw %}")
        pos = m.end()
        tag = m.group(1).strip()
        word, _, arg = tag.partition(" ")
        if tag.startswith("!"):
            continue
        if word == "#if":
            out.append("{% if " + ref(arg) + " %}")
            blocks.append(None)
        elif word == "#unless":
            out.append("{% if not " + ref(arg) + " %}")
            blocks.append(None)
        elif word == "#each":
            var = f"item{len(blocks)}"
            out.append(f"{{% for {var} in {ref(arg)} %}}")
            blocks.append(var)
        elif tag == "else":
            out.append("{% else %}")
        elif tag in ("/if", "/unless"):
            out.append("{% endif %}")
            blocks.pop()
        elif tag == "/each":
            out.append("{% endfor %}")
            blocks.pop()
        elif word == ">":
            out.append(f'{{% include "{arg.strip()}.html" %}}')
        elif tag == "yield":
            out.append("{% include page %}")
        elif word == "url":
            out.append("{{ " + ref(arg) + "|url_component }}")
        elif word == "raw":
            out.append("{{ " + ref(arg) + "|safe }}")
        else:
            out.append("{{ " + ref(tag) + " }}")
    out.append(text[pos:])
    return "".join(out)


def load_cairn_template(name):
    path = os.path.join(TEMPLATES, name)
    with open(path, encoding="utf-8") as f:
        return jinja_source(f.read()), path, lambda: True


app = Flask(__name__)
app.jinja_loader = FunctionLoader(load_cairn_template)
app.jinja_env.keep_trailing_newline = True
# Cairn writes nothing for a missing value, and escapes only what HTML needs.
app.jinja_env.finalize = lambda v: "" if v is None else v
app.jinja_env.filters["url_component"] = lambda v: quote(str(v), safe="")

_db = None
_csrf_key = None


def db():
    """This worker's connection, opened after gunicorn forked it."""
    global _db, _csrf_key
    if _db is None:
        _db = sqlite3.connect(DB_PATH, isolation_level=None, check_same_thread=False)
        _db.execute("PRAGMA busy_timeout=5000")
        row = _db.execute("SELECT value FROM setting WHERE key = 'csrf_key'").fetchone()
        _csrf_key = bytes.fromhex(row[0])
    return _db


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def csrf_for(secret):
    return b64url(hmac.new(_csrf_key, b"csrf:" + secret.encode(), hashlib.sha256).digest())


def london(ts):
    """As Cairn shows a time: "Wednesday 18 November 2026, 8:29am", Europe/London."""
    d = datetime.fromtimestamp(ts, LONDON)
    hour12 = d.hour % 12 or 12
    return f"{d:%A} {d.day} {d:%B} {d.year}, {hour12}:{d.minute:02d}{'am' if d.hour < 12 else 'pm'}"


@app.before_request
def load_session():
    g.user = None
    g.session_token = None
    conn = db()
    token = request.cookies.get(SESSION_COOKIE)
    if token is None or len(token) != TOKEN_LEN:
        return
    digest = hashlib.sha256(token.encode()).hexdigest()
    now = int(time.time())
    row = conn.execute(SESSION_USER, (digest, now - SESSION_IDLE_S, now - SESSION_MAX_S)).fetchone()
    if row is None:
        return
    if now - row[8] >= 60:
        conn.execute(SESSION_TOUCH, (digest, now))
    g.user = {
        "id": row[0], "email": row[1], "name": row[2], "role": row[3],
        "role_label": ROLE_LABELS.get(row[3], "nobody"), "authority_id": row[4],
        "authority_name": row[5], "client_id": row[6],
    }
    g.session_token = token


NAV = {
    "case_worker": (("/referrals/new", "Make a referral"), ("/referrals", "My referrals"),
                    ("/reports/weekly", "Weekly report"), ("/directory", "Find a service")),
    "administrator": (("/welcome-calls", "Welcome calls"), ("/schedule", "Sessions and topics"),
                      ("/reports/weekly", "Weekly report"), ("/dashboard", "Impact dashboard"),
                      ("/directory/moderation", "Directory approvals"),
                      ("/admin/outbox", "Outbox")),
    "coordinator": (("/welcome-calls", "Welcome calls"), ("/schedule", "Sessions and topics"),
                    ("/reports/weekly", "Weekly report"), ("/dashboard", "Impact dashboard"),
                    ("/directory", "Find a service"),
                    ("/directory/moderation", "Directory approvals")),
    "authority_lead": (("/reports/weekly", "Weekly report"), ("/dashboard", "Impact dashboard")),
    "organisation": (("/organisation", "Your organisation"),),
    "facilitator": (("/facilitator/sessions", "My sessions"),),
    "client": (("/", "My hours"), ("/sessions", "Book a session")),
}


def is_current(href):
    """The page itself or one under it, except href/new (which has its own item)."""
    path = request.path
    n = len(href)
    return path == href or (n > 1 and path.startswith(href) and path[n:n + 1] == "/"
                            and path[n:] != "/new")


def page(template, title, **values):
    """A page in the layout, with the variables Cairn's dispatcher (layout_vars) and
    app_page set, and the CSRF token."""
    new_visitor = None
    if g.user:
        csrf = csrf_for(g.session_token)
    else:
        visitor = request.cookies.get(VISITOR_COOKIE)
        if visitor is None or len(visitor) != TOKEN_LEN:
            visitor = new_visitor = b64url(secrets.token_bytes(32))
        csrf = csrf_for(visitor)
    layout = {"asset_version": ASSET_VERSION, "csrf_token": csrf, "title": title}
    if g.user:
        layout.update(signed_in="1", user_name=g.user["name"], user_role=g.user["role_label"],
                      user_authority=g.user["authority_name"],
                      nav=[{"href": href, "label": label, "current": flag(is_current(href))}
                           for href, label in NAV.get(g.user["role"], ())])
    html = render_template("layout.html", page=template + ".html", **layout, **values)
    res = make_response(html)
    res.headers["Content-Type"] = "text/html; charset=utf-8"
    if new_visitor:
        res.headers["Set-Cookie"] = f"{VISITOR_COOKIE}={new_visitor}; Path=/; HttpOnly; SameSite=Lax"
    return res


def flag(on):
    """A template flag as Cairn's tpl_set_bool sets it."""
    return "1" if on else None


@app.after_request
def security_headers(res):
    res.headers.update(SECURITY_HEADERS)
    return res


def safe_next(nxt):
    if not nxt or nxt[0] != "/" or nxt[1:2] in ("/", "\\"):
        return "/"
    if any(c <= " " or c == "\\" for c in nxt):
        return "/"
    return nxt


@app.get("/sign-in")
def sign_in_form():
    if g.user:
        return redirect("/", 303)
    return page("sign_in", "Sign in", next=safe_next(request.args.get("next")))


def minutes_text(minutes):
    """As Cairn's ledger_format_minutes: "2 hours 5 minutes", "1 hour", "0 hours"."""
    sign = "minus " if minutes < 0 else ""
    minutes = abs(minutes)
    h, m = divmod(minutes, 60)
    hours = f"{h} hour{'' if h == 1 else 's'}"
    mins = f"{m} minute{'' if m == 1 else 's'}"
    if h and m:
        return f"{sign}{hours} {mins}"
    if h:
        return sign + hours
    if m:
        return sign + mins
    return "0 hours"


def long_date(iso):
    """"23 March 2027", as Cairn's civil_date_long."""
    d = datetime.strptime(iso, "%Y-%m-%d")
    return f"{d.day} {d:%B} {d.year}"


def client_home():
    conn = db()
    c = conn.execute(CLIENT_GET, (g.user["client_id"],)).fetchone()
    counted = conn.execute(ORDER_HOURS, (c[25],)).fetchone()[0]
    bookings = conn.execute(BOOKINGS_UPCOMING, (c[0], int(time.time()), 20)).fetchall()
    unanswered = conn.execute(FEEDBACK_PENDING, (c[0], 5)).fetchall()
    total = c[19]
    left = max(total - counted, 0)
    return page("client_home", "Your hours and sessions", first_name=c[3],
                hours_done=minutes_text(counted), hours_left=minutes_text(left),
                hours_total=minutes_text(total), hours_complete=flag(left == 0),
                percent_done=str(counted * 100 // total if total else 0),
                complete_by=long_date(c[20]),
                bookings=[{"id": str(b[0]), "topic": b[8], "when": london(b[9])}
                          for b in bookings],
                feedback_due=[{"id": str(f[0]), "topic": f[2], "when": london(f[1])}
                              for f in unanswered])


@app.get("/")
def home():
    role = g.user["role"] if g.user else None
    if role == "client":
        return client_home()
    return page("start", "Cairn", is_case_worker=flag(role == "case_worker"),
                is_administrator=flag(role == "administrator"),
                is_coordinator=flag(role in ("coordinator", "administrator")),
                is_facilitator=flag(role == "facilitator"))


@app.get("/referrals")
def referrals():
    if g.user is None:
        return redirect("/sign-in?next=" + quote(request.path, safe=""), 303)
    if g.user["role"] != "case_worker":
        res = page("error", "Page not found",
                   message="If you typed the web address, check it is correct. If you pasted "
                   "it, check you copied the entire address.")
        res.status_code = 404
        return res
    try:
        number = int(request.args.get("page", "1"))
    except ValueError:
        number = 1
    if number < 1 or number > 10000:
        number = 1
    rows = db().execute(REFERRALS_BY_CASE_WORKER,
                        (g.user["id"], PER_PAGE + 1, (number - 1) * PER_PAGE)).fetchall()
    shown = [{"client_id": str(r[0]), "first_name": r[2], "last_name": r[3], "reference": r[4],
              "case_reference": r[5], "sent": london(r[1]),
              "status": STATUS_LABELS.get(r[6], r[6])}
             for r in rows[:PER_PAGE]]
    return page("referral_list", "My referrals", referrals=shown,
                more=flag(len(rows) > PER_PAGE), next_page=str(number + 1))
