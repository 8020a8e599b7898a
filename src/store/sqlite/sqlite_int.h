/* sqlite_int: what the SQLite backend's files share. Each file keeps its own SQL as named
 * prepared statements in a range of the connection's statement slots. */
#ifndef CAIRN_SQLITE_INT_H
#define CAIRN_SQLITE_INT_H
#include <sqlite3.h>

#include "store/store.h"

#define SQLITE_SLOTS_PER_FILE 64
#define SQLITE_SLOTS_CORE 0                         /* sqlite_store.c */
#define SQLITE_SLOTS_SESSIONS SQLITE_SLOTS_PER_FILE /* sqlite_sessions.c */
#define SQLITE_SLOTS_REPORTS (2 * SQLITE_SLOTS_PER_FILE)   /* sqlite_reports.c */
#define SQLITE_SLOTS_IMPACT (3 * SQLITE_SLOTS_PER_FILE)    /* sqlite_impact.c */
#define SQLITE_SLOTS_DIRECTORY (4 * SQLITE_SLOTS_PER_FILE) /* sqlite_directory.c */
#define SQLITE_SLOTS_ORUK (5 * SQLITE_SLOTS_PER_FILE)      /* sqlite_oruk.c */
#define SQLITE_SLOTS (6 * SQLITE_SLOTS_PER_FILE)

struct sqlite_store {
	struct store base;
	sqlite3 *db;
	sqlite3_stmt *prepared[SQLITE_SLOTS];
	/* read_begin's depth, and whether its transaction (a snapshot, no write yet) is open:
	 * a write ends it first (see sqlite_read_release). */
	int reading, snapshot;
};

static inline struct sqlite_store *sqlite_impl(struct store *s)
{
	return (struct sqlite_store *)(void *)s;
}

/* Ends read_begin's transaction early, before a write: a write must not upgrade a
 * snapshot (were another connection to have written since, SQLite would refuse it with
 * SQLITE_BUSY_SNAPSHOT). The reads after it see the latest data, each on its own. */
void sqlite_read_release(struct store *s);
/* The statement in that slot, prepared from sql on first use, reset and unbound; a writing
 * statement first ends a read snapshot (sqlite_read_release). */
sqlite3_stmt *sqlite_stmt(struct store *s, int slot, const char *sql);
void sqlite_bind_text(sqlite3_stmt *st, int i, const char *v); /* NULL binds NULL */
void sqlite_bind_id(sqlite3_stmt *st, int i, int64_t v);       /* 0 binds NULL */
/* A column's text copied into the pool, or NULL. */
const char *sqlite_col_text(sqlite3_stmt *st, int i, struct pool *p);
/* Steps once and resets; -1 (logged) on an error. */
int sqlite_step_done(struct store *s, sqlite3_stmt *st);
int sqlite_exec(struct store *s, const char *sql);
/* Every write transaction of the process, on any connection: BEGIN IMMEDIATE under one
 * process-wide mutex (sqlite_store.c says why), then COMMIT (on failure it rolls back; both
 * release the mutex) or ROLLBACK (returns rc). Autocommit writes through sqlite_step_done
 * take the mutex too. */
int sqlite_write_begin(struct store *s);
int sqlite_write_commit(struct store *s);
int sqlite_write_rollback(struct store *s, int rc);
/* The first column of the one row a count query returns. */
int sqlite_count(struct store *s, sqlite3_stmt *st, int64_t *out);
int sqlite_insert_outbox(struct store *s, const struct outbox_message *m, int64_t now);

/* store_ops.demo_load, in sqlite_demo.c. */
int sqlite_demo_load(struct store *s, struct store_demo *d, struct err *e);

/* The operations of sqlite_sessions.c, for the table in sqlite_store.c. */
int sqlite_welcome_tasks(struct store *s, struct pool *p, struct welcome_task **rows,
                         size_t *count);
int sqlite_welcome_task_get(struct store *s, struct pool *p, int64_t task_id,
                            struct welcome_task *out);
int sqlite_welcome_call_add(struct store *s, int64_t task_id, int64_t coordinator_id,
                            const char *outcome, const char *notes, int64_t now);
int sqlite_sign_in_link_add(struct store *s, const char *digest, int64_t user_id,
                            int64_t expires_at, const struct outbox_message *m, int64_t now);
int sqlite_sign_in_link_use(struct store *s, const char *digest, int64_t now, int64_t *user_id);
int sqlite_user_by_id(struct store *s, struct pool *p, int64_t id, struct user *u);
int sqlite_user_sign_in_by_link(struct store *s, int64_t id, int *by_link);
int sqlite_topics_list(struct store *s, struct pool *p, struct topic **rows, size_t *count);
int sqlite_topic_add(struct store *s, const char *name, const char *description, struct err *e);
int sqlite_facilitators_list(struct store *s, struct pool *p, struct user **rows, size_t *count);
int sqlite_sessions_add(struct store *s, const struct group_session *rows, size_t count,
                        int64_t now, struct err *e);
int sqlite_sessions_between(struct store *s, struct pool *p, int64_t from, int64_t to,
                            int64_t topic_id, int64_t client_id, int limit,
                            struct group_session **rows, size_t *count);
