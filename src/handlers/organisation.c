#include "handlers/organisation.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/log.h"
#include "core/utf8.h"
#include "domain/directory.h"
#include "domain/postcode.h"
#include "handlers/directory.h"

const char *const organisation_answer_fields[] = {"csrf_token", "decision", "reason", NULL};
const char *const organisation_hours_fields[] = {"csrf_token", "hours", NULL};
const char *const organisation_service_fields[] = {
	"csrf_token", "name", "description", "eligibility", "application_process", "fees",
	"counts", "typical_hours", "type", "category", "address_1", "city", "postcode", NULL};
const char *const organisation_placement_fields[] = {"csrf_token", "area", "places", "times",
						     "skill", NULL};

#define TEXT_MAX 1000
#define DESCRIPTION_MAX 4000

static const char *org_of(struct http_request *req)
{
	return app_req(req)->user.organization_id;
}

static void add_error(struct http_request *req, const char *field, const char *message)
{
	struct tpl_vars *v = app_req(req)->vars;
	struct tpl_vars *e = tpl_add(v, "errors");
	tpl_set(e, "field", field);
	tpl_set(e, "message", message);
	tpl_set(v, pool_printf(req->pool, "%s_error", field), message);
}

/* Trimmed text of at most max characters; NULL when empty. *bad is set (with an error)
 * when it is required and empty, or too long. */
static const char *text_field(struct http_request *req, const char *field, size_t max, int required,
			      const char *what, int *bad)
{
	const char *v = http_form(req, field);
	if (v == NULL)
		v = "";
	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	size_t n = strlen(v);
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
		n--;
	if (n == 0) {
		if (required) {
			add_error(req, field, pool_printf(req->pool, "Enter %s", what));
			*bad = 1;
		}
		return NULL;
	}
	if (utf8_length(v, n) > max) {
		char first = what[0] >= 'a' && what[0] <= 'z' ? (char)(what[0] - 'a' + 'A') : what[0];
		add_error(req, field, pool_printf(req->pool, "%c%s must be %zu characters or fewer",
						  first, what + 1, max));
		*bad = 1;
	}
	return pool_strndup(req->pool, v, n);
}

/* A whole number from lo to hi; -1 (with an error) otherwise. */
static int number_field(struct http_request *req, const char *field, int lo, int hi,
			const char *message, int *bad)
{
	const char *v = http_form(req, field);
	char *end;
	long n = v && *v >= '0' && *v <= '9' && strlen(v) < 8 ? strtol(v, &end, 10) : -1;
	if (n < 0 || *end != '\0' || n < lo || n > hi) {
		add_error(req, field, message);
		*bad = 1;
		return -1;
	}
	return (int)n;
}

/* Every value of a repeated form field (checkboxes) that is a term of this use. */
static const char **term_values(struct http_request *req, const char *field, const char *use,
				size_t *count, int *bad)
{
	struct app_request *ar = app_req(req);
	const char **ids = pool_alloc(req->pool, sizeof(*ids) * (req->nform + 1));
	*count = 0;
	for (size_t i = 0; i < req->nform; i++) {
		if (strcmp(req->form[i].name, field) != 0 || req->form[i].value[0] == '\0')
			continue;
		struct directory_term t;
		if (!directory_uuid_valid(req->form[i].value) ||
		    ar->store->ops->directory_term_get(ar->store, req->pool, req->form[i].value, &t) != 0 ||
		    t.use == NULL || strcmp(t.use, use) != 0) {
			add_error(req, field, "Choose from the list");
			*bad = 1;
			return ids;
		}
		ids[(*count)++] = req->form[i].value;
	}
	return ids;
}

static int chosen(const char *const *ids, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(ids[i], id) == 0)
			return 1;
	return 0;
}

