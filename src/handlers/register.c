#include "handlers/register.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/utf8.h"
#include "domain/ledger.h"

const char *const register_fields[] = {"csrf_token", "booking_*", "seen_*", "outcome_*",
				       "minutes_*", "reason_*", "note_*", "correction_*", NULL};

#define REGISTER_TEXT_MAX 1000

/* Facilitators see their own sessions; coordinators and administrators any. */
static int load(struct http_request *req, struct http_response *res, struct group_session *g)
{
	struct app_request *ar = app_req(req);
	int64_t id = app_route_id(req, 0);
	if (id == 0 || ar->store->ops->session_get(ar->store, req->pool, id, 0, g) != 0 ||
	    (ar->user.role == ROLE_FACILITATOR && g->facilitator_id != ar->user.id)) {
		app_not_found(req, res);
		return -1;
	}
	return 0;
}

void register_sessions(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct group_session *rows;
	size_t n = 0;
	/* The last fortnight too: registers are often taken after the session. */
	int64_t from = app_now() - 14 * 24 * 3600;
	if (ar->store->ops->sessions_for_facilitator(ar->store, req->pool, ar->user.id, from, 200,
						     &rows, &n) != 0) {
		app_unavailable(req, res);
		return;
	}
	int64_t now = app_now();
	for (size_t i = 0; i < n; i++) {
		struct tpl_vars *v = tpl_add(ar->vars, rows[i].starts_at < now ? "past" : "upcoming");
		tpl_set_int(v, "id", rows[i].id);
		tpl_set(v, "topic", rows[i].topic_name);
		tpl_set(v, "when", app_time_text(req, rows[i].starts_at));
		tpl_set_int(v, "booked", rows[i].booked);
		tpl_set_int(v, "capacity", rows[i].capacity);
	}
	app_page(req, res, "facilitator_sessions", "My sessions");
}

struct row_state {
	const char *outcome, *minutes, *reason, *note, *correction, *error, *result;
	const char *error_field; /* the field to put right: NULL for the outcome */
};

static void show(struct http_request *req, struct http_response *res,
		 const struct group_session *g, const struct register_row *rows, size_t n,
		 const struct row_state *states, int status)
{
	struct app_request *ar = app_req(req);
	struct tpl_vars *v = ar->vars;
	tpl_set_int(v, "session_id", g->id);
	tpl_set(v, "topic", g->topic_name);
	tpl_set(v, "when", app_time_text(req, g->starts_at));
	tpl_set(v, "length", app_minutes_text(req, g->minutes));
	tpl_set_int(v, "session_minutes", g->minutes);
	tpl_set_bool(v, "saved", http_query(req, "saved") != NULL);
	tpl_set_bool(v, "not_started", app_now() < g->starts_at);
	for (size_t i = 0; i < n; i++) {
		const struct register_row *r = &rows[i];
		const struct row_state *st = states ? &states[i] : NULL;
		struct tpl_vars *b = tpl_add(v, "bookings");
		tpl_set_int(b, "i", (long long)i);
		tpl_set_int(b, "booking_id", r->booking_id);
		tpl_set_int(b, "seen", r->entry_id);
		/* What a facilitator needs to run the session safely, and no more. */
		tpl_set(b, "name", pool_printf(req->pool, "%s %.1s.", r->first_name, r->last_name));
		tpl_set(b, "access_needs", r->access_needs);
		tpl_set(b, "group_notes", r->group_notes);
		tpl_set_bool(b, "recorded", r->entry_id != 0);
		if (r->entry_id)
			tpl_set(b, "recorded_as", ledger_outcome_label(ledger_outcome_parse(r->outcome)));
		const char *outcome = st && st->outcome ? st->outcome : r->outcome;
		static const char *const names[] = {"attended", "attended_part", "failed_to_comply",
						    "did_not_attend", "absence_accepted"};
		for (int k = 0; k < 5; k++) {
			struct tpl_vars *o = tpl_add(b, "outcomes");
			tpl_set(o, "value", names[k]);
			tpl_set(o, "label", ledger_outcome_label(ledger_outcome_parse(names[k])));
			tpl_set_bool(o, "checked", outcome && strcmp(outcome, names[k]) == 0);
		}
		tpl_set(b, "minutes", st && st->minutes ? st->minutes
				      : r->entry_id && r->minutes ? pool_printf(req->pool, "%d", r->minutes)
								  : NULL);
		tpl_set(b, "reason", st && st->reason ? st->reason : r->reason);
		tpl_set(b, "note", st && st->note ? st->note : r->note);
		tpl_set(b, "correction", st ? st->correction : NULL);
		tpl_set(b, "error", st ? st->error : NULL);
		tpl_set(b, "result", st ? st->result : NULL);
		if (st && st->error) {
			struct tpl_vars *e = tpl_add(v, "errors");
			tpl_set(e, "field", st->error_field
						    ? pool_printf(req->pool, "%s_%zu", st->error_field, i)
						    : pool_printf(req->pool, "outcome_%zu_attended", i));
			tpl_set(e, "message", pool_printf(req->pool, "%s %.1s.: %s", r->first_name,
							  r->last_name, st->error));
		}
	}
	app_page(req, res, "register", pool_printf(req->pool, "Register: %s", g->topic_name));
	res->status = status;
}

