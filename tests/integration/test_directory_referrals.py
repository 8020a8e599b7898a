"""One-click referral to a directory service, the organisation's answer and confirmed
hours: tracked sent -> accepted/declined -> completed, credited to the order's hours
ledger exactly once (also under double submission), with only what the organisation needs
in its message; and who may see and do what."""

import concurrent.futures
import re
import unittest

from tests.integration.directory_support import (G1, ORGANISATION, add_org, add_org_user,
                                                 add_service, client_with_postcode, org_id_of,
                                                 refer, referral_id, results)
from tests.integration.harness import (CASE_WORKER, CASE_WORKER_FIFE, COORDINATOR, ServerTestCase)
from tests.integration.sessions_support import staff

BIKE_REPAIR = "Bike repair workshop"


def service_id(server, name):
    return server.scalar("SELECT id FROM service WHERE name = ?", (name,))


def directory_ledger(server, order_id):
    return server.sql("SELECT kind, minutes, counted_minutes, directory_referral_id, reason "
                      "FROM hours_ledger WHERE order_id = ? AND kind = 'directory'", (order_id,))


class DirectoryReferrals(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cw = staff(cls.server, CASE_WORKER)
        cls.org = staff(cls.server, ORGANISATION)
        cls.bike = service_id(cls.server, BIKE_REPAIR)

    def new_referral(self, service=None, case_worker=None):
        cw = case_worker or self.cw
        p = client_with_postcode(self.server, cw)
        r = refer(cw, p.client_id, service or self.bike)
        self.assertEqual(r.status, 303, r.text[:800])
        return p, referral_id(r)

    def test_find_near_client_and_refer_in_one_click(self):
        p = client_with_postcode(self.server, self.cw, "g31 2xt")
        page = self.cw.get("/clients/%d" % p.client_id)
        self.assertIn("G31 2XT", page.text)
        self.assertIn("Find a service near %s %s" % (p.first_name, p.last_name), page.text)
        r = self.cw.get("/directory?client=%d" % p.client_id)
        self.assertEqual(r.status, 200)
        self.assertIn("near G31 2XT", r.text)
        found = results(r.text)
        self.assertEqual(found[0][1], BIKE_REPAIR)    # the nearest to the east end
        self.assertEqual(len(re.findall(r'action="/directory/services/[0-9a-f-]{36}/refer"', r.text)), len(found))
        outbox_before = self.server.scalar("SELECT count(*) FROM outbox")
        r = refer(self.cw, p.client_id, self.bike, page=r)
        rid = referral_id(r)
        [row] = self.server.sql("SELECT * FROM directory_referral WHERE id = ?", (rid,))
        self.assertEqual(row["status"], "sent")
        self.assertEqual(row["client_id"], p.client_id)
        self.assertEqual(row["order_id"], p.order_id)
        self.assertRegex(row["reference"], r"^D-[0-9A-Z]{4}-[0-9A-Z]{4}$")
        # One message, to the organisation, with only what it needs.
        msgs = self.server.sql("SELECT * FROM outbox WHERE id > ? AND kind = 'directory_referral'",
                               (outbox_before,))
        self.assertEqual(len(msgs), 1)
        m = msgs[0]
        self.assertEqual(m["recipient"], "referrals@bikehub.example.org")
        body = m["body"]
        for needed in (p.first_name, p.last_name, row["reference"], BIKE_REPAIR, p.email):
            self.assertIn(needed, body)
        f = p.fields
        for secret in (f["order_reference"], f["date_of_birth"], f["access_needs"], f["group_notes"],
                       "court", "offence", "order"):
            if secret:
                self.assertNotIn(secret, body)
        # The referral's page and the client's page show it.
        page = self.cw.get(r.location)
        self.assertEqual(page.status, 200)
        self.assertIn("Sent", page.text)
        self.assertIn(row["reference"], self.cw.get("/clients/%d" % p.client_id).text)

    def test_double_click_makes_one_referral(self):
        p = client_with_postcode(self.server, self.cw)
        page = self.cw.get("/directory?client=%d" % p.client_id)
        action = "/directory/services/%s/refer" % self.bike
        fields = dict(page.page.form_hidden(action))
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda _: self.cw.post(action, fields), range(4)))
        self.assertEqual({a.status for a in answers}, {303})
        self.assertEqual(len({a.location for a in answers}), 1)
        self.assertEqual(self.server.scalar("SELECT count(*) FROM directory_referral WHERE client_id = ?",
                                            (p.client_id,)), 1)
        # A second referral to the same service while this one is open: refused.
        r = refer(self.cw, p.client_id, self.bike)
        self.assertEqual(r.status, 409)
        self.assertIn("already has a referral", r.text)
        self.assertEqual(self.server.scalar("SELECT count(*) FROM directory_referral WHERE client_id = ?",
                                            (p.client_id,)), 1)

    def test_accept_confirm_hours_credit_ledger_once(self):
        p, rid = self.new_referral()
        home = self.org.get("/organisation")
        self.assertIn(p.first_name, home.text)
        page = self.org.get("/directory/referrals/%d" % rid)
        self.assertEqual(page.status, 200)
        action = "/organisation/referrals/%d/answer" % rid
        r = self.org.post_form(action, {"decision": "accept"}, page=page)
        self.assertEqual(r.status, 303)
        self.assertEqual(self.server.scalar("SELECT status FROM directory_referral WHERE id = ?", (rid,)), "accepted")
        self.assertEqual(self.server.scalar("SELECT count(*) FROM outbox WHERE kind = 'directory_referral_answer' "
                                            "AND recipient = ? AND subject LIKE '%accepted'", (CASE_WORKER,)) >= 1, True)
        # Accepting again changes nothing.
        r = self.org.post_form(action, {"decision": "accept"}, page=page)
        self.assertEqual(r.status, 303)
        self.assertEqual(self.server.scalar("SELECT count(*) FROM directory_referral_event WHERE "
                                            "directory_referral_id = ? AND status = 'accepted'", (rid,)), 1)
        # Hours: bad input changes nothing.
        hours = "/organisation/referrals/%d/hours" % rid
        page = self.org.get("/directory/referrals/%d" % rid)
        for bad in ("", "abc", "-1", "301", "2.555", "1e2", "6 hours", "' OR 1=1"):
            r = self.org.post_form(hours, {"hours": bad}, page=page)
            self.assertEqual(r.status, 400, bad)
            self.assertIn("Enter the hours done as a number from 0 to 300", r.text)
        self.assertEqual(directory_ledger(self.server, p.order_id), [])
        # Confirmed twice at once (a double-clicked button): one ledger entry.
        fields = dict(page.page.form_hidden(hours), hours="6.5")
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda _: self.org.post(hours, fields), range(4)))
        self.assertEqual({a.status for a in answers}, {303})
        entries = directory_ledger(self.server, p.order_id)
        self.assertEqual(len(entries), 1)
        self.assertEqual(entries[0]["minutes"], 390)
        self.assertEqual(entries[0]["counted_minutes"], 390)
        self.assertEqual(entries[0]["directory_referral_id"], rid)
        self.assertIn(BIKE_REPAIR, entries[0]["reason"])
        self.assertEqual(self.server.scalar("SELECT status FROM directory_referral WHERE id = ?", (rid,)), "completed")
        # And again later: still one.
        r = self.org.post(hours, dict(fields, hours="8"))
        self.assertEqual(r.status, 303)
        self.assertEqual(len(directory_ledger(self.server, p.order_id)), 1)
        # The case worker sees the hours on the client's page.
        client_page = self.cw.get("/clients/%d" % p.client_id).text
        self.assertIn("6 hours 30 minutes", client_page)
        self.assertIn("Completed", client_page)

    def test_hours_over_the_order_are_not_counted(self):
        p, rid = self.new_referral()
        page = self.org.get("/directory/referrals/%d" % rid)
        self.org.post_form("/organisation/referrals/%d/answer" % rid, {"decision": "accept"}, page=page)
        page = self.org.get("/directory/referrals/%d" % rid)
        r = self.org.post_form("/organisation/referrals/%d/hours" % rid, {"hours": "300"}, page=page)
        self.assertEqual(r.status, 303)
        [e] = directory_ledger(self.server, p.order_id)
        self.assertEqual(e["minutes"], 300 * 60)
        self.assertEqual(e["counted_minutes"], p.activity_minutes)

    def test_decline_then_no_hours(self):
        p, rid = self.new_referral()
        page = self.org.get("/directory/referrals/%d" % rid)
        r = self.org.post_form("/organisation/referrals/%d/answer" % rid,
                               {"decision": "decline", "reason": "No places until spring"}, page=page)
        self.assertEqual(r.status, 303)
        [row] = self.server.sql("SELECT status, decline_reason FROM directory_referral WHERE id = ?", (rid,))
        self.assertEqual((row["status"], row["decline_reason"]), ("declined", "No places until spring"))
        r = self.org.post_form("/organisation/referrals/%d/hours" % rid, {"hours": "3"}, page=page)
        self.assertEqual(r.status, 409)
        r = self.org.post_form("/organisation/referrals/%d/answer" % rid, {"decision": "accept"}, page=page)
        self.assertEqual(r.status, 409)
        self.assertEqual(directory_ledger(self.server, p.order_id), [])
        # Declined: the client may be referred again.
        self.assertEqual(refer(self.cw, p.client_id, self.bike).status, 303)

    def test_service_that_does_not_count_credits_nothing(self):
        org_id = add_org(self.server, "No Count Org", "nocount@example.org")
        sid = add_service(self.server, org_id, "Drop-in chat", G1[0] + 0.02, G1[1], counts=0)
        other = add_org_user(self.server, "nocount.user@example.org", org_id)
        p, rid = self.new_referral(service=sid)
        page = other.get("/directory/referrals/%d" % rid)
        self.assertEqual(page.status, 200)
        other.post_form("/organisation/referrals/%d/answer" % rid, {"decision": "accept"}, page=page)
        page = other.get("/directory/referrals/%d" % rid)
        r = other.post_form("/organisation/referrals/%d/hours" % rid, {"hours": "4"}, page=page)
        self.assertEqual(r.status, 303)
        self.assertEqual(self.server.scalar("SELECT minutes_confirmed FROM directory_referral WHERE id = ?", (rid,)), 240)
        self.assertEqual(directory_ledger(self.server, p.order_id), [])

    def test_access(self):
        p, rid = self.new_referral()
        fife = staff(self.server, CASE_WORKER_FIFE)
        # A case worker of another authority: not the client, not the referral.
        self.assertEqual(fife.get("/directory?client=%d" % p.client_id).status, 404)
        self.assertEqual(fife.get("/directory/referrals/%d" % rid).status, 404)
        own_page = fife.get("/directory?q=bike")
        r = fife.post("/directory/services/%s/refer" % self.bike,
                      {"csrf_token": own_page.page.hidden["csrf_token"], "form_token": "x" * 43,
                       "client_id": str(p.client_id)})
        self.assertEqual(r.status, 404)
        r = fife.post("/clients/%d/postcode" % p.client_id,
                      {"csrf_token": own_page.page.hidden["csrf_token"], "postcode": "KY1 1XX"})
        self.assertEqual(r.status, 404)
        self.assertEqual(self.server.scalar("SELECT count(*) FROM directory_referral WHERE client_id = ?",
                                            (p.client_id,)), 1)
        # Another organisation's user sees neither the referral nor the person.
        other_org = add_org(self.server, "Other Org", "other@example.org")
        other = add_org_user(self.server, "other.user@example.org", other_org)
        self.assertEqual(other.get("/directory/referrals/%d" % rid).status, 404)
        self.assertNotIn(p.last_name, other.get("/organisation").text)
        page = other.get("/organisation")
        for path, fields in (("/organisation/referrals/%d/answer" % rid, {"decision": "accept"}),
                             ("/organisation/referrals/%d/hours" % rid, {"hours": "5"})):
            r = other.post(path, dict(fields, csrf_token=page.page.hidden["csrf_token"]))
            self.assertEqual(r.status, 404, path)
        self.assertEqual(self.server.scalar("SELECT status FROM directory_referral WHERE id = ?", (rid,)), "sent")
        # Organisation users see no client pages and no search.
        self.assertEqual(self.org.get("/clients/%d" % p.client_id).status, 404)
        self.assertEqual(self.org.get("/directory?q=bike").status, 404)
        # Coordinators may follow any referral.
        self.assertEqual(staff(self.server, COORDINATOR).get("/directory/referrals/%d" % rid).status, 200)
        # Reads of the person are audited.
        self.assertGreaterEqual(self.server.scalar(
            "SELECT count(*) FROM audit WHERE action = 'view_directory_referral' AND subject_id = ?",
            (p.client_id,)), 1)

    def test_listing_changes_wait_for_approval(self):
        org_id = org_id_of(self.server, ORGANISATION)
        sid = self.server.scalar("SELECT id FROM service WHERE organization_id = ? ORDER BY n LIMIT 1", (org_id,))
        page = self.org.get("/organisation/services/%s" % sid)
        self.assertEqual(page.status, 200)
        fields = {"name": "Bike repair and recycling workshop",
                  "description": "Repair donated bikes; learn mechanics.",
                  "counts": "yes", "typical_hours": "6", "address_1": "12 London Road",
                  "city": "Glasgow", "postcode": "G40 1AT",
                  "type": "889a1667-5183-41b0-8c8a-d58c90b66571"}
        # Bad input first: an unknown postcode and a term from the wrong list.
        r = self.org.post_form("/organisation/services/%s" % sid, dict(fields, postcode="G99 9ZZ"), page=page)
        self.assertEqual(r.status, 400)
        self.assertIn("We do not know the postcode G99 9ZZ", r.text)
        r = self.org.post_form("/organisation/services/%s" % sid, dict(fields, type="36207c14-5f05-4993-9fc3-943d576b5040"), page=page)
        self.assertEqual(r.status, 400)
        self.assertEqual(self.server.scalar("SELECT moderation FROM service WHERE id = ?", (sid,)), "approved")
        r = self.org.post_form("/organisation/services/%s" % sid, fields, page=page)
        self.assertEqual(r.status, 303)
        self.assertEqual(self.server.scalar("SELECT moderation FROM service WHERE id = ?", (sid,)), "pending")
        names = [n for _, n, _, _ in results(self.cw.get("/directory?q=bike").text)]
        self.assertNotIn("Bike repair and recycling workshop", names)
        coord = staff(self.server, COORDINATOR)
        page = coord.get("/directory/moderation")
        self.assertIn("Bike repair and recycling workshop", page.text)
        r = coord.post_form("/directory/moderation", {"kind": "service", "id": sid, "decision": "approve"}, page=page)
        self.assertEqual(r.status, 303)
        names = [n for _, n, _, _ in results(self.cw.get("/directory?q=recycling").text)]
        self.assertIn("Bike repair and recycling workshop", names)
        # Another organisation cannot touch it.
        other = add_org_user(self.server, "third.user@example.org", add_org(self.server, "Third Org"))
        self.assertEqual(other.get("/organisation/services/%s" % sid).status, 404)
        # A placement offer, approved, then findable by its skill.
        page = self.org.get("/organisation/services/%s/placements/new" % sid)
        r = self.org.post_form("/organisation/services/%s/placements/new" % sid,
                               {"area": "Wheel building", "places": "2", "times": "Fridays",
                                "skill": "18d13013-0be8-4a43-a15c-993eaa4131a4"}, page=page)
        self.assertEqual(r.status, 303)
        pid = self.server.scalar("SELECT id FROM placement_offer WHERE area_of_expertise = 'Wheel building'")
        self.assertEqual(self.server.scalar("SELECT moderation FROM placement_offer WHERE id = ?", (pid,)), "pending")
        r = coord.post_form("/directory/moderation", {"kind": "placement", "id": pid, "decision": "approve"},
                            page=coord.get("/directory/moderation"))
        self.assertEqual(r.status, 303)
        names = [n for _, n, _, _ in results(self.cw.get("/directory?q=wheel").text)]
        self.assertIn("Bike repair and recycling workshop", names)
        # Retired: gone from the search.
        coord.post_form("/directory/moderation", {"kind": "service", "id": sid, "decision": "retire"},
                        page=coord.get("/directory/moderation"))
        names = [n for _, n, _, _ in results(self.cw.get("/directory?q=recycling").text)]
        self.assertNotIn("Bike repair and recycling workshop", names)
        r = coord.post_form("/directory/moderation", {"kind": "service", "id": sid, "decision": "delete"},
                            page=coord.get("/directory/moderation"))
        self.assertEqual(r.status, 400)
        # A new service, saved twice (a double click): one, waiting for approval.
        page = self.org.get("/organisation/services/new")
        new = dict(fields, name="Puncture clinic", type="3b3c45b9-4b66-442b-873f-15f5092e24aa")
        for _ in range(2):
            r = self.org.post_form("/organisation/services/new", new, page=page)
            self.assertEqual(r.status, 303)
        self.assertEqual(self.server.sql("SELECT moderation FROM service WHERE name = 'Puncture clinic'")[0][0], "pending")
        self.assertEqual(self.server.scalar("SELECT count(*) FROM service WHERE name = 'Puncture clinic'"), 1)
        # Put it back for the other tests.
        coord.post_form("/directory/moderation", {"kind": "service", "id": sid, "decision": "approve"},
                        page=coord.get("/directory/moderation"))


if __name__ == "__main__":
    unittest.main()
