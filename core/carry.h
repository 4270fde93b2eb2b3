/* carry.h - what a month carries into later months (the ledger's state), typed, with one codec per kind. */
#ifndef LB_CARRY_H
#define LB_CARRY_H

#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/money.h"

/* The kinds of carried state. The subject names what the state is about
 * (a serial, a license, a product, "CT:KEY:PRODUCT" for usage). */
typedef enum carry_kind {
  CARRY_SUBCAP_START,    /* serial: the first month billed on an SCRT report (R-W3); month */
  CARRY_CAPACITY,        /* serial: Full Capacity MSUs of the month (evidence charts); num */
  CARRY_GRADUATED_GROUP, /* license: the program group billed (R-L4); num */
  CARRY_SVC_START,       /* license of the predecessor: first month of its waiver (R-S1); month */
  CARRY_IIO_VU,          /* product: VUs bought by IBM-initiated orders so far (R-I6); num */
  CARRY_USAGE_FIRST,     /* usage group: usage of the first measured month (R-U4); num (money units) */
  CARRY_USAGE_BASIS,     /* usage group: the usage charged for the billing period, until month (R-U4) */
  CARRY_USAGE_PEAK,      /* usage group: the highest monthly usage of the billing period, until month (R-U4) */
  CARRY_ILC,             /* license: month the Initial License Charge was billed (R-T7); month */
  CARRY_PLC,             /* license: month the Primary License Charge was billed (R-T8); month */
  CARRY__COUNT
} carry_kind;

/* The value of a state: which fields are used depends on the kind. */
typedef struct carry_value {
  lb_month month; /* the month, or the "until" month of a usage basis or peak */
  int64_t num;    /* a count, or a usage in 1/10000 units */
} carry_value;

/* One state an earlier month recorded for a customer: the latest of its
 * (kind, subject) before the month being billed. */
typedef struct carried {
  carry_kind kind;
  const char *subject;
  lb_month set_in; /* the month that recorded it */
  carry_value value;
} carried;

/* What earlier months carried for one customer, read from the ledger in
 * one query before the customer is priced (rules never query the ledger).
 * An empty history (n = 0) is a first month. */
typedef struct carry_history {
  const carried *v;
  size_t n;
} carry_history;

/* The entry of (kind, subject), or NULL. h may be NULL (no history). */
const carried *carry_find(const carry_history *h, carry_kind kind, const char *subject);

/* The key prefix of a kind as the ledger stores it ("graduated_group"). */
const char *carry_name(carry_kind kind);
/* The kind whose prefix is s[0..len); 0 found, -1 not. */
int carry_kind_parse(carry_kind *out, const char *s, size_t len);

/* The value as the ledger stores it ("2026-11", "40", "1500.0000;2027-09").
 * buf >= CARRY_TEXT_MAX. Returns buf. */
#define CARRY_TEXT_MAX 48
char *carry_format(char *buf, size_t n, carry_kind kind, const carry_value *v);
/* Parse a stored value of kind: 0, or -1 when it is not what the kind stores. */
int carry_parse(carry_value *out, carry_kind kind, const char *text);

#endif
