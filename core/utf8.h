/* utf8.h - UTF-8 validation and decoding, the one implementation every layer uses. */
#ifndef LB_UTF8_H
#define LB_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decode the character at s[0..len) (len >= 1). Returns the code point and
 * sets *n to its length in bytes; an invalid or truncated sequence, an
 * overlong form, a surrogate or a value above U+10FFFF gives U+FFFD with
 * *n = 1, so a caller can always advance. */
uint32_t utf8_decode(const unsigned char *s, size_t len, size_t *n);

/* 1 if s[0..len) is valid UTF-8; else 0 and *bad (may be NULL) gets the
 * offset of the first byte of the first invalid sequence. */
int utf8_valid(const char *s, size_t len, size_t *bad);

/* The first control character of s[0..n) (C0 or DEL; with lines_ok LF
 * and CR are allowed, with tab_ok TAB), or -1 when there is none; *at gets
 * its position in characters, from 1. */
int utf8_find_control(const char *s, size_t n, int lines_ok, int tab_ok, size_t *at);
/* "NUL", "ESC", "DEL" ... for a control character found above. */
const char *utf8_control_name(int c);

/* Characters (code points) in the valid UTF-8 s[0..n). */
size_t utf8_chars(const char *s, size_t n);

/* A value for a message: whole, or its first TEXT_SHOW_CHARS characters,
 * "..." and its length in characters when longer (a 10 MB field must not
 * drown the message cron mails). Quoted in '...' with q. Returns out. */
#define TEXT_SHOW_CHARS 80
#define TEXT_SHOW_MAX (TEXT_SHOW_CHARS * 4 + 48)
const char *utf8_show(char out[TEXT_SHOW_MAX], const char *s, int q);

#endif
