#include "domain/records.h"

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

int role_needs_authority(enum role r)
{
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (roles[i].role == r)
			return roles[i].needs_authority;
	return 0;
}
