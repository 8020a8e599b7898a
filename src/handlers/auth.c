#include "handlers/auth.h"

#include <string.h>

#include "app/app.h"
#include "core/log.h"
#include "crypto/crypto.h"

/* Only a path on this site: "/x" but not "//host" or "/\host", which browsers would take
 * for another site. */
static const char *safe_next(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return "/";
	for (const char *p = next; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '\\')
			return "/";
	return next;
}

static void show_form(struct http_request *req, struct http_response *res, const char *email,
		      const char *error, int status)
{
	struct app_request *ar = app_req(req);
	const char *next = http_form(req, "next");
	if (next == NULL)
		next = http_query(req, "next");
	tpl_set(ar->vars, "next", safe_next(next));
	tpl_set(ar->vars, "email", email);
	if (error) {
		struct tpl_vars *e = tpl_add(ar->vars, "errors");
		tpl_set(e, "field", "email");
		tpl_set(e, "message", error);
		tpl_set(ar->vars, "email_error", error);
	}
	app_page(req, res, "sign_in", error ? "Error: Sign in" : "Sign in");
	res->status = status;
}

void auth_sign_in_form(struct http_request *req, struct http_response *res)
{
	if (app_req(req)->signed_in) {
		http_redirect(res, 303, "/");
		return;
	}
	show_form(req, res, NULL, NULL, 200);
}

static void set_session_cookie(struct http_request *req, struct http_response *res,
			       const char *token, int max_age)
{
	http_header(res, "Set-Cookie",
		    pool_printf(req->pool, "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax%s",
				APP_SESSION_COOKIE, token, max_age,
				app.secure_cookies ? "; Secure" : ""));
}

static void start_session(struct http_request *req, struct http_response *res,
			  const struct user *u, const char *next);

void auth_sign_in(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct store *s = ar->store;
	const char *email = http_form(req, "email");
	const char *password = http_form(req, "password");
	if (email == NULL || email[0] == '\0' || password == NULL || password[0] == '\0') {
		show_form(req, res, email,
			  "Enter your email address and password", 400);
		return;
	}
	if (strlen(email) > 254 || strlen(password) > 1024) {
		show_form(req, res, NULL, "Enter a valid email address and password", 400);
		return;
	}
	int64_t now = app_now();
	int by_email = 0, by_address = 0;
	if (s->ops->sign_in_failures(s, email, req->remote_addr, now - AUTH_WINDOW_S, &by_email,
				     &by_address) != 0) {
		app_unavailable(req, res);
		return;
	}
	if (by_email >= AUTH_MAX_PER_ACCOUNT || by_address >= AUTH_MAX_PER_ADDRESS) {
		log_info("sign-in throttled for %s from %s", email, req->remote_addr);
		show_form(req, res, email,
			  "There have been too many attempts to sign in. Wait 15 minutes, then try again",
			  429);
		http_header(res, "Retry-After", "900");
		return;
	}
	struct user u;
	memset(&u, 0, sizeof(u));
	int found = s->ops->user_by_email(s, req->pool, email, &u) == 0;
	/* Verify even for an unknown account (against a dummy hash) so the time taken does
	 * not say which email addresses have accounts. */
	if (crypto_password_verify(found ? u.password_hash : NULL, password) != 0) {
		s->ops->sign_in_failure_add(s, email, req->remote_addr, now);
		show_form(req, res, email,
			  "The email address or password is not right. Check them and try again", 400);
		return;
	}
	s->ops->sign_in_failures_clear(s, email);
	start_session(req, res, &u, http_form(req, "next"));
}

const char *const auth_link_fields[] = {"csrf_token", "email", NULL};

static void start_session(struct http_request *req, struct http_response *res,
			  const struct user *u, const char *next)
{
	struct app_request *ar = app_req(req);
	char token[CRYPTO_TOKEN_LEN + 1], digest[CRYPTO_DIGEST_HEX];
	crypto_token(token);
	crypto_token_digest(token, digest);
	if (ar->store->ops->session_insert(ar->store, digest, u->id, app_now()) != 0) {
		app_unavailable(req, res);
		return;
	}
	set_session_cookie(req, res, pool_strdup(req->pool, token), APP_SESSION_MAX_S);
	log_info("sign-in: user %lld (%s)", (long long)u->id, role_name(u->role));
	http_redirect(res, 303, safe_next(next));
}

