/* The dispatcher: every request passes through app_dispatch, which finds the route,
 * loads the session, checks CSRF and the role, and sets the headers every response
 * carries. Handlers only deal with their resource. */
#include "app/app.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/oruk_json.h"
#include "app/routes.h"
#include "app/sender.h"
#include "core/embed.h"
#include "core/log.h"
#include "domain/ledger.h"
#include "domain/london_time.h"
#include "crypto/crypto.h"
#include "html/escape.h"
#include "report/table.h"
#include "http/router.h"
#include "store/sqlite/sqlite_store.h"

struct app app;

static pthread_key_t store_key;
static pthread_once_t store_once = PTHREAD_ONCE_INIT;

static void store_destroy(void *s)
{
	struct store *st = s;
	if (st)
		st->ops->close(st);
}

static void store_key_make(void)
{
	pthread_key_create(&store_key, store_destroy);
}

struct store *app_store(void)
{
	pthread_once(&store_once, store_key_make);
	struct store *s = pthread_getspecific(store_key);
	if (s == NULL) {
		struct err e;
		s = sqlite_store_open(app.db_path, &e);
		if (s == NULL) {
			log_error("%s", e.msg);
			return NULL;
		}
		pthread_setspecific(store_key, s);
	}
	return s;
}

void app_store_release(void)
{
	pthread_once(&store_once, store_key_make);
	struct store *s = pthread_getspecific(store_key);
	if (s) {
		s->ops->close(s);
		pthread_setspecific(store_key, NULL);
	}
}

int64_t app_now(void)
{
	static int64_t offset = -1;
	if (offset < 0) {
		const char *o = getenv("CAIRN_TIME_OFFSET");
		offset = o ? atoll(o) : 0;
		if (offset < 0)
			offset = 0;
	}
	return (int64_t)time(NULL) + offset;
}

struct app_request *app_req(struct http_request *req)
{
	return req->app;
}

