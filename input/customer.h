/* customer.h - one customer's rows (customers, machines, licenses, support, usage), checked. */
#ifndef LB_CUSTOMER_H
#define LB_CUSTOMER_H

#include "core/arena.h"
#include "input/catalog.h"
#include "input/custfiles.h"
#include "input/custindex.h"
#include "core/diag.h"
#include "input/model.h"


typedef struct cust_data {
  arena mem;
  customer cust;
  machine *machines;      /* one per serial: its first row, then the configuration of the month (R-T10) */
  lb_month resolved;      /* the month monthconf_resolve resolved the machines to, MONTH_NONE before */
  size_t nmachines;
  machine *mhist;         /* further dated configurations of the same serials (effective_from) */
  size_t nmhist;
  license *licenses;
  size_t nlicenses;
  support_row *support;
  size_t nsupport;
  usage_row *usage;
  size_t nusage;
  unsigned rejected_rows; /* bit 1 << cust_file: rows of that file were rejected (and reported) */
} cust_data;

/* Read and check customer k's rows from the spans of the index (machines
 * with several dated configurations: the first row in machines, the others
 * in mhist; rules/monthconf.c resolves them to the month, R-T10). Every problem is reported in d with the customer's
 * id and gives LB_EINPUT (the customer is rejected for the month);
 * LB_ENOMEM/LB_EIO otherwise. cd is cleared first; clear it with
 * cust_data_clear. */
int cust_load(cust_data *cd, const cust_index *ix, size_t k, const catalog *cat, diag_list *d);
void cust_data_clear(cust_data *cd);

const machine *cust_machine(const cust_data *cd, const char *serial);
const license *cust_license(const cust_data *cd, const char *license_id);

#endif
