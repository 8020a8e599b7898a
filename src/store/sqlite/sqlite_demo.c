/* Loading a national-size demo data set (store_ops.demo_load). Its SQL is kept here, apart
 * from sqlite_store.c's statements, because it runs once per database, in one transaction
 * of tens of thousands of rows, and no request ever uses it. The statements are still named
 * and take every value through a placeholder. */
#include <stdio.h>
#include <stdlib.h>

#include "core/log.h"
#include "core/mem.h"
#include "domain/ledger.h"
#include "store/sqlite/sqlite_int.h"

enum demo_stmt_id {
	D_CLIENT_COUNT,
	D_USER_INSERT,
	D_CLIENT_INSERT,
	D_ORDER_INSERT,
	D_REFERRAL_INSERT,
	D_TASK_INSERT,
	D_SESSION_INSERT,
	D_BOOKING_INSERT,
	D_REGISTER_INSERT,
	D_LEDGER_INSERT,
	D_COUNT
};

static const char *const demo_stmts[D_COUNT] = {
	[D_CLIENT_COUNT] = "SELECT count(*) FROM client",
	[D_USER_INSERT] = "INSERT INTO user(email, name, role, authority_id, client_id, "
			  "password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[D_CLIENT_INSERT] = "INSERT INTO client(authority_id, first_name, last_name, "
			    "date_of_birth, email, mobile, access_needs, group_notes, created_at) "
			    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[D_ORDER_INSERT] = "INSERT INTO court_order(client_id, reference, court_reference, "
			   "imposed_on, unpaid_hours, activity_minutes, complete_by, created_at) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[D_REFERRAL_INSERT] = "INSERT INTO referral(reference, client_id, order_id, "
			      "case_worker_id, authority_id, case_reference, form_token, status, "
			      "created_at) "
			      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[D_TASK_INSERT] = "INSERT INTO task(kind, referral_id, created_at) "
			  "VALUES ('welcome_call', ?1, ?2)",
	[D_SESSION_INSERT] = "INSERT INTO group_session(topic_id, starts_at, minutes, capacity, "
			     "facilitator_id, joining_link, series, created_at) "
			     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7)",
	[D_BOOKING_INSERT] = "INSERT INTO booking(session_id, client_id, order_id, status, "
			     "created_at, cancelled_at, reminder_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[D_REGISTER_INSERT] = "INSERT INTO register_entry(booking_id, outcome, minutes, reason, "
			      "recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[D_LEDGER_INSERT] = "INSERT INTO hours_ledger(order_id, kind, minutes, counted_minutes, "
			    "register_entry_id, recorded_by, at) "
			    "VALUES (?1, 'attendance', ?2, ?3, ?4, ?5, ?6)",
};

#define bind_text sqlite_bind_text
#define bind_id sqlite_bind_id

/* Runs an insert to completion and resets it; the new row's id in *id when id is given. */
static int insert(sqlite3 *db, sqlite3_stmt *st, int64_t *id)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return -1;
	if (id)
		*id = sqlite3_last_insert_rowid(db);
	return 0;
}

/* What the bookings need of each referral and session, by index. */
struct demo_ids {
	int64_t *client, *order, *session;
	int *activity, *counted;
};

static int load_bookings(sqlite3 *db, sqlite3_stmt **st, struct store_demo *d,
			 struct demo_ids *ids, struct err *e);

static int load(sqlite3 *db, sqlite3_stmt **st, struct store_demo *d, struct demo_ids *ids,
		struct err *e)
{
	if (sqlite3_step(st[D_CLIENT_COUNT]) != SQLITE_ROW)
		return err_set(e, "cannot count clients: %s", sqlite3_errmsg(db));
	if (sqlite3_column_int64(st[D_CLIENT_COUNT], 0) > 0)
		return err_set(e, "the database has clients already: demo data at scale goes "
				  "into a new database");
	sqlite3_reset(st[D_CLIENT_COUNT]);

	for (size_t i = 0; i < d->nstaff; i++) {
		struct user *u = &d->staff[i];
		if (u->id)
			continue;
		sqlite3_stmt *q = st[D_USER_INSERT];
		bind_text(q, 1, u->email);
		bind_text(q, 2, u->name);
		bind_text(q, 3, role_name(u->role));
		bind_id(q, 4, u->authority_id);
		sqlite3_bind_null(q, 5);
		bind_text(q, 6, u->password_hash ? u->password_hash : "");
		sqlite3_bind_int64(q, 7, d->now);
		if (insert(db, q, &u->id) != 0)
			return err_set(e, "cannot add user %s: %s", u->email, sqlite3_errmsg(db));
	}

	for (size_t i = 0; i < d->nreferrals; i++) {
		const struct store_demo_referral *x = &d->referrals[i];
		const struct referral_new *r = &x->r;
		if (x->case_worker >= d->nstaff)
			return err_set(e, "referral %zu names no case worker", i);
		int64_t client_id, order_id, referral_id;

		sqlite3_stmt *q = st[D_CLIENT_INSERT];
		sqlite3_bind_int64(q, 1, r->authority_id);
		bind_text(q, 2, r->first_name);
		bind_text(q, 3, r->last_name);
		bind_text(q, 4, r->date_of_birth);
		bind_text(q, 5, r->email);
		bind_text(q, 6, r->mobile);
		bind_text(q, 7, r->access_needs);
		bind_text(q, 8, r->group_notes);
		sqlite3_bind_int64(q, 9, r->now);
		if (insert(db, q, &client_id) != 0)
			goto fail;

		q = st[D_ORDER_INSERT];
		sqlite3_bind_int64(q, 1, client_id);
		bind_text(q, 2, r->order_reference);
		bind_text(q, 3, r->court_reference);
		bind_text(q, 4, r->imposed_on);
		sqlite3_bind_int(q, 5, r->unpaid_hours);
		sqlite3_bind_int(q, 6, r->activity_minutes);
		bind_text(q, 7, r->complete_by);
		sqlite3_bind_int64(q, 8, r->now);
		if (insert(db, q, &order_id) != 0)
			goto fail;
		ids->client[i] = client_id;
		ids->order[i] = order_id;
		ids->activity[i] = r->activity_minutes;

		q = st[D_REFERRAL_INSERT];
		bind_text(q, 1, r->reference);
		sqlite3_bind_int64(q, 2, client_id);
		sqlite3_bind_int64(q, 3, order_id);
		sqlite3_bind_int64(q, 4, d->staff[x->case_worker].id);
		sqlite3_bind_int64(q, 5, r->authority_id);
		bind_text(q, 6, r->case_reference);
		bind_text(q, 7, r->form_token);
		bind_text(q, 8, x->status);
		sqlite3_bind_int64(q, 9, r->now);
		if (insert(db, q, &referral_id) != 0)
			goto fail;

		/* A referral nobody has welcomed yet still waits for its welcome call. */
		if (x->status == NULL || x->status[0] == 's') {
			q = st[D_TASK_INSERT];
			sqlite3_bind_int64(q, 1, referral_id);
			sqlite3_bind_int64(q, 2, r->now);
			if (insert(db, q, NULL) != 0)
				goto fail;
		}

		if (x->account_email) {
			q = st[D_USER_INSERT];
			bind_text(q, 1, x->account_email);
			char name[256];
			int n = snprintf(name, sizeof(name), "%s %s", r->first_name, r->last_name);
			if (n < 0 || (size_t)n >= sizeof(name))
				return err_set(e, "demo client %s has too long a name",
					       r->reference);
			sqlite3_bind_text(q, 2, name, -1, SQLITE_TRANSIENT);
			bind_text(q, 3, role_name(ROLE_CLIENT));
			sqlite3_bind_null(q, 4);
			sqlite3_bind_int64(q, 5, client_id);
			bind_text(q, 6, d->account_password_hash ? d->account_password_hash : "");
			sqlite3_bind_int64(q, 7, d->now);
			if (insert(db, q, NULL) != 0)
				goto fail;
		}
		continue;
	fail:
		return err_set(e, "cannot add demo referral %s: %s", r->reference,
			       sqlite3_errmsg(db));
	}
	return load_bookings(db, st, d, ids, e);
}

static int load_bookings(sqlite3 *db, sqlite3_stmt **st, struct store_demo *d,
			 struct demo_ids *ids, struct err *e)
{
	for (size_t i = 0; i < d->nsessions; i++) {
		const struct store_demo_session *g = &d->sessions[i];
		if (g->facilitator >= d->nstaff)
			return err_set(e, "session %zu names no facilitator", i);
		char link[80];
		snprintf(link, sizeof(link), "https://meet.example.org/cairn-national-%zu", i + 1);
		sqlite3_stmt *q = st[D_SESSION_INSERT];
		sqlite3_bind_int64(q, 1, g->topic_id);
		sqlite3_bind_int64(q, 2, g->starts_at);
		sqlite3_bind_int(q, 3, g->minutes);
		sqlite3_bind_int(q, 4, g->capacity);
		sqlite3_bind_int64(q, 5, d->staff[g->facilitator].id);
		sqlite3_bind_text(q, 6, link, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(q, 7, g->starts_at - 60 * 86400);
		if (insert(db, q, &ids->session[i]) != 0)
			return err_set(e, "cannot add demo session %zu: %s", i, sqlite3_errmsg(db));
	}
	for (size_t i = 0; i < d->nbookings; i++) {
		const struct store_demo_booking *b = &d->bookings[i];
		if (b->session >= d->nsessions || b->referral >= d->nreferrals)
			return err_set(e, "booking %zu names no session or referral", i);
		int64_t booking_id, entry_id;
		sqlite3_stmt *q = st[D_BOOKING_INSERT];
		sqlite3_bind_int64(q, 1, ids->session[b->session]);
		sqlite3_bind_int64(q, 2, ids->client[b->referral]);
		sqlite3_bind_int64(q, 3, ids->order[b->referral]);
		bind_text(q, 4, b->cancelled_at ? "cancelled" : "booked");
		sqlite3_bind_int64(q, 5, b->created_at);
		bind_id(q, 6, b->cancelled_at);
		bind_id(q, 7, b->reminder_at);
		if (insert(db, q, &booking_id) != 0)
			goto fail;
		if (b->cancelled_at || b->outcome == NULL)
			continue;
		int64_t by = d->staff[d->sessions[b->session].facilitator].id;
		q = st[D_REGISTER_INSERT];
		sqlite3_bind_int64(q, 1, booking_id);
		bind_text(q, 2, b->outcome);
		sqlite3_bind_int(q, 3, b->minutes);
		bind_text(q, 4, b->reason);
		sqlite3_bind_int64(q, 5, by);
		sqlite3_bind_int64(q, 6, b->recorded_at);
		if (insert(db, q, &entry_id) != 0)
			goto fail;
		/* As the register does: attendance credits its minutes, counted only up to
		 * the order's activity minutes. */
		int credit = ledger_credit_minutes(ledger_outcome_parse(b->outcome),
						   d->sessions[b->session].minutes, b->minutes);
		if (credit <= 0)
			continue;
		int counted = ledger_counted(credit, ids->activity[b->referral],
					     ids->counted[b->referral]);
		ids->counted[b->referral] += counted;
		q = st[D_LEDGER_INSERT];
		sqlite3_bind_int64(q, 1, ids->order[b->referral]);
		sqlite3_bind_int(q, 2, credit);
		sqlite3_bind_int(q, 3, counted);
		sqlite3_bind_int64(q, 4, entry_id);
		sqlite3_bind_int64(q, 5, by);
		sqlite3_bind_int64(q, 6, b->recorded_at);
		if (insert(db, q, NULL) != 0)
			goto fail;
		continue;
	fail:
		return err_set(e, "cannot add demo booking %zu: %s", i, sqlite3_errmsg(db));
	}
	return 0;
}

int sqlite_demo_load(struct store *s, struct store_demo *d, struct err *e)
{
	sqlite3 *db = sqlite_impl(s)->db;
	sqlite3_stmt *st[D_COUNT] = {0};
	for (int i = 0; i < D_COUNT; i++)
		if (sqlite3_prepare_v2(db, demo_stmts[i], -1, &st[i], NULL) != SQLITE_OK) {
			/* The SQL is ours: failing to prepare it is a bug, found by the tests. */
			log_error("sqlite: cannot prepare demo statement %d: %s", i,
				  sqlite3_errmsg(db));
			abort();
		}
	int rc = -1;
	struct demo_ids ids = {
		.client = mem_calloc(d->nreferrals + 1, sizeof(int64_t)),
		.order = mem_calloc(d->nreferrals + 1, sizeof(int64_t)),
		.session = mem_calloc(d->nsessions + 1, sizeof(int64_t)),
		.activity = mem_calloc(d->nreferrals + 1, sizeof(int)),
		.counted = mem_calloc(d->nreferrals + 1, sizeof(int)),
	};
	if (sqlite_write_begin(s) != 0) {
		err_set(e, "the database is busy: %s", sqlite3_errmsg(db));
	} else if (load(db, st, d, &ids, e) != 0 || sqlite_impact_demo_feedback(s, d->now, e) != 0) {
		sqlite_write_rollback(s, -1);
	} else if (sqlite_write_commit(s) != 0) {
		err_set(e, "cannot commit the demo data (the log says why)");
	} else {
		rc = 0;
	}
	for (int i = 0; i < D_COUNT; i++)
		sqlite3_finalize(st[i]);
	free(ids.client);
	free(ids.order);
	free(ids.session);
	free(ids.activity);
	free(ids.counted);
	return rc;
}
