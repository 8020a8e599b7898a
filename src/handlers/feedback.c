#include "handlers/feedback.h"

#include <string.h>

#include "app/app.h"
#include "core/utf8.h"

const char *const feedback_fields[] = {"csrf_token", "knowledge", "apply", "rating", "comment",
				       NULL};

static const char *const rating_labels[] = {"1 - Poor", "2 - Not so good", "3 - OK", "4 - Good",
					    "5 - Very good"};

static int attended(const char *outcome)
{
	return outcome && (strcmp(outcome, "attended") == 0 || strcmp(outcome, "attended_part") == 0);
}

/* The client's own attended booking; otherwise the response is written and -1 returned. */
static int load(struct http_request *req, struct http_response *res, struct booking_row *b)
{
	struct app_request *ar = app_req(req);
	int64_t id = app_route_id(req, 0);
	int rc = id ? ar->store->ops->booking_get(ar->store, req->pool, id, b) : STORE_NOT_FOUND;
	if (rc < 0) {
		app_unavailable(req, res);
		return -1;
	}
	/* Someone else's booking is answered as if it did not exist. */
	if (rc != 0 || b->client_id != ar->user.client_id) {
		app_not_found(req, res);
		return -1;
	}
	if (strcmp(b->status, "booked") != 0 || !attended(b->outcome)) {
		app_error(req, res, 404, "There is nothing to answer for this session",
			  "You can tell us about a session once the register shows you attended "
			  "it. If you think the register is wrong, contact your case worker.");
		return -1;
	}
	return 0;
}

static void session_vars(struct http_request *req, const struct booking_row *b)
{
	struct tpl_vars *v = app_req(req)->vars;
	tpl_set_int(v, "booking_id", b->id);
	tpl_set(v, "topic", b->session.topic_name);
	tpl_set(v, "when", app_time_text(req, b->session.starts_at));
}

static void answered(struct http_request *req, struct http_response *res,
		     const struct booking_row *b, const struct feedback_answer *a, int status,
		     int just_now)
{
	struct tpl_vars *v = app_req(req)->vars;
	session_vars(req, b);
	tpl_set_bool(v, "just_now", just_now);
	tpl_set(v, "knowledge", a->knowledge_improved ? "Yes" : "No");
	tpl_set(v, "apply", a->will_apply ? "Yes" : "No");
	tpl_set(v, "rating", a->rating >= 1 && a->rating <= 5 ? rating_labels[a->rating - 1] : "");
	tpl_set(v, "comment", a->comment);
	app_page(req, res, "feedback_done",
		 just_now ? "Thank you for your feedback" : "You have already answered");
	res->status = status;
}

struct feedback_form {
	const char *knowledge, *apply, *rating, *comment;
	const char *knowledge_error, *apply_error, *rating_error, *comment_error;
};

static void radio(struct tpl_vars *v, const char *list, const char *value, const char *label,
		  const char *chosen)
{
	struct tpl_vars *o = tpl_add(v, list);
	tpl_set(o, "value", value);
	tpl_set(o, "label", label);
	tpl_set_bool(o, "checked", chosen && strcmp(chosen, value) == 0);
}

static void error_item(struct tpl_vars *v, const char *field, const char *message)
{
	if (!message)
		return;
	struct tpl_vars *e = tpl_add(v, "errors");
	tpl_set(e, "field", field);
	tpl_set(e, "message", message);
}

