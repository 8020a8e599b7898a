#include <stdio.h>
#include <string.h>

#include "domain/london_time.h"
#include "report/table.h"

/* Writes n's digits (n >= 0) ending just before end; returns where they start. */
static char *digits(char *end, unsigned long long n)
{
	do
		*--end = (char)('0' + n % 10);
	while ((n /= 10) > 0);
	return end;
}

/* A whole report is mostly numbers: written by hand, not by printf (a third of the time
 * a country's weekly report took to write). */
static void put_int(struct buf *out, long long n)
{
	char tmp[24];
	unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	char *p = digits(tmp + sizeof(tmp), u);
	if (n < 0)
		*--p = '-';
	buf_append(out, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* A number scaled by 10^places (1 or 2) as a decimal with that many places, into out;
 * returns its length. */
static size_t decimal(char *out, long long scaled, int places)
{
	char tmp[32];
	unsigned long long u = scaled < 0 ? 0ULL - (unsigned long long)scaled : (unsigned long long)scaled;
	char *end = tmp + sizeof(tmp), *p = end;
	for (int i = 0; i < places; i++) {
		*--p = (char)('0' + u % 10);
		u /= 10;
	}
	*--p = '.';
	p = digits(p, u);
	if (scaled < 0)
		*--p = '-';
	size_t n = (size_t)(end - p);
	memcpy(out, p, n);
	out[n] = '\0';
	return n;
}

void report_hours_text(int minutes, char out[16])
{
	long long m = minutes < 0 ? -(long long)minutes : minutes;
	long long hundredths = (m * 100 + 30) / 60;
	decimal(out, minutes < 0 ? -hundredths : hundredths, 2);
}

static void csv_text(struct buf *out, const char *s)
{
	int formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
		      s[0] == '\r';
	if (!formula && strpbrk(s, ",\"\r\n") == NULL) {
		buf_puts(out, s);
		return;
	}
	buf_putc(out, '"');
	if (formula)
		buf_putc(out, '\'');
	for (const char *c = s; *c; c++) {
		if (*c == '"')
			buf_putc(out, '"');
		buf_putc(out, *c);
	}
	buf_putc(out, '"');
}

static void csv_cell(struct buf *out, const struct report_cell *c)
{
	char tmp[LONDON_FORMAT_MAX];
	switch (c->kind) {
	case CELL_EMPTY:
		break;
	case CELL_TEXT:
		csv_text(out, c->text ? c->text : "");
		break;
	case CELL_INT:
		put_int(out, c->number);
		break;
	case CELL_HOURS:
		report_hours_text((int)c->number, tmp);
		buf_puts(out, tmp);
		break;
	case CELL_DATE:
		civil_date_iso(c->date, tmp);
		buf_puts(out, tmp);
		break;
	case CELL_PERCENT:
		if (c->whole > 0) {
			long long tenths = (c->number * 2000 + c->whole) / (2 * c->whole);
			buf_append(out, tmp, decimal(tmp, tenths, 1));
		}
		break;
	case CELL_DATETIME: {
		struct civil_date d = london_date(c->utc);
		int64_t local = c->utc + london_offset_seconds(c->utc);
		int64_t of_day = ((local % 86400) + 86400) % 86400;
		civil_date_iso(d, tmp);
		buf_printf(out, "%s %02d:%02d", tmp, (int)(of_day / 3600), (int)(of_day / 60 % 60));
		break;
	}
	}
}

void report_csv(const struct report_table *t, struct buf *out)
{
	buf_puts(out, "\xEF\xBB\xBF");
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			buf_putc(out, ',');
		csv_text(out, t->headings[c]);
	}
	buf_puts(out, "\r\n");
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			struct report_cell cell = {0};
			t->cell(t->ctx, r, c, &cell);
			if (c)
				buf_putc(out, ',');
			csv_cell(out, &cell);
		}
		buf_puts(out, "\r\n");
	}
}
