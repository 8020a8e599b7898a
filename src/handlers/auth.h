/* auth: signing in and out, for staff and clients alike. */
#ifndef CAIRN_AUTH_H
#define CAIRN_AUTH_H
#include "http/http.h"

/* Failed sign-ins allowed in AUTH_WINDOW_S before more are refused without checking:
 * per account, and per address (which sees many accounts behind one office NAT). */
#define AUTH_WINDOW_S (15 * 60)
#define AUTH_MAX_PER_ACCOUNT 5
#define AUTH_MAX_PER_ADDRESS 50

void auth_sign_in_form(struct http_request *req, struct http_response *res);
void auth_sign_in(struct http_request *req, struct http_response *res);
void auth_sign_out(struct http_request *req, struct http_response *res);

/* Clients who chose not to keep a password sign in by a link emailed each time. */
extern const char *const auth_link_fields[];
#define AUTH_LINK_S (60 * 60)
void auth_link_form(struct http_request *req, struct http_response *res);
void auth_link_send(struct http_request *req, struct http_response *res);
void auth_link_show(struct http_request *req, struct http_response *res);
void auth_link_use(struct http_request *req, struct http_response *res);

#endif
