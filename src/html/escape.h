/* escape: writing untrusted text into HTML and URLs. */
#ifndef CAIRN_ESCAPE_H
#define CAIRN_ESCAPE_H
#include <stddef.h>

#include "core/buf.h"

/* Text for an element's content or a quoted attribute value: & < > " ' become entities. */
void escape_html(struct buf *out, const char *s, size_t n);
/* A URL component: everything but unreserved characters is percent-encoded. */
void escape_url_component(struct buf *out, const char *s, size_t n);

#endif
