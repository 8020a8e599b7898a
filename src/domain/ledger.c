#include "domain/ledger.h"

#include <stdio.h>
#include <string.h>

static const struct {
	enum register_outcome outcome;
	const char *name, *label;
} outcomes[] = {
	{OUTCOME_ATTENDED, "attended", "Attended"},
	{OUTCOME_ATTENDED_PART, "attended_part", "Attended part"},
	{OUTCOME_FAILED_TO_COMPLY, "failed_to_comply", "Attended but failed to comply"},
	{OUTCOME_DID_NOT_ATTEND, "did_not_attend", "Did not attend"},
	{OUTCOME_ABSENCE_ACCEPTED, "absence_accepted", "Absence accepted"},
};
#define NOUTCOMES (sizeof(outcomes) / sizeof(outcomes[0]))

enum register_outcome ledger_outcome_parse(const char *name)
{
	for (size_t i = 0; name && i < NOUTCOMES; i++)
		if (strcmp(outcomes[i].name, name) == 0)
			return outcomes[i].outcome;
	return OUTCOME_NONE;
}

const char *ledger_outcome_name(enum register_outcome o)
{
	for (size_t i = 0; i < NOUTCOMES; i++)
		if (outcomes[i].outcome == o)
			return outcomes[i].name;
	return "none";
}

const char *ledger_outcome_label(enum register_outcome o)
{
	for (size_t i = 0; i < NOUTCOMES; i++)
		if (outcomes[i].outcome == o)
			return outcomes[i].label;
	return "Not recorded";
}

int ledger_outcome_alerts(enum register_outcome o)
{
	return o == OUTCOME_DID_NOT_ATTEND || o == OUTCOME_FAILED_TO_COMPLY;
}

int ledger_credit_minutes(enum register_outcome o, int session_minutes, int minutes_given)
{
	switch (o) {
	case OUTCOME_ATTENDED:
		return session_minutes;
	case OUTCOME_ATTENDED_PART:
	case OUTCOME_FAILED_TO_COMPLY:
		if (minutes_given < 0)
			return 0;
		return minutes_given < session_minutes ? minutes_given : session_minutes;
	default:
		return 0;
	}
}

int ledger_counted(int credit_minutes, int activity_minutes, int counted_so_far)
{
	int left = activity_minutes - counted_so_far;
	if (left <= 0 || credit_minutes <= 0)
		return 0;
	return credit_minutes < left ? credit_minutes : left;
}

void ledger_format_minutes(int minutes, char *out, unsigned long n)
{
	const char *sign = minutes < 0 ? "minus " : "";
	if (minutes < 0)
		minutes = -minutes;
	int h = minutes / 60, m = minutes % 60;
	if (h && m)
		snprintf(out, n, "%s%d hour%s %d minute%s", sign, h, h == 1 ? "" : "s", m, m == 1 ? "" : "s");
	else if (h)
		snprintf(out, n, "%s%d hour%s", sign, h, h == 1 ? "" : "s");
	else if (m)
		snprintf(out, n, "%s%d minute%s", sign, m, m == 1 ? "" : "s");
	else
		snprintf(out, n, "0 hours");
}
