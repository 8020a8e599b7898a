/* The demo's sessions: four weeks of them on every topic (mornings, afternoons, evenings
 * and Saturdays), and a client with an account and two bookings, so a newcomer can play
 * every role. Added once: a database that has sessions already is left alone. */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "crypto/crypto.h"
#include "domain/civil_date.h"
#include "domain/ledger.h"
#include "domain/london_time.h"
#include "domain/reference.h"
#include "store/store.h"

#define DEMO_CLIENT_EMAIL "client@demo.cairn.scot"

/* Slots in London time: weekday, hour, minute (0 = Sunday). */
static const struct {
	int weekday, hour, minute;
} slots[] = {
	{1, 10, 0}, {1, 14, 0}, {2, 10, 0}, {2, 18, 30}, {3, 14, 0}, {4, 10, 0},
	{4, 18, 30}, {5, 10, 0}, {6, 10, 0},
};

static int add_sessions(struct store *s, struct pool *p, int64_t now, int64_t facilitator_id,
			int64_t *first_ids, size_t nfirst)
{
	struct topic *topics;
	size_t ntopics = 0;
	if (s->ops->topics_list(s, p, &topics, &ntopics) != 0 || ntopics == 0)
		return -1;
	struct group_session rows[4 * 7 * 3];
	size_t n = 0, t = 0;
	int64_t today = civil_date_to_days(london_date(now));
	for (int day = 1; day <= 28; day++) {
		struct civil_date d = civil_date_from_days(today + day);
		for (size_t k = 0; k < sizeof(slots) / sizeof(slots[0]); k++) {
			if (slots[k].weekday != civil_date_weekday(d))
				continue;
			int64_t at;
			if (london_to_utc(d, slots[k].hour, slots[k].minute, &at) != 0)
				continue;
			rows[n] = (struct group_session){
				.topic_id = topics[t++ % ntopics].id,
				.starts_at = at,
				.minutes = 120,
				.capacity = 12,
				.facilitator_id = facilitator_id,
				.joining_link = pool_printf(p, "https://meet.example.org/cairn-demo-%zu", n + 1),
			};
			n++;
		}
	}
	struct err e;
	if (s->ops->sessions_add(s, rows, n, now, &e) != 0) {
		fprintf(stderr, "cairn demo-data: %s\n", e.msg);
		return -1;
	}
	struct group_session *added;
	size_t nadded = 0;
	if (s->ops->sessions_between(s, p, now, now + 29 * 86400, 0, 0, (int)nfirst, &added, &nadded) != 0)
		return -1;
	for (size_t i = 0; i < nfirst; i++)
		first_ids[i] = i < nadded ? added[i].id : 0;
	printf("  %zu sessions over the next four weeks\n", n);
	return 0;
}

/* A session three days ago that the client attended, its register taken: their home page
 * asks how it was (feedback), and the scheduler emails them the same question. */
static int add_attended(struct store *s, struct pool *p, int64_t client_id, int64_t facilitator_id,
			int64_t topic_id, struct civil_date today, int64_t now)
{
	int64_t starts;
	if (london_to_utc(civil_date_from_days(civil_date_to_days(today) - 3), 10, 0, &starts) != 0)
		return -1;
	struct group_session held = {
		.topic_id = topic_id,
		.starts_at = starts,
		.minutes = 120,
		.capacity = 12,
		.facilitator_id = facilitator_id,
		.joining_link = "https://meet.example.org/cairn-demo-attended",
	};
	struct err e;
	struct group_session *rows;
	size_t n = 0;
	int64_t booking;
	int refusal, result = -1;
	if (s->ops->sessions_add(s, &held, 1, now - 6 * 86400, &e) != 0 ||
	    s->ops->sessions_between(s, p, starts, starts + 1, 0, 0, 1, &rows, &n) != 0 || n != 1 ||
	    s->ops->booking_add(s, rows[0].id, client_id, now - 5 * 86400, NULL, &booking, &refusal) != 0 ||
	    refusal != 0)
		return -1;
	struct register_item item = {
		.booking_id = booking,
		.outcome = "attended",
		.credit_minutes = ledger_credit_minutes(ledger_outcome_parse("attended"), 120, 120),
		.minutes = 120,
	};
	if (s->ops->register_save(s, rows[0].id, facilitator_id, &item, 1, starts + 3 * 3600,
				  &result) != 0 ||
	    result != REGISTER_SAVED)
		return -1;
	return 0;
}

/* A client referred by the Glasgow demo case worker, with a password, booked on two
 * sessions. */
