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

/* Header values are ours, but names and subjects may hold anything a case worker typed:
 * CR and LF never reach a header, and non-ASCII is RFC 2047 encoded. */
static void header_value(struct buf *out, const char *s)
{
	int ascii = 1;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p >= 0x80)
			ascii = 0;
	if (ascii) {
		for (const char *p = s; *p; p++)
			buf_putc(out, (*p == '\r' || *p == '\n') ? ' ' : *p);
		return;
	}
	static const char hex[] = "0123456789ABCDEF";
	buf_puts(out, "=?UTF-8?Q?");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
			buf_putc(out, (char)*p);
		else if (*p == ' ')
			buf_putc(out, '_');
		else {
			char enc[3] = {'=', hex[*p >> 4], hex[*p & 15]};
			buf_append(out, enc, 3);
		}
	}
	buf_puts(out, "?=");
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
	header_value(out, m->recipient);
	buf_puts(out, "\r\nSubject: ");
	header_value(out, m->subject);
	buf_printf(out, "\r\nMessage-ID: <outbox-%lld@%s>\r\n", (long long)m->id, cfg->host);
	buf_puts(out, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
		      "Content-Transfer-Encoding: 8bit\r\n\r\n");
	/* Body: LF to CRLF, and a line that starts with "." gets another (SMTP's dot-stuffing
	 * is libcurl's job; this is only about line endings). */
	for (const char *p = m->body; *p; p++) {
		if (*p == '\n' && (p == m->body || p[-1] != '\r'))
			buf_putc(out, '\r');
		buf_putc(out, *p);
	}
	if (out->len < 2 || out->data[out->len - 1] != '\n')
		buf_puts(out, "\r\n");
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
