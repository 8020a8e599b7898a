/* sqlite_reports: the SQL of the weekly report (issue 5). */
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "domain/ledger.h"
#include "store/sqlite/sqlite_int.h"

enum stmt_id {
	W_LINES_CASE_WORKER,
	W_LINES_AUTHORITY,
	W_LINES_ALL,
	W_SESSIONS,
	W_MAX_ORDER,
	W_DUE,
	W_SENT_INSERT,
	W_AUDIT,
	W_COUNT
};

/* ?1 Monday ?2 Sunday (ISO dates), ?3 from ?4 to (UTC), ?5 the case worker or authority. */
#define LINE_SELECT                                                                            \
	"SELECT o.id, c.id, r.case_worker_id, r.authority_id, c.first_name, c.last_name, "     \
	"c.date_of_birth, r.case_reference, o.court_reference, o.reference, r.reference, "     \
	"o.complete_by, u.name, u.email, a.name, o.activity_minutes, "                       \
	"(SELECT coalesce(sum(h.counted_minutes), 0) FROM hours_ledger h "                     \
	" WHERE h.order_id = o.id AND h.at < ?4), "                                            \
	"(SELECT coalesce(sum(h.counted_minutes), 0) FROM hours_ledger h "                     \
	" WHERE h.order_id = o.id AND h.at >= ?3 AND h.at < ?4) "                              \
	"FROM referral r JOIN court_order o ON o.id = r.order_id "                             \
	"JOIN client c ON c.id = r.client_id JOIN user u ON u.id = r.case_worker_id "          \
	"JOIN local_authority a ON a.id = r.authority_id "                                     \
	"WHERE r.status <> 'withdrawn' AND o.imposed_on <= ?2 AND o.complete_by >= ?1 "
/* No ORDER BY: the lines are sorted in C (line_order), cheaper than SQLite's sorter. */

static const char *const stmts[W_COUNT] = {
	[W_LINES_CASE_WORKER] = LINE_SELECT "AND r.case_worker_id = ?5",
	[W_LINES_AUTHORITY] = LINE_SELECT "AND r.authority_id = ?5",
	[W_LINES_ALL] = LINE_SELECT "AND ?5 = 0",
	/* The bookings of sessions starting from the week's Monday, still booked, with the
	 * register's current outcome of those in the week (CROSS JOIN: from the sessions by
	 * time, which for a recent week are few, never from every booking). Added up per order
	 * in C, in an array by order id: no sort. */
	[W_SESSIONS] =
		"SELECT b.order_id, s.starts_at, e.outcome "
		"FROM group_session s CROSS JOIN booking b INDEXED BY booking_session_order "
		"ON b.session_id = s.id "
		"LEFT JOIN register_entry e ON s.starts_at < ?2 AND e.booking_id = b.id AND "
		"NOT EXISTS (SELECT 1 FROM register_entry x WHERE x.supersedes_id = e.id) "
		"WHERE s.starts_at >= ?1 AND b.status = 'booked'",
	[W_MAX_ORDER] = "SELECT coalesce(max(id), 0) FROM court_order",
	[W_DUE] = "SELECT DISTINCT u.id, u.email, u.name, u.authority_id FROM referral r "
		  "JOIN court_order o ON o.id = r.order_id JOIN user u ON u.id = r.case_worker_id "
		  "WHERE r.status <> 'withdrawn' AND o.imposed_on <= ?2 AND o.complete_by >= ?1 "
		  "AND r.created_at < ?5 AND NOT EXISTS (SELECT 1 FROM weekly_report_sent w "
		  "WHERE w.case_worker_id = u.id AND w.week = ?3) ORDER BY u.id LIMIT ?4",
	[W_SENT_INSERT] = "INSERT INTO weekly_report_sent(case_worker_id, week, at) "
			  "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
	[W_AUDIT] = "INSERT INTO audit(at, user_id, action, subject_type, subject_id, address) "
		    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
};

static sqlite3_stmt *stmt(struct store *s, enum stmt_id id)
{
	return sqlite_stmt(s, SQLITE_SLOTS_REPORTS + (int)id, stmts[id]);
}

#define text sqlite_col_text

/* Bytes of the file mapped into memory while it runs (pages read without a copy). */
#define SQLITE_REPORT_MMAP "1073741824"

struct week_counts {
	int booked, attended, missed, absence_accepted;
	int64_t next_at;
};

/* The week's sessions and the first booking after it, per order, in (*out)[order id] for
 * ids up to *max (the caller frees *out). */
