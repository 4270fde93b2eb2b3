/* licline.h - the invoice line of one license: its machine, program and order copied into a new line. */
#ifndef LB_LICLINE_H
#define LB_LICLINE_H

#include "rules/rule.h"

/* Append to inv a line for license l on its own machine: serial and type
 * model of l's machine, l's product id and program name, charge type ct,
 * order number `order` (NULL: none), unit, quantity qty, rule ids `rules` (NULL: none yet)
 * and printed note (NULL: none). Prices and amount are the caller's. The
 * strings are copied and owned by the invoice. Preconditions: l's machine
 * and product exist (validated input). NULL on ENOMEM. */
charge_line *licline_add(const rule_ctx *ctx, const license *l, charge_type ct, const char *order, const char *unit,
                         long qty, const rule_set *rules, const char *note, invoice *inv);

#endif
