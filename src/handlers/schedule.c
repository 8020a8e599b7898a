#include "handlers/schedule.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/utf8.h"
#include "crypto/crypto.h"
#include "domain/booking_rules.h"
#include "domain/civil_date.h"
#include "domain/london_time.h"

const char *const schedule_fields[] = {"csrf_token", "topic", "date", "start", "minutes",
				       "capacity", "facilitator", "joining_link", "weeks", NULL};
const char *const schedule_topic_fields[] = {"csrf_token", "name", "description", NULL};

#define SCHEDULE_MAX_WEEKS 26

int schedule_parse_time(const char *text, int *hour, int *minute)
{
	if (text == NULL)
		return -1;
	char t[16];
	size_t n = 0;
	for (const char *p = text; *p && n < sizeof(t) - 1; p++)
		if (*p != ' ')
			t[n++] = (char)tolower((unsigned char)*p);
	t[n] = '\0';
	if (n == 0 || n >= sizeof(t) - 1)
		return -1;
	int pm = 0, am = 0;
	if (n > 2 && strcmp(t + n - 2, "pm") == 0)
		pm = 1;
	else if (n > 2 && strcmp(t + n - 2, "am") == 0)
		am = 1;
	if (pm || am)
		t[n -= 2] = '\0';
	int h = 0, m = 0, digits = 0;
	const char *p = t;
	while (isdigit((unsigned char)*p) && digits < 4) {
		h = h * 10 + (*p++ - '0');
		digits++;
	}
	if (*p == ':' || *p == '.') {
		if (digits < 1 || digits > 2)
			return -1;
		p++;
		if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
			return -1;
		m = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
	} else if (digits == 4) {
		m = h % 100;
		h /= 100;
	} else if (digits < 1 || digits > 2) {
		return -1;
	}
	if (*p != '\0' || m > 59)
		return -1;
	if (am || pm) {
		if (h < 1 || h > 12)
			return -1;
		h = h % 12 + (pm ? 12 : 0);
	}
	if (h > 23)
		return -1;
	*hour = h;
	*minute = m;
	return 0;
}

void schedule_list(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct store *s = ar->store;
	int64_t now = app_now();
	struct group_session *rows;
	size_t n = 0;
	struct topic *topics;
	size_t ntopics = 0;
	if (s->ops->sessions_between(s, req->pool, now - 7 * 86400, now + 12 * 7 * 86400, 0, 0, 500,
				     &rows, &n) != 0 ||
	    s->ops->topics_list(s, req->pool, &topics, &ntopics) != 0) {
		app_unavailable(req, res);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct tpl_vars *v = tpl_add(ar->vars, "sessions");
		tpl_set_int(v, "id", rows[i].id);
		tpl_set(v, "topic", rows[i].topic_name);
		tpl_set(v, "when", app_time_text(req, rows[i].starts_at));
		tpl_set(v, "facilitator", rows[i].facilitator_name);
		tpl_set_int(v, "booked", rows[i].booked);
		tpl_set_int(v, "capacity", rows[i].capacity);
		tpl_set_bool(v, "evening", booking_rules_is_evening(rows[i].starts_at));
		tpl_set_bool(v, "weekend", booking_rules_is_weekend(rows[i].starts_at));
	}
	for (size_t i = 0; i < ntopics; i++)
		tpl_set(tpl_add(ar->vars, "topics"), "name", topics[i].name);
	const char *added = http_query(req, "added");
	if (added && strcmp(added, "1") == 0)
		tpl_set(ar->vars, "added", "1 session scheduled");
	else if (added && strspn(added, "0123456789") == strlen(added) && strlen(added) <= 2)
		tpl_set(ar->vars, "added", pool_printf(req->pool, "%s sessions scheduled", added));
	app_page(req, res, "schedule", "Sessions and topics");
}

struct schedule_errors {
	const char *topic, *date, *start, *minutes, *capacity, *facilitator, *joining_link, *weeks;
};

