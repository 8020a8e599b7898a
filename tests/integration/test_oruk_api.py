"""The Open Referral UK API at /api/v1: every answer validated against the ORUK 3.0 schemas
by a real JSON Schema validator; filters alone and combined; paging; distances checked
against haversine computed here; bad parameters refused with a JSON 400 naming them;
only approved listings; and no client's personal data anywhere in it."""

import json
import os
import shutil
import tempfile
import unittest
import urllib.parse

from tests.integration.harness import (CASE_WORKER, Client, ServerTestCase, make_referral,
                                       raw_http, reference_from_location, status_of)
from tests.integration.oruk_support import (CATEGORY_TAXONOMY, EMPLOYABILITY, GARDENING,
                                            HOUSING, POSTCODES, SKILL_TAXONOMY, Api, Feed,
                                            Schemas, add_postcodes, haversine_m, import_feed,
                                            standard_feed)

q = urllib.parse.quote


class OrukApiTests(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.schemas = Schemas()
        cls.tmp = tempfile.mkdtemp(prefix="cairn-it-oruk-")
        # The demo's own listings are retired, so the public directory is this class's feed
        # (and the demo's retired listings must stay out of every answer too).
        cls.demo_services = [r[0] for r in cls.server.sql("SELECT id FROM service")]
        cls.server.sql("UPDATE service SET moderation = 'retired'")
        cls.feed = standard_feed()
        import_feed(cls.server, cls.feed.write(os.path.join(cls.tmp, "feed.json")))
        # A listing waiting for moderation, and one a coordinator retired: neither is public.
        extra = Feed(seed=60)
        hidden_org = extra.organization("Pending Only Trust")
        cls.pending = extra.service(hidden_org, "Pending garden service",
                                    "Gardening that nobody has approved yet.",
                                    terms=[GARDENING],
                                    places=[("Glasgow pending", 55.8611, -4.2513, "G1 1XQ")])
        import_feed(cls.server, extra.write(os.path.join(cls.tmp, "pending.json")), "--pending")
        cls.retired = cls.feed.services[6]
        cls.server.sql("UPDATE service SET moderation = 'retired' WHERE id = ?",
                       (cls.retired["id"],))
        cls.public = [s for s in cls.feed.services if s is not cls.retired]
        add_postcodes(cls.server)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)
        super().tearDownClass()

    def setUp(self):
        self.api = Api(self.server, self)

    def ids(self, items):
        return {i["id"] for i in items}

    # -- shapes -------------------------------------------------------------------------

    def test_meta(self):
        for path in ("/", ""):
            doc, r = self.api.get(path)
            self.schemas.validate("meta", doc)
            self.assertEqual(doc["version"], "3.0")
            self.assertTrue(doc["openapi_url"].startswith("https://"))
            self.assertTrue(doc["profile"].startswith("https://"))

    def test_services_list_validates_and_holds_only_approved(self):
        items, total = self.api.all_pages("/services")
        self.assertEqual(total, len(self.public))
        self.assertEqual(self.ids(items), self.ids(self.public))
        doc, _ = self.api.get("/services?per_page=100")
        self.schemas.validate("services", doc)
        for item in doc["contents"]:
            self.assertEqual(item["organization"]["id"], item["organization_id"])
            self.assertRegex(item["last_modified"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

    def test_full_service_validates_and_has_its_parts(self):
        for s in self.public:
            doc, _ = self.api.get("/services/" + s["id"])
            self.schemas.validate("service", doc)
            self.assertEqual(doc["id"], s["id"])
            self.assertEqual(doc["organization"]["name"], s["organization"]["name"])
            self.assertEqual({a["taxonomy_term"]["id"] for a in doc["attributes"]},
                             {a["taxonomy_term"]["id"] for a in s["attributes"]})
            self.assertEqual(self.ids(doc["contacts"]), self.ids(s["contacts"]))
            self.assertEqual(self.ids(doc["schedules"]), self.ids(s["schedules"]))
            self.assertEqual(self.ids(doc["service_at_locations"]),
                             self.ids(s["service_at_locations"]))
            for sal in doc["service_at_locations"]:
                self.assertEqual(sal["location_id"], sal["location"]["id"])
                self.assertEqual(len(sal["location"]["addresses"]), 1)
        # Upper-case ids name the same service.
        doc, _ = self.api.get("/services/" + self.public[0]["id"].upper())
        self.assertEqual(doc["id"], self.public[0]["id"])

    def test_hidden_services_are_not_found(self):
        for s in (self.pending, self.retired):
            self.api.error("/services/" + s["id"], 404)
        items, _ = self.api.all_pages("/services?search=garden")
        self.assertNotIn(self.pending["id"], self.ids(items))
        orgs, _ = self.api.all_pages("/organizations")
        self.assertNotIn(self.pending["organization"]["id"], self.ids(orgs))
        self.api.error("/organizations/" + self.pending["organization"]["id"], 404)
        sals, _ = self.api.all_pages("/service_at_locations")
        self.assertNotIn(self.pending["id"], {x["service"]["id"] for x in sals})
        self.assertNotIn(self.retired["id"], {x["service"]["id"] for x in sals})

    def test_retired_demo_listings_are_absent(self):
        self.assertTrue(self.demo_services, "the demo data has directory listings")
        items, _ = self.api.all_pages("/services")
        sals, _ = self.api.all_pages("/service_at_locations")
        for sid in self.demo_services:
            self.assertNotIn(sid, self.ids(items))
            self.assertNotIn(sid, {x["service"]["id"] for x in sals})
            self.api.error("/services/" + sid, 404)

    def test_organizations(self):
        doc, _ = self.api.get("/organizations")
        self.schemas.validate("organizations", doc)
        self.assertEqual(self.ids(doc["contents"]), set(self.feed.organizations))
        for oid, org in self.feed.organizations.items():
            one, _ = self.api.get("/organizations/" + oid)
            self.schemas.validate("organization", one)
            self.assertEqual(one["name"], org["name"])
            want = {s["id"] for s in self.public if s["organization"]["id"] == oid}
            self.assertEqual(self.ids(one["services"]), want)
        self.api.error("/organizations/6c1e2a50-0000-4000-8000-000000000000", 404)
        self.api.error("/organizations/not-a-uuid", 400, "UUID")

    def test_taxonomies_and_terms(self):
        doc, _ = self.api.get("/taxonomies")
        self.schemas.validate("taxonomies", doc)
        self.assertIn(CATEGORY_TAXONOMY, self.ids(doc["contents"]))
        terms, total = self.api.all_pages("/taxonomy_terms")
        self.assertGreaterEqual(total, 27)
        doc, _ = self.api.get("/taxonomy_terms?per_page=100")
        self.schemas.validate("taxonomy_terms", doc)
        self.assertIn(HOUSING, self.ids(terms))
        skills, n = self.api.all_pages("/taxonomy_terms?taxonomy_id=" + SKILL_TAXONOMY)
        self.assertEqual({t["taxonomy_id"] for t in skills}, {SKILL_TAXONOMY})
        self.assertIn(GARDENING, self.ids(skills))
        self.assertEqual(n, len(skills))
        self.api.error("/taxonomy_terms?taxonomy_id=bad", 400, "taxonomy_id")

    # -- filters ------------------------------------------------------------------------

    def expect(self, **f):
        """The public services the filters should return, worked out from the feed."""
        out = []
        for s in self.public:
            terms = {a["taxonomy_term"]["id"] for a in s["attributes"]}
            taxonomies = {a["taxonomy_term"]["taxonomy_id"] for a in s["attributes"]}
            if "term" in f and f["term"] not in terms:
                continue
            if "taxonomy" in f and f["taxonomy"] not in taxonomies:
                continue
            if "org" in f and s["organization"]["id"] != f["org"]:
                continue
            if "words" in f:
                text = " ".join([s["name"], s["description"], s["organization"]["name"]] +
                                [a["taxonomy_term"]["name"] for a in s["attributes"]]).lower()
                if not all(w in text for w in f["words"]):
                    continue
            out.append(s["id"])
        return set(out)

    def services(self, query):
        items, total = self.api.all_pages("/services?" + query)
        self.assertEqual(total, len(items))
        return self.ids(items)

    def test_each_filter_and_combinations(self):
        works = self.public[2]["organization"]["id"]
        cases = [
            ("taxonomy_term_id=" + EMPLOYABILITY, dict(term=EMPLOYABILITY)),
            ("taxonomy_term_id=" + HOUSING, dict(term=HOUSING)),
            ("taxonomy_id=" + SKILL_TAXONOMY, dict(taxonomy=SKILL_TAXONOMY)),
            ("organization_id=" + works, dict(org=works)),
            # Porter stemming: "employment" and "employability" share the stem "employ".
            ("search=employment", dict(words=["employ"])),
            ("search=garden", dict(words=["garden"])),
            ("search=" + q("HOUSING advice"), dict(words=["hous", "advic"])),
            ("search=employment&organization_id=" + works, dict(words=["employ"], org=works)),
            ("taxonomy_term_id=%s&taxonomy_id=%s" % (EMPLOYABILITY, SKILL_TAXONOMY),
             dict(term=EMPLOYABILITY, taxonomy=SKILL_TAXONOMY)),
            ("search=garden&taxonomy_term_id=" + EMPLOYABILITY,
             dict(words=["garden"], term=EMPLOYABILITY)),
            ("search=housing&organization_id=" + works, dict(words=["hous"], org=works)),
        ]
        for query, f in cases:
            want = self.expect(**f)
            self.assertEqual(self.services(query), want, query)
        # The cases above are not all empty or all full: they tell filters apart.
        sizes = {len(self.expect(**f)) for _, f in cases}
        self.assertIn(0, sizes)
        self.assertTrue(max(sizes) >= 3)

    def test_search_ranks_the_best_match_first(self):
        doc, _ = self.api.get("/services?search=employment")
        names = [c["name"] for c in doc["contents"]]
        # In its name and its description beats only in the description.
        self.assertEqual(names[0], "Employment support by phone")
        self.assertTrue({"Job club", "Digital skills course"} <= set(names[1:]))

    def test_modified_after(self):
        a, b = self.public[0]["id"], self.public[1]["id"]
        self.server.sql("UPDATE service SET last_modified = 1900000000 WHERE id = ?", (a,))
        self.server.sql("UPDATE service SET last_modified = 1900003600 WHERE id = ?", (b,))
        try:
            # 2030-03-17T17:46:40Z is 1900000000.
            self.assertEqual(self.services("modified_after=2030-03-17T17:46:40Z"), {a, b})
            self.assertEqual(self.services("modified_after=" + q("2030-03-17T18:46:41+01:00")),
                             {b})
            self.assertEqual(self.services("modified_after=2030-03-17T18:46:40Z"), {b})
            self.assertEqual(self.services("modified_after=2030-03-18"), set())
            self.assertEqual(self.services("modified_after=2030-03-17&taxonomy_term_id=" +
                                           EMPLOYABILITY), {b})
            doc, _ = self.api.get("/services/" + a)
            self.assertEqual(doc["last_modified"], "2030-03-17T17:46:40Z")
        finally:
            self.server.sql("UPDATE service SET last_modified = 1700000000 WHERE id IN (?, ?)",
                            (a, b))
        for bad in ("yesterday", "2030-02-30", "2030-03-17T25:00:00Z", "2030-03-17T10:00:00",
                    "1900000000"):
            self.api.error("/services?modified_after=" + q(bad), 400, "modified_after")

    def test_paging(self):
        seen = []
        doc, _ = self.api.get("/services?per_page=3")
        self.assertEqual(doc["total_pages"], -(-len(self.public) // 3))
        self.assertEqual(doc["size"], 3)
        for page in range(1, doc["total_pages"] + 1):
            d, _ = self.api.get("/services?per_page=3&page=%d" % page)
            self.schemas.validate("services", d)
            self.assertEqual(d["page_number"], page)
            self.assertEqual(d["first_page"], page == 1)
            self.assertEqual(d["last_page"], page == doc["total_pages"])
            seen += [c["id"] for c in d["contents"]]
        self.assertEqual(len(seen), len(set(seen)))
        self.assertEqual(set(seen), self.ids(self.public))
        # Past the last page: an empty page, not an error.
        d, _ = self.api.get("/services?per_page=3&page=99")
        self.schemas.validate("services", d)
        self.assertEqual((d["empty"], d["size"], d["contents"], d["total_items"]),
                         (True, 0, [], len(self.public)))
        d, _ = self.api.get("/services?search=zzzzqqq")
        self.assertEqual((d["empty"], d["total_items"], d["total_pages"]), (True, 0, 0))
        d, _ = self.api.get("/services")
        self.assertEqual(d["size"], min(25, len(self.public)))
        for bad in ("page=0", "page=-1", "page=abc", "page=1.5", "page=99999999999999999999",
                    "per_page=0", "per_page=101", "per_page=ten", "per_page=1e2"):
            name = bad.split("=")[0]
            self.api.error("/services?" + bad, 400, name)
        self.api.error("/taxonomies?per_page=1000", 400, "per_page")
        self.api.error("/organizations?page=x", 400, "page")

    # -- service at locations and distance -------------------------------------------------

    def located(self):
        out = []
        for s in self.public:
            for sal in s["service_at_locations"]:
                loc = sal["location"]
                if "latitude" in loc:
                    out.append((sal["id"], loc["latitude"], loc["longitude"], s))
        return out

    def test_service_at_locations_by_distance(self):
        for pc, (plat, plon) in POSTCODES.items():
            for proximity in (2000, 15000, 100000):
                want = sorted((haversine_m(plat, plon, lat, lon), sid)
                              for sid, lat, lon, _ in self.located()
                              if haversine_m(plat, plon, lat, lon) <= proximity)
                path = "/service_at_locations?postcode=%s&proximity=%d" % (q(pc.lower()),
                                                                          proximity)
                items, total = self.api.all_pages(path, per_page=2)
                self.assertEqual(total, len(want), path)
                self.assertEqual([i["id"] for i in items], [sid for _, sid in want], path)
                for item, (d, _) in zip(items, want):
                    self.assertAlmostEqual(item["distance"], d, delta=1.0)
                doc, _ = self.api.get(path)
                self.schemas.validate("service_at_locations", doc)
        # Some answers are partial: the proximity really filters.
        near, _ = self.api.all_pages("/service_at_locations?postcode=G11XQ&proximity=2000")
        self.assertTrue(0 < len(near) < len(self.located()))
        # A postcode with no proximity reaches 25 miles (40,234 m), nearest first.
        items, total = self.api.all_pages("/service_at_locations?postcode=EH1+1YZ")
        plat, plon = POSTCODES["EH1 1YZ"]
        expected = [1 for _, lat, lon, _ in self.located()
                    if haversine_m(plat, plon, lat, lon) <= 40234]
        self.assertEqual(total, len(expected))
        self.assertLess(total, len(self.located()))
        dists = [i["distance"] for i in items]
        self.assertEqual(dists, sorted(dists))

    def test_service_at_locations_with_filters(self):
        all_items, total = self.api.all_pages("/service_at_locations")
        self.assertEqual(total, sum(len(s["service_at_locations"]) for s in self.public))
        doc, _ = self.api.get("/service_at_locations?per_page=100")
        self.schemas.validate("service_at_locations", doc)
        items, _ = self.api.all_pages("/service_at_locations?taxonomy_term_id=%s&postcode=%s"
                                      "&proximity=20000" % (EMPLOYABILITY, q("G1 1XQ")))
        plat, plon = POSTCODES["G1 1XQ"]
        want = {sid for sid, lat, lon, s in self.located()
                if EMPLOYABILITY in {a["taxonomy_term"]["id"] for a in s["attributes"]}
                and haversine_m(plat, plon, lat, lon) <= 20000}
        self.assertEqual(self.ids(items), want)
        self.assertTrue(want)
        items, _ = self.api.all_pages("/service_at_locations?search=housing")
        want = {sal["id"] for s in self.public if s["id"] in self.expect(words=["hous"])
                for sal in s["service_at_locations"]}
        self.assertEqual(self.ids(items), want)
        self.assertTrue(want)

    def test_bad_location_parameters(self):
        self.api.error("/service_at_locations?postcode=NOTAPOSTCODE", 400, "postcode")
        self.api.error("/service_at_locations?postcode=" + q("ZZ9 9ZZ"), 400, "ZZ9 9ZZ")
        self.api.error("/service_at_locations?proximity=1000", 400, "postcode")
        for bad in ("0", "-5", "abc", "1.5", "100001", "1000001", "99999999999999999999"):
            self.api.error("/service_at_locations?postcode=G11XQ&proximity=" + bad, 400,
                           "proximity")

    # -- bad input ---------------------------------------------------------------------

    def test_ids_checked(self):
        self.api.error("/services/not-a-uuid", 400, "UUID")
        self.api.error("/services/" + q("' OR 1=1 --"), 400, "UUID")
        self.api.error("/services/6c1e2a50-1111-4000-8000-000000000000", 404)
        self.api.error("/services/" + "a" * 5000, 400)
        for name in ("taxonomy_term_id", "taxonomy_id", "organization_id"):
            self.api.error("/services?%s=12345" % name, 400, name)
            self.api.error("/services?%s=6c1e2a50-2222-4000-8000-000000000000" % name, 400,
                           "no ")
        self.api.error("/service_at_locations?taxonomy_term_id=x", 400, "taxonomy_term_id")

    def test_hostile_search_is_only_words(self):
        for text in ["garden\"", 'NEAR(garden housing)', "garden*", "^garden",
                     "name:garden", "garden OR housing", "garden AND NOT housing", "(garden",
                     "'; DROP TABLE service; --", "garden' OR '1'='1", "x { } [ ] : -",
                     "\u00e9\u00e8 caf\u00e9", "garden\u2014housing", "50%", "a_b"]:
            doc, _ = self.api.get("/services?search=" + q(text))
            self.schemas.validate("services", doc)
        # Syntax alone, with no word to look for, is refused with a reason.
        for text in ['"', '""', "%", "_", "{ } [ ] : -", "* OR *"]:
            if any(c.isalnum() for c in text):
                continue
            self.api.error("/services?search=" + q(text), 400, "search")
        doc, _ = self.api.get("/services?search=" + q('garden" OR "housing'))
        # Words, all of them: "garden" AND "or" AND "housing" matches no service.
        self.assertEqual(doc["total_items"], 0)
        self.assertEqual(self.server.scalar("SELECT count(*) FROM service WHERE moderation = "
                                            "'approved'"), len(self.public))
        self.api.error("/services?search=" + "a" * 201, 400, "search")
        self.api.error("/services?search=" + q("!!! ***"), 400, "search")
        doc, _ = self.api.get("/services?search=" + "garden+" * 28)
        self.assertGreater(doc["total_items"], 0)
        # Invalid UTF-8 and control characters never reach a handler.
        self.api.error("/services?search=%FF", 400)
        self.api.error("/services?search=%01", 400)

    def test_unsupported_parameters_are_refused(self):
        for name in ("minimum_age", "maximum_age", "day", "start_time", "format"):
            self.api.error("/services?%s=1" % name, 400, name)

    def test_methods_and_unknown_paths(self):
        r = Client(self.server).post("/api/v1/services", {"x": "1"})
        self.assertEqual(r.status, 405)
        self.assertEqual(json.loads(r.body)["status"], 405)
        self.assertIn("GET", r.header("Allow"))
        self.assertEqual(r.header_all("Set-Cookie"), [])
        doc, r = self.api.get("/services", 200)
        r = Client(self.server).request("OPTIONS", "/api/v1/services")
        self.assertEqual(r.status, 204)
        self.assertEqual(r.header("Access-Control-Allow-Origin"), "*")
        self.assertIn("GET", r.header("Access-Control-Allow-Methods"))
        r = Client(self.server).request("HEAD", "/api/v1/services")
        self.assertEqual(r.status, 200)
        self.api.error("/nothing-here", 404)
        self.api.error("/services/%s/extra" % self.public[0]["id"], 404)
        raw = raw_http(self.server.port, b"GET /api/v1/services?search=%zz HTTP/1.1\r\n"
                       b"Host: x\r\nConnection: close\r\n\r\n")
        self.assertEqual(status_of(raw), 400)
        self.assertIn(b"application/json", raw)

    # -- privacy -------------------------------------------------------------------------

    def test_no_client_data_in_any_answer(self):
        cw = Client(self.server)
        cw.sign_in(CASE_WORKER)
        marker = "Zyxwvutsrq"
        r, fields = make_referral(cw, first_name=marker, last_name=marker + "son",
                                  access_needs="Marker access " + marker,
                                  group_notes="Marker notes " + marker)
        self.assertEqual(r.status, 303, r.text[:1000])
        reference_from_location(r.location)
        client_id = self.server.scalar("SELECT id FROM client WHERE first_name = ?", (marker,))
        self.assertIsNotNone(client_id)
        # The client referred to a listed service, as a one-click referral records it.
        target = self.public[0]
        row = self.server.sql(
            "SELECT r.order_id, r.authority_id, r.case_worker_id FROM referral r "
            "WHERE r.client_id = ?", (client_id,))[0]
        self.server.sql(
            "INSERT INTO directory_referral(reference, client_id, order_id, authority_id, "
            "service_id, organization_id, referred_by, form_token, created_at) "
            "VALUES ('D-TEST-0001', ?, ?, ?, ?, ?, ?, 'oruk-privacy-token', 1700000000)",
            (client_id, row["order_id"], row["authority_id"], target["id"],
             target["organization"]["id"], row["case_worker_id"]))
        secrets = [marker, fields["email"], fields["case_reference"], fields["order_reference"],
                   "1989-03-23", "23/03/1989", "D-TEST-0001"]
        bodies = []
        for path in ["/", "/taxonomies?per_page=100", "/taxonomy_terms?per_page=100",
                     "/organizations?per_page=100", "/services?per_page=100",
                     "/services?per_page=100&search=" + marker,
                     "/service_at_locations?per_page=100",
                     "/service_at_locations?per_page=100&postcode=G11XQ"]:
            _, r = self.api.get(path)
            bodies.append(r.text)
        for s in self.public:
            bodies.append(self.api.get("/services/" + s["id"])[1].text)
        for oid in self.feed.organizations:
            bodies.append(self.api.get("/organizations/" + oid)[1].text)
        for body in bodies:
            for secret in secrets:
                self.assertNotIn(secret.lower(), body.lower())
        # Sanity: the marker is in the database, so its absence above means something.
        self.assertEqual(self.server.scalar("SELECT count(*) FROM directory_referral WHERE "
                                            "client_id = ?", (client_id,)), 1)


class DemoDirectoryApiTests(ServerTestCase):
    """The listings Cairn's own pages make (the demo's directory, as organisation users and
    coordinators keep it), not imported ones: every answer valid ORUK too."""

    def setUp(self):
        self.schemas = Schemas()
        self.api = Api(self.server, self)

    def test_demo_directory_validates(self):
        approved = {r[0] for r in self.server.sql(
            "SELECT id FROM service WHERE moderation = 'approved'")}
        self.assertTrue(approved, "the demo data has approved listings")
        items, total = self.api.all_pages("/services")
        self.assertEqual({i["id"] for i in items}, approved)
        doc, _ = self.api.get("/services?per_page=100")
        self.schemas.validate("services", doc)
        for sid in approved:
            one, _ = self.api.get("/services/" + sid)
            self.schemas.validate("service", one)
        doc, _ = self.api.get("/service_at_locations?per_page=100")
        self.schemas.validate("service_at_locations", doc)
        doc, _ = self.api.get("/organizations?per_page=100")
        self.schemas.validate("organizations", doc)
        for org in doc["contents"]:
            one, _ = self.api.get("/organizations/" + org["id"])
            self.schemas.validate("organization", one)
        pending = [r[0] for r in self.server.sql(
            "SELECT id FROM service WHERE moderation <> 'approved'")]
        for sid in pending:
            self.api.error("/services/" + sid, 404)


if __name__ == "__main__":
    unittest.main()
