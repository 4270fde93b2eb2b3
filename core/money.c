/* money.c - exact money: checked int64 arithmetic in 1/10000 units and the rounding rules. */
#include "core/money.h"

#include <stdio.h>
#include <string.h>

int money_add(money *r, money a, money b)
{
  money t;
  if(__builtin_add_overflow(a, b, &t))
    return LB_EOVERFLOW;
  *r = t;
  return LB_OK;
}

int money_sub(money *r, money a, money b)
{
  money t;
  if(__builtin_sub_overflow(a, b, &t))
    return LB_EOVERFLOW;
  *r = t;
  return LB_OK;
}

int money_mul_int(money *r, money a, int64_t n)
{
  money t;
  if(__builtin_mul_overflow(a, n, &t))
    return LB_EOVERFLOW;
  *r = t;
  return LB_OK;
}

/* Divide a 128-bit value by den > 0, rounding half away from zero. */
static int div_round_half_away(__int128 num, __int128 den, int64_t *out)
{
  __int128 q = num / den;
  __int128 rem = num % den;
  __int128 arem = rem < 0 ? -rem : rem;
  if(arem * 2 >= den)
    q += (num < 0) ? -1 : 1;
  if(q > INT64_MAX || q < INT64_MIN)
    return LB_EOVERFLOW;
  *out = (int64_t)q;
  return LB_OK;
}

/* half away from zero to the cent. */
int money_round_cent(money *r, money a)
{
  int64_t cents;
  if(div_round_half_away((__int128)a, MONEY_CENT, &cents))
    return LB_EOVERFLOW;
  return money_mul_int(r, MONEY_CENT, cents);
}

/* percentage applied, rounded half away from zero to the cent.
 * a (1/10000) * pct (1/10000 %) / 100 % -> result in 1/10000 before
 * rounding: a * pct / (100 * 10000); to cents: divide by a further 100. */
int money_apply_pct(money *r, money a, money pct)
{
  int64_t cents;
  __int128 num = (__int128)a * (__int128)pct;
  if(div_round_half_away(num, (__int128)100 * MONEY_SCALE * MONEY_CENT, &cents))
    return LB_EOVERFLOW;
  return money_mul_int(r, MONEY_CENT, cents);
}

int money_muldiv_cent(money *r, money a, int64_t num, int64_t den)
{
  int64_t cents;
  if(den <= 0)
    return LB_EOVERFLOW;
  if(div_round_half_away((__int128)a * num, (__int128)den * MONEY_CENT, &cents))
    return LB_EOVERFLOW;
  return money_mul_int(r, MONEY_CENT, cents);
}

/* cumulative rounding, so that no cent is lost or added over a period's shares. */
int money_share_of(money_share *r, money total, int64_t from, int64_t to, int64_t n)
{
  money_share t;
  if(n <= 0 || from < 0 || to < from || to > n)
    return LB_EOVERFLOW;
  if(money_muldiv_cent(&t.before, total, from, n) || money_muldiv_cent(&t.upto, total, to, n) ||
     money_sub(&t.amount, t.upto, t.before))
    return LB_EOVERFLOW;
  *r = t;
  return LB_OK;
}

int money_parse(money *r, const char *s, size_t len, int max_places, size_t *errpos)
{
  size_t i = 0;
  int neg = 0, places = 0, digits = 0, seen_dot = 0;
  money v = 0;
  int rc = LB_ESYNTAX;

  if(max_places > 4)
    max_places = 4;
  if(i < len && (s[i] == '-' || s[i] == '+')) {
    neg = (s[i] == '-');
    i++;
  }
  for(; i < len; i++) {
    char c = s[i];
    if(c == '.' && !seen_dot) {
      seen_dot = 1;
      continue;
    }
    if(c < '0' || c > '9') {
      rc = LB_ESYNTAX;
      goto out;
    }
    if(seen_dot && ++places > max_places) {
      rc = LB_EPLACES;
      goto out;
    }
    if(__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, c - '0', &v)) {
      rc = LB_EOVERFLOW;
      goto out;
    }
    digits++;
  }
  if(!digits) {
    rc = LB_ESYNTAX;
    goto out;
  }
  for(; places < 4; places++) {
    if(__builtin_mul_overflow(v, 10, &v)) {
      rc = LB_EOVERFLOW;
      goto out;
    }
  }
  *r = neg ? -v : v;
  return LB_OK;
out:
  if(errpos)
    *errpos = i < len ? i : len;
  return rc;
}

char *money_format(char *buf, money a, int places)
{
  /* uint64 magnitude so INT64_MIN prints too */
  uint64_t mag = a < 0 ? (uint64_t)0 - (uint64_t)a : (uint64_t)a;
  uint64_t whole = mag / MONEY_SCALE;
  uint64_t frac = mag % MONEY_SCALE;
  if(places == 2)
    snprintf(buf, 32, "%s%llu.%02llu", a < 0 ? "-" : "", (unsigned long long)whole,
             (unsigned long long)(frac / 100));
  else
    snprintf(buf, 32, "%s%llu.%04llu", a < 0 ? "-" : "", (unsigned long long)whole,
             (unsigned long long)frac);
  return buf;
}

char *money_format_human(char *buf, money a, char sep, char dec)
{
  char digits[32];
  uint64_t mag = a < 0 ? (uint64_t)0 - (uint64_t)a : (uint64_t)a;
  uint64_t whole = mag / MONEY_SCALE;
  unsigned cents = (unsigned)((mag % MONEY_SCALE) / 100);
  int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)whole);
  char *p = buf;
  if(a < 0)
    *p++ = '-';
  for(int i = 0; i < n; i++) {
    if(sep && i > 0 && (n - i) % 3 == 0)
      *p++ = sep;
    *p++ = digits[i];
  }
  snprintf(p, 8, "%c%02u", dec, cents);
  return buf;
}
