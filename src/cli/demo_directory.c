/* The directory's demo data: a few organisations, services and placement offers near
 * Glasgow and Fife with the postcodes they sit at (approximate centres, for trying Cairn
 * out), an organisation user, and the demo client's postcode; and, for benchmarks, any
 * number of generated services across Scotland (cairn demo-data --services N). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "domain/directory.h"
#include "crypto/crypto.h"
#include "store/store.h"

static void directory_new_uuid(char out[DIRECTORY_UUID_LEN + 1])
{
	unsigned char r[16];
	crypto_random(r, sizeof(r));
	directory_uuid(r, out);
}

#define DEMO_ORGANISATION_USER "organisation@demo.cairn.scot"
#define DEMO_CLIENT "client@demo.cairn.scot"

/* Term ids as migrations/006_directory.sql seeds them. */
#define T_EMPLOYABILITY "ab4305e1-b5f7-4f2b-8b52-2857a099770f"
#define T_EDUCATION "67904853-4174-4ff0-aaf8-d37862d6cd5c"
#define T_HEALTH "db6b0a18-cf7f-45b8-b5b0-183025234687"
#define T_SUBSTANCE "8eece149-26a1-4993-a909-7d793c59d1b3"
#define T_HOUSING "36207c14-5f05-4993-9fc3-943d576b5040"
#define T_MONEY "96431518-4bc2-41c6-9353-ba248a6d08a7"
#define T_FAMILY "ee5c16b8-1e41-4577-8d54-6735205afd48"
#define T_VOLUNTEERING "2e935979-0ec1-449e-ba38-1c2b9ffeeabb"
#define T_DIGITAL "9f976f4b-5f13-48c1-ae9e-77c9afa5cb75"
#define T_COURSE "2daba08c-af37-4fa6-9a39-7fdea2795625"
#define T_ONE_TO_ONE "a82c5215-5fbd-42c9-a2b9-b4b90e79b758"
#define T_GROUP "c2eae6a2-31d7-4330-9787-267af65c88af"
#define T_DROP_IN "3b3c45b9-4b66-442b-873f-15f5092e24aa"
#define T_ADVICE "01b27ebc-5b99-4d5b-b12c-d83b8c468ffd"
#define T_PLACEMENT "b6b8a15e-971f-4a72-bafb-44f07f3b90b8"
#define T_VOLUNTEER_TYPE "889a1667-5183-41b0-8c8a-d58c90b66571"
#define S_CUSTOMER "58a17233-f4d6-4f9e-91c8-42765adaee2b"
#define S_CATERING "11529ce9-a2f3-4b19-95ce-63166db0aecf"
#define S_GARDENING "f069a0ba-93d3-4745-bf10-dc1b00b70ca6"
#define S_RETAIL "f123a422-9681-4036-ba1a-8fd6b517a76f"
#define S_WAREHOUSE "0e02164d-f804-4466-9fd1-68512c0a0ed9"
#define S_CONSTRUCTION "18d13013-0be8-4a43-a15c-993eaa4131a4"
#define S_ADMIN "1c44521b-5bd2-41e9-afc5-e83e8dd14b3d"
#define S_COMPUTERS "531d2ff0-27b7-46c5-b517-6e8764dfb8bb"

static const struct {
	const char *postcode;
	double latitude, longitude;
} demo_postcodes[] = {
	{"G1 1XQ", 55.8609, -4.2514},  {"G3 8AG", 55.8650, -4.2830},  {"G40 1AT", 55.8488, -4.2262},
	{"G51 4BN", 55.8615, -4.3116}, {"G31 2XT", 55.8612, -4.2200}, {"G20 7XD", 55.8860, -4.2830},
	{"G42 8AB", 55.8360, -4.2580}, {"PA1 1AA", 55.8456, -4.4239}, {"KY1 1XX", 56.1110, -3.1590},
	{"KY12 7AA", 56.0719, -3.4620}, {"KY16 9AJ", 56.3398, -2.7967}, {"KY8 4AA", 56.1950, -2.9940},
	{"KY7 5AA", 56.1953, -3.1748}, {"EH1 1YZ", 55.9533, -3.1883}, {"DD1 1AA", 56.4620, -2.9707},
	{"AB10 1AA", 57.1437, -2.0981},
};

struct demo_service {
	const char *organization, *email, *description;
	const char *name, *service_description, *address, *city, *postcode;
	int counts, typical_hours;
	const char *terms[3];
	/* A placement offer, when area is set. */
	const char *area, *times;
	int places;
	const char *skills[3];
};

