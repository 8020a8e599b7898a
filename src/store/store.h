/* store: the storage interface. Handlers and commands speak only this; a backend
 * (store/sqlite today, store/pgsql later) fills in the table of operations.
 *
 * A struct store is one connection, used by one thread at a time. Strings in records that
 * an operation returns are allocated from the pool it is given. Every operation returns 0
 * on success and -1 on failure; STORE_NOT_FOUND (1) where a lookup finds nothing. */
#ifndef CAIRN_STORE_H
#define CAIRN_STORE_H
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/pool.h"
#include "domain/records.h"

#define STORE_NOT_FOUND 1

struct store;

/* Demo data at a country's size (cairn demo-data --scale national), as demo_load takes it.
 * Everything belongs to the caller. */
struct store_demo_referral {
	/* The client, order and referral as a case worker's form gives them, created at r.now.
	 * r.case_worker_id is not read (case_worker says who); messages and invitations are
	 * not written: the demo's clients were invited long ago. */
	struct referral_new r;
	size_t case_worker;        /* index into store_demo.staff */
	const char *status;        /* sent, welcomed, active, completed or withdrawn */
	const char *account_email; /* the client's own sign-in, or NULL when they have none */
};

/* A group session, run by staff[facilitator]. */
struct store_demo_session {
	int64_t topic_id, starts_at;
	int minutes, capacity;
	size_t facilitator;
};

/* A booking of sessions[session] by referrals[referral]'s client on its order. Each order's
 * bookings come in the order they were held, so the ledger credits it in time order. */
struct store_demo_booking {
	size_t session, referral;
	int64_t created_at, cancelled_at; /* cancelled_at 0: still booked */
	int64_t reminder_at;              /* 0: no reminder sent yet */
	/* The register, for a session held: outcome (NULL: none yet), minutes attended,
	 * reason for an accepted absence; recorded by the facilitator at recorded_at. The
	 * hours ledger is credited from it, counted only up to the order's activity minutes. */
	const char *outcome, *reason;
	int minutes;
	int64_t recorded_at;
};

struct store_demo {
	struct user *staff; /* an id of 0 is inserted, and its new id written back */
	size_t nstaff;
	const struct store_demo_referral *referrals;
	size_t nreferrals;
	const struct store_demo_session *sessions;
	size_t nsessions;
	const struct store_demo_booking *bookings;
	size_t nbookings;
	const char *account_password_hash; /* every client account's */
	int64_t now;                       /* when the accounts were made */
};

/* A session's id and start (session_starts_between). */
struct session_start {
	int64_t id, starts_at;
};

struct store_ops {
	void (*close)(struct store *s);
	/* Applies the migrations not yet applied; *applied gets how many. */
	int (*migrate)(struct store *s, int *applied, struct err *e);

	/* Reads that a page makes together see one snapshot. */
	int (*read_begin)(struct store *s);
	void (*read_end)(struct store *s);

	int (*setting_get)(struct store *s, struct pool *p, const char *key, const char **value);
	int (*setting_put)(struct store *s, const char *key, const char *value, struct err *e);

	int (*authority_by_name)(struct store *s, struct pool *p, const char *name,
				 struct authority *out);
	int (*authority_by_id)(struct store *s, struct pool *p, int64_t id, struct authority *out);

	/* Fails with a message when the email is taken. */
	int (*user_insert)(struct store *s, const struct user *u, int64_t now, int64_t *id,
			   struct err *e);
	int (*user_by_email)(struct store *s, struct pool *p, const char *email, struct user *out);
	int (*user_count)(struct store *s, int64_t *count);

	int (*session_insert)(struct store *s, const char *digest, int64_t user_id, int64_t now);
	/* The session's user, when the session was seen after idle_since and created after
	 * created_since; it also records that the session was seen now. */
	int (*session_user)(struct store *s, struct pool *p, const char *digest, int64_t now,
			    int64_t idle_since, int64_t created_since, struct user *out);
	int (*session_delete)(struct store *s, const char *digest);

	int (*sign_in_failure_add)(struct store *s, const char *email, const char *address,
				   int64_t now);
	int (*sign_in_failures)(struct store *s, const char *email, const char *address,
				int64_t since, int *by_email, int *by_address);
	int (*sign_in_failures_clear)(struct store *s, const char *email);

