/* http: requests and responses as the rest of Cairn sees them. Only src/http/ knows
 * libmicrohttpd; handlers see these structs. */
#ifndef CAIRN_HTTP_H
#define CAIRN_HTTP_H
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/pool.h"

/* Limits at the boundary. A body over the limit is refused with 413 before any handler
 * runs; a field that is not valid UTF-8 text makes the request a 400. */
#define HTTP_MAX_BODY (64 * 1024)
#define HTTP_MAX_FIELDS 64
/* A register of 100 bookings sends a few fields for each. */
#define HTTP_MAX_FORM_FIELDS 800
#define HTTP_MAX_COOKIES 32
#define HTTP_MAX_ROUTE_PARAMS 4

struct http_param {
	const char *name;
	const char *value;
};

struct http_request {
	struct pool *pool; /* freed when the response has been sent */
	const char *method;
	const char *path;  /* decoded, without the query string */
	const char *raw_uri;
	struct http_param query[HTTP_MAX_FIELDS];
	size_t nquery;
	struct http_param form[HTTP_MAX_FORM_FIELDS];
	size_t nform;
	struct http_param cookies[HTTP_MAX_COOKIES];
	size_t ncookies;
	const char *route_params[HTTP_MAX_ROUTE_PARAMS];
	size_t nroute_params;
	const char *remote_addr;
	const char *user_agent;
	const char *content_type;
	const char *origin; /* Origin header, or NULL */
	const char *host;
	void *app;          /* per-request state of the application (signed-in user...) */
	int64_t started_usec;
	/* Set by the parser; the request is answered with this status before any handler
	 * runs when non-zero. */
	int reject_status;
	const char *reject_reason;
};

#define HTTP_MAX_HEADERS 16

struct http_response {
	int status;
	const char *content_type;
	struct buf body;           /* owned by the response */
	const unsigned char *static_body; /* or a body that outlives the response */
	size_t static_len;
	struct http_param headers[HTTP_MAX_HEADERS];
	size_t nheaders;
};

/* Values belong to the request's pool; NULL when absent. */
const char *http_query(const struct http_request *req, const char *name);
const char *http_form(const struct http_request *req, const char *name);
const char *http_cookie(const struct http_request *req, const char *name);
const char *http_route_param(const struct http_request *req, size_t i);

/* name and value must outlive the response (literals or the request's pool). */
void http_header(struct http_response *res, const char *name, const char *value);
void http_redirect(struct http_response *res, int status, const char *location);
/* A short plain-text answer, for errors outside any page. */
void http_text(struct http_response *res, int status, const char *text);

/* Keeps only the form fields whose names are in `allowed` (NULL-terminated); an allowed
 * name ending in '*' keeps every field that starts with what comes before it. */
void http_form_restrict(struct http_request *req, const char *const *allowed);

/* Parsers, exposed for unit tests and fuzzing. Both decode percent-encoding strictly
 * (a '%' not followed by two hex digits is an error), turn '+' into a space, and reject
 * text that is not valid UTF-8 or carries control characters. 0 or -1. */
int http_parse_urlencoded(struct pool *pool, const char *data, size_t len,
			  struct http_param *out, size_t max, size_t *count);
int http_parse_cookies(struct pool *pool, const char *header, struct http_param *out,
		       size_t max, size_t *count);
/* Strict percent-decoding of one component into the pool; -1 when malformed. */
int http_percent_decode(struct pool *pool, const char *s, size_t len, int plus_is_space,
			char **out);

#endif
