"""Shared helpers for the Open Referral UK tests (test_oruk_api, test_oruk_import).

- Validators built from the ORUK 3.0 schemas in oruk-schemas/ (a copy of
  ../shared/standards/oruk/) with Debian's
  python3-jsonschema (Draft 2020-12, as openapi.json's jsonSchemaDialect says). Every $ref is
  resolved from the files in that folder: the resolver has no network handler, so a $ref it
  cannot find locally fails the test instead of being fetched.
- A feed builder: services, organisations, locations, contacts, schedules and terms with
  UUIDs, in the ORUK shapes, written to a file for `cairn import oruk`.
- Haversine, computed here independently of the server's.
"""

import copy
import datetime
import json
import math
import os
import random
import re
import urllib.parse
import uuid

import jsonschema

from tests.integration.harness import ROOT, Client, run_cli

# A copy of ../shared/standards/oruk/ (OpenReferralUK/uk-profile's compiled schemas, see
# its SOURCE) kept in the repository, so a clone tests on any machine.
SCHEMAS = os.environ.get("CAIRN_ORUK_SCHEMAS") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "oruk-schemas")
# Where openapi.json's $refs point; the same files are served from SCHEMAS instead.
UPSTREAM = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"

# The seeded taxonomies and a few of their terms (migrations/006_directory.sql).
CATEGORY_TAXONOMY = "425c41a8-f3b9-48c7-bc71-ff66476a6bf1"
SKILL_TAXONOMY = "c5e0b043-acda-4631-b2fd-059a2f1184e0"
EMPLOYABILITY = "ab4305e1-b5f7-4f2b-8b52-2857a099770f"
HOUSING = "36207c14-5f05-4993-9fc3-943d576b5040"
GARDENING = "f069a0ba-93d3-4745-bf10-dc1b00b70ca6"
IMPORTED_TAXONOMY = "0f3c2d6e-5b7a-4e0c-9d2b-8a1f4c6e7b90"

SEEDED_TERMS = {
    EMPLOYABILITY: ("Employability", "Getting ready for work, finding and keeping a job.",
                    CATEGORY_TAXONOMY, "employability"),
    HOUSING: ("Housing", "Finding and keeping a home.", CATEGORY_TAXONOMY, "housing"),
    GARDENING: ("Gardening and horticulture", "Growing, planting and grounds work.",
                SKILL_TAXONOMY, "gardening"),
}

# Postcode centres the tests put in the postcode table (as `cairn import postcodes` would).
POSTCODES = {
    "G1 1XQ": (55.8609, -4.2514),    # Glasgow
    "EH1 1YZ": (55.9521, -3.1899),   # Edinburgh
    "KY1 1XW": (56.1128, -3.1591),   # Kirkcaldy
}

EARTH_RADIUS_M = 6371008.8


