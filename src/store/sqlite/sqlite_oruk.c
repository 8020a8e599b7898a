/* The SQL of the Open Referral UK API (reads of approved listings) and of `cairn import
 * oruk` (one transaction per file), as named statements in slots SQLITE_SLOTS_ORUK. No
 * statement here reads a client, an order or a referral. */
#include <string.h>

#include "core/log.h"
#include "domain/postcode.h"
#include "store/sqlite/sqlite_int.h"

enum oruk_stmt {
	O_SERVICES,
	O_SERVICES_SEARCH,
	O_SERVICES_COUNT,
	O_SERVICE_GET,
	O_SERVICE_LOCATIONS,
	O_LOCATION_ADDRESSES,
	O_SERVICE_CONTACTS,
	O_SERVICE_SCHEDULES,
	O_SERVICE_TERMS,
	O_SALS,
	O_SALS_COUNT,
	O_SALS_NEAR,
	O_SALS_NEAR_COUNT,
	O_ORGS,
	O_ORGS_COUNT,
	O_ORG_GET,
	O_ORG_SERVICES,
	O_TAXONOMIES,
	O_TAXONOMIES_COUNT,
	O_TERMS,
	O_TERMS_COUNT,
	O_TERM_EXISTS,
	O_TAXONOMY_EXISTS,
	O_ORG_EXISTS,
	O_IMPORT_DIGEST,
	O_IMPORT_RECORD,
	O_SERVICE_KNOWN,
	O_ORG_UPSERT,
	O_SERVICE_UPSERT,
	O_CLEAR_SALS,
	O_CLEAR_CONTACTS,
	O_CLEAR_SCHEDULES,
	O_CLEAR_TERMS,
	O_LOCATION_UPSERT,
	O_CLEAR_ADDRESSES,
	O_ADDRESS_UPSERT,
	O_SAL_UPSERT,
	O_CONTACT_UPSERT,
	O_SCHEDULE_UPSERT,
	O_TAXONOMY_ENSURE,
	O_TERM_UPSERT,
	O_TERM_PARENT,
	O_ATTRIBUTE_UPSERT,
	O_COUNT
};

_Static_assert(O_COUNT <= SQLITE_SLOTS_PER_FILE, "too many statements for the slots");

/* The fixed id of 008_oruk.sql's "Imported terms" taxonomy. */
#define IMPORTED_TAXONOMY "0f3c2d6e-5b7a-4e0c-9d2b-8a1f4c6e7b90"

/* 22 columns: the service's one-to-one fields, then its organisation's. */
#define SERVICE_COLUMNS                                                                        \
	"s.id, s.name, s.description, s.url, s.email, s.status, s.fees, s.accreditations, "    \
	"s.minimum_age, s.maximum_age, s.assured_date, s.assurer_email, s.alert, "              \
	"s.last_modified, " ORG_COLUMNS
#define ORG_COLUMNS                                                                            \
	"o.id, o.name, o.description, o.email, o.website, o.logo, o.uri, "                     \
	"o.parent_organization_id "
#define SERVICE_FROM "FROM service s JOIN organization o ON o.id = s.organization_id "
/* ?2 term, ?3 taxonomy, ?4 organisation, ?5 modified since: each NULL for any. */
#define SERVICE_FILTER                                                                         \
	"s.moderation = 'approved' "                                                           \
	"AND (?2 IS NULL OR EXISTS (SELECT 1 FROM service_taxonomy st WHERE st.service_id = s.id " \
	"AND st.taxonomy_term_id = ?2)) "                                                      \
	"AND (?3 IS NULL OR EXISTS (SELECT 1 FROM service_taxonomy st JOIN taxonomy_term t ON " \
	"t.id = st.taxonomy_term_id WHERE st.service_id = s.id AND t.taxonomy_id = ?3)) "      \
	"AND (?4 IS NULL OR s.organization_id = ?4) "                                          \
	"AND (?5 IS NULL OR s.last_modified >= ?5) "
/* The unary + keeps the planner from walking the whole match list for every row (using it
 * as a rowid constraint of an index search): it is a membership test. */
#define SEARCH_FILTER                                                                          \
	"AND (?1 IS NULL OR +s.n IN (SELECT rowid FROM service_fts WHERE service_fts MATCH ?1)) "
/* cairn_distance() is sqlite_directory.c's haversine (domain/postcode's), in metres. */
#define DISTANCE "cairn_distance(?8, ?9, l.latitude, l.longitude)"
#define SAL_COLUMNS                                                                            \
	"sal.id, l.id, l.location_type, l.name, l.description, l.latitude, l.longitude, "
/* Service-at-locations matching the filters, by service name. */
#define SAL_FROM                                                                               \
	"FROM service_at_location sal JOIN location l ON l.id = sal.location_id "                  \
	"JOIN service s ON s.id = sal.service_id JOIN organization o ON o.id = s.organization_id " \
	"WHERE " SERVICE_FILTER SEARCH_FILTER
/* With a point (?8, ?9): the located places in the box ?11..?14 (the R*Tree drives, so only
 * they are visited) within ?10 metres, then their services and the filters. */
#define NEAR_FROM                                                                              \
	"WITH near AS (SELECT l.*, " DISTANCE " AS distance FROM location_geo g "                  \
	"CROSS JOIN location l ON l.n = g.id WHERE g.min_lat >= ?11 AND g.max_lat <= ?12 AND "     \
	"g.min_lon >= ?13 AND g.max_lon <= ?14 AND " DISTANCE " <= ?10) SELECT "
/* CROSS JOIN fixes the order: left to the planner, it walks every approved service for
 * each place in the box. */
