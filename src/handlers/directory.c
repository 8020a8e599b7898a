#include "handlers/directory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/log.h"
#include "core/utf8.h"
#include "crypto/crypto.h"
#include "domain/postcode.h"
#include "domain/reference.h"
#include "html/escape.h"

const char *const directory_refer_fields[] = {"csrf_token", "form_token", "client_id", NULL};
const char *const directory_postcode_fields[] = {"csrf_token", "postcode", NULL};
const char *const directory_moderate_fields[] = {"csrf_token", "kind", "id", "decision", NULL};

void directory_new_uuid(char out[DIRECTORY_UUID_LEN + 1])
{
	unsigned char r[16];
	crypto_random(r, sizeof(r));
	directory_uuid(r, out);
}

/* Case workers see the clients of their own authority; coordinators and administrators
 * everyone's. */
static int may_see_client(const struct user *u, int64_t authority_id)
{
	switch (u->role) {
	case ROLE_CASE_WORKER:
		return u->authority_id == authority_id;
	case ROLE_COORDINATOR:
	case ROLE_ADMINISTRATOR:
		return 1;
	default:
		return 0;
	}
}

static int64_t id_param(const char *text)
{
	if (text == NULL || text[0] < '1' || text[0] > '9' || strlen(text) > 18)
		return 0;
	char *end;
	long long id = strtoll(text, &end, 10);
	return *end == '\0' ? id : 0;
}

/* ---- the search ---------------------------------------------------------------------- */

struct search_form {
	const char *q, *type, *category, *skill, *postcode, *miles, *sort;
	int other_activity, placements;
	int64_t client_id;
};

static void add_error(struct http_request *req, const char *field, const char *message)
{
	struct tpl_vars *e = tpl_add(app_req(req)->vars, "errors");
	tpl_set(e, "field", field);
	tpl_set(e, "message", message);
	tpl_set(app_req(req)->vars, pool_printf(req->pool, "%s_error", field), message);
}

/* The options of a filter from one of Cairn's taxonomies, the chosen one selected. */
static void term_options(struct http_request *req, const char *list, const char *use,
			 const char *chosen)
{
	struct app_request *ar = app_req(req);
	struct directory_term *terms;
	size_t n = 0;
	if (ar->store->ops->directory_terms(ar->store, req->pool, use, &terms, &n) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct tpl_vars *o = tpl_add(ar->vars, list);
		tpl_set(o, "value", terms[i].id);
		tpl_set(o, "label", terms[i].name);
		tpl_set_bool(o, "selected", chosen && strcmp(chosen, terms[i].id) == 0);
	}
}

/* A chosen term must be one of that taxonomy's: NULL (with an error) when it is not. */
static const char *term_choice(struct http_request *req, const char *value, const char *use,
			       const char *field, const char *message)
{
	if (value == NULL || value[0] == '\0')
		return NULL;
	struct app_request *ar = app_req(req);
	struct directory_term t;
	if (!directory_uuid_valid(value) ||
	    ar->store->ops->directory_term_get(ar->store, req->pool, value, &t) != 0 ||
	    t.use == NULL || strcmp(t.use, use) != 0) {
		add_error(req, field, message);
		return NULL;
	}
	return value;
}

static void query_param(struct buf *b, const char *name, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return;
	buf_puts(b, b->len ? "&" : "?");
	buf_puts(b, name);
	buf_puts(b, "=");
	escape_url_component(b, value, strlen(value));
}

/* The search's address with these filters and page. */
static const char *search_url(struct http_request *req, const struct search_form *f, long page)
{
	struct buf b;
	buf_init(&b);
	query_param(&b, "q", f->q);
	query_param(&b, "type", f->type);
	query_param(&b, "category", f->category);
	query_param(&b, "skill", f->skill);
	if (f->other_activity)
		query_param(&b, "other_activity", "yes");
	if (f->placements)
		query_param(&b, "placements", "yes");
	query_param(&b, "postcode", f->postcode);
	query_param(&b, "miles", f->miles);
	query_param(&b, "sort", f->sort);
	if (f->client_id)
		query_param(&b, "client", pool_printf(req->pool, "%lld", (long long)f->client_id));
	if (page > 1)
		query_param(&b, "page", pool_printf(req->pool, "%ld", page));
	const char *url = pool_printf(req->pool, "/directory%s", b.data ? b.data : "");
	buf_free(&b);
	return url;
}

