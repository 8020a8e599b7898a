/* cairn: the command line. `cairn serve` wires the HTTP server, the store and the
 * outbox sender together; the other subcommands live in src/cli/. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/app.h"
#include "app/sender.h"
#include "cli/cli.h"
#include "core/log.h"
#include "crypto/crypto.h"
#include "html/tpl.h"
#include "http/server.h"
#include "mail/mail.h"

static int usage(FILE *out)
{
	fprintf(out,
		"usage: cairn COMMAND [OPTIONS]\n\n"
		"Commands:\n"
		"  serve             run the web service\n"
		"  migrate           create or upgrade the database\n"
		"  demo-data         add demo accounts for trying Cairn out\n"
		"  user add          add a staff account\n"
		"  report weekly     the weekly report as CSV or XLSX\n"
		"  import oruk       import a saved Open Referral UK feed into the directory\n"
		"  import postcodes  load the ONS Postcode Directory (CSV) for the directory's search\n\n"
		"Run cairn COMMAND --help for a command's options.\n");
	return out == stdout ? 0 : 2;
}

static int serve_usage(void)
{
	printf("usage: cairn serve --db PATH --listen HOST:PORT [--mail-dir DIR | --smtp URL]\n"
	       "                   [--base-url URL] [--mail-from ADDRESS] [--mail-retry S]\n"
	       "                   [--threads N] [--write-threads N] [--quiet]\n\n"
	       "  --db PATH          the SQLite database (created and migrated if need be)\n"
	       "  --listen HOST:PORT where to listen, e.g. 127.0.0.1:8080\n"
	       "  --mail-dir DIR     write outgoing email as .eml files here (the default, var/mail)\n"
	       "  --smtp URL         send email through this server instead, e.g.\n"
	       "                     smtp://user:password@mail.example.org:587 (STARTTLS when offered)\n"
	       "                     or smtps://mail.example.org:465 (TLS)\n"
	       "  --base-url URL     the address people use to reach Cairn, for links in email;\n"
	       "                     https:// makes cookies Secure (default http://HOST:PORT)\n"
	       "  --mail-from ADDR   the From address of email (default cairn@localhost)\n"
	       "  --mail-retry S     seconds before the first retry of an undelivered message;\n"
	       "                     each later retry waits twice as long, up to 6 hours (default 30)\n"
	       "  --threads N        HTTP threads, which read requests and answer those that\n"
	       "                     only read (default: four per core)\n"
	       "  --write-threads N  threads that run the requests that write (POST), each\n"
	       "                     waiting for its commit: more make bigger group commits\n"
	       "                     (default 32)\n"
	       "  --quiet            no access log\n\n"
	       "Stops cleanly on SIGTERM or SIGINT: requests in progress finish first.\n");
	return 0;
}

/* mkdir -p: the mail folder's parents too (var/mail in a fresh checkout). */
static int make_dirs(const char *path)
{
	char p[4096];
	int n = snprintf(p, sizeof(p), "%s", path);
	if (n < 0 || (size_t)n >= sizeof(p)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *c = p + 1; *c; c++) {
		if (*c != '/')
			continue;
		*c = '\0';
		if (mkdir(p, 0750) != 0 && errno != EEXIST)
			return -1;
		*c = '/';
	}
	return mkdir(p, 0750) != 0 && errno != EEXIST ? -1 : 0;
}

static int load_csrf_key(struct store *s)
{
	struct pool *p = pool_new();
	const char *hex = NULL;
	int rc = s->ops->setting_get(s, p, "csrf_key", &hex);
	size_t len = 0;
	if (rc == 0 && hex && sodium_hex2bin(app.csrf_key, sizeof(app.csrf_key), hex, strlen(hex),
					     NULL, &len, NULL) == 0 && len == sizeof(app.csrf_key)) {
		pool_free(p);
		return 0;
	}
	crypto_random(app.csrf_key, sizeof(app.csrf_key));
	char out[65];
	sodium_bin2hex(out, sizeof(out), app.csrf_key, sizeof(app.csrf_key));
	struct err e;
	rc = s->ops->setting_put(s, "csrf_key", out, &e);
	sodium_memzero(out, sizeof(out));
	pool_free(p);
	return rc;
}

