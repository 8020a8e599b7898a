/* The SQLite backend's operations for welcome calls, sign-in links, topics and sessions,
 * booking, the register and the hours ledger. Its SQL is stmts[] below. */
#include <string.h>

#include "domain/booking_rules.h"
#include "domain/civil_date.h"
#include "domain/ledger.h"
#include "domain/london_time.h"
#include "store/sqlite/sqlite_int.h"

enum stmt_id {
	W_TASKS,
	W_TASK_GET,
	W_CALL_INSERT,
	W_TASK_DONE,
	W_REFERRAL_WELCOMED,
	L_INSERT,
	L_USE,
	U_BY_ID,
	U_BY_LINK,
	T_LIST,
	T_INSERT,
	F_LIST,
	G_INSERT,
	G_BETWEEN,
	G_STARTS_BETWEEN,
	G_FACILITATOR,
	G_GET,
	B_SESSION,
	B_ORDER,
	B_ALREADY,
	B_OVERLAP,
	B_UPCOMING_MINUTES,
	B_INSERT,
	B_CANCEL,
	B_GET,
	B_UPCOMING,
	B_PAST,
	R_ROWS,
	R_BOOKING,
	R_CURRENT,
	R_INSERT,
	R_LEDGER_FOR_ENTRY,
	R_LEDGER_INSERT,
	O_HOURS,
	TIMELINE,
	RM_DUE,
	RM_MARK,
	O_ENDING,
	A_INSERT,
	S_COUNT
};

#define TASK_COLUMNS                                                                           \
	"t.id, t.created_at, t.status, r.id, r.reference, c.id, c.first_name, c.last_name, "   \
	"c.email, c.mobile, c.access_needs, a.name, "                                          \
	"(SELECT count(*) FROM welcome_call w WHERE w.task_id = t.id), "                      \
	"coalesce((SELECT max(w.at) FROM welcome_call w WHERE w.task_id = t.id), 0), "         \
	"(SELECT w.outcome FROM welcome_call w WHERE w.task_id = t.id ORDER BY w.at DESC, w.id DESC LIMIT 1), " \
	"(SELECT w.notes FROM welcome_call w WHERE w.task_id = t.id ORDER BY w.at DESC, w.id DESC LIMIT 1) " \
	"FROM task t JOIN referral r ON r.id = t.referral_id JOIN client c ON c.id = r.client_id " \
	"JOIN local_authority a ON a.id = c.authority_id "

/* ?9 is the client whose booking of each session is looked for (0: nobody). */
#define SESSION_COLUMNS                                                                        \
	"g.id, g.topic_id, t.name, g.starts_at, g.minutes, g.capacity, "                       \
	"(SELECT count(*) FROM booking b WHERE b.session_id = g.id AND b.status = 'booked'), "  \
	"g.facilitator_id, f.name, g.joining_link, g.series, "                                 \
	"coalesce((SELECT b.id FROM booking b WHERE b.session_id = g.id AND b.client_id = ?9 "  \
	"AND b.status = 'booked'), 0) "
#define SESSION_FROM                                                                           \
	"FROM group_session g JOIN topic t ON t.id = g.topic_id JOIN user f ON f.id = g.facilitator_id "

/* The current register entry of a booking is the one no later entry supersedes. */
#define CURRENT_ENTRY(e) "NOT EXISTS (SELECT 1 FROM register_entry x WHERE x.supersedes_id = " e ".id)"

#define BOOKING_COLUMNS                                                                        \
	"b.id, b.session_id, b.client_id, b.order_id, b.status, b.created_at, "               \
	"g.id, g.topic_id, t.name, g.starts_at, g.minutes, g.capacity, "                       \
	"(SELECT count(*) FROM booking b2 WHERE b2.session_id = g.id AND b2.status = 'booked'), " \
	"g.facilitator_id, f.name, g.joining_link, g.series, b.id, "                           \
	"(SELECT e.outcome FROM register_entry e WHERE e.booking_id = b.id AND " CURRENT_ENTRY("e") "), " \
	"coalesce((SELECT sum(h.minutes) FROM hours_ledger h JOIN register_entry e "           \
	"ON e.id = h.register_entry_id WHERE e.booking_id = b.id), 0) "
#define BOOKING_FROM                                                                           \
	"FROM booking b JOIN group_session g ON g.id = b.session_id "                          \
	"JOIN topic t ON t.id = g.topic_id JOIN user f ON f.id = g.facilitator_id "

