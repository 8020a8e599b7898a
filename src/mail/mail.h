/* mail: turning an outbox message into an email and delivering it, over SMTP (libcurl)
 * or as an .eml file in a folder. The only includer of curl.h. */
#ifndef CAIRN_MAIL_H
#define CAIRN_MAIL_H
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "domain/records.h"

struct mail_config {
	const char *smtp_url;  /* smtp://host:port, smtps://host:port; NULL to write files */
	const char *mail_dir;  /* where .eml files go when there is no SMTP server */
	const char *from;      /* the From address */
	const char *host;      /* for Message-ID */
	int retry_s;           /* the first retry's delay; later ones double (0: 30 s) */
};

int mail_init(struct err *e);
void mail_cleanup(void);
/* The whole message, headers and body, CRLF line endings (RFC 5322). */
void mail_format(const struct mail_config *cfg, const struct outbox_message *m, int64_t now,
		 struct buf *out);
/* Delivers one message; -1 with the reason on failure (the caller retries later). */
int mail_deliver(const struct mail_config *cfg, const struct outbox_message *m, int64_t now,
		 struct err *e);

#endif
