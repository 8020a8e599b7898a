#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "crypto/crypto.h"
#include "store/store.h"

/* The demo accounts, printed by make demo. The password is public: demo data only. */
#define DEMO_PASSWORD "cairn-demo-password"

static const struct {
	const char *email, *name, *role, *authority;
} demo_users[] = {
	{"admin@demo.cairn.scot", "Alex Admin", "administrator", NULL},
	{"coordinator@demo.cairn.scot", "Callum Coordinator", "coordinator", NULL},
	{"caseworker@demo.cairn.scot", "Kirsty Caseworker", "case_worker", "Glasgow City"},
	{"caseworker.fife@demo.cairn.scot", "Fraser Fife", "case_worker", "Fife"},
	{"facilitator@demo.cairn.scot", "Farah Facilitator", "facilitator", NULL},
	{"lead@demo.cairn.scot", "Lorna Lead", "authority_lead", "Glasgow City"},
};

int cli_demo_data(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		printf("usage: cairn demo-data --db PATH\n\n"
		       "Adds demo accounts, one for each staff role, all with the password\n"
		       "\"" DEMO_PASSWORD "\". For trying Cairn out, never for real use.\n");
		return 0;
	}
	const char *db = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0) {
			if ((db = cli_value(argc, argv, &i)) == NULL)
				return 2;
		} else {
			fprintf(stderr, "cairn demo-data: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (db == NULL) {
		fprintf(stderr, "cairn demo-data: --db PATH is required\n");
		return 2;
	}
	struct err e;
	if (crypto_init(&e) != 0) {
		fprintf(stderr, "cairn demo-data: %s\n", e.msg);
		return 1;
	}
	struct store *s = cli_open(db);
	if (s == NULL)
		return 1;
	struct pool *p = pool_new();
	char hash[CRYPTO_PASSWORD_HASH_MAX];
	int rc = 0;
	if (crypto_password_hash(DEMO_PASSWORD, hash) != 0) {
		fprintf(stderr, "cairn demo-data: not enough memory to hash a password\n");
		rc = 1;
	}
	printf("Demo sign-ins (password for all: %s):\n", DEMO_PASSWORD);
	for (size_t i = 0; rc == 0 && i < sizeof(demo_users) / sizeof(demo_users[0]); i++) {
		struct user u = {.email = demo_users[i].email, .name = demo_users[i].name,
				 .role = role_parse(demo_users[i].role), .password_hash = hash};
		struct authority a;
		if (demo_users[i].authority) {
			if (s->ops->authority_by_name(s, p, demo_users[i].authority, &a) != 0) {
				fprintf(stderr, "cairn demo-data: no authority %s\n", demo_users[i].authority);
				rc = 1;
				break;
			}
			u.authority_id = a.id;
		}
		struct user existing;
		int64_t id;
		if (s->ops->user_by_email(s, p, u.email, &existing) == 0) {
			/* Already there from an earlier run: demo data is idempotent. */
		} else if (s->ops->user_insert(s, &u, (int64_t)time(NULL), &id, &e) != 0) {
			fprintf(stderr, "cairn demo-data: %s\n", e.msg);
			rc = 1;
			break;
		}
		printf("  %-34s %s%s%s\n", u.email, role_label(u.role),
		       demo_users[i].authority ? ", " : "",
		       demo_users[i].authority ? demo_users[i].authority : "");
	}
	pool_free(p);
	s->ops->close(s);
	return rc;
}
