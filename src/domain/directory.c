#include "domain/directory.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"

static int word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c >= 0x80;
}

/* Bytes of text up to max_chars UTF-8 characters (counting lead bytes). */
static size_t prefix_bytes(const char *text, size_t max_chars)
{
	size_t chars = 0, i = 0;
	for (; text[i]; i++) {
		if (((unsigned char)text[i] & 0xC0) != 0x80) {
			if (chars == max_chars)
				break;
			chars++;
		}
	}
	return i;
}

/* Cuts a word to at most max bytes without splitting a UTF-8 character. */
static size_t word_cut(const char *w, size_t len, size_t max)
{
	if (len <= max)
		return len;
	size_t n = max;
	while (n > 0 && ((unsigned char)w[n] & 0xC0) == 0x80)
		n--;
	return n;
}

int directory_fts_query(struct pool *p, const char *text, const char **out)
{
	*out = NULL;
	if (text == NULL)
		return 0;
	size_t len = prefix_bytes(text, DIRECTORY_TEXT_MAX_CHARS);
	struct buf b;
	buf_init(&b);
	int words = 0;
	for (size_t i = 0; i < len && words < DIRECTORY_TEXT_MAX_WORDS;) {
		if (!word_byte((unsigned char)text[i])) {
			i++;
			continue;
		}
		size_t start = i;
		while (i < len && word_byte((unsigned char)text[i]))
			i++;
		size_t n = word_cut(text + start, i - start, DIRECTORY_WORD_MAX_BYTES);
		const char *w = text + start;
		/* FTS5 takes no implicit AND between parenthesised groups. */
		if (words)
			buf_puts(&b, " AND ");
		/* Words hold no quote (only letters, digits and non-ASCII), so a quoted word is
		 * always one FTS5 string. The prefix query holds the word itself: FTS5 stems
		 * the typed word as it stems the index. One letter alone is no prefix: it
		 * would match most of the index. */
		if (n > 1)
			buf_printf(&b, "(\"%.*s\"*", (int)n, w);
		else
			buf_printf(&b, "(\"%.*s\"", (int)n, w);
		if (n > 3 && (w[n - 1] == 'y' || w[n - 1] == 'Y'))
			buf_printf(&b, " OR \"%.*s\"*", (int)n - 1, w);
		buf_puts(&b, ")");
		words++;
	}
	if (words)
		*out = pool_strndup(p, b.data, b.len);
	buf_free(&b);
	return words;
}

const int directory_miles[4] = {1, 5, 10, 25};

int directory_miles_parse(const char *text)
{
	if (text == NULL)
		return 0;
	for (size_t i = 0; i < sizeof(directory_miles) / sizeof(directory_miles[0]); i++) {
		char s[8];
		snprintf(s, sizeof(s), "%d", directory_miles[i]);
		/* Exactly the number, as the form sends it. */
		if (strcmp(text, s) == 0)
			return directory_miles[i];
	}
	return 0;
}

void directory_uuid(const unsigned char random[16], char out[DIRECTORY_UUID_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	memcpy(b, random, 16);
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80); /* the RFC 4122 variant */
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 0x0F];
	}
	out[o] = '\0';
}

int directory_uuid_valid(const char *text)
{
	if (text == NULL || strlen(text) != DIRECTORY_UUID_LEN)
		return 0;
	for (int i = 0; i < DIRECTORY_UUID_LEN; i++) {
		char c = text[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return 0;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
			return 0;
		}
	}
	return 1;
}

const char *directory_moderation_label(const char *moderation)
{
	if (moderation == NULL)
		return NULL;
	if (strcmp(moderation, "pending") == 0)
		return "Waiting for approval";
	if (strcmp(moderation, "approved") == 0)
		return "Listed";
	if (strcmp(moderation, "retired") == 0)
		return "Retired";
	return NULL;
}

const char *directory_referral_status_label(const char *status)
{
	if (status == NULL)
		return NULL;
	if (strcmp(status, "sent") == 0)
		return "Sent";
	if (strcmp(status, "accepted") == 0)
		return "Accepted";
	if (strcmp(status, "declined") == 0)
		return "Declined";
	if (strcmp(status, "completed") == 0)
		return "Completed";
	return NULL;
}
