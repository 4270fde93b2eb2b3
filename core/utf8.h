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

#endif
