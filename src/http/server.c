/* The only file that speaks libmicrohttpd. Each request gets a pool and a struct
 * http_request on its first call; the body is gathered on later calls; the handler runs
 * on the last call, never the first, because answering before the body was consumed
 * makes MHD close the connection after every request.
 *
 * A request that writes (any method but GET and HEAD) runs on a writer thread instead of
 * the HTTP thread that read it: its connection is suspended, a writer runs the handler,
 * which waits for its commit's fdatasync (a referral for its group commit), and resumes
 * the connection, whose next call sends the answer. The few HTTP threads (four a core,
 * HTTP_THREADS_PER_CORE) so never wait for the disk, and as many writes as there are
 * writers wait on one group commit: with one thread per core and the writes on them,
 * groups were of one or two referrals and a POST held up every request of its thread's
 * connections (issue 7). */
#include "http/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/mem.h"
#include "core/utf8.h"

struct http_server {
	struct MHD_Daemon *daemon;
	struct http_server_config cfg;
	/* Requests begun (request line read) and not yet finished, so that stopping can let
	 * them finish: MHD_stop_daemon alone closes every connection, answered or not. */
	pthread_mutex_t lock;
	pthread_cond_t idle;
	int in_flight;
	/* The writers and their queue of suspended requests, first in first out. */
	pthread_t *writers;
	unsigned nwriters;
	pthread_mutex_t queue_lock;
	pthread_cond_t queue_ready;
	struct request_state *queue_head, **queue_tail;
	int stopping;
};

struct request_state {
	struct http_request req;
	struct buf body;
	int too_large;
	struct http_response res;
	/* A write waiting for, or run by, a writer: its connection, suspended meanwhile. */
	struct MHD_Connection *con;
	struct request_state *next_queued;
	int handled; /* res holds the answer: the resumed connection's call sends it */
};

static int64_t now_usec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Called by MHD with the whole request line's URI before it parses anything: we keep
 * the raw URI and do our own strict parse of path and query. */
static void *uri_logger(void *cls, const char *uri, struct MHD_Connection *con)
{
	(void)con;
	struct http_server *srv = cls;
	pthread_mutex_lock(&srv->lock);
	srv->in_flight++;
	pthread_mutex_unlock(&srv->lock);
	struct request_state *st = mem_calloc(1, sizeof(*st));
	st->req.pool = pool_new();
	st->req.raw_uri = pool_strdup(st->req.pool, uri);
	st->req.started_usec = now_usec();
	buf_init(&st->body);
	return st;
}

static void reject(struct http_request *req, int status, const char *reason)
{
	if (req->reject_status == 0) {
		req->reject_status = status;
		req->reject_reason = reason;
	}
}

static void parse_uri(struct http_request *req)
{
	const char *uri = req->raw_uri;
	const char *q = strchr(uri, '?');
	size_t plen = q ? (size_t)(q - uri) : strlen(uri);
	char *path;
	if (http_percent_decode(req->pool, uri, plen, 0, &path) != 0 || path[0] != '/') {
		req->path = "/";
		reject(req, 400, "The address is not valid.");
		return;
	}
	req->path = path;
	if (q && http_parse_urlencoded(req->pool, q + 1, strlen(q + 1), req->query,
				       HTTP_MAX_FIELDS, &req->nquery) != 0)
		reject(req, 400, "The address has a part that is not valid.");
}

static const char *header(struct MHD_Connection *con, const char *name)
{
	return MHD_lookup_connection_value(con, MHD_HEADER_KIND, name);
}

static void read_connection(struct request_state *st, struct MHD_Connection *con,
			    const char *method)
{
	struct http_request *req = &st->req;
	req->method = pool_strdup(req->pool, method);
	parse_uri(req);
	const char *ua = header(con, "User-Agent");
	req->user_agent = ua ? pool_strdup(req->pool, ua) : "";
	const char *ct = header(con, "Content-Type");
	req->content_type = ct ? pool_strdup(req->pool, ct) : NULL;
	const char *origin = header(con, "Origin");
	req->origin = origin ? pool_strdup(req->pool, origin) : NULL;
	const char *host = header(con, "Host");
	req->host = host ? pool_strdup(req->pool, host) : "";
	const char *cookie = header(con, "Cookie");
	if (cookie && http_parse_cookies(req->pool, cookie, req->cookies, HTTP_MAX_COOKIES,
					 &req->ncookies) != 0)
		req->ncookies = 0; /* a bad cookie header is treated as no cookies */

	char addr[INET6_ADDRSTRLEN] = "-";
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
				  addr, sizeof(addr));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, addr,
				  sizeof(addr));
	}
	req->remote_addr = pool_strdup(req->pool, addr);
}

