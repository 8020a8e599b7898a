#include "mail/mail.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


int mail_init(struct err *e)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return err_set(e, "libcurl could not start");
	return 0;
}

void mail_cleanup(void)
{
	curl_global_cleanup();
}

/* Header values are ours, but subjects may hold anything a case worker typed: CR and LF
 * never reach a header (they become spaces), and non-ASCII text is RFC 2047 encoded in
 * words of at most 75 characters on folded lines, so no line nears RFC 5322's 998. */
#define MAIL_WORD_MAX 75
#define MAIL_PLAIN_MAX 900

/* Bytes a character takes in a Q-encoded word: letters and digits as they are, spaces
 * (and CR and LF, made spaces) as '_', anything else as =XX. */
static size_t q_width(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	if (c == ' ' || c == '\r' || c == '\n')
		return 1;
	return 3;
}

static void q_put(struct buf *out, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";
	if (c == ' ' || c == '\r' || c == '\n') {
		buf_putc(out, '_');
	} else if (q_width(c) == 1) {
		buf_putc(out, (char)c);
	} else {
		char enc[3] = {'=', hex[c >> 4], hex[c & 15]};
		buf_append(out, enc, 3);
	}
}

static void header_text(struct buf *out, const char *s)
{
	int plain = strlen(s) <= MAIL_PLAIN_MAX;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p >= 0x80)
			plain = 0;
	if (plain) {
		for (const char *p = s; *p; p++)
			buf_putc(out, (*p == '\r' || *p == '\n') ? ' ' : *p);
		return;
	}
	static const char open[] = "=?UTF-8?Q?", close[] = "?=";
	const size_t room = MAIL_WORD_MAX - (sizeof(open) - 1) - (sizeof(close) - 1);
	size_t used = 0;
	buf_puts(out, open);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		/* A character's bytes stay in one word, as RFC 2047 requires. */
		size_t n = 1, need = q_width(p[0]);
		if (p[0] >= 0xc0)
			while (n < 4 && (p[n] & 0xc0) == 0x80)
				need += q_width(p[n++]);
		if (used + need > room) {
			buf_puts(out, close);
			buf_puts(out, "\r\n ");
			buf_puts(out, open);
			used = 0;
		}
		for (size_t i = 0; i < n; i++)
			q_put(out, p[i]);
		used += need;
		p += n;
	}
	buf_puts(out, close);
}

/* An address cannot be an encoded word (RFC 2047 section 5): it is written as it is, as
 * SMTPUTF8 servers expect a non-ASCII one, with CR and LF made spaces. */
static void header_address(struct buf *out, const char *s)
{
	for (const char *p = s; *p; p++)
		buf_putc(out, (*p == '\r' || *p == '\n') ? ' ' : *p);
}

/* Body text: LF, CR and CRLF all become CRLF, as SMTP servers refuse bare CR or LF
 * (dot-stuffing is libcurl's job; this is only about line endings). */
static void crlf_text(struct buf *out, const char *text)
{
	for (const char *p = text; *p; p++) {
		if (*p == '\r' || *p == '\n') {
			buf_puts(out, "\r\n");
			if (p[0] == '\r' && p[1] == '\n')
				p++;
		} else {
			buf_putc(out, *p);
		}
	}
	if (out->len < 2 || out->data[out->len - 1] != '\n')
		buf_puts(out, "\r\n");
}

/* Base64 in lines of 76 characters (RFC 2045). */
static void base64_lines(struct buf *out, const char *data, size_t n)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *d = (const unsigned char *)data;
	int col = 0;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)d[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)d[i + 1] << 8;
		if (i + 2 < n)
			v |= d[i + 2];
		char q[4] = {alphabet[(v >> 18) & 63], alphabet[(v >> 12) & 63],
			     i + 1 < n ? alphabet[(v >> 6) & 63] : '=', i + 2 < n ? alphabet[v & 63] : '='};
		buf_append(out, q, 4);
		col += 4;
		if (col >= 76) {
			buf_puts(out, "\r\n");
			col = 0;
		}
	}
	if (col)
		buf_puts(out, "\r\n");
}

