#include "handlers/referrals.h"

#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/log.h"
#include "crypto/crypto.h"
#include "domain/civil_date.h"
#include "domain/london_time.h"
#include "domain/reference.h"
#include "domain/referral_rules.h"

const char *const referrals_fields[] = {
	"csrf_token", "form_token", "first_name", "last_name", "date_of_birth", "email", "mobile",
	"case_reference", "order_reference", "order_date", "unpaid_hours", "activity_hours",
	"complete_by", "access_needs", "group_notes", "consent", NULL};

struct question {
	const char *id, *label, *hint;
	const char *type, *inputmode, *autocomplete, *width;
	int textarea, checkbox;
};

static const struct question client_questions[] = {
	{"first_name", "First name", NULL, "text", NULL, "off", NULL, 0, 0},
	{"last_name", "Last name", NULL, "text", NULL, "off", NULL, 0, 0},
	/* Dates take no inputmode="numeric": a phone's number pad has no "/" to type. */
	{"date_of_birth", "Date of birth", "For example, 23/03/1989", "text", NULL, "off",
	 "fixed-10", 0, 0},
	{"email", "Email address", "We send the client's invitation here. Give an email address, a mobile number, or both.",
	 "email", NULL, "off", NULL, 0, 0},
	{"mobile", "Mobile phone number", "For example, 07700 900123", "tel", NULL, "off", "fixed-20", 0, 0},
};

static const struct question order_questions[] = {
	{"case_reference", "Case reference (optional)",
	 "Your case-management system's reference for this client", "text", NULL, "off", "fixed-20", 0, 0},
	{"order_reference", "Court order reference", NULL, "text", NULL, "off", "fixed-20", 0, 0},
	{"order_date", "Date the order was imposed", "For example, 02/11/2026", "text", NULL,
	 "off", "fixed-10", 0, 0},
	{"unpaid_hours", "Unpaid work hours imposed", "Between 20 and 300", "text", "numeric", "off",
	 "fixed-4", 0, 0},
	{"activity_hours", "Other activity hours with this service", NULL, "text", "numeric", "off",
	 "fixed-4", 0, 0},
	{"complete_by", "Date the order must be completed by",
	 "Left blank, it is 3 months after the order for 100 hours or fewer, and 6 months for more",
	 "text", NULL, "off", "fixed-10", 0, 0},
};

static const struct question support_questions[] = {
	{"access_needs", "Access needs (optional)",
	 "For example, needs large print, uses a screen reader, or has only a phone", NULL, NULL,
	 NULL, NULL, 1, 0},
	{"group_notes", "Information relevant to group participation (optional)",
	 "Seen only by coordinators and by the facilitators of the client's sessions", NULL, NULL,
	 NULL, NULL, 1, 0},
	{"consent", "The client has agreed to be referred", NULL, NULL, NULL, NULL, NULL, 0, 1},
};

static int cap_for(struct http_request *req)
{
	struct app_request *ar = app_req(req);
	struct authority a;
	if (ar->store->ops->authority_by_id(ar->store, req->pool, ar->user.authority_id, &a) == 0)
		return a.cap_percent;
	return 30;
}

static void add_questions(struct http_request *req, const char *list, const struct question *qs,
			  size_t n, const struct field_error *errors, size_t nerrors, int cap)
{
	struct app_request *ar = app_req(req);
	for (size_t i = 0; i < n; i++) {
		const struct question *q = &qs[i];
		struct tpl_vars *f = tpl_add(ar->vars, list);
		tpl_set(f, "id", q->id);
		tpl_set(f, "label", q->label);
		const char *hint = q->hint;
		if (strcmp(q->id, "activity_hours") == 0)
			hint = pool_printf(req->pool,
					   "At most %d%% of the unpaid work hours. Left blank, it is "
					   "set to that maximum",
					   cap);
		tpl_set(f, "hint", hint);
		tpl_set(f, "type", q->type);
		tpl_set(f, "inputmode", q->inputmode);
		tpl_set(f, "autocomplete", q->autocomplete);
		tpl_set(f, "width", q->width);
		tpl_set_bool(f, "is_textarea", q->textarea);
		tpl_set_bool(f, "is_checkbox", q->checkbox);
		const char *value = http_form(req, q->id);
		if (q->checkbox)
			tpl_set_bool(f, "checked", value && strcmp(value, "yes") == 0);
		else
			tpl_set(f, "value", value);
		const char *error = NULL;
		for (size_t k = 0; k < nerrors; k++)
			if (strcmp(errors[k].field, q->id) == 0)
				error = errors[k].message;
		tpl_set(f, "error", error);
		const char *describe = NULL;
		if (hint && error)
			describe = pool_printf(req->pool, "%s-hint %s-error", q->id, q->id);
		else if (hint)
			describe = pool_printf(req->pool, "%s-hint", q->id);
		else if (error)
			describe = pool_printf(req->pool, "%s-error", q->id);
		tpl_set(f, "described_by", describe);
	}
}