static int cmd_serve(int argc, char **argv)
{
	if (cli_wants_help(argc, argv))
		return serve_usage();
	const char *db = NULL, *listen = NULL, *threads_text = NULL, *retry_text = NULL;
	const char *writers_text = NULL;
	app.mail_dir = NULL;
	app.mail_from = "cairn@localhost";
	app.access_log = 1;
	for (int i = 1; i < argc; i++) {
		const char **slot = NULL;
		if (strcmp(argv[i], "--db") == 0)
			slot = &db;
		else if (strcmp(argv[i], "--listen") == 0)
			slot = &listen;
		else if (strcmp(argv[i], "--mail-dir") == 0)
			slot = &app.mail_dir;
		else if (strcmp(argv[i], "--smtp") == 0)
			slot = &app.smtp_url;
		else if (strcmp(argv[i], "--base-url") == 0)
			slot = &app.base_url;
		else if (strcmp(argv[i], "--mail-from") == 0)
			slot = &app.mail_from;
		else if (strcmp(argv[i], "--threads") == 0)
			slot = &threads_text;
		else if (strcmp(argv[i], "--write-threads") == 0)
			slot = &writers_text;
		else if (strcmp(argv[i], "--mail-retry") == 0)
			slot = &retry_text;
		else if (strcmp(argv[i], "--quiet") == 0)
			app.access_log = 0;
		else {
			fprintf(stderr, "cairn serve: unknown option %s (see cairn serve --help)\n", argv[i]);
			return 2;
		}
		if (slot && (*slot = cli_value(argc, argv, &i)) == NULL)
			return 2;
	}
	if (db == NULL || listen == NULL) {
		fprintf(stderr, "cairn serve: --db PATH and --listen HOST:PORT are required\n");
		return 2;
	}
	if (app.mail_dir && app.smtp_url) {
		fprintf(stderr, "cairn serve: give --mail-dir or --smtp, not both\n");
		return 2;
	}
	if (app.mail_dir == NULL && app.smtp_url == NULL)
		app.mail_dir = "var/mail";
	char host[64];
	const char *colon = strrchr(listen, ':');
	char *end;
	long port = colon ? strtol(colon + 1, &end, 10) : -1;
	if (colon == NULL || (size_t)(colon - listen) >= sizeof(host) || *end != '\0' || port < 1 ||
	    port > 65535) {
		fprintf(stderr, "cairn serve: --listen wants HOST:PORT, e.g. 127.0.0.1:8080\n");
		return 2;
	}
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	if (app.base_url == NULL) {
		static char base[128];
		snprintf(base, sizeof(base), "http://%s:%ld", host, port);
		app.base_url = base;
	} else {
		size_t n = strlen(app.base_url);
		if (n && app.base_url[n - 1] == '/') {
			fprintf(stderr, "cairn serve: --base-url must not end with /\n");
			return 2;
		}
	}
	app.secure_cookies = strncmp(app.base_url, "https://", 8) == 0;
	app.db_path = db;
	/* 0 (not given): the default (server.h); a given value must be a whole number in range. */
	char *threads_end = NULL;
	long threads = threads_text ? strtol(threads_text, &threads_end, 10) : 0;
	if (threads_text && (threads_end == threads_text || *threads_end != '\0' || threads < 1 ||
			     threads > 256)) {
		fprintf(stderr, "cairn serve: --threads wants a number from 1 to 256\n");
		return 2;
	}
	char *writers_end = NULL;
	long writers = writers_text ? strtol(writers_text, &writers_end, 10) : 0;
	if (writers_text && (writers_end == writers_text || *writers_end != '\0' || writers < 1 ||
			     writers > 256)) {
		fprintf(stderr, "cairn serve: --write-threads wants a number from 1 to 256\n");
		return 2;
	}
	char *retry_end = NULL;
	long retry_s = retry_text ? strtol(retry_text, &retry_end, 10) : 30;
	if (retry_text && (retry_end == retry_text || *retry_end != '\0'))
		retry_s = 0;
	if (retry_s < 1 || retry_s > 86400) {
		fprintf(stderr, "cairn serve: --mail-retry wants seconds from 1 to 86400\n");
		return 2;
	}
	if (app.mail_dir && make_dirs(app.mail_dir) != 0) {
		fprintf(stderr, "cairn serve: cannot create %s: %s\n", app.mail_dir, strerror(errno));
		return 1;
	}

	struct err e;
	if (crypto_init(&e) != 0 || tpl_load(&e) != 0 || mail_init(&e) != 0) {
		fprintf(stderr, "cairn serve: %s\n", e.msg);
		return 1;
	}
	/* Migrate, and load the CSRF key, before any request can arrive. */
	struct store *s = cli_open(db);
	if (s == NULL)
		return 1;
	int rc = load_csrf_key(s);
	s->ops->close(s);
	if (rc != 0) {
		fprintf(stderr, "cairn serve: cannot save the CSRF key in %s\n", db);
		return 1;
	}
	log_quiet(!app.access_log);

	/* Signals are taken by sigwait below, in this thread only: every thread started
	 * from here on inherits the blocked mask. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	static struct mail_config mail;
	mail.smtp_url = app.smtp_url;
	mail.mail_dir = app.mail_dir;
	mail.from = app.mail_from;
	mail.host = host;
	mail.retry_s = (int)retry_s;
	if (sender_start(&mail, &e) != 0) {
		fprintf(stderr, "cairn serve: %s\n", e.msg);
		return 1;
	}
	struct http_server_config cfg = {
		.host = host,
		.port = (int)port,
		.threads = (unsigned)threads,
		.write_threads = (unsigned)writers,
		.timeout_s = 30,
		.max_connections = 1000,
		.access_log = app.access_log,
		.handle = app_dispatch,
	};
	struct http_server *srv = http_server_start(&cfg, &e);
	if (srv == NULL) {
		sender_stop();
		fprintf(stderr, "cairn serve: %s\n", e.msg);
		return 1;
	}
	fprintf(stderr, "cairn: serving %s on http://%s:%ld/ (database %s, mail %s)\n", app.base_url,
		host, port, db, app.smtp_url ? "SMTP" : app.mail_dir);
	int sig = 0;
	sigwait(&stop, &sig);
	fprintf(stderr, "cairn: stopping (signal %d)\n", sig);
	http_server_stop(srv);
	sender_stop();
	tpl_unload();
	mail_cleanup();
	fprintf(stderr, "cairn: stopped\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr);
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0)
		return usage(stdout);
	if (strcmp(cmd, "serve") == 0)
		return cmd_serve(argc - 1, argv + 1);
	if (strcmp(cmd, "migrate") == 0)
		return cli_migrate(argc - 1, argv + 1);
	if (strcmp(cmd, "demo-data") == 0)
		return cli_demo_data(argc - 1, argv + 1);
	if (strcmp(cmd, "user") == 0)
		return cli_user(argc - 1, argv + 1);
	if (strcmp(cmd, "report") == 0)
		return cli_report(argc - 1, argv + 1);
	if (strcmp(cmd, "import") == 0 && argc >= 3 && strcmp(argv[2], "oruk") == 0)
		return cli_import_oruk(argc - 2, argv + 2);
	if (strcmp(cmd, "import") == 0 && argc > 2 && strcmp(argv[2], "postcodes") == 0)
		return cli_import_postcodes(argc - 2, argv + 2);
	fprintf(stderr, "cairn: unknown command %s (see cairn --help)\n", cmd);
	return 2;
}
