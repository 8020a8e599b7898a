/* home: the start page and the health check. */
#ifndef CAIRN_HOME_H
#define CAIRN_HOME_H
#include "http/http.h"

void home_start(struct http_request *req, struct http_response *res);
void home_healthz(struct http_request *req, struct http_response *res);

#endif
