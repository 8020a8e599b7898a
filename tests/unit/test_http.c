/* Unit tests for src/http: percent-decoding, form and cookie parsing, routing and the
 * form allow-list. These are the first code to touch untrusted bytes. */
#include <stdio.h>
#include <string.h>

#include "core/pool.h"
#include "http/http.h"
#include "http/router.h"
#include "unit.h"

/* The decoded text, or NULL when the decoder refused it. */
static const char *decode(struct pool *pool, const char *s, int plus_is_space)
{
	char *out = NULL;
	if (http_percent_decode(pool, s, strlen(s), plus_is_space, &out) != 0)
		return NULL;
	return out;
}

static void test_percent_decode(struct pool *pool)
{
	CHECK_STR(decode(pool, "", 1), "");
	CHECK_STR(decode(pool, "plain", 1), "plain");
	CHECK_STR(decode(pool, "a%20b", 1), "a b");
	CHECK_STR(decode(pool, "%41%42%43", 1), "ABC");
	CHECK_STR(decode(pool, "%4a%4A", 1), "JJ");
	CHECK_STR(decode(pool, "100%25", 1), "100%");
	CHECK_STR(decode(pool, "%2B", 1), "+");
	CHECK_STR(decode(pool, "a+b", 1), "a b");
	CHECK_STR(decode(pool, "a+b", 0), "a+b");
	CHECK_STR(decode(pool, "%C3%A9t%C3%A9", 1), "\xc3\xa9t\xc3\xa9");
	CHECK_STR(decode(pool, "\xc3\xa9", 1), "\xc3\xa9");
	CHECK_STR(decode(pool, "tab%09nl%0Acr%0D", 1), "tab\tnl\ncr\r");

	/* Strict: a '%' must be followed by two hex digits. */
	CHECK(decode(pool, "%", 1) == NULL);
	CHECK(decode(pool, "a%", 1) == NULL);
	CHECK(decode(pool, "%4", 1) == NULL);
	CHECK(decode(pool, "a%4", 1) == NULL);
	CHECK(decode(pool, "%zz", 1) == NULL);
	CHECK(decode(pool, "%4g", 1) == NULL);
	CHECK(decode(pool, "%g4", 1) == NULL);
	CHECK(decode(pool, "% 41", 1) == NULL);
	CHECK(decode(pool, "%%41", 1) == NULL);

	/* NUL, control bytes and invalid UTF-8, encoded or raw. */
	CHECK(decode(pool, "%00", 1) == NULL);
	CHECK(decode(pool, "a%00b", 1) == NULL);
	CHECK(decode(pool, "%01", 1) == NULL);
	CHECK(decode(pool, "%1b[31m", 1) == NULL);
	CHECK(decode(pool, "%7f", 1) == NULL);
	CHECK(decode(pool, "%ff", 1) == NULL);
	CHECK(decode(pool, "%c0%af", 1) == NULL);
	CHECK(decode(pool, "%ed%a0%80", 1) == NULL);
	CHECK(decode(pool, "%c2%85", 1) == NULL); /* NEL, a C1 control */
	CHECK(decode(pool, "\x01", 1) == NULL);
	CHECK(decode(pool, "\xff", 1) == NULL);

	/* Only len bytes are read: a shorter length cuts the input. */
	char *out = NULL;
	CHECK_INT(http_percent_decode(pool, "abc%41", 3, 1, &out), 0);
	CHECK_STR(out, "abc");
	CHECK_INT(http_percent_decode(pool, "abc%41", 5, 1, &out), -1);
	/* A raw NUL inside the given length is refused. */
	CHECK_INT(http_percent_decode(pool, "a\0b", 3, 1, &out), -1);
}

/* Parses s as a form; the number of fields, or -1. */
static int form(struct pool *pool, const char *s, struct http_param *out, size_t max)
{
	size_t n = 99;
	if (http_parse_urlencoded(pool, s, strlen(s), out, max, &n) != 0)
		return -1;
	return (int)n;
}