static void term_checks(struct http_request *req, const char *list, const char *use,
			const char *const *ids, size_t n)
{
	struct app_request *ar = app_req(req);
	struct directory_term *terms;
	size_t nt = 0;
	if (ar->store->ops->directory_terms(ar->store, req->pool, use, &terms, &nt) != 0)
		return;
	for (size_t i = 0; i < nt; i++) {
		struct tpl_vars *o = tpl_add(ar->vars, list);
		tpl_set(o, "value", terms[i].id);
		tpl_set(o, "label", terms[i].name);
		tpl_setf(o, "n", "%zu", i);
		tpl_set_bool(o, "checked", chosen(ids, n, terms[i].id));
	}
}

/* ---- the organisation's home ---------------------------------------------------------- */

void organisation_home(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct store *s = ar->store;
	struct directory_referral *refs;
	struct directory_service *services;
	size_t nr = 0, ns = 0;
	long page = app_page_number(req, 10000);
	if (s->ops->directory_referrals_of_organization(s, req->pool, org_of(req), 51,
							 (int)(page - 1) * 50, &refs, &nr) != 0 ||
	    s->ops->directory_services_of(s, req->pool, org_of(req), &services, &ns) != 0) {
		app_unavailable(req, res);
		return;
	}
	for (size_t i = 0; i < nr && i < 50; i++) {
		struct tpl_vars *r = tpl_add(ar->vars, "referrals");
		tpl_set_int(r, "id", refs[i].id);
		tpl_set(r, "reference", refs[i].reference);
		tpl_set(r, "name", pool_printf(req->pool, "%s %s", refs[i].first_name, refs[i].last_name));
		tpl_set(r, "service", refs[i].service_name);
		tpl_set(r, "status", directory_referral_status_label(refs[i].status));
		tpl_set(r, "sent", app_time_text(req, refs[i].created_at));
	}
	if (nr > 50)
		tpl_set_int(ar->vars, "next_page", page + 1);
	for (size_t i = 0; i < ns; i++) {
		struct tpl_vars *v = tpl_add(ar->vars, "services");
		tpl_set(v, "id", services[i].id);
		tpl_set(v, "name", services[i].name);
		tpl_set(v, "moderation", directory_moderation_label(services[i].moderation));
	}
	app_audit(req, "view_directory_referrals", "organization", 0);
	app_page(req, res, "organisation_home", ar->user.authority_name ? ar->user.authority_name : "Your organisation");
}

/* ---- answering referrals and confirming hours ------------------------------------------ */

static int load_referral(struct http_request *req, struct http_response *res,
			 struct directory_referral *r)
{
	struct app_request *ar = app_req(req);
	int64_t id = app_route_id(req, 0);
	if (id == 0 || ar->store->ops->directory_referral_get(ar->store, req->pool, id, r) != 0 ||
	    strcmp(r->organization_id, org_of(req)) != 0) {
		app_not_found(req, res);
		return -1;
	}
	return 0;
}

static void referral_page(struct http_request *req, struct http_response *res,
			  const struct directory_referral *r, int status)
{
	struct app_request *ar = app_req(req);
	directory_referral_vars(req, ar->vars, r);
	tpl_set_bool(ar->vars, "organisation_user", 1);
	tpl_set(ar->vars, "reason", http_form(req, "reason"));
	tpl_set(ar->vars, "hours", http_form(req, "hours"));
	app_page(req, res, "directory_referral",
		 pool_printf(req->pool, "%sReferral %s", status == 400 ? "Error: " : "", r->reference));
	res->status = status;
}

