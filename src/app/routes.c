#include "app/routes.h"

#include "domain/records.h"
#include "handlers/api_oruk.h"
#include "handlers/auth.h"
#include "handlers/clients.h"
#include "handlers/directory.h"
#include "handlers/dashboard.h"
#include "handlers/feedback.h"
#include "handlers/home.h"
#include "handlers/invitations.h"
#include "handlers/organisation.h"
#include "handlers/outbox.h"
#include "handlers/referrals.h"
#include "handlers/register.h"
#include "handlers/reports.h"
#include "handlers/schedule.h"
#include "handlers/sessions.h"
#include "handlers/bookings.h"
#include "handlers/welcome.h"

static const char *const no_fields[] = {"csrf_token", NULL};
static const char *const sign_in_fields[] = {"csrf_token", "email", "password", "next", NULL};

#define STAFF_WHO_SEE_CLIENTS                                                                   \
	(ROUTE_ROLE(ROLE_CASE_WORKER) | ROUTE_ROLE(ROLE_AUTHORITY_LEAD) |                       \
	 ROUTE_ROLE(ROLE_COORDINATOR) | ROUTE_ROLE(ROLE_ADMINISTRATOR))

#define COORDINATION (ROUTE_ROLE(ROLE_COORDINATOR) | ROUTE_ROLE(ROLE_ADMINISTRATOR))
#define REPORT_READERS STAFF_WHO_SEE_CLIENTS
#define REGISTER_TAKERS (ROUTE_ROLE(ROLE_FACILITATOR) | COORDINATION)
#define DIRECTORY_SEARCHERS (ROUTE_ROLE(ROLE_CASE_WORKER) | COORDINATION)
#define ORGANISATION ROUTE_ROLE(ROLE_ORGANISATION)
/* The impact dashboard: a lead sees only their own authority's figures (dashboard.c). */
#define IMPACT_READERS (COORDINATION | ROUTE_ROLE(ROLE_AUTHORITY_LEAD))

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
	{"GET", "/sign-in/link", ROUTE_PUBLIC, NULL, auth_link_form},
	{"POST", "/sign-in/link", ROUTE_PUBLIC, auth_link_fields, auth_link_send},
	{"GET", "/sign-in/link/:token", ROUTE_PUBLIC, NULL, auth_link_show},
	{"POST", "/sign-in/link/:token", ROUTE_PUBLIC, no_fields, auth_link_use},
	{"GET", "/welcome-calls", COORDINATION, NULL, welcome_list},
	{"GET", "/welcome-calls/:id", COORDINATION, NULL, welcome_show},
	{"POST", "/welcome-calls/:id", COORDINATION, welcome_fields, welcome_record},
	{"GET", "/schedule", COORDINATION, NULL, schedule_list},
	{"GET", "/schedule/new", COORDINATION, NULL, schedule_new},
	{"POST", "/schedule/new", COORDINATION, schedule_fields, schedule_create},
	{"POST", "/topics", COORDINATION, schedule_topic_fields, schedule_topic_add},
	{"GET", "/sessions", ROUTE_ROLE(ROLE_CLIENT), NULL, sessions_list},
	{"GET", "/sessions/:id", ROUTE_ROLE(ROLE_CLIENT), NULL, sessions_show},
	{"POST", "/sessions/:id/book", ROUTE_ROLE(ROLE_CLIENT), no_fields, sessions_book},
	{"GET", "/bookings/:id", ROUTE_ROLE(ROLE_CLIENT), NULL, bookings_show},
	{"POST", "/bookings/:id/cancel", ROUTE_ROLE(ROLE_CLIENT), no_fields, bookings_cancel},
	{"GET", "/bookings/:id/calendar.ics", ROUTE_ROLE(ROLE_CLIENT), NULL, bookings_calendar},
	{"GET", "/facilitator/sessions", REGISTER_TAKERS, NULL, register_sessions},
	{"GET", "/register/:id", REGISTER_TAKERS, NULL, register_show},
	{"POST", "/register/:id", REGISTER_TAKERS, register_fields, register_save},
	{"GET", "/reports/weekly", REPORT_READERS, NULL, reports_weekly},
	{"GET", "/reports/weekly.csv", REPORT_READERS, NULL, reports_weekly_csv},
	{"GET", "/reports/weekly.xlsx", REPORT_READERS, NULL, reports_weekly_xlsx},
	/* The directory (issue 6): "new" before ":id", which would match it too. */
	{"GET", "/directory", DIRECTORY_SEARCHERS, NULL, directory_search},
	{"GET", "/directory/moderation", COORDINATION, NULL, directory_moderation},
	{"POST", "/directory/moderation", COORDINATION, directory_moderate_fields, directory_moderate},
	{"GET", "/directory/services/:id", DIRECTORY_SEARCHERS, NULL, directory_service},
	{"POST", "/directory/services/:id/refer", ROUTE_ROLE(ROLE_CASE_WORKER), directory_refer_fields,
	 directory_refer},
	{"GET", "/directory/referrals/:id", DIRECTORY_SEARCHERS | ORGANISATION, NULL, directory_referral},
	{"POST", "/clients/:id/postcode", ROUTE_ROLE(ROLE_CASE_WORKER), directory_postcode_fields,
	 directory_client_postcode},
	{"GET", "/organisation", ORGANISATION, NULL, organisation_home},
	{"POST", "/organisation/referrals/:id/answer", ORGANISATION, organisation_answer_fields,
	 organisation_answer},
	{"POST", "/organisation/referrals/:id/hours", ORGANISATION, organisation_hours_fields,
	 organisation_hours},
	{"GET", "/organisation/services/new", ORGANISATION, NULL, organisation_service_new},
	{"POST", "/organisation/services/new", ORGANISATION, organisation_service_fields,
	 organisation_service_save},
	{"GET", "/organisation/services/:id", ORGANISATION, NULL, organisation_service_edit},
	{"POST", "/organisation/services/:id", ORGANISATION, organisation_service_fields,
	 organisation_service_save},
	{"GET", "/organisation/services/:id/placements/new", ORGANISATION, NULL,
	 organisation_placement_form},
	{"POST", "/organisation/services/:id/placements/new", ORGANISATION,
	 organisation_placement_fields, organisation_placement_save},
	{"GET", "/organisation/services/:id/placements/:offer", ORGANISATION, NULL,
	 organisation_placement_form},
	{"POST", "/organisation/services/:id/placements/:offer", ORGANISATION,
	 organisation_placement_fields, organisation_placement_save},
	{"GET", "/feedback/:id", ROUTE_ROLE(ROLE_CLIENT), NULL, feedback_show},
	{"POST", "/feedback/:id", ROUTE_ROLE(ROLE_CLIENT), feedback_fields, feedback_save},
	{"GET", "/dashboard", IMPACT_READERS, NULL, dashboard_show},
	{"GET", "/dashboard.csv", IMPACT_READERS, NULL, dashboard_csv},
	{"GET", "/dashboard.xlsx", IMPACT_READERS, NULL, dashboard_xlsx},
	/* The Open Referral UK API: public and read-only (app_dispatch answers /api/ in JSON,
	 * without sessions or cookies). */
	{"GET", "/api/v1", ROUTE_PUBLIC, NULL, api_oruk_meta},
	{"GET", "/api/v1/", ROUTE_PUBLIC, NULL, api_oruk_meta},
	{"GET", "/api/v1/services", ROUTE_PUBLIC, NULL, api_oruk_services},
	{"GET", "/api/v1/services/:id", ROUTE_PUBLIC, NULL, api_oruk_service},
	{"GET", "/api/v1/service_at_locations", ROUTE_PUBLIC, NULL, api_oruk_service_at_locations},
	{"GET", "/api/v1/organizations", ROUTE_PUBLIC, NULL, api_oruk_organizations},
	{"GET", "/api/v1/organizations/:id", ROUTE_PUBLIC, NULL, api_oruk_organization},
	{"GET", "/api/v1/taxonomies", ROUTE_PUBLIC, NULL, api_oruk_taxonomies},
	{"GET", "/api/v1/taxonomy_terms", ROUTE_PUBLIC, NULL, api_oruk_taxonomy_terms},
	{NULL, NULL, 0, NULL, NULL},
};