static void test_urlencoded(struct pool *pool)
{
	struct http_param f[HTTP_MAX_FIELDS];

	CHECK_INT(form(pool, "", f, HTTP_MAX_FIELDS), 0);
	CHECK_INT(form(pool, "&&&", f, HTTP_MAX_FIELDS), 0);

	CHECK_INT(form(pool, "a=1&b=2", f, HTTP_MAX_FIELDS), 2);
	CHECK_STR(f[0].name, "a");
	CHECK_STR(f[0].value, "1");
	CHECK_STR(f[1].name, "b");
	CHECK_STR(f[1].value, "2");

	/* Empty pairs are skipped; a name without '=' has an empty value. */
	CHECK_INT(form(pool, "&a=1&&flag&b=&", f, HTTP_MAX_FIELDS), 3);
	CHECK_STR(f[0].name, "a");
	CHECK_STR(f[0].value, "1");
	CHECK_STR(f[1].name, "flag");
	CHECK_STR(f[1].value, "");
	CHECK_STR(f[2].name, "b");
	CHECK_STR(f[2].value, "");

	/* Only the first '=' splits; later ones belong to the value. */
	CHECK_INT(form(pool, "k=a=b", f, HTTP_MAX_FIELDS), 1);
	CHECK_STR(f[0].value, "a=b");
	CHECK_INT(form(pool, "=v", f, HTTP_MAX_FIELDS), 1);
	CHECK_STR(f[0].name, "");
	CHECK_STR(f[0].value, "v");

	/* Names and values are both decoded; '+' is a space in forms. */
	CHECK_INT(form(pool, "first+name=Ann+Marie&q=a%2Bb%26c%3Dd", f, HTTP_MAX_FIELDS), 2);
	CHECK_STR(f[0].name, "first name");
	CHECK_STR(f[0].value, "Ann Marie");
	CHECK_STR(f[1].value, "a+b&c=d");

	/* Script tags and SQL are just text at this layer. */
	CHECK_INT(form(pool, "n=%3Cscript%3Ealert(1)%3C%2Fscript%3E&s=%27%3B+DROP+TABLE+x%3B--",
		       f, HTTP_MAX_FIELDS),
		  2);
	CHECK_STR(f[0].value, "<script>alert(1)</script>");
	CHECK_STR(f[1].value, "'; DROP TABLE x;--");

	/* Tab, newline and CR are text a textarea sends. */
	CHECK_INT(form(pool, "notes=a%09b%0D%0Ac", f, HTTP_MAX_FIELDS), 1);
	CHECK_STR(f[0].value, "a\tb\r\nc");

	/* Any malformed field fails the whole form, in a name or a value. */
	CHECK_INT(form(pool, "a=1&b=%zz", f, HTTP_MAX_FIELDS), -1);
	CHECK_INT(form(pool, "a=1&b=%", f, HTTP_MAX_FIELDS), -1);
	CHECK_INT(form(pool, "a=%4", f, HTTP_MAX_FIELDS), -1);
	CHECK_INT(form(pool, "%zz=1", f, HTTP_MAX_FIELDS), -1);
	CHECK_INT(form(pool, "a=%ff", f, HTTP_MAX_FIELDS), -1);
	CHECK_INT(form(pool, "a=%c0%af", f, HTTP_MAX_FIELDS), -1);
	CHECK_INT(form(pool, "a=%e0%80%af", f, HTTP_MAX_FIELDS), -1);
	CHECK_INT(form(pool, "a=%ed%a0%80", f, HTTP_MAX_FIELDS), -1);
	CHECK_INT(form(pool, "a=%f4%90%80%80", f, HTTP_MAX_FIELDS), -1);
	CHECK_INT(form(pool, "a=%01", f, HTTP_MAX_FIELDS), -1);
	CHECK_INT(form(pool, "a=%7f", f, HTTP_MAX_FIELDS), -1);
	CHECK_INT(form(pool, "a=%00", f, HTTP_MAX_FIELDS), -1);
	CHECK_INT(form(pool, "a%01=1", f, HTTP_MAX_FIELDS), -1);
	CHECK_INT(form(pool, "a=%e2%82", f, HTTP_MAX_FIELDS), -1); /* truncated sequence */
	CHECK_INT(form(pool, "a=%e2%82%ac", f, HTTP_MAX_FIELDS), 1);
	CHECK_STR(f[0].value, "\xe2\x82\xac");
	CHECK_INT(form(pool, "a=%f0%9f%98%80", f, HTTP_MAX_FIELDS), 1);
	CHECK_STR(f[0].value, "\xf0\x9f\x98\x80");

	/* Exactly max fields is fine; one more is refused, not silently dropped. */
	char many[1024];
	size_t len = 0;
	for (int i = 0; i < HTTP_MAX_FIELDS; i++)
		len += (size_t)snprintf(many + len, sizeof(many) - len, "%sf%d=%d", i ? "&" : "", i,
					 i);
	CHECK_INT(form(pool, many, f, HTTP_MAX_FIELDS), HTTP_MAX_FIELDS);
	CHECK_STR(f[HTTP_MAX_FIELDS - 1].name, "f63");
	CHECK_STR(f[HTTP_MAX_FIELDS - 1].value, "63");
	snprintf(many + len, sizeof(many) - len, "&extra=1");
	CHECK_INT(form(pool, many, f, HTTP_MAX_FIELDS), -1);
	CHECK_INT(form(pool, "a=1&b=2&c=3", f, 2), -1);
	CHECK_INT(form(pool, "a=1&&&b=2&&", f, 2), 2);

	/* The length is honoured: bytes after it are not read. */
	size_t n = 0;
	CHECK_INT(http_parse_urlencoded(pool, "a=1&b=2", 3, f, HTTP_MAX_FIELDS, &n), 0);
	CHECK_INT(n, 1);
	CHECK_STR(f[0].value, "1");
	/* A raw NUL inside a posted body is refused. */
	CHECK_INT(http_parse_urlencoded(pool, "a=1\0&b=2", 8, f, HTTP_MAX_FIELDS, &n), -1);
}

