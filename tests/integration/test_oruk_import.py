"""`cairn import oruk`: a saved Open Referral UK feed round-trips through the API; importing
twice duplicates nothing; a changed record is updated; a malformed file gets one line naming
the element at fault and imports nothing; a failure part-way leaves nothing half-imported."""

import copy
import os
import shutil
import tempfile
import unittest

from tests.integration.harness import ServerTestCase, assert_no_sanitizer_report, run_cli
from tests.integration.oruk_support import (EMPLOYABILITY, HOUSING, IMPORTED_TAXONOMY, Api,
                                            Feed, Schemas, import_feed, standard_feed)

# Every table an import writes to.
TABLES = ("organization", "service", "location", "address", "service_at_location", "contact",
          "schedule", "taxonomy", "taxonomy_term", "service_taxonomy", "oruk_import")

# What the API adds to what a feed says (derived, or Cairn's own: a term with no taxonomy
# is filed under "Imported terms").
ADDED = {"last_modified", "taxonomy", "taxonomy_id", "location_id", "service_areas",
         "languages", "funding", "cost_options"}


class OrukImportTests(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.schemas = Schemas()

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cairn-it-oruk-import-")
        self.api = Api(self.server, self)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def counts(self):
        return {t: self.server.scalar("SELECT count(*) FROM %s" % t) for t in TABLES}

    def assert_holds(self, expected, actual, where="service"):
        """Everything the feed said is in the API's answer, equal; lists match by id."""
        if isinstance(expected, dict):
            self.assertIsInstance(actual, dict, where)
            for k, v in expected.items():
                self.assertIn(k, actual, "%s.%s missing from the API" % (where, k))
                self.assert_holds(v, actual[k], "%s.%s" % (where, k))
            for k in set(actual) - set(expected):
                self.assertIn(k, ADDED, "%s.%s: the API added it" % (where, k))
        elif isinstance(expected, list):
            self.assertIsInstance(actual, list, where)
            self.assertEqual(len(expected), len(actual), where)
            key = (lambda x: x["id"]) if expected and isinstance(expected[0], dict) else None
            for i, (e, a) in enumerate(zip(sorted(expected, key=key), sorted(actual, key=key))):
                self.assert_holds(e, a, "%s[%d]" % (where, i))
        elif isinstance(expected, float) or isinstance(actual, float):
            self.assertAlmostEqual(expected, actual, places=9, msg=where)
        else:
            self.assertEqual(expected, actual, where)

    def round_trip(self, feed):
        for s in feed.services:
            doc, _ = self.api.get("/services/" + s["id"].lower())
            self.schemas.validate("service", doc)
            self.assert_holds(s, doc, "service %s" % s["name"])

    # -- round trip ----------------------------------------------------------------------

    def test_round_trip_array_of_full_services(self):
        feed = standard_feed(seed=101)
        s = feed.services[0]
        # Terms the directory does not hold yet: one in a new taxonomy, one with none, and
        # a child listed before its parent.
        parent = {"id": feed.uuid(), "name": "Outdoor work", "description": "Work outside.",
                  "taxonomy_id": feed.uuid(), "taxonomy": "Partner taxonomy", "term": "outdoor"}
        child = {"id": feed.uuid(), "name": "Tree planting", "description": "Planting trees.",
                 "taxonomy_id": parent["taxonomy_id"], "taxonomy": "Partner taxonomy",
                 "parent_id": parent["id"]}
        loose = {"id": feed.uuid(), "name": "Loose term", "description": ""}
        for t in (child, parent, loose):
            s["attributes"].append({"id": feed.uuid(), "link_id": s["id"],
                                    "link_type": "service", "taxonomy_term_id": t["id"],
                                    "taxonomy_term": t})
        s.update(email="placements@greenhands.example.org", fees="Free",
                 accreditations="Investing in Volunteers", assured_date="2026-01-31",
                 assurer_email="checker@example.org", maximum_age=99)
        # An organisation appears in each of its services: the last appearance counts, so
        # each carries the same details.
        for other in feed.services:
            if other["organization"]["id"] == s["organization"]["id"]:
                other["organization"].update(logo="https://greenhands.example.org/logo.png",
                                             uri="https://greenhands.example.org/about")
        r = import_feed(self.server, feed.write(self.path("feed.json")))
        self.assertIn("8 services added (approved), 0 updated, 0 unchanged", r.stdout)
        self.round_trip(feed)
        terms = {t["id"]: t for t in self.api.all_pages("/taxonomy_terms")[0]}
        self.assertEqual(terms[child["id"]]["parent_id"], parent["id"])
        self.assertEqual(terms[loose["id"]]["taxonomy_id"], IMPORTED_TAXONOMY)
        taxonomies = {t["id"]: t for t in self.api.all_pages("/taxonomies")[0]}
        self.assertEqual(taxonomies[parent["taxonomy_id"]]["name"], "Partner taxonomy")
        # The imported services are found by the API's filters too.
        items, _ = self.api.all_pages("/services?taxonomy_term_id=" + child["id"])
        self.assertEqual([i["id"] for i in items], [s["id"]])

    def test_round_trip_service_list_page_with_upper_case_ids(self):
        feed = standard_feed(seed=102)
        path = self.path("page.json")
        feed.write(path, envelope=True)
        with open(path) as f:
            text = f.read()
        first = feed.services[0]["id"]
        with open(path, "w") as f:
            f.write(text.replace(first, first.upper()))
        r = import_feed(self.server, path)
        self.assertIn("8 services added", r.stdout)
        self.round_trip(feed)
        self.assertEqual(self.server.scalar("SELECT count(*) FROM service WHERE id = ?",
                                            (first,)), 1)

    # -- idempotence and updates ---------------------------------------------------------

    def test_importing_twice_duplicates_nothing_and_changes_are_updated(self):
        feed = standard_feed(seed=103)
        path = feed.write(self.path("feed.json"))
        import_feed(self.server, path)
        before = self.counts()
        modified = self.server.sql("SELECT id, last_modified FROM service")
        r = import_feed(self.server, path)
        self.assertIn("0 services added (approved), 0 updated, 8 unchanged", r.stdout)
        self.assertEqual(self.counts(), before)
        self.assertEqual(self.server.sql("SELECT id, last_modified FROM service"), modified)
        # The same services as a page: the same records, nothing new.
        r = import_feed(self.server, feed.write(self.path("page.json"), envelope=True))
        self.assertIn("0 services added", r.stdout)
        self.assertEqual(self.counts(), before)

        changed = copy.deepcopy(feed)
        s = changed.services[2]           # Job club: two places, a contact
        s["name"] = "Job club (evenings)"
        s["contacts"] = []
        s["service_at_locations"] = s["service_at_locations"][:1]
        s["service_at_locations"][0]["location"]["latitude"] = 55.8700
        s["attributes"] = [{"id": changed.uuid(), "link_id": s["id"], "link_type": "service",
                            "taxonomy_term_id": HOUSING, "taxonomy_term": changed.term(HOUSING)}]
        # The organisation is renamed wherever it appears: its three services change.
        for other in changed.services:
            if other["organization"]["id"] == s["organization"]["id"]:
                other["organization"]["name"] = "Workwise Scotland Ltd"
        r = import_feed(self.server, changed.write(self.path("changed.json")))
        self.assertIn("0 services added (approved), 3 updated, 5 unchanged", r.stdout)
        self.round_trip(changed)
        after = self.counts()
        self.assertEqual(after["service"], before["service"])
        self.assertEqual(after["contact"], before["contact"] - 1)
        self.assertEqual(after["service_at_location"], before["service_at_location"] - 1)
        self.assertEqual(after["organization"], before["organization"])
        doc, _ = self.api.get("/organizations/" + s["organization"]["id"])
        self.assertEqual(doc["name"], "Workwise Scotland Ltd")
        self.assertEqual(len(doc["services"]), 3)
        # Search sees the new name and term.
        items, _ = self.api.all_pages("/services?search=evenings")
        self.assertEqual([i["id"] for i in items], [s["id"]])
        items, _ = self.api.all_pages("/services?taxonomy_term_id=" + EMPLOYABILITY +
                                      "&organization_id=" + s["organization"]["id"])
        self.assertNotIn(s["id"], {i["id"] for i in items})

    def test_moderation(self):
        feed = standard_feed(seed=104)
        r = import_feed(self.server, feed.write(self.path("feed.json")), "--pending")
        self.assertIn("8 services added (pending approval)", r.stdout)
        for s in feed.services:
            self.api.error("/services/" + s["id"], 404)
        # A coordinator approves one and retires another (as the moderation page does).
        a, b = feed.services[0]["id"], feed.services[1]["id"]
        self.server.sql("UPDATE service SET moderation = 'approved' WHERE id = ?", (a,))
        self.api.get("/services/" + a)
        self.server.sql("UPDATE service SET moderation = 'retired' WHERE id = ?", (b,))
        # A changed file does not bring the retired one back, nor approve the others.
        changed = copy.deepcopy(feed)
        for s in changed.services:
            s["description"] += " Updated."
        r = import_feed(self.server, changed.write(self.path("changed.json")))
        self.assertIn("0 services added (approved), 8 updated", r.stdout)
        self.api.error("/services/" + b, 404)
        self.api.error("/services/" + feed.services[2]["id"], 404)
        doc, _ = self.api.get("/services/" + a)
        self.assertTrue(doc["description"].endswith("Updated."))

    # -- bad files -----------------------------------------------------------------------

    def assert_refused(self, path, *contains):
        before = self.counts()
        r = run_cli("import", "oruk", "--db", self.server.db, path)
        assert_no_sanitizer_report(r.stderr, "cairn import oruk")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        lines = r.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertTrue(lines[0].startswith("cairn import oruk: "), lines[0])
        self.assertIn("nothing was imported", lines[0])
        for c in contains:
            self.assertIn(c, lines[0])
        self.assertEqual(self.counts(), before, "a refused file changed the database")
        return lines[0]

    def write_text(self, name, text):
        with open(self.path(name), "w") as f:
            f.write(text)
        return self.path(name)

    def test_malformed_files_name_the_element_and_import_nothing(self):
        base = standard_feed(seed=105)

        def mutated(name, change, envelope=False):
            f = copy.deepcopy(base)
            change(f.services)
            return f.write(self.path(name), envelope=envelope)

        def setter(i, *keys_value):
            *keys, value = keys_value

            def change(services):
                node = services[i]
                for k in keys[:-1]:
                    node = node[k]
                if value is KeyError:
                    del node[keys[-1]]
                else:
                    node[keys[-1]] = value
            return change

        loc = ("service_at_locations", 0, "location")
        cases = [
            (setter(3, "organization", "id", "nope"), True,
             "contents[3].organization.id: not a UUID"),
            (setter(0, "name", KeyError), False, "[0].name: missing"),
            (setter(0, "name", ""), False, "[0].name: empty"),
            (setter(0, "name", 42), False, "[0].name: not a string"),
            (setter(0, "name", "x" * 501), False, "[0].name: longer than 500"),
            (setter(1, "status", "open"), False, "[1].status: not one of"),
            (setter(2, "email", "not-an-email"), False, "[2].email: not an email address"),
            (setter(0, "url", "javascript:alert(1)"), False, "[0].url: not an http or https"),
            (setter(0, *loc, "latitude", 123.0), False,
             "[0].service_at_locations[0].location.latitude: out of range"),
            (setter(0, *loc, "longitude", KeyError), False,
             "[0].service_at_locations[0].location.longitude: missing"),
            (setter(0, *loc, "addresses", 0, "postal_code", KeyError), False,
             "[0].service_at_locations[0].location.addresses[0].postal_code: missing"),
            (setter(4, "organization", KeyError), False, "[4].organization: missing"),
            (setter(4, "organization_id", base.uuid()), False,
             "[4].organization_id: not the id of its organization"),
            (setter(2, "minimum_age", 16.5), False, "[2].minimum_age: not a whole number"),
            (setter(0, "name", "Nul\u0000byte"), False, "not JSON: line"),
            (setter(0, "name", "Bell\u0007"), False, "[0].name: contains control characters"),
            (setter(0, "contacts", "Ann"), False, "[0].contacts: not an array"),
            (setter(0, "schedules", 0, "service_at_location_id", base.uuid()), False,
             "[0].schedules[0].service_at_location_id: not one of this service's"),
            (setter(0, "attributes", 0, "taxonomy_term", "id", "x"), False,
             "[0].attributes[0].taxonomy_term.id: not a UUID"),
            (lambda services: services.__setitem__(7, copy.deepcopy(services[0])), False,
             "[7].id: the same id as [0]"),
            # Only the last service is wrong: the seven before it are not imported either.
            (setter(7, "status", "closed"), False, "[7].status"),
        ]
        for i, (change, envelope, message) in enumerate(cases):
            with self.subTest(message=message):
                self.assert_refused(mutated("bad%d.json" % i, change, envelope), message)
        for name, text, message in [
                ("notjson.json", "{\"contents\": [", "not JSON: line 1"),
                ("number.json", "42", "not JSON"),
                ("string.json", "\"services\"", "not JSON"),
                ("object.json", "{\"items\": []}", "contents: missing"),
                ("contents.json", "{\"contents\": {}}", "contents: not an array"),
                ("item.json", "[1]", "[0]: not an object"),
                ("dupkeys.json", "[{\"id\": \"a\", \"id\": \"b\"}]", "not JSON"),
                ("utf8.json", "[{\"name\": \"\xff\"}]", "not JSON")]:
            if name == "utf8.json":
                with open(self.path(name), "wb") as f:
                    f.write(b"[{\"name\": \"\xff\"}]")
                path = self.path(name)
            else:
                path = self.write_text(name, text)
            with self.subTest(message=message):
                self.assert_refused(path, message)
        r = run_cli("import", "oruk", "--db", self.server.db, self.path("missing.json"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot open", r.stderr)

    def test_a_failure_part_way_leaves_nothing(self):
        feed = standard_feed(seed=106)
        feed.services[5]["contacts"] = [{"id": feed.uuid(), "name": "BOOM", "title": "x"}]
        path = feed.write(self.path("feed.json"))
        # The database refuses the sixth service's contact: the five before it, written in
        # the same transaction, are rolled back with it.
        self.server.sql("CREATE TRIGGER test_refuse BEFORE INSERT ON contact "
                        "WHEN new.name = 'BOOM' BEGIN SELECT RAISE(ABORT, 'refused'); END")
        try:
            line = self.assert_refused(path, feed.services[5]["id"], "refused")
        finally:
            self.server.sql("DROP TRIGGER test_refuse")
        self.assertIn("the database refused it", line)
        for s in feed.services:
            self.assertEqual(self.server.scalar("SELECT count(*) FROM service WHERE id = ?",
                                                (s["id"],)), 0)
        r = import_feed(self.server, path)
        self.assertIn("8 services added", r.stdout)

    def test_command_line(self):
        r = run_cli("import", "oruk", "--help")
        self.assertEqual(r.returncode, 0)
        for word in ("--db", "--pending", "contents", "one transaction", "approved"):
            self.assertIn(word, r.stdout)
        r = run_cli("--help")
        self.assertIn("import oruk", r.stdout)
        for args, message in [((), "--db PATH and FILE.json are required"),
                              (("--db", self.server.db), "required"),
                              (("--db", self.server.db, "--nope", "f.json"), "unknown option"),
                              (("--db", self.server.db, "a.json", "b.json"), "one FILE"),
                              (("--db",), "needs a value")]:
            r = run_cli("import", "oruk", *args)
            self.assertEqual(r.returncode, 2, args)
            self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
            self.assertIn(message, r.stderr)


if __name__ == "__main__":
    unittest.main()
