/* schedule: coordinators keep the topics and schedule sessions, one or a weekly series. */
#ifndef CAIRN_SCHEDULE_H
#define CAIRN_SCHEDULE_H
#include "http/http.h"

extern const char *const schedule_fields[];
extern const char *const schedule_topic_fields[];

void schedule_list(struct http_request *req, struct http_response *res);
void schedule_new(struct http_request *req, struct http_response *res);
void schedule_create(struct http_request *req, struct http_response *res);
void schedule_topic_add(struct http_request *req, struct http_response *res);

/* "18:00", "6pm", "6:30 pm", "0930" -> hour and minute; -1 when it is not a time. */
int schedule_parse_time(const char *text, int *hour, int *minute);

#endif
