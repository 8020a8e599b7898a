/* Open Referral UK JSON with jansson: writing the API's documents, reading saved feeds. */
#include "api/oruk_json.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "domain/directory.h"

/* ---- writing ------------------------------------------------------------------------ */

static void put_text(json_t *o, const char *key, const char *value)
{
	if (value)
		json_object_set_new(o, key, json_string(value));
}

static int write_buf(const char *data, size_t n, void *b)
{
	buf_append(b, data, n);
	return 0;
}

/* Writes v (whose reference it takes) as compact JSON. */
static void emit(struct buf *out, json_t *v)
{
	/* 15 significant digits: 55.86 stays 55.86, not 55.859999999999999. */
	json_dump_callback(v, write_buf, out, JSON_COMPACT | JSON_REAL_PRECISION(15));
	json_decref(v);
}

static json_t *organization_json(const struct oruk_organization *o)
{
	json_t *j = json_object();
	put_text(j, "id", o->id);
	put_text(j, "name", o->name);
	/* Required wherever an organisation appears. */
	json_object_set_new(j, "description", json_string(o->description ? o->description : ""));
	put_text(j, "email", o->email);
	put_text(j, "website", o->website);
	put_text(j, "logo", o->logo);
	put_text(j, "uri", o->uri);
	put_text(j, "parent_organization_id", o->parent_id);
	return j;
}

/* The one-to-one fields of a service, and its organisation: the list shape. */
static json_t *service_list_json(const struct oruk_service *s)
{
	json_t *j = json_object();
	put_text(j, "id", s->id);
	put_text(j, "organization_id", s->organization.id);
	put_text(j, "name", s->name);
	put_text(j, "description", s->description);
	put_text(j, "url", s->url);
	put_text(j, "email", s->email);
	put_text(j, "status", s->status ? s->status : "active");
	put_text(j, "fees", s->fees);
	put_text(j, "accreditations", s->accreditations);
	if (s->has_minimum_age)
		json_object_set_new(j, "minimum_age", json_real(s->minimum_age));
	if (s->has_maximum_age)
		json_object_set_new(j, "maximum_age", json_real(s->maximum_age));
	put_text(j, "assured_date", s->assured_date);
	put_text(j, "assurer_email", s->assurer_email);
	put_text(j, "alert", s->alert);
	if (s->last_modified) {
		char when[ORUK_DATETIME_MAX];
		oruk_datetime_format(s->last_modified, when);
		json_object_set_new(j, "last_modified", json_string(when));
	}
	if (s->organization.id)
		json_object_set_new(j, "organization", organization_json(&s->organization));
	return j;
}

static json_t *term_json(const struct oruk_term *t)
{
	json_t *j = json_object();
	put_text(j, "id", t->id);
	put_text(j, "name", t->name);
	json_object_set_new(j, "description", json_string(t->description ? t->description : ""));
	put_text(j, "parent_id", t->parent_id);
	put_text(j, "taxonomy", t->taxonomy);
	put_text(j, "taxonomy_id", t->taxonomy_id);
	put_text(j, "term_uri", t->term_uri);
	put_text(j, "term", t->code);
	return j;
}

/* The list shape has no addresses; the full service has them. */
static json_t *location_json(const struct oruk_location *l, int with_addresses)
{
	json_t *j = json_object();
	put_text(j, "id", l->id);
	put_text(j, "location_type", l->location_type ? l->location_type : "physical");
	put_text(j, "name", l->name);
	put_text(j, "description", l->description);
	if (l->has_position) {
		json_object_set_new(j, "latitude", json_real(l->latitude));
		json_object_set_new(j, "longitude", json_real(l->longitude));
	}
	if (!with_addresses)
		return j;
	json_t *addresses = json_array();
	for (size_t i = 0; i < l->naddresses; i++) {
		const struct oruk_address *a = &l->addresses[i];
		json_t *aj = json_object();
		put_text(aj, "id", a->id);
		put_text(aj, "location_id", l->id);
		put_text(aj, "attention", a->attention);
		/* The schema requires these; an address we hold without one has it empty. */
		json_object_set_new(aj, "address_1", json_string(a->address_1 ? a->address_1 : ""));
		json_object_set_new(aj, "city", json_string(a->city ? a->city : ""));
		put_text(aj, "region", a->region);
		json_object_set_new(aj, "state_province",
				    json_string(a->state_province ? a->state_province : ""));
		json_object_set_new(aj, "postal_code",
				    json_string(a->postal_code ? a->postal_code : ""));
		json_object_set_new(aj, "country", json_string(a->country ? a->country : "GB"));
		json_object_set_new(aj, "address_type",
				    json_string(a->address_type ? a->address_type : "physical"));
		json_array_append_new(addresses, aj);
	}
	json_object_set_new(j, "addresses", addresses);
	return j;
}