static int week_counts(struct store *s, const struct weekly_query *q, struct week_counts **out,
		       int64_t *max)
{
	sqlite3_stmt *st = stmt(s, W_MAX_ORDER);
	int rc = sqlite3_step(st);
	*max = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return -1;
	struct week_counts *counts = mem_calloc((size_t)*max + 1, sizeof(*counts));
	st = stmt(s, W_SESSIONS);
	sqlite3_bind_int64(st, 1, q->from_utc);
	sqlite3_bind_int64(st, 2, q->to_utc);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t order = sqlite3_column_int64(st, 0), at = sqlite3_column_int64(st, 1);
		if (order < 1 || order > *max)
			continue; /* not in this snapshot's orders: cannot happen */
		struct week_counts *c = &counts[order];
		if (at >= q->to_utc) {
			if (c->next_at == 0 || at < c->next_at)
				c->next_at = at;
			continue;
		}
		c->booked++;
		const char *outcome = (const char *)sqlite3_column_text(st, 2);
		switch (outcome ? ledger_outcome_parse(outcome) : OUTCOME_NONE) {
		case OUTCOME_ATTENDED:
		case OUTCOME_ATTENDED_PART:
			c->attended++;
			break;
		case OUTCOME_DID_NOT_ATTEND:
		case OUTCOME_FAILED_TO_COMPLY:
			c->missed++;
			break;
		case OUTCOME_ABSENCE_ACCEPTED:
			c->absence_accepted++;
			break;
		default:
			break;
		}
	}
	sqlite3_reset(st);
	*out = counts;
	return rc == SQLITE_DONE ? 0 : -1;
}

static void read_line(sqlite3_stmt *st, struct pool *p, struct weekly_line *l)
{
	memset(l, 0, sizeof(*l));
	l->order_id = sqlite3_column_int64(st, 0);
	l->client_id = sqlite3_column_int64(st, 1);
	l->case_worker_id = sqlite3_column_int64(st, 2);
	l->authority_id = sqlite3_column_int64(st, 3);
	l->first_name = text(st, 4, p);
	l->last_name = text(st, 5, p);
	l->date_of_birth = text(st, 6, p);
	l->case_reference = text(st, 7, p);
	l->court_reference = text(st, 8, p);
	l->order_reference = text(st, 9, p);
	l->referral_reference = text(st, 10, p);
	l->complete_by = text(st, 11, p);
	l->case_worker_name = text(st, 12, p);
	l->case_worker_email = text(st, 13, p);
	l->authority_name = text(st, 14, p);
	l->activity_minutes = sqlite3_column_int(st, 15);
	l->done_minutes = sqlite3_column_int(st, 16);
	l->credited_minutes = sqlite3_column_int(st, 17);
}

/* By authority, case worker, last and first name (the same ids have the same names: most
 * comparisons of a sort are within one case worker's clients and skip those strcmps). */
static int line_order(const void *x, const void *y)
{
	const struct weekly_line *a = *(const struct weekly_line *const *)x;
	const struct weekly_line *b = *(const struct weekly_line *const *)y;
	int c = 0;
	if (a->authority_id != b->authority_id)
		c = strcmp(a->authority_name, b->authority_name);
	if (c == 0 && a->case_worker_id != b->case_worker_id) {
		c = strcmp(a->case_worker_name, b->case_worker_name);
		if (c == 0)
			c = a->case_worker_id > b->case_worker_id ? 1 : -1;
	}
	if (c == 0)
		c = strcmp(a->last_name, b->last_name);
	if (c == 0)
		c = strcmp(a->first_name, b->first_name);
	if (c == 0)
		c = (a->order_id > b->order_id) - (a->order_id < b->order_id);
	return c;
}

static int lines(struct store *s, struct pool *p, const struct weekly_query *q,
		 const struct week_counts *counts, int64_t max, struct weekly_line **out,
		 size_t *count)
{
	enum stmt_id id = q->case_worker_id ? W_LINES_CASE_WORKER
			  : q->authority_id ? W_LINES_AUTHORITY
					    : W_LINES_ALL;
	sqlite3_stmt *st = stmt(s, id);
	sqlite_bind_text(st, 1, q->monday);
	sqlite_bind_text(st, 2, q->sunday);
	sqlite3_bind_int64(st, 3, q->from_utc);
	sqlite3_bind_int64(st, 4, q->to_utc);
	sqlite3_bind_int64(st, 5, q->case_worker_id ? q->case_worker_id : q->authority_id);
	size_t n = 0, cap = 64;
	struct weekly_line *rows = pool_alloc(p, cap * sizeof(*rows));
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			struct weekly_line *bigger = pool_alloc(p, 2 * cap * sizeof(*rows));
			memcpy(bigger, rows, cap * sizeof(*rows));
			rows = bigger;
			cap *= 2;
		}
		struct weekly_line *l = &rows[n++];
		read_line(st, p, l);
		const struct week_counts *c =
			l->order_id >= 1 && l->order_id <= max ? &counts[l->order_id] : NULL;
		if (c) {
			l->booked = c->booked;
			l->attended = c->attended;
			l->missed = c->missed;
			l->absence_accepted = c->absence_accepted;
			l->next_booking_at = c->next_at;
		}
	}
	sqlite3_reset(st);
	/* Sorted by pointer (a line is 170 bytes: qsort would copy each many times). */
	const struct weekly_line **order = mem_alloc((n ? n : 1) * sizeof(*order));
	for (size_t i = 0; i < n; i++)
		order[i] = &rows[i];
	qsort(order, n, sizeof(*order), line_order);
	struct weekly_line *sorted = pool_alloc(p, (n ? n : 1) * sizeof(*sorted));
	for (size_t i = 0; i < n; i++)
		sorted[i] = *order[i];
	free(order);
	*out = sorted;
	*count = n;
	return rc == SQLITE_DONE ? 0 : -1;
}

