/* cairn demo-data: the demo accounts, and with --scale national a data set the size of
 * Scotland's for benchmarks (bench/run) and for trying Cairn at size. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "crypto/crypto.h"
#include "domain/civil_date.h"
#include "domain/hours_rules.h"
#include "domain/london_time.h"
#include "domain/reference.h"
#include "store/store.h"

/* The demo accounts, printed by make demo. The password is public: demo data only. */
#define DEMO_PASSWORD "cairn-demo-password"

static const struct {
	const char *email, *name, *role, *authority;
} demo_users[] = {
	{"admin@demo.cairn.scot", "Alex Admin", "administrator", NULL},
	{"coordinator@demo.cairn.scot", "Callum Coordinator", "coordinator", NULL},
	{"caseworker@demo.cairn.scot", "Kirsty Caseworker", "case_worker", "Glasgow City"},
	{"caseworker.fife@demo.cairn.scot", "Fraser Fife", "case_worker", "Fife"},
	{"facilitator@demo.cairn.scot", "Farah Facilitator", "facilitator", NULL},
	{"lead@demo.cairn.scot", "Lorna Lead", "authority_lead", "Glasgow City"},
};

/* ---- the national data set ------------------------------------------------------ */

/* Scotland: 32 authorities, about 600 justice social workers who refer, 20,000 clients on
 * an order. The demo case worker has exactly one full page of "My referrals". */
#define NATIONAL_CASE_WORKERS 600
#define NATIONAL_CLIENTS 20000
#define DEMO_CASE_WORKER_REFERRALS 50
#define DEMO_CASE_WORKER "caseworker@demo.cairn.scot"
#define DEMO_CLIENT "client@demo.cairn.scot"
/* Group sessions over three years and the next four weeks: a few a day in the years whose
 * orders are over (their clients are not in the data set), many a day in the last 200
 * days, where the 20,000 active orders book about two sessions a week each until their
 * activity hours are booked: about 500,000 bookings. */
#define NATIONAL_FACILITATORS 60
#define SESSIONS_DAYS_BACK (3 * 365)
#define SESSIONS_DAYS_AHEAD 28
#define SESSIONS_BUSY_DAYS 200
#define SESSIONS_QUIET_PER_DAY 8
#define SESSIONS_BUSY_PER_DAY 150
#define SESSION_CAPACITY 16

/* Rough populations in thousands: each authority gets case workers, and so clients, in
 * proportion. Names as the migration seeds them. */
static const struct {
	const char *name, *slug;
	int weight;
} authorities[] = {
	{"Aberdeen City", "aberdeen-city", 227}, {"Aberdeenshire", "aberdeenshire", 261},
	{"Angus", "angus", 116}, {"Argyll and Bute", "argyll-and-bute", 86},
	{"City of Edinburgh", "edinburgh", 525}, {"Clackmannanshire", "clackmannanshire", 52},
	{"Dumfries and Galloway", "dumfries-and-galloway", 148}, {"Dundee City", "dundee", 148},
	{"East Ayrshire", "east-ayrshire", 122},
	{"East Dunbartonshire", "east-dunbartonshire", 109},
	{"East Lothian", "east-lothian", 107}, {"East Renfrewshire", "east-renfrewshire", 96},
	{"Falkirk", "falkirk", 160}, {"Fife", "fife", 374}, {"Glasgow City", "glasgow", 635},
	{"Highland", "highland", 238}, {"Inverclyde", "inverclyde", 77},
	{"Midlothian", "midlothian", 93}, {"Moray", "moray", 94},
	{"Na h-Eileanan Siar", "eilean-siar", 27}, {"North Ayrshire", "north-ayrshire", 134},
	{"North Lanarkshire", "north-lanarkshire", 341}, {"Orkney Islands", "orkney", 22},
	{"Perth and Kinross", "perth-and-kinross", 153}, {"Renfrewshire", "renfrewshire", 179},
	{"Scottish Borders", "borders", 116}, {"Shetland Islands", "shetland", 23},
	{"South Ayrshire", "south-ayrshire", 112}, {"South Lanarkshire", "south-lanarkshire", 322},
	{"Stirling", "stirling", 94}, {"West Dunbartonshire", "west-dunbartonshire", 88},
	{"West Lothian", "west-lothian", 184},
};
#define NAUTHORITIES (sizeof(authorities) / sizeof(authorities[0]))

