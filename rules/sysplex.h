/* sysplex.h - which machines of a customer form an actively coupled, qualified sysplex (R-W8). */
#ifndef LB_SYSPLEX_H
#define LB_SYSPLEX_H

#include "rules/rule.h"

/* The machines of the customer in sysplex `name` (R-W8). */
size_t sysplex_size(const rule_ctx *ctx, const char *name);

/* R-W8: the name of the sysplex machine m is aggregated over (its sysplex
 * when the customer has at least two machines in it), or NULL when m
 * stands alone for pricing. Points into the machine. */
const char *sysplex_coupled(const rule_ctx *ctx, const machine *m);

#endif
