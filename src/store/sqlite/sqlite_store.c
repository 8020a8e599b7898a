/* The SQLite backend: all of its SQL is in stmts[] below, as named prepared statements
 * with placeholders. Nothing here builds SQL from input. */
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_int.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/embed.h"
#include "core/log.h"
#include "core/mem.h"

enum stmt_id {
	S_SETTING_GET,
	S_SETTING_PUT,
	S_AUTHORITY_BY_NAME,
	S_AUTHORITY_BY_ID,
	S_USER_INSERT,
	S_USER_BY_EMAIL,
	S_USER_COUNT,
	S_SESSION_INSERT,
	S_SESSION_USER,
	S_SESSION_TOUCH,
	S_SESSION_DELETE,
	S_FAILURE_ADD,
	S_FAILURES_EMAIL,
	S_FAILURES_ADDRESS,
	S_FAILURES_CLEAR,
	S_REFERRAL_BY_FORM_TOKEN,
	S_CLIENT_INSERT,
	S_ORDER_INSERT,
	S_REFERRAL_INSERT,
	S_TASK_INSERT,
	S_INVITATION_INSERT,
	S_OUTBOX_INSERT,
	S_REFERRAL_BY_REFERENCE,
	S_REFERRALS_BY_CASE_WORKER,
	S_CLIENT_GET,
	S_AUDIT_ADD,
	S_OUTBOX_DUE,
	S_OUTBOX_SENT,
	S_OUTBOX_FAILED,
	S_OUTBOX_LIST,
	S_OUTBOX_GET,
	S_OUTBOX_PENDING,
	S_INVITATION_CLIENT,
	S_INVITATION_USE,
	S_CLIENT_ACCOUNT_INSERT,
	S_BEGIN, /* transaction control, S_BEGIN to S_ROLLBACK: run by sqlite_exec */
	S_BEGIN_IMMEDIATE,
	S_COMMIT,
	S_ROLLBACK,
	S_COUNT
};

#define REFERRAL_COLUMNS                                                                      \
	"r.id, r.reference, r.status, r.created_at, c.id, c.first_name, c.last_name, "        \
	"r.case_reference, o.reference, o.court_reference, o.activity_minutes, o.complete_by, " \
	"r.case_worker_id, r.authority_id "
#define REFERRAL_FROM                                                                          \
	"FROM referral r JOIN client c ON c.id = r.client_id JOIN court_order o ON o.id = r.order_id "
#define OUTBOX_COLUMNS                                                                        \
	"id, kind, recipient, subject, body, created_at, attempts, next_attempt_at, "         \
	"coalesce(sent_at, 0), last_error, attachment_name, attachment_type, attachment "

