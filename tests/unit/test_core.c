/* Unit tests for src/core: the pool, buffers, UTF-8 checks and errors. */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/pool.h"
#include "core/utf8.h"
#include "unit.h"

static int aligned(const void *p)
{
	return (uintptr_t)p % alignof(max_align_t) == 0;
}

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

static void test_pool(void)
{
	struct pool *p = pool_new();

	/* Many small allocations across several blocks: each aligned, zeroed and distinct. */
	enum { N = 5000 };
	static unsigned char *small[N];
	int ok = 1;
	for (int i = 0; i < N; i++) {
		size_t n = (size_t)(i % 97);
		small[i] = pool_alloc(p, n);
		if (small[i] == NULL || !aligned(small[i]) || !all_zero(small[i], n))
			ok = 0;
		memset(small[i], (i % 255) + 1, n);
	}
	CHECK(ok);
	/* Writing each did not disturb the others. */
	ok = 1;
	for (int i = 0; i < N; i++) {
		size_t n = (size_t)(i % 97);
		for (size_t k = 0; k < n; k++)
			if (small[i][k] != (unsigned char)((i % 255) + 1))
				ok = 0;
	}
	CHECK(ok);

	/* Zero bytes still gives a distinct, usable pointer. */
	void *z1 = pool_alloc(p, 0), *z2 = pool_alloc(p, 0);
	CHECK(z1 != NULL && z2 != NULL && z1 != z2);

	/* Big allocations (over a quarter block, one block, many blocks) between small ones. */
	const size_t bigs[] = {2049, 8192, 8193, 100000, 1 << 20};
	ok = 1;
	for (size_t i = 0; i < sizeof(bigs) / sizeof(bigs[0]); i++) {
		unsigned char *before = pool_alloc(p, 16);
		unsigned char *big = pool_alloc(p, bigs[i]);
		unsigned char *after = pool_alloc(p, 16);
		if (!aligned(big) || !all_zero(big, bigs[i]) || !aligned(after))
			ok = 0;
		memset(big, 0xab, bigs[i]);
		if (!all_zero(before, 16) || !all_zero(after, 16))
			ok = 0;
	}
	CHECK(ok);

	/* Allocation alignment holds for any type. */
	long double *ld = pool_alloc(p, sizeof(long double) * 3);
	ld[2] = 1.5L;
	CHECK(aligned(ld));
	char *c = pool_alloc(p, 1);
	double *d = pool_alloc(p, sizeof(double));
	CHECK(aligned(c));
	CHECK(aligned(d));

	CHECK_STR(pool_strdup(p, ""), "");
	CHECK_STR(pool_strdup(p, "hello"), "hello");
	CHECK_STR(pool_strndup(p, "hello", 3), "hel");
	CHECK_STR(pool_strndup(p, "hel\0lo", 5), "hel");
	CHECK_STR(pool_printf(p, "%d-%s-%c", 42, "x", 'y'), "42-x-y");
	CHECK_STR(pool_printf(p, "%s", ""), "");

	/* printf output longer than a block. */
	char *long_text = mem_alloc(20001);
	memset(long_text, 'z', 20000);
	long_text[20000] = '\0';
	char *copy = pool_printf(p, "<%s>", long_text);
	CHECK_INT(strlen(copy), 20002);
	CHECK(copy[0] == '<' && copy[20001] == '>' && copy[10000] == 'z');
	char *dup = pool_strdup(p, long_text);
	CHECK_INT(strlen(dup), 20000);
	free(long_text);

	pool_free(p);
	pool_free(NULL); /* like free(NULL) */

	/* A pool used once and freed, many times: no leak for the tools to find. */
	for (int i = 0; i < 100; i++) {
		struct pool *q = pool_new();
		pool_alloc(q, 10000);
		pool_strdup(q, "x");
		pool_free(q);
	}
}

