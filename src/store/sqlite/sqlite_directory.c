/* The SQLite backend's operations for the directory of services and placements: search
 * (FTS5 over service_fts, distance through the location_geo R*Tree and cairn_distance),
 * listings and their moderation, postcodes, and directory referrals with their hours.
 * Its SQL is stmts[] below; the tables are migrations/006_directory.sql. */
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "domain/ledger.h"
#include "domain/postcode.h"
#include "store/sqlite/sqlite_int.h"

enum stmt_id {
	T_LIST,
	T_GET,
	P_FIND,
	P_PUT,
	Q_TEXT_NEAR,
	Q_TEXT_NEAREST,
	Q_TEXT,
	Q_NEAR,
	Q_ALL,
	Q_DETAIL,
	SV_GET,
	SV_TERMS,
	SV_PLACEMENTS,
	SV_OF,
	SV_PENDING,
	PL_PENDING,
	L_ORG,
	L_SERVICE,
	L_LOCATION,
	L_ADDRESS,
	L_AT,
	L_TERM,
	L_PLACEMENT,
	L_SKILL,
	E_SERVICE_INSERT,
	E_SERVICE_UPDATE,
	E_TERMS_CLEAR,
	E_LOCATION_OF,
	E_LOCATION_UPDATE,
	E_ADDRESS_UPDATE,
	E_PLACEMENT_INSERT,
	E_PLACEMENT_UPDATE,
	E_SKILLS_CLEAR,
	M_SERVICE,
	M_PLACEMENT,
	C_POSTCODE,
	C_POSTCODE_SET,
	R_BY_TOKEN,
	R_SERVICE_OK,
	R_INSERT,
	R_EVENT,
	R_GET,
	R_OF_ORG,
	R_OF_CLIENT,
	R_STATE,
	R_ANSWER,
	R_COMPLETE,
	R_COUNTED,
	R_LEDGER,
	S_COUNT
};

/* The filters every search takes, on service s. ?10 service type, ?11 category, ?12 skill
 * (term ids or NULL), ?13 counts as other activity, ?14 hosts placements. */
#define FILTERS                                                                                \
	"s.moderation = 'approved' "                                                           \
	"AND (?10 IS NULL OR EXISTS (SELECT 1 FROM service_taxonomy x WHERE x.service_id = s.id " \
	"AND x.taxonomy_term_id = ?10)) "                                                      \
	"AND (?11 IS NULL OR EXISTS (SELECT 1 FROM service_taxonomy x WHERE x.service_id = s.id " \
	"AND x.taxonomy_term_id = ?11)) "                                                      \
	"AND (?13 = 0 OR s.counts_as_other_activity = 1) "                                     \
	"AND (?14 = 0 OR EXISTS (SELECT 1 FROM placement_offer p WHERE p.service_id = s.id "   \
	"AND p.moderation = 'approved' AND p.places_available > 0)) "                           \
	"AND (?12 IS NULL OR EXISTS (SELECT 1 FROM placement_offer p JOIN placement_skill k "  \
	"ON k.placement_offer_id = p.id WHERE p.service_id = s.id AND p.moderation = 'approved' " \
	"AND k.taxonomy_term_id = ?12)) "

/* The words of the name count most, then the organisation's and the terms'. */
#define HITS                                                                                   \
	"SELECT rowid AS n, bm25(service_fts, 10.0, 2.0, 4.0, 4.0) AS rank FROM service_fts "    \
	"WHERE service_fts MATCH ?1"

/* When ?17 is 1 (a filter is set), whether service n passes the filters; listed services
 * pass when it is 0, without reading the service's row. */
#define FILTERED(n)                                                                            \
	"(?17 = 0 OR EXISTS (SELECT 1 FROM service s WHERE s.n = " n " AND " FILTERS ")) "

#define TERM_NAMES(use)                                                                        \
	"(SELECT group_concat(t.name, ', ') FROM service_taxonomy x JOIN taxonomy_term t "      \
	"ON t.id = x.taxonomy_term_id JOIN taxonomy y ON y.id = t.taxonomy_id "                 \
	"WHERE x.service_id = s.id AND y.cairn_use = '" use "')"

#define SERVICE_COLUMNS                                                                        \
	"s.id, s.organization_id, o.name, o.email, s.name, s.description, s.status, s.url, "     \
	"s.email, s.fees, s.eligibility_description, s.application_process, "                  \
	"s.counts_as_other_activity, s.typical_minutes, s.moderation, s.last_modified "

#define REFERRAL_COLUMNS                                                                       \
	"r.id, r.reference, r.status, r.client_id, r.order_id, r.authority_id, c.first_name, "  \
	"c.last_name, c.email, c.mobile, r.service_id, s.name, r.organization_id, o.name, "      \
	"s.counts_as_other_activity, w.name, w.email, r.created_at, coalesce(r.answered_at, 0), " \
	"coalesce(r.completed_at, 0), r.decline_reason, coalesce(r.minutes_confirmed, -1), "     \
	"coalesce((SELECT sum(h.minutes) FROM hours_ledger h WHERE h.directory_referral_id = r.id " \
	"AND h.kind = 'directory'), 0) "                                                        \
	"FROM directory_referral r JOIN client c ON c.id = r.client_id "                        \
	"JOIN service s ON s.id = r.service_id JOIN organization o ON o.id = r.organization_id " \
	"JOIN user w ON w.id = r.referred_by "

