/* organisation: the pages of an organisation user (ROLE_ORGANISATION): its referrals, to
 * accept or decline and to confirm the hours done, and its listing and placement offers,
 * whose changes wait for a coordinator's approval. Every page is limited to the user's own
 * organisation. */
#ifndef CAIRN_HANDLERS_ORGANISATION_H
#define CAIRN_HANDLERS_ORGANISATION_H
#include "http/http.h"

extern const char *const organisation_answer_fields[];
extern const char *const organisation_hours_fields[];
extern const char *const organisation_service_fields[];
extern const char *const organisation_placement_fields[];

void organisation_home(struct http_request *req, struct http_response *res);
void organisation_answer(struct http_request *req, struct http_response *res);
void organisation_hours(struct http_request *req, struct http_response *res);
void organisation_service_new(struct http_request *req, struct http_response *res);
void organisation_service_edit(struct http_request *req, struct http_response *res);
void organisation_service_save(struct http_request *req, struct http_response *res);
void organisation_placement_form(struct http_request *req, struct http_response *res);
void organisation_placement_save(struct http_request *req, struct http_response *res);

#endif
