#include "report/weekly.h"

#include <ctype.h>
#include <string.h>

void weekly_query_init(struct weekly_query *q, struct iso_week w)
{
	memset(q, 0, sizeof(*q));
	iso_week_format(w, q->week);
	struct civil_date mon = iso_week_monday(w);
	civil_date_iso(mon, q->monday);
	civil_date_iso(civil_date_from_days(civil_date_to_days(mon) + 6), q->sunday);
	iso_week_bounds(w, &q->from_utc, &q->to_utc);
}

int weekly_read(struct store *s, struct pool *p, const struct weekly_query *q,
		struct weekly_line **rows, size_t *count)
{
	if (s->ops->weekly_report(s, p, q, rows, count) != 0)
		return -1;
	struct civil_date sunday;
	civil_date_parse(q->sunday, &sunday);
	for (size_t i = 0; i < *count; i++)
		weekly_line_derive(&(*rows)[i], sunday);
	return 0;
}

enum column {
	C_LAST_NAME,
	C_FIRST_NAME,
	C_BIRTH,
	C_CASE_REF,
	C_COURT_REF,
	C_ORDER_REF,
	C_BOOKED,
	C_ATTENDED,
	C_MISSED,
	C_ABSENCE,
	C_CREDITED,
	C_DONE,
	C_LEFT,
	C_COMPLETE_BY,
	C_NEXT,
	C_FLAGS,
	C_CASE_WORKER,
	C_AUTHORITY,
	C_COUNT
};

static const char *const headings[C_COUNT] = {
	[C_LAST_NAME] = "Last name",
	[C_FIRST_NAME] = "First name",
	[C_BIRTH] = "Date of birth",
	[C_CASE_REF] = "Case reference",
	[C_COURT_REF] = "Court order reference",
	[C_ORDER_REF] = "Cairn order reference",
	[C_BOOKED] = "Sessions booked this week",
	[C_ATTENDED] = "Sessions attended this week",
	[C_MISSED] = "Sessions missed this week",
	[C_ABSENCE] = "Absences accepted this week",
	[C_CREDITED] = "Hours credited this week",
	[C_DONE] = "Hours done",
	[C_LEFT] = "Hours left",
	[C_COMPLETE_BY] = "Complete by",
	[C_NEXT] = "Next booking",
	[C_FLAGS] = "Flags",
	[C_CASE_WORKER] = "Case worker",
	[C_AUTHORITY] = "Local authority",
};

static void date_cell(struct report_cell *out, const char *iso)
{
	if (iso && civil_date_parse(iso, &out->date) == 0)
		out->kind = CELL_DATE;
}

static void cell(const void *ctx, size_t row, size_t col, struct report_cell *out)
{
	const struct weekly_line *l = (const struct weekly_line *)ctx + row;
	out->kind = CELL_TEXT;
	switch ((enum column)col) {
	case C_LAST_NAME: out->text = l->last_name; break;
	case C_FIRST_NAME: out->text = l->first_name; break;
	case C_BIRTH: out->kind = CELL_EMPTY; date_cell(out, l->date_of_birth); break;
	case C_CASE_REF: out->text = l->case_reference; break;
	case C_COURT_REF: out->text = l->court_reference; break;
	case C_ORDER_REF: out->text = l->order_reference; break;
	case C_BOOKED: out->kind = CELL_INT; out->number = l->booked; break;
	case C_ATTENDED: out->kind = CELL_INT; out->number = l->attended; break;
	case C_MISSED: out->kind = CELL_INT; out->number = l->missed; break;
	case C_ABSENCE: out->kind = CELL_INT; out->number = l->absence_accepted; break;
	case C_CREDITED: out->kind = CELL_HOURS; out->number = l->credited_minutes; break;
	case C_DONE: out->kind = CELL_HOURS; out->number = l->done_minutes; break;
	case C_LEFT: out->kind = CELL_HOURS; out->number = l->left_minutes; break;
	case C_COMPLETE_BY: out->kind = CELL_EMPTY; date_cell(out, l->complete_by); break;
	case C_NEXT:
		out->kind = l->next_booking_at ? CELL_DATETIME : CELL_EMPTY;
		out->utc = l->next_booking_at;
		break;
	case C_FLAGS: out->text = weekly_flags_text(l->flags); break;
	case C_CASE_WORKER: out->text = l->case_worker_name; break;
	case C_AUTHORITY: out->text = l->authority_name; break;
	case C_COUNT: out->kind = CELL_EMPTY; break;
	}
}

void weekly_table(struct report_table *t, const struct weekly_line *lines, size_t count)
{
	*t = (struct report_table){
		.title = "Weekly report",
		.ncols = C_COUNT,
		.nrows = count,
		.headings = headings,
		.cell = cell,
		.ctx = lines,
	};
}

const char *weekly_file_stem(struct pool *p, const struct weekly_query *q,
			     const char *authority_name)
{
	if (authority_name == NULL)
		return pool_printf(p, "cairn-weekly-%s", q->week);
	char slug[64];
	size_t n = 0;
	for (const char *c = authority_name; *c && n + 1 < sizeof(slug); c++) {
		if (isalnum((unsigned char)*c))
			slug[n++] = (char)tolower((unsigned char)*c);
		else if (n && slug[n - 1] != '-')
			slug[n++] = '-';
	}
	while (n && slug[n - 1] == '-')
		n--;
	slug[n] = '\0';
	return pool_printf(p, "cairn-weekly-%s-%s", q->week, slug);
}