static const char *const stmts[S_COUNT] = {
	[T_LIST] = "SELECT t.id, t.name, t.description, t.taxonomy_id, y.cairn_use FROM taxonomy_term t "
		   "JOIN taxonomy y ON y.id = t.taxonomy_id WHERE y.cairn_use = ?1 ORDER BY t.name",
	[T_GET] = "SELECT t.id, t.name, t.description, t.taxonomy_id, y.cairn_use FROM taxonomy_term t "
		  "JOIN taxonomy y ON y.id = t.taxonomy_id WHERE t.id = ?1",
	[P_FIND] = "SELECT latitude, longitude FROM postcode WHERE postcode = ?1",
	[P_PUT] = "INSERT INTO postcode(postcode, latitude, longitude) VALUES (?1, ?2, ?3) "
		  "ON CONFLICT(postcode) DO UPDATE SET latitude = excluded.latitude, "
		  "longitude = excluded.longitude",
	/* CROSS JOIN keeps the full-text hits (or the places in the box) as the outer loop:
	 * left to itself the planner walks every approved service and asks FTS5 for each.
	 * Each search gives n, rank, metres (-1 when not located) and the total, one page
	 * of it (?15 rows from ?16), in order. The CTEs are materialised so the distance is
	 * computed once a row. */
	[Q_TEXT_NEAR] = "WITH h AS MATERIALIZED (" HITS "), "
			"c AS MATERIALIZED (SELECT h.n AS n, h.rank AS rank, "
			"min(cairn_distance(?2, ?3, sp.latitude, sp.longitude)) AS metres "
			"FROM h CROSS JOIN service_place sp ON sp.service_n = h.n WHERE sp.listed "
			"AND sp.latitude BETWEEN ?4 AND ?5 AND sp.longitude BETWEEN ?6 AND ?7 GROUP BY h.n) "
			"SELECT n, rank, metres, count(*) OVER () FROM c WHERE metres <= ?8 AND " FILTERED("c.n")
			"ORDER BY CASE WHEN ?9 THEN metres END, rank, metres, n LIMIT ?15 OFFSET ?16",
	/* Nearest first needs no relevance: bm25() is most of a text search's time. */
	[Q_TEXT_NEAREST] = "WITH h AS MATERIALIZED (SELECT rowid AS n FROM service_fts "
			   "WHERE service_fts MATCH ?1), "
			   "c AS MATERIALIZED (SELECT h.n AS n, "
			   "min(cairn_distance(?2, ?3, sp.latitude, sp.longitude)) AS metres "
			   "FROM h CROSS JOIN service_place sp ON sp.service_n = h.n WHERE sp.listed "
			   "AND sp.latitude BETWEEN ?4 AND ?5 AND sp.longitude BETWEEN ?6 AND ?7 GROUP BY h.n) "
			   "SELECT n, 0, metres, count(*) OVER () FROM c WHERE metres <= ?8 AND " FILTERED("c.n")
			   "ORDER BY metres, n LIMIT ?15 OFFSET ?16",
	[Q_TEXT] = "WITH h AS MATERIALIZED (" HITS ") SELECT s.n, h.rank, -1, count(*) OVER () FROM h "
		   "CROSS JOIN service s ON s.n = h.n WHERE " FILTERS
		   "ORDER BY h.rank, s.n LIMIT ?15 OFFSET ?16",
	[Q_NEAR] = "WITH d AS MATERIALIZED (SELECT sp.service_n AS n, "
		   "min(cairn_distance(?2, ?3, sp.latitude, sp.longitude)) AS metres "
		   "FROM location_geo g CROSS JOIN service_place sp ON sp.location_n = g.id "
		   "WHERE g.min_lat >= ?4 AND g.max_lat <= ?5 AND g.min_lon >= ?6 AND g.max_lon <= ?7 "
		   "AND sp.listed GROUP BY sp.service_n) "
		   "SELECT n, 0, metres, count(*) OVER () FROM d WHERE metres <= ?8 AND " FILTERED("d.n")
		   "ORDER BY metres, n LIMIT ?15 OFFSET ?16",
	[Q_ALL] = "SELECT s.n, 0, -1, count(*) OVER () FROM service s WHERE " FILTERS
		  "ORDER BY s.name, s.n LIMIT ?15 OFFSET ?16",
	/* A result's details, at its location nearest (?2, ?3) when located. */
	[Q_DETAIL] = "SELECT s.id, s.name, s.description, o.id, o.name, s.counts_as_other_activity, "
		     "s.typical_minutes, coalesce((SELECT sum(p.places_available) FROM placement_offer p "
		     "WHERE p.service_id = s.id AND p.moderation = 'approved'), 0), "
		     TERM_NAMES("service_type") ", " TERM_NAMES("category") ", "
		     "a.address_1, a.city, a.postal_code "
		     "FROM service s JOIN organization o ON o.id = s.organization_id "
		     "LEFT JOIN address a ON a.location_id = (SELECT sal.location_id "
		     "FROM service_at_location sal JOIN location l ON l.id = sal.location_id "
		     "WHERE sal.service_id = s.id ORDER BY CASE WHEN ?2 IS NULL THEN 0 ELSE "
		     "coalesce(cairn_distance(?2, ?3, l.latitude, l.longitude), 1e12) END, l.n LIMIT 1) "
		     "WHERE s.n = ?1 LIMIT 1",
	[SV_GET] = "SELECT " SERVICE_COLUMNS ", l.id, a.address_1, a.city, a.postal_code, "
		   "l.latitude, l.longitude FROM service s JOIN organization o ON o.id = s.organization_id "
		   "LEFT JOIN location l ON l.id = (SELECT sal.location_id FROM service_at_location sal "
		   "JOIN location l2 ON l2.id = sal.location_id WHERE sal.service_id = s.id "
		   "ORDER BY l2.n LIMIT 1) "
		   "LEFT JOIN address a ON a.location_id = l.id WHERE s.id = ?1 LIMIT 1",
	[SV_TERMS] = "SELECT t.id, t.name, t.description, t.taxonomy_id, y.cairn_use "
		     "FROM service_taxonomy x JOIN taxonomy_term t ON t.id = x.taxonomy_term_id "
		     "JOIN taxonomy y ON y.id = t.taxonomy_id WHERE x.service_id = ?1 ORDER BY y.name, t.name",
	[SV_PLACEMENTS] = "SELECT p.id, p.service_id, p.organization_id, p.area_of_expertise, p.times, "
			  "p.places_available, p.moderation, (SELECT group_concat(t.name, ', ') "
			  "FROM placement_skill k JOIN taxonomy_term t ON t.id = k.taxonomy_term_id "
			  "WHERE k.placement_offer_id = p.id), p.last_modified "
			  "FROM placement_offer p WHERE p.service_id = ?1 ORDER BY p.created_at, p.id",
	[SV_OF] = "SELECT " SERVICE_COLUMNS "FROM service s JOIN organization o ON o.id = s.organization_id "
		  "WHERE s.organization_id = ?1 ORDER BY s.name, s.n LIMIT 500",
	[SV_PENDING] = "SELECT " SERVICE_COLUMNS "FROM service s JOIN organization o ON o.id = s.organization_id "
		       "WHERE s.moderation = 'pending' ORDER BY s.last_modified, s.n LIMIT 200",
	[PL_PENDING] = "SELECT p.id, p.service_id, p.organization_id, p.area_of_expertise, p.times, "
		       "p.places_available, p.moderation, (SELECT group_concat(t.name, ', ') "
		       "FROM placement_skill k JOIN taxonomy_term t ON t.id = k.taxonomy_term_id "
		       "WHERE k.placement_offer_id = p.id), p.last_modified "
		       "FROM placement_offer p WHERE p.moderation = 'pending' "
		       "ORDER BY p.last_modified, p.id LIMIT 200",
	[L_ORG] = "INSERT INTO organization(id, name, description, email, created_at, last_modified) "
		  "VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT(id) DO NOTHING",
	[L_SERVICE] = "INSERT INTO service(id, organization_id, name, description, url, email, fees, "
		      "eligibility_description, application_process, counts_as_other_activity, "
		      "typical_minutes, moderation, created_at, last_modified) "
		      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
	[L_LOCATION] = "INSERT INTO location(id, organization_id, location_type, name, latitude, longitude) "
		       "VALUES (?1, ?2, 'physical', ?3, ?4, ?5)",
	[L_ADDRESS] = "INSERT INTO address(id, location_id, address_1, city, postal_code) "
		      "VALUES (?1, ?2, ?3, ?4, ?5)",
	[L_AT] = "INSERT INTO service_at_location(id, service_id, location_id) VALUES (?1, ?2, ?3)",
	[L_TERM] = "INSERT INTO service_taxonomy(id, service_id, taxonomy_term_id) VALUES (?1, ?2, ?3) "
		   "ON CONFLICT DO NOTHING",
	[L_PLACEMENT] = "INSERT INTO placement_offer(id, organization_id, service_id, area_of_expertise, "
			"places_available, times, moderation, created_at, last_modified) "
			"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
	[L_SKILL] = "INSERT INTO placement_skill(placement_offer_id, taxonomy_term_id) VALUES (?1, ?2) "
		    "ON CONFLICT DO NOTHING",
	/* A double-clicked Save adds one service: not a second of the same name. */
	[E_SERVICE_INSERT] = "INSERT INTO service(id, organization_id, name, description, url, email, "
			     "fees, eligibility_description, application_process, "
			     "counts_as_other_activity, typical_minutes, moderation, created_at, "
			     "last_modified) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
			     "'pending', ?12, ?12 WHERE NOT EXISTS (SELECT 1 FROM service "
			     "WHERE organization_id = ?2 AND name = ?3)",
	[E_SERVICE_UPDATE] = "UPDATE service SET name = ?3, description = ?4, url = ?5, email = ?6, "
			     "fees = ?7, eligibility_description = ?8, application_process = ?9, "
			     "counts_as_other_activity = ?10, typical_minutes = ?11, "
			     "moderation = 'pending', moderated_by = NULL, moderated_at = NULL, "
			     "last_modified = ?12 WHERE id = ?1 AND organization_id = ?2",
	/* Only the terms of Cairn's category and service type taxonomies: an imported
	 * service's other terms stay. */
	[E_TERMS_CLEAR] = "DELETE FROM service_taxonomy WHERE service_id = ?1 AND taxonomy_term_id IN "
			  "(SELECT t.id FROM taxonomy_term t JOIN taxonomy y ON y.id = t.taxonomy_id "
			  "WHERE y.cairn_use IN ('category', 'service_type'))",
	[E_LOCATION_OF] = "SELECT sal.location_id FROM service_at_location sal JOIN location l "
			  "ON l.id = sal.location_id WHERE sal.service_id = ?1 ORDER BY l.n LIMIT 1",
	[E_LOCATION_UPDATE] = "UPDATE location SET latitude = ?2, longitude = ?3 WHERE id = ?1",
	[E_ADDRESS_UPDATE] = "UPDATE address SET address_1 = ?2, city = ?3, postal_code = ?4 "
			     "WHERE location_id = ?1",
	[E_PLACEMENT_INSERT] = "INSERT INTO placement_offer(id, organization_id, service_id, "
			       "area_of_expertise, places_available, times, moderation, created_at, "
			       "last_modified) SELECT ?1, ?2, s.id, ?4, ?5, ?6, 'pending', ?7, ?7 "
			       "FROM service s WHERE s.id = ?3 AND s.organization_id = ?2 "
			       "AND NOT EXISTS (SELECT 1 FROM placement_offer p WHERE p.service_id = ?3 "
			       "AND p.area_of_expertise = ?4 AND p.moderation <> 'retired')",
	[E_PLACEMENT_UPDATE] = "UPDATE placement_offer SET area_of_expertise = ?4, places_available = ?5, "
			       "times = ?6, moderation = 'pending', moderated_by = NULL, "
			       "moderated_at = NULL, last_modified = ?7 "
			       "WHERE id = ?1 AND organization_id = ?2 AND service_id = ?3",
	[E_SKILLS_CLEAR] = "DELETE FROM placement_skill WHERE placement_offer_id = ?1",
	[M_SERVICE] = "UPDATE service SET moderation = ?2, moderated_by = ?3, moderated_at = ?4 "
		      "WHERE id = ?1",
	[M_PLACEMENT] = "UPDATE placement_offer SET moderation = ?2, moderated_by = ?3, "
			"moderated_at = ?4 WHERE id = ?1",
	[C_POSTCODE] = "SELECT postcode FROM client WHERE id = ?1",
	[C_POSTCODE_SET] = "UPDATE client SET postcode = ?2 WHERE id = ?1",
	[R_BY_TOKEN] = "SELECT id FROM directory_referral WHERE form_token = ?1",
	[R_SERVICE_OK] = "SELECT organization_id FROM service WHERE id = ?1 AND moderation = 'approved' "
			 "AND status = 'active'",
	[R_INSERT] = "INSERT INTO directory_referral(reference, client_id, order_id, authority_id, "
		     "service_id, organization_id, referred_by, form_token, created_at) "
		     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[R_EVENT] = "INSERT INTO directory_referral_event(directory_referral_id, status, user_id, at, note) "
		    "VALUES (?1, ?2, ?3, ?4, ?5)",
	[R_GET] = "SELECT " REFERRAL_COLUMNS "WHERE r.id = ?1",
	[R_OF_ORG] = "SELECT " REFERRAL_COLUMNS "WHERE r.organization_id = ?1 "
		     "ORDER BY r.created_at DESC, r.id DESC LIMIT ?2 OFFSET ?3",
	[R_OF_CLIENT] = "SELECT " REFERRAL_COLUMNS "WHERE r.client_id = ?1 "
			"ORDER BY r.created_at DESC, r.id DESC LIMIT 100",
	[R_STATE] = "SELECT r.status, r.organization_id, r.order_id, s.counts_as_other_activity, "
		    "o.activity_minutes, r.reference, s.name, g.name FROM directory_referral r "
		    "JOIN service s ON s.id = r.service_id JOIN court_order o ON o.id = r.order_id "
		    "JOIN organization g ON g.id = r.organization_id WHERE r.id = ?1",
	[R_ANSWER] = "UPDATE directory_referral SET status = ?2, answered_by = ?3, answered_at = ?4, "
		     "decline_reason = ?5 WHERE id = ?1 AND status = 'sent'",
	[R_COMPLETE] = "UPDATE directory_referral SET status = 'completed', completed_by = ?2, "
		       "completed_at = ?3, minutes_confirmed = ?4 WHERE id = ?1 AND status = 'accepted'",
	[R_COUNTED] = "SELECT coalesce(sum(counted_minutes), 0) FROM hours_ledger WHERE order_id = ?1",
	[R_LEDGER] = "INSERT INTO hours_ledger(order_id, kind, minutes, counted_minutes, reason, "
		     "recorded_by, at, directory_referral_id) VALUES (?1, 'directory', ?2, ?3, ?4, ?5, ?6, ?7)",
};

