#include "handlers/invitations.h"

#include <string.h>

#include "app/app.h"
#include "core/utf8.h"
#include "crypto/crypto.h"

const char *const invitations_fields[] = {"csrf_token", "password", "password_again", "choice",
					  NULL};

#define PASSWORD_MIN 10

static int find_client(struct http_request *req, struct client_record *c, char *digest)
{
	struct app_request *ar = app_req(req);
	const char *token = http_route_param(req, 0);
	if (token == NULL || strlen(token) != CRYPTO_TOKEN_LEN)
		return -1;
	crypto_token_digest(token, digest);
	int64_t client_id;
	if (ar->store->ops->invitation_client(ar->store, digest, app_now(), &client_id) != 0)
		return -1;
	return ar->store->ops->client_get(ar->store, req->pool, client_id, c) == 0 ? 0 : -1;
}

static void invalid_link(struct http_request *req, struct http_response *res)
{
	app_error(req, res, 404, "This link has stopped working",
		  "Invitation links work once and for 14 days. If you have already set up your "
		  "account, sign in. If not, ask your case worker to send you a new invitation.");
}

static void show(struct http_request *req, struct http_response *res,
		 const struct client_record *c, const char *error, const char *error_field)
{
	struct app_request *ar = app_req(req);
	struct tpl_vars *v = ar->vars;
	tpl_set(v, "token", http_route_param(req, 0));
	tpl_set(v, "first_name", c->first_name);
	tpl_set(v, "email", c->email);
	static const char *const ids[] = {"password", "password_again"};
	static const char *const labels[] = {"Choose a password", "Type the password again"};
	for (int i = 0; i < 2; i++) {
		struct tpl_vars *f = tpl_add(v, "fields");
		tpl_set(f, "id", ids[i]);
		tpl_set(f, "label", labels[i]);
		tpl_set(f, "type", "password");
		tpl_set(f, "autocomplete", "new-password");
		if (i == 0) {
			tpl_set(f, "hint", "At least 10 characters. A few words you will remember work well.");
			tpl_set(f, "described_by", error && strcmp(error_field, ids[i]) == 0
							   ? "password-hint password-error"
							   : "password-hint");
		}
		if (error && strcmp(error_field, ids[i]) == 0) {
			tpl_set(f, "error", error);
			if (i == 1)
				tpl_set(f, "described_by", "password_again-error");
		}
	}
	if (error) {
		struct tpl_vars *e = tpl_add(v, "errors");
		tpl_set(e, "field", error_field);
		tpl_set(e, "message", error);
	}
	app_page(req, res, "invitation", error ? "Error: Set up your account" : "Set up your account");
	if (error)
		res->status = 400;
}

void invitations_show(struct http_request *req, struct http_response *res)
{
	struct client_record c;
	char digest[CRYPTO_DIGEST_HEX];
	if (find_client(req, &c, digest) != 0 || c.email == NULL) {
		invalid_link(req, res);
		return;
	}
	show(req, res, &c, NULL, NULL);
}

/* Uses the invitation once, with a password hash or (NULL) sign-in links. */
static void accept(struct http_request *req, struct http_response *res, const char *digest,
		   const char *password_hash)
{
	struct app_request *ar = app_req(req);
	int rc = ar->store->ops->invitation_accept(ar->store, digest, password_hash, app_now());
	if (rc == STORE_NOT_FOUND) {
		invalid_link(req, res);
		return;
	}
	if (rc != 0) {
		app_error(req, res, 503, "Sorry, there is a problem with the service",
			  "Your account was not set up. Please try again later.");
		return;
	}
	tpl_set_bool(ar->vars, "by_link", password_hash == NULL);
	app_page(req, res, "invitation_done", "Your account is set up");
}

void invitations_accept(struct http_request *req, struct http_response *res)
{
	struct client_record c;
	char digest[CRYPTO_DIGEST_HEX];
	if (find_client(req, &c, digest) != 0 || c.email == NULL) {
		invalid_link(req, res);
		return;
	}
	const char *choice = http_form(req, "choice");
	if (choice && strcmp(choice, "link") == 0) {
		/* No password: a sign-in link will be emailed each time. */
		accept(req, res, digest, NULL);
		return;
	}
	const char *pw = http_form(req, "password");
	const char *again = http_form(req, "password_again");
	size_t len = pw ? utf8_length(pw, strlen(pw)) : 0;
	if (len < PASSWORD_MIN) {
		show(req, res, &c, "Choose a password of at least 10 characters", "password");
		return;
	}
	if (strlen(pw) > 1024) {
		show(req, res, &c, "Choose a password of 1,000 characters or fewer", "password");
		return;
	}
	if (again == NULL || strcmp(pw, again) != 0) {
		show(req, res, &c, "The passwords do not match. Type the same password twice",
		     "password_again");
		return;
	}
	char hash[CRYPTO_PASSWORD_HASH_MAX];
	if (crypto_password_hash(pw, hash) != 0) {
		app_unavailable(req, res);
		return;
	}
	accept(req, res, digest, hash);
}