static int add_client(struct store *s, struct pool *p, const char *hash, int64_t now,
		      const int64_t *sessions, size_t nsessions)
{
	struct user cw;
	if (s->ops->user_by_email(s, p, "caseworker@demo.cairn.scot", &cw) != 0)
		return -1;
	char token[CRYPTO_TOKEN_LEN + 1], digest[CRYPTO_DIGEST_HEX], form[CRYPTO_TOKEN_LEN + 1];
	crypto_token(token);
	crypto_token_digest(token, digest);
	crypto_token(form);
	unsigned char random[8];
	char ref[32], order_ref[32];
	crypto_random(random, sizeof(random));
	reference_format(random, "R", ref, sizeof(ref));
	crypto_random(random, sizeof(random));
	reference_format(random, "O", order_ref, sizeof(order_ref));
	struct civil_date today = london_date(now);
	struct civil_date imposed = civil_date_from_days(civil_date_to_days(today) - 7);
	struct civil_date due = civil_date_add_months(imposed, 3);
	char imposed_iso[11], due_iso[11];
	civil_date_iso(imposed, imposed_iso);
	civil_date_iso(due, due_iso);
	struct referral_new r = {
		.case_worker_id = cw.id,
		.authority_id = cw.authority_id,
		.form_token = form,
		.reference = ref,
		.order_reference = order_ref,
		.first_name = "Jamie",
		.last_name = "Demo",
		.date_of_birth = "1994-06-15",
		.email = DEMO_CLIENT_EMAIL,
		.mobile = "07700900123",
		.court_reference = "GLA-DEMO-1",
		.imposed_on = imposed_iso,
		.complete_by = due_iso,
		.unpaid_hours = 80,
		.activity_minutes = 24 * 60,
		.access_needs = "Uses a phone, not a computer",
		.invitation_digest = digest,
		.invitation_expires_at = now + 14 * 86400,
		.now = now - 5 * 86400, /* referred last week */
	};
	const char *saved;
	struct err e;
	if (s->ops->referral_create(s, p, &r, &saved, &e) != 0) {
		fprintf(stderr, "cairn demo-data: %s\n", e.msg);
		return -1;
	}
	if (s->ops->invitation_accept(s, digest, hash, now) != 0)
		return -1;
	struct client_record c;
	struct user u;
	if (s->ops->user_by_email(s, p, DEMO_CLIENT_EMAIL, &u) != 0 ||
	    s->ops->client_get(s, p, u.client_id, &c) != 0)
		return -1;
	for (size_t i = 0; i < nsessions; i++) {
		int64_t booking;
		int refusal;
		if (sessions[i] && s->ops->booking_add(s, sessions[i], c.id, now, NULL, &booking, &refusal) != 0)
			return -1;
	}
	/* Yesterday afternoon's session, booked three days ago, whose register is still to be
	 * taken: the facilitator's first job in the demo. */
	struct user fac;
	struct topic *topics;
	size_t ntopics = 0;
	int64_t yesterday;
	if (s->ops->user_by_email(s, p, "facilitator@demo.cairn.scot", &fac) != 0 ||
	    s->ops->topics_list(s, p, &topics, &ntopics) != 0 || ntopics == 0 ||
	    london_to_utc(civil_date_from_days(civil_date_to_days(today) - 1), 14, 0, &yesterday) != 0)
		return -1;
	struct group_session past = {
		.topic_id = topics[0].id,
		.starts_at = yesterday,
		.minutes = 120,
		.capacity = 12,
		.facilitator_id = fac.id,
		.joining_link = "https://meet.example.org/cairn-demo-yesterday",
	};
	if (s->ops->sessions_add(s, &past, 1, now - 3 * 86400, &e) != 0)
		return -1;
	struct group_session *held;
	size_t nheld = 0;
	int64_t booking;
	int refusal;
	if (s->ops->sessions_between(s, p, yesterday, yesterday + 1, 0, 0, 1, &held, &nheld) != 0 ||
	    nheld != 1 ||
	    s->ops->booking_add(s, held[0].id, c.id, now - 3 * 86400, NULL, &booking, &refusal) != 0 ||
	    refusal != 0)
		return -1;
	if (add_attended(s, p, c.id, fac.id, topics[1 % ntopics].id, today, now) != 0)
		return -1;
	printf("  %-34s client (Jamie Demo), referred by the Glasgow case worker: attended a\n"
	       "  %-34s session three days ago (feedback to give), booked on yesterday's\n"
	       "  %-34s (register to take) and two to come\n",
	       DEMO_CLIENT_EMAIL, "", "");
	return 0;
}

int cli_demo_sessions(struct store *s, struct pool *p, const char *hash, int with_client)
{
	int64_t now = (int64_t)time(NULL);
	struct group_session *existing;
	size_t n = 0;
	if (s->ops->sessions_between(s, p, 0, INT64_MAX, 0, 0, 1, &existing, &n) != 0)
		return -1;
	struct user u;
	if (n > 0) {
		if (with_client && s->ops->user_by_email(s, p, DEMO_CLIENT_EMAIL, &u) == 0)
			printf("  %-34s client (Jamie Demo)\n", DEMO_CLIENT_EMAIL);
		return 0;
	}
	struct user fac;
	if (s->ops->user_by_email(s, p, "facilitator@demo.cairn.scot", &fac) != 0)
		return -1;
	int64_t first[4];
	if (add_sessions(s, p, now, fac.id, first, 4) != 0)
		return -1;
	/* The second and fourth sessions: the first may start too soon to show a reminder. */
	int64_t booked[2] = {first[1], first[3]};
	return with_client ? add_client(s, p, hash, now, booked, 2) : 0;
}