static const char *const stmts[S_COUNT] = {
	[W_TASKS] = "SELECT " TASK_COLUMNS "WHERE t.kind = 'welcome_call' AND t.status = 'open' "
		    "ORDER BY t.created_at, t.id LIMIT 500",
	[W_TASK_GET] = "SELECT " TASK_COLUMNS "WHERE t.id = ?1 AND t.kind = 'welcome_call'",
	[W_CALL_INSERT] = "INSERT INTO welcome_call(task_id, coordinator_id, outcome, notes, at) "
			  "VALUES (?1, ?2, ?3, ?4, ?5)",
	[W_TASK_DONE] = "UPDATE task SET status = 'done' WHERE id = ?1 AND status = 'open'",
	[W_REFERRAL_WELCOMED] = "UPDATE referral SET status = 'welcomed' WHERE status = 'sent' AND "
				"id = (SELECT referral_id FROM task WHERE id = ?1)",
	[L_INSERT] = "INSERT INTO sign_in_link(token_digest, user_id, created_at, expires_at) "
		     "VALUES (?1, ?2, ?3, ?4)",
	[L_USE] = "UPDATE sign_in_link SET used_at = ?2 WHERE token_digest = ?1 AND used_at IS NULL "
		  "AND expires_at > ?2 RETURNING user_id",
	[U_BY_ID] = "SELECT u.id, u.email, u.name, u.role, coalesce(u.authority_id, 0), a.name, "
		    "coalesce(u.client_id, 0), u.password_hash FROM user u "
		    "LEFT JOIN local_authority a ON a.id = u.authority_id WHERE u.id = ?1",
	[U_BY_LINK] = "SELECT sign_in_by_link FROM user WHERE id = ?1",
	[T_LIST] = "SELECT id, name, description, active FROM topic ORDER BY name",
	[T_INSERT] = "INSERT INTO topic(name, description) VALUES (?1, ?2)",
	[F_LIST] = "SELECT id, email, name FROM user WHERE role = 'facilitator' ORDER BY name, id",
	[G_INSERT] = "INSERT INTO group_session(topic_id, starts_at, minutes, capacity, "
		     "facilitator_id, joining_link, series, created_at) "
		     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[G_BETWEEN] = "SELECT " SESSION_COLUMNS SESSION_FROM "WHERE g.starts_at >= ?1 AND "
		      "g.starts_at < ?2 AND (?3 = 0 OR g.topic_id = ?3) ORDER BY g.starts_at, g.id "
		      "LIMIT ?4",
	/* As G_BETWEEN, from group_session alone. */
	[G_STARTS_BETWEEN] = "SELECT g.id, g.starts_at FROM group_session g WHERE "
			     "g.starts_at >= ?1 AND g.starts_at < ?2 AND (?3 = 0 OR g.topic_id = ?3) "
			     "ORDER BY g.starts_at, g.id LIMIT ?4",
	[G_FACILITATOR] = "SELECT " SESSION_COLUMNS SESSION_FROM "WHERE g.facilitator_id = ?1 AND "
			  "g.starts_at >= ?2 ORDER BY g.starts_at, g.id LIMIT ?3",
	[G_GET] = "SELECT " SESSION_COLUMNS SESSION_FROM "WHERE g.id = ?1",
	[B_SESSION] = "SELECT starts_at, minutes, capacity, (SELECT count(*) FROM booking b "
		      "WHERE b.session_id = g.id AND b.status = 'booked') FROM group_session g "
		      "WHERE g.id = ?1",
	[B_ORDER] = "SELECT o.id, o.activity_minutes, o.complete_by, r.status, "
		    "coalesce((SELECT sum(h.counted_minutes) FROM hours_ledger h "
		    "WHERE h.order_id = o.id), 0) "
		    "FROM referral r JOIN court_order o ON o.id = r.order_id WHERE r.client_id = ?1 "
		    "ORDER BY r.created_at DESC, r.id DESC LIMIT 1",
	[B_ALREADY] = "SELECT count(*) FROM booking WHERE session_id = ?1 AND client_id = ?2 AND "
		      "status = 'booked'",
	[B_OVERLAP] = "SELECT count(*) FROM booking b JOIN group_session g ON g.id = b.session_id "
		      "WHERE b.client_id = ?1 AND b.status = 'booked' AND g.id <> ?2 AND "
		      "g.starts_at < ?3 AND g.starts_at + g.minutes * 60 > ?4",
	[B_UPCOMING_MINUTES] = "SELECT coalesce(sum(g.minutes), 0) FROM booking b "
			       "JOIN group_session g ON g.id = b.session_id WHERE b.client_id = ?1 "
			       "AND b.status = 'booked' AND g.starts_at + g.minutes * 60 > ?2 AND "
			       "NOT EXISTS (SELECT 1 FROM register_entry e WHERE e.booking_id = b.id)",
	[B_INSERT] = "INSERT INTO booking(session_id, client_id, order_id, created_at, reminder_at) "
		     "VALUES (?1, ?2, ?3, ?4, ?5)",
	[B_CANCEL] = "UPDATE booking SET status = 'cancelled', cancelled_at = ?3 WHERE id = ?1 AND "
		     "client_id = ?2 AND status = 'booked' AND "
		     "(SELECT g.starts_at FROM group_session g WHERE g.id = session_id) > ?3 AND "
		     "NOT EXISTS (SELECT 1 FROM register_entry e WHERE e.booking_id = booking.id)",
	[B_GET] = "SELECT " BOOKING_COLUMNS BOOKING_FROM "WHERE b.id = ?1",
	[B_UPCOMING] = "SELECT " BOOKING_COLUMNS BOOKING_FROM "WHERE b.client_id = ?1 AND "
		       "b.status = 'booked' AND g.starts_at + g.minutes * 60 > ?2 "
		       "ORDER BY g.starts_at, b.id LIMIT ?3",
	[B_PAST] = "SELECT " BOOKING_COLUMNS BOOKING_FROM "WHERE b.client_id = ?1 AND "
		   "b.status = 'booked' AND g.starts_at + g.minutes * 60 <= ?2 "
		   "ORDER BY g.starts_at DESC, b.id DESC LIMIT ?3",
	[R_ROWS] = "SELECT b.id, c.id, c.first_name, c.last_name, c.access_needs, c.group_notes, "
		   "coalesce(e.id, 0), e.outcome, coalesce(e.minutes, 0), e.reason, e.note, "
		   "(SELECT w.email FROM referral r JOIN user w ON w.id = r.case_worker_id "
		   "WHERE r.order_id = b.order_id), "
		   "(SELECT w.name FROM referral r JOIN user w ON w.id = r.case_worker_id "
		   "WHERE r.order_id = b.order_id), o.activity_minutes, "
		   "coalesce((SELECT sum(h.counted_minutes) FROM hours_ledger h WHERE h.order_id = o.id), 0), "
		   "o.reference "
		   "FROM booking b JOIN client c ON c.id = b.client_id "
		   "JOIN court_order o ON o.id = b.order_id "
		   "LEFT JOIN register_entry e ON e.booking_id = b.id AND " CURRENT_ENTRY("e") " "
		   "WHERE b.session_id = ?1 AND b.status = 'booked' "
		   "ORDER BY c.first_name, c.last_name, b.id",
	[R_BOOKING] = "SELECT b.order_id, o.activity_minutes FROM booking b "
		      "JOIN court_order o ON o.id = b.order_id "
		      "WHERE b.id = ?1 AND b.session_id = ?2 AND b.status = 'booked'",
	[R_CURRENT] = "SELECT e.id, e.outcome, e.minutes, coalesce(e.reason, ''), "
		      "coalesce(e.note, '') FROM register_entry e WHERE e.booking_id = ?1 AND "
		      CURRENT_ENTRY("e"),
	[R_INSERT] = "INSERT INTO register_entry(booking_id, outcome, minutes, reason, note, "
		     "supersedes_id, correction_reason, recorded_by, recorded_at) "
		     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[R_LEDGER_FOR_ENTRY] = "SELECT h.id, h.minutes, h.counted_minutes FROM hours_ledger h "
			       "WHERE h.register_entry_id = ?1 AND h.kind = 'attendance'",
	[R_LEDGER_INSERT] = "INSERT INTO hours_ledger(order_id, kind, minutes, counted_minutes, "
			    "register_entry_id, reverses_id, reason, recorded_by, at) "
			    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[O_HOURS] = "SELECT coalesce(sum(counted_minutes), 0), "
		    "coalesce(sum(minutes - counted_minutes), 0) FROM hours_ledger WHERE order_id = ?1",
	[TIMELINE] =
		"SELECT r.created_at, 'referral', r.reference, NULL, 0, 0, 0, 0 FROM referral r "
		"WHERE r.client_id = ?1 "
		"UNION ALL SELECT w.at, 'welcome_call', w.outcome, w.notes, 0, 0, 0, 1 FROM welcome_call w "
		"JOIN task k ON k.id = w.task_id JOIN referral r ON r.id = k.referral_id "
		"WHERE r.client_id = ?1 "
		"UNION ALL SELECT b.created_at, 'booking', t.name, NULL, g.minutes, 0, g.starts_at, 2 "
		"FROM booking b JOIN group_session g ON g.id = b.session_id "
		"JOIN topic t ON t.id = g.topic_id WHERE b.client_id = ?1 "
		"UNION ALL SELECT b.cancelled_at, 'cancellation', t.name, NULL, g.minutes, 0, g.starts_at, 3 "
		"FROM booking b JOIN group_session g ON g.id = b.session_id "
		"JOIN topic t ON t.id = g.topic_id WHERE b.client_id = ?1 AND b.status = 'cancelled' "
		"UNION ALL SELECT e.recorded_at, 'register', e.outcome, "
		"coalesce(e.correction_reason, e.reason, e.note), e.minutes, 0, g.starts_at, 4 "
		"FROM register_entry e JOIN booking b ON b.id = e.booking_id "
		"JOIN group_session g ON g.id = b.session_id WHERE b.client_id = ?1 "
		"UNION ALL SELECT h.at, 'ledger', h.kind, h.reason, h.minutes, h.counted_minutes, 0, 5 "
		"FROM hours_ledger h JOIN court_order o ON o.id = h.order_id WHERE o.client_id = ?1 "
		"ORDER BY 1, 8 LIMIT 2000",
	[RM_DUE] = "SELECT b.id, c.email, c.first_name, " SESSION_COLUMNS
		   "FROM booking b JOIN client c ON c.id = b.client_id "
		   "JOIN group_session g ON g.id = b.session_id JOIN topic t ON t.id = g.topic_id "
		   "JOIN user f ON f.id = g.facilitator_id "
		   "WHERE b.status = 'booked' AND b.reminder_at IS NULL AND c.email IS NOT NULL AND "
		   "g.starts_at > ?1 AND g.starts_at <= ?1 + 86400 ORDER BY g.starts_at LIMIT ?2",
	[RM_MARK] = "UPDATE booking SET reminder_at = ?2 WHERE id = ?1 AND reminder_at IS NULL",
	/* Run on every pass of the sender, so it must be cheap when nothing is due (issue 7:
	 * it scanned every referral and summed every near order's ledger twice, 64 million
	 * instructions a pass at national scale; now about 13 million). First the orders whose
	 * date is near, active and not yet alerted (from court_order_complete_by, then
	 * referral_order); only theirs are summed (hours_ledger_counted), once each. */
	[O_ENDING] = "WITH candidate AS MATERIALIZED ("
		     "SELECT o.id AS order_id, o.client_id, o.reference, o.complete_by, "
		     "o.activity_minutes, r.case_worker_id "
		     "FROM court_order o INDEXED BY court_order_complete_by "
		     "JOIN referral r ON r.order_id = o.id "
		     "WHERE o.complete_by <= ?1 AND o.complete_by >= ?3 AND "
		     "NOT EXISTS (SELECT 1 FROM order_alert a WHERE a.order_id = o.id AND "
		     "a.kind = 'ending_soon') AND r.status IN ('sent', 'welcomed', 'active')), "
		     "tally AS MATERIALIZED (SELECT k.*, coalesce((SELECT sum(h.counted_minutes) "
		     "FROM hours_ledger h WHERE h.order_id = k.order_id), 0) AS counted "
		     "FROM candidate k) "
		     "SELECT k.order_id, c.id, c.first_name, c.last_name, k.reference, "
		     "k.complete_by, w.email, w.name, k.activity_minutes, k.counted "
		     "FROM tally k JOIN client c ON c.id = k.client_id "
		     "JOIN user w ON w.id = k.case_worker_id "
		     "WHERE k.activity_minutes > k.counted "
		     "ORDER BY k.complete_by, k.order_id LIMIT ?2",
	[A_INSERT] = "INSERT INTO order_alert(order_id, kind, at) VALUES (?1, ?2, ?3) "
		     "ON CONFLICT DO NOTHING",
};