static json_t *service_full_json(const struct oruk_service *s)
{
	json_t *j = service_list_json(s);
	json_t *sals = json_array();
	for (size_t i = 0; i < s->nlocations; i++) {
		const struct oruk_service_at_location *sal = &s->locations[i];
		json_t *sj = json_object();
		put_text(sj, "id", sal->id);
		put_text(sj, "service_id", s->id);
		put_text(sj, "location_id", sal->location.id);
		json_object_set_new(sj, "location", location_json(&sal->location, 1));
		json_array_append_new(sals, sj);
	}
	json_object_set_new(j, "service_at_locations", sals);
	json_t *contacts = json_array();
	for (size_t i = 0; i < s->ncontacts; i++) {
		json_t *cj = json_object();
		put_text(cj, "id", s->contacts[i].id);
		put_text(cj, "service_id", s->id);
		put_text(cj, "name", s->contacts[i].name);
		put_text(cj, "title", s->contacts[i].title);
		json_array_append_new(contacts, cj);
	}
	json_object_set_new(j, "contacts", contacts);
	json_t *schedules = json_array();
	for (size_t i = 0; i < s->nschedules; i++) {
		const struct oruk_schedule *h = &s->schedules[i];
		json_t *hj = json_object();
		put_text(hj, "id", h->id);
		put_text(hj, "service_id", s->id);
		put_text(hj, "service_at_location_id", h->service_at_location_id);
		put_text(hj, "valid_from", h->valid_from);
		put_text(hj, "valid_to", h->valid_to);
		put_text(hj, "dtstart", h->dtstart);
		put_text(hj, "freq", h->freq);
		if (h->interval > 0)
			json_object_set_new(hj, "interval", json_integer(h->interval));
		put_text(hj, "byday", h->byday);
		put_text(hj, "bymonthday", h->bymonthday);
		put_text(hj, "description", h->description);
		put_text(hj, "opens_at", h->opens_at);
		put_text(hj, "closes_at", h->closes_at);
		put_text(hj, "schedule_link", h->schedule_link);
		put_text(hj, "attending_type", h->attending_type);
		put_text(hj, "notes", h->notes);
		json_array_append_new(schedules, hj);
	}
	json_object_set_new(j, "schedules", schedules);
	json_t *attributes = json_array();
	for (size_t i = 0; i < s->nattributes; i++) {
		const struct oruk_attribute *a = &s->attributes[i];
		json_t *aj = json_object();
		put_text(aj, "id", a->id);
		put_text(aj, "link_id", s->id);
		put_text(aj, "link_type", a->link_type ? a->link_type : "service");
		put_text(aj, "taxonomy_term_id", a->term.id);
		json_object_set_new(aj, "taxonomy_term", term_json(&a->term));
		json_array_append_new(attributes, aj);
	}
	json_object_set_new(j, "attributes", attributes);
	/* Parts of HSDS Cairn does not keep: present, and empty. */
	json_object_set_new(j, "service_areas", json_array());
	json_object_set_new(j, "languages", json_array());
	json_object_set_new(j, "funding", json_array());
	json_object_set_new(j, "cost_options", json_array());
	return j;
}

static json_t *page_json(const struct oruk_page *pg, json_t *contents)
{
	json_t *j = json_object();
	json_object_set_new(j, "total_items", json_integer(pg->total_items));
	json_object_set_new(j, "total_pages", json_integer(pg->total_pages));
	json_object_set_new(j, "page_number", json_integer(pg->page_number));
	json_object_set_new(j, "size", json_integer(pg->size));
	json_object_set_new(j, "first_page", json_boolean(pg->first_page));
	json_object_set_new(j, "last_page", json_boolean(pg->last_page));
	json_object_set_new(j, "empty", json_boolean(pg->empty));
	json_object_set_new(j, "contents", contents);
	return j;
}