/* The session and its register lines, or the error page. */
static int load_register(struct http_request *req, struct http_response *res,
			 struct group_session *g, struct register_row **rows, size_t *n)
{
	struct app_request *ar = app_req(req);
	if (load(req, res, g) != 0)
		return -1;
	if (ar->store->ops->register_rows(ar->store, req->pool, g->id, rows, n) != 0) {
		app_unavailable(req, res);
		return -1;
	}
	return 0;
}

void register_show(struct http_request *req, struct http_response *res)
{
	struct group_session g;
	struct register_row *rows;
	size_t n = 0;
	if (load_register(req, res, &g, &rows, &n) != 0)
		return;
	app_audit(req, "view_register", "session", g.id);
	show(req, res, &g, rows, n, NULL, 200);
}

static const char *field(struct http_request *req, const char *name, size_t i)
{
	char key[48];
	snprintf(key, sizeof(key), "%s_%zu", name, i);
	const char *v = http_form(req, key);
	if (v == NULL)
		return NULL;
	while (*v == ' ')
		v++;
	return *v ? v : NULL;
}

static int parse_minutes(const char *text, int *out)
{
	if (text == NULL)
		return -1;
	char *end;
	long m = strtol(text, &end, 10);
	while (*end == ' ')
		end++;
	if (end == text || *end != '\0' || m < 0 || m > 1440)
		return -1;
	*out = (int)m;
	return 0;
}

static struct outbox_message alert(struct http_request *req, const struct group_session *g,
				   const struct register_row *r, enum register_outcome o,
				   const char *note)
{
	struct tpl_vars *v = tpl_vars_new(req->pool);
	tpl_set(v, "case_worker_name", r->case_worker_name);
	tpl_set(v, "client_name", pool_printf(req->pool, "%s %s", r->first_name, r->last_name));
	tpl_set(v, "topic", g->topic_name);
	tpl_set(v, "when", app_time_text(req, g->starts_at));
	tpl_set(v, "outcome", ledger_outcome_label(o));
	tpl_set(v, "note", note);
	tpl_set(v, "base_url", app.base_url);
	tpl_set_int(v, "client_id", r->client_id);
	return (struct outbox_message){
		.kind = o == OUTCOME_DID_NOT_ATTEND ? "did_not_attend" : "failed_to_comply",
		.recipient = r->case_worker_email,
		.subject = pool_printf(req->pool, "%s: %s %s, %s", ledger_outcome_label(o),
				       r->first_name, r->last_name, app_time_text(req, g->starts_at)),
		.body = app_render_text(req, "email/attendance_alert", v),
	};
}

static struct outbox_message hours_done(struct http_request *req, const struct register_row *r)
{
	struct tpl_vars *v = tpl_vars_new(req->pool);
	tpl_set(v, "case_worker_name", r->case_worker_name);
	tpl_set(v, "client_name", pool_printf(req->pool, "%s %s", r->first_name, r->last_name));
	tpl_set(v, "order_reference", r->order_reference);
	tpl_set(v, "hours", app_minutes_text(req, r->activity_minutes));
	tpl_set(v, "base_url", app.base_url);
	tpl_set_int(v, "client_id", r->client_id);
	return (struct outbox_message){
		.kind = "hours_complete",
		.recipient = r->case_worker_email,
		.subject = pool_printf(req->pool, "Other activity hours complete: %s %s",
				       r->first_name, r->last_name),
		.body = app_render_text(req, "email/hours_complete", v),
	};
}

