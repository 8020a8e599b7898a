/* Fuzzes what people type into the directory's search: postcodes and search text. Never a
 * crash; a postcode accepted is in its written form and normalises to itself; a search
 * query is made only of quoted words, prefixes, OR, AND and parentheses, within its caps,
 * with no quote inside a word. */
#include <string.h>

#include "core/pool.h"
#include "domain/directory.h"
#include "domain/postcode.h"
#include "fuzz.h"

static void check_postcode(const char *text)
{
	char out[POSTCODE_MAX], again[POSTCODE_MAX];
	if (postcode_normalise(text, out) != 0)
		return;
	size_t n = strlen(out);
	FUZZ_CHECK(n >= 6 && n <= 8 && out[n - 4] == ' ');
	FUZZ_CHECK(postcode_normalise(out, again) == 0 && strcmp(out, again) == 0);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(out[i] == ' ' || (out[i] >= 'A' && out[i] <= 'Z') || (out[i] >= '0' && out[i] <= '9'));
}

static void check_query(const char *text)
{
	struct pool *p = pool_new();
	const char *q;
	int words = directory_fts_query(p, text, &q);
	FUZZ_CHECK(words >= 0 && words <= DIRECTORY_TEXT_MAX_WORDS);
	FUZZ_CHECK((words == 0) == (q == NULL));
	if (q) {
		FUZZ_CHECK(strlen(q) < (size_t)DIRECTORY_TEXT_MAX_WORDS * (2 * DIRECTORY_WORD_MAX_BYTES + 20));
		/* Outside quoted words only the query's own syntax. */
		int quoted = 0, depth = 0;
		for (const char *c = q; *c; c++) {
			if (*c == '"') {
				quoted = !quoted;
				continue;
			}
			if (quoted) {
				FUZZ_CHECK((unsigned char)*c >= 0x80 || (*c >= 'a' && *c <= 'z') ||
					   (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9'));
				continue;
			}
			FUZZ_CHECK(strchr("()* ORAND", *c) != NULL);
			depth += *c == '(' ? 1 : *c == ')' ? -1 : 0;
			FUZZ_CHECK(depth == 0 || depth == 1);
		}
		FUZZ_CHECK(!quoted && depth == 0);
	}
	pool_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	check_postcode(text);
	check_query(text);
	free(text);
	return 0;
}
