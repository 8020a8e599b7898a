#include "handlers/outbox.h"

#include "app/app.h"
#include "domain/london_time.h"

static const char *status_of(const struct outbox_message *m)
{
	if (m->sent_at)
		return "Sent";
	if (m->attempts)
		return "Waiting to retry";
	return "Waiting to send";
}

static const char *when(struct http_request *req, int64_t t)
{
	char s[LONDON_FORMAT_MAX];
	london_format(t, s, sizeof(s));
	return pool_strdup(req->pool, s);
}

void outbox_list(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	const int per_page = 50;
	long page = app_page_number(req, 100000);
	struct outbox_message *rows;
	size_t n;
	if (ar->store->ops->outbox_list(ar->store, req->pool, per_page + 1,
					(int)((page - 1) * per_page), &rows, &n) != 0) {
		app_unavailable(req, res);
		return;
	}
	for (size_t i = 0; i < n && i < (size_t)per_page; i++) {
		struct tpl_vars *item = tpl_add(ar->vars, "messages");
		tpl_set_int(item, "id", rows[i].id);
		tpl_set(item, "created", when(req, rows[i].created_at));
		tpl_set(item, "recipient", rows[i].recipient);
		tpl_set(item, "subject", rows[i].subject);
		tpl_set(item, "status", status_of(&rows[i]));
	}
	tpl_set_bool(ar->vars, "more", n > (size_t)per_page);
	tpl_set_int(ar->vars, "next_page", page + 1);
	tpl_set(ar->vars, "mail_dir", app.smtp_url ? NULL : app.mail_dir);
	app_page(req, res, "outbox_list", "Outbox");
}

void outbox_show(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	int64_t id = app_route_id(req, 0);
	struct outbox_message m;
	if (id == 0 || ar->store->ops->outbox_get(ar->store, req->pool, id, &m) != 0) {
		app_not_found(req, res);
		return;
	}
	app_audit(req, "view_message", "outbox", m.id);
	struct tpl_vars *v = ar->vars;
	tpl_set(v, "subject", m.subject);
	tpl_set(v, "recipient", m.recipient);
	tpl_set(v, "created", when(req, m.created_at));
	tpl_set(v, "status", status_of(&m));
	tpl_set_int(v, "attempts", m.attempts);
	tpl_set(v, "last_error", m.last_error);
	tpl_set(v, "body", m.body);
	tpl_set(v, "attachment_name", m.attachment_name);
	tpl_set(v, "attachment_type", m.attachment_type);
	tpl_set(v, "attachment", m.attachment);
	app_page(req, res, "outbox_message", m.subject);
}
