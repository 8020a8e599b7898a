#include "html/escape.h"

#include <string.h>

/* The bytes HTML needs escaped; a page of a list escapes hundreds of values, most of them
 * with nothing to escape, so a value is scanned with this table and appended in runs. */
static const unsigned char needs_escape[256] = {['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1,
						['\''] = 1};

void escape_html(struct buf *out, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && !needs_escape[(unsigned char)s[i]])
		i++;
	if (i == n && out->cap > out->len + n) {
		/* Nothing to escape, and room: most values. */
		memcpy(out->data + out->len, s, n);
		out->len += n;
		out->data[out->len] = '\0';
		return;
	}
	size_t start = 0;
	for (; i < n; i++) {
		if (!needs_escape[(unsigned char)s[i]])
			continue;
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		default: rep = "&#39;"; break;
		}
		buf_append(out, s + start, i - start);
		buf_puts(out, rep);
		start = i + 1;
	}
	buf_append(out, s + start, n - start);
}

void escape_url_component(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			buf_putc(out, (char)c);
		} else {
			char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
			buf_append(out, enc, 3);
		}
	}
}