	/* Writes the client, order, referral, welcome-call task, invitation and messages in
	 * one transaction. When the form token was used already, writes nothing and puts the
	 * earlier referral's reference in *reference (a double-clicked Send). */
	int (*referral_create)(struct store *s, struct pool *p, const struct referral_new *r,
			       const char **reference, struct err *e);
	int (*referral_by_reference)(struct store *s, struct pool *p, const char *reference,
				     struct referral_row *out);
	/* Newest first, then the latest made first; *rows belongs to the pool. */
	int (*referrals_by_case_worker)(struct store *s, struct pool *p, int64_t case_worker_id,
					int limit, int offset, struct referral_list_item **rows,
					size_t *count);
	int (*client_get)(struct store *s, struct pool *p, int64_t client_id,
			  struct client_record *out);

	int (*audit_add)(struct store *s, int64_t user_id, const char *action,
			 const char *subject_type, int64_t subject_id, const char *address,
			 int64_t now);

	/* Messages due for delivery (not sent, next attempt at or before now), oldest first. */
	int (*outbox_due)(struct store *s, struct pool *p, int64_t now, int limit,
			  struct outbox_message **rows, size_t *count);
	int (*outbox_sent)(struct store *s, int64_t id, int64_t now);
	/* Marks n messages sent in one transaction (the sender, once a pass: one commit and
	 * its fdatasync instead of one each). */
	int (*outbox_sent_many)(struct store *s, const int64_t *ids, size_t n, int64_t now);
	int (*outbox_failed)(struct store *s, int64_t id, int64_t next_attempt_at,
			     const char *error);
	/* Newest first. */
	int (*outbox_list)(struct store *s, struct pool *p, int limit, int offset,
			   struct outbox_message **rows, size_t *count);
	int (*outbox_get)(struct store *s, struct pool *p, int64_t id, struct outbox_message *out);
	int (*outbox_pending)(struct store *s, int64_t *count);

	/* The client an unused, unexpired invitation is for. */
	int (*invitation_client)(struct store *s, const char *digest, int64_t now,
				 int64_t *client_id);
	/* Uses the invitation once: sets the client's password (or, when password_hash is
	 * NULL, chooses sign-in links), marks it used. STORE_NOT_FOUND when it is unknown,
	 * used or expired. */
	int (*invitation_accept)(struct store *s, const char *digest, const char *password_hash,
				 int64_t now);

	/* Writes a demo data set in one transaction, all or nothing, into a database that has
	 * no clients yet (a second run fails with a message and changes nothing). */
	int (*demo_load)(struct store *s, struct store_demo *d, struct err *e);

	/* ---- welcome calls, sign-in links, sessions, booking, the register (issue 4) ---- */

	/* Open welcome-call tasks, oldest first (rows belong to the pool). */
	int (*welcome_tasks)(struct store *s, struct pool *p, struct welcome_task **rows,
			     size_t *count);
	int (*welcome_task_get)(struct store *s, struct pool *p, int64_t task_id,
				struct welcome_task *out);
	/* Records a call; a completed one closes the task and makes the referral welcomed. */
	int (*welcome_call_add)(struct store *s, int64_t task_id, int64_t coordinator_id,
				const char *outcome, const char *notes, int64_t now);

	/* A one-time sign-in link for a user, with the message that carries it. */
	int (*sign_in_link_add)(struct store *s, const char *digest, int64_t user_id,
				int64_t expires_at, const struct outbox_message *m, int64_t now);
	/* Uses a link once; STORE_NOT_FOUND when unknown, used or expired. */
	int (*sign_in_link_use)(struct store *s, const char *digest, int64_t now, int64_t *user_id);
	int (*user_by_id)(struct store *s, struct pool *p, int64_t id, struct user *out);
	/* 1 in *by_link when the user chose sign-in links instead of a password. */
	int (*user_sign_in_by_link)(struct store *s, int64_t id, int *by_link);

