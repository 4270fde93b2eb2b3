/* utf8.c - UTF-8 validation and decoding (RFC 3629: no overlongs, no surrogates, at most U+10FFFF). */
#include "core/utf8.h"

#define UTF8_BAD 0xFFFDu

uint32_t utf8_decode(const unsigned char *s, size_t len, size_t *n)
{
  uint32_t c = s[0], min;
  size_t need;
  *n = 1;
  if(c < 0x80)
    return c;
  if(c >= 0xC2 && c < 0xE0) {
    need = 2;
    c &= 0x1F;
    min = 0x80;
  } else if(c >= 0xE0 && c < 0xF0) {
    need = 3;
    c &= 0x0F;
    min = 0x800;
  } else if(c >= 0xF0 && c < 0xF5) {
    need = 4;
    c &= 0x07;
    min = 0x10000;
  } else
    return UTF8_BAD;
  if(need > len)
    return UTF8_BAD;
  for(size_t i = 1; i < need; i++) {
    if((s[i] & 0xC0) != 0x80)
      return UTF8_BAD;
    c = c << 6 | (s[i] & 0x3F);
  }
  if(c < min || c > 0x10FFFF || (c >= 0xD800 && c < 0xE000))
    return UTF8_BAD;
  *n = need;
  return c;
}

int utf8_valid(const char *s, size_t len, size_t *bad)
{
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while(i < len) {
    size_t n;
    /* U+FFFD decoded from a one-byte step is an error; the real character is three bytes */
    if(utf8_decode(u + i, len - i, &n) == UTF8_BAD && n == 1) {
      if(bad)
        *bad = i;
      return 0;
    }
    i += n;
  }
  return 1;
}
