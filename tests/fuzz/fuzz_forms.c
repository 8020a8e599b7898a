/* Fuzzes the form and query parser and the percent-decoder: never a crash, and whatever
 * they accept is valid UTF-8 text that survives a round trip through the URL escaper. */
#include <string.h>

#include "core/buf.h"
#include "core/pool.h"
#include "core/utf8.h"
#include "fuzz.h"
#include "html/escape.h"
#include "http/http.h"

static void check_fields(const struct http_param *f, size_t n, size_t max, size_t size)
{
	FUZZ_CHECK(n <= max);
	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(f[i].name), vl = strlen(f[i].value);
		FUZZ_CHECK(nl + vl <= size);
		FUZZ_CHECK(utf8_check_text(f[i].name, nl) == 0);
		FUZZ_CHECK(utf8_check_text(f[i].value, vl) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct pool *pool = pool_new();

	/* The limits the server uses for a posted form and for a query string. */
	static struct http_param fields[HTTP_MAX_FORM_FIELDS];
	size_t n = 0;
	if (http_parse_urlencoded(pool, s, size, fields, HTTP_MAX_FORM_FIELDS, &n) == 0)
		check_fields(fields, n, HTTP_MAX_FORM_FIELDS, size);
	if (http_parse_urlencoded(pool, s, size, fields, HTTP_MAX_FIELDS, &n) == 0)
		check_fields(fields, n, HTTP_MAX_FIELDS, size);
	/* A small limit reaches the too-many-fields path with short inputs. */
	if (http_parse_urlencoded(pool, s, size, fields, 3, &n) == 0)
		check_fields(fields, n, 3, size);

	for (int plus = 0; plus <= 1; plus++) {
		char *out = NULL;
		if (http_percent_decode(pool, s, size, plus, &out) != 0)
			continue;
		size_t len = strlen(out);
		FUZZ_CHECK(len <= size);
		FUZZ_CHECK(utf8_check_text(out, len) == 0);
		/* What the escaper writes, the decoder reads back unchanged. */
		struct buf enc;
		buf_init(&enc);
		escape_url_component(&enc, out, len);
		char *back = NULL;
		const char *encoded = enc.data ? enc.data : "";
		FUZZ_CHECK(http_percent_decode(pool, encoded, enc.len, plus, &back) == 0);
		FUZZ_CHECK(strcmp(back, out) == 0);
		buf_free(&enc);
	}

	pool_free(pool);
	return 0;
}
