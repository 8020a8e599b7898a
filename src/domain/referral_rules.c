#include "domain/referral_rules.h"

#include <limits.h>
#include <string.h>

#include "core/utf8.h"
#include "domain/hours_rules.h"

struct check {
	struct pool *pool;
	struct field_error *errors;
	size_t max_errors;
	size_t count;
	int failed; /* set even when the errors array is full */
};

static void add_error(struct check *c, const char *field, const char *message)
{
	c->failed = 1;
	if (c->count < c->max_errors) {
		c->errors[c->count].field = field;
		c->errors[c->count].message = message;
		c->count++;
	}
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* A pool copy of raw without surrounding ASCII whitespace; "" for NULL. */
static char *trim(struct pool *pool, const char *raw)
{
	if (raw == NULL)
		return pool_strdup(pool, "");
	const char *start = raw, *end = raw + strlen(raw);
	while (start < end && is_space(*start))
		start++;
	while (end > start && is_space(end[-1]))
		end--;
	return pool_strndup(pool, start, (size_t)(end - start));
}

/* Checks a free-text field; returns the trimmed text, NULL when empty. */
static const char *text_field(struct check *c, const char *field, const char *raw, size_t max,
			      const char *missing, const char *too_long)
{
	char *s = trim(c->pool, raw);
	size_t len = strlen(s);
	if (len == 0) {
		if (missing != NULL)
			add_error(c, field, missing);
		return NULL;
	}
	if (utf8_length(s, len) > max)
		add_error(c, field, too_long);
	return s;
}

/* Whole years from birth to today, counting a birthday on 29 February as reached on
 * 1 March in other years. */
static int age_on(struct civil_date dob, struct civil_date today)
{
	int age = today.year - dob.year;
	if (today.month < dob.month || (today.month == dob.month && today.day < dob.day))
		age--;
	return age;
}

/* Reads a date field: 0 with *out set, -1 if empty (error added only when missing is not
 * NULL) or not a real date. */
static int date_field(struct check *c, const char *field, const char *raw, const char *missing,
		      const char *unreal, struct civil_date *out)
{
	const char *s = trim(c->pool, raw);
	if (*s == '\0') {
		if (missing != NULL)
			add_error(c, field, missing);
		return -1;
	}
	if (civil_date_parse(s, out) < 0) {
		add_error(c, field, unreal);
		return -1;
	}
	return 0;
}

enum number_result { NUMBER_EMPTY, NUMBER_BAD, NUMBER_OK };

/* Reads a whole number of hours. Plain digits only, without a sign or leading zeros, so
 * "20.5", "+20" and "020" are refused rather than guessed at; a negative or very long
 * number reads as out of range (INT_MIN or INT_MAX) so the range message explains it. */
static enum number_result number_field(const char *s, int *out)
{
	if (*s == '\0')
		return NUMBER_EMPTY;
	int negative = 0;
	if (*s == '-') {
		negative = 1;
		s++;
	}
	size_t len = strlen(s);
	if (len == 0 || strspn(s, "0123456789") != len)
		return NUMBER_BAD;
	if (negative) {
		*out = INT_MIN;
		return NUMBER_OK;
	}
	if (len > 1 && s[0] == '0')
		return NUMBER_BAD;
	if (len > 9) {
		*out = INT_MAX;
		return NUMBER_OK;
	}
	int v = 0;
	for (size_t i = 0; i < len; i++)
		v = v * 10 + (s[i] - '0');
	*out = v;
	return NUMBER_OK;
}

/* A practical check, not RFC 5322: one @ with something either side, a dot inside the
 * domain, and none of the characters that would break a mail header's address list. */
static int email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	if (at == NULL || at == s || strchr(at + 1, '@') != NULL)
		return 0;
	for (const char *p = s; *p != '\0'; p++) {
		unsigned char u = (unsigned char)*p;
		if (u <= 0x20 || u == 0x7f || strchr("<>()[],;:\\\"", *p) != NULL)
			return 0;
	}
	const char *domain = at + 1;
	size_t dlen = strlen(domain);
	if (dlen < 3 || domain[0] == '.' || domain[dlen - 1] == '.' ||
	    strchr(domain, '.') == NULL || strstr(domain, "..") != NULL)
		return 0;
	return 1;
}

