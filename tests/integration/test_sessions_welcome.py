"""Welcome calls: coordinators see the open tasks oldest first, with the client's contact
details and access needs; a call attempt keeps the task open; a completed call moves the
referral to 'welcomed' and takes the task off the list. Nobody else sees them."""

import html
import re

from tests.integration.harness import (ADMIN, CASE_WORKER, COORDINATOR, FACILITATOR, Client,
                                       ServerTestCase)
from tests.integration.sessions_support import NOT_FOUND, new_client, staff


class WelcomeCallTests(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cw = staff(cls.server, CASE_WORKER)
        cls.coordinator = staff(cls.server, COORDINATOR)

    def task_of(self, p):
        return self.server.scalar("SELECT id FROM task WHERE referral_id = ? AND "
                                  "kind = 'welcome_call'", (p.referral_id,))

    def listed(self):
        """Task ids on the coordinator's list, in order, and the page."""
        r = self.coordinator.get("/welcome-calls")
        self.assertEqual(r.status, 200)
        return [int(x) for x in re.findall(r'<a href="/welcome-calls/(\d+)">', r.text)], r.text

    def item(self, text, task):
        m = re.search(r'<li class="cairn-task">\s*<h2 class="cairn-task__title">'
                      r'<a href="/welcome-calls/%d">.*?</li>' % task, text, re.S)
        self.assertIsNotNone(m, "task %d not on the list" % task)
        return html.unescape(m.group(0))

    def record(self, task, outcome, notes=""):
        return self.coordinator.post_form("/welcome-calls/%d" % task,
                                          {"outcome": outcome, "notes": notes})

    def calls(self, task):
        return self.server.sql("SELECT * FROM welcome_call WHERE task_id = ? ORDER BY id",
                               (task,))

    def test_open_tasks_oldest_first_with_contact_details(self):
        a = new_client(self.server, self.cw, None, first_name="Alasdair", mobile="07700 900777",
                       access_needs="Large print, please")
        b = new_client(self.server, self.cw, None, first_name="Beth")
        ta, tb = self.task_of(a), self.task_of(b)
        tasks, text = self.listed()
        self.assertLess(tasks.index(ta), tasks.index(tb), "a was referred first")
        # Oldest by when the task was made, not by id.
        self.server.sql("UPDATE task SET created_at = created_at - 86400 WHERE id = ?", (tb,))
        tasks, text = self.listed()
        self.assertLess(tasks.index(tb), tasks.index(ta))
        created = [self.server.scalar("SELECT created_at FROM task WHERE id = ?", (t,))
                   for t in tasks]
        self.assertEqual(created, sorted(created))
        item = self.item(text, ta)
        self.assertIn("Alasdair %s" % a.last_name, item)
        self.assertIn("Mobile 07700 900777", item)
        self.assertIn("Email %s" % a.email, item)
        self.assertIn("Access needs: Large print, please", item)
        self.assertIn("Glasgow City", item)
        self.assertNotIn("Access needs", self.item(text, tb))
        # The task's own page.
        r = self.coordinator.get("/welcome-calls/%d" % ta)
        self.assertEqual(r.status, 200)
        self.assertIn("Alasdair", r.page.h1)
        self.assertIn(a.reference, r.text)
        self.assertIn("Large print, please", html.unescape(r.text))
        self.assertIn('href="/clients/%d"' % a.client_id, r.text)

    def test_attempts_keep_the_task_and_a_completed_call_welcomes(self):
        p = new_client(self.server, self.cw, None, first_name="Callum")
        task = self.task_of(p)
        r = self.record(task, "no_answer", "Rang twice")
        self.assertEqual((r.status, r.location), (303, "/welcome-calls"))
        r = self.record(task, "left_message", "Voicemail left")
        self.assertEqual(r.status, 303)
        self.assertEqual([(c["outcome"], c["notes"]) for c in self.calls(task)],
                         [("no_answer", "Rang twice"), ("left_message", "Voicemail left")])
        self.assertEqual([c["coordinator_id"] for c in self.calls(task)],
                         [self.server.user_id(COORDINATOR)] * 2)
        tasks, text = self.listed()
        self.assertIn(task, tasks)
        self.assertIn("2 attempt(s)", self.item(text, task))
        self.assertIn("No answer: left a message", self.item(text, task))
        self.assertEqual(self.server.scalar("SELECT status FROM referral WHERE id = ?",
                                            (p.referral_id,)), "sent")
        self.assertEqual(self.server.scalar("SELECT status FROM task WHERE id = ?", (task,)),
                         "open")

        r = self.record(task, "completed", "Spoke to Callum; evenings suit")
        self.assertEqual(r.status, 303)
        self.assertEqual(self.server.scalar("SELECT status FROM referral WHERE id = ?",
                                            (p.referral_id,)), "welcomed")
        self.assertEqual(self.server.scalar("SELECT status FROM task WHERE id = ?", (task,)),
                         "done")
        tasks, _ = self.listed()
        self.assertNotIn(task, tasks)
        page = self.coordinator.get("/welcome-calls/%d" % task)
        self.assertIn("This welcome call is done.", page.text)
        self.assertNotIn('action="/welcome-calls/%d"' % task, page.text)
        # Recording it again is refused and stores nothing.
        r = self.coordinator.post("/welcome-calls/%d" % task, {
            "csrf_token": page.page.hidden["csrf_token"], "outcome": "completed"})
        self.assertEqual(r.status, 409)
        self.assertEqual(len(self.calls(task)), 3)
        # The case worker sees it on the client's page.
        client_page = self.cw.get("/clients/%d" % p.client_id).text
        self.assertIn("Welcome call done: Spoke to Callum; evenings suit", client_page)
        self.assertIn("Welcome call: no answer, left a message: Voicemail left", client_page)
        self.assertIn('<span class="ds_tag">Welcomed</span>', client_page)

    def test_bad_input_stores_nothing(self):
        p = new_client(self.server, self.cw, None)
        task = self.task_of(p)
        for fields, message in (({"outcome": "maybe"}, "Choose what happened on the call"),
                                ({"outcome": ""}, "Choose what happened on the call"),
                                ({}, "Choose what happened on the call"),
                                ({"outcome": "completed", "notes": "x" * 2001},
                                 "Notes must be 2,000 characters or fewer")):
            with self.subTest(fields={k: v[:10] for k, v in fields.items()}):
                r = self.coordinator.post_form("/welcome-calls/%d" % task, fields)
                self.assertEqual(r.status, 400)
                self.assertIn(message, [m for _, m in r.page.summary])
                self.assertEqual(self.calls(task), [])
        self.assertEqual(self.server.scalar("SELECT status FROM referral WHERE id = ?",
                                            (p.referral_id,)), "sent")
        token = self.coordinator.get("/").page.hidden["csrf_token"]
        for bad in ("999999999", "99999999999999999999", "0", "-1", "abc"):
            with self.subTest(task=bad):
                self.assertEqual(self.coordinator.get("/welcome-calls/%s" % bad).status, 404)
                r = self.coordinator.post("/welcome-calls/%s" % bad,
                                          {"csrf_token": token, "outcome": "completed"})
                self.assertEqual(r.status, 404)

    def test_only_coordinators_and_administrators(self):
        p = new_client(self.server, self.cw, "fast")
        task = self.task_of(p)
        self.assertEqual(staff(self.server, ADMIN).get("/welcome-calls").status, 200)
        for who in (self.cw, staff(self.server, FACILITATOR), p.http):
            token = who.get("/").page.hidden["csrf_token"]
            for path in ("/welcome-calls", "/welcome-calls/%d" % task):
                r = who.get(path)
                self.assertEqual((r.status, r.page.h1), (404, NOT_FOUND), path)
            r = who.post("/welcome-calls/%d" % task, {"csrf_token": token,
                                                      "outcome": "completed"})
            self.assertEqual(r.status, 404)
        self.assertEqual(self.calls(task), [])
        r = Client(self.server).get("/welcome-calls")
        self.assertEqual(r.status, 303)
        self.assertTrue(r.location.startswith("/sign-in?next="))
