/* api_oruk: the read-only Open Referral UK 3.0 JSON API at /api/v1/ (public, no key, no
 * cookies). Only approved listings; nothing about clients. */
#ifndef CAIRN_API_ORUK_H
#define CAIRN_API_ORUK_H
#include "http/http.h"

void api_oruk_meta(struct http_request *req, struct http_response *res);
void api_oruk_services(struct http_request *req, struct http_response *res);
void api_oruk_service(struct http_request *req, struct http_response *res);
void api_oruk_service_at_locations(struct http_request *req, struct http_response *res);
void api_oruk_organizations(struct http_request *req, struct http_response *res);
void api_oruk_organization(struct http_request *req, struct http_response *res);
void api_oruk_taxonomies(struct http_request *req, struct http_response *res);
void api_oruk_taxonomy_terms(struct http_request *req, struct http_response *res);

#endif
