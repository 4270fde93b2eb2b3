/* registry.h - the table of rule modules, one row per charge type, checked once at start-up. */
#ifndef LB_REGISTRY_H
#define LB_REGISTRY_H

#include <stddef.h>

#include "rule.h"

/* Rows end with {CT__COUNT, NULL, ...}. */
extern const rule_module rule_modules[];

/* Check the table: unique charge types, required slots set. Returns 0 or
 * -1 with a message in err. Run once at start-up. */
int registry_check(const rule_module *rows, char *err, size_t n);

/* The module pricing ct, or NULL when that charge type is not built yet. */
const rule_module *registry_find(charge_type ct);

/* "AWLC, VWLC, ..." into buf: the charge types priced, for messages. Returns buf. */
char *registry_names(char *buf, size_t n);

#endif