static const char *const stmts[S_COUNT] = {
	[S_SETTING_GET] = "SELECT value FROM setting WHERE key = ?1",
	[S_SETTING_PUT] = "INSERT INTO setting(key, value) VALUES (?1, ?2) "
			  "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[S_AUTHORITY_BY_NAME] =
		"SELECT id, name, coalesce(other_activity_cap_percent, "
		"(SELECT CAST(value AS INTEGER) FROM setting WHERE key = 'other_activity_cap_percent'), 30) "
		"FROM local_authority WHERE name = ?1 COLLATE NOCASE",
	[S_AUTHORITY_BY_ID] =
		"SELECT id, name, coalesce(other_activity_cap_percent, "
		"(SELECT CAST(value AS INTEGER) FROM setting WHERE key = 'other_activity_cap_percent'), 30) "
		"FROM local_authority WHERE id = ?1",
	[S_USER_INSERT] = "INSERT INTO user(email, name, role, authority_id, client_id, "
			  "password_hash, created_at, organization_id) "
			  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[S_USER_BY_EMAIL] = "SELECT u.id, u.email, u.name, u.role, coalesce(u.authority_id, 0), "
			    "a.name, coalesce(u.client_id, 0), u.password_hash "
			    "FROM user u LEFT JOIN local_authority a ON a.id = u.authority_id "
			    "WHERE u.email = ?1",
	[S_USER_COUNT] = "SELECT count(*) FROM user",
	[S_SESSION_INSERT] = "INSERT INTO session(token_digest, user_id, created_at, last_seen_at) "
			     "VALUES (?1, ?2, ?3, ?3)",
	[S_SESSION_USER] = "SELECT u.id, u.email, u.name, u.role, coalesce(u.authority_id, 0), "
			   "coalesce(a.name, (SELECT g.name FROM organization g WHERE g.id = u.organization_id)), "
			   "coalesce(u.client_id, 0), '', s.last_seen_at, u.organization_id "
			   "FROM session s JOIN user u ON u.id = s.user_id "
			   "LEFT JOIN local_authority a ON a.id = u.authority_id "
			   "WHERE s.token_digest = ?1 AND s.last_seen_at > ?2 AND s.created_at > ?3",
	/* Touching at most once a minute keeps most page views free of writes. */
	[S_SESSION_TOUCH] = "UPDATE session SET last_seen_at = ?2 WHERE token_digest = ?1",
	[S_SESSION_DELETE] = "DELETE FROM session WHERE token_digest = ?1",
	[S_FAILURE_ADD] = "INSERT INTO sign_in_failure(email, address, at) VALUES (?1, ?2, ?3)",
	[S_FAILURES_EMAIL] = "SELECT count(*) FROM sign_in_failure WHERE email = ?1 AND at > ?2",
	[S_FAILURES_ADDRESS] = "SELECT count(*) FROM sign_in_failure WHERE address = ?1 AND at > ?2",
	[S_FAILURES_CLEAR] = "DELETE FROM sign_in_failure WHERE email = ?1",
	/* Per case worker: a token seen from someone else is not their double click. */
	[S_REFERRAL_BY_FORM_TOKEN] = "SELECT reference FROM referral WHERE form_token = ?1 AND "
				     "case_worker_id = ?2",
	[S_CLIENT_INSERT] = "INSERT INTO client(authority_id, first_name, last_name, date_of_birth, "
			    "email, mobile, access_needs, group_notes, created_at) "
			    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[S_ORDER_INSERT] = "INSERT INTO court_order(client_id, reference, court_reference, imposed_on, "
			   "unpaid_hours, activity_minutes, complete_by, created_at) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[S_REFERRAL_INSERT] = "INSERT INTO referral(reference, client_id, order_id, case_worker_id, "
			      "authority_id, case_reference, form_token, created_at) "
			      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[S_TASK_INSERT] = "INSERT INTO task(kind, referral_id, created_at) VALUES ('welcome_call', ?1, ?2)",
	[S_INVITATION_INSERT] = "INSERT INTO invitation(token_digest, client_id, created_at, expires_at) "
				"VALUES (?1, ?2, ?3, ?4)",
	[S_OUTBOX_INSERT] = "INSERT INTO outbox(kind, recipient, subject, body, created_at, "
			    "next_attempt_at, attachment_name, attachment_type, attachment) "
			    "VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?8)",
	[S_REFERRAL_BY_REFERENCE] = "SELECT " REFERRAL_COLUMNS REFERRAL_FROM "WHERE r.reference = ?1",
	/* Every referral column from the index referral_case_worker_list (migration 011), in
	 * its order; one lookup a row, the client's name. */
	[S_REFERRALS_BY_CASE_WORKER] = "SELECT r.client_id, r.created_at, c.first_name, "
				       "c.last_name, r.reference, r.case_reference, r.status "
				       "FROM referral r JOIN client c ON c.id = r.client_id "
				       "WHERE r.case_worker_id = ?1 "
				       "ORDER BY r.created_at DESC, r.id DESC LIMIT ?2 OFFSET ?3",
	[S_CLIENT_GET] = "SELECT c.id, c.authority_id, a.name, c.first_name, c.last_name, "
			 "c.date_of_birth, c.email, c.mobile, c.access_needs, c.group_notes, c.created_at, "
			 "EXISTS (SELECT 1 FROM user cu WHERE cu.client_id = c.id AND "
			 "(cu.password_hash <> '' OR cu.sign_in_by_link)), "
			 "r.id, r.reference, r.status, r.created_at, r.case_reference, o.reference, "
			 "o.court_reference, o.activity_minutes, o.complete_by, r.case_worker_id, "
			 "o.imposed_on, o.unpaid_hours, w.name, o.id "
			 "FROM client c JOIN local_authority a ON a.id = c.authority_id "
			 "JOIN referral r ON r.client_id = c.id JOIN court_order o ON o.id = r.order_id "
			 "JOIN user w ON w.id = r.case_worker_id "
			 "WHERE c.id = ?1 ORDER BY r.created_at DESC, r.id DESC LIMIT 1",
	[S_AUDIT_ADD] = "INSERT INTO audit(at, user_id, action, subject_type, subject_id, address) "
			"VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[S_OUTBOX_DUE] = "SELECT " OUTBOX_COLUMNS "FROM outbox WHERE sent_at IS NULL AND "
			 "next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?2",
	[S_OUTBOX_SENT] = "UPDATE outbox SET sent_at = ?2, attempts = attempts + 1, last_error = NULL "
			  "WHERE id = ?1",
	[S_OUTBOX_FAILED] = "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, "
			    "last_error = ?3 WHERE id = ?1",
	[S_OUTBOX_LIST] = "SELECT " OUTBOX_COLUMNS "FROM outbox ORDER BY id DESC LIMIT ?1 OFFSET ?2",
	[S_OUTBOX_GET] = "SELECT " OUTBOX_COLUMNS "FROM outbox WHERE id = ?1",
	[S_OUTBOX_PENDING] = "SELECT count(*) FROM outbox WHERE sent_at IS NULL",
	[S_INVITATION_CLIENT] = "SELECT client_id FROM invitation WHERE token_digest = ?1 "
				"AND used_at IS NULL AND expires_at > ?2",
	[S_INVITATION_USE] = "UPDATE invitation SET used_at = ?2 WHERE token_digest = ?1 "
			     "AND used_at IS NULL AND expires_at > ?2 RETURNING client_id",
	[S_CLIENT_ACCOUNT_INSERT] =
		"INSERT INTO user(email, name, role, client_id, password_hash, sign_in_by_link, created_at) "
		"SELECT coalesce(c.email, 'client-' || c.id || '@clients.invalid'), "
		"c.first_name || ' ' || c.last_name, 'client', c.id, coalesce(?2, ''), ?2 IS NULL, ?3 "
		"FROM client c WHERE c.id = ?1 "
		"ON CONFLICT(client_id) DO UPDATE SET password_hash = excluded.password_hash, "
		"sign_in_by_link = excluded.sign_in_by_link",
	[S_BEGIN] = "BEGIN",
	[S_BEGIN_IMMEDIATE] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
};

static sqlite3_stmt *stmt(struct store *s, enum stmt_id id)
{
	return sqlite_stmt(s, SQLITE_SLOTS_CORE + (int)id, stmts[id]);
}

#define bind_text sqlite_bind_text
#define bind_id sqlite_bind_id
#define col_text sqlite_col_text
#define step_done sqlite_step_done
#define exec sqlite_exec
#define count_query sqlite_count

static struct sqlite_store *impl(struct store *s)
{
	return sqlite_impl(s);
}

_Static_assert(S_COUNT <= SQLITE_SLOTS_PER_FILE, "too many statements for the slots");

/* ---- write transactions ------------------------------------------------------------
 * SQLite lets one writer in at a time, and a writer that finds the lock taken sleeps in
 * SQLite's busy handler, in steps that grow to 25-100 ms: under a load of writes a request
 * keeps missing its turn (a p99 over a second in make bench). So every write transaction
 * of this process first queues on one mutex, held from BEGIN IMMEDIATE to COMMIT or
 * ROLLBACK: the next writer starts the moment the last one ends, and nobody sleeps.
 * sqlite3_busy_timeout still covers other processes (the CLI next to a running server).
 * Nothing that holds this mutex waits for anything but SQLite. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

int sqlite_write_begin(struct store *s)
{
	sqlite_read_release(s);
	pthread_mutex_lock(&write_lock);
	if (sqlite_exec(s, "BEGIN IMMEDIATE") != 0) {
		pthread_mutex_unlock(&write_lock);
		return -1;
	}
	return 0;
}

int sqlite_write_commit(struct store *s)
{
	int rc = sqlite_exec(s, "COMMIT");
	if (rc != 0)
		sqlite_exec(s, "ROLLBACK");
	pthread_mutex_unlock(&write_lock);
	return rc;
}

int sqlite_write_rollback(struct store *s, int rc)
{
	sqlite_exec(s, "ROLLBACK");
	pthread_mutex_unlock(&write_lock);
	return rc;
}

sqlite3_stmt *sqlite_stmt(struct store *s, int slot, const char *sql)
{
	struct sqlite_store *q = sqlite_impl(s);
	if (q->prepared[slot] == NULL) {
		if (sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &q->prepared[slot],
				       NULL) != SQLITE_OK) {
			/* The SQL is ours: failing to prepare it is a bug, found by the tests. */
			log_error("sqlite: cannot prepare statement %d: %s", slot,
				  sqlite3_errmsg(q->db));
			abort();
		}
	}
	sqlite3_stmt *st = q->prepared[slot];
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (q->snapshot && !sqlite3_stmt_readonly(st))
		sqlite_read_release(s);
	return st;
}