static void parse_body(struct request_state *st)
{
	struct http_request *req = &st->req;
	if (st->too_large) {
		reject(req, 413, "The form sent was too large.");
		return;
	}
	if (st->body.len == 0)
		return;
	const char *ct = req->content_type ? req->content_type : "";
	if (strncmp(ct, "application/x-www-form-urlencoded", 33) != 0) {
		reject(req, 415, "Forms must be sent as application/x-www-form-urlencoded.");
		return;
	}
	if (http_parse_urlencoded(req->pool, st->body.data, st->body.len, req->form,
				  HTTP_MAX_FORM_FIELDS, &req->nform) != 0)
		reject(req, 400, "The form sent could not be read. Please go back and try again.");
}

static enum MHD_Result send_response(struct MHD_Connection *con, struct http_response *res)
{
	struct MHD_Response *r;
	if (res->static_body) {
		r = MHD_create_response_from_buffer(res->static_len, (void *)(uintptr_t)res->static_body,
						    MHD_RESPMEM_PERSISTENT);
	} else {
		size_t len;
		char *data = buf_detach(&res->body, &len);
		r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	}
	if (r == NULL)
		return MHD_NO;
	if (res->content_type)
		MHD_add_response_header(r, "Content-Type", res->content_type);
	for (size_t i = 0; i < res->nheaders; i++)
		MHD_add_response_header(r, res->headers[i].name, res->headers[i].value);
	enum MHD_Result ret = MHD_queue_response(con, (unsigned)res->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Sends the answer the handler put in st->res, and logs it. */
static enum MHD_Result answer(struct http_server *srv, struct MHD_Connection *con,
			      struct request_state *st)
{
	struct http_response *res = &st->res;
	size_t bytes = res->static_body ? res->static_len : res->body.len;
	int status = res->status;
	enum MHD_Result ret = send_response(con, res);
	buf_free(&res->body);
	if (srv->cfg.access_log) {
		int64_t usec = now_usec() - st->req.started_usec;
		log_info("%s %s %s %d %zu %.3fms", st->req.remote_addr, st->req.method,
			 st->req.path, status, bytes, (double)usec / 1000.0);
	}
	return ret;
}

static int is_write(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

static void *writer_main(void *arg)
{
	struct http_server *srv = arg;
	pthread_mutex_lock(&srv->queue_lock);
	for (;;) {
		while (srv->queue_head == NULL && !srv->stopping)
			pthread_cond_wait(&srv->queue_ready, &srv->queue_lock);
		struct request_state *st = srv->queue_head;
		if (st == NULL)
			break; /* stopping, and nothing left to run */
		srv->queue_head = st->next_queued;
		if (srv->queue_head == NULL)
			srv->queue_tail = &srv->queue_head;
		pthread_mutex_unlock(&srv->queue_lock);
		srv->cfg.handle(&st->req, &st->res, srv->cfg.ctx);
		st->handled = 1;
		MHD_resume_connection(st->con);
		pthread_mutex_lock(&srv->queue_lock);
	}
	pthread_mutex_unlock(&srv->queue_lock);
	return NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	(void)url;
	(void)version;
	struct http_server *srv = cls;
	struct request_state *st = *con_cls;
	if (st == NULL)
		return MHD_NO; /* the URI logger always runs first; this cannot happen */
	if (st->req.method == NULL) {
		read_connection(st, con, method);
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		if (st->body.len + *upload_data_size > HTTP_MAX_BODY)
			st->too_large = 1;
		else
			buf_append(&st->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}

	if (st->handled) /* resumed: a writer has run the handler */
		return answer(srv, con, st);

	parse_body(st);
	memset(&st->res, 0, sizeof(st->res));
	buf_init(&st->res.body);
	st->res.status = 200;
	if (srv->nwriters > 0 && is_write(st->req.method)) {
		st->con = con;
		MHD_suspend_connection(con);
		pthread_mutex_lock(&srv->queue_lock);
		*srv->queue_tail = st;
		srv->queue_tail = &st->next_queued;
		pthread_cond_signal(&srv->queue_ready);
		pthread_mutex_unlock(&srv->queue_lock);
		return MHD_YES;
	}
	srv->cfg.handle(&st->req, &st->res, srv->cfg.ctx);
	return answer(srv, con, st);
}

static void on_completed(void *cls, struct MHD_Connection *con, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)con;
	(void)toe;
	struct http_server *srv = cls;
	struct request_state *st = *con_cls;
	if (st == NULL)
		return;
	buf_free(&st->body);
	buf_free(&st->res.body);
	pool_free(st->req.pool);
	free(st);
	*con_cls = NULL;
	pthread_mutex_lock(&srv->lock);
	if (--srv->in_flight == 0)
		pthread_cond_broadcast(&srv->idle);
	pthread_mutex_unlock(&srv->lock);
}

static void stop_writers(struct http_server *srv)
{
	pthread_mutex_lock(&srv->queue_lock);
	srv->stopping = 1;
	pthread_cond_broadcast(&srv->queue_ready);
	pthread_mutex_unlock(&srv->queue_lock);
	for (unsigned i = 0; i < srv->nwriters; i++)
		pthread_join(srv->writers[i], NULL);
	free(srv->writers);
	srv->writers = NULL;
	srv->nwriters = 0;
}

static void free_server(struct http_server *srv)
{
	pthread_cond_destroy(&srv->queue_ready);
	pthread_mutex_destroy(&srv->queue_lock);
	pthread_cond_destroy(&srv->idle);
	pthread_mutex_destroy(&srv->lock);
	free(srv);
}

struct http_server *http_server_start(const struct http_server_config *cfg, struct err *e)
{
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)cfg->port);
	if (inet_pton(AF_INET, cfg->host, &sa.sin_addr) != 1) {
		err_set(e, "cannot listen on '%s': give a numeric IPv4 address such as 127.0.0.1",
			cfg->host);
		return NULL;
	}
	struct http_server *srv = mem_calloc(1, sizeof(*srv));
	srv->cfg = *cfg;
	pthread_mutex_init(&srv->lock, NULL);
	pthread_cond_init(&srv->idle, NULL);
	pthread_mutex_init(&srv->queue_lock, NULL);
	pthread_cond_init(&srv->queue_ready, NULL);
	srv->queue_tail = &srv->queue_head;
	unsigned threads = cfg->threads;
	if (threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = (n > 0 ? (unsigned)n : 1) * HTTP_THREADS_PER_CORE;
	}
	/* poll(), not epoll: with epoll, MHD_quiesce_daemon (how a stop lets requests in
	 * progress finish) races the worker threads removing the listening socket from their
	 * epoll sets, and libmicrohttpd 0.9.75 aborts the process ("Failed to remove listen FD
	 * from epoll set", seen once in make check under load). With poll() quiescing is a
	 * message to each worker. A worker polls its share of at most 1000 connections. */
	srv->daemon = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG |
			MHD_ALLOW_SUSPEND_RESUME,
		(uint16_t)cfg->port,
		NULL, NULL, on_request, srv,
		/* MHD's default SO_REUSEADDR lets a restart bind at once; LISTENING_ADDRESS_REUSE
		 * would add SO_REUSEPORT and let a second cairn share the port without an error. */
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(cfg->timeout_s ? cfg->timeout_s : 30),
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)(cfg->max_connections ? cfg->max_connections : 1000),
		/* Bounds the request line and headers too: MHD answers 431 past it. */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
		MHD_OPTION_URI_LOG_CALLBACK, uri_logger, srv,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
		MHD_OPTION_END);
	if (srv->daemon == NULL) {
		free_server(srv);
		err_set(e, "cannot listen on %s:%d (is the port in use?)", cfg->host, cfg->port);
		return NULL;
	}
	unsigned writers = cfg->write_threads ? cfg->write_threads : HTTP_WRITE_THREADS_DEFAULT;
	srv->writers = mem_calloc(writers, sizeof(*srv->writers));
	for (unsigned i = 0; i < writers; i++) {
		if (pthread_create(&srv->writers[i], NULL, writer_main, srv) != 0)
			break;
		srv->nwriters++;
	}
	if (srv->nwriters == 0) {
		MHD_stop_daemon(srv->daemon);
		free(srv->writers);
		free_server(srv);
		err_set(e, "cannot start the threads that run writes");
		return NULL;
	}
	return srv;
}

void http_server_stop(struct http_server *srv)
{
	if (srv == NULL)
		return;
	/* Stop accepting, let the requests already begun finish (a client that stalls is cut
	 * off by the connection timeout, which also bounds this wait), then stop: idle
	 * keep-alive connections are closed without losing anything. */
	MHD_socket listen_fd = MHD_quiesce_daemon(srv->daemon);
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += (srv->cfg.timeout_s ? srv->cfg.timeout_s : 30) + 5;
	pthread_mutex_lock(&srv->lock);
	while (srv->in_flight > 0)
		if (pthread_cond_timedwait(&srv->idle, &srv->lock, &until) != 0)
			break;
	pthread_mutex_unlock(&srv->lock);
	/* The writers finish what is queued (a request cut off by the timeout above may still
	 * be), and resume its connection, before MHD stops: it must not stop with a
	 * connection suspended. */
	stop_writers(srv);
	MHD_stop_daemon(srv->daemon);
	/* Ours to close, and only once the workers that polled it have gone. */
	if (listen_fd != MHD_INVALID_SOCKET)
		close(listen_fd);
	free_server(srv);
}