static const char *hours_text(struct http_request *req, int minutes)
{
	return minutes > 0 ? app_minutes_text(req, minutes) : NULL;
}

static void result_vars(struct http_request *req, struct tpl_vars *r, const struct directory_result *x,
			const char *form_token, int64_t client_id)
{
	tpl_set(r, "service_id", x->service_id);
	tpl_set(r, "name", x->name);
	tpl_set(r, "organization", x->organization_name);
	tpl_set(r, "description", x->description);
	tpl_set(r, "types", x->types);
	tpl_set(r, "categories", x->categories);
	tpl_set_bool(r, "counts", x->counts_as_other_activity);
	tpl_set(r, "typical", hours_text(req, x->typical_minutes));
	if (x->places > 0)
		tpl_set_int(r, "places", x->places);
	if (x->address_1)
		tpl_set(r, "address", pool_printf(req->pool, "%s, %s %s", x->address_1,
						  x->city ? x->city : "", x->postal_code ? x->postal_code : ""));
	if (x->metres >= 0) {
		char *t = pool_alloc(req->pool, 24);
		geo_miles_text(x->metres, t, 24);
		tpl_set(r, "distance", t);
	}
	if (form_token) {
		tpl_set(r, "form_token", form_token);
		tpl_set_int(r, "client_id", client_id);
	}
}