void oruk_json_meta(struct buf *out, const char *version, const char *profile,
		    const char *openapi_url)
{
	json_t *j = json_object();
	put_text(j, "version", version);
	put_text(j, "profile", profile);
	put_text(j, "openapi_url", openapi_url);
	emit(out, j);
}

void oruk_json_services_page(struct buf *out, const struct oruk_page *pg,
			     const struct oruk_service *rows, size_t n)
{
	json_t *c = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(c, service_list_json(&rows[i]));
	emit(out, page_json(pg, c));
}

void oruk_json_service_at_locations_page(struct buf *out, const struct oruk_page *pg,
					 const struct oruk_service_at_location *rows, size_t n)
{
	json_t *c = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct oruk_service_at_location *sal = &rows[i];
		json_t *j = json_object();
		put_text(j, "id", sal->id);
		if (sal->service)
			put_text(j, "service_id", sal->service->id);
		put_text(j, "location_id", sal->location.id);
		json_object_set_new(j, "location", location_json(&sal->location, 0));
		if (sal->service)
			json_object_set_new(j, "service", service_list_json(sal->service));
		/* Not an HSDS field: how far the location is from the postcode asked about. */
		if (sal->has_distance)
			json_object_set_new(j, "distance", json_real(round(sal->distance_m)));
		json_array_append_new(c, j);
	}
	emit(out, page_json(pg, c));
}

void oruk_json_organizations_page(struct buf *out, const struct oruk_page *pg,
				  const struct oruk_organization *rows, size_t n)
{
	json_t *c = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(c, organization_json(&rows[i]));
	emit(out, page_json(pg, c));
}

void oruk_json_taxonomies_page(struct buf *out, const struct oruk_page *pg,
			       const struct oruk_taxonomy *rows, size_t n)
{
	json_t *c = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *j = json_object();
		put_text(j, "id", rows[i].id);
		put_text(j, "name", rows[i].name);
		json_object_set_new(j, "description",
				    json_string(rows[i].description ? rows[i].description : ""));
		put_text(j, "uri", rows[i].uri);
		put_text(j, "version", rows[i].version);
		json_array_append_new(c, j);
	}
	emit(out, page_json(pg, c));
}

void oruk_json_terms_page(struct buf *out, const struct oruk_page *pg,
			  const struct oruk_term *rows, size_t n)
{
	json_t *c = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(c, term_json(&rows[i]));
	emit(out, page_json(pg, c));
}

void oruk_json_service(struct buf *out, const struct oruk_service *s)
{
	emit(out, service_full_json(s));
}

void oruk_json_organization(struct buf *out, const struct oruk_organization *o)
{
	json_t *j = organization_json(o);
	json_t *services = json_array();
	for (size_t i = 0; i < o->nservices; i++)
		json_array_append_new(services, service_list_json(&o->services[i]));
	json_object_set_new(j, "services", services);
	emit(out, j);
}

static const char *reason_phrase(int status)
{
	switch (status) {
	case 400:
		return "Bad Request";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 413:
		return "Payload Too Large";
	case 503:
		return "Service Unavailable";
	default:
		return "Error";
	}
}

void oruk_json_error(struct buf *out, int status, const char *message)
{
	json_t *j = json_object();
	json_object_set_new(j, "status", json_integer(status));
	json_object_set_new(j, "error", json_string(reason_phrase(status)));
	json_object_set_new(j, "message", json_string(message));
	emit(out, j);
}

/* ---- reading a feed ------------------------------------------------------------------
 * Each reader takes the element's path ("contents[3].organization") for its messages and
 * returns 0 or -1 with the message set. */

/* Longest accepted text: names and short fields, and descriptions. */
#define SHORT_MAX 500
#define LONG_MAX 20000
#define LIST_MAX 10000

struct reader {
	struct pool *p;
	struct err *e;
};