void auth_link_form(struct http_request *req, struct http_response *res)
{
	app_page(req, res, "sign_in_link", "Get a sign-in link");
}

void auth_link_send(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	struct store *s = ar->store;
	const char *email = http_form(req, "email");
	if (email == NULL || strchr(email, '@') == NULL || strlen(email) > 254) {
		struct tpl_vars *e = tpl_add(ar->vars, "errors");
		tpl_set(e, "field", "email");
		tpl_set(e, "message", "Enter your email address, like name@example.com");
		tpl_set(ar->vars, "email_error", "Enter your email address, like name@example.com");
		tpl_set(ar->vars, "email", email);
		app_page(req, res, "sign_in_link", "Error: Get a sign-in link");
		res->status = 400;
		return;
	}
	int64_t now = app_now();
	/* The same throttle as passwords: a link request counts as an attempt, so nobody can
	 * flood a person's inbox. */
	int by_email = 0, by_address = 0;
	if (s->ops->sign_in_failures(s, email, req->remote_addr, now - AUTH_WINDOW_S, &by_email,
				     &by_address) == 0 &&
	    (by_email >= AUTH_MAX_PER_ACCOUNT || by_address >= AUTH_MAX_PER_ADDRESS)) {
		app_error(req, res, 429, "Too many sign-in links asked for",
			  "Wait 15 minutes, then try again.");
		return;
	}
	s->ops->sign_in_failure_add(s, email, req->remote_addr, now);
	struct user u;
	/* Only clients sign in by link; the answer is the same whether or not the address
	 * has an account, so the page does not tell who uses Cairn. */
	if (s->ops->user_by_email(s, req->pool, email, &u) == 0 && u.role == ROLE_CLIENT) {
		char token[CRYPTO_TOKEN_LEN + 1], digest[CRYPTO_DIGEST_HEX];
		crypto_token(token);
		crypto_token_digest(token, digest);
		struct tpl_vars *v = tpl_vars_new(req->pool);
		tpl_set(v, "name", u.name);
		tpl_set(v, "base_url", app.base_url);
		tpl_set(v, "token", pool_strdup(req->pool, token));
		struct outbox_message m = {
			.kind = "sign_in_link",
			.recipient = u.email,
			.subject = "Your link to sign in to Cairn",
			.body = app_render_text(req, "email/sign_in_link", v),
		};
		if (s->ops->sign_in_link_add(s, digest, u.id, now + AUTH_LINK_S, &m, now) != 0)
			log_error("sign-in link for user %lld not saved", (long long)u.id);
	}
	tpl_set(ar->vars, "email", email);
	app_page(req, res, "sign_in_link_sent", "Check your email");
}

void auth_link_show(struct http_request *req, struct http_response *res)
{
	/* Opening the link does not use it (mail scanners open links): the button does. */
	tpl_set(app_req(req)->vars, "token", http_route_param(req, 0));
	app_page(req, res, "sign_in_link_open", "Sign in to Cairn");
}

void auth_link_use(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	const char *token = http_route_param(req, 0);
	char digest[CRYPTO_DIGEST_HEX];
	int64_t user_id = 0;
	struct user u;
	if (token == NULL || strlen(token) != CRYPTO_TOKEN_LEN) {
		user_id = 0;
	} else {
		crypto_token_digest(token, digest);
		if (ar->store->ops->sign_in_link_use(ar->store, digest, app_now(), &user_id) != 0)
			user_id = 0;
	}
	if (user_id == 0 || ar->store->ops->user_by_id(ar->store, req->pool, user_id, &u) != 0) {
		app_error(req, res, 404, "This link has stopped working",
			  "Sign-in links work once, for an hour. Ask for a new one from the sign-in page.");
		return;
	}
	start_session(req, res, &u, "/");
}

void auth_sign_out(struct http_request *req, struct http_response *res)
{
	struct app_request *ar = app_req(req);
	if (ar->session_token) {
		char digest[CRYPTO_DIGEST_HEX];
		crypto_token_digest(ar->session_token, digest);
		ar->store->ops->session_delete(ar->store, digest);
	}
	set_session_cookie(req, res, "", 0);
	http_redirect(res, 303, "/");
}
