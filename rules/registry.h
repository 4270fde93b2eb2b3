/* registry.h - the table of rule modules, one row per charge type, checked once at start-up. */
#ifndef LB_REGISTRY_H
#define LB_REGISTRY_H

#include <stddef.h>

#include "rules/rule.h"

/* Rows end with {CT__COUNT, NULL, ...}. */
extern const rule_module rule_modules[];

/* Check the table against the declarations (core/chargetypes.def,
 * core/rules.def): one row per charge type without CTF_NO_ROW, none for
 * the others, required slots set, every rule id declared, components
 * well formed. Returns 0 or -1 with a message in err. Run once at start-up. */
int registry_check(const rule_module *rows, char *err, size_t n);

/* The module pricing ct, or NULL for a type priced inside another module. */
const rule_module *registry_find(charge_type ct);

#endif
