#include "domain/records.h"

#include <stdio.h>
#include <string.h>

static const struct {
	enum role role;
	const char *name, *label;
	int needs_authority;
} roles[] = {
	{ROLE_ADMINISTRATOR, "administrator", "administrator", 0},
	{ROLE_COORDINATOR, "coordinator", "coordinator", 0},
	{ROLE_CASE_WORKER, "case_worker", "case worker", 1},
	{ROLE_FACILITATOR, "facilitator", "facilitator", 0},
	{ROLE_AUTHORITY_LEAD, "authority_lead", "local authority lead", 1},
	{ROLE_CLIENT, "client", "client", 0},
	{ROLE_ORGANISATION, "organisation", "organisation", 0},
};

enum role role_parse(const char *name)
{
	if (name == NULL)
		return ROLE_NONE;
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(roles[i].name, name) == 0)
			return roles[i].role;
	return ROLE_NONE;
}

const char *role_name(enum role r)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (roles[i].role == r)
			return roles[i].name;
	return "none";
}

const char *role_label(enum role r)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (roles[i].role == r)
			return roles[i].label;
	return "nobody";
}

const char *referral_status_label(const char *status)
{
	static const char *const labels[][2] = {
		{"sent", "Sent"}, {"welcomed", "Welcomed"}, {"active", "Active"},
		{"completed", "Completed"}, {"withdrawn", "Withdrawn"},
	};
	for (size_t i = 0; status && i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i][0], status) == 0)
			return labels[i][1];
	return status;
}

void mobile_format(const char *mobile, char *out, unsigned long n)
{
	if (mobile && strlen(mobile) == 11 && mobile[0] == '0' && strspn(mobile, "0123456789") == 11)
		snprintf(out, n, "%.5s %s", mobile, mobile + 5);
	else
		snprintf(out, n, "%s", mobile ? mobile : "");
}

int role_needs_authority(enum role r)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (roles[i].role == r)
			return roles[i].needs_authority;
	return 0;
}
