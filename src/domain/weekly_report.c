#include "domain/weekly_report.h"

void weekly_line_derive(struct weekly_line *l, struct civil_date sunday)
{
	int left = l->activity_minutes - l->done_minutes;
	l->left_minutes = left > 0 ? left : 0;
	l->flags = 0;
	if (l->missed > 0)
		l->flags |= WEEKLY_MISSED;
	if (l->left_minutes == 0)
		l->flags |= WEEKLY_HOURS_COMPLETE;
	struct civil_date by;
	if (l->left_minutes > 0 && l->complete_by && civil_date_parse(l->complete_by, &by) == 0 &&
	    civil_date_to_days(by) <= civil_date_to_days(sunday) + WEEKLY_DUE_SOON_DAYS)
		l->flags |= WEEKLY_DUE_SOON;
}

const char *weekly_flags_text(int flags)
{
	static const char *const text[8] = {
		"",
		"Missed this week",
		"Completion due within 14 days",
		"Missed this week; Completion due within 14 days",
		"Hours complete",
		"Missed this week; Hours complete",
		"Completion due within 14 days; Hours complete",
		"Missed this week; Completion due within 14 days; Hours complete",
	};
	return text[flags & 7];
}
