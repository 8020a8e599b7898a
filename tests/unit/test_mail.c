/* Unit tests for src/mail: formatting an outbox message as an RFC 5322 email. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "domain/records.h"
#include "mail/mail.h"
#include "unit.h"

static const struct mail_config config = {
	.mail_dir = "/nonexistent",
	.from = "cairn@example.org",
	.host = "cairn.example.org",
};

/* 2026-03-29 01:30:00 UTC, a Sunday. */
#define NOW 1774747800

/* Formats a message into out (which the caller frees). */
static void format(struct buf *out, int64_t id, const char *recipient, const char *subject,
		   const char *body)
{
	struct outbox_message m = {.id = id,
				   .kind = "invitation",
				   .recipient = recipient,
				   .subject = subject,
				   .body = body};
	buf_init(out);
	mail_format(&config, &m, NOW, out);
}

/* 1 if every LF is preceded by CR and every CR followed by LF. */
static int crlf_only(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			return 0;
		if (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n'))
			return 0;
	}
	return 1;
}

/* The header section (up to the blank line) as a malloc'd string, or NULL. */
static char *headers_of(const struct buf *msg)
{
	const char *end = strstr(msg->data, "\r\n\r\n");
	if (end == NULL)
		return NULL;
	size_t n = (size_t)(end - msg->data) + 2;
	char *h = malloc(n + 1);
	memcpy(h, msg->data, n);
	h[n] = '\0';
	return h;
}

/* The body after the blank line. */
static const char *body_of(const struct buf *msg)
{
	const char *end = strstr(msg->data, "\r\n\r\n");
	return end ? end + 4 : "";
}

/* Counts header lines that start a field (not continuations) and checks each names one of
 * the fields mail_format writes; -1 if a line starts anything else. */
static int header_fields(const char *headers)
{
	static const char *const known[] = {"Date: ",         "From: ",
					    "To: ",           "Subject: ",
					    "Message-ID: ",   "MIME-Version: ",
					    "Content-Type: ", "Content-Transfer-Encoding: "};
	int count = 0;
	for (const char *line = headers; *line;) {
		const char *eol = strstr(line, "\r\n");
		if (eol == NULL)
			return -1;
		if (*line != ' ' && *line != '\t') {
			int ok = 0;
			for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
				if (strncmp(line, known[i], strlen(known[i])) == 0)
					ok = 1;
			if (!ok)
				return -1;
			count++;
		}
		line = eol + 2;
	}
	return count;
}

/* The longest line in s, CRLF not counted. */
static size_t longest_line(const char *s)
{
	size_t longest = 0;
	while (*s) {
		const char *eol = strstr(s, "\r\n");
		size_t n = eol ? (size_t)(eol - s) : strlen(s);
		if (n > longest)
			longest = n;
		s += n + (eol ? 2 : 0);
	}
	return longest;
}

/* Decodes the RFC 2047 Q-encoded words of an unfolded header value into a malloc'd string. */
static char *decode_words(const char *v)
{
	char *out = malloc(strlen(v) + 1);
	size_t j = 0;
	while (*v) {
		if (strncmp(v, "=?UTF-8?Q?", 10) == 0) {
			v += 10;
			while (*v && strncmp(v, "?=", 2) != 0) {
				if (*v == '_') {
					out[j++] = ' ';
					v++;
				} else if (*v == '=' && v[1] && v[2]) {
					char hex[3] = {v[1], v[2], '\0'};
					out[j++] = (char)strtol(hex, NULL, 16);
					v += 3;
				} else {
					out[j++] = *v++;
				}
			}
			if (*v)
				v += 2;
			/* Whitespace between adjacent encoded words is not part of the text. */
			const char *w = v;
			while (*w == '\r' || *w == '\n' || *w == ' ')
				w++;
			if (strncmp(w, "=?UTF-8?Q?", 10) == 0)
				v = w;
		} else {
			out[j++] = *v++;
		}
	}
	out[j] = '\0';
	return out;
}

/* The value of header name (folded lines joined), as a malloc'd string, or NULL. */
static char *header_value_of(const char *headers, const char *name)
{
	size_t nlen = strlen(name);
	for (const char *line = headers; *line;) {
		const char *eol = strstr(line, "\r\n");
		if (strncmp(line, name, nlen) == 0 && line[nlen] == ':') {
			const char *v = line + nlen + 2;
			const char *end = eol;
			while (end[2] == ' ' || end[2] == '\t')
				end = strstr(end + 2, "\r\n");
			size_t n = (size_t)(end - v);
			char *r = malloc(n + 1);
			memcpy(r, v, n);
			r[n] = '\0';
			return r;
		}
		line = eol + 2;
	}
	return NULL;
}