void register_save(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct group_session g;
	struct register_row *rows;
	size_t n = 0;
	if (load_register(req, res, &g, &rows, &n) != 0)
		return;
	struct row_state *states = pool_alloc(req->pool, sizeof(*states) * (n ? n : 1));
	struct register_item *items = pool_alloc(req->pool, sizeof(*items) * (n ? n : 1));
	size_t *item_row = pool_alloc(req->pool, sizeof(*item_row) * (n ? n : 1));
	size_t nitems = 0, errors = 0;
	for (size_t i = 0; i < HTTP_MAX_FORM_FIELDS; i++) {
		const char *booking_text = field(req, "booking", i);
		if (booking_text == NULL)
			break;
		long long booking_id = atoll(booking_text);
		size_t r = n;
		for (size_t k = 0; k < n; k++)
			if (rows[k].booking_id == booking_id)
				r = k;
		if (r == n)
			continue; /* cancelled since the form was drawn */
		struct row_state *st = &states[r];
		st->outcome = field(req, "outcome", i);
		st->minutes = field(req, "minutes", i);
		st->reason = field(req, "reason", i);
		st->note = field(req, "note", i);
		st->correction = field(req, "correction", i);
		if (st->outcome == NULL)
			continue; /* not taken yet */
		enum register_outcome o = ledger_outcome_parse(st->outcome);
		int minutes = 0;
		const char *texts[] = {st->reason, st->note, st->correction};
		int too_long = 0;
		for (int k = 0; k < 3; k++)
			if (texts[k] && utf8_length(texts[k], strlen(texts[k])) > REGISTER_TEXT_MAX)
				too_long = 1;
		if (o == OUTCOME_NONE)
			st->error = "Choose what happened";
		else if (too_long)
			st->error = "Notes and reasons must be 1,000 characters or fewer";
		else if (o == OUTCOME_ATTENDED_PART &&
			 (parse_minutes(st->minutes, &minutes) != 0 || minutes < 1 || minutes >= g.minutes)) {
			st->error = pool_printf(req->pool,
						"Enter the minutes attended, a whole number from 1 to %d",
						g.minutes - 1);
			st->error_field = "minutes";
		} else if (o == OUTCOME_FAILED_TO_COMPLY && st->minutes &&
			 (parse_minutes(st->minutes, &minutes) != 0 || minutes > g.minutes)) {
			st->error = pool_printf(req->pool,
						"Enter the minutes to credit, a whole number from 0 to %d, or leave it blank",
						g.minutes);
			st->error_field = "minutes";
		} else if (o == OUTCOME_FAILED_TO_COMPLY && st->note == NULL) {
			st->error = "Say in the note how the client failed to comply";
			st->error_field = "note";
		} else if (o != OUTCOME_ABSENCE_ACCEPTED && app_now() < g.starts_at)
			st->error = "This can be recorded once the session has started. Before then, "
				    "only an accepted absence can be recorded";
		else if (o == OUTCOME_ABSENCE_ACCEPTED && st->reason == NULL) {
			st->error = "Enter why the absence was accepted";
			st->error_field = "reason";
		}
		if (st->error) {
			errors++;
			continue;
		}
		if (o == OUTCOME_ATTENDED)
			minutes = g.minutes;
		struct register_item *it = &items[nitems];
		item_row[nitems++] = r;
		const char *seen = field(req, "seen", i);
		it->booking_id = booking_id;
		it->seen_entry_id = seen ? atoll(seen) : 0;
		it->outcome = ledger_outcome_name(o);
		it->minutes = o == OUTCOME_ATTENDED_PART || o == OUTCOME_FAILED_TO_COMPLY ? minutes : 0;
		it->credit_minutes = ledger_credit_minutes(o, g.minutes, minutes);
		it->reason = o == OUTCOME_ABSENCE_ACCEPTED ? st->reason : NULL;
		it->note = st->note;
		it->correction_reason = st->correction;
		if (ledger_outcome_alerts(o))
			it->alert = alert(req, &g, &rows[r], o, st->note);
		it->hours_done = hours_done(req, &rows[r]);
	}
	if (errors) {
		show(req, res, &g, rows, n, states, 400);
		return;
	}
	int *results = pool_alloc(req->pool, sizeof(int) * (nitems ? nitems : 1));
	if (nitems && ar->store->ops->register_save(ar->store, g.id, ar->user.id, items, nitems,
						    app_now(), results) != 0) {
		app_error(req, res, 503, "Sorry, the register could not be saved",
			  "Nothing was saved. Please try again in a minute.");
		return;
	}
	size_t problems = 0;
	for (size_t k = 0; k < nitems; k++) {
		struct row_state *st = &states[item_row[k]];
		switch (results[k]) {
		case REGISTER_CONFLICT:
			st->error = "Someone else recorded this while you had the page open. Check their outcome, then change it if it is wrong";
			problems++;
			break;
		case REGISTER_NEEDS_REASON:
			st->error = "This was recorded already. To change it, give the reason for the correction";
			st->error_field = "correction";
			problems++;
			break;
		case REGISTER_NOT_FOUND:
			st->error = "This booking has been cancelled";
			problems++;
			break;
		default:
			break;
		}
	}
	if (problems) {
		/* Show the register as it is now, with the problems beside their lines. */
		struct register_row *fresh;
		size_t nfresh = 0;
		if (ar->store->ops->register_rows(ar->store, req->pool, g.id, &fresh, &nfresh) == 0 &&
		    nfresh == n)
			rows = fresh;
		show(req, res, &g, rows, n, states, 409);
		return;
	}
	app_audit(req, "save_register", "session", g.id);
	http_redirect(res, 303, pool_printf(req->pool, "/register/%lld?saved=1", (long long)g.id));
}