#define NEAR_SELECT(columns)                                                                   \
	NEAR_FROM columns " FROM near l CROSS JOIN service_at_location sal ON "                    \
	"sal.location_id = l.id CROSS JOIN service s ON s.id = sal.service_id "                    \
	"CROSS JOIN organization o ON o.id = s.organization_id WHERE " SERVICE_FILTER SEARCH_FILTER

static const char *const stmts[O_COUNT] = {
	/* In name order straight from the index (008_oruk.sql): a page is read, not the whole
	 * list sorted. */
	[O_SERVICES] = "SELECT " SERVICE_COLUMNS "FROM service s INDEXED BY service_approved_name "
		       "JOIN organization o ON o.id = s.organization_id WHERE " SERVICE_FILTER
		       "ORDER BY s.name COLLATE NOCASE, s.id LIMIT ?6 OFFSET ?7",
	/* Best match first (bm25 through FTS5's rank). */
	[O_SERVICES_SEARCH] = "SELECT " SERVICE_COLUMNS "FROM service_fts JOIN service s ON "
			      "s.n = service_fts.rowid JOIN organization o ON o.id = s.organization_id "
			      "WHERE service_fts MATCH ?1 AND " SERVICE_FILTER
			      "ORDER BY service_fts.rank, s.id LIMIT ?6 OFFSET ?7",
	[O_SERVICES_COUNT] = "SELECT count(*) FROM service s WHERE " SERVICE_FILTER SEARCH_FILTER,
	[O_SERVICE_GET] = "SELECT " SERVICE_COLUMNS SERVICE_FROM
			  "WHERE s.id = ?1 AND s.moderation = 'approved'",
	[O_SERVICE_LOCATIONS] = "SELECT sal.id, l.id, l.location_type, l.name, l.description, "
				"l.latitude, l.longitude FROM service_at_location sal "
				"JOIN location l ON l.id = sal.location_id WHERE sal.service_id = ?1 "
				"ORDER BY l.name, sal.id",
	/* ORUK's address has no address_2: it joins address_1 after a comma. */
	[O_LOCATION_ADDRESSES] = "SELECT id, attention, address_1 || coalesce(', ' || "
				 "nullif(address_2, ''), ''), city, region, state_province, "
				 "postal_code, country, address_type FROM address "
				 "WHERE location_id = ?1 ORDER BY id",
	[O_SERVICE_CONTACTS] = "SELECT id, name, title FROM contact WHERE service_id = ?1 "
			       "ORDER BY name, id",
	[O_SERVICE_SCHEDULES] = "SELECT id, service_at_location_id, valid_from, valid_to, dtstart, "
				"freq, interval, byday, bymonthday, description, opens_at, closes_at, "
				"schedule_link, attending_type, notes FROM schedule "
				"WHERE service_id = ?1 OR service_at_location_id IN "
				"(SELECT id FROM service_at_location WHERE service_id = ?1) ORDER BY id",
	[O_SERVICE_TERMS] = "SELECT st.id, t.id, t.name, t.description, t.parent_id, x.name, "
			    "t.taxonomy_id, t.term_uri, t.code FROM service_taxonomy st "
			    "JOIN taxonomy_term t ON t.id = st.taxonomy_term_id "
			    "JOIN taxonomy x ON x.id = t.taxonomy_id WHERE st.service_id = ?1 "
			    "ORDER BY x.name, t.name, t.id",
	/* Services in name order from the index, each one's places sorted on their own. */
	[O_SALS] = "SELECT " SAL_COLUMNS "NULL, " SERVICE_COLUMNS
		   "FROM service s INDEXED BY service_approved_name "
		   "CROSS JOIN service_at_location sal ON sal.service_id = s.id "
		   "JOIN location l ON l.id = sal.location_id "
		   "JOIN organization o ON o.id = s.organization_id WHERE " SERVICE_FILTER SEARCH_FILTER
		   "ORDER BY s.name COLLATE NOCASE, s.id, l.name, sal.id LIMIT ?6 OFFSET ?7",
	[O_SALS_COUNT] = "SELECT count(*) " SAL_FROM,
	[O_SALS_NEAR] = NEAR_SELECT("sal.id, l.id, l.location_type, l.name, l.description, l.latitude, "
				    "l.longitude, l.distance, " SERVICE_COLUMNS)
		"ORDER BY l.distance, sal.id LIMIT ?6 OFFSET ?7",
	[O_SALS_NEAR_COUNT] = NEAR_SELECT("count(*)"),
	/* +s.moderation: by the organisation's services (a few), not every approved one. */
	[O_ORGS] = "SELECT " ORG_COLUMNS "FROM organization o WHERE EXISTS (SELECT 1 FROM service s "
		   "WHERE s.organization_id = o.id AND +s.moderation = 'approved') "
		   "ORDER BY o.name COLLATE NOCASE, o.id LIMIT ?1 OFFSET ?2",
	[O_ORGS_COUNT] = "SELECT count(*) FROM organization o WHERE EXISTS (SELECT 1 FROM service s "
			 "WHERE s.organization_id = o.id AND +s.moderation = 'approved')",
	[O_ORG_GET] = "SELECT " ORG_COLUMNS "FROM organization o WHERE o.id = ?1 AND EXISTS "
		      "(SELECT 1 FROM service s WHERE s.organization_id = o.id AND "
		      "+s.moderation = 'approved')",
	[O_ORG_SERVICES] = "SELECT " SERVICE_COLUMNS SERVICE_FROM "WHERE s.organization_id = ?1 AND "
			   "s.moderation = 'approved' ORDER BY s.name COLLATE NOCASE, s.id",
	[O_TAXONOMIES] = "SELECT id, name, description, uri, version FROM taxonomy "
			 "ORDER BY name COLLATE NOCASE, id LIMIT ?1 OFFSET ?2",
	[O_TAXONOMIES_COUNT] = "SELECT count(*) FROM taxonomy",
	[O_TERMS] = "SELECT t.id, t.name, t.description, t.parent_id, x.name, t.taxonomy_id, "
		    "t.term_uri, t.code FROM taxonomy_term t JOIN taxonomy x ON x.id = t.taxonomy_id "
		    "WHERE ?3 IS NULL OR t.taxonomy_id = ?3 "
		    "ORDER BY x.name COLLATE NOCASE, t.name COLLATE NOCASE, t.id LIMIT ?1 OFFSET ?2",
	[O_TERMS_COUNT] = "SELECT count(*) FROM taxonomy_term WHERE ?1 IS NULL OR taxonomy_id = ?1",
	[O_TERM_EXISTS] = "SELECT count(*) FROM taxonomy_term WHERE id = ?1",
	[O_TAXONOMY_EXISTS] = "SELECT count(*) FROM taxonomy WHERE id = ?1",
	[O_ORG_EXISTS] = "SELECT count(*) FROM organization WHERE id = ?1",

	[O_IMPORT_DIGEST] = "SELECT digest FROM oruk_import WHERE service_id = ?1",
	[O_IMPORT_RECORD] = "INSERT INTO oruk_import(service_id, digest, first_imported_at, "
			    "last_imported_at) VALUES (?1, ?2, ?3, ?3) ON CONFLICT(service_id) DO "
			    "UPDATE SET digest = excluded.digest, "
			    "last_imported_at = excluded.last_imported_at",
	[O_SERVICE_KNOWN] = "SELECT count(*) FROM service WHERE id = ?1",
	/* Unchanged fields are not written: a rename re-indexes the organisation's services. */
	[O_ORG_UPSERT] = "INSERT INTO organization(id, name, description, email, website, logo, uri, "
			 "parent_organization_id, created_at, last_modified) "
			 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) ON CONFLICT(id) DO UPDATE SET "
			 "name = excluded.name, description = excluded.description, "
			 "email = excluded.email, website = excluded.website, logo = excluded.logo, "
			 "uri = excluded.uri, parent_organization_id = excluded.parent_organization_id, "
			 "last_modified = excluded.last_modified WHERE name IS NOT excluded.name OR "
			 "description IS NOT excluded.description OR email IS NOT excluded.email OR "
			 "website IS NOT excluded.website OR logo IS NOT excluded.logo OR "
			 "uri IS NOT excluded.uri OR "
			 "parent_organization_id IS NOT excluded.parent_organization_id",
	/* A known service keeps its moderation (a retired one stays retired). */
	[O_SERVICE_UPSERT] = "INSERT INTO service(id, organization_id, name, description, url, email, "
			     "status, fees, accreditations, minimum_age, maximum_age, assured_date, "
			     "assurer_email, alert, moderation, moderated_at, created_at, last_modified) "
			     "VALUES (?1, ?2, ?3, coalesce(?4, ''), ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
			     "?13, ?14, ?15, ?16, ?16, ?16) ON CONFLICT(id) DO UPDATE SET "
			     "organization_id = excluded.organization_id, name = excluded.name, "
			     "description = excluded.description, url = excluded.url, "
			     "email = excluded.email, status = excluded.status, fees = excluded.fees, "
			     "accreditations = excluded.accreditations, "
			     "minimum_age = excluded.minimum_age, maximum_age = excluded.maximum_age, "
			     "assured_date = excluded.assured_date, "
			     "assurer_email = excluded.assurer_email, alert = excluded.alert, "
			     "last_modified = excluded.last_modified",
	[O_CLEAR_SALS] = "DELETE FROM service_at_location WHERE service_id = ?1",
	[O_CLEAR_CONTACTS] = "DELETE FROM contact WHERE service_id = ?1",
	[O_CLEAR_SCHEDULES] = "DELETE FROM schedule WHERE service_id = ?1",
	[O_CLEAR_TERMS] = "DELETE FROM service_taxonomy WHERE service_id = ?1",
	[O_LOCATION_UPSERT] = "INSERT INTO location(id, organization_id, location_type, name, "
			      "description, latitude, longitude) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
			      "ON CONFLICT(id) DO UPDATE SET organization_id = excluded.organization_id, "
			      "location_type = excluded.location_type, name = excluded.name, "
			      "description = excluded.description, latitude = excluded.latitude, "
			      "longitude = excluded.longitude",
	[O_CLEAR_ADDRESSES] = "DELETE FROM address WHERE location_id = ?1",
	[O_ADDRESS_UPSERT] = "INSERT INTO address(id, location_id, attention, address_1, city, region, "
			     "state_province, postal_code, country, address_type) "
			     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT(id) DO UPDATE "
			     "SET location_id = excluded.location_id, attention = excluded.attention, "
			     "address_1 = excluded.address_1, address_2 = NULL, city = excluded.city, "
			     "region = excluded.region, state_province = excluded.state_province, "
			     "postal_code = excluded.postal_code, country = excluded.country, "
			     "address_type = excluded.address_type",
	[O_SAL_UPSERT] = "INSERT INTO service_at_location(id, service_id, location_id) "
			 "VALUES (?1, ?2, ?3) ON CONFLICT(id) DO UPDATE SET "
			 "service_id = excluded.service_id, location_id = excluded.location_id",
	[O_CONTACT_UPSERT] = "INSERT INTO contact(id, organization_id, service_id, name, title) "
			     "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(id) DO UPDATE SET "
			     "organization_id = excluded.organization_id, "
			     "service_id = excluded.service_id, name = excluded.name, "
			     "title = excluded.title",
	[O_SCHEDULE_UPSERT] = "INSERT INTO schedule(id, service_id, service_at_location_id, "
			      "valid_from, valid_to, dtstart, freq, interval, byday, bymonthday, "
			      "description, opens_at, closes_at, schedule_link, attending_type, notes) "
			      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
			      "?15, ?16) ON CONFLICT(id) DO UPDATE SET service_id = excluded.service_id, "
			      "service_at_location_id = excluded.service_at_location_id, "
			      "valid_from = excluded.valid_from, valid_to = excluded.valid_to, "
			      "dtstart = excluded.dtstart, freq = excluded.freq, "
			      "interval = excluded.interval, byday = excluded.byday, "
			      "bymonthday = excluded.bymonthday, description = excluded.description, "
			      "opens_at = excluded.opens_at, closes_at = excluded.closes_at, "
			      "schedule_link = excluded.schedule_link, "
			      "attending_type = excluded.attending_type, notes = excluded.notes",
	[O_TAXONOMY_ENSURE] = "INSERT INTO taxonomy(id, name) VALUES (?1, ?2) "
			      "ON CONFLICT(id) DO NOTHING",
	[O_TERM_UPSERT] = "INSERT INTO taxonomy_term(id, taxonomy_id, code, name, description, "
			  "term_uri) VALUES (?1, ?2, ?3, ?4, coalesce(?5, ''), ?6) ON CONFLICT(id) "
			  "DO UPDATE SET taxonomy_id = excluded.taxonomy_id, code = excluded.code, "
			  "name = excluded.name, description = excluded.description, "
			  "term_uri = excluded.term_uri WHERE taxonomy_id IS NOT excluded.taxonomy_id "
			  "OR code IS NOT excluded.code OR name IS NOT excluded.name OR "
			  "description IS NOT excluded.description OR "
			  "term_uri IS NOT excluded.term_uri",
	/* A parent the database does not hold is left out rather than refused. */
	[O_TERM_PARENT] = "UPDATE taxonomy_term SET parent_id = ?2 WHERE id = ?1 AND "
			  "parent_id IS NOT ?2 AND EXISTS (SELECT 1 FROM taxonomy_term WHERE id = ?2)",
	[O_ATTRIBUTE_UPSERT] = "INSERT INTO service_taxonomy(id, service_id, taxonomy_term_id) "
			       "VALUES (?1, ?2, ?3) ON CONFLICT(id) DO UPDATE SET "
			       "service_id = excluded.service_id, "
			       "taxonomy_term_id = excluded.taxonomy_term_id",
};

