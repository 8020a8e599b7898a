#include "handlers/clients.h"

#include "app/app.h"
#include "domain/civil_date.h"
#include "domain/ledger.h"
#include "domain/london_time.h"
#include "handlers/directory.h"

#include <string.h>

/* Case workers and local authority leads see the clients of their own authority;
 * coordinators and administrators see everyone. Anyone else gets "not found". */
static int may_see(const struct user *u, const struct client_record *c)
{
	switch (u->role) {
	case ROLE_CASE_WORKER:
	case ROLE_AUTHORITY_LEAD:
		return u->authority_id == c->authority_id;
	case ROLE_COORDINATOR:
	case ROLE_ADMINISTRATOR:
		return 1;
	default:
		return 0;
	}
}

static const char *long_date(struct http_request *req, const char *iso)
{
	struct civil_date d;
	if (iso == NULL || civil_date_parse(iso, &d) != 0)
		return iso;
	char *s = pool_alloc(req->pool, CIVIL_DATE_LONG_MAX);
	civil_date_long(d, s, CIVIL_DATE_LONG_MAX);
	return s;
}

/* A register entry for a session already in the register entries before it: a correction. */
static int is_correction(const struct timeline_event *rows, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (strcmp(rows[k].kind, "register") == 0 &&
		    rows[k].session_starts_at == rows[i].session_starts_at)
			return 1;
	return 0;
}

static const char *event_text(struct http_request *req, const struct timeline_event *e,
			      int correction)
{
	if (strcmp(e->kind, "referral") == 0)
		return pool_printf(req->pool, "Referred (%s)", e->what);
	if (strcmp(e->kind, "welcome_call") == 0)
		return strcmp(e->what, "completed") == 0 ? "Welcome call done"
		       : strcmp(e->what, "left_message") == 0 ? "Welcome call: no answer, left a message"
							       : "Welcome call: no answer";
	if (strcmp(e->kind, "booking") == 0)
		return pool_printf(req->pool, "Booked %s on %s", e->what,
				   app_time_text(req, e->session_starts_at));
	if (strcmp(e->kind, "cancellation") == 0)
		return pool_printf(req->pool, "Cancelled %s on %s", e->what,
				   app_time_text(req, e->session_starts_at));
	if (strcmp(e->kind, "register") == 0) {
		enum register_outcome o = ledger_outcome_parse(e->what);
		const char *when = app_time_text(req, e->session_starts_at);
		const char *changed = correction ? "Corrected to " : "";
		if (o == OUTCOME_ATTENDED_PART || (o == OUTCOME_FAILED_TO_COMPLY && e->minutes))
			return pool_printf(req->pool, "%s%s (%s) the session on %s", changed,
					   ledger_outcome_label(o), app_minutes_text(req, e->minutes), when);
		return pool_printf(req->pool, "%s%s: session on %s", changed, ledger_outcome_label(o), when);
	}
	if (strcmp(e->kind, "ledger") == 0) {
		if (strcmp(e->what, "reversal") == 0)
			return pool_printf(req->pool, "Hours reversed (a correction): %s",
					   app_minutes_text(req, -e->minutes));
		if (e->counted_minutes < e->minutes)
			return pool_printf(req->pool, "Hours credited: %s, of which %s not counted (over the order's hours)",
					   app_minutes_text(req, e->minutes),
					   app_minutes_text(req, e->minutes - e->counted_minutes));
		return pool_printf(req->pool, "Hours credited: %s", app_minutes_text(req, e->minutes));
	}
	return e->kind;
}

/* The client's history and hours. The totals are sums of the ledger rows shown, so the
 * page always agrees with the ledger. */
static void timeline(struct http_request *req, struct tpl_vars *v, const struct client_record *c)
{
	struct app_request *ar = app_req(req);
	struct timeline_event *rows;
	size_t n = 0;
	if (ar->store->ops->client_timeline(ar->store, req->pool, c->id, &rows, &n) != 0)
		return;
	int counted = 0, credited = 0;
	for (size_t i = 0; i < n; i++) {
		struct tpl_vars *e = tpl_add(v, "timeline");
		tpl_set(e, "when", app_time_text(req, rows[i].at));
		tpl_set(e, "what", event_text(req, &rows[i], is_correction(rows, i)));
		tpl_set(e, "detail", rows[i].detail);
		if (strcmp(rows[i].kind, "ledger") == 0) {
			counted += rows[i].counted_minutes;
			credited += rows[i].minutes;
		}
	}
	int total = c->referral.activity_minutes;
	tpl_set(v, "hours_done", app_minutes_text(req, counted));
	tpl_set(v, "hours_left", app_minutes_text(req, total - counted > 0 ? total - counted : 0));
	tpl_set(v, "hours_not_counted", credited > counted ? app_minutes_text(req, credited - counted) : NULL);
}

void clients_show(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	int64_t id = app_route_id(req, 0);
	struct client_record c;
	if (id == 0 || ar->store->ops->client_get(ar->store, req->pool, id, &c) != 0 || !may_see(&ar->user, &c)) {
		app_not_found(req, res);
		return;
	}
	app_audit(req, "view_client", "client", c.id);
	struct tpl_vars *v = ar->vars;
	tpl_set(v, "first_name", c.first_name);
	tpl_set(v, "last_name", c.last_name);
	tpl_set(v, "date_of_birth", long_date(req, c.date_of_birth));
	tpl_set(v, "email", c.email);
	if (c.mobile) {
		char *m = pool_alloc(req->pool, 32);
		mobile_format(c.mobile, m, 32);
		tpl_set(v, "mobile", m);
	}
	tpl_set(v, "access_needs", c.access_needs);
	tpl_set(v, "group_notes", c.group_notes);
	tpl_set(v, "authority_name", c.authority_name);
	tpl_set(v, "referral_reference", c.referral.reference);
	tpl_set(v, "status", referral_status_label(c.referral.status));
	char when[LONDON_FORMAT_MAX];
	london_format(c.referral.created_at, when, sizeof(when));
	tpl_set(v, "sent", pool_strdup(req->pool, when));
	tpl_set(v, "case_worker_name", c.case_worker_name);
	tpl_set(v, "case_reference", c.referral.case_reference);
	tpl_set_bool(v, "has_account", c.has_account);
	tpl_set(v, "order_reference", c.referral.order_reference);
	tpl_set(v, "court_reference", c.referral.court_reference);
	tpl_set(v, "imposed_on", long_date(req, c.imposed_on));
	tpl_set_int(v, "unpaid_hours", c.unpaid_hours);
	tpl_set_int(v, "activity_hours", c.referral.activity_minutes / 60);
	tpl_set(v, "complete_by", long_date(req, c.referral.complete_by));
	timeline(req, v, &c);
	directory_client_vars(req, v, c.id, c.first_name, c.last_name);
	app_page(req, res, "client", pool_printf(req->pool, "%s %s", c.first_name, c.last_name));
}
