/* table: a report as rows of typed cells, written as CSV (RFC 4180) or XLSX from one
 * description, so every format shows the same figures. */
#ifndef CAIRN_TABLE_H
#define CAIRN_TABLE_H
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "domain/civil_date.h"

enum report_cell_kind {
	CELL_EMPTY,
	CELL_TEXT,     /* text */
	CELL_INT,      /* number */
	CELL_HOURS,    /* minutes, shown as decimal hours to 2 places */
	CELL_DATE,     /* date */
	CELL_DATETIME, /* utc, shown in London time */
	CELL_PERCENT,  /* number out of whole, as a percentage to 1 place */
};

struct report_cell {
	enum report_cell_kind kind;
	const char *text;
	long long number, whole;
	struct civil_date date;
	int64_t utc;
};

struct report_table {
	const char *title; /* the XLSX sheet's name (31 characters at most) */
	size_t ncols, nrows;
	const char *const *headings;
	/* Fills *out with the cell at row, col. */
	void (*cell)(const void *ctx, size_t row, size_t col, struct report_cell *out);
	const void *ctx;
};

/* RFC 4180: UTF-8 with a byte-order mark (so spreadsheet programs read it as UTF-8), CRLF
 * line ends, fields quoted when they hold a comma, quote or line break. Text that a
 * spreadsheet would run as a formula (starting with = + - @ or a tab) gets a leading '. */
void report_csv(const struct report_table *t, struct buf *out);
/* The same as an XLSX workbook of one sheet: numbers as numbers, dates as dates. */
int report_xlsx(const struct report_table *t, struct buf *out, struct err *e);

/* "1.50" for 90 minutes (to the nearest hundredth; "-0.50" for -30) into out. */
void report_hours_text(int minutes, char out[16]);

#endif
