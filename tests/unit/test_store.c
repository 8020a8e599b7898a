/* Unit tests of the SQLite store's read transactions (store/sqlite/sqlite_store.c): a page's
 * reads see one snapshot, nested read_begin/read_end pairs share it, and a write inside one
 * ends it first, so it succeeds even when another connection wrote after the snapshot was
 * taken (a snapshot upgraded to a write would fail with SQLITE_BUSY_SNAPSHOT). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/pool.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"
#include "unit.h"

static const char *get(struct store *s, struct pool *p, const char *key)
{
	const char *v = NULL;
	return s->ops->setting_get(s, p, key, &v) == 0 ? v : NULL;
}

static void test_snapshot_and_write(const char *path)
{
	struct err e;
	struct store *a = sqlite_store_open(path, &e);
	struct store *b = sqlite_store_open(path, &e);
	CHECK(a != NULL && b != NULL);
	if (a == NULL || b == NULL)
		return;
	int applied = 0;
	CHECK_INT(a->ops->migrate(a, &applied, &e), 0);
	struct pool *p = pool_new();
	CHECK_INT(b->ops->setting_put(b, "test_key", "one", &e), 0);

	/* A snapshot: b's later write is not seen by a until a's transaction ends. */
	CHECK_INT(a->ops->read_begin(a), 0);
	CHECK_STR(get(a, p, "test_key"), "one");
	CHECK_INT(b->ops->setting_put(b, "test_key", "two", &e), 0);
	CHECK_STR(get(a, p, "test_key"), "one");
	/* Nested: the inner end keeps the outer snapshot. */
	CHECK_INT(a->ops->read_begin(a), 0);
	CHECK_STR(get(a, p, "test_key"), "one");
	a->ops->read_end(a);
	CHECK_STR(get(a, p, "test_key"), "one");
	/* A write inside ends the snapshot first, and succeeds though b wrote since. */
	CHECK_INT(a->ops->setting_put(a, "other_key", "three", &e), 0);
	CHECK_STR(get(a, p, "test_key"), "two");
	CHECK_STR(get(b, p, "other_key"), "three");
	a->ops->read_end(a);
	CHECK_STR(get(a, p, "test_key"), "two");

	/* After the outer end, each read sees the latest data again. */
	CHECK_INT(b->ops->setting_put(b, "test_key", "four", &e), 0);
	CHECK_STR(get(a, p, "test_key"), "four");

	pool_free(p);
	a->ops->close(a);
	b->ops->close(b);
}

int main(void)
{
	char dir[] = "/tmp/cairn-test-store-XXXXXX";
	if (mkdtemp(dir) == NULL)
		return 1;
	char path[sizeof(dir) + 16];
	strcpy(path, dir);
	strcat(path, "/test.db");
	test_snapshot_and_write(path);
	char extra[sizeof(path) + 8];
	unlink(path);
	strcpy(extra, path);
	strcat(extra, "-wal");
	unlink(extra);
	strcpy(extra, path);
	strcat(extra, "-shm");
	unlink(extra);
	rmdir(dir);
	return unit_finish("store");
}
