#include "handlers/home.h"

#include "app/app.h"
#include "domain/civil_date.h"

/* A client's home: in plain words, where they are with their hours and what is next. */
static void client_home(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct store *s = ar->store;
	struct client_record c;
	int counted = 0, not_counted = 0;
	struct booking_row *rows;
	size_t n = 0;
	int64_t now = app_now();
	if (s->ops->client_get(s, req->pool, ar->user.client_id, &c) != 0 ||
	    s->ops->order_hours(s, c.order_id, &counted, &not_counted) != 0 ||
	    s->ops->bookings_for_client(s, req->pool, c.id, 1, now, 20, &rows, &n) != 0) {
		app_unavailable(req, res);
		return;
	}
	struct tpl_vars *v = ar->vars;
	int total = c.referral.activity_minutes;
	int left = total - counted > 0 ? total - counted : 0;
	tpl_set(v, "first_name", c.first_name);
	tpl_set(v, "hours_done", app_minutes_text(req, counted));
	tpl_set(v, "hours_left", app_minutes_text(req, left));
	tpl_set(v, "hours_total", app_minutes_text(req, total));
	tpl_set_bool(v, "hours_complete", left == 0);
	tpl_set_int(v, "percent_done", total ? (long long)counted * 100 / total : 0);
	struct civil_date d;
	if (civil_date_parse(c.referral.complete_by, &d) == 0) {
		char *text = pool_alloc(req->pool, CIVIL_DATE_LONG_MAX);
		civil_date_long(d, text, CIVIL_DATE_LONG_MAX);
		tpl_set(v, "complete_by", text);
	}
	for (size_t i = 0; i < n; i++) {
		struct tpl_vars *b = tpl_add(v, "bookings");
		tpl_set_int(b, "id", rows[i].id);
		tpl_set(b, "topic", rows[i].session.topic_name);
		tpl_set(b, "when", app_time_text(req, rows[i].session.starts_at));
	}
	app_page(req, res, "client_home", "Your hours and sessions");
}

void home_start(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	if (ar->user.role == ROLE_CLIENT) {
		client_home(req, res);
		return;
	}
	if (ar->user.role == ROLE_ORGANISATION) {
		http_redirect(res, 303, "/organisation");
		return;
	}
	tpl_set_bool(ar->vars, "is_case_worker", ar->user.role == ROLE_CASE_WORKER);
	tpl_set_bool(ar->vars, "is_administrator", ar->user.role == ROLE_ADMINISTRATOR);
	tpl_set_bool(ar->vars, "is_coordinator", ar->user.role == ROLE_COORDINATOR ||
						   ar->user.role == ROLE_ADMINISTRATOR);
	tpl_set_bool(ar->vars, "is_facilitator", ar->user.role == ROLE_FACILITATOR);
	app_page(req, res, "start", "Cairn");
}

void home_healthz(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	int64_t pending = 0;
	if (ar->store->ops->outbox_pending(ar->store, &pending) != 0) {
		http_text(res, 503, "{\"status\":\"database unavailable\"}");
		res->content_type = "application/json";
		return;
	}
	res->content_type = "application/json";
	buf_printf(&res->body, "{\"status\":\"ok\",\"outbox_pending\":%lld}\n", (long long)pending);
}
