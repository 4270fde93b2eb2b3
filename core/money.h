/* money.h - exact money in int64 1/10000 units, checked arithmetic, rounding. */
#ifndef LB_MONEY_H
#define LB_MONEY_H

#include <stdint.h>
#include <stddef.h>

#include "core/errors.h"

/* A money amount or an exact decimal quantity in 1/10000 units ("ten-thousandths").
 * 1.00 EUR == 10000. Never a float. */
typedef int64_t money;

#define MONEY_SCALE 10000
#define MONEY_CENT 100 /* one cent in money units */

/* Return codes are those of core/errors.h: LB_OK, LB_EOVERFLOW, LB_ESYNTAX, LB_EPLACES. */

/* Checked arithmetic, like sqlite3AddInt64: *r is written only on success.
 * Return 0, or LB_EOVERFLOW leaving *r unchanged. */
int money_add(money *r, money a, money b);
int money_sub(money *r, money a, money b);
/* *r = a * n where n is a plain integer count (MSUs, months, features). */
int money_mul_int(money *r, money a, int64_t n);

/* round half away from zero to the cent (a multiple of 100 units). */
int money_round_cent(money *r, money a);

/* R-0.2: *r = a * pct / 100, where pct is an exact decimal percentage in
 * 1/10000 units (4.5 % == 45000), rounded half away from zero to the cent. */
int money_apply_pct(money *r, money a, money pct);

/* *r = a * num / den rounded half away from zero to the cent; den > 0.
 * Used for day-based proration (R-T6). Intermediate in 128 bits. */
int money_muldiv_cent(money *r, money a, int64_t num, int64_t den);

/* for an amount billed in shares (an annual charge month by month or
 * quarter by quarter): the share of `total` for the positions from+1..to of
 * n (months, or days on thirty-day months): before = round(total x from/n),
 * upto = round(total x to/n), amount = upto - before, each rounded half away
 * from zero to the cent. The shares of consecutive positions telescope, so
 * those of 0..n add up to total rounded to the cent, whatever n; and a share
 * depends on nothing but its positions (no running remainder to carry).
 * Requires 0 <= from <= to <= n and n > 0. */
typedef struct money_share {
  money before; /* round(total x from/n) */
  money upto;   /* round(total x to/n) */
  money amount; /* upto - before: the share */
} money_share;

/* *r written only on success. LB_OK; LB_EOVERFLOW on overflow or when the
 * positions are not 0 <= from <= to <= n with n > 0. */
int money_share_of(money_share *r, money total, int64_t from, int64_t to, int64_t n);

/* Parse a plain decimal ("1234.5", "-0.0001", "12") with at most
 * max_places fraction digits (<= 4) into *r. Rejects thousands
 * separators, exponents, spaces, a lone "." and more than 4 places.
 * On error *r is untouched; *errpos (may be NULL) gets the 0-based byte
 * offset of the first offending character. */
int money_parse(money *r, const char *s, size_t len, int max_places, size_t *errpos);

/* Format with exactly `places` fraction digits (2 or 4), no separators,
 * '.' decimal point: 12345000 -> "1234.50". The value must already be a
 * multiple of 10^(4-places). buf must hold 32 bytes. Returns buf. */
char *money_format(char *buf, money a, int places);

/* Format for people: thousands separator `sep` (0 for none) and decimal
 * mark `dec`, 2 places: 123456789000 -> "12,345,678.90". buf >= 40 bytes. */
char *money_format_human(char *buf, money a, char sep, char dec);

#endif
