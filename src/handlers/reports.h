/* reports: the weekly report as a page, CSV and XLSX, for case workers (their clients),
 * local authority leads (their authority) and coordinators and administrators (any
 * authority). */
#ifndef CAIRN_HANDLERS_REPORTS_H
#define CAIRN_HANDLERS_REPORTS_H
#include "http/http.h"

void reports_weekly(struct http_request *req, struct http_response *res);
void reports_weekly_csv(struct http_request *req, struct http_response *res);
void reports_weekly_xlsx(struct http_request *req, struct http_response *res);

#endif