/* Normalises a UK mobile number to "07" and nine digits in a pool copy, or NULL. */
static const char *mobile_normalise(struct pool *pool, const char *s)
{
	char digits[32];
	size_t n = 0;
	int plus = 0;
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == ' ')
			continue;
		if (*p == '+' && p == s && !plus) {
			plus = 1;
			continue;
		}
		if (*p < '0' || *p > '9' || n == sizeof(digits) - 1)
			return NULL;
		digits[n++] = *p;
	}
	digits[n] = '\0';
	if (!plus && n == 11 && strncmp(digits, "07", 2) == 0)
		return pool_strdup(pool, digits);
	if (plus && n == 12 && strncmp(digits, "447", 3) == 0)
		return pool_printf(pool, "0%s", digits + 2);
	return NULL;
}

static void check_person(struct check *c, const struct referral_fields *in, struct civil_date today,
			 struct referral_valid *out)
{
	out->first_name = text_field(c, "first_name", in->first_name, REFERRAL_NAME_MAX,
				     "Enter the client's first name",
				     "First name must be 100 characters or fewer");
	out->last_name = text_field(c, "last_name", in->last_name, REFERRAL_NAME_MAX,
				    "Enter the client's last name",
				    "Last name must be 100 characters or fewer");

	if (date_field(c, "date_of_birth", in->date_of_birth, "Enter the client's date of birth",
		       "Enter a real date of birth, for example 23/03/1989", &out->dob) == 0) {
		int age = age_on(out->dob, today);
		if (civil_date_compare(out->dob, today) >= 0)
			add_error(c, "date_of_birth", "Date of birth must be in the past");
		else if (age < REFERRAL_AGE_MIN)
			add_error(c, "date_of_birth", "The client must be at least 12 years old");
		else if (age > REFERRAL_AGE_MAX)
			add_error(c, "date_of_birth",
				  "The client must be 120 years old or younger");
	}
}

static void check_contact(struct check *c, const struct referral_fields *in,
			  struct referral_valid *out)
{
	char *email = trim(c->pool, in->email);
	char *mobile = trim(c->pool, in->mobile);
	if (*email == '\0' && *mobile == '\0') {
		/* Reported against the first of the pair, where the summary link lands. */
		add_error(c, "email", "Enter an email address or a mobile number");
		return;
	}
	if (*email != '\0') {
		if (strlen(email) > REFERRAL_EMAIL_MAX)
			add_error(c, "email", "Email address must be 254 characters or fewer");
		else if (!email_ok(email))
			add_error(c, "email",
				  "Enter an email address in the correct format, "
				  "like name@example.com");
		out->email = email;
	}
	if (*mobile != '\0') {
		out->mobile = mobile_normalise(c->pool, mobile);
		if (out->mobile == NULL)
			add_error(c, "mobile",
				  "Enter a UK mobile number, like 07700 900982 or "
				  "+44 7700 900982");
	}
}

/* Checks the references and the date the order was imposed; returns 1 if that date can be
 * used by the checks after it. */
static int check_order(struct check *c, const struct referral_fields *in, struct civil_date today,
		       struct referral_valid *out)
{
	out->case_reference =
		text_field(c, "case_reference", in->case_reference, REFERRAL_REFERENCE_MAX, NULL,
			   "Case reference must be 50 characters or fewer");
	out->order_reference = text_field(c, "order_reference", in->order_reference,
					  REFERRAL_REFERENCE_MAX, "Enter the court order reference",
					  "Court order reference must be 50 characters or fewer");

	/* The example is today's date, which is always an acceptable answer. */
	char today_uk[11];
	civil_date_uk(today, today_uk);
	const char *unreal = pool_printf(
		c->pool, "Enter a real date the order was imposed, for example %s", today_uk);
	if (date_field(c, "order_date", in->order_date, "Enter the date the order was imposed",
		       unreal, &out->order_date) < 0)
		return 0;
	struct civil_date oldest = civil_date_add_months(today, -12 * REFERRAL_ORDER_MAX_YEARS);
	if (civil_date_compare(out->order_date, today) > 0) {
		add_error(c, "order_date",
			  "The date the order was imposed must be today or in the past");
		return 0;
	}
	if (civil_date_compare(out->order_date, oldest) < 0) {
		add_error(c, "order_date",
			  "The date the order was imposed must be within the last 5 years");
		return 0;
	}
	return 1;
}

static const char *no_activity_allowed(struct check *c, int unpaid_hours)
{
	return pool_printf(c->pool, "No other activity hours are allowed for an order of %d hours",
			   unpaid_hours);
}

