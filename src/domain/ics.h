/* ics: iCalendar files (RFC 5545) for bookings, with times in Europe/London. */
#ifndef CAIRN_ICS_H
#define CAIRN_ICS_H
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct ics_event {
	const char *uid;          /* stable for the booking, so a cancellation replaces it */
	int64_t starts_at;        /* UTC seconds */
	int minutes;
	const char *summary;
	const char *description;  /* may be NULL */
	const char *url;          /* may be NULL */
	int cancelled;
	int sequence;             /* grows with each change: a cancellation is higher */
};

/* Appends a whole VCALENDAR with the events to out: CRLF line endings, lines folded at
 * 75 octets, text escaped. method is "PUBLISH", "REQUEST" or "CANCEL". */
void ics_write(struct buf *out, const char *method, const struct ics_event *events, size_t n,
	       int64_t now);

#endif
