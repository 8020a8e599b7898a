#include "app/sender.h"

#include <pthread.h>
#include <time.h>

#include "app/app.h"
#include "app/scheduler.h"
#include "core/log.h"

/* Retries back off from 30 seconds, doubling, to at most 6 hours between attempts; a
 * message is never given up on, only shown as waiting on the outbox page. */
#define SENDER_POLL_S 2
/* Messages taken per pass; a full pass means more may be waiting, so the next starts at
 * once instead of after the poll interval (a backlog drains at disk speed, not 25/s). */
#define SENDER_BATCH 50
#define SENDER_BACKOFF_MIN_S 30
#define SENDER_BACKOFF_MAX_S (6 * 60 * 60)

static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static int stopping, woken, running;

static int64_t backoff(const struct mail_config *cfg, int attempts)
{
	int64_t s = cfg->retry_s > 0 ? cfg->retry_s : SENDER_BACKOFF_MIN_S;
	for (int i = 1; i < attempts && s < SENDER_BACKOFF_MAX_S; i++)
		s *= 2;
	return s < SENDER_BACKOFF_MAX_S ? s : SENDER_BACKOFF_MAX_S;
}

/* The scheduler looks for what has become due: reminders, orders ending soon, feedback
 * requests, weekly reports. What becomes due comes from a change (a booking, a register, a
 * referral: a POST, which wakes the sender) or from the clock passing a time. So it runs on
 * the first pass, on every pass after a change (but while a backlog drains, when the last
 * pass was full and passes follow at once, at most once a second), and otherwise once a
 * minute: at national scale a run costs about 80 ms (the feedback requests look at a week
 * of attended bookings), and run on every two-second poll it took 4% of a core from an
 * idle server, and more from one under load (issue 7). The clock's deadlines are met
 * within that minute. */
#define SCHEDULER_CHANGE_INTERVAL_S 1
#define SCHEDULER_INTERVAL_S 60

static int changed; /* under lock: a change since the scheduler last ran */

static int64_t monotonic_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

int sender_run_once(const struct mail_config *cfg)
{
	/* Only the sender's thread passes. */
	static int ran, draining;
	static int64_t scheduled_at;
	struct store *s = app_store();
	if (s == NULL)
		return 0;
	int64_t t = monotonic_s();
	pthread_mutex_lock(&lock);
	int due = !ran || t - scheduled_at >= SCHEDULER_INTERVAL_S ||
		  (changed && (!draining || t - scheduled_at >= SCHEDULER_CHANGE_INTERVAL_S));
	if (due)
		changed = 0;
	pthread_mutex_unlock(&lock);
	if (due) {
		scheduler_run(s, app_now());
		scheduled_at = t;
		ran = 1;
	}
	struct pool *p = pool_new();
	struct outbox_message *rows;
	size_t n = 0;
	int delivered = 0;
	int64_t now = app_now();
	/* The pass's deliveries are marked sent together, in one transaction at its end: one
	 * fdatasync a pass rather than one a message, which under a referral load (two
	 * messages each) competed for the disk with the referrals' own commits (issue 7). */
	int64_t sent[SENDER_BATCH];
	size_t nsent = 0;
	if (s->ops->outbox_due(s, p, now, SENDER_BATCH, &rows, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			struct err e;
			if (mail_deliver(cfg, &rows[i], now, &e) == 0) {
				/* Delivered but not yet marked: a crash before the pass's mark
				 * sends it again on restart. At least once is the promise; never
				 * lost. */
				sent[nsent++] = rows[i].id;
				delivered++;
			} else {
				int64_t next = app_now() + backoff(cfg, rows[i].attempts + 1);
				log_error("outbox: message %lld to %s not delivered: %s",
					  (long long)rows[i].id, rows[i].recipient, e.msg);
				s->ops->outbox_failed(s, rows[i].id, next, e.msg);
			}
			pthread_mutex_lock(&lock);
			int stop = stopping;
			pthread_mutex_unlock(&lock);
			if (stop)
				break;
		}
	}
	if (s->ops->outbox_sent_many(s, sent, nsent, app_now()) != 0)
		log_error("outbox: %zu delivered messages could not be marked sent: they will be "
			  "sent again", nsent);
	pool_free(p);
	draining = delivered >= SENDER_BATCH;
	return delivered;
}

static void *sender_main(void *arg)
{
	const struct mail_config *cfg = arg;
	pthread_mutex_lock(&lock);
	while (!stopping) {
		pthread_mutex_unlock(&lock);
		int full = sender_run_once(cfg) >= SENDER_BATCH;
		pthread_mutex_lock(&lock);
		if (stopping)
			break;
		if (!woken && !full) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += SENDER_POLL_S;
			pthread_cond_timedwait(&wake, &lock, &until);
		}
		woken = 0;
	}
	pthread_mutex_unlock(&lock);
	app_store_release();
	return NULL;
}

int sender_start(const struct mail_config *cfg, struct err *e)
{
	stopping = 0;
	if (pthread_create(&thread, NULL, sender_main, (void *)(uintptr_t)cfg) != 0)
		return err_set(e, "cannot start the outbox sender");
	running = 1;
	return 0;
}

void sender_wake(void)
{
	pthread_mutex_lock(&lock);
	woken = 1;
	changed = 1;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
}

void sender_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	stopping = 1;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(thread, NULL);
	running = 0;
}
