/* utf8: validation of untrusted text. */
#ifndef CAIRN_UTF8_H
#define CAIRN_UTF8_H
#include <stddef.h>

/* 0 if s[0..n) is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF)
 * with no control characters other than tab, newline and carriage return; -1 if not. */
int utf8_check_text(const char *s, size_t n);

/* Number of code points in valid UTF-8 text. */
size_t utf8_length(const char *s, size_t n);

#endif