void directory_search(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct store *s = ar->store;
	struct tpl_vars *v = ar->vars;
	struct search_form f = {
		.q = http_query(req, "q"),
		.type = http_query(req, "type"),
		.category = http_query(req, "category"),
		.skill = http_query(req, "skill"),
		.postcode = http_query(req, "postcode"),
		.miles = http_query(req, "miles"),
		.sort = http_query(req, "sort"),
		.other_activity = http_query(req, "other_activity") != NULL,
		.placements = http_query(req, "placements") != NULL,
	};
	int bad = 0;
	const char *client_text = http_query(req, "client");
	struct client_record c;
	if (client_text && client_text[0]) {
		f.client_id = id_param(client_text);
		if (f.client_id == 0 || s->ops->client_get(s, req->pool, f.client_id, &c) != 0 ||
		    !may_see_client(&ar->user, c.authority_id)) {
			app_not_found(req, res);
			return;
		}
		app_audit(req, "directory_search_for_client", "client", c.id);
		tpl_set(v, "client_name", pool_printf(req->pool, "%s %s", c.first_name, c.last_name));
		tpl_set_int(v, "client_id", c.id);
		const char *pc = NULL;
		if (s->ops->client_postcode(s, req->pool, c.id, &pc) == 0 && pc && f.postcode == NULL)
			f.postcode = pc;
		if (pc == NULL)
			tpl_set_bool(v, "client_without_postcode", 1);
	}

	/* The text as typed is shown back; what is searched is made safe by the domain. */
	const char *fts = NULL;
	if (f.q && utf8_length(f.q, strlen(f.q)) > DIRECTORY_TEXT_MAX_CHARS)
		tpl_set_bool(v, "text_cut", 1);
	directory_fts_query(req->pool, f.q, &fts);

	struct directory_query q = {.fts = fts, .other_activity = f.other_activity,
				    .hosts_placements = f.placements};
	q.service_type_id = term_choice(req, f.type, "service_type", "type",
					"Choose a service type from the list");
	q.category_id = term_choice(req, f.category, "category", "category",
				    "Choose a category from the list");
	q.skill_id = term_choice(req, f.skill, "skill", "skill", "Choose a skill from the list");
	bad = (f.type && f.type[0] && !q.service_type_id) ||
	      (f.category && f.category[0] && !q.category_id) || (f.skill && f.skill[0] && !q.skill_id);

	int miles = 10;
	if (f.miles && f.miles[0]) {
		miles = directory_miles_parse(f.miles);
		if (miles == 0) {
			add_error(req, "miles", "Choose a distance of 1, 5, 10 or 25 miles");
			bad = 1;
			miles = 10;
		}
	}
	char pc[POSTCODE_MAX];
	if (f.postcode && f.postcode[0]) {
		if (postcode_normalise(f.postcode, pc) != 0) {
			add_error(req, "postcode", "Enter a full UK postcode, like G1 1XQ");
			bad = 1;
		} else if (s->ops->postcode_find(s, pc, &q.latitude, &q.longitude) != 0) {
			add_error(req, "postcode",
				  pool_printf(req->pool, "We do not know the postcode %s. Check it, "
							 "or search without a postcode", pc));
			bad = 1;
		} else {
			q.located = 1;
			q.metres = geo_miles_to_metres(miles);
			/* Near a place, nearest first unless the best matches are asked for. */
			q.by_distance = !(f.sort && strcmp(f.sort, "relevance") == 0 && fts);
			tpl_set(v, "searched_postcode", pool_strdup(req->pool, pc));
		}
	}

	tpl_set(v, "q", f.q);
	tpl_set(v, "postcode", f.postcode);
	tpl_set_bool(v, "other_activity", f.other_activity);
	tpl_set_bool(v, "placements", f.placements);
	for (size_t i = 0; i < 4; i++) {
		struct tpl_vars *o = tpl_add(v, "distances");
		tpl_set_int(o, "value", directory_miles[i]);
		tpl_set_bool(o, "selected", directory_miles[i] == miles);
	}
	tpl_set_bool(v, "sort_distance", q.located && q.by_distance);
	tpl_set_bool(v, "sort_relevance", !(q.located && q.by_distance));
	term_options(req, "types", "service_type", f.type);
	term_options(req, "categories", "category", f.category);
	term_options(req, "skills", "skill", f.skill);
	tpl_set_bool(v, "searched", req->raw_uri && strchr(req->raw_uri, '?') != NULL);

	if (bad) {
		app_page(req, res, "directory_search", "Error: Find a service");
		res->status = 400;
		return;
	}
	if (!(req->raw_uri && strchr(req->raw_uri, '?'))) {
		/* Nothing asked yet: the form alone. */
		app_page(req, res, "directory_search", "Find a service");
		return;
	}
	long page = app_page_number(req, 100000);
	q.limit = DIRECTORY_PER_PAGE;
	q.offset = (int)((page - 1) * DIRECTORY_PER_PAGE);
	struct directory_result *rows;
	size_t n = 0;
	int64_t total = 0;
	if (s->ops->directory_search(s, req->pool, &q, &rows, &n, &total) != 0) {
		app_unavailable(req, res);
		return;
	}
	/* Refer buttons: for a case worker searching for a client, one form token per page. */
	const char *form_token = NULL;
	if (f.client_id && ar->user.role == ROLE_CASE_WORKER) {
		char *t = pool_alloc(req->pool, CRYPTO_TOKEN_LEN + 1);
		crypto_token(t);
		form_token = t;
	}
	for (size_t i = 0; i < n; i++)
		result_vars(req, tpl_add(v, "results"), &rows[i], form_token, f.client_id);
	tpl_set_int(v, "total", total);
	tpl_set_bool(v, "one_result", total == 1);
	long pages = (long)((total + DIRECTORY_PER_PAGE - 1) / DIRECTORY_PER_PAGE);
	if (pages > 1) {
		tpl_set_int(v, "page", page);
		tpl_set_int(v, "pages", pages);
	}
	if (page > 1)
		tpl_set(v, "previous_url", search_url(req, &f, page - 1));
	if (page < pages)
		tpl_set(v, "next_url", search_url(req, &f, page + 1));
	if (q.located && fts) {
		struct search_form other = f;
		other.sort = q.by_distance ? "relevance" : "distance";
		tpl_set(v, "other_sort_url", search_url(req, &other, 1));
	}
	app_page(req, res, "directory_search", "Find a service");
}

