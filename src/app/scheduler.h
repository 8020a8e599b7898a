/* scheduler: messages that fall due with time rather than with a request: the day-before
 * reminder of a booking, and the case worker's alert when an order's completion date is
 * near with hours left. Run by the sender thread at the start of each pass (at most once a
 * second while a backlog drains: src/app/sender.c). */
#ifndef CAIRN_SCHEDULER_H
#define CAIRN_SCHEDULER_H
#include <stdint.h>

#include "store/store.h"

/* Alerts go when the completion date is this many days away or less. */
#define SCHEDULER_ENDING_SOON_DAYS 14

/* Puts every message due at `now` in the outbox; returns how many. */
int scheduler_run(struct store *s, int64_t now);

#endif
