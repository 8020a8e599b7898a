/* welcome: coordinators' welcome calls to newly referred clients. */
#ifndef CAIRN_WELCOME_H
#define CAIRN_WELCOME_H
#include "http/http.h"

extern const char *const welcome_fields[];

void welcome_list(struct http_request *req, struct http_response *res);
void welcome_show(struct http_request *req, struct http_response *res);
void welcome_record(struct http_request *req, struct http_response *res);

#endif
