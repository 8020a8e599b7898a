"""The directory's search page: each filter and combinations, distances checked against
haversine computed here, relevance, paging, and bad input (hostile text, postcodes,
distances, taxonomy ids) answered with a clear message and no change."""

import re
import unittest
import urllib.parse
import uuid

from tests.integration.directory_support import (COURSE, EMPLOYABILITY, G1, GARDENING, HOUSING,
                                                 ONE_TO_ONE, ORGANISATION, PLACEMENT_TYPE,
                                                 VOLUNTEERING, CATERING, add_org, add_service,
                                                 haversine_m, miles, results, search,
                                                 service_place, total)
from tests.integration.harness import (ADMIN, CASE_WORKER, COORDINATOR, FACILITATOR, LEAD,
                                       ServerTestCase)
from tests.integration.sessions_support import staff


class DirectorySearch(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        s = cls.server
        cls.cw = staff(s, CASE_WORKER)
        org = add_org(s, "Search Test Trust")
        # Around G1 1XQ at known distances, north of it by steps of about 0.9 miles.
        cls.ring = []
        for i in range(6):
            lat = G1[0] + 0.013 * (i + 1)
            sid = add_service(s, org, "Ringtest service %d" % i, lat, G1[1] + 0.004 * i,
                              description="Ringtest: a carpentry course.",
                              terms=(COURSE, EMPLOYABILITY) if i % 2 else (ONE_TO_ONE, HOUSING),
                              counts=1 if i < 3 else 0,
                              placement=("Joinery", 2, [GARDENING], "approved") if i == 4 else None)
            cls.ring.append(sid)
        # Relevance: the word in the name ranks above the word only in the description.
        cls.named = add_service(s, org, "Woodturning studio", G1[0], G1[1],
                                description="Make bowls on a lathe.")
        cls.mentioned = add_service(s, org, "Community shed", G1[0], G1[1],
                                    description="Tools, tea, and sometimes woodturning.")
        cls.pending = add_service(s, org, "Woodturning pending listing", G1[0], G1[1],
                                  moderation="pending")
        cls.retired = add_service(s, org, "Woodturning retired listing", G1[0], G1[1],
                                  moderation="retired")
        # Far away: Aberdeen.
        cls.far = add_service(s, org, "Ringtest far away", 57.1437, -2.0981,
                              description="Ringtest carpentry in Aberdeen.")
        # 45 services for paging.
        for i in range(45):
            add_service(s, org, "Pagingtest %02d" % i, G1[0] + 0.001 * i, G1[1],
                        description="Pagingtest listing.")

    def names(self, r):
        return [n for _, n, _, _ in results(r.text)]

    def test_text_finds_stems_and_prefixes(self):
        r = search(self.cw, q="carpentry")
        self.assertEqual(r.status, 200)
        self.assertEqual(total(r.text), 7)
        # "employ" finds "Employability" (a category term), prefix and Porter stem.
        r = search(self.cw, q="employ", postcode="G1 1XQ", miles="25")
        self.assertIn("CV and job search course", self.names(r))
        # "cooks" and "cooking" find the community kitchen's "Cook and ... cooking".
        for word in ("cooks", "cooking", "COOK"):
            self.assertIn("Community kitchen volunteering", self.names(search(self.cw, q=word)), word)

    def test_relevance_name_before_description(self):
        r = search(self.cw, q="woodturning")
        names = self.names(r)
        self.assertEqual(names[:2], ["Woodturning studio", "Community shed"])
        # Listings not approved are never found.
        self.assertNotIn("Woodturning pending listing", names)
        self.assertNotIn("Woodturning retired listing", names)
        self.assertEqual(total(r.text), 2)
        # Near a postcode: nearest first by default; best matches first when asked.
        r = search(self.cw, q="woodturning", postcode="G1 1XQ", miles="1")
        self.assertIn("Nearest first", r.text)
        m = re.search(r'href="([^"]*)">Show the best matches first', r.text)
        r = self.cw.get(m.group(1).replace("&amp;", "&"))
        self.assertIn("sort=relevance", m.group(1))
        self.assertEqual(self.names(r)[:2], ["Woodturning studio", "Community shed"])
        self.assertIn("Best matches first", r.text)

    def test_distance_ordering_against_haversine(self):
        r = search(self.cw, postcode="G1 1XQ", miles="25", sort="distance")
        self.assertEqual(r.status, 200)
        got = results(r.text)
        self.assertEqual(len(got), 20)
        distances = []
        for sid, name, _, shown in got:
            d = haversine_m(G1, service_place(self.server, sid))
            self.assertLessEqual(miles(d), 25)
            # Shown to a tenth of a mile below 10 miles, whole miles above.
            value = float(shown.split()[0])
            self.assertAlmostEqual(value, round(miles(d), 1) if miles(d) < 9.95 else round(miles(d)),
                                   delta=0.051, msg=name)
            distances.append(d)
        self.assertEqual(distances, sorted(distances))
        # Everything within 25 miles of G1 1XQ, counted apart from Cairn.
        rows = self.server.sql("SELECT s.id, l.latitude, l.longitude FROM service s "
                               "JOIN service_at_location sal ON sal.service_id = s.id "
                               "JOIN location l ON l.id = sal.location_id WHERE s.moderation = 'approved'")
        within = {row["id"] for row in rows
                  if haversine_m(G1, (row["latitude"], row["longitude"])) <= 25 * 1609.344}
        self.assertEqual(total(r.text), len(within))
        self.assertNotIn(self.far, within)

    def test_ring_distances_and_radius(self):
        # The ring's services are 0.9 to 5.4 miles north; 1 mile holds the first only
        # (and what sits at G1 1XQ itself).
        expected = {}
        for sid in self.ring:
            expected[sid] = haversine_m(G1, service_place(self.server, sid))
        for radius in (1, 5):
            r = search(self.cw, q="ringtest", postcode="g11xq", miles=str(radius))
            self.assertEqual(r.status, 200)
            ids = [sid for sid, _, _, _ in results(r.text)]
            want = [sid for sid in self.ring if expected[sid] <= radius * 1609.344]
            self.assertEqual(sorted(ids), sorted(want), radius)
            self.assertNotIn(self.far, ids)

    def test_each_filter(self):
        q = {"q": "ringtest", "postcode": "G1 1XQ", "miles": "25"}
        cases = [
            ({"type": COURSE}, {1, 3, 5}),
            ({"category": HOUSING}, {0, 2, 4}),
            ({"other_activity": "yes"}, {0, 1, 2}),
            ({"placements": "yes"}, {4}),
            ({"skill": GARDENING}, {4}),
            ({"skill": CATERING}, set()),
            ({"type": COURSE, "other_activity": "yes"}, {1}),
            ({"category": HOUSING, "placements": "yes", "skill": GARDENING}, {4}),
            ({"type": ONE_TO_ONE, "category": EMPLOYABILITY}, set()),
        ]
        for extra, want in cases:
            r = search(self.cw, **dict(q, **extra))
            self.assertEqual(r.status, 200, extra)
            ids = {sid for sid, _, _, _ in results(r.text)}
            self.assertEqual(ids, {self.ring[i] for i in want}, extra)
            # The filters stay in the form, so the page can be bookmarked and shared.
            for k, v in extra.items():
                self.assertTrue(re.search(r'value="%s"[^>]*(selected|checked)' % re.escape(v), r.text), (k, v))

    def test_filters_without_text_or_place(self):
        r = search(self.cw, type=PLACEMENT_TYPE)
        names = self.names(r)
        self.assertIn("Community garden placements", names)
        self.assertNotIn("Tenancy support", names)
        r = search(self.cw, placements="yes", skill=CATERING)
        self.assertEqual(self.names(r), ["Community kitchen volunteering"])
        r = search(self.cw, category=VOLUNTEERING, postcode="KY1 1XX", miles="10")
        self.assertEqual(self.names(r), ["Community garden placements"])

    def test_paging(self):
        seen = []
        first = search(self.cw, q="pagingtest")
        self.assertEqual(total(first.text), 45)
        for page in (1, 2, 3):
            r = search(self.cw, q="pagingtest", page=str(page))
            names = self.names(r)
            self.assertEqual(len(names), 20 if page < 3 else 5)
            self.assertIn("Page %d of 3" % page, r.text)
            seen += names
        self.assertEqual(sorted(seen), ["Pagingtest %02d" % i for i in range(45)])
        # The links keep the search.
        m = re.search(r'href="([^"]*)" rel="next"', first.text)
        self.assertIn("q=pagingtest", m.group(1).replace("&amp;", "&"))
        self.assertIn("page=2", m.group(1))
        # Past the end: no results, and the count still right.
        r = search(self.cw, q="pagingtest", page="9")
        self.assertEqual(r.status, 200)
        self.assertEqual(self.names(r), [])
        self.assertEqual(total(r.text), 45)
        # Nearest first pages too, in order across pages.
        d1 = [float(d.split()[0]) for _, _, _, d in results(search(self.cw, q="pagingtest", postcode="G1 1XQ", miles="5", sort="distance").text)]
        d2 = [float(d.split()[0]) for _, _, _, d in results(search(self.cw, q="pagingtest", postcode="G1 1XQ", miles="5", sort="distance", page="2").text)]
        self.assertEqual(d1 + d2, sorted(d1 + d2))

    def test_hostile_text(self):
        before = self.server.scalar("SELECT count(*) FROM service")
        hostile = ['"', "'", '"unclosed', "*", "NEAR(a b)", "a AND OR NOT b", "^woodturning",
                   "name:woodturning", "(woodturning", "woodturning)", "- + : ^ *",
                   "'; DROP TABLE service; --", "\" OR 1=1 --", "<script>alert(1)</script>",
                   "woodturning\"*", "🙂 emoji", "\\", "%00", "{{title}}"]
        for text in hostile:
            r = search(self.cw, q=text)
            self.assertEqual(r.status, 200, text)
            self.assertNotIn("<script>alert", r.text)
        r = search(self.cw, q='"woodturning" * ^ (')
        self.assertIn("Woodturning studio", self.names(r))
        # 10 KB of text: searched on its first 200 characters, and said so.
        r = search(self.cw, q=("woodturning " * 900)[:10240])
        self.assertEqual(r.status, 200)
        self.assertIn("Only the first 200 characters", r.text)
        self.assertIn("Woodturning studio", self.names(r))
        self.assertEqual(self.server.scalar("SELECT count(*) FROM service"), before)
        self.assertEqual(self.server.scalar("SELECT count(*) FROM service_fts"), before)

    def test_bad_postcodes(self):
        for pc, message in (("ZZ", "Enter a full UK postcode, like G1 1XQ"),
                            ("G1 1XQ'; --", "Enter a full UK postcode, like G1 1XQ"),
                            ("12345", "Enter a full UK postcode, like G1 1XQ"),
                            ("G99 9ZZ", "We do not know the postcode G99 9ZZ"),
                            ("ky99 9zz", "We do not know the postcode KY99 9ZZ")):
            r = search(self.cw, q="woodturning", postcode=pc, miles="5")
            self.assertEqual(r.status, 400, pc)
            self.assertIn(message, r.text)
            self.assertEqual(r.page.summary[0][0], "postcode")
            self.assertEqual(results(r.text), [])

    def test_distances_out_of_range(self):
        for d in ("2", "0", "-5", "100", "25.0", "abc", "1e3", "10 miles"):
            r = search(self.cw, postcode="G1 1XQ", miles=d)
            self.assertEqual(r.status, 400, d)
            self.assertIn("Choose a distance of 1, 5, 10 or 25 miles", r.text)
            self.assertEqual(results(r.text), [])

    def test_unknown_taxonomy_ids(self):
        for field, value in (("type", str(uuid.uuid4())), ("type", "not-a-uuid"),
                             ("type", "' OR 1=1 --"), ("category", COURSE),  # a type, not a category
                             ("skill", HOUSING), ("category", str(uuid.uuid4()).upper())):
            r = search(self.cw, **{field: value})
            self.assertEqual(r.status, 400, (field, value))
            self.assertEqual(r.page.summary[0][0], field)
            self.assertIn("from the list", r.text)

    def test_who_may_search(self):
        for email in (COORDINATOR, ADMIN):
            self.assertEqual(search(staff(self.server, email), q="woodturning").status, 200, email)
        for email in (FACILITATOR, LEAD, ORGANISATION):
            r = search(staff(self.server, email), q="woodturning")
            self.assertEqual(r.status, 404, email)
        # A pending listing's page: coordinators only.
        self.assertEqual(self.cw.get("/directory/services/%s" % self.pending).status, 404)
        self.assertEqual(staff(self.server, COORDINATOR).get("/directory/services/%s" % self.pending).status, 200)
        self.assertEqual(self.cw.get("/directory/services/%s" % self.named).status, 200)
        self.assertEqual(self.cw.get("/directory/services/not-a-uuid").status, 404)


if __name__ == "__main__":
    unittest.main()
