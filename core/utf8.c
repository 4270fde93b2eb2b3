/* utf8.c - UTF-8 validation and decoding (RFC 3629: no overlongs, no surrogates, at most U+10FFFF). */
#include "core/utf8.h"

#include <stdio.h>
#include <string.h>

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

size_t utf8_chars(const char *s, size_t n)
{
  size_t c = 0;
  for(size_t i = 0; i < n; i++)
    if(((unsigned char)s[i] & 0xC0) != 0x80)
      c++;
  return c;
}

const char *utf8_show(char out[TEXT_SHOW_MAX], const char *s, int q)
{
  const char *qs = q ? "'" : "";
  size_t n = strlen(s), chars = utf8_chars(s, n);
  if(chars <= TEXT_SHOW_CHARS) {
    snprintf(out, TEXT_SHOW_MAX, "%s%s%s", qs, s, qs);
    return out;
  }
  size_t cut = 0, c = 0;
  while(cut < n && c < TEXT_SHOW_CHARS) {
    cut++;
    while(cut < n && ((unsigned char)s[cut] & 0xC0) == 0x80)
      cut++;
    c++;
  }
  snprintf(out, TEXT_SHOW_MAX, "%s%.*s...%s (%zu characters)", qs, (int)cut, s, qs, chars);
  return out;
}

int utf8_find_control(const char *s, size_t n, int lines_ok, int tab_ok, size_t *at)
{
  size_t chars = 0;
  for(size_t k = 0; k < n; k++) {
    unsigned char c = (unsigned char)s[k];
    if((c & 0xC0) != 0x80)
      chars++;
    if((c >= 0x20 && c != 0x7F) || (lines_ok && (c == '\n' || c == '\r')) || (tab_ok && c == '\t'))
      continue;
    *at = chars;
    return c;
  }
  return -1;
}

const char *utf8_control_name(int c)
{
  static const char *const names[32] = {
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF", "CR", "SO", "SI",
    "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US"};
  return c >= 0 && c < 32 ? names[c] : "DEL";
}
