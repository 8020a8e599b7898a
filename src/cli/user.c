#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/utf8.h"
#include "crypto/crypto.h"
#include "domain/directory.h"
#include "store/store.h"

static int usage(void)
{
	printf("usage: cairn user add --db PATH --email EMAIL --name NAME --role ROLE\n"
	       "                      [--authority NAME] [--organisation ID] --password-stdin\n\n"
	       "Adds a staff account. ROLE is one of administrator, coordinator, case_worker,\n"
	       "facilitator, authority_lead, organisation. Case workers and local authority leads\n"
	       "need --authority, the local authority's name (for example \"Glasgow City\").\n"
	       "An organisation user needs --organisation, the id (a UUID) of its organisation\n"
	       "in the directory.\n"
	       "The password (at least 10 characters) is read from the first line of\n"
	       "standard input, so it never appears in the process list or shell history.\n");
	return 0;
}

static int read_password(char *out, size_t n)
{
	if (fgets(out, (int)n, stdin) == NULL)
		return -1;
	size_t len = strlen(out);
	while (len && (out[len - 1] == '\n' || out[len - 1] == '\r'))
		out[--len] = '\0';
	return 0;
}

int cli_user(int argc, char **argv)
{
	if (argc < 2 || cli_wants_help(argc, argv) || strcmp(argv[1], "add") != 0) {
		if (argc >= 2 && strcmp(argv[1], "add") != 0 && !cli_wants_help(argc, argv)) {
			fprintf(stderr, "cairn user: unknown action %s (see cairn user --help)\n", argv[1]);
			return 2;
		}
		return argc < 2 ? (usage(), 2) : usage();
	}
	const char *db = NULL, *email = NULL, *name = NULL, *role_text = NULL, *authority = NULL,
		   *organisation = NULL;
	int password_stdin = 0;
	for (int i = 2; i < argc; i++) {
		const char **slot = NULL;
		if (strcmp(argv[i], "--db") == 0)
			slot = &db;
		else if (strcmp(argv[i], "--email") == 0)
			slot = &email;
		else if (strcmp(argv[i], "--name") == 0)
			slot = &name;
		else if (strcmp(argv[i], "--role") == 0)
			slot = &role_text;
		else if (strcmp(argv[i], "--authority") == 0)
			slot = &authority;
		else if (strcmp(argv[i], "--organisation") == 0)
			slot = &organisation;
		else if (strcmp(argv[i], "--password-stdin") == 0)
			password_stdin = 1;
		else {
			fprintf(stderr, "cairn user add: unknown option %s\n", argv[i]);
			return 2;
		}
		if (slot && (*slot = cli_value(argc, argv, &i)) == NULL)
			return 2;
	}
	if (!db || !email || !name || !role_text || !password_stdin) {
		fprintf(stderr, "cairn user add: --db, --email, --name, --role and --password-stdin are required\n");
		return 2;
	}
	enum role role = role_parse(role_text);
	if (role == ROLE_NONE || role == ROLE_CLIENT) {
		fprintf(stderr, "cairn user add: unknown role %s (see cairn user --help)\n", role_text);
		return 2;
	}
	if (role_needs_authority(role) && authority == NULL) {
		fprintf(stderr, "cairn user add: a %s needs --authority\n", role_label(role));
		return 2;
	}
	if ((role == ROLE_ORGANISATION) != (organisation != NULL)) {
		fprintf(stderr, "cairn user add: %s\n", organisation ? "--organisation is only for an organisation user"
								    : "an organisation user needs --organisation");
		return 2;
	}
	if (organisation && !directory_uuid_valid(organisation)) {
		fprintf(stderr, "cairn user add: --organisation takes the organisation's id, a UUID\n");
		return 2;
	}
	if (strchr(email, '@') == NULL || utf8_check_text(email, strlen(email)) != 0 ||
	    utf8_check_text(name, strlen(name)) != 0 || name[0] == '\0') {
		fprintf(stderr, "cairn user add: give a real email address and name\n");
		return 2;
	}
	char password[1100];
	if (read_password(password, sizeof(password)) != 0 || utf8_length(password, strlen(password)) < 10) {
		fprintf(stderr, "cairn user add: give a password of at least 10 characters on standard input\n");
		return 2;
	}
	struct err e;
	if (crypto_init(&e) != 0) {
		fprintf(stderr, "cairn user add: %s\n", e.msg);
		return 1;
	}
	struct store *s = cli_open(db);
	if (s == NULL)
		return 1;
	struct pool *p = pool_new();
	struct user u = {.email = email, .name = name, .role = role, .organization_id = organisation};
	int rc = 1;
	if (authority) {
		struct authority a;
		if (s->ops->authority_by_name(s, p, authority, &a) != 0) {
			fprintf(stderr, "cairn user add: no local authority called \"%s\"\n", authority);
			goto out;
		}
		u.authority_id = a.id;
	}
	char hash[CRYPTO_PASSWORD_HASH_MAX];
	if (crypto_password_hash(password, hash) != 0) {
		fprintf(stderr, "cairn user add: not enough memory to hash the password\n");
		goto out;
	}
	u.password_hash = hash;
	int64_t id;
	if (s->ops->user_insert(s, &u, (int64_t)time(NULL), &id, &e) != 0) {
		fprintf(stderr, "cairn user add: %s\n", e.msg);
		goto out;
	}
	printf("added %s (%s), user %lld\n", email, role_label(role), (long long)id);
	rc = 0;
out:
	memset(password, 0, sizeof(password));
	pool_free(p);
	s->ops->close(s);
	return rc;
}