_Static_assert(S_COUNT <= SQLITE_SLOTS_PER_FILE, "too many statements for the slots");

static sqlite3_stmt *stmt(struct store *s, enum stmt_id id)
{
	return sqlite_stmt(s, SQLITE_SLOTS_DIRECTORY + (int)id, stmts[id]);
}

#define text sqlite_col_text

static int found(int rc)
{
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? STORE_NOT_FOUND : -1;
}

static sqlite3 *db_of(struct store *s)
{
	return sqlite_impl(s)->db;
}

/* ---- cairn_distance(lat1, lon1, lat2, lon2): metres, NULL when any is NULL --------- */

static void distance_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	for (int i = 0; i < 4; i++)
		if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
			sqlite3_result_null(ctx);
			return;
		}
	sqlite3_result_double(ctx, geo_distance_metres(sqlite3_value_double(argv[0]),
						       sqlite3_value_double(argv[1]),
						       sqlite3_value_double(argv[2]),
						       sqlite3_value_double(argv[3])));
}

void sqlite_directory_functions(sqlite3 *db)
{
	sqlite3_create_function(db, "cairn_distance", 4,
				SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
				distance_fn, NULL, NULL);
}

/* ---- taxonomy and postcodes ------------------------------------------------------ */

static void read_term(sqlite3_stmt *st, struct pool *p, struct directory_term *t)
{
	t->id = text(st, 0, p);
	t->name = text(st, 1, p);
	t->description = text(st, 2, p);
	t->taxonomy_id = text(st, 3, p);
	t->use = text(st, 4, p);
}

