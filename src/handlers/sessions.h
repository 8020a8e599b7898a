/* sessions: clients find, look at and book group sessions. */
#ifndef CAIRN_SESSIONS_H
#define CAIRN_SESSIONS_H
#include "http/http.h"

void sessions_list(struct http_request *req, struct http_response *res);
void sessions_show(struct http_request *req, struct http_response *res);
void sessions_book(struct http_request *req, struct http_response *res);

#endif