static sqlite3_stmt *stmt(struct store *s, enum oruk_stmt id)
{
	return sqlite_stmt(s, SQLITE_SLOTS_ORUK + (int)id, stmts[id]);
}

#define col_text sqlite_col_text
#define bind_text sqlite_bind_text

static int64_t offset_of(int per_page, int64_t page)
{
	return (page - 1) * (int64_t)per_page;
}

/* Rows grow by doubling into the pool (a page holds at most ORUK_PER_PAGE_MAX). */
static void *grow(struct pool *p, void *rows, size_t count, size_t *cap, size_t size)
{
	if (count < *cap)
		return rows;
	size_t ncap = *cap ? *cap * 2 : 8;
	void *n = pool_alloc(p, ncap * size);
	if (count)
		memcpy(n, rows, count * size);
	*cap = ncap;
	return n;
}

static int step_error(struct store *s, sqlite3_stmt *st, int rc)
{
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	log_error("sqlite: %s", sqlite3_errmsg(sqlite_impl(s)->db));
	return -1;
}

static void read_org(sqlite3_stmt *st, int c, struct pool *p, struct oruk_organization *o)
{
	o->id = col_text(st, c, p);
	o->name = col_text(st, c + 1, p);
	o->description = col_text(st, c + 2, p);
	o->email = col_text(st, c + 3, p);
	o->website = col_text(st, c + 4, p);
	o->logo = col_text(st, c + 5, p);
	o->uri = col_text(st, c + 6, p);
	o->parent_id = col_text(st, c + 7, p);
}