/* ---- a service's page ------------------------------------------------------------------ */

static void service_vars(struct http_request *req, struct tpl_vars *v, const struct directory_service *x)
{
	tpl_set(v, "service_id", x->id);
	tpl_set(v, "name", x->name);
	tpl_set(v, "organization", x->organization_name);
	tpl_set(v, "description", x->description);
	tpl_set(v, "eligibility", x->eligibility_description);
	tpl_set(v, "application_process", x->application_process);
	tpl_set(v, "fees", x->fees);
	tpl_set(v, "url", x->url);
	tpl_set(v, "email", x->email);
	tpl_set_bool(v, "counts", x->counts_as_other_activity);
	tpl_set(v, "typical", hours_text(req, x->typical_minutes));
	tpl_set(v, "moderation", directory_moderation_label(x->moderation));
	tpl_set_bool(v, "approved", strcmp(x->moderation, "approved") == 0);
	tpl_set_bool(v, "retired", strcmp(x->moderation, "retired") == 0);
	if (x->address_1)
		tpl_set(v, "address", pool_printf(req->pool, "%s, %s %s", x->address_1,
						  x->city ? x->city : "", x->postal_code ? x->postal_code : ""));
	for (size_t i = 0; i < x->nterms; i++) {
		struct tpl_vars *t = tpl_add(v, "terms");
		tpl_set(t, "name", x->terms[i].name);
	}
	for (size_t i = 0; i < x->nplacements; i++) {
		const struct directory_placement *p = &x->placements[i];
		if (strcmp(p->moderation, "retired") == 0)
			continue;
		struct tpl_vars *t = tpl_add(v, "placement_offers");
		tpl_set(t, "id", p->id);
		tpl_set(t, "area", p->area_of_expertise);
		tpl_set(t, "skills", p->skills);
		tpl_set_int(t, "places", p->places_available);
		tpl_set(t, "times", p->times);
		tpl_set(t, "moderation", directory_moderation_label(p->moderation));
		tpl_set_bool(t, "approved", strcmp(p->moderation, "approved") == 0);
	}
}

void directory_service(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	const char *id = http_route_param(req, 0);
	struct directory_service x;
	if (!directory_uuid_valid(id) ||
	    ar->store->ops->directory_service_get(ar->store, req->pool, id, &x) != 0) {
		app_not_found(req, res);
		return;
	}
	int coordinator = ar->user.role == ROLE_COORDINATOR || ar->user.role == ROLE_ADMINISTRATOR;
	/* Case workers see only what is listed; coordinators see everything, to moderate. */
	if (!coordinator && strcmp(x.moderation, "approved") != 0) {
		app_not_found(req, res);
		return;
	}
	struct tpl_vars *v = ar->vars;
	service_vars(req, v, &x);
	tpl_set_bool(v, "coordinator", coordinator);
	int64_t client_id = id_param(http_query(req, "client"));
	struct client_record c;
	if (client_id && ar->user.role == ROLE_CASE_WORKER &&
	    ar->store->ops->client_get(ar->store, req->pool, client_id, &c) == 0 &&
	    may_see_client(&ar->user, c.authority_id)) {
		app_audit(req, "view_client", "client", c.id);
		char *t = pool_alloc(req->pool, CRYPTO_TOKEN_LEN + 1);
		crypto_token(t);
		tpl_set(v, "form_token", t);
		tpl_set_int(v, "client_id", c.id);
		tpl_set(v, "client_name", pool_printf(req->pool, "%s %s", c.first_name, c.last_name));
	}
	app_page(req, res, "directory_service", x.name);
}