_Static_assert(S_COUNT <= SQLITE_SLOTS_PER_FILE, "too many statements for the slots");

static sqlite3_stmt *stmt(struct store *s, enum stmt_id id)
{
	return sqlite_stmt(s, SQLITE_SLOTS_SESSIONS + (int)id, stmts[id]);
}

#define text sqlite_col_text

static int found(int rc)
{
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOT_FOUND : -1;
}

/* Ends a write transaction (sqlite_write_begin) without its changes. */
static int rollback(struct store *s, int rc)
{
	return sqlite_write_rollback(s, rc);
}

static int changes(struct store *s)
{
	return sqlite3_changes(sqlite_impl(s)->db);
}

/* Rows of any record type into a pool array of at most limit, by a reader per row. */
#define READ_ROWS(st, p, limit, rows, count, reader)                                           \
	do {                                                                                   \
		*(rows) = pool_alloc((p), sizeof(**(rows)) * (size_t)((limit) > 0 ? (limit) : 1)); \
		*(count) = 0;                                                                  \
		int rc_;                                                                       \
		while ((rc_ = sqlite3_step(st)) == SQLITE_ROW && *(count) < (size_t)(limit))  \
			reader((st), (p), &(*(rows))[(*(count))++]);                           \
		sqlite3_reset(st);                                                             \
		if (rc_ != SQLITE_DONE && rc_ != SQLITE_ROW)                                   \
			return -1;                                                             \
	} while (0)

