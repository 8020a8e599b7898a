/* scheduler: messages that fall due with time rather than with a request: the day-before
 * reminder of a booking, the case worker's alert when an order's completion date is near
 * with hours left, the client's feedback request after a session they attended, and each
 * case worker's weekly report. Run by the sender thread at the start of each pass (at most
 * once a second while a backlog drains: src/app/sender.c). */
#ifndef CAIRN_SCHEDULER_H
#define CAIRN_SCHEDULER_H
#include <stdint.h>

#include "store/store.h"

/* Alerts go when the completion date is this many days away or less. */
#define SCHEDULER_ENDING_SOON_DAYS 14

/* Each case worker's weekly report of last week goes in the outbox on Monday at this hour,
 * London time, once; the sender takes this many case workers per pass. */
#define SCHEDULER_WEEKLY_HOUR 7
#define SCHEDULER_WEEKLY_BATCH 50
/* Attended sessions get "How was your session?" by email only for this many days. */
#define SCHEDULER_FEEDBACK_DAYS 7

/* Puts every message due at `now` in the outbox; returns how many. */
int scheduler_run(struct store *s, int64_t now);

#endif
