/* hours_rules: the order rules of SPEC.md section 3 (hours, levels, completion, cap). */
#ifndef CAIRN_HOURS_RULES_H
#define CAIRN_HOURS_RULES_H

#include "domain/civil_date.h"

#define HOURS_MIN 20
#define HOURS_MAX 300
/* The highest hours of a level 1 order; level 2 starts one hour above it. */
#define HOURS_LEVEL1_MAX 100
/* The share of an order that may be other activity when nothing else is configured. */
#define HOURS_DEFAULT_CAP_PERCENT 30

/* 1 for 20-100 unpaid hours, 2 for 101-300, 0 for anything else. */
int hours_rules_level(int unpaid_hours);

/* The default completion date: 3 months after imposition for level 1, 6 months for level
 * 2, clamped to the end of the month. Hours outside 20..300 get the 3-month date; callers
 * validate hours first. */
struct civil_date hours_rules_default_complete_by(struct civil_date imposed, int unpaid_hours);

/* The most other activity hours allowed: floor(unpaid_hours * cap_percent / 100), and 0 for
 * negative inputs. */
int hours_rules_activity_cap(int unpaid_hours, int cap_percent);

#endif