static void test_basic(void)
{
	struct buf m;
	format(&m, 42, "ann@example.com", "Your invitation to Cairn", "Hello Ann,\n\nWelcome.\n");
	CHECK(crlf_only(m.data, m.len));
	char *h = headers_of(&m);
	CHECK(h != NULL);
	if (h == NULL) {
		buf_free(&m);
		return;
	}
	CHECK_INT(header_fields(h), 8);
	CHECK(strncmp(h, "Date: Sun, 29 Mar 2026 01:30:00 +0000\r\n", 39) == 0);
	CHECK(strstr(h, "\r\nFrom: Cairn <cairn@example.org>\r\n") != NULL);
	CHECK(strstr(h, "\r\nTo: ann@example.com\r\n") != NULL);
	CHECK(strstr(h, "\r\nSubject: Your invitation to Cairn\r\n") != NULL);
	CHECK(strstr(h, "\r\nMessage-ID: <outbox-42@cairn.example.org>\r\n") != NULL);
	CHECK(strstr(h, "\r\nMIME-Version: 1.0\r\n") != NULL);
	CHECK(strstr(h, "\r\nContent-Type: text/plain; charset=utf-8\r\n") != NULL);
	CHECK_STR(body_of(&m), "Hello Ann,\r\n\r\nWelcome.\r\n");
	free(h);
	buf_free(&m);

	/* Message-IDs differ per message. */
	struct buf a, b;
	format(&a, 1, "a@example.com", "s", "b");
	format(&b, 2, "a@example.com", "s", "b");
	CHECK(strstr(a.data, "<outbox-1@cairn.example.org>") != NULL);
	CHECK(strstr(b.data, "<outbox-2@cairn.example.org>") != NULL);
	buf_free(&a);
	buf_free(&b);
}

static void test_body_line_endings(void)
{
	struct buf m;
	/* LF, CRLF, a bare CR and mixtures all come out as CRLF. */
	format(&m, 1, "a@example.com", "s", "one\ntwo\r\nthree\rfour\r\r\nfive\n\rsix");
	CHECK(crlf_only(m.data, m.len));
	CHECK_STR(body_of(&m), "one\r\ntwo\r\nthree\r\nfour\r\n\r\nfive\r\n\r\nsix\r\n");
	buf_free(&m);

	/* A body without a final newline gets one; an empty body is one empty line. */
	format(&m, 1, "a@example.com", "s", "no newline");
	CHECK_STR(body_of(&m), "no newline\r\n");
	buf_free(&m);
	format(&m, 1, "a@example.com", "s", "");
	CHECK(crlf_only(m.data, m.len));
	CHECK(m.len >= 4 && strcmp(m.data + m.len - 4, "\r\n\r\n") == 0);
	buf_free(&m);
	format(&m, 1, "a@example.com", "s", "x\r\n");
	CHECK_STR(body_of(&m), "x\r\n");
	buf_free(&m);

	/* UTF-8 passes through the 8-bit body unchanged. */
	format(&m, 1, "a@example.com", "s", "Zo\xc3\xab\n");
	CHECK_STR(body_of(&m), "Zo\xc3\xab\r\n");
	buf_free(&m);
}

static void test_header_injection(void)
{
	const char *subjects[] = {
		"Hi\r\nBcc: victim@example.com",
		"Hi\nBcc: victim@example.com",
		"Hi\rBcc: victim@example.com",
		"Hi\r\n\r\nInjected body",
		"Caf\xc3\xa9\r\nBcc: victim@example.com", /* non-ASCII takes the encoded path */
		"\r\n",
		"\n\n\n",
	};
	const char *recipients[] = {
		"a@example.com\r\nBcc: victim@example.com",
		"a@example.com\nSubject: spoofed",
		"a@example.com\r\n\r\nbody",
		"j\xc3\xb6rg@example.com\r\nBcc: victim@example.com",
	};
	for (size_t i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++) {
		for (size_t k = 0; k < sizeof(recipients) / sizeof(recipients[0]); k++) {
			struct buf m;
			format(&m, 7, recipients[k], subjects[i], "body\n");
			CHECK(crlf_only(m.data, m.len));
			char *h = headers_of(&m);
			CHECK(h != NULL);
			if (h) {
				CHECK_INT(header_fields(h), 8);
				CHECK(strstr(h, "\r\nBcc:") == NULL);
				CHECK(strstr(h, "\r\nInjected") == NULL);
				free(h);
			}
			CHECK_STR(body_of(&m), "body\r\n");
			buf_free(&m);
		}
	}

	struct buf m;
	format(&m, 7, "a@example.com\r\nBcc: x@example.com", "Hi\r\nBcc: x@example.com", "b");
	CHECK(strstr(m.data, "\r\nTo: a@example.com  Bcc: x@example.com\r\n") != NULL);
	CHECK(strstr(m.data, "\r\nSubject: Hi  Bcc: x@example.com\r\n") != NULL);
	buf_free(&m);
}

