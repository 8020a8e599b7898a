/* directory: the directory of services and placements (issue 6) as plain structs, and its
 * rules without I/O: search text made safe for FTS5, the distances offered, UUIDs, and the
 * words people read for moderation and referral states. */
#ifndef CAIRN_DIRECTORY_H
#define CAIRN_DIRECTORY_H
#include <stddef.h>
#include <stdint.h>

#include "core/pool.h"

/* Search text: at most this many characters are read, and this many words used. */
#define DIRECTORY_TEXT_MAX_CHARS 200
#define DIRECTORY_TEXT_MAX_WORDS 10
#define DIRECTORY_WORD_MAX_BYTES 40
#define DIRECTORY_PER_PAGE 20
#define DIRECTORY_UUID_LEN 36

/* A full-text query for FTS5 from what a person typed. Words are runs of letters and
 * digits (any non-ASCII character counts as a letter); everything else, FTS5's syntax
 * among it (quotes, *, ^, :, parentheses, NEAR, AND/OR/NOT as bare words), only
 * separates words. Each word becomes ("word"*), a phrase so no word is an operator,
 * and a prefix so "employ" finds "employment"; a word ending in y also
 * matches as a prefix without it, because the Porter stemmer turns a typed "employ" into
 * "emploi" while "employability" is kept as "employ". Words are ANDed. *out is NULL
 * when there are no words. Returns the number of words used. */
int directory_fts_query(struct pool *p, const char *text, const char **out);

/* The distances offered, in miles: 1, 5, 10 or 25. 0 for anything else. */
int directory_miles_parse(const char *text);
extern const int directory_miles[4];

/* A random (version 4) UUID from 16 random bytes, lower-case, into out (37 bytes). */
void directory_uuid(const unsigned char random[16], char out[DIRECTORY_UUID_LEN + 1]);
/* 1 when text is a UUID: 8-4-4-4-12 hexadecimal digits (either case). */
int directory_uuid_valid(const char *text);

/* "pending" -> "Waiting for approval", "approved" -> "Listed", "retired" -> "Retired". */
const char *directory_moderation_label(const char *moderation);
/* sent, accepted, declined, completed -> "Sent", ...; NULL for anything else. */
const char *directory_referral_status_label(const char *status);

/* Makes a new random UUID into out: the store calls it for each row it adds. */
typedef void (*directory_new_id)(char out[DIRECTORY_UUID_LEN + 1]);

/* A taxonomy term offered as a filter or shown on a service. */
struct directory_term {
	const char *id, *name, *description;
	const char *taxonomy_id;
	const char *use; /* the taxonomy's cairn_use: category, service_type, skill (or NULL) */
};

/* A search, as the store runs it. Strings belong to the caller. */
struct directory_query {
	const char *fts;             /* from directory_fts_query; NULL: no text */
	const char *service_type_id; /* taxonomy term ids; NULL: any */
	const char *category_id;
	const char *skill_id;
	int other_activity;          /* only services that count as other activity */
	int hosts_placements;        /* only services with an approved placement offer with places */
	int located;                 /* within metres of (latitude, longitude) */
	double latitude, longitude, metres;
	int by_distance;             /* nearest first; otherwise most relevant first */
	int limit, offset;
};

/* One search result: an approved service, at its nearest location when located. */
struct directory_result {
	const char *service_id, *name, *description;
	const char *organization_id, *organization_name;
	int counts_as_other_activity;
	int typical_minutes;
	int places;                  /* on approved placement offers; 0 when none */
	double metres;               /* to the nearest location; -1 when not located */
	const char *address_1, *city, *postal_code;
	const char *types;           /* service type names, ", " between */
	const char *categories;
};

/* An organisation's placement offer. */
struct directory_placement {
	const char *id, *service_id, *organization_id;
	const char *area_of_expertise, *times;
	int places_available;
	const char *moderation;
	const char *skills;          /* names, ", " between (reads) */
	const char *const *skill_ids; /* (writes) */
	size_t nskill_ids;
	int64_t last_modified;
};

/* A service with what its page and its organisation's form show. */
struct directory_service {
	const char *id, *organization_id, *organization_name, *organization_email;
	const char *name, *description, *status;
	const char *url, *email, *fees, *eligibility_description, *application_process;
	int counts_as_other_activity;
	int typical_minutes;
	const char *moderation;
	int64_t last_modified;
	/* Its first location's address and place. */
	const char *location_id, *address_1, *city, *postal_code;
	double latitude, longitude;  /* 0, 0 with located 0 when unknown */
	int located;
	/* Taxonomy terms (reads: every term; writes: the ids to link). */
	struct directory_term *terms;
	size_t nterms;
	const char *const *term_ids;
	size_t nterm_ids;
	struct directory_placement *placements;
	size_t nplacements;
};

/* A whole listing for a bulk load (demo data, the national bench set): an organisation
 * (made if its id is new), a service at one located address, its terms, and optionally a
 * placement offer. Everything loaded is approved. */
struct directory_listing {
	const char *organization_id, *organization_name, *organization_description,
		*organization_email;
	struct directory_service service;
	double latitude, longitude;
	int has_placement;
	struct directory_placement placement;
};

/* A directory referral as the organisation and the case worker see it: no more of the
 * client than the organisation needs. */
struct directory_referral {
	int64_t id;
	const char *reference;
	const char *status;
	int64_t client_id, order_id, authority_id;
	const char *first_name, *last_name;
	const char *client_email, *client_mobile;
	const char *service_id, *service_name, *organization_id, *organization_name;
	int counts_as_other_activity;
	const char *referred_by_name, *referred_by_email;
	int64_t created_at, answered_at, completed_at;
	const char *decline_reason;
	int minutes_confirmed;   /* -1 until completed */
	int minutes_credited;    /* on the ledger for it (counted or not), 0 when none */
};

/* A new directory referral: the referral and its message to the organisation are written
 * in one transaction. */
struct directory_referral_new {
	const char *reference;
	const char *form_token;
	int64_t client_id, order_id, authority_id, referred_by;
	const char *service_id;
	int64_t now;
	const char *message_recipient, *message_subject, *message_body;
};

enum directory_referral_result {
	DIRECTORY_REFERRAL_MADE,
	DIRECTORY_REFERRAL_REPEAT,       /* the same form sent twice: the first one stands */
	DIRECTORY_REFERRAL_ALREADY_OPEN, /* this client has an open referral to this service */
	DIRECTORY_REFERRAL_UNAVAILABLE,  /* the service is not listed (any more) */
};

enum directory_answer_result {
	DIRECTORY_ANSWER_DONE,
	DIRECTORY_ANSWER_ALREADY,        /* already in that state (a double submission) */
	DIRECTORY_ANSWER_WRONG_STATE,    /* e.g. confirming hours of a declined referral */
};

#endif
