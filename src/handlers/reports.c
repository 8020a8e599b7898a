#include "handlers/reports.h"

#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/log.h"
#include "domain/london_time.h"
#include "report/weekly.h"

/* What a request asks for, once checked against who is asking. */
struct weekly_request {
	struct weekly_query q;
	struct iso_week week;
	struct authority authority; /* id 0 when the report is a case worker's own */
	const char *week_error, *authority_error;
	int chosen; /* the report can be shown: a case worker's, or an authority is known */
};

/* 0, or -1 when the request must be answered 404 (another authority, for a lead). */
static int read_request(struct http_request *req, struct weekly_request *w)
{
	struct app_request *ar = app_req(req);
	memset(w, 0, sizeof(*w));
	const char *week = http_query(req, "week");
	if (week && week[0] && iso_week_parse(week, &w->week) != 0) {
		w->week_error = "Enter a week that exists, like 2026-W48";
		week = NULL;
	}
	if (week == NULL || week[0] == '\0' || w->week_error)
		w->week = iso_week_add(iso_week_of(london_date(app_now())), -1);
	weekly_query_init(&w->q, w->week);

	const char *authority = http_query(req, "authority");
	char *end = NULL;
	long long id = authority && authority[0] ? strtoll(authority, &end, 10) : 0;
	if (authority && authority[0] && (end == authority || *end != '\0' || id < 1))
		id = -1;
	switch (ar->user.role) {
	case ROLE_CASE_WORKER:
		w->q.case_worker_id = ar->user.id;
		w->chosen = 1;
		return 0;
	case ROLE_AUTHORITY_LEAD:
		if (id != 0 && id != ar->user.authority_id)
			return -1;
		id = ar->user.authority_id;
		break;
	default:
		break;
	}
	if (id == 0)
		return 0;
	if (id < 0 || ar->store->ops->authority_by_id(ar->store, req->pool, id, &w->authority) != 0) {
		memset(&w->authority, 0, sizeof(w->authority));
		w->authority_error = "Choose a local authority from the list";
		return 0;
	}
	w->q.authority_id = w->authority.id;
	w->chosen = 1;
	return 0;
}

static int read_lines(struct http_request *req, const struct weekly_request *w,
		      struct weekly_line **lines, size_t *n)
{
	struct app_request *ar = app_req(req);
	if (weekly_read(ar->store, req->pool, &w->q, lines, n) != 0)
		return -1;
	/* Every client in the report is a staff read of that person's record. */
	int64_t *ids = pool_alloc(req->pool, (*n ? *n : 1) * sizeof(*ids));
	for (size_t i = 0; i < *n; i++)
		ids[i] = (*lines)[i].client_id;
	if (ar->store->ops->audit_add_many(ar->store, ar->user.id, "weekly_report", "client", ids,
					   *n, req->remote_addr, app_now()) != 0) {
		log_error("audit: could not record the weekly report of %s by user %lld", w->q.week,
			  (long long)ar->user.id);
		return -1;
	}
	return 0;
}

static const char *query_string(struct http_request *req, const struct weekly_request *w)
{
	if (w->authority.id)
		return pool_printf(req->pool, "week=%s&authority=%lld", w->q.week,
				   (long long)w->authority.id);
	return pool_printf(req->pool, "week=%s", w->q.week);
}

static void line_vars(struct http_request *req, struct tpl_vars *item, const struct weekly_line *l)
{
	char hours[16];
	tpl_set_int(item, "client_id", l->client_id);
	tpl_set(item, "name", pool_printf(req->pool, "%s %s", l->first_name, l->last_name));
	tpl_set(item, "date_of_birth", app_date_text(req, l->date_of_birth));
	tpl_set(item, "case_reference", l->case_reference);
	tpl_set(item, "court_reference", l->court_reference);
	tpl_set(item, "order_reference", l->order_reference);
	tpl_set_int(item, "booked", l->booked);
	tpl_set_int(item, "attended", l->attended);
	tpl_set_int(item, "missed", l->missed);
	tpl_set_int(item, "absence_accepted", l->absence_accepted);
	report_hours_text(l->credited_minutes, hours);
	tpl_set(item, "credited", pool_strdup(req->pool, hours));
	report_hours_text(l->done_minutes, hours);
	tpl_set(item, "done", pool_strdup(req->pool, hours));
	report_hours_text(l->left_minutes, hours);
	tpl_set(item, "left", pool_strdup(req->pool, hours));
	tpl_set(item, "complete_by", app_date_text(req, l->complete_by));
	if (l->next_booking_at)
		tpl_set(item, "next_booking", app_time_text(req, l->next_booking_at));
	tpl_set_bool(item, "missed_flag", (l->flags & WEEKLY_MISSED) != 0);
	tpl_set_bool(item, "due_soon_flag", (l->flags & WEEKLY_DUE_SOON) != 0);
	tpl_set_bool(item, "complete_flag", (l->flags & WEEKLY_HOURS_COMPLETE) != 0);
	tpl_set(item, "case_worker", l->case_worker_name);
}

