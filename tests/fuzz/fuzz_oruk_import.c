/* Fuzzes the Open Referral UK feed reader of `cairn import oruk`: never a crash; a refused
 * file has a message and no services; an accepted one has valid lower-case UUIDs and named
 * records, and what the API writes for its services (oruk_json_service) is read back by the
 * same reader to the same services: the writer and the reader agree. */
#include <string.h>

#include "api/oruk_json.h"
#include "core/buf.h"
#include "core/pool.h"
#include "domain/directory.h"
#include "fuzz.h"

static int lower_uuid(const char *s)
{
	if (!directory_uuid_valid(s))
		return 0;
	for (const char *c = s; *c; c++)
		if (*c >= 'A' && *c <= 'F')
			return 0;
	return 1;
}

static void check_service(const struct oruk_service *s)
{
	FUZZ_CHECK(lower_uuid(s->id));
	FUZZ_CHECK(s->name && s->name[0]);
	FUZZ_CHECK(s->status != NULL);
	FUZZ_CHECK(lower_uuid(s->organization.id));
	FUZZ_CHECK(s->organization.name && s->organization.name[0]);
	for (size_t i = 0; i < s->nlocations; i++) {
		FUZZ_CHECK(lower_uuid(s->locations[i].id));
		FUZZ_CHECK(lower_uuid(s->locations[i].location.id));
		FUZZ_CHECK(s->locations[i].location.location_type != NULL);
		const struct oruk_location *l = &s->locations[i].location;
		FUZZ_CHECK(!l->has_position || (l->latitude >= -90 && l->latitude <= 90 &&
						l->longitude >= -180 && l->longitude <= 180));
	}
	for (size_t i = 0; i < s->ncontacts; i++)
		FUZZ_CHECK(lower_uuid(s->contacts[i].id));
	for (size_t i = 0; i < s->nschedules; i++)
		FUZZ_CHECK(lower_uuid(s->schedules[i].id));
	for (size_t i = 0; i < s->nattributes; i++) {
		FUZZ_CHECK(lower_uuid(s->attributes[i].id));
		FUZZ_CHECK(lower_uuid(s->attributes[i].term.id));
		FUZZ_CHECK(s->attributes[i].term.name && s->attributes[i].term.name[0]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pool *p = pool_new();
	struct oruk_feed feed;
	const char **canonical = NULL;
	struct err e = {{0}};
	int rc = oruk_json_parse_feed(p, (const char *)data, size, &feed, &canonical, &e);
	if (rc != 0) {
		FUZZ_CHECK(rc == -1);
		FUZZ_CHECK(e.msg[0] != '\0');
		FUZZ_CHECK(feed.nservices == 0 && canonical == NULL);
		pool_free(p);
		return 0;
	}
	FUZZ_CHECK(canonical != NULL);
	struct buf out;
	buf_init(&out);
	buf_putc(&out, '[');
	for (size_t i = 0; i < feed.nservices; i++) {
		check_service(&feed.services[i]);
		FUZZ_CHECK(canonical[i] != NULL && canonical[i][0] == '{');
		if (i)
			buf_putc(&out, ',');
		oruk_json_service(&out, &feed.services[i]);
	}
	buf_putc(&out, ']');
	struct oruk_feed again;
	const char **canonical_again;
	rc = oruk_json_parse_feed(p, out.data, out.len, &again, &canonical_again, &e);
	if (rc != 0)
		fprintf(stderr, "the reader refused the writer's output: %s\n", e.msg);
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(again.nservices == feed.nservices);
	for (size_t i = 0; i < feed.nservices; i++) {
		const struct oruk_service *a = &feed.services[i], *b = &again.services[i];
		FUZZ_CHECK(strcmp(a->id, b->id) == 0 && strcmp(a->name, b->name) == 0);
		FUZZ_CHECK(strcmp(a->organization.id, b->organization.id) == 0);
		FUZZ_CHECK(a->nlocations == b->nlocations && a->ncontacts == b->ncontacts &&
			   a->nschedules == b->nschedules && a->nattributes == b->nattributes);
	}
	buf_free(&out);
	pool_free(p);
	return 0;
}
