/* The SQLite backend's operations for session feedback and the impact dashboard. Its SQL
 * is stmts[] below. The dashboard reads impact_day (migration 005), where triggers keep
 * running totals of bookings, register outcomes, ledger credits and answers per kind,
 * authority, London day and topic: every figure is a sum over ranges of that table's key. */
#include <string.h>

#include "store/sqlite/sqlite_int.h"

enum impact_stmt_id {
	F_PENDING,
	F_GET,
	F_BOOKING_OK,
	F_INSERT,
	F_DUE,
	F_REQUEST_INSERT,
	I_AUTHORITIES,
	I_SUM_ALL,
	I_SUM_AREA,
	I_REFERRALS_ALL,
	I_REFERRALS_AREA,
	I_TOPICS_ALL,
	I_TOPICS_AREA,
	I_DEMO_FEEDBACK,
	I_DEMO_REQUESTS,
	I_COUNT
};

/* The current register entry of a booking is the one no later entry supersedes. */
#define ATTENDED(e)                                                                            \
	e ".outcome IN ('attended', 'attended_part') AND NOT EXISTS (SELECT 1 FROM "           \
	  "register_entry x WHERE x.supersedes_id = " e ".id)"

static const char *const stmts[I_COUNT] = {
	/* Columns as sqlite_sessions.c's BOOKING_COLUMNS reads them, without what the home
	 * page does not show. */
	[F_PENDING] = "SELECT b.id, g.starts_at, t.name FROM booking b "
		      "JOIN group_session g ON g.id = b.session_id JOIN topic t ON t.id = g.topic_id "
		      "JOIN register_entry e ON e.booking_id = b.id "
		      "WHERE b.client_id = ?1 AND b.status = 'booked' AND " ATTENDED("e") " AND "
		      "NOT EXISTS (SELECT 1 FROM feedback f WHERE f.booking_id = b.id) "
		      "ORDER BY g.starts_at DESC, b.id DESC LIMIT ?2",
	[F_GET] = "SELECT booking_id, knowledge_improved, will_apply, rating, comment, answered_at "
		  "FROM feedback WHERE booking_id = ?1",
	[F_BOOKING_OK] = "SELECT 1 FROM booking b JOIN register_entry e ON e.booking_id = b.id "
			 "WHERE b.id = ?1 AND b.client_id = ?2 AND b.status = 'booked' AND "
			 ATTENDED("e"),
	[F_INSERT] = "INSERT INTO feedback(booking_id, knowledge_improved, will_apply, rating, "
		     "comment, answered_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
	/* From the sessions of the window (group_session_start), so each pass reads a few days
	 * of bookings, not all of them: CROSS JOIN keeps that order, which the planner, with
	 * no statistics, does not choose by itself (it scanned every booking, 0.7 s a pass at
	 * national scale). */
	[F_DUE] = "SELECT b.id, c.email, c.first_name, t.name, g.starts_at FROM group_session g "
		  "CROSS JOIN booking b CROSS JOIN register_entry e "
		  "JOIN client c ON c.id = b.client_id JOIN topic t ON t.id = g.topic_id "
		  "WHERE g.starts_at >= ?1 AND g.starts_at < ?2 AND g.starts_at + g.minutes * 60 <= ?2 "
		  "AND b.session_id = g.id AND b.status = 'booked' AND e.booking_id = b.id AND "
		  "c.email IS NOT NULL AND " ATTENDED("e") " AND "
		  "NOT EXISTS (SELECT 1 FROM feedback_request q WHERE q.booking_id = b.id) AND "
		  "NOT EXISTS (SELECT 1 FROM feedback f WHERE f.booking_id = b.id) "
		  "ORDER BY g.starts_at, b.id LIMIT ?3",
	[F_REQUEST_INSERT] = "INSERT INTO feedback_request(booking_id, at) VALUES (?1, ?2) "
			     "ON CONFLICT DO NOTHING",
	[I_AUTHORITIES] = "SELECT id, name FROM local_authority ORDER BY name",
	/* All of Scotland is every authority's range of the table's key, one after another. */
	[I_SUM_ALL] = "SELECT coalesce(sum(amount), 0), coalesce(sum(yes), 0), "
		      "coalesce(sum(yes_too), 0) FROM impact_day WHERE kind = ?1 AND "
		      "authority_id IN (SELECT id FROM local_authority) AND "
		      "day >= ?2 AND day < ?3",
	[I_SUM_AREA] = "SELECT coalesce(sum(amount), 0), coalesce(sum(yes), 0), "
		       "coalesce(sum(yes_too), 0) FROM impact_day "
		       "WHERE kind = ?1 AND authority_id = ?4 AND day >= ?2 AND day < ?3",
	[I_REFERRALS_ALL] = "SELECT count(DISTINCT client_id), count(DISTINCT case_worker_id), "
			    "count(DISTINCT authority_id) FROM referral "
			    "WHERE created_at >= ?1 AND created_at < ?2",
	[I_REFERRALS_AREA] = "SELECT count(DISTINCT client_id), count(DISTINCT case_worker_id), "
			     "count(DISTINCT authority_id) FROM referral "
			     "WHERE authority_id = ?3 AND created_at >= ?1 AND created_at < ?2",
	/* Every topic, those with no hours too; the sums come from one index range. */
	[I_TOPICS_ALL] = "SELECT t.id, t.name, coalesce(m.minutes, 0) FROM topic t LEFT JOIN "
			 "(SELECT topic_id, sum(amount) AS minutes FROM impact_day "
			 "WHERE kind = 'topic' AND authority_id IN (SELECT id FROM local_authority) "
			 "AND day >= ?1 AND day < ?2 GROUP BY topic_id) m "
			 "ON m.topic_id = t.id ORDER BY t.name",
	[I_TOPICS_AREA] = "SELECT t.id, t.name, coalesce(m.minutes, 0) FROM topic t LEFT JOIN "
			  "(SELECT topic_id, sum(amount) AS minutes FROM impact_day "
			  "WHERE kind = 'topic' AND authority_id = ?3 AND day >= ?1 AND day < ?2 "
			  "GROUP BY topic_id) m ON m.topic_id = t.id ORDER BY t.name",
	/* The national demo's answers: about 70% of the sessions attended before ?1 get one,
	 * chosen and filled in from the booking's id, so every load gives the same answers
	 * (87% say their knowledge improved, 96% that they will apply it, as the seed reports). */
	[I_DEMO_FEEDBACK] = "INSERT INTO feedback(booking_id, knowledge_improved, will_apply, "
			    "rating, comment, answered_at) "
			    "SELECT b.id, (b.id * 37) % 100 < 87, (b.id * 53) % 100 < 96, "
			    "CASE (b.id * 7) % 10 WHEN 0 THEN 3 WHEN 1 THEN 3 WHEN 2 THEN 4 "
			    "WHEN 3 THEN 4 WHEN 4 THEN 4 WHEN 5 THEN 2 ELSE 5 END, NULL, "
			    "min(?1, e.recorded_at + 3600 * (1 + b.id % 47)) "
			    "FROM booking b JOIN register_entry e ON e.booking_id = b.id "
			    "WHERE e.recorded_at < ?1 AND (b.id * 61) % 100 < 70 AND " ATTENDED("e")
			    " ORDER BY b.id",
	/* ...and every session attended before then had its request long ago. */
	[I_DEMO_REQUESTS] = "INSERT INTO feedback_request(booking_id, at) "
			    "SELECT e.booking_id, e.recorded_at FROM register_entry e "
			    "WHERE e.recorded_at < ?1 AND " ATTENDED("e") " ORDER BY e.booking_id "
			    "ON CONFLICT DO NOTHING",
};