static const struct demo_service demo_services[] = {
	{"Glasgow Community Bike Hub", "referrals@bikehub.example.org",
	 "A community bike workshop in the east end.",
	 "Bike repair workshop", "Learn to repair and refurbish donated bikes for people who need them. "
	 "Hands-on mechanics with a trained volunteer alongside you.",
	 "12 London Road", "Glasgow", "G40 1AT", 1, 6, {T_VOLUNTEERING, T_EMPLOYABILITY, T_VOLUNTEER_TYPE},
	 "Bike mechanics", "Tuesdays and Thursdays, 10am to 3pm", 3, {S_CONSTRUCTION, S_CUSTOMER, NULL}},
	{"Southside Food Share", "hello@southsidefood.example.org",
	 "A food share and community kitchen in Govanhill.",
	 "Community kitchen volunteering", "Cook and serve hot meals for neighbours, and learn food "
	 "hygiene on the way. Cooking skills for life.",
	 "88 Allison Street", "Glasgow", "G42 8AB", 1, 8, {T_VOLUNTEERING, T_HEALTH, T_PLACEMENT},
	 "Community kitchen", "Weekdays, 9am to 1pm", 4, {S_CATERING, S_CUSTOMER, NULL}},
	{"Clyde Employability Partnership", "referrals@clydeemploy.example.org",
	 "Employability support across Glasgow.",
	 "CV and job search course", "A six-week course: writing a CV, applications, interviews, and "
	 "talking about a conviction with employers.",
	 "1 George Square", "Glasgow", "G1 1XQ", 1, 12, {T_EMPLOYABILITY, T_EDUCATION, T_COURSE}, NULL, NULL, 0, {NULL, NULL, NULL}},
	{"Govan Recovery Cafe", "team@govanrecovery.example.org",
	 "A recovery community run by people in recovery.",
	 "Recovery peer support group", "Weekly peer support for people affected by alcohol or drug "
	 "use, with a meal together.",
	 "20 Langlands Road", "Glasgow", "G51 4BN", 1, 8, {T_SUBSTANCE, T_HEALTH, T_GROUP}, NULL, NULL, 0, {NULL, NULL, NULL}},
	{"Maryhill Digital Skills Centre", "digital@maryhill.example.org",
	 "Free computers, wifi and help to use them.",
	 "Digital skills drop-in", "Help with email, online forms, Universal Credit journals and staying "
	 "safe online. Bring your phone.",
	 "5 Maryhill Road", "Glasgow", "G20 7XD", 1, 4, {T_DIGITAL, T_EDUCATION, T_DROP_IN}, NULL, NULL, 0, {NULL, NULL, NULL}},
	{"Paisley Family Centre", "families@paisleyfc.example.org",
	 "Support for parents and families in Renfrewshire.",
	 "Parenting together group", "A group for parents: routines, managing stress, and keeping in touch "
	 "with children.",
	 "3 High Street", "Paisley", "PA1 1AA", 1, 10, {T_FAMILY, T_GROUP, NULL}, NULL, NULL, 0, {NULL, NULL, NULL}},
	{"Kirkcaldy Green Spaces Trust", "placements@kirkcaldygreen.example.org",
	 "Looking after parks and community gardens in Kirkcaldy.",
	 "Community garden placements", "Grow vegetables, build raised beds and look after green spaces "
	 "with a friendly team.",
	 "Beveridge Park", "Kirkcaldy", "KY1 1XX", 1, 6, {T_VOLUNTEERING, T_HEALTH, T_PLACEMENT},
	 "Gardening and grounds", "Mondays, Wednesdays and Fridays, 9am to 2pm", 5, {S_GARDENING, NULL, NULL}},
	{"Dunfermline Money Advice", "advice@dunfermlinemoney.example.org",
	 "Free, confidential money and benefits advice.",
	 "Benefits and budgeting advice", "One-to-one help with benefits, debt and budgeting, by "
	 "appointment or phone.",
	 "7 High Street", "Dunfermline", "KY12 7AA", 1, 2, {T_MONEY, T_ADVICE, T_ONE_TO_ONE}, NULL, NULL, 0, {NULL, NULL, NULL}},
	{"Fife Housing Support", "support@fifehousing.example.org",
	 "Tenancy sustainment across Fife.",
	 "Tenancy support", "Help to find and keep a home: tenancy rights, repairs, rent arrears.",
	 "Rothes Square", "Glenrothes", "KY7 5AA", 0, 0, {T_HOUSING, T_ONE_TO_ONE, NULL}, NULL, NULL, 0, {NULL, NULL, NULL}},
	{"St Andrews Furniture Reuse", "shop@standrewsreuse.example.org",
	 "Collecting, repairing and selling donated furniture.",
	 "Furniture reuse shop", "Work in our charity shop and warehouse: collections, repairs, sales.",
	 "50 Market Street", "St Andrews", "KY16 9AJ", 1, 6, {T_VOLUNTEERING, T_EMPLOYABILITY, T_PLACEMENT},
	 "Charity shop and warehouse", "Saturdays, 10am to 4pm", 2, {S_RETAIL, S_WAREHOUSE, S_CUSTOMER}},
};