static void test_buf(void)
{
	struct buf b;
	buf_init(&b);
	CHECK(b.data == NULL);
	CHECK_INT(b.len, 0);

	buf_puts(&b, "");
	CHECK(b.data != NULL);
	CHECK_STR(b.data, "");
	buf_puts(&b, "abc");
	buf_putc(&b, 'd');
	buf_append(&b, "efg", 2);
	CHECK_STR(b.data, "abcdef");
	CHECK_INT(b.len, 6);

	/* Binary data keeps its length; the NUL after it is still there. */
	buf_append(&b, "\0x", 2);
	CHECK_INT(b.len, 8);
	CHECK(b.data[6] == '\0' && b.data[7] == 'x' && b.data[8] == '\0');

	buf_reset(&b);
	CHECK_INT(b.len, 0);
	CHECK_STR(b.data, "");

	/* Growth: many appends keep everything, in order. */
	for (int i = 0; i < 10000; i++)
		buf_putc(&b, (char)('a' + i % 26));
	CHECK_INT(b.len, 10000);
	CHECK(b.cap > b.len);
	int ok = 1;
	for (int i = 0; i < 10000; i++)
		if (b.data[i] != (char)('a' + i % 26))
			ok = 0;
	CHECK(ok);
	CHECK(b.data[10000] == '\0');

	/* printf below, at and past the 256-byte fast path, onto existing content. */
	buf_reset(&b);
	buf_printf(&b, "%d:%s", 7, "seven");
	CHECK_STR(b.data, "7:seven");
	char s255[256], s256[257], s1000[1001];
	memset(s255, 'x', 255);
	s255[255] = '\0';
	memset(s256, 'y', 256);
	s256[256] = '\0';
	memset(s1000, 'z', 1000);
	s1000[1000] = '\0';
	buf_reset(&b);
	buf_printf(&b, "%s", s255);
	CHECK_INT(b.len, 255);
	buf_printf(&b, "%s", s256);
	CHECK_INT(b.len, 511);
	buf_printf(&b, "[%s]", s1000);
	CHECK_INT(b.len, 1513);
	CHECK_INT(strlen(b.data), 1513);
	CHECK(b.data[254] == 'x' && b.data[255] == 'y' && b.data[510] == 'y' && b.data[511] == '[');
	CHECK(b.data[512] == 'z' && b.data[1511] == 'z' && b.data[1512] == ']');
	buf_free(&b);

	/* printf past 256 bytes into an empty buffer. */
	buf_init(&b);
	buf_printf(&b, "%s!", s1000);
	CHECK_INT(b.len, 1001);
	CHECK(b.data[1000] == '!' && b.data[1001] == '\0');
	buf_free(&b);
	buf_free(&b); /* freeing twice is harmless: the buffer was left empty */

	/* Detach hands over the data and leaves the buffer empty and reusable. */
	buf_init(&b);
	buf_puts(&b, "owned");
	size_t len = 0;
	char *d = buf_detach(&b, &len);
	CHECK_STR(d, "owned");
	CHECK_INT(len, 5);
	CHECK(b.data == NULL);
	CHECK_INT(b.len, 0);
	free(d);
	d = buf_detach(&b, NULL); /* detaching nothing gives an empty string, not NULL */
	CHECK(d != NULL);
	CHECK_STR(d, "");
	free(d);
	buf_puts(&b, "again");
	CHECK_STR(b.data, "again");
	buf_free(&b);
}

static int text_ok(const char *s)
{
	return utf8_check_text(s, strlen(s)) == 0;
}

