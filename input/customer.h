/* customer.h - one customer's rows (customers, machines, licenses, support, usage), checked. */
#ifndef LB_CUSTOMER_H
#define LB_CUSTOMER_H

#include "arena.h"
#include "catalog.h"
#include "custindex.h"
#include "diag.h"
#include "model.h"

/* Columns of the per-customer files (spec indexes). customer_id is 0 in each. */
enum { C_ID, C_NAME, C_CLASS, C_ADDRESS, C_COUNTRY, C_TAX_REGION, C_CURRENCY, C_CONTRACT, C_CYCLE,
       C_TERMS, C_PP_PCT, C_PP_DAYS, C_TSAD, C__N };
enum { M_CUSTOMER, M_SERIAL, M_TYPE_MODEL, M_FULL_MSU, M_ENGINES, M_SYSPLEX, M_AWLC, M_PGROUP,
       M_GOLC, M_ZELC, M_TWLC, M_SUBCAP_START, M_ZOSE_ENGINES, M_PRSM, M_EFFECTIVE, M__N };
enum { L_CUSTOMER, L_LICENSE, L_SERIAL, L_PRODUCT, L_CT, L_FEATURE_OF, L_INSTALLED, L_DISCONTINUED,
       L_NOTICE, L_ORDER, L_TERMS, L_ENTITLED, L_REPLACES, L_SECURE, L_PRICING, L_QUANTITY, L_ACCEPTED,
       L_LMODEL, L__N };
enum { S_CUSTOMER, S_LICENSE, S_START, S_END, S_ANNUAL, S_REINSTATED, S_OFFERING, S_KIND, S_ORDER,
       S_EXPIRED, S_FUNDED, S_QUANTITY, S__N };
enum { U_CUSTOMER, U_SERIAL, U_PRODUCT, U_VERSION, U_HOUR, U_VALUE, U_TEST, U__N };

/* Column specs of a per-customer file; *n gets the count. */
const col_spec *cust_file_columns(cust_file f, int *n);

typedef struct cust_data {
  arena mem;
  customer cust;
  machine *machines;      /* one per serial: the configuration of the month (R-T10) */
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

/* Read and check customer k's rows from the spans of the index for billing
 * month `month` (machines with several dated configurations are resolved
 * to the month, R-T10). Every problem is reported in d with the customer's
 * id and gives LB_EINPUT (the customer is rejected for the month);
 * LB_ENOMEM/LB_EIO otherwise. cd is cleared first; clear it with
 * cust_data_clear. */
int cust_load(cust_data *cd, const cust_index *ix, size_t k, const catalog *cat, lb_month month, diag_list *d);
void cust_data_clear(cust_data *cd);

const machine *cust_machine(const cust_data *cd, const char *serial);
const license *cust_license(const cust_data *cd, const char *license_id);

#endif