/* Every row of a statement into a pool array (grown as it goes). */
#define READ_ALL(st, p, rows, count, type, reader)                                             \
	do {                                                                                   \
		size_t cap_ = 16;                                                              \
		type *a_ = pool_alloc((p), sizeof(type) * cap_);                               \
		size_t n_ = 0;                                                                 \
		int rc_;                                                                       \
		while ((rc_ = sqlite3_step(st)) == SQLITE_ROW) {                               \
			if (n_ == cap_) {                                                      \
				type *b_ = pool_alloc((p), sizeof(type) * cap_ * 2);           \
				memcpy(b_, a_, sizeof(type) * cap_);                           \
				a_ = b_;                                                       \
				cap_ *= 2;                                                     \
			}                                                                      \
			memset(&a_[n_], 0, sizeof(type));                                      \
			reader((st), (p), &a_[n_]);                                            \
			n_++;                                                                  \
		}                                                                              \
		sqlite3_reset(st);                                                             \
		*(rows) = a_;                                                                  \
		*(count) = n_;                                                                 \
		if (rc_ != SQLITE_DONE)                                                        \
			return -1;                                                             \
	} while (0)

int sqlite_directory_terms(struct store *s, struct pool *p, const char *use, struct directory_term **rows,
		    size_t *count)
{
	sqlite3_stmt *st = stmt(s, T_LIST);
	sqlite_bind_text(st, 1, use);
	READ_ALL(st, p, rows, count, struct directory_term, read_term);
	return 0;
}

int sqlite_directory_term_get(struct store *s, struct pool *p, const char *id, struct directory_term *out)
{
	sqlite3_stmt *st = stmt(s, T_GET);
	sqlite_bind_text(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_term(st, p, out);
	sqlite3_reset(st);
	return found(rc);
}

int sqlite_postcode_find(struct store *s, const char *postcode, double *latitude,
			    double *longitude)
{
	sqlite3_stmt *st = stmt(s, P_FIND);
	sqlite_bind_text(st, 1, postcode);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*latitude = sqlite3_column_double(st, 0);
		*longitude = sqlite3_column_double(st, 1);
	}
	sqlite3_reset(st);
	return found(rc);
}

int sqlite_postcodes_begin(struct store *s)
{
	return sqlite_write_begin(s);
}

int sqlite_postcode_put(struct store *s, const char *postcode, double latitude, double longitude)
{
	sqlite3_stmt *st = stmt(s, P_PUT);
	sqlite_bind_text(st, 1, postcode);
	sqlite3_bind_double(st, 2, latitude);
	sqlite3_bind_double(st, 3, longitude);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int sqlite_postcodes_end(struct store *s, int commit)
{
	return commit ? sqlite_write_commit(s) : sqlite_write_rollback(s, 0);
}

/* ---- search ---------------------------------------------------------------------- */

static int result_detail(struct store *s, struct pool *p, const struct directory_query *q,
			 int64_t n, struct directory_result *r)
{
	sqlite3_stmt *st = stmt(s, Q_DETAIL);
	sqlite3_bind_int64(st, 1, n);
	if (q->located) {
		sqlite3_bind_double(st, 2, q->latitude);
		sqlite3_bind_double(st, 3, q->longitude);
	}
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r->service_id = text(st, 0, p);
		r->name = text(st, 1, p);
		r->description = text(st, 2, p);
		r->organization_id = text(st, 3, p);
		r->organization_name = text(st, 4, p);
		r->counts_as_other_activity = sqlite3_column_int(st, 5);
		r->typical_minutes = sqlite3_column_int(st, 6);
		r->places = sqlite3_column_int(st, 7);
		r->types = text(st, 8, p);
		r->categories = text(st, 9, p);
		r->address_1 = text(st, 10, p);
		r->city = text(st, 11, p);
		r->postal_code = text(st, 12, p);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

int sqlite_directory_search(struct store *s, struct pool *p, const struct directory_query *q,
		     struct directory_result **rows, size_t *count, int64_t *total)
{
	enum stmt_id id = q->fts ? (q->located ? (q->by_distance ? Q_TEXT_NEAREST : Q_TEXT_NEAR) : Q_TEXT)
				 : (q->located ? Q_NEAR : Q_ALL);
	int filtered = q->service_type_id || q->category_id || q->skill_id || q->other_activity ||
		       q->hosts_placements;
	sqlite3_stmt *st = stmt(s, id);
	sqlite_bind_text(st, 1, q->fts);
	if (q->located) {
		double box[4];
		geo_box(q->latitude, q->longitude, q->metres, &box[0], &box[1], &box[2], &box[3]);
		sqlite3_bind_double(st, 2, q->latitude);
		sqlite3_bind_double(st, 3, q->longitude);
		for (int i = 0; i < 4; i++)
			sqlite3_bind_double(st, 4 + i, box[i]);
		sqlite3_bind_double(st, 8, q->metres);
		sqlite3_bind_int(st, 9, q->by_distance);
	}
	sqlite_bind_text(st, 10, q->service_type_id);
	sqlite_bind_text(st, 11, q->category_id);
	sqlite_bind_text(st, 12, q->skill_id);
	sqlite3_bind_int(st, 13, q->other_activity);
	sqlite3_bind_int(st, 14, q->hosts_placements);
	sqlite3_bind_int(st, 15, q->limit);
	sqlite3_bind_int(st, 16, q->offset);
	sqlite3_bind_int(st, 17, filtered);
	int limit = q->limit > 0 ? q->limit : 1;
	int64_t *ns = pool_alloc(p, sizeof(*ns) * (size_t)limit);
	double *metres = pool_alloc(p, sizeof(*metres) * (size_t)limit);
	size_t n = 0;
	*total = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < (size_t)limit) {
		ns[n] = sqlite3_column_int64(st, 0);
		metres[n] = sqlite3_column_double(st, 2);
		*total = sqlite3_column_int64(st, 3);
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		log_error("directory search: %s", sqlite3_errmsg(db_of(s)));
		return -1;
	}
	if (n == 0 && q->offset > 0) {
		/* A page past the end: the total is still wanted, for the paging links. */
		sqlite3_stmt *again = stmt(s, id);
		sqlite_bind_text(again, 1, q->fts);
		if (q->located) {
			double box[4];
			geo_box(q->latitude, q->longitude, q->metres, &box[0], &box[1], &box[2], &box[3]);
			sqlite3_bind_double(again, 2, q->latitude);
			sqlite3_bind_double(again, 3, q->longitude);
			for (int i = 0; i < 4; i++)
				sqlite3_bind_double(again, 4 + i, box[i]);
			sqlite3_bind_double(again, 8, q->metres);
			sqlite3_bind_int(again, 9, q->by_distance);
		}
		sqlite_bind_text(again, 10, q->service_type_id);
		sqlite_bind_text(again, 11, q->category_id);
		sqlite_bind_text(again, 12, q->skill_id);
		sqlite3_bind_int(again, 13, q->other_activity);
		sqlite3_bind_int(again, 14, q->hosts_placements);
		sqlite3_bind_int(again, 15, 1);
		sqlite3_bind_int(again, 16, 0);
		sqlite3_bind_int(again, 17, filtered);
		rc = sqlite3_step(again);
		if (rc == SQLITE_ROW)
			*total = sqlite3_column_int64(again, 3);
		sqlite3_reset(again);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW)
			return -1;
	}
	*rows = pool_alloc(p, sizeof(**rows) * (n ? n : 1));
	memset(*rows, 0, sizeof(**rows) * (n ? n : 1));
	for (size_t i = 0; i < n; i++) {
		if (result_detail(s, p, q, ns[i], &(*rows)[i]) != 0)
			return -1;
		(*rows)[i].metres = q->located ? metres[i] : -1;
	}
	*count = n;
	return 0;
}

