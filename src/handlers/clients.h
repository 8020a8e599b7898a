/* clients: a client's page for staff. */
#ifndef CAIRN_CLIENTS_H
#define CAIRN_CLIENTS_H
#include "http/http.h"

void clients_show(struct http_request *req, struct http_response *res);

#endif
