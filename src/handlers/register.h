/* register: a facilitator's sessions and the register of each. */
#ifndef CAIRN_REGISTER_H
#define CAIRN_REGISTER_H
#include "http/http.h"

extern const char *const register_fields[];

void register_sessions(struct http_request *req, struct http_response *res);
void register_show(struct http_request *req, struct http_response *res);
void register_save(struct http_request *req, struct http_response *res);

#endif
