/* Fuzzes the referral form's rules: the input is the fourteen fields separated by '|'
 * (missing ones are NULL). Never a crash; errors fit the array and name a field; a
 * referral accepted keeps every rule of SPEC.md section 3. */
#include <string.h>

#include "core/pool.h"
#include "core/utf8.h"
#include "domain/hours_rules.h"
#include "domain/referral_rules.h"
#include "fuzz.h"

#define SEPARATOR '|'

static void check(struct pool *pool, const struct referral_fields *in, int cap_percent,
		  size_t max_errors)
{
	const struct civil_date today = {2026, 3, 29};
	struct referral_valid out;
	struct field_error errors[REFERRAL_MAX_ERRORS];
	size_t count = 99;
	int rc = referral_rules_check(pool, in, cap_percent, today, &out, errors, max_errors,
				      &count);
	FUZZ_CHECK(count <= max_errors);
	for (size_t i = 0; i < count; i++)
		FUZZ_CHECK(errors[i].field != NULL && errors[i].message != NULL &&
			   errors[i].message[0] != '\0');
	if (rc != 0) {
		FUZZ_CHECK(max_errors == 0 || count > 0);
		return;
	}
	FUZZ_CHECK(count == 0);
	FUZZ_CHECK(out.first_name && out.last_name && out.order_reference);
	FUZZ_CHECK(utf8_length(out.first_name, strlen(out.first_name)) <= REFERRAL_NAME_MAX);
	FUZZ_CHECK(out.email != NULL || out.mobile != NULL);
	FUZZ_CHECK(out.mobile == NULL || (strlen(out.mobile) == 11 && out.mobile[0] == '0'));
	FUZZ_CHECK(out.unpaid_hours >= HOURS_MIN && out.unpaid_hours <= HOURS_MAX);
	FUZZ_CHECK(out.level == hours_rules_level(out.unpaid_hours));
	FUZZ_CHECK(out.activity_hours >= 1 &&
		   out.activity_hours <= hours_rules_activity_cap(out.unpaid_hours, cap_percent));
	FUZZ_CHECK(civil_date_compare(out.order_date, today) <= 0);
	FUZZ_CHECK(civil_date_compare(out.complete_by, out.order_date) > 0);
	FUZZ_CHECK(civil_date_compare(out.dob, today) < 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pool *pool = pool_new();
	const char *field[14] = {0};
	size_t nfields = 0, start = 0;
	for (size_t i = 0; i <= size && nfields < 14; i++) {
		if (i == size || data[i] == SEPARATOR) {
			const char *s = (const char *)data + start;
			field[nfields++] = pool_strndup(pool, s, i - start);
			start = i + 1;
		}
	}
	struct referral_fields in = {
		field[0], field[1], field[2],  field[3],  field[4],  field[5],  field[6],
		field[7], field[8], field[9], field[10], field[11], field[12], field[13],
	};
	/* The cap is a setting; vary it with the input, within and past sense. */
	int cap_percent = (int)(size % 7) * 20 - 20;
	check(pool, &in, cap_percent, REFERRAL_MAX_ERRORS);
	check(pool, &in, HOURS_DEFAULT_CAP_PERCENT, 2);
	check(pool, &in, HOURS_DEFAULT_CAP_PERCENT, 0);
	pool_free(pool);
	return 0;
}