/* Parses a Cookie header; the number of cookies, or -1. */
static int cookies(struct pool *pool, const char *s, struct http_param *out, size_t max)
{
	size_t n = 99;
	if (http_parse_cookies(pool, s, out, max, &n) != 0)
		return -1;
	return (int)n;
}

static void test_cookies(struct pool *pool)
{
	struct http_param c[HTTP_MAX_COOKIES];

	CHECK_INT(cookies(pool, "", c, HTTP_MAX_COOKIES), 0);
	CHECK_INT(cookies(pool, "   ", c, HTTP_MAX_COOKIES), 0);
	CHECK_INT(cookies(pool, ";;; ;", c, HTTP_MAX_COOKIES), 0);

	CHECK_INT(cookies(pool, "session=abc", c, HTTP_MAX_COOKIES), 1);
	CHECK_STR(c[0].name, "session");
	CHECK_STR(c[0].value, "abc");

	CHECK_INT(cookies(pool, "a=1; b=2;c=3 ;  d=4  ", c, HTTP_MAX_COOKIES), 4);
	CHECK_STR(c[0].name, "a");
	CHECK_STR(c[0].value, "1");
	CHECK_STR(c[1].name, "b");
	CHECK_STR(c[1].value, "2");
	CHECK_STR(c[2].name, "c");
	CHECK_STR(c[2].value, "3");
	CHECK_STR(c[3].name, "d");
	CHECK_STR(c[3].value, "4");

	/* Quoted values lose their quotes; a lone quote is kept. */
	CHECK_INT(cookies(pool, "q=\"quoted value\"; e=\"\"; l=\"", c, HTTP_MAX_COOKIES), 3);
	CHECK_STR(c[0].value, "quoted value");
	CHECK_STR(c[1].value, "");
	CHECK_STR(c[2].value, "\"");

	/* Nameless crumbs and crumbs without '=' are ignored, as browsers do. */
	CHECK_INT(cookies(pool, "=orphan; lonely; a=1; =; b=", c, HTTP_MAX_COOKIES), 2);
	CHECK_STR(c[0].name, "a");
	CHECK_STR(c[0].value, "1");
	CHECK_STR(c[1].name, "b");
	CHECK_STR(c[1].value, "");

	/* Values are not percent-decoded and may hold '='. */
	CHECK_INT(cookies(pool, "t=a%20b==", c, HTTP_MAX_COOKIES), 1);
	CHECK_STR(c[0].value, "a%20b==");

	/* A cookie with control bytes or invalid UTF-8 is skipped; the others are kept, so
	 * one bad cookie does not sign anybody out. */
	CHECK_INT(cookies(pool, "a=\x01", c, HTTP_MAX_COOKIES), 0);
	CHECK_INT(cookies(pool, "a=\x7f", c, HTTP_MAX_COOKIES), 0);
	CHECK_INT(cookies(pool, "a=\xff", c, HTTP_MAX_COOKIES), 0);
	CHECK_INT(cookies(pool, "a=\xc0\xaf", c, HTTP_MAX_COOKIES), 0);
	CHECK_INT(cookies(pool, "a=\xc3\xa9", c, HTTP_MAX_COOKIES), 1);
	CHECK_INT(cookies(pool, "bad=\xff; cairn_session=tok", c, HTTP_MAX_COOKIES), 1);
	CHECK_STR(c[0].name, "cairn_session");
	CHECK_STR(c[0].value, "tok");

	/* At most max cookies. */
	char many[1024];
	size_t len = 0;
	for (int i = 0; i < HTTP_MAX_COOKIES; i++)
		len += (size_t)snprintf(many + len, sizeof(many) - len, "c%d=%d; ", i, i);
	CHECK_INT(cookies(pool, many, c, HTTP_MAX_COOKIES), HTTP_MAX_COOKIES);
	CHECK_STR(c[HTTP_MAX_COOKIES - 1].name, "c31");
	snprintf(many + len, sizeof(many) - len, "extra=1");
	CHECK_INT(cookies(pool, many, c, HTTP_MAX_COOKIES), HTTP_MAX_COOKIES);
	CHECK_STR(c[HTTP_MAX_COOKIES - 1].name, "c31");
}