/* ---- welcome calls --------------------------------------------------------------- */

static void read_task(sqlite3_stmt *st, struct pool *p, struct welcome_task *t)
{
	t->id = sqlite3_column_int64(st, 0);
	t->created_at = sqlite3_column_int64(st, 1);
	t->status = text(st, 2, p);
	t->referral_id = sqlite3_column_int64(st, 3);
	t->referral_reference = text(st, 4, p);
	t->client_id = sqlite3_column_int64(st, 5);
	t->first_name = text(st, 6, p);
	t->last_name = text(st, 7, p);
	t->email = text(st, 8, p);
	t->mobile = text(st, 9, p);
	t->access_needs = text(st, 10, p);
	t->authority_name = text(st, 11, p);
	t->attempts = sqlite3_column_int(st, 12);
	t->last_attempt_at = sqlite3_column_int64(st, 13);
	t->last_outcome = text(st, 14, p);
	t->last_notes = text(st, 15, p);
}

int sqlite_welcome_tasks(struct store *s, struct pool *p, struct welcome_task **rows,
			 size_t *count)
{
	sqlite3_stmt *st = stmt(s, W_TASKS);
	READ_ROWS(st, p, 500, rows, count, read_task);
	return 0;
}

int sqlite_welcome_task_get(struct store *s, struct pool *p, int64_t task_id,
			    struct welcome_task *out)
{
	sqlite3_stmt *st = stmt(s, W_TASK_GET);
	sqlite3_bind_int64(st, 1, task_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_task(st, p, out);
	sqlite3_reset(st);
	return found(rc);
}

int sqlite_welcome_call_add(struct store *s, int64_t task_id, int64_t coordinator_id,
			    const char *outcome, const char *notes, int64_t now)
{
	if (sqlite_write_begin(s) != 0)
		return -1;
	sqlite3_stmt *st = stmt(s, W_CALL_INSERT);
	sqlite3_bind_int64(st, 1, task_id);
	sqlite3_bind_int64(st, 2, coordinator_id);
	sqlite_bind_text(st, 3, outcome);
	sqlite_bind_text(st, 4, notes);
	sqlite3_bind_int64(st, 5, now);
	if (sqlite_step_done(s, st) != 0)
		return rollback(s, -1);
	if (strcmp(outcome, "completed") == 0) {
		st = stmt(s, W_TASK_DONE);
		sqlite3_bind_int64(st, 1, task_id);
		if (sqlite_step_done(s, st) != 0)
			return rollback(s, -1);
		st = stmt(s, W_REFERRAL_WELCOMED);
		sqlite3_bind_int64(st, 1, task_id);
		if (sqlite_step_done(s, st) != 0)
			return rollback(s, -1);
	}
	return sqlite_write_commit(s);
}

/* ---- sign-in links ------------------------------------------------------------------ */

int sqlite_sign_in_link_add(struct store *s, const char *digest, int64_t user_id,
			    int64_t expires_at, const struct outbox_message *m, int64_t now)
{
	if (sqlite_write_begin(s) != 0)
		return -1;
	sqlite3_stmt *st = stmt(s, L_INSERT);
	sqlite_bind_text(st, 1, digest);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, expires_at);
	if (sqlite_step_done(s, st) != 0 || sqlite_insert_outbox(s, m, now) != 0)
		return rollback(s, -1);
	return sqlite_write_commit(s);
}

int sqlite_sign_in_link_use(struct store *s, const char *digest, int64_t now, int64_t *user_id)
{
	sqlite3_stmt *st = stmt(s, L_USE);
	sqlite_bind_text(st, 1, digest);
	sqlite3_bind_int64(st, 2, now);
	int rc = sqlite3_step(st);
	*user_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	/* RETURNING: the update is done once the statement has run to its end. */
	if (rc == SQLITE_ROW)
		sqlite3_step(st);
	sqlite3_reset(st);
	return found(rc);
}

int sqlite_user_by_id(struct store *s, struct pool *p, int64_t id, struct user *u)
{
	sqlite3_stmt *st = stmt(s, U_BY_ID);
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		u->id = sqlite3_column_int64(st, 0);
		u->email = text(st, 1, p);
		u->name = text(st, 2, p);
		u->role = role_parse((const char *)sqlite3_column_text(st, 3));
		u->authority_id = sqlite3_column_int64(st, 4);
		u->authority_name = text(st, 5, p);
		u->client_id = sqlite3_column_int64(st, 6);
		u->password_hash = text(st, 7, p);
		u->organization_id = NULL;
	}
	sqlite3_reset(st);
	return found(rc);
}

int sqlite_user_sign_in_by_link(struct store *s, int64_t id, int *by_link)
{
	sqlite3_stmt *st = stmt(s, U_BY_LINK);
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	*by_link = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	return found(rc);
}

