/* oruk_json: Open Referral UK (HSDS 3.0) JSON, both ways, with jansson. Writing turns the
 * records of domain/oruk.h into the shapes of the ORUK schemas (absent fields are left out,
 * never null); reading turns a saved feed into records, naming the element at fault. The
 * only includer of jansson.h. */
#ifndef CAIRN_ORUK_JSON_H
#define CAIRN_ORUK_JSON_H
#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/pool.h"
#include "domain/oruk.h"

/* Each appends one JSON document to out (the caller's). */
void oruk_json_meta(struct buf *out, const char *version, const char *profile,
		    const char *openapi_url);
/* The paging envelope, with contents from rows[0..n). */
void oruk_json_services_page(struct buf *out, const struct oruk_page *pg,
			     const struct oruk_service *rows, size_t n);
void oruk_json_service_at_locations_page(struct buf *out, const struct oruk_page *pg,
					 const struct oruk_service_at_location *rows, size_t n);
void oruk_json_organizations_page(struct buf *out, const struct oruk_page *pg,
				  const struct oruk_organization *rows, size_t n);
void oruk_json_taxonomies_page(struct buf *out, const struct oruk_page *pg,
			       const struct oruk_taxonomy *rows, size_t n);
void oruk_json_terms_page(struct buf *out, const struct oruk_page *pg,
			  const struct oruk_term *rows, size_t n);
/* A fully nested service. */
void oruk_json_service(struct buf *out, const struct oruk_service *s);
/* An organisation with its services (list shape). */
void oruk_json_organization(struct buf *out, const struct oruk_organization *o);
/* {"status": 400, "error": "Bad Request", "message": "..."} */
void oruk_json_error(struct buf *out, int status, const char *message);

/* The largest feed file the importer reads. */
#define ORUK_FEED_MAX (64u * 1024 * 1024)

/* Reads a saved feed: a service list page (an object with `contents`) or an array of
 * full services. Every service needs its organisation; every id must be a UUID (stored in
 * lower case). On success fills *out, whose strings belong to p, and sets
 * (*canonical)[i] to service i's JSON with sorted keys (to tell a changed record from an
 * unchanged one). On failure returns -1 with e naming the element, e.g.
 * "contents[3].organization.id: not a UUID", and fills nothing. */
int oruk_json_parse_feed(struct pool *p, const char *data, size_t len, struct oruk_feed *out,
			 const char ***canonical, struct err *e);

#endif