/* SERVICE_COLUMNS from column c. */
static void read_service(sqlite3_stmt *st, int c, struct pool *p, struct oruk_service *v)
{
	memset(v, 0, sizeof(*v));
	v->id = col_text(st, c, p);
	v->name = col_text(st, c + 1, p);
	v->description = col_text(st, c + 2, p);
	v->url = col_text(st, c + 3, p);
	v->email = col_text(st, c + 4, p);
	v->status = col_text(st, c + 5, p);
	v->fees = col_text(st, c + 6, p);
	v->accreditations = col_text(st, c + 7, p);
	if (sqlite3_column_type(st, c + 8) != SQLITE_NULL) {
		v->has_minimum_age = 1;
		v->minimum_age = sqlite3_column_double(st, c + 8);
	}
	if (sqlite3_column_type(st, c + 9) != SQLITE_NULL) {
		v->has_maximum_age = 1;
		v->maximum_age = sqlite3_column_double(st, c + 9);
	}
	v->assured_date = col_text(st, c + 10, p);
	v->assurer_email = col_text(st, c + 11, p);
	v->alert = col_text(st, c + 12, p);
	v->last_modified = sqlite3_column_int64(st, c + 13);
	read_org(st, c + 14, p, &v->organization);
}

static void bind_filters(sqlite3_stmt *st, const struct oruk_query *q)
{
	bind_text(st, 1, q->match);
	bind_text(st, 2, q->taxonomy_term_id);
	bind_text(st, 3, q->taxonomy_id);
	bind_text(st, 4, q->organization_id);
	if (q->modified_after)
		sqlite3_bind_int64(st, 5, q->modified_after);
	sqlite3_bind_int(st, 6, q->per_page);
	sqlite3_bind_int64(st, 7, offset_of(q->per_page, q->page));
}

