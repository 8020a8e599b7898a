#include "domain/booking_rules.h"

#include "domain/civil_date.h"
#include "domain/london_time.h"

enum booking_refusal booking_rules_check(const struct booking_facts *f)
{
	if (!f->order_active || f->hours_left_minutes <= 0)
		return BOOKING_ORDER_NOT_ACTIVE;
	if (f->now >= f->starts_at)
		return BOOKING_STARTED;
	if (f->already_booked)
		return BOOKING_ALREADY;
	if (f->booked >= f->capacity)
		return BOOKING_FULL;
	if (f->overlaps)
		return BOOKING_OVERLAP;
	if (f->upcoming_minutes >= f->hours_left_minutes)
		return BOOKING_HOURS_BOOKED;
	return BOOKING_OK;
}

const char *booking_rules_message(enum booking_refusal r)
{
	switch (r) {
	case BOOKING_OK:
		return "Booked";
	case BOOKING_ORDER_NOT_ACTIVE:
		return "You cannot book sessions at the moment because your order is not active or your hours are done. Contact your case worker if this is wrong.";
	case BOOKING_STARTED:
		return "This session has already started, so it cannot be booked. Choose another session.";
	case BOOKING_ALREADY:
		return "You have already booked this session.";
	case BOOKING_FULL:
		return "This session is full. Choose another session.";
	case BOOKING_OVERLAP:
		return "You have another session booked at the same time. Cancel that one first, or choose another session.";
	case BOOKING_HOURS_BOOKED:
		return "You have already booked enough sessions to finish your hours. You can book more if you cancel one, or after your next session.";
	}
	return "This session cannot be booked.";
}

int booking_rules_is_evening(int64_t starts_at)
{
	int64_t local = starts_at + london_offset_seconds(starts_at);
	int64_t secs = ((local % 86400) + 86400) % 86400;
	return secs >= 17 * 3600;
}

int booking_rules_is_weekend(int64_t starts_at)
{
	int wd = civil_date_weekday(london_date(starts_at));
	return wd == 0 || wd == 6;
}
