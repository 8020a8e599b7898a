/* Fuzzes the parsers of what people type: dates and references. Never a crash; a date
 * accepted is a real date in range that reads back the same in every format; a reference
 * accepted is canonical and normalises to itself. */
#include <string.h>

#include "domain/civil_date.h"
#include "domain/reference.h"
#include "fuzz.h"

static void check_date(const char *text)
{
	struct civil_date d = {-1, -1, -1}, back;
	if (civil_date_parse(text, &d) != 0) {
		FUZZ_CHECK(d.year == -1 && d.month == -1 && d.day == -1);
		return;
	}
	FUZZ_CHECK(d.year >= 1900 && d.year <= 2200 && civil_date_valid(d.year, d.month, d.day));
	char iso[11], uk[11], longer[CIVIL_DATE_LONG_MAX];
	civil_date_iso(d, iso);
	FUZZ_CHECK(civil_date_parse(iso, &back) == 0 && civil_date_compare(back, d) == 0);
	civil_date_uk(d, uk);
	FUZZ_CHECK(civil_date_parse(uk, &back) == 0 && civil_date_compare(back, d) == 0);
	back = civil_date_from_days(civil_date_to_days(d));
	FUZZ_CHECK(civil_date_compare(back, d) == 0);
	civil_date_long(d, longer, sizeof(longer));
	FUZZ_CHECK(strlen(longer) < sizeof(longer));
	FUZZ_CHECK(civil_date_weekday(d) >= 0 && civil_date_weekday(d) <= 6);
}

static void check_reference(const char *text, const char *prefix, size_t room)
{
	char out[REFERENCE_MAX + 8], again[REFERENCE_MAX + 8];
	memset(out, 'x', sizeof(out));
	if (reference_normalise(text, prefix, out, room) != 0) {
		FUZZ_CHECK(room == 0 || out[0] == '\0');
		return;
	}
	size_t plen = prefix ? strlen(prefix) : 0;
	FUZZ_CHECK(strlen(out) == (plen ? plen + 1 : 0) + 9 && strlen(out) < room);
	FUZZ_CHECK(reference_normalise(out, prefix, again, sizeof(again)) == 0);
	FUZZ_CHECK(strcmp(out, again) == 0);
	for (const char *p = out + (plen ? plen + 1 : 0); *p; p++)
		FUZZ_CHECK(*p == '-' || strchr(REFERENCE_ALPHABET, *p) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	check_date(text);
	check_reference(text, "R", REFERENCE_MAX);
	check_reference(text, "ORD", REFERENCE_MAX);
	check_reference(text, "", REFERENCE_MAX);
	check_reference(text, NULL, REFERENCE_MAX);
	check_reference(text, "TOOLONGPREFIX", REFERENCE_MAX);
	/* Every size of out buffer, including too small and none. */
	check_reference(text, "R", size % (REFERENCE_MAX + 1));

	free(text);
	return 0;
}