/* A fresh request whose route parameters live in pool. */
static void request_init(struct http_request *req, struct pool *pool)
{
	memset(req, 0, sizeof(*req));
	req->pool = pool;
}

static void test_router(struct pool *pool)
{
	struct http_request req;
	request_init(&req, pool);

	CHECK_INT(router_match("/", "/", &req), 1);
	CHECK_INT(req.nroute_params, 0);
	CHECK_INT(router_match("/", "", &req), 0);
	CHECK_INT(router_match("/", "//", &req), 0);
	CHECK_INT(router_match("/", "/x", &req), 0);
	CHECK_INT(router_match("/referrals", "/referrals", &req), 1);
	CHECK_INT(router_match("/referrals", "/referral", &req), 0);
	CHECK_INT(router_match("/referrals", "/referralsx", &req), 0);
	CHECK_INT(router_match("/referrals", "/Referrals", &req), 0);
	CHECK_INT(router_match("/referrals/new", "/referrals/new", &req), 1);
	CHECK_INT(router_match("/referrals/new", "/referrals", &req), 0);
	CHECK_INT(router_match("/referrals", "/referrals/new", &req), 0);

	/* A trailing slash is a different path. */
	CHECK_INT(router_match("/referrals", "/referrals/", &req), 0);
	CHECK_INT(router_match("/referrals/", "/referrals", &req), 0);
	/* Doubled slashes are not folded. */
	CHECK_INT(router_match("/a/b", "/a//b", &req), 0);
	CHECK_INT(router_match("/a/b", "//a/b", &req), 0);

	/* :params capture one non-empty segment each. */
	CHECK_INT(router_match("/clients/:id", "/clients/42", &req), 1);
	CHECK_INT(req.nroute_params, 1);
	CHECK_STR(http_route_param(&req, 0), "42");
	CHECK(http_route_param(&req, 1) == NULL);
	CHECK_INT(router_match("/clients/:id", "/clients/", &req), 0);
	CHECK_INT(router_match("/clients/:id", "/clients", &req), 0);
	CHECK_INT(router_match("/clients/:id", "/clients/42/", &req), 0);
	CHECK_INT(router_match("/clients/:id", "/clients/42/x", &req), 0);
	CHECK_INT(router_match("/clients/:id", "/clients//", &req), 0);
	CHECK_INT(router_match("/a/:x/b/:y", "/a/1/b/2", &req), 1);
	CHECK_INT(req.nroute_params, 2);
	CHECK_STR(http_route_param(&req, 0), "1");
	CHECK_STR(http_route_param(&req, 1), "2");
	CHECK_INT(router_match("/a/:x/b/:y", "/a/1/c/2", &req), 0);
	CHECK_INT(router_match("/:a/:b", "/x/y", &req), 1);
	CHECK_STR(http_route_param(&req, 0), "x");
	CHECK_STR(http_route_param(&req, 1), "y");

	/* A failed match leaves the previous captures alone. */
	CHECK_INT(router_match("/clients/:id", "/other/7", &req), 0);
	CHECK_INT(req.nroute_params, 2);
	CHECK_STR(http_route_param(&req, 0), "x");

	/* More params than a request holds never match rather than overflow. */
	CHECK_INT(router_match("/:a/:b/:c/:d", "/1/2/3/4", &req), 1);
	CHECK_INT(req.nroute_params, HTTP_MAX_ROUTE_PARAMS);
	CHECK_STR(http_route_param(&req, 3), "4");
	CHECK_INT(router_match("/:a/:b/:c/:d/:e", "/1/2/3/4/5", &req), 0);
	CHECK_INT(router_match("/:a/:b/:c/:d/*", "/1/2/3/4/5", &req), 0);

	/* '*' captures the rest, slashes included, but not nothing. */
	CHECK_INT(router_match("/static/*", "/static/app.css", &req), 1);
	CHECK_INT(req.nroute_params, 1);
	CHECK_STR(http_route_param(&req, 0), "app.css");
	CHECK_INT(router_match("/static/*", "/static/ds/design-system.js", &req), 1);
	CHECK_STR(http_route_param(&req, 0), "ds/design-system.js");
	CHECK_INT(router_match("/static/*", "/static/", &req), 0);
	CHECK_INT(router_match("/static/*", "/static", &req), 0);
	CHECK_INT(router_match("/static/*", "/staticx/a", &req), 0);
	CHECK_INT(router_match("/static/*/x", "/static/a/x", &req), 0);
	CHECK_INT(router_match("/f/:id/*", "/f/9/a/b", &req), 1);
	CHECK_STR(http_route_param(&req, 0), "9");
	CHECK_STR(http_route_param(&req, 1), "a/b");

	/* Captures are copies in the request's pool, not pointers into the path. */
	char path[] = "/clients/77";
	CHECK_INT(router_match("/clients/:id", path, &req), 1);
	path[9] = '8';
	CHECK_STR(http_route_param(&req, 0), "77");
}

