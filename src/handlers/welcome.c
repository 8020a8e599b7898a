#include "handlers/welcome.h"

#include <string.h>

#include "app/app.h"
#include "core/utf8.h"

const char *const welcome_fields[] = {"csrf_token", "outcome", "notes", NULL};

static const struct {
	const char *value, *label;
} outcomes[] = {
	{"completed", "Spoke to the client: welcome call done"},
	{"left_message", "No answer: left a message"},
	{"no_answer", "No answer"},
};

static const char *outcome_label(const char *value)
{
	for (size_t i = 0; value && i < sizeof(outcomes) / sizeof(outcomes[0]); i++)
		if (strcmp(outcomes[i].value, value) == 0)
			return outcomes[i].label;
	return NULL;
}

static void task_vars(struct http_request *req, struct tpl_vars *v, const struct welcome_task *t)
{
	tpl_set_int(v, "id", t->id);
	tpl_set_int(v, "client_id", t->client_id);
	tpl_set(v, "name", pool_printf(req->pool, "%s %s", t->first_name, t->last_name));
	tpl_set(v, "referral", t->referral_reference);
	tpl_set(v, "referred", app_time_text(req, t->created_at));
	tpl_set(v, "email", t->email);
	if (t->mobile) {
		char *m = pool_alloc(req->pool, 32);
		mobile_format(t->mobile, m, 32);
		tpl_set(v, "mobile", m);
	}
	tpl_set(v, "access_needs", t->access_needs);
	tpl_set(v, "authority", t->authority_name);
	tpl_set_int(v, "attempts", t->attempts);
	if (t->last_attempt_at) {
		tpl_set(v, "last_attempt", app_time_text(req, t->last_attempt_at));
		tpl_set(v, "last_outcome", outcome_label(t->last_outcome));
		tpl_set(v, "last_notes", t->last_notes);
	}
	tpl_set_bool(v, "done", strcmp(t->status, "done") == 0);
}

void welcome_list(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct welcome_task *rows;
	size_t n = 0;
	if (ar->store->ops->welcome_tasks(ar->store, req->pool, &rows, &n) != 0) {
		app_unavailable(req, res);
		return;
	}
	for (size_t i = 0; i < n; i++)
		task_vars(req, tpl_add(ar->vars, "tasks"), &rows[i]);
	app_audit(req, "view_welcome_calls", "task", 0);
	app_page(req, res, "welcome_calls", "Welcome calls");
}

static void show(struct http_request *req, struct http_response *res, const struct welcome_task *t,
		 const char *error, int status)
{
	struct app_request *ar = app_req(req);
	task_vars(req, ar->vars, t);
	const char *chosen = http_form(req, "outcome");
	for (size_t i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++) {
		struct tpl_vars *o = tpl_add(ar->vars, "outcomes");
		tpl_set(o, "value", outcomes[i].value);
		tpl_set(o, "label", outcomes[i].label);
		tpl_set_bool(o, "checked", chosen && strcmp(chosen, outcomes[i].value) == 0);
	}
	tpl_set(ar->vars, "notes", http_form(req, "notes"));
	if (error) {
		tpl_set(ar->vars, "error", error);
		struct tpl_vars *e = tpl_add(ar->vars, "errors");
		tpl_set(e, "field", "outcome-completed");
		tpl_set(e, "message", error);
	}
	app_page(req, res, "welcome_call", error ? "Error: Welcome call" : "Welcome call");
	res->status = status;
}

static int load(struct http_request *req, struct http_response *res, struct welcome_task *t)
{
	struct app_request *ar = app_req(req);
	int64_t id = app_route_id(req, 0);
	if (id == 0 || ar->store->ops->welcome_task_get(ar->store, req->pool, id, t) != 0) {
		app_not_found(req, res);
		return -1;
	}
	return 0;
}

void welcome_show(struct http_request *req, struct http_response *res)
{
	struct welcome_task t;
	if (load(req, res, &t) != 0)
		return;
	app_audit(req, "view_welcome_call", "client", t.client_id);
	show(req, res, &t, NULL, 200);
}

void welcome_record(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct welcome_task t;
	if (load(req, res, &t) != 0)
		return;
	const char *outcome = http_form(req, "outcome");
	const char *notes = http_form(req, "notes");
	if (notes && notes[0] == '\0')
		notes = NULL;
	if (outcome_label(outcome) == NULL) {
		show(req, res, &t, "Choose what happened on the call", 400);
		return;
	}
	if (notes && utf8_length(notes, strlen(notes)) > 2000) {
		show(req, res, &t, "Notes must be 2,000 characters or fewer", 400);
		return;
	}
	if (strcmp(t.status, "done") == 0) {
		show(req, res, &t, "This welcome call has been recorded as done already", 409);
		return;
	}
	if (ar->store->ops->welcome_call_add(ar->store, t.id, ar->user.id, outcome, notes, app_now()) != 0) {
		app_error(req, res, 503, "Sorry, the call could not be recorded",
			  "Nothing was saved. Please try again in a minute.");
		return;
	}
	app_audit(req, "record_welcome_call", "client", t.client_id);
	http_redirect(res, 303, "/welcome-calls");
}
