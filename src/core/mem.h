/* mem: allocation that aborts on failure, so no caller checks for NULL. */
#ifndef CAIRN_MEM_H
#define CAIRN_MEM_H
#include <stddef.h>

/* Each returns memory the caller owns and frees with free(). */
void *mem_alloc(size_t n);
void *mem_calloc(size_t count, size_t n);
void *mem_realloc(void *p, size_t n);
char *mem_strdup(const char *s);
char *mem_strndup(const char *s, size_t n);

#endif
