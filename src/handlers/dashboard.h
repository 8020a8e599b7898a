/* dashboard: the impact dashboard (figures by period and area, charts, tables and CSV) for
 * coordinators, administrators and local authority leads, who see only their authority. */
#ifndef CAIRN_DASHBOARD_H
#define CAIRN_DASHBOARD_H
#include "http/http.h"

void dashboard_show(struct http_request *req, struct http_response *res);
void dashboard_csv(struct http_request *req, struct http_response *res);
void dashboard_xlsx(struct http_request *req, struct http_response *res);

#endif