static struct outbox_message answer_message(struct http_request *req, const struct directory_referral *r,
					    const char *answer, const char *reason, int minutes)
{
	struct tpl_vars *mv = tpl_vars_new(req->pool);
	tpl_set(mv, "case_worker_name", r->referred_by_name);
	tpl_set(mv, "organization", r->organization_name);
	tpl_set(mv, "answer", answer);
	tpl_set(mv, "reference", r->reference);
	tpl_set(mv, "first_name", r->first_name);
	tpl_set(mv, "last_name", r->last_name);
	tpl_set(mv, "service", r->service_name);
	tpl_set(mv, "reason", reason);
	if (minutes >= 0) {
		tpl_set(mv, "hours", app_minutes_text(req, minutes));
		tpl_set_bool(mv, "credited", r->counts_as_other_activity && minutes > 0);
	}
	tpl_set_int(mv, "id", r->id);
	tpl_set(mv, "base_url", app.base_url);
	return (struct outbox_message){
		.kind = "directory_referral_answer",
		.recipient = r->referred_by_email,
		.subject = pool_printf(req->pool, "Referral %s %s", r->reference, answer),
		.body = app_render_text(req, "email/directory_referral_answer", mv),
	};
}

void organisation_answer(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct directory_referral r;
	if (load_referral(req, res, &r) != 0)
		return;
	const char *decision = http_form(req, "decision");
	int accept = decision && strcmp(decision, "accept") == 0;
	int decline = decision && strcmp(decision, "decline") == 0;
	int bad = 0;
	const char *reason = text_field(req, "reason", TEXT_MAX, 0, "the reason", &bad);
	if (!accept && !decline) {
		add_error(req, "reason", "Choose Accept or Decline");
		bad = 1;
	}
	if (bad) {
		referral_page(req, res, &r, 400);
		return;
	}
	struct outbox_message m = answer_message(req, &r, accept ? "accepted" : "declined",
						 accept ? NULL : reason, -1);
	int result = 0;
	int rc = ar->store->ops->directory_referral_answer(ar->store, r.id, org_of(req), accept,
							  reason, ar->user.id, app_now(), &m, &result);
	if (rc == STORE_NOT_FOUND) {
		app_not_found(req, res);
		return;
	}
	if (rc != 0) {
		app_error(req, res, 503, "Sorry, the answer could not be saved",
			  "Nothing was saved. Please try again in a minute.");
		return;
	}
	if (result == DIRECTORY_ANSWER_WRONG_STATE) {
		app_error(req, res, 409, "This referral has been answered already",
			  "Go back to your organisation's page to see where it is.");
		return;
	}
	app_audit(req, accept ? "accept_directory_referral" : "decline_directory_referral", "client",
		  r.client_id);
	http_redirect(res, 303, pool_printf(req->pool, "/directory/referrals/%lld", (long long)r.id));
}

/* "6", "2.5", "1.25" hours -> minutes; -1 when not a number of hours from 0 to 300 with
 * at most two decimals. */
static int hours_minutes(const char *text)
{
	if (text == NULL)
		return -1;
	while (*text == ' ')
		text++;
	int whole = 0, digits = 0, frac = 0, fdigits = 0;
	const char *p = text;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (++digits > 3)
			return -1;
		whole = whole * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (++fdigits > 2)
				return -1;
			frac = frac * 10 + (*p - '0');
		}
		if (fdigits == 1)
			frac *= 10;
	}
	while (*p == ' ')
		p++;
	if (*p != '\0' || (digits == 0 && fdigits == 0))
		return -1;
	int minutes = whole * 60 + (frac * 60 + 50) / 100;
	return minutes <= 300 * 60 ? minutes : -1;
}

