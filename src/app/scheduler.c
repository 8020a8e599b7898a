#include "app/scheduler.h"

#include <string.h>

#include "app/app.h"
#include "core/log.h"
#include "domain/civil_date.h"
#include "domain/ledger.h"
#include "domain/london_time.h"
#include "html/tpl.h"
#include "report/weekly.h"

static const char *render(struct pool *p, const char *name, struct tpl_vars *v)
{
	struct buf b;
	buf_init(&b);
	if (tpl_render(name, v, &b) != 0)
		log_error("no template %s", name);
	const char *r = pool_strndup(p, b.data ? b.data : "", b.len);
	buf_free(&b);
	return r;
}

static const char *when(struct pool *p, int64_t t)
{
	char *s = pool_alloc(p, LONDON_FORMAT_MAX);
	london_format(t, s, LONDON_FORMAT_MAX);
	return s;
}

static int reminders(struct store *s, struct pool *p, int64_t now)
{
	struct reminder_due *rows;
	size_t n = 0;
	int queued = 0;
	if (s->ops->reminders_due(s, p, now, 100, &rows, &n) != 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		struct tpl_vars *v = tpl_vars_new(p);
		tpl_set(v, "first_name", rows[i].first_name);
		tpl_set(v, "topic", rows[i].session.topic_name);
		tpl_set(v, "when", when(p, rows[i].session.starts_at));
		tpl_set(v, "base_url", app.base_url);
		tpl_set_int(v, "booking_id", rows[i].booking_id);
		struct outbox_message m = {
			.kind = "reminder",
			.recipient = rows[i].email,
			.subject = pool_printf(p, "Reminder: %s, %s", rows[i].session.topic_name,
					       when(p, rows[i].session.starts_at)),
			.body = render(p, "email/reminder", v),
		};
		if (s->ops->reminder_queue(s, rows[i].booking_id, &m, now) == 0)
			queued++;
	}
	return queued;
}

static int ending_soon(struct store *s, struct pool *p, int64_t now)
{
	struct civil_date today = london_date(now);
	struct civil_date by = civil_date_from_days(civil_date_to_days(today) +
						     SCHEDULER_ENDING_SOON_DAYS);
	char from_iso[11], by_iso[11];
	civil_date_iso(today, from_iso);
	civil_date_iso(by, by_iso);
	struct order_due *rows;
	size_t n = 0;
	int queued = 0;
	if (s->ops->orders_ending_soon(s, p, from_iso, by_iso, 100, &rows, &n) != 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const struct order_due *o = &rows[i];
		struct tpl_vars *v = tpl_vars_new(p);
		char left[48];
		ledger_format_minutes(o->activity_minutes - o->counted_minutes, left, sizeof(left));
		struct civil_date d;
		char date[CIVIL_DATE_LONG_MAX] = "";
		if (civil_date_parse(o->complete_by, &d) == 0)
			civil_date_long(d, date, sizeof(date));
		tpl_set(v, "case_worker_name", o->case_worker_name);
		tpl_set(v, "client_name", pool_printf(p, "%s %s", o->first_name, o->last_name));
		tpl_set(v, "order_reference", o->order_reference);
		tpl_set(v, "complete_by", pool_strdup(p, date));
		tpl_set(v, "hours_left", pool_strdup(p, left));
		tpl_set(v, "base_url", app.base_url);
		tpl_set_int(v, "client_id", o->client_id);
		struct outbox_message m = {
			.kind = "ending_soon",
			.recipient = o->case_worker_email,
			.subject = pool_printf(p, "Order ending soon with hours left: %s %s",
					       o->first_name, o->last_name),
			.body = render(p, "email/ending_soon", v),
		};
		int done = 0;
		if (s->ops->order_alert_queue(s, o->order_id, "ending_soon", &m, now, &done) == 0)
			queued += done;
	}
	return queued;
}

/* The week whose reports are all in the outbox (only the sender thread runs this). */
static char weekly_done[ISO_WEEK_TEXT_MAX];

/* The week whose reports are due at now: last week from Monday 07:00, London time. */
static struct iso_week weekly_due_week(int64_t now)
{
	struct iso_week this_week = iso_week_of(london_date(now));
	int64_t at;
	if (london_to_utc(iso_week_monday(this_week), SCHEDULER_WEEKLY_HOUR, 0, &at) != 0)
		at = 0;
	return iso_week_add(this_week, now >= at ? -1 : -2);
}

/* The first week to report on: the first the installation ran for (an installation set
 * up on a Thursday sends its first reports the next Monday, not last week's). */
static int weekly_first(struct store *s, struct pool *p, int64_t now, const char **first)
{
	if (s->ops->setting_get(s, p, "weekly_report_from", first) == 0 && *first)
		return 0;
	char next[ISO_WEEK_TEXT_MAX];
	iso_week_format(iso_week_of(london_date(now)), next);
	struct err e;
	if (s->ops->setting_put(s, "weekly_report_from", next, &e) != 0)
		return -1;
	*first = pool_strdup(p, next);
	return 0;
}

