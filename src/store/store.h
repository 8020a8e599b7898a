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
#include "domain/iso_week.h"
#include "domain/directory.h"
#include "domain/oruk.h"
#include "domain/records.h"
#include "domain/weekly_report.h"

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

/* Which week, and whose clients: case_worker_id, else authority_id, else (both 0) the
 * whole country. */
struct weekly_query {
	int64_t case_worker_id, authority_id;
	char week[ISO_WEEK_TEXT_MAX];           /* "2026-W48" */
	char monday[11], sunday[11];            /* ISO dates */
	int64_t from_utc, to_utc;               /* Monday 00:00 to the next, London time */
};

/* A listing query of the Open Referral UK API: filters combine with AND. */
struct oruk_query {
	const char *match;            /* an FTS5 query from directory_fts_query, or NULL */
	const char *taxonomy_term_id; /* NULL: any */
	const char *taxonomy_id;
	const char *organization_id;
	int64_t modified_after;       /* UTC seconds; 0: any */
	int has_point;                /* service_at_locations: distance from here */
	double latitude, longitude;
	double proximity_m;           /* 0: any distance */
	int per_page;
	int64_t page;                 /* from 1 */
};

/* What an import did, service by service. */
struct oruk_import_result {
	size_t added, updated, unchanged;
};

