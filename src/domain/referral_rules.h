/* referral_rules: validation of the Make a referral form (SPEC.md sections 2 and 3). */
#ifndef CAIRN_REFERRAL_RULES_H
#define CAIRN_REFERRAL_RULES_H
#include <stddef.h>

#include "core/pool.h"
#include "domain/civil_date.h"

#define REFERRAL_NAME_MAX 100     /* characters, for each name */
#define REFERRAL_EMAIL_MAX 254    /* bytes, the SMTP limit */
#define REFERRAL_REFERENCE_MAX 50 /* characters, for case and order references */
#define REFERRAL_NOTES_MAX 2000   /* characters, for access needs and group notes */
#define REFERRAL_AGE_MIN 12
#define REFERRAL_AGE_MAX 120
#define REFERRAL_ORDER_MAX_YEARS 5
/* Each field has at most one error, so an array this long never drops one. */
#define REFERRAL_MAX_ERRORS 14

/* The form as posted: valid UTF-8 strings, any of which may be NULL or "". The names
 * match the form's field names. */
struct referral_fields {
	const char *first_name;
	const char *last_name;
	const char *date_of_birth;
	const char *email;
	const char *mobile;
	const char *case_reference;
	const char *order_reference;
	const char *order_date;
	const char *unpaid_hours;
	const char *activity_hours;
	const char *complete_by;
	const char *access_needs;
	const char *group_notes;
	const char *consent; /* "yes" when ticked */
};

/* A checked referral. Text is trimmed of ASCII whitespace; optional text left empty is
 * NULL; mobile is normalised to "07..." with no spaces. */
struct referral_valid {
	const char *first_name;
	const char *last_name;
	const char *email;          /* NULL if not given */
	const char *mobile;         /* NULL if not given */
	const char *case_reference; /* NULL if not given */
	const char *order_reference;
	const char *access_needs; /* NULL if not given */
	const char *group_notes;  /* NULL if not given */
	struct civil_date dob;
	struct civil_date order_date;
	struct civil_date complete_by; /* as entered, or the default for the level */
	int unpaid_hours;
	int activity_hours; /* as entered, or the cap */
	int level;          /* 1 or 2, see hours_rules_level */
};

/* One problem with one field, to show next to it and in the error summary. */
struct field_error {
	const char *field;   /* the form field's name, e.g. "date_of_birth" */
	const char *message; /* plain English, e.g. "Enter the client's first name" */
};

/* Checks the form against the rules, given the installation's other activity cap
 * (percent) and today's London date. Returns 0 with *out filled, or -1 with up to
 * max_errors errors in form order in the caller's errors array and their number in
 * *error_count (out is then incomplete and not to be used). Strings in *out and error
 * messages are allocated from pool or static; none point into *in. */
int referral_rules_check(struct pool *pool, const struct referral_fields *in, int cap_percent,
			 struct civil_date today, struct referral_valid *out,
			 struct field_error *errors, size_t max_errors, size_t *error_count);

#endif