/* ---- services ---------------------------------------------------------------------- */

static void read_service(sqlite3_stmt *st, struct pool *p, struct directory_service *v)
{
	v->id = text(st, 0, p);
	v->organization_id = text(st, 1, p);
	v->organization_name = text(st, 2, p);
	v->organization_email = text(st, 3, p);
	v->name = text(st, 4, p);
	v->description = text(st, 5, p);
	v->status = text(st, 6, p);
	v->url = text(st, 7, p);
	v->email = text(st, 8, p);
	v->fees = text(st, 9, p);
	v->eligibility_description = text(st, 10, p);
	v->application_process = text(st, 11, p);
	v->counts_as_other_activity = sqlite3_column_int(st, 12);
	v->typical_minutes = sqlite3_column_int(st, 13);
	v->moderation = text(st, 14, p);
	v->last_modified = sqlite3_column_int64(st, 15);
}

static void read_placement(sqlite3_stmt *st, struct pool *p, struct directory_placement *x)
{
	x->id = text(st, 0, p);
	x->service_id = text(st, 1, p);
	x->organization_id = text(st, 2, p);
	x->area_of_expertise = text(st, 3, p);
	x->times = text(st, 4, p);
	x->places_available = sqlite3_column_int(st, 5);
	x->moderation = text(st, 6, p);
	x->skills = text(st, 7, p);
	x->last_modified = sqlite3_column_int64(st, 8);
}

int sqlite_directory_service_get(struct store *s, struct pool *p, const char *id,
			  struct directory_service *out)
{
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *st = stmt(s, SV_GET);
	sqlite_bind_text(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_service(st, p, out);
		out->location_id = text(st, 16, p);
		out->address_1 = text(st, 17, p);
		out->city = text(st, 18, p);
		out->postal_code = text(st, 19, p);
		out->located = sqlite3_column_type(st, 20) != SQLITE_NULL;
		out->latitude = sqlite3_column_double(st, 20);
		out->longitude = sqlite3_column_double(st, 21);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return found(rc);
	st = stmt(s, SV_TERMS);
	sqlite_bind_text(st, 1, out->id);
	READ_ALL(st, p, &out->terms, &out->nterms, struct directory_term, read_term);
	st = stmt(s, SV_PLACEMENTS);
	sqlite_bind_text(st, 1, out->id);
	READ_ALL(st, p, &out->placements, &out->nplacements, struct directory_placement,
		 read_placement);
	return 0;
}

int sqlite_directory_services_of(struct store *s, struct pool *p, const char *organization_id,
			  struct directory_service **rows, size_t *count)
{
	sqlite3_stmt *st = stmt(s, SV_OF);
	sqlite_bind_text(st, 1, organization_id);
	READ_ALL(st, p, rows, count, struct directory_service, read_service);
	return 0;
}

int sqlite_directory_pending(struct store *s, struct pool *p, struct directory_service **services,
		      size_t *nservices, struct directory_placement **placements, size_t *nplacements)
{
	sqlite3_stmt *st = stmt(s, SV_PENDING);
	READ_ALL(st, p, services, nservices, struct directory_service, read_service);
	st = stmt(s, PL_PENDING);
	READ_ALL(st, p, placements, nplacements, struct directory_placement, read_placement);
	return 0;
}

/* ---- writes ------------------------------------------------------------------------- */

static int step(struct store *s, sqlite3_stmt *st)
{
	return sqlite_step_done(s, st);
}

static int link_terms(struct store *s, const char *service_id, const char *const *ids, size_t n,
		      directory_new_id new_id)
{
	for (size_t i = 0; i < n; i++) {
		char aid[DIRECTORY_UUID_LEN + 1];
		new_id(aid);
		sqlite3_stmt *st = stmt(s, L_TERM);
		sqlite_bind_text(st, 1, aid);
		sqlite_bind_text(st, 2, service_id);
		sqlite_bind_text(st, 3, ids[i]);
		if (step(s, st) != 0)
			return -1;
	}
	return 0;
}

static int link_skills(struct store *s, const char *placement_id, const char *const *ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *st = stmt(s, L_SKILL);
		sqlite_bind_text(st, 1, placement_id);
		sqlite_bind_text(st, 2, ids[i]);
		if (step(s, st) != 0)
			return -1;
	}
	return 0;
}

/* A located address for a service: location, address and the link between them. */
static int add_location(struct store *s, const char *organization_id, const char *service_id,
			const char *name, const char *address_1, const char *city,
			const char *postal_code, int located, double latitude, double longitude,
			directory_new_id new_id)
{
	char lid[DIRECTORY_UUID_LEN + 1], aid[DIRECTORY_UUID_LEN + 1], sid[DIRECTORY_UUID_LEN + 1];
	new_id(lid);
	new_id(aid);
	new_id(sid);
	sqlite3_stmt *st = stmt(s, L_LOCATION);
	sqlite_bind_text(st, 1, lid);
	sqlite_bind_text(st, 2, organization_id);
	sqlite_bind_text(st, 3, name);
	if (located) {
		sqlite3_bind_double(st, 4, latitude);
		sqlite3_bind_double(st, 5, longitude);
	}
	if (step(s, st) != 0)
		return -1;
	if (address_1 && postal_code) {
		st = stmt(s, L_ADDRESS);
		sqlite_bind_text(st, 1, aid);
		sqlite_bind_text(st, 2, lid);
		sqlite_bind_text(st, 3, address_1);
		sqlite_bind_text(st, 4, city ? city : "");
		sqlite_bind_text(st, 5, postal_code);
		if (step(s, st) != 0)
			return -1;
	}
	st = stmt(s, L_AT);
	sqlite_bind_text(st, 1, sid);
	sqlite_bind_text(st, 2, service_id);
	sqlite_bind_text(st, 3, lid);
	return step(s, st);
}