static void form(struct http_request *req, struct http_response *res, const struct booking_row *b,
		 const struct feedback_form *f, int status)
{
	struct tpl_vars *v = app_req(req)->vars;
	session_vars(req, b);
	radio(v, "knowledge_options", "yes", "Yes", f->knowledge);
	radio(v, "knowledge_options", "no", "No", f->knowledge);
	radio(v, "apply_options", "yes", "Yes", f->apply);
	radio(v, "apply_options", "no", "No", f->apply);
	for (int i = 0; i < 5; i++)
		radio(v, "rating_options", pool_printf(req->pool, "%d", i + 1), rating_labels[i],
		      f->rating);
	tpl_set(v, "comment", f->comment);
	tpl_set_int(v, "comment_max", FEEDBACK_COMMENT_MAX);
	tpl_set(v, "knowledge_error", f->knowledge_error);
	tpl_set(v, "apply_error", f->apply_error);
	tpl_set(v, "rating_error", f->rating_error);
	tpl_set(v, "comment_error", f->comment_error);
	error_item(v, "knowledge-yes", f->knowledge_error);
	error_item(v, "apply-yes", f->apply_error);
	error_item(v, "rating-1", f->rating_error);
	error_item(v, "comment", f->comment_error);
	int failed = f->knowledge_error || f->apply_error || f->rating_error || f->comment_error;
	app_page(req, res, "feedback", failed ? "Error: How was your session?" : "How was your session?");
	res->status = status;
}

void feedback_show(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct booking_row b;
	if (load(req, res, &b) != 0)
		return;
	struct feedback_answer a;
	int rc = ar->store->ops->feedback_get(ar->store, req->pool, b.id, &a);
	if (rc < 0) {
		app_unavailable(req, res);
		return;
	}
	if (rc == 0) {
		answered(req, res, &b, &a, 200, http_query(req, "saved") != NULL);
		return;
	}
	struct feedback_form f = {0};
	form(req, res, &b, &f, 200);
}

static int yes_no(const char *text, int *out)
{
	if (text && strcmp(text, "yes") == 0)
		*out = 1;
	else if (text && strcmp(text, "no") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

void feedback_save(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct booking_row b;
	if (load(req, res, &b) != 0)
		return;
	struct feedback_form f = {
		.knowledge = http_form(req, "knowledge"),
		.apply = http_form(req, "apply"),
		.rating = http_form(req, "rating"),
		.comment = http_form(req, "comment"),
	};
	struct feedback_answer a = {.booking_id = b.id};
	if (yes_no(f.knowledge, &a.knowledge_improved) != 0)
		f.knowledge_error = "Choose yes if the session improved your knowledge, or no if it did not";
	if (yes_no(f.apply, &a.will_apply) != 0)
		f.apply_error = "Choose yes if you intend to use what you learned, or no if you do not";
	if (f.rating && strlen(f.rating) == 1 && f.rating[0] >= '1' && f.rating[0] <= '5')
		a.rating = f.rating[0] - '0';
	else
		f.rating_error = "Choose how you rate the session, from 1 (poor) to 5 (very good)";
	if (f.comment && f.comment[0]) {
		size_t len = strlen(f.comment);
		if (utf8_length(f.comment, len) > FEEDBACK_COMMENT_MAX)
			f.comment_error = "Your comment must be 1,000 characters or fewer";
		a.comment = f.comment;
	}
	if (f.knowledge_error || f.apply_error || f.rating_error || f.comment_error) {
		form(req, res, &b, &f, 400);
		return;
	}
	int result;
	if (ar->store->ops->feedback_add(ar->store, ar->user.client_id, &a, app_now(), &result) != 0) {
		app_error(req, res, 503, "Sorry, your answers could not be saved",
			  "Nothing was saved. Please try again in a minute.");
		return;
	}
	if (result == FEEDBACK_NOT_ALLOWED) {
		app_not_found(req, res);
		return;
	}
	if (result == FEEDBACK_ALREADY) {
		/* A second submission (a double click, or a second tab): the first answer stands. */
		struct feedback_answer first;
		if (ar->store->ops->feedback_get(ar->store, req->pool, b.id, &first) != 0) {
			app_unavailable(req, res);
			return;
		}
		answered(req, res, &b, &first, 409, 0);
		return;
	}
	http_redirect(res, 303, pool_printf(req->pool, "/feedback/%lld?saved=1", (long long)b.id));
}
