#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static int log_is_quiet;

void log_quiet(int quiet)
{
	log_is_quiet = quiet;
}

static void log_line(const char *level, const char *fmt, va_list ap)
{
	char stamp[32], line[2048];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	vsnprintf(line, sizeof(line), fmt, ap);
	/* One fprintf per line so lines from worker threads do not interleave. */
	fprintf(stderr, "%s %s %s\n", stamp, level, line);
}

void log_info(const char *fmt, ...)
{
	if (log_is_quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	log_line("info", fmt, ap);
	va_end(ap);
}

void log_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_line("error", fmt, ap);
	va_end(ap);
}