/* ---- one-click referral ---------------------------------------------------------------- */

void directory_refer(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct store *s = ar->store;
	const char *service_id = http_route_param(req, 0);
	const char *form_token = http_form(req, "form_token");
	int64_t client_id = id_param(http_form(req, "client_id"));
	if (form_token == NULL || strlen(form_token) != CRYPTO_TOKEN_LEN) {
		app_error(req, res, 400, "There is a problem with your request",
			  "The form could not be read. Go back, refresh the page, and send it again.");
		return;
	}
	struct client_record c;
	struct directory_service x;
	if (!directory_uuid_valid(service_id) || client_id == 0 ||
	    s->ops->client_get(s, req->pool, client_id, &c) != 0 ||
	    !may_see_client(&ar->user, c.authority_id) ||
	    s->ops->directory_service_get(s, req->pool, service_id, &x) != 0) {
		app_not_found(req, res);
		return;
	}
	if (strcmp(x.moderation, "approved") != 0 || strcmp(x.status, "active") != 0) {
		app_error(req, res, 409, "This service is not taking referrals",
			  "It is no longer listed in the directory. Search again for another.");
		return;
	}
	unsigned char random[8];
	crypto_random(random, sizeof(random));
	char reference[REFERENCE_MAX];
	reference_format(random, "D", reference, sizeof(reference));

	/* Only what the organisation needs: the person, how to reach them, the reference and
	 * the service. Nothing of the order or the offence. */
	struct tpl_vars *mv = tpl_vars_new(req->pool);
	tpl_set(mv, "reference", reference);
	tpl_set(mv, "first_name", c.first_name);
	tpl_set(mv, "last_name", c.last_name);
	tpl_set(mv, "client_email", c.email);
	if (c.mobile) {
		char *m = pool_alloc(req->pool, 32);
		mobile_format(c.mobile, m, 32);
		tpl_set(mv, "client_mobile", m);
	}
	tpl_set(mv, "service", x.name);
	tpl_set(mv, "organization", x.organization_name);
	tpl_set(mv, "case_worker_name", ar->user.name);
	tpl_set(mv, "case_worker_email", ar->user.email);
	tpl_set(mv, "base_url", app.base_url);
	struct directory_referral_new r = {
		.reference = reference,
		.form_token = form_token,
		.client_id = c.id,
		.order_id = c.order_id,
		.authority_id = c.authority_id,
		.referred_by = ar->user.id,
		.service_id = x.id,
		.now = app_now(),
		.message_recipient = x.organization_email,
		.message_subject = pool_printf(req->pool, "New referral %s: %s", reference, x.name),
	};
	int64_t id = 0;
	int result = 0;
	/* The message links to the referral's page, whose id exists only after the insert:
	 * it names the reference, and the organisation's list shows it. */
	r.message_body = app_render_text(req, "email/directory_referral", mv);
	if (s->ops->directory_referral_create(s, &r, &id, &result) != 0) {
		app_error(req, res, 503, "Sorry, the referral could not be sent",
			  "Nothing was saved. Please try again in a minute.");
		return;
	}
	switch (result) {
	case DIRECTORY_REFERRAL_MADE:
		app_audit(req, "directory_referral", "client", c.id);
		log_info("directory referral %s by user %lld", reference, (long long)ar->user.id);
		/* fall through */
	case DIRECTORY_REFERRAL_REPEAT:
		http_redirect(res, 303, pool_printf(req->pool, "/directory/referrals/%lld", (long long)id));
		return;
	case DIRECTORY_REFERRAL_ALREADY_OPEN:
		app_error(req, res, 409, "Already referred",
			  pool_printf(req->pool, "%s %s already has a referral to %s that is waiting "
						 "for an answer or under way. See the client's page.",
				      c.first_name, c.last_name, x.name));
		return;
	default:
		app_error(req, res, 409, "This service is not taking referrals",
			  "It is no longer listed in the directory. Search again for another.");
		return;
	}
}

