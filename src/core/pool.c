#include "core/pool.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

/* Blocks are chained; a request that needs more than one block's worth in a single
 * allocation gets a block of its own, so large bodies do not waste a chunk. */
#define POOL_BLOCK 8192

struct pool_block {
	struct pool_block *next;
	size_t used, size;
	max_align_t data[];
};

struct pool {
	struct pool_block *head;
};

static struct pool_block *pool_block_new(size_t size)
{
	struct pool_block *b = mem_alloc(sizeof(*b) + size);
	b->next = NULL;
	b->used = 0;
	b->size = size;
	return b;
}

struct pool *pool_new(void)
{
	struct pool *p = mem_alloc(sizeof(*p));
	p->head = pool_block_new(POOL_BLOCK);
	return p;
}

void pool_free(struct pool *p)
{
	if (p == NULL)
		return;
	struct pool_block *b = p->head;
	while (b != NULL) {
		struct pool_block *next = b->next;
		free(b);
		b = next;
	}
	free(p);
}

void *pool_take(struct pool *p, size_t n)
{
	const size_t align = sizeof(max_align_t);
	n = (n + align - 1) / align * align;
	if (n == 0)
		n = align;
	struct pool_block *b = p->head;
	if (b->size - b->used < n) {
		if (n > POOL_BLOCK / 4) {
			/* Big: its own block, kept behind the current one. */
			struct pool_block *big = pool_block_new(n);
			big->next = b->next;
			b->next = big;
			big->used = n;
			return big->data;
		}
		b = pool_block_new(POOL_BLOCK);
		b->next = p->head;
		p->head = b;
	}
	void *r = (char *)b->data + b->used;
	b->used += n;
	return r;
}

void *pool_alloc(struct pool *p, size_t n)
{
	void *r = pool_take(p, n);
	memset(r, 0, n);
	return r;
}

char *pool_strndup(struct pool *p, const char *s, size_t n)
{
	char *r = pool_take(p, n + 1);
	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

char *pool_strdup(struct pool *p, const char *s)
{
	return pool_strndup(p, s, strlen(s));
}

char *pool_vprintf(struct pool *p, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		n = 0;
	char *r = pool_take(p, (size_t)n + 1);
	vsnprintf(r, (size_t)n + 1, fmt, ap);
	return r;
}

char *pool_printf(struct pool *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *r = pool_vprintf(p, fmt, ap);
	va_end(ap);
	return r;
}