int sqlite_sessions_for_facilitator(struct store *s, struct pool *p, int64_t facilitator_id,
                                    int64_t from, int limit, struct group_session **rows,
                                    size_t *count);
int sqlite_session_get(struct store *s, struct pool *p, int64_t id, int64_t client_id,
                       struct group_session *out);
int sqlite_session_starts_between(struct store *s, struct pool *p, int64_t from, int64_t to,
                                  int64_t topic_id, int limit, struct session_start **rows,
                                  size_t *count);
int sqlite_booking_add(struct store *s, int64_t session_id, int64_t client_id, int64_t now,
                       const struct outbox_message *m, int64_t *booking_id, int *refusal);
int sqlite_booking_cancel(struct store *s, int64_t booking_id, int64_t client_id, int64_t now,
                          const struct outbox_message *m);
int sqlite_booking_get(struct store *s, struct pool *p, int64_t booking_id,
                       struct booking_row *out);
int sqlite_bookings_for_client(struct store *s, struct pool *p, int64_t client_id, int upcoming,
                               int64_t now, int limit, struct booking_row **rows, size_t *count);
int sqlite_register_rows(struct store *s, struct pool *p, int64_t session_id,
                         struct register_row **rows, size_t *count);
int sqlite_register_save(struct store *s, int64_t session_id, int64_t recorded_by,
                         const struct register_item *items, size_t count, int64_t now,
                         int *results);
int sqlite_order_hours(struct store *s, int64_t order_id, int *counted, int *not_counted);
int sqlite_client_timeline(struct store *s, struct pool *p, int64_t client_id,
                           struct timeline_event **rows, size_t *count);
int sqlite_reminders_due(struct store *s, struct pool *p, int64_t now, int limit,
                         struct reminder_due **rows, size_t *count);
int sqlite_reminder_queue(struct store *s, int64_t booking_id, const struct outbox_message *m,
                          int64_t now);
int sqlite_orders_ending_soon(struct store *s, struct pool *p, const char *from, const char *by,
                              int limit, struct order_due **rows, size_t *count);
int sqlite_order_alert_queue(struct store *s, int64_t order_id, const char *kind,
                             const struct outbox_message *m, int64_t now, int *queued);

/* The operations of sqlite_reports.c. */
int sqlite_weekly_report(struct store *s, struct pool *p, const struct weekly_query *q,
			 struct weekly_line **rows, size_t *count);
int sqlite_weekly_report_due(struct store *s, struct pool *p, const struct weekly_query *q,
			     int limit, struct user **rows, size_t *count);
int sqlite_weekly_report_queue(struct store *s, int64_t case_worker_id, const char *week,
			       const struct outbox_message *m, int64_t now, int *queued);
int sqlite_audit_add_many(struct store *s, int64_t user_id, const char *action,
			  const char *subject_type, const int64_t *subject_ids, size_t count,
			  const char *address, int64_t now);
/* The operations of sqlite_oruk.c (the Open Referral UK API and importer). */
int sqlite_oruk_services(struct store *s, struct pool *p, const struct oruk_query *q,
                         struct oruk_service **rows, size_t *count, int64_t *total);
int sqlite_oruk_service_get(struct store *s, struct pool *p, const char *id,
                            struct oruk_service *out);
int sqlite_oruk_service_at_locations(struct store *s, struct pool *p, const struct oruk_query *q,
                                     struct oruk_service_at_location **rows, size_t *count,
                                     int64_t *total);
int sqlite_oruk_organizations(struct store *s, struct pool *p, int per_page, int64_t page,
                              struct oruk_organization **rows, size_t *count, int64_t *total);
int sqlite_oruk_organization_get(struct store *s, struct pool *p, const char *id,
                                 struct oruk_organization *out);
int sqlite_oruk_taxonomies(struct store *s, struct pool *p, int per_page, int64_t page,
                           struct oruk_taxonomy **rows, size_t *count, int64_t *total);
int sqlite_oruk_terms(struct store *s, struct pool *p, const char *taxonomy_id, int per_page,
                      int64_t page, struct oruk_term **rows, size_t *count, int64_t *total);
int sqlite_oruk_exists(struct store *s, enum oruk_kind kind, const char *id);
int sqlite_oruk_import(struct store *s, const struct oruk_feed *feed, const char *const *digests,
                       int approved, int64_t now, struct oruk_import_result *result,
                       struct err *e);