/* ---- a directory referral's page (staff and the organisation) ------------------------- */

static int may_see_referral(const struct user *u, const struct directory_referral *r)
{
	if (u->role == ROLE_ORGANISATION)
		return u->organization_id && strcmp(u->organization_id, r->organization_id) == 0;
	return may_see_client(u, r->authority_id);
}

void directory_referral_vars(struct http_request *req, struct tpl_vars *v,
			     const struct directory_referral *r)
{
	tpl_set_int(v, "id", r->id);
	tpl_set(v, "reference", r->reference);
	tpl_set(v, "status", directory_referral_status_label(r->status));
	tpl_set_bool(v, "is_sent", strcmp(r->status, "sent") == 0);
	tpl_set_bool(v, "is_accepted", strcmp(r->status, "accepted") == 0);
	tpl_set_bool(v, "is_completed", strcmp(r->status, "completed") == 0);
	tpl_set(v, "client_name", pool_printf(req->pool, "%s %s", r->first_name, r->last_name));
	tpl_set_int(v, "client_id", r->client_id);
	tpl_set(v, "client_email", r->client_email);
	if (r->client_mobile) {
		char *m = pool_alloc(req->pool, 32);
		mobile_format(r->client_mobile, m, 32);
		tpl_set(v, "client_mobile", m);
	}
	tpl_set(v, "service", r->service_name);
	tpl_set(v, "service_id", r->service_id);
	tpl_set(v, "organization", r->organization_name);
	tpl_set_bool(v, "counts", r->counts_as_other_activity);
	tpl_set(v, "referred_by", r->referred_by_name);
	tpl_set(v, "referred_by_email", r->referred_by_email);
	tpl_set(v, "sent", app_time_text(req, r->created_at));
	if (r->answered_at)
		tpl_set(v, "answered", app_time_text(req, r->answered_at));
	if (r->completed_at)
		tpl_set(v, "completed", app_time_text(req, r->completed_at));
	tpl_set(v, "decline_reason", r->decline_reason);
	if (r->minutes_confirmed >= 0)
		tpl_set(v, "hours_confirmed", app_minutes_text(req, r->minutes_confirmed));
	if (r->minutes_credited > 0)
		tpl_set(v, "hours_credited", app_minutes_text(req, r->minutes_credited));
}

void directory_referral(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	int64_t id = app_route_id(req, 0);
	struct directory_referral r;
	if (id == 0 || ar->store->ops->directory_referral_get(ar->store, req->pool, id, &r) != 0 ||
	    !may_see_referral(&ar->user, &r)) {
		app_not_found(req, res);
		return;
	}
	app_audit(req, "view_directory_referral", "client", r.client_id);
	directory_referral_vars(req, ar->vars, &r);
	tpl_set_bool(ar->vars, "organisation_user", ar->user.role == ROLE_ORGANISATION);
	tpl_set_bool(ar->vars, "staff", ar->user.role != ROLE_ORGANISATION);
	app_page(req, res, "directory_referral", pool_printf(req->pool, "Referral %s", r.reference));
}

/* ---- the client page's part -------------------------------------------------------------- */

void directory_client_vars(struct http_request *req, struct tpl_vars *v, int64_t client_id,
			   const char *first_name, const char *last_name)
{
	struct app_request *ar = app_req(req);
	const char *pc = NULL;
	if (ar->store->ops->client_postcode(ar->store, req->pool, client_id, &pc) == 0)
		tpl_set(v, "client_postcode", pc);
	tpl_set(v, "near_name", pool_printf(req->pool, "%s %s", first_name, last_name));
	tpl_set_int(v, "client_id_for_postcode", client_id);
	tpl_set_bool(v, "may_refer", ar->user.role == ROLE_CASE_WORKER);
	struct directory_referral *rows;
	size_t n = 0;
	if (ar->store->ops->directory_referrals_of_client(ar->store, req->pool, client_id, &rows, &n) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct tpl_vars *r = tpl_add(v, "directory_referrals");
		tpl_set_int(r, "id", rows[i].id);
		tpl_set(r, "reference", rows[i].reference);
		tpl_set(r, "service", rows[i].service_name);
		tpl_set(r, "organization", rows[i].organization_name);
		tpl_set(r, "status", directory_referral_status_label(rows[i].status));
		tpl_set(r, "sent", app_time_text(req, rows[i].created_at));
	}
}

