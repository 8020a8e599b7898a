/* err: the details of a failure, filled by a function that returns -1. */
#ifndef CAIRN_ERR_H
#define CAIRN_ERR_H

struct err {
	char msg[256];
};

/* Sets the message if e is not NULL; always returns -1 so callers can `return err_set(...)`. */
int err_set(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
