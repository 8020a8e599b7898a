#include "handlers/clients.h"

#include "app/app.h"
#include "domain/civil_date.h"
#include "domain/london_time.h"

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
	tpl_set(v, "mobile", c.mobile);
	tpl_set(v, "access_needs", c.access_needs);
	tpl_set(v, "group_notes", c.group_notes);
	tpl_set(v, "authority_name", c.authority_name);
	tpl_set(v, "referral_reference", c.referral.reference);
	tpl_set(v, "status", c.referral.status);
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
	app_page(req, res, "client", pool_printf(req->pool, "%s %s", c.first_name, c.last_name));
}
