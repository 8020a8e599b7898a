/* Unit tests of the directory's rules: domain/postcode (normalising postcodes, haversine
 * distances, miles and metres, the search box) and domain/directory (FTS5 queries made
 * from hostile text, distances offered, UUIDs, labels). */
#include <math.h>
#include <string.h>

#include "core/pool.h"
#include "domain/directory.h"
#include "domain/postcode.h"
#include "unit.h"

static const char *norm(const char *text)
{
	static char out[POSTCODE_MAX];
	return postcode_normalise(text, out) == 0 ? out : NULL;
}

static void test_postcodes(void)
{
	CHECK_STR(norm("G1 1XQ"), "G1 1XQ");
	CHECK_STR(norm("g11xq"), "G1 1XQ");
	CHECK_STR(norm("  eh12   9aa "), "EH12 9AA");
	CHECK_STR(norm("KY1 1XX"), "KY1 1XX");
	CHECK_STR(norm("W1A 0AX"), "W1A 0AX");     /* A9A */
	CHECK_STR(norm("EC1A 1BB"), "EC1A 1BB");   /* AA9A */
	CHECK_STR(norm("M1 1AE"), "M1 1AE");       /* A9 */
	CHECK_STR(norm("B33 8TH"), "B33 8TH");     /* A99 */
	CHECK_STR(norm("CR2 6XH"), "CR2 6XH");     /* AA9 */
	CHECK_STR(norm("DN55 1PT"), "DN55 1PT");   /* AA99 */
	CHECK_STR(norm("G1\t1XQ"), "G1 1XQ");
	CHECK(norm(NULL) == NULL);
	CHECK(norm("") == NULL);
	CHECK(norm("G1") == NULL);
	CHECK(norm("1G 1XQ") == NULL);             /* starts with a digit */
	CHECK(norm("G1 XQ1") == NULL);             /* inward code not 9AA */
	CHECK(norm("GGG1 1XQ") == NULL);           /* three letters */
	CHECK(norm("EH123 1AA") == NULL);          /* outward too long */
	CHECK(norm("G1-1XQ") == NULL);
	CHECK(norm("G1 1XQ'; DROP TABLE postcode;--") == NULL);
	CHECK(norm("G1 1X\xc3\xa9") == NULL);
	CHECK(norm("G                1XQ") == NULL); /* longer than anyone types */
	CHECK(norm("G1 1XQQ") == NULL);
}

static void test_distances(void)
{
	/* Glasgow Central (55.8590, -4.2576) to Edinburgh Waverley (55.9520, -3.1890):
	 * 67.4 km by the haversine formula with the mean radius (computed apart, in Python). */
	double d = geo_distance_metres(55.8590, -4.2576, 55.9520, -3.1890);
	CHECK(fabs(d - 67404.67) < 0.5);
	CHECK(geo_distance_metres(56.0, -3.0, 56.0, -3.0) == 0);
	/* Symmetric, and a degree of latitude is 111.2 km. */
	CHECK(fabs(geo_distance_metres(55.0, -4.0, 56.0, -4.0) - 111195) < 5);
	CHECK(fabs(d - geo_distance_metres(55.9520, -3.1890, 55.8590, -4.2576)) < 1e-6);
	/* Antipodes: half the circumference, without NaN from rounding. */
	double half = geo_distance_metres(0, 0, 0, 180);
	CHECK(fabs(half - M_PI * GEO_EARTH_RADIUS_M) < 1);
	CHECK(fabs(geo_miles_to_metres(1) - 1609.344) < 1e-9);
	CHECK(fabs(geo_metres_to_miles(40233.6) - 25) < 1e-9);
	/* The box holds the circle: points at the radius in four directions are inside. */
	double lat = 56.1, lon = -3.2, r = geo_miles_to_metres(25), a, b, c, e;
	geo_box(lat, lon, r, &a, &b, &c, &e);
	double dlat = r / 111195.0;
	CHECK(a < lat - dlat && b > lat + dlat);
	double dlon = r / (111195.0 * cos((lat + dlat) * M_PI / 180));
	CHECK(c <= lon - dlon * 0.999 && e >= lon + dlon * 0.999);
	CHECK(geo_distance_metres(lat, lon, lat, c) > r);
	char t[24];
	geo_miles_text(geo_miles_to_metres(0.44), t, sizeof(t));
	CHECK_STR(t, "0.4 miles");
	geo_miles_text(geo_miles_to_metres(1.02), t, sizeof(t));
	CHECK_STR(t, "1 mile");
	geo_miles_text(geo_miles_to_metres(3), t, sizeof(t));
	CHECK_STR(t, "3 miles");
	geo_miles_text(geo_miles_to_metres(12.6), t, sizeof(t));
	CHECK_STR(t, "13 miles");
}

