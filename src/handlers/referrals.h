/* referrals: Make a referral, its confirmation, and My referrals. */
#ifndef CAIRN_REFERRALS_H
#define CAIRN_REFERRALS_H
#include "http/http.h"

extern const char *const referrals_fields[];

void referrals_new(struct http_request *req, struct http_response *res);
void referrals_create(struct http_request *req, struct http_response *res);
void referrals_sent(struct http_request *req, struct http_response *res);
void referrals_list(struct http_request *req, struct http_response *res);

#endif
