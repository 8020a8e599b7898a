/* buf: a growable byte buffer that always keeps a terminating NUL after len bytes. */
#ifndef CAIRN_BUF_H
#define CAIRN_BUF_H
#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* owned; NUL-terminated once anything was appended */
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
void buf_append(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the data to the caller, who frees it; the buffer is left empty. */
char *buf_detach(struct buf *b, size_t *len);

#endif
