/* Unit tests of domain/oruk (RFC 3339 times, paging, UUID case) and api/oruk_json (the
 * feed reader's messages, the writer's shapes). */
#include <string.h>

#include "api/oruk_json.h"
#include "core/buf.h"
#include "core/pool.h"
#include "domain/oruk.h"
#include "unit.h"

static void test_datetime(void)
{
	int64_t t = -1;
	CHECK_INT(oruk_datetime_parse("2026-03-29T10:00:00Z", 0, &t), 0);
	CHECK_INT(t, 1774778400);
	CHECK_INT(oruk_datetime_parse("2026-03-29T11:00:00.250+01:00", 0, &t), 0);
	CHECK_INT(t, 1774778400);
	CHECK_INT(oruk_datetime_parse("2026-03-29t05:30:00-04:30", 0, &t), 0);
	CHECK_INT(t, 1774778400);
	CHECK_INT(oruk_datetime_parse("1970-01-01T00:00:00Z", 0, &t), 0);
	CHECK_INT(t, 0);
	CHECK_INT(oruk_datetime_parse("2026-03-29", 1, &t), 0);
	CHECK_INT(t, 1774742400);
	t = 7;
	CHECK_INT(oruk_datetime_parse("2026-03-29", 0, &t), -1);
	CHECK_INT(t, 7);
	const char *bad[] = {"", "2026-02-29T00:00:00Z", "2026-03-29T24:00:00Z",
			     "2026-03-29T10:00:00", "2026-03-29 10:00:00Z", "2026-03-29T10:00Z",
			     "2026-03-29T10:00:00.Z", "2026-03-29T10:00:00+0100",
			     "2026-03-29T10:00:00+24:00", "2026-3-29T10:00:00Z",
			     "2026-03-29T10:00:00Zjunk", "yesterday", "1774778400"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_INT(oruk_datetime_parse(bad[i], 1, &t), -1);
	CHECK_INT(oruk_datetime_parse(NULL, 1, &t), -1);
	char out[ORUK_DATETIME_MAX];
	oruk_datetime_format(1774778400, out);
	CHECK_STR(out, "2026-03-29T10:00:00Z");
	oruk_datetime_format(0, out);
	CHECK_STR(out, "1970-01-01T00:00:00Z");
	oruk_datetime_format(-1, out);
	CHECK_STR(out, "1969-12-31T23:59:59Z");
}

static void test_page(void)
{
	struct oruk_page pg;
	oruk_page_make(8, 3, 1, 3, &pg);
	CHECK_INT(pg.total_pages, 3);
	CHECK(pg.first_page && !pg.last_page && !pg.empty);
	oruk_page_make(8, 3, 3, 2, &pg);
	CHECK(!pg.first_page && pg.last_page && !pg.empty);
	oruk_page_make(8, 3, 9, 0, &pg);
	CHECK(pg.last_page && pg.empty);
	oruk_page_make(0, 25, 1, 0, &pg);
	CHECK_INT(pg.total_pages, 0);
	CHECK(pg.first_page && pg.last_page && pg.empty);
}

static void test_uuid_lower(void)
{
	char out[ORUK_UUID_LEN + 1];
	oruk_uuid_lower("425C41A8-F3B9-48C7-BC71-FF66476A6BF1", out);
	CHECK_STR(out, "425c41a8-f3b9-48c7-bc71-ff66476a6bf1");
}

#define ORG "{\"id\":\"22222222-2222-4222-8222-222222222222\",\"name\":\"O\",\"description\":\"\"}"
#define SVC(extra)                                                                            \
	"{\"id\":\"11111111-1111-4111-8111-111111111111\",\"name\":\"S\",\"status\":\"active\"," \
	"\"organization\":" ORG extra "}"

static const char *parse_error(struct pool *p, const char *text)
{
	struct oruk_feed f;
	const char **canonical;
	struct err e = {{0}};
	if (oruk_json_parse_feed(p, text, strlen(text), &f, &canonical, &e) == 0)
		return NULL;
	CHECK(f.nservices == 0 && canonical == NULL);
	return pool_strdup(p, e.msg);
}

static void test_feed_reader(void)
{
	struct pool *p = pool_new();
	struct oruk_feed f;
	const char **canonical;
	struct err e;
	const char *ok = "{\"contents\":[" SVC(",\"minimum_age\":16,\"service_at_locations\":[{"
				     "\"id\":\"33333333-3333-4333-8333-333333333333\",\"location\":{"
				     "\"id\":\"44444444-4444-4444-8444-444444444444\","
				     "\"location_type\":\"physical\",\"latitude\":55.5,"
				     "\"longitude\":-4}}]") "]}";
	CHECK_INT(oruk_json_parse_feed(p, ok, strlen(ok), &f, &canonical, &e), 0);
	CHECK_INT(f.nservices, 1);
	CHECK_STR(f.services[0].organization.name, "O");
	CHECK(f.services[0].has_minimum_age && f.services[0].minimum_age == 16);
	CHECK_INT(f.services[0].nlocations, 1);
	CHECK(f.services[0].locations[0].location.has_position);
	CHECK(canonical[0] != NULL && strncmp(canonical[0], "{\"id\":", 6) == 0);

	CHECK_STR(parse_error(p, "{\"contents\":[" SVC("") "," SVC("") "]}"),
		  "contents[1].id: the same id as contents[0]");
	CHECK_STR(parse_error(p, "[" SVC(",\"url\":\"javascript:alert(1)\"") "]"),
		  "[0].url: not an http or https address");
	CHECK_STR(parse_error(p, "[{\"id\":\"11111111-1111-4111-8111-111111111111\",\"name\":\"S\","
				 "\"status\":\"open\",\"organization\":" ORG "}]"),
		  "[0].status: not one of the values HSDS allows");
	CHECK_STR(parse_error(p, "[{\"id\":\"11111111-1111-4111-8111-111111111111\",\"name\":\"S\","
				 "\"status\":\"active\"}]"),
		  "[0].organization: missing (each service needs its organization)");
	CHECK_STR(parse_error(p, "[" SVC(",\"contacts\":[{\"id\":\"nope\"}]") "]"),
		  "[0].contacts[0].id: not a UUID");
	CHECK_STR(parse_error(p, "{}"), "contents: missing (a service list page has its services "
					"in contents)");
	CHECK(strncmp(parse_error(p, "[1,"), "not JSON: line 1", 16) == 0);
	pool_free(p);
}

static void test_writer(void)
{
	struct buf b;
	buf_init(&b);
	struct oruk_service s = {0};
	s.id = "11111111-1111-4111-8111-111111111111";
	s.name = "Say \"hi\" <b>";
	s.organization.id = "22222222-2222-4222-8222-222222222222";
	s.organization.name = "O";
	s.last_modified = 1774778400;
	struct oruk_page pg;
	oruk_page_make(1, 25, 1, 1, &pg);
	oruk_json_services_page(&b, &pg, &s, 1);
	CHECK_STR(b.data,
		  "{\"total_items\":1,\"total_pages\":1,\"page_number\":1,\"size\":1,"
		  "\"first_page\":true,\"last_page\":true,\"empty\":false,\"contents\":[{"
		  "\"id\":\"11111111-1111-4111-8111-111111111111\","
		  "\"organization_id\":\"22222222-2222-4222-8222-222222222222\","
		  "\"name\":\"Say \\\"hi\\\" <b>\",\"status\":\"active\","
		  "\"last_modified\":\"2026-03-29T10:00:00Z\",\"organization\":{"
		  "\"id\":\"22222222-2222-4222-8222-222222222222\",\"name\":\"O\","
		  "\"description\":\"\"}}]}");
	buf_reset(&b);
	oruk_json_error(&b, 400, "page must be a whole number");
	CHECK_STR(b.data, "{\"status\":400,\"error\":\"Bad Request\",\"message\":\"page must be "
			  "a whole number\"}");
	buf_free(&b);
}

int main(void)
{
	test_datetime();
	test_page();
	test_uuid_lower();
	test_feed_reader();
	test_writer();
	return unit_finish("test_oruk");
}