static const char *const first_names[] = {
	"Aileen", "Alasdair", "Amy", "Andrew", "Ava", "Blair", "Callum", "Caitlin", "Craig",
	"Darren", "Declan", "Eilidh", "Emma", "Euan", "Fiona", "Gary", "Grace", "Hamish", "Iona",
	"Isla", "Jamie", "Jordan", "Kayleigh", "Kieran", "Kirsty", "Lewis", "Lisa", "Mhairi",
	"Morag", "Murray", "Nicola", "Niamh", "Paul", "Rachel", "Ross", "Ryan", "Shona", "Stacey",
	"Stuart", "Zoe",
};
static const char *const last_names[] = {
	"Anderson", "Boyle", "Brown", "Cameron", "Campbell", "Docherty", "Donnelly", "Ferguson",
	"Fraser", "Gallacher", "Graham", "Hamilton", "Henderson", "Hughes", "Johnston", "Kerr",
	"MacDonald", "MacKenzie", "MacLeod", "Martin", "McGregor", "McLean", "Mitchell", "Morrison",
	"Murray", "O'Donnell", "O'Neill", "Paterson", "Reid", "Robertson", "Ross", "Scott",
	"Sinclair", "Smith", "Stewart", "Taylor", "Thomson", "Walker", "Watson", "Wilson",
};
#define NFIRST_NAMES (sizeof(first_names) / sizeof(first_names[0]))
#define NLAST_NAMES (sizeof(last_names) / sizeof(last_names[0]))
static const char *const access_needs[] = {
	"Has only a phone, no computer.",
	"Prefers large print; finds long forms hard.",
	"Uses a screen reader.",
	"Dyslexia: prefers to be told things rather than read them.",
	"Works shifts; evenings or weekends only.",
};
static const char *const group_notes[] = {
	"Should not be in the same group as co-accused (see case notes).",
	"Anxious in groups; camera off is fine to start with.",
	"Recently moved area; keep address out of group discussion.",
};
static const int unpaid_hours_choices[] = {40, 60, 80, 100, 100, 120, 150, 150, 200, 250, 300};

/* splitmix64: the same data set every run, so figures compare across runs. */
static uint64_t rng_state = 0x43a1b2c3d4e5f607u;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* A number from 0 to n - 1. */
static size_t pick(size_t n)
{
	return (size_t)(rng() % n);
}

/* The i-th of up to 31^8 distinct references with this prefix: i times a step that shares
 * no factor with 31^8 is a bijection of 0..31^8-1, so no two collide, yet they do not read
 * as a sequence. */