static void show_form(struct http_request *req, struct http_response *res,
		      const struct field_error *errors, size_t nerrors, const char *form_token)
{
	struct app_request *ar = app_req(req);
	int cap = cap_for(req);
	tpl_set_int(ar->vars, "cap_percent", cap);
	if (form_token == NULL) {
		char *t = pool_alloc(req->pool, CRYPTO_TOKEN_LEN + 1);
		crypto_token(t);
		form_token = t;
	}
	tpl_set(ar->vars, "form_token", form_token);
	for (size_t i = 0; i < nerrors; i++) {
		struct tpl_vars *e = tpl_add(ar->vars, "errors");
		tpl_set(e, "field", errors[i].field);
		tpl_set(e, "message", errors[i].message);
	}
	add_questions(req, "client_fields", client_questions,
		      sizeof(client_questions) / sizeof(client_questions[0]), errors, nerrors, cap);
	add_questions(req, "order_fields", order_questions,
		      sizeof(order_questions) / sizeof(order_questions[0]), errors, nerrors, cap);
	add_questions(req, "support_fields", support_questions,
		      sizeof(support_questions) / sizeof(support_questions[0]), errors, nerrors,
		      cap);
	app_page(req, res, "referral_new", nerrors ? "Error: Make a referral" : "Make a referral");
	if (nerrors)
		res->status = 400;
}

void referrals_new(struct http_request *req, struct http_response *res)
{
	show_form(req, res, NULL, 0, NULL);
}

static const char *date_text(struct http_request *req, struct civil_date d)
{
	char *s = pool_alloc(req->pool, 32);
	civil_date_long(d, s, 32);
	return s;
}

static void new_reference(char *out, size_t n, const char *prefix)
{
	unsigned char random[8];
	crypto_random(random, sizeof(random));
	reference_format(random, prefix, out, n);
}

void referrals_create(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	const char *form_token = http_form(req, "form_token");
	if (form_token == NULL || strlen(form_token) != CRYPTO_TOKEN_LEN) {
		app_error(req, res, 400, "There is a problem with your request",
			  "The form could not be read. Go back, refresh the page, and send it again.");
		return;
	}
	struct referral_fields in = {
		.first_name = http_form(req, "first_name"),
		.last_name = http_form(req, "last_name"),
		.date_of_birth = http_form(req, "date_of_birth"),
		.email = http_form(req, "email"),
		.mobile = http_form(req, "mobile"),
		.case_reference = http_form(req, "case_reference"),
		.order_reference = http_form(req, "order_reference"),
		.order_date = http_form(req, "order_date"),
		.unpaid_hours = http_form(req, "unpaid_hours"),
		.activity_hours = http_form(req, "activity_hours"),
		.complete_by = http_form(req, "complete_by"),
		.access_needs = http_form(req, "access_needs"),
		.group_notes = http_form(req, "group_notes"),
		.consent = http_form(req, "consent"),
	};
	int64_t now = app_now();
	int cap = cap_for(req);
	struct referral_valid v;
	struct field_error errors[REFERRAL_MAX_ERRORS];
	size_t nerrors = 0;
	if (referral_rules_check(req->pool, &in, cap, london_date(now), &v, errors,
				 REFERRAL_MAX_ERRORS, &nerrors) != 0) {
		show_form(req, res, errors, nerrors, form_token);
		return;
	}

	char reference[32], order_reference[32], token[CRYPTO_TOKEN_LEN + 1],
		digest[CRYPTO_DIGEST_HEX];
	new_reference(reference, sizeof(reference), "R");
	new_reference(order_reference, sizeof(order_reference), "O");
	char dob[11], imposed[11], complete_by[11];
	civil_date_iso(v.dob, dob);
	civil_date_iso(v.order_date, imposed);
	civil_date_iso(v.complete_by, complete_by);

	struct referral_new r = {
		.case_worker_id = ar->user.id,
		.authority_id = ar->user.authority_id,
		.form_token = form_token,
		.reference = reference,
		.order_reference = order_reference,
		.first_name = v.first_name,
		.last_name = v.last_name,
		.date_of_birth = dob,
		.email = v.email,
		.mobile = v.mobile,
		.case_reference = v.case_reference,
		.court_reference = v.order_reference,
		.imposed_on = imposed,
		.complete_by = complete_by,
		.unpaid_hours = v.unpaid_hours,
		.activity_minutes = v.activity_hours * 60,
		.access_needs = v.access_needs,
		.group_notes = v.group_notes,
		.now = now,
	};

	/* The messages' words, written now so they go in the same transaction. */
	struct tpl_vars *mv = tpl_vars_new(req->pool);
	tpl_set(mv, "case_worker_name", ar->user.name);
	tpl_set(mv, "first_name", v.first_name);
	tpl_set(mv, "last_name", v.last_name);
	tpl_set(mv, "reference", reference);
	tpl_set(mv, "order_reference", order_reference);
	tpl_set_int(mv, "activity_hours", v.activity_hours);
	tpl_set(mv, "complete_by", date_text(req, v.complete_by));
	tpl_set(mv, "base_url", app.base_url);
	r.messages[0] = (struct outbox_message){
		.kind = "referral_confirmation",
		.recipient = ar->user.email,
		.subject = pool_printf(req->pool, "Referral %s received", reference),
	};
	if (v.email) {
		crypto_token(token);
		crypto_token_digest(token, digest);
		r.invitation_digest = digest;
		r.invitation_expires_at = now + APP_INVITATION_S;
		char expires[64];
		london_format(r.invitation_expires_at, expires, sizeof(expires));
		tpl_set(mv, "token", token);
		tpl_set(mv, "expires", pool_strdup(req->pool, expires));
		r.messages[1] = (struct outbox_message){
			.kind = "invitation",
			.recipient = v.email,
			.subject = "Your invitation to Cairn",
			.body = app_render_text(req, "email/invitation", mv),
		};
	}
	/* The confirmation links to the client page, whose id exists only after the insert:
	 * it links to the referral instead, which leads there. */
	tpl_set(mv, "client_path", pool_printf(req->pool, "referrals/%s", reference));
	r.messages[0].body = app_render_text(req, "email/referral_confirmation", mv);

	const char *saved = NULL;
	struct err e;
	if (ar->store->ops->referral_create(ar->store, req->pool, &r, &saved, &e) != 0) {
		log_error("referral: %s", e.msg);
		app_error(req, res, 503, "Sorry, the referral could not be sent",
			  "Nothing was saved. Please try again in a minute.");
		return;
	}
	log_info("referral %s by user %lld", saved, (long long)ar->user.id);
	http_redirect(res, 303, pool_printf(req->pool, "/referrals/%s", saved));
}

