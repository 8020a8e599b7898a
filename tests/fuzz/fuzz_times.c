/* Fuzzes the start times coordinators type (schedule_parse_time): never a crash, and an
 * accepted time is a real one that reads back the same when written as HH:MM. */
#include <string.h>

#include "fuzz.h"
#include "handlers/schedule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[64];
	if (size >= sizeof(text))
		size = sizeof(text) - 1;
	memcpy(text, data, size);
	text[size] = '\0';
	int h = -1, m = -1;
	if (schedule_parse_time(text, &h, &m) == 0) {
		FUZZ_CHECK(h >= 0 && h <= 23 && m >= 0 && m <= 59);
		char again[8];
		snprintf(again, sizeof(again), "%02d:%02d", h, m);
		int h2 = -1, m2 = -1;
		FUZZ_CHECK(schedule_parse_time(again, &h2, &m2) == 0 && h2 == h && m2 == m);
	}
	return 0;
}
