/* sysplex.h - which machines of a customer form an actively coupled, qualified sysplex (R-W8), and the groups
 * of licenses charged together on one machine or over such a sysplex. */
#ifndef LB_SYSPLEX_H
#define LB_SYSPLEX_H

#include "rules/rule.h"

/* The machines of the customer in sysplex `name` (R-W8). */
size_t sysplex_size(const rule_ctx *ctx, const char *name);

/* R-W8: the name of the sysplex machine m is aggregated over (its sysplex
 * when the customer has at least two machines in it), or NULL when m
 * stands alone for pricing. Points into the machine. */
const char *sysplex_coupled(const rule_ctx *ctx, const machine *m);

/* The licenses of one program charged together: one machine, or every
 * machine of an actively coupled sysplex (R-W8, R-U3). Pointers borrow
 * from the ctx's customer data. */
typedef struct lic_group {
  const char *product_id;
  const char *key;     /* sysplex name or serial */
  const char *sysplex; /* NULL when one machine */
  const license **lic; /* one per machine, in licenses.csv order */
  int n;
} lic_group;

typedef struct lic_groups {
  lic_group *v; /* sorted by key, then product */
  size_t n;
  const license **pool; /* the groups' licenses */
} lic_groups;

/* Group the module's licenses of the month (ctx->own) by product and
 * machine, or by product and sysplex when `aggregate` (R-W8). A program
 * licensed twice on one machine is reported in d (charge type ct, the
 * message ending with `expected_tail`) and gives LB_EINPUT; LB_ENOMEM.
 * Clear *out with lic_groups_clear. */
int sysplex_groups(const rule_ctx *ctx, charge_type ct, int aggregate, const char *expected_tail, lic_groups *out,
                   diag_list *d);
void lic_groups_clear(lic_groups *g);

/* The line fields of group g: its machines (R-W8: the sysplex when several),
 * product, charge type ct and the first license's order number. 0 or LB_ENOMEM. */
int sysplex_group_line(const rule_ctx *ctx, const lic_group *g, charge_type ct, charge_line *cl);

#endif
