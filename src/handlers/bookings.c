#include "handlers/bookings.h"

#include <string.h>

#include "app/app.h"
#include "core/log.h"
#include "domain/booking_rules.h"
#include "domain/ics.h"
#include "domain/ledger.h"

/* Every booking of a session by one client shares the UID, so each file must carry a higher
 * SEQUENCE than the last for calendars to apply it (RFC 5546): the cancellation after the
 * booking, a new booking after the cancellation. It is taken from the clock, two a second,
 * the cancellation the later of the two. */
#define BOOKINGS_SEQUENCE_EPOCH 1767225600 /* 2026-01-01T00:00:00Z */

const char *bookings_ics(struct http_request *req, const struct group_session *g,
			 int64_t client_id, int cancelled)
{
	int64_t since = app_now() - BOOKINGS_SEQUENCE_EPOCH;
	struct ics_event ev = {
		.uid = pool_printf(req->pool, "session-%lld-client-%lld@cairn", (long long)g->id,
				   (long long)client_id),
		.starts_at = g->starts_at,
		.minutes = g->minutes,
		.summary = pool_printf(req->pool, "Cairn session: %s", g->topic_name),
		.description = pool_printf(req->pool,
					   "An online group session. The link to join appears on "
					   "your booking 15 minutes before the start: %s/",
					   app.base_url),
		.url = pool_printf(req->pool, "%s/sessions/%lld", app.base_url, (long long)g->id),
		.cancelled = cancelled,
		.sequence = (int)(2 * (since > 0 ? since : 0)) + (cancelled ? 1 : 0),
	};
	struct buf b;
	buf_init(&b);
	ics_write(&b, cancelled ? "CANCEL" : "REQUEST", &ev, 1, app_now());
	const char *r = pool_strndup(req->pool, b.data, b.len);
	buf_free(&b);
	return r;
}

struct outbox_message bookings_message(struct http_request *req, const struct group_session *g,
				       int64_t client_id, const char *email,
				       const char *first_name, int cancelled)
{
	struct tpl_vars *v = tpl_vars_new(req->pool);
	tpl_set(v, "first_name", first_name);
	tpl_set(v, "topic", g->topic_name);
	tpl_set(v, "when", app_time_text(req, g->starts_at));
	tpl_set(v, "length", app_minutes_text(req, g->minutes));
	tpl_set(v, "base_url", app.base_url);
	struct outbox_message m = {
		.kind = cancelled ? "booking_cancelled" : "booking_confirmation",
		.recipient = email,
		.subject = pool_printf(req->pool, "%s: %s, %s", cancelled ? "Cancelled" : "Booked",
				       g->topic_name, app_time_text(req, g->starts_at)),
		.body = app_render_text(req, cancelled ? "email/booking_cancelled" : "email/booking_confirmation", v),
		.attachment_name = "session.ics",
		.attachment_type = cancelled ? "text/calendar; charset=utf-8; method=CANCEL"
					     : "text/calendar; charset=utf-8; method=REQUEST",
		.attachment = bookings_ics(req, g, client_id, cancelled),
	};
	return m;
}

/* The signed-in client's own booking, or 404. */
static int load(struct http_request *req, struct http_response *res, struct booking_row *b)
{
	struct app_request *ar = app_req(req);
	int64_t id = app_route_id(req, 0);
	if (id == 0 || ar->store->ops->booking_get(ar->store, req->pool, id, b) != 0 ||
	    b->client_id != ar->user.client_id) {
		app_not_found(req, res);
		return -1;
	}
	return 0;
}

void bookings_show(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct booking_row b;
	if (load(req, res, &b) != 0)
		return;
	const struct group_session *g = &b.session;
	int64_t now = app_now();
	struct tpl_vars *v = ar->vars;
	tpl_set_int(v, "id", b.id);
	tpl_set_int(v, "session_id", g->id);
	tpl_set(v, "topic", g->topic_name);
	tpl_set(v, "when", app_time_text(req, g->starts_at));
	tpl_set(v, "length", app_minutes_text(req, g->minutes));
	int live = strcmp(b.status, "booked") == 0;
	tpl_set_bool(v, "cancelled", !live);
	tpl_set_bool(v, "just_booked", http_query(req, "booked") != NULL && live);
	/* Not once the register has it: the attendance would be left credited. */
	tpl_set_bool(v, "can_cancel", live && now < g->starts_at && b.outcome == NULL);
	int64_t ends = g->starts_at + (int64_t)g->minutes * 60;
	/* The joining link only for a live booking, from 15 minutes before the start to the
	 * end: nobody else ever sees it. */
	if (live && now >= g->starts_at - BOOKING_JOIN_BEFORE_S && now < ends)
		tpl_set(v, "joining_link", g->joining_link);
	else if (live && now < g->starts_at)
		tpl_set(v, "join_from", app_time_text(req, g->starts_at - BOOKING_JOIN_BEFORE_S));
	if (b.outcome) {
		tpl_set(v, "outcome", ledger_outcome_label(ledger_outcome_parse(b.outcome)));
		tpl_set(v, "credited", app_minutes_text(req, b.credited_minutes));
	}
	app_page(req, res, "booking", pool_printf(req->pool, "Your booking: %s", g->topic_name));
}

void bookings_cancel(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct booking_row b;
	if (load(req, res, &b) != 0)
		return;
	struct client_record c;
	if (ar->store->ops->client_get(ar->store, req->pool, b.client_id, &c) != 0) {
		app_not_found(req, res);
		return;
	}
	struct outbox_message m = bookings_message(req, &b.session, c.id, c.email, c.first_name, 1);
	int rc = ar->store->ops->booking_cancel(ar->store, b.id, c.id, app_now(), &m);
	if (rc == STORE_NOT_FOUND) {
		app_error(req, res, 409, "This booking cannot be cancelled",
			  "It has been cancelled already, the session has started, or the "
			  "register has been taken.");
		return;
	}
	if (rc != 0) {
		app_error(req, res, 503, "Sorry, the booking could not be cancelled",
			  "Please try again in a minute.");
		return;
	}
	http_redirect(res, 303, pool_printf(req->pool, "/bookings/%lld", (long long)b.id));
}

void bookings_calendar(struct http_request *req, struct http_response *res)
{
	struct booking_row b;
	if (load(req, res, &b) != 0)
		return;
	res->content_type = "text/calendar; charset=utf-8";
	http_header(res, "Content-Disposition", "attachment; filename=\"session.ics\"");
	buf_puts(&res->body, bookings_ics(req, &b.session, b.client_id, strcmp(b.status, "booked") != 0));
}
