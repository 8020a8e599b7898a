/* cairn import postcodes: the ONS Postcode Directory (ONSPD) or National Statistics
 * Postcode Lookup (NSPL) CSV, as published, into the postcode table the directory's
 * location search uses. Columns are found by their header names: the postcode (pcds, the
 * written form, else pcd or pcd7/pcd8), lat, long and doterm (the date a postcode was
 * terminated: such postcodes are skipped). Postcodes the ONS has no location for
 * (latitude 99.999999) are skipped too. The whole file is one transaction: on any
 * malformed line nothing is imported and the line is named. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "domain/postcode.h"
#include "store/store.h"

#define LINE_MAX_BYTES (64 * 1024)
#define FIELDS_MAX 256

static int usage(void)
{
	printf("usage: cairn import postcodes --db PATH FILE\n\n"
	       "Loads postcodes and their latitude and longitude from the ONS Postcode\n"
	       "Directory or National Statistics Postcode Lookup CSV file (the one with a\n"
	       "header row naming pcds, lat, long and doterm). Terminated postcodes and those\n"
	       "without a location are skipped; a postcode already loaded is replaced. All or\n"
	       "nothing: a malformed line stops the import, names the line, and changes nothing.\n");
	return 0;
}

/* Splits one CSV record (RFC 4180 quoting, within the line) in place into fields. Returns
 * the number of fields, or -1 when a quote is not closed or there are too many. */
static int split_csv(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line;
	for (;;) {
		if (n == max)
			return -1;
		char *out = p;
		fields[n++] = out;
		if (*p == '"') {
			p++;
			for (;;) {
				if (*p == '\0')
					return -1;
				if (*p == '"') {
					if (p[1] == '"') {
						*out++ = '"';
						p += 2;
						continue;
					}
					p++;
					break;
				}
				*out++ = *p++;
			}
			if (*p != ',' && *p != '\0')
				return -1;
		} else {
			while (*p != ',' && *p != '\0')
				*out++ = *p++;
		}
		int more = *p == ',';
		*out = '\0';
		if (!more)
			return n;
		p++;
	}
}

static void chomp(char *line)
{
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
}

static int parse_degrees(const char *text, double lo, double hi, double *out)
{
	if (text == NULL || *text == '\0')
		return -1;
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	while (*end == ' ')
		end++;
	if (errno || *end != '\0' || v != v)
		return -1;
	*out = v;
	return v >= lo && v <= hi ? 0 : 1;
}

struct columns {
	int postcode, lat, lon, doterm, count;
};

static int find_columns(char **fields, int n, struct columns *c)
{
	int pcds = -1, pcd = -1;
	c->lat = c->lon = c->doterm = -1;
	c->count = n;
	for (int i = 0; i < n; i++) {
		const char *f = fields[i];
		while (*f == ' ')
			f++;
		if (strcasecmp(f, "pcds") == 0)
			pcds = i;
		else if (pcd < 0 && (strcasecmp(f, "pcd") == 0 || strcasecmp(f, "pcd7") == 0 ||
				     strcasecmp(f, "pcd8") == 0))
			pcd = i;
		else if (strcasecmp(f, "lat") == 0)
			c->lat = i;
		else if (strcasecmp(f, "long") == 0)
			c->lon = i;
		else if (strcasecmp(f, "doterm") == 0)
			c->doterm = i;
	}
	c->postcode = pcds >= 0 ? pcds : pcd;
	return c->postcode >= 0 && c->lat >= 0 && c->lon >= 0 ? 0 : -1;
}

struct tally {
	long imported, terminated, unlocated;
};

