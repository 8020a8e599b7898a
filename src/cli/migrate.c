#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/sqlite/sqlite_store.h"

int cli_migrate(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		printf("usage: cairn migrate --db PATH\n\n"
		       "Creates the database if it does not exist and applies the schema migrations\n"
		       "built into this binary that it does not have yet. Safe to run again.\n");
		return 0;
	}
	const char *db = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0) {
			if ((db = cli_value(argc, argv, &i)) == NULL)
				return 2;
		} else {
			fprintf(stderr, "cairn migrate: unknown option %s (see cairn migrate --help)\n", argv[i]);
			return 2;
		}
	}
	if (db == NULL) {
		fprintf(stderr, "cairn migrate: --db PATH is required\n");
		return 2;
	}
	struct err e;
	struct store *s = sqlite_store_open(db, &e);
	if (s == NULL) {
		fprintf(stderr, "cairn migrate: %s\n", e.msg);
		return 1;
	}
	int applied;
	int rc = s->ops->migrate(s, &applied, &e);
	s->ops->close(s);
	if (rc != 0) {
		fprintf(stderr, "cairn migrate: %s\n", e.msg);
		return 1;
	}
	printf("%s: %d migration%s applied\n", db, applied, applied == 1 ? "" : "s");
	return 0;
}