static void security_headers(struct http_response *res)
{
	http_header(res, "Content-Security-Policy",
		    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
		    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
		    "frame-ancestors 'none'");
	http_header(res, "X-Content-Type-Options", "nosniff");
	http_header(res, "X-Frame-Options", "DENY");
	/* same-origin, not no-referrer: under no-referrer browsers send "Origin: null" on
	 * every POST, even to us, and the Origin check in csrf_ok refuses every form. */
	http_header(res, "Referrer-Policy", "same-origin");
	http_header(res, "Cross-Origin-Opener-Policy", "same-origin");
	http_header(res, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
	if (app.secure_cookies)
		http_header(res, "Strict-Transport-Security", "max-age=31536000");
}

/* ---- pages ---------------------------------------------------------------------- */

static void nav_item(struct tpl_vars *v, const char *href, const char *label, const char *path)
{
	struct tpl_vars *item = tpl_add(v, "nav");
	tpl_set(item, "href", href);
	tpl_set(item, "label", label);
	/* The page itself or one under it, except href/new: "Make a referral" (/referrals/new)
	 * has its own item, and "My referrals" (/referrals) must not be current there too. */
	size_t n = strlen(href);
	tpl_set_bool(item, "current", strcmp(path, href) == 0 ||
					      (n > 1 && strncmp(path, href, n) == 0 && path[n] == '/' &&
					       strcmp(path + n, "/new") != 0));
}

static void layout_vars(struct http_request *req, struct app_request *ar)
{
	struct tpl_vars *v = ar->vars;
	tpl_set(v, "asset_version", embed_version);
	tpl_set(v, "csrf_token", ar->csrf_token);
	if (!ar->signed_in)
		return;
	tpl_set_bool(v, "signed_in", 1);
	tpl_set(v, "user_name", ar->user.name);
	tpl_set(v, "user_role", role_label(ar->user.role));
	tpl_set(v, "user_authority", ar->user.authority_name);
	switch (ar->user.role) {
	case ROLE_CASE_WORKER:
		nav_item(v, "/referrals/new", "Make a referral", req->path);
		nav_item(v, "/referrals", "My referrals", req->path);
		nav_item(v, "/reports/weekly", "Weekly report", req->path);
		nav_item(v, "/directory", "Find a service", req->path);
		break;
	case ROLE_ADMINISTRATOR:
		nav_item(v, "/welcome-calls", "Welcome calls", req->path);
		nav_item(v, "/schedule", "Sessions and topics", req->path);
		nav_item(v, "/reports/weekly", "Weekly report", req->path);
		nav_item(v, "/dashboard", "Impact dashboard", req->path);
		nav_item(v, "/directory/moderation", "Directory approvals", req->path);
		nav_item(v, "/admin/outbox", "Outbox", req->path);
		break;
	case ROLE_COORDINATOR:
		nav_item(v, "/welcome-calls", "Welcome calls", req->path);
		nav_item(v, "/schedule", "Sessions and topics", req->path);
		nav_item(v, "/reports/weekly", "Weekly report", req->path);
		nav_item(v, "/dashboard", "Impact dashboard", req->path);
		nav_item(v, "/directory", "Find a service", req->path);
		nav_item(v, "/directory/moderation", "Directory approvals", req->path);
		break;
	case ROLE_AUTHORITY_LEAD:
		nav_item(v, "/reports/weekly", "Weekly report", req->path);
		nav_item(v, "/dashboard", "Impact dashboard", req->path);
		break;
	case ROLE_ORGANISATION:
		nav_item(v, "/organisation", "Your organisation", req->path);
		break;
	case ROLE_FACILITATOR:
		nav_item(v, "/facilitator/sessions", "My sessions", req->path);
		break;
	case ROLE_CLIENT:
		nav_item(v, "/", "My hours", req->path);
		nav_item(v, "/sessions", "Book a session", req->path);
		break;
	default:
		break;
	}
}

void app_page(struct http_request *req, struct http_response *res, const char *page,
	      const char *title)
{
	struct app_request *ar = app_req(req);
	tpl_set(ar->vars, "title", title);
	res->content_type = "text/html; charset=utf-8";
	buf_reset(&res->body);
	if (tpl_render_page("layout", page, ar->vars, &res->body) != 0) {
		log_error("no template %s", page);
		http_text(res, 500, "Sorry, there is a problem with the service.");
	}
}

void app_error(struct http_request *req, struct http_response *res, int status,
	       const char *title, const char *message)
{
	struct app_request *ar = app_req(req);
	tpl_set(ar->vars, "message", message);
	app_page(req, res, "error", title);
	res->status = status;
}

void app_not_found(struct http_request *req, struct http_response *res)
{
	app_error(req, res, 404, "Page not found",
		  "If you typed the web address, check it is correct. If you pasted it, check "
		  "you copied the entire address.");
}

void app_unavailable(struct http_request *req, struct http_response *res)
{
	app_error(req, res, 503, "Sorry, there is a problem with the service",
		  "Please try again later.");
}

const char *app_time_text(struct http_request *req, int64_t utc)
{
	char *s = pool_alloc(req->pool, LONDON_FORMAT_MAX);
	london_format(utc, s, LONDON_FORMAT_MAX);
	return s;
}

const char *app_date_text(struct http_request *req, const char *iso)
{
	struct civil_date d;
	if (iso == NULL || civil_date_parse(iso, &d) != 0)
		return iso;
	char *s = pool_alloc(req->pool, CIVIL_DATE_LONG_MAX);
	civil_date_long(d, s, CIVIL_DATE_LONG_MAX);
	return s;
}

void app_download(struct http_request *req, struct http_response *res,
		  const struct report_table *t, const char *stem, int xlsx)
{
	buf_reset(&res->body);
	if (xlsx) {
		struct err e;
		struct buf b;
		buf_init(&b);
		if (report_xlsx(t, &b, &e) != 0) {
			buf_free(&b);
			log_error("download %s: %s", stem, e.msg);
			app_unavailable(req, res);
			return;
		}
		buf_append(&res->body, b.data, b.len);
		buf_free(&b);
		res->content_type =
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	} else {
		report_csv(t, &res->body);
		res->content_type = "text/csv; charset=utf-8";
	}
	res->status = 200;
	http_header(res, "Content-Disposition",
		    pool_printf(req->pool, "attachment; filename=\"%s.%s\"", stem,
				xlsx ? "xlsx" : "csv"));
}

const char *app_minutes_text(struct http_request *req, int minutes)
{
	char *s = pool_alloc(req->pool, 48);
	ledger_format_minutes(minutes, s, 48);
	return s;
}

const char *app_render_text(struct http_request *req, const char *name, struct tpl_vars *v)
{
	struct buf b;
	buf_init(&b);
	if (tpl_render(name, v, &b) != 0)
		log_error("no template %s", name);
	const char *r = pool_strndup(req->pool, b.data ? b.data : "", b.len);
	buf_free(&b);
	return r;
}

long app_page_number(struct http_request *req, long max)
{
	const char *text = http_query(req, "page");
	if (text == NULL)
		return 1;
	char *end;
	long page = strtol(text, &end, 10);
	return *end == '\0' && page >= 1 && page <= max ? page : 1;
}

int64_t app_route_id(struct http_request *req, size_t i)
{
	const char *text = http_route_param(req, i);
	if (text == NULL || text[0] < '1' || text[0] > '9' || strlen(text) > 18)
		return 0;
	char *end;
	long long id = strtoll(text, &end, 10);
	return *end == '\0' ? id : 0;
}

void app_audit(struct http_request *req, const char *action, const char *subject_type,
	       int64_t subject_id)
{
	struct app_request *ar = app_req(req);
	if (ar->store->ops->audit_add(ar->store, ar->user.id, action, subject_type, subject_id,
				      req->remote_addr, app_now()) != 0)
		log_error("audit: could not record %s of %s %lld by user %lld", action, subject_type,
			  (long long)subject_id, (long long)ar->user.id);
}

/* ---- JSON ------------------------------------------------------------------------ */

void app_json(struct http_response *res, int status)
{
	res->status = status;
	res->content_type = "application/json; charset=utf-8";
	/* The API is public and read-only, for other directories' tools in any browser. */
	http_header(res, "Access-Control-Allow-Origin", "*");
}

void app_json_error(struct http_response *res, int status, const char *message)
{
	buf_reset(&res->body);
	oruk_json_error(&res->body, status, message);
	app_json(res, status);
}

/* ---- static files ------------------------------------------------------------------ */

static const char *mime_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot)
		return "application/octet-stream";
	if (strcmp(dot, ".css") == 0)
		return "text/css; charset=utf-8";
	if (strcmp(dot, ".js") == 0)
		return "text/javascript; charset=utf-8";
	if (strcmp(dot, ".svg") == 0)
		return "image/svg+xml";
	if (strcmp(dot, ".png") == 0)
		return "image/png";
	if (strcmp(dot, ".ico") == 0)
		return "image/x-icon";
	return "application/octet-stream";
}