static int text(struct reader *r, json_t *obj, const char *path, const char *key, int required,
		size_t max, const char **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return err_set(r->e, "%s.%s: missing", path, key);
		return 0;
	}
	if (!json_is_string(v))
		return err_set(r->e, "%s.%s: not a string", path, key);
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (strlen(s) != n || utf8_check_text(s, n) != 0)
		return err_set(r->e, "%s.%s: contains control characters", path, key);
	if (utf8_length(s, n) > max)
		return err_set(r->e, "%s.%s: longer than %zu characters", path, key, max);
	if (required && n == 0)
		return err_set(r->e, "%s.%s: empty", path, key);
	*out = pool_strndup(r->p, s, n);
	return 0;
}

static int uuid(struct reader *r, json_t *obj, const char *path, const char *key, int required,
		const char **out)
{
	if (text(r, obj, path, key, required, SHORT_MAX, out) != 0)
		return -1;
	if (*out == NULL)
		return 0;
	if (!directory_uuid_valid(*out))
		return err_set(r->e, "%s.%s: not a UUID", path, key);
	char lower[ORUK_UUID_LEN + 1];
	oruk_uuid_lower(*out, lower);
	*out = pool_strdup(r->p, lower);
	return 0;
}

static int one_of(struct reader *r, json_t *obj, const char *path, const char *key, int required,
		  const char *const *allowed, const char **out)
{
	if (text(r, obj, path, key, required, SHORT_MAX, out) != 0)
		return -1;
	if (*out == NULL)
		return 0;
	for (const char *const *a = allowed; *a; a++)
		if (strcmp(*a, *out) == 0)
			return 0;
	return err_set(r->e, "%s.%s: not one of the values HSDS allows", path, key);
}

/* An absolute http or https address: these become links on Cairn's pages. */
static int web_address(struct reader *r, json_t *obj, const char *path, const char *key,
		       const char **out)
{
	if (text(r, obj, path, key, 0, 2000, out) != 0)
		return -1;
	if (*out == NULL)
		return 0;
	const char *s = *out;
	const char *rest = strncmp(s, "https://", 8) == 0   ? s + 8
			   : strncmp(s, "http://", 7) == 0 ? s + 7
							   : NULL;
	if (rest == NULL || *rest == '\0' || *rest == '/' || strpbrk(s, " \t\r\n<>\"") != NULL)
		return err_set(r->e, "%s.%s: not an http or https address", path, key);
	return 0;
}

static int email(struct reader *r, json_t *obj, const char *path, const char *key,
		 const char **out)
{
	if (text(r, obj, path, key, 0, 254, out) != 0)
		return -1;
	if (*out == NULL)
		return 0;
	const char *at = strchr(*out, '@');
	if (at == NULL || at == *out || at[1] == '\0' || strchr(at + 1, '@') ||
	    strpbrk(*out, " \t\r\n<>\",;") != NULL)
		return err_set(r->e, "%s.%s: not an email address", path, key);
	return 0;
}

static int number(struct reader *r, json_t *obj, const char *path, const char *key, double lo,
		  double hi, int *has, double *out)
{
	json_t *v = json_object_get(obj, key);
	*has = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_number(v))
		return err_set(r->e, "%s.%s: not a number", path, key);
	double d = json_number_value(v);
	if (!isfinite(d) || d < lo || d > hi)
		return err_set(r->e, "%s.%s: out of range (%g to %g)", path, key, lo, hi);
	*has = 1;
	*out = d;
	return 0;
}

/* An optional array (absent means empty) of at most LIST_MAX objects. */
static int array(struct reader *r, json_t *obj, const char *path, const char *key, json_t **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return err_set(r->e, "%s.%s: not an array", path, key);
	if (json_array_size(v) > LIST_MAX)
		return err_set(r->e, "%s.%s: more than %d entries", path, key, LIST_MAX);
	for (size_t i = 0; i < json_array_size(v); i++)
		if (!json_is_object(json_array_get(v, i)))
			return err_set(r->e, "%s.%s[%zu]: not an object", path, key, i);
	*out = v;
	return 0;
}

static const char *child(struct reader *r, const char *path, const char *key, size_t i)
{
	return pool_printf(r->p, "%s.%s[%zu]", path, key, i);
}