_Static_assert(I_COUNT <= SQLITE_SLOTS_PER_FILE, "too many statements for the slots");

static sqlite3_stmt *stmt(struct store *s, enum impact_stmt_id id)
{
	return sqlite_stmt(s, SQLITE_SLOTS_IMPACT + (int)id, stmts[id]);
}

#define text sqlite_col_text

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

/* ---- feedback ---------------------------------------------------------------------- */

static void read_pending(sqlite3_stmt *st, struct pool *p, struct booking_row *b)
{
	memset(b, 0, sizeof(*b));
	b->id = sqlite3_column_int64(st, 0);
	b->session.starts_at = sqlite3_column_int64(st, 1);
	b->session.topic_name = text(st, 2, p);
	b->outcome = "attended";
}

int sqlite_feedback_pending(struct store *s, struct pool *p, int64_t client_id, int limit,
			    struct booking_row **rows, size_t *count)
{
	sqlite3_stmt *st = stmt(s, F_PENDING);
	sqlite3_bind_int64(st, 1, client_id);
	sqlite3_bind_int(st, 2, limit);
	READ_ROWS(st, p, limit, rows, count, read_pending);
	return 0;
}

int sqlite_feedback_get(struct store *s, struct pool *p, int64_t booking_id,
			struct feedback_answer *out)
{
	sqlite3_stmt *st = stmt(s, F_GET);
	sqlite3_bind_int64(st, 1, booking_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->booking_id = sqlite3_column_int64(st, 0);
		out->knowledge_improved = sqlite3_column_int(st, 1);
		out->will_apply = sqlite3_column_int(st, 2);
		out->rating = sqlite3_column_int(st, 3);
		out->comment = text(st, 4, p);
		out->answered_at = sqlite3_column_int64(st, 5);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOT_FOUND : -1;
}

int sqlite_feedback_add(struct store *s, int64_t client_id, const struct feedback_answer *a,
			int64_t now, int *result)
{
	*result = FEEDBACK_NOT_ALLOWED;
	if (sqlite_write_begin(s) != 0)
		return -1;
	/* Checked inside the write transaction: a correction to the register saved meanwhile
	 * cannot slip between the check and the insert. */
	sqlite3_stmt *st = stmt(s, F_BOOKING_OK);
	sqlite3_bind_int64(st, 1, a->booking_id);
	sqlite3_bind_int64(st, 2, client_id);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return sqlite_write_rollback(s, rc == SQLITE_DONE ? 0 : -1);
	st = stmt(s, F_INSERT);
	sqlite3_bind_int64(st, 1, a->booking_id);
	sqlite3_bind_int(st, 2, a->knowledge_improved ? 1 : 0);
	sqlite3_bind_int(st, 3, a->will_apply ? 1 : 0);
	sqlite3_bind_int(st, 4, a->rating);
	sqlite_bind_text(st, 5, a->comment);
	sqlite3_bind_int64(st, 6, now);
	if (sqlite_step_done(s, st) != 0)
		return sqlite_write_rollback(s, -1);
	*result = sqlite3_changes(sqlite_impl(s)->db) == 1 ? FEEDBACK_SAVED : FEEDBACK_ALREADY;
	return sqlite_write_commit(s);
}

static void read_due(sqlite3_stmt *st, struct pool *p, struct feedback_due *d)
{
	d->booking_id = sqlite3_column_int64(st, 0);
	d->email = text(st, 1, p);
	d->first_name = text(st, 2, p);
	d->topic_name = text(st, 3, p);
	d->starts_at = sqlite3_column_int64(st, 4);
}

int sqlite_feedback_requests_due(struct store *s, struct pool *p, int64_t since, int64_t now,
				 int limit, struct feedback_due **rows, size_t *count)
{
	sqlite3_stmt *st = stmt(s, F_DUE);
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int(st, 3, limit);
	READ_ROWS(st, p, limit, rows, count, read_due);
	return 0;
}

int sqlite_feedback_request_queue(struct store *s, int64_t booking_id,
				  const struct outbox_message *m, int64_t now, int *queued)
{
	*queued = 0;
	if (sqlite_write_begin(s) != 0)
		return -1;
	sqlite3_stmt *st = stmt(s, F_REQUEST_INSERT);
	sqlite3_bind_int64(st, 1, booking_id);
	sqlite3_bind_int64(st, 2, now);
	if (sqlite_step_done(s, st) != 0)
		return sqlite_write_rollback(s, -1);
	if (sqlite3_changes(sqlite_impl(s)->db) == 1) {
		if (sqlite_insert_outbox(s, m, now) != 0)
			return sqlite_write_rollback(s, -1);
		*queued = 1;
	}
	return sqlite_write_commit(s);
}

/* ---- the dashboard ------------------------------------------------------------------- */

static void read_authority(sqlite3_stmt *st, struct pool *p, struct authority *a)
{
	a->id = sqlite3_column_int64(st, 0);
	a->name = text(st, 1, p);
	a->cap_percent = 0;
}

int sqlite_authorities_list(struct store *s, struct pool *p, struct authority **rows,
			    size_t *count)
{
	sqlite3_stmt *st = stmt(s, I_AUTHORITIES);
	READ_ROWS(st, p, 200, rows, count, read_authority);
	return 0;
}

/* Sums of one kind of figure over London days [from_day, to_day): amount, yes and yes_too into out[0..2]. */
static int event_sums(struct store *s, const char *kind, int64_t authority_id, int64_t from_day,
		      int64_t to_day, int64_t *out[3])
{
	sqlite3_stmt *st = stmt(s, authority_id ? I_SUM_AREA : I_SUM_ALL);
	sqlite_bind_text(st, 1, kind);
	sqlite3_bind_int64(st, 2, from_day);
	sqlite3_bind_int64(st, 3, to_day);
	if (authority_id)
		sqlite3_bind_int64(st, 4, authority_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		for (int i = 0; i < 3; i++)
			if (out[i])
				*out[i] = sqlite3_column_int64(st, i);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

int sqlite_impact_referrals(struct store *s, int64_t authority_id, struct impact_figures *f)
{
	sqlite3_stmt *st = stmt(s, authority_id ? I_REFERRALS_AREA : I_REFERRALS_ALL);
	sqlite3_bind_int64(st, 1, f->from);
	sqlite3_bind_int64(st, 2, f->to);
	if (authority_id)
		sqlite3_bind_int64(st, 3, authority_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		f->clients_referred = sqlite3_column_int64(st, 0);
		f->case_workers = sqlite3_column_int64(st, 1);
		f->authorities = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

int sqlite_impact_figures(struct store *s, int64_t authority_id, struct impact_figures *f)
{
	if (sqlite_impact_referrals(s, authority_id, f) != 0)
		return -1;
	int64_t *booking[3] = {&f->bookings, NULL, NULL};
	int64_t *minutes[3] = {&f->minutes, NULL, NULL};
	int64_t *outcome[3] = {&f->outcomes, &f->attended, NULL};
	int64_t *feedback[3] = {&f->feedback, &f->knowledge, &f->apply};
	if (event_sums(s, "booking", authority_id, f->from_day, f->to_day, booking) != 0 ||
	    event_sums(s, "minutes", authority_id, f->from_day, f->to_day, minutes) != 0 ||
	    event_sums(s, "outcome", authority_id, f->from_day, f->to_day, outcome) != 0 ||
	    event_sums(s, "feedback", authority_id, f->from_day, f->to_day, feedback) != 0)
		return -1;
	return 0;
}

static void read_topic(sqlite3_stmt *st, struct pool *p, struct impact_topic *t)
{
	t->topic_id = sqlite3_column_int64(st, 0);
	t->name = text(st, 1, p);
	t->minutes = sqlite3_column_int64(st, 2);
}

int sqlite_impact_topics(struct store *s, struct pool *p, int64_t authority_id,
			 int64_t from_day, int64_t to_day, struct impact_topic **rows, size_t *count)
{
	sqlite3_stmt *st = stmt(s, authority_id ? I_TOPICS_AREA : I_TOPICS_ALL);
	sqlite3_bind_int64(st, 1, from_day);
	sqlite3_bind_int64(st, 2, to_day);
	if (authority_id)
		sqlite3_bind_int64(st, 3, authority_id);
	READ_ROWS(st, p, 500, rows, count, read_topic);
	return 0;
}

/* ---- the national demo ------------------------------------------------------------- */

int sqlite_impact_demo_feedback(struct store *s, int64_t now, struct err *e)
{
	for (int id = I_DEMO_FEEDBACK; id <= I_DEMO_REQUESTS; id++) {
		sqlite3_stmt *st = stmt(s, (enum impact_stmt_id)id);
		sqlite3_bind_int64(st, 1, now);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			err_set(e, "cannot add the demo's feedback: %s",
				sqlite3_errmsg(sqlite_impl(s)->db));
			return -1;
		}
	}
	return 0;
}
