/* weekly_report: one line per client with an active order in an ISO week, as a case
 * worker keys it into their case-management system (SPEC.md step 6), and its flags.
 *
 * An order is in a week's report when its referral is not withdrawn and the week meets
 * the order's span (imposed on or before the Sunday, to be completed on or after the
 * Monday). Sessions count in the week they start (London time) with the booking still
 * booked; their outcome is the register's current one. Hours credited that week are the
 * hours ledger's counted minutes recorded in the week (so a correction counts in the week
 * it is made); hours done are the counted minutes recorded before the week ended. */
#ifndef CAIRN_WEEKLY_REPORT_H
#define CAIRN_WEEKLY_REPORT_H
#include <stdint.h>

#include "domain/civil_date.h"

/* Completion is "due soon" when the completion date is within this many days after the
 * week's Sunday and hours are left. */
#define WEEKLY_DUE_SOON_DAYS 14

enum weekly_flag {
	WEEKLY_MISSED = 1,        /* did not attend, or failed to comply, this week */
	WEEKLY_DUE_SOON = 2,      /* completion date within 14 days with hours left */
	WEEKLY_HOURS_COMPLETE = 4 /* the other activity hours are done */
};

struct weekly_line {
	int64_t order_id, client_id;
	int64_t case_worker_id, authority_id;
	const char *first_name, *last_name, *date_of_birth; /* ISO date */
	const char *case_reference;                          /* NULL when none was given */
	const char *court_reference, *order_reference, *referral_reference;
	const char *complete_by; /* ISO date */
	const char *case_worker_name, *case_worker_email, *authority_name;
	int activity_minutes;
	int booked, attended, missed, absence_accepted; /* sessions in the week */
	int credited_minutes;                           /* counted, recorded in the week */
	int done_minutes;                               /* counted, recorded before its end */
	int64_t next_booking_at;                        /* first booked session after the
							   week, 0 when none */
	/* Set by weekly_line_derive. */
	int left_minutes;
	int flags;
};

/* Fills left_minutes and flags; sunday is the week's last day. */
void weekly_line_derive(struct weekly_line *l, struct civil_date sunday);

/* "Missed this week; Completion due within 14 days" (static text per flag set; "" for
 * none). */
const char *weekly_flags_text(int flags);

#endif
