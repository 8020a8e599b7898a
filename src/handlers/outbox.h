/* outbox: the administrator's view of every message Cairn sends. */
#ifndef CAIRN_OUTBOX_H
#define CAIRN_OUTBOX_H
#include "http/http.h"

void outbox_list(struct http_request *req, struct http_response *res);
void outbox_show(struct http_request *req, struct http_response *res);

#endif