void organisation_hours(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct directory_referral r;
	if (load_referral(req, res, &r) != 0)
		return;
	int minutes = hours_minutes(http_form(req, "hours"));
	if (minutes < 0) {
		add_error(req, "hours", "Enter the hours done as a number from 0 to 300, like 6 or 2.5");
		referral_page(req, res, &r, 400);
		return;
	}
	struct outbox_message m = answer_message(req, &r, "completed", NULL, minutes);
	int result = 0;
	int rc = ar->store->ops->directory_referral_complete(ar->store, r.id, org_of(req), minutes,
							    ar->user.id, app_now(), &m, &result);
	if (rc == STORE_NOT_FOUND) {
		app_not_found(req, res);
		return;
	}
	if (rc != 0) {
		app_error(req, res, 503, "Sorry, the hours could not be saved",
			  "Nothing was saved. Please try again in a minute.");
		return;
	}
	if (result == DIRECTORY_ANSWER_WRONG_STATE) {
		app_error(req, res, 409, "Hours can be confirmed only for an accepted referral",
			  "Accept the referral first. A declined referral has no hours.");
		return;
	}
	if (result == DIRECTORY_ANSWER_DONE) {
		app_audit(req, "confirm_directory_hours", "client", r.client_id);
		log_info("directory referral %s completed: %d minutes", r.reference, minutes);
	}
	/* A repeat (DIRECTORY_ANSWER_ALREADY) changes nothing and lands on the same page. */
	http_redirect(res, 303, pool_printf(req->pool, "/directory/referrals/%lld", (long long)r.id));
}

/* ---- the organisation's listing ----------------------------------------------------------- */

static void service_form(struct http_request *req, struct http_response *res,
			 const struct directory_service *x, const char *const *type_ids, size_t ntypes,
			 const char *const *category_ids, size_t ncategories, int status)
{
	struct app_request *ar = app_req(req);
	struct tpl_vars *v = ar->vars;
	int posted = strcmp(req->method, "POST") == 0;
#define FIELD(name, value) tpl_set(v, name, posted ? http_form(req, name) : (value))
	FIELD("name", x ? x->name : NULL);
	FIELD("description", x ? x->description : NULL);
	FIELD("eligibility", x ? x->eligibility_description : NULL);
	FIELD("application_process", x ? x->application_process : NULL);
	FIELD("fees", x ? x->fees : NULL);
	FIELD("address_1", x ? x->address_1 : NULL);
	FIELD("city", x ? x->city : NULL);
	FIELD("postcode", x ? x->postal_code : NULL);
#undef FIELD
	if (posted) {
		tpl_set(v, "typical_hours", http_form(req, "typical_hours"));
		tpl_set_bool(v, "counts", http_form(req, "counts") != NULL);
	} else if (x) {
		tpl_set_int(v, "typical_hours", x->typical_minutes / 60);
		tpl_set_bool(v, "counts", x->counts_as_other_activity);
	}
	if (x)
		for (size_t i = 0; i < x->nplacements; i++) {
			struct tpl_vars *p = tpl_add(v, "placement_offers");
			tpl_set(p, "id", x->placements[i].id);
			tpl_set(p, "area", x->placements[i].area_of_expertise);
			tpl_set_int(p, "places", x->placements[i].places_available);
			tpl_set(p, "moderation", directory_moderation_label(x->placements[i].moderation));
		}
	term_checks(req, "types", "service_type", type_ids, ntypes);
	term_checks(req, "categories", "category", category_ids, ncategories);
	tpl_set(v, "service_id", x ? x->id : NULL);
	tpl_set(v, "action", x ? pool_printf(req->pool, "/organisation/services/%s", x->id)
			       : "/organisation/services/new");
	const char *title = x ? "Change your listing" : "Add a service";
	app_page(req, res, "organisation_service", status == 400 ? pool_printf(req->pool, "Error: %s", title) : title);
	res->status = status;
}

static int load_service(struct http_request *req, struct http_response *res, struct directory_service *x)
{
	struct app_request *ar = app_req(req);
	const char *id = http_route_param(req, 0);
	if (!directory_uuid_valid(id) ||
	    ar->store->ops->directory_service_get(ar->store, req->pool, id, x) != 0 ||
	    strcmp(x->organization_id, org_of(req)) != 0) {
		app_not_found(req, res);
		return -1;
	}
	return 0;
}

static const char **ids_of_use(struct http_request *req, const struct directory_service *x,
			       const char *use, size_t *n)
{
	const char **ids = pool_alloc(req->pool, sizeof(*ids) * (x->nterms + 1));
	*n = 0;
	for (size_t i = 0; i < x->nterms; i++)
		if (x->terms[i].use && strcmp(x->terms[i].use, use) == 0)
			ids[(*n)++] = x->terms[i].id;
	return ids;
}

