/* ledger: the rules of the hours ledger and the register (SPEC.md section 3). Pure
 * arithmetic: the store applies them inside its transactions. */
#ifndef CAIRN_LEDGER_H
#define CAIRN_LEDGER_H

enum register_outcome {
	OUTCOME_NONE = 0,
	OUTCOME_ATTENDED,
	OUTCOME_ATTENDED_PART,
	OUTCOME_FAILED_TO_COMPLY,
	OUTCOME_DID_NOT_ATTEND,
	OUTCOME_ABSENCE_ACCEPTED,
};

/* "attended" -> OUTCOME_ATTENDED; OUTCOME_NONE for anything else. */
enum register_outcome ledger_outcome_parse(const char *name);
const char *ledger_outcome_name(enum register_outcome o);
/* The words people read: "Attended part", "Did not attend"... */
const char *ledger_outcome_label(enum register_outcome o);
/* Whether the case worker is alerted at once (did not attend, failed to comply). */
int ledger_outcome_alerts(enum register_outcome o);

/* The minutes an outcome credits: the whole session for attended, the minutes given for
 * attended part and failed to comply (which may be 0), nothing otherwise. */
int ledger_credit_minutes(enum register_outcome o, int session_minutes, int minutes_given);

/* How much of a credit counts towards the order: no more than what is left of its other
 * activity minutes. The rest is recorded as not counted. */
int ledger_counted(int credit_minutes, int activity_minutes, int counted_so_far);

/* Hours and minutes for people: "12 hours", "1 hour 30 minutes", "45 minutes". out holds
 * at least 40 bytes. */
void ledger_format_minutes(int minutes, char *out, unsigned long n);

#endif
