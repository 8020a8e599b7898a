"""Every validation error of the referral form: the message is in the error summary and
next to its field, the form keeps what was typed, the answer is 400 and nothing is stored."""

import datetime
import re

from tests.integration.harness import (CASE_WORKER, Client, ServerTestCase,
                                       default_order_date, referral_fields, today_utc, uk)

FIELDS = ("first_name", "last_name", "date_of_birth", "email", "mobile", "case_reference",
          "order_reference", "order_date", "unpaid_hours", "activity_hours", "complete_by",
          "access_needs", "group_notes", "consent")

today = today_utc()
ANY_DATE = r"\d\d/\d\d/\d{4}"


def years_ago(n, days=0):
    try:
        d = today.replace(year=today.year - n)
    except ValueError:  # 29 February
        d = today.replace(year=today.year - n, day=28)
    return d - datetime.timedelta(days=days)


# (what is wrong, fields typed, field with the error, the message: text or a regex)
CASES = [
    ("first name missing", {"first_name": ""}, "first_name", "Enter the client's first name"),
    ("first name only spaces", {"first_name": "   "}, "first_name",
     "Enter the client's first name"),
    ("first name too long", {"first_name": "A" * 101}, "first_name",
     "First name must be 100 characters or fewer"),
    ("last name missing", {"last_name": ""}, "last_name", "Enter the client's last name"),
    ("last name too long", {"last_name": "É" * 101}, "last_name",
     "Last name must be 100 characters or fewer"),
    ("date of birth missing", {"date_of_birth": ""}, "date_of_birth",
     "Enter the client's date of birth"),
    ("31 February", {"date_of_birth": "31/02/1990"}, "date_of_birth",
     "Enter a real date of birth, for example 23/03/1989"),
    ("29 February of a common year", {"date_of_birth": "29/02/1991"}, "date_of_birth",
     "Enter a real date of birth, for example 23/03/1989"),
    ("date of birth not a date", {"date_of_birth": "yesterday"}, "date_of_birth",
     "Enter a real date of birth, for example 23/03/1989"),
    ("month 13", {"date_of_birth": "01/13/1990"}, "date_of_birth",
     "Enter a real date of birth, for example 23/03/1989"),
    ("date of birth in the future", {"date_of_birth": uk(today + datetime.timedelta(days=30))},
     "date_of_birth", "Date of birth must be in the past"),
    ("client too young", {"date_of_birth": uk(years_ago(11))}, "date_of_birth",
     "The client must be at least 12 years old"),
    ("client too old", {"date_of_birth": uk(years_ago(125))}, "date_of_birth",
     "The client must be 120 years old or younger"),
    ("no email and no mobile", {"email": "", "mobile": ""}, "email",
     "Enter an email address or a mobile number"),
    ("email without @", {"email": "morag.example.com"}, "email",
     "Enter an email address in the correct format, like name@example.com"),
    ("email with a space", {"email": "morag @example.com"}, "email",
     "Enter an email address in the correct format, like name@example.com"),
    ("email with header injection", {"email": "a@example.com>,<b@example.com"}, "email",
     "Enter an email address in the correct format, like name@example.com"),
    ("email too long", {"email": "a" * 250 + "@example.com"}, "email",
     "Email address must be 254 characters or fewer"),
    ("mobile not UK", {"email": "", "mobile": "12345"}, "mobile",
     "Enter a UK mobile number, like 07700 900982 or +44 7700 900982"),
    ("mobile with letters", {"mobile": "07700 9OO123"}, "mobile",
     "Enter a UK mobile number, like 07700 900982 or +44 7700 900982"),
    ("case reference too long", {"case_reference": "C" * 51}, "case_reference",
     "Case reference must be 50 characters or fewer"),
    ("order reference missing", {"order_reference": ""}, "order_reference",
     "Enter the court order reference"),
    ("order reference too long", {"order_reference": "O" * 51}, "order_reference",
     "Court order reference must be 50 characters or fewer"),
    ("order date missing", {"order_date": ""}, "order_date",
     "Enter the date the order was imposed"),
    ("order date 31/02/2026", {"order_date": "31/02/2026"}, "order_date",
     re.compile(r"^Enter a real date the order was imposed, for example %s$" % ANY_DATE)),
    ("order date in the future", {"order_date": uk(today + datetime.timedelta(days=3))},
     "order_date", "The date the order was imposed must be today or in the past"),
    ("order date over 5 years ago", {"order_date": uk(years_ago(5, days=3))}, "order_date",
     "The date the order was imposed must be within the last 5 years"),
    ("unpaid hours missing", {"unpaid_hours": ""}, "unpaid_hours",
     "Enter the unpaid work hours imposed"),
    ("unpaid hours 0", {"unpaid_hours": "0"}, "unpaid_hours",
     "Unpaid work hours must be between 20 and 300"),
    ("unpaid hours 19", {"unpaid_hours": "19"}, "unpaid_hours",
     "Unpaid work hours must be between 20 and 300"),
    ("unpaid hours 301", {"unpaid_hours": "301"}, "unpaid_hours",
     "Unpaid work hours must be between 20 and 300"),
    ("unpaid hours negative", {"unpaid_hours": "-120"}, "unpaid_hours",
     "Unpaid work hours must be between 20 and 300"),
    ("unpaid hours huge", {"unpaid_hours": "99999999999999999999"}, "unpaid_hours",
     "Unpaid work hours must be between 20 and 300"),
    ("unpaid hours abc", {"unpaid_hours": "abc"}, "unpaid_hours",
     "Unpaid work hours must be a whole number, like 120"),
    ("unpaid hours 20.5", {"unpaid_hours": "20.5"}, "unpaid_hours",
     "Unpaid work hours must be a whole number, like 120"),
    ("unpaid hours 1e2", {"unpaid_hours": "1e2"}, "unpaid_hours",
     "Unpaid work hours must be a whole number, like 120"),
    ("unpaid hours leading zero", {"unpaid_hours": "0120"}, "unpaid_hours",
     "Unpaid work hours must be a whole number, like 120"),
    ("activity hours abc", {"activity_hours": "abc"}, "activity_hours",
     "Other activity hours must be a whole number, like 36"),
    ("activity hours 20.5", {"activity_hours": "20.5"}, "activity_hours",
     "Other activity hours must be a whole number, like 36"),
    ("activity hours 0", {"activity_hours": "0"}, "activity_hours",
     "Other activity hours must be 1 or more"),
    ("activity hours above the cap", {"unpaid_hours": "100", "activity_hours": "31"},
     "activity_hours", "Other activity hours must be 30 or fewer (30% of the unpaid work hours)"),
    ("activity hours above the cap, level 2", {"unpaid_hours": "300", "activity_hours": "91"},
     "activity_hours", "Other activity hours must be 90 or fewer (30% of the unpaid work hours)"),
    ("activity hours equal to unpaid hours", {"unpaid_hours": "120", "activity_hours": "120"},
     "activity_hours", "Other activity hours must be 36 or fewer (30% of the unpaid work hours)"),
    ("completion date 31/02", {"complete_by": "31/02/2027"}, "complete_by",
     re.compile(r"^Enter a real date the order must be completed by, for example %s$"
                % ANY_DATE)),
    ("completion date before the order", {"complete_by": uk(default_order_date()
                                                            - datetime.timedelta(days=1))},
     "complete_by", "The completion date must be after the date the order was imposed"),
    ("completion date on the order date", {"complete_by": uk(default_order_date())},
     "complete_by", "The completion date must be after the date the order was imposed"),
    ("access needs too long", {"access_needs": "x" * 2001}, "access_needs",
     "Access needs must be 2000 characters or fewer"),
    ("group notes too long", {"group_notes": "y" * 2001}, "group_notes",
     "Information about group participation must be 2000 characters or fewer"),
    ("consent missing", {"consent": None}, "consent",
     "Confirm that the client has agreed to be referred"),
    ("consent not yes", {"consent": "no"}, "consent",
     "Confirm that the client has agreed to be referred"),
]


