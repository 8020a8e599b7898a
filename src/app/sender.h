/* sender: the background thread that delivers the outbox, with retries and backoff. */
#ifndef CAIRN_SENDER_H
#define CAIRN_SENDER_H

#include "core/err.h"
#include "mail/mail.h"

/* Starts the thread; cfg must outlive it. */
int sender_start(const struct mail_config *cfg, struct err *e);
/* Wakes the thread to look for new messages now rather than at its next poll. */
void sender_wake(void);
/* Lets the message being delivered finish, then stops the thread. */
void sender_stop(void);
/* One pass over the messages due now (the thread's loop body; also for tests). Returns how
 * many were delivered. */
int sender_run_once(const struct mail_config *cfg);

#endif