static const char *const location_types[] = {"physical", "postal", "virtual", NULL};
static const char *const statuses[] = {"active", "inactive", "defunct", "temporarily closed",
				       NULL};
static const char *const freqs[] = {"WEEKLY", "MONTHLY", NULL};

static int read_organization(struct reader *r, json_t *o, const char *path,
			     struct oruk_organization *out)
{
	if (uuid(r, o, path, "id", 1, &out->id) || text(r, o, path, "name", 1, SHORT_MAX, &out->name) ||
	    text(r, o, path, "description", 0, LONG_MAX, &out->description) ||
	    email(r, o, path, "email", &out->email) ||
	    web_address(r, o, path, "website", &out->website) ||
	    web_address(r, o, path, "logo", &out->logo) || web_address(r, o, path, "uri", &out->uri) ||
	    uuid(r, o, path, "parent_organization_id", 0, &out->parent_id))
		return -1;
	/* The schema requires a description; we keep an empty one rather than refuse. */
	if (json_object_get(o, "description") == NULL)
		return err_set(r->e, "%s.description: missing", path);
	return 0;
}

static int read_location(struct reader *r, json_t *o, const char *path, struct oruk_location *out)
{
	int has_lat = 0, has_lon = 0;
	if (uuid(r, o, path, "id", 1, &out->id) ||
	    one_of(r, o, path, "location_type", 1, location_types, &out->location_type) ||
	    text(r, o, path, "name", 0, SHORT_MAX, &out->name) ||
	    text(r, o, path, "description", 0, LONG_MAX, &out->description) ||
	    number(r, o, path, "latitude", -90, 90, &has_lat, &out->latitude) ||
	    number(r, o, path, "longitude", -180, 180, &has_lon, &out->longitude))
		return -1;
	if (has_lat != has_lon)
		return err_set(r->e, "%s.%s: missing (latitude and longitude come together)", path,
			       has_lat ? "longitude" : "latitude");
	out->has_position = has_lat;
	json_t *list;
	if (array(r, o, path, "addresses", &list) != 0)
		return -1;
	out->naddresses = list ? json_array_size(list) : 0;
	out->addresses = pool_alloc(r->p, (out->naddresses + 1) * sizeof(*out->addresses));
	for (size_t i = 0; i < out->naddresses; i++) {
		json_t *a = json_array_get(list, i);
		const char *ap = child(r, path, "addresses", i);
		struct oruk_address *d = &out->addresses[i];
		if (uuid(r, a, ap, "id", 1, &d->id) ||
		    text(r, a, ap, "attention", 0, SHORT_MAX, &d->attention) ||
		    text(r, a, ap, "address_1", 1, SHORT_MAX, &d->address_1) ||
		    text(r, a, ap, "city", 1, SHORT_MAX, &d->city) ||
		    text(r, a, ap, "region", 0, SHORT_MAX, &d->region) ||
		    text(r, a, ap, "state_province", 0, SHORT_MAX, &d->state_province) ||
		    text(r, a, ap, "postal_code", 1, 16, &d->postal_code) ||
		    text(r, a, ap, "country", 1, SHORT_MAX, &d->country) ||
		    one_of(r, a, ap, "address_type", 1, location_types, &d->address_type))
			return -1;
		if (d->state_province == NULL)
			return err_set(r->e, "%s.state_province: missing", ap);
	}
	return 0;
}

static int read_term(struct reader *r, json_t *o, const char *path, struct oruk_term *t)
{
	if (uuid(r, o, path, "id", 1, &t->id) || text(r, o, path, "name", 1, SHORT_MAX, &t->name) ||
	    text(r, o, path, "description", 0, LONG_MAX, &t->description) ||
	    uuid(r, o, path, "parent_id", 0, &t->parent_id) ||
	    text(r, o, path, "taxonomy", 0, SHORT_MAX, &t->taxonomy) ||
	    uuid(r, o, path, "taxonomy_id", 0, &t->taxonomy_id) ||
	    web_address(r, o, path, "term_uri", &t->term_uri) ||
	    text(r, o, path, "term", 0, SHORT_MAX, &t->code))
		return -1;
	if (json_object_get(o, "description") == NULL)
		return err_set(r->e, "%s.description: missing", path);
	if (t->parent_id && strcmp(t->parent_id, t->id) == 0)
		return err_set(r->e, "%s.parent_id: the term itself", path);
	return 0;
}

