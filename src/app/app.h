/* app: the one global (configuration and shared state, read-only once serving starts)
 * and what every handler needs from a request: its store, its user, its CSRF token. */
#ifndef CAIRN_APP_H
#define CAIRN_APP_H
#include <stdint.h>

#include "domain/records.h"
#include "html/tpl.h"
#include "http/http.h"
#include "store/store.h"

/* Sessions end after 30 minutes without a request, and 12 hours after sign-in. */
#define APP_SESSION_IDLE_S (30 * 60)
#define APP_SESSION_MAX_S (12 * 60 * 60)
#define APP_SESSION_COOKIE "cairn_session"
#define APP_VISITOR_COOKIE "cairn_visitor"
/* Invitations to clients last 14 days. */
#define APP_INVITATION_S (14 * 24 * 60 * 60)

struct app {
	const char *db_path;
	const char *base_url;   /* e.g. http://127.0.0.1:8080, without a trailing slash */
	int secure_cookies;     /* base_url is https */
	const char *mail_dir;   /* .eml files when no SMTP server is set */
	const char *smtp_url;
	const char *mail_from;
	unsigned char csrf_key[32];
	int access_log;
};

extern struct app app;

/* What the dispatcher learned about a request before its handler runs. */
struct app_request {
	struct store *store;
	struct user user;       /* role ROLE_NONE when signed out */
	int signed_in;
	const char *session_token;
	const char *csrf_token; /* for forms on this page */
	struct tpl_vars *vars;  /* the page's variables, with the layout's already set */
};

/* The request's application state (set by the dispatcher). */
struct app_request *app_req(struct http_request *req);
/* This thread's store connection, opened on first use. */
struct store *app_store(void);
/* Closes this thread's store connection, if any (threads that end call it). */
void app_store_release(void);

/* Current time in UTC seconds (tests may shift it with CAIRN_TIME_OFFSET). */
int64_t app_now(void);

/* Renders a page inside the layout with the given title; sets status 200 unless set. */
void app_page(struct http_request *req, struct http_response *res, const char *page,
	      const char *title);
/* The plain error pages. */
void app_not_found(struct http_request *req, struct http_response *res);
/* 503: the database could not be read or written; nothing was changed. */
void app_unavailable(struct http_request *req, struct http_response *res);
void app_error(struct http_request *req, struct http_response *res, int status,
	       const char *title, const char *message);
/* The ?page= number of a paged list: 1 when absent or not a number from 1 to max. */
long app_page_number(struct http_request *req, long max);
/* Route parameter i as a positive id; 0 when it is not one. */
int64_t app_route_id(struct http_request *req, size_t i);
/* "Monday 30 March 2026, 6:00pm" in Europe/London, in the request's pool. */
const char *app_time_text(struct http_request *req, int64_t utc);
/* "23 March 1989" for an ISO date, in the request's pool (the text itself when it is not
 * a date). */
const char *app_date_text(struct http_request *req, const char *iso);
/* "2 hours 30 minutes", in the request's pool. */
const char *app_minutes_text(struct http_request *req, int minutes);
/* A text template (templates/email/...) rendered into the request's pool. */
const char *app_render_text(struct http_request *req, const char *name, struct tpl_vars *v);
/* Answers with a report table as a download, CSV or XLSX, named stem.csv or stem.xlsx
 * (503 when the workbook cannot be made). */
struct report_table;
void app_download(struct http_request *req, struct http_response *res,
		  const struct report_table *t, const char *stem, int xlsx);
/* Writes an audit entry for a staff read or change of a person's record. */
void app_audit(struct http_request *req, const char *action, const char *subject_type,
	       int64_t subject_id);

/* JSON answers (the /api/ routes): res->body already holds the document; sets the status,
 * the JSON content type and Access-Control-Allow-Origin: *. */
void app_json(struct http_response *res, int status);
/* A JSON error document {"status", "error", "message"} with that status. */
void app_json_error(struct http_response *res, int status, const char *message);

/* The HTTP entry point: sessions, CSRF, roles, then the route's handler. */
void app_dispatch(struct http_request *req, struct http_response *res, void *ctx);

#endif
