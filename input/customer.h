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
  const char *id;         /* the customer's id as the index has it, once cust_load got that far (in mem) */
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
  size_t nusage, usage_cap;
  unsigned rejected_rows; /* bit 1 << cust_file: rows of that file were rejected (and reported) */
  const struct usage_window *window; /* cust_load's, while it reads */
  struct usage_pair *outside;        /* machine and product of each usage row kept from outside the window */
  size_t noutside, outside_cap;
} cust_data;

/* Which usage.csv rows a load keeps: every row measured from `from` to `to`
 * (R-T3: the reporting period that drives the month), and of the others
 * only the first of each machine and product, which is all R-U1 needs of
 * them (every measured program has a usage-priced license). So a usage.csv
 * holding years of hours costs no more memory than one holding the period. */
typedef struct usage_window {
  lb_date from, to;
} usage_window;

/* Read and check customer k's rows from the spans of the index (machines
 * with several dated configurations: the first row in machines, the others
 * in mhist; rules/monthconf.c resolves them to the month, R-T10). Usage rows
 * as window says (NULL: every row). Every problem is reported in d with the customer's
 * id and gives LB_EINPUT (the customer is rejected for the month);
 * LB_ENOMEM/LB_EIO otherwise. cd is cleared first; clear it with
 * cust_data_clear. */
int cust_load(cust_data *cd, const cust_index *ix, size_t k, const catalog *cat, const usage_window *window,
              diag_list *d);
void cust_data_clear(cust_data *cd);

const machine *cust_machine(const cust_data *cd, const char *serial);
const license *cust_license(const cust_data *cd, const char *license_id);

#endif