static size_t count_terms(const char *const *ids, size_t max)
{
	size_t n = 0;
	while (n < max && ids[n])
		n++;
	return n;
}

int cli_demo_directory(struct store *s, struct pool *p, const char *hash)
{
	struct user existing;
	if (s->ops->user_by_email(s, p, DEMO_ORGANISATION_USER, &existing) == 0) {
		printf("  %-34s %s\n", DEMO_ORGANISATION_USER, "organisation (Glasgow Community Bike Hub)");
		return 0; /* made by an earlier run */
	}
	if (s->ops->postcodes_begin(s) != 0)
		return -1;
	for (size_t i = 0; i < sizeof(demo_postcodes) / sizeof(demo_postcodes[0]); i++)
		if (s->ops->postcode_put(s, demo_postcodes[i].postcode, demo_postcodes[i].latitude,
					 demo_postcodes[i].longitude) != 0) {
			s->ops->postcodes_end(s, 0);
			return -1;
		}
	if (s->ops->postcodes_end(s, 1) != 0)
		return -1;
	size_t n = sizeof(demo_services) / sizeof(demo_services[0]);
	struct directory_listing *rows = pool_alloc(p, sizeof(*rows) * n);
	memset(rows, 0, sizeof(*rows) * n);
	const char *first_org = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct demo_service *d = &demo_services[i];
		struct directory_listing *x = &rows[i];
		char *oid = pool_alloc(p, DIRECTORY_UUID_LEN + 1), *sid = pool_alloc(p, DIRECTORY_UUID_LEN + 1);
		directory_new_uuid(oid);
		directory_new_uuid(sid);
		if (first_org == NULL)
			first_org = oid;
		x->organization_id = oid;
		x->organization_name = d->organization;
		x->organization_description = d->description;
		x->organization_email = d->email;
		x->service.id = sid;
		x->service.name = d->name;
		x->service.description = d->service_description;
		x->service.counts_as_other_activity = d->counts;
		x->service.typical_minutes = d->typical_hours * 60;
		x->service.address_1 = d->address;
		x->service.city = d->city;
		x->service.postal_code = d->postcode;
		x->service.term_ids = d->terms;
		x->service.nterm_ids = count_terms(d->terms, 3);
		for (size_t k = 0; k < sizeof(demo_postcodes) / sizeof(demo_postcodes[0]); k++)
			if (strcmp(demo_postcodes[k].postcode, d->postcode) == 0) {
				x->latitude = demo_postcodes[k].latitude;
				x->longitude = demo_postcodes[k].longitude;
			}
		if (d->area) {
			char *pid = pool_alloc(p, DIRECTORY_UUID_LEN + 1);
			directory_new_uuid(pid);
			x->has_placement = 1;
			x->placement.id = pid;
			x->placement.area_of_expertise = d->area;
			x->placement.times = d->times;
			x->placement.places_available = d->places;
			x->placement.skill_ids = d->skills;
			x->placement.nskill_ids = count_terms(d->skills, 3);
		}
	}
	struct err e;
	if (s->ops->directory_load(s, rows, n, directory_new_uuid, (int64_t)time(NULL), &e) != 0) {
		fprintf(stderr, "cairn demo-data: the directory: %s\n", e.msg);
		return -1;
	}
	struct user u = {.email = DEMO_ORGANISATION_USER, .name = "Olivia Organisation",
			 .role = ROLE_ORGANISATION, .password_hash = hash,
			 .organization_id = first_org};
	int64_t id;
	if (s->ops->user_insert(s, &u, (int64_t)time(NULL), &id, &e) != 0) {
		fprintf(stderr, "cairn demo-data: %s\n", e.msg);
		return -1;
	}
	/* The demo client lives in the east end, near the bike hub. */
	struct user client;
	if (s->ops->user_by_email(s, p, DEMO_CLIENT, &client) == 0 && client.client_id)
		s->ops->client_postcode_set(s, client.client_id, "G31 2XT");
	printf("  %-34s %s\n", DEMO_ORGANISATION_USER, "organisation (Glasgow Community Bike Hub)");
	printf("Directory: %zu services near Glasgow and Fife, %zu postcodes.\n", n,
	       sizeof(demo_postcodes) / sizeof(demo_postcodes[0]));
	return 0;
}

