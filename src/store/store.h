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
	/* Newest first; *rows belongs to the pool. */
	int (*referrals_by_case_worker)(struct store *s, struct pool *p, int64_t case_worker_id,
					int limit, int offset, struct referral_row **rows,
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
	/* Uses the invitation once: sets the client's password, marks it used. STORE_NOT_FOUND
	 * when it is unknown, used or expired. */
	int (*invitation_accept)(struct store *s, const char *digest, const char *password_hash,
				 int64_t now);
};

struct store {
	const struct store_ops *ops;
};

#endif