static void add_error(struct tpl_vars *v, const char *field, const char *message)
{
	struct tpl_vars *e = tpl_add(v, "errors");
	tpl_set(e, "field", field);
	tpl_set(e, "message", message);
}

static void show_form(struct http_request *req, struct http_response *res,
		      const struct schedule_errors *err, int status)
{
	struct app_request *ar = app_req(req);
	struct store *s = ar->store;
	struct tpl_vars *v = ar->vars;
	struct topic *topics;
	size_t ntopics = 0;
	struct user *facilitators;
	size_t nfac = 0;
	if (s->ops->topics_list(s, req->pool, &topics, &ntopics) != 0 ||
	    s->ops->facilitators_list(s, req->pool, &facilitators, &nfac) != 0) {
		app_unavailable(req, res);
		return;
	}
	const char *topic = http_form(req, "topic"), *fac = http_form(req, "facilitator");
	for (size_t i = 0; i < ntopics; i++) {
		if (!topics[i].active)
			continue;
		struct tpl_vars *t = tpl_add(v, "topics");
		tpl_set_int(t, "id", topics[i].id);
		tpl_set(t, "name", topics[i].name);
		tpl_set_bool(t, "selected", topic && atoll(topic) == topics[i].id);
	}
	for (size_t i = 0; i < nfac; i++) {
		struct tpl_vars *f = tpl_add(v, "facilitators");
		tpl_set_int(f, "id", facilitators[i].id);
		tpl_set(f, "name", facilitators[i].name);
		tpl_set_bool(f, "selected", fac && atoll(fac) == facilitators[i].id);
	}
	static const char *const names[] = {"date", "start", "minutes", "capacity", "joining_link", "weeks"};
	static const char *const defaults[] = {NULL, NULL, "120", "12", NULL, "1"};
	for (int i = 0; i < 6; i++) {
		const char *val = http_form(req, names[i]);
		tpl_set(v, names[i], val ? val : defaults[i]);
	}
	if (err) {
		const char *fields[] = {"topic", "date", "start", "minutes", "capacity",
					"facilitator", "joining_link", "weeks"};
		const char *msgs[] = {err->topic, err->date, err->start, err->minutes, err->capacity,
				      err->facilitator, err->joining_link, err->weeks};
		for (int i = 0; i < 8; i++) {
			if (msgs[i]) {
				add_error(v, fields[i], msgs[i]);
				tpl_set(v, pool_printf(req->pool, "%s_error", fields[i]), msgs[i]);
			}
		}
	}
	app_page(req, res, "schedule_new", err ? "Error: Schedule sessions" : "Schedule sessions");
	res->status = status;
}

void schedule_new(struct http_request *req, struct http_response *res)
{
	show_form(req, res, NULL, 200);
}