static void test_fts_query(void)
{
	struct pool *p = pool_new();
	const char *q;
	CHECK_INT(directory_fts_query(p, "bike repair", &q), 2);
	CHECK_STR(q, "(\"bike\"*) AND (\"repair\"*)");
	CHECK_INT(directory_fts_query(p, "employ", &q), 1);
	CHECK_STR(q, "(\"employ\"* OR \"emplo\"*)");
	/* FTS5 syntax and SQL only separate words. */
	CHECK_INT(directory_fts_query(p, "\"a\" OR b* NEAR(c d) ^e col:f -g +h", &q), 10);
	CHECK(strstr(q, "\"OR\"") != NULL);
	CHECK(strstr(q, "\"NEAR\"") != NULL);
	CHECK(strchr(q, ':') == NULL && strchr(q, '^') == NULL && strchr(q, '+') == NULL);
	CHECK_INT(directory_fts_query(p, "'; DROP TABLE service; --", &q), 3);
	CHECK_STR(q, "(\"DROP\"*) AND (\"TABLE\"*) AND (\"service\"*)");
	CHECK_INT(directory_fts_query(p, "\"\"\"***((()))", &q), 0);
	CHECK(q == NULL);
	CHECK_INT(directory_fts_query(p, "", &q), 0);
	CHECK_INT(directory_fts_query(p, NULL, &q), 0);
	/* Non-ASCII letters stay in words. */
	CHECK_INT(directory_fts_query(p, "caf\xc3\xa9 G\xc3\xa0idhlig", &q), 2);
	CHECK(strstr(q, "\"caf\xc3\xa9\"") != NULL);
	/* Capped: words, and the characters read. */
	char big[10241];
	for (size_t i = 0; i < sizeof(big) - 1; i++)
		big[i] = i % 6 == 5 ? ' ' : 'a';
	big[sizeof(big) - 1] = '\0';
	CHECK_INT(directory_fts_query(p, big, &q), DIRECTORY_TEXT_MAX_WORDS);
	CHECK(strlen(q) < 700);
	memset(big, 'x', sizeof(big) - 1);
	CHECK_INT(directory_fts_query(p, big, &q), 1);
	CHECK(strlen(q) < DIRECTORY_WORD_MAX_BYTES + 10);
	/* A long word of two-byte characters is cut between characters. */
	char wide[201];
	for (size_t i = 0; i < 200; i += 2) {
		wide[i] = (char)0xc3;
		wide[i + 1] = (char)0xa9;
	}
	wide[200] = '\0';
	CHECK_INT(directory_fts_query(p, wide, &q), 1);
	CHECK(strncmp(q, "(\"", 2) == 0);
	CHECK(((unsigned char)q[2 + DIRECTORY_WORD_MAX_BYTES - 1] & 0xC0) != 0xC0);
	/* One letter is no prefix. */
	CHECK_INT(directory_fts_query(p, "a", &q), 1);
	CHECK_STR(q, "(\"a\")");
	pool_free(p);
}

static void test_uuid(void)
{
	unsigned char r[16];
	memset(r, 0xff, sizeof(r));
	char u[DIRECTORY_UUID_LEN + 1];
	directory_uuid(r, u);
	CHECK_STR(u, "ffffffff-ffff-4fff-bfff-ffffffffffff");
	memset(r, 0, sizeof(r));
	directory_uuid(r, u);
	CHECK_STR(u, "00000000-0000-4000-8000-000000000000");
	CHECK(directory_uuid_valid(u));
	CHECK(directory_uuid_valid("425C41A8-F3B9-48C7-BC71-FF66476A6BF1"));
	CHECK(!directory_uuid_valid("425c41a8f3b948c7bc71ff66476a6bf1"));
	CHECK(!directory_uuid_valid("425c41a8-f3b9-48c7-bc71-ff66476a6bfg"));
	CHECK(!directory_uuid_valid("425c41a8-f3b9-48c7-bc71-ff66476a6bf1x"));
	CHECK(!directory_uuid_valid(NULL));
	CHECK(!directory_uuid_valid("' OR 1=1 --"));
}

static void test_choices(void)
{
	CHECK_INT(directory_miles_parse("1"), 1);
	CHECK_INT(directory_miles_parse("25"), 25);
	CHECK_INT(directory_miles_parse("2"), 0);
	CHECK_INT(directory_miles_parse("05"), 0);
	CHECK_INT(directory_miles_parse("100"), 0);
	CHECK_INT(directory_miles_parse("-5"), 0);
	CHECK_INT(directory_miles_parse(NULL), 0);
	CHECK_STR(directory_referral_status_label("accepted"), "Accepted");
	CHECK(directory_referral_status_label("withdrawn") == NULL);
	CHECK_STR(directory_moderation_label("pending"), "Waiting for approval");
	CHECK(directory_moderation_label("x") == NULL);
}

int main(void)
{
	test_postcodes();
	test_distances();
	test_fts_query();
	test_uuid();
	test_choices();
	return unit_finish("test_directory");
}
