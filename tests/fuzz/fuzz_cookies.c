/* Fuzzes the Cookie header parser: never a crash; every cookie it returns has a non-empty
 * name, holds no ';', and is valid UTF-8 text. */
#include <string.h>

#include "core/pool.h"
#include "core/utf8.h"
#include "fuzz.h"
#include "http/http.h"

static void check_cookies(const struct http_param *c, size_t n, size_t max, size_t size)
{
	FUZZ_CHECK(n <= max);
	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(c[i].name), vl = strlen(c[i].value);
		FUZZ_CHECK(nl > 0 && nl + vl < size);
		FUZZ_CHECK(strchr(c[i].name, ';') == NULL && strchr(c[i].value, ';') == NULL);
		FUZZ_CHECK(strchr(c[i].name, '=') == NULL);
		FUZZ_CHECK(utf8_check_text(c[i].name, nl) == 0);
		FUZZ_CHECK(utf8_check_text(c[i].value, vl) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The parser reads a header as libmicrohttpd hands it over: a C string. */
	char *header = malloc(size + 1);
	if (header == NULL)
		return 0;
	memcpy(header, data, size);
	header[size] = '\0';

	struct pool *pool = pool_new();
	struct http_param cookies[HTTP_MAX_COOKIES];
	size_t n = 0;
	if (http_parse_cookies(pool, header, cookies, HTTP_MAX_COOKIES, &n) == 0)
		check_cookies(cookies, n, HTTP_MAX_COOKIES, size);
	if (http_parse_cookies(pool, header, cookies, 2, &n) == 0)
		check_cookies(cookies, n, 2, size);
	pool_free(pool);
	free(header);
	return 0;
}
