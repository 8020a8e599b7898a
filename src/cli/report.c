/* cairn report weekly: the weekly report from the command line, as CSV or XLSX. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "domain/london_time.h"
#include "report/weekly.h"

static int usage(void)
{
	printf("usage: cairn report weekly --db PATH [--week YYYY-Www] [--authority NAME]\n"
	       "                          [--case-worker EMAIL] --format csv|xlsx\n"
	       "                          [--output FILE]\n\n"
	       "The weekly report of every client with an active order: sessions booked,\n"
	       "attended, missed and absences accepted in the week, hours credited that week,\n"
	       "hours done and left, completion date, next booking and flags.\n"
	       "  --week        an ISO week, e.g. 2026-W48 (default: last week, London time)\n"
	       "  --authority   one local authority's clients, e.g. \"Glasgow City\"\n"
	       "                (default: the whole country)\n"
	       "  --case-worker one case worker's clients, by their email address\n"
	       "  --format      csv (RFC 4180, UTF-8) or xlsx\n"
	       "  --output      write to FILE instead of standard output\n");
	return 0;
}

static int write_out(const char *path, const struct buf *b)
{
	FILE *f = path ? fopen(path, "wb") : stdout;
	if (f == NULL) {
		fprintf(stderr, "cairn report: cannot write %s\n", path);
		return 1;
	}
	int bad = b->len && fwrite(b->data, 1, b->len, f) != b->len;
	if (path)
		bad |= fclose(f) != 0;
	else
		bad |= fflush(f) != 0;
	if (bad) {
		fprintf(stderr, "cairn report: cannot write %s\n", path ? path : "the output");
		return 1;
	}
	return 0;
}

static int weekly(struct store *s, struct pool *p, const char *week_text, const char *authority,
		  const char *case_worker, const char *format, const char *output)
{
	struct iso_week w;
	if (week_text) {
		if (iso_week_parse(week_text, &w) != 0) {
			fprintf(stderr, "cairn report: --week wants an ISO week that exists, like "
					"2026-W48\n");
			return 2;
		}
	} else {
		w = iso_week_add(iso_week_of(london_date((int64_t)time(NULL))), -1);
	}
	struct weekly_query q;
	weekly_query_init(&q, w);
	struct authority a = {0};
	if (authority) {
		if (s->ops->authority_by_name(s, p, authority, &a) != 0) {
			fprintf(stderr, "cairn report: no local authority is called \"%s\"\n",
				authority);
			return 2;
		}
		q.authority_id = a.id;
	}
	if (case_worker) {
		struct user u;
		if (s->ops->user_by_email(s, p, case_worker, &u) != 0 ||
		    u.role != ROLE_CASE_WORKER) {
			fprintf(stderr, "cairn report: no case worker has the email %s\n",
				case_worker);
			return 2;
		}
		if (authority && u.authority_id != a.id) {
			fprintf(stderr, "cairn report: %s is not a case worker of %s\n", case_worker,
				authority);
			return 2;
		}
		q.case_worker_id = u.id;
	}
	struct weekly_line *lines;
	size_t n;
	if (weekly_read(s, p, &q, &lines, &n) != 0) {
		fprintf(stderr, "cairn report: cannot read the database\n");
		return 1;
	}
	struct report_table t;
	weekly_table(&t, lines, n);
	struct buf b;
	buf_init(&b);
	int rc = 0;
	if (strcmp(format, "csv") == 0) {
		report_csv(&t, &b);
	} else {
		struct err e;
		if (report_xlsx(&t, &b, &e) != 0) {
			fprintf(stderr, "cairn report: %s\n", e.msg);
			rc = 1;
		}
	}
	if (rc == 0)
		rc = write_out(output, &b);
	buf_free(&b);
	if (rc == 0)
		fprintf(stderr, "cairn report: week %s, %zu client%s\n", q.week, n, n == 1 ? "" : "s");
	return rc;
}

int cli_report(int argc, char **argv)
{
	if (cli_wants_help(argc, argv))
		return usage();
	if (argc < 2 || strcmp(argv[1], "weekly") != 0) {
		fprintf(stderr, "cairn report: say which report: cairn report weekly (see --help)\n");
		return 2;
	}
	const char *db = NULL, *week = NULL, *authority = NULL, *case_worker = NULL,
		   *format = NULL, *output = NULL;
	for (int i = 2; i < argc; i++) {
		const char **slot = strcmp(argv[i], "--db") == 0            ? &db
				    : strcmp(argv[i], "--week") == 0        ? &week
				    : strcmp(argv[i], "--authority") == 0   ? &authority
				    : strcmp(argv[i], "--case-worker") == 0 ? &case_worker
				    : strcmp(argv[i], "--format") == 0      ? &format
				    : strcmp(argv[i], "--output") == 0      ? &output
									    : NULL;
		if (slot == NULL) {
			fprintf(stderr, "cairn report: unknown option %s (see cairn report --help)\n",
				argv[i]);
			return 2;
		}
		if ((*slot = cli_value(argc, argv, &i)) == NULL)
			return 2;
	}
	if (db == NULL || format == NULL) {
		fprintf(stderr, "cairn report: --db PATH and --format csv|xlsx are required\n");
		return 2;
	}
	if (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0) {
		fprintf(stderr, "cairn report: --format is csv or xlsx\n");
		return 2;
	}
	struct store *s = cli_open(db);
	if (s == NULL)
		return 1;
	struct pool *p = pool_new();
	int rc = weekly(s, p, week, authority, case_worker, format, output);
	pool_free(p);
	s->ops->close(s);
	return rc;
}
