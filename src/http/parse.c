/* The form, query and cookie parsers: the first code to touch untrusted bytes. */
#include <string.h>

#include "core/utf8.h"
#include "http/http.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int http_percent_decode(struct pool *pool, const char *s, size_t len, int plus_is_space,
			char **out)
{
	char *d = pool_alloc(pool, len + 1);
	size_t j = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '%') {
			if (i + 2 >= len)
				return -1;
			int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			d[j++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			d[j++] = ' ';
		} else {
			d[j++] = c;
		}
	}
	d[j] = '\0';
	if (memchr(d, '\0', j) != NULL || utf8_check_text(d, j) != 0)
		return -1;
	*out = d;
	return 0;
}

int http_parse_urlencoded(struct pool *pool, const char *data, size_t len,
			  struct http_param *out, size_t max, size_t *count)
{
	*count = 0;
	size_t i = 0;
	while (i < len) {
		size_t end = i;
		while (end < len && data[end] != '&')
			end++;
		if (end > i) {
			const char *pair = data + i;
			size_t plen = end - i;
			const char *eq = memchr(pair, '=', plen);
			size_t nlen = eq ? (size_t)(eq - pair) : plen;
			char *name, *value;
			if (http_percent_decode(pool, pair, nlen, 1, &name) != 0)
				return -1;
			if (eq) {
				if (http_percent_decode(pool, eq + 1, plen - nlen - 1, 1, &value) != 0)
					return -1;
			} else {
				value = pool_strdup(pool, "");
			}
			if (*count >= max)
				return -1;
			out[*count].name = name;
			out[*count].value = value;
			(*count)++;
		}
		i = end + 1;
	}
	return 0;
}

int http_parse_cookies(struct pool *pool, const char *header, struct http_param *out,
		       size_t max, size_t *count)
{
	*count = 0;
	const char *p = header;
	while (*p) {
		while (*p == ' ' || *p == ';')
			p++;
		if (!*p)
			break;
		const char *start = p;
		while (*p && *p != ';')
			p++;
		size_t len = (size_t)(p - start);
		while (len > 0 && start[len - 1] == ' ')
			len--;
		const char *eq = memchr(start, '=', len);
		if (eq == NULL || eq == start)
			continue; /* a nameless or valueless crumb is ignored, as browsers do */
		size_t nlen = (size_t)(eq - start);
		const char *v = eq + 1;
		size_t vlen = len - nlen - 1;
		if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
			v++;
			vlen -= 2;
		}
		/* A crumb that is not text is skipped, as browsers skip what they cannot read:
		 * one bad cookie should not sign the person out. Past the limit, the rest are
		 * dropped. */
		if (utf8_check_text(start, len) != 0 || *count >= max)
			continue;
		out[*count].name = pool_strndup(pool, start, nlen);
		out[*count].value = pool_strndup(pool, v, vlen);
		(*count)++;
	}
	return 0;
}
