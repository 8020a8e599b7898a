#include "http/router.h"

#include <string.h>

int router_match(const char *pattern, const char *path, struct http_request *req)
{
	const char *captures[HTTP_MAX_ROUTE_PARAMS];
	size_t lens[HTTP_MAX_ROUTE_PARAMS];
	size_t n = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			return 0;
		p++;
		s++;
		const char *pe = strchr(p, '/');
		size_t plen = pe ? (size_t)(pe - p) : strlen(p);
		const char *se = strchr(s, '/');
		size_t slen = se ? (size_t)(se - s) : strlen(s);
		if (plen == 1 && p[0] == '*') {
			if (n >= HTTP_MAX_ROUTE_PARAMS || *s == '\0')
				return 0;
			captures[n] = s;
			lens[n++] = strlen(s);
			s += strlen(s);
			p += 1;
			break;
		}
		if (plen > 0 && p[0] == ':') {
			if (slen == 0 || n >= HTTP_MAX_ROUTE_PARAMS)
				return 0;
			captures[n] = s;
			lens[n++] = slen;
		} else if (plen != slen || strncmp(p, s, plen) != 0) {
			return 0;
		}
		p += plen;
		s += slen;
	}
	if (*p || *s)
		return 0;
	for (size_t i = 0; i < n; i++)
		req->route_params[i] = pool_strndup(req->pool, captures[i], lens[i]);
	req->nroute_params = n;
	return 1;
}