enum oruk_kind { ORUK_TERM, ORUK_TAXONOMY, ORUK_ORGANIZATION };

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

	/* ---- the weekly report (issue 5) ---- */

	/* The week's lines (domain/weekly_report.h says which orders and how each figure is
	 * counted; the caller derives the flags), ordered by authority, case worker, last and
	 * first name. Rows belong to the pool. */
	int (*weekly_report)(struct store *s, struct pool *p, const struct weekly_query *q,
			     struct weekly_line **rows, size_t *count);
	/* Case workers with at least one line in the week, from a referral made before the
	 * week ended, whose report for it has not gone in the outbox yet, at most limit, by
	 * id. */
	int (*weekly_report_due)(struct store *s, struct pool *p, const struct weekly_query *q,
				 int limit, struct user **rows, size_t *count);
	/* Puts the report's message in the outbox unless that case worker's report of that
	 * week went already; *queued is 1 when it did. */
	int (*weekly_report_queue)(struct store *s, int64_t case_worker_id, const char *week,
				   const struct outbox_message *m, int64_t now, int *queued);
	/* One audit entry per subject, in one transaction. */
	int (*audit_add_many)(struct store *s, int64_t user_id, const char *action,
			      const char *subject_type, const int64_t *subject_ids, size_t count,
			      const char *address, int64_t now);
	/* ---- the Open Referral UK API and importer (issue 6, sqlite_oruk.c) ----
	 * Only approved services appear, and organisations with at least one; never anything
	 * about clients. Lists fill *rows (in the pool), *count on this page and *total. */
	int (*oruk_services)(struct store *s, struct pool *p, const struct oruk_query *q,
			     struct oruk_service **rows, size_t *count, int64_t *total);
	/* The full service; STORE_NOT_FOUND when unknown or not approved. */
	int (*oruk_service_get)(struct store *s, struct pool *p, const char *id,
				struct oruk_service *out);
	/* Nearest first when q->has_point (then only located ones, within proximity_m). */
	int (*oruk_service_at_locations)(struct store *s, struct pool *p, const struct oruk_query *q,
					 struct oruk_service_at_location **rows, size_t *count,
					 int64_t *total);
	int (*oruk_organizations)(struct store *s, struct pool *p, int per_page, int64_t page,
				  struct oruk_organization **rows, size_t *count, int64_t *total);
	/* With its approved services; STORE_NOT_FOUND when it has none. */
	int (*oruk_organization_get)(struct store *s, struct pool *p, const char *id,
				     struct oruk_organization *out);
	int (*oruk_taxonomies)(struct store *s, struct pool *p, int per_page, int64_t page,
			       struct oruk_taxonomy **rows, size_t *count, int64_t *total);
	/* taxonomy_id NULL for every taxonomy's terms. */
	int (*oruk_terms)(struct store *s, struct pool *p, const char *taxonomy_id, int per_page,
			  int64_t page, struct oruk_term **rows, size_t *count, int64_t *total);
	/* 0 when a record of that kind has that id, STORE_NOT_FOUND when not. */
	int (*oruk_exists)(struct store *s, enum oruk_kind kind, const char *id);
	/* Imports a feed in one transaction, idempotently by id: digests[i] (of the service's
	 * JSON) equal to the last import's leaves service i alone; otherwise the service and
	 * its organisation, locations, contacts, schedules and terms are written, replacing
	 * what the service had. New services arrive approved, or pending when !approved; a
	 * known one keeps its moderation. All or nothing; e says which service failed. */
	int (*oruk_import)(struct store *s, const struct oruk_feed *feed, const char *const *digests,
			   int approved, int64_t now, struct oruk_import_result *result,
			   struct err *e);
	/* ---- the directory of services and placements (issue 6; sqlite_directory.c) ---- */

	/* The terms of the taxonomy Cairn uses as `use` (category, service_type or skill),
	 * by name. */
	int (*directory_terms)(struct store *s, struct pool *p, const char *use,
			       struct directory_term **rows, size_t *count);
	/* Any taxonomy term by id; STORE_NOT_FOUND when there is none. */
	int (*directory_term_get)(struct store *s, struct pool *p, const char *id,
				  struct directory_term *out);
	/* A normalised postcode's centre; STORE_NOT_FOUND when it is not known. */
	int (*postcode_find)(struct store *s, const char *postcode, double *latitude,
			     double *longitude);
	/* A postcode import is one write transaction: begin, put each (a postcode already
	 * known is replaced), then end, committing when commit is 1 and rolling everything
	 * back otherwise. */
	int (*postcodes_begin)(struct store *s);
	int (*postcode_put)(struct store *s, const char *postcode, double latitude,
			    double longitude);
	int (*postcodes_end)(struct store *s, int commit);
	/* Approved services matching q, a page of them in *rows and how many match in all. */
	int (*directory_search)(struct store *s, struct pool *p, const struct directory_query *q,
				struct directory_result **rows, size_t *count, int64_t *total);
	/* A service whatever its moderation, with its terms, placement offers and first
	 * location; STORE_NOT_FOUND when there is none. */
	int (*directory_service_get)(struct store *s, struct pool *p, const char *id,
				     struct directory_service *out);
	/* An organisation's services, whatever their moderation, by name (without terms or
	 * placements). */
	int (*directory_services_of)(struct store *s, struct pool *p, const char *organization_id,
				     struct directory_service **rows, size_t *count);
	/* Services and placement offers waiting for approval, oldest change first. */
	int (*directory_pending)(struct store *s, struct pool *p, struct directory_service **services,
				 size_t *nservices, struct directory_placement **placements,
				 size_t *nplacements);
	/* Writes approved listings in one transaction, all or nothing (demo and bench data);
	 * new_id makes the id of every new row. */
	int (*directory_load)(struct store *s, const struct directory_listing *rows, size_t count,
			      directory_new_id new_id, int64_t now, struct err *e);
	/* An organisation adds (svc->id NULL: *id gets the new one) or changes one of its
	 * services: fields, category and service type terms, the address (located when
	 * svc->located). It waits for approval again. STORE_NOT_FOUND when not its, or (a
	 * new one) when it lists a service of that name already. */
	int (*directory_service_save)(struct store *s, const struct directory_service *svc,
				      directory_new_id new_id, int64_t now, const char **id,
				      struct pool *p);
	/* Adds (pl->id NULL) or changes a placement offer on one of the organisation's
	 * services, with its skills; it waits for approval again. STORE_NOT_FOUND when the
	 * service or offer is not the organisation's, or (a new one) when the service has an
	 * offer in that area already. */
	int (*directory_placement_save)(struct store *s, const struct directory_placement *pl,
					directory_new_id new_id, int64_t now);
	/* A coordinator's decision: kind "service" or "placement", moderation "approved" or
	 * "retired". STORE_NOT_FOUND when there is no such listing. */
	int (*directory_moderate)(struct store *s, const char *kind, const char *id,
				  const char *moderation, int64_t by, int64_t now);
	/* The client's postcode (NULL when none) and setting it. */
	int (*client_postcode)(struct store *s, struct pool *p, int64_t client_id,
			       const char **postcode);
	int (*client_postcode_set)(struct store *s, int64_t client_id, const char *postcode);
	/* Makes the referral and its message in one transaction; *result is a
	 * directory_referral_result, *id the referral (the earlier one on a repeat). */
	int (*directory_referral_create)(struct store *s, const struct directory_referral_new *r,
					 int64_t *id, int *result);
	int (*directory_referral_get)(struct store *s, struct pool *p, int64_t id,
				      struct directory_referral *out);
	/* Newest first. */
	int (*directory_referrals_of_organization)(struct store *s, struct pool *p,
						   const char *organization_id, int limit,
						   int offset, struct directory_referral **rows,
						   size_t *count);
	int (*directory_referrals_of_client)(struct store *s, struct pool *p, int64_t client_id,
					     struct directory_referral **rows, size_t *count);
	/* The organisation accepts or declines a sent referral; m (recipient NULL: none) goes
	 * to the case worker. *result is a directory_answer_result; STORE_NOT_FOUND when the
	 * referral is not the organisation's. */
	int (*directory_referral_answer)(struct store *s, int64_t id, const char *organization_id,
					 int accept, const char *reason, int64_t by, int64_t now,
					 const struct outbox_message *m, int *result);
	/* The organisation confirms the minutes done on an accepted referral, completing it.
	 * When the service counts as other activity the minutes are credited to the order's
	 * hours ledger as a 'directory' entry, once (counted up to the order's other activity
	 * minutes, as ledger_counted says). */
	int (*directory_referral_complete)(struct store *s, int64_t id, const char *organization_id,
					   int minutes, int64_t by, int64_t now,
					   const struct outbox_message *m, int *result);
	/* ---- session feedback and the impact dashboard (issue 5) ---- */

	/* A client's attended sessions with no feedback yet, newest first. */
	int (*feedback_pending)(struct store *s, struct pool *p, int64_t client_id, int limit,
				struct booking_row **rows, size_t *count);
	/* The answer about a booking; STORE_NOT_FOUND when there is none. */
	int (*feedback_get)(struct store *s, struct pool *p, int64_t booking_id,
			    struct feedback_answer *out);
	/* Saves the answer of client_id about a->booking_id in one transaction, only when the
	 * booking is theirs and attended (or attended part), once: *result is a
	 * feedback_result. */
	int (*feedback_add)(struct store *s, int64_t client_id, const struct feedback_answer *a,
			    int64_t now, int *result);
	/* Attended sessions that started from `since` and ended by `now` whose client has an
	 * email, no answer and no request yet, oldest first. */
	int (*feedback_requests_due)(struct store *s, struct pool *p, int64_t since, int64_t now,
				     int limit, struct feedback_due **rows, size_t *count);
	/* Puts the request in the outbox unless this booking had one; *queued 1 when it did. */
	int (*feedback_request_queue)(struct store *s, int64_t booking_id,
				      const struct outbox_message *m, int64_t now, int *queued);

	/* Every local authority, by name. */
	int (*authorities_list)(struct store *s, struct pool *p, struct authority **rows,
				size_t *count);
	/* Fills f's figures for its days in one authority (0: all of Scotland). */
	int (*impact_figures)(struct store *s, int64_t authority_id, struct impact_figures *f);
	/* Fills only f's referral figures (clients, case workers, authorities): the others
	 * add up across stretches of time, these do not. */
	int (*impact_referrals)(struct store *s, int64_t authority_id, struct impact_figures *f);
	/* Counted minutes by topic credited on London days [from_day, to_day) in one
	 * authority (0: all), every topic, by name. */
	int (*impact_topics)(struct store *s, struct pool *p, int64_t authority_id,
			     int64_t from_day, int64_t to_day, struct impact_topic **rows,
			     size_t *count);
};

struct store {
	const struct store_ops *ops;
};

#endif
