/* pool: a per-request arena. Everything allocated from a pool is freed at once by
 * pool_free(); nothing allocated from it may be freed on its own. */
#ifndef CAIRN_POOL_H
#define CAIRN_POOL_H
#include <stdarg.h>
#include <stddef.h>

struct pool;

/* Returns a new pool the caller frees with pool_free(). */
struct pool *pool_new(void);
void pool_free(struct pool *p);

/* Memory below belongs to the pool. */
void *pool_alloc(struct pool *p, size_t n);      /* zeroed, aligned for any type */
/* As pool_alloc, not zeroed: for what is written whole at once (copies of strings, rows). */
void *pool_take(struct pool *p, size_t n);
char *pool_strdup(struct pool *p, const char *s);
char *pool_strndup(struct pool *p, const char *s, size_t n);
char *pool_printf(struct pool *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *pool_vprintf(struct pool *p, const char *fmt, va_list ap);

#endif