void organisation_service_new(struct http_request *req, struct http_response *res)
{
	service_form(req, res, NULL, NULL, 0, NULL, 0, 200);
}

void organisation_service_edit(struct http_request *req, struct http_response *res)
{
	struct directory_service x;
	if (load_service(req, res, &x) != 0)
		return;
	size_t nt, nc;
	const char **types = ids_of_use(req, &x, "service_type", &nt);
	const char **cats = ids_of_use(req, &x, "category", &nc);
	service_form(req, res, &x, types, nt, cats, nc, 200);
}

void organisation_service_save(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct directory_service existing, x;
	int editing = http_route_param(req, 0) != NULL;
	if (editing && load_service(req, res, &existing) != 0)
		return;
	memset(&x, 0, sizeof(x));
	int bad = 0;
	x.id = editing ? existing.id : NULL;
	x.organization_id = org_of(req);
	x.name = text_field(req, "name", 200, 1, "the name of the service", &bad);
	x.description = text_field(req, "description", DESCRIPTION_MAX, 1, "a description", &bad);
	x.eligibility_description = text_field(req, "eligibility", TEXT_MAX, 0, "who it is for", &bad);
	x.application_process = text_field(req, "application_process", TEXT_MAX, 0, "how to access it", &bad);
	x.fees = text_field(req, "fees", TEXT_MAX, 0, "the cost", &bad);
	x.counts_as_other_activity = http_form(req, "counts") != NULL;
	int hours = number_field(req, "typical_hours", 0, 300,
				 "Enter the hours it typically credits, a whole number from 0 to 300", &bad);
	x.typical_minutes = hours > 0 ? hours * 60 : 0;
	size_t nt = 0, nc = 0;
	const char **types = term_values(req, "type", "service_type", &nt, &bad);
	const char **cats = term_values(req, "category", "category", &nc, &bad);
	x.address_1 = text_field(req, "address_1", 200, 1, "the address", &bad);
	x.city = text_field(req, "city", 100, 1, "the town or city", &bad);
	const char *typed = http_form(req, "postcode");
	char pc[POSTCODE_MAX];
	if (typed == NULL || typed[0] == '\0') {
		add_error(req, "postcode", "Enter the postcode");
		bad = 1;
	} else if (postcode_normalise(typed, pc) != 0) {
		add_error(req, "postcode", "Enter a full UK postcode, like G1 1XQ");
		bad = 1;
	} else if (ar->store->ops->postcode_find(ar->store, pc, &x.latitude, &x.longitude) != 0) {
		add_error(req, "postcode", pool_printf(req->pool, "We do not know the postcode %s. Check it", pc));
		bad = 1;
	} else {
		x.postal_code = pool_strdup(req->pool, pc);
		x.located = 1;
	}
	if (bad) {
		service_form(req, res, editing ? &existing : NULL, types, nt, cats, nc, 400);
		return;
	}
	const char **all = pool_alloc(req->pool, sizeof(*all) * (nt + nc + 1));
	memcpy(all, types, sizeof(*all) * nt);
	memcpy(all + nt, cats, sizeof(*all) * nc);
	x.term_ids = all;
	x.nterm_ids = nt + nc;
	const char *id = NULL;
	int rc = ar->store->ops->directory_service_save(ar->store, &x, directory_new_uuid, app_now(),
						       &id, req->pool);
	if (rc == STORE_NOT_FOUND && !editing) {
		/* Already listed by that name: a repeated Save changes nothing. */
		http_redirect(res, 303, "/organisation");
		return;
	}
	if (rc == STORE_NOT_FOUND) {
		app_not_found(req, res);
		return;
	}
	if (rc != 0) {
		app_error(req, res, 503, "Sorry, the listing could not be saved",
			  "Nothing was saved. Please try again in a minute.");
		return;
	}
	log_info("directory: service %s saved by user %lld, waiting for approval", id,
		 (long long)ar->user.id);
	http_redirect(res, 303, "/organisation");
}