def haversine_m(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


# ---- schemas -----------------------------------------------------------------------------

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _date_time(value):
    if not isinstance(value, str):
        return True
    if not RFC3339.match(value):
        return False
    datetime.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return True


def _uri(value):
    if not isinstance(value, str):
        return True
    u = urllib.parse.urlsplit(value)
    return bool(u.scheme) and bool(u.netloc) and not re.search(r"\s", value)


def format_checker():
    """Draft 2020-12's checks (uuid, email, date...) plus date-time and uri, whose usual
    checkers need Python packages Debian 12 does not install with jsonschema."""
    fc = jsonschema.FormatChecker(formats=())
    base = jsonschema.Draft202012Validator.FORMAT_CHECKER
    fc.checkers = dict(base.checkers)
    fc.checks("date-time", raises=ValueError)(_date_time)
    fc.checks("uri")(_uri)
    return fc


def _load(name):
    path = os.path.join(SCHEMAS, name)
    if not os.path.exists(path):
        raise AssertionError("the ORUK schemas are not at %s (set CAIRN_ORUK_SCHEMAS)" % SCHEMAS)
    with open(path) as f:
        return json.load(f)


def _no_network(uri):
    raise AssertionError("schema $ref %s is not in %s: refusing to fetch it" % (uri, SCHEMAS))


class Schemas:
    """Validators for each kind of answer the API gives."""

    def __init__(self):
        store = {}
        for name in os.listdir(os.path.join(SCHEMAS, "components")):
            if name.endswith(".json"):
                store[UPSTREAM + name] = _load(os.path.join("components", name))
        for name in os.listdir(SCHEMAS):
            if name.endswith(".json"):
                store[UPSTREAM + "compiled/" + name] = _load(name)
        self.openapi = _load("openapi.json")
        self.profile = _load("profile-openapi.json")
        store[UPSTREAM + "openapi.json"] = self.openapi
        self.store = store
        self.checker = format_checker()

    @staticmethod
    def _absolute(node, base):
        """A copy of node with its local $refs ("#/components/...") made absolute against
        base, the document it was cut from."""
        if isinstance(node, dict):
            out = {}
            for k, v in node.items():
                if k == "$ref" and isinstance(v, str) and v.startswith("#"):
                    out[k] = base + v
                else:
                    out[k] = Schemas._absolute(v, base)
            return out
        if isinstance(node, list):
            return [Schemas._absolute(v, base) for v in node]
        return node

    def _validator(self, schema, base):
        # The schema is a document of its own (the resolver files it under base), so refs
        # into openapi.json must be absolute.
        schema = self._absolute(schema, UPSTREAM + "openapi.json")
        base = UPSTREAM + "tests/response.json"
        resolver = jsonschema.RefResolver(base_uri=base, referrer=schema, store=self.store,
                                          handlers={"http": _no_network, "https": _no_network})
        return jsonschema.Draft202012Validator(schema, resolver=resolver,
                                               format_checker=self.checker)

    def _response(self, path):
        op = self.openapi["paths"][path]["get"]
        return op["responses"]["200"]["content"]["application/json"]["schema"]

    PAGE_FIELDS = ["total_items", "total_pages", "page_number", "size", "first_page",
                   "last_page", "empty", "contents"]

    def page_of(self, item_ref):
        """The envelope of openapi.json's Page (all its fields required) around items."""
        return {
            "allOf": [{"$ref": "#/components/schemas/Page"}],
            "required": self.PAGE_FIELDS,
            "properties": {"contents": {"type": "array", "items": {"$ref": item_ref}}},
        }

    def validate(self, kind, document):
        """Raises jsonschema.ValidationError when document is not a valid `kind`."""
        base = UPSTREAM + "openapi.json"
        if kind == "meta":
            schema = copy.deepcopy(
                self.openapi["paths"]["/"]["get"]["responses"]["200"]["content"]
                ["application/json"]["schema"])
            schema["required"] = ["version", "profile", "openapi_url"]
        elif kind == "services":
            schema = dict(self._response("/services"), required=self.PAGE_FIELDS)
        elif kind == "service":
            schema = self._response("/services/{id}")
        elif kind == "service_at_locations":
            schema = dict(self._response("/service_at_locations"), required=self.PAGE_FIELDS)
        elif kind == "taxonomies":
            schema = dict(self._response("/taxonomies"), required=self.PAGE_FIELDS)
        elif kind == "taxonomy_terms":
            schema = dict(self._response("/taxonomy_terms"), required=self.PAGE_FIELDS)
        elif kind == "organizations":
            # openapi.json leaves /organizations empty (null): the compiled list schema.
            schema = self.page_of(UPSTREAM + "compiled/organization_list.json")
        elif kind == "organization":
            schema = {"$ref": UPSTREAM + "compiled/organization.json"}
        else:
            raise ValueError(kind)
        self._validator(schema, base).validate(document)
        if kind in ("services", "service_at_locations", "taxonomies", "taxonomy_terms",
                    "organizations"):
            check_page_numbers(document)


def check_page_numbers(doc):
    """The envelope's numbers agree with each other and with contents."""
    assert doc["size"] == len(doc["contents"]), doc
    assert doc["empty"] == (doc["size"] == 0), doc
    assert doc["first_page"] == (doc["page_number"] == 1), doc
    assert doc["last_page"] == (doc["page_number"] >= doc["total_pages"]), doc


# ---- the API over HTTP ----------------------------------------------------------------------

class Api:
    """GETs JSON from /api/v1 with no cookies, checking what every answer must carry."""

    def __init__(self, server, test):
        self.client = Client(server)
        self.test = test

    def get(self, path, status=200):
        r = self.client.get("/api/v1" + path)
        t = self.test
        t.assertEqual(r.status, status, "%s: %s" % (path, r.text[:500]))
        if status != 204:
            t.assertEqual(r.header("Content-Type"), "application/json; charset=utf-8", path)
        t.assertEqual(r.header("Access-Control-Allow-Origin"), "*", path)
        t.assertEqual(r.header_all("Set-Cookie"), [], "%s set a cookie" % path)
        self.client.cookies.clear()
        return json.loads(r.body) if r.body else None, r

    def error(self, path, status, contains=None):
        doc, _ = self.get(path, status)
        t = self.test
        t.assertEqual(doc["status"], status, doc)
        t.assertIsInstance(doc["message"], str)
        t.assertTrue(doc["message"], doc)
        if contains:
            t.assertIn(contains, doc["message"])
        return doc

    def all_pages(self, path, per_page=100):
        """Every item of a paged list, following the pages."""
        items, page = [], 1
        sep = "&" if "?" in path else "?"
        while True:
            doc, _ = self.get("%s%sper_page=%d&page=%d" % (path, sep, per_page, page))
            items += doc["contents"]
            if doc["last_page"] or doc["empty"]:
                return items, doc["total_items"]
            page += 1


# ---- feeds -------------------------------------------------------------------------------

class Feed:
    """A directory to import, built in the ORUK shapes with ids from a seeded generator (so
    a test can build the same feed twice)."""

    def __init__(self, seed=6):
        self.rng = random.Random(seed)
        self.services = []
        self.organizations = {}

    def uuid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def organization(self, name, **extra):
        o = {"id": self.uuid(), "name": name, "description": "%s is a Scottish charity." % name}
        o.update(extra)
        self.organizations[o["id"]] = o
        return o

    def term(self, term_id):
        name, description, taxonomy_id, code = SEEDED_TERMS[term_id]
        return {"id": term_id, "name": name, "description": description,
                "taxonomy_id": taxonomy_id, "term": code}

    def service(self, organization, name, description, terms=(), places=(), contacts=(),
                schedules=True, **extra):
        sid = self.uuid()
        s = {
            "id": sid, "organization_id": organization["id"], "name": name,
            "description": description, "status": "active",
            "organization": dict(organization),
            "service_at_locations": [], "contacts": [], "schedules": [], "attributes": [],
        }
        for label, lat, lon, postcode in places:
            lid = self.uuid()
            loc = {"id": lid, "location_type": "physical", "name": label,
                   "addresses": [{"id": self.uuid(), "address_1": "%s, 1 Main Street" % label,
                                  "city": label.split()[0], "state_province": "Scotland",
                                  "postal_code": postcode, "country": "GB",
                                  "address_type": "physical"}]}
            if lat is not None:
                loc["latitude"], loc["longitude"] = lat, lon
            s["service_at_locations"].append({"id": self.uuid(), "service_id": sid,
                                              "location_id": lid, "location": loc})
        for cname, title in contacts:
            s["contacts"].append({"id": self.uuid(), "service_id": sid, "name": cname,
                                  "title": title})
        if schedules:
            s["schedules"].append({"id": self.uuid(), "service_id": sid, "freq": "WEEKLY",
                                   "interval": 1, "byday": "TU,TH", "opens_at": "10:00",
                                   "closes_at": "15:00", "description": "Tuesdays and Thursdays"})
        for t in terms:
            term = self.term(t) if isinstance(t, str) else t
            s["attributes"].append({"id": self.uuid(), "link_id": sid, "link_type": "service",
                                    "taxonomy_term_id": term["id"], "taxonomy_term": term})
        s.update(extra)
        self.services.append(s)
        return s

    def write(self, path, envelope=False):
        data = self.services
        if envelope:
            data = {"total_items": len(data), "total_pages": 1, "page_number": 1,
                    "size": len(data), "first_page": True, "last_page": True,
                    "empty": not data, "contents": data}
        with open(path, "w") as f:
            json.dump(data, f, indent=1)
        return path


def standard_feed(seed=6):
    """Three organisations and eight services across Glasgow, Edinburgh and Fife, with
    categories, skills, contacts and schedules, and one service with no located place."""
    f = Feed(seed)
    green = f.organization("Green Hands", website="https://greenhands.example.org",
                           email="hello@greenhands.example.org")
    works = f.organization("Workwise Scotland")
    home = f.organization("Home Base Housing")
    f.service(green, "Community garden placements",
              "Individual placements growing food and keeping green spaces.",
              terms=[GARDENING], places=[("Glasgow allotments", 55.8652, -4.2576, "G4 0AA")],
              contacts=[("Ann Gardener", "Volunteer coordinator")],
              url="https://greenhands.example.org/placements")
    f.service(green, "Edinburgh growing group",
              "A weekly group growing vegetables and learning horticulture.",
              terms=[GARDENING, EMPLOYABILITY],
              places=[("Edinburgh Leith garden", 55.9755, -3.1700, "EH6 6AA")])
    f.service(works, "Job club", "Help with CVs, applications and interviews for employment.",
              terms=[EMPLOYABILITY],
              places=[("Glasgow city centre", 55.8610, -4.2500, "G1 1XQ"),
                      ("Kirkcaldy high street", 56.1100, -3.1600, "KY1 1XW")],
              contacts=[("Bob Jobs", "Adviser")], minimum_age=16)
    f.service(works, "Digital skills course",
              "Learn to use a computer, email and the internet for employment.",
              terms=[EMPLOYABILITY], places=[("Edinburgh library", 55.9486, -3.1910, "EH1 1EG")])
    f.service(works, "Employment support by phone",
              "One-to-one employment advice by telephone, anywhere in Scotland.",
              terms=[EMPLOYABILITY], places=[("Telephone service", None, None, "G2 2AA")])
    f.service(home, "Tenancy sustainment", "Keeping your home: rent, repairs and neighbours.",
              terms=[HOUSING], places=[("Glasgow south office", 55.8300, -4.2600, "G42 7AA")])
    f.service(home, "Housing advice drop-in", "Advice about housing, homelessness and tenancy.",
              terms=[HOUSING], places=[("Kirkcaldy office", 56.1150, -3.1650, "KY1 1AA")],
              schedules=False)
    f.service(home, "Money and housing", "Benefits and budgeting advice for tenants.",
              terms=[HOUSING], places=[("Edinburgh office", 55.9530, -3.1880, "EH1 3AA")],
              alert="Closed on public holidays")
    return f


def import_feed(server, path, *extra, expect=0):
    r = run_cli("import", "oruk", "--db", server.db, *extra, path)
    if r.returncode != expect:
        raise AssertionError("cairn import oruk %s gave %d, not %d:\n%s%s"
                             % (path, r.returncode, expect, r.stdout, r.stderr))
    return r


def add_postcodes(server):
    for pc, (lat, lon) in POSTCODES.items():
        server.sql("INSERT OR REPLACE INTO postcode(postcode, latitude, longitude) "
                   "VALUES (?, ?, ?)", (pc, lat, lon))
