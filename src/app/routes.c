#include "app/routes.h"

#include "domain/records.h"
#include "handlers/auth.h"
#include "handlers/clients.h"
#include "handlers/home.h"
#include "handlers/invitations.h"
#include "handlers/outbox.h"
#include "handlers/referrals.h"

static const char *const no_fields[] = {"csrf_token", NULL};
static const char *const sign_in_fields[] = {"csrf_token", "email", "password", "next", NULL};

#define STAFF_WHO_SEE_CLIENTS                                                                   \
	(ROUTE_ROLE(ROLE_CASE_WORKER) | ROUTE_ROLE(ROLE_AUTHORITY_LEAD) |                       \
	 ROUTE_ROLE(ROLE_COORDINATOR) | ROUTE_ROLE(ROLE_ADMINISTRATOR))

const struct route routes[] = {
	{"GET", "/", ROUTE_PUBLIC, NULL, home_start},
	{"GET", "/healthz", ROUTE_PUBLIC, NULL, home_healthz},
	{"GET", "/sign-in", ROUTE_PUBLIC, NULL, auth_sign_in_form},
	{"POST", "/sign-in", ROUTE_PUBLIC, sign_in_fields, auth_sign_in},
	{"POST", "/sign-out", ROUTE_PUBLIC, no_fields, auth_sign_out},
	{"GET", "/referrals", ROUTE_ROLE(ROLE_CASE_WORKER), NULL, referrals_list},
	{"GET", "/referrals/new", ROUTE_ROLE(ROLE_CASE_WORKER), NULL, referrals_new},
	{"POST", "/referrals/new", ROUTE_ROLE(ROLE_CASE_WORKER), referrals_fields, referrals_create},
	{"GET", "/referrals/:reference", ROUTE_ROLE(ROLE_CASE_WORKER), NULL, referrals_sent},
	{"GET", "/clients/:id", STAFF_WHO_SEE_CLIENTS, NULL, clients_show},
	{"GET", "/admin/outbox", ROUTE_ROLE(ROLE_ADMINISTRATOR), NULL, outbox_list},
	{"GET", "/admin/outbox/:id", ROUTE_ROLE(ROLE_ADMINISTRATOR), NULL, outbox_show},
	{"GET", "/invitations/:token", ROUTE_PUBLIC, NULL, invitations_show},
	{"POST", "/invitations/:token", ROUTE_PUBLIC, invitations_fields, invitations_accept},
	{NULL, NULL, 0, NULL, NULL},
};
