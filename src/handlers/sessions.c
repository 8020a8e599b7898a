#include "handlers/sessions.h"

#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "domain/booking_rules.h"
#include "domain/civil_date.h"
#include "domain/london_time.h"
#include "handlers/bookings.h"

/* Sessions are listed up to eight weeks ahead. */
#define SESSIONS_AHEAD_S (8 * 7 * 24 * 60 * 60)
#define SESSIONS_PER_PAGE 100

static const char *const days[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
				   "Friday", "Saturday"};

static void session_vars(struct http_request *req, struct tpl_vars *v, const struct group_session *g)
{
	tpl_set_int(v, "id", g->id);
	tpl_set(v, "topic", g->topic_name);
	tpl_set(v, "when", app_time_text(req, g->starts_at));
	char end[LONDON_TIME_MAX];
	london_format_time(g->starts_at + (int64_t)g->minutes * 60, end, sizeof(end));
	tpl_set(v, "ends", pool_strdup(req->pool, end));
	tpl_set(v, "length", app_minutes_text(req, g->minutes));
	tpl_set_int(v, "places_left", g->capacity - g->booked > 0 ? g->capacity - g->booked : 0);
	tpl_set_bool(v, "full", g->booked >= g->capacity);
	tpl_set_bool(v, "evening", booking_rules_is_evening(g->starts_at));
	tpl_set_bool(v, "weekend", booking_rules_is_weekend(g->starts_at));
	tpl_set_bool(v, "booked", g->my_booking_id != 0);
	tpl_set_int(v, "booking_id", g->my_booking_id);
}

void sessions_list(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct store *s = ar->store;
	const char *topic_text = http_query(req, "topic");
	const char *day = http_query(req, "day");
	const char *when = http_query(req, "when");
	int64_t topic_id = 0;
	struct topic *topics;
	size_t ntopics = 0;
	if (s->ops->topics_list(s, req->pool, &topics, &ntopics) != 0) {
		app_unavailable(req, res);
		return;
	}
	for (size_t i = 0; i < ntopics; i++) {
		if (!topics[i].active)
			continue;
		struct tpl_vars *t = tpl_add(ar->vars, "topics");
		tpl_set_int(t, "id", topics[i].id);
		tpl_set(t, "name", topics[i].name);
		char idtext[24];
		snprintf(idtext, sizeof(idtext), "%lld", (long long)topics[i].id);
		if (topic_text && strcmp(topic_text, idtext) == 0) {
			topic_id = topics[i].id;
			tpl_set_bool(t, "selected", 1);
		}
	}
	int day_filter = -1;
	for (int d = 0; d < 7; d++) {
		int wd = (d + 1) % 7; /* Monday first */
		struct tpl_vars *dv = tpl_add(ar->vars, "days");
		tpl_set(dv, "name", days[wd]);
		if (day && strcmp(day, days[wd]) == 0) {
			day_filter = wd;
			tpl_set_bool(dv, "selected", 1);
		}
	}
	int evenings_weekends = when && strcmp(when, "evenings-weekends") == 0;
	tpl_set_bool(ar->vars, "evenings_weekends", evenings_weekends);

	/* The starts of the window's sessions, filtered and counted here; then the page's
	 * sessions in full (places, facilitator, the client's booking), one by one, in one
	 * snapshot with the starts. Reading all 500 in full cost 12.5 million instructions a
	 * page at national scale (bench/profile, issue 7). */
	int64_t now = app_now();
	struct session_start *rows;
	size_t n = 0;
	int failed = s->ops->read_begin(s) != 0 ||
		     s->ops->session_starts_between(s, req->pool, now, now + SESSIONS_AHEAD_S,
						    topic_id, 500, &rows, &n) != 0;
	/* A page of sessions at a time: a phone should not have to load hundreds. */
	long page = app_page_number(req, 100);
	size_t first = (size_t)(page - 1) * SESSIONS_PER_PAGE, matched = 0;
	for (size_t i = 0; !failed && i < n; i++) {
		int64_t at = rows[i].starts_at;
		if (day_filter >= 0 && civil_date_weekday(london_date(at)) != day_filter)
			continue;
		if (evenings_weekends && !booking_rules_is_evening(at) &&
		    !booking_rules_is_weekend(at))
			continue;
		if (matched >= first && matched < first + SESSIONS_PER_PAGE) {
			struct group_session g;
			if (s->ops->session_get(s, req->pool, rows[i].id, ar->user.client_id, &g) != 0)
				failed = 1;
			else
				session_vars(req, tpl_add(ar->vars, "sessions"), &g);
		}
		matched++;
	}
	s->ops->read_end(s);
	if (failed) {
		app_unavailable(req, res);
		return;
	}
	tpl_set_int(ar->vars, "count", (long long)matched);
	tpl_set_bool(ar->vars, "one", matched == 1);
	if (matched > first + SESSIONS_PER_PAGE) {
		tpl_set_int(ar->vars, "next_page", page + 1);
		tpl_set(ar->vars, "topic_query", topic_text ? topic_text : "");
		tpl_set(ar->vars, "day_query", day ? day : "");
		tpl_set(ar->vars, "when_query", evenings_weekends ? "evenings-weekends" : "");
	}
	tpl_set_bool(ar->vars, "filtered", topic_id || day_filter >= 0 || evenings_weekends);
	app_page(req, res, "sessions", "Book a session");
}

static int load(struct http_request *req, struct http_response *res, struct group_session *g)
{
	struct app_request *ar = app_req(req);
	int64_t id = app_route_id(req, 0);
	if (id == 0 || ar->store->ops->session_get(ar->store, req->pool, id, ar->user.client_id, g) != 0) {
		app_not_found(req, res);
		return -1;
	}
	return 0;
}

static void show(struct http_request *req, struct http_response *res, const struct group_session *g,
		 const char *error)
{
	struct app_request *ar = app_req(req);
	session_vars(req, ar->vars, g);
	tpl_set_bool(ar->vars, "started", app_now() >= g->starts_at);
	if (error) {
		struct tpl_vars *e = tpl_add(ar->vars, "errors");
		tpl_set(e, "field", "book");
		tpl_set(e, "message", error);
	}
	app_page(req, res, "session", g->topic_name);
	if (error)
		res->status = 409;
}

void sessions_show(struct http_request *req, struct http_response *res)
{
	struct group_session g;
	if (load(req, res, &g) == 0)
		show(req, res, &g, NULL);
}

void sessions_book(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct group_session g;
	if (load(req, res, &g) != 0)
		return;
	struct client_record c;
	if (ar->store->ops->client_get(ar->store, req->pool, ar->user.client_id, &c) != 0) {
		app_not_found(req, res);
		return;
	}
	struct outbox_message m = bookings_message(req, &g, c.id, c.email, c.first_name, 0);
	int64_t booking_id = 0;
	int refusal = 0;
	if (ar->store->ops->booking_add(ar->store, g.id, c.id, app_now(), &m, &booking_id,
					&refusal) != 0) {
		app_error(req, res, 503, "Sorry, the session could not be booked",
			  "Nothing was booked. Please try again in a minute.");
		return;
	}
	if (refusal != BOOKING_OK) {
		/* Show the session as it is now (someone may have taken the last place). */
		ar->store->ops->session_get(ar->store, req->pool, g.id, c.id, &g);
		show(req, res, &g, booking_rules_message((enum booking_refusal)refusal));
		return;
	}
	http_redirect(res, 303, pool_printf(req->pool, "/bookings/%lld?booked=1", (long long)booking_id));
}