static void bind_service_fields(sqlite3_stmt *st, const struct directory_service *v)
{
	sqlite_bind_text(st, 3, v->name);
	sqlite_bind_text(st, 4, v->description ? v->description : "");
	sqlite_bind_text(st, 5, v->url);
	sqlite_bind_text(st, 6, v->email);
	sqlite_bind_text(st, 7, v->fees);
	sqlite_bind_text(st, 8, v->eligibility_description);
	sqlite_bind_text(st, 9, v->application_process);
	sqlite3_bind_int(st, 10, v->counts_as_other_activity ? 1 : 0);
	sqlite3_bind_int(st, 11, v->typical_minutes);
}

static int load_one(struct store *s, const struct directory_listing *x, directory_new_id new_id,
		    int64_t now)
{
	sqlite3_stmt *st = stmt(s, L_ORG);
	sqlite_bind_text(st, 1, x->organization_id);
	sqlite_bind_text(st, 2, x->organization_name);
	sqlite_bind_text(st, 3, x->organization_description ? x->organization_description : "");
	sqlite_bind_text(st, 4, x->organization_email);
	sqlite3_bind_int64(st, 5, now);
	if (step(s, st) != 0)
		return -1;
	const struct directory_service *v = &x->service;
	st = stmt(s, L_SERVICE);
	sqlite_bind_text(st, 1, v->id);
	sqlite_bind_text(st, 2, x->organization_id);
	bind_service_fields(st, v);
	sqlite_bind_text(st, 12, "approved");
	sqlite3_bind_int64(st, 13, now);
	if (step(s, st) != 0)
		return -1;
	if (add_location(s, x->organization_id, v->id, x->organization_name, v->address_1, v->city,
			 v->postal_code, 1, x->latitude, x->longitude, new_id) != 0)
		return -1;
	if (link_terms(s, v->id, v->term_ids, v->nterm_ids, new_id) != 0)
		return -1;
	if (!x->has_placement)
		return 0;
	const struct directory_placement *pl = &x->placement;
	st = stmt(s, L_PLACEMENT);
	sqlite_bind_text(st, 1, pl->id);
	sqlite_bind_text(st, 2, x->organization_id);
	sqlite_bind_text(st, 3, v->id);
	sqlite_bind_text(st, 4, pl->area_of_expertise);
	sqlite3_bind_int(st, 5, pl->places_available);
	sqlite_bind_text(st, 6, pl->times ? pl->times : "");
	sqlite_bind_text(st, 7, "approved");
	sqlite3_bind_int64(st, 8, now);
	if (step(s, st) != 0)
		return -1;
	return link_skills(s, pl->id, pl->skill_ids, pl->nskill_ids);
}

int sqlite_directory_load(struct store *s, const struct directory_listing *rows, size_t count,
		   directory_new_id new_id, int64_t now, struct err *e)
{
	if (sqlite_write_begin(s) != 0)
		return err_set(e, "cannot begin: %s", sqlite3_errmsg(db_of(s)));
	for (size_t i = 0; i < count; i++)
		if (load_one(s, &rows[i], new_id, now) != 0) {
			err_set(e, "listing %zu (%s): %s", i + 1, rows[i].service.name,
				sqlite3_errmsg(db_of(s)));
			return sqlite_write_rollback(s, -1);
		}
	if (sqlite_write_commit(s) != 0)
		return err_set(e, "cannot commit: %s", sqlite3_errmsg(db_of(s)));
	return 0;
}

static int save_service(struct store *s, const struct directory_service *v, directory_new_id new_id,
			int64_t now, const char **id, struct pool *p)
{
	char fresh[DIRECTORY_UUID_LEN + 1];
	const char *sid = v->id;
	sqlite3_stmt *st;
	if (sid == NULL) {
		new_id(fresh);
		sid = fresh;
		st = stmt(s, E_SERVICE_INSERT);
	} else {
		st = stmt(s, E_SERVICE_UPDATE);
	}
	sqlite_bind_text(st, 1, sid);
	sqlite_bind_text(st, 2, v->organization_id);
	bind_service_fields(st, v);
	sqlite3_bind_int64(st, 12, now);
	if (step(s, st) != 0)
		return -1;
	if (sqlite3_changes(db_of(s)) != 1)
		return STORE_NOT_FOUND;
	st = stmt(s, E_TERMS_CLEAR);
	sqlite_bind_text(st, 1, sid);
	if (step(s, st) != 0 || link_terms(s, sid, v->term_ids, v->nterm_ids, new_id) != 0)
		return -1;
	st = stmt(s, E_LOCATION_OF);
	sqlite_bind_text(st, 1, sid);
	int rc = sqlite3_step(st);
	const char *location = rc == SQLITE_ROW ? text(st, 0, p) : NULL;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	if (location == NULL) {
		if (add_location(s, v->organization_id, sid, v->name, v->address_1, v->city,
				 v->postal_code, v->located, v->latitude, v->longitude, new_id) != 0)
			return -1;
	} else {
		st = stmt(s, E_LOCATION_UPDATE);
		sqlite_bind_text(st, 1, location);
		if (v->located) {
			sqlite3_bind_double(st, 2, v->latitude);
			sqlite3_bind_double(st, 3, v->longitude);
		}
		if (step(s, st) != 0)
			return -1;
		st = stmt(s, E_ADDRESS_UPDATE);
		sqlite_bind_text(st, 1, location);
		sqlite_bind_text(st, 2, v->address_1);
		sqlite_bind_text(st, 3, v->city ? v->city : "");
		sqlite_bind_text(st, 4, v->postal_code);
		if (step(s, st) != 0)
			return -1;
	}
	*id = pool_strdup(p, sid);
	return 0;
}

int sqlite_directory_service_save(struct store *s, const struct directory_service *v,
			   directory_new_id new_id, int64_t now, const char **id, struct pool *p)
{
	if (sqlite_write_begin(s) != 0)
		return -1;
	int rc = save_service(s, v, new_id, now, id, p);
	if (rc != 0)
		return sqlite_write_rollback(s, rc);
	return sqlite_write_commit(s);
}

