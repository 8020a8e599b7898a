/* booking_rules: whether a client may book a session (SPEC.md section 3). The store
 * gathers the facts inside the booking's transaction, so the answer holds under
 * concurrent requests. */
#ifndef CAIRN_BOOKING_RULES_H
#define CAIRN_BOOKING_RULES_H
#include <stdint.h>

struct booking_facts {
	int64_t now;
	int64_t starts_at;
	int capacity;
	int booked;               /* bookings the session has now */
	int order_active;         /* the referral is live and the order not past its date */
	int already_booked;       /* this client has booked this session */
	int overlaps;             /* this client has another booking at an overlapping time */
	int hours_left_minutes;   /* activity minutes not yet counted */
	int upcoming_minutes;     /* minutes of this client's booked sessions not yet held */
};

enum booking_refusal {
	BOOKING_OK = 0,
	BOOKING_ORDER_NOT_ACTIVE,
	BOOKING_STARTED,
	BOOKING_ALREADY,
	BOOKING_FULL,
	BOOKING_OVERLAP,
	BOOKING_HOURS_BOOKED,
};

enum booking_refusal booking_rules_check(const struct booking_facts *f);
/* What to tell the client, in plain words. */
const char *booking_rules_message(enum booking_refusal r);

/* Evening (starts 5pm or later, London time) and weekend (Saturday or Sunday) sessions. */
int booking_rules_is_evening(int64_t starts_at);
int booking_rules_is_weekend(int64_t starts_at);
/* The joining link is shown from this long before the start until the end. */
#define BOOKING_JOIN_BEFORE_S (15 * 60)

#endif
