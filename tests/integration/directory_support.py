"""What the directory's integration tests share: reading the search page, distances
computed apart from Cairn (haversine, in Python), services put straight into the database
(the migration's triggers keep the search indexes), and the people of a referral."""

import html
import math
import re
import urllib.parse
import uuid

from tests.integration.harness import run_cli
from tests.integration.sessions_support import add_user, new_client, staff

ORGANISATION = "organisation@demo.cairn.scot"   # Glasgow Community Bike Hub
EARTH_RADIUS_M = 6371008.8
METRES_PER_MILE = 1609.344

# Taxonomy term ids, as migrations/006_directory.sql seeds them.
EMPLOYABILITY = "ab4305e1-b5f7-4f2b-8b52-2857a099770f"
VOLUNTEERING = "2e935979-0ec1-449e-ba38-1c2b9ffeeabb"
HOUSING = "36207c14-5f05-4993-9fc3-943d576b5040"
COURSE = "2daba08c-af37-4fa6-9a39-7fdea2795625"
PLACEMENT_TYPE = "b6b8a15e-971f-4a72-bafb-44f07f3b90b8"
ONE_TO_ONE = "a82c5215-5fbd-42c9-a2b9-b4b90e79b758"
GARDENING = "f069a0ba-93d3-4745-bf10-dc1b00b70ca6"
CATERING = "11529ce9-a2f3-4b19-95ce-63166db0aecf"

G1 = (55.8609, -4.2514)   # the demo's G1 1XQ


def haversine_m(a, b):
    (lat1, lon1), (lat2, lon2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    x = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, x)))


def miles(metres):
    return metres / METRES_PER_MILE


RESULT_RE = re.compile(
    r'<li class="ds_search-result">\s*<h3 class="ds_search-result__title">'
    r'<a class="ds_search-result__link" href="/directory/services/([0-9a-f-]{36})[^"]*">([^<]*)</a>'
    r'</h3>\s*<p class="ds_search-result__summary">(.*?)</p>', re.S)
DISTANCE_RE = re.compile(r', <strong>([^<]*)</strong> away')


def results(page_text):
    """[(service id, name, organisation, distance text or None)] in page order."""
    out = []
    for m in RESULT_RE.finditer(page_text):
        summary = m.group(3)
        d = DISTANCE_RE.search(summary)
        org = summary[:d.start()] if d else summary.split(" (")[0]
        out.append((m.group(1), html.unescape(m.group(2)), html.unescape(org.strip()),
                    d.group(1) if d else None))
    return out


def total(page_text):
    m = re.search(r'<h2 id="results">(\d+) service', page_text)
    return int(m.group(1)) if m else None


def search(client, **params):
    return client.get("/directory?" + urllib.parse.urlencode(params))


def add_org(server, name, email=None):
    oid = str(uuid.uuid4())
    server.sql("INSERT INTO organization(id, name, description, email, created_at, last_modified) "
               "VALUES (?, ?, 'test', ?, 0, 0)", (oid, name, email))
    return oid


def add_service(server, org_id, name, lat, lon, description="A test service.", terms=(),
                counts=1, typical_minutes=360, moderation="approved", postcode="G1 1XQ",
                placement=None):
    """A located service straight into the database; returns its id. placement: None or
    (area, places, [skill term ids], moderation)."""
    sid, lid, aid, sal = (str(uuid.uuid4()) for _ in range(4))
    server.sql("INSERT INTO service(id, organization_id, name, description, counts_as_other_activity, "
               "typical_minutes, moderation, created_at, last_modified) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0)",
               (sid, org_id, name, description, counts, typical_minutes, moderation))
    server.sql("INSERT INTO location(id, organization_id, latitude, longitude) VALUES (?, ?, ?, ?)",
               (lid, org_id, lat, lon))
    server.sql("INSERT INTO address(id, location_id, address_1, city, postal_code) "
               "VALUES (?, ?, '1 Test Street', 'Glasgow', ?)", (aid, lid, postcode))
    server.sql("INSERT INTO service_at_location(id, service_id, location_id) VALUES (?, ?, ?)",
               (sal, sid, lid))
    for t in terms:
        server.sql("INSERT INTO service_taxonomy(id, service_id, taxonomy_term_id) VALUES (?, ?, ?)",
                   (str(uuid.uuid4()), sid, t))
    if placement:
        area, places, skills, pmod = placement
        pid = str(uuid.uuid4())
        server.sql("INSERT INTO placement_offer(id, organization_id, service_id, area_of_expertise, "
                   "places_available, moderation, created_at, last_modified) VALUES (?, ?, ?, ?, ?, ?, 0, 0)",
                   (pid, org_id, sid, area, places, pmod))
        for k in skills:
            server.sql("INSERT INTO placement_skill(placement_offer_id, taxonomy_term_id) VALUES (?, ?)",
                       (pid, k))
    return sid


def service_place(server, service_id):
    [row] = server.sql("SELECT l.latitude AS lat, l.longitude AS lon FROM service_at_location sal "
                       "JOIN location l ON l.id = sal.location_id WHERE sal.service_id = ?",
                       (service_id,))
    return (row["lat"], row["lon"])


def org_id_of(server, email):
    return server.scalar("SELECT organization_id FROM user WHERE email = ?", (email,))


def add_org_user(server, email, org_id, name="Test Organisation User"):
    args = ["user", "add", "--db", server.db, "--email", email, "--name", name, "--role",
            "organisation", "--organisation", org_id, "--password-stdin"]
    r = run_cli(*args, stdin="cairn-demo-password\n")
    if r.returncode != 0:
        raise AssertionError("cairn user add failed (%d): %s" % (r.returncode, r.stderr))
    return staff(server, email)


def client_with_postcode(server, case_worker, postcode="G31 2XT"):
    p = new_client(server, case_worker, sign_in=None)
    r = case_worker.post_form("/clients/%d/postcode" % p.client_id, {"postcode": postcode},
                              page=case_worker.get("/clients/%d" % p.client_id))
    if r.status != 303:
        raise AssertionError("postcode not saved (%d): %s" % (r.status, r.text[:500]))
    return p


def refer(case_worker, client_id, service_id, page=None):
    """Presses Refer on the search page (or page, a search Response); returns the response."""
    if page is None:
        page = case_worker.get("/directory?client=%d" % client_id)
    action = "/directory/services/%s/refer" % service_id
    if not any(f["action"] == action for f in page.page.forms):
        raise AssertionError("no Refer form for %s on the page" % service_id)
    hidden = page.page.form_hidden(action)
    return case_worker.post(action, dict(hidden))


REFERRAL_PATH_RE = re.compile(r"^/directory/referrals/(\d+)$")


def referral_id(response):
    m = REFERRAL_PATH_RE.match(response.location or "")
    if not m:
        raise AssertionError("not a directory referral's address (%d): %r %s"
                             % (response.status, response.location, response.text[:500]))
    return int(m.group(1))