static int save_placement(struct store *s, const struct directory_placement *pl,
			  directory_new_id new_id, int64_t now)
{
	char fresh[DIRECTORY_UUID_LEN + 1];
	const char *pid = pl->id;
	sqlite3_stmt *st;
	if (pid == NULL) {
		new_id(fresh);
		pid = fresh;
		st = stmt(s, E_PLACEMENT_INSERT);
	} else {
		st = stmt(s, E_PLACEMENT_UPDATE);
	}
	sqlite_bind_text(st, 1, pid);
	sqlite_bind_text(st, 2, pl->organization_id);
	sqlite_bind_text(st, 3, pl->service_id);
	sqlite_bind_text(st, 4, pl->area_of_expertise);
	sqlite3_bind_int(st, 5, pl->places_available);
	sqlite_bind_text(st, 6, pl->times ? pl->times : "");
	sqlite3_bind_int64(st, 7, now);
	if (step(s, st) != 0)
		return -1;
	if (sqlite3_changes(db_of(s)) != 1)
		return STORE_NOT_FOUND;
	st = stmt(s, E_SKILLS_CLEAR);
	sqlite_bind_text(st, 1, pid);
	if (step(s, st) != 0)
		return -1;
	return link_skills(s, pid, pl->skill_ids, pl->nskill_ids);
}

int sqlite_directory_placement_save(struct store *s, const struct directory_placement *pl,
			     directory_new_id new_id, int64_t now)
{
	if (sqlite_write_begin(s) != 0)
		return -1;
	int rc = save_placement(s, pl, new_id, now);
	if (rc != 0)
		return sqlite_write_rollback(s, rc);
	return sqlite_write_commit(s);
}

int sqlite_directory_moderate(struct store *s, const char *kind, const char *id, const char *moderation,
		       int64_t by, int64_t now)
{
	sqlite3_stmt *st = stmt(s, strcmp(kind, "placement") == 0 ? M_PLACEMENT : M_SERVICE);
	sqlite_bind_text(st, 1, id);
	sqlite_bind_text(st, 2, moderation);
	sqlite3_bind_int64(st, 3, by);
	sqlite3_bind_int64(st, 4, now);
	if (step(s, st) != 0)
		return -1;
	return sqlite3_changes(db_of(s)) == 1 ? 0 : STORE_NOT_FOUND;
}

int sqlite_client_postcode(struct store *s, struct pool *p, int64_t client_id,
			      const char **postcode)
{
	sqlite3_stmt *st = stmt(s, C_POSTCODE);
	sqlite3_bind_int64(st, 1, client_id);
	int rc = sqlite3_step(st);
	*postcode = rc == SQLITE_ROW ? text(st, 0, p) : NULL;
	sqlite3_reset(st);
	return found(rc);
}

int sqlite_client_postcode_set(struct store *s, int64_t client_id, const char *postcode)
{
	sqlite3_stmt *st = stmt(s, C_POSTCODE_SET);
	sqlite3_bind_int64(st, 1, client_id);
	sqlite_bind_text(st, 2, postcode);
	if (step(s, st) != 0)
		return -1;
	return sqlite3_changes(db_of(s)) == 1 ? 0 : STORE_NOT_FOUND;
}

/* ---- directory referrals ----------------------------------------------------------- */

static int add_event(struct store *s, int64_t id, const char *status, int64_t by, int64_t now,
		     const char *note)
{
	sqlite3_stmt *st = stmt(s, R_EVENT);
	sqlite3_bind_int64(st, 1, id);
	sqlite_bind_text(st, 2, status);
	sqlite3_bind_int64(st, 3, by);
	sqlite3_bind_int64(st, 4, now);
	sqlite_bind_text(st, 5, note);
	return step(s, st);
}

static int referral_create(struct store *s, const struct directory_referral_new *r, int64_t *id,
			   int *result)
{
	sqlite3_stmt *st = stmt(s, R_BY_TOKEN);
	sqlite_bind_text(st, 1, r->form_token);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*result = DIRECTORY_REFERRAL_REPEAT;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return -1;
	st = stmt(s, R_SERVICE_OK);
	sqlite_bind_text(st, 1, r->service_id);
	rc = sqlite3_step(st);
	char organization[DIRECTORY_UUID_LEN * 2 + 1] = "";
	if (rc == SQLITE_ROW) {
		const char *o = (const char *)sqlite3_column_text(st, 0);
		snprintf(organization, sizeof(organization), "%s", o ? o : "");
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE) {
		*result = DIRECTORY_REFERRAL_UNAVAILABLE;
		return 0;
	}
	if (rc != SQLITE_ROW)
		return -1;
	st = stmt(s, R_INSERT);
	sqlite_bind_text(st, 1, r->reference);
	sqlite3_bind_int64(st, 2, r->client_id);
	sqlite3_bind_int64(st, 3, r->order_id);
	sqlite3_bind_int64(st, 4, r->authority_id);
	sqlite_bind_text(st, 5, r->service_id);
	sqlite_bind_text(st, 6, organization);
	sqlite3_bind_int64(st, 7, r->referred_by);
	sqlite_bind_text(st, 8, r->form_token);
	sqlite3_bind_int64(st, 9, r->now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT) {
		/* The form token is checked above, inside the same write transaction: what is
		 * left is the one-open-referral index. */
		*result = DIRECTORY_REFERRAL_ALREADY_OPEN;
		return 0;
	}
	if (rc != SQLITE_DONE)
		return -1;
	*id = sqlite3_last_insert_rowid(db_of(s));
	if (add_event(s, *id, "sent", r->referred_by, r->now, NULL) != 0)
		return -1;
	struct outbox_message m = {.kind = "directory_referral",
				   .recipient = r->message_recipient,
				   .subject = r->message_subject,
				   .body = r->message_body};
	if (m.recipient && sqlite_insert_outbox(s, &m, r->now) != 0)
		return -1;
	*result = DIRECTORY_REFERRAL_MADE;
	return 0;
}

int sqlite_directory_referral_create(struct store *s, const struct directory_referral_new *r, int64_t *id,
			      int *result)
{
	*id = 0;
	if (sqlite_write_begin(s) != 0)
		return -1;
	if (referral_create(s, r, id, result) != 0)
		return sqlite_write_rollback(s, -1);
	if (*result != DIRECTORY_REFERRAL_MADE)
		return sqlite_write_rollback(s, 0);
	return sqlite_write_commit(s);
}

static void read_referral(sqlite3_stmt *st, struct pool *p, struct directory_referral *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->reference = text(st, 1, p);
	r->status = text(st, 2, p);
	r->client_id = sqlite3_column_int64(st, 3);
	r->order_id = sqlite3_column_int64(st, 4);
	r->authority_id = sqlite3_column_int64(st, 5);
	r->first_name = text(st, 6, p);
	r->last_name = text(st, 7, p);
	r->client_email = text(st, 8, p);
	r->client_mobile = text(st, 9, p);
	r->service_id = text(st, 10, p);
	r->service_name = text(st, 11, p);
	r->organization_id = text(st, 12, p);
	r->organization_name = text(st, 13, p);
	r->counts_as_other_activity = sqlite3_column_int(st, 14);
	r->referred_by_name = text(st, 15, p);
	r->referred_by_email = text(st, 16, p);
	r->created_at = sqlite3_column_int64(st, 17);
	r->answered_at = sqlite3_column_int64(st, 18);
	r->completed_at = sqlite3_column_int64(st, 19);
	r->decline_reason = text(st, 20, p);
	r->minutes_confirmed = sqlite3_column_int(st, 21);
	r->minutes_credited = sqlite3_column_int(st, 22);
}

