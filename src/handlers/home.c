#include "handlers/home.h"

#include "app/app.h"

void home_start(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	tpl_set_bool(ar->vars, "is_case_worker", ar->user.role == ROLE_CASE_WORKER);
	tpl_set_bool(ar->vars, "is_administrator", ar->user.role == ROLE_ADMINISTRATOR);
	tpl_set_bool(ar->vars, "is_client", ar->user.role == ROLE_CLIENT);
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