	int (*topics_list)(struct store *s, struct pool *p, struct topic **rows, size_t *count);
	int (*topic_add)(struct store *s, const char *name, const char *description,
			 struct err *e);
	int (*facilitators_list)(struct store *s, struct pool *p, struct user **rows,
				 size_t *count);
	/* Adds sessions (one, or a weekly series) in one transaction. */
	int (*sessions_add)(struct store *s, const struct group_session *rows, size_t count,
			    int64_t now, struct err *e);
	/* Sessions starting in [from, to), soonest first, at most limit; my_booking_id is
	 * filled for client_id (0 for none); topic_id 0 for all topics. */
	int (*sessions_between)(struct store *s, struct pool *p, int64_t from, int64_t to,
				int64_t topic_id, int64_t client_id, int limit,
				struct group_session **rows, size_t *count);
	/* A facilitator's sessions starting from `from` (0 for all, newest first when so). */
	int (*sessions_for_facilitator)(struct store *s, struct pool *p, int64_t facilitator_id,
					int64_t from, int limit, struct group_session **rows,
					size_t *count);
	int (*session_get)(struct store *s, struct pool *p, int64_t id, int64_t client_id,
			   struct group_session *out);
	/* The id and start of each session sessions_between would return, and nothing else:
	 * a list that filters by time and shows a page fetches the rest for that page only
	 * (issue 7: the session list read 500 sessions in full to show 100). */
	int (*session_starts_between)(struct store *s, struct pool *p, int64_t from, int64_t to,
				      int64_t topic_id, int limit, struct session_start **rows,
				      size_t *count);

	/* Books under SPEC.md section 3 inside one write transaction, so capacity holds under
	 * concurrent requests. *refusal is a booking_refusal (0 when booked); the message
	 * goes in the outbox only when booked. */
	int (*booking_add)(struct store *s, int64_t session_id, int64_t client_id, int64_t now,
			   const struct outbox_message *m, int64_t *booking_id, int *refusal);
	/* Cancels before the start; STORE_NOT_FOUND when not the client's, cancelled, or
	 * started. */
	int (*booking_cancel)(struct store *s, int64_t booking_id, int64_t client_id, int64_t now,
			      const struct outbox_message *m);
	int (*booking_get)(struct store *s, struct pool *p, int64_t booking_id,
			   struct booking_row *out);
	/* A client's bookings: upcoming (session not yet ended) when upcoming, soonest first;
	 * otherwise the past ones, newest first. */
	int (*bookings_for_client)(struct store *s, struct pool *p, int64_t client_id,
				   int upcoming, int64_t now, int limit, struct booking_row **rows,
				   size_t *count);

	int (*register_rows)(struct store *s, struct pool *p, int64_t session_id,
			     struct register_row **rows, size_t *count);
	/* Saves outcomes, credits the ledger and queues alerts, all in one transaction;
	 * results[i] is a register_result for items[i]. */
	int (*register_save)(struct store *s, int64_t session_id, int64_t recorded_by,
			     const struct register_item *items, size_t count, int64_t now,
			     int *results);

	/* Minutes counted towards the order's hours, and not counted (past the cap). */
	int (*order_hours)(struct store *s, int64_t order_id, int *counted, int *not_counted);
	/* A client's history, oldest first. */
	int (*client_timeline)(struct store *s, struct pool *p, int64_t client_id,
			       struct timeline_event **rows, size_t *count);

	/* Scheduled messages. */
	int (*reminders_due)(struct store *s, struct pool *p, int64_t now, int limit,
			     struct reminder_due **rows, size_t *count);
	int (*reminder_queue)(struct store *s, int64_t booking_id, const struct outbox_message *m,
			      int64_t now);
	/* Orders due from `from` to `by` (ISO dates) with hours left and no ending-soon alert
	 * yet. */
	int (*orders_ending_soon)(struct store *s, struct pool *p, const char *from, const char *by,
				  int limit, struct order_due **rows, size_t *count);
	/* Puts the alert in the outbox unless this order had one of this kind; *queued is 1
	 * when it did. */
	int (*order_alert_queue)(struct store *s, int64_t order_id, const char *kind,
				 const struct outbox_message *m, int64_t now, int *queued);
};

struct store {
	const struct store_ops *ops;
};

#endif