int sqlite_directory_referral_get(struct store *s, struct pool *p, int64_t id, struct directory_referral *out)
{
	sqlite3_stmt *st = stmt(s, R_GET);
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_referral(st, p, out);
	sqlite3_reset(st);
	return found(rc);
}

int sqlite_directory_referrals_of_organization(struct store *s, struct pool *p, const char *organization_id,
					int limit, int offset, struct directory_referral **rows,
					size_t *count)
{
	sqlite3_stmt *st = stmt(s, R_OF_ORG);
	sqlite_bind_text(st, 1, organization_id);
	sqlite3_bind_int(st, 2, limit);
	sqlite3_bind_int(st, 3, offset);
	READ_ALL(st, p, rows, count, struct directory_referral, read_referral);
	return 0;
}

int sqlite_directory_referrals_of_client(struct store *s, struct pool *p, int64_t client_id,
				  struct directory_referral **rows, size_t *count)
{
	sqlite3_stmt *st = stmt(s, R_OF_CLIENT);
	sqlite3_bind_int64(st, 1, client_id);
	READ_ALL(st, p, rows, count, struct directory_referral, read_referral);
	return 0;
}

struct referral_state {
	char status[16];
	char organization_id[DIRECTORY_UUID_LEN * 2 + 1];
	int64_t order_id;
	int counts, activity_minutes;
	char reason[600];
};

static int read_state(struct store *s, int64_t id, struct referral_state *x)
{
	sqlite3_stmt *st = stmt(s, R_STATE);
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(x->status, sizeof(x->status), "%s", sqlite3_column_text(st, 0));
		snprintf(x->organization_id, sizeof(x->organization_id), "%s",
			 sqlite3_column_text(st, 1));
		x->order_id = sqlite3_column_int64(st, 2);
		x->counts = sqlite3_column_int(st, 3);
		x->activity_minutes = sqlite3_column_int(st, 4);
		snprintf(x->reason, sizeof(x->reason), "%s: %s (%s)", sqlite3_column_text(st, 7),
			 sqlite3_column_text(st, 6), sqlite3_column_text(st, 5));
	}
	sqlite3_reset(st);
	return found(rc);
}

static int referral_answer(struct store *s, int64_t id, const char *organization_id, int accept,
			   const char *reason, int64_t by, int64_t now,
			   const struct outbox_message *m, int *result)
{
	struct referral_state x;
	int rc = read_state(s, id, &x);
	if (rc != 0)
		return rc;
	if (strcmp(x.organization_id, organization_id) != 0)
		return STORE_NOT_FOUND;
	const char *to = accept ? "accepted" : "declined";
	if (strcmp(x.status, to) == 0) {
		*result = DIRECTORY_ANSWER_ALREADY;
		return 0;
	}
	if (strcmp(x.status, "sent") != 0) {
		*result = DIRECTORY_ANSWER_WRONG_STATE;
		return 0;
	}
	sqlite3_stmt *st = stmt(s, R_ANSWER);
	sqlite3_bind_int64(st, 1, id);
	sqlite_bind_text(st, 2, to);
	sqlite3_bind_int64(st, 3, by);
	sqlite3_bind_int64(st, 4, now);
	sqlite_bind_text(st, 5, accept ? NULL : reason);
	if (step(s, st) != 0 || add_event(s, id, to, by, now, accept ? NULL : reason) != 0)
		return -1;
	if (m && m->recipient && sqlite_insert_outbox(s, m, now) != 0)
		return -1;
	*result = DIRECTORY_ANSWER_DONE;
	return 0;
}

int sqlite_directory_referral_answer(struct store *s, int64_t id, const char *organization_id, int accept,
			      const char *reason, int64_t by, int64_t now,
			      const struct outbox_message *m, int *result)
{
	if (sqlite_write_begin(s) != 0)
		return -1;
	int rc = referral_answer(s, id, organization_id, accept, reason, by, now, m, result);
	if (rc != 0 || *result != DIRECTORY_ANSWER_DONE)
		return sqlite_write_rollback(s, rc);
	return sqlite_write_commit(s);
}

static int referral_complete(struct store *s, int64_t id, const char *organization_id, int minutes,
			     int64_t by, int64_t now, const struct outbox_message *m, int *result)
{
	struct referral_state x;
	int rc = read_state(s, id, &x);
	if (rc != 0)
		return rc;
	if (strcmp(x.organization_id, organization_id) != 0)
		return STORE_NOT_FOUND;
	if (strcmp(x.status, "completed") == 0) {
		*result = DIRECTORY_ANSWER_ALREADY;
		return 0;
	}
	if (strcmp(x.status, "accepted") != 0) {
		*result = DIRECTORY_ANSWER_WRONG_STATE;
		return 0;
	}
	sqlite3_stmt *st = stmt(s, R_COMPLETE);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, by);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int(st, 4, minutes);
	if (step(s, st) != 0 || sqlite3_changes(db_of(s)) != 1)
		return -1;
	if (add_event(s, id, "completed", by, now, NULL) != 0)
		return -1;
	if (x.counts && minutes > 0) {
		int64_t so_far = 0;
		st = stmt(s, R_COUNTED);
		sqlite3_bind_int64(st, 1, x.order_id);
		if (sqlite_count(s, st, &so_far) != 0)
			return -1;
		int counted = ledger_counted(minutes, x.activity_minutes, (int)so_far);
		st = stmt(s, R_LEDGER);
		sqlite3_bind_int64(st, 1, x.order_id);
		sqlite3_bind_int(st, 2, minutes);
		sqlite3_bind_int(st, 3, counted);
		sqlite_bind_text(st, 4, x.reason);
		sqlite3_bind_int64(st, 5, by);
		sqlite3_bind_int64(st, 6, now);
		sqlite3_bind_int64(st, 7, id);
		if (step(s, st) != 0)
			return -1;
	}
	if (m && m->recipient && sqlite_insert_outbox(s, m, now) != 0)
		return -1;
	*result = DIRECTORY_ANSWER_DONE;
	return 0;
}

int sqlite_directory_referral_complete(struct store *s, int64_t id, const char *organization_id, int minutes,
				int64_t by, int64_t now, const struct outbox_message *m, int *result)
{
	if (sqlite_write_begin(s) != 0)
		return -1;
	int rc = referral_complete(s, id, organization_id, minutes, by, now, m, result);
	if (rc != 0 || *result != DIRECTORY_ANSWER_DONE)
		return sqlite_write_rollback(s, rc);
	return sqlite_write_commit(s);
}
