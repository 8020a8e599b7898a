/* cli: the cairn subcommands other than serve. Each takes its own argv (argv[0] is the
 * subcommand's name) and returns the process exit code, printing a one-line reason on
 * failure. */
#ifndef CAIRN_CLI_H
#define CAIRN_CLI_H

struct store;
struct pool;

int cli_migrate(int argc, char **argv);
int cli_demo_data(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_report(int argc, char **argv);
/* cairn import oruk (argv[0] is "oruk"). */
int cli_import_oruk(int argc, char **argv);
/* cairn import postcodes (argv[0] is "postcodes"). */
int cli_import_postcodes(int argc, char **argv);

/* The directory's demo organisations, services, placements and postcodes near Glasgow and
 * Fife, and its organisation user; once per database (demo_directory.c). */
int cli_demo_directory(struct store *s, struct pool *p, const char *hash);
/* n generated services across Scotland, with the postcodes they sit at (bench data). */
int cli_demo_directory_national(struct store *s, struct pool *p, int n);

/* The demo's sessions (and, with_client, its client with bookings); once per database. */
struct pool;
int cli_demo_sessions(struct store *s, struct pool *p, const char *hash, int with_client);

/* Opens and migrates the database at path, printing why not on failure. */
struct store *cli_open(const char *path);
/* The value after a --flag at argv[*i], advancing *i; NULL (and a message) if missing. */
const char *cli_value(int argc, char **argv, int *i);
/* 1 when the arguments ask for help. */
int cli_wants_help(int argc, char **argv);

#endif