/* Checks unpaid and other activity hours; returns 1 if the unpaid hours can be used by the
 * checks after them. */
static int check_hours(struct check *c, const struct referral_fields *in, int cap_percent,
		       struct referral_valid *out)
{
	int unpaid_ok = 0;
	switch (number_field(trim(c->pool, in->unpaid_hours), &out->unpaid_hours)) {
	case NUMBER_EMPTY:
		add_error(c, "unpaid_hours", "Enter the unpaid work hours imposed");
		break;
	case NUMBER_BAD:
		add_error(c, "unpaid_hours", "Unpaid work hours must be a whole number, like 120");
		break;
	case NUMBER_OK:
		out->level = hours_rules_level(out->unpaid_hours);
		if (out->level == 0)
			add_error(c, "unpaid_hours",
				  "Unpaid work hours must be between 20 and 300");
		else
			unpaid_ok = 1;
		break;
	}

	/* Without valid unpaid hours there is no cap to check against or default to; the
	 * unpaid hours error already says what to fix. */
	int cap = unpaid_ok ? hours_rules_activity_cap(out->unpaid_hours, cap_percent) : 0;
	switch (number_field(trim(c->pool, in->activity_hours), &out->activity_hours)) {
	case NUMBER_EMPTY:
		if (!unpaid_ok)
			break;
		out->activity_hours = cap;
		if (cap < 1)
			add_error(c, "activity_hours", no_activity_allowed(c, out->unpaid_hours));
		break;
	case NUMBER_BAD:
		add_error(c, "activity_hours",
			  "Other activity hours must be a whole number, like 36");
		break;
	case NUMBER_OK:
		if (out->activity_hours < 1)
			add_error(c, "activity_hours", "Other activity hours must be 1 or more");
		else if (unpaid_ok && cap < 1)
			add_error(c, "activity_hours", no_activity_allowed(c, out->unpaid_hours));
		else if (unpaid_ok && out->activity_hours > cap)
			add_error(c, "activity_hours",
				  pool_printf(c->pool,
					      "Other activity hours must be %d or fewer (%d%% of "
					      "the unpaid work hours)",
					      cap, cap_percent));
		break;
	}
	return unpaid_ok;
}

static void check_complete_by(struct check *c, const struct referral_fields *in,
			      struct civil_date today, int order_date_ok, int unpaid_ok,
			      struct referral_valid *out)
{
	const char *complete_by = trim(c->pool, in->complete_by);
	if (*complete_by == '\0') {
		if (order_date_ok && unpaid_ok)
			out->complete_by =
				hours_rules_default_complete_by(out->order_date, out->unpaid_hours);
		return;
	}
	char later_uk[11];
	civil_date_uk(civil_date_add_months(today, 3), later_uk);
	const char *unreal = pool_printf(
		c->pool, "Enter a real date the order must be completed by, for example %s",
		later_uk);
	if (date_field(c, "complete_by", complete_by, NULL, unreal, &out->complete_by) < 0)
		return;
	if (order_date_ok && civil_date_compare(out->complete_by, out->order_date) <= 0)
		add_error(c, "complete_by",
			  "The completion date must be after the date the order was imposed");
}

int referral_rules_check(struct pool *pool, const struct referral_fields *in, int cap_percent,
			 struct civil_date today, struct referral_valid *out,
			 struct field_error *errors, size_t max_errors, size_t *error_count)
{
	struct check c = {pool, errors, max_errors, 0, 0};
	memset(out, 0, sizeof(*out));

	check_person(&c, in, today, out);
	check_contact(&c, in, out);
	int order_date_ok = check_order(&c, in, today, out);
	int unpaid_ok = check_hours(&c, in, cap_percent, out);
	check_complete_by(&c, in, today, order_date_ok, unpaid_ok, out);

	out->access_needs = text_field(&c, "access_needs", in->access_needs, REFERRAL_NOTES_MAX,
				       NULL, "Access needs must be 2000 characters or fewer");
	out->group_notes = text_field(&c, "group_notes", in->group_notes, REFERRAL_NOTES_MAX, NULL,
				      "Information about group participation must be 2000 "
				      "characters or fewer");

	const char *consent = trim(pool, in->consent);
	if (strcmp(consent, "yes") != 0)
		add_error(&c, "consent", "Confirm that the client has agreed to be referred");

	*error_count = c.count;
	return c.failed ? -1 : 0;
}
