/* monthconf.h - R-T10: each machine of a customer resolved to its configuration for the billing month. */
#ifndef LB_MONTHCONF_H
#define LB_MONTHCONF_H

#include "core/diag.h"
#include "input/customer.h"

/* R-T10: resolve each machine of cd to billing month `month`. The
 * configuration in effect on the month's last day is the machine; where
 * another configuration was in effect during the month with a higher
 * capacity, processor group, category or tier, that higher value is billed
 * for the whole month (machine.t10_*). Also records the configuration in
 * effect before the month (R-L4). Rows effective after the month are
 * ignored. Call once after cust_load, before pricing; `file` names
 * machines.csv in errors. LB_OK, LB_EINPUT after reporting (a machine with
 * no configuration in effect), LB_ENOMEM. */
int monthconf_resolve(cust_data *cd, lb_month month, const char *file, diag_list *d);

#endif
