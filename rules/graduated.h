/* graduated.h - R-L4: graduated charges by program group (GMLC) and the Group Upgrade Charge; shared by GOLC and MOSP. */
#ifndef LB_GRADUATED_H
#define LB_GRADUATED_H

#include "rules/rule.h"

/* Price-book convention (prices.csv): a graduated book is component
 * "group" of (product, GMLC) (MOSP: of (product, MOSP)); one row per
 * program group, to_qty = the program group number, from_qty = the
 * previous group + 1 (the first row from 1), so that the rows are
 * contiguous tiers (R-W1 load check); fixed_price = the group's monthly
 * charge. Processor group 32 with rows 1-30 and 31-40 lands in the 31-40
 * row: program group 40. */
#define GRADUATED_COMPONENT "group"

/* State key prefix of the program group billed for a license (R-L4). */

/* A processor group as a number: *group = the number, or -1 when s is NULL
 * (the machine is not listed in a group). 0, or -1 when s is not a whole
 * number from 1 to 1000000. */
int graduated_parse(const char *s, long *group);

/* R-L4: the row of the (l's product, book_ct, "group") book in effect on
 * ctx->price_date whose program group is the lowest one equal to or above
 * pgroup, or the highest program group when pgroup < 0 (machine not
 * listed). 0 with *row set (points into the catalog); or -1 with the
 * reason in err: no book, a row without to_qty or fixed_price, or pgroup
 * above every program group. */
int graduated_pick(const rule_ctx *ctx, const license *l, charge_type book_ct, long pgroup, const price **row,
                   char *err, size_t esize);

/* R-L4: the checks graduated_bill would fail on for license l priced on
 * book_ct: the machine's processor groups are numbers and a program group
 * can be picked. LB_EINPUT after reporting. */
int graduated_check(const rule_ctx *ctx, const license *l, charge_type book_ct, diag_list *d);

/* R-L4: bill license l's graduated monthly charge: the program group picked
 * on book_ct's "group" book for its machine's processor group (R-T10: the
 * month's highest), one line of l's charge type; and, when the program
 * group rose since the month before (the group recorded in the ledger for
 * the license, else the machine's configuration before the month), a
 * second line with the one-time Group Upgrade Charge = current price of the
 * new group - current price of the old one. Moving down refunds nothing.
 * Carries the group into later months. `basis` (may be NULL) adds one
 * audit step first (MOSP says there why the book applies). LB_EINPUT after
 * reporting, LB_ENOMEM. */
typedef struct graduated_basis {
  rule_id rule;
  const input_ref *refs;
  size_t nrefs;
  const char *why;
} graduated_basis;
int graduated_bill(const rule_ctx *ctx, const license *l, charge_type book_ct, const graduated_basis *basis,
                   invoice *inv, diag_list *d);

/* GMLC module: validate (R-L4 checks) and price every charged GMLC license. */
int graduated_validate(const rule_ctx *ctx, diag_list *d);
int graduated_price(const rule_ctx *ctx, invoice *inv, diag_list *d);

#endif