/* ---- generated services across Scotland, for benchmarks ------------------------------ */

static const struct {
	const char *town, *outward;
	double latitude, longitude;
	int weight;
} towns[] = {
	{"Glasgow", "G", 55.8642, -4.2518, 60}, {"Edinburgh", "EH", 55.9533, -3.1883, 50},
	{"Aberdeen", "AB", 57.1497, -2.0943, 22}, {"Dundee", "DD", 56.4620, -2.9707, 15},
	{"Paisley", "PA", 55.8456, -4.4239, 8}, {"East Kilbride", "G", 55.7644, -4.1769, 7},
	{"Livingston", "EH", 55.8865, -3.5230, 6}, {"Hamilton", "ML", 55.7772, -4.0397, 6},
	{"Kirkcaldy", "KY", 56.1110, -3.1590, 5}, {"Dunfermline", "KY", 56.0719, -3.4620, 5},
	{"Inverness", "IV", 57.4778, -4.2247, 6}, {"Perth", "PH", 56.3950, -3.4308, 5},
	{"Ayr", "KA", 55.4586, -4.6292, 5}, {"Kilmarnock", "KA", 55.6117, -4.4957, 5},
	{"Stirling", "FK", 56.1165, -3.9369, 4}, {"Falkirk", "FK", 56.0019, -3.7839, 5},
	{"Dumfries", "DG", 55.0709, -3.6051, 3}, {"Greenock", "PA", 55.9486, -4.7646, 3},
	{"Motherwell", "ML", 55.7892, -3.9915, 4}, {"Elgin", "IV", 57.6498, -3.3168, 2},
	{"Galashiels", "TD", 55.6172, -2.8060, 2}, {"Oban", "PA", 56.4150, -5.4718, 1},
	{"Fort William", "PH", 56.8198, -5.1052, 1}, {"Stornoway", "HS", 58.2090, -6.3849, 1},
	{"Kirkwall", "KW", 58.9810, -2.9600, 1}, {"Lerwick", "ZE", 60.1550, -1.1450, 1},
};

static const char *const activities[] = {
	"Bike repair", "Community garden", "CV workshop", "Cooking skills", "Recovery group",
	"Money advice", "Digital drop-in", "Furniture reuse", "Charity shop", "Woodwork",
	"Litter pick", "Foodbank", "Football coaching", "Art and craft", "Walking group",
	"Job club", "Literacy support", "Music project", "Mentoring", "Housing advice",
};
static const char *const qualities[] = {
	"friendly", "hands-on", "practical", "supportive", "weekly", "confidential", "free",
	"accredited", "volunteer-led", "flexible",
};
static const char *const objects[] = {
	"employment", "training", "wellbeing", "recovery", "confidence", "budgeting", "cooking",
	"gardening", "repairs", "computers", "teamwork", "family", "housing", "fitness",
};
static const char *const categories[] = {T_EMPLOYABILITY, T_EDUCATION, T_HEALTH, T_SUBSTANCE,
					 T_HOUSING, T_MONEY, T_FAMILY, T_VOLUNTEERING, T_DIGITAL};
static const char *const types[] = {T_COURSE, T_ONE_TO_ONE, T_GROUP, T_DROP_IN, T_ADVICE,
				    T_PLACEMENT, T_VOLUNTEER_TYPE};
static const char *const skills[] = {S_CUSTOMER, S_CATERING, S_GARDENING, S_RETAIL, S_WAREHOUSE,
				     S_CONSTRUCTION, S_ADMIN, S_COMPUTERS};

/* splitmix64: the same services every run. */
static uint64_t rng_state = 0x6a09e667f3bcc909u;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static size_t pick(size_t n)
{
	return (size_t)(rng() % n);
}

static double jitter(double spread)
{
	return ((double)(rng() % 20001) / 10000.0 - 1.0) * spread;
}

#define ALPHA "ABDEFGHJLNPQRSTUWXYZ"

