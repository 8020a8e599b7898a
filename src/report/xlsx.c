/* The only includer of xlsxwriter.h. libxlsxwriter writes to a file: the workbook goes to
 * a private temporary file that is read back and removed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "domain/london_time.h"
#include "report/table.h"

static lxw_datetime datetime_of(const struct report_cell *c)
{
	lxw_datetime dt = {0};
	if (c->kind == CELL_DATE) {
		dt.year = c->date.year;
		dt.month = c->date.month;
		dt.day = c->date.day;
		return dt;
	}
	struct civil_date d = london_date(c->utc);
	int64_t local = c->utc + london_offset_seconds(c->utc);
	int64_t of_day = ((local % 86400) + 86400) % 86400;
	dt.year = d.year;
	dt.month = d.month;
	dt.day = d.day;
	dt.hour = (int)(of_day / 3600);
	dt.min = (int)(of_day / 60 % 60);
	return dt;
}

static int write_sheet(lxw_workbook *wb, const struct report_table *t)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, t->title);
	if (ws == NULL)
		return -1;
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	format_set_text_wrap(bold);
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date, "dd/mm/yyyy");
	lxw_format *datetime = workbook_add_format(wb);
	format_set_num_format(datetime, "dd/mm/yyyy hh:mm");
	lxw_format *hours = workbook_add_format(wb);
	format_set_num_format(hours, "0.00");
	lxw_format *percent = workbook_add_format(wb);
	format_set_num_format(percent, "0.0");
	/* Column widths before any row: constant-memory mode writes rows as they come. */
	for (size_t c = 0; c < t->ncols && c < LXW_COL_MAX; c++)
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, 16, NULL);
	worksheet_freeze_panes(ws, 1, 0);
	for (size_t c = 0; c < t->ncols; c++)
		if (worksheet_write_string(ws, 0, (lxw_col_t)c, t->headings[c], bold) != LXW_NO_ERROR)
			return -1;
	for (size_t r = 0; r < t->nrows && r + 1 < LXW_ROW_MAX; r++) {
		lxw_row_t row = (lxw_row_t)(r + 1);
		for (size_t c = 0; c < t->ncols; c++) {
			struct report_cell cell = {0};
			t->cell(t->ctx, r, c, &cell);
			lxw_col_t col = (lxw_col_t)c;
			lxw_error rc = LXW_NO_ERROR;
			lxw_datetime dt;
			switch (cell.kind) {
			case CELL_EMPTY:
				break;
			case CELL_TEXT:
				if (cell.text && cell.text[0])
					rc = worksheet_write_string(ws, row, col, cell.text, NULL);
				break;
			case CELL_INT:
				rc = worksheet_write_number(ws, row, col, (double)cell.number, NULL);
				break;
			case CELL_HOURS:
				rc = worksheet_write_number(ws, row, col, (double)cell.number / 60.0,
							    hours);
				break;
			case CELL_PERCENT:
				if (cell.whole > 0)
					rc = worksheet_write_number(
						ws, row, col, 100.0 * (double)cell.number / (double)cell.whole,
						percent);
				break;
			case CELL_DATE:
			case CELL_DATETIME:
				dt = datetime_of(&cell);
				rc = worksheet_write_datetime(ws, row, col, &dt,
							      cell.kind == CELL_DATE ? date : datetime);
				break;
			}
			if (rc != LXW_NO_ERROR)
				return -1;
		}
	}
	return 0;
}

static int read_file(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return -1;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(out, chunk, n);
	int rc = ferror(f) ? -1 : 0;
	fclose(f);
	return rc;
}

int report_xlsx(const struct report_table *t, struct buf *out, struct err *e)
{
	const char *dir = getenv("TMPDIR");
	if (dir == NULL || dir[0] == '\0')
		dir = "/tmp";
	char path[4096];
	if (snprintf(path, sizeof(path), "%s/cairn-report-XXXXXX", dir) >= (int)sizeof(path))
		return err_set(e, "the temporary folder's name is too long");
	int fd = mkstemp(path);
	if (fd < 0)
		return err_set(e, "cannot create a temporary file in %s: %s", dir, strerror(errno));
	close(fd);
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = (char *)(uintptr_t)dir};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	int rc = -1;
	if (wb == NULL) {
		err_set(e, "cannot start a workbook");
	} else if (write_sheet(wb, t) != 0) {
		workbook_close(wb);
		err_set(e, "cannot write the workbook");
	} else if (workbook_close(wb) != LXW_NO_ERROR) {
		err_set(e, "cannot finish the workbook");
	} else if (read_file(path, out) != 0) {
		err_set(e, "cannot read the workbook back");
	} else {
		rc = 0;
	}
	unlink(path);
	return rc;
}
