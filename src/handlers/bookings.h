/* bookings: a client's booking: its page, the joining link, cancelling, the calendar file;
 * and the messages about it. */
#ifndef CAIRN_BOOKINGS_H
#define CAIRN_BOOKINGS_H
#include "domain/records.h"
#include "http/http.h"

void bookings_show(struct http_request *req, struct http_response *res);
void bookings_cancel(struct http_request *req, struct http_response *res);
void bookings_calendar(struct http_request *req, struct http_response *res);

/* The confirmation (cancelled 0) or cancellation (1) email with its .ics, in the pool. */
struct outbox_message bookings_message(struct http_request *req, const struct group_session *g,
				       int64_t client_id, const char *email,
				       const char *first_name, int cancelled);
/* The calendar file of a booking of g by client_id. */
const char *bookings_ics(struct http_request *req, const struct group_session *g,
			 int64_t client_id, int cancelled);

#endif
