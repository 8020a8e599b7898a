/* weekly: the weekly report's query for a week and a scope, and its lines as a table (the
 * same columns on the page, in CSV and in XLSX). */
#ifndef CAIRN_WEEKLY_H
#define CAIRN_WEEKLY_H
#include <stddef.h>

#include "report/table.h"
#include "store/store.h"

/* The query for week w; the scope (case worker, authority) is the caller's to set. */
void weekly_query_init(struct weekly_query *q, struct iso_week w);

/* Reads the week's lines and derives their flags. */
int weekly_read(struct store *s, struct pool *p, const struct weekly_query *q,
		struct weekly_line **rows, size_t *count);

/* The lines as a report table (lines must outlive it). */
void weekly_table(struct report_table *t, const struct weekly_line *lines, size_t count);

/* "cairn-weekly-2026-W48" and, for an authority, "-glasgow-city": a file name's stem in
 * the pool. */
const char *weekly_file_stem(struct pool *p, const struct weekly_query *q,
			     const char *authority_name);

#endif