void mail_format(const struct mail_config *cfg, const struct outbox_message *m, int64_t now,
		 struct buf *out)
{
	char date[64];
	time_t t = (time_t)now;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	buf_printf(out, "Date: %s\r\nFrom: Cairn <%s>\r\nTo: ", date, cfg->from);
	header_address(out, m->recipient);
	buf_puts(out, "\r\nSubject: ");
	header_text(out, m->subject);
	buf_printf(out, "\r\nMessage-ID: <outbox-%lld@%s>\r\nMIME-Version: 1.0\r\n",
		   (long long)m->id, cfg->host);
	/* The boundary cannot occur in the parts: the text's lines never start with "--cairn-"
	 * followed by this, and the attachment is base64. */
	static const char boundary[] = "cairn-part-5e6b0c1d";
	if (m->attachment)
		buf_printf(out, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n--%s\r\n",
			   boundary, boundary);
	buf_puts(out, "Content-Type: text/plain; charset=utf-8\r\n"
		      "Content-Transfer-Encoding: 8bit\r\n\r\n");
	crlf_text(out, m->body);
	if (m->attachment) {
		buf_printf(out, "--%s\r\nContent-Type: ", boundary);
		header_address(out, m->attachment_type ? m->attachment_type : "application/octet-stream");
		buf_puts(out, "\r\nContent-Disposition: attachment; filename=\"");
		header_address(out, m->attachment_name ? m->attachment_name : "attachment");
		buf_puts(out, "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
		base64_lines(out, m->attachment, strlen(m->attachment));
		buf_printf(out, "--%s--\r\n", boundary);
	}
}

static int write_file(const struct mail_config *cfg, const struct outbox_message *m,
		      const struct buf *msg, struct err *e)
{
	char path[4096], tmp[4096];
	int n = snprintf(path, sizeof(path), "%s/%06lld-%s.eml", cfg->mail_dir, (long long)m->id,
			 m->kind);
	int k = snprintf(tmp, sizeof(tmp), "%s/.%06lld.tmp", cfg->mail_dir, (long long)m->id);
	if (n < 0 || (size_t)n >= sizeof(path) || k < 0 || (size_t)k >= sizeof(tmp))
		return err_set(e, "mail folder path too long");
	/* Written to a temporary name, synced, then renamed: a reader never sees half a file. */
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0)
		return err_set(e, "cannot write %s: %s", tmp, strerror(errno));
	size_t off = 0;
	while (off < msg->len) {
		ssize_t w = write(fd, msg->data + off, msg->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			unlink(tmp);
			return err_set(e, "cannot write %s: %s", tmp, strerror(errno));
		}
		off += (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return err_set(e, "cannot save %s: %s", path, strerror(errno));
	}
	return 0;
}

struct upload {
	const struct buf *msg;
	size_t off;
};

static size_t read_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct upload *u = userdata;
	size_t room = size * nmemb, left = u->msg->len - u->off;
	size_t n = left < room ? left : room;
	memcpy(ptr, u->msg->data + u->off, n);
	u->off += n;
	return n;
}

static int send_smtp(const struct mail_config *cfg, const struct outbox_message *m,
		     const struct buf *msg, struct err *e)
{
	CURL *c = curl_easy_init();
	if (c == NULL)
		return err_set(e, "libcurl could not start a transfer");
	char from[512], to[512];
	snprintf(from, sizeof(from), "<%s>", cfg->from);
	snprintf(to, sizeof(to), "<%s>", m->recipient);
	struct curl_slist *rcpt = curl_slist_append(NULL, to);
	struct upload u = {msg, 0};
	curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	/* STARTTLS when the server offers it; smtps:// URLs are TLS from the start. */
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	CURLcode rc = curl_easy_perform(c);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK)
		return err_set(e, "SMTP: %s", curl_easy_strerror(rc));
	return 0;
}

int mail_deliver(const struct mail_config *cfg, const struct outbox_message *m, int64_t now,
		 struct err *e)
{
	struct buf msg;
	buf_init(&msg);
	mail_format(cfg, m, now, &msg);
	int rc = cfg->smtp_url ? send_smtp(cfg, m, &msg, e) : write_file(cfg, m, &msg, e);
	buf_free(&msg);
	return rc;
}