/* /static/VERSION/NAME: the version makes the URL change when the file does, so the
 * file may be cached for a year. */
static int serve_static(struct http_request *req, struct http_response *res)
{
	if (strncmp(req->path, "/static/", 8) != 0)
		return 0;
	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0)
		return 0;
	const char *rest = strchr(req->path + 8, '/');
	if (rest == NULL)
		return 0;
	char name[256];
	int n = snprintf(name, sizeof(name), "static%s", rest);
	if (n < 0 || (size_t)n >= sizeof(name) || strstr(name, ".."))
		return 0;
	const struct embed_file *f = embed_find(name);
	if (f == NULL)
		return 0;
	res->status = 200;
	res->content_type = mime_type(name);
	res->static_body = f->data;
	res->static_len = f->len;
	http_header(res, "Cache-Control", "public, max-age=31536000, immutable");
	http_header(res, "X-Content-Type-Options", "nosniff");
	return 1;
}

/* ---- sessions and CSRF ----------------------------------------------------------- */

static void load_session(struct http_request *req, struct app_request *ar)
{
	const char *token = http_cookie(req, APP_SESSION_COOKIE);
	if (token == NULL || strlen(token) != CRYPTO_TOKEN_LEN)
		return;
	char digest[CRYPTO_DIGEST_HEX];
	crypto_token_digest(token, digest);
	int64_t now = app_now();
	if (ar->store->ops->session_user(ar->store, req->pool, digest, now, now - APP_SESSION_IDLE_S,
					 now - APP_SESSION_MAX_S, &ar->user) == 0) {
		ar->signed_in = 1;
		ar->session_token = token;
	}
}