static int read_service(struct reader *r, json_t *o, const char *path, struct oruk_service *s)
{
	const char *organization_id, *last_modified;
	if (uuid(r, o, path, "id", 1, &s->id) || text(r, o, path, "name", 1, SHORT_MAX, &s->name) ||
	    text(r, o, path, "description", 0, LONG_MAX, &s->description) ||
	    web_address(r, o, path, "url", &s->url) || email(r, o, path, "email", &s->email) ||
	    one_of(r, o, path, "status", 1, statuses, &s->status) ||
	    text(r, o, path, "fees", 0, LONG_MAX, &s->fees) ||
	    text(r, o, path, "accreditations", 0, LONG_MAX, &s->accreditations) ||
	    number(r, o, path, "minimum_age", 0, 150, &s->has_minimum_age, &s->minimum_age) ||
	    number(r, o, path, "maximum_age", 0, 150, &s->has_maximum_age, &s->maximum_age) ||
	    text(r, o, path, "assured_date", 0, 40, &s->assured_date) ||
	    email(r, o, path, "assurer_email", &s->assurer_email) ||
	    text(r, o, path, "alert", 0, LONG_MAX, &s->alert) ||
	    uuid(r, o, path, "organization_id", 0, &organization_id) ||
	    text(r, o, path, "last_modified", 0, 40, &last_modified))
		return -1;
	if (last_modified && oruk_datetime_parse(last_modified, 0, &s->last_modified) != 0)
		return err_set(r->e, "%s.last_modified: not an RFC 3339 date-time", path);
	/* Ages are kept in whole years. */
	if (s->has_minimum_age && s->minimum_age != floor(s->minimum_age))
		return err_set(r->e, "%s.minimum_age: not a whole number", path);
	if (s->has_maximum_age && s->maximum_age != floor(s->maximum_age))
		return err_set(r->e, "%s.maximum_age: not a whole number", path);
	if (s->has_minimum_age && s->has_maximum_age && s->minimum_age > s->maximum_age)
		return err_set(r->e, "%s.minimum_age: more than maximum_age", path);

	json_t *org = json_object_get(o, "organization");
	const char *op = pool_printf(r->p, "%s.organization", path);
	if (org == NULL || json_is_null(org))
		return err_set(r->e, "%s: missing (each service needs its organization)", op);
	if (!json_is_object(org))
		return err_set(r->e, "%s: not an object", op);
	if (read_organization(r, org, op, &s->organization) != 0)
		return -1;
	if (organization_id && strcmp(organization_id, s->organization.id) != 0)
		return err_set(r->e, "%s.organization_id: not the id of its organization", path);

	json_t *list;
	if (array(r, o, path, "service_at_locations", &list) != 0)
		return -1;
	s->nlocations = list ? json_array_size(list) : 0;
	s->locations = pool_alloc(r->p, (s->nlocations + 1) * sizeof(*s->locations));
	for (size_t i = 0; i < s->nlocations; i++) {
		json_t *a = json_array_get(list, i);
		const char *ap = child(r, path, "service_at_locations", i);
		struct oruk_service_at_location *sal = &s->locations[i];
		const char *service_id, *location_id;
		if (uuid(r, a, ap, "id", 1, &sal->id) || uuid(r, a, ap, "service_id", 0, &service_id) ||
		    uuid(r, a, ap, "location_id", 0, &location_id))
			return -1;
		if (service_id && strcmp(service_id, s->id) != 0)
			return err_set(r->e, "%s.service_id: not the id of its service", ap);
		json_t *loc = json_object_get(a, "location");
		const char *lp = pool_printf(r->p, "%s.location", ap);
		if (loc == NULL || !json_is_object(loc))
			return err_set(r->e, "%s: %s", lp, loc ? "not an object" : "missing");
		if (read_location(r, loc, lp, &sal->location) != 0)
			return -1;
		if (location_id && strcmp(location_id, sal->location.id) != 0)
			return err_set(r->e, "%s.location_id: not the id of its location", ap);
	}

	if (array(r, o, path, "contacts", &list) != 0)
		return -1;
	s->ncontacts = list ? json_array_size(list) : 0;
	s->contacts = pool_alloc(r->p, (s->ncontacts + 1) * sizeof(*s->contacts));
	for (size_t i = 0; i < s->ncontacts; i++) {
		json_t *a = json_array_get(list, i);
		const char *ap = child(r, path, "contacts", i);
		if (uuid(r, a, ap, "id", 1, &s->contacts[i].id) ||
		    text(r, a, ap, "name", 0, SHORT_MAX, &s->contacts[i].name) ||
		    text(r, a, ap, "title", 0, SHORT_MAX, &s->contacts[i].title))
			return -1;
	}

	if (array(r, o, path, "schedules", &list) != 0)
		return -1;
	s->nschedules = list ? json_array_size(list) : 0;
	s->schedules = pool_alloc(r->p, (s->nschedules + 1) * sizeof(*s->schedules));
	for (size_t i = 0; i < s->nschedules; i++) {
		json_t *a = json_array_get(list, i);
		const char *ap = child(r, path, "schedules", i);
		struct oruk_schedule *h = &s->schedules[i];
		int has_interval;
		double interval = 0;
		if (uuid(r, a, ap, "id", 1, &h->id) ||
		    uuid(r, a, ap, "service_at_location_id", 0, &h->service_at_location_id) ||
		    text(r, a, ap, "valid_from", 0, 40, &h->valid_from) ||
		    text(r, a, ap, "valid_to", 0, 40, &h->valid_to) ||
		    text(r, a, ap, "dtstart", 0, 40, &h->dtstart) ||
		    one_of(r, a, ap, "freq", 0, freqs, &h->freq) ||
		    number(r, a, ap, "interval", 1, 366, &has_interval, &interval) ||
		    text(r, a, ap, "byday", 0, 100, &h->byday) ||
		    text(r, a, ap, "bymonthday", 0, 100, &h->bymonthday) ||
		    text(r, a, ap, "description", 0, LONG_MAX, &h->description) ||
		    text(r, a, ap, "opens_at", 0, 40, &h->opens_at) ||
		    text(r, a, ap, "closes_at", 0, 40, &h->closes_at) ||
		    web_address(r, a, ap, "schedule_link", &h->schedule_link) ||
		    text(r, a, ap, "attending_type", 0, SHORT_MAX, &h->attending_type) ||
		    text(r, a, ap, "notes", 0, LONG_MAX, &h->notes))
			return -1;
		if (has_interval && interval != floor(interval))
			return err_set(r->e, "%s.interval: not a whole number", ap);
		if (h->service_at_location_id) {
			size_t k = 0;
			while (k < s->nlocations &&
			       strcmp(s->locations[k].id, h->service_at_location_id) != 0)
				k++;
			if (k == s->nlocations)
				return err_set(r->e, "%s.service_at_location_id: not one of this "
						     "service's service_at_locations",
					       ap);
		}
		h->interval = has_interval ? (int)interval : 0;
	}

	if (array(r, o, path, "attributes", &list) != 0)
		return -1;
	s->nattributes = list ? json_array_size(list) : 0;
	s->attributes = pool_alloc(r->p, (s->nattributes + 1) * sizeof(*s->attributes));
	for (size_t i = 0; i < s->nattributes; i++) {
		json_t *a = json_array_get(list, i);
		const char *ap = child(r, path, "attributes", i);
		struct oruk_attribute *at = &s->attributes[i];
		const char *term_id;
		if (uuid(r, a, ap, "id", 1, &at->id) ||
		    uuid(r, a, ap, "taxonomy_term_id", 0, &term_id) ||
		    text(r, a, ap, "link_type", 0, SHORT_MAX, &at->link_type))
			return -1;
		json_t *t = json_object_get(a, "taxonomy_term");
		const char *tp = pool_printf(r->p, "%s.taxonomy_term", ap);
		if (t == NULL || !json_is_object(t))
			return err_set(r->e, "%s: %s", tp, t ? "not an object" : "missing");
		if (read_term(r, t, tp, &at->term) != 0)
			return -1;
		if (term_id && strcmp(term_id, at->term.id) != 0)
			return err_set(r->e, "%s.taxonomy_term_id: not the id of its taxonomy_term", ap);
		for (size_t k = 0; k < i; k++)
			if (strcmp(s->attributes[k].term.id, at->term.id) == 0)
				return err_set(r->e, "%s.taxonomy_term: the same term as attributes[%zu]",
					       ap, k);
	}
	return 0;
}

