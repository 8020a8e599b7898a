/* feedback: a client's answers about a session they attended (knowledge improved, intend
 * to apply it, a rating and a comment), once per booking. */
#ifndef CAIRN_FEEDBACK_H
#define CAIRN_FEEDBACK_H
#include "http/http.h"

/* Longest comment, in characters. */
#define FEEDBACK_COMMENT_MAX 1000

extern const char *const feedback_fields[];

void feedback_show(struct http_request *req, struct http_response *res);
void feedback_save(struct http_request *req, struct http_response *res);

#endif
