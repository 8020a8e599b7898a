/* routes: the route table, with who may use each route and which form fields it takes. */
#ifndef CAIRN_ROUTES_H
#define CAIRN_ROUTES_H

#include "http/http.h"

/* Who may use a route: anyone, anyone signed in, or a set of roles (1u << role). */
#define ROUTE_PUBLIC 0u
#define ROUTE_SIGNED_IN (1u << 31)
#define ROUTE_ROLE(r) (1u << (r))

struct route {
	const char *method;
	const char *pattern;
	unsigned allow;
	const char *const *fields; /* the form fields it takes; others are dropped */
	void (*handler)(struct http_request *req, struct http_response *res);
};

extern const struct route routes[];

#endif