static void test_form_restrict(struct pool *pool)
{
	struct http_request req;
	request_init(&req, pool);
	const char *posted = "csrf_token=t&first_name=Ann&is_admin=1&x=&first_name=Bo";
	CHECK_INT(http_parse_urlencoded(pool, posted, strlen(posted), req.form, HTTP_MAX_FIELDS,
					&req.nform),
		  0);
	CHECK_INT(req.nform, 5);
	static const char *const allowed[] = {"csrf_token", "first_name", NULL};
	http_form_restrict(&req, allowed);
	CHECK_INT(req.nform, 3);
	CHECK_STR(req.form[0].name, "csrf_token");
	CHECK_STR(req.form[1].name, "first_name");
	CHECK_STR(req.form[2].name, "first_name");
	CHECK_STR(http_form(&req, "csrf_token"), "t");
	CHECK_STR(http_form(&req, "first_name"), "Ann"); /* the first of a repeated field */
	CHECK(http_form(&req, "is_admin") == NULL);
	CHECK(http_form(&req, "x") == NULL);

	/* A name ending in '*' keeps every field starting with what comes before it. */
	const char *body = "outcome_12=attended&outcome_=x&outcome=no&minutes_12=60&csrf_token=t";
	CHECK_INT(http_parse_urlencoded(pool, body, strlen(body), req.form, HTTP_MAX_FORM_FIELDS,
					&req.nform),
		  0);
	static const char *const prefixed[] = {"outcome_*", "csrf_token", NULL};
	http_form_restrict(&req, prefixed);
	CHECK_INT(req.nform, 3);
	CHECK_STR(req.form[0].name, "outcome_12");
	CHECK_STR(req.form[1].name, "outcome_");
	CHECK_STR(req.form[2].name, "csrf_token");
	CHECK(http_form(&req, "outcome") == NULL);
	CHECK(http_form(&req, "minutes_12") == NULL);
	static const char *const everything[] = {"*", NULL};
	http_form_restrict(&req, everything);
	CHECK_INT(req.nform, 3);
	/* An empty allowed name keeps only nameless fields, not everything. */
	static const char *const empty[] = {"", NULL};
	http_form_restrict(&req, empty);
	CHECK_INT(req.nform, 0);

	/* A register-sized form: many more fields than a query may have. */
	char big[HTTP_MAX_FORM_FIELDS * 16];
	size_t blen = 0;
	for (int i = 0; i < HTTP_MAX_FORM_FIELDS; i++)
		blen += (size_t)snprintf(big + blen, sizeof(big) - blen, "%so_%d=a", i ? "&" : "",
					 i);
	CHECK_INT(http_parse_urlencoded(pool, big, blen, req.form, HTTP_MAX_FORM_FIELDS,
					&req.nform),
		  0);
	CHECK_INT(req.nform, HTTP_MAX_FORM_FIELDS);
	snprintf(big + blen, sizeof(big) - blen, "&one=more");
	CHECK_INT(http_parse_urlencoded(pool, big, strlen(big), req.form, HTTP_MAX_FORM_FIELDS,
					&req.nform),
		  -1);

	static const char *const none[] = {NULL};
	http_form_restrict(&req, none);
	CHECK_INT(req.nform, 0);
	CHECK(http_form(&req, "csrf_token") == NULL);

	/* Query and cookie accessors read their own arrays. */
	req.query[0] = (struct http_param){"page", "2"};
	req.nquery = 1;
	req.cookies[0] = (struct http_param){"cairn_session", "tok"};
	req.ncookies = 1;
	CHECK_STR(http_query(&req, "page"), "2");
	CHECK(http_query(&req, "cairn_session") == NULL);
	CHECK_STR(http_cookie(&req, "cairn_session"), "tok");
	CHECK(http_cookie(&req, "page") == NULL);
}

