/* oruk: the directory as Open Referral UK (HSDS 3.0) sees it, as plain structs, and the
 * rules its API and importer share: UUIDs, RFC 3339 times, paging. No I/O.
 *
 * Strings in these records belong to the pool of whoever filled them (the store, or the
 * importer's parser); NULL means the field is absent and is left out of the JSON. */
#ifndef CAIRN_ORUK_H
#define CAIRN_ORUK_H
#include <stddef.h>
#include <stdint.h>

/* Room for a UUID's 36 characters and the NUL. */
#define ORUK_UUID_LEN 36
/* "2026-11-26T15:05:49Z" and its NUL. */
#define ORUK_DATETIME_MAX 21
/* Paging: per_page from 1 to ORUK_PER_PAGE_MAX, ORUK_PER_PAGE_DEFAULT when absent; page
 * from 1 to ORUK_PAGE_MAX (pages past the last are empty, not errors). */
#define ORUK_PER_PAGE_DEFAULT 25
#define ORUK_PER_PAGE_MAX 100
#define ORUK_PAGE_MAX 1000000
/* Free text search is at most this many bytes; longer is refused, not cut. */
#define ORUK_SEARCH_MAX 200
/* proximity is in metres, from 1 to this (1000 km covers the UK). */
#define ORUK_PROXIMITY_MAX 100000
/* Without a proximity, a postcode search reaches this far (25 miles, the search page's
 * widest): sorting every place in the country by distance would take seconds. */
#define ORUK_PROXIMITY_DEFAULT 40234

struct oruk_taxonomy {
	const char *id, *name, *description, *uri, *version;
};

struct oruk_term {
	const char *id, *name, *description;
	const char *parent_id;   /* NULL at the top */
	const char *taxonomy;    /* the taxonomy's name */
	const char *taxonomy_id;
	const char *term_uri;
	const char *code;        /* HSDS `term`: the term's code in its taxonomy */
};

/* A link from a service to a taxonomy term (HSDS `attribute`). */
struct oruk_attribute {
	const char *id, *link_id, *link_type;
	struct oruk_term term;
};

struct oruk_address {
	const char *id, *attention, *address_1, *city, *region, *state_province, *postal_code,
		*country, *address_type;
};

struct oruk_location {
	const char *id, *location_type, *name, *description;
	int has_position;
	double latitude, longitude;
	struct oruk_address *addresses;
	size_t naddresses;
};

struct oruk_contact {
	const char *id, *name, *title;
};

struct oruk_schedule {
	const char *id, *service_at_location_id;
	const char *valid_from, *valid_to, *dtstart, *freq, *byday, *bymonthday;
	int interval; /* 0 when absent */
	const char *description, *opens_at, *closes_at, *schedule_link, *attending_type, *notes;
};

struct oruk_organization {
	const char *id, *name, *description, *email, *website, *logo, *uri, *parent_id;
	struct oruk_service *services; /* only for GET /organizations/{id} */
	size_t nservices;
};

struct oruk_service_at_location;

struct oruk_service {
	const char *id, *name, *description, *url, *email, *status, *fees, *accreditations,
		*assured_date, *assurer_email, *alert;
	int has_minimum_age, has_maximum_age;
	double minimum_age, maximum_age;
	int64_t last_modified; /* UTC seconds */
	struct oruk_organization organization;
	/* The full service only; empty in lists. */
	struct oruk_service_at_location *locations;
	size_t nlocations;
	struct oruk_contact *contacts;
	size_t ncontacts;
	struct oruk_schedule *schedules;
	size_t nschedules;
	struct oruk_attribute *attributes;
	size_t nattributes;
};

struct oruk_service_at_location {
	const char *id;
	struct oruk_location location;
	struct oruk_service *service; /* in the service_at_locations list; NULL inside a service */
	int has_distance;
	double distance_m;            /* from the postcode asked about */
};

/* A feed to import: full services, each with its organisation, locations, contacts,
 * schedules and terms. */
struct oruk_feed {
	struct oruk_service *services;
	size_t nservices;
};

/* Copies a valid UUID (directory_uuid_valid) into out in lower case. */
void oruk_uuid_lower(const char *s, char out[ORUK_UUID_LEN + 1]);

/* Reads an RFC 3339 date-time ("2026-03-29T10:00:00Z", "...T11:00:00.250+01:00"), or
 * when date_alone is set also a date ("2026-03-29", midnight UTC), into UTC seconds
 * (fractions dropped). 0, or -1 leaving *utc untouched. */
int oruk_datetime_parse(const char *text, int date_alone, int64_t *utc);
/* "2026-03-29T10:00:00Z" into the caller's buffer. */
void oruk_datetime_format(int64_t utc, char out[ORUK_DATETIME_MAX]);

/* The paging envelope's numbers for total items, per_page and page. */
struct oruk_page {
	int64_t total_items, total_pages, page_number, size;
	int first_page, last_page, empty;
};
void oruk_page_make(int64_t total_items, int per_page, int64_t page, int64_t size,
		    struct oruk_page *out);

#endif
