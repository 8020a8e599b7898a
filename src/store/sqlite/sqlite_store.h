/* sqlite_store: the SQLite backend of the store interface. */
#ifndef CAIRN_SQLITE_STORE_H
#define CAIRN_SQLITE_STORE_H

#include "store/store.h"

/* Opens (creating if need be) the database at path in WAL mode with foreign keys on.
 * Returns a store the caller closes with s->ops->close(s). */
struct store *sqlite_store_open(const char *path, struct err *e);

#endif