static const char *reference_nth(struct pool *p, const char *prefix, uint64_t i, uint64_t step)
{
	const uint64_t space = 852891037441u; /* 31^8 */
	uint64_t v = (i + 1) * step % space;
	unsigned char bytes[8];
	for (int k = 7; k >= 0; k--) {
		bytes[k] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
	char out[REFERENCE_MAX];
	reference_format(bytes, prefix, out, sizeof(out));
	return pool_strdup(p, out);
}

static const char *iso_date(struct pool *p, struct civil_date d)
{
	char *s = pool_alloc(p, 11);
	civil_date_iso(d, s);
	return s;
}

/* How far a referral has come depends on how long ago it was sent. */
static const char *status_for_age(int64_t age_days)
{
	size_t r = pick(100);
	if (age_days < 14)
		return r < 60 ? "sent" : "welcomed";
	if (r < 5)
		return "withdrawn";
	if (r < 15)
		return age_days > 60 ? "completed" : "welcomed";
	return "active";
}

static void national_referral(struct pool *p, struct store_demo_referral *x, size_t i,
			      int64_t authority_id, const char *slug, int64_t now)
{
	struct referral_new *r = &x->r;
	/* Every order is active: imposed recently enough that its completion date (3 months
	 * on for level 1, 6 for level 2) is still ahead; referred within two weeks of it, at a
	 * time of the working day. */
	r->unpaid_hours = unpaid_hours_choices[pick(sizeof(unpaid_hours_choices) /
						    sizeof(unpaid_hours_choices[0]))];
	int64_t span = hours_rules_level(r->unpaid_hours) == 1 ? 88 : 180;
	int64_t today = now / 86400;
	int64_t imposed_day = today - 1 - (int64_t)pick((size_t)span - 1);
	int64_t since = today - imposed_day;
	int64_t day = imposed_day + (int64_t)pick((size_t)(since < 15 ? since : 15));
	int64_t age_days = today - day;
	r->now = day * 86400 + 8 * 3600 + (int64_t)pick(9 * 3600);
	if (r->now > now)
		r->now = now - 60;
	x->status = status_for_age(age_days);

	r->authority_id = authority_id;
	r->first_name = first_names[pick(NFIRST_NAMES)];
	r->last_name = last_names[pick(NLAST_NAMES)];
	struct civil_date sent = civil_date_from_days(day);
	struct civil_date dob = {1962 + (int)pick(44), 1 + (int)pick(12), 1 + (int)pick(28)};
	r->date_of_birth = iso_date(p, dob);
	if (pick(10) < 8)
		r->email = pool_printf(p, "client%05zu@example.org", i);
	if (pick(10) < 7)
		r->mobile = pool_printf(p, "07700 900%03zu", pick(1000));
	if (pick(10) < 9)
		r->case_reference = pool_printf(p, "CF%07zu", 1000000 + pick(9000000));
	/* As a sheriff court might write it: the court's letters, year and a number. */
	char court[4] = {0};
	for (int k = 0; k < 3 && slug[k]; k++)
		court[k] = slug[k] >= 'a' && slug[k] <= 'z' ? (char)(slug[k] - 'a' + 'A') : 'X';
	r->court_reference = pool_printf(p, "%s/%d/%05zu", court, sent.year, i);
	r->reference = reference_nth(p, "R", i, 618033988749u);
	r->order_reference = reference_nth(p, "O", i, 414213562373u);
	r->form_token = pool_printf(p, "national-demo-%05zu", i);

	struct civil_date imposed = civil_date_from_days(imposed_day);
	r->activity_minutes =
		hours_rules_activity_cap(r->unpaid_hours, HOURS_DEFAULT_CAP_PERCENT) * 60;
	r->imposed_on = iso_date(p, imposed);
	r->complete_by = iso_date(p, hours_rules_default_complete_by(imposed, r->unpaid_hours));
	if (pick(10) == 0)
		r->access_needs =
			access_needs[pick(sizeof(access_needs) / sizeof(access_needs[0]))];
	if (pick(20) == 0)
		r->group_notes = group_notes[pick(sizeof(group_notes) / sizeof(group_notes[0]))];

	/* Clients who were welcomed have accepted their invitation and have an account. */
	if (strcmp(x->status, "sent") != 0 && strcmp(x->status, "withdrawn") != 0)
		x->account_email =
			r->email ? r->email
				 : pool_printf(p, "client%05zu@clients.demo.cairn.scot", i);
}

/* London start times of the day's sessions, cycled through. */
static const struct {
	int hour, minute;
} session_times[] = {{9, 30}, {10, 0}, {11, 0}, {13, 0}, {14, 0}, {15, 30}, {18, 0}, {18, 30}, {19, 0}};
static const int session_minutes[] = {60, 90, 120, 120};

/* Sessions, day by day; first_of_day[k] is the first session of day k (day 0 the first),
 * first_of_day[ndays] their count. */
static struct store_demo_session *national_sessions(struct pool *p, const struct topic *topics,
						    size_t ntopics, size_t first_facilitator,
						    int64_t today, size_t ndays, size_t *first_of_day)
{
	size_t cap = (ndays - SESSIONS_BUSY_DAYS - SESSIONS_DAYS_AHEAD) * SESSIONS_QUIET_PER_DAY +
		     (SESSIONS_BUSY_DAYS + SESSIONS_DAYS_AHEAD + 1) * SESSIONS_BUSY_PER_DAY;
	struct store_demo_session *g = pool_alloc(p, sizeof(*g) * cap);
	size_t n = 0;
	for (size_t k = 0; k < ndays; k++) {
		first_of_day[k] = n;
		int64_t day = today - SESSIONS_DAYS_BACK + (int64_t)k;
		size_t per_day = day >= today - SESSIONS_BUSY_DAYS ? SESSIONS_BUSY_PER_DAY
								   : SESSIONS_QUIET_PER_DAY;
		for (size_t j = 0; j < per_day && n < cap; j++) {
			int64_t at;
			size_t t = j % (sizeof(session_times) / sizeof(session_times[0]));
			if (london_to_utc(civil_date_from_days(day), session_times[t].hour,
					  session_times[t].minute, &at) != 0)
				continue;
			g[n++] = (struct store_demo_session){
				.topic_id = topics[pick(ntopics)].id,
				.starts_at = at,
				.minutes = session_minutes[pick(sizeof(session_minutes) /
								sizeof(session_minutes[0]))],
				.capacity = SESSION_CAPACITY,
				.facilitator = first_facilitator + pick(NATIONAL_FACILITATORS),
			};
		}
	}
	first_of_day[ndays] = n;
	return g;
}

/* A register outcome for a session held: mostly attended. */
static void national_outcome(struct store_demo_booking *b, int minutes)
{
	size_t r = pick(100);
	b->reason = NULL;
	if (r < 78) {
		b->outcome = "attended";
		b->minutes = minutes;
	} else if (r < 84) {
		b->outcome = "attended_part";
		b->minutes = minutes / 2;
	} else if (r < 92) {
		b->outcome = "did_not_attend";
		b->minutes = 0;
	} else if (r < 98) {
		b->outcome = "absence_accepted";
		b->reason = "Illness (self-certified)";
		b->minutes = 0;
	} else {
		b->outcome = "failed_to_comply";
		b->minutes = 0;
	}
}

/* Each client with an account books a session every one to three days from a few days
 * after the referral to four weeks ahead, while the minutes booked stay within the
 * order's activity minutes (the booking rule), into sessions with a place left. */
static struct store_demo_booking *national_bookings(struct pool *p,
						    const struct store_demo_referral *refs,
						    size_t nrefs, struct store_demo_session *g,
						    const size_t *first_of_day, int64_t today,
						    int64_t now, size_t *count)
{
	size_t cap = 700000;
	struct store_demo_booking *b = pool_alloc(p, sizeof(*b) * cap);
	int *booked = pool_alloc(p, sizeof(int) * (first_of_day[SESSIONS_DAYS_BACK +
									SESSIONS_DAYS_AHEAD + 1] + 1));
	memset(booked, 0, sizeof(int) * first_of_day[SESSIONS_DAYS_BACK + SESSIONS_DAYS_AHEAD + 1]);
	int64_t first_day = today - SESSIONS_DAYS_BACK;
	size_t n = 0;
	for (size_t i = 0; i < nrefs && n < cap; i++) {
		const struct store_demo_referral *x = &refs[i];
		if (x->account_email == NULL)
			continue;
		int used = 0; /* minutes credited, or booked and not yet held */
		for (int64_t day = x->r.now / 86400 + 3 + (int64_t)pick(3);
		     day <= today + SESSIONS_DAYS_AHEAD && n < cap; day += 1 + (int64_t)pick(3)) {
			size_t k = (size_t)(day - first_day);
			size_t from = first_of_day[k], to = first_of_day[k + 1];
			if (to == from)
				continue;
			size_t sid = from + pick(to - from), tries = 0;
			while (booked[sid] >= g[sid].capacity && tries++ < to - from)
				sid = sid + 1 < to ? sid + 1 : from;
			if (booked[sid] >= g[sid].capacity || used + g[sid].minutes > x->r.activity_minutes)
				continue;
			struct store_demo_booking *k_ = &b[n];
			memset(k_, 0, sizeof(*k_));
			k_->session = sid;
			k_->referral = i;
			k_->created_at = g[sid].starts_at - 86400 * (2 + (int64_t)pick(6)) -
					 (int64_t)pick(8 * 3600);
			if (k_->created_at < x->r.now)
				k_->created_at = x->r.now + 600;
			if (k_->created_at >= now)
				k_->created_at = now - 60;
			int64_t ends = g[sid].starts_at + g[sid].minutes * 60;
			if (pick(100) < 5 && g[sid].starts_at - k_->created_at > 3 * 3600) {
				/* Cancelled a little while before the start. */
				k_->cancelled_at = k_->created_at + (g[sid].starts_at - k_->created_at) / 2;
				if (k_->cancelled_at < now) {
					n++;
					continue;
				}
				k_->cancelled_at = 0;
			}
			booked[sid]++;
			/* Reminded the day before; or, booked within a day, the confirmation was. */
			if (g[sid].starts_at - 86400 < now)
				k_->reminder_at = g[sid].starts_at - 86400 > k_->created_at
							  ? g[sid].starts_at - 86400
							  : k_->created_at;
			if (ends + 3 * 3600 < now) {
				national_outcome(k_, g[sid].minutes);
				k_->recorded_at = ends + 600 + (int64_t)pick(2 * 3600);
				used += k_->minutes;
			} else {
				used += g[sid].minutes;
			}
			n++;
		}
	}
	*count = n;
	return b;
}

/* Adds the national data set; the demo accounts are there already. */
static int national(struct store *s, struct pool *p, const char *hash)
{
	int64_t now = (int64_t)time(NULL);
	struct user demo;
	if (s->ops->user_by_email(s, p, DEMO_CASE_WORKER, &demo) != 0) {
		fprintf(stderr, "cairn demo-data: no %s\n", DEMO_CASE_WORKER);
		return 1;
	}

	/* Case workers: the demo one first, then each authority's share of the rest. */
	struct user *staff = pool_alloc(p, sizeof(*staff) * (NATIONAL_CASE_WORKERS + NAUTHORITIES +
							     NATIONAL_FACILITATORS));
	size_t nstaff = 0;
	staff[nstaff++] = demo;
	int total_weight = 0;
	for (size_t a = 0; a < NAUTHORITIES; a++)
		total_weight += authorities[a].weight;
	const char *slug_of[NATIONAL_CASE_WORKERS + NAUTHORITIES];
	slug_of[0] = "glasgow";
	int cumulative = 0;
	for (size_t a = 0; a < NAUTHORITIES; a++) {
		struct authority au;
		if (s->ops->authority_by_name(s, p, authorities[a].name, &au) != 0) {
			fprintf(stderr, "cairn demo-data: no authority %s\n", authorities[a].name);
			return 1;
		}
		/* Rounding the running total makes the shares add up to exactly the rest. */
		int before = (NATIONAL_CASE_WORKERS - 1) * cumulative / total_weight;
		cumulative += authorities[a].weight;
		int share = (NATIONAL_CASE_WORKERS - 1) * cumulative / total_weight - before;
		for (int k = 0; k < share; k++) {
			struct user *u = &staff[nstaff];
			slug_of[nstaff] = authorities[a].slug;
			nstaff++;
			u->email = pool_printf(p, "caseworker%02d@%s.demo.cairn.scot", k + 1,
					       authorities[a].slug);
			u->name = pool_printf(p, "%s %s", first_names[pick(NFIRST_NAMES)],
					      last_names[pick(NLAST_NAMES)]);
			u->role = ROLE_CASE_WORKER;
			u->authority_id = au.id;
			u->authority_name = authorities[a].name;
			u->password_hash = hash;
		}
	}

	size_t ncase_workers = nstaff;
	for (int k = 0; k < NATIONAL_FACILITATORS; k++) {
		struct user *u = &staff[nstaff++];
		u->email = pool_printf(p, "facilitator%02d@national.demo.cairn.scot", k + 1);
		u->name = pool_printf(p, "%s %s", first_names[pick(NFIRST_NAMES)],
				      last_names[pick(NLAST_NAMES)]);
		u->role = ROLE_FACILITATOR;
		u->password_hash = hash;
	}

	/* Referrals: one page for the demo case worker, the rest dealt round the others. */
	struct store_demo_referral *refs = pool_alloc(p, sizeof(*refs) * NATIONAL_CLIENTS);
	for (size_t i = 0; i < NATIONAL_CLIENTS; i++) {
		size_t w = i < DEMO_CASE_WORKER_REFERRALS
				   ? 0
				   : 1 + (i - DEMO_CASE_WORKER_REFERRALS) % (ncase_workers - 1);
		refs[i].case_worker = w;
		national_referral(p, &refs[i], i, staff[w].authority_id, slug_of[w], now);
	}
	/* The bench signs in as one client of the demo case worker. */
	refs[0].status = "active";
	refs[0].account_email = DEMO_CLIENT;

	struct topic *topics;
	size_t ntopics = 0;
	if (s->ops->topics_list(s, p, &topics, &ntopics) != 0 || ntopics == 0) {
		fprintf(stderr, "cairn demo-data: no topics\n");
		return 1;
	}
	int64_t today = civil_date_to_days(london_date(now));
	size_t ndays = SESSIONS_DAYS_BACK + SESSIONS_DAYS_AHEAD + 1;
	size_t *first_of_day = pool_alloc(p, sizeof(size_t) * (ndays + 1));
	struct store_demo_session *sessions =
		national_sessions(p, topics, ntopics, ncase_workers, today, ndays, first_of_day);
	size_t nbookings;
	struct store_demo_booking *bookings = national_bookings(
		p, refs, NATIONAL_CLIENTS, sessions, first_of_day, today, now, &nbookings);

	struct store_demo d = {
		.staff = staff,
		.nstaff = nstaff,
		.referrals = refs,
		.nreferrals = NATIONAL_CLIENTS,
		.sessions = sessions,
		.nsessions = first_of_day[ndays],
		.bookings = bookings,
		.nbookings = nbookings,
		.account_password_hash = hash,
		.now = now,
	};
	struct err e;
	if (s->ops->demo_load(s, &d, &e) != 0) {
		fprintf(stderr, "cairn demo-data: %s\n", e.msg);
		return 1;
	}
	size_t accounts = 0;
	for (size_t i = 0; i < NATIONAL_CLIENTS; i++)
		accounts += refs[i].account_email != NULL;
	printf("  %-34s %s\n", DEMO_CLIENT, "client (of Kirsty Caseworker)");
	printf("National data: %zu local authorities, %zu case workers, %d clients with an order "
	       "and a referral (%zu with an account); %s has %d referrals.\n",
	       NAUTHORITIES, ncase_workers, NATIONAL_CLIENTS, accounts, DEMO_CASE_WORKER,
	       DEMO_CASE_WORKER_REFERRALS);
	printf("National sessions: %d facilitators, %zu group sessions over three years and the "
	       "next four weeks, %zu bookings.\n",
	       NATIONAL_FACILITATORS, d.nsessions, nbookings);
	return 0;
}

int cli_demo_data(int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		printf("usage: cairn demo-data --db PATH [--scale national] [--services N]\n\n"
		       "Adds demo accounts, one for each staff role, all with the password\n"
		       "\"" DEMO_PASSWORD "\". For trying Cairn out, never for real use.\n\n"
		       "  --scale national  also adds a country's worth of data, into a database\n"
		       "                    with no clients yet: about %d case workers across the\n"
		       "                    32 local authorities and %d clients, each with an\n"
		       "                    order and a referral; %s\n"
		       "                    has %d of them, and %s signs in\n"
		       "                    as one of their clients.\n"
		       "  --services N      also adds N generated directory services across\n"
		       "                    Scotland, with their postcodes (for benchmarks).\n",
		       NATIONAL_CASE_WORKERS, NATIONAL_CLIENTS, DEMO_CASE_WORKER,
		       DEMO_CASE_WORKER_REFERRALS, DEMO_CLIENT);
		return 0;
	}
	const char *db = NULL, *scale = NULL;
	int services = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0) {
			if ((db = cli_value(argc, argv, &i)) == NULL)
				return 2;
		} else if (strcmp(argv[i], "--scale") == 0) {
			if ((scale = cli_value(argc, argv, &i)) == NULL)
				return 2;
			if (strcmp(scale, "national") != 0) {
				fprintf(stderr, "cairn demo-data: --scale takes national\n");
				return 2;
			}
		} else if (strcmp(argv[i], "--services") == 0) {
			const char *n = cli_value(argc, argv, &i);
			if (n == NULL)
				return 2;
			char *end;
			long v = strtol(n, &end, 10);
			if (*end != '\0' || v < 1 || v > 1000000) {
				fprintf(stderr, "cairn demo-data: --services takes a number from 1 to 1000000\n");
				return 2;
			}
			services = (int)v;
		} else {
			fprintf(stderr, "cairn demo-data: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (db == NULL) {
		fprintf(stderr, "cairn demo-data: --db PATH is required\n");
		return 2;
	}
	struct err e;
	if (crypto_init(&e) != 0) {
		fprintf(stderr, "cairn demo-data: %s\n", e.msg);
		return 1;
	}
	struct store *s = cli_open(db);
	if (s == NULL)
		return 1;
	struct pool *p = pool_new();
	char hash[CRYPTO_PASSWORD_HASH_MAX];
	int rc = 0;
	if (crypto_password_hash(DEMO_PASSWORD, hash) != 0) {
		fprintf(stderr, "cairn demo-data: not enough memory to hash a password\n");
		rc = 1;
	}
	printf("Demo sign-ins (password for all: %s):\n", DEMO_PASSWORD);
	for (size_t i = 0; rc == 0 && i < sizeof(demo_users) / sizeof(demo_users[0]); i++) {
		struct user u = {.email = demo_users[i].email, .name = demo_users[i].name,
				 .role = role_parse(demo_users[i].role), .password_hash = hash};
		struct authority a;
		if (demo_users[i].authority) {
			if (s->ops->authority_by_name(s, p, demo_users[i].authority, &a) != 0) {
				fprintf(stderr, "cairn demo-data: no authority %s\n", demo_users[i].authority);
				rc = 1;
				break;
			}
			u.authority_id = a.id;
		}
		struct user existing;
		int64_t id;
		if (s->ops->user_by_email(s, p, u.email, &existing) == 0) {
			/* Already there from an earlier run: demo data is idempotent. */
		} else if (s->ops->user_insert(s, &u, (int64_t)time(NULL), &id, &e) != 0) {
			fprintf(stderr, "cairn demo-data: %s\n", e.msg);
			rc = 1;
			break;
		}
		printf("  %-34s %s%s%s\n", u.email, role_label(u.role),
		       demo_users[i].authority ? ", " : "",
		       demo_users[i].authority ? demo_users[i].authority : "");
	}
	if (rc == 0 && scale != NULL)
		rc = national(s, p, hash);
	/* After the national set, which wants a database without clients. */
	if (rc == 0 && cli_demo_sessions(s, p, hash, scale == NULL) != 0) {
		fprintf(stderr, "cairn demo-data: the demo sessions could not be added\n");
		rc = 1;
	}
	/* After the sessions, whose client gets a postcode. */
	if (rc == 0 && cli_demo_directory(s, p, hash) != 0) {
		fprintf(stderr, "cairn demo-data: the directory's demo data could not be added\n");
		rc = 1;
	}
	if (rc == 0 && services > 0 && cli_demo_directory_national(s, p, services) != 0) {
		fprintf(stderr, "cairn demo-data: the generated services could not be added\n");
		rc = 1;
	}
	pool_free(p);
	s->ops->close(s);
	return rc;
}
