/* server: the HTTP daemon (libmicrohttpd underneath). */
#ifndef CAIRN_SERVER_H
#define CAIRN_SERVER_H

#include "core/err.h"
#include "http/http.h"

typedef void (*http_handler_fn)(struct http_request *req, struct http_response *res, void *ctx);

struct http_server_config {
	const char *host;      /* numeric IPv4 address to bind, e.g. "127.0.0.1" */
	int port;
	unsigned threads;      /* HTTP threads; 0 means HTTP_THREADS_PER_CORE a core */
	unsigned write_threads; /* threads that run writes (server.c); 0 means
				 * HTTP_WRITE_THREADS_DEFAULT */
	unsigned timeout_s;    /* idle connection timeout */
	unsigned max_connections;
	int access_log;        /* one line per request on stderr */
	http_handler_fn handle;
	void *ctx;
};

struct http_server;

/* A read still waits now and then: for SQLite's locks (the WAL read lock is a mutex and a
 * fcntl shared by every connection of the process) and for the CPU after being preempted
 * holding them. With one HTTP thread a core a core then idled or went to other work; with
 * four, My referrals answered 14-31% more requests a second under wrk on two cores, its
 * CPU a request unchanged, p99 10 ms -> 14 ms (issue 7; docs/benchmarks.md). Each is a
 * SQLite connection with a page cache of up to 1 MB. */
#define HTTP_THREADS_PER_CORE 4

/* Writes waiting for their commit each hold a writer thread, and a group commit holds at
 * most one referral per writer (cairn serve --write-threads). */
#define HTTP_WRITE_THREADS_DEFAULT 32

/* Starts serving; returns a server the caller stops with http_server_stop(). */
struct http_server *http_server_start(const struct http_server_config *cfg, struct err *e);
/* Stops accepting, lets requests in progress finish, and frees the server. */
void http_server_stop(struct http_server *srv);

#endif
