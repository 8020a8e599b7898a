/* The Open Referral UK API: parameters checked here (a bad one is a 400 naming it), data
 * from the store, JSON from api/oruk_json. */
#include "handlers/api_oruk.h"

#include <stdlib.h>
#include <string.h>

#include "api/oruk_json.h"
#include "app/app.h"
#include "domain/directory.h"
#include "domain/postcode.h"

#define ORUK_VERSION "3.0"
#define ORUK_PROFILE "https://github.com/OpenReferralUK/uk-profile"
#define ORUK_OPENAPI \
	"https://raw.githubusercontent.com/OpenReferralUK/uk-profile/main/schema/openapi.json"

static void unavailable(struct http_response *res)
{
	app_json_error(res, 503, "The directory could not be read. Please try again later.");
}

/* A query parameter, or NULL when absent or empty (an empty form field means "any"). */
static const char *param(struct http_request *req, const char *name)
{
	const char *v = http_query(req, name);
	return v && v[0] ? v : NULL;
}

/* A whole number from lo to hi in text; 0, or -1 when it is not one. */
static int whole_number(const char *text, long long lo, long long hi, long long *out)
{
	if (text[0] < '0' || text[0] > '9' || strlen(text) > 12)
		return -1;
	char *end;
	long long v = strtoll(text, &end, 10);
	if (*end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int paging(struct http_request *req, struct http_response *res, int *per_page,
		  int64_t *page)
{
	long long v;
	const char *text = param(req, "per_page");
	*per_page = ORUK_PER_PAGE_DEFAULT;
	if (text) {
		if (whole_number(text, 1, ORUK_PER_PAGE_MAX, &v) != 0) {
			app_json_error(res, 400,
				       pool_printf(req->pool, "per_page must be a whole number from 1 to %d.",
						   ORUK_PER_PAGE_MAX));
			return -1;
		}
		*per_page = (int)v;
	}
	text = param(req, "page");
	*page = 1;
	if (text) {
		if (whole_number(text, 1, ORUK_PAGE_MAX, &v) != 0) {
			app_json_error(res, 400,
				       pool_printf(req->pool, "page must be a whole number from 1 to %d.",
						   ORUK_PAGE_MAX));
			return -1;
		}
		*page = v;
	}
	return 0;
}

/* An id parameter: absent (NULL), or a UUID that names a record of that kind. */
static int id_param(struct http_request *req, struct http_response *res, const char *name,
		    enum oruk_kind kind, const char **out)
{
	const char *text = param(req, name);
	*out = NULL;
	if (text == NULL)
		return 0;
	if (!directory_uuid_valid(text)) {
		app_json_error(res, 400,
			       pool_printf(req->pool, "%s must be a UUID, such as "
						      "3fa85f64-5717-4562-b3fc-2c963f66afa6.",
					   name));
		return -1;
	}
	char *id = pool_alloc(req->pool, ORUK_UUID_LEN + 1);
	oruk_uuid_lower(text, id);
	struct store *s = app_req(req)->store;
	int rc = s->ops->oruk_exists(s, kind, id);
	if (rc < 0) {
		unavailable(res);
		return -1;
	}
	if (rc == STORE_NOT_FOUND) {
		static const char *const what[] = {"taxonomy term", "taxonomy", "organization"};
		app_json_error(res, 400,
			       pool_printf(req->pool, "%s: there is no %s with the id %s.", name,
					   what[kind], id));
		return -1;
	}
	*out = id;
	return 0;
}

/* ORUK's filters that Cairn does not offer: refused by name rather than ignored, so a
 * caller never takes an unfiltered list for a filtered one. */
static int unsupported(struct http_request *req, struct http_response *res)
{
	static const char *const names[] = {"minimum_age", "maximum_age", "start_time", "end_time",
					    "day", "minimal", "full", "format", NULL};
	for (const char *const *n = names; *n; n++) {
		if (param(req, *n)) {
			app_json_error(res, 400,
				       pool_printf(req->pool, "The %s parameter is not supported by this "
							      "directory.",
						   *n));
			return -1;
		}
	}
	return 0;
}

/* The filters /services and /service_at_locations share, into q. */
static int query_params(struct http_request *req, struct http_response *res,
			struct oruk_query *q)
{
	memset(q, 0, sizeof(*q));
	if (unsupported(req, res) != 0 || paging(req, res, &q->per_page, &q->page) != 0)
		return -1;
	const char *search = param(req, "search");
	if (search) {
		if (strlen(search) > ORUK_SEARCH_MAX) {
			app_json_error(res, 400,
				       pool_printf(req->pool, "search must be %d characters or fewer.",
						   ORUK_SEARCH_MAX));
			return -1;
		}
		/* The search page's own rules: words only, each a phrase and a prefix. */
		if (directory_fts_query(req->pool, search, &q->match) == 0) {
			app_json_error(res, 400, "search must contain at least one letter or number.");
			return -1;
		}
	}
	const char *after = param(req, "modified_after");
	if (after) {
		int64_t t;
		if (oruk_datetime_parse(after, 1, &t) != 0) {
			app_json_error(res, 400, "modified_after must be a date-time such as "
						 "2026-03-29T10:00:00Z, or a date such as 2026-03-29.");
			return -1;
		}
		/* 1970-01-01 itself asks for everything, as no filter does. */
		q->modified_after = t > 0 ? t : 0;
	}
	if (id_param(req, res, "taxonomy_term_id", ORUK_TERM, &q->taxonomy_term_id) != 0 ||
	    id_param(req, res, "taxonomy_id", ORUK_TAXONOMY, &q->taxonomy_id) != 0 ||
	    id_param(req, res, "organization_id", ORUK_ORGANIZATION, &q->organization_id) != 0)
		return -1;
	return 0;
}

void api_oruk_meta(struct http_request *req, struct http_response *res)
{
	(void)req;
	buf_reset(&res->body);
	oruk_json_meta(&res->body, ORUK_VERSION, ORUK_PROFILE, ORUK_OPENAPI);
	app_json(res, 200);
}

void api_oruk_services(struct http_request *req, struct http_response *res)
{
	struct store *s = app_req(req)->store;
	struct oruk_query q;
	if (s->ops->read_begin(s) != 0) {
		unavailable(res);
		return;
	}
	if (query_params(req, res, &q) != 0) {
		s->ops->read_end(s);
		return;
	}
	struct oruk_service *rows;
	size_t n;
	int64_t total;
	int rc = s->ops->oruk_services(s, req->pool, &q, &rows, &n, &total);
	s->ops->read_end(s);
	if (rc != 0) {
		unavailable(res);
		return;
	}
	struct oruk_page pg;
	oruk_page_make(total, q.per_page, q.page, (int64_t)n, &pg);
	buf_reset(&res->body);
	oruk_json_services_page(&res->body, &pg, rows, n);
	app_json(res, 200);
}

/* The {id} of /services/{id} and /organizations/{id}, in lower case; NULL (and a 400)
 * when it is not a UUID. */
static const char *route_uuid(struct http_request *req, struct http_response *res)
{
	const char *text = http_route_param(req, 0);
	if (text == NULL || !directory_uuid_valid(text)) {
		app_json_error(res, 400, "The id in the address must be a UUID, such as "
					 "3fa85f64-5717-4562-b3fc-2c963f66afa6.");
		return NULL;
	}
	char *id = pool_alloc(req->pool, ORUK_UUID_LEN + 1);
	oruk_uuid_lower(text, id);
	return id;
}

void api_oruk_service(struct http_request *req, struct http_response *res)
{
	const char *id = route_uuid(req, res);
	if (id == NULL)
		return;
	struct store *s = app_req(req)->store;
	struct oruk_service v;
	if (s->ops->read_begin(s) != 0) {
		unavailable(res);
		return;
	}
	int rc = s->ops->oruk_service_get(s, req->pool, id, &v);
	s->ops->read_end(s);
	if (rc == STORE_NOT_FOUND) {
		app_json_error(res, 404, "There is no service with this id in the directory.");
		return;
	}
	if (rc != 0) {
		unavailable(res);
		return;
	}
	buf_reset(&res->body);
	oruk_json_service(&res->body, &v);
	app_json(res, 200);
}

void api_oruk_service_at_locations(struct http_request *req, struct http_response *res)
{
	struct store *s = app_req(req)->store;
	struct oruk_query q;
	if (s->ops->read_begin(s) != 0) {
		unavailable(res);
		return;
	}
	int ok = query_params(req, res, &q) == 0;
	const char *postcode = param(req, "postcode"), *proximity = param(req, "proximity");
	if (ok && proximity && postcode == NULL) {
		app_json_error(res, 400, "proximity needs a postcode to measure from.");
		ok = 0;
	}
	if (ok && proximity) {
		long long m;
		if (whole_number(proximity, 1, ORUK_PROXIMITY_MAX, &m) != 0) {
			app_json_error(res, 400,
				       pool_printf(req->pool, "proximity must be a whole number of "
							      "metres from 1 to %d.",
						   ORUK_PROXIMITY_MAX));
			ok = 0;
		}
		q.proximity_m = (double)m;
	}
	if (ok && postcode) {
		char normal[POSTCODE_MAX];
		if (strlen(postcode) > POSTCODE_INPUT_MAX || postcode_normalise(postcode, normal) != 0) {
			app_json_error(res, 400, "postcode must be a UK postcode, such as G1 1XQ.");
			ok = 0;
		} else {
			int rc = s->ops->postcode_find(s, normal, &q.latitude, &q.longitude);
			if (rc == STORE_NOT_FOUND) {
				app_json_error(res, 400,
					       pool_printf(req->pool, "postcode %s is not one this "
								      "directory knows.",
							   normal));
				ok = 0;
			} else if (rc != 0) {
				unavailable(res);
				ok = 0;
			}
			q.has_point = 1;
			if (q.proximity_m <= 0)
				q.proximity_m = ORUK_PROXIMITY_DEFAULT;
		}
	}
	struct oruk_service_at_location *rows = NULL;
	size_t n = 0;
	int64_t total = 0;
	if (ok && s->ops->oruk_service_at_locations(s, req->pool, &q, &rows, &n, &total) != 0) {
		unavailable(res);
		ok = 0;
	}
	s->ops->read_end(s);
	if (!ok)
		return;
	struct oruk_page pg;
	oruk_page_make(total, q.per_page, q.page, (int64_t)n, &pg);
	buf_reset(&res->body);
	oruk_json_service_at_locations_page(&res->body, &pg, rows, n);
	app_json(res, 200);
}

void api_oruk_organizations(struct http_request *req, struct http_response *res)
{
	int per_page;
	int64_t page;
	if (paging(req, res, &per_page, &page) != 0)
		return;
	struct store *s = app_req(req)->store;
	struct oruk_organization *rows;
	size_t n;
	int64_t total;
	if (s->ops->read_begin(s) != 0) {
		unavailable(res);
		return;
	}
	int rc = s->ops->oruk_organizations(s, req->pool, per_page, page, &rows, &n, &total);
	s->ops->read_end(s);
	if (rc != 0) {
		unavailable(res);
		return;
	}
	struct oruk_page pg;
	oruk_page_make(total, per_page, page, (int64_t)n, &pg);
	buf_reset(&res->body);
	oruk_json_organizations_page(&res->body, &pg, rows, n);
	app_json(res, 200);
}

void api_oruk_organization(struct http_request *req, struct http_response *res)
{
	const char *id = route_uuid(req, res);
	if (id == NULL)
		return;
	struct store *s = app_req(req)->store;
	struct oruk_organization o;
	if (s->ops->read_begin(s) != 0) {
		unavailable(res);
		return;
	}
	int rc = s->ops->oruk_organization_get(s, req->pool, id, &o);
	s->ops->read_end(s);
	if (rc == STORE_NOT_FOUND) {
		app_json_error(res, 404, "There is no organization with this id in the directory.");
		return;
	}
	if (rc != 0) {
		unavailable(res);
		return;
	}
	buf_reset(&res->body);
	oruk_json_organization(&res->body, &o);
	app_json(res, 200);
}

void api_oruk_taxonomies(struct http_request *req, struct http_response *res)
{
	int per_page;
	int64_t page;
	if (paging(req, res, &per_page, &page) != 0)
		return;
	struct store *s = app_req(req)->store;
	struct oruk_taxonomy *rows;
	size_t n;
	int64_t total;
	if (s->ops->read_begin(s) != 0) {
		unavailable(res);
		return;
	}
	int rc = s->ops->oruk_taxonomies(s, req->pool, per_page, page, &rows, &n, &total);
	s->ops->read_end(s);
	if (rc != 0) {
		unavailable(res);
		return;
	}
	struct oruk_page pg;
	oruk_page_make(total, per_page, page, (int64_t)n, &pg);
	buf_reset(&res->body);
	oruk_json_taxonomies_page(&res->body, &pg, rows, n);
	app_json(res, 200);
}

void api_oruk_taxonomy_terms(struct http_request *req, struct http_response *res)
{
	int per_page;
	int64_t page;
	if (paging(req, res, &per_page, &page) != 0)
		return;
	struct store *s = app_req(req)->store;
	const char *taxonomy_id;
	struct oruk_term *rows = NULL;
	size_t n = 0;
	int64_t total = 0;
	if (s->ops->read_begin(s) != 0) {
		unavailable(res);
		return;
	}
	if (id_param(req, res, "taxonomy_id", ORUK_TAXONOMY, &taxonomy_id) != 0) {
		s->ops->read_end(s);
		return;
	}
	int rc = s->ops->oruk_terms(s, req->pool, taxonomy_id, per_page, page, &rows, &n, &total);
	s->ops->read_end(s);
	if (rc != 0) {
		unavailable(res);
		return;
	}
	struct oruk_page pg;
	oruk_page_make(total, per_page, page, (int64_t)n, &pg);
	buf_reset(&res->body);
	oruk_json_terms_page(&res->body, &pg, rows, n);
	app_json(res, 200);
}