/* ---- topics and sessions ---------------------------------------------------------- */

static void read_topic(sqlite3_stmt *st, struct pool *p, struct topic *t)
{
	t->id = sqlite3_column_int64(st, 0);
	t->name = text(st, 1, p);
	t->description = text(st, 2, p);
	t->active = sqlite3_column_int(st, 3);
}

int sqlite_topics_list(struct store *s, struct pool *p, struct topic **rows, size_t *count)
{
	sqlite3_stmt *st = stmt(s, T_LIST);
	READ_ROWS(st, p, 200, rows, count, read_topic);
	return 0;
}

int sqlite_topic_add(struct store *s, const char *name, const char *description, struct err *e)
{
	sqlite3_stmt *st = stmt(s, T_INSERT);
	sqlite_bind_text(st, 1, name);
	sqlite_bind_text(st, 2, description ? description : "");
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT)
		return err_set(e, "There is already a topic called %s", name);
	if (rc != SQLITE_DONE)
		return err_set(e, "The topic could not be saved");
	return 0;
}

static void read_facilitator(sqlite3_stmt *st, struct pool *p, struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(st, 0);
	u->email = text(st, 1, p);
	u->name = text(st, 2, p);
	u->role = ROLE_FACILITATOR;
}

int sqlite_facilitators_list(struct store *s, struct pool *p, struct user **rows, size_t *count)
{
	sqlite3_stmt *st = stmt(s, F_LIST);
	READ_ROWS(st, p, 500, rows, count, read_facilitator);
	return 0;
}

int sqlite_sessions_add(struct store *s, const struct group_session *rows, size_t count,
			int64_t now, struct err *e)
{
	if (sqlite_write_begin(s) != 0)
		return err_set(e, "The database is busy. Try again in a minute");
	for (size_t i = 0; i < count; i++) {
		sqlite3_stmt *st = stmt(s, G_INSERT);
		sqlite3_bind_int64(st, 1, rows[i].topic_id);
		sqlite3_bind_int64(st, 2, rows[i].starts_at);
		sqlite3_bind_int(st, 3, rows[i].minutes);
		sqlite3_bind_int(st, 4, rows[i].capacity);
		sqlite3_bind_int64(st, 5, rows[i].facilitator_id);
		sqlite_bind_text(st, 6, rows[i].joining_link);
		sqlite_bind_text(st, 7, rows[i].series);
		sqlite3_bind_int64(st, 8, now);
		if (sqlite_step_done(s, st) != 0)
			return rollback(s, err_set(e, "The sessions could not be saved"));
	}
	if (sqlite_write_commit(s) != 0)
		return err_set(e, "The sessions could not be saved");
	return 0;
}

/* Reads SESSION_COLUMNS starting at column `at`. */
static void read_session_at(sqlite3_stmt *st, struct pool *p, struct group_session *g, int at)
{
	g->id = sqlite3_column_int64(st, at + 0);
	g->topic_id = sqlite3_column_int64(st, at + 1);
	g->topic_name = text(st, at + 2, p);
	g->starts_at = sqlite3_column_int64(st, at + 3);
	g->minutes = sqlite3_column_int(st, at + 4);
	g->capacity = sqlite3_column_int(st, at + 5);
	g->booked = sqlite3_column_int(st, at + 6);
	g->facilitator_id = sqlite3_column_int64(st, at + 7);
	g->facilitator_name = text(st, at + 8, p);
	g->joining_link = text(st, at + 9, p);
	g->series = text(st, at + 10, p);
	g->my_booking_id = sqlite3_column_int64(st, at + 11);
}

static void read_session(sqlite3_stmt *st, struct pool *p, struct group_session *g)
{
	read_session_at(st, p, g, 0);
}

int sqlite_sessions_between(struct store *s, struct pool *p, int64_t from, int64_t to,
			    int64_t topic_id, int64_t client_id, int limit,
			    struct group_session **rows, size_t *count)
{
	sqlite3_stmt *st = stmt(s, G_BETWEEN);
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	sqlite3_bind_int64(st, 3, topic_id);
	sqlite3_bind_int(st, 4, limit);
	sqlite3_bind_int64(st, 9, client_id);
	READ_ROWS(st, p, limit, rows, count, read_session);
	return 0;
}

static void read_session_start(sqlite3_stmt *st, struct pool *p, struct session_start *g)
{
	(void)p;
	g->id = sqlite3_column_int64(st, 0);
	g->starts_at = sqlite3_column_int64(st, 1);
}

int sqlite_session_starts_between(struct store *s, struct pool *p, int64_t from, int64_t to,
				  int64_t topic_id, int limit, struct session_start **rows,
				  size_t *count)
{
	sqlite3_stmt *st = stmt(s, G_STARTS_BETWEEN);
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	sqlite3_bind_int64(st, 3, topic_id);
	sqlite3_bind_int(st, 4, limit);
	READ_ROWS(st, p, limit, rows, count, read_session_start);
	return 0;
}

int sqlite_sessions_for_facilitator(struct store *s, struct pool *p, int64_t facilitator_id,
				    int64_t from, int limit, struct group_session **rows,
				    size_t *count)
{
	sqlite3_stmt *st = stmt(s, G_FACILITATOR);
	sqlite3_bind_int64(st, 1, facilitator_id);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int(st, 3, limit);
	sqlite3_bind_int64(st, 9, 0);
	READ_ROWS(st, p, limit, rows, count, read_session);
	return 0;
}

int sqlite_session_get(struct store *s, struct pool *p, int64_t id, int64_t client_id,
		       struct group_session *out)
{
	sqlite3_stmt *st = stmt(s, G_GET);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 9, client_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_session(st, p, out);
	sqlite3_reset(st);
	return found(rc);
}

/* ---- booking ------------------------------------------------------------------------ */

static int count_of(struct store *s, sqlite3_stmt *st, int *out)
{
	int64_t n;
	if (sqlite_count(s, st, &n) != 0)
		return -1;
	*out = (int)n;
	return 0;
}