/* ---- placement offers -------------------------------------------------------------------- */

static const struct directory_placement *find_placement(const struct directory_service *x, const char *id)
{
	for (size_t i = 0; id && i < x->nplacements; i++)
		if (strcmp(x->placements[i].id, id) == 0)
			return &x->placements[i];
	return NULL;
}

static void placement_form(struct http_request *req, struct http_response *res,
			   const struct directory_service *x, const struct directory_placement *pl,
			   const char *const *skill_ids, size_t nskills, int status)
{
	struct tpl_vars *v = app_req(req)->vars;
	int posted = strcmp(req->method, "POST") == 0;
	tpl_set(v, "service_name", x->name);
	tpl_set(v, "area", posted ? http_form(req, "area") : pl ? pl->area_of_expertise : NULL);
	tpl_set(v, "times", posted ? http_form(req, "times") : pl ? pl->times : NULL);
	if (posted)
		tpl_set(v, "places", http_form(req, "places"));
	else if (pl)
		tpl_set_int(v, "places", pl->places_available);
	term_checks(req, "skills", "skill", skill_ids, nskills);
	tpl_set(v, "action", pl ? pool_printf(req->pool, "/organisation/services/%s/placements/%s", x->id, pl->id)
				: pool_printf(req->pool, "/organisation/services/%s/placements/new", x->id));
	const char *title = pl ? "Change a placement offer" : "Offer placements";
	app_page(req, res, "organisation_placement", status == 400 ? pool_printf(req->pool, "Error: %s", title) : title);
	res->status = status;
}

void organisation_placement_form(struct http_request *req, struct http_response *res)
{
	struct directory_service x;
	if (load_service(req, res, &x) != 0)
		return;
	const char *pid = http_route_param(req, 1);
	const struct directory_placement *pl = NULL;
	if (pid && (pl = find_placement(&x, pid)) == NULL) {
		app_not_found(req, res);
		return;
	}
	placement_form(req, res, &x, pl, NULL, 0, 200);
}

void organisation_placement_save(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct directory_service x;
	if (load_service(req, res, &x) != 0)
		return;
	const char *pid = http_route_param(req, 1);
	const struct directory_placement *existing = NULL;
	if (pid && (existing = find_placement(&x, pid)) == NULL) {
		app_not_found(req, res);
		return;
	}
	int bad = 0;
	struct directory_placement pl = {.id = existing ? existing->id : NULL,
					  .service_id = x.id,
					  .organization_id = org_of(req)};
	pl.area_of_expertise = text_field(req, "area", 200, 1, "the area of expertise", &bad);
	pl.places_available = number_field(req, "places", 0, 1000,
					   "Enter the places available, a whole number from 0 to 1000", &bad);
	pl.times = text_field(req, "times", 200, 0, "the times", &bad);
	pl.skill_ids = term_values(req, "skill", "skill", &pl.nskill_ids, &bad);
	if (bad) {
		placement_form(req, res, &x, existing, pl.skill_ids, pl.nskill_ids, 400);
		return;
	}
	int rc = ar->store->ops->directory_placement_save(ar->store, &pl, directory_new_uuid, app_now());
	if (rc == STORE_NOT_FOUND && existing == NULL) {
		/* The service is the organisation's (loaded above): the offer is there already,
		 * from a repeated Save. */
		http_redirect(res, 303, "/organisation");
		return;
	}
	if (rc == STORE_NOT_FOUND) {
		app_not_found(req, res);
		return;
	}
	if (rc != 0) {
		app_error(req, res, 503, "Sorry, the placement offer could not be saved",
			  "Nothing was saved. Please try again in a minute.");
		return;
	}
	http_redirect(res, 303, "/organisation");
}