struct id_at {
	const char *id;
	size_t at;
};

static int id_at_cmp(const void *a, const void *b)
{
	const struct id_at *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->at > y->at) - (x->at < y->at);
}

/* The same service id twice in one file is a mistake in the file (sorted: feeds may hold
 * tens of thousands of services). */
static int duplicate_ids(struct reader *r, const struct oruk_feed *f, const char *prefix)
{
	if (f->nservices < 2)
		return 0;
	struct id_at *ids = pool_alloc(r->p, f->nservices * sizeof(*ids));
	for (size_t i = 0; i < f->nservices; i++)
		ids[i] = (struct id_at){f->services[i].id, i};
	qsort(ids, f->nservices, sizeof(*ids), id_at_cmp);
	for (size_t i = 1; i < f->nservices; i++)
		if (strcmp(ids[i].id, ids[i - 1].id) == 0)
			return err_set(r->e, "%s[%zu].id: the same id as %s[%zu]", prefix, ids[i].at,
				       prefix, ids[i - 1].at);
	for (size_t i = 0; i < f->nservices; i++) {
		const struct oruk_service *s = &f->services[i];
		for (size_t a = 0; a < s->nlocations; a++)
			for (size_t b = 0; b < a; b++)
				if (strcmp(s->locations[a].id, s->locations[b].id) == 0 ||
				    strcmp(s->locations[a].location.id, s->locations[b].location.id) == 0)
					return err_set(r->e,
						       "%s[%zu].service_at_locations[%zu]: the same "
						       "%s as service_at_locations[%zu]",
						       prefix, i, a,
						       strcmp(s->locations[a].id, s->locations[b].id) == 0
							       ? "id"
							       : "location",
						       b);
	}
	return 0;
}