void sqlite_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

void sqlite_bind_id(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

const char *sqlite_col_text(sqlite3_stmt *st, int i, struct pool *p)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	if (t == NULL)
		return NULL;
	return pool_strndup(p, (const char *)t, (size_t)sqlite3_column_bytes(st, i));
}

int sqlite_step_done(struct store *s, sqlite3_stmt *st)
{
	/* A write outside a transaction is a write transaction of its own: it queues on the
	 * write lock like the others (see below). */
	int lock = !sqlite3_stmt_readonly(st) && sqlite3_get_autocommit(sqlite_impl(s)->db);
	if (lock)
		pthread_mutex_lock(&write_lock);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (lock)
		pthread_mutex_unlock(&write_lock);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		log_error("sqlite: %s", sqlite3_errmsg(sqlite_impl(s)->db));
		return -1;
	}
	return 0;
}

int sqlite_exec(struct store *s, const char *sql)
{
	/* Transaction control runs twice a page and twice a write: prepared once rather than
	 * parsed every time (sqlite3_exec's parse was 2% of My referrals, perf). */
	for (enum stmt_id id = S_BEGIN; id <= S_ROLLBACK; id++) {
		if (strcmp(sql, stmts[id]) != 0)
			continue;
		sqlite3_stmt *st = stmt(s, id);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return 0;
		log_error("sqlite: %s: %s", sql, sqlite3_errmsg(sqlite_impl(s)->db));
		return -1;
	}
	char *msg = NULL;
	if (sqlite3_exec(sqlite_impl(s)->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_error("sqlite: %s: %s", sql, msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int sqlite_count(struct store *s, sqlite3_stmt *st, int64_t *out)
{
	int rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : (log_error("sqlite: %s", sqlite3_errmsg(sqlite_impl(s)->db)), -1);
}

/* ---- connection and migrations ------------------------------------------------ */

static void sq_close(struct store *s)
{
	if (s == NULL)
		return;
	struct sqlite_store *q = impl(s);
	for (int i = 0; i < SQLITE_SLOTS; i++)
		sqlite3_finalize(q->prepared[i]);
	sqlite3_close(q->db);
	free(q);
}

static int cmp_names(const void *a, const void *b)
{
	const struct embed_file *const *x = a, *const *y = b;
	return strcmp((*x)->name, (*y)->name);
}

static int sq_migrate(struct store *s, int *applied, struct err *e)
{
	sqlite3 *db = impl(s)->db;
	*applied = 0;
	if (exec(s, "CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, "
		    "name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT") != 0)
		return err_set(e, "cannot create the migrations table: %s", sqlite3_errmsg(db));
	const struct embed_file *files[256];
	size_t n = 0;
	for (size_t i = 0; i < embed_count && n < 256; i++)
		if (strncmp(embed_files[i].name, "migrations/", 11) == 0)
			files[n++] = &embed_files[i];
	qsort(files, n, sizeof(files[0]), cmp_names);
	for (size_t i = 0; i < n; i++) {
		const char *name = files[i]->name + 11;
		int version = atoi(name);
		if (version <= 0)
			return err_set(e, "migration %s has no number", name);
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, "SELECT 1 FROM schema_migration WHERE version = ?1", -1,
				       &st, NULL) != SQLITE_OK)
			return err_set(e, "%s", sqlite3_errmsg(db));
		sqlite3_bind_int(st, 1, version);
		int done = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
		if (done)
			continue;
		char *sql = mem_strndup((const char *)files[i]->data, files[i]->len);
		char *msg = NULL;
		int began = sqlite_write_begin(s) == 0;
		int rc = began ? 0 : -1;
		if (rc == 0 && sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
			rc = -1;
		free(sql);
		if (rc == 0) {
			sqlite3_prepare_v2(db, "INSERT INTO schema_migration(version, name, applied_at) "
					       "VALUES (?1, ?2, unixepoch())", -1, &st, NULL);
			sqlite3_bind_int(st, 1, version);
			sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
			rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
			sqlite3_finalize(st);
		}
		if (rc != 0)
			err_set(e, "migration %s failed: %s", name, msg ? msg : sqlite3_errmsg(db));
		if (rc == 0 && sqlite_write_commit(s) != 0) {
			rc = -1;
			err_set(e, "migration %s failed: cannot commit", name);
		} else if (rc != 0 && began) {
			sqlite_write_rollback(s, -1);
		}
		sqlite3_free(msg);
		if (rc != 0)
			return -1;
		(*applied)++;
	}
	return 0;
}

/* Nested: a page's handler may begin its own inside the request's (app_dispatch). */
static int sq_read_begin(struct store *s)
{
	struct sqlite_store *q = impl(s);
	if (q->reading++ > 0 || !sqlite3_get_autocommit(q->db))
		return 0;
	if (exec(s, "BEGIN") != 0) {
		q->reading--;
		return -1;
	}
	q->snapshot = 1;
	return 0;
}

void sqlite_read_release(struct store *s)
{
	struct sqlite_store *q = impl(s);
	if (!q->snapshot)
		return;
	q->snapshot = 0;
	if (exec(s, "COMMIT") == 0)
		return;
	/* A statement still stepping holds the transaction open: reset them all, or this
	 * thread's next request would read an old snapshot. */
	for (sqlite3_stmt *st = sqlite3_next_stmt(q->db, NULL); st; st = sqlite3_next_stmt(q->db, st))
		sqlite3_reset(st);
	if (exec(s, "COMMIT") != 0)
		exec(s, "ROLLBACK");
}

static void sq_read_end(struct store *s)
{
	struct sqlite_store *q = impl(s);
	if (q->reading > 0 && --q->reading > 0)
		return;
	sqlite_read_release(s);
}

/* ---- settings, authorities, users ------------------------------------------------ */

static int sq_setting_get(struct store *s, struct pool *p, const char *key, const char **value)
{
	sqlite3_stmt *st = stmt(s, S_SETTING_GET);
	bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	*value = rc == SQLITE_ROW ? col_text(st, 0, p) : NULL;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOT_FOUND : -1;
}

static int sq_setting_put(struct store *s, const char *key, const char *value, struct err *e)
{
	sqlite3_stmt *st = stmt(s, S_SETTING_PUT);
	bind_text(st, 1, key);
	bind_text(st, 2, value);
	if (step_done(s, st) != 0)
		return err_set(e, "cannot save setting %s", key);
	return 0;
}

static int read_authority(sqlite3_stmt *st, struct pool *p, struct authority *out)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->name = col_text(st, 1, p);
		out->cap_percent = sqlite3_column_int(st, 2);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOT_FOUND : -1;
}

static int sq_authority_by_name(struct store *s, struct pool *p, const char *name,
				struct authority *out)
{
	sqlite3_stmt *st = stmt(s, S_AUTHORITY_BY_NAME);
	bind_text(st, 1, name);
	return read_authority(st, p, out);
}

static int sq_authority_by_id(struct store *s, struct pool *p, int64_t id, struct authority *out)
{
	sqlite3_stmt *st = stmt(s, S_AUTHORITY_BY_ID);
	sqlite3_bind_int64(st, 1, id);
	return read_authority(st, p, out);
}

static int sq_user_insert(struct store *s, const struct user *u, int64_t now, int64_t *id,
			  struct err *e)
{
	sqlite3_stmt *st = stmt(s, S_USER_INSERT);
	bind_text(st, 1, u->email);
	bind_text(st, 2, u->name);
	bind_text(st, 3, role_name(u->role));
	bind_id(st, 4, u->authority_id);
	bind_id(st, 5, u->client_id);
	bind_text(st, 6, u->password_hash ? u->password_hash : "");
	sqlite3_bind_int64(st, 7, now);
	bind_text(st, 8, u->organization_id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT && u->organization_id &&
	    sqlite3_extended_errcode(impl(s)->db) == SQLITE_CONSTRAINT_FOREIGNKEY)
		return err_set(e, "there is no organisation %s in the directory", u->organization_id);
	if (rc == SQLITE_CONSTRAINT)
		return err_set(e, "there is already a user with the email address %s", u->email);
	if (rc != SQLITE_DONE)
		return err_set(e, "cannot add the user: %s", sqlite3_errmsg(impl(s)->db));
	*id = sqlite3_last_insert_rowid(impl(s)->db);
	return 0;
}

static void read_user(sqlite3_stmt *st, struct pool *p, struct user *u)
{
	u->id = sqlite3_column_int64(st, 0);
	u->email = col_text(st, 1, p);
	u->name = col_text(st, 2, p);
	u->role = role_parse((const char *)sqlite3_column_text(st, 3));
	u->authority_id = sqlite3_column_int64(st, 4);
	u->authority_name = col_text(st, 5, p);
	u->client_id = sqlite3_column_int64(st, 6);
	u->password_hash = col_text(st, 7, p);
	u->organization_id = NULL;
}

static int sq_user_by_email(struct store *s, struct pool *p, const char *email, struct user *out)
{
	sqlite3_stmt *st = stmt(s, S_USER_BY_EMAIL);
	bind_text(st, 1, email);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_user(st, p, out);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOT_FOUND : -1;
}

static int sq_user_count(struct store *s, int64_t *count)
{
	return count_query(s, stmt(s, S_USER_COUNT), count);
}

/* ---- sessions and sign-in throttling --------------------------------------------- */

static int sq_session_insert(struct store *s, const char *digest, int64_t user_id, int64_t now)
{
	sqlite3_stmt *st = stmt(s, S_SESSION_INSERT);
	bind_text(st, 1, digest);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int64(st, 3, now);
	return step_done(s, st);
}

static int sq_session_user(struct store *s, struct pool *p, const char *digest, int64_t now,
			   int64_t idle_since, int64_t created_since, struct user *out)
{
	sqlite3_stmt *st = stmt(s, S_SESSION_USER);
	bind_text(st, 1, digest);
	sqlite3_bind_int64(st, 2, idle_since);
	sqlite3_bind_int64(st, 3, created_since);
	int rc = sqlite3_step(st);
	int64_t last_seen = 0;
	if (rc == SQLITE_ROW) {
		read_user(st, p, out);
		last_seen = sqlite3_column_int64(st, 8);
		out->organization_id = col_text(st, 9, p);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? STORE_NOT_FOUND : -1;
	if (now - last_seen >= 60) {
		sqlite3_stmt *t = stmt(s, S_SESSION_TOUCH);
		bind_text(t, 1, digest);
		sqlite3_bind_int64(t, 2, now);
		step_done(s, t); /* a missed touch only shortens the session: not an error */
	}
	return 0;
}

static int sq_session_delete(struct store *s, const char *digest)
{
	sqlite3_stmt *st = stmt(s, S_SESSION_DELETE);
	bind_text(st, 1, digest);
	return step_done(s, st);
}

static int sq_sign_in_failure_add(struct store *s, const char *email, const char *address,
				  int64_t now)
{
	sqlite3_stmt *st = stmt(s, S_FAILURE_ADD);
	bind_text(st, 1, email);
	bind_text(st, 2, address);
	sqlite3_bind_int64(st, 3, now);
	return step_done(s, st);
}

static int sq_sign_in_failures(struct store *s, const char *email, const char *address,
			       int64_t since, int *by_email, int *by_address)
{
	int64_t n;
	sqlite3_stmt *st = stmt(s, S_FAILURES_EMAIL);
	bind_text(st, 1, email);
	sqlite3_bind_int64(st, 2, since);
	if (count_query(s, st, &n) != 0)
		return -1;
	*by_email = (int)n;
	st = stmt(s, S_FAILURES_ADDRESS);
	bind_text(st, 1, address);
	sqlite3_bind_int64(st, 2, since);
	if (count_query(s, st, &n) != 0)
		return -1;
	*by_address = (int)n;
	return 0;
}

static int sq_sign_in_failures_clear(struct store *s, const char *email)
{
	sqlite3_stmt *st = stmt(s, S_FAILURES_CLEAR);
	bind_text(st, 1, email);
	return step_done(s, st);
}

/* ---- referrals ----------------------------------------------------------------- */

int sqlite_insert_outbox(struct store *s, const struct outbox_message *m, int64_t now)
{
	sqlite3_stmt *st = stmt(s, S_OUTBOX_INSERT);
	bind_text(st, 1, m->kind);
	bind_text(st, 2, m->recipient);
	bind_text(st, 3, m->subject);
	bind_text(st, 4, m->body);
	sqlite3_bind_int64(st, 5, now);
	bind_text(st, 6, m->attachment_name);
	bind_text(st, 7, m->attachment_type);
	bind_text(st, 8, m->attachment);
	return step_done(s, st);
}

/* ---- referrals: group commit -------------------------------------------------------
 * With synchronous=FULL a COMMIT returns after one fdatasync of the WAL (about 1 ms here,
 * several when the disk is busy), and commits go one at a time: a transaction each would
 * cap referrals near one per fsync. So referrals commit in groups. A caller queues its
 * referral and, when nobody is committing, becomes the committer: it takes every referral
 * queued by then, writes each inside a SAVEPOINT of one write transaction (a referral that
 * fails rolls back alone and gets its own error), COMMITs once, and hands each waiter its
 * result. The waiters sleep meanwhile, so what their requests own stays valid, and each
 * returns (its handler answers 303) only after the COMMIT that holds its referral. The
 * double-click rule holds inside a group too: the form-token lookup sees the referrals
 * written before it in the same transaction. Alone (the CLI), a caller commits its own
 * group of one. */
struct referral_wait {
	const struct referral_new *r;
	struct referral_wait *next;
	int done, rc;
	char reference[64]; /* the new referral's, or the earlier one's for a double click */
	struct err e;
};

static pthread_mutex_t group_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t group_done = PTHREAD_COND_INITIALIZER;
static struct referral_wait *group_queue, **group_tail = &group_queue;
static int group_committing;

static void copy_reference(struct referral_wait *w, const char *reference)
{
	size_t n = strlen(reference);
	if (n >= sizeof(w->reference))
		n = sizeof(w->reference) - 1;
	memcpy(w->reference, reference, n);
	w->reference[n] = '\0';
}

/* One referral inside the group's transaction, in its own savepoint. */
static int referral_write(struct store *s, struct referral_wait *w)
{
	sqlite3 *db = impl(s)->db;
	const struct referral_new *r = w->r;
	if (exec(s, "SAVEPOINT referral") != 0)
		return err_set(&w->e, "the referral could not be saved: %s", sqlite3_errmsg(db));
	sqlite3_stmt *st = stmt(s, S_REFERRAL_BY_FORM_TOKEN);
	bind_text(st, 1, r->form_token);
	sqlite3_bind_int64(st, 2, r->case_worker_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		copy_reference(w, (const char *)sqlite3_column_text(st, 0));
		sqlite3_reset(st);
		exec(s, "RELEASE referral");
		return 0;
	}
	sqlite3_reset(st);

	st = stmt(s, S_CLIENT_INSERT);
	sqlite3_bind_int64(st, 1, r->authority_id);
	bind_text(st, 2, r->first_name);
	bind_text(st, 3, r->last_name);
	bind_text(st, 4, r->date_of_birth);
	bind_text(st, 5, r->email);
	bind_text(st, 6, r->mobile);
	bind_text(st, 7, r->access_needs);
	bind_text(st, 8, r->group_notes);
	sqlite3_bind_int64(st, 9, r->now);
	if (step_done(s, st) != 0)
		goto fail;
	int64_t client_id = sqlite3_last_insert_rowid(db);

	st = stmt(s, S_ORDER_INSERT);
	sqlite3_bind_int64(st, 1, client_id);
	bind_text(st, 2, r->order_reference);
	bind_text(st, 3, r->court_reference);
	bind_text(st, 4, r->imposed_on);
	sqlite3_bind_int(st, 5, r->unpaid_hours);
	sqlite3_bind_int(st, 6, r->activity_minutes);
	bind_text(st, 7, r->complete_by);
	sqlite3_bind_int64(st, 8, r->now);
	if (step_done(s, st) != 0)
		goto fail;
	int64_t order_id = sqlite3_last_insert_rowid(db);

	st = stmt(s, S_REFERRAL_INSERT);
	bind_text(st, 1, r->reference);
	sqlite3_bind_int64(st, 2, client_id);
	sqlite3_bind_int64(st, 3, order_id);
	sqlite3_bind_int64(st, 4, r->case_worker_id);
	sqlite3_bind_int64(st, 5, r->authority_id);
	bind_text(st, 6, r->case_reference);
	bind_text(st, 7, r->form_token);
	sqlite3_bind_int64(st, 8, r->now);
	if (step_done(s, st) != 0)
		goto fail;
	int64_t referral_id = sqlite3_last_insert_rowid(db);

	st = stmt(s, S_TASK_INSERT);
	sqlite3_bind_int64(st, 1, referral_id);
	sqlite3_bind_int64(st, 2, r->now);
	if (step_done(s, st) != 0)
		goto fail;

	if (r->invitation_digest) {
		st = stmt(s, S_INVITATION_INSERT);
		bind_text(st, 1, r->invitation_digest);
		sqlite3_bind_int64(st, 2, client_id);
		sqlite3_bind_int64(st, 3, r->now);
		sqlite3_bind_int64(st, 4, r->invitation_expires_at);
		if (step_done(s, st) != 0)
			goto fail;
	}
	for (int i = 0; i < 2; i++)
		if (r->messages[i].recipient && sqlite_insert_outbox(s, &r->messages[i], r->now) != 0)
			goto fail;
	if (exec(s, "RELEASE referral") != 0)
		goto fail;
	copy_reference(w, r->reference);
	return 0;
fail:
	err_set(&w->e, "the referral could not be saved: %s", sqlite3_errmsg(db));
	exec(s, "ROLLBACK TO referral");
	exec(s, "RELEASE referral");
	return -1;
}

/* The committer's part: the whole group in one transaction, one COMMIT. */
static void referral_group_commit(struct store *s, struct referral_wait *group)
{
	if (sqlite_write_begin(s) != 0) {
		for (struct referral_wait *w = group; w; w = w->next)
			w->rc = err_set(&w->e, "the database is busy; please try again");
		return;
	}
	for (struct referral_wait *w = group; w; w = w->next)
		w->rc = referral_write(s, w);
	if (sqlite_write_commit(s) != 0)
		for (struct referral_wait *w = group; w; w = w->next)
			if (w->rc == 0)
				w->rc = err_set(&w->e, "the referral could not be saved: the "
						       "database did not commit");
}

static int sq_referral_create(struct store *s, struct pool *p, const struct referral_new *r,
			      const char **reference, struct err *e)
{
	struct referral_wait me = {.r = r};
	pthread_mutex_lock(&group_lock);
	*group_tail = &me;
	group_tail = &me.next;
	while (!me.done) {
		if (group_committing) {
			pthread_cond_wait(&group_done, &group_lock);
			continue;
		}
		/* Nobody is committing, and this caller's referral is still queued: it commits
		 * the queue. */
		struct referral_wait *group = group_queue;
		group_queue = NULL;
		group_tail = &group_queue;
		group_committing = 1;
		pthread_mutex_unlock(&group_lock);
		referral_group_commit(s, group);
		pthread_mutex_lock(&group_lock);
		group_committing = 0;
		for (struct referral_wait *w = group, *next; w; w = next) {
			next = w->next;
			w->done = 1;
		}
		pthread_cond_broadcast(&group_done);
	}
	pthread_mutex_unlock(&group_lock);
	if (me.rc != 0) {
		*e = me.e;
		return -1;
	}
	*reference = pool_strdup(p, me.reference);
	return 0;
}

static void read_referral(sqlite3_stmt *st, struct pool *p, struct referral_row *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->reference = col_text(st, 1, p);
	r->status = col_text(st, 2, p);
	r->created_at = sqlite3_column_int64(st, 3);
	r->client_id = sqlite3_column_int64(st, 4);
	r->first_name = col_text(st, 5, p);
	r->last_name = col_text(st, 6, p);
	r->case_reference = col_text(st, 7, p);
	r->order_reference = col_text(st, 8, p);
	r->court_reference = col_text(st, 9, p);
	r->activity_minutes = sqlite3_column_int(st, 10);
	r->complete_by = col_text(st, 11, p);
	r->case_worker_id = sqlite3_column_int64(st, 12);
	r->authority_id = sqlite3_column_int64(st, 13);
}

static int sq_referral_by_reference(struct store *s, struct pool *p, const char *reference,
				    struct referral_row *out)
{
	sqlite3_stmt *st = stmt(s, S_REFERRAL_BY_REFERENCE);
	bind_text(st, 1, reference);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_referral(st, p, out);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOT_FOUND : -1;
}

/* A row's texts are copied into one block of the pool: a page of the list is 51 rows of
 * five texts each. */
static int sq_referrals_by_case_worker(struct store *s, struct pool *p, int64_t case_worker_id,
				       int limit, int offset, struct referral_list_item **rows,
				       size_t *count)
{
	sqlite3_stmt *st = stmt(s, S_REFERRALS_BY_CASE_WORKER);
	sqlite3_bind_int64(st, 1, case_worker_id);
	sqlite3_bind_int(st, 2, limit);
	sqlite3_bind_int(st, 3, offset);
	/* Not zeroed: every field of a row read is written below (a page's worth, per view). */
	*rows = pool_take(p, sizeof(**rows) * (size_t)(limit > 0 ? limit : 1));
	*count = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *count < (size_t)limit) {
		struct referral_list_item *r = &(*rows)[(*count)++];
		r->client_id = sqlite3_column_int64(st, 0);
		r->created_at = sqlite3_column_int64(st, 1);
		const unsigned char *text[5];
		size_t len[5], total = 0;
		for (int i = 0; i < 5; i++) {
			text[i] = sqlite3_column_text(st, 2 + i);
			len[i] = text[i] ? (size_t)sqlite3_column_bytes(st, 2 + i) : 0;
			total += len[i] + 1;
		}
		char *block = pool_take(p, total);
		const char *copy[5];
		for (int i = 0; i < 5; i++) {
			if (text[i] == NULL) {
				copy[i] = NULL;
				continue;
			}
			memcpy(block, text[i], len[i]);
			block[len[i]] = '\0';
			copy[i] = block;
			block += len[i] + 1;
		}
		r->first_name = copy[0];
		r->last_name = copy[1];
		r->reference = copy[2];
		r->case_reference = copy[3];
		r->status = copy[4];
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

static int sq_client_get(struct store *s, struct pool *p, int64_t client_id,
			 struct client_record *c)
{
	sqlite3_stmt *st = stmt(s, S_CLIENT_GET);
	sqlite3_bind_int64(st, 1, client_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		c->id = sqlite3_column_int64(st, 0);
		c->authority_id = sqlite3_column_int64(st, 1);
		c->authority_name = col_text(st, 2, p);
		c->first_name = col_text(st, 3, p);
		c->last_name = col_text(st, 4, p);
		c->date_of_birth = col_text(st, 5, p);
		c->email = col_text(st, 6, p);
		c->mobile = col_text(st, 7, p);
		c->access_needs = col_text(st, 8, p);
		c->group_notes = col_text(st, 9, p);
		c->created_at = sqlite3_column_int64(st, 10);
		c->has_account = sqlite3_column_int(st, 11);
		struct referral_row *r = &c->referral;
		r->id = sqlite3_column_int64(st, 12);
		r->reference = col_text(st, 13, p);
		r->status = col_text(st, 14, p);
		r->created_at = sqlite3_column_int64(st, 15);
		r->case_reference = col_text(st, 16, p);
		r->order_reference = col_text(st, 17, p);
		r->court_reference = col_text(st, 18, p);
		r->activity_minutes = sqlite3_column_int(st, 19);
		r->complete_by = col_text(st, 20, p);
		r->case_worker_id = sqlite3_column_int64(st, 21);
		r->client_id = c->id;
		r->first_name = c->first_name;
		r->last_name = c->last_name;
		r->authority_id = c->authority_id;
		c->imposed_on = col_text(st, 22, p);
		c->unpaid_hours = sqlite3_column_int(st, 23);
		c->case_worker_name = col_text(st, 24, p);
		c->order_id = sqlite3_column_int64(st, 25);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOT_FOUND : -1;
}

static int sq_audit_add(struct store *s, int64_t user_id, const char *action,
			const char *subject_type, int64_t subject_id, const char *address,
			int64_t now)
{
	sqlite3_stmt *st = stmt(s, S_AUDIT_ADD);
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, user_id);
	bind_text(st, 3, action);
	bind_text(st, 4, subject_type);
	sqlite3_bind_int64(st, 5, subject_id);
	bind_text(st, 6, address ? address : "");
	return step_done(s, st);
}

/* ---- outbox ---------------------------------------------------------------------- */

static void read_outbox(sqlite3_stmt *st, struct pool *p, struct outbox_message *m)
{
	m->id = sqlite3_column_int64(st, 0);
	m->kind = col_text(st, 1, p);
	m->recipient = col_text(st, 2, p);
	m->subject = col_text(st, 3, p);
	m->body = col_text(st, 4, p);
	m->created_at = sqlite3_column_int64(st, 5);
	m->attempts = sqlite3_column_int(st, 6);
	m->next_attempt_at = sqlite3_column_int64(st, 7);
	m->sent_at = sqlite3_column_int64(st, 8);
	m->last_error = col_text(st, 9, p);
	m->attachment_name = col_text(st, 10, p);
	m->attachment_type = col_text(st, 11, p);
	m->attachment = col_text(st, 12, p);
}

static int read_outbox_rows(sqlite3_stmt *st, struct pool *p, int limit,
			    struct outbox_message **rows, size_t *count)
{
	*rows = pool_alloc(p, sizeof(**rows) * (size_t)(limit > 0 ? limit : 1));
	*count = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *count < (size_t)limit)
		read_outbox(st, p, &(*rows)[(*count)++]);
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

static int sq_outbox_due(struct store *s, struct pool *p, int64_t now, int limit,
			 struct outbox_message **rows, size_t *count)
{
	sqlite3_stmt *st = stmt(s, S_OUTBOX_DUE);
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, limit);
	return read_outbox_rows(st, p, limit, rows, count);
}

static int sq_outbox_sent_many(struct store *s, const int64_t *ids, size_t n, int64_t now)
{
	if (n == 0)
		return 0;
	if (sqlite_write_begin(s) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *st = stmt(s, S_OUTBOX_SENT);
		sqlite3_bind_int64(st, 1, ids[i]);
		sqlite3_bind_int64(st, 2, now);
		if (step_done(s, st) != 0)
			return sqlite_write_rollback(s, -1);
	}
	return sqlite_write_commit(s);
}

static int sq_outbox_failed(struct store *s, int64_t id, int64_t next_attempt_at,
			    const char *error)
{
	sqlite3_stmt *st = stmt(s, S_OUTBOX_FAILED);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, next_attempt_at);
	bind_text(st, 3, error);
	return step_done(s, st);
}

static int sq_outbox_list(struct store *s, struct pool *p, int limit, int offset,
			  struct outbox_message **rows, size_t *count)
{
	sqlite3_stmt *st = stmt(s, S_OUTBOX_LIST);
	sqlite3_bind_int(st, 1, limit);
	sqlite3_bind_int(st, 2, offset);
	return read_outbox_rows(st, p, limit, rows, count);
}

static int sq_outbox_get(struct store *s, struct pool *p, int64_t id, struct outbox_message *out)
{
	sqlite3_stmt *st = stmt(s, S_OUTBOX_GET);
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_outbox(st, p, out);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOT_FOUND : -1;
}

static int sq_outbox_pending(struct store *s, int64_t *count)
{
	return count_query(s, stmt(s, S_OUTBOX_PENDING), count);
}

/* ---- invitations ----------------------------------------------------------------- */

static int sq_invitation_client(struct store *s, const char *digest, int64_t now,
				int64_t *client_id)
{
	sqlite3_stmt *st = stmt(s, S_INVITATION_CLIENT);
	bind_text(st, 1, digest);
	sqlite3_bind_int64(st, 2, now);
	int rc = sqlite3_step(st);
	*client_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOT_FOUND : -1;
}

static int sq_invitation_accept(struct store *s, const char *digest, const char *password_hash,
				int64_t now)
{
	if (sqlite_write_begin(s) != 0)
		return -1;
	sqlite3_stmt *st = stmt(s, S_INVITATION_USE);
	bind_text(st, 1, digest);
	sqlite3_bind_int64(st, 2, now);
	int rc = sqlite3_step(st);
	int64_t client_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return sqlite_write_rollback(s, rc == SQLITE_DONE ? STORE_NOT_FOUND : -1);
	st = stmt(s, S_CLIENT_ACCOUNT_INSERT);
	sqlite3_bind_int64(st, 1, client_id);
	bind_text(st, 2, password_hash);
	sqlite3_bind_int64(st, 3, now);
	if (step_done(s, st) != 0)
		return sqlite_write_rollback(s, -1);
	return sqlite_write_commit(s);
}

static const struct store_ops sqlite_ops = {
	.close = sq_close,
	.migrate = sq_migrate,
	.read_begin = sq_read_begin,
	.read_end = sq_read_end,
	.setting_get = sq_setting_get,
	.setting_put = sq_setting_put,
	.authority_by_name = sq_authority_by_name,
	.authority_by_id = sq_authority_by_id,
	.user_insert = sq_user_insert,
	.user_by_email = sq_user_by_email,
	.user_count = sq_user_count,
	.session_insert = sq_session_insert,
	.session_user = sq_session_user,
	.session_delete = sq_session_delete,
	.sign_in_failure_add = sq_sign_in_failure_add,
	.sign_in_failures = sq_sign_in_failures,
	.sign_in_failures_clear = sq_sign_in_failures_clear,
	.referral_create = sq_referral_create,
	.referral_by_reference = sq_referral_by_reference,
	.referrals_by_case_worker = sq_referrals_by_case_worker,
	.client_get = sq_client_get,
	.audit_add = sq_audit_add,
	.outbox_due = sq_outbox_due,
	.outbox_sent_many = sq_outbox_sent_many,
	.outbox_failed = sq_outbox_failed,
	.outbox_list = sq_outbox_list,
	.outbox_get = sq_outbox_get,
	.outbox_pending = sq_outbox_pending,
	.invitation_client = sq_invitation_client,
	.invitation_accept = sq_invitation_accept,
	.demo_load = sqlite_demo_load, /* sqlite_demo.c */
	/* sqlite_sessions.c */
	.welcome_tasks = sqlite_welcome_tasks,
	.welcome_task_get = sqlite_welcome_task_get,
	.welcome_call_add = sqlite_welcome_call_add,
	.sign_in_link_add = sqlite_sign_in_link_add,
	.sign_in_link_use = sqlite_sign_in_link_use,
	.user_by_id = sqlite_user_by_id,
	.user_sign_in_by_link = sqlite_user_sign_in_by_link,
	.topics_list = sqlite_topics_list,
	.topic_add = sqlite_topic_add,
	.facilitators_list = sqlite_facilitators_list,
	.sessions_add = sqlite_sessions_add,
	.sessions_between = sqlite_sessions_between,
	.sessions_for_facilitator = sqlite_sessions_for_facilitator,
	.session_get = sqlite_session_get,
	.session_starts_between = sqlite_session_starts_between,
	.booking_add = sqlite_booking_add,
	.booking_cancel = sqlite_booking_cancel,
	.booking_get = sqlite_booking_get,
	.bookings_for_client = sqlite_bookings_for_client,
	.register_rows = sqlite_register_rows,
	.register_save = sqlite_register_save,
	.order_hours = sqlite_order_hours,
	.client_timeline = sqlite_client_timeline,
	.reminders_due = sqlite_reminders_due,
	.reminder_queue = sqlite_reminder_queue,
	.orders_ending_soon = sqlite_orders_ending_soon,
	.order_alert_queue = sqlite_order_alert_queue,
	.weekly_report = sqlite_weekly_report,
	.weekly_report_due = sqlite_weekly_report_due,
	.weekly_report_queue = sqlite_weekly_report_queue,
	.audit_add_many = sqlite_audit_add_many,
	/* sqlite_oruk.c */
	.oruk_services = sqlite_oruk_services,
	.oruk_service_get = sqlite_oruk_service_get,
	.oruk_service_at_locations = sqlite_oruk_service_at_locations,
	.oruk_organizations = sqlite_oruk_organizations,
	.oruk_organization_get = sqlite_oruk_organization_get,
	.oruk_taxonomies = sqlite_oruk_taxonomies,
	.oruk_terms = sqlite_oruk_terms,
	.oruk_exists = sqlite_oruk_exists,
	.oruk_import = sqlite_oruk_import,
	SQLITE_DIRECTORY_OPS /* sqlite_directory.c */
	.feedback_pending = sqlite_feedback_pending,
	.feedback_get = sqlite_feedback_get,
	.feedback_add = sqlite_feedback_add,
	.feedback_requests_due = sqlite_feedback_requests_due,
	.feedback_request_queue = sqlite_feedback_request_queue,
	.authorities_list = sqlite_authorities_list,
	.impact_figures = sqlite_impact_figures,
	.impact_referrals = sqlite_impact_referrals,
	.impact_topics = sqlite_impact_topics,
};

struct store *sqlite_store_open(const char *path, struct err *e)
{
	struct sqlite_store *q = mem_calloc(1, sizeof(*q));
	q->base.ops = &sqlite_ops;
	if (sqlite3_open_v2(path, &q->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
					       SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		err_set(e, "cannot open database %s: %s", path,
			q->db ? sqlite3_errmsg(q->db) : "out of memory");
		sqlite3_close(q->db);
		free(q);
		return NULL;
	}
	sqlite3_busy_timeout(q->db, 5000);
	/* synchronous=FULL: a referral acknowledged to the browser survives power loss,
	 * not only a crash of the process. A page cache of 1 MB, not SQLite's 2: there is one
	 * a connection, and a connection a thread (8 HTTP threads on two cores, 32 writers,
	 * the sender); a page reads a few dozen pages, and the file is in the kernel's cache.
	 * At 2 MB the national benchmark's peak RSS was 65.8 MB, over its 64 (issue 7). */
	if (exec(&q->base, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
			   "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-1024") != 0) {
		err_set(e, "cannot set up database %s: %s", path, sqlite3_errmsg(q->db));
		sq_close(&q->base);
		return NULL;
	}
	sqlite_directory_functions(q->db);
	return &q->base;
}