static int parse_int(const char *text, int lo, int hi, int *out)
{
	if (text == NULL || *text == '\0')
		return -1;
	char *end;
	long v = strtol(text, &end, 10);
	if (*end != '\0' || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

static int valid_link(const char *link)
{
	if (link == NULL || strncmp(link, "https://", 8) != 0 || strlen(link) > 500 || strlen(link) < 12)
		return 0;
	for (const char *p = link; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return 0;
	return 1;
}

void schedule_create(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct schedule_errors err = {0};
	int bad = 0;
	struct topic *topics;
	size_t ntopics = 0;
	struct user *facilitators;
	size_t nfac = 0;
	if (ar->store->ops->topics_list(ar->store, req->pool, &topics, &ntopics) != 0 ||
	    ar->store->ops->facilitators_list(ar->store, req->pool, &facilitators, &nfac) != 0) {
		app_unavailable(req, res);
		return;
	}
	const char *topic_text = http_form(req, "topic");
	int64_t topic_id = topic_text ? atoll(topic_text) : 0;
	int topic_ok = 0;
	for (size_t i = 0; i < ntopics; i++)
		if (topics[i].id == topic_id && topics[i].active)
			topic_ok = 1;
	if (!topic_ok)
		err.topic = "Choose a topic", bad = 1;
	const char *fac_text = http_form(req, "facilitator");
	int64_t facilitator_id = fac_text ? atoll(fac_text) : 0;
	int fac_ok = 0;
	for (size_t i = 0; i < nfac; i++)
		if (facilitators[i].id == facilitator_id)
			fac_ok = 1;
	if (!fac_ok)
		err.facilitator = "Choose a facilitator", bad = 1;
	struct civil_date date;
	if (http_form(req, "date") == NULL || civil_date_parse(http_form(req, "date"), &date) != 0)
		err.date = "Enter a real date, for example 07/12/2026", bad = 1;
	int hour = 0, minute = 0;
	if (schedule_parse_time(http_form(req, "start"), &hour, &minute) != 0)
		err.start = "Enter a start time, for example 18:00 or 6pm", bad = 1;
	int minutes = 0, capacity = 0, weeks = 0;
	if (parse_int(http_form(req, "minutes"), 15, 480, &minutes) != 0)
		err.minutes = "Enter the length in minutes, from 15 to 480", bad = 1;
	if (parse_int(http_form(req, "capacity"), 1, 100, &capacity) != 0)
		err.capacity = "Enter the number of places, from 1 to 100", bad = 1;
	if (parse_int(http_form(req, "weeks"), 1, SCHEDULE_MAX_WEEKS, &weeks) != 0)
		err.weeks = "Enter how many weeks, from 1 (just this once) to 26", bad = 1;
	const char *link = http_form(req, "joining_link");
	if (!valid_link(link))
		err.joining_link = "Enter the joining link, starting https://", bad = 1;
	int64_t first = 0;
	if (!err.date && !err.start) {
		if (london_to_utc(date, hour, minute, &first) != 0)
			err.start = "That time does not exist on that day, when the clocks go forward. Choose another time", bad = 1;
		else if (first <= app_now())
			err.date = "The session must start in the future", bad = 1;
	}
	if (bad) {
		show_form(req, res, &err, 400);
		return;
	}
	struct group_session *rows = pool_alloc(req->pool, sizeof(*rows) * (size_t)weeks);
	char series[CRYPTO_TOKEN_LEN + 1];
	crypto_token(series);
	for (int w = 0; w < weeks; w++) {
		/* Each week at the same London wall time, right across the clock changes. */
		struct civil_date d = civil_date_from_days(civil_date_to_days(date) + 7 * w);
		int64_t at;
		if (london_to_utc(d, hour, minute, &at) != 0)
			at = first + (int64_t)w * 7 * 86400;
		rows[w] = (struct group_session){
			.topic_id = topic_id,
			.starts_at = at,
			.minutes = minutes,
			.capacity = capacity,
			.facilitator_id = facilitator_id,
			.joining_link = link,
			.series = weeks > 1 ? series : NULL,
		};
	}
	struct err e;
	if (ar->store->ops->sessions_add(ar->store, rows, (size_t)weeks, app_now(), &e) != 0) {
		app_error(req, res, 503, "Sorry, the sessions could not be saved", e.msg);
		return;
	}
	http_redirect(res, 303, pool_printf(req->pool, "/schedule?added=%d", weeks));
}

void schedule_topic_add(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	const char *name = http_form(req, "name");
	const char *description = http_form(req, "description");
	size_t len = name ? utf8_length(name, strlen(name)) : 0;
	if (len == 0 || len > 100 ||
	    (description && utf8_length(description, strlen(description)) > 1000)) {
		app_error(req, res, 400, "The topic could not be added",
			  "Give the topic a name of 100 characters or fewer, and a description of 1,000 or fewer.");
		return;
	}
	struct err e;
	if (ar->store->ops->topic_add(ar->store, name, description, &e) != 0) {
		app_error(req, res, 409, "The topic could not be added", e.msg);
		return;
	}
	http_redirect(res, 303, "/schedule");
}