int sqlite_weekly_report(struct store *s, struct pool *p, const struct weekly_query *q,
			 struct weekly_line **rows, size_t *count)
{
	/* A country's or an authority's report reads most of the orders, clients and ledger
	 * at random: with a connection's 1 MB page cache it rereads the same pages from the
	 * file again and again (most of its time). The file mapped while it runs, given back
	 * after. */
	int big = q->case_worker_id == 0;
	if (big)
		sqlite_exec(s, "PRAGMA mmap_size = " SQLITE_REPORT_MMAP);
	/* Both reads see one snapshot, unless the caller holds one already. */
	int own = sqlite3_get_autocommit(sqlite_impl(s)->db);
	if (own && sqlite_exec(s, "BEGIN") != 0)
		return -1;
	struct week_counts *counts = NULL;
	int64_t max = 0;
	int rc = week_counts(s, q, &counts, &max);
	if (rc == 0)
		rc = lines(s, p, q, counts, max, rows, count);
	free(counts);
	if (own)
		sqlite_exec(s, "COMMIT");
	if (big) {
		sqlite_exec(s, "PRAGMA mmap_size = 0");
		sqlite3_db_release_memory(sqlite_impl(s)->db);
	}
	return rc;
}

static void read_user(sqlite3_stmt *st, struct pool *p, struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(st, 0);
	u->email = text(st, 1, p);
	u->name = text(st, 2, p);
	u->authority_id = sqlite3_column_int64(st, 3);
	u->role = ROLE_CASE_WORKER;
}

int sqlite_weekly_report_due(struct store *s, struct pool *p, const struct weekly_query *q,
			     int limit, struct user **rows, size_t *count)
{
	sqlite3_stmt *st = stmt(s, W_DUE);
	sqlite_bind_text(st, 1, q->monday);
	sqlite_bind_text(st, 2, q->sunday);
	sqlite_bind_text(st, 3, q->week);
	sqlite3_bind_int(st, 4, limit);
	sqlite3_bind_int64(st, 5, q->to_utc);
	*rows = pool_alloc(p, sizeof(**rows) * (size_t)(limit > 0 ? limit : 1));
	*count = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *count < (size_t)limit)
		read_user(st, p, &(*rows)[(*count)++]);
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

int sqlite_weekly_report_queue(struct store *s, int64_t case_worker_id, const char *week,
			       const struct outbox_message *m, int64_t now, int *queued)
{
	*queued = 0;
	if (sqlite_write_begin(s) != 0)
		return -1;
	sqlite3_stmt *st = stmt(s, W_SENT_INSERT);
	sqlite3_bind_int64(st, 1, case_worker_id);
	sqlite_bind_text(st, 2, week);
	sqlite3_bind_int64(st, 3, now);
	if (sqlite_step_done(s, st) != 0)
		return sqlite_write_rollback(s, -1);
	if (sqlite3_changes(sqlite_impl(s)->db) == 1) {
		if (sqlite_insert_outbox(s, m, now) != 0)
			return sqlite_write_rollback(s, -1);
		*queued = 1;
	}
	return sqlite_write_commit(s);
}

int sqlite_audit_add_many(struct store *s, int64_t user_id, const char *action,
			  const char *subject_type, const int64_t *subject_ids, size_t count,
			  const char *address, int64_t now)
{
	if (count == 0)
		return 0;
	if (sqlite_write_begin(s) != 0)
		return -1;
	for (size_t i = 0; i < count; i++) {
		sqlite3_stmt *st = stmt(s, W_AUDIT);
		sqlite3_bind_int64(st, 1, now);
		sqlite3_bind_int64(st, 2, user_id);
		sqlite_bind_text(st, 3, action);
		sqlite_bind_text(st, 4, subject_type);
		sqlite3_bind_int64(st, 5, subject_ids[i]);
		sqlite_bind_text(st, 6, address ? address : "");
		if (sqlite_step_done(s, st) != 0)
			return sqlite_write_rollback(s, -1);
	}
	return sqlite_write_commit(s);
}