int cli_demo_directory_national(struct store *s, struct pool *p, int n)
{
	size_t ntowns = sizeof(towns) / sizeof(towns[0]);
	int total_weight = 0;
	for (size_t i = 0; i < ntowns; i++)
		total_weight += towns[i].weight;
	/* An organisation runs about four services. */
	size_t norgs = (size_t)n / 4 + 1;
	char (*org_ids)[DIRECTORY_UUID_LEN + 1] = pool_alloc(p, sizeof(*org_ids) * norgs);
	for (size_t i = 0; i < norgs; i++)
		directory_new_uuid(org_ids[i]);
	const size_t batch = 5000;
	struct directory_listing *rows = pool_alloc(p, sizeof(*rows) * batch);
	int64_t now = (int64_t)time(NULL);
	for (int done = 0; done < n;) {
		size_t m = (size_t)(n - done) < batch ? (size_t)(n - done) : batch;
		memset(rows, 0, sizeof(*rows) * m);
		struct pool *bp = pool_new();
		if (s->ops->postcodes_begin(s) != 0) {
			pool_free(bp);
			return -1;
		}
		for (size_t i = 0; i < m; i++) {
			size_t k = (size_t)done + i;
			int w = (int)pick((size_t)total_weight);
			size_t t = 0;
			while (w >= towns[t].weight)
				w -= towns[t++].weight;
			struct directory_listing *x = &rows[i];
			size_t org = k / 4;
			x->organization_id = org_ids[org];
			x->organization_name = pool_printf(bp, "%s %s Trust %zu", towns[t].town,
							   activities[org % 20], org + 1);
			x->organization_description = "A community organisation.";
			x->organization_email = pool_printf(bp, "referrals%zu@org.example.org", org + 1);
			char *sid = pool_alloc(bp, DIRECTORY_UUID_LEN + 1);
			directory_new_uuid(sid);
			const char *activity = activities[pick(20)];
			x->service.id = sid;
			x->service.name = pool_printf(bp, "%s in %s", activity, towns[t].town);
			x->service.description = pool_printf(
				bp, "A %s %s service for people in %s: %s, %s and %s.",
				qualities[pick(10)], activity, towns[t].town, objects[pick(14)],
				objects[pick(14)], objects[pick(14)]);
			x->service.counts_as_other_activity = pick(4) != 0;
			x->service.typical_minutes = (int)(pick(12) + 1) * 60;
			x->latitude = towns[t].latitude + jitter(0.12);
			x->longitude = towns[t].longitude + jitter(0.2);
			char *pc = pool_printf(bp, "%s%zu %zu%c%c", towns[t].outward, pick(40) + 1,
					       pick(10), ALPHA[pick(20)], ALPHA[pick(20)]);
			x->service.postal_code = pc;
			x->service.address_1 = pool_printf(bp, "%zu %s Street", pick(200) + 1, objects[pick(14)]);
			x->service.city = towns[t].town;
			const char **ids = pool_alloc(bp, sizeof(*ids) * 3);
			ids[0] = types[pick(7)];
			ids[1] = categories[pick(9)];
			ids[2] = categories[pick(9)];
			x->service.term_ids = ids;
			x->service.nterm_ids = ids[1] == ids[2] ? 2 : 3;
			if (pick(4) == 0) {
				char *pid = pool_alloc(bp, DIRECTORY_UUID_LEN + 1);
				directory_new_uuid(pid);
				x->has_placement = 1;
				x->placement.id = pid;
				x->placement.area_of_expertise = pool_printf(bp, "%s placements", activity);
				x->placement.places_available = (int)pick(6);
				x->placement.times = "Weekdays";
				const char **sk = pool_alloc(bp, sizeof(*sk) * 2);
				sk[0] = skills[pick(8)];
				sk[1] = skills[pick(8)];
				x->placement.skill_ids = sk;
				x->placement.nskill_ids = sk[0] == sk[1] ? 1 : 2;
			}
			if (s->ops->postcode_put(s, pc, x->latitude, x->longitude) != 0) {
				pool_free(bp);
				s->ops->postcodes_end(s, 0);
				return -1;
			}
		}
		if (s->ops->postcodes_end(s, 1) != 0) {
			pool_free(bp);
			return -1;
		}
		struct err e;
		int rc = s->ops->directory_load(s, rows, m, directory_new_uuid, now, &e);
		pool_free(bp);
		if (rc != 0) {
			fprintf(stderr, "cairn demo-data: the directory: %s\n", e.msg);
			return -1;
		}
		done += (int)m;
	}
	printf("Directory: %d generated services across Scotland.\n", n);
	return 0;
}