static const char *csrf_for(struct http_request *req, const char *secret)
{
	char *mac = pool_alloc(req->pool, 44);
	char msg[CRYPTO_TOKEN_LEN + 8];
	snprintf(msg, sizeof(msg), "csrf:%s", secret);
	crypto_mac(app.csrf_key, msg, mac);
	return mac;
}

/* Signed-in forms are bound to the session; signed-out ones (sign-in, invitations) to a
 * random visitor cookie, so a form posted from another site fails either way. */
static void set_csrf(struct http_request *req, struct http_response *res, struct app_request *ar)
{
	if (ar->signed_in) {
		ar->csrf_token = csrf_for(req, ar->session_token);
		return;
	}
	const char *visitor = http_cookie(req, APP_VISITOR_COOKIE);
	if (visitor == NULL || strlen(visitor) != CRYPTO_TOKEN_LEN) {
		char *t = pool_alloc(req->pool, CRYPTO_TOKEN_LEN + 1);
		crypto_token(t);
		visitor = t;
		http_header(res, "Set-Cookie",
			    pool_printf(req->pool, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s",
					APP_VISITOR_COOKIE, visitor,
					app.secure_cookies ? "; Secure" : ""));
	}
	ar->csrf_token = csrf_for(req, visitor);
}

static int csrf_ok(struct http_request *req, struct app_request *ar)
{
	const char *sent = http_form(req, "csrf_token");
	if (sent == NULL || ar->csrf_token == NULL || crypto_equal(sent, ar->csrf_token) != 0)
		return 0;
	/* Browsers send Origin on POST; when present it must be us: the configured address,
	 * or the host the browser asked for (the demo is reached as localhost too). */
	if (req->origin == NULL || strcmp(req->origin, app.base_url) == 0)
		return 1;
	const char *o = req->origin;
	if (strncmp(o, "http://", 7) == 0)
		o += 7;
	else if (strncmp(o, "https://", 8) == 0)
		o += 8;
	else
		return 0;
	return req->host[0] != '\0' && strcmp(o, req->host) == 0;
}

/* ---- dispatch ---------------------------------------------------------------------- */

static const struct route *find_route(struct http_request *req, int *method_mismatch)
{
	*method_mismatch = 0;
	const char *method = strcmp(req->method, "HEAD") == 0 ? "GET" : req->method;
	for (const struct route *r = routes; r->pattern; r++) {
		if (!router_match(r->pattern, req->path, req))
			continue;
		if (strcmp(r->method, method) == 0)
			return r;
		*method_mismatch = 1;
	}
	return NULL;
}

/* /api/...: public, read-only JSON. No session is read and no cookie is set (so no CSRF
 * token either: nothing here changes anything), and every error is JSON too. */
