/* cairn import oruk: a saved Open Referral UK feed into the directory, in one transaction. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/oruk_json.h"
#include "cli/cli.h"
#include "core/log.h"
#include "core/mem.h"
#include "crypto/crypto.h"
#include "store/store.h"

static int usage(void)
{
	printf("usage: cairn import oruk --db PATH [--pending] FILE.json\n\n"
	       "Imports a saved Open Referral UK (HSDS 3.0) feed from another directory: a page\n"
	       "of GET /services (an object with \"contents\") or a JSON array of full services\n"
	       "(GET /services/{id}), each with its organization. Records are matched by their\n"
	       "UUIDs, so importing a file again adds nothing, and a changed record is updated\n"
	       "(with its locations, contacts, schedules and taxonomy terms as the file has them).\n"
	       "The whole file is imported in one transaction: a file with a mistake imports\n"
	       "nothing, and the message names the element, e.g.\n"
	       "  contents[3].organization.id: not a UUID\n\n"
	       "New services are approved (listed in the directory and the API at once): the\n"
	       "person who runs the import chose the source. With --pending they wait for a\n"
	       "coordinator to approve them instead. A service already in the directory keeps\n"
	       "its moderation: one a coordinator retired stays retired.\n");
	return 0;
}

/* The whole file into memory the caller frees; NULL (and a message) on failure. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "cairn import oruk: cannot open %s: %s\n", path, strerror(errno));
		return NULL;
	}
	size_t cap = 64 * 1024, n = 0;
	char *data = mem_alloc(cap);
	for (;;) {
		n += fread(data + n, 1, cap - n, f);
		if (n < cap)
			break;
		if (cap > ORUK_FEED_MAX) {
			fclose(f);
			free(data);
			fprintf(stderr, "cairn import oruk: %s is larger than %u MiB\n", path,
				ORUK_FEED_MAX / (1024 * 1024));
			return NULL;
		}
		cap *= 2;
		data = mem_realloc(data, cap);
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(data);
		fprintf(stderr, "cairn import oruk: cannot read %s\n", path);
		return NULL;
	}
	*len = n;
	return data;
}

int cli_import_oruk(int argc, char **argv)
{
	if (cli_wants_help(argc, argv))
		return usage();
	const char *db = NULL, *file = NULL;
	int approved = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0) {
			if ((db = cli_value(argc, argv, &i)) == NULL)
				return 2;
		} else if (strcmp(argv[i], "--pending") == 0) {
			approved = 0;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "cairn import oruk: unknown option %s (see cairn import oruk "
					"--help)\n",
				argv[i]);
			return 2;
		} else if (file == NULL) {
			file = argv[i];
		} else {
			fprintf(stderr, "cairn import oruk: one FILE at a time (%s and %s given)\n", file,
				argv[i]);
			return 2;
		}
	}
	if (db == NULL || file == NULL) {
		fprintf(stderr, "cairn import oruk: --db PATH and FILE.json are required\n");
		return 2;
	}
	struct err e;
	if (crypto_init(&e) != 0) {
		fprintf(stderr, "cairn import oruk: %s\n", e.msg);
		return 1;
	}
	size_t len;
	char *data = read_file(file, &len);
	if (data == NULL)
		return 1;
	struct pool *p = pool_new();
	struct oruk_feed feed;
	const char **canonical;
	int rc = oruk_json_parse_feed(p, data, len, &feed, &canonical, &e);
	free(data);
	if (rc != 0) {
		fprintf(stderr, "cairn import oruk: %s: %s; nothing was imported\n", file, e.msg);
		pool_free(p);
		return 1;
	}
	const char **digests = pool_alloc(p, (feed.nservices + 1) * sizeof(*digests));
	for (size_t i = 0; i < feed.nservices; i++) {
		char *d = pool_alloc(p, CRYPTO_DIGEST_HEX);
		crypto_token_digest(canonical[i], d);
		digests[i] = d;
	}
	log_quiet(1);
	struct store *s = cli_open(db);
	if (s == NULL) {
		pool_free(p);
		return 1;
	}
	struct oruk_import_result r;
	rc = s->ops->oruk_import(s, &feed, digests, approved, (int64_t)time(NULL), &r, &e);
	s->ops->close(s);
	pool_free(p);
	if (rc != 0) {
		fprintf(stderr, "cairn import oruk: %s: %s; nothing was imported\n", file, e.msg);
		return 1;
	}
	printf("%s: %zu service%s added (%s), %zu updated, %zu unchanged\n", file, r.added,
	       r.added == 1 ? "" : "s", approved ? "approved" : "pending approval", r.updated,
	       r.unchanged);
	return 0;
}
