/* directory: the directory of services and placements for staff: the search, a service's
 * page, one-click referral of a client, a directory referral's page (shared with the
 * organisation), a client's postcode and directory referrals on the client page, and the
 * coordinators' approvals. The organisation's own pages are handlers/organisation. */
#ifndef CAIRN_HANDLERS_DIRECTORY_H
#define CAIRN_HANDLERS_DIRECTORY_H
#include "domain/directory.h"
#include "html/tpl.h"
#include "http/http.h"

extern const char *const directory_refer_fields[];
extern const char *const directory_postcode_fields[];
extern const char *const directory_moderate_fields[];

void directory_search(struct http_request *req, struct http_response *res);
void directory_service(struct http_request *req, struct http_response *res);
void directory_refer(struct http_request *req, struct http_response *res);
void directory_referral(struct http_request *req, struct http_response *res);
void directory_client_postcode(struct http_request *req, struct http_response *res);
void directory_moderation(struct http_request *req, struct http_response *res);
void directory_moderate(struct http_request *req, struct http_response *res);

/* The client page's directory part: the client's postcode, the link to search near them
 * and their directory referrals, into v. */
void directory_client_vars(struct http_request *req, struct tpl_vars *v, int64_t client_id,
			   const char *first_name, const char *last_name);

/* A directory referral's variables for its page (shared with handlers/organisation). */
void directory_referral_vars(struct http_request *req, struct tpl_vars *v,
			     const struct directory_referral *r);

/* A new random UUID (libsodium's randombytes), for the store's new rows. */
void directory_new_uuid(char out[DIRECTORY_UUID_LEN + 1]);

#endif
