/* embed: files built into the binary (templates, migrations, static assets). The table
 * is generated at build time by tools/embed.c. */
#ifndef CAIRN_EMBED_H
#define CAIRN_EMBED_H
#include <stddef.h>

struct embed_file {
	const char *name; /* path relative to the source tree, e.g. "templates/layout.html" */
	const unsigned char *data;
	size_t len;
};

extern const struct embed_file embed_files[];
extern const size_t embed_count;
/* A short hash of all the files, for cache-busting asset URLs. */
extern const char embed_version[];

/* The file of that name, or NULL. */
const struct embed_file *embed_find(const char *name);

#endif
