#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/sqlite/sqlite_store.h"

struct store *cli_open(const char *path)
{
	struct err e;
	struct store *s = sqlite_store_open(path, &e);
	if (s == NULL) {
		fprintf(stderr, "cairn: %s\n", e.msg);
		return NULL;
	}
	int applied;
	if (s->ops->migrate(s, &applied, &e) != 0) {
		fprintf(stderr, "cairn: %s\n", e.msg);
		s->ops->close(s);
		return NULL;
	}
	return s;
}

const char *cli_value(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		fprintf(stderr, "cairn: %s needs a value\n", argv[*i]);
		return NULL;
	}
	(*i)++;
	return argv[*i];
}

int cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}
