/* log: one line per event on standard error, with a UTC timestamp. */
#ifndef CAIRN_LOG_H
#define CAIRN_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Silences log_info (tests and command-line tools that print their own output). */
void log_quiet(int quiet);

#endif
