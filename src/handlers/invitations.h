/* invitations: a client accepts the invitation from their referral and sets a password. */
#ifndef CAIRN_INVITATIONS_H
#define CAIRN_INVITATIONS_H
#include "http/http.h"

extern const char *const invitations_fields[];

void invitations_show(struct http_request *req, struct http_response *res);
void invitations_accept(struct http_request *req, struct http_response *res);

#endif
