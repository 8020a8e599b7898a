#include "domain/hours_rules.h"

#include <limits.h>
#include <stdint.h>

int hours_rules_level(int unpaid_hours)
{
	if (unpaid_hours >= HOURS_MIN && unpaid_hours <= HOURS_LEVEL1_MAX)
		return 1;
	if (unpaid_hours > HOURS_LEVEL1_MAX && unpaid_hours <= HOURS_MAX)
		return 2;
	return 0;
}

struct civil_date hours_rules_default_complete_by(struct civil_date imposed, int unpaid_hours)
{
	int months = hours_rules_level(unpaid_hours) == 2 ? 6 : 3;
	return civil_date_add_months(imposed, months);
}

int hours_rules_activity_cap(int unpaid_hours, int cap_percent)
{
	if (unpaid_hours < 0 || cap_percent < 0)
		return 0;
	/* 64-bit so a misconfigured percentage cannot overflow. */
	int64_t cap = (int64_t)unpaid_hours * cap_percent / 100;
	return cap > INT_MAX ? INT_MAX : (int)cap;
}