void directory_client_postcode(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	int64_t id = app_route_id(req, 0);
	struct client_record c;
	if (id == 0 || ar->store->ops->client_get(ar->store, req->pool, id, &c) != 0 ||
	    !may_see_client(&ar->user, c.authority_id) || ar->user.role != ROLE_CASE_WORKER) {
		app_not_found(req, res);
		return;
	}
	const char *typed = http_form(req, "postcode");
	char pc[POSTCODE_MAX];
	int empty = typed == NULL || strspn(typed, " \t") == strlen(typed);
	if (!empty && postcode_normalise(typed, pc) != 0) {
		app_error(req, res, 400, "There is a problem with the postcode",
			  "Enter a full UK postcode, like G1 1XQ. Go back and try again.");
		return;
	}
	if (ar->store->ops->client_postcode_set(ar->store, c.id, empty ? NULL : pc) != 0) {
		app_unavailable(req, res);
		return;
	}
	app_audit(req, "change_client_postcode", "client", c.id);
	http_redirect(res, 303, pool_printf(req->pool, "/clients/%lld", (long long)c.id));
}

/* ---- approvals ----------------------------------------------------------------------------- */

void directory_moderation(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct directory_service *services;
	struct directory_placement *placements;
	size_t ns = 0, np = 0;
	if (ar->store->ops->directory_pending(ar->store, req->pool, &services, &ns, &placements, &np) != 0) {
		app_unavailable(req, res);
		return;
	}
	for (size_t i = 0; i < ns; i++) {
		struct tpl_vars *t = tpl_add(ar->vars, "services");
		tpl_set(t, "id", services[i].id);
		tpl_set(t, "name", services[i].name);
		tpl_set(t, "organization", services[i].organization_name);
		tpl_set(t, "changed", app_time_text(req, services[i].last_modified));
	}
	for (size_t i = 0; i < np; i++) {
		struct tpl_vars *t = tpl_add(ar->vars, "placement_offers");
		tpl_set(t, "id", placements[i].id);
		tpl_set(t, "service_id", placements[i].service_id);
		tpl_set(t, "area", placements[i].area_of_expertise);
		tpl_set(t, "skills", placements[i].skills);
		tpl_set_int(t, "places", placements[i].places_available);
		tpl_set(t, "changed", app_time_text(req, placements[i].last_modified));
	}
	app_page(req, res, "directory_moderation", "Directory approvals");
}

void directory_moderate(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	const char *kind = http_form(req, "kind");
	const char *id = http_form(req, "id");
	const char *decision = http_form(req, "decision");
	int is_service = kind && strcmp(kind, "service") == 0;
	int is_placement = kind && strcmp(kind, "placement") == 0;
	const char *to = decision && strcmp(decision, "approve") == 0   ? "approved"
			 : decision && strcmp(decision, "retire") == 0 ? "retired"
								       : NULL;
	if (!(is_service || is_placement) || to == NULL || !directory_uuid_valid(id)) {
		app_error(req, res, 400, "There is a problem with your request",
			  "Choose Approve or Retire for a listing on the approvals page.");
		return;
	}
	int rc = ar->store->ops->directory_moderate(ar->store, kind, id, to, ar->user.id, app_now());
	if (rc == STORE_NOT_FOUND) {
		app_not_found(req, res);
		return;
	}
	if (rc != 0) {
		app_unavailable(req, res);
		return;
	}
	log_info("directory: %s %s %s by user %lld", kind, id, to, (long long)ar->user.id);
	http_redirect(res, 303, "/directory/moderation");
}
