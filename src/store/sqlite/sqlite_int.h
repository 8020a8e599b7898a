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
};

static inline struct sqlite_store *sqlite_impl(struct store *s)
{
	return (struct sqlite_store *)(void *)s;
}

/* The statement in that slot, prepared from sql on first use, reset and unbound. */
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

#endif
