/* Logging to stderr, one line per message: time, program, level, text.
 * Services log what an operator needs; counters (common/README.md, Conventions) carry the rest. */
#ifndef CCHC_LOG_H
#define CCHC_LOG_H

void cchc_log_init(const char *program);
void cchc_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cchc_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cchc_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Logs and exits 1: for start-up failures only (die at start-up, count at run time). */
void cchc_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