static void test_responses(void)
{
	struct http_response res;
	memset(&res, 0, sizeof(res));
	buf_init(&res.body);
	http_header(&res, "X-A", "1");
	http_header(&res, "X-A", "2");
	CHECK_INT(res.nheaders, 1);
	CHECK_STR(res.headers[0].value, "2");
	/* Set-Cookie may repeat. */
	http_header(&res, "Set-Cookie", "a=1");
	http_header(&res, "Set-Cookie", "b=2");
	CHECK_INT(res.nheaders, 3);
	/* Past the limit headers are dropped, never written out of bounds. */
	for (int i = 0; i < 2 * HTTP_MAX_HEADERS; i++)
		http_header(&res, "Set-Cookie", "c=3");
	CHECK_INT(res.nheaders, HTTP_MAX_HEADERS);

	http_text(&res, 404, "Not found");
	CHECK_INT(res.status, 404);
	CHECK_STR(res.body.data, "Not found\n");
	CHECK_STR(res.content_type, "text/plain; charset=utf-8");
	http_redirect(&res, 303, "/referrals");
	CHECK_INT(res.status, 303);
	CHECK_INT(res.body.len, 0);
	CHECK_INT(res.nheaders, HTTP_MAX_HEADERS);
	buf_free(&res.body);

	memset(&res, 0, sizeof(res));
	buf_init(&res.body);
	http_redirect(&res, 303, "/done");
	CHECK_INT(res.nheaders, 1);
	CHECK_STR(res.headers[0].name, "Location");
	CHECK_STR(res.headers[0].value, "/done");
	buf_free(&res.body);
}

int main(void)
{
	struct pool *pool = pool_new();
	test_percent_decode(pool);
	test_urlencoded(pool);
	test_cookies(pool);
	test_router(pool);
	test_form_restrict(pool);
	test_responses();
	pool_free(pool);
	return unit_finish("test_http");
}