int sqlite_oruk_services(struct store *s, struct pool *p, const struct oruk_query *q,
			 struct oruk_service **rows, size_t *count, int64_t *total)
{
	*rows = NULL;
	*count = 0;
	sqlite3_stmt *st = stmt(s, O_SERVICES_COUNT);
	bind_filters(st, q);
	if (sqlite_count(s, st, total) != 0)
		return -1;
	st = stmt(s, q->match ? O_SERVICES_SEARCH : O_SERVICES);
	bind_filters(st, q);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*rows = grow(p, *rows, *count, &cap, sizeof(**rows));
		read_service(st, 0, p, &(*rows)[(*count)++]);
	}
	return step_error(s, st, rc);
}

static void read_location(sqlite3_stmt *st, int c, struct pool *p, struct oruk_location *l)
{
	l->id = col_text(st, c, p);
	l->location_type = col_text(st, c + 1, p);
	l->name = col_text(st, c + 2, p);
	l->description = col_text(st, c + 3, p);
	l->has_position = sqlite3_column_type(st, c + 4) != SQLITE_NULL &&
			  sqlite3_column_type(st, c + 5) != SQLITE_NULL;
	l->latitude = sqlite3_column_double(st, c + 4);
	l->longitude = sqlite3_column_double(st, c + 5);
}

static int read_addresses(struct store *s, struct pool *p, struct oruk_location *l)
{
	sqlite3_stmt *st = stmt(s, O_LOCATION_ADDRESSES);
	bind_text(st, 1, l->id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		l->addresses = grow(p, l->addresses, l->naddresses, &cap, sizeof(*l->addresses));
		struct oruk_address *a = &l->addresses[l->naddresses++];
		a->id = col_text(st, 0, p);
		a->attention = col_text(st, 1, p);
		a->address_1 = col_text(st, 2, p);
		a->city = col_text(st, 3, p);
		a->region = col_text(st, 4, p);
		a->state_province = col_text(st, 5, p);
		a->postal_code = col_text(st, 6, p);
		a->country = col_text(st, 7, p);
		a->address_type = col_text(st, 8, p);
	}
	return step_error(s, st, rc);
}

/* The service's locations, contacts, schedules and terms. */
static int read_service_parts(struct store *s, struct pool *p, struct oruk_service *v)
{
	sqlite3_stmt *st = stmt(s, O_SERVICE_LOCATIONS);
	bind_text(st, 1, v->id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v->locations = grow(p, v->locations, v->nlocations, &cap, sizeof(*v->locations));
		struct oruk_service_at_location *sal = &v->locations[v->nlocations++];
		memset(sal, 0, sizeof(*sal));
		sal->id = col_text(st, 0, p);
		read_location(st, 1, p, &sal->location);
	}
	if (step_error(s, st, rc) != 0)
		return -1;
	for (size_t i = 0; i < v->nlocations; i++)
		if (read_addresses(s, p, &v->locations[i].location) != 0)
			return -1;

	st = stmt(s, O_SERVICE_CONTACTS);
	bind_text(st, 1, v->id);
	cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v->contacts = grow(p, v->contacts, v->ncontacts, &cap, sizeof(*v->contacts));
		struct oruk_contact *c = &v->contacts[v->ncontacts++];
		c->id = col_text(st, 0, p);
		c->name = col_text(st, 1, p);
		c->title = col_text(st, 2, p);
	}
	if (step_error(s, st, rc) != 0)
		return -1;

	st = stmt(s, O_SERVICE_SCHEDULES);
	bind_text(st, 1, v->id);
	cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v->schedules = grow(p, v->schedules, v->nschedules, &cap, sizeof(*v->schedules));
		struct oruk_schedule *h = &v->schedules[v->nschedules++];
		h->id = col_text(st, 0, p);
		h->service_at_location_id = col_text(st, 1, p);
		h->valid_from = col_text(st, 2, p);
		h->valid_to = col_text(st, 3, p);
		h->dtstart = col_text(st, 4, p);
		h->freq = col_text(st, 5, p);
		h->interval = sqlite3_column_int(st, 6);
		h->byday = col_text(st, 7, p);
		h->bymonthday = col_text(st, 8, p);
		h->description = col_text(st, 9, p);
		h->opens_at = col_text(st, 10, p);
		h->closes_at = col_text(st, 11, p);
		h->schedule_link = col_text(st, 12, p);
		h->attending_type = col_text(st, 13, p);
		h->notes = col_text(st, 14, p);
	}
	if (step_error(s, st, rc) != 0)
		return -1;

	st = stmt(s, O_SERVICE_TERMS);
	bind_text(st, 1, v->id);
	cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v->attributes = grow(p, v->attributes, v->nattributes, &cap, sizeof(*v->attributes));
		struct oruk_attribute *a = &v->attributes[v->nattributes++];
		memset(a, 0, sizeof(*a));
		a->id = col_text(st, 0, p);
		a->link_type = "service";
		a->term.id = col_text(st, 1, p);
		a->term.name = col_text(st, 2, p);
		a->term.description = col_text(st, 3, p);
		a->term.parent_id = col_text(st, 4, p);
		a->term.taxonomy = col_text(st, 5, p);
		a->term.taxonomy_id = col_text(st, 6, p);
		a->term.term_uri = col_text(st, 7, p);
		a->term.code = col_text(st, 8, p);
	}
	return step_error(s, st, rc);
}