class ValidationTests(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client = Client(cls.server)
        cls.client.sign_in(CASE_WORKER)

    def assert_message(self, actual, expected):
        if isinstance(expected, re.Pattern):
            self.assertRegex(actual or "", expected)
        else:
            self.assertEqual(actual, expected)

    def assert_keeps_what_was_typed(self, page, fields):
        for name in FIELDS:
            typed = fields.get(name)
            shown = page.value(name)
            if name == "consent":
                self.assertEqual(shown is not None, typed == "yes", "consent box")
            else:
                self.assertEqual(shown, typed if typed is not None else "", name)

    def assert_summary_links_work(self, page):
        for field, _ in page.summary:
            self.assertIn(field, page.inputs.keys() | page.textareas.keys(),
                          "summary link #%s has no field" % field)

    def post_invalid(self, fields):
        before = self.server.counts()
        form = self.client.get("/referrals/new")
        r = self.client.post_form("/referrals/new", fields, page=form)
        self.assertEqual(r.status, 400, r.text[:2000])
        self.assertEqual(self.server.counts(), before, "nothing may be stored")
        self.assertEqual(r.page.h1, "Make a referral")
        self.assertTrue(r.page.title.startswith("Error:"), r.page.title)
        # The same form: a corrected send is still the one referral.
        self.assertEqual(r.page.hidden["form_token"], form.page.hidden["form_token"])
        self.assertTrue(r.page.hidden["csrf_token"])
        return r

    def test_each_error(self):
        for what, over, field, message in CASES:
            with self.subTest(what):
                fields = referral_fields(**over)
                r = self.post_invalid(fields)
                page = r.page
                self.assertEqual(len(page.summary), 1, page.summary)
                self.assertEqual(page.summary[0][0], field)
                self.assert_message(page.summary[0][1], message)
                self.assertEqual(set(page.field_errors), {field})
                self.assert_message(page.field_errors[field], message)
                self.assertEqual(page.inputs[field].get("aria-invalid"), "true")
                self.assertIn("%s-error" % field,
                              page.inputs[field].get("aria-describedby", "").split())
                self.assert_keeps_what_was_typed(page, fields)
                self.assert_summary_links_work(page)

    def test_empty_form_lists_every_required_field_in_order(self):
        fields = {name: "" for name in FIELDS if name != "consent"}
        r = self.post_invalid(fields)
        expected = [
            ("first_name", "Enter the client's first name"),
            ("last_name", "Enter the client's last name"),
            ("date_of_birth", "Enter the client's date of birth"),
            ("email", "Enter an email address or a mobile number"),
            ("order_reference", "Enter the court order reference"),
            ("order_date", "Enter the date the order was imposed"),
            ("unpaid_hours", "Enter the unpaid work hours imposed"),
            ("consent", "Confirm that the client has agreed to be referred"),
        ]
        self.assertEqual(r.page.summary, expected)
        self.assertEqual(r.page.field_errors, dict(expected))
        self.assert_keeps_what_was_typed(r.page, fields)

    def test_several_errors_at_once_keep_everything_typed(self):
        fields = referral_fields(first_name="  Mòrag  ", date_of_birth="31/02/2026",
                                 unpaid_hours="20.5", activity_hours="abc", consent=None,
                                 access_needs="line one\nline two", group_notes="  spaced  ",
                                 mobile="07700 900123", complete_by="31/02/2027")
        r = self.post_invalid(fields)
        self.assertEqual([f for f, _ in r.page.summary],
                         ["date_of_birth", "unpaid_hours", "activity_hours", "complete_by",
                          "consent"])
        self.assertEqual(set(r.page.field_errors),
                         {"date_of_birth", "unpaid_hours", "activity_hours", "complete_by",
                          "consent"})
        self.assert_keeps_what_was_typed(r.page, fields)

    def test_a_body_with_no_fields_at_all(self):
        r = self.post_invalid({})
        self.assertIn(("first_name", "Enter the client's first name"), r.page.summary)

    def test_missing_form_token(self):
        before = self.server.counts()
        page = self.client.get("/referrals/new").page
        for token in (None, "", "short", "x" * 100):
            with self.subTest(token=token):
                fields = dict(referral_fields(), csrf_token=page.hidden["csrf_token"])
                if token is not None:
                    fields["form_token"] = token
                r = self.client.post("/referrals/new", fields)
                self.assertEqual(r.status, 400)
                self.assertIn("The form could not be read", r.text)
        self.assertEqual(self.server.counts(), before)

    def test_boundaries_are_accepted(self):
        # The edges of every range that the errors above are just outside of.
        ok = [{"unpaid_hours": "20"}, {"unpaid_hours": "300"},
              {"unpaid_hours": "100", "activity_hours": "30"},
              {"date_of_birth": uk(years_ago(12))},
              {"order_date": uk(today)},
              {"complete_by": uk(default_order_date() + datetime.timedelta(days=1))},
              {"first_name": "A" * 100, "access_needs": "x" * 2000, "group_notes": "y" * 2000,
               "case_reference": "C" * 50, "order_reference": "O" * 50}]
        for over in ok:
            with self.subTest(over=str(over)[:80]):
                r = self.client.post_form("/referrals/new", referral_fields(**over))
                self.assertEqual(r.status, 303, r.page.summary)