static void test_encoded_subject(void)
{
	struct buf m;
	const char *subject = "Referral for Zo\xc3\xab M\xc3\xbcller: 5 = 5? yes_no";
	format(&m, 3, "a@example.com", subject, "b");
	char *h = headers_of(&m);
	CHECK(h != NULL);
	if (h == NULL) {
		buf_free(&m);
		return;
	}
	char *v = header_value_of(h, "Subject");
	CHECK(v != NULL);
	if (v) {
		CHECK(strncmp(v, "=?UTF-8?Q?", 10) == 0);
		/* Only printable ASCII in the header. */
		int ascii = 1;
		for (const char *p = h; *p; p++)
			if ((unsigned char)*p >= 0x80 ||
			    ((unsigned char)*p < 0x20 && *p != '\r' && *p != '\n'))
				ascii = 0;
		CHECK(ascii);
		char *d = decode_words(v);
		CHECK_STR(d, subject);
		free(d);
		free(v);
	}
	free(h);
	buf_free(&m);

	/* A long non-ASCII subject: several encoded words of at most 75 characters, on folded
	 * lines, none splitting a character, decoding back to the subject. */
	char longsub[1200];
	size_t n = 0;
	while (n + 12 < sizeof(longsub))
		n += (size_t)snprintf(longsub + n, sizeof(longsub) - n,
				      "\xc3\xa9t\xc3\xa9 \xe2\x82\xac ");
	format(&m, 4, "a@example.com", longsub, "b");
	CHECK(crlf_only(m.data, m.len));
	h = headers_of(&m);
	CHECK(h != NULL);
	if (h) {
		CHECK_INT(header_fields(h), 8);
		CHECK(longest_line(h) <= 78 + strlen("Subject: "));
		v = header_value_of(h, "Subject");
		CHECK(v != NULL);
		if (v) {
			int words_ok = 1, nwords = 0;
			for (const char *w = strstr(v, "=?"); w; w = strstr(w + 2, "=?")) {
				const char *end = strstr(w + 10, "?=");
				if (end == NULL || end + 2 - w > 75)
					words_ok = 0;
				nwords++;
				if (end == NULL)
					break;
				w = end;
			}
			CHECK(words_ok);
			CHECK(nwords > 10);
			char *d = decode_words(v);
			CHECK_STR(d, longsub);
			free(d);
			free(v);
		}
		free(h);
	}
	buf_free(&m);

	/* A very long ASCII subject is folded the same way rather than written as one line
	 * past RFC 5322's 998 characters. */
	char *huge = malloc(3001);
	memset(huge, 'a', 3000);
	huge[3000] = '\0';
	format(&m, 5, "a@example.com", huge, "b");
	h = headers_of(&m);
	CHECK(h != NULL);
	if (h) {
		CHECK(longest_line(h) <= 998);
		v = header_value_of(h, "Subject");
		char *d = v ? decode_words(v) : NULL;
		CHECK_STR(d, huge);
		free(d);
		free(v);
		free(h);
	}
	buf_free(&m);
	free(huge);
}

static void test_utf8_recipient(void)
{
	/* An address is never an encoded word: RFC 2047 forbids it in an addr-spec. */
	struct buf m;
	format(&m, 6, "j\xc3\xb6rg@example.com", "s", "b");
	CHECK(strstr(m.data, "\r\nTo: j\xc3\xb6rg@example.com\r\n") != NULL);
	CHECK(strstr(m.data, "=?UTF-8?Q?j") == NULL);
	buf_free(&m);
}

int main(void)
{
	test_basic();
	test_body_line_endings();
	test_header_injection();
	test_encoded_subject();
	test_utf8_recipient();
	return unit_finish("test_mail");
}