int sqlite_oruk_service_get(struct store *s, struct pool *p, const char *id,
			    struct oruk_service *out)
{
	sqlite3_stmt *st = stmt(s, O_SERVICE_GET);
	bind_text(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? (sqlite3_reset(st), STORE_NOT_FOUND) : step_error(s, st, rc);
	read_service(st, 0, p, out);
	sqlite3_reset(st);
	return read_service_parts(s, p, out);
}

int sqlite_oruk_service_at_locations(struct store *s, struct pool *p, const struct oruk_query *q,
				     struct oruk_service_at_location **rows, size_t *count,
				     int64_t *total)
{
	*rows = NULL;
	*count = 0;
	/* The box that holds every place within proximity_m, for the R*Tree; the whole
	 * world when there is no limit. */
	double min_lat = -90, max_lat = 90, min_lon = -180, max_lon = 180;
	if (q->has_point && q->proximity_m > 0)
		geo_box(q->latitude, q->longitude, q->proximity_m, &min_lat, &max_lat, &min_lon,
			&max_lon);
	for (int pass = 0; pass < 2; pass++) {
		enum oruk_stmt which = q->has_point ? (pass == 0 ? O_SALS_NEAR_COUNT : O_SALS_NEAR)
						    : (pass == 0 ? O_SALS_COUNT : O_SALS);
		sqlite3_stmt *st = stmt(s, which);
		bind_filters(st, q);
		if (q->has_point) {
			sqlite3_bind_double(st, 8, q->latitude);
			sqlite3_bind_double(st, 9, q->longitude);
			sqlite3_bind_double(st, 10, q->proximity_m > 0 ? q->proximity_m : 1e12);
			sqlite3_bind_double(st, 11, min_lat);
			sqlite3_bind_double(st, 12, max_lat);
			sqlite3_bind_double(st, 13, min_lon);
			sqlite3_bind_double(st, 14, max_lon);
		}
		if (pass == 0) {
			if (sqlite_count(s, st, total) != 0)
				return -1;
			continue;
		}
		size_t cap = 0;
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			*rows = grow(p, *rows, *count, &cap, sizeof(**rows));
			struct oruk_service_at_location *sal = &(*rows)[(*count)++];
			memset(sal, 0, sizeof(*sal));
			sal->id = col_text(st, 0, p);
			read_location(st, 1, p, &sal->location);
			if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
				sal->has_distance = 1;
				sal->distance_m = sqlite3_column_double(st, 7);
			}
			sal->service = pool_alloc(p, sizeof(*sal->service));
			read_service(st, 8, p, sal->service);
		}
		if (step_error(s, st, rc) != 0)
			return -1;
	}
	return 0;
}

int sqlite_oruk_organizations(struct store *s, struct pool *p, int per_page, int64_t page,
			      struct oruk_organization **rows, size_t *count, int64_t *total)
{
	*rows = NULL;
	*count = 0;
	if (sqlite_count(s, stmt(s, O_ORGS_COUNT), total) != 0)
		return -1;
	sqlite3_stmt *st = stmt(s, O_ORGS);
	sqlite3_bind_int(st, 1, per_page);
	sqlite3_bind_int64(st, 2, offset_of(per_page, page));
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*rows = grow(p, *rows, *count, &cap, sizeof(**rows));
		struct oruk_organization *o = &(*rows)[(*count)++];
		memset(o, 0, sizeof(*o));
		read_org(st, 0, p, o);
	}
	return step_error(s, st, rc);
}

int sqlite_oruk_organization_get(struct store *s, struct pool *p, const char *id,
				 struct oruk_organization *out)
{
	sqlite3_stmt *st = stmt(s, O_ORG_GET);
	bind_text(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? (sqlite3_reset(st), STORE_NOT_FOUND) : step_error(s, st, rc);
	memset(out, 0, sizeof(*out));
	read_org(st, 0, p, out);
	sqlite3_reset(st);
	st = stmt(s, O_ORG_SERVICES);
	bind_text(st, 1, out->id);
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->services = grow(p, out->services, out->nservices, &cap, sizeof(*out->services));
		read_service(st, 0, p, &out->services[out->nservices++]);
	}
	return step_error(s, st, rc);
}

int sqlite_oruk_taxonomies(struct store *s, struct pool *p, int per_page, int64_t page,
			   struct oruk_taxonomy **rows, size_t *count, int64_t *total)
{
	*rows = NULL;
	*count = 0;
	if (sqlite_count(s, stmt(s, O_TAXONOMIES_COUNT), total) != 0)
		return -1;
	sqlite3_stmt *st = stmt(s, O_TAXONOMIES);
	sqlite3_bind_int(st, 1, per_page);
	sqlite3_bind_int64(st, 2, offset_of(per_page, page));
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*rows = grow(p, *rows, *count, &cap, sizeof(**rows));
		struct oruk_taxonomy *t = &(*rows)[(*count)++];
		t->id = col_text(st, 0, p);
		t->name = col_text(st, 1, p);
		t->description = col_text(st, 2, p);
		t->uri = col_text(st, 3, p);
		t->version = col_text(st, 4, p);
	}
	return step_error(s, st, rc);
}

int sqlite_oruk_terms(struct store *s, struct pool *p, const char *taxonomy_id, int per_page,
		      int64_t page, struct oruk_term **rows, size_t *count, int64_t *total)
{
	*rows = NULL;
	*count = 0;
	sqlite3_stmt *st = stmt(s, O_TERMS_COUNT);
	bind_text(st, 1, taxonomy_id);
	if (sqlite_count(s, st, total) != 0)
		return -1;
	st = stmt(s, O_TERMS);
	sqlite3_bind_int(st, 1, per_page);
	sqlite3_bind_int64(st, 2, offset_of(per_page, page));
	bind_text(st, 3, taxonomy_id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*rows = grow(p, *rows, *count, &cap, sizeof(**rows));
		struct oruk_term *t = &(*rows)[(*count)++];
		t->id = col_text(st, 0, p);
		t->name = col_text(st, 1, p);
		t->description = col_text(st, 2, p);
		t->parent_id = col_text(st, 3, p);
		t->taxonomy = col_text(st, 4, p);
		t->taxonomy_id = col_text(st, 5, p);
		t->term_uri = col_text(st, 6, p);
		t->code = col_text(st, 7, p);
	}
	return step_error(s, st, rc);
}

