/* Accessors for requests and helpers for building responses. */
#include <string.h>

#include "http/http.h"

static const char *param_find(const struct http_param *p, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(p[i].name, name) == 0)
			return p[i].value;
	return NULL;
}

const char *http_query(const struct http_request *req, const char *name)
{
	return param_find(req->query, req->nquery, name);
}

const char *http_form(const struct http_request *req, const char *name)
{
	return param_find(req->form, req->nform, name);
}

const char *http_cookie(const struct http_request *req, const char *name)
{
	return param_find(req->cookies, req->ncookies, name);
}

const char *http_route_param(const struct http_request *req, size_t i)
{
	return i < req->nroute_params ? req->route_params[i] : NULL;
}

void http_form_restrict(struct http_request *req, const char *const *allowed)
{
	size_t kept = 0;
	for (size_t i = 0; i < req->nform; i++) {
		for (const char *const *a = allowed; *a; a++) {
			size_t n = strlen(*a);
			int match = n && (*a)[n - 1] == '*'
					    ? strncmp(*a, req->form[i].name, n - 1) == 0
					    : strcmp(*a, req->form[i].name) == 0;
			if (match) {
				req->form[kept++] = req->form[i];
				break;
			}
		}
	}
	req->nform = kept;
}

void http_header(struct http_response *res, const char *name, const char *value)
{
	for (size_t i = 0; i < res->nheaders; i++) {
		if (strcmp(res->headers[i].name, name) == 0 && strcmp(name, "Set-Cookie") != 0) {
			res->headers[i].value = value;
			return;
		}
	}
	if (res->nheaders < HTTP_MAX_HEADERS) {
		res->headers[res->nheaders].name = name;
		res->headers[res->nheaders].value = value;
		res->nheaders++;
	}
}

void http_redirect(struct http_response *res, int status, const char *location)
{
	res->status = status;
	http_header(res, "Location", location);
	buf_reset(&res->body);
}

void http_text(struct http_response *res, int status, const char *text)
{
	res->status = status;
	res->content_type = "text/plain; charset=utf-8";
	buf_reset(&res->body);
	buf_puts(&res->body, text);
	buf_putc(&res->body, '\n');
}
