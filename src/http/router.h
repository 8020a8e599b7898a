/* router: matching a request path against a route pattern. */
#ifndef CAIRN_ROUTER_H
#define CAIRN_ROUTER_H

#include "http/http.h"

/* A pattern is a path whose segments are literal or ":name", capturing one non-empty
 * segment, or a last segment "*", capturing the rest. On a match the captures are put in
 * req->route_params (copied into its pool) and 1 is returned; otherwise 0. */
int router_match(const char *pattern, const char *path, struct http_request *req);

#endif
