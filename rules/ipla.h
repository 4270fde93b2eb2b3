/* ipla.h - IPLA sub-capacity programs: required vs entitled Value Units, IBM-initiated orders (R-I1..R-I8). */
#ifndef LB_IPLA_H
#define LB_IPLA_H

#include "rules/rule.h"

/* Check the customer's IPLA licenses before pricing: subcap_terms given
 * and one type per program, entitled_msu given (R-I6), the product has a
 * Value Unit Exhibit (R-I5), a reference-based program has its parent
 * licensed in its environment (R-I2), a z/OS-based one has z/OS on its
 * machine (R-I3), replaces names a license (R-I8). LB_OK or LB_EINPUT
 * after reporting each problem at its row and column. */
int ipla_validate(const rule_ctx *ctx, diag_list *d);

/* For each IPLA program of the customer (its versions linked under R-I8):
 * required MSUs over the enterprise (R-I1..R-I4, R-I8) converted to Value
 * Units (R-I5) and compared with the entitled Value Units (R-I6). When the
 * required exceed the entitled, one line for the IBM-initiated order
 * (difference x price per VU) and, with S&S, one line for the S&S of the
 * new capacity prorated to the next anniversary (R-I7); the VUs ordered
 * are recorded with invoice_state for later months. Without an order the
 * comparison stays in the audit trail at invoice level (line 0). LB_OK,
 * LB_EINPUT after reporting, LB_ENOMEM, LB_EOVERFLOW. */
int ipla_price(const rule_ctx *ctx, invoice *inv, diag_list *d);

/* The order number of the IBM-initiated order of `product_id` in month m:
 * "IIO-<customer>-<YYYYMM>-<product>", deterministic so that a re-run
 * reuses it (R-X1). buf >= 96 bytes. Returns buf. */
char *ipla_order_number(char *buf, size_t n, const char *customer_id, lb_month m, const char *product_id);

#endif