/* Reads every record after the header into the open transaction; -1 with a message. */
static int import_rows(struct store *s, FILE *in, const char *file, const struct columns *c,
		       char *line, struct tally *t)
{
	char *fields[FIELDS_MAX];
	long lineno = 1;
	while (fgets(line, LINE_MAX_BYTES, in)) {
		lineno++;
		size_t len = strlen(line);
		if (len == LINE_MAX_BYTES - 1 && line[len - 1] != '\n') {
			fprintf(stderr, "cairn import postcodes: %s line %ld is too long (over %d bytes)\n",
				file, lineno, LINE_MAX_BYTES);
			return -1;
		}
		chomp(line);
		if (line[0] == '\0')
			continue;
		int n = split_csv(line, fields, FIELDS_MAX);
		if (n < 0) {
			fprintf(stderr, "cairn import postcodes: %s line %ld: a quoted field is not closed, "
					"or there are more than %d fields\n", file, lineno, FIELDS_MAX);
			return -1;
		}
		if (n != c->count) {
			fprintf(stderr, "cairn import postcodes: %s line %ld has %d fields; the header has %d\n",
				file, lineno, n, c->count);
			return -1;
		}
		if (c->doterm >= 0 && fields[c->doterm][0] != '\0') {
			t->terminated++;
			continue;
		}
		char pc[POSTCODE_MAX];
		if (postcode_normalise(fields[c->postcode], pc) != 0) {
			fprintf(stderr, "cairn import postcodes: %s line %ld: \"%.40s\" is not a UK postcode\n",
				file, lineno, fields[c->postcode]);
			return -1;
		}
		double lat, lon;
		int lat_rc = parse_degrees(fields[c->lat], -90, 100, &lat);
		int lon_rc = parse_degrees(fields[c->lon], -180, 180, &lon);
		/* 99.999999 is the ONS's mark for a postcode with no grid reference; any other
		 * latitude past 90 is a mistake. */
		int no_location = lat_rc == 0 && lat > 99.9999985 && lat < 99.9999995;
		if (lat_rc != 0 || lon_rc != 0 || (lat > 90 && !no_location)) {
			fprintf(stderr, "cairn import postcodes: %s line %ld: latitude \"%.40s\" or longitude "
					"\"%.40s\" is not a number of degrees\n",
				file, lineno, fields[c->lat], fields[c->lon]);
			return -1;
		}
		if (no_location) {
			t->unlocated++;
			continue;
		}
		if (s->ops->postcode_put(s, pc, lat, lon) != 0) {
			fprintf(stderr, "cairn import postcodes: %s line %ld: the database refused it\n",
				file, lineno);
			return -1;
		}
		t->imported++;
	}
	if (ferror(in)) {
		fprintf(stderr, "cairn import postcodes: cannot read %s after line %ld\n", file, lineno);
		return -1;
	}
	return 0;
}

int cli_import_postcodes(int argc, char **argv)
{
	if (cli_wants_help(argc, argv))
		return usage();
	const char *db = NULL, *file = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0) {
			if ((db = cli_value(argc, argv, &i)) == NULL)
				return 2;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "cairn import postcodes: unknown option %s\n", argv[i]);
			return 2;
		} else if (file == NULL) {
			file = argv[i];
		} else {
			fprintf(stderr, "cairn import postcodes: give one FILE\n");
			return 2;
		}
	}
	if (db == NULL || file == NULL) {
		fprintf(stderr, "cairn import postcodes: --db PATH and FILE are required\n");
		return 2;
	}
	FILE *in = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
	if (in == NULL) {
		fprintf(stderr, "cairn import postcodes: cannot open %s: %s\n", file, strerror(errno));
		return 1;
	}
	char *line = malloc(LINE_MAX_BYTES);
	char *fields[FIELDS_MAX];
	struct columns c;
	int rc = 1;
	struct store *s = NULL;
	if (line == NULL || fgets(line, LINE_MAX_BYTES, in) == NULL) {
		fprintf(stderr, "cairn import postcodes: %s is empty: it needs a header row\n", file);
		goto out;
	}
	chomp(line);
	/* A byte order mark before the header, as spreadsheets write. */
	char *header = strncmp(line, "\xEF\xBB\xBF", 3) == 0 ? line + 3 : line;
	int n = split_csv(header, fields, FIELDS_MAX);
	if (n < 0 || find_columns(fields, n, &c) != 0) {
		fprintf(stderr, "cairn import postcodes: %s line 1: the header must name the columns "
				"pcds (or pcd), lat and long\n", file);
		goto out;
	}
	if ((s = cli_open(db)) == NULL)
		goto out;
	if (s->ops->postcodes_begin(s) != 0) {
		fprintf(stderr, "cairn import postcodes: cannot write to %s\n", db);
		goto out;
	}
	struct tally t = {0, 0, 0};
	if (import_rows(s, in, file, &c, line, &t) != 0) {
		s->ops->postcodes_end(s, 0);
		fprintf(stderr, "cairn import postcodes: nothing was imported\n");
		goto out;
	}
	if (s->ops->postcodes_end(s, 1) != 0) {
		fprintf(stderr, "cairn import postcodes: cannot commit; nothing was imported\n");
		goto out;
	}
	printf("imported %ld postcodes; skipped %ld terminated and %ld without a location\n",
	       t.imported, t.terminated, t.unlocated);
	rc = 0;
out:
	free(line);
	if (in != stdin)
		fclose(in);
	if (s)
		s->ops->close(s);
	return rc;
}