static void form_vars(struct http_request *req, const struct weekly_request *w)
{
	struct app_request *ar = app_req(req);
	struct tpl_vars *v = ar->vars;
	tpl_set(v, "week", w->week_error ? http_query(req, "week") : w->q.week);
	int choose = ar->user.role == ROLE_COORDINATOR || ar->user.role == ROLE_ADMINISTRATOR;
	tpl_set_bool(v, "choose_authority", choose);
	if (choose) {
		struct authority *all;
		size_t n;
		if (ar->store->ops->authorities_list(ar->store, req->pool, &all, &n) == 0) {
			for (size_t i = 0; i < n; i++) {
				struct tpl_vars *o = tpl_add(v, "authorities");
				tpl_set_int(o, "id", all[i].id);
				tpl_set(o, "name", all[i].name);
				tpl_set_bool(o, "selected", all[i].id == w->authority.id);
			}
		}
	}
	if (w->week_error) {
		struct tpl_vars *e = tpl_add(v, "errors");
		tpl_set(e, "field", "week");
		tpl_set(e, "message", w->week_error);
		tpl_set(v, "week_error", w->week_error);
	}
	if (w->authority_error) {
		struct tpl_vars *e = tpl_add(v, "errors");
		tpl_set(e, "field", "authority");
		tpl_set(e, "message", w->authority_error);
		tpl_set(v, "authority_error", w->authority_error);
	}
}

void reports_weekly(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct weekly_request w;
	if (read_request(req, &w) != 0) {
		app_not_found(req, res);
		return;
	}
	struct tpl_vars *v = ar->vars;
	form_vars(req, &w);
	struct civil_date mon = iso_week_monday(w.week);
	struct civil_date sun = civil_date_from_days(civil_date_to_days(mon) + 6);
	char from[CIVIL_DATE_LONG_MAX], to[CIVIL_DATE_LONG_MAX];
	civil_date_long(mon, from, sizeof(from));
	civil_date_long(sun, to, sizeof(to));
	tpl_set(v, "week_label", pool_printf(req->pool, "Week %s: Monday %s to Sunday %s",
					     w.q.week, from, to));
	char other[ISO_WEEK_TEXT_MAX];
	iso_week_format(iso_week_add(w.week, -1), other);
	tpl_set(v, "previous_week", pool_strdup(req->pool, other));
	iso_week_format(iso_week_add(w.week, 1), other);
	tpl_set(v, "next_week", pool_strdup(req->pool, other));
	if (w.authority.id)
		tpl_set_int(v, "authority_id", w.authority.id);
	tpl_set(v, "scope", w.authority.id ? w.authority.name : "your clients");
	tpl_set_bool(v, "chosen", w.chosen && !w.week_error);
	if (w.chosen && !w.week_error) {
		struct weekly_line *lines;
		size_t n;
		if (read_lines(req, &w, &lines, &n) != 0) {
			app_unavailable(req, res);
			return;
		}
		int missed = 0, due = 0, complete = 0;
		for (size_t i = 0; i < n; i++) {
			line_vars(req, tpl_add(v, "lines"), &lines[i]);
			missed += (lines[i].flags & WEEKLY_MISSED) != 0;
			due += (lines[i].flags & WEEKLY_DUE_SOON) != 0;
			complete += (lines[i].flags & WEEKLY_HOURS_COMPLETE) != 0;
		}
		tpl_set_int(v, "count", (long long)n);
		tpl_set_bool(v, "one", n == 1);
		tpl_set_int(v, "missed_count", missed);
		tpl_set_int(v, "due_count", due);
		tpl_set_int(v, "complete_count", complete);
		tpl_set(v, "download", query_string(req, &w));
		tpl_set_bool(v, "show_case_worker", w.authority.id != 0);
	}
	app_page(req, res, "weekly_report", "Weekly report");
	if (w.week_error || w.authority_error)
		res->status = 400;
}

static void download(struct http_request *req, struct http_response *res, int xlsx)
{
	struct weekly_request w;
	if (read_request(req, &w) != 0) {
		app_not_found(req, res);
		return;
	}
	if (w.week_error || w.authority_error || !w.chosen) {
		app_error(req, res, 400, "The report could not be made",
			  w.week_error ? w.week_error : "Choose a local authority from the list.");
		return;
	}
	struct weekly_line *lines;
	size_t n;
	if (read_lines(req, &w, &lines, &n) != 0) {
		app_unavailable(req, res);
		return;
	}
	struct report_table t;
	weekly_table(&t, lines, n);
	const char *stem =
		weekly_file_stem(req->pool, &w.q, w.authority.id ? w.authority.name : NULL);
	app_download(req, res, &t, stem, xlsx);
}

void reports_weekly_csv(struct http_request *req, struct http_response *res)
{
	download(req, res, 0);
}

void reports_weekly_xlsx(struct http_request *req, struct http_response *res)
{
	download(req, res, 1);
}