static void dispatch_api(struct http_request *req, struct http_response *res,
			 struct app_request *ar)
{
	http_header(res, "Cache-Control", "no-store");
	if (req->reject_status) {
		app_json_error(res, req->reject_status, req->reject_reason);
		return;
	}
	if (strcmp(req->method, "OPTIONS") == 0) {
		/* A browser's preflight: GET (and HEAD) from anywhere, nothing else. */
		app_json(res, 204);
		http_header(res, "Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
		http_header(res, "Access-Control-Max-Age", "86400");
		return;
	}
	int mismatch;
	const struct route *r = find_route(req, &mismatch);
	if (r == NULL || r->allow != ROUTE_PUBLIC) {
		if (mismatch) {
			http_header(res, "Allow", "GET, HEAD, OPTIONS");
			app_json_error(res, 405, "This API is read-only: use GET.");
		} else {
			app_json_error(res, 404, "There is no such resource in this API.");
		}
		return;
	}
	ar->vars = tpl_vars_new(req->pool);
	ar->store = app_store();
	if (ar->store == NULL) {
		app_json_error(res, 503, "The service is unavailable. Please try again later.");
		return;
	}
	r->handler(req, res);
}

/* A page: its session, its route's checks and its handler. */
static void dispatch_page(struct http_request *req, struct http_response *res,
			  struct app_request *ar)
{
	load_session(req, ar);
	set_csrf(req, res, ar);
	layout_vars(req, ar);

	if (req->reject_status) {
		app_error(req, res, req->reject_status, "There is a problem with your request",
			  req->reject_reason);
		return;
	}
	int mismatch;
	const struct route *r = find_route(req, &mismatch);
	if (r == NULL) {
		if (mismatch) {
			http_header(res, "Allow", "GET, POST");
			app_error(req, res, 405, "There is a problem with your request",
				  "This page cannot be used that way.");
		} else {
			app_not_found(req, res);
		}
		return;
	}
	if (r->allow != ROUTE_PUBLIC && !ar->signed_in) {
		if (strcmp(r->method, "GET") == 0) {
			struct buf to;
			buf_init(&to);
			buf_puts(&to, "/sign-in?next=");
			escape_url_component(&to, req->path, strlen(req->path));
			http_redirect(res, 303, pool_strdup(req->pool, to.data));
			buf_free(&to);
		} else
			app_error(req, res, 403, "You need to sign in",
				  "Your session has ended. Sign in again, then send the form again.");
		return;
	}
	if (r->allow != ROUTE_PUBLIC && r->allow != ROUTE_SIGNED_IN &&
	    !(r->allow & ROUTE_ROLE(ar->user.role))) {
		/* Not yours to see: indistinguishable from a page that is not there. */
		app_not_found(req, res);
		return;
	}
	if (strcmp(r->method, "POST") == 0) {
		if (!csrf_ok(req, ar)) {
			app_error(req, res, 403, "Your form has expired",
				  "For your security, forms stop working after a while or when sent "
				  "from another site. Go back, refresh the page, and send it again.");
			return;
		}
		http_form_restrict(req, r->fields);
	}
	r->handler(req, res);
	/* A change may have put messages in the outbox: deliver them now, not at the next poll. */
	if (strcmp(r->method, "POST") == 0)
		sender_wake();
}

void app_dispatch(struct http_request *req, struct http_response *res, void *ctx)
{
	(void)ctx;
	struct app_request ar;
	memset(&ar, 0, sizeof(ar));
	req->app = &ar;
	security_headers(res);

	if (req->reject_status == 0 && serve_static(req, res))
		return;
	if (strncmp(req->path, "/api/", 5) == 0) {
		dispatch_api(req, res, &ar);
		return;
	}

	ar.vars = tpl_vars_new(req->pool);
	ar.store = app_store();
	if (ar.store == NULL) {
		http_text(res, 503, "Sorry, the service is unavailable. Please try again later.");
		return;
	}
	http_header(res, "Cache-Control", "no-store");
	/* A page's reads, its session's included, are one read transaction: one snapshot,
	 * and one lock taken and given back rather than one a query (issue 7). A write ends it
	 * first (sqlite_read_release). */
	int reading = strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
	if (reading && ar.store->ops->read_begin(ar.store) != 0)
		reading = 0;
	dispatch_page(req, res, &ar);
	if (reading)
		ar.store->ops->read_end(ar.store);
}