static int may_see(const struct app_request *ar, const struct referral_row *r)
{
	if (ar->user.role == ROLE_CASE_WORKER)
		return r->authority_id == ar->user.authority_id;
	return 0;
}

void referrals_sent(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	char ref[32];
	if (reference_normalise(http_route_param(req, 0), "R", ref, sizeof(ref)) != 0) {
		app_not_found(req, res);
		return;
	}
	struct referral_row r;
	if (ar->store->ops->referral_by_reference(ar->store, req->pool, ref, &r) != 0 ||
	    !may_see(ar, &r)) {
		app_not_found(req, res);
		return;
	}
	app_audit(req, "view_referral", "client", r.client_id);
	struct tpl_vars *v = ar->vars;
	tpl_set(v, "reference", r.reference);
	tpl_set(v, "first_name", r.first_name);
	tpl_set(v, "last_name", r.last_name);
	tpl_set_int(v, "client_id", r.client_id);
	tpl_set(v, "order_reference", r.order_reference);
	tpl_set_int(v, "activity_hours", r.activity_minutes / 60);
	struct civil_date d;
	tpl_set(v, "complete_by",
		civil_date_parse(r.complete_by, &d) == 0 ? date_text(req, d) : r.complete_by);
	struct client_record c;
	if (ar->store->ops->client_get(ar->store, req->pool, r.client_id, &c) == 0)
		tpl_set_bool(v, "invited", c.email != NULL);
	app_page(req, res, "referral_sent", "Referral sent");
}

void referrals_list(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	const int per_page = 50;
	long page = app_page_number(req, 10000);
	struct referral_list_item *rows;
	size_t n;
	if (ar->store->ops->referrals_by_case_worker(ar->store, req->pool, ar->user.id, per_page + 1,
						     (int)((page - 1) * per_page), &rows, &n) != 0) {
		app_unavailable(req, res);
		return;
	}
	for (size_t i = 0; i < n && i < (size_t)per_page; i++) {
		struct tpl_vars *item = tpl_add(ar->vars, "referrals");
		tpl_set_int(item, "client_id", rows[i].client_id);
		tpl_set(item, "first_name", rows[i].first_name);
		tpl_set(item, "last_name", rows[i].last_name);
		tpl_set(item, "reference", rows[i].reference);
		tpl_set(item, "case_reference", rows[i].case_reference);
		char *when = pool_take(req->pool, 64);
		london_format(rows[i].created_at, when, 64);
		tpl_set(item, "sent", when);
		tpl_set(item, "status", referral_status_label(rows[i].status));
	}
	tpl_set_bool(ar->vars, "more", n > (size_t)per_page);
	tpl_set_int(ar->vars, "next_page", page + 1);
	app_page(req, res, "referral_list", "My referrals");
}