int oruk_json_parse_feed(struct pool *p, const char *data, size_t len, struct oruk_feed *out,
			 const char ***canonical, struct err *e)
{
	memset(out, 0, sizeof(*out));
	*canonical = NULL;
	if (len > ORUK_FEED_MAX)
		return err_set(e, "the file is larger than %u MiB", ORUK_FEED_MAX / (1024 * 1024));
	json_error_t je;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL)
		return err_set(e, "not JSON: line %d, column %d: %s", je.line, je.column, je.text);
	struct reader r = {p, e};
	const char *prefix = "";
	json_t *list = NULL;
	if (json_is_object(root)) {
		list = json_object_get(root, "contents");
		prefix = "contents";
		if (list == NULL) {
			json_decref(root);
			return err_set(e, "contents: missing (a service list page has its services "
					  "in contents)");
		}
		if (!json_is_array(list)) {
			json_decref(root);
			return err_set(e, "contents: not an array");
		}
	} else if (json_is_array(root)) {
		list = root;
	} else {
		json_decref(root);
		return err_set(e, "expected a service list page (an object with contents) or an "
				  "array of services");
	}
	struct oruk_feed f = {0};
	f.nservices = json_array_size(list);
	f.services = pool_alloc(p, (f.nservices + 1) * sizeof(*f.services));
	const char **canon = pool_alloc(p, (f.nservices + 1) * sizeof(*canon));
	int rc = 0;
	for (size_t i = 0; i < f.nservices && rc == 0; i++) {
		json_t *o = json_array_get(list, i);
		const char *path = pool_printf(p, "%s[%zu]", prefix, i);
		if (!json_is_object(o)) {
			rc = err_set(e, "%s: not an object", path);
			break;
		}
		rc = read_service(&r, o, path, &f.services[i]);
		if (rc == 0) {
			char *c = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
			canon[i] = pool_strdup(p, c ? c : "");
			free(c);
		}
	}
	json_decref(root);
	if (rc == 0)
		rc = duplicate_ids(&r, &f, prefix);
	if (rc != 0)
		return -1;
	*out = f;
	*canonical = canon;
	return 0;
}