/* The operations of sqlite_directory.c, for the table in sqlite_store.c. */
void sqlite_directory_functions(sqlite3 *db); /* cairn_distance(), on every connection */
int sqlite_directory_terms(struct store *s, struct pool *p, const char *use, struct directory_term **rows, size_t *count);
int sqlite_directory_term_get(struct store *s, struct pool *p, const char *id, struct directory_term *out);
int sqlite_postcode_find(struct store *s, const char *postcode, double *latitude, double *longitude);
int sqlite_postcodes_begin(struct store *s);
int sqlite_postcode_put(struct store *s, const char *postcode, double latitude, double longitude);
int sqlite_postcodes_end(struct store *s, int commit);
int sqlite_directory_search(struct store *s, struct pool *p, const struct directory_query *q, struct directory_result **rows, size_t *count, int64_t *total);
int sqlite_directory_service_get(struct store *s, struct pool *p, const char *id, struct directory_service *out);
int sqlite_directory_services_of(struct store *s, struct pool *p, const char *organization_id, struct directory_service **rows, size_t *count);
int sqlite_directory_pending(struct store *s, struct pool *p, struct directory_service **services, size_t *nservices, struct directory_placement **placements, size_t *nplacements);
int sqlite_directory_load(struct store *s, const struct directory_listing *rows, size_t count, directory_new_id new_id, int64_t now, struct err *e);
int sqlite_directory_service_save(struct store *s, const struct directory_service *v, directory_new_id new_id, int64_t now, const char **id, struct pool *p);
int sqlite_directory_placement_save(struct store *s, const struct directory_placement *pl, directory_new_id new_id, int64_t now);
int sqlite_directory_moderate(struct store *s, const char *kind, const char *id, const char *moderation, int64_t by, int64_t now);
int sqlite_client_postcode(struct store *s, struct pool *p, int64_t client_id, const char **postcode);
int sqlite_client_postcode_set(struct store *s, int64_t client_id, const char *postcode);
int sqlite_directory_referral_create(struct store *s, const struct directory_referral_new *r, int64_t *id, int *result);
int sqlite_directory_referral_get(struct store *s, struct pool *p, int64_t id, struct directory_referral *out);
int sqlite_directory_referrals_of_organization(struct store *s, struct pool *p, const char *organization_id, int limit, int offset, struct directory_referral **rows, size_t *count);
int sqlite_directory_referrals_of_client(struct store *s, struct pool *p, int64_t client_id, struct directory_referral **rows, size_t *count);
int sqlite_directory_referral_answer(struct store *s, int64_t id, const char *organization_id, int accept, const char *reason, int64_t by, int64_t now, const struct outbox_message *m, int *result);
int sqlite_directory_referral_complete(struct store *s, int64_t id, const char *organization_id, int minutes, int64_t by, int64_t now, const struct outbox_message *m, int *result);
#define SQLITE_DIRECTORY_OPS \
	.directory_terms = sqlite_directory_terms, \
	.directory_term_get = sqlite_directory_term_get, \
	.postcode_find = sqlite_postcode_find, \
	.postcodes_begin = sqlite_postcodes_begin, \
	.postcode_put = sqlite_postcode_put, \
	.postcodes_end = sqlite_postcodes_end, \
	.directory_search = sqlite_directory_search, \
	.directory_service_get = sqlite_directory_service_get, \
	.directory_services_of = sqlite_directory_services_of, \
	.directory_pending = sqlite_directory_pending, \
	.directory_load = sqlite_directory_load, \
	.directory_service_save = sqlite_directory_service_save, \
	.directory_placement_save = sqlite_directory_placement_save, \
	.directory_moderate = sqlite_directory_moderate, \
	.client_postcode = sqlite_client_postcode, \
	.client_postcode_set = sqlite_client_postcode_set, \
	.directory_referral_create = sqlite_directory_referral_create, \
	.directory_referral_get = sqlite_directory_referral_get, \
	.directory_referrals_of_organization = sqlite_directory_referrals_of_organization, \
	.directory_referrals_of_client = sqlite_directory_referrals_of_client, \
	.directory_referral_answer = sqlite_directory_referral_answer, \
	.directory_referral_complete = sqlite_directory_referral_complete,
/* The operations of sqlite_impact.c (feedback and the impact dashboard). */
int sqlite_feedback_pending(struct store *s, struct pool *p, int64_t client_id, int limit,
                            struct booking_row **rows, size_t *count);
int sqlite_feedback_get(struct store *s, struct pool *p, int64_t booking_id,
                        struct feedback_answer *out);
int sqlite_feedback_add(struct store *s, int64_t client_id, const struct feedback_answer *a,
                        int64_t now, int *result);
int sqlite_feedback_requests_due(struct store *s, struct pool *p, int64_t since, int64_t now,
                                 int limit, struct feedback_due **rows, size_t *count);
int sqlite_feedback_request_queue(struct store *s, int64_t booking_id,
                                  const struct outbox_message *m, int64_t now, int *queued);
int sqlite_authorities_list(struct store *s, struct pool *p, struct authority **rows,
                            size_t *count);
int sqlite_impact_figures(struct store *s, int64_t authority_id, struct impact_figures *f);
int sqlite_impact_referrals(struct store *s, int64_t authority_id, struct impact_figures *f);
int sqlite_impact_topics(struct store *s, struct pool *p, int64_t authority_id,
                         int64_t from_day, int64_t to_day, struct impact_topic **rows,
                         size_t *count);
/* The national demo's feedback, inside demo_load's transaction: answers for a share of
 * the sessions attended before now, and their requests marked as sent. */
int sqlite_impact_demo_feedback(struct store *s, int64_t now, struct err *e);

#endif