static void test_utf8(void)
{
	CHECK(text_ok(""));
	CHECK(text_ok("plain ASCII, with punctuation!"));
	CHECK(text_ok("tab\tnewline\ncr\r"));
	CHECK(text_ok("\xc2\xa0"));             /* U+00A0, the first after the C1 controls */
	CHECK(text_ok("\xc3\xa9"));             /* é */
	CHECK(text_ok("\xdf\xbf"));             /* U+07FF, last of two bytes */
	CHECK(text_ok("\xe0\xa0\x80"));         /* U+0800, first of three */
	CHECK(text_ok("\xe2\x82\xac"));         /* € */
	CHECK(text_ok("\xed\x9f\xbf"));         /* U+D7FF, just before the surrogates */
	CHECK(text_ok("\xee\x80\x80"));         /* U+E000, just after them */
	CHECK(text_ok("\xef\xbf\xbd"));         /* U+FFFD */
	CHECK(text_ok("\xf0\x90\x80\x80"));     /* U+10000, first of four */
	CHECK(text_ok("\xf0\x9f\x98\x80"));     /* an emoji */
	CHECK(text_ok("\xf4\x8f\xbf\xbf"));     /* U+10FFFF, the last */

	/* Controls other than tab, newline and CR. */
	CHECK(!text_ok("\x01"));
	CHECK(!text_ok("a\x1b[31m"));
	CHECK(!text_ok("\x1f"));
	CHECK(!text_ok("\x7f"));
	CHECK(!text_ok("\xc2\x80")); /* U+0080, C1 */
	CHECK(!text_ok("\xc2\x85")); /* NEL */
	CHECK(!text_ok("\xc2\x9f")); /* U+009F, C1 */
	CHECK_INT(utf8_check_text("a\0b", 3), -1);

	/* Bytes that never start a character, or never appear. */
	CHECK(!text_ok("\x80"));
	CHECK(!text_ok("\xbf"));
	CHECK(!text_ok("\xc0\x80")); /* overlong NUL */
	CHECK(!text_ok("\xc0\xaf")); /* overlong '/' */
	CHECK(!text_ok("\xc1\xbf"));
	CHECK(!text_ok("\xf5\x80\x80\x80"));
	CHECK(!text_ok("\xf8\x88\x80\x80\x80"));
	CHECK(!text_ok("\xfe"));
	CHECK(!text_ok("\xff"));

	/* Overlong three- and four-byte forms. */
	CHECK(!text_ok("\xe0\x80\xaf"));
	CHECK(!text_ok("\xe0\x9f\xbf"));
	CHECK(!text_ok("\xf0\x80\x80\xaf"));
	CHECK(!text_ok("\xf0\x8f\xbf\xbf"));

	/* Surrogates, halves and pairs encoded as UTF-8 (CESU-8). */
	CHECK(!text_ok("\xed\xa0\x80"));
	CHECK(!text_ok("\xed\xbf\xbf"));
	CHECK(!text_ok("\xed\xa0\xbd\xed\xb8\x80"));

	/* Past U+10FFFF. */
	CHECK(!text_ok("\xf4\x90\x80\x80"));

	/* Truncated sequences, at the end and in the middle. */
	CHECK(!text_ok("\xc3"));
	CHECK(!text_ok("\xe2\x82"));
	CHECK(!text_ok("\xf0\x9f\x98"));
	CHECK(!text_ok("\xc3x"));
	CHECK(!text_ok("\xe2\x82x"));
	CHECK(!text_ok("\xf0\x9f\x98x"));
	/* A continuation byte that is not one. */
	CHECK(!text_ok("\xe2\xc2\xac"));

	/* Only n bytes are read: cutting inside a character fails, outside succeeds. */
	CHECK_INT(utf8_check_text("\xe2\x82\xac", 2), -1);
	CHECK_INT(utf8_check_text("ab\xff", 2), 0);
	CHECK_INT(utf8_check_text(NULL, 0), 0);

	CHECK_INT(utf8_length("", 0), 0);
	CHECK_INT(utf8_length("abc", 3), 3);
	CHECK_INT(utf8_length("\xc3\xa9t\xc3\xa9", 5), 3);
	CHECK_INT(utf8_length("\xe2\x82\xac\xf0\x9f\x98\x80", 7), 2);
	CHECK_INT(utf8_length("a\tb\n", 4), 4);
}

static void test_err_and_mem(void)
{
	struct err e = {{0}};
	CHECK_INT(err_set(&e, "bad %s at %d", "thing", 3), -1);
	CHECK_STR(e.msg, "bad thing at 3");
	CHECK_INT(err_set(NULL, "ignored"), -1);
	/* A long message is cut to fit, not overflowed. */
	char longmsg[600];
	memset(longmsg, 'm', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	err_set(&e, "%s", longmsg);
	CHECK_INT(strlen(e.msg), sizeof(e.msg) - 1);

	char *s = mem_strdup("copy");
	CHECK_STR(s, "copy");
	free(s);
	s = mem_strndup("copy", 2);
	CHECK_STR(s, "co");
	free(s);
	void *z = mem_calloc(0, 0);
	CHECK(z != NULL);
	free(z);
	unsigned char *a = mem_calloc(10, 10);
	CHECK(all_zero(a, 100));
	a = mem_realloc(a, 1000);
	CHECK(all_zero(a, 100));
	free(a);
}

int main(void)
{
	test_pool();
	test_buf();
	test_utf8();
	test_err_and_mem();
	return unit_finish("test_core");
}
