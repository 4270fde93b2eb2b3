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

/* the charge on line cl of a price `per` for each license or
 * feature on l's row (licenses.csv quantity): *exact = per x quantity, not
 * rounded. With more than one on the row, the line's quantity becomes that
 * count and its unit "licenses" ("features" for a feature's row), an
 * step on the line says what was multiplied, and joins rules (NULL:
 * cl->rules, before its ). With one, *exact = per and the line is left as it is.
 * LB_OK, LB_EOVERFLOW, LB_ENOMEM. */
int licline_per_license(const license *l, charge_line *cl, money per, money *exact, rule_set *rules, invoice *inv);

#endif