int sqlite_oruk_exists(struct store *s, enum oruk_kind kind, const char *id)
{
	enum oruk_stmt which = kind == ORUK_TERM       ? O_TERM_EXISTS
			       : kind == ORUK_TAXONOMY ? O_TAXONOMY_EXISTS
						       : O_ORG_EXISTS;
	sqlite3_stmt *st = stmt(s, which);
	bind_text(st, 1, id);
	int64_t n;
	if (sqlite_count(s, st, &n) != 0)
		return -1;
	return n > 0 ? 0 : STORE_NOT_FOUND;
}

/* ---- import ------------------------------------------------------------------------ */

static void bind_double_opt(sqlite3_stmt *st, int i, int has, double v)
{
	if (has)
		sqlite3_bind_int64(st, i, (sqlite3_int64)v);
	else
		sqlite3_bind_null(st, i);
}

/* Steps a write; on failure sets e with SQLite's reason and returns -1. */
static int write_step(struct store *s, sqlite3_stmt *st, const char *what, struct err *e)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return 0;
	return err_set(e, "%s: the database refused it (%s)", what,
		       sqlite3_errmsg(sqlite_impl(s)->db));
}

static int import_term(struct store *s, const struct oruk_term *t, const char *what,
		       struct err *e)
{
	const char *taxonomy_id = t->taxonomy_id ? t->taxonomy_id : IMPORTED_TAXONOMY;
	sqlite3_stmt *st = stmt(s, O_TAXONOMY_ENSURE);
	bind_text(st, 1, taxonomy_id);
	bind_text(st, 2, t->taxonomy ? t->taxonomy : "Imported taxonomy");
	if (write_step(s, st, what, e) != 0)
		return -1;
	st = stmt(s, O_TERM_UPSERT);
	bind_text(st, 1, t->id);
	bind_text(st, 2, taxonomy_id);
	bind_text(st, 3, t->code);
	bind_text(st, 4, t->name);
	bind_text(st, 5, t->description);
	bind_text(st, 6, t->term_uri);
	return write_step(s, st, what, e);
}

static int import_location(struct store *s, const struct oruk_service *v,
			   const struct oruk_location *l, const char *what, struct err *e)
{
	sqlite3_stmt *st = stmt(s, O_LOCATION_UPSERT);
	bind_text(st, 1, l->id);
	bind_text(st, 2, v->organization.id);
	bind_text(st, 3, l->location_type);
	bind_text(st, 4, l->name);
	bind_text(st, 5, l->description);
	if (l->has_position) {
		sqlite3_bind_double(st, 6, l->latitude);
		sqlite3_bind_double(st, 7, l->longitude);
	}
	if (write_step(s, st, what, e) != 0)
		return -1;
	st = stmt(s, O_CLEAR_ADDRESSES);
	bind_text(st, 1, l->id);
	if (write_step(s, st, what, e) != 0)
		return -1;
	for (size_t i = 0; i < l->naddresses; i++) {
		const struct oruk_address *a = &l->addresses[i];
		st = stmt(s, O_ADDRESS_UPSERT);
		bind_text(st, 1, a->id);
		bind_text(st, 2, l->id);
		bind_text(st, 3, a->attention);
		bind_text(st, 4, a->address_1);
		bind_text(st, 5, a->city);
		bind_text(st, 6, a->region);
		bind_text(st, 7, a->state_province ? a->state_province : "");
		bind_text(st, 8, a->postal_code);
		bind_text(st, 9, a->country);
		bind_text(st, 10, a->address_type);
		if (write_step(s, st, what, e) != 0)
			return -1;
	}
	return 0;
}

