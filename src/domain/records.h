/* records: the entities Cairn keeps, as plain structs. Strings in them belong to the pool
 * of whoever read them from the store. */
#ifndef CAIRN_RECORDS_H
#define CAIRN_RECORDS_H
#include <stdint.h>

enum role {
	ROLE_NONE = 0,
	ROLE_ADMINISTRATOR,
	ROLE_COORDINATOR,
	ROLE_CASE_WORKER,
	ROLE_FACILITATOR,
	ROLE_AUTHORITY_LEAD,
	ROLE_CLIENT,
};

/* "case_worker" -> ROLE_CASE_WORKER; ROLE_NONE for anything else. */
enum role role_parse(const char *name);
/* The stored name, and the words people read ("case worker"). */
const char *role_name(enum role r);
const char *role_label(enum role r);
/* Whether a user of this role must belong to a local authority. */
int role_needs_authority(enum role r);

struct user {
	int64_t id;
	const char *email;
	const char *name;
	enum role role;
	int64_t authority_id; /* 0 when none */
	const char *authority_name;
	int64_t client_id;    /* 0 unless a client */
	const char *password_hash;
};

struct authority {
	int64_t id;
	const char *name;
	int cap_percent; /* the authority's own, or the installation's */
};

/* What a message becomes: one email. */
struct outbox_message {
	int64_t id;
	const char *kind;
	const char *recipient;
	const char *subject;
	const char *body;
	int64_t created_at;
	int attempts;
	int64_t next_attempt_at;
	int64_t sent_at;     /* 0 until delivered */
	const char *last_error;
};

/* A new referral, as the store takes it: everything one transaction writes. */
struct referral_new {
	int64_t case_worker_id;
	int64_t authority_id;
	const char *form_token;
	const char *reference;        /* referral, e.g. R-7K3M-9QXT */
	const char *order_reference;  /* Cairn's order reference, e.g. O-... */
	const char *first_name, *last_name, *date_of_birth; /* ISO date */
	const char *email, *mobile;   /* NULL when not given */
	const char *case_reference, *court_reference;
	const char *imposed_on, *complete_by; /* ISO dates */
	int unpaid_hours;
	int activity_minutes;
	const char *access_needs, *group_notes;
	const char *invitation_digest;
	int64_t invitation_expires_at;
	/* Two messages (case worker's confirmation and client's invitation); recipients may
	 * be left NULL for a client with no email (the SMS channel comes later). */
	struct outbox_message messages[2];
	int64_t now;
};

struct referral_row {
	int64_t id;
	const char *reference;
	const char *status;
	int64_t created_at;
	int64_t client_id;
	const char *first_name, *last_name;
	const char *case_reference;
	const char *order_reference, *court_reference;
	int activity_minutes;
	const char *complete_by;
	int64_t case_worker_id;
	int64_t authority_id;
};

struct client_record {
	int64_t id;
	int64_t authority_id;
	const char *authority_name;
	const char *first_name, *last_name, *date_of_birth;
	const char *email, *mobile;
	const char *access_needs, *group_notes;
	int64_t created_at;
	int has_account; /* 1 when the client has set a password */
	/* The latest referral and its order. */
	struct referral_row referral;
	const char *imposed_on;
	int unpaid_hours;
	const char *case_worker_name;
};

#endif