int sqlite_booking_add(struct store *s, int64_t session_id, int64_t client_id, int64_t now,
		       const struct outbox_message *m, int64_t *booking_id, int *refusal)
{
	*booking_id = 0;
	*refusal = 0;
	/* Every fact is read inside the write transaction, so two requests for the last
	 * place cannot both see it free. */
	if (sqlite_write_begin(s) != 0)
		return -1;
	struct booking_facts f = {.now = now};
	sqlite3_stmt *st = stmt(s, B_SESSION);
	sqlite3_bind_int64(st, 1, session_id);
	int rc = sqlite3_step(st);
	int minutes = 0;
	if (rc == SQLITE_ROW) {
		f.starts_at = sqlite3_column_int64(st, 0);
		minutes = sqlite3_column_int(st, 1);
		f.capacity = sqlite3_column_int(st, 2);
		f.booked = sqlite3_column_int(st, 3);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return rollback(s, found(rc));

	st = stmt(s, B_ORDER);
	sqlite3_bind_int64(st, 1, client_id);
	rc = sqlite3_step(st);
	int64_t order_id = 0;
	if (rc == SQLITE_ROW) {
		order_id = sqlite3_column_int64(st, 0);
		int activity = sqlite3_column_int(st, 1);
		const char *complete_by = (const char *)sqlite3_column_text(st, 2);
		const char *status = (const char *)sqlite3_column_text(st, 3);
		int counted = sqlite3_column_int(st, 4);
		char today[11];
		civil_date_iso(london_date(now), today);
		f.order_active = complete_by && strcmp(complete_by, today) >= 0 && status &&
				 (strcmp(status, "sent") == 0 || strcmp(status, "welcomed") == 0 ||
				  strcmp(status, "active") == 0);
		f.hours_left_minutes = activity - counted;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return rollback(s, -1);

	st = stmt(s, B_ALREADY);
	sqlite3_bind_int64(st, 1, session_id);
	sqlite3_bind_int64(st, 2, client_id);
	if (count_of(s, st, &f.already_booked) != 0)
		return rollback(s, -1);
	st = stmt(s, B_OVERLAP);
	sqlite3_bind_int64(st, 1, client_id);
	sqlite3_bind_int64(st, 2, session_id);
	sqlite3_bind_int64(st, 3, f.starts_at + (int64_t)minutes * 60);
	sqlite3_bind_int64(st, 4, f.starts_at);
	if (count_of(s, st, &f.overlaps) != 0)
		return rollback(s, -1);
	st = stmt(s, B_UPCOMING_MINUTES);
	sqlite3_bind_int64(st, 1, client_id);
	sqlite3_bind_int64(st, 2, now);
	if (count_of(s, st, &f.upcoming_minutes) != 0)
		return rollback(s, -1);

	*refusal = (int)booking_rules_check(&f);
	if (*refusal != BOOKING_OK)
		return rollback(s, 0);

	st = stmt(s, B_INSERT);
	sqlite3_bind_int64(st, 1, session_id);
	sqlite3_bind_int64(st, 2, client_id);
	sqlite3_bind_int64(st, 3, order_id);
	sqlite3_bind_int64(st, 4, now);
	/* Booked within a day of the start: the confirmation is the reminder. */
	if (f.starts_at - now <= 86400)
		sqlite3_bind_int64(st, 5, now);
	else
		sqlite3_bind_null(st, 5);
	if (sqlite_step_done(s, st) != 0)
		return rollback(s, -1);
	*booking_id = sqlite3_last_insert_rowid(sqlite_impl(s)->db);
	if (m && m->recipient && sqlite_insert_outbox(s, m, now) != 0)
		return rollback(s, -1);
	return sqlite_write_commit(s);
}

int sqlite_booking_cancel(struct store *s, int64_t booking_id, int64_t client_id, int64_t now,
			  const struct outbox_message *m)
{
	if (sqlite_write_begin(s) != 0)
		return -1;
	sqlite3_stmt *st = stmt(s, B_CANCEL);
	sqlite3_bind_int64(st, 1, booking_id);
	sqlite3_bind_int64(st, 2, client_id);
	sqlite3_bind_int64(st, 3, now);
	if (sqlite_step_done(s, st) != 0)
		return rollback(s, -1);
	if (changes(s) != 1)
		return rollback(s, STORE_NOT_FOUND);
	if (m && m->recipient && sqlite_insert_outbox(s, m, now) != 0)
		return rollback(s, -1);
	return sqlite_write_commit(s);
}

static void read_booking(sqlite3_stmt *st, struct pool *p, struct booking_row *b)
{
	b->id = sqlite3_column_int64(st, 0);
	b->session_id = sqlite3_column_int64(st, 1);
	b->client_id = sqlite3_column_int64(st, 2);
	b->order_id = sqlite3_column_int64(st, 3);
	b->status = text(st, 4, p);
	b->created_at = sqlite3_column_int64(st, 5);
	read_session_at(st, p, &b->session, 6);
	b->outcome = text(st, 18, p);
	b->credited_minutes = sqlite3_column_int(st, 19);
}

int sqlite_booking_get(struct store *s, struct pool *p, int64_t booking_id,
		       struct booking_row *out)
{
	sqlite3_stmt *st = stmt(s, B_GET);
	sqlite3_bind_int64(st, 1, booking_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_booking(st, p, out);
	sqlite3_reset(st);
	return found(rc);
}

int sqlite_bookings_for_client(struct store *s, struct pool *p, int64_t client_id, int upcoming,
			       int64_t now, int limit, struct booking_row **rows, size_t *count)
{
	sqlite3_stmt *st = stmt(s, upcoming ? B_UPCOMING : B_PAST);
	sqlite3_bind_int64(st, 1, client_id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int(st, 3, limit);
	READ_ROWS(st, p, limit, rows, count, read_booking);
	return 0;
}

/* ---- the register and the hours ledger --------------------------------------------- */

static void read_register_row(sqlite3_stmt *st, struct pool *p, struct register_row *r)
{
	r->booking_id = sqlite3_column_int64(st, 0);
	r->client_id = sqlite3_column_int64(st, 1);
	r->first_name = text(st, 2, p);
	r->last_name = text(st, 3, p);
	r->access_needs = text(st, 4, p);
	r->group_notes = text(st, 5, p);
	r->entry_id = sqlite3_column_int64(st, 6);
	r->outcome = text(st, 7, p);
	r->minutes = sqlite3_column_int(st, 8);
	r->reason = text(st, 9, p);
	r->note = text(st, 10, p);
	r->case_worker_email = text(st, 11, p);
	r->case_worker_name = text(st, 12, p);
	r->activity_minutes = sqlite3_column_int(st, 13);
	r->counted_minutes = sqlite3_column_int(st, 14);
	r->order_reference = text(st, 15, p);
}

int sqlite_register_rows(struct store *s, struct pool *p, int64_t session_id,
			 struct register_row **rows, size_t *count)
{
	sqlite3_stmt *st = stmt(s, R_ROWS);
	sqlite3_bind_int64(st, 1, session_id);
	READ_ROWS(st, p, 100, rows, count, read_register_row);
	return 0;
}

static int ledger_insert(struct store *s, int64_t order_id, const char *kind, int minutes,
			 int counted, int64_t entry_id, int64_t reverses_id, const char *reason,
			 int64_t by, int64_t now)
{
	sqlite3_stmt *st = stmt(s, R_LEDGER_INSERT);
	sqlite3_bind_int64(st, 1, order_id);
	sqlite_bind_text(st, 2, kind);
	sqlite3_bind_int(st, 3, minutes);
	sqlite3_bind_int(st, 4, counted);
	sqlite_bind_id(st, 5, entry_id);
	sqlite_bind_id(st, 6, reverses_id);
	sqlite_bind_text(st, 7, reason);
	sqlite3_bind_int64(st, 8, by);
	sqlite3_bind_int64(st, 9, now);
	return sqlite_step_done(s, st);
}

static int same_text(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static int order_counted(struct store *s, int64_t order_id, int *counted)
{
	int not_counted;
	return sqlite_order_hours(s, order_id, counted, &not_counted);
}

/* One item of register_save, inside its transaction: 0 with *result, or -1. */
static int save_item(struct store *s, int64_t session_id, int64_t by,
		     const struct register_item *it, int64_t now, int *result)
{
	sqlite3_stmt *st = stmt(s, R_BOOKING);
	sqlite3_bind_int64(st, 1, it->booking_id);
	sqlite3_bind_int64(st, 2, session_id);
	int rc = sqlite3_step(st);
	int64_t order_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	int activity = rc == SQLITE_ROW ? sqlite3_column_int(st, 1) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW) {
		*result = REGISTER_NOT_FOUND;
		return rc == SQLITE_DONE ? 0 : -1;
	}

	st = stmt(s, R_CURRENT);
	sqlite3_bind_int64(st, 1, it->booking_id);
	rc = sqlite3_step(st);
	int64_t current = 0;
	int same = 0;
	if (rc == SQLITE_ROW) {
		current = sqlite3_column_int64(st, 0);
		same = strcmp((const char *)sqlite3_column_text(st, 1), it->outcome) == 0 &&
		       sqlite3_column_int(st, 2) == it->minutes &&
		       same_text((const char *)sqlite3_column_text(st, 3), it->reason) &&
		       same_text((const char *)sqlite3_column_text(st, 4), it->note);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	/* Someone saved this line after the form was drawn. When they saved what this
	 * facilitator says too, there is nothing to do; otherwise theirs stands. */
	if (current != it->seen_entry_id) {
		*result = same ? REGISTER_UNCHANGED : REGISTER_CONFLICT;
		return 0;
	}
	if (current && same) {
		*result = REGISTER_UNCHANGED;
		return 0;
	}
	int correcting = current != 0;
	if (correcting && (it->correction_reason == NULL || it->correction_reason[0] == '\0')) {
		*result = REGISTER_NEEDS_REASON;
		return 0;
	}

	st = stmt(s, R_INSERT);
	sqlite3_bind_int64(st, 1, it->booking_id);
	sqlite_bind_text(st, 2, it->outcome);
	sqlite3_bind_int(st, 3, it->minutes);
	sqlite_bind_text(st, 4, it->reason);
	sqlite_bind_text(st, 5, it->note);
	sqlite_bind_id(st, 6, current);
	sqlite_bind_text(st, 7, correcting ? it->correction_reason : NULL);
	sqlite3_bind_int64(st, 8, by);
	sqlite3_bind_int64(st, 9, now);
	if (sqlite_step_done(s, st) != 0)
		return -1;
	int64_t entry = sqlite3_last_insert_rowid(sqlite_impl(s)->db);

	int counted_before;
	if (order_counted(s, order_id, &counted_before) != 0)
		return -1;
	if (correcting) {
		/* A correction: reverse what the superseded outcome credited, then credit anew. */
		st = stmt(s, R_LEDGER_FOR_ENTRY);
		sqlite3_bind_int64(st, 1, current);
		rc = sqlite3_step(st);
		int64_t old_id = 0;
		int old_minutes = 0, old_counted = 0;
		if (rc == SQLITE_ROW) {
			old_id = sqlite3_column_int64(st, 0);
			old_minutes = sqlite3_column_int(st, 1);
			old_counted = sqlite3_column_int(st, 2);
		}
		sqlite3_reset(st);
		if (old_id && ledger_insert(s, order_id, "reversal", -old_minutes, -old_counted, entry,
					    old_id, it->correction_reason, by, now) != 0)
			return -1;
	}
	int counted_now = counted_before;
	if (it->credit_minutes > 0) {
		if (order_counted(s, order_id, &counted_now) != 0)
			return -1;
		int counted = ledger_counted(it->credit_minutes, activity, counted_now);
		if (ledger_insert(s, order_id, "attendance", it->credit_minutes, counted, entry, 0,
				  correcting ? it->correction_reason : NULL, by, now) != 0)
			return -1;
		counted_now += counted;
	}
	if (ledger_outcome_alerts(ledger_outcome_parse(it->outcome)) && it->alert.recipient &&
	    sqlite_insert_outbox(s, &it->alert, now) != 0)
		return -1;
	if (counted_before < activity && counted_now >= activity && it->hours_done.recipient) {
		st = stmt(s, A_INSERT);
		sqlite3_bind_int64(st, 1, order_id);
		sqlite_bind_text(st, 2, "hours_complete");
		sqlite3_bind_int64(st, 3, now);
		if (sqlite_step_done(s, st) != 0)
			return -1;
		if (changes(s) == 1 && sqlite_insert_outbox(s, &it->hours_done, now) != 0)
			return -1;
	}
	*result = REGISTER_SAVED;
	return 0;
}

int sqlite_register_save(struct store *s, int64_t session_id, int64_t recorded_by,
			 const struct register_item *items, size_t count, int64_t now, int *results)
{
	if (sqlite_write_begin(s) != 0)
		return -1;
	for (size_t i = 0; i < count; i++)
		if (save_item(s, session_id, recorded_by, &items[i], now, &results[i]) != 0)
			return rollback(s, -1);
	return sqlite_write_commit(s);
}

int sqlite_order_hours(struct store *s, int64_t order_id, int *counted, int *not_counted)
{
	sqlite3_stmt *st = stmt(s, O_HOURS);
	sqlite3_bind_int64(st, 1, order_id);
	int rc = sqlite3_step(st);
	*counted = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	*not_counted = rc == SQLITE_ROW ? sqlite3_column_int(st, 1) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

static void read_event(sqlite3_stmt *st, struct pool *p, struct timeline_event *e)
{
	e->at = sqlite3_column_int64(st, 0);
	e->kind = text(st, 1, p);
	e->what = text(st, 2, p);
	e->detail = text(st, 3, p);
	e->minutes = sqlite3_column_int(st, 4);
	e->counted_minutes = sqlite3_column_int(st, 5);
	e->session_starts_at = sqlite3_column_int64(st, 6);
}

int sqlite_client_timeline(struct store *s, struct pool *p, int64_t client_id,
			   struct timeline_event **rows, size_t *count)
{
	sqlite3_stmt *st = stmt(s, TIMELINE);
	sqlite3_bind_int64(st, 1, client_id);
	READ_ROWS(st, p, 2000, rows, count, read_event);
	return 0;
}

/* ---- scheduled messages ------------------------------------------------------------ */

static void read_reminder(sqlite3_stmt *st, struct pool *p, struct reminder_due *r)
{
	r->booking_id = sqlite3_column_int64(st, 0);
	r->email = text(st, 1, p);
	r->first_name = text(st, 2, p);
	read_session_at(st, p, &r->session, 3);
}

int sqlite_reminders_due(struct store *s, struct pool *p, int64_t now, int limit,
			 struct reminder_due **rows, size_t *count)
{
	sqlite3_stmt *st = stmt(s, RM_DUE);
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, limit);
	sqlite3_bind_int64(st, 9, 0);
	READ_ROWS(st, p, limit, rows, count, read_reminder);
	return 0;
}

int sqlite_reminder_queue(struct store *s, int64_t booking_id, const struct outbox_message *m,
			  int64_t now)
{
	if (sqlite_write_begin(s) != 0)
		return -1;
	sqlite3_stmt *st = stmt(s, RM_MARK);
	sqlite3_bind_int64(st, 1, booking_id);
	sqlite3_bind_int64(st, 2, now);
	if (sqlite_step_done(s, st) != 0)
		return rollback(s, -1);
	if (changes(s) == 1 && sqlite_insert_outbox(s, m, now) != 0)
		return rollback(s, -1);
	return sqlite_write_commit(s);
}

static void read_order_due(sqlite3_stmt *st, struct pool *p, struct order_due *o)
{
	o->order_id = sqlite3_column_int64(st, 0);
	o->client_id = sqlite3_column_int64(st, 1);
	o->first_name = text(st, 2, p);
	o->last_name = text(st, 3, p);
	o->order_reference = text(st, 4, p);
	o->complete_by = text(st, 5, p);
	o->case_worker_email = text(st, 6, p);
	o->case_worker_name = text(st, 7, p);
	o->activity_minutes = sqlite3_column_int(st, 8);
	o->counted_minutes = sqlite3_column_int(st, 9);
}

int sqlite_orders_ending_soon(struct store *s, struct pool *p, const char *from, const char *by,
			      int limit,
			      struct order_due **rows, size_t *count)
{
	sqlite3_stmt *st = stmt(s, O_ENDING);
	sqlite_bind_text(st, 1, by);
	sqlite3_bind_int(st, 2, limit);
	sqlite_bind_text(st, 3, from);
	READ_ROWS(st, p, limit, rows, count, read_order_due);
	return 0;
}

int sqlite_order_alert_queue(struct store *s, int64_t order_id, const char *kind,
			     const struct outbox_message *m, int64_t now, int *queued)
{
	*queued = 0;
	if (sqlite_write_begin(s) != 0)
		return -1;
	sqlite3_stmt *st = stmt(s, A_INSERT);
	sqlite3_bind_int64(st, 1, order_id);
	sqlite_bind_text(st, 2, kind);
	sqlite3_bind_int64(st, 3, now);
	if (sqlite_step_done(s, st) != 0)
		return rollback(s, -1);
	if (changes(s) == 1) {
		if (sqlite_insert_outbox(s, m, now) != 0)
			return rollback(s, -1);
		*queued = 1;
	}
	return sqlite_write_commit(s);
}
