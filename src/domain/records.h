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
	ROLE_ORGANISATION, /* staff of a third-sector organisation in the directory */
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
	/* An organisation user's organisation (a directory UUID), NULL for everyone else;
	 * authority_name is then the organisation's name. */
	const char *organization_id;
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
	/* One optional attachment (a calendar file); all NULL when none. */
	const char *attachment_name, *attachment_type, *attachment;
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
	int has_account; /* 1 when the client has set a password or chosen sign-in links */
	int64_t order_id; /* of the latest referral */
	/* The latest referral and its order. */
	struct referral_row referral;
	const char *imposed_on;
	int unpaid_hours;
	const char *case_worker_name;
};

/* The words people read for a referral's status ("sent" -> "Sent"). */
const char *referral_status_label(const char *status);
/* A UK mobile number as people read it: "07700900123" -> "07700 900123", into out (16
 * bytes); anything else is copied as it is. */
void mobile_format(const char *mobile, char *out, unsigned long n);

/* A welcome-call task with what the coordinator needs to make the call. */
struct welcome_task {
	int64_t id;
	int64_t created_at;
	const char *status;
	int64_t referral_id;
	const char *referral_reference;
	int64_t client_id;
	const char *first_name, *last_name, *email, *mobile, *access_needs;
	const char *authority_name;
	int attempts;
	int64_t last_attempt_at; /* 0 when none */
	const char *last_outcome, *last_notes;
};

struct topic {
	int64_t id;
	const char *name;
	const char *description;
	int active;
};

struct group_session {
	int64_t id;
	int64_t topic_id;
	const char *topic_name;
	int64_t starts_at;
	int minutes;
	int capacity;
	int booked;
	int64_t facilitator_id;
	const char *facilitator_name;
	const char *joining_link;
	const char *series;
	int64_t my_booking_id; /* the asking client's booking of it, 0 when none */
};

struct booking_row {
	int64_t id;
	int64_t session_id;
	int64_t client_id;
	int64_t order_id;
	const char *status;
	int64_t created_at;
	struct group_session session;
	const char *outcome; /* the current register outcome, NULL when none */
	int credited_minutes;
};

/* One line of a session's register: the booking, what the facilitator may know of the
 * client, and the outcome recorded so far. */
struct register_row {
	int64_t booking_id;
	int64_t client_id;
	const char *first_name, *last_name, *access_needs, *group_notes;
	int64_t entry_id; /* the current register entry, 0 when none */
	const char *outcome;
	int minutes;
	const char *reason, *note;
	const char *case_worker_email, *case_worker_name; /* for alerts */
	int activity_minutes, counted_minutes;            /* the order's hours so far */
	const char *order_reference;
};

/* One outcome to save. */
struct register_item {
	int64_t booking_id;
	int64_t seen_entry_id;      /* the entry the facilitator saw when the form was drawn */
	const char *outcome;
	int credit_minutes;         /* what the outcome credits, by ledger_credit_minutes */
	int minutes;                /* as recorded (attended part, failed to comply) */
	const char *reason, *note, *correction_reason;
	struct outbox_message alert;        /* to the case worker: did not attend... (recipient NULL: none) */
	struct outbox_message hours_done;   /* to the case worker if this completes the hours */
};

enum register_result {
	REGISTER_SAVED,
	REGISTER_UNCHANGED,
	REGISTER_CONFLICT,          /* changed by someone else since the form was drawn */
	REGISTER_NEEDS_REASON,      /* a change to a recorded outcome without a reason */
	REGISTER_NOT_FOUND,
};

/* One event in a client's history, for the case worker's timeline. */
struct timeline_event {
	int64_t at;
	const char *kind;   /* referral, welcome_call, booking, cancellation, register, ledger */
	const char *what;   /* topic, outcome or kind */
	const char *detail; /* notes, reasons */
	int minutes;
	int counted_minutes;
	int64_t session_starts_at;
};

/* A booking whose day-before reminder is due, with what the message needs. */
struct reminder_due {
	int64_t booking_id;
	const char *email;
	const char *first_name;
	struct group_session session;
};

/* An order whose completion date is near with hours left, with its case worker. */
struct order_due {
	int64_t order_id;
	int64_t client_id;
	const char *first_name, *last_name, *order_reference, *complete_by;
	const char *case_worker_email, *case_worker_name;
	int activity_minutes, counted_minutes;
};

#endif