static const char *weekly_body(struct pool *p, const struct user *u, const struct weekly_query *q,
			       const struct weekly_line *lines, size_t n)
{
	int missed = 0, due = 0, complete = 0;
	for (size_t i = 0; i < n; i++) {
		missed += (lines[i].flags & WEEKLY_MISSED) != 0;
		due += (lines[i].flags & WEEKLY_DUE_SOON) != 0;
		complete += (lines[i].flags & WEEKLY_HOURS_COMPLETE) != 0;
	}
	struct civil_date mon, sun;
	civil_date_parse(q->monday, &mon);
	civil_date_parse(q->sunday, &sun);
	char from[CIVIL_DATE_LONG_MAX], to[CIVIL_DATE_LONG_MAX];
	civil_date_long(mon, from, sizeof(from));
	civil_date_long(sun, to, sizeof(to));
	struct tpl_vars *v = tpl_vars_new(p);
	tpl_set(v, "name", u->name);
	tpl_set(v, "week", q->week);
	tpl_set(v, "week_label", pool_printf(p, "week %s (Monday %s to Sunday %s)", q->week, from, to));
	tpl_set_int(v, "count", (long long)n);
	tpl_set_bool(v, "one", n == 1);
	tpl_set_int(v, "missed", missed);
	tpl_set_int(v, "due", due);
	tpl_set_int(v, "complete", complete);
	tpl_set(v, "base_url", app.base_url);
	return render(p, "email/weekly_report", v);
}

static int weekly_reports(struct store *s, struct pool *p, int64_t now)
{
	struct iso_week due = weekly_due_week(now);
	struct weekly_query q;
	weekly_query_init(&q, due);
	const char *first;
	if (strcmp(q.week, weekly_done) == 0 || weekly_first(s, p, now, &first) != 0 ||
	    strcmp(q.week, first) < 0)
		return 0;
	struct user *workers;
	size_t n = 0;
	int queued = 0;
	if (s->ops->weekly_report_due(s, p, &q, SCHEDULER_WEEKLY_BATCH, &workers, &n) != 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		struct weekly_query mine = q;
		mine.case_worker_id = workers[i].id;
		struct weekly_line *lines;
		size_t count;
		if (weekly_read(s, p, &mine, &lines, &count) != 0)
			return queued;
		struct report_table t;
		weekly_table(&t, lines, count);
		struct buf csv;
		buf_init(&csv);
		report_csv(&t, &csv);
		struct outbox_message m = {
			.kind = "weekly_report",
			.recipient = workers[i].email,
			.subject = pool_printf(p, "Your weekly report: week %s", q.week),
			.body = weekly_body(p, &workers[i], &q, lines, count),
			.attachment_name = pool_printf(p, "%s.csv", weekly_file_stem(p, &q, NULL)),
			.attachment_type = "text/csv; charset=utf-8",
			.attachment = pool_strndup(p, csv.data ? csv.data : "", csv.len),
		};
		buf_free(&csv);
		int done = 0;
		if (s->ops->weekly_report_queue(s, workers[i].id, q.week, &m, now, &done) != 0)
			return queued;
		queued += done;
	}
	if (n < SCHEDULER_WEEKLY_BATCH)
		memcpy(weekly_done, q.week, sizeof(weekly_done));
	return queued;
}

/* "How was your session?" once per attended booking, for sessions of the last few days
 * (an older one is not worth asking about by email; the home page still asks). */
static int feedback_requests(struct store *s, struct pool *p, int64_t now)
{
	struct feedback_due *rows;
	size_t n = 0;
	int queued = 0;
	if (s->ops->feedback_requests_due(s, p, now - SCHEDULER_FEEDBACK_DAYS * 86400, now, 100,
					  &rows, &n) != 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		struct tpl_vars *v = tpl_vars_new(p);
		tpl_set(v, "first_name", rows[i].first_name);
		tpl_set(v, "topic", rows[i].topic_name);
		tpl_set(v, "when", when(p, rows[i].starts_at));
		tpl_set(v, "base_url", app.base_url);
		tpl_set_int(v, "booking_id", rows[i].booking_id);
		struct outbox_message m = {
			.kind = "feedback_request",
			.recipient = rows[i].email,
			.subject = "How was your session?",
			.body = render(p, "email/feedback_request", v),
		};
		int done = 0;
		if (s->ops->feedback_request_queue(s, rows[i].booking_id, &m, now, &done) == 0)
			queued += done;
	}
	return queued;
}

int scheduler_run(struct store *s, int64_t now)
{
	struct pool *p = pool_new();
	int n = reminders(s, p, now) + ending_soon(s, p, now) + feedback_requests(s, p, now) +
		weekly_reports(s, p, now);
	pool_free(p);
	return n;
}