static int import_service(struct store *s, const struct oruk_service *v, int approved,
			  int64_t now, const char *what, struct err *e)
{
	const struct oruk_organization *o = &v->organization;
	sqlite3_stmt *st = stmt(s, O_ORG_UPSERT);
	bind_text(st, 1, o->id);
	bind_text(st, 2, o->name);
	bind_text(st, 3, o->description ? o->description : "");
	bind_text(st, 4, o->email);
	bind_text(st, 5, o->website);
	bind_text(st, 6, o->logo);
	bind_text(st, 7, o->uri);
	bind_text(st, 8, o->parent_id);
	sqlite3_bind_int64(st, 9, now);
	if (write_step(s, st, what, e) != 0)
		return -1;

	st = stmt(s, O_SERVICE_UPSERT);
	bind_text(st, 1, v->id);
	bind_text(st, 2, o->id);
	bind_text(st, 3, v->name);
	bind_text(st, 4, v->description);
	bind_text(st, 5, v->url);
	bind_text(st, 6, v->email);
	bind_text(st, 7, v->status ? v->status : "active");
	bind_text(st, 8, v->fees);
	bind_text(st, 9, v->accreditations);
	bind_double_opt(st, 10, v->has_minimum_age, v->minimum_age);
	bind_double_opt(st, 11, v->has_maximum_age, v->maximum_age);
	bind_text(st, 12, v->assured_date);
	bind_text(st, 13, v->assurer_email);
	bind_text(st, 14, v->alert);
	bind_text(st, 15, approved ? "approved" : "pending");
	sqlite3_bind_int64(st, 16, now);
	if (write_step(s, st, what, e) != 0)
		return -1;

	/* What the service had is replaced by what the file says it has. */
	static const enum oruk_stmt clear[] = {O_CLEAR_SCHEDULES, O_CLEAR_SALS, O_CLEAR_CONTACTS,
					       O_CLEAR_TERMS};
	for (size_t i = 0; i < sizeof(clear) / sizeof(clear[0]); i++) {
		st = stmt(s, clear[i]);
		bind_text(st, 1, v->id);
		if (write_step(s, st, what, e) != 0)
			return -1;
	}
	for (size_t i = 0; i < v->nlocations; i++) {
		const struct oruk_service_at_location *sal = &v->locations[i];
		if (import_location(s, v, &sal->location, what, e) != 0)
			return -1;
		st = stmt(s, O_SAL_UPSERT);
		bind_text(st, 1, sal->id);
		bind_text(st, 2, v->id);
		bind_text(st, 3, sal->location.id);
		if (write_step(s, st, what, e) != 0)
			return -1;
	}
	for (size_t i = 0; i < v->ncontacts; i++) {
		st = stmt(s, O_CONTACT_UPSERT);
		bind_text(st, 1, v->contacts[i].id);
		bind_text(st, 2, o->id);
		bind_text(st, 3, v->id);
		bind_text(st, 4, v->contacts[i].name);
		bind_text(st, 5, v->contacts[i].title);
		if (write_step(s, st, what, e) != 0)
			return -1;
	}
	for (size_t i = 0; i < v->nschedules; i++) {
		const struct oruk_schedule *h = &v->schedules[i];
		st = stmt(s, O_SCHEDULE_UPSERT);
		bind_text(st, 1, h->id);
		bind_text(st, 2, v->id);
		bind_text(st, 3, h->service_at_location_id);
		bind_text(st, 4, h->valid_from);
		bind_text(st, 5, h->valid_to);
		bind_text(st, 6, h->dtstart);
		bind_text(st, 7, h->freq);
		if (h->interval > 0)
			sqlite3_bind_int(st, 8, h->interval);
		bind_text(st, 9, h->byday);
		bind_text(st, 10, h->bymonthday);
		bind_text(st, 11, h->description);
		bind_text(st, 12, h->opens_at);
		bind_text(st, 13, h->closes_at);
		bind_text(st, 14, h->schedule_link);
		bind_text(st, 15, h->attending_type);
		bind_text(st, 16, h->notes);
		if (write_step(s, st, what, e) != 0)
			return -1;
	}
	for (size_t i = 0; i < v->nattributes; i++) {
		const struct oruk_attribute *a = &v->attributes[i];
		if (import_term(s, &a->term, what, e) != 0)
			return -1;
		st = stmt(s, O_ATTRIBUTE_UPSERT);
		bind_text(st, 1, a->id);
		bind_text(st, 2, v->id);
		bind_text(st, 3, a->term.id);
		if (write_step(s, st, what, e) != 0)
			return -1;
	}
	return 0;
}

int sqlite_oruk_import(struct store *s, const struct oruk_feed *feed, const char *const *digests,
		       int approved, int64_t now, struct oruk_import_result *result,
		       struct err *e)
{
	memset(result, 0, sizeof(*result));
	struct pool *p = pool_new();
	if (sqlite_write_begin(s) != 0) {
		pool_free(p);
		return err_set(e, "cannot start a transaction: the database is busy or read-only");
	}
	struct oruk_import_result r = {0};
	int rc = 0;
	for (size_t i = 0; i < feed->nservices && rc == 0; i++) {
		const struct oruk_service *v = &feed->services[i];
		const char *what = pool_printf(p, "service %s (%s)", v->id, v->name);
		sqlite3_stmt *st = stmt(s, O_IMPORT_DIGEST);
		bind_text(st, 1, v->id);
		int step = sqlite3_step(st);
		const char *before = step == SQLITE_ROW ? col_text(st, 0, p) : NULL;
		sqlite3_reset(st);
		if (step != SQLITE_ROW && step != SQLITE_DONE) {
			rc = err_set(e, "%s: cannot read the database", what);
			break;
		}
		if (before && strcmp(before, digests[i]) == 0) {
			r.unchanged++;
			continue;
		}
		int64_t known;
		st = stmt(s, O_SERVICE_KNOWN);
		bind_text(st, 1, v->id);
		if (sqlite_count(s, st, &known) != 0) {
			rc = err_set(e, "%s: cannot read the database", what);
			break;
		}
		rc = import_service(s, v, approved, now, what, e);
		if (rc == 0) {
			st = stmt(s, O_IMPORT_RECORD);
			bind_text(st, 1, v->id);
			bind_text(st, 2, digests[i]);
			sqlite3_bind_int64(st, 3, now);
			rc = write_step(s, st, what, e);
		}
		if (rc == 0) {
			if (known)
				r.updated++;
			else
				r.added++;
		}
	}
	/* Parents last: a term's parent may come later in the file. */
	for (size_t i = 0; i < feed->nservices && rc == 0; i++) {
		const struct oruk_service *v = &feed->services[i];
		for (size_t a = 0; a < v->nattributes && rc == 0; a++) {
			const struct oruk_term *t = &v->attributes[a].term;
			if (t->parent_id == NULL)
				continue;
			sqlite3_stmt *st = stmt(s, O_TERM_PARENT);
			bind_text(st, 1, t->id);
			bind_text(st, 2, t->parent_id);
			rc = write_step(s, st, pool_printf(p, "taxonomy term %s", t->id), e);
		}
	}
	pool_free(p);
	if (rc != 0)
		return sqlite_write_rollback(s, -1);
	if (sqlite_write_commit(s) != 0)
		return err_set(e, "cannot commit the import: nothing was imported");
	*result = r;
	return 0;
}
